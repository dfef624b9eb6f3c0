//! Helpers shared by the builtin files' unit tests: calling a builtin by name as the VM
//! would, and showing results.

use super::{Kind, ANY, BUILTINS};
use crate::error::BuiltinResult;
use crate::heap::Heap;
use crate::printer::{to_string, Mode};
use crate::value::Value;

/// Calls simple builtin `name` as the VM would (arity checked first).
pub fn call(heap: &mut Heap, name: &str, args: &[Value]) -> BuiltinResult {
    let Some(b) = BUILTINS.iter().find(|b| b.name == name) else { panic!("no builtin {name}") };
    assert!(args.len() >= b.min as usize, "{name}: too few arguments");
    assert!(b.max == ANY || args.len() <= b.max as usize, "{name}: too many arguments");
    match b.kind {
        Kind::Simple(f) => f(heap, args),
        _ => panic!("{name} is not a simple builtin"),
    }
}

/// The `write` form of a successful call's result.
pub fn ok(heap: &mut Heap, name: &str, args: &[Value]) -> String {
    match call(heap, name, args) {
        Ok(v) => show(heap, v),
        Err(c) => panic!("{name} failed: {}", c.message),
    }
}

/// The message of a call that must fail.
pub fn error(heap: &mut Heap, name: &str, args: &[Value]) -> String {
    match call(heap, name, args) {
        Ok(v) => panic!("{name} should have failed, returned {}", show(heap, v)),
        Err(c) => c.message,
    }
}

pub fn show(heap: &Heap, v: Value) -> String {
    to_string(heap, v, Mode::Write)
}

pub const fn fx(n: i64) -> Value {
    Value::Fixnum(n)
}

pub fn fixnums(heap: &mut Heap, ns: &[i64]) -> Value {
    let items: Vec<Value> = ns.iter().map(|&n| Value::Fixnum(n)).collect();
    heap.list(&items)
}

/// `#0=(1 2 3 . #0#)`.
pub fn circular(heap: &mut Heap) -> Value {
    let last = heap.cons(Value::Fixnum(3), Value::Null);
    let list = heap.list_with_tail(&[Value::Fixnum(1), Value::Fixnum(2)], last);
    if let Value::Pair(p) = last {
        heap.set_cdr(p, list);
    }
    list
}
