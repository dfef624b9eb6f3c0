//! Plugins: the Rust plugin `examples/plugins/counter` (built with cargo on first use) and
//! the C plugin `cplugin.c` (compiled with the system C compiler several ways), loaded
//! through `Engine::native_plugin` and through manifests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use seam::{Capability, Engine};

use super::{error_of, examples, scratch, write_package};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn build_failure(what: &str, output: &std::process::Output) -> String {
    format!("{what} failed ({}):\n{}", output.status, String::from_utf8_lossy(&output.stderr))
}

/// `examples/plugins/counter` built as a shared library (once per test process).
fn counter_plugin() -> &'static Path {
    static PLUGIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = PLUGIN.get_or_init(|| {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plugin-build");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let output = Command::new(&cargo)
            .args(["build", "--quiet", "-p", "seam-counter-plugin", "--manifest-path"])
            .arg(repo_root().join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            .output()
            .map_err(|e| format!("cannot run {cargo}: {e}"))?;
        if !output.status.success() {
            return Err(build_failure("cargo build -p seam-counter-plugin", &output));
        }
        Ok(target.join("debug").join(libloading_name("counter")))
    });
    match built {
        Ok(path) => path,
        Err(message) => panic!("{message}"),
    }
}

/// `cplugin.c` compiled with `defines` into `lib{name}.so` (once per name and process).
fn c_plugin(name: &str, defines: &[&str]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("c-plugins-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let output_path = dir.join(libloading_name(name));
    if output_path.exists() {
        return output_path;
    }
    let partial = dir.join(format!("{name}.partial"));
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let output = Command::new(&compiler)
        .args(["-shared", "-fPIC", "-O2", "-Wall", "-I"])
        .arg(repo_root().join("crates/seam-plugin/include"))
        .args(defines)
        .arg("-o")
        .arg(&partial)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packages/cplugin.c"))
        .arg("-lm")
        .output()
        .unwrap_or_else(|e| panic!("cannot run the C compiler `{compiler}` ({e}): install gcc, or set CC"));
    assert!(output.status.success(), "{}", build_failure(&compiler, &output));
    std::fs::rename(&partial, &output_path).unwrap();
    output_path
}

fn libloading_name(name: &str) -> String {
    format!("{}{name}{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX)
}

/// A package `cm` using native module `cmath`, whose library `(cm)` re-exports some of
/// its functions for the top level; `main` is its main program.
fn cmath_package(test: &str, main: &str) -> PathBuf {
    write_package(
        &scratch(test),
        "cm",
        "capabilities = [\"native\"]\nlibraries = [\"(cm)\"]\n[native]\nmodules = [\"cmath\"]\n",
        &[
            (
                "cm.sld",
                "(define-library (cm) (export points-freed point point-x other?)
                   (import (scheme base) (cm native))
                   (begin (define points-freed cmath.points-freed) (define point cmath.point)
                          (define point-x cmath.point-x) (define other? cmath.other?)))",
            ),
            ("main.scm", main),
        ],
    )
}

fn cmath_engine() -> Engine {
    let mut engine = Engine::new();
    engine.native_plugin("cmath", c_plugin("cmath", &[])).unwrap();
    engine.grant("cm", [Capability::Native]);
    engine
}

#[test]
fn the_counter_example_runs_with_the_rust_plugin() {
    let mut engine = Engine::new();
    engine.native_plugin("counter", counter_plugin()).unwrap();
    engine.grant("counter", [Capability::Native]);
    let misses: i64 = engine.run_package(examples().join("counter")).unwrap();
    assert_eq!(misses, 42);
}

#[test]
fn a_manifest_names_its_plugin_relative_to_the_package() {
    let root = write_package(
        &scratch("manifest-plugin"),
        "tally",
        "capabilities = [\"native\"]\n[native]\nmodules = [\"counter\"]\nplugins = { counter = \"plugins/counter\" }\n",
        &[(
            "main.scm",
            "(import (scheme base) (tally native))
             (define c (counter.new 9))
             (counter.next c)
             (list (counter.value c)
                   (guard (e (#t (error-object-message e))) (counter.next \"nine\"))
                   (guard (e (#t (error-object-message e))) (counter.new 1 2)))",
        )],
    );
    std::fs::create_dir_all(root.join("plugins")).unwrap();
    std::fs::copy(counter_plugin(), root.join("plugins").join(libloading_name("counter"))).unwrap();
    let mut engine = Engine::new();
    engine.grant("tally", [Capability::Native]);
    let (value, wrong_type, arity): (i64, String, String) = engine.run_package(&root).unwrap();
    assert_eq!(value, 10);
    assert_eq!(wrong_type, "counter.next: expected a counter, got a string");
    assert!(arity.contains("counter.new"), "{arity}");
}

#[test]
fn a_c_plugin_exchanges_numbers_strings_bytevectors_and_objects() {
    let root = cmath_package(
        "c-values",
        "(import (scheme base) (cm native))
         (list (cmath.hypot 3 4.0)
               (cmath.greet \"Ada\") (cmath.greet \"Ada\" #t) (cmath.greet \"λx\")
               (cmath.sum) (cmath.sum 1 2 #u8(3 4) -10) (cmath.sum (expt 2 60) 1)
               (cmath.reverse-bytes #u8(1 2 3))
               (cmath.point-x (cmath.point 1.5 2))
               (cmath.other? '(1 2)) (cmath.other? (cmath.point 0 0)))",
    );
    let mut engine = cmath_engine();
    let result: seam::Value = engine.run_package(&root).unwrap();
    assert_eq!(
        engine.write(&result),
        "(5.0 \"hello, Ada\" \"hello, Ada!\" \"hello, λx\" 0 0 1152921504606846977 #u8(3 2 1) 1.5 #t #f)"
    );
}

#[test]
fn plugin_errors_are_scheme_errors_and_the_engine_stays_usable() {
    let root = cmath_package(
        "c-errors",
        "(import (scheme base) (cm native))
         (define (message thunk) (guard (e ((error-object? e) (error-object-message e))) (thunk)))
         (list (message (lambda () (cmath.hypot \"3\" 4)))
               (message (lambda () (cmath.point-x 7)))
               (message (lambda () (cmath.bad-string)))
               (message (lambda () (cmath.hypot 1))))",
    );
    let mut engine = cmath_engine();
    let messages: Vec<String> = engine.run_package(&root).unwrap();
    assert_eq!(messages[0], "cmath.hypot: expected two numbers");
    assert_eq!(messages[1], "cmath.point-x: expected a point");
    assert_eq!(messages[2], "cmath.bad-string: the plugin gave a string that is not UTF-8");
    assert!(messages[3].contains("cmath.hypot"), "{}", messages[3]);
    let kind = engine
        .eval::<String>("(import (cm)) (guard (e (#t (symbol->string (error-object-kind e)))) (point-x 1))");
    assert_eq!(kind.unwrap(), "host");
    assert_eq!(engine.eval::<i64>("(+ 1 2)").unwrap(), 3);
}

#[test]
fn objects_are_freed_by_the_plugin_when_collected() {
    let root = cmath_package(
        "c-free",
        "(import (scheme base) (cm native))
         (do ((i 0 (+ i 1))) ((= i 1000)) (cmath.point i i))
         (cmath.nothing)",
    );
    let mut engine = cmath_engine();
    engine.load_package(&root).unwrap();
    let before: i64 = engine.eval("(import (cm)) (points-freed)").unwrap();
    let kept: seam::Value = engine.eval("(point 1 2)").unwrap();
    engine.run_package::<seam::Value>(&root).unwrap();
    engine.collect_garbage();
    let freed: i64 = engine.eval("(points-freed)").unwrap();
    assert!(freed - before >= 1000, "freed {} of 1000 dropped points", freed - before);
    engine.set("kept", kept).unwrap();
    assert_eq!(engine.eval::<f64>("(point-x kept)").unwrap(), 1.0);
    drop(engine);
}

#[test]
fn another_plugins_object_is_not_this_plugins() {
    let mut engine = cmath_engine();
    engine.native_plugin("counter", counter_plugin()).unwrap();
    let root = write_package(
        &scratch("cross"),
        "cross",
        "capabilities = [\"native\"]\n[native]\nmodules = [\"cmath\", \"counter\"]\n",
        &[(
            "main.scm",
            "(import (scheme base) (cross native))
             (list (cmath.other? (counter.new)) (cmath.other? (cmath.point 0 0))
                   (guard (e (#t (error-object-message e))) (counter.value (cmath.point 0 0))))",
        )],
    );
    engine.grant("cross", [Capability::Native]);
    let (other, own, message): (bool, bool, String) = engine.run_package(&root).unwrap();
    assert!(other && !own);
    assert_eq!(message, "counter.value: expected a counter, got another kind of value");
}

#[test]
fn a_plugin_for_another_abi_version_is_refused_before_init() {
    let plugin = c_plugin("abi2", &["-DABI=2"]);
    let mut engine = Engine::new();
    let e = error_of(engine.native_plugin("cmath", &plugin));
    assert_eq!(e.kind(), "package");
    assert_eq!(
        e.to_string(),
        format!("plugin {} was built for Seam plugin ABI 2; this Seam supports ABI 1", plugin.display())
    );
    // Through a manifest, loading the package fails the same way.
    let root = write_package(
        &scratch("abi2"),
        "old",
        "capabilities = [\"native\"]\n[native]\nmodules = [\"cmath\"]\nplugins = { cmath = \"plugins/abi2\" }\n",
        &[("main.scm", "1")],
    );
    std::fs::create_dir_all(root.join("plugins")).unwrap();
    std::fs::copy(&plugin, root.join("plugins").join(libloading_name("abi2"))).unwrap();
    engine.grant("old", [Capability::Native]);
    let e = error_of(engine.run_package::<i64>(&root));
    assert!(e.to_string().contains("was built for Seam plugin ABI 2; this Seam supports ABI 1"), "{e}");
    assert_eq!(engine.eval::<i64>("(* 6 7)").unwrap(), 42);
}

#[test]
fn libraries_that_are_not_plugins_and_failed_inits_are_errors() {
    let mut engine = Engine::new();
    let not_plugin = c_plugin("notplugin", &["-DNOT_A_PLUGIN"]);
    let e = error_of(engine.native_plugin("m", &not_plugin));
    assert_eq!(
        e.to_string(),
        format!("{} is not a Seam plugin: it does not export seam_module_abi_version", not_plugin.display())
    );

    let failing = c_plugin("failinit", &["-DFAIL_INIT"]);
    let e = error_of(engine.native_plugin("m", &failing));
    assert_eq!(
        e.to_string(),
        format!("plugin {} failed to initialise: no licence for cmath", failing.display())
    );

    let bad_arity = c_plugin("badarity", &["-DBAD_ARITY"]);
    let e = error_of(engine.native_plugin("m", &bad_arity));
    assert!(
        e.to_string().ends_with("failed to initialise: function cmath.bad: bad argument counts 3..1"),
        "{e}"
    );

    let junk = scratch("junk").join(libloading_name("junk"));
    std::fs::write(&junk, "not a shared library").unwrap();
    let e = error_of(engine.native_plugin("m", &junk));
    assert!(e.to_string().starts_with(&format!("cannot load plugin {}: ", junk.display())), "{e}");

    let missing = scratch("missing").join(libloading_name("absent"));
    let e = error_of(engine.native_plugin("m", &missing));
    assert_eq!(e.to_string(), format!("cannot load plugin {}: no such file", missing.display()));
    assert_eq!(engine.eval::<i64>("(+ 40 2)").unwrap(), 42);
}

#[test]
fn a_plugin_module_is_private_to_the_packages_naming_it() {
    let mut engine = cmath_engine();
    let root = write_package(
        &scratch("private-plugin"),
        "thief",
        "capabilities = [\"native\"]\n",
        &[("main.scm", "(import (scheme base) (cm native)) (cmath.hypot 3 4)")],
    );
    engine.load_package(cmath_package("private-owner", "1")).unwrap();
    engine.grant("thief", [Capability::Native]);
    let e = error_of(engine.run_package::<f64>(&root));
    assert!(e.to_string().contains("package thief cannot import (cm native)"), "{e}");
}
