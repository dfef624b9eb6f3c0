//! Builtins: `eqv?`, `equal?` (terminating on cyclic data), booleans, symbols, `procedure?`.

use std::collections::HashSet;

use super::{simple, wrong, Builtin, ANY};
use crate::error::BuiltinResult;
use crate::heap::Heap;
use crate::num::to_number;
use crate::object::Object;
use crate::value::{Value, Word};

/// `eq?` on words: equal words are the same immediate or the same heap object.
pub(super) fn eq_words(a: Word, b: Word) -> Option<bool> {
    Some(a == b)
}

/// `eqv?` on words, where the words decide it: equal words are eqv, and so are no two
/// different immediates or pairs; two objects (numbers among them) need the builtin.
pub(super) fn eqv_words(a: Word, b: Word) -> Option<bool> {
    if a == b {
        Some(true)
    } else if a.object_index().is_none() || b.object_index().is_none() {
        Some(false)
    } else {
        None
    }
}

pub const BUILTINS: &[Builtin] = &[
    // Equal words are the same immediate or the same heap object.
    simple("eq?", 2, 2, |_, a| Ok(Value::Bool(a[0].is_eq(a[1]))))
        .on_words(|_, a| Some(Word::bool(a[0] == a[1]))),
    simple("eqv?", 2, 2, |h, a| Ok(Value::Bool(eqv(h, a[0], a[1]))))
        .on_words(|_, a| eqv_words(a[0], a[1]).map(Word::bool)),
    simple("%eqv?", 2, 2, |h, a| Ok(Value::Bool(eqv(h, a[0], a[1])))),
    simple("equal?", 2, 2, |h, a| Ok(Value::Bool(equal(h, a[0], a[1])))),
    simple("not", 1, 1, |_, a| Ok(Value::Bool(!a[0].is_true()))),
    simple("boolean?", 1, 1, |_, a| Ok(Value::Bool(matches!(a[0], Value::Bool(_))))),
    simple("boolean=?", 2, ANY, boolean_eq),
    simple("symbol?", 1, 1, |_, a| Ok(Value::Bool(matches!(a[0], Value::Symbol(_)))))
        .on_words(|_, a| Some(Word::bool(a[0].symbol_index().is_some()))),
    simple("symbol=?", 2, ANY, symbol_eq),
    simple("symbol->string", 1, 1, symbol_to_string),
    simple("string->symbol", 1, 1, string_to_symbol),
    simple("procedure?", 1, 1, |h, a| Ok(Value::Bool(is_procedure(h, a[0])))),
];

pub fn is_procedure(heap: &Heap, v: Value) -> bool {
    match v {
        Value::Primitive(_) => true,
        Value::Object(_) => matches!(
            heap.object(v),
            Some(
                Object::Closure(_)
                    | Object::CaseLambda(_)
                    | Object::Continuation(_)
                    | Object::Parameter(_)
                    | Object::Host(_)
            )
        ),
        _ => false,
    }
}

fn boolean_eq(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    for (i, &a) in args.iter().enumerate() {
        if !matches!(a, Value::Bool(_)) {
            return Err(wrong(heap, "boolean=?", i + 1, "boolean", a));
        }
    }
    Ok(Value::Bool(args.windows(2).all(|w| w[0].is_eq(w[1]))))
}

fn symbol_eq(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    for (i, &a) in args.iter().enumerate() {
        if !matches!(a, Value::Symbol(_)) {
            return Err(wrong(heap, "symbol=?", i + 1, "symbol", a));
        }
    }
    Ok(Value::Bool(args.windows(2).all(|w| w[0].is_eq(w[1]))))
}

fn symbol_to_string(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    match args[0] {
        Value::Symbol(id) => {
            // The name is immutable (R7RS 6.5); a fresh string marked constant says so.
            let name = heap.symbol_name(id).clone();
            let string = heap.string(&name);
            heap.make_constant(string);
            Ok(string)
        }
        v => Err(wrong(heap, "symbol->string", 1, "symbol", v)),
    }
}

fn string_to_symbol(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    match heap.string_value(args[0]) {
        Some(s) => Ok(heap.intern(&s)),
        None => Err(wrong(heap, "string->symbol", 1, "string", args[0])),
    }
}

/// `eqv?`: `eq?` plus numbers by value and exactness, and equal empty strings/vectors are not
/// required to be eqv (R7RS), so they are compared by identity.
pub fn eqv(heap: &Heap, a: Value, b: Value) -> bool {
    if a.is_eq(b) {
        return true;
    }
    match (heap.object(a), heap.object(b)) {
        (Some(Object::Bignum(x)), Some(Object::Bignum(y))) => x == y,
        (Some(Object::Rational(x)), Some(Object::Rational(y))) => x == y,
        (Some(Object::Complex(x)), Some(Object::Complex(y))) => {
            seam_num::eqv(x.re(), y.re()) && seam_num::eqv(x.im(), y.im())
        }
        _ => false,
    }
}

/// `equal?`: structural equality on pairs, vectors, strings and bytevectors; `eqv?` on the
/// rest. Terminates on cyclic structure (pairs of objects already being compared are
/// assumed equal, as in R7RS's bisimulation reading).
pub fn equal(heap: &Heap, a: Value, b: Value) -> bool {
    let mut assumed: HashSet<(u64, u64)> = HashSet::new();
    let mut work = vec![(a, b)];
    while let Some((x, y)) = work.pop() {
        if eqv(heap, x, y) {
            continue;
        }
        match (x, y) {
            (Value::Pair(p), Value::Pair(q)) => {
                if !assumed.insert((p as u64, q as u64)) {
                    continue;
                }
                work.push((heap.cdr(p), heap.cdr(q)));
                work.push((heap.car(p), heap.car(q)));
            }
            (Value::Object(i), Value::Object(j)) => match (heap.get(i), heap.get(j)) {
                (Object::String(s), Object::String(t)) => {
                    if s != t {
                        return false;
                    }
                }
                (Object::Bytevector(s), Object::Bytevector(t)) => {
                    if s != t {
                        return false;
                    }
                }
                (Object::Vector(s), Object::Vector(t)) => {
                    if s.len() != t.len() {
                        return false;
                    }
                    if !assumed.insert(((1 << 32) | i as u64, j as u64)) {
                        continue;
                    }
                    work.extend(s.iter().map(|w| w.get()).zip(t.iter().map(|w| w.get())));
                }
                _ => {
                    let (Some(m), Some(n)) = (to_number(heap, x), to_number(heap, y)) else { return false };
                    if !seam_num::eqv(&m, &n) {
                        return false;
                    }
                }
            },
            _ => return false,
        }
    }
    true
}
