//! Every capability's denial path, in a package and at a restricted top level, and what a
//! granted capability allows.

use seam::{Capability, Engine};

use crate::{error_of, run_with, scratch, write_package};

/// The message of running `program` in package `app` with `capabilities`.
fn denied(test: &str, capabilities: &[Capability], program: &str) -> String {
    let e = error_of(run_with(test, capabilities, program));
    assert_eq!(e.kind(), "syntax", "{e}");
    let text = e.to_string();
    // file:line:col of the offending form, then the message.
    let (location, message) = text.split_once(": ").unwrap();
    assert!(location.ends_with(".scm:2:1") || location.contains("main.scm:"), "{text}");
    message.to_string()
}

#[test]
fn fs_read_and_fs_write() {
    let file = scratch("fs").join("data.txt");
    std::fs::write(&file, "hello").unwrap();
    let read = format!(
        "(import (scheme base) (scheme file))\n(read-line (open-input-file {:?}))",
        file.display().to_string()
    );
    assert_eq!(
        denied("fs-read", &[Capability::FsWrite], &read),
        "open-input-file needs capability fs-read, which package app was not granted"
    );
    assert_eq!(run_with("fs-read-ok", &[Capability::FsRead], &read).unwrap(), "\"hello\"");
    // fs-read does not give fs-write: the write half of (scheme file) is denied by name.
    let write =
        format!("(import (scheme base) (scheme file))\n(delete-file {:?})", file.display().to_string());
    assert_eq!(
        denied("fs-write", &[Capability::FsRead], &write),
        "delete-file needs capability fs-write, which package app was not granted"
    );
    let out = format!(
        "(import (scheme base) (scheme file))\n(with-output-to-file {:?} (lambda () (write-string \"x\")))",
        file.display().to_string()
    );
    assert_eq!(
        denied("fs-write-2", &[Capability::FsRead], &out),
        "with-output-to-file needs capability fs-write, which package app was not granted"
    );
    run_with("fs-write-ok", &[Capability::FsWrite], &out).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    // Without either, importing (scheme file) at all fails.
    let e = error_of(run_with("fs-none", &[], "(import (scheme base) (scheme file))\n1"));
    assert!(
        e.to_string().ends_with("main.scm:1:23: import: (scheme file) needs capability fs-read, which package app was not granted"),
        "{e}"
    );
}

#[test]
fn process_env_and_time() {
    assert_eq!(
        denied("process", &[Capability::Env], "(import (scheme base) (scheme process-context))\n(exit 3)"),
        "exit needs capability process, which package app was not granted"
    );
    let e = error_of(run_with(
        "process-ok",
        &[Capability::Process],
        "(import (scheme base) (scheme process-context))\n(exit 3)",
    ));
    assert_eq!(e.exit_code(), Some(3));
    assert_eq!(
        denied(
            "env",
            &[Capability::Process],
            "(import (scheme base) (scheme process-context))\n(get-environment-variable \"HOME\")"
        ),
        "get-environment-variable needs capability env, which package app was not granted"
    );
    let home = run_with(
        "env-ok",
        &[Capability::Env],
        "(import (scheme base) (scheme process-context))\n(string? (get-environment-variable \"PATH\"))",
    );
    assert_eq!(home.unwrap(), "#t");
    let e = error_of(run_with("time", &[], "(import (scheme base) (scheme time))\n(current-second)"));
    assert!(
        e.to_string()
            .ends_with("import: (scheme time) needs capability time, which package app was not granted"),
        "{e}"
    );
    assert_eq!(
        run_with(
            "time-ok",
            &[Capability::Time],
            "(import (scheme base) (scheme time))\n(> (current-second) 0)"
        )
        .unwrap(),
        "#t"
    );
}

#[test]
fn eval_is_confined_to_the_packages_capabilities() {
    let e = error_of(run_with(
        "eval",
        &[],
        "(import (scheme base) (scheme eval))\n(eval 1 (environment '(scheme base)))",
    ));
    assert!(
        e.to_string()
            .ends_with("import: (scheme eval) needs capability eval, which package app was not granted"),
        "{e}"
    );
    let ok = "(import (scheme base) (scheme eval) (scheme repl))
              (list (eval '(+ 1 2) (environment '(scheme base)))
                    (begin (eval '(define y 5) (interaction-environment))
                           (eval '(* y 2) (interaction-environment))))";
    assert_eq!(run_with("eval-ok", &[Capability::Eval], ok).unwrap(), "(3 10)");
    // Environments the package makes import with its capabilities, not the host's.
    let escape = "(import (scheme base) (scheme eval))
                  (guard (e ((error-object? e) (error-object-message e)))
                    (eval '(open-input-file \"/etc/passwd\") (environment '(scheme file))))";
    assert_eq!(
        run_with("eval-escape", &[Capability::Eval], escape).unwrap(),
        "\"import: (scheme file) needs capability fs-read, which package app was not granted\""
    );
    let r5rs = "(import (scheme base) (scheme eval) (scheme r5rs))
                (guard (e ((error-object? e) (error-object-message e)))
                  (eval '(open-input-file \"/etc/passwd\") (scheme-report-environment 5)))";
    assert_eq!(
        run_with("eval-r5rs", &[Capability::Eval], r5rs).unwrap(),
        "\"open-input-file needs capability fs-read, which package app was not granted\""
    );
    // load needs fs-read as well as eval.
    let e = error_of(run_with(
        "load",
        &[Capability::Eval],
        "(import (scheme base) (scheme load))\n(load \"x.scm\")",
    ));
    assert!(
        e.to_string()
            .ends_with("import: (scheme load) needs capability fs-read, which package app was not granted"),
        "{e}"
    );
}

#[test]
fn load_in_a_package_uses_its_own_interaction_environment() {
    let dir = scratch("load");
    let root = write_package(
        &dir,
        "loader",
        "capabilities = [\"eval\", \"fs-read\"]\n",
        &[
            ("main.scm", "(import (scheme base) (scheme load) (scheme repl) (scheme eval))\n(load \"PART\")\n(eval 'loaded (interaction-environment))"),
            ("part.scm", "(define loaded 'yes)"),
        ],
    );
    let main = std::fs::read_to_string(root.join("main.scm")).unwrap();
    std::fs::write(root.join("main.scm"), main.replace("PART", &root.join("part.scm").display().to_string()))
        .unwrap();
    let mut engine = Engine::new();
    engine.grant("loader", [Capability::Eval, Capability::FsRead]);
    assert_eq!(engine.run_package::<seam::Symbol>(&root).unwrap().0, "yes");
    // It did not define `loaded` at the host's top level.
    assert!(engine.eval::<()>("loaded").is_err());
}

#[test]
fn ffi_needs_its_capability() {
    let mut engine = Engine::new();
    // SAFETY: nothing is loaded; the test checks that the import is refused.
    unsafe { engine.enable_ffi() };
    let dir = scratch("ffi");
    let root = write_package(&dir, "cffi", "", &[("main.scm", "(import (scheme base) (seam ffi))\n1")]);
    let e = error_of(engine.run_package::<i64>(&root));
    assert!(
        e.to_string().ends_with(
            "main.scm:1:23: import: (seam ffi) needs capability ffi, which package cffi was not granted"
        ),
        "{e}"
    );
}

#[test]
fn include_stays_inside_the_package_without_fs_read() {
    let dir = scratch("include");
    std::fs::write(dir.join("outside.scm"), "(define secret 1)").unwrap();
    let root = write_package(
        &dir,
        "inc",
        "",
        &[
            ("main.scm", "(import (scheme base) (inc lib))\n(value)"),
            (
                "inc/lib.sld",
                "(define-library (inc lib) (export value) (import (scheme base)) (include \"body.scm\"))",
            ),
            ("inc/body.scm", "(define (value) 7)"),
        ],
    );
    let mut engine = Engine::new();
    assert_eq!(engine.run_package::<i64>(&root).unwrap(), 7);
    let mut engine = Engine::new();
    std::fs::write(root.join("inc/body.scm"), "(include \"../../outside.scm\") (define (value) secret)")
        .unwrap();
    let e = error_of(engine.run_package::<i64>(&root));
    assert!(
        e.to_string().contains("include: ")
            && e.to_string().contains("is outside the directory of package inc"),
        "{e}"
    );
    assert!(
        e.to_string().ends_with("reading it needs capability fs-read, which package inc was not granted"),
        "{e}"
    );
}

#[test]
fn a_restricted_top_level_has_only_what_it_was_granted() {
    let mut engine = Engine::new();
    engine.set_top_level_capabilities([Capability::Time]);
    let e = error_of(engine.eval::<()>("(open-input-file \"/etc/passwd\")"));
    assert_eq!(
        e.to_string(),
        "<eval>:1:2: open-input-file needs capability fs-read, which the top level was not granted"
    );
    for (source, message) in [
        ("(exit 1)", "exit needs capability process, which the top level was not granted"),
        (
            "(get-environment-variables)",
            "get-environment-variables needs capability env, which the top level was not granted",
        ),
        (
            "(eval 1 (interaction-environment))",
            "eval needs capability eval, which the top level was not granted",
        ),
        ("(load \"x\")", "load needs capability eval, which the top level was not granted"),
        // Internals are not denied but unreachable: no library exports them.
        ("(%read-forms \"/etc/passwd\")", "unbound variable: %read-forms"),
        ("(%package-environment \"app\" '())", "unbound variable: %package-environment"),
        (
            "(import (scheme file))",
            "import: (scheme file) needs capability fs-read, which the top level was not granted",
        ),
        (
            "(include \"/etc/hostname\")",
            "include: reading files needs capability fs-read, which the top level was not granted",
        ),
    ] {
        let e = error_of(engine.eval::<()>(source));
        assert!(e.to_string().ends_with(message), "{source}: {e}");
    }
    // Granted ones work, and so does pure computation.
    assert!(engine.eval::<f64>("(current-second)").unwrap() > 0.0);
    assert_eq!(
        engine.eval::<i64>("(let loop ((i 0) (s 0)) (if (= i 10) s (loop (+ i 1) (+ s i))))").unwrap(),
        45
    );
    // Lifting the restriction restores them.
    engine.set_top_level_capabilities(Capability::ALL);
    assert!(engine.eval::<bool>("(file-exists? \"/\")").unwrap());
}
