//! Embedding benchmarks, the same shapes as the peer table's W3, W4 and W6: Scheme calling
//! a Rust host function in a loop, Rust calling a typed Scheme `Function`, and a
//! 1,000,000-element `Vec<i64>` going into Scheme and back; plus the cost of an async host
//! call whose future is immediately ready (100k in a loop under `eval_async`, driven by a
//! no-op waker) and of `spawn` + `await` of a trivial task. Run with
//! `cargo bench -p seam --bench embed`.

use criterion::{criterion_group, criterion_main, Criterion};
use seam::{Engine, Function};

const PROGRAMS: &str = "
(define (count-to n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (+ sum i)))))
(define (call-host n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (host-add sum i)))))
(define (add a b) (+ a b))
(define (identity xs) xs)
(define (call-async-host n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (async-add sum i)))))
(define (spawn-await n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (+ sum (await (spawn (lambda () i))))))))
";

/// Polls `future` to completion with a no-op waker: fine for futures that never wait.
fn run_ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

fn benchmarks(c: &mut Criterion) {
    let mut engine = Engine::new();
    engine.define_fn("host-add", |a: i64, b: i64| a + b);
    engine.define_async_fn("async-add", |a: i64, b: i64| async move { a + b });
    engine.eval::<()>(PROGRAMS).expect("benchmark programs load");
    c.bench_function("loop 100k (baseline for host calls)", |b| {
        b.iter(|| engine.eval::<i64>("(count-to 100000)").expect("loop runs"))
    });
    c.bench_function("100k Scheme -> Rust host calls (W3)", |b| {
        b.iter(|| engine.eval::<i64>("(call-host 100000)").expect("loop runs"))
    });
    c.bench_function("100k Scheme -> Rust async host calls, ready futures", |b| {
        b.iter(|| run_ready(engine.eval_async::<i64>("(call-async-host 100000)")).expect("loop runs"))
    });
    c.bench_function("10k spawn + await of a trivial task", |b| {
        b.iter(|| run_ready(engine.eval_async::<i64>("(spawn-await 10000)")).expect("loop runs"))
    });
    let add: Function<(i64, i64), i64> = engine.function("add").expect("add");
    c.bench_function("Rust -> Scheme typed call (W4)", |b| {
        b.iter(|| add.call(&mut engine, (1, 2)).expect("call"))
    });
    let identity: Function<(Vec<i64>,), Vec<i64>> = engine.function("identity").expect("identity");
    let input: Vec<i64> = (0..1_000_000).collect();
    c.bench_function("Vec<i64> 1M round trip (W6)", |b| {
        b.iter_batched(
            || input.clone(),
            |v| identity.call(&mut engine, (v,)).expect("round trip"),
            criterion::BatchSize::LargeInput,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = benchmarks
}
criterion_main!(benches);
