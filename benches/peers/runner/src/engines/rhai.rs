//! Rhai: the workloads as script functions called through `Engine::call_fn`.

use std::time::Instant;

use rhai::{Array, CallFnOptions, Dynamic, Engine, Scope, AST};

use crate::bench::{self, expect_eq, median, ns_per, timed, OrReason, Outcome, Point, Results};

const SCRIPT: &str = r#"
fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }

fn count_to(n) {
    let sum = 0;
    for i in 0..n { sum += i; }
    sum
}

fn call_host(n) {
    let sum = 0;
    for i in 0..n { sum = host_add(sum, i); }
    sum
}

fn add(a, b) { a + b }

fn sort_points(points) {
    points.sort(|a, b| if a.x < b.x { -1 } else if a.x > b.x { 1 } else { 0 });
    points
}

fn identity(xs) { xs }
"#;

struct Rhai {
    engine: Engine,
    ast: AST,
}

impl Rhai {
    /// Calls a script function; the AST holds only definitions, so it is not re-run first.
    fn call<T: std::any::Any + Clone>(&self, name: &str, args: impl rhai::FuncArgs) -> Outcome<T> {
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(false);
        let value: Dynamic = self
            .engine
            .call_fn_with_options(options, &mut Scope::new(), &self.ast, name, args)
            .or_reason(name)?;
        let type_name = value.type_name();
        value.try_cast::<T>().ok_or_else(|| format!("{name} returned a {type_name}"))
    }
}

pub fn run() -> Results {
    let rhai = setup();
    let cell = |w: fn(&Rhai) -> Outcome<f64>| rhai.as_ref().map_err(Clone::clone).and_then(w);
    let workloads = [w1, w2, w3, w4, w5, w6];
    Results::collect("rhai", |i| cell(workloads[i]))
}

fn setup() -> Outcome<Rhai> {
    let mut engine = Engine::new();
    engine.register_fn("host_add", |a: i64, b: i64| a + b);
    engine.register_type_with_name::<Point>("Point").register_get("x", |point: &mut Point| point.x);
    let ast = engine.compile(SCRIPT).or_reason("compile script")?;
    Ok(Rhai { engine, ast })
}

fn w1(rhai: &Rhai) -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(rhai.call::<i64>("fib", (bench::FIB_N,))?, bench::FIB_RESULT, "fib"))
    })?;
    Ok(bench::ms(span))
}

fn w2(rhai: &Rhai) -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(rhai.call::<i64>("count_to", (bench::LOOP_N,))?, bench::LOOP_SUM, "count_to"))
    })?;
    Ok(ns_per(span, bench::LOOP_N))
}

fn w3(rhai: &Rhai) -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(rhai.call::<i64>("call_host", (bench::LOOP_N,))?, bench::LOOP_SUM, "call_host"))
    })?;
    Ok(ns_per(span, bench::LOOP_N))
}

fn w4(rhai: &Rhai) -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| {
            let mut sum = 0i64;
            for i in 0..bench::TYPED_CALLS {
                sum = rhai.call::<i64>("add", (sum, i))?;
            }
            expect_eq(sum, bench::TYPED_CALLS * (bench::TYPED_CALLS - 1) / 2, "add loop")
        })
    })?;
    Ok(ns_per(span, bench::TYPED_CALLS))
}

fn w5(rhai: &Rhai) -> Outcome<f64> {
    let points = bench::points();
    let span = median(bench::SORTS - 1, || {
        let array: Array = points.iter().map(|p| Dynamic::from(*p)).collect();
        let start = Instant::now();
        let sorted: Array = rhai.call("sort_points", (array,))?;
        let span = start.elapsed();
        let xs: Vec<f64> = sorted
            .into_iter()
            .map(|p| p.try_cast::<Point>().map(|p| p.x).ok_or("sorted element is not a Point".to_string()))
            .collect::<Outcome<_>>()?;
        bench::sorted_by_x(&xs)?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}

fn w6(rhai: &Rhai) -> Outcome<f64> {
    let input = bench::vector();
    let span = median(bench::RUNS, || {
        let start = Instant::now();
        let array: Array = input.iter().map(|&v| Dynamic::from_int(v)).collect();
        let back: Array = rhai.call("identity", (array,))?;
        let back: Vec<i64> =
            back.into_iter().map(|v| v.as_int()).collect::<Result<_, _>>().or_reason("element")?;
        let span = start.elapsed();
        bench::same_vector(&back, &input)?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}
