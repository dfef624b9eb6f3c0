//! Engine-level tests: bounded memory under allocation churn, recovery after errors,
//! `Send`, and a property test that random input never panics the pipeline.

use proptest::prelude::*;
use seam::Engine;

#[test]
fn engine_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<Engine>();
}

/// Ten million allocations of pairs, closures and vectors that are dropped at once: the live
/// heap, sampled during the loop, stays small, and so does the heap after a full collection.
#[test]
fn memory_stays_bounded_while_allocating_and_dropping() {
    let mut engine = Engine::new();
    let baseline = engine.collect_garbage();
    let program = "
      (import (seam debug))
      (define max-live 0)
      (let loop ((i 0))
        (if (< i 3400000)
            (begin
              (cons i i)
              (lambda () i)
              (make-vector 2 i)
              (if (= 0 (remainder i 100000))
                  (let ((live (heap-live-bytes)))
                    (if (> live max-live) (set! max-live live))))
              (loop (+ i 1)))))
      max-live";
    let max_live: usize = engine.eval_to_string(program).expect("program runs").parse().expect("a number");
    let after = engine.collect_garbage();
    let bound = baseline + (8 << 20);
    assert!(max_live < bound, "live heap reached {max_live} bytes (baseline {baseline})");
    assert!(after < baseline + (1 << 20), "heap after collection {after} bytes (baseline {baseline})");
}

#[test]
fn cyclic_garbage_is_collected() {
    let mut engine = Engine::new();
    let baseline = engine.collect_garbage();
    engine
        .eval_to_string(
            "(let loop ((i 0))
               (if (< i 200000)
                   (let ((p (list 1 2 3)) (v (make-vector 1 #f)))
                     (set-cdr! (cddr p) p)
                     (vector-set! v 0 v)
                     (loop (+ i 1)))))",
        )
        .expect("program runs");
    let after = engine.collect_garbage();
    assert!(after < baseline + (1 << 20), "cycles leaked: {after} bytes live (baseline {baseline})");
}

#[test]
fn engine_stays_usable_after_errors() {
    let mut engine = Engine::new();
    engine.eval_to_string("(define x 41)").expect("define");
    for bad in
        ["(car 1)", "(undefined-variable)", "(error \"boom\")", "(raise 'x)", "((lambda (a) a))", "(if)"]
    {
        let err = engine.eval_to_string(bad).expect_err("should fail");
        assert!(!err.message().is_empty());
    }
    // An error inside nested handlers and dynamic-winds leaves no stale state behind.
    let _ = engine.eval_to_string("(with-exception-handler (lambda (e) 0) (lambda () (dynamic-wind (lambda () #f) (lambda () (raise 'deep)) (lambda () #f))))");
    assert_eq!(engine.eval_to_string("(+ x 1)").expect("still works"), "42");
    assert_eq!(engine.eval_to_string("(guard (e (#t 'caught)) (raise 'again))").expect("guard"), "caught");
}

#[test]
fn error_kinds_and_locations() {
    let mut engine = Engine::new();
    let cases = [
        ("(car 5)", "type"),
        ("(foo)", "unbound"),
        ("((lambda (x) x))", "arity"),
        ("(error \"custom\" 1)", "error"),
        ("(raise 'sym)", "raise"),
        ("(vector-ref (vector) 0)", "range"),
        ("(let ((x)) x)", "syntax"),
        ("(1 2", "read"),
    ];
    for (source, kind) in cases {
        let err = engine.eval_named(source, "t.scm").expect_err(source);
        assert_eq!(err.kind(), kind, "{source}: {err}");
        let span = err.span().unwrap_or_else(|| panic!("{source} has no location"));
        assert_eq!((&*span.file, span.line), ("t.scm", 1), "{source}");
    }
}

#[test]
fn exit_reports_its_code() {
    let mut engine = Engine::new();
    let err = engine.eval_to_string("(exit 3)").expect_err("exit ends the evaluation");
    assert_eq!(err.exit_code(), Some(3));
}

const TOKENS: &[&str] = &[
    "(",
    "(",
    ")",
    ")",
    "'",
    "`",
    ",",
    ",@",
    ".",
    "#(",
    "#u8(",
    "1",
    "-2",
    "3.5",
    "1/2",
    "#t",
    "#f",
    "\"s\"",
    "#\\a",
    "x",
    "y",
    "lambda",
    "define",
    "let",
    "if",
    "cond",
    "else",
    "=>",
    "set!",
    "quote",
    "begin",
    "define-syntax",
    "syntax-rules",
    "...",
    "_",
    "car",
    "cons",
    "+",
    "vector-ref",
    "call/cc",
    "guard",
    "raise",
    "error",
    "apply",
    "list",
    "case",
    "let*",
    "letrec",
    "#;",
    "#|c|#",
    "#0=",
    "#0#",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut engine = Engine::new();
        let text = String::from_utf8_lossy(&bytes);
        let _ = engine.eval_to_string(&text);
        prop_assert_eq!(engine.eval_to_string("(+ 1 2)").ok(), Some("3".to_string()));
    }

    #[test]
    fn random_token_sequences_never_panic(tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..60)) {
        let mut engine = Engine::new();
        let _ = engine.eval_to_string(&tokens.join(" "));
        prop_assert_eq!(engine.eval_to_string("(+ 1 2)").ok(), Some("3".to_string()));
    }
}
