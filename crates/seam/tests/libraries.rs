//! Libraries from the host's side: every standard library binds exactly its R7RS names,
//! the library search path (`Engine::add_library_path`), and the errors for libraries that
//! are missing, malformed, or in a cycle.

use std::path::{Path, PathBuf};

use seam::Engine;

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("seam-libraries-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("create dirs");
        std::fs::write(path, text).expect("write file");
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn every_standard_library_name_is_bound() {
    let mut engine = Engine::new();
    let mut missing = Vec::new();
    for (library, names) in seam_expand::STANDARD_LIBRARIES {
        for name in names.iter().filter(|n| !seam_expand::is_syntax_keyword(n)) {
            let probe = format!("(procedure? (eval '{name} (environment '(scheme {library}))))");
            match engine.eval_to_string(&probe) {
                Ok(v) if v == "#t" => {}
                Ok(v) => missing.push(format!("(scheme {library}) {name}: not a procedure ({v})")),
                Err(e) => missing.push(format!("(scheme {library}) {name}: {e}")),
            }
        }
    }
    assert!(missing.is_empty(), "standard library names without a procedure:\n{}", missing.join("\n"));
}

#[test]
fn standard_library_syntax_keywords_work_in_their_library() {
    let mut engine = Engine::new();
    let value = engine
        .eval_to_string(
            "(eval '(let-values (((a b) (values 1 2))) (when #t (list a b))) (environment '(scheme base)))",
        )
        .unwrap();
    assert_eq!(value, "(1 2)");
    let value = engine
        .eval_to_string("(eval '(force (delay (+ 1 2))) (environment '(scheme base) '(scheme lazy)))")
        .unwrap();
    assert_eq!(value, "3");
}

#[test]
fn libraries_load_from_the_search_path_once() {
    let dir = TempDir::new("search");
    dir.write(
        "shapes/area.sld",
        "(define-library (shapes area)
           (export square-area loads)
           (import (scheme base) (shapes util))
           (begin (define loads 0) (set! loads (+ loads 1))
                  (define (square-area s) (sq s))))",
    );
    dir.write(
        "shapes/util.scm",
        "(define-library (shapes util) (export sq) (import (scheme base)) (begin (define (sq x) (* x x))))",
    );
    let mut engine = Engine::new();
    engine.add_library_path(dir.path());
    assert_eq!(engine.eval_to_string("(import (shapes area)) (square-area 7)").unwrap(), "49");
    assert_eq!(
        engine.eval_to_string("(import (shapes area)) (import (only (shapes area) loads)) loads").unwrap(),
        "1"
    );
    // The second directory is searched after the first.
    let other = TempDir::new("second");
    other.write(
        "late/lib.sld",
        "(define-library (late lib) (export v) (import (scheme base)) (begin (define v 'late)))",
    );
    engine.add_library_path(other.path());
    assert_eq!(engine.eval_to_string("(import (late lib)) v").unwrap(), "late");
}

#[test]
fn library_errors_name_the_library_and_the_place() {
    let dir = TempDir::new("errors");
    dir.write("broken/read.sld", "(define-library (broken read)\n  (export x)\n  (begin (define x (+ 1 2)))");
    dir.write(
        "broken/wrong.sld",
        "(define-library (broken other) (export x) (import (scheme base)) (begin (define x 1)))",
    );
    dir.write("broken/cycle1.sld", "(define-library (broken cycle1) (import (broken cycle2)))");
    dir.write("broken/cycle2.sld", "(define-library (broken cycle2) (import (broken cycle1)))");
    dir.write(
        "broken/runtime.sld",
        "(define-library (broken runtime) (export y) (import (scheme base)) (begin (define y (car '()))))",
    );
    let mut engine = Engine::new();
    engine.add_library_path(dir.path());
    let error = |engine: &mut Engine, src: &str| engine.eval_to_string(src).unwrap_err().to_string();

    let missing = error(&mut engine, "(import (no such))");
    assert!(missing.contains("unknown library (no such) (searched "), "{missing}");
    assert!(missing.starts_with("<eval>:1:9:"), "{missing}");

    let unclosed = error(&mut engine, "(import (broken read))");
    assert!(unclosed.contains("read.sld:1:1"), "{unclosed}");

    let wrong = error(&mut engine, "(import (broken wrong))");
    assert!(wrong.contains("wrong.sld does not define library (broken wrong)"), "{wrong}");

    let cycle = error(&mut engine, "(import (broken cycle1))");
    assert!(cycle.contains("import cycle"), "{cycle}");
    assert!(cycle.contains("cycle2.sld:1:"), "{cycle}");

    let runtime = error(&mut engine, "(import (broken runtime))");
    assert!(runtime.contains("car"), "{runtime}");
    let failure = engine.eval_to_string("(import (broken runtime))").unwrap_err();
    let report = engine.render_error(&failure);
    assert!(report.contains("runtime.sld"), "{report}");

    // After all of that the engine still works, and a failed import left nothing behind.
    assert_eq!(engine.eval_to_string("(+ 1 2)").unwrap(), "3");
    assert!(engine.eval_to_string("x").is_err());
}

#[test]
fn error_in_a_library_body_points_into_the_library_file() {
    let dir = TempDir::new("spans");
    dir.write(
        "spans/lib.sld",
        "(define-library (spans lib)\n  (export f)\n  (import (scheme base))\n  (begin\n    (define (f x) (vector-ref x 10))))",
    );
    let mut engine = Engine::new();
    engine.add_library_path(dir.path());
    let error = engine.eval_to_string("(import (spans lib))\n(f (vector 1 2))").unwrap_err();
    let report = engine.render_error(&error);
    assert!(report.contains("lib.sld:5:19"), "{report}");
    assert!(report.contains("(define (f x) (vector-ref x 10))"), "{report}");
}
