//! VM benchmarks: `fib(25)`, `tak 18 12 6`, and a 1,000,000-iteration counting loop.
//! Run with `cargo bench -p seam`.

use criterion::{criterion_group, criterion_main, Criterion};
use seam::Engine;

const PROGRAMS: &str = "
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(define (tak x y z) (if (not (< y x)) z (tak (tak (- x 1) y z) (tak (- y 1) z x) (tak (- z 1) x y))))
(define (count-to n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (+ sum i)))))
";

fn benchmarks(c: &mut Criterion) {
    let mut engine = Engine::new();
    engine.eval_to_string(PROGRAMS).expect("benchmark programs load");
    c.bench_function("fib 25", |b| b.iter(|| engine.eval_to_string("(fib 25)").expect("fib runs")));
    c.bench_function("tak 18 12 6", |b| b.iter(|| engine.eval_to_string("(tak 18 12 6)").expect("tak runs")));
    c.bench_function("loop 1M", |b| {
        b.iter(|| engine.eval_to_string("(count-to 1000000)").expect("loop runs"))
    });
    c.bench_function("engine new", |b| b.iter(Engine::new));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = benchmarks
}
criterion_main!(benches);
