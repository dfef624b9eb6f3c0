//! Callbacks: Scheme procedures called from C on the calling thread and from other
//! threads, raises and bad results inside them, and blocking calls that let other Scheme
//! tasks run.

use crate::{engine, fails};

#[test]
fn callbacks_on_the_calling_thread() {
    let mut e = engine();
    assert_eq!(e.eval::<i64>("(apply-twice (lambda (x) (* x 3)) 2)").unwrap(), 18);
    assert_eq!(e.eval::<f64>("(apply-double (lambda (a b) (/ a b)) 1 4)").unwrap(), 0.25);
    assert_eq!(e.eval::<i64>("(point-apply (lambda (p) (* (point-x p) (point-y p))) 6 7)").unwrap(), 42);
    assert_eq!(
        e.eval::<i64>("(let ((n 0)) (+ (sum-calls (lambda (i) (set! n (+ n 1)) i) 10) (* 1000 n)))").unwrap(),
        10_045
    );
    // A long-lived callback, used by several calls, then freed.
    e.eval::<()>("(define triple (foreign-callable (lambda (x) (* 3 x)) (int) int))").unwrap();
    assert!(e.eval::<bool>("(foreign-callback? triple)").unwrap());
    assert_eq!(e.eval::<Vec<i64>>("(list (apply-twice triple 1) (apply-twice triple 2))").unwrap(), [9, 18]);
    e.eval::<()>("(free-callback triple)").unwrap();
    fails(
        &mut e,
        "(apply-twice triple 1)",
        "type",
        "apply_twice: argument 1: expected a procedure, a callback or a foreign pointer, got #<foreign-callback (freed)>",
    );
}

#[test]
fn a_raise_in_a_callback_reaches_the_guard_outside_the_c_call() {
    let mut e = engine();
    // The very object raised, after the C function returned.
    assert!(e
        .eval::<bool>(
            "(define thrown (list 'my 'object))
             (eq? thrown (guard (caught (#t caught)) (apply-twice (lambda (x) (raise thrown)) 1)))"
        )
        .unwrap());
    let message: (String, Vec<i64>) = e
        .eval(
            "(guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
               (apply-twice (lambda (x) (error \"callback failed\" x)) 5))",
        )
        .unwrap();
    assert_eq!(message, ("callback failed".to_string(), vec![5]));
    // Once a callback raised, later calls of callbacks in the same C call run no Scheme.
    let calls: i64 = e
        .eval(
            "(define calls 0)
             (guard (e ((eq? e 'three) calls))
               (sum-calls (lambda (i) (set! calls (+ calls 1)) (if (= i 3) (raise 'three) i)) 10))",
        )
        .unwrap();
    assert_eq!(calls, 4);
    // Uncaught, it ends the evaluation as the raise it is.
    fails(&mut e, "(apply-twice (lambda (x) (error \"from a callback\" x)) 7)", "error", "from a callback 7");
    assert_eq!(e.eval::<i64>("(apply-twice (lambda (x) (+ x 1)) 0)").unwrap(), 2);
}

#[test]
fn a_callback_result_that_does_not_convert_is_an_error_of_the_call() {
    let mut e = engine();
    fails(
        &mut e,
        "(apply-twice (lambda (x) \"text\") 1)",
        "type",
        "apply_twice: callback result: expected an exact integer for int, got \"text\"",
    );
    fails(
        &mut e,
        "(apply-twice (lambda (x) (expt 2 40)) 1)",
        "range",
        "apply_twice: callback result: 1099511627776 is out of range for int (-2147483648 to 2147483647)",
    );
    fails(&mut e, "(apply-twice (lambda (x y) x) 1)", "arity", "#<procedure>: expected 2 arguments, got 1");
    let caught: String = e
        .eval(
            "(guard (e ((error-object? e) (error-object-message e))) (apply-double (lambda (a b) 'nan) 1 2))",
        )
        .unwrap();
    assert_eq!(caught, "apply_double: callback result: expected a real number for double, got nan");
}

#[test]
fn callbacks_from_other_threads() {
    let mut e = engine();
    // A blocking call: the engine thread runs the callback while it waits.
    assert_eq!(e.eval::<i64>("(call-on-thread (lambda (x) (+ x 100)) 5)").unwrap(), 105);
    assert_eq!(
        e.eval::<Vec<i64>>("(map (lambda (n) (call-on-thread (lambda (x) (* x x)) n)) '(1 2 3))").unwrap(),
        [1, 4, 9]
    );
    assert_eq!(
        e.eval::<String>(
            "(guard (e ((symbol? e) (symbol->string e))) (call-on-thread (lambda (x) (raise 'far-away)) 1))"
        )
        .unwrap(),
        "far-away"
    );
    // A void callback from another thread is queued and runs once the C call returned.
    let log: Vec<i64> = e
        .eval(
            "(define log '())
             (notify-on-thread (lambda (x) (set! log (cons x log))) 7)
             log",
        )
        .unwrap();
    assert_eq!(log, [7]);

    // With no foreign call running, a queued callback waits for (foreign-run-callbacks).
    e.eval::<()>("(define logger (foreign-callable (lambda (x) (set! log (cons x log))) (int) void))")
        .unwrap();
    let address: usize = e.eval("(pointer-address (identity logger))").unwrap();
    // SAFETY: `address` is the code of the live callback `logger`, a C function taking an
    // int and returning nothing; it stays alive (a global holds it) while the thread runs.
    let logger = unsafe { std::mem::transmute::<usize, extern "C" fn(i32)>(address) };
    std::thread::spawn(move || logger(8)).join().expect("the calling thread");
    assert_eq!(e.eval::<Vec<i64>>("log").unwrap(), [7], "queued, not run yet");
    assert_eq!(e.eval::<Vec<i64>>("(foreign-run-callbacks) log").unwrap(), [8, 7]);
}

// ---- blocking calls and tasks ----

#[test]
fn a_blocking_call_in_synchronous_code_waits_for_the_result() {
    let mut e = engine();
    assert_eq!(e.eval::<i64>("(usleep 1000)").unwrap(), 0);
}

#[tokio::test]
async fn blocking_calls_let_other_tasks_run() {
    let mut e = engine();
    // wait_for_flag returns only once another task has called set_flag (or, after 30 s,
    // -1): while the first task waits in a blocking call, the second runs 100 scheduler
    // rounds and then sets the flag.
    let results: (i64, i64) = e
        .eval_async(
            "(define waiter (spawn (lambda () (wait-for-flag))))
             (define rounds 0)
             (define setter
               (spawn (lambda ()
                        (let loop ()
                          (when (< rounds 100) (set! rounds (+ rounds 1)) (sleep 0) (loop)))
                        (set-flag rounds)
                        rounds)))
             (list (await waiter) (await setter))",
        )
        .await
        .unwrap();
    assert_eq!(results, (100, 100));

    // A task runs while another sleeps in a blocking usleep (on its own thread).
    let log: Vec<String> = e
        .eval_async(
            "(define log '())
             (define (note! what) (set! log (cons what log)))
             (define sleeper (spawn (lambda () (note! \"sleep\") (usleep 200000) (note! \"woke\"))))
             (define worker (spawn (lambda () (note! \"work\") (sleep 0) (note! \"more work\"))))
             (await sleeper)
             (await worker)
             (reverse log)",
        )
        .await
        .unwrap();
    assert_eq!(log, ["sleep", "work", "more work", "woke"]);

    // A callback from another thread during a blocking call under eval_async: the driver
    // runs it (a callback that returns a value blocks its thread until it has run).
    assert_eq!(e.eval_async::<i64>("(call-on-thread (lambda (x) (* x 2)) 21)").await.unwrap(), 42);
    let both: Vec<i64> = e
        .eval_async(
            "(define a (spawn (lambda () (call-on-thread (lambda (x) (+ x 1)) 1))))
             (define b (spawn (lambda () (call-on-thread (lambda (x) (+ x 2)) 2))))
             (list (await a) (await b))",
        )
        .await
        .unwrap();
    assert_eq!(both, [2, 4]);
}
