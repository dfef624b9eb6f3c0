//! `+ - * /`, negation, `abs`, `square`, `min`/`max`, with R7RS exactness contagion:
//! exact op exact is exact, anything with a flonum is a flonum. Complex operands are
//! computed on their parts with the real operations, then normalised
//! ([`Number::rectangular`]).

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
    /// The operation when either side is non-real.
    complex: fn(&Number, &Number) -> Number,
}

#[inline]
fn apply(op: &BinaryOp, a: &Number, b: &Number) -> Number {
    match (a, b) {
        (Number::Fixnum(x), Number::Fixnum(y)) => match (op.fixnum)(*x, *y) {
            Some(r) => Number::Fixnum(r),
            None => Number::from_bigint((op.bignum)(BigInt::from(*x), BigInt::from(*y))),
        },
        (Number::Flonum(x), Number::Flonum(y)) => Number::Flonum((op.flonum)(*x, *y)),
        (Number::Complex(_), _) | (_, Number::Complex(_)) => (op.complex)(a, b),
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

const ADD: BinaryOp = BinaryOp {
    fixnum: i64::checked_add,
    bignum: |x, y| x + y,
    ratio: |x, y| x + y,
    flonum: |x, y| x + y,
    complex: |a, b| componentwise(a, b, add, |x, y| x + y),
};

const SUB: BinaryOp = BinaryOp {
    fixnum: i64::checked_sub,
    bignum: |x, y| x - y,
    ratio: |x, y| x - y,
    flonum: |x, y| x - y,
    complex: |a, b| componentwise(a, b, sub, |x, y| x - y),
};

const MUL: BinaryOp = BinaryOp {
    fixnum: i64::checked_mul,
    bignum: |x, y| x * y,
    ratio: |x, y| x * y,
    flonum: |x, y| x * y,
    complex: complex_mul,
};

/// `(a + bi) op (c + di)` = `(a op c) + (b op d)i`, for `+` and `-`. With an inexact
/// operand the result is inexact, and is computed on flonums directly (the same values the
/// parts would give: each exact part converts to its nearest flonum first either way).
fn componentwise(
    x: &Number,
    y: &Number,
    op: fn(&Number, &Number) -> Number,
    float: fn(f64, f64) -> f64,
) -> Number {
    if !(x.is_exact() && y.is_exact()) {
        let ((a, b), (c, d)) = (x.to_f64_parts(), y.to_f64_parts());
        return Number::from_parts(float(a, c), float(b, d));
    }
    let ((a, b), (c, d)) = (x.parts(), y.parts());
    Number::rectangular(op(&a, &c), op(&b, &d))
}

/// `(a + bi)(c + di)` = `(ac - bd) + (ad + bc)i`; a real factor scales each part alone, so
/// `(* 2.0 +inf.0i)` is `+inf.0i` rather than NaN from `0 × inf`. Inexact products are
/// computed on flonums directly, as in [`componentwise`].
fn complex_mul(x: &Number, y: &Number) -> Number {
    let inexact = !(x.is_exact() && y.is_exact());
    match (x, y) {
        (Number::Complex(z), real) | (real, Number::Complex(z)) if real.is_real() => {
            if inexact {
                let r = real.to_f64();
                return Number::from_parts(r * z.re().to_f64(), r * z.im().to_f64());
            }
            Number::rectangular(mul(real, z.re()), mul(real, z.im()))
        }
        _ if inexact => {
            let ((a, b), (c, d)) = (x.to_f64_parts(), y.to_f64_parts());
            Number::from_parts(a * c - b * d, a * d + b * c)
        }
        _ => {
            let ((a, b), (c, d)) = (x.parts(), y.parts());
            Number::rectangular(sub(&mul(&a, &c), &mul(&b, &d)), add(&mul(&a, &d), &mul(&b, &c)))
        }
    }
}

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
        (Number::Complex(_), _) | (_, Number::Complex(_)) => complex_div(a, b),
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
        (Number::Fixnum(x), Number::Fixnum(y)) => Ok(fixnum_ratio(*x, *y)),
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

/// `x / y` with a non-real operand. By a real: each part divided alone. Exact:
/// `(a + bi)/(c + di)` = `((ac + bd) + (bc - ad)i) / (c² + d²)`. Inexact: Smith's
/// algorithm, which scales by the larger part of the divisor so that `c² + d²` cannot
/// overflow or underflow.
fn complex_div(x: &Number, y: &Number) -> Result<Number, NumError> {
    if y.is_real() {
        let (a, b) = x.parts();
        return Ok(Number::rectangular(div(&a, y)?, div(&b, y)?));
    }
    if x.is_exact() && y.is_exact() {
        let ((a, b), (c, d)) = (x.parts(), y.parts());
        let norm = add(&mul(&c, &c), &mul(&d, &d));
        let re = add(&mul(&a, &c), &mul(&b, &d));
        let im = sub(&mul(&b, &c), &mul(&a, &d));
        return Ok(Number::rectangular(div(&re, &norm)?, div(&im, &norm)?));
    }
    let ((a, b), (c, d)) = (x.to_f64_parts(), y.to_f64_parts());
    let (re, im) = if c.abs() >= d.abs() {
        let (r, t) = (d / c, 1.0 / (c + d * (d / c)));
        ((a + b * r) * t, (b - a * r) * t)
    } else {
        let (r, t) = (c / d, 1.0 / (c * (c / d) + d));
        ((a * r + b) * t, (b * r - a) * t)
    };
    Ok(Number::from_parts(re, im))
}

/// `x / y` for fixnums, `y` non-zero, reduced by a machine gcd (in `i128`, so that
/// `i64::MIN / -1` cannot overflow).
fn fixnum_ratio(x: i64, y: i64) -> Number {
    use num_integer::Integer;
    let g = i128::from(x.unsigned_abs().gcd(&y.unsigned_abs()));
    let (mut numer, mut denom) = (i128::from(x) / g, i128::from(y) / g);
    if denom < 0 {
        numer = -numer;
        denom = -denom;
    }
    if denom == 1 {
        return Number::from_bigint(BigInt::from(numer));
    }
    Number::Rational(BigRational::new_raw(BigInt::from(numer), BigInt::from(denom)))
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
        Number::Complex(c) => Number::rectangular(neg(c.re()), neg(c.im())),
    }
}

/// `(abs x)` of a real number; `(abs -0.0)` is `0.0`. `NotReal` for a non-real number
/// (whose size is its `magnitude`).
pub fn abs(x: &Number) -> Result<Number, NumError> {
    if !x.is_real() {
        return Err(NumError::NotReal);
    }
    Ok(real_abs(x))
}

/// `abs` of a number known to be real.
pub(crate) fn real_abs(a: &Number) -> Number {
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
/// `NotReal` for a non-real argument.
pub fn max(a: &Number, b: &Number) -> Result<Number, NumError> {
    pick(a, b, Ordering::Greater)
}

/// `(min a b)`: inexact if either argument is (`(min 1 2.0)` = `1.0`); NaN if either is NaN.
/// `NotReal` for a non-real argument.
pub fn min(a: &Number, b: &Number) -> Result<Number, NumError> {
    pick(a, b, Ordering::Less)
}

fn pick(a: &Number, b: &Number, wanted: Ordering) -> Result<Number, NumError> {
    if !a.is_real() || !b.is_real() {
        return Err(NumError::NotReal);
    }
    let chosen = match cmp(a, b) {
        None => return Ok(Number::Flonum(f64::NAN)),
        Some(order) if order == wanted => a,
        Some(_) => b,
    };
    Ok(if a.is_exact() && b.is_exact() { chosen.clone() } else { Number::Flonum(chosen.to_f64()) })
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
