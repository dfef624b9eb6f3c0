//! `peers-luajit`: the Lua workloads of `seam-peers`, built against LuaJIT. It is its own
//! package because mlua's Lua versions exclude each other; the runner spawns it as the
//! `luajit` child and reads its JSON line. W9 and W10 (LuaJIT's FFI) are in `ffi.rs`.

#[path = "../../runner/src/bench.rs"]
#[allow(dead_code)]
mod bench;
mod ffi;
#[path = "../../runner/src/engines/lua.rs"]
mod lua;

fn main() {
    println!("{}", ffi::run(lua::run("luajit")).to_json());
}
