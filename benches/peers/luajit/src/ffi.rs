//! W9 and W10 for LuaJIT: the C functions through LuaJIT's `ffi` library (`ffi.cdef`,
//! `ffi.load` for `add`, `ffi.C` for `strlen`), in a Lua state of their own that has it
//! (mlua leaves `ffi` out of safe states).

use mlua::{Function, Lua, LuaOptions, StdLib};

use crate::bench::{self, expect_eq, median, ns_per, timed, OrReason, Outcome, Results};

const SCRIPT: &str = r#"
local ffi = require("ffi")
ffi.cdef[[
int add(int a, int b);
size_t strlen(const char *s);
]]
local lib = ffi.load(LIBRARY)
local C = ffi.C

function ffi_add(n)
  local add = lib.add
  local acc = 0
  for i = 0, n - 1 do acc = add(acc, 1) end
  return acc
end

-- size_t comes back as a 64-bit cdata: tonumber makes it a Lua number, as a caller would.
function ffi_strlen(n)
  local strlen = C.strlen
  local text = TEXT
  local acc = 0
  for i = 0, n - 1 do acc = tonumber(strlen(text)) end
  return acc
end
"#;

/// Adds W9 and W10 to LuaJIT's results.
pub fn run(results: Results) -> Results {
    // SAFETY: the state loads only the standard libraries and LuaJIT's `ffi`, which the
    // script uses to call the two C functions it declares with their real signatures.
    let lua = unsafe { Lua::unsafe_new_with(StdLib::ALL_SAFE | StdLib::FFI, LuaOptions::new()) };
    let setup = setup(&lua);
    results.with_ffi(|i| {
        setup.clone().and_then(|()| match i {
            8 => ffi_loop(&lua, "ffi_add", bench::FFI_CALLS),
            _ => ffi_loop(&lua, "ffi_strlen", bench::TEXT_LEN),
        })
    })
}

fn setup(lua: &Lua) -> Outcome<()> {
    let library = bench::ffi_library()?;
    lua.globals().set("LIBRARY", library).or_reason("set LIBRARY")?;
    lua.globals().set("TEXT", bench::TEXT).or_reason("set TEXT")?;
    lua.load(SCRIPT).exec().or_reason("load FFI script")
}

/// ns per iteration of the Lua loop `name` over `FFI_CALLS` steps, which must return `want`.
fn ffi_loop(lua: &Lua, name: &str, want: i64) -> Outcome<f64> {
    let function = lua.globals().get::<Function>(name).or_reason(name)?;
    let span = median(bench::RUNS, || {
        timed(|| expect_eq(function.call::<i64>(bench::FFI_CALLS).or_reason(name)?, want, name))
    })?;
    Ok(ns_per(span, bench::FFI_CALLS))
}
