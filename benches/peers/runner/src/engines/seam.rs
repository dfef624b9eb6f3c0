//! Seam: W1 and W2 through `Engine::eval_to_string`, W3 with a `define_fn` host function,
//! W4 through a typed `Function`, W5 with `Point` as a `HostType` (getter `point-x`) sorted
//! by a merge sort written in Scheme, W6 converting a `Vec<i64>` in and out, W9 and W10
//! through `(seam ffi)` (direct path; the libffi path and a bytevector as extras).

use std::time::Instant;

use seam::{Function, Handle, HostType, TypeBuilder};

use crate::bench::{self, expect_eq, median, ns_per, timed, OrReason, Outcome, Point, Results};

impl HostType for Point {
    const NAME: &'static str = "point";
    fn register(t: &mut TypeBuilder<Self>) {
        t.method("x", |p: &Point| p.x);
    }
}

const SCRIPT: &str = "
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(define (count-to n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (+ sum i)))))
(define (call-host n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (host-add sum i)))))
(define (add a b) (+ a b))
(define (identity xs) xs)
(define (merge-sort! v less?)
  (let ((tmp (make-vector (vector-length v))))
    (let sort ((lo 0) (hi (vector-length v)))
      (when (> (- hi lo) 1)
        (let ((mid (quotient (+ lo hi) 2)))
          (sort lo mid)
          (sort mid hi)
          (let merge ((i lo) (j mid) (k lo))
            (cond ((and (< i mid) (or (= j hi) (not (less? (vector-ref v j) (vector-ref v i)))))
                   (vector-set! tmp k (vector-ref v i))
                   (merge (+ i 1) j (+ k 1)))
                  ((< j hi)
                   (vector-set! tmp k (vector-ref v j))
                   (merge i (+ j 1) (+ k 1)))))
          (vector-copy! v lo tmp lo hi))))
    v))
(define (sort-points points) (merge-sort! points (lambda (a b) (< (point-x a) (point-x b)))))
(define (call-async-host n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (async-add sum i)))))
(define (spawn-await n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (+ sum (await (spawn (lambda () i))))))))
";

pub fn run() -> Results {
    let mut engine = seam::Engine::new();
    // SAFETY: the benchmark's own C library, called with its real signatures.
    unsafe { engine.enable_ffi() };
    engine.define_fn("host-add", |a: i64, b: i64| a + b);
    engine.register_type::<Point>();
    engine.define_async_fn("async-add", |a: i64, b: i64| async move { a + b });
    let setup = engine.eval_to_string(SCRIPT).map(drop).or_reason("load script");
    let mut cell = |w: fn(&mut seam::Engine) -> Outcome<f64>| setup.clone().and_then(|()| w(&mut engine));
    let results = Results::collect("seam", |i| match i {
        0 => cell(w1),
        1 => cell(w2),
        2 => cell(w3),
        3 => cell(w4),
        4 => cell(w5),
        _ => cell(w6),
    })
    .with_async(|i| match i {
        6 => cell(w7),
        _ => cell(w8),
    });
    let ffi = setup.and_then(|()| ffi_setup(&mut engine));
    let mut run_ffi = |function: &str, want: i64| match &ffi {
        Ok(()) => ffi_loop(&mut engine, function, want),
        Err(reason) => Err(reason.clone()),
    };
    let results = results.with_ffi(|i| match i {
        8 => run_ffi("ffi-add", bench::FFI_CALLS),
        _ => run_ffi("ffi-strlen", bench::TEXT_LEN),
    });
    let add_libffi = run_ffi("ffi-add/libffi", bench::FFI_CALLS);
    let strlen_libffi = run_ffi("ffi-strlen/libffi", bench::TEXT_LEN);
    let strlen_bytevector = run_ffi("ffi-strlen/bytevector", bench::TEXT_LEN);
    results
        .with_extra("W9 through libffi (`libffi` option)", add_libffi)
        .with_extra("W10 through libffi (`libffi` option)", strlen_libffi)
        .with_extra("W10 on a bytevector, `(bytevector) size_t` (no copy)", strlen_bytevector)
}

/// Declares the C functions of W9 and W10 and the loops calling them.
fn ffi_setup(engine: &mut seam::Engine) -> Outcome<()> {
    let library = bench::ffi_library()?;
    let quoted = format!("\"{}\"", library.replace('\\', "\\\\").replace('"', "\\\""));
    let source = format!(
        r#"
(import (seam ffi))
(define lib (load-shared-object {quoted}))
(define c-add (foreign-procedure lib "add" (int int) int))
(define c-add/libffi (foreign-procedure lib "add" (int int) int libffi))
(define strlen (foreign-procedure #f "strlen" (string) size_t))
(define strlen/libffi (foreign-procedure #f "strlen" (string) size_t libffi))
(define strlen/bytevector (foreign-procedure #f "strlen" (bytevector) size_t))
(define text "{text}")
(define text-bytes (bytevector-append (string->utf8 text) (bytevector 0)))
(define (ffi-add n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (c-add acc 1)))))
(define (ffi-add/libffi n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (c-add/libffi acc 1)))))
(define (ffi-strlen n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (strlen text)))))
(define (ffi-strlen/libffi n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (strlen/libffi text)))))
(define (ffi-strlen/bytevector n)
  (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (strlen/bytevector text-bytes)))))
"#,
        text = bench::TEXT
    );
    engine.eval_to_string(&source).map(drop).or_reason("FFI declarations")
}

/// ns per iteration of the FFI loop `function` over `FFI_CALLS` steps, which must return
/// `want`.
fn ffi_loop(engine: &mut seam::Engine, function: &str, want: i64) -> Outcome<f64> {
    let f: Function<(i64,), i64> = engine.function(function).or_reason(function)?;
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(f.call(engine, (bench::FFI_CALLS,)).or_reason(function)?, want, function))
    })?;
    Ok(ns_per(span, bench::FFI_CALLS))
}

fn w7(engine: &mut seam::Engine) -> Outcome<f64> {
    let call_async_host: Function<(i64,), i64> =
        engine.function("call-async-host").or_reason("call-async-host")?;
    let span = median(bench::RUNS, || {
        timed(|| {
            let sum = bench::run_ready(call_async_host.call_async(engine, (bench::ASYNC_CALLS,)))
                .or_reason("call-async-host")?;
            expect_eq(sum, bench::ASYNC_CALLS * (bench::ASYNC_CALLS - 1) / 2, "call-async-host")
        })
    })?;
    Ok(ns_per(span, bench::ASYNC_CALLS))
}

fn w8(engine: &mut seam::Engine) -> Outcome<f64> {
    let spawn_await: Function<(i64,), i64> = engine.function("spawn-await").or_reason("spawn-await")?;
    let span = median(bench::RUNS, || {
        timed(|| {
            let sum =
                bench::run_ready(spawn_await.call_async(engine, (bench::TASKS,))).or_reason("spawn-await")?;
            expect_eq(sum, bench::TASKS * (bench::TASKS - 1) / 2, "spawn-await")
        })
    })?;
    Ok(ns_per(span, bench::TASKS))
}

/// Evaluates `form` and checks its printed value.
fn eval_expect(engine: &mut seam::Engine, form: &str, want: i64) -> Outcome<()> {
    let got = engine.eval_to_string(form).or_reason(form)?;
    expect_eq(got, want.to_string(), form)
}

fn w1(engine: &mut seam::Engine) -> Outcome<f64> {
    let form = format!("(fib {})", bench::FIB_N);
    let span = median(bench::RUNS, || timed(|| eval_expect(engine, &form, bench::FIB_RESULT)))?;
    Ok(bench::ms(span))
}

fn w2(engine: &mut seam::Engine) -> Outcome<f64> {
    let form = format!("(count-to {})", bench::LOOP_N);
    let span = median(bench::RUNS, || timed(|| eval_expect(engine, &form, bench::LOOP_SUM)))?;
    Ok(ns_per(span, bench::LOOP_N))
}

fn w3(engine: &mut seam::Engine) -> Outcome<f64> {
    let form = format!("(call-host {})", bench::LOOP_N);
    let span = median(bench::RUNS, || timed(|| eval_expect(engine, &form, bench::LOOP_SUM)))?;
    Ok(ns_per(span, bench::LOOP_N))
}

fn w4(engine: &mut seam::Engine) -> Outcome<f64> {
    let add: Function<(i64, i64), i64> = engine.function("add").or_reason("add")?;
    let span = median(bench::RUNS, || {
        timed(|| {
            let mut sum = 0i64;
            for i in 0..bench::TYPED_CALLS {
                sum = add.call(engine, (sum, i)).or_reason("add")?;
            }
            expect_eq(sum, bench::TYPED_CALLS * (bench::TYPED_CALLS - 1) / 2, "add loop")
        })
    })?;
    Ok(ns_per(span, bench::TYPED_CALLS))
}

fn w5(engine: &mut seam::Engine) -> Outcome<f64> {
    // As for the other engines, the points are made into host objects before the clock
    // starts and read back after it stops.
    let sort_points: Function<(seam::Value,), seam::Value> =
        engine.function("sort-points").or_reason("sort-points")?;
    let points = bench::points();
    let span = median(bench::SORTS - 1, || {
        let vector = engine.value(points.clone()).or_reason("points vector")?;
        let start = Instant::now();
        let sorted = sort_points.call(engine, (vector,)).or_reason("sort-points")?;
        let span = start.elapsed();
        let sorted: Vec<Handle<Point>> = engine.convert(&sorted).or_reason("sorted points")?;
        let xs: Vec<f64> = sorted
            .iter()
            .map(|p| p.borrow(engine).map(|p| p.x))
            .collect::<Result<_, _>>()
            .or_reason("read sorted points")?;
        bench::sorted_by_x(&xs)?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}

fn w6(engine: &mut seam::Engine) -> Outcome<f64> {
    let identity: Function<(Vec<i64>,), Vec<i64>> = engine.function("identity").or_reason("identity")?;
    let input = bench::vector();
    let span = median(bench::RUNS, || {
        let argument = input.clone();
        let start = Instant::now();
        let back = identity.call(engine, (argument,)).or_reason("identity")?;
        let span = start.elapsed();
        bench::same_vector(&back, &input)?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}
