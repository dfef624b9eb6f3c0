//! C FFI call cost (issue 9): Scheme calling `int add(int, int)` from a small C library
//! (`benches/ffi/bench.c`, compiled with `cc -shared -fPIC -O2` at start) through the direct
//! path and through libffi, `strlen` on a Scheme string and on a bytevector, and the Rust
//! host function `add` of `define_fn` (the peer table's W3) for comparison. Run with
//! `cargo bench -p seam --features ffi --bench ffi`.
//!
//! Every case is a Scheme loop of `N` steps, `(loop (+ i 1) (CALL acc ...))`, timed as a
//! whole; the baseline is the same loop with `(+ acc 1)` in place of the call. The summary
//! printed at the end gives, per case, the median time per step less the baseline's: the
//! cost of one call over that of one Scheme `+` (the loop's test, increment and jump are
//! subtracted, and so is the `+` the call replaces).

use std::cell::RefCell;
use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::Criterion;
use seam::{Engine, Function};

/// Steps of every loop.
const N: i64 = 100_000;

/// The loops: each returns its accumulator, which the benchmark checks.
const PROGRAMS: &str = r#"
(define (plus-loop n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (+ acc 1)))))
(define (host-loop n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (host-add acc 1)))))
(define (add-loop n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (add acc 1)))))
(define (add-ffi-loop n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (add/libffi acc 1)))))
(define text "hello world")
(define bytes (bytevector-append (string->utf8 text) (bytevector 0)))
(define (strlen-loop n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (strlen text)))))
(define (strlen-ffi-loop n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (strlen/libffi text)))))
(define (strlen-bv-loop n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (strlen/bytevector bytes)))))
(define (strlen-ptr-loop n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (strlen/void* bytes)))))
"#;

/// The cases: benchmark name, Scheme loop, expected result, summary label.
const CASES: &[(&str, &str, i64, &str)] = &[
    ("plain loop, + (baseline)", "plus-loop", N, "baseline: loop step with (+ acc 1)"),
    ("Rust host add (W3)", "host-loop", N, "Rust host function add (define_fn, W3)"),
    ("C add, direct", "add-loop", N, "C add(int, int), direct path"),
    ("C add, libffi", "add-ffi-loop", N, "C add(int, int), through libffi"),
    ("strlen string, direct", "strlen-loop", 11, "strlen, (string) size_t, direct (UTF-8 copy)"),
    ("strlen string, libffi", "strlen-ffi-loop", 11, "strlen, (string) size_t, through libffi"),
    ("strlen bytevector, direct", "strlen-bv-loop", 11, "strlen, (bytevector) size_t, direct"),
    ("strlen void*, direct", "strlen-ptr-loop", 11, "strlen, (void*) size_t on a bytevector, direct"),
];

/// Builds `benches/ffi/bench.c` into a shared object in cargo's scratch directory for
/// benchmarks and returns its path.
fn build_library() -> PathBuf {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/ffi/bench.c");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("libseam_ffi_bench.so");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(&cc)
        .args(["-shared", "-fPIC", "-O2", "-o"])
        .arg(&out)
        .arg(&source)
        .status()
        .unwrap_or_else(|e| panic!("could not run {cc}: {e}"));
    assert!(status.success(), "{cc} failed to build {}", source.display());
    out
}

/// A Scheme string literal for `text`.
fn scheme_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// An engine with the C functions declared and the loops defined.
fn engine(library: &str) -> Engine {
    let mut engine = Engine::new();
    // SAFETY: the tests' own C code and the C library, called with their real signatures.
    unsafe { engine.enable_ffi() };
    engine.define_fn("host-add", |a: i64, b: i64| a + b);
    let declarations = format!(
        r#"
(import (seam ffi))
(define lib (load-shared-object {library}))
(define add (foreign-procedure lib "add" (int int) int))
(define add/libffi (foreign-procedure lib "add" (int int) int libffi))
(define strlen (foreign-procedure #f "strlen" (string) size_t))
(define strlen/libffi (foreign-procedure #f "strlen" (string) size_t libffi))
(define strlen/bytevector (foreign-procedure #f "strlen" (bytevector) size_t))
(define strlen/void* (foreign-procedure #f "strlen" (void*) size_t))
"#,
        library = scheme_string(library)
    );
    engine.eval::<()>(&declarations).expect("FFI declarations load");
    engine.eval::<()>(PROGRAMS).expect("benchmark programs load");
    engine
}

/// Nanoseconds per loop step of every timed batch, by case.
#[derive(Default)]
struct Samples(RefCell<Vec<(&'static str, f64)>>);

impl Samples {
    fn record(&self, case: &'static str, span: Duration, iters: u64) {
        let per_step = span.as_secs_f64() * 1e9 / (iters as f64 * N as f64);
        self.0.borrow_mut().push((case, per_step));
    }

    /// The median time per step of `case`'s batches.
    fn median(&self, case: &str) -> Option<f64> {
        let mut xs: Vec<f64> = self.0.borrow().iter().filter(|(c, _)| *c == case).map(|(_, x)| *x).collect();
        xs.sort_by(f64::total_cmp);
        xs.get(xs.len() / 2).copied()
    }
}

fn benchmarks(c: &mut Criterion, engine: &mut Engine, samples: &Samples) {
    for &(name, function, expected, _) in CASES {
        let f: Function<(i64,), i64> = engine.function(function).expect("loop defined");
        c.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    let got = f.call(engine, (black_box(N),)).expect("loop runs");
                    assert_eq!(got, expected, "{function} returned the wrong value");
                }
                let span = start.elapsed();
                samples.record(name, span, iters);
                span
            })
        });
    }
}

/// Per-call figures: each case's median step less the baseline's.
fn summary(samples: &Samples) {
    let Some(baseline) = samples.median(CASES[0].0) else { return };
    println!("\nFFI call cost, ns per call (median loop step less the baseline step, N = {N}):");
    println!("  {:<52} {:>7.2} ns per step", CASES[0].3, baseline);
    for &(name, _, _, label) in &CASES[1..] {
        if let Some(step) = samples.median(name) {
            println!("  {label:<52} {:>7.2} ns per call (step {step:.2})", step - baseline);
        }
    }
}

fn main() {
    let library = build_library();
    let mut engine = engine(library.to_str().expect("UTF-8 path"));
    let samples = Samples::default();
    let mut c = Criterion::default().sample_size(20).configure_from_args();
    benchmarks(&mut c, &mut engine, &samples);
    c.final_summary();
    summary(&samples);
}
