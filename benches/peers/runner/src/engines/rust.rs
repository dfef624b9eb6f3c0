//! The plain-Rust baseline: each workload written directly in Rust, as the floor to compare to.

use std::hint::black_box;
use std::time::Instant;

use crate::bench::{self, expect_eq, median, ns_per, timed, Outcome, Point, Results};

pub fn run() -> Results {
    let workloads = [w1, w2, w3, w4, w5, w6];
    Results::collect("rust", |i| workloads[i]())
}

fn fib(n: i64) -> i64 {
    if n < 2 {
        n
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

fn w1() -> Outcome<f64> {
    let span =
        median(bench::RUNS, || timed(|| expect_eq(fib(black_box(bench::FIB_N)), bench::FIB_RESULT, "fib")))?;
    Ok(bench::ms(span))
}

fn count_to(n: i64) -> i64 {
    let mut sum = 0i64;
    for i in 0..n {
        // black_box on the counter keeps the loop a loop instead of the closed form.
        sum += black_box(i);
    }
    sum
}

fn w2() -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(count_to(black_box(bench::LOOP_N)), bench::LOOP_SUM, "count_to"))
    })?;
    Ok(ns_per(span, bench::LOOP_N))
}

#[inline(never)]
fn host_add(a: i64, b: i64) -> i64 {
    a + b
}

fn call_host(n: i64) -> i64 {
    let mut sum = 0i64;
    for i in 0..n {
        sum = host_add(sum, black_box(i));
    }
    sum
}

fn w3() -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(call_host(black_box(bench::LOOP_N)), bench::LOOP_SUM, "call_host"))
    })?;
    Ok(ns_per(span, bench::LOOP_N))
}

fn w4() -> Outcome<f64> {
    let add: fn(i64, i64) -> i64 = black_box(host_add);
    let span = median(bench::RUNS, || {
        timed(|| {
            let mut sum = 0i64;
            for i in 0..bench::TYPED_CALLS {
                sum = add(sum, i);
            }
            expect_eq(sum, bench::TYPED_CALLS * (bench::TYPED_CALLS - 1) / 2, "add loop")
        })
    })?;
    Ok(ns_per(span, bench::TYPED_CALLS))
}

fn point_x(point: &Point) -> f64 {
    point.x
}

fn w5() -> Outcome<f64> {
    let points = bench::points();
    let span = median(bench::SORTS - 1, || {
        let mut copy = points.clone();
        let start = Instant::now();
        copy.sort_by(|a, b| point_x(a).total_cmp(&point_x(b)));
        let span = start.elapsed();
        bench::sorted_by_x(&copy.iter().map(point_x).collect::<Vec<_>>())?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}

/// In and back is two copies, as in every engine's conversion to its array and out again.
fn w6() -> Outcome<f64> {
    let input = bench::vector();
    let span = median(bench::RUNS, || {
        let start = Instant::now();
        let inside = black_box(input.clone());
        let back = black_box(inside.clone());
        let span = start.elapsed();
        bench::same_vector(&back, &input)?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}
