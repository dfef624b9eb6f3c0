//! Rune: the workloads as `pub fn`s of one unit, run on one `Vm`.

use std::sync::Arc;
use std::time::Instant;

use rune::runtime::Function;
use rune::termcolor::{ColorChoice, StandardStream};
use rune::{Any, Context, Diagnostics, Module, Source, Sources, Value, Vm};

use crate::bench::{self, expect_eq, median, ns_per, timed, OrReason, Outcome, Results};

const SCRIPT: &str = r#"
use std::cmp::Ordering;

pub fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }

pub fn count_to(n) {
    let sum = 0;
    for i in 0..n { sum += i; }
    sum
}

pub fn call_host(n) {
    let sum = 0;
    for i in 0..n { sum = host_add(sum, i); }
    sum
}

pub fn add(a, b) { a + b }

pub fn sort_points(points) {
    points.sort_by(|a, b| if a.x < b.x { Ordering::Less } else if a.x > b.x { Ordering::Greater } else { Ordering::Equal });
    points
}

pub fn identity(xs) { xs }
"#;

/// Rune's host types need its derive on the type itself, so W5's point is this twin of
/// `bench::Point`.
#[derive(Any, Clone, Copy, Debug)]
struct Point {
    #[rune(get)]
    x: f64,
    #[allow(dead_code)]
    y: f64,
}

pub fn run() -> Results {
    let mut vm = setup();
    let mut cell = |w: fn(&mut Vm) -> Outcome<f64>| match vm.as_mut() {
        Ok(vm) => w(vm),
        Err(reason) => Err(reason.clone()),
    };
    let workloads = [w1, w2, w3, w4, w5, w6];
    Results::collect("rune", |i| cell(workloads[i]))
}

fn setup() -> Outcome<Vm> {
    let mut module = Module::new();
    module.function("host_add", |a: i64, b: i64| a + b).build().or_reason("register host_add")?;
    module.ty::<Point>().or_reason("register Point")?;
    let mut context = Context::with_default_modules().or_reason("context")?;
    context.install(module).or_reason("install module")?;
    let runtime = Arc::new(context.runtime().or_reason("runtime")?);
    let mut sources = Sources::new();
    sources.insert(Source::memory(SCRIPT).or_reason("source")?).or_reason("source")?;
    let mut diagnostics = Diagnostics::new();
    let unit = rune::prepare(&mut sources).with_context(&context).with_diagnostics(&mut diagnostics).build();
    if !diagnostics.is_empty() {
        let mut stderr = StandardStream::stderr(ColorChoice::Never);
        diagnostics.emit(&mut stderr, &sources).or_reason("diagnostics")?;
    }
    Ok(Vm::new(runtime, Arc::new(unit.or_reason("compile script")?)))
}

fn call_i64(vm: &mut Vm, name: &str, arg: i64) -> Outcome<i64> {
    let value = vm.call([name], (arg,)).or_reason(name)?;
    rune::from_value(value).or_reason(name)
}

fn w1(vm: &mut Vm) -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(call_i64(vm, "fib", bench::FIB_N)?, bench::FIB_RESULT, "fib"))
    })?;
    Ok(bench::ms(span))
}

fn w2(vm: &mut Vm) -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(call_i64(vm, "count_to", bench::LOOP_N)?, bench::LOOP_SUM, "count_to"))
    })?;
    Ok(ns_per(span, bench::LOOP_N))
}

fn w3(vm: &mut Vm) -> Outcome<f64> {
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(call_i64(vm, "call_host", bench::LOOP_N)?, bench::LOOP_SUM, "call_host"))
    })?;
    Ok(ns_per(span, bench::LOOP_N))
}

fn w4(vm: &mut Vm) -> Outcome<f64> {
    let add: Function = vm.lookup_function(["add"]).or_reason("lookup add")?;
    let span = median(bench::RUNS, || {
        timed(|| {
            let mut sum = 0i64;
            for i in 0..bench::TYPED_CALLS {
                sum = add.call::<i64>((sum, i)).into_result().or_reason("add")?;
            }
            expect_eq(sum, bench::TYPED_CALLS * (bench::TYPED_CALLS - 1) / 2, "add loop")
        })
    })?;
    Ok(ns_per(span, bench::TYPED_CALLS))
}

fn w5(vm: &mut Vm) -> Outcome<f64> {
    let points: Vec<Point> = bench::points().iter().map(|p| Point { x: p.x, y: p.y }).collect();
    let span = median(bench::SORTS - 1, || {
        let list: Value = rune::to_value(points.clone()).or_reason("points to_value")?;
        let start = Instant::now();
        let sorted = vm.call(["sort_points"], (list,)).or_reason("sort_points")?;
        let span = start.elapsed();
        let sorted: Vec<Point> = rune::from_value(sorted).or_reason("sorted points")?;
        bench::sorted_by_x(&sorted.iter().map(|p| p.x).collect::<Vec<_>>())?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}

fn w6(vm: &mut Vm) -> Outcome<f64> {
    let input = bench::vector();
    let span = median(bench::RUNS, || {
        // The copy `to_value` consumes is made off the clock: the conversion is what is timed.
        let owned = input.clone();
        let start = Instant::now();
        let list: Value = rune::to_value(owned).or_reason("vector to_value")?;
        let back = vm.call(["identity"], (list,)).or_reason("identity")?;
        let back: Vec<i64> = rune::from_value(back).or_reason("vector from_value")?;
        let span = start.elapsed();
        bench::same_vector(&back, &input)?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}
