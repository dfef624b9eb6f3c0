//! Runs `examples/kv_scripting.rs` (the key-value store scripted in Scheme), which asserts
//! every reply it gets.

#[path = "../../../examples/kv_scripting.rs"]
mod example;

fn main() {
    example::main();
}
