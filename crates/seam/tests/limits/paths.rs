//! Long-running paths outside the interpreter loop obey the limits: raising errors,
//! slow builtins between check points, bignum arithmetic, printing results for the host,
//! and builtins that build large strings and lists. Each test runs an attack under limits
//! and checks that it ends with a limit error or a clear error (not how long it took:
//! without the fixes these ran for minutes or exhausted memory).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use seam::Engine;

use super::{attacked, failure};

const LIMIT_KINDS: &[&str] = &["fuel-exhausted", "memory-limit", "depth-limit", "deadline"];

#[test]
fn raising_from_a_builtin_is_a_check_point() {
    // A `raise` that fails itself, inside an inlined builtin (no call instruction): each
    // failure raises again, pushing a frame, with no call or jump in between. Builtins raise
    // through the system's `raise`, which a script can neither assign nor redefine (its
    // `define` makes its own `raise`, and `%handlers` is unreachable), so these are now
    // ordinary errors; the check point on raising stays as defence in depth.
    for source in [
        "(define (raise e) (car e)) (car 1)",
        "(define (raise e) (vector-ref e 0)) (+ 'a 1)",
        "(set! raise (lambda (e) (cdr e))) (car 1)",
        // A broken handler stack (if the script can still reach it; otherwise an error).
        "(set! %handlers 5) (car 1)",
    ] {
        let mut engine = attacked();
        let e = failure(&mut engine, source);
        assert!(
            LIMIT_KINDS.contains(&e.kind()) || matches!(e.kind(), "type" | "unbound" | "syntax"),
            "{source}: {} ({e})",
            e.kind()
        );
        assert_eq!(engine.eval::<i64>("(* 6 7)").unwrap(), 42, "{source}");
    }
    // Handlers that fail while handling end normally, with the handler's error.
    let mut engine = attacked();
    for source in [
        "(with-exception-handler (lambda (e) (car 1)) (lambda () (car 1)))",
        "(with-exception-handler (lambda (e) (raise e)) (lambda () (car 1)))",
        "(define (h e) (with-exception-handler h (lambda () (car e)))) (with-exception-handler h (lambda () (car 1)))",
    ] {
        let e = failure(&mut engine, source);
        assert!(!e.kind().is_empty(), "{source}: {e}");
    }
    // With fuel alone (no depth or memory limit) the top level's own `raise` does not
    // capture the builtins' errors: `car` raises its type error through the system's.
    let mut engine = Engine::new();
    engine.set_fuel(Some(20_000));
    let e = failure(&mut engine, "(define (raise e) (car e)) (car 1)");
    assert_eq!(e.kind(), "type", "{e}");
}

#[test]
fn a_loop_over_a_slow_host_function_sees_the_deadline() {
    let mut engine = Engine::sandboxed();
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    engine.define_fn("slow", move || {
        counted.fetch_add(1, Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(20));
    });
    engine.set_time_limit(Some(Duration::from_millis(200)));
    let e = failure(&mut engine, "(let loop () (slow) (loop))");
    assert_eq!(e.kind(), "deadline");
    // Checked every 1024 check points, the deadline would be seen after 512 calls; sized by
    // time, after a handful past the 10 that fit in 200 ms.
    let n = calls.load(Ordering::Relaxed);
    assert!(n < 200, "{n} calls of 20 ms before a 200 ms deadline was noticed");
}

#[test]
fn a_loop_over_a_slow_builtin_sees_an_interrupt() {
    let mut engine = Engine::sandboxed();
    engine.eval::<()>("(define v (make-vector 2000000 0)) (define n 0)").unwrap();
    let handle = engine.interrupt_handle();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        handle.interrupt();
    });
    let e = failure(&mut engine, "(let loop () (vector-fill! v n) (set! n (+ n 1)) (loop))");
    stopper.join().unwrap();
    assert_eq!(e.kind(), "interrupted");
    let n: i64 = engine.eval("n").unwrap();
    // One `vector-fill!` of 2,000,000 elements takes about a millisecond: an interrupt
    // read every 512 iterations would let hundreds run past it.
    assert!(n < 512, "{n} iterations");
}

#[test]
fn a_loop_over_a_slow_builtin_sees_the_deadline() {
    let mut engine = Engine::sandboxed();
    engine.set_memory_limit(Some(64 << 20));
    engine.eval::<()>("(define v (make-vector 2000000 0)) (define n 0)").unwrap();
    engine.set_time_limit(Some(Duration::from_millis(100)));
    let e = failure(&mut engine, "(let loop () (vector-fill! v n) (set! n (+ n 1)) (loop))");
    assert_eq!(e.kind(), "deadline");
    engine.set_time_limit(None);
    let n: i64 = engine.eval("n").unwrap();
    assert!(n < 512, "{n} iterations");
}

#[test]
fn bignum_work_is_bounded_under_limits() {
    let mut engine = attacked();
    for source in [
        "(let ((x (expt 7 1000000))) (gcd x (+ x 2)))",
        "(let ((x (expt 7 400000))) (gcd x (+ x 2)))",
        "(let ((x (expt 7 400000))) (lcm x (+ x 2)))",
        "(number->string (expt 3 3000000))",
        "(number->string (expt 3 1000000))",
        "(string->number (make-string 3000000 #\\7))",
        "(exact-integer-sqrt (expt 10 2000000))",
        "(exact-integer-sqrt (expt 10 600000))",
        "(sqrt (expt 10 600001))",
        "(read (open-input-string (make-string 3000000 #\\7)))",
        "(read (open-input-string (string-append \"(1 \" (make-string 3000000 #\\7) \")\")))",
        "(let ((x (* (expt 2 2000000) (expt 3 300000)))) (quotient x (expt 3 800000)))",
        "(let ((x (* (expt 2 2000000) (expt 3 300000)))) (remainder x (+ (expt 3 800000) 1)))",
        "(let ((x (* (expt 2 2000000) (expt 3 300000)))) (floor/ x (expt 3 800000)))",
        "(let ((x (expt 3 1300000))) (* x x))",
        "(let ((x (expt 3 1000000))) (/ x (+ (expt 3 200000) 1)))",
        "(let ((r (/ (expt 3 1000000) 2))) (+ r 1/3))",
        "(expt 7 10000000)",
        "(let ((x (expt 3 1000000))) (write x (open-output-string)))",
        "(let ((x (expt 3 1000000))) (display (list x) (open-output-string)))",
        // Exact complex numbers: their parts are bignums and rationals.
        "(expt 1+i 20000000)",
        "(expt -1-i 9000000)",
        "(let ((z (make-rectangular (expt 3 1000000) 1))) (magnitude z))",
        "(let ((z (make-rectangular (expt 3 1000000) (expt 5 600000)))) (sqrt z))",
        "(let ((z (make-rectangular (expt 3 1300000) 1))) (* z z))",
        "(let ((z (make-rectangular 1/3 (expt 3 1000000)))) (/ 1 z))",
        "(number->string (make-rectangular 1 (expt 3 1000000)))",
    ] {
        let e = failure(&mut engine, source);
        assert!(
            matches!(e.kind(), "range" | "read") || LIMIT_KINDS.contains(&e.kind()),
            "{source}: {} ({e})",
            e.kind()
        );
        assert_eq!(engine.eval::<i64>("(* 6 7)").unwrap(), 42, "{source}");
    }
    // The bound says what was refused.
    let e = failure(&mut engine, "(number->string (expt 3 1000000))");
    assert!(e.to_string().contains("number->string: a number of 1584963 bits is too large"), "{e}");
    let e = failure(&mut engine, "(let ((x (expt 7 400000))) (gcd x (+ x 2)))");
    assert!(e.to_string().contains("gcd: an operand of"), "{e}");
    // Moderate sizes still work, and cheap operations on large numbers too.
    assert_eq!(
        engine.eval::<String>("(number->string (gcd (expt 6 3000) (expt 4 5000)))").unwrap().len(),
        904
    );
    assert!(engine.eval::<bool>("(let ((x (expt 3 1000000))) (= (- (+ x 1) x) 1))").unwrap());
    assert!(engine.eval::<bool>("(let ((x (expt 3 1000000))) (= (remainder x 7) (modulo x 7)))").unwrap());
    assert_eq!(engine.eval::<i64>("(gcd (* 5 (expt 2 1000000)) 15)").unwrap(), 5);
    assert_eq!(engine.eval::<i64>("(string-length (number->string (expt 2 1000000) 16))").unwrap(), 250_001);
    // Without limits nothing is refused (at sizes that finish quickly).
    let mut free = Engine::new();
    assert_eq!(free.eval::<String>("(number->string (expt 7 200000) 16)").unwrap().len(), 140_368);
    assert!(free.eval::<bool>("(let ((x (expt 7 50000))) (= (gcd x (+ x 2)) 1))").unwrap());
}

#[test]
fn error_messages_do_not_print_huge_numbers() {
    let mut engine = attacked();
    let e = failure(&mut engine, "(car (expt 3 1000000))");
    assert!(e.to_string().contains("#<number of 1584963 bits>"), "{e}");
}

const SHARED_TREE: &str = "(define (t n) (if (= n 0) '() (let ((x (t (- n 1)))) (cons x x)))) (t 40)";

#[test]
fn printing_results_for_the_host_is_bounded() {
    let mut engine = attacked();
    // What is checked is the memory bound on printing; a debug build printing 64 MiB on a
    // loaded machine can take longer than `attacked`'s 2 s deadline, which would end it
    // with the wrong limit.
    engine.set_time_limit(Some(Duration::from_secs(120)));
    let e = engine.eval_to_string(SHARED_TREE).unwrap_err();
    assert_eq!(e.kind(), "memory-limit", "{e}");
    assert!(e.to_string().contains("printing the result: the printed form is longer than"), "{e}");
    let mut printed = Vec::new();
    let e = engine.eval_each(SHARED_TREE, "<each>", &mut |s| printed.push(s)).unwrap_err();
    assert_eq!(e.kind(), "memory-limit", "{e}");
    // Bignums under limits, too.
    let e = engine.eval_to_string("(expt 3 1000000)").unwrap_err();
    assert_eq!(e.kind(), "range", "{e}");
    // Only the last value is printed, and small ones print as before.
    assert_eq!(engine.eval_to_string("(t 40) (t 3)").unwrap(), "(((()) ()) (()) ())");
    assert_eq!(engine.eval_to_string("(define x 1)").unwrap(), "");
}

#[test]
fn printing_results_sees_the_deadline() {
    let mut engine = Engine::sandboxed();
    engine.set_time_limit(Some(Duration::from_millis(200)));
    // A 2^28-character text is under the 1 GiB cap, and takes seconds to print.
    let e = engine
        .eval_to_string("(define (t n) (if (= n 0) 1 (let ((x (t (- n 1)))) (cons x x)))) (t 26)")
        .unwrap_err();
    assert!(matches!(e.kind(), "deadline" | "range"), "{e}");
}

#[test]
fn string_builtins_respect_the_allocation_cap() {
    let mut engine = attacked();
    engine.set_memory_limit(Some(64 << 20));
    for source in [
        "(string-upcase (make-string 10000000 #\\xFB03))",
        "(string-foldcase (make-string 10000000 #\\xDF))",
        "(string->list (make-string 10000000 #\\a))",
        "(vector->list (make-vector 3000000 0))",
        "(string->vector (make-string 10000000 #\\a))",
        "(utf8->string (make-bytevector 30000000 65))",
    ] {
        let e = failure(&mut engine, source);
        assert_eq!(e.kind(), "memory-limit", "{source}: {e}");
        assert_eq!(engine.eval::<i64>("(* 6 7)").unwrap(), 42, "{source}");
    }
    // Small conversions are unchanged.
    assert_eq!(engine.eval::<String>("(string-upcase \"stra\u{df}e \u{fb03}\")").unwrap(), "STRASSE FFI");
    assert_eq!(engine.eval::<String>("(string-foldcase \"STRA\u{1e9e}E\")").unwrap(), "strasse");
    assert_eq!(
        engine.eval::<String>("(string-downcase \"\u{3a7}\u{391}\u{39f}\u{3a3}\")").unwrap(),
        "\u{3c7}\u{3b1}\u{3bf}\u{3c2}"
    );
}

#[test]
fn string_output_ports_count_against_the_memory_limit() {
    let mut engine = attacked();
    engine.set_fuel(None);
    // Writing in a loop: the port's buffer is heap memory.
    let e = failure(
        &mut engine,
        "(define p (open-output-string)) (define s (make-string 100000 #\\a))
         (let loop () (write-string s p) (loop))",
    );
    assert_eq!(e.kind(), "memory-limit", "{e}");
    let e = failure(
        &mut engine,
        "(define b (open-output-bytevector)) (define bv (make-bytevector 100000 1))
         (let loop () (write-bytevector bv b) (loop))",
    );
    assert_eq!(e.kind(), "memory-limit", "{e}");
    // Garbage ports do not count.
    engine.eval::<()>("(set! p #f) (set! b #f)").unwrap();
    let n: i64 = engine
        .eval(
            "(let loop ((i 0)) (if (= i 2000) i
               (let ((p (open-output-string))) (write-string s p) (loop (+ i 1)))))",
        )
        .unwrap();
    assert_eq!(n, 2000);
}
