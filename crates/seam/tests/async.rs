//! Async host functions and async evaluation: suspending the calling Scheme code on a
//! host future, errors and their sources, cancellation by dropping the future, the engine
//! inside `tokio::spawn`, and misuse from synchronous code.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use seam::{Ctx, Engine, Error, Function};

fn engine() -> Engine {
    let mut e = Engine::new();
    e.define_async_fn("ready", |x: i64| async move { x * 2 });
    e.define_async_fn("slow-add", |a: i64, b: i64| async move {
        tokio::time::sleep(Duration::from_millis(5)).await;
        a + b
    });
    e.define_async_fn("fetch", |key: String| async move {
        tokio::time::sleep(Duration::from_millis(1)).await;
        if key == "missing" {
            Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("no entry {key}")))
        } else {
            Ok(format!("value of {key}"))
        }
    });
    e
}

#[tokio::test]
async fn async_host_functions_suspend_the_calling_code() {
    let mut e = engine();
    assert_eq!(e.eval_async::<i64>("(ready 21)").await.unwrap(), 42);
    assert_eq!(e.eval_async::<i64>("(+ 1 (slow-add 2 3))").await.unwrap(), 6);
    // Suspending deep inside Scheme code: in map (written in Scheme), in a named let, in
    // dynamic-wind and guard bodies, in a non-tail position of a recursion.
    assert_eq!(
        e.eval_async::<Vec<i64>>("(map (lambda (x) (slow-add x 1)) '(1 2 3))").await.unwrap(),
        [2, 3, 4]
    );
    let total: i64 = e
        .eval_async("(let loop ((i 0) (sum 0)) (if (= i 20) sum (loop (+ i 1) (+ sum (ready i)))))")
        .await
        .unwrap();
    assert_eq!(total, 380);
    let log: Vec<String> = e
        .eval_async(
            "(define log '())
             (dynamic-wind (lambda () (set! log (cons \"in\" log)))
                           (lambda () (set! log (cons (fetch \"k\") log)))
                           (lambda () (set! log (cons \"out\" log))))
             (reverse log)",
        )
        .await
        .unwrap();
    assert_eq!(log, ["in", "value of k", "out"]);
    e.eval_async::<()>("(define (depth n) (if (= n 0) (ready 0) (+ 1 (depth (- n 1)))))").await.unwrap();
    assert_eq!(e.eval_async::<i64>("(depth 1000)").await.unwrap(), 1000);
    // Several forms, definitions persist, sync code still works afterwards.
    assert_eq!(
        e.eval_async::<String>("(define v (fetch \"a\")) (string-append v \"!\")").await.unwrap(),
        "value of a!"
    );
    assert_eq!(e.eval::<String>("v").unwrap(), "value of a");
}

#[tokio::test]
async fn failed_futures_raise_catchable_errors_with_their_source() {
    let mut e = engine();
    let caught: String = e
        .eval_async("(guard (e ((error-object? e) (error-object-message e))) (fetch \"missing\"))")
        .await
        .unwrap();
    assert_eq!(caught, "error in fetch (arity 1): no entry missing");
    let err = e.eval_async::<String>("(fetch \"missing\")").await.unwrap_err();
    assert_eq!(err.kind(), "host");
    let source = std::error::Error::source(&err).and_then(|s| s.source()).expect("source");
    assert_eq!(source.downcast_ref::<std::io::Error>().map(|e| e.kind()), Some(std::io::ErrorKind::NotFound));
    // Argument conversion errors happen before the future starts.
    let err = e.eval_async::<i64>("(slow-add 1 \"x\")").await.unwrap_err();
    assert_eq!(
        err.message(),
        "error in slow-add (arity 2) called with (1 \"x\"): argument 2: expected i64, got string \"x\""
    );
    // The engine is usable after each of them.
    assert_eq!(e.eval_async::<i64>("(ready 1)").await.unwrap(), 2);
}

#[test]
fn async_functions_from_synchronous_code_are_a_clear_error() {
    let mut e = engine();
    let err = e.eval::<i64>("(ready 1)").unwrap_err();
    assert_eq!(err.kind(), "async");
    assert!(err.message().contains("ready is an async host function"), "{}", err.message());
    assert!(err.message().contains("eval_async"), "{}", err.message());
    let caught: String =
        e.eval("(guard (e ((error-object? e) (symbol->string (error-object-kind e)))) (ready 1))").unwrap();
    assert_eq!(caught, "async");
    assert_eq!(e.eval::<i64>("(+ 1 2)").unwrap(), 3);
}

#[tokio::test]
async fn synchronous_host_functions_cannot_be_suspended_through() {
    let mut e = engine();
    e.define_fn("call-sync", |ctx: &mut Ctx, f: Function<(), i64>| f.call(ctx, ()));
    let err = e.eval_async::<i64>("(call-sync (lambda () (ready 1)))").await.unwrap_err();
    assert_eq!(err.kind(), "async");
    assert_eq!(e.eval_async::<i64>("(call-sync (lambda () 5))").await.unwrap(), 5);
}

#[tokio::test]
async fn functions_are_callable_async_from_rust() {
    let mut e = engine();
    e.eval::<()>("(define (handle req) (string-append \"reply to \" req \": \" (fetch req)))").unwrap();
    let handle: Function<(String,), String> = e.function("handle").unwrap();
    assert_eq!(handle.call_async(&mut e, ("req".into(),)).await.unwrap(), "reply to req: value of req");
    let err = handle.call_async(&mut e, ("missing".into(),)).await.unwrap_err();
    assert_eq!(err.kind(), "host");
    // The synchronous call path refuses the async function inside.
    assert_eq!(handle.call(&mut e, ("x".into(),)).unwrap_err().kind(), "async");
}

#[tokio::test]
async fn dropping_the_future_cancels_the_evaluation() {
    let mut e = engine();
    let afters = Arc::new(AtomicUsize::new(0));
    let seen = afters.clone();
    e.define_fn("note-after", move || seen.fetch_add(1, Ordering::SeqCst));
    e.define_async_fn("forever", std::future::pending::<i64>);
    {
        let evaluation = e.eval_async::<i64>(
            "(dynamic-wind (lambda () #t) (lambda () (forever)) (lambda () (note-after)))",
        );
        let outcome = tokio::time::timeout(Duration::from_millis(20), evaluation).await;
        assert!(outcome.is_err(), "the evaluation should still be waiting");
    }
    // The afters did not run half-way; the engine is usable, sync and async.
    assert_eq!(afters.load(Ordering::SeqCst), 0);
    assert_eq!(e.eval::<i64>("(+ 1 2)").unwrap(), 3);
    assert_eq!(e.eval_async::<i64>("(ready 5)").await.unwrap(), 10);
    // And a dynamic-wind that finishes normally runs its after once.
    e.eval_async::<()>("(dynamic-wind (lambda () #t) (lambda () (ready 1)) (lambda () (note-after)))")
        .await
        .unwrap();
    assert_eq!(afters.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_runs_inside_tokio_spawn() {
    let mut e = engine();
    e.eval::<()>("(define (main) (slow-add (slow-add 1 2) (ready 3)))").unwrap();
    let result = tokio::spawn(async move { e.eval_async::<i64>("(main)").await }).await.unwrap();
    assert_eq!(result.unwrap(), 9);
}

#[tokio::test]
async fn async_runs_are_gc_safe() {
    let mut e = engine();
    e.set_gc_stress(true);
    let v: Vec<String> = e
        .eval_async("(map (lambda (k) (string-append (fetch k) (make-string 3 #\\!))) '(\"a\" \"b\" \"c\"))")
        .await
        .unwrap();
    e.set_gc_stress(false);
    assert_eq!(v, ["value of a!!!", "value of b!!!", "value of c!!!"]);
}

#[tokio::test]
async fn errors_in_async_evaluation_report_where() {
    let mut e = engine();
    let err: Error = e.eval_async::<i64>("(ready 1)\n(car (ready 2))").await.unwrap_err();
    assert_eq!(err.kind(), "type");
    assert!(err.to_string().starts_with("<eval>:2:"), "{err}");
}

#[tokio::test]
async fn spawned_tasks_run_concurrently() {
    let mut e = engine();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (now, max) = (in_flight.clone(), most.clone());
    e.define_async_fn("tracked-io", move |x: i64| {
        let (now, max) = (now.clone(), max.clone());
        async move {
            let running = now.fetch_add(1, Ordering::SeqCst) + 1;
            max.fetch_max(running, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            now.fetch_sub(1, Ordering::SeqCst);
            x * 10
        }
    });
    let results: Vec<i64> = e
        .eval_async(
            "(define a (spawn (lambda () (tracked-io 1))))
             (define b (spawn (lambda () (tracked-io 2))))
             (list (await a) (await b))",
        )
        .await
        .unwrap();
    assert_eq!(results, [10, 20]);
    assert_eq!(most.load(Ordering::SeqCst), 2, "both calls were in flight at once");
    assert!(e.eval::<bool>("(task? a)").unwrap());
    assert_eq!(e.eval_to_string("(task? 5)").unwrap(), "#f");
}

#[tokio::test]
async fn await_returns_values_and_re_raises_errors() {
    let mut e = engine();
    assert_eq!(e.eval_async::<i64>("(await (spawn (lambda () (+ 1 (ready 20)))))").await.unwrap(), 41);
    // A task that finished before it is awaited.
    assert_eq!(
        e.eval_async::<i64>("(let ((t (spawn (lambda () 7)))) (sleep 0) (await t))").await.unwrap(),
        7
    );
    // The task's own error object is raised again by `await`.
    let caught: (String, Vec<i64>) = e
        .eval_async(
            "(guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
               (await (spawn (lambda () (error \"task failed\" 1)))))",
        )
        .await
        .unwrap();
    assert_eq!(caught, ("task failed".to_string(), vec![1]));
    let raised: String = e
        .eval_async("(guard (e ((symbol? e) (symbol->string e))) (await (spawn (lambda () (raise 'oops)))))")
        .await
        .unwrap();
    assert_eq!(raised, "oops");
    let caught: String =
        e.eval_async("(guard (e ((error-object? e) (error-object-message e))) (await (spawn (lambda () (fetch \"missing\")))))").await.unwrap();
    assert_eq!(caught, "error in fetch (arity 1): no entry missing");
    assert_eq!(e.eval_async::<i64>("(await 5)").await.unwrap_err().kind(), "type");
    assert_eq!(e.eval_async::<i64>("(spawn 5)").await.unwrap_err().kind(), "type");
    // Tasks outlive the evaluation that spawned them: they go on when the engine is driven.
    e.eval_async::<()>("(define background (spawn (lambda () (sleep 0.01) 'done)))").await.unwrap();
    assert_eq!(e.eval_async::<String>("(symbol->string (await background))").await.unwrap(), "done");
    // Dropping an evaluation cancels the tasks waiting in the engine.
    e.define_async_fn("forever", std::future::pending::<i64>);
    {
        let evaluation = e.eval_async::<()>("(define stuck (spawn (lambda () (forever)))) (forever)");
        assert!(tokio::time::timeout(Duration::from_millis(20), evaluation).await.is_err());
    }
    let err = e.eval_async::<i64>("(await stuck)").await.unwrap_err();
    assert_eq!(err.kind(), "cancelled");
}

#[tokio::test]
async fn channels_carry_values_between_tasks() {
    let mut e = engine();
    let received: Vec<i64> = e
        .eval_async(
            "(define ch (make-channel))
             (define producer
               (spawn (lambda ()
                        (let loop ((i 0))
                          (when (< i 5)
                            (channel-send ch (ready i))
                            (loop (+ i 1)))))))
             (let loop ((i 0) (acc '()))
               (if (= i 5) (reverse acc) (loop (+ i 1) (cons (channel-receive ch) acc))))",
        )
        .await
        .unwrap();
    assert_eq!(received, [0, 2, 4, 6, 8]);
    // A receiver waits for a value sent later by another task.
    let v: String = e
        .eval_async(
            "(define c2 (make-channel))
             (spawn (lambda () (sleep 0.01) (channel-send c2 \"late\")))
             (channel-receive c2)",
        )
        .await
        .unwrap();
    assert_eq!(v, "late");
    assert!(e.eval::<bool>("(channel? c2)").unwrap());
    assert_eq!(e.eval::<()>("(channel-send 5 1)").unwrap_err().kind(), "type");
    assert_eq!(e.eval::<i64>("(channel-receive ch)").unwrap_err().kind(), "async");
}

#[tokio::test]
async fn sleep_waits_without_blocking_other_tasks() {
    let mut e = engine();
    let start = std::time::Instant::now();
    let order: Vec<String> = e
        .eval_async(
            "(define log '())
             (define slow (spawn (lambda () (sleep 0.05) (set! log (cons \"slow\" log)))))
             (define fast (spawn (lambda () (sleep 0.01) (set! log (cons \"fast\" log)))))
             (await slow) (await fast)
             (reverse log)",
        )
        .await
        .unwrap();
    assert_eq!(order, ["fast", "slow"]);
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(e.eval_async::<()>("(sleep -1)").await.unwrap_err().kind(), "type");
}

#[tokio::test]
async fn many_tasks_do_not_leak() {
    let mut e = engine();
    e.eval_async::<()>("(define (run n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (+ sum (await (spawn (lambda () i))))))))").await.unwrap();
    assert_eq!(e.eval_async::<i64>("(run 100)").await.unwrap(), 4950);
    let before = e.collect_garbage();
    assert_eq!(e.eval_async::<i64>("(run 20000)").await.unwrap(), 199990000);
    let after = e.collect_garbage();
    assert!(after <= before + 64 * 1024, "{before} -> {after}");
}

#[tokio::test]
async fn machine_host_functions_call_scheme_and_await_it() {
    use seam::AsyncCtx;
    let mut e = engine();
    // with-retry: calls a Scheme thunk, sleeps, calls again — Scheme -> Rust -> Scheme -> Rust, all async.
    e.define_async_fn("with-retry", |cx: AsyncCtx, tries: u32, thunk: Function<(), bool>| async move {
        for attempt in 1..=tries {
            if cx.call(&thunk, ()).await? {
                return Ok::<_, Error>(attempt);
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok(0)
    });
    let attempts: u32 = e
        .eval_async("(define n 0) (with-retry 5 (lambda () (set! n (+ n 1)) (string=? (fetch \"x\") \"value of x\") (= n 3)))")
        .await
        .unwrap();
    assert_eq!(attempts, 3);
    // The called procedure's errors come back to the host function as Errs.
    e.define_async_fn("try-call", |cx: AsyncCtx, f: Function<(), i64>| async move {
        match cx.call(&f, ()).await {
            Ok(v) => format!("ok {v}"),
            Err(e) => format!("failed: {} ({})", e.message(), e.kind()),
        }
    });
    assert_eq!(e.eval_async::<String>("(try-call (lambda () (slow-add 1 2)))").await.unwrap(), "ok 3");
    assert_eq!(
        e.eval_async::<String>("(try-call (lambda () (car '())))").await.unwrap(),
        "failed: car: argument 1: expected pair, got () (type)"
    );
    assert_eq!(
        e.eval_async::<String>("(try-call (lambda () \"not a number\"))").await.unwrap(),
        "failed: result: expected i64, got string \"not a number\" (invalid-type)"
    );
    // Nested machines.
    assert_eq!(
        e.eval_async::<u32>("(with-retry 2 (lambda () (= 1 (with-retry 2 (lambda () #t)))))").await.unwrap(),
        1
    );
    // From synchronous code it is the usual error.
    assert_eq!(e.eval::<u32>("(with-retry 1 (lambda () #t))").unwrap_err().kind(), "async");
}

/// A minimal executor: polls `future`, parking the thread until its waker is called.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct ThreadWaker(std::thread::Thread);
    impl std::task::Wake for ThreadWaker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

#[test]
fn the_executor_is_runtime_agnostic() {
    // No tokio runtime here: `sleep` falls back to a timer thread, tasks still interleave.
    let mut e = Engine::new();
    let order: Vec<String> = block_on(e.eval_async(
        "(define log '())
         (define a (spawn (lambda () (sleep 0.03) (set! log (cons \"a\" log)))))
         (define b (spawn (lambda () (sleep 0.01) (set! log (cons \"b\" log)))))
         (await a) (await b)
         (reverse log)",
    ))
    .unwrap();
    assert_eq!(order, ["b", "a"]);
}
