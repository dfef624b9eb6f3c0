//! `+ - * /`, negation, `abs`, `square`, `min`/`max`, with R7RS exactness contagion:
//! exact op exact is exact, anything with a flonum is a flonum.

use crate::compare::cmp;
use crate::convert::{big_of, ratio_of};
use crate::{NumError, Number};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Zero;
use std::cmp::Ordering;

/// The four ways to compute one binary operation, one per level of the tower. `fixnum`
/// returns `None` on overflow, which retries the operation on bignums.
struct BinaryOp {
    fixnum: fn(i64, i64) -> Option<i64>,
    bignum: fn(BigInt, BigInt) -> BigInt,
    ratio: fn(BigRational, BigRational) -> BigRational,
    flonum: fn(f64, f64) -> f64,
}

#[inline]
fn apply(op: &BinaryOp, a: &Number, b: &Number) -> Number {
    match (a, b) {
        (Number::Fixnum(x), Number::Fixnum(y)) => match (op.fixnum)(*x, *y) {
            Some(r) => Number::Fixnum(r),
            None => Number::from_bigint((op.bignum)(BigInt::from(*x), BigInt::from(*y))),
        },
        (Number::Flonum(x), _) => Number::Flonum((op.flonum)(*x, b.to_f64())),
        (_, Number::Flonum(y)) => Number::Flonum((op.flonum)(a.to_f64(), *y)),
        (Number::Rational(_), _) | (_, Number::Rational(_)) => {
            // Neither side is a flonum here, so both have exact ratio values.
            let (x, y) = (ratio_of(a).unwrap_or_default(), ratio_of(b).unwrap_or_default());
            Number::from_ratio((op.ratio)(x, y))
        }
        _ => {
            let (x, y) = (big_of(a).unwrap_or_default(), big_of(b).unwrap_or_default());
            Number::from_bigint((op.bignum)(x, y))
        }
    }
}

const ADD: BinaryOp =
    BinaryOp { fixnum: i64::checked_add, bignum: |x, y| x + y, ratio: |x, y| x + y, flonum: |x, y| x + y };

const SUB: BinaryOp =
    BinaryOp { fixnum: i64::checked_sub, bignum: |x, y| x - y, ratio: |x, y| x - y, flonum: |x, y| x - y };

const MUL: BinaryOp =
    BinaryOp { fixnum: i64::checked_mul, bignum: |x, y| x * y, ratio: |x, y| x * y, flonum: |x, y| x * y };

/// `(+ a b)`.
#[inline]
pub fn add(a: &Number, b: &Number) -> Number {
    apply(&ADD, a, b)
}

/// `(- a b)`.
#[inline]
pub fn sub(a: &Number, b: &Number) -> Number {
    apply(&SUB, a, b)
}

/// `(* a b)`. Exact zero times a flonum is a flonum (`(* 0 1.5)` = `0.0`), as in most
/// Schemes; R7RS allows either.
#[inline]
pub fn mul(a: &Number, b: &Number) -> Number {
    apply(&MUL, a, b)
}

/// `(/ a b)`. Exact division is exact (`(/ 1 3)` = `1/3`) and fails with `DivisionByZero`
/// for an exact zero divisor; with a flonum on either side it follows IEEE (`(/ 1 0.0)`
/// = `+inf.0`).
pub fn div(a: &Number, b: &Number) -> Result<Number, NumError> {
    match (a, b) {
        (Number::Flonum(x), _) => Ok(Number::Flonum(x / b.to_f64())),
        (_, Number::Flonum(y)) => Ok(Number::Flonum(a.to_f64() / y)),
        (_, Number::Fixnum(0)) => Err(NumError::DivisionByZero),
        (Number::Fixnum(x), Number::Fixnum(y)) if x.checked_rem(*y) == Some(0) => {
            // Exact quotient. `checked_rem` already ruled out i64::MIN / -1.
            Ok(match x.checked_div(*y) {
                Some(q) => Number::Fixnum(q),
                None => Number::from_bigint(-BigInt::from(*x)),
            })
        }
        (Number::Fixnum(_) | Number::Big(_), Number::Fixnum(_) | Number::Big(_)) => {
            Ok(divide_integers(big_of(a).unwrap_or_default(), big_of(b).unwrap_or_default()))
        }
        _ => {
            let (x, y) = (ratio_of(a).unwrap_or_default(), ratio_of(b).unwrap_or_default());
            if y.is_zero() {
                return Err(NumError::DivisionByZero);
            }
            Ok(Number::from_ratio(x / y))
        }
    }
}

/// `x / y` for integers, `y` non-zero: the exact quotient when `y` divides `x`, else the
/// ratio in lowest terms, reduced by `gcd(y, x mod y)` (which is `gcd(x, y)`), whose cost
/// grows with the size of `y` alone (`BigRational::new` runs Stein's gcd on `x` and `y`,
/// quadratic in the larger even when `y` is small).
fn divide_integers(x: BigInt, y: BigInt) -> Number {
    use num_integer::Integer;
    use num_traits::Signed;
    let (q, r) = x.div_rem(&y);
    if r.is_zero() {
        return Number::from_bigint(q);
    }
    let g = crate::integer::big_gcd(&y, &r);
    let (mut numer, mut denom) = (x / &g, y / &g);
    if denom.is_negative() {
        numer = -numer;
        denom = -denom;
    }
    Number::from_ratio(BigRational::new_raw(numer, denom))
}

/// `(- a)`.
pub fn neg(a: &Number) -> Number {
    match a {
        Number::Fixnum(i) => match i.checked_neg() {
            Some(n) => Number::Fixnum(n),
            None => Number::Big(-BigInt::from(*i)),
        },
        Number::Big(b) => Number::from_bigint(-b),
        Number::Rational(r) => Number::Rational(-r),
        Number::Flonum(f) => Number::Flonum(-f),
    }
}

/// `(abs a)`. `(abs -0.0)` is `0.0`.
pub fn abs(a: &Number) -> Number {
    match a {
        Number::Flonum(f) => Number::Flonum(f.abs()),
        _ if a.is_negative() => neg(a),
        _ => a.clone(),
    }
}

/// `(square a)` = `(* a a)`.
pub fn square(a: &Number) -> Number {
    mul(a, a)
}

/// `(max a b)`: inexact if either argument is (`(max 1 2.0)` = `2.0`); NaN if either is NaN.
pub fn max(a: &Number, b: &Number) -> Number {
    pick(a, b, Ordering::Greater)
}

/// `(min a b)`: inexact if either argument is (`(min 1 2.0)` = `1.0`); NaN if either is NaN.
pub fn min(a: &Number, b: &Number) -> Number {
    pick(a, b, Ordering::Less)
}

fn pick(a: &Number, b: &Number, wanted: Ordering) -> Number {
    let chosen = match cmp(a, b) {
        None => return Number::Flonum(f64::NAN),
        Some(order) if order == wanted => a,
        Some(_) => b,
    };
    if a.is_exact() && b.is_exact() {
        chosen.clone()
    } else {
        Number::Flonum(chosen.to_f64())
    }
}

impl std::ops::Add for &Number {
    type Output = Number;
    fn add(self, other: &Number) -> Number {
        add(self, other)
    }
}

impl std::ops::Sub for &Number {
    type Output = Number;
    fn sub(self, other: &Number) -> Number {
        sub(self, other)
    }
}

impl std::ops::Mul for &Number {
    type Output = Number;
    fn mul(self, other: &Number) -> Number {
        mul(self, other)
    }
}

impl std::ops::Neg for &Number {
    type Output = Number;
    fn neg(self) -> Number {
        neg(self)
    }
}
