//! Builtins: vectors.

use super::{index_arg, wrong, Builtin};
use crate::error::Condition;
use crate::heap::Heap;
use crate::object::Object;
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[];

pub fn vector_ref(heap: &Heap, v: Value, k: Value) -> Result<Value, Condition> {
    let Some(Object::Vector(items)) = heap.object(v) else {
        return Err(wrong(heap, "vector-ref", 1, "vector", v));
    };
    let i = index_arg(heap, "vector-ref", 2, k)?;
    items.get(i).copied().ok_or_else(|| {
        Condition::out_of_range(heap, "vector-ref", 2, k, &format!(" (length {})", items.len()))
    })
}

pub fn vector_set(heap: &mut Heap, v: Value, k: Value, x: Value) -> Result<(), Condition> {
    let len = match heap.object(v) {
        Some(Object::Vector(items)) => items.len(),
        _ => return Err(wrong(heap, "vector-set!", 1, "vector", v)),
    };
    let i = index_arg(heap, "vector-set!", 2, k)?;
    if i >= len {
        return Err(Condition::out_of_range(heap, "vector-set!", 2, k, &format!(" (length {len})")));
    }
    if let Some(Object::Vector(items)) = heap.object_mut(v) {
        items[i] = x;
    }
    Ok(())
}
