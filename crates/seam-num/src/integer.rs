//! Integer division (R7RS 6.2.6 `floor/`, `truncate/`, `quotient`, `remainder`, `modulo`),
//! `gcd`, `lcm` and `exact-integer-sqrt`. All but the last accept integral flonums and
//! then answer with flonums.

use crate::convert::{float_to_big, inexact};
use crate::{NumError, Number};
use num_bigint::BigInt;
use num_integer::{Integer, Roots};
use num_traits::{Signed, Zero};

/// Integral flonums up to 2^53 in magnitude are computed on as `i64`, exactly.
const EXACT_FLOAT_INT: f64 = 9_007_199_254_740_992.0;

/// Two integer operands, on the cheapest representation that holds both exactly.
enum Operands {
    Small(i64, i64),
    Big(BigInt, BigInt),
}

/// The integer values of `a` and `b`, and whether the result must be inexact.
fn integer_operands(a: &Number, b: &Number) -> Result<(Operands, bool), NumError> {
    let inexact = !(a.is_exact() && b.is_exact());
    if let (Some(x), Some(y)) = (small_integer(a)?, small_integer(b)?) {
        return Ok((Operands::Small(x, y), inexact));
    }
    Ok((Operands::Big(big_integer(a)?, big_integer(b)?), inexact))
}

/// `Some(i)` for a fixnum or a small integral flonum, `None` for larger integers,
/// `NotInteger` for non-integers.
fn small_integer(n: &Number) -> Result<Option<i64>, NumError> {
    match n {
        Number::Fixnum(i) => Ok(Some(*i)),
        Number::Big(_) => Ok(None),
        Number::Flonum(f) if f.fract() == 0.0 => Ok((f.abs() <= EXACT_FLOAT_INT).then_some(*f as i64)),
        Number::Rational(_) | Number::Flonum(_) | Number::Complex(_) => Err(NumError::NotInteger),
    }
}

fn big_integer(n: &Number) -> Result<BigInt, NumError> {
    match n {
        Number::Fixnum(i) => Ok(BigInt::from(*i)),
        Number::Big(b) => Ok(b.clone()),
        Number::Flonum(f) => float_to_big(*f).ok_or(NumError::NotInteger),
        Number::Rational(_) | Number::Complex(_) => Err(NumError::NotInteger),
    }
}

fn finish(n: Number, inexact_result: bool) -> Number {
    if inexact_result {
        inexact(&n)
    } else {
        n
    }
}

/// Division rounding the quotient toward zero or toward negative infinity.
#[derive(Clone, Copy, PartialEq)]
enum Rounding {
    Truncate,
    Floor,
}

fn divide(a: &Number, b: &Number, rounding: Rounding) -> Result<(Number, Number), NumError> {
    let (operands, inexact_result) = integer_operands(a, b)?;
    let (q, r) = match operands {
        Operands::Small(_, 0) => return Err(NumError::DivisionByZero),
        // i64::MIN / -1 overflows; any x / -1 is exactly -x remainder 0.
        Operands::Small(x, -1) => (crate::arith::neg(&Number::Fixnum(x)), Number::Fixnum(0)),
        Operands::Small(x, y) => {
            let (q, r) = match rounding {
                Rounding::Truncate => x.div_rem(&y),
                Rounding::Floor => x.div_mod_floor(&y),
            };
            (Number::Fixnum(q), Number::Fixnum(r))
        }
        Operands::Big(x, y) => {
            if y.is_zero() {
                return Err(NumError::DivisionByZero);
            }
            let (q, r) = match rounding {
                Rounding::Truncate => x.div_rem(&y),
                Rounding::Floor => x.div_mod_floor(&y),
            };
            (Number::from_bigint(q), Number::from_bigint(r))
        }
    };
    Ok((finish(q, inexact_result), finish(r, inexact_result)))
}

/// `(floor/ a b)`: quotient rounded toward negative infinity, and `a - b*q`
/// (which has the sign of `b`). `(floor/ -5 2)` = `-3 1`.
pub fn floor_div_rem(a: &Number, b: &Number) -> Result<(Number, Number), NumError> {
    divide(a, b, Rounding::Floor)
}

/// `(floor-quotient a b)`.
pub fn floor_div(a: &Number, b: &Number) -> Result<Number, NumError> {
    Ok(floor_div_rem(a, b)?.0)
}

/// `(floor-remainder a b)`, the same as `modulo`.
pub fn floor_rem(a: &Number, b: &Number) -> Result<Number, NumError> {
    Ok(floor_div_rem(a, b)?.1)
}

/// `(truncate/ a b)`: quotient rounded toward zero, and `a - b*q` (which has the sign of
/// `a`). `(truncate/ -5 2)` = `-2 -1`.
pub fn truncate_div_rem(a: &Number, b: &Number) -> Result<(Number, Number), NumError> {
    divide(a, b, Rounding::Truncate)
}

/// `(truncate-quotient a b)`, the same as `quotient`.
pub fn truncate_div(a: &Number, b: &Number) -> Result<Number, NumError> {
    Ok(truncate_div_rem(a, b)?.0)
}

/// `(truncate-remainder a b)`, the same as `remainder`.
pub fn truncate_rem(a: &Number, b: &Number) -> Result<Number, NumError> {
    Ok(truncate_div_rem(a, b)?.1)
}

/// `(quotient a b)` = `(truncate-quotient a b)`.
pub fn quotient(a: &Number, b: &Number) -> Result<Number, NumError> {
    truncate_div(a, b)
}

/// `(remainder a b)` = `(truncate-remainder a b)`.
pub fn remainder(a: &Number, b: &Number) -> Result<Number, NumError> {
    truncate_rem(a, b)
}

/// `(modulo a b)` = `(floor-remainder a b)`.
pub fn modulo(a: &Number, b: &Number) -> Result<Number, NumError> {
    floor_rem(a, b)
}

/// `(gcd a b)`: the non-negative greatest common divisor; `(gcd 0 0)` = `0`.
/// Inexact if either argument is (`(gcd 4.0 6)` = `2.0`).
pub fn gcd(a: &Number, b: &Number) -> Result<Number, NumError> {
    let (operands, inexact_result) = integer_operands(a, b)?;
    let g = match operands {
        // On magnitudes, so that gcd(i64::MIN, 0) = 2^63 cannot overflow.
        Operands::Small(x, y) => Number::from(x.unsigned_abs().gcd(&y.unsigned_abs())),
        Operands::Big(x, y) => Number::from_bigint(big_gcd(&x, &y)),
    };
    Ok(finish(g, inexact_result))
}

/// The non-negative gcd of two big integers. `num-bigint`'s gcd is Stein's binary algorithm,
/// quadratic in the size of the *larger* operand even when the other is small (`gcd(x, 3)`
/// of a million-bit `x` takes seconds); one Euclid step first (`x mod y`, linear in `x` for
/// a small `y`) leaves two operands no larger than the smaller one.
pub(crate) fn big_gcd(x: &BigInt, y: &BigInt) -> BigInt {
    let (large, small) = if x.bits() >= y.bits() { (x, y) } else { (y, x) };
    if small.is_zero() {
        return large.abs();
    }
    if large.bits() > small.bits() + 64 {
        let rest = large % small;
        return small.gcd(&rest);
    }
    large.gcd(small)
}

/// `(lcm a b)`: the non-negative least common multiple; `0` if either argument is zero.
/// Inexact if either argument is (`(lcm 32.0 -36)` = `288.0`).
pub fn lcm(a: &Number, b: &Number) -> Result<Number, NumError> {
    let (operands, inexact_result) = integer_operands(a, b)?;
    let l = match operands {
        Operands::Small(x, y) => {
            let (x, y) = (x.unsigned_abs(), y.unsigned_abs());
            if x == 0 || y == 0 {
                Number::Fixnum(0)
            } else {
                // |x| / gcd * |y| < 2^128, so u128 cannot overflow.
                Number::from(u128::from(x / x.gcd(&y)) * u128::from(y))
            }
        }
        Operands::Big(x, y) => {
            if x.is_zero() || y.is_zero() {
                Number::Fixnum(0)
            } else {
                // |x| / gcd * |y|, through the gcd above rather than `num`'s.
                Number::from_bigint((x.abs() / big_gcd(&x, &y)) * y.abs())
            }
        }
    };
    Ok(finish(l, inexact_result))
}

/// `(exact-integer-sqrt n)`: `(s, r)` with `s*s + r = n` and `s` as large as possible.
/// `NotExactInteger` unless `n` is an exact integer; `Domain` if it is negative.
pub fn exact_integer_sqrt(n: &Number) -> Result<(Number, Number), NumError> {
    match n {
        _ if n.is_negative() && n.is_exact_integer() => {
            Err(NumError::Domain("exact-integer-sqrt of a negative number".into()))
        }
        Number::Fixnum(i) => {
            let s = i.sqrt();
            Ok((Number::Fixnum(s), Number::Fixnum(i - s * s)))
        }
        Number::Big(b) => {
            let s = b.sqrt();
            let r = b - &s * &s;
            Ok((Number::from_bigint(s), Number::from_bigint(r)))
        }
        Number::Rational(_) | Number::Flonum(_) | Number::Complex(_) => Err(NumError::NotExactInteger),
    }
}
