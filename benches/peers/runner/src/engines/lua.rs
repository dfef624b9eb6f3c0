//! Lua through mlua: the workloads for Lua 5.4 here and, compiled by the `peers-luajit`
//! package from this same file, for LuaJIT.

use std::time::Instant;

use mlua::{Function, Lua, Table, UserData, UserDataFields};

use crate::bench::{self, expect_eq, median, ns_per, timed, OrReason, Outcome, Point, Results};

const SCRIPT: &str = r#"
function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

function count_to(n)
  local sum = 0
  for i = 0, n - 1 do sum = sum + i end
  return sum
end

function call_host(n)
  local sum = 0
  for i = 0, n - 1 do sum = host_add(sum, i) end
  return sum
end

function add(a, b) return a + b end

function sort_points(points)
  table.sort(points, function(a, b) return a.x < b.x end)
  return points
end

function identity(xs) return xs end

function call_async_host(n)
  local sum = 0
  for i = 0, n - 1 do sum = async_add(sum, i) end
  return sum
end

function spawn_await(n)
  local sum = 0
  for i = 0, n - 1 do sum = sum + coroutine.wrap(function() return i end)() end
  return sum
end
"#;

impl UserData for Point {
    fn add_fields<F: UserDataFields<Self>>(fields: &mut F) {
        fields.add_field_method_get("x", |_, point| Ok(point.x));
    }
}

/// Runs W1–W8 in a fresh Lua state (W9 and W10 are LuaJIT's alone: see `peers-luajit`);
/// `engine` names the Lua this binary was built with.
pub fn run(engine: &str) -> Results {
    let lua = Lua::new();
    let setup = setup(&lua);
    let cell = |w: fn(&Lua) -> Outcome<f64>| setup.clone().and_then(|()| w(&lua));
    let workloads = [w1, w2, w3, w4, w5, w6, w7, w8];
    Results::collect(engine, |i| cell(workloads[i]))
        .with_async(|i| cell(workloads[i]))
        .without_ffi("Lua 5.4 has no FFI (LuaJIT's `ffi` library: the luajit row)")
}

fn setup(lua: &Lua) -> Outcome<()> {
    let host_add = lua.create_function(|_, (a, b): (i64, i64)| Ok(a + b)).or_reason("create_function")?;
    lua.globals().set("host_add", host_add).or_reason("set host_add")?;
    let async_add = lua
        .create_async_function(|_, (a, b): (i64, i64)| async move { Ok(a + b) })
        .or_reason("create_async_function")?;
    lua.globals().set("async_add", async_add).or_reason("set async_add")?;
    lua.load(SCRIPT).exec().or_reason("load script")
}

fn global(lua: &Lua, name: &str) -> Outcome<Function> {
    lua.globals().get::<Function>(name).or_reason(name)
}

fn w1(lua: &Lua) -> Outcome<f64> {
    let fib = global(lua, "fib")?;
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(fib.call::<i64>(bench::FIB_N).or_reason("fib")?, bench::FIB_RESULT, "fib"))
    })?;
    Ok(bench::ms(span))
}

fn w2(lua: &Lua) -> Outcome<f64> {
    let count_to = global(lua, "count_to")?;
    let span = median(bench::RUNS, || {
        timed(|| {
            let sum = count_to.call::<i64>(bench::LOOP_N).or_reason("count_to")?;
            expect_eq(sum, bench::LOOP_SUM, "count_to")
        })
    })?;
    Ok(ns_per(span, bench::LOOP_N))
}

fn w3(lua: &Lua) -> Outcome<f64> {
    let call_host = global(lua, "call_host")?;
    let span = median(bench::RUNS, || {
        timed(|| {
            let sum = call_host.call::<i64>(bench::LOOP_N).or_reason("call_host")?;
            expect_eq(sum, bench::LOOP_SUM, "call_host")
        })
    })?;
    Ok(ns_per(span, bench::LOOP_N))
}

fn w4(lua: &Lua) -> Outcome<f64> {
    let add = global(lua, "add")?;
    let span = median(bench::RUNS, || {
        timed(|| {
            let mut sum = 0i64;
            for i in 0..bench::TYPED_CALLS {
                sum = add.call::<i64>((sum, i)).or_reason("add")?;
            }
            expect_eq(sum, bench::TYPED_CALLS * (bench::TYPED_CALLS - 1) / 2, "add loop")
        })
    })?;
    Ok(ns_per(span, bench::TYPED_CALLS))
}

fn w5(lua: &Lua) -> Outcome<f64> {
    let sort_points = global(lua, "sort_points")?;
    let points = bench::points();
    let span = median(bench::SORTS - 1, || {
        let table = lua.create_sequence_from(points.iter().copied()).or_reason("points table")?;
        let start = Instant::now();
        let sorted: Table = sort_points.call(table).or_reason("sort_points")?;
        let span = start.elapsed();
        let xs: Vec<f64> = sorted
            .sequence_values::<mlua::UserDataRef<Point>>()
            .map(|p| p.map(|p| p.x))
            .collect::<mlua::Result<_>>()
            .or_reason("read sorted points")?;
        bench::sorted_by_x(&xs)?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}

fn w6(lua: &Lua) -> Outcome<f64> {
    let identity = global(lua, "identity")?;
    let input = bench::vector();
    let span = median(bench::RUNS, || {
        let start = Instant::now();
        let table = lua.create_sequence_from(input.iter().copied()).or_reason("vector table")?;
        let back: Vec<i64> = identity.call(table).or_reason("identity")?;
        let span = start.elapsed();
        bench::same_vector(&back, &input)?;
        Ok(span)
    })?;
    Ok(bench::ms(span))
}

fn w7(lua: &Lua) -> Outcome<f64> {
    let call_async_host = global(lua, "call_async_host")?;
    let span = median(bench::RUNS, || {
        timed(|| {
            let sum = bench::run_ready(call_async_host.call_async::<i64>(bench::ASYNC_CALLS))
                .or_reason("call_async_host")?;
            expect_eq(sum, bench::ASYNC_CALLS * (bench::ASYNC_CALLS - 1) / 2, "call_async_host")
        })
    })?;
    Ok(ns_per(span, bench::ASYNC_CALLS))
}

fn w8(lua: &Lua) -> Outcome<f64> {
    let spawn_await = global(lua, "spawn_await")?;
    let span = median(bench::RUNS, || {
        timed(|| {
            let sum = spawn_await.call::<i64>(bench::TASKS).or_reason("spawn_await")?;
            expect_eq(sum, bench::TASKS * (bench::TASKS - 1) / 2, "spawn_await")
        })
    })?;
    Ok(ns_per(span, bench::TASKS))
}
