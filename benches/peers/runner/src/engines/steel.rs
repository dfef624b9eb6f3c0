//! Steel (`steel-core`): the workloads as Scheme definitions, called by name from the host.

use std::time::Instant;

use steel::rvals::{Custom, FromSteelVal, IntoSteelVal, SteelVal};
use steel::steel_vm::engine::Engine;
use steel::steel_vm::register_fn::RegisterFn;

use crate::bench::{self, expect_eq, median, ns_per, timed, OrReason, Outcome, Point, Results};

/// The same shapes as Seam's; Steel has no `sort` taking a comparator, so W5 is a merge sort
/// written in Scheme, the way a Scheme without SRFI 132 sorts.
const SCRIPT: &str = r#"
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(define (count-to n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (+ sum i)))))
(define (call-host n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (host-add sum i)))))
(define (add a b) (+ a b))
(define (identity xs) xs)

(define (merge-sorted a b less? acc)
  (cond ((null? a) (append (reverse acc) b))
        ((null? b) (append (reverse acc) a))
        ((less? (car b) (car a)) (merge-sorted a (cdr b) less? (cons (car b) acc)))
        (else (merge-sorted (cdr a) b less? (cons (car a) acc)))))
(define (take-reversed xs n acc)
  (if (= n 0) acc (take-reversed (cdr xs) (- n 1) (cons (car xs) acc))))
(define (drop-n xs n) (if (= n 0) xs (drop-n (cdr xs) (- n 1))))
(define (sort-list xs less?)
  (let ((n (length xs)))
    (if (< n 2)
        xs
        (let ((half (quotient n 2)))
          (merge-sorted (sort-list (reverse (take-reversed xs half '())) less?)
                        (sort-list (drop-n xs half) less?)
                        less?
                        '())))))
(define (sort-points points) (sort-list points (lambda (a b) (< (point-x a) (point-x b)))))
"#;

impl Custom for Point {}

pub fn run() -> Results {
    let mut engine = Engine::new();
    let setup = setup(&mut engine);
    let mut cell = |w: fn(&mut Engine) -> Outcome<f64>| setup.clone().and_then(|()| w(&mut engine));
    let workloads = [w1, w2, w3, w4, w5, w6];
    Results::collect("steel", |i| cell(workloads[i]))
}

fn setup(engine: &mut Engine) -> Outcome<()> {
    engine.register_fn("host-add", |a: i64, b: i64| a + b);
    engine.register_fn("point-x", |point: &Point| point.x);
    engine.run(SCRIPT).map(drop).or_reason("load script")
}

fn call(engine: &mut Engine, name: &str, args: Vec<SteelVal>) -> Outcome<SteelVal> {
    engine.call_function_by_name_with_args(name, args).or_reason(name)
}

fn call_i64(engine: &mut Engine, name: &str, arg: i64) -> Outcome<i64> {
    let arg = arg.into_steelval().or_reason(name)?;
    i64::from_steelval(&call(engine, name, vec![arg])?).or_reason(name)
}

fn w1(engine: &mut Engine) -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(call_i64(engine, "fib", bench::FIB_N)?, bench::FIB_RESULT, "fib"))
    })?;
    Ok(bench::ms(span))
}

fn w2(engine: &mut Engine) -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(call_i64(engine, "count-to", bench::LOOP_N)?, bench::LOOP_SUM, "count-to"))
    })?;
    Ok(ns_per(span, bench::LOOP_N))
}

fn w3(engine: &mut Engine) -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(call_i64(engine, "call-host", bench::LOOP_N)?, bench::LOOP_SUM, "call-host"))
    })?;
    Ok(ns_per(span, bench::LOOP_N))
}

/// Steel's host → script call: look the function up once, then `call_function_with_args`.
fn w4(engine: &mut Engine) -> Outcome<f64> {
    let add = engine.extract_value("add").or_reason("lookup add")?;
    let span = median(bench::RUNS, || {
        timed(|| {
            let mut sum = 0i64;
            for i in 0..bench::TYPED_CALLS {
                let args = vec![SteelVal::IntV(sum as isize), SteelVal::IntV(i as isize)];
                let value = engine.call_function_with_args(add.clone(), args).or_reason("add")?;
                sum = i64::from_steelval(&value).or_reason("add result")?;
            }
            expect_eq(sum, bench::TYPED_CALLS * (bench::TYPED_CALLS - 1) / 2, "add loop")
        })
    })?;
    Ok(ns_per(span, bench::TYPED_CALLS))
}

fn w5(engine: &mut Engine) -> Outcome<f64> {
    let points = bench::points();
    let span = median(bench::SORTS - 1, || {
        let list = points.clone().into_steelval().or_reason("points to list")?;
        let start = Instant::now();
        let sorted = call(engine, "sort-points", vec![list])?;
        let span = start.elapsed();
        let sorted = Vec::<Point>::from_steelval(&sorted).or_reason("sorted points")?;
        bench::sorted_by_x(&sorted.iter().map(|p| p.x).collect::<Vec<_>>())?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}

fn w6(engine: &mut Engine) -> Outcome<f64> {
    let input = bench::vector();
    let span = median(bench::RUNS, || {
        let start = Instant::now();
        let list = input.as_slice().into_steelval().or_reason("vector to list")?;
        let back = call(engine, "identity", vec![list])?;
        let back = Vec::<i64>::from_steelval(&back).or_reason("list to vector")?;
        let span = start.elapsed();
        bench::same_vector(&back, &input)?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}
