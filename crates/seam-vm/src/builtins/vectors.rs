//! Builtins: vectors (R7RS 6.8). Most are the shared sequence builtins of `sequence.rs`.

use super::lists::proper_list;
use super::sequence::{self, item_ref, item_set, Vectors};
use super::{named, simple, Builtin, ANY};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[
    simple("vector?", 1, 1, |h, a| Ok(Value::Bool(sequence::is::<Vectors>(h, a[0])))),
    named!("make-vector", 1, 2, sequence::make::<Vectors>),
    named!("vector", 0, ANY, sequence::of_items::<Vectors>),
    named!("vector-length", 1, 1, sequence::length::<Vectors>).on_words(sequence::length_words::<Vectors>),
    simple("vector-ref", 2, 2, |h, a| vector_ref(h, a[0], a[1])),
    simple("vector-set!", 3, 3, |h, a| vector_set(h, a[0], a[1], a[2]).map(|()| Value::Unspecified)),
    named!("vector->list", 1, 3, sequence::to_list::<Vectors>),
    simple("list->vector", 1, 1, list_to_vector),
    simple("%list->vector", 1, 1, list_to_vector),
    named!("vector-fill!", 2, 4, sequence::fill::<Vectors>),
    named!("vector-copy", 1, 3, sequence::copy::<Vectors>),
    named!("vector-copy!", 3, 5, sequence::copy_into::<Vectors>),
    named!("vector-append", 0, ANY, sequence::append::<Vectors>),
];

/// `vector-ref`, also called by the interpreter's `VectorRef` instruction.
pub fn vector_ref(heap: &Heap, v: Value, k: Value) -> Result<Value, Condition> {
    item_ref::<Vectors>(heap, "vector-ref", &[v, k])
}

/// `vector-set!`, also called by the interpreter's `VectorSet` instruction.
pub fn vector_set(heap: &mut Heap, v: Value, k: Value, x: Value) -> Result<(), Condition> {
    item_set::<Vectors>(heap, "vector-set!", &[v, k, x]).map(|_| ())
}

fn list_to_vector(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let items = proper_list(heap, "list->vector", 1, args[0])?;
    Ok(heap.vector(items))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{self, error, fixnums, fx, ok, show};
    use super::*;

    fn vector(heap: &mut Heap, ns: &[i64]) -> Value {
        heap.vector(ns.iter().map(|&n| Value::Fixnum(n)))
    }

    #[test]
    fn construct_and_inspect() {
        let h = &mut Heap::new();
        let sym = h.intern("a");
        assert_eq!(ok(h, "vector", &[sym, fx(1)]), "#(a 1)");
        assert_eq!(ok(h, "vector", &[]), "#()");
        assert_eq!(ok(h, "make-vector", &[fx(2), sym]), "#(a a)");
        assert_eq!(ok(h, "make-vector", &[fx(0)]), "#()");
        let v = vector(h, &[1, 2, 3]);
        assert_eq!(ok(h, "vector?", &[v]), "#t");
        assert_eq!(ok(h, "vector?", &[fx(1)]), "#f");
        assert_eq!(ok(h, "vector-length", &[v]), "3");
        assert_eq!(ok(h, "vector-ref", &[v, fx(2)]), "3");
        ok(h, "vector-set!", &[v, fx(0), sym]);
        assert_eq!(show(h, v), "#(a 2 3)");
    }

    #[test]
    fn errors() {
        let h = &mut Heap::new();
        let v = vector(h, &[1, 2, 3]);
        assert_eq!(error(h, "vector-length", &[fx(1)]), "vector-length: argument 1: expected vector, got 1");
        assert_eq!(
            error(h, "vector-ref", &[v, fx(3)]),
            "vector-ref: argument 2: 3 is out of range (length 3)"
        );
        assert!(error(h, "vector-set!", &[v, fx(-1), fx(0)]).starts_with("vector-set!: argument 2"));
        assert!(
            error(h, "make-vector", &[Value::Flonum(1e12)]).starts_with("make-vector: argument 1: expected")
        );
        let msg = error(h, "make-vector", &[fx(10_000_000_000)]);
        assert!(msg.starts_with("make-vector: argument 1: 10000000000 is too large"), "{msg}");
        let big = h.alloc(crate::object::Object::Bignum(num_bigint::BigInt::from(1u8) << 100));
        assert!(error(h, "make-vector", &[big]).contains("too large"));
        assert!(error(h, "make-vector", &[fx(-3)]).contains("expected non-negative exact integer"));
        assert!(error(h, "vector-append", &[v, fx(1)]).starts_with("vector-append: argument 2"));
    }

    #[test]
    fn conversions() {
        let h = &mut Heap::new();
        let v = vector(h, &[1, 2, 3, 4]);
        assert_eq!(ok(h, "vector->list", &[v]), "(1 2 3 4)");
        assert_eq!(ok(h, "vector->list", &[v, fx(1)]), "(2 3 4)");
        assert_eq!(ok(h, "vector->list", &[v, fx(1), fx(2)]), "(2)");
        assert!(error(h, "vector->list", &[v, fx(1), fx(5)]).contains("argument 3: 5 is out of range"));
        assert!(error(h, "vector->list", &[v, fx(3), fx(2)]).contains("argument 2: 3 is out of range"));
        let l = fixnums(h, &[5, 6]);
        assert_eq!(ok(h, "list->vector", &[l]), "#(5 6)");
        assert_eq!(ok(h, "%list->vector", &[Value::Null]), "#()");
        let improper = h.list_with_tail(&[fx(1)], fx(2));
        assert!(error(h, "list->vector", &[improper])
            .starts_with("list->vector: argument 1: expected proper list"));
        let circ = test_support::circular(h);
        assert!(error(h, "%list->vector", &[circ]).starts_with("list->vector: argument 1"));
    }

    #[test]
    fn fill_copy_append() {
        let h = &mut Heap::new();
        let v = vector(h, &[1, 2, 3, 4, 5]);
        ok(h, "vector-fill!", &[v, fx(0), fx(1), fx(3)]);
        assert_eq!(show(h, v), "#(1 0 0 4 5)");
        ok(h, "vector-fill!", &[v, fx(9)]);
        assert_eq!(show(h, v), "#(9 9 9 9 9)");
        let v = vector(h, &[1, 2, 3, 4, 5]);
        let copy = test_support::call(h, "vector-copy", &[v]).unwrap_or(Value::Null);
        assert!(!copy.is_eq(v));
        assert_eq!(show(h, copy), "#(1 2 3 4 5)");
        assert_eq!(ok(h, "vector-copy", &[v, fx(1), fx(3)]), "#(2 3)");
        let a = vector(h, &[1, 2, 3]);
        assert_eq!(ok(h, "vector-append", &[a, v]), "#(1 2 3 1 2 3 4 5)");
        assert_eq!(ok(h, "vector-append", &[]), "#()");
    }

    #[test]
    fn copy_into() {
        let h = &mut Heap::new();
        // R7RS example.
        let a = vector(h, &[1, 2, 3, 4, 5]);
        let b = vector(h, &[10, 20, 30, 40, 50]);
        ok(h, "vector-copy!", &[b, fx(1), a, fx(0), fx(2)]);
        assert_eq!(show(h, b), "#(10 1 2 40 50)");
        // Overlapping, both directions.
        let v = vector(h, &[1, 2, 3, 4, 5]);
        ok(h, "vector-copy!", &[v, fx(1), v, fx(0), fx(4)]);
        assert_eq!(show(h, v), "#(1 1 2 3 4)");
        let v = vector(h, &[1, 2, 3, 4, 5]);
        ok(h, "vector-copy!", &[v, fx(0), v, fx(1)]);
        assert_eq!(show(h, v), "#(2 3 4 5 5)");
        let msg = error(h, "vector-copy!", &[b, fx(4), a]);
        assert!(msg.starts_with("vector-copy!: argument 2: 4 is out of range"), "{msg}");
        assert!(error(h, "vector-copy!", &[b, fx(6), a, fx(5)]).starts_with("vector-copy!: argument 2"));
        assert!(error(h, "vector-copy!", &[b, fx(0), fx(1)]).starts_with("vector-copy!: argument 3"));
        assert!(error(h, "vector-copy!", &[fx(0), fx(0), a]).starts_with("vector-copy!: argument 1"));
    }
}
