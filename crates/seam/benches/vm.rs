//! VM benchmarks: `fib(25)`, `tak 18 12 6`, a 1,000,000-iteration counting loop, and
//! micro-benchmarks of the paths that matter (non-tail calls, tail calls, closure creation,
//! pair allocation, bignum arithmetic, interning symbols, `Engine::new`), and `fib(25)` with every limit set. Run with `cargo bench -p seam`.
//! The embedding paths (host calls, typed calls, conversions) are in `benches/embed.rs`.

use criterion::{criterion_group, criterion_main, Criterion};
use seam::Engine;

const PROGRAMS: &str = "
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(define (tak x y z) (if (not (< y x)) z (tak (tak (- x 1) y z) (tak (- y 1) z x) (tak (- z 1) x y))))
(define (count-to n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (+ sum i)))))
(define (id x) x)
(define (calls n) (let loop ((i 0)) (if (< i n) (begin (id i) (loop (+ i 1))) i)))
(define (tail-calls n) (if (= n 0) 0 (tail-calls (- n 1))))
(define (closures n) (let loop ((i 0) (f #f)) (if (< i n) (loop (+ i 1) (lambda () i)) f)))
(define (conses n) (let loop ((i 0) (l '())) (if (< i n) (loop (+ i 1) (cons i l)) (length l))))
(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
(define (symbols n) (let loop ((i 0)) (if (< i n) (begin (string->symbol (number->string i)) (loop (+ i 1))) i)))
";

fn benchmarks(c: &mut Criterion) {
    let mut engine = Engine::new();
    engine.eval_to_string(PROGRAMS).expect("benchmark programs load");
    c.bench_function("fib 25", |b| b.iter(|| engine.eval_to_string("(fib 25)").expect("fib runs")));
    // The same with every limit set (fuel, memory, depth, time): the check points then do
    // the same work, but the slow path also accounts fuel and reads the clock.
    let mut limited = Engine::new();
    limited.eval_to_string(PROGRAMS).expect("benchmark programs load");
    limited.set_fuel(Some(1 << 40));
    limited.set_memory_limit(Some(1 << 30));
    limited.set_max_depth(Some(1 << 20));
    limited.set_time_limit(Some(std::time::Duration::from_secs(3600)));
    c.bench_function("fib 25 (all limits set)", |b| {
        b.iter(|| limited.eval_to_string("(fib 25)").expect("fib runs"))
    });
    c.bench_function("tak 18 12 6", |b| b.iter(|| engine.eval_to_string("(tak 18 12 6)").expect("tak runs")));
    c.bench_function("loop 1M", |b| {
        b.iter(|| engine.eval_to_string("(count-to 1000000)").expect("loop runs"))
    });
    c.bench_function("100k non-tail calls", |b| {
        b.iter(|| engine.eval_to_string("(calls 100000)").expect("runs"))
    });
    c.bench_function("100k tail calls", |b| {
        b.iter(|| engine.eval_to_string("(tail-calls 100000)").expect("runs"))
    });
    c.bench_function("100k closures", |b| {
        b.iter(|| engine.eval_to_string("(closures 100000)").expect("runs"))
    });
    c.bench_function("100k conses", |b| b.iter(|| engine.eval_to_string("(conses 100000)").expect("runs")));
    c.bench_function("factorial 1000 (bignum)", |b| {
        b.iter(|| engine.eval_to_string("(fact 1000)").expect("runs"))
    });
    c.bench_function("100k string->symbol", |b| {
        b.iter(|| engine.eval_to_string("(symbols 100000)").expect("runs"))
    });
    c.bench_function("engine new", |b| b.iter(Engine::new));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = benchmarks
}
criterion_main!(benches);
