//! The `seam` command end to end: running files, `-e`, `--disasm`, error reports and exit
//! codes, and the REPL reading multi-line input from a pipe.

use std::io::Write;
use std::process::{Command, Stdio};

fn seam() -> Command {
    Command::new(env!("CARGO_BIN_EXE_seam"))
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("seam-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("temp dir");
    std::fs::write(&path, text).expect("write temp file");
    path
}

#[test]
fn runs_a_file_with_arguments() {
    let path = temp_file("args.scm", "(display (cdr (command-line)))\n(newline)\n");
    let out = seam().arg(&path).args(["a", "b"]).output().expect("run seam");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "(a b)\n");
}

#[test]
fn evaluates_an_expression() {
    let out = seam().args(["-e", "(expt 2 100)"]).output().expect("run seam");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1267650600228229401496703205376\n");
}

#[test]
fn failing_script_reports_line_caret_and_backtrace() {
    let path = temp_file("fail.scm", ";; comment\n(define (f x)\n  (car x))\n(f 5)\n");
    let out = seam().arg(&path).output().expect("run seam");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: car: argument 1: expected pair, got 5"), "{err}");
    assert!(err.contains("fail.scm:3:3"), "{err}");
    assert!(err.contains("3 |   (car x))\n  |   ^"), "{err}");
    assert!(err.contains("0: f at"), "{err}");
}

#[test]
fn exit_sets_the_status() {
    let out = seam().args(["-e", "(exit 7)"]).output().expect("run seam");
    assert_eq!(out.status.code(), Some(7));
}

#[test]
fn disassembles_a_file() {
    let path = temp_file("dis.scm", "(define (inc x) (+ x 1))\n");
    let out = seam().arg("--disasm").arg(&path).output().expect("run seam");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("proc inc"), "{text}");
    assert!(text.contains("AddImm dst=1 a=0 imm=1"), "{text}");
}

#[test]
fn unknown_option_is_a_usage_error() {
    let out = seam().arg("--frobnicate").output().expect("run seam");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn missing_file_is_an_error() {
    let out = seam().arg("/nonexistent/file.scm").output().expect("run seam");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/file.scm"));
}

/// The REPL's output for `input` typed at it.
fn repl(input: &[u8]) -> std::process::Output {
    let mut child = seam()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start repl");
    child.stdin.take().expect("stdin").write_all(input).expect("write to repl");
    child.wait_with_output().expect("repl exits")
}

#[test]
fn repl_reads_multi_line_input_and_survives_errors() {
    let out = repl(b"(define (sq x)\n  (* x x))\n(car 1)\n(sq\n 12)\n,q\n");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("144"), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("expected pair"), "stderr: {stderr}");
}

#[test]
fn finds_libraries_with_dash_i_and_next_to_the_program() {
    let lib = temp_file("cli-libs/tools/greet.sld", "");
    std::fs::write(
        &lib,
        "(define-library (tools greet) (export greet) (import (scheme base) (scheme write))\n\
         (begin (define (greet who) (display \"hello \") (display who) (newline))))",
    )
    .expect("write library");
    let libs = lib.parent().and_then(|p| p.parent()).expect("libs dir").to_path_buf();
    let program = temp_file("uses-greet.scm", "(import (scheme base) (tools greet))\n(greet \"seam\")\n");
    let out = seam().arg("-I").arg(&libs).arg(&program).output().expect("run seam");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello seam\n");
    // -IDIR works too, and so does -e.
    let out =
        seam().arg(format!("-I{}", libs.display())).args(["-e", "(import (tools greet)) (greet 1)"]).output();
    assert_eq!(String::from_utf8_lossy(&out.expect("run seam").stdout), "hello 1\n");
    // The program's own directory is on the search path.
    let beside = temp_file("cli-libs/beside.scm", "(import (scheme base) (tools greet))\n(greet 'beside)\n");
    let out = seam().arg(&beside).output().expect("run seam");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello beside\n");
    // Without the path the library is unknown, and the error says where it looked.
    let out = seam().args(["-e", "(import (tools greet))"]).output().expect("run seam");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown library (tools greet)"));
    let out = seam().arg("-I").output().expect("run seam");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn file_output_is_flushed_at_exit_and_emergency_exit() {
    for (name, exit) in [("exit", "(exit 3)"), ("emergency", "(emergency-exit 3)"), ("end", "")] {
        let out_path = temp_file(&format!("{name}.txt"), "");
        let program = format!(
            "(define p (open-output-file {:?}))\n(write-string \"unflushed {name}\" p)\n{exit}\n",
            out_path.display().to_string()
        );
        let path = temp_file(&format!("{name}.scm"), &program);
        let out = seam().arg(&path).output().expect("run seam");
        let expected_code = if exit.is_empty() { 0 } else { 3 };
        assert_eq!(out.status.code(), Some(expected_code), "{name}");
        let written = std::fs::read_to_string(&out_path).expect("read output file");
        assert_eq!(written, format!("unflushed {name}"), "{name}");
    }
}

#[test]
fn exit_runs_dynamic_wind_afters_and_emergency_exit_does_not() {
    let body = |exit: &str| {
        format!("(dynamic-wind (lambda () #f) (lambda () ({exit} 0)) (lambda () (display \"after\")))\n")
    };
    let path = temp_file("wind-exit.scm", &body("exit"));
    let out = seam().arg(&path).output().expect("run seam");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "after");
    let path = temp_file("wind-emergency.scm", &body("emergency-exit"));
    let out = seam().arg(&path).output().expect("run seam");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

#[test]
fn exit_codes() {
    for (expr, code) in [
        ("(exit)", 0),
        ("(exit #t)", 0),
        ("(exit #f)", 1),
        ("(exit 7)", 7),
        ("(exit -1)", 255),
        ("(exit 1000)", 255),
    ] {
        let out = seam().args(["-e", expr]).output().expect("run seam");
        assert_eq!(out.status.code(), Some(code), "{expr}");
    }
}

fn examples() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/packages")
}

#[test]
fn runs_a_package_with_the_capabilities_allowed() {
    let deflate = examples().join("deflate");
    let out = seam().args(["--allow", "deflate=ffi", "run"]).arg(&deflate).output().expect("run seam");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("round trip ok"), "{stdout}");
    // Without the grant it does not load, and says how to grant it.
    let out = seam().arg("run").arg(&deflate).output().expect("run seam");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: package deflate requires capability ffi, which the host did not grant it")
            && stderr.contains("--allow deflate=ffi"),
        "{stderr}"
    );
    // Another package's grant does not count.
    let out = seam().args(["--allow=other=ffi,time", "run"]).arg(&deflate).output().expect("run seam");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn bad_allow_options_are_usage_errors() {
    for (args, message) in [
        (&["--allow", "deflate=disk", "run", "x"][..], "unknown capability \"disk\""),
        (&["--allow", "deflate", "run", "x"][..], "--allow expects PKG=CAP[,CAP...]"),
        (&["--allow"][..], "--allow needs a value"),
        (&["run"][..], "run needs a package directory"),
    ] {
        let out = seam().args(args).output().expect("run seam");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(message), "{args:?}");
    }
}

#[test]
fn finds_packages_with_dash_p() {
    let out = seam()
        .arg("-P")
        .arg(examples())
        .args(["-e", "(import (util text)) (join '(\"x\" \"y\") \"+\")"])
        .output()
        .expect("run seam");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "\"x+y\"\n");
}

#[test]
fn loads_a_plugin_with_dash_dash_plugin() {
    // Build examples/plugins/counter into a target directory of these tests' own.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-plugin-build");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let built = Command::new(cargo)
        .args(["build", "--quiet", "-p", "seam-counter-plugin", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .output()
        .expect("run cargo");
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let file = target.join("debug").join(format!(
        "{}counter{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));
    let plugin = format!("counter={}", file.display());
    let out = seam()
        .args(["--plugin", &plugin, "--allow", "counter=native", "run"])
        .arg(examples().join("counter"))
        .output()
        .expect("run seam");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hits: 00003, misses: 00042\n");
    // A file that is not there.
    let out = seam()
        .args(["--plugin", "counter=/nonexistent/libcounter.so", "-e", "1"])
        .output()
        .expect("run seam");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "seam: cannot load plugin /nonexistent/libcounter.so: no such file\n"
    );
}

#[test]
fn sandbox_and_limit_options() {
    let out = seam().args(["--fuel", "100000", "-e", "(let loop () (loop))"]).output().expect("run seam");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("out of fuel: the evaluation used all 100000 units"), "{stderr}");
    let out = seam()
        .args(["--memory-limit=16M", "-e", "(let loop ((l '())) (loop (cons l l)))"])
        .output()
        .expect("run seam");
    assert!(String::from_utf8_lossy(&out.stderr).contains("memory limit exceeded"));
    let out =
        seam().args(["--max-depth", "1000", "-e", "(define (f) (+ 1 (f))) (f)"]).output().expect("run seam");
    assert!(String::from_utf8_lossy(&out.stderr).contains("depth limit exceeded"));
    let out = seam().args(["--time-limit", "0.2", "-e", "(let loop () (loop))"]).output().expect("run seam");
    assert!(String::from_utf8_lossy(&out.stderr).contains("deadline passed"));
    let out = seam()
        .args(["--sandbox", "-e", "(import (scheme file)) (open-input-file \"/etc/hostname\")"])
        .output()
        .expect("run seam");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs capability fs-read"));
    let out = seam().args(["--sandbox", "--fuel", "1000000", "-e", "(* 6 7)"]).output().expect("run seam");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "42\n");
    for (args, message) in [
        (&["--fuel", "lots", "-e", "1"][..], "--fuel expects a whole number"),
        (&["--memory-limit", "12X", "-e", "1"][..], "unknown unit \"X\""),
        (&["--time-limit", "-1", "-e", "1"][..], "--time-limit expects seconds"),
    ] {
        let out = seam().args(args).output().expect("run seam");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(message), "{args:?}");
    }
}

// Isolation findings (see crates/seam/tests/isolation.rs for F1–F7).

/// F8: the sandboxed CLI has no FFI: `(import (seam ffi))` fails naming the library, and its
/// primitives are not reachable by their mangled names either (libc's `remove` is never
/// called on the file).
#[test]
fn sandbox_has_no_ffi() {
    let out = seam().args(["--sandbox", "-e", "(import (seam ffi))"]).output().expect("run seam");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("(seam ffi)"), "{stderr}");
    let victim = temp_file("ffi-victim.txt", "keep me");
    let attack = format!(
        "(import (seam ffi)) ((foreign-procedure (load-shared-object #f) \"remove\" (string) int) {:?})",
        victim.display().to_string()
    );
    let mangled = format!(
        r"((|%foreign-procedure\x1f;(seam ffi primitives)| (|load-shared-object\x1f;(seam ffi primitives)| #f) {:?} '(string) 'int '()) {:?})",
        "remove",
        victim.display().to_string()
    );
    for source in [attack, mangled] {
        let out = seam().args(["--sandbox", "-e", &source]).output().expect("run seam");
        assert_eq!(out.status.code(), Some(1), "{source}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("ffi"), "{source}: {stderr}");
        assert_eq!(std::fs::read_to_string(&victim).expect("the FFI deleted the file"), "keep me");
    }
}

/// F9: an R7RS program (a file whose first form is `import`) sees only what it imports:
/// importing `(scheme write)` alone leaves `car` unbound; importing `(scheme base)` too
/// works. Scripts without `import`, `-e` and the REPL keep the full interaction
/// environment.
#[test]
fn a_program_sees_only_what_it_imports() {
    let path = temp_file("only-write.scm", "(import (scheme write))\n(display (car '(1 2)))\n");
    let out = seam().arg(&path).output().expect("run seam");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("car"), "{stderr}");
    let path = temp_file("only-write-2.scm", "(import (scheme write))\n(define x (cons 1 2))\n(display x)\n");
    let out = seam().arg(&path).output().expect("run seam");
    assert_eq!(out.status.code(), Some(1), "define and cons come from (scheme base)");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cons"));
    let path =
        temp_file("base-and-write.scm", "(import (scheme base) (scheme write))\n(display (car '(1 2)))\n");
    let out = seam().arg(&path).output().expect("run seam");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1");
    let path = temp_file("script.scm", "(display (car '(1 2)))\n");
    let out = seam().arg(&path).output().expect("run seam");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1");
    let out = seam().args(["-e", "(import (scheme write)) (car '(1 2))"]).output().expect("run seam");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    let out = repl(b"(import (scheme write))\n(car '(5 6))\n,q\n");
    assert!(String::from_utf8_lossy(&out.stdout).contains('5'), "{}", String::from_utf8_lossy(&out.stderr));
}
