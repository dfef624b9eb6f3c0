//! The plain-Rust baseline: each workload written directly in Rust, as the floor to compare to
//! (W9 and W10: the C functions called through function pointers, `add` from the library
//! loaded with `libloading`).

use std::ffi::{c_char, c_int, CString};
use std::hint::black_box;
use std::time::Instant;

use crate::bench::{self, expect_eq, median, ns_per, timed, OrReason, Outcome, Point, Results};

pub fn run() -> Results {
    let workloads = [w1, w2, w3, w4, w5, w6];
    Results::collect("rust", |i| workloads[i]()).with_ffi(|i| match i {
        8 => w9(),
        _ => w10(),
    })
}

type AddFn = unsafe extern "C" fn(c_int, c_int) -> c_int;
type StrlenFn = unsafe extern "C" fn(*const c_char) -> usize;

extern "C" {
    fn strlen(s: *const c_char) -> usize;
}

fn w9() -> Outcome<f64> {
    let path = bench::ffi_library()?;
    // SAFETY: the library is the benchmark's own C file, whose initialisers do nothing.
    let library = unsafe { libloading::Library::new(&path) }.or_reason("load the C library")?;
    // SAFETY: `add` is declared in bench.c as `int add(int a, int b)`.
    let add: AddFn = *unsafe { library.get::<AddFn>(b"add\0") }.or_reason("find add")?;
    // Through black_box, the compiler knows nothing of the pointer: an indirect call each time.
    let add = black_box(add);
    let span = median(bench::RUNS, || {
        timed(|| {
            let mut acc: c_int = 0;
            for _ in 0..bench::FFI_CALLS {
                // SAFETY: the signature is add's.
                acc = unsafe { add(acc, 1) };
            }
            expect_eq(acc as i64, bench::FFI_CALLS, "add loop")
        })
    })?;
    drop(library);
    Ok(ns_per(span, bench::FFI_CALLS))
}

fn w10() -> Outcome<f64> {
    let text = CString::new(bench::TEXT).or_reason("text")?;
    let strlen: StrlenFn = black_box(strlen);
    let span = median(bench::RUNS, || {
        timed(|| {
            let mut acc = 0usize;
            for _ in 0..bench::FFI_CALLS {
                // SAFETY: `text` is a NUL-terminated string that outlives the call.
                acc = unsafe { strlen(black_box(text.as_ptr())) };
            }
            expect_eq(acc as i64, bench::TEXT_LEN, "strlen loop")
        })
    })?;
    Ok(ns_per(span, bench::FFI_CALLS))
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
