//! Seam: W1 and W2 through `Engine::eval_to_string`; W3–W6 wait for the host API.

use crate::bench::{self, expect_eq, median, ns_per, timed, OrReason, Outcome, Results};

const SCRIPT: &str = "
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(define (count-to n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (+ sum i)))))
";

const NO_HOST_API: &str = "Seam has no host-function/typed-call/host-type API yet";

pub fn run() -> Results {
    let mut engine = seam::Engine::new();
    let setup = engine.eval_to_string(SCRIPT).map(drop).or_reason("load script");
    let mut cell = |w: fn(&mut seam::Engine) -> Outcome<f64>| setup.clone().and_then(|()| w(&mut engine));
    Results::collect("seam", |i| match i {
        0 => cell(w1),
        1 => cell(w2),
        _ => Err(NO_HOST_API.to_string()),
    })
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
