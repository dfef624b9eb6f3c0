//! Builtins: vectors (R7RS 6.8), plus the size check every `make-` constructor shares.

use num_bigint::Sign;

use super::lists::proper_list;
use super::{index_arg, range_args, simple, wrong, Builtin, ANY};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::object::Object;
use crate::printer::write_limited;
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[
    simple("vector?", 1, 1, |h, a| Ok(Value::Bool(matches!(h.object(a[0]), Some(Object::Vector(_)))))),
    simple("make-vector", 1, 2, make_vector),
    simple("vector", 0, ANY, |h, a| Ok(h.alloc(Object::Vector(a.to_vec())))),
    simple("vector-length", 1, 1, |h, a| {
        Ok(Value::Fixnum(vector_arg(h, "vector-length", 1, a[0])?.len() as i64))
    }),
    simple("vector-ref", 2, 2, |h, a| vector_ref(h, a[0], a[1])),
    simple("vector-set!", 3, 3, |h, a| vector_set(h, a[0], a[1], a[2]).map(|()| Value::Unspecified)),
    simple("vector->list", 1, 3, vector_to_list),
    simple("list->vector", 1, 1, list_to_vector),
    simple("%list->vector", 1, 1, list_to_vector),
    simple("vector-fill!", 2, 4, vector_fill),
    simple("vector-copy", 1, 3, vector_copy),
    simple("vector-copy!", 3, 5, vector_copy_to),
    simple("vector-append", 0, ANY, vector_append),
];

/// Most bytes a constructor such as `make-vector` allocates, so that a mistaken size is a
/// Scheme error instead of an allocation failure that aborts the process.
const MAX_ALLOCATION: usize = 1 << 30;

/// The size argument of a `make-` constructor whose elements take `element_bytes` each: a
/// non-negative exact integer small enough to allocate.
pub(super) fn length_arg(
    heap: &Heap,
    proc: &str,
    position: usize,
    v: Value,
    element_bytes: usize,
) -> Result<usize, Condition> {
    let limit = MAX_ALLOCATION / element_bytes;
    let too_large = || Condition {
        kind: "range",
        message: format!(
            "{proc}: argument {position}: {} is too large (at most {limit})",
            write_limited(heap, v, 60)
        ),
        irritants: vec![v],
    };
    match v {
        Value::Fixnum(n) if n >= 0 => usize::try_from(n).ok().filter(|&n| n <= limit).ok_or_else(too_large),
        _ => match heap.object(v) {
            Some(Object::Bignum(b)) if b.sign() == Sign::Plus => Err(too_large()),
            _ => Err(wrong(heap, proc, position, "non-negative exact integer", v)),
        },
    }
}

/// The elements of the vector in argument `position`, or a type error.
pub(super) fn vector_arg<'h>(
    heap: &'h Heap,
    proc: &str,
    position: usize,
    v: Value,
) -> Result<&'h [Value], Condition> {
    match heap.object(v) {
        Some(Object::Vector(items)) => Ok(items),
        _ => Err(wrong(heap, proc, position, "vector", v)),
    }
}

/// The destination of a `-copy!`: checks that `count` elements fit at index `args[1]` of a
/// sequence of length `len`, and returns that index.
pub(super) fn copy_target(
    heap: &Heap,
    proc: &str,
    args: &[Value],
    len: usize,
    count: usize,
) -> Result<usize, Condition> {
    let at = index_arg(heap, proc, 2, args[1])?;
    if at > len || len - at < count {
        let room = format!(" (destination length {len}, {count} elements to copy)");
        return Err(Condition::out_of_range(heap, proc, 2, args[1], &room));
    }
    Ok(at)
}

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

fn make_vector(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let n = length_arg(heap, "make-vector", 1, args[0], size_of::<Value>())?;
    let fill = args.get(1).copied().unwrap_or(Value::FALSE);
    Ok(heap.alloc(Object::Vector(vec![fill; n])))
}

fn vector_to_list(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let items = vector_arg(heap, "vector->list", 1, args[0])?;
    let (start, end) = range_args(heap, "vector->list", args, 1, items.len())?;
    let items = items[start..end].to_vec();
    Ok(heap.list(&items))
}

fn list_to_vector(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let items = proper_list(heap, "list->vector", 1, args[0])?;
    Ok(heap.alloc(Object::Vector(items)))
}

fn vector_fill(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let len = vector_arg(heap, "vector-fill!", 1, args[0])?.len();
    let (start, end) = range_args(heap, "vector-fill!", args, 2, len)?;
    if let Some(Object::Vector(items)) = heap.object_mut(args[0]) {
        items[start..end].fill(args[1]);
    }
    Ok(Value::Unspecified)
}

fn vector_copy(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let items = vector_arg(heap, "vector-copy", 1, args[0])?;
    let (start, end) = range_args(heap, "vector-copy", args, 1, items.len())?;
    let copy = items[start..end].to_vec();
    Ok(heap.alloc(Object::Vector(copy)))
}

/// `(vector-copy! to at from [start end])`; the source is read before anything is written,
/// so overlapping ranges of one vector copy correctly.
fn vector_copy_to(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let to_len = vector_arg(heap, "vector-copy!", 1, args[0])?.len();
    let from = vector_arg(heap, "vector-copy!", 3, args[2])?;
    let (start, end) = range_args(heap, "vector-copy!", args, 3, from.len())?;
    let source = from[start..end].to_vec();
    let at = copy_target(heap, "vector-copy!", args, to_len, source.len())?;
    if let Some(Object::Vector(items)) = heap.object_mut(args[0]) {
        items[at..at + source.len()].copy_from_slice(&source);
    }
    Ok(Value::Unspecified)
}

fn vector_append(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let mut out = Vec::new();
    for (i, &v) in args.iter().enumerate() {
        out.extend_from_slice(vector_arg(heap, "vector-append", i + 1, v)?);
    }
    Ok(heap.alloc(Object::Vector(out)))
}

#[cfg(test)]
mod tests {
    use super::super::lists::test_support::{self, fixnums, show};
    use super::*;

    fn ok(heap: &mut Heap, name: &str, args: &[Value]) -> String {
        test_support::ok(BUILTINS, name, heap, args)
    }

    fn error(heap: &mut Heap, name: &str, args: &[Value]) -> String {
        test_support::error(BUILTINS, name, heap, args)
    }

    fn vector(heap: &mut Heap, ns: &[i64]) -> Value {
        heap.alloc(Object::Vector(ns.iter().map(|&n| Value::Fixnum(n)).collect()))
    }

    const fn fx(n: i64) -> Value {
        Value::Fixnum(n)
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
        let big = h.alloc(Object::Bignum(num_bigint::BigInt::from(1u8) << 100));
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
        let copy = test_support::call(BUILTINS, "vector-copy", h, &[v]).unwrap_or(Value::Null);
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
