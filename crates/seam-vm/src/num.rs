//! Numbers in the VM: fixnums and flonums are immediate values, bignums, rationals and
//! complex numbers are heap objects; this file converts between `Value` and `seam_num::Number` and provides the
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
            // A bignum object may hold an integer that fits `i64` (a fixnum too wide for a
            // `Word`); the tower sees it as the fixnum it is.
            Some(Object::Bignum(b)) => Some(Number::from_bigint(b.clone())),
            Some(Object::Rational(r)) => Some(Number::Rational((**r).clone())),
            Some(Object::Complex(c)) => Some(Number::Complex(c.clone())),
            _ => None,
        },
        _ => None,
    }
}

pub fn is_number(heap: &Heap, v: Value) -> bool {
    match v {
        Value::Fixnum(_) | Value::Flonum(_) => true,
        Value::Object(_) => {
            matches!(heap.object(v), Some(Object::Bignum(_) | Object::Rational(_) | Object::Complex(_)))
        }
        _ => false,
    }
}

pub fn from_number(heap: &mut Heap, n: Number) -> Value {
    match n {
        Number::Fixnum(i) => Value::Fixnum(i),
        Number::Flonum(f) => Value::Flonum(f),
        Number::Big(b) => heap.alloc(Object::Bignum(b)),
        Number::Rational(r) => heap.alloc(Object::Rational(Box::new(r))),
        Number::Complex(c) => heap.alloc(Object::Complex(c)),
    }
}

/// The number in argument `position` of `proc`, or a type error. Under limits, an exact
/// rational too large to compute with promptly is refused here (see [`Work`]).
pub fn number_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<Number, Condition> {
    let n = to_number(heap, v).ok_or_else(|| Condition::wrong_type(heap, proc, position, "number", v))?;
    if let Number::Rational(_) | Number::Complex(_) = n {
        if heap.watch.bounded() && n.is_exact() && n.bits() > MAX_GCD_BITS {
            return Err(too_costly(proc, &format!("a rational of {} bits", n.bits()), MAX_GCD_BITS));
        }
    }
    Ok(n)
}

/// The real number in argument `position` of `proc`: a type error for a non-real number,
/// for the procedures R7RS defines on real numbers only (`<`, `floor`, `max`, ...).
pub fn real_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<Number, Condition> {
    let n = number_arg(heap, proc, position, v)?;
    if !n.is_real() {
        return Err(Condition::wrong_type(heap, proc, position, "real number", v));
    }
    Ok(n)
}

// -- Bounds on bignum work under limits
//
// Bignum operations run inside one builtin call, between two check points, in `num-bigint`
// code that cannot be stopped midway; several cost more than linear time in the size of
// their operands (multiplication, division, gcd, square roots, conversion to and from
// decimal text), up to minutes on operands of a few million bits. Polling the deadline
// would need our own implementation of each algorithm, and would not help against fuel,
// which counts check points. So under limits (`Watch::bounded`: fuel, a memory limit, a
// deadline or an interrupt handle) each such operation first estimates its work from the
// sizes of its operands and refuses, with an ordinary `range` condition naming the
// procedure and the sizes, operands whose work would take more than about 0.1 s (the
// bounds below were measured on `num-bigint` 0.4: a 2^20 × 2^20-bit product takes about
// 90 ms, Stein's gcd of two 2^17-bit numbers about 80 ms, printing a 2^19-bit number in
// decimal about 100 ms). Without limits nothing is refused: a trusted script may spend
// minutes on one huge number if it wants to.

/// Most `bits(a) × bits(b)` of a multiplication, and of `(quotient bits + 64) × divisor
/// bits` of a division (both quadratic in the schoolbook case).
pub const MAX_PRODUCT_BITS: u64 = 1 << 40;
/// Most bits of a gcd's smaller operand (Stein's algorithm is quadratic) and of an exact
/// rational's parts (every rational operation reduces by a gcd).
pub const MAX_GCD_BITS: u64 = 1 << 17;
/// Most bits of a number converted to or from text in a radix that is not a power of 2.
pub const MAX_TEXT_BITS: u64 = 1 << 19;
/// Most bits of an exact square root's (or `expt`'s exact root's) operand.
pub const MAX_SQRT_BITS: u64 = 1 << 18;
/// Most bits of an exact result of `expt` (its last squaring is a product of half that).
pub const MAX_EXPT_RESULT_BITS: u64 = 1 << 21;

/// The longest text `string->number` and `read` convert to a number under limits: about
/// [`MAX_TEXT_BITS`] in decimal.
pub const MAX_NUMBER_TEXT: usize = 150_000;

/// The error for a number too large to print in decimal under limits.
pub fn number_text_too_long(proc: &str, bits: u64) -> Condition {
    Condition::new(
        "range",
        format!(
            "{proc}: a number of {bits} bits is too large to print in decimal under the evaluation's \
             limits (at most {} bits)",
            MAX_TEXT_BITS
        ),
    )
}

/// The work of one numeric operation, by how its cost grows with its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// Linear (`+`, `-`, comparisons of integers).
    Sum,
    /// A multiplication.
    Product,
    /// An exact `/`: a division, and a gcd with the divisor when it does not divide.
    Ratio,
    /// `quotient`, `floor/`, ...: a division.
    Quotient,
    /// `gcd`, `lcm`: a division of the larger by the smaller, then a gcd of the smaller size.
    Gcd,
    /// An exact square root.
    Sqrt,
}

fn too_costly(proc: &str, what: &str, most: u64) -> Condition {
    Condition::new(
        "range",
        format!("{proc}: {what} is too large to compute under the evaluation's limits (at most {most} bits)"),
    )
}

/// Refuses `work` on `a` and `b` when it would take too long under limits (see above).
/// Anything with a flonum is computed on flonums and is cheap. A unary operation passes
/// its operand twice.
pub fn check_work(heap: &Heap, proc: &str, work: Work, a: &Number, b: &Number) -> Result<(), Condition> {
    if !heap.watch.bounded() || matches!(a, Number::Flonum(_)) || matches!(b, Number::Flonum(_)) {
        return Ok(());
    }
    let (x, y) = (a.bits(), b.bits());
    let product = |p: u64, q: u64| {
        if p.saturating_mul(q) > MAX_PRODUCT_BITS {
            Err(Condition::new(
                "range",
                format!(
                    "{proc}: operands of {x} and {y} bits are too large to compute under the \
                     evaluation's limits"
                ),
            ))
        } else {
            Ok(())
        }
    };
    let quotient = || product(x.saturating_sub(y).saturating_add(64), y);
    match work {
        Work::Sum => Ok(()),
        Work::Product => product(x, y),
        Work::Quotient => quotient(),
        Work::Ratio => {
            quotient()?;
            if a.is_exact_integer() && b.is_exact_integer() && y > MAX_GCD_BITS {
                return Err(too_costly(proc, &format!("a divisor of {y} bits"), MAX_GCD_BITS));
            }
            product(x, y)
        }
        Work::Gcd => {
            if x.min(y) > MAX_GCD_BITS {
                return Err(too_costly(proc, &format!("an operand of {} bits", x.min(y)), MAX_GCD_BITS));
            }
            product(x, y)
        }
        Work::Sqrt => match x.max(y) {
            bits if bits > MAX_SQRT_BITS => {
                Err(too_costly(proc, &format!("a number of {bits} bits"), MAX_SQRT_BITS))
            }
            _ => Ok(()),
        },
    }
}

fn binary(
    heap: &mut Heap,
    a: Value,
    b: Value,
    name: &str,
    work: Work,
    op: fn(&Number, &Number) -> Number,
) -> Result<Value, Condition> {
    let x = number_arg(heap, name, 1, a)?;
    let y = number_arg(heap, name, 2, b)?;
    check_work(heap, name, work, &x, &y)?;
    Ok(from_number(heap, op(&x, &y)))
}

pub fn add(heap: &mut Heap, a: Value, b: Value, name: &str) -> Result<Value, Condition> {
    binary(heap, a, b, name, Work::Sum, seam_num::add)
}

pub fn sub(heap: &mut Heap, a: Value, b: Value, name: &str) -> Result<Value, Condition> {
    binary(heap, a, b, name, Work::Sum, seam_num::sub)
}

pub fn mul(heap: &mut Heap, a: Value, b: Value, name: &str) -> Result<Value, Condition> {
    binary(heap, a, b, name, Work::Product, seam_num::mul)
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

    /// The comparison on two fixnums, two flonums (false whenever either is NaN) or two
    /// `Ordering`s (`x cmp Equal` asks whether an ordering satisfies the comparison).
    #[inline(always)]
    pub fn holds<T: PartialOrd>(self, x: T, y: T) -> bool {
        match self {
            Cmp::Eq => x == y,
            Cmp::Lt => x < y,
            Cmp::Le => x <= y,
            Cmp::Gt => x > y,
            Cmp::Ge => x >= y,
        }
    }
}

/// A comparison of two values, which must be numbers, and real but for `=` (an exact
/// rational too large to compare promptly is refused under limits by `number_arg`).
pub fn compare_op(heap: &Heap, cmp: Cmp, a: Value, b: Value) -> Result<bool, Condition> {
    if let (Value::Flonum(x), Value::Flonum(y)) = (a, b) {
        return Ok(cmp.holds(x, y));
    }
    let x = cmp.operand(heap, 1, a)?;
    let y = cmp.operand(heap, 2, b)?;
    Ok(compare(cmp, &x, &y))
}

impl Cmp {
    /// Argument `position` of the comparison: any number for `=`, a real for the orderings.
    pub fn operand(self, heap: &Heap, position: usize, v: Value) -> Result<Number, Condition> {
        match self {
            Cmp::Eq => number_arg(heap, self.name(), position, v),
            _ => real_arg(heap, self.name(), position, v),
        }
    }
}

/// The comparison on two numbers, which must be real unless it is `=`.
pub fn compare(cmp: Cmp, x: &Number, y: &Number) -> bool {
    match cmp {
        Cmp::Eq => seam_num::num_eq(x, y),
        _ => seam_num::cmp(x, y).is_some_and(|o| cmp.holds(o, std::cmp::Ordering::Equal)),
    }
}
