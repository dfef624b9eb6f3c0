//! Data nested 100,000 levels deep, through every stage from text to a running program
//! and back: reading, quoting, `eval`, printing, `equal?`, collecting. Each test runs on a
//! spawned thread with a 2 MiB stack (what the test harness gives its threads), so a pass
//! that recursed once per level on the Rust stack would overflow it.

use seam::Engine;

/// The nesting the tests use: far beyond any stack's worth of recursion.
const DEPTH: usize = 100_000;

/// `(written write x)`: the text `write` (or `display`) makes of `x`.
const WRITTEN: &str = "(define (written how x)
                         (let ((port (open-output-string)))
                           (how x port)
                           (get-output-string port)))";

/// Runs `f` on a thread with a 2 MiB stack, returning its result.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new().stack_size(2 << 20).spawn(f).expect("spawn a thread");
    thread.join().expect("the test thread did not panic")
}

/// `DEPTH` opening and closing brackets around `inner` (`#(` for vectors).
fn nested(open: &str, inner: &str, close: &str) -> String {
    format!("{}{inner}{}", open.repeat(DEPTH), close.repeat(DEPTH))
}

/// Scheme code that builds, at run time, the text of a `DEPTH`-deep datum.
fn text_expression(open: &str, inner: &str, close: &str) -> String {
    format!("(string-append (apply string-append (make-list {DEPTH} {open:?})) {inner:?} (apply string-append (make-list {DEPTH} {close:?})))")
}

#[test]
fn reading_writing_and_comparing_deep_lists_and_vectors() {
    let results = on_small_stack(|| {
        let mut engine = Engine::new();
        [("(", ")"), ("#(", ")")].map(|(open, close)| {
            let text = text_expression(open, "x", close);
            let program = format!(
                "{WRITTEN}
                 (define text {text})
                 (define a (read (open-input-string text)))
                 (define b (read (open-input-string text)))
                 (list (equal? a b)
                       (equal? (written write a) text)
                       (equal? (written display b) text)
                       (eq? a b))"
            );
            engine.eval_to_string(&program).map_err(|e| e.to_string())
        })
    });
    for result in results {
        assert_eq!(result.as_deref(), Ok("(#t #t #t #f)"));
    }
}

#[test]
fn quoting_deep_data_in_a_program() {
    let results = on_small_stack(|| {
        let mut engine = Engine::new();
        [("(", ")"), ("#(", ")")].map(|(open, close)| {
            let datum = nested(open, "7", close);
            let text = text_expression(open, "7", close);
            let program = format!(
                "{WRITTEN}
                 (define (deep) '{datum})
                 (list (equal? (deep) (read (open-input-string {text})))
                       (eq? (deep) (deep))
                       (equal? (written write (deep)) {text}))"
            );
            engine.eval_to_string(&program).map_err(|e| e.to_string())
        })
    });
    for result in results {
        assert_eq!(result.as_deref(), Ok("(#t #t #t)"));
    }
}

#[test]
fn evaluating_deep_data_and_collecting_it() {
    let result = on_small_stack(|| {
        let mut engine = Engine::new();
        engine.set_gc_stress(true);
        let text = text_expression("(", "", ")");
        let program = format!(
            "(define datum (read (open-input-string {text})))
             (define quoted (eval (list 'quote datum) (environment '(scheme base))))
             (define vector-text {vectors})
             (define vectors (eval (read (open-input-string (string-append \"'\" vector-text)))
                                   (environment '(scheme base))))
             (list (equal? quoted datum)
                   (eq? quoted datum)
                   (equal? (eval (read (open-input-string (string-append \"'\" {text})))
                                 (environment '(scheme base)))
                           datum)
                   (vector? vectors))",
            vectors = text_expression("#(", "", ")")
        );
        let result = engine.eval_to_string(&program).map_err(|e| e.to_string());
        engine.collect_garbage();
        result
    });
    assert_eq!(result.as_deref(), Ok("(#t #f #t #t)"));
}

#[test]
fn a_memory_limit_ends_huge_nesting_with_the_ordinary_error() {
    let result = on_small_stack(|| {
        let mut engine = Engine::new();
        engine.set_memory_limit(Some(64 << 20));
        let program = "(define n 3000000)
             (define text (string-append (make-string n #\\() (make-string n #\\))))
             (pair? (read (open-input-string text)))";
        engine.eval_to_string(program).map_err(|e| (e.kind().to_string(), e.to_string()))
    });
    let (kind, message) = result.expect_err("the read is refused");
    assert_eq!(kind, "memory-limit", "{message}");
    assert!(message.contains("read: the datum is nested more than"), "{message}");
}
