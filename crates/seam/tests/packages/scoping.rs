//! Scoping: a package's native library is its own; packages import only from their
//! dependencies, and only the libraries those provide.

use seam::Capability;

use crate::{engine_with_counter, error_of, examples, scratch, write_package};

#[test]
fn another_packages_native_library_is_refused_naming_both() {
    let dir = scratch("native-scope");
    let counter = examples().join("counter");
    let thief = write_package(
        &dir,
        "thief",
        &format!("[dependencies]\ncounter = {{ path = {:?} }}\n", counter.display().to_string()),
        &[("main.scm", "(import (scheme base) (counter native))\n(counter.new)")],
    );
    let mut engine = engine_with_counter();
    engine.grant("counter", [Capability::Native]);
    let e = error_of(engine.run_package::<seam::Value>(&thief));
    assert_eq!(e.kind(), "syntax");
    assert!(
        e.to_string().ends_with(
            "main.scm:1:23: package thief cannot import (counter native): the native library of package counter is private to it"
        ),
        "{e}"
    );
    // The same package's public library is fine.
    std::fs::write(
        thief.join("main.scm"),
        "(import (scheme base) (counter))\n(counter-next! (make-counter 1))",
    )
    .unwrap();
    assert_eq!(engine.run_package::<i64>(&thief).unwrap(), 2);
    // The top level cannot import it either.
    let e = error_of(engine.eval::<()>("(import (counter native))"));
    assert!(
        e.to_string()
            .ends_with("the top level cannot import (counter native): the native library of package counter is private to it"),
        "{e}"
    );
}

#[test]
fn packages_import_only_from_their_dependencies() {
    let dir = scratch("deps-scope");
    write_package(
        &dir,
        "lib",
        "libraries = [\"(lib public)\"]\n",
        &[
            ("lib/public.sld", "(define-library (lib public) (export hello) (import (scheme base)) (begin (define (hello) \"hi\")))"),
            ("lib/private.sld", "(define-library (lib private) (export secret) (import (scheme base)) (begin (define (secret) 42)))"),
        ],
    );
    let user = write_package(
        &dir,
        "user",
        "[dependencies]\nlib = { path = \"../lib\" }\n",
        &[("main.scm", "(import (scheme base) (lib public)) (hello)")],
    );
    let stranger =
        write_package(&dir, "stranger", "", &[("main.scm", "(import (scheme base) (lib public)) (hello)")]);
    let mut engine = seam::Engine::new();
    assert_eq!(engine.run_package::<String>(&user).unwrap(), "hi");
    let e = error_of(engine.run_package::<String>(&stranger));
    assert!(
        e.to_string().ends_with(
            "package stranger cannot import (lib public) from package lib: lib is not among its [dependencies]"
        ),
        "{e}"
    );
    std::fs::write(user.join("main.scm"), "(import (scheme base) (lib private)) (secret)").unwrap();
    let e = error_of(engine.run_package::<i64>(&user));
    assert!(
        e.to_string().ends_with(
            "package user cannot import (lib private): package lib does not provide it (its seam.toml lists (lib public))"
        ),
        "{e}"
    );
    // The package's own libraries import each other freely, provided or not.
    std::fs::write(
        dir.join("lib/lib/public.sld"),
        "(define-library (lib public) (export hello) (import (scheme base) (lib private)) (begin (define (hello) (secret))))",
    )
    .unwrap();
    let mut engine = seam::Engine::new();
    std::fs::write(user.join("main.scm"), "(import (scheme base) (lib public)) (hello)").unwrap();
    assert_eq!(engine.run_package::<i64>(&user).unwrap(), 42);
}

#[test]
fn a_library_a_package_defines_inline_belongs_to_it() {
    let program = "(define-library (inline tools) (export twice) (import (scheme base)) (begin (define (twice x) (* 2 x))))
                   (import (scheme base) (inline tools))
                   (twice 21)";
    assert_eq!(crate::run_with("inline", &[], program).unwrap(), "42");
}
