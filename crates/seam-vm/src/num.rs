//! Numbers in the VM: fixnums and flonums are immediate values, bignums and rationals are
//! heap objects; this file converts between `Value` and `seam_num::Number` and provides the
//! slow paths of the arithmetic the interpreter inlines.

use seam_num::Number;

use crate::error::Condition;
use crate::heap::Heap;
use crate::object::Object;
use crate::value::Value;

/// The number a value holds, if it is one.
pub fn to_number(heap: &Heap, v: Value) -> Option<Number> {
    match v {
        Value::Fixnum(n) => Some(Number::Fixnum(n)),
        Value::Flonum(f) => Some(Number::Flonum(f)),
        Value::Object(_) => match heap.object(v) {
            Some(Object::Bignum(b)) => Some(Number::Big(b.clone())),
            Some(Object::Rational(r)) => Some(Number::Rational(r.clone())),
            _ => None,
        },
        _ => None,
    }
}

pub fn is_number(heap: &Heap, v: Value) -> bool {
    match v {
        Value::Fixnum(_) | Value::Flonum(_) => true,
        Value::Object(_) => matches!(heap.object(v), Some(Object::Bignum(_) | Object::Rational(_))),
        _ => false,
    }
}

pub fn from_number(heap: &mut Heap, n: Number) -> Value {
    match n {
        Number::Fixnum(i) => Value::Fixnum(i),
        Number::Flonum(f) => Value::Flonum(f),
        Number::Big(b) => heap.alloc(Object::Bignum(b)),
        Number::Rational(r) => heap.alloc(Object::Rational(r)),
    }
}

/// The number in argument `position` of `proc`, or a type error.
pub fn number_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<Number, Condition> {
    to_number(heap, v).ok_or_else(|| Condition::wrong_type(heap, proc, position, "number", v))
}

fn binary(
    heap: &mut Heap,
    a: Value,
    b: Value,
    name: &str,
    op: fn(&Number, &Number) -> Number,
) -> Result<Value, Condition> {
    let x = number_arg(heap, name, 1, a)?;
    let y = number_arg(heap, name, 2, b)?;
    Ok(from_number(heap, op(&x, &y)))
}

pub fn add(heap: &mut Heap, a: Value, b: Value, name: &str) -> Result<Value, Condition> {
    binary(heap, a, b, name, seam_num::add)
}

pub fn sub(heap: &mut Heap, a: Value, b: Value, name: &str) -> Result<Value, Condition> {
    binary(heap, a, b, name, seam_num::sub)
}

pub fn mul(heap: &mut Heap, a: Value, b: Value, name: &str) -> Result<Value, Condition> {
    binary(heap, a, b, name, seam_num::mul)
}

/// A numeric comparison: `=`, `<`, `<=`, `>`, `>=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    pub fn name(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    /// The comparison on two fixnums.
    #[inline(always)]
    pub fn fixnums(self, x: i64, y: i64) -> bool {
        match self {
            Cmp::Eq => x == y,
            Cmp::Lt => x < y,
            Cmp::Le => x <= y,
            Cmp::Gt => x > y,
            Cmp::Ge => x >= y,
        }
    }
}

/// A comparison of two values, which must be numbers.
pub fn compare_op(heap: &Heap, cmp: Cmp, a: Value, b: Value) -> Result<bool, Condition> {
    let x = number_arg(heap, cmp.name(), 1, a)?;
    let y = number_arg(heap, cmp.name(), 2, b)?;
    Ok(compare(cmp, &x, &y))
}

pub fn compare(cmp: Cmp, x: &Number, y: &Number) -> bool {
    use std::cmp::Ordering::*;
    match (cmp, seam_num::cmp(x, y)) {
        (_, None) => false,
        (Cmp::Eq, Some(o)) => o == Equal,
        (Cmp::Lt, Some(o)) => o == Less,
        (Cmp::Le, Some(o)) => o != Greater,
        (Cmp::Gt, Some(o)) => o == Greater,
        (Cmp::Ge, Some(o)) => o != Less,
    }
}
