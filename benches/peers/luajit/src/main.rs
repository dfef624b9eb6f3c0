//! `peers-luajit`: the Lua workloads of `seam-peers`, built against LuaJIT. It is its own
//! package because mlua's Lua versions exclude each other; the runner spawns it as the
//! `luajit` child and reads its JSON line.

#[path = "../../runner/src/bench.rs"]
#[allow(dead_code)]
mod bench;
#[path = "../../runner/src/engines/lua.rs"]
mod lua;

fn main() {
    println!("{}", lua::run("luajit").to_json());
}
