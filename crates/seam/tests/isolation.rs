//! Regression tests for the sandbox escapes of the isolation review: authority must not be
//! decided by names. Each test names the finding it covers (F1 … F7 here; F8 and F9 are
//! in `crates/seam-cli/tests/cli.rs`). They describe the behaviour after the rebuild of
//! the expander and VM (namespaces as values, imports copying immutable bindings, a
//! sandboxed top level starting from an allow-list of pure libraries); many fail before it.
//!
//! Every test checks the *effect* (no file read, created or deleted; no flagged host
//! function called; the engine still works) and that an error naming the offending
//! identifier or library is returned. Messages are matched with `contains`, never in full.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use seam::{Capability, Engine, Error};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A fresh directory for one test.
fn scratch(test: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("isolation-{test}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

/// Writes package `name` under `dir`: a manifest with `manifest` after the `[package]`
/// name and version lines, and `files` (path, text).
fn write_package(dir: &Path, name: &str, manifest: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = dir.join(name);
    std::fs::create_dir_all(&root).unwrap();
    let text = format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n{manifest}");
    std::fs::write(root.join("seam.toml"), text).unwrap();
    for (path, text) in files {
        write_file(&root.join(path), text);
    }
    root
}

fn write_file(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A path as a Scheme string literal.
fn lit(path: &Path) -> String {
    format!("{:?}", path.display().to_string())
}

/// `name` as a Scheme identifier in `|...|`, escaping `|` and `\` (everything else,
/// control characters included, is written as is).
fn bar(name: &str) -> String {
    let mut out = String::from("|");
    for c in name.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('|');
    out
}

/// The error of evaluating `source`, which must fail.
fn failure(engine: &mut Engine, source: &str) -> Error {
    match engine.eval::<seam::Value>(source) {
        Ok(v) => panic!("expected an error from {source}, got {}", engine.write(&v)),
        Err(e) => e,
    }
}

/// `source` must fail with an error whose text names `name`.
fn fails_naming(engine: &mut Engine, source: &str, name: &str) -> Error {
    let e = failure(engine, source);
    assert!(e.to_string().contains(name), "the error of {source} does not name {name}: {e}");
    e
}

/// The engine still works after an attack failed.
fn still_usable(engine: &mut Engine) {
    assert_eq!(engine.eval::<i64>("(let () (define (sq x) (* x x)) (sq 12))").unwrap(), 144);
    assert_eq!(engine.eval::<i64>("(car '(1 2))").unwrap(), 1);
}

/// A flag and a host function setting it: a capability-bearing function the script must
/// never call.
fn flag() -> (Arc<AtomicBool>, impl Fn() -> i64 + Send + Sync + 'static) {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    (flag, move || {
        set.store(true, Ordering::SeqCst);
        7
    })
}

/// A file with secret contents, which no sandboxed script may read, change or delete.
struct Secret {
    path: PathBuf,
}

const SECRET: &str = "TOP-SECRET-c0ffee";

impl Secret {
    fn new(test: &str) -> Secret {
        let path = scratch(test).join("secret.txt");
        std::fs::write(&path, SECRET).unwrap();
        Secret { path }
    }

    fn lit(&self) -> String {
        lit(&self.path)
    }

    /// The file is still there, unchanged.
    fn intact(&self) {
        assert_eq!(
            std::fs::read_to_string(&self.path).expect("the secret file was deleted"),
            SECRET,
            "the secret file was changed"
        );
    }
}

/// The result of `source`, which must not reveal the secret: an error (naming `name`)
/// whose text does not hold the secret contents.
fn no_leak(engine: &mut Engine, source: &str, name: &str) {
    match engine.eval::<seam::Value>(source) {
        Ok(v) => {
            let shown = engine.write(&v);
            assert!(!shown.contains(SECRET), "{source} read the secret file: {shown}");
            panic!("expected an error from {source}, got {shown}");
        }
        Err(e) => {
            assert!(!e.to_string().contains(SECRET), "{source} read the secret file: {e}");
            assert!(e.to_string().contains(name), "the error of {source} does not name {name}: {e}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// F1: library-private, native-module, package-scoped and FFI globals reachable by
// spelling their mangled VM name (`NAME\x1f(lib)`, `f\x1f[native m]`, ...).
// ---------------------------------------------------------------------------------------

const SECRET_LIBRARY: &str = "(define-library (secret) (export get) (import (scheme base))
                                (begin (define key 42) (define (get) key)))";

/// F1: a user library's private `key` is not the top-level global `|key\x1f;(secret)|`,
/// neither to read, call, `set!` nor `define`.
#[test]
fn f1_library_private_global_is_not_reachable_by_its_mangled_name() {
    let mut engine = Engine::sandboxed();
    engine.eval::<()>(SECRET_LIBRARY).unwrap();
    for source in [r"|key\x1f;(secret)|", r"(list |key\x1f;(secret)|)", r"(|get\x1f;(secret)|)"] {
        fails_naming(&mut engine, source, "(secret)");
        still_usable(&mut engine);
    }
    // Writing it: set! of an unbound name is an error; a top-level define of the spelling
    // must not reach the library's variable.
    fails_naming(&mut engine, r"(set! |key\x1f;(secret)| 'pwned)", "(secret)");
    let _ = engine.eval::<()>(r"(define |key\x1f;(secret)| 'pwned)");
    assert_eq!(engine.eval_to_string("(import (secret)) (get)").unwrap(), "42");
    still_usable(&mut engine);
}

/// F1: the same mangled names built by a macro with `identifier-append`.
#[test]
fn f1_identifier_append_cannot_build_a_mangled_name() {
    let mut engine = Engine::sandboxed();
    engine.eval::<()>(SECRET_LIBRARY).unwrap();
    engine.eval::<()>("(import (seam syntax))").unwrap();
    // The identifier comes from the use site, the rest from strings.
    engine
        .eval::<()>(
            r#"(define-syntax spell (syntax-rules () ((_ k) (identifier-append k "\x1f;(secret)"))))"#,
        )
        .unwrap();
    fails_naming(&mut engine, "(spell key)", "key");
    // The identifier comes from the template itself.
    engine
        .eval::<()>(
            r#"(define-syntax steal (syntax-rules () ((_) (identifier-append key "\x1f;" "(secret)"))))"#,
        )
        .unwrap();
    fails_naming(&mut engine, "(steal)", "key");
    // Nor can it assign one.
    engine
        .eval::<()>(
            r#"(define-syntax clobber (syntax-rules () ((_ k) (set! (identifier-append k "\x1f;(secret)") 'pwned))))"#,
        )
        .unwrap();
    let _ = engine.eval::<()>("(clobber key)");
    assert_eq!(engine.eval_to_string("(import (secret)) (get)").unwrap(), "42");
    still_usable(&mut engine);
}

/// A sandboxed engine with native module `m` (function `f`, flagged) used by package
/// `holder` (granted `native`), loaded by the host.
fn engine_with_native(test: &str) -> (Engine, Arc<AtomicBool>) {
    let dir = scratch(test);
    let root = write_package(
        &dir,
        "holder",
        "capabilities = [\"native\"]\nlibraries = [\"(holder)\"]\n[native]\nmodules = [\"m\"]\n",
        &[(
            "holder.sld",
            "(define-library (holder) (export safe) (import (scheme base) (holder native))
               (begin (define (safe) (procedure? f))))",
        )],
    );
    let mut engine = Engine::sandboxed();
    let (flagged, f) = flag();
    engine.native_module("m", |m| {
        m.define_fn("f", f);
    });
    engine.grant("holder", [Capability::Native]);
    engine.load_package(&root).unwrap();
    (engine, flagged)
}

/// F1: a native module function is not the top-level global `|f\x1f;[native m]|`, nor one
/// that `identifier-append` builds.
#[test]
fn f1_native_module_function_is_not_reachable_by_its_mangled_name() {
    let (mut engine, flagged) = engine_with_native("native-mangled");
    fails_naming(&mut engine, r"(|f\x1f;[native m]|)", "[native m]");
    fails_naming(&mut engine, r"(procedure? |f\x1f;[native m]|)", "[native m]");
    fails_naming(&mut engine, r"(apply |f\x1f;[native m]| '())", "[native m]");
    engine.eval::<()>("(import (seam syntax))").unwrap();
    engine
        .eval::<()>(
            r#"(define-syntax nat (syntax-rules () ((_ k) ((identifier-append k "\x1f;[native m]")))))"#,
        )
        .unwrap();
    fails_naming(&mut engine, "(nat f)", "f");
    assert!(!flagged.load(Ordering::SeqCst), "the sandboxed script called the native function");
    // The package itself still has it.
    assert_eq!(engine.eval_to_string("(import (holder)) (safe)").unwrap(), "#t");
    assert!(!flagged.load(Ordering::SeqCst));
    still_usable(&mut engine);
}

/// F1: a package's own `load`/`environment` (made for a package granted `eval`) are not
/// reachable as `|load\x1f;[package p]|` from a sandboxed top level.
#[test]
fn f1_package_scoped_procedures_are_not_reachable_by_their_mangled_name() {
    let secret = Secret::new("package-scoped");
    let dir = scratch("package-scoped-pkg");
    let root = write_package(
        &dir,
        "p",
        "capabilities = [\"eval\", \"fs-read\"]\n",
        &[("p.sld", "(define-library (p) (export) (import (scheme base)) (begin))")],
    );
    let mut engine = Engine::sandboxed();
    // The top level may eval (so the attack reaches the mangled name), but not read files.
    engine.set_top_level_capabilities([Capability::Eval]);
    engine.grant("p", [Capability::Eval, Capability::FsRead]);
    engine.load_package(&root).unwrap();
    no_leak(&mut engine, &format!(r"(|load\x1f;[package p]| {})", secret.lit()), "[package p]");
    no_leak(
        &mut engine,
        &format!(
            r"(eval '(read-line (open-input-file {})) (|environment\x1f;[package p]| '(scheme base) '(scheme file)))",
            secret.lit()
        ),
        "environment",
    );
    no_leak(
        &mut engine,
        &format!(
            r"(|eval\x1f;[package p]| '(read-line (open-input-file {})) (|environment\x1f;[package p]| '(scheme base) '(scheme file)))",
            secret.lit()
        ),
        "[package p]",
    );
    secret.intact();
    still_usable(&mut engine);
}

/// F1: with the FFI enabled in the engine (as the CLI does) but not granted to the
/// sandboxed top level, its primitives are not reachable by their mangled names: calling
/// libc's `remove` on a file must not happen.
#[test]
fn f1_ffi_primitives_are_not_reachable_by_their_mangled_names() {
    let secret = Secret::new("ffi-mangled");
    let mut engine = Engine::sandboxed();
    // SAFETY: the test's own engine; the point is that the sandboxed script cannot use it.
    unsafe { engine.enable_ffi() };
    let procedure = r"|%foreign-procedure\x1f;(seam ffi primitives)|";
    let process = r"(|load-shared-object\x1f;(seam ffi primitives)| #f)";
    fails_naming(&mut engine, procedure, "%foreign-procedure");
    fails_naming(&mut engine, &format!("(procedure? {procedure})"), "%foreign-procedure");
    fails_naming(&mut engine, process, "load-shared-object");
    let attack = format!("(({procedure} {process} \"remove\" '(string) 'int '()) {})", secret.lit());
    fails_naming(&mut engine, &attack, "(seam ffi primitives)");
    // The documented spelling is refused too (it always was).
    fails_naming(&mut engine, "(import (seam ffi))", "(seam ffi)");
    secret.intact();
    still_usable(&mut engine);
}

// ---------------------------------------------------------------------------------------
// F2: a denied standard name restored by redefining it from itself.
// ---------------------------------------------------------------------------------------

/// F2: `(define open-input-file open-input-file)` and its variants (`begin`, a macro)
/// do not give a sandboxed script the denied procedure; likewise `eval`, `environment`
/// and `delete-file`.
#[test]
fn f2_redefining_a_denied_name_from_itself_does_not_restore_it() {
    let secret = Secret::new("restore");
    let read = format!("(read-line (open-input-file {}))", secret.lit());
    let restorers: &[&str] = &[
        "(define open-input-file open-input-file)",
        "(begin (define open-input-file open-input-file))",
        "(define-syntax restore (syntax-rules () ((_ n) (define n n)))) (restore open-input-file)",
        "(define-syntax restore-it (syntax-rules () ((_) (define open-input-file open-input-file)))) (restore-it)",
        "(define f open-input-file)",
    ];
    for restore in restorers {
        let mut engine = Engine::sandboxed();
        // The restoring form alone, then the read as its own evaluation ...
        let _ = engine.eval::<seam::Value>(restore);
        no_leak(&mut engine, &read, "open-input-file");
        no_leak(&mut engine, &format!("(read-line (f {}))", secret.lit()), "f");
        still_usable(&mut engine);
        // ... and both in one script.
        let mut engine = Engine::sandboxed();
        no_leak(&mut engine, &format!("{restore} {read}"), "open-input-file");
        still_usable(&mut engine);
    }
    // eval and environment.
    for restore in [
        "(define eval eval) (define environment environment)",
        "(begin (define eval eval) (define environment environment))",
        "(define-syntax restore (syntax-rules () ((_ n ...) (begin (define n n) ...)))) (restore eval environment)",
    ] {
        let mut engine = Engine::sandboxed();
        let _ = engine.eval::<seam::Value>(restore);
        no_leak(
            &mut engine,
            &format!("(eval '{read} (environment '(scheme base) '(scheme file)))"),
            "eval",
        );
        let mut engine = Engine::sandboxed();
        no_leak(
            &mut engine,
            &format!("{restore} (eval '{read} (environment '(scheme base) '(scheme file)))"),
            "eval",
        );
        still_usable(&mut engine);
    }
    // delete-file.
    for restore in [
        "(define delete-file delete-file)",
        "(begin (define delete-file delete-file))",
        "(define-syntax restore (syntax-rules () ((_ n) (define n n)))) (restore delete-file)",
    ] {
        let mut engine = Engine::sandboxed();
        let _ = engine.eval::<seam::Value>(restore);
        fails_naming(&mut engine, &format!("(delete-file {})", secret.lit()), "delete-file");
        let mut engine = Engine::sandboxed();
        fails_naming(&mut engine, &format!("{restore} (delete-file {})", secret.lit()), "delete-file");
        secret.intact();
        still_usable(&mut engine);
    }
    // The redefinition itself is where the denied name is used: an error naming it.
    let mut engine = Engine::sandboxed();
    fails_naming(&mut engine, "(define open-input-file open-input-file)", "open-input-file");
    fails_naming(&mut engine, "(define delete-file delete-file)", "delete-file");
    secret.intact();
}

// ---------------------------------------------------------------------------------------
// F3: shared, writable standard globals.
// ---------------------------------------------------------------------------------------

/// F3: assigning an imported standard binding is an error naming it, and the binding is
/// unchanged everywhere afterwards, including in code that does not inline it.
#[test]
fn f3_standard_bindings_cannot_be_assigned() {
    let mut engine = Engine::sandboxed();
    for (source, name) in [
        ("(set! car cdr)", "car"),
        ("(set! for-each (lambda args 'pwned))", "for-each"),
        ("(set! raise (lambda (e) 'pwned))", "raise"),
        ("(set! map (lambda args 'pwned))", "map"),
        ("(begin (set! car cdr) 1)", "car"),
        ("((lambda () (set! car cdr)))", "car"),
    ] {
        fails_naming(&mut engine, source, name);
    }
    assert_eq!(engine.eval::<i64>("(car '(1 2))").unwrap(), 1);
    assert_eq!(engine.eval_to_string("(map car '((1 2)))").unwrap(), "(1)");
    assert_eq!(engine.eval::<i64>("(apply car '((1 2)))").unwrap(), 1);
    assert_eq!(engine.eval::<i64>("(let ((f car)) (f '(1 2)))").unwrap(), 1);
    assert_eq!(
        engine.eval_to_string("(let ((n 0)) (for-each (lambda (x) (set! n (+ n x))) '(1 2 3)) n)").unwrap(),
        "6"
    );
    let raised = engine.eval_to_string("(guard (e (#t (list 'caught e))) (raise 'boom))").unwrap();
    assert_eq!(raised, "(caught boom)");
    // After (import (scheme base)) too.
    fails_naming(&mut engine, "(import (scheme base)) (set! car cdr)", "car");
    assert_eq!(engine.eval_to_string("(map car '((1 2)))").unwrap(), "(1)");
    // And a package loaded afterwards sees the real ones.
    let dir = scratch("assign-standard");
    let root = write_package(
        &dir,
        "later",
        "",
        &[("main.scm", "(import (scheme base)) (list (car '(1 2)) (map car '((3 4))) (apply car '((5 6))))")],
    );
    let v: seam::Value = engine.run_package(&root).unwrap();
    assert_eq!(engine.write(&v), "(1 (3) 5)");
}

/// F3: a top-level `(define for-each ...)` in the sandboxed top level shadows it only
/// there: a package granted fs-write whose code calls `for-each` and `delete-file` keeps
/// the real `for-each`, and the top level never captures `delete-file`.
#[test]
fn f3_top_level_redefinition_does_not_reach_package_code() {
    let dir = scratch("shadow");
    let root = write_package(
        &dir,
        "cleaner",
        "capabilities = [\"fs-write\"]\nlibraries = [\"(cleaner)\"]\n",
        &[(
            "cleaner.sld",
            "(define-library (cleaner) (export clean-all) (import (scheme base) (scheme file))
               (begin (define (clean-all files) (for-each delete-file files) 'cleaned)))",
        )],
    );
    let victim = scratch("shadow-victim").join("other.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let junk = scratch("shadow-junk").join("junk.txt");
    std::fs::write(&junk, "junk").unwrap();
    let mut engine = Engine::sandboxed();
    engine.grant("cleaner", [Capability::FsWrite]);
    engine.load_package(&root).unwrap();
    engine
        .eval::<()>("(define captured #f) (define (for-each f . lists) (set! captured f) 'shadowed)")
        .unwrap();
    // The shadow works at the top level ...
    assert_eq!(engine.eval_to_string("(for-each car '((1)))").unwrap(), "shadowed");
    engine.eval::<()>("(set! captured #f)").unwrap();
    // ... but not in the package, which deletes the file it was asked to with the real
    // for-each ...
    assert_eq!(
        engine.eval_to_string(&format!("(import (cleaner)) (clean-all (list {}))", lit(&junk))).unwrap(),
        "cleaned"
    );
    assert!(!junk.exists(), "the package's for-each was the top level's");
    // ... and the top level caught nothing.
    assert_eq!(engine.eval_to_string("captured").unwrap(), "#f");
    let _ = engine.eval::<seam::Value>(&format!("(if captured (captured {}))", lit(&victim)));
    assert!(victim.exists(), "the top level captured delete-file and used it");
    still_usable(&mut engine);
}

// ---------------------------------------------------------------------------------------
// F4: the top level redefining a standard library.
// ---------------------------------------------------------------------------------------

/// F4: `(define-library (scheme base) ...)` is an error naming the library; the real
/// `(scheme base)` stays, for the top level and for packages loaded later.
#[test]
fn f4_standard_libraries_cannot_be_redefined() {
    let mut engine = Engine::sandboxed();
    for source in [
        "(define-library (scheme base) (export car) (import (only (scheme base) define)) (begin (define (car x) 'fake)))",
        "(define-library (scheme write) (export display) (import (scheme base)) (begin (define (display x) 'fake)))",
        "(define-library (seam syntax) (export car) (import (scheme base)) (begin))",
    ] {
        let e = failure(&mut engine, source);
        let name = &source["(define-library ".len()..source.find(')').unwrap() + 1];
        assert!(e.to_string().contains(name), "the error of {source} does not name {name}: {e}");
    }
    assert_eq!(engine.eval_to_string("(import (scheme base)) (car '(1 2))").unwrap(), "1");
    assert_eq!(engine.eval_to_string("(import (only (scheme base) car)) (car '(1 2))").unwrap(), "1");
    let dir = scratch("redefine-standard");
    let root = write_package(&dir, "later", "", &[("main.scm", "(import (scheme base)) (car '(1 2))")]);
    assert_eq!(engine.run_package::<i64>(&root).unwrap(), 1);
    still_usable(&mut engine);
}

// ---------------------------------------------------------------------------------------
// F5: the top level importing a package library the manifest does not provide.
// ---------------------------------------------------------------------------------------

/// F5: package `vault` provides only `(vault public)`; the top level importing
/// `(vault private)` fails, and the private library's body (which calls the package's
/// flagged native function) does not run.
#[test]
fn f5_top_level_imports_only_provided_package_libraries() {
    let dir = scratch("unprovided");
    let root = write_package(
        &dir,
        "vault",
        "capabilities = [\"native\"]\nlibraries = [\"(vault public)\"]\n[native]\nmodules = [\"vaultmod\"]\n",
        &[
            (
                "vault/public.sld",
                "(define-library (vault public) (export hello) (import (scheme base)) (begin (define (hello) 'hi)))",
            ),
            (
                "vault/private.sld",
                "(define-library (vault private) (export secret open-vault) (import (scheme base) (vault native))
                   (begin (define secret (vault.flag)) (define (open-vault) (vault.flag))))",
            ),
        ],
    );
    let mut engine = Engine::sandboxed();
    let (flagged, f) = flag();
    engine.native_module("vaultmod", |m| {
        m.define_fn("vault.flag", f);
    });
    engine.grant("vault", [Capability::Native]);
    engine.load_package(&root).unwrap();
    fails_naming(&mut engine, "(import (vault private))", "(vault private)");
    assert!(!flagged.load(Ordering::SeqCst), "the unprovided library's body ran");
    fails_naming(&mut engine, "(import (vault private)) (open-vault)", "(vault private)");
    fails_naming(&mut engine, "secret", "secret");
    fails_naming(&mut engine, "(open-vault)", "open-vault");
    assert!(!flagged.load(Ordering::SeqCst), "the top level called the package's native function");
    // The provided library is fine.
    assert_eq!(engine.eval_to_string("(import (vault public)) (hello)").unwrap(), "hi");
    assert!(!flagged.load(Ordering::SeqCst));
    still_usable(&mut engine);
}

// ---------------------------------------------------------------------------------------
// F6: library names that are paths; a package claiming another's name.
// ---------------------------------------------------------------------------------------

/// F6: library name components with `/`, `..`, empty or absolute are errors naming the
/// bad name, even when a file of that path exists relative to the search path; the
/// library there is not loaded (its body would fail with "evil body ran").
#[test]
fn f6_library_names_cannot_be_paths() {
    let root = scratch("path-names");
    let search = root.join("lib");
    std::fs::create_dir_all(search.join("sub")).unwrap();
    // Each file defines the library under the very name used to reach it, so only the
    // name check can refuse it.
    let evil = |name: &str| {
        format!(
            "(define-library {name} (export x) (import (scheme base)) (begin (define x 'evil) (error \"evil body ran\")))"
        )
    };
    let absolute = format!("{}/sub/../../evil", search.display());
    let cases: Vec<(String, PathBuf, &str)> = vec![
        // (name as written, file it would resolve to, what the error must name)
        (format!("({} x)", bar(&absolute)), root.join("evil/x.sld"), "evil"),
        ("(|../fake| lib)".to_string(), root.join("fake/lib.sld"), "../fake"),
        ("(|..| x)".to_string(), root.join("x.sld"), ".."),
        ("(|| y)".to_string(), search.join("y.sld"), "||"),
        ("(sub |..| z)".to_string(), search.join("z.sld"), ".."),
        ("(|sub/w|)".to_string(), search.join("sub/w.sld"), "sub/w"),
        (format!("({})", bar(&format!("{}/abs", root.display()))), root.join("abs.sld"), "abs"),
    ];
    for (name, file, _) in &cases {
        write_file(file, &evil(name));
    }
    for (name, file, names) in &cases {
        assert!(file.is_file());
        let mut engine = Engine::sandboxed();
        engine.add_library_path(&search);
        let e = failure(&mut engine, &format!("(import {name}) x"));
        let text = e.to_string();
        assert!(!text.contains("evil body ran"), "(import {name}) loaded {}: {text}", file.display());
        assert!(text.contains(names), "the error of (import {name}) does not name {names}: {text}");
        fails_naming(&mut engine, "x", "x");
        still_usable(&mut engine);
    }
}

/// F6: a package whose manifest claims the name of a package already loaded does not
/// take over that package's libraries, and neither does a package shipping files at the
/// paths of another package's libraries.
#[test]
fn f6_a_package_cannot_take_over_another_packages_libraries() {
    let dir = scratch("takeover");
    let real = write_package(
        &dir,
        "cleaner",
        "libraries = [\"(cleaner)\"]\n",
        &[(
            "cleaner.sld",
            "(define-library (cleaner) (export who) (import (scheme base)) (begin (define (who) 'real)))",
        )],
    );
    let impostor_dir = scratch("takeover-impostor");
    let impostor = write_package(
        &impostor_dir,
        "cleaner",
        "libraries = [\"(cleaner)\"]\n",
        &[(
            "cleaner.sld",
            "(define-library (cleaner) (export who) (import (scheme base)) (begin (define (who) 'impostor)))",
        )],
    );
    // Another name, but shipping cleaner.sld and cleaner/extra.sld.
    let squatter = write_package(
        &dir,
        "squatter",
        "libraries = [\"(squatter)\"]\n",
        &[
            ("squatter.sld", "(define-library (squatter) (export s) (import (scheme base)) (begin (define s 1)))"),
            ("cleaner.sld", "(define-library (cleaner) (export who) (import (scheme base)) (begin (define (who) 'squatter)))"),
            (
                "cleaner/extra.sld",
                "(define-library (cleaner extra) (export who2) (import (scheme base)) (begin (define (who2) 'squatter)))",
            ),
        ],
    );
    let mut engine = Engine::sandboxed();
    engine.load_package(&squatter).unwrap();
    engine.load_package(&real).unwrap();
    let e = engine.load_package(&impostor).expect_err("a second package named cleaner loaded");
    assert!(e.to_string().contains("cleaner"), "{e}");
    assert_eq!(engine.eval_to_string("(import (cleaner)) (who)").unwrap(), "real");
    // (cleaner extra) is not cleaner's: it comes from no package that may provide it.
    let e = failure(&mut engine, "(import (cleaner extra)) (who2)");
    assert!(e.to_string().contains("(cleaner extra)"), "{e}");
    // A package depending on cleaner gets the real one too.
    let user = write_package(
        &dir,
        "user",
        "[dependencies]\ncleaner = { path = \"../cleaner\" }\n",
        &[("main.scm", "(import (scheme base) (cleaner)) (who)")],
    );
    assert_eq!(engine.run_package::<seam::Value>(&user).map(|v| engine.write(&v)).unwrap(), "real");
    still_usable(&mut engine);
}

// ---------------------------------------------------------------------------------------
// F7: Seam's internal `%` procedures at a sandboxed top level.
// ---------------------------------------------------------------------------------------

const INTERNALS: &[&str] = &[
    "%exit",
    "%command-line",
    "%environment",
    "%make-error",
    "%handlers",
    "%winders",
    "%read-forms",
    "%abort",
    "%call/cc",
];

/// F7: the internal names are unbound for sandboxed top-level code, with or without
/// `(import (scheme base))` first; `(%exit 3)` does not exit.
#[test]
fn f7_internal_procedures_are_unbound_in_the_sandbox() {
    for prelude in ["", "(import (scheme base))"] {
        let mut engine = Engine::sandboxed();
        if !prelude.is_empty() {
            engine.eval::<()>(prelude).unwrap();
        }
        for name in INTERNALS {
            fails_naming(&mut engine, name, name);
            fails_naming(&mut engine, &format!("({name})"), name);
            fails_naming(&mut engine, &format!("(set! {name} #f)"), name);
        }
        let e = failure(&mut engine, "(%exit 3)");
        assert_eq!(e.exit_code(), None, "the sandbox exited through %exit: {e}");
        let secret = Secret::new("internals");
        no_leak(&mut engine, &format!("(%read-forms {})", secret.lit()), "%read-forms");
        // Clobbering the handler stack must not be possible either (today the handler
        // installed this way outlives the evaluation and handles the next one's errors).
        let _ = engine.eval::<seam::Value>("(set! %handlers (list (lambda (e) 'swallowed)))");
        let e = failure(&mut engine, "(car 5)");
        assert!(e.to_string().contains("car: argument 1"), "{e}");
        assert!(!e.to_string().contains("handler returned"), "a handler from an earlier evaluation ran: {e}");
        still_usable(&mut engine);
    }
}

/// F7: a script cannot forge a limit error: raising what `%make-error` makes with kind
/// `memory-limit` does not make the host see kind `memory-limit`.
#[test]
fn f7_scripts_cannot_forge_a_limit_error() {
    for prelude in ["", "(import (scheme base)) "] {
        let mut engine = Engine::sandboxed();
        engine.set_memory_limit(Some(64 << 20));
        for kind in ["memory-limit", "fuel-exhausted", "deadline", "interrupted", "depth-limit"] {
            let e = failure(&mut engine, &format!("{prelude}(raise (%make-error '{kind} \"x\" '()))"));
            assert_ne!(e.kind(), kind, "forged a {kind} error: {e}");
            assert!(e.to_string().contains("%make-error"), "{e}");
        }
        // Errors the script may raise keep their ordinary kinds.
        let e = failure(&mut engine, "(error \"plain\" 1)");
        assert!(!matches!(e.kind(), "memory-limit" | "fuel-exhausted" | "deadline"), "{}", e.kind());
        still_usable(&mut engine);
    }
}

// ---------------------------------------------------------------------------------------
// Property: no identifier, however spelled, reaches a library's private variable or a
// native function.
// ---------------------------------------------------------------------------------------

mod property {
    use super::*;
    use proptest::prelude::*;

    /// Parts the attacker would try: real private names, namespaces and separators.
    fn pieces() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("secret".to_string()),
            Just("f".to_string()),
            Just("\u{1f}".to_string()),
            Just("(p)".to_string()),
            Just("[native m]".to_string()),
            Just("[package holder]".to_string()),
            Just("(seam ffi primitives)".to_string()),
            Just("%foreign-procedure".to_string()),
            Just("|".to_string()),
            Just("\\".to_string()),
            "[\\x00-\\x20()\\[\\]|\\\\]{0,3}",
            any::<char>().prop_map(|c| c.to_string()),
        ]
    }

    fn identifier() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::collection::vec(pieces(), 1..6).prop_map(|v| v.concat()),
            prop::collection::vec(any::<char>(), 1..12).prop_map(|v| v.into_iter().collect()),
            // The exact mangled names, with a little noise.
            "(secret|f)\u{1f}(\\(p\\)|\\[native m\\])".prop_map(|s| s),
        ]
    }

    /// A sandboxed engine with library `(p)` (private `secret`) defined and native
    /// function `f` of module `m` (flagged) registered for package `holder`.
    fn setup() -> (Engine, Arc<AtomicBool>) {
        let (mut engine, flagged) = engine_with_native("property");
        engine
            .eval::<()>(
                "(define-library (p) (export) (import (scheme base)) (begin (define secret \"s3cr3t-value\")))",
            )
            .unwrap();
        (engine, flagged)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// F1 (property): a reference to, or call of, any `|...|` identifier never yields
        /// the library's secret nor calls the native function.
        #[test]
        fn f1_no_identifier_reaches_private_globals(name in identifier()) {
            let (mut engine, flagged) = setup();
            let id = bar(&name);
            for source in [id.clone(), format!("({id})"), format!("(list {id})")] {
                if let Ok(v) = engine.eval::<seam::Value>(&source) {
                    let shown = engine.write(&v);
                    prop_assert!(!shown.contains("s3cr3t-value"), "{source:?} gave the secret: {shown}");
                }
                prop_assert!(!flagged.load(Ordering::SeqCst), "{source:?} called the native function");
            }
            prop_assert_eq!(engine.eval::<i64>("(car '(1 2))").unwrap(), 1);
        }
    }
}

/// The complete list of what a sandboxed script reaches without an `import`, checked
/// against a reviewed golden file, so a new builtin is never reachable by accident
/// (`UPDATE_GOLDEN=1` rewrites it; review the diff).
#[test]
fn the_sandboxed_top_level_is_exactly_the_reviewed_list() {
    let names = Engine::sandboxed().top_level_names().join("\n") + "\n";
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/sandbox-top-level.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &names).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        names == expected,
        "the sandboxed top level differs from {} (UPDATE_GOLDEN=1 rewrites it):\n{}",
        golden.display(),
        diff_lines(&expected, &names)
    );
}

fn diff_lines(expected: &str, actual: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let removed = old.iter().filter(|l| !new.contains(l)).map(|l| format!("- {l}"));
    let added = new.iter().filter(|l| !old.contains(l)).map(|l| format!("+ {l}"));
    removed.chain(added).collect::<Vec<_>>().join("\n")
}

/// F6: a package's identity comes from where it was found. A dependency directory whose
/// manifest claims the name of a package the host granted (`trusted`) is refused before it
/// is registered under that name, so it never gets `trusted`'s grants, and a package found
/// on the search path must be the one its directory names.
#[test]
fn f6_a_look_alike_package_never_gets_another_packages_grants() {
    let secret = Secret::new("look-alike");
    let dir = scratch("look-alike");
    // The look-alike sits in directory `helper` but claims to be `trusted`.
    let look_alike = dir.join("helper");
    write_file(
        &look_alike.join("seam.toml"),
        "[package]\nname = \"trusted\"\nversion = \"0.1.0\"\ncapabilities = [\"fs-write\"]\n",
    );
    write_file(
        &look_alike.join("trusted.sld"),
        &format!(
            "(define-library (trusted) (export wipe) (import (scheme base) (scheme file))
               (begin (define (wipe) (delete-file {}))))",
            secret.lit()
        ),
    );
    let app = write_package(&dir, "app", "[dependencies]\nhelper = { path = \"../helper\" }\n", &[]);
    let mut engine = Engine::sandboxed();
    engine.grant("trusted", [Capability::FsWrite]);
    let e = engine.load_package(&app).unwrap_err();
    assert!(e.to_string().contains("holds package trusted, not helper"), "{e}");
    // Nothing answers for (trusted) now.
    let e = engine.eval::<()>("(import (trusted)) (wipe)").unwrap_err();
    assert!(e.to_string().contains("(trusted)"), "{e}");
    secret.intact();
    // The same through the package search path: importing (helper) finds directory
    // `helper`, whose manifest claims another name.
    let mut engine = Engine::sandboxed();
    engine.grant("trusted", [Capability::FsWrite]);
    engine.add_package_path(&dir);
    let e = engine.eval::<()>("(import (helper))").unwrap_err();
    assert!(e.to_string().contains("holds package trusted, not helper"), "{e}");
    let e = engine.eval::<()>("(import (trusted)) (wipe)").unwrap_err();
    assert!(e.to_string().contains("(trusted)"), "{e}");
    secret.intact();
    still_usable(&mut engine);
}

/// F6: a library's owner is decided by where `import` found its file, not by the file name
/// of whatever code defines it: a top level that may `load` (but not write files) loading a
/// file that lies in the directory of a package granted `fs-write` defines its libraries
/// with its own capabilities, not the package's.
#[test]
fn f6_loading_a_file_from_a_package_directory_does_not_borrow_its_grants() {
    let secret = Secret::new("load-borrow");
    let dir = scratch("load-borrow");
    let root = write_package(&dir, "keeper", "capabilities = [\"fs-write\"]\n", &[]);
    let evil = root.join("evil.scm");
    write_file(
        &evil,
        "(define-library (evil) (export wipe) (import (scheme base) (scheme file))
           (begin (define (wipe f) (delete-file f))))",
    );
    let mut engine = Engine::sandboxed();
    engine.set_top_level_capabilities([Capability::Eval, Capability::FsRead]);
    engine.grant("keeper", [Capability::FsWrite]);
    engine.load_package(&root).unwrap();
    let source = format!("(load {}) (import (evil)) (wipe {})", lit(&evil), secret.lit());
    let e = engine.eval::<()>(&source).unwrap_err();
    assert!(e.to_string().contains("delete-file needs capability fs-write"), "{e}");
    secret.intact();
    still_usable(&mut engine);
}
