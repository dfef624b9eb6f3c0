//! Sandboxing and limits: fuel, memory, depth, deadlines, interrupts, and hostile scripts
//! (infinite loops and recursion, exponential allocation, huge, deep and cyclic data,
//! macros that expand forever). Each limit ends the evaluation with its own error kind,
//! cannot be caught by the script, and leaves the engine usable.

use std::time::{Duration, Instant};

use seam::{Engine, Error};

/// Long-running paths outside the interpreter loop (raising, slow builtins, bignums,
/// printing results, large strings).
mod paths;

fn failure(engine: &mut Engine, source: &str) -> Error {
    match engine.eval::<seam::Value>(source) {
        Ok(v) => panic!("expected an error from {source}, got {}", engine.write(&v)),
        Err(e) => e,
    }
}

/// The engine still works after a limit ended an evaluation.
fn still_usable(engine: &mut Engine) {
    assert_eq!(engine.eval::<i64>("(define (sq x) (* x x)) (sq 12)").unwrap(), 144);
}

const LOOPS: &[(&str, &str)] = &[
    ("named let", "(let loop () (loop))"),
    ("do", "(do () (#f))"),
    ("mutual recursion", "(define (f) (g)) (define (g) (f)) (f)"),
    ("apply", "(define (f) (apply f '())) (f)"),
    ("call/cc", "(let ((k #f)) (call/cc (lambda (c) (set! k c))) (k 1))"),
    ("non-tail recursion", "(define (f n) (+ 1 (f n))) (f 0)"),
    ("dynamic-wind", "(let loop () (dynamic-wind (lambda () #f) loop (lambda () #f)))"),
    ("guard", "(let loop () (guard (e (#t (loop))) (raise 'x)))"),
    ("string-for-each", "(define (f) (string-for-each (lambda (c) (f)) \"ab\")) (f)"),
    // Loops whose back edge is a fused test (loop inversion), looping on either branch.
    ("inverted <", "(let loop ((i 0)) (if (< i 1) (loop i) i))"),
    ("inverted < imm, else", "(let loop ((i 0)) (if (< 1 i) i (loop i)))"),
    ("inverted =", "(let loop ((i 0) (n 1)) (if (= i n) i (loop i n)))"),
    ("inverted = imm", "(let loop ((i 0)) (if (= i 0) (loop i) i))"),
    ("inverted null?", "(let loop ((l '())) (if (null? l) (loop l) l))"),
    ("inverted pair?", "(let loop ((l '(1))) (if (pair? l) (loop l) l))"),
    // Back edges fused with the loop counter's increment, each kind of test.
    ("counting <", "(let loop ((i 0) (n 1)) (if (< i n) (loop (- i 1) n) i))"),
    ("counting < imm", "(let loop ((i 0)) (if (< i 1) (loop (- i 2)) i))"),
    ("counting >", "(let loop ((i 0) (n -1)) (if (> i n) (loop (+ i 1) n) i))"),
    ("counting > imm", "(let loop ((i 0)) (if (> i -1) (loop (+ i 3)) i))"),
    ("counting = , else", "(let loop ((i 0) (n -1)) (if (= i n) i (loop (+ i 1) n)))"),
    ("counting = imm, else", "(let loop ((i 0)) (if (= i -1) i (loop (+ i 1))))"),
    ("counting flonum", "(let loop ((i 0.5)) (if (< i 1) (loop (- i 1)) i))"),
    ("inverted zero?", "(let loop ((i 0)) (if (zero? i) (loop i) i))"),
    ("zero?, else", "(let loop ((i 1)) (if (zero? i) i (loop (+ i 1))))"),
];

/// Fuel counts the same whether or not the loop allocates (an allocation that makes a
/// collection due sends the next check point to the slow path, which must not lose or
/// gain fuel).
#[test]
fn fuel_is_exact_when_collections_interrupt_the_countdown() {
    let mut engine = Engine::new();
    engine.set_fuel(Some(10_000_000));
    let plain = "(let loop ((i 0) (x 0)) (if (= i 3000000) i (loop (+ i 1) (+ i 0))))";
    let consing = "(let loop ((i 0) (x 0)) (if (= i 3000000) i (loop (+ i 1) (cons i '()))))";
    assert_eq!(engine.eval::<i64>(plain).unwrap(), 3_000_000);
    let after_plain = engine.remaining_fuel();
    assert_eq!(engine.eval::<i64>(consing).unwrap(), 3_000_000);
    assert_eq!(engine.remaining_fuel(), after_plain);
}

#[test]
fn fuel_stops_every_kind_of_loop() {
    let mut engine = Engine::new();
    engine.set_fuel(Some(200_000));
    engine.set_max_depth(Some(100_000));
    for (what, source) in LOOPS {
        let e = failure(&mut engine, source);
        assert!(matches!(e.kind(), "fuel-exhausted" | "depth-limit"), "{what}: {} ({e})", e.kind());
        still_usable(&mut engine);
    }
    let e = failure(&mut engine, "(let loop ((i 0)) (loop (+ i 1)))");
    assert_eq!(e.kind(), "fuel-exhausted");
    assert_eq!(e.to_string(), "<eval>:1:19: out of fuel: the evaluation used all 200000 units it was given");
    assert_eq!(engine.remaining_fuel(), Some(0));
    // Each evaluation starts with full fuel; enough of it finishes normally.
    assert_eq!(engine.eval::<i64>("(let loop ((i 0)) (if (= i 100000) i (loop (+ i 1))))").unwrap(), 100_000);
    let left = engine.remaining_fuel().unwrap();
    assert!((90_000..=100_001).contains(&left), "{left} left of 200000 after 100000 iterations");
    engine.set_fuel(None);
    assert_eq!(engine.remaining_fuel(), None);
    assert_eq!(
        engine.eval::<i64>("(let loop ((i 0)) (if (= i 1000000) i (loop (+ i 1))))").unwrap(),
        1_000_000
    );
}

#[test]
fn scripts_cannot_catch_a_limit() {
    let mut engine = Engine::new();
    engine.set_fuel(Some(100_000));
    let catching = "(define caught 0)
        (guard (e (#t (set! caught (+ caught 1)) 'caught))
          (with-exception-handler (lambda (e) (set! caught (+ caught 1)) 'handled)
            (lambda () (let loop () (loop)))))";
    assert_eq!(failure(&mut engine, catching).kind(), "fuel-exhausted");
    engine.set_fuel(None);
    assert_eq!(engine.eval::<i64>("caught").unwrap(), 0);
    // dynamic-wind's after thunk does not run either (the run ends at once).
}

#[test]
fn a_host_function_cannot_swallow_a_limit() {
    let mut engine = Engine::new();
    // The host calls back into Scheme and turns any error into a value.
    engine.define_fn("try-call", |cx: &mut seam::Ctx, f: seam::Procedure| -> Result<bool, Error> {
        Ok(f.call::<seam::Value>(cx, ()).is_ok())
    });
    engine.set_fuel(Some(100_000));
    let e = failure(&mut engine, "(let loop () (try-call (lambda () (let spin () (spin)))) (loop))");
    assert_eq!(e.kind(), "fuel-exhausted");
    still_usable(&mut engine);
}

#[test]
fn depth_limits_recursion_and_tail_calls_do_not_count() {
    let mut engine = Engine::new();
    engine.set_max_depth(Some(10_000));
    let e = failure(&mut engine, "(define (f n) (+ 1 (f (+ n 1)))) (f 0)");
    assert_eq!(e.kind(), "depth-limit");
    assert!(e.to_string().contains("more than 10000 nested calls"), "{e}");
    still_usable(&mut engine);
    assert_eq!(
        engine.eval::<i64>("(define (count n) (if (= n 0) 0 (+ 1 (count (- n 1))))) (count 5000)").unwrap(),
        5000
    );
    assert_eq!(
        engine.eval::<i64>("(let loop ((i 0)) (if (= i 1000000) i (loop (+ i 1))))").unwrap(),
        1_000_000
    );
    engine.set_max_depth(None);
    assert_eq!(engine.eval::<i64>("(count 1000000)").unwrap(), 1_000_000);
}

#[test]
fn memory_limit_stops_growing_data_and_refuses_huge_allocations() {
    let mut engine = Engine::new();
    engine.set_memory_limit(Some(64 << 20));
    for source in [
        "(let loop ((l '())) (loop (cons l l)))",
        "(let loop ((s \"x\")) (loop (string-append s s)))",
        "(let loop ((v (vector 1))) (loop (vector-append v v)))",
        "(define (f n) (cons n (f (+ n 1)))) (f 0)",
        "(let loop ((l '())) (loop (cons (make-vector 1000 0) l)))",
    ] {
        let e = failure(&mut engine, source);
        assert_eq!(e.kind(), "memory-limit", "{source}: {e}");
        still_usable(&mut engine);
    }
    // One allocation larger than the limit is refused before it is made.
    let e = failure(&mut engine, "(make-vector 100000000 0)");
    assert_eq!(e.kind(), "memory-limit");
    assert!(e.to_string().contains("under the memory limit"), "{e}");
    let e = failure(&mut engine, "(make-string 1000000000 #\\a)");
    assert_eq!(e.kind(), "memory-limit");
    // Garbage does not count: a loop that allocates and drops runs to the end.
    let n: i64 = engine
        .eval("(let loop ((i 0)) (if (= i 2000000) i (begin (make-vector 100 i) (loop (+ i 1)))))")
        .unwrap();
    assert_eq!(n, 2_000_000);
    engine.set_memory_limit(None);
    still_usable(&mut engine);
}

#[test]
fn huge_sizes_are_errors_without_a_limit_too() {
    let mut engine = Engine::new();
    for source in [
        "(make-vector 1000000000000)",
        "(make-string 100000000000 #\\a)",
        "(make-bytevector (expt 2 70))",
        "(make-list 10000000000)",
    ] {
        let e = failure(&mut engine, source);
        assert_eq!(e.kind(), "range", "{source}: {e}");
    }
    let e = failure(&mut engine, "(make-vector 1e12)");
    assert!(e.to_string().contains("exact integer"), "{e}");
    // Doubling a string until it cannot be allocated is an error, not an abort.
    let e = failure(&mut engine, "(let loop ((s \"x\")) (loop (string-append s s)))");
    assert_eq!(e.kind(), "range");
    assert!(e.to_string().contains("string-append: the result would have 536870912 elements"), "{e}");
    still_usable(&mut engine);
}

#[test]
fn a_deadline_stops_a_long_evaluation() {
    let mut engine = Engine::new();
    engine.set_time_limit(Some(Duration::from_millis(100)));
    let started = Instant::now();
    let e = failure(&mut engine, "(let loop () (loop))");
    assert_eq!(e.kind(), "deadline");
    assert!(started.elapsed() < Duration::from_secs(10));
    // The next evaluation has its own 100 ms.
    still_usable(&mut engine);
    engine.set_time_limit(None);
    engine.set_deadline(Some(Instant::now()));
    assert_eq!(failure(&mut engine, "(let loop () (loop))").kind(), "deadline");
    engine.set_deadline(None);
    still_usable(&mut engine);
}

#[test]
fn another_thread_can_interrupt_an_evaluation() {
    let mut engine = Engine::new();
    let handle = engine.interrupt_handle();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        handle.interrupt();
    });
    let e = failure(&mut engine, "(define (f n) (if (< n 0) n (f (+ n 1)))) (f 0)");
    stopper.join().unwrap();
    assert_eq!(e.kind(), "interrupted");
    assert_eq!(e.to_string(), "<eval>:1:29: interrupted");
    still_usable(&mut engine);
    // A request made while nothing runs does not stop the next evaluation.
    engine.interrupt_handle().interrupt();
    still_usable(&mut engine);
}

#[test]
fn limits_apply_to_async_evaluations() {
    let mut engine = Engine::new();
    engine.set_fuel(Some(100_000));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let e = runtime.block_on(engine.eval_async::<i64>("(let loop () (loop))")).unwrap_err();
    assert_eq!(e.kind(), "fuel-exhausted");
    // Spawned tasks share the evaluation's fuel.
    let e = runtime
        .block_on(engine.eval_async::<i64>("(define (spin) (spin)) (spawn spin) (spawn spin) (spin)"))
        .unwrap_err();
    assert_eq!(e.kind(), "fuel-exhausted");
    assert_eq!(runtime.block_on(engine.eval_async::<i64>("(+ 1 2)")).unwrap(), 3);
}

#[test]
fn the_sandbox_reaches_nothing_outside_the_process() {
    let mut engine = Engine::sandboxed();
    for (source, capability) in [
        ("(import (scheme file)) (open-input-file \"/etc/passwd\")", "fs-read"),
        ("(import (only (scheme file) delete-file)) (delete-file \"/tmp/seam-sandbox-test\")", "fs-write"),
        ("(import (scheme process-context)) (get-environment-variable \"HOME\")", "env"),
        ("(import (only (scheme process-context) exit)) (exit 3)", "process"),
        ("(import (scheme time)) (current-second)", "time"),
        ("(import (scheme eval)) (eval '(+ 1 2) (environment '(scheme base)))", "eval"),
        ("(import (scheme load)) (load \"/tmp/x.scm\")", "eval"),
    ] {
        let e = failure(&mut engine, source);
        assert!(e.to_string().contains(&format!("capability {capability}")), "{source}: {e}");
    }
    // Computation, the standard ports and what the host registers work.
    engine.define_fn("host-double", |x: i64| x * 2);
    assert_eq!(engine.eval::<i64>("(host-double (length (list 1 2 3)))").unwrap(), 6);
    assert_eq!(
        engine
            .eval::<String>("(let ((p (open-output-string))) (write '(a \"b\") p) (get-output-string p))")
            .unwrap(),
        "(a \"b\")"
    );
}

#[test]
fn hostile_data_is_handled() {
    let mut engine = Engine::new();
    engine.set_fuel(Some(50_000_000));
    engine.set_memory_limit(Some(64 << 20));
    // Cyclic data.
    let cyclic = "(define c (list 1 2 3)) (set-cdr! (cddr c) c)";
    engine.eval::<()>(cyclic).unwrap();
    assert!(failure(&mut engine, "(length c)").to_string().contains("proper list"));
    assert_eq!(
        engine.eval::<String>("(let ((p (open-output-string))) (write c p) (get-output-string p))").unwrap(),
        "#0=(1 2 3 . #0#)"
    );
    engine.eval::<()>("(define d (list 1 2 3)) (set-cdr! (cddr d) d)").unwrap();
    assert!(engine.eval::<bool>("(equal? c d)").unwrap());
    // Deeply nested data.
    engine.eval::<()>("(define (nest n acc) (if (= n 0) acc (nest (- n 1) (list (vector acc)))))").unwrap();
    engine.eval::<()>("(define deep (nest 100000 '()))").unwrap();
    assert!(engine.eval::<bool>("(equal? deep (nest 100000 '()))").unwrap());
    let n: i64 = engine
        .eval("(let ((p (open-output-string))) (write deep p) (string-length (get-output-string p)))")
        .unwrap();
    assert_eq!(n, 100_000 * 5 + 2);
    // Shared structure: small in memory, exponentially long in print.
    engine.eval::<()>("(define (dag n acc) (if (= n 0) acc (dag (- n 1) (cons acc acc))))").unwrap();
    assert!(engine.eval::<bool>("(equal? (dag 100000 '()) (dag 100000 '()))").unwrap());
    let e = failure(&mut engine, "(write (dag 100000 '()) (open-output-string))");
    assert_eq!(e.kind(), "memory-limit");
    assert!(e.to_string().contains("write: the printed form is longer than"), "{e}");
    assert_eq!(
        engine
            .eval::<String>(
                "(let ((p (open-output-string))) (write-shared (dag 3 '()) p) (get-output-string p))"
            )
            .unwrap(),
        "(#0=(#1=(()) . #1#) . #0#)"
    );
    // Cycles through records and error objects.
    let shown: String = engine
        .eval(
            "(define-record-type point (make-point x) point? (x point-x set-point-x!))
             (define p (make-point 1)) (set-point-x! p p)
             (let ((out (open-output-string))) (write (list p p) out) (get-output-string out))",
        )
        .unwrap();
    assert_eq!(shown, "(#0=#<point x: #0#> #0#)");
    let e = failure(
        &mut engine,
        "(define e (guard (x (#t x)) (error \"m\" 1 2)))
         (set-cdr! (cdr (error-object-irritants e)) (error-object-irritants e))
         (raise e)",
    );
    assert!(e.to_string().ends_with("m 1 2 1 2 1 2 1 2 1 2 1 2 1 2 1 2 1 2 1 2 ..."), "{e}");
    let shown: String =
        engine.eval("(let ((out (open-output-string))) (write e out) (get-output-string out))").unwrap();
    assert_eq!(shown, "#<error \"m\" 1 2 ...>");
    // Macros that expand forever.
    for source in [
        "(define-syntax grow (syntax-rules () ((_ x) (grow (x x))))) (grow 1)",
        "(define-syntax twice (syntax-rules () ((_) (begin (twice) (twice))))) (twice)",
        "(define-syntax loop (syntax-rules () ((_) (loop)))) (loop)",
    ] {
        let e = failure(&mut engine, source);
        assert_eq!(e.kind(), "syntax", "{source}: {e}");
    }
    still_usable(&mut engine);
}

/// The sandbox the security review's attacks run in: fuel 100 000, 64 MiB of memory,
/// depth 10 000, 2 s.
fn attacked() -> Engine {
    let mut engine = Engine::sandboxed();
    engine.set_fuel(Some(100_000));
    engine.set_memory_limit(Some(64 << 20));
    engine.set_max_depth(Some(10_000));
    engine.set_time_limit(Some(Duration::from_secs(2)));
    engine
}

/// Interned symbols count in the memory limit and are collected when unreachable (the
/// symbol table is weak), so symbol floods end with the limit they reach, not by using
/// the machine's memory.
#[test]
fn symbol_floods_are_counted_and_collected() {
    let mut engine = attacked();
    let flood = "(let loop ((i 0)) (string->symbol (number->string i)) (loop (+ i 1)))";
    assert_eq!(failure(&mut engine, flood).kind(), "fuel-exhausted");
    // Kept symbols count: 10 KB names in a list reach the memory limit before the fuel ends
    // (uncounted, they ran out of fuel with 200 MB of names).
    let kept = "(let loop ((i 0) (keep '()))
                  (loop (+ i 1) (cons (string->symbol (string-append (number->string i) (make-string 10000 #\\a))) keep)))";
    assert_eq!(failure(&mut engine, kept).kind(), "memory-limit");
    still_usable(&mut engine);
    // So do big ones, kept in a global.
    let big = "(define keep '())
               (let loop ((i 0))
                 (set! keep (cons (string->symbol (string-append (number->string i) (make-string 1000000 #\\a))) keep))
                 (loop (+ i 1)))";
    assert_eq!(failure(&mut engine, big).kind(), "memory-limit");
    engine.eval::<()>("(set! keep '())").unwrap();
    // Dropped ones are collected: 300 MB of names under a 64 MiB limit.
    let before = engine.collect_garbage();
    let dropped = "(let loop ((i 0))
                     (when (< i 300)
                       (string->symbol (string-append (number->string i) (make-string 1000000 #\\a)))
                       (loop (+ i 1))))";
    engine.eval::<()>(dropped).unwrap();
    let after = engine.collect_garbage();
    assert!(after < before + (1 << 20), "{before} bytes live before, {after} after");
    still_usable(&mut engine);
}

/// A million distinct symbols interned and dropped under a 64 MiB limit: the heap stays
/// flat, and symbols still reachable (from globals, code constants, data) keep their
/// identity across the collections.
#[test]
fn a_million_dropped_symbols_leave_the_heap_flat() {
    let mut engine = Engine::sandboxed();
    engine.set_fuel(Some(20_000_000));
    engine.set_memory_limit(Some(64 << 20));
    engine.set_max_depth(Some(10_000));
    engine
        .eval::<()>(
            "(define held (string->symbol \"held-by-a-global\"))
             (define (constant) 'quoted-in-code)
             (define data (list (string->symbol \"in-a-list\") (vector 'in-a-vector)))",
        )
        .unwrap();
    let before = engine.collect_garbage();
    let n: i64 = engine
        .eval(
            "(let loop ((i 0))
               (if (< i 1000000)
                   (begin (string->symbol (string-append \"sym-\" (number->string i))) (loop (+ i 1)))
                   i))",
        )
        .unwrap();
    assert_eq!(n, 1_000_000);
    let after = engine.collect_garbage();
    assert!(after < before + (1 << 20), "{before} bytes live before, {after} after");
    let same: bool = engine
        .eval(
            "(and (eq? held (string->symbol \"held-by-a-global\"))
                  (eq? (constant) (string->symbol \"quoted-in-code\"))
                  (eq? (constant) 'quoted-in-code)
                  (eq? (car data) 'in-a-list)
                  (eq? (vector-ref (cadr data) 0) (string->symbol \"in-a-vector\"))
                  (eq? (string->symbol \"sym-5\") (string->symbol \"sym-5\"))
                  (symbol=? 'sym-7 (string->symbol (string-append \"sym-\" \"7\"))))",
        )
        .unwrap();
    assert!(same);
    // Host handles keep symbols too.
    let handle: seam::Value = engine.eval("(string->symbol \"held-by-the-host\")").unwrap();
    engine.collect_garbage();
    engine
        .eval::<()>(
            "(let loop ((i 0)) (when (< i 100000) (string->symbol (number->string i)) (loop (+ i 1))))",
        )
        .unwrap();
    engine.collect_garbage();
    engine.set("from-host", handle).unwrap();
    assert!(engine.eval::<bool>("(eq? from-host 'held-by-the-host)").unwrap());
}

/// The expander's own work is bounded: huge parameter lists expand in linear time, and
/// import prefixes and macros cannot build unbounded names.
#[test]
fn expansion_attacks_end_with_errors() {
    let mut engine = attacked();
    let params = (0..60_000).map(|i| format!("p{i}")).collect::<Vec<_>>().join(" ");
    assert_eq!(engine.eval::<i64>(&format!("((lambda ({params}) 7) {})", "1 ".repeat(60_000))).unwrap(), 7);
    let e = failure(&mut engine, &format!("(define (f {params} p1) 1)"));
    assert_eq!(e.kind(), "syntax");
    assert!(e.to_string().contains("duplicate parameter p1"), "{e}");
    // Many clauses expand to `if`s nested as deep: compiled and dropped without
    // overflowing the (2 MiB) test thread's stack.
    let clauses = (0..60_000).map(|i| format!("(({i}) {i})")).collect::<Vec<_>>().join(" ");
    assert_eq!(engine.eval::<i64>(&format!("(define (f x) (case x {clauses})) (f 5)")).unwrap(), 5);
    let clauses = (0..60_000).map(|i| format!("((= x {i}) {i})")).collect::<Vec<_>>().join(" ");
    let e = failure(&mut engine, &format!("(define (f x) (cond {clauses})) (f 5)"));
    assert!(e.to_string().contains("procedure too large"), "{e}");
    let long = "a".repeat(1_000_000);
    let e = failure(&mut engine, &format!("(import (prefix (scheme base) {long}))"));
    assert_eq!(e.kind(), "syntax");
    assert!(e.to_string().contains("import: the prefix of (prefix (scheme base) aaa"), "{e}");
    let e = failure(
        &mut engine,
        "(import (seam syntax))
         (define-syntax grow (syntax-rules () ((_ x) (grow (identifier-append x x)))))
         (grow ab)",
    );
    assert!(e.to_string().contains("identifier-append: the identifier would have"), "{e}");
    still_usable(&mut engine);
    // The same through `environment` (which the sandbox lacks), with a name built at run time.
    let mut engine = Engine::new();
    engine.set_fuel(Some(100_000));
    engine.set_memory_limit(Some(64 << 20));
    let e = failure(
        &mut engine,
        "(environment (list 'prefix '(scheme base) (string->symbol (make-string 5000000 #\\a))))",
    );
    assert!(e.to_string().contains("import: the prefix of (prefix (scheme base) aaa"), "{e}");
    still_usable(&mut engine);
    // Environments are kept for the engine's life (made once per import sets): a loop making
    // new ones counts them, and ends at the memory limit instead of growing past it.
    let e = failure(
        &mut engine,
        "(let loop ((i 0))
           (environment (list 'prefix '(scheme base) (string->symbol (number->string i))))
           (loop (+ i 1)))",
    );
    assert_eq!(e.kind(), "memory-limit");
    // They stay: the engine is full until its limit is raised.
    engine.set_memory_limit(Some(1 << 30));
    still_usable(&mut engine);
}
