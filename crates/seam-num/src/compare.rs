//! Numeric ordering (`=`, `<`, ...) done exactly where it matters, `eqv?`, and the
//! `PartialEq`/`Eq`/`Hash` impls on `Number` (which follow `eqv?`).

use crate::convert::ratio_of;
use crate::Number;
use num_bigint::BigInt;
use num_rational::BigRational;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

/// Integers up to 2^53 in magnitude convert to `f64` exactly, so comparing as floats is exact.
const EXACT_FLOAT_INT: u64 = 1 << 53;

/// Numeric comparison across the real numbers; `None` when either side is NaN or not real
/// (non-real numbers have no order: callers refuse them first, see `NumError::NotReal`).
///
/// Exact-vs-flonum comparisons convert the (finite) flonum to its exact value rather than
/// rounding the exact side, so they are transitive: a bignum 2^64 + 1 is greater than
/// `18446744073709551616.0`, which equals 2^64.
#[inline]
pub fn cmp(a: &Number, b: &Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Fixnum(x), Number::Fixnum(y)) => Some(x.cmp(y)),
        (Number::Flonum(x), Number::Flonum(y)) => x.partial_cmp(y),
        (Number::Complex(_), _) | (_, Number::Complex(_)) => None,
        (exact, Number::Flonum(y)) => cmp_exact_float(exact, *y),
        (Number::Flonum(x), exact) => cmp_exact_float(exact, *x).map(Ordering::reverse),
        (Number::Big(x), Number::Big(y)) => Some(x.cmp(y)),
        (Number::Fixnum(x), Number::Big(y)) => Some(BigInt::from(*x).cmp(y)),
        (Number::Big(x), Number::Fixnum(y)) => Some(x.cmp(&BigInt::from(*y))),
        _ => Some(ratio_of(a)?.cmp(&ratio_of(b)?)),
    }
}

/// `(= a b)`: numeric equality, false when either side is NaN. `(= 1 1.0)` is true, and
/// so is `(= 1 1.0+0.0i)`: complex numbers are equal when both parts are.
pub fn num_eq(a: &Number, b: &Number) -> bool {
    if let (Number::Complex(_), _) | (_, Number::Complex(_)) = (a, b) {
        let ((p, q), (r, s)) = (a.parts(), b.parts());
        return num_eq(&p, &r) && num_eq(&q, &s);
    }
    cmp(a, b) == Some(Ordering::Equal)
}

/// Compares an exact number with a flonum, exactly.
fn cmp_exact_float(exact: &Number, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 { Ordering::Less } else { Ordering::Greater });
    }
    if let Number::Fixnum(i) = exact {
        if i.unsigned_abs() <= EXACT_FLOAT_INT {
            return (*i as f64).partial_cmp(&f);
        }
    }
    let exact_f = BigRational::from_float(f)?;
    match exact {
        Number::Rational(r) => Some(r.cmp(&exact_f)),
        _ => Some(ratio_of(exact)?.cmp(&exact_f)),
    }
}

/// `(eqv? a b)` on numbers: same exactness and same value. Flonums compare by bits, so
/// `0.0` and `-0.0` differ, except that every NaN is `eqv?` to every NaN.
pub fn eqv(a: &Number, b: &Number) -> bool {
    match (a, b) {
        (Number::Fixnum(x), Number::Fixnum(y)) => x == y,
        (Number::Big(x), Number::Big(y)) => x == y,
        (Number::Rational(x), Number::Rational(y)) => x == y,
        (Number::Flonum(x), Number::Flonum(y)) => canonical_bits(*x) == canonical_bits(*y),
        (Number::Complex(x), Number::Complex(y)) => eqv(x.re(), y.re()) && eqv(x.im(), y.im()),
        // Normalisation means a Fixnum never equals a Big, nor an integer a Rational.
        _ => false,
    }
}

/// The bits of `f`, with every NaN mapped to one pattern.
fn canonical_bits(f: f64) -> u64 {
    if f.is_nan() {
        f64::NAN.to_bits()
    } else {
        f.to_bits()
    }
}

/// Equality is `eqv?`, so `Number` can key a hash table the way Scheme's `eqv?` tables do.
impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        eqv(self, other)
    }
}

/// Reflexive because NaN is `eqv?` to itself.
impl Eq for Number {}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Number::Fixnum(i) => {
                state.write_u8(0);
                i.hash(state);
            }
            Number::Big(b) => {
                state.write_u8(1);
                b.hash(state);
            }
            Number::Rational(r) => {
                state.write_u8(2);
                r.hash(state);
            }
            Number::Flonum(f) => {
                state.write_u8(3);
                canonical_bits(*f).hash(state);
            }
            Number::Complex(c) => {
                state.write_u8(4);
                c.re().hash(state);
                c.im().hash(state);
            }
        }
    }
}
