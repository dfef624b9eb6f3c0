//! Conversions: `exact`, `inexact`, `From` impls, and views as `f64`, `i64`, `BigInt`, ratio.

use crate::{NumError, Number};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{FromPrimitive, ToPrimitive, Zero};

/// R7RS `exact`: the exact number equal to `n`. Flonums convert without rounding
/// (`2.5` → `5/2`, `1e300` → a 997-bit integer), complex numbers part by part (`1.0+0.0i`
/// → `1`); infinities and NaN are `NotFinite`.
pub fn exact(n: &Number) -> Result<Number, NumError> {
    match n {
        Number::Flonum(f) => float_to_exact(*f).ok_or(NumError::NotFinite),
        Number::Complex(c) => Ok(Number::rectangular(exact(c.re())?, exact(c.im())?)),
        exact => Ok(exact.clone()),
    }
}

/// R7RS `inexact`: the nearest flonum to `n` (correctly rounded, overflowing to ±inf), or
/// the complex number of the nearest flonums to its parts.
pub fn inexact(n: &Number) -> Number {
    match n {
        Number::Complex(c) => Number::from_parts(c.re().to_f64(), c.im().to_f64()),
        real => Number::Flonum(real.to_f64()),
    }
}

/// The exact value of a finite flonum, normalised; `None` for infinities and NaN.
pub(crate) fn float_to_exact(f: f64) -> Option<Number> {
    if let Some(i) = float_to_fixnum(f) {
        return Some(Number::Fixnum(i));
    }
    BigRational::from_float(f).map(Number::from_ratio)
}

/// The exact value of `f` as an `i64` when it is integral and well inside the `i64` range
/// (where the conversion is exact): `exact`'s common case, without building a `Number`.
pub fn float_to_fixnum(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
}

/// The exact integer value of `n` when it is an exact integer.
pub(crate) fn big_of(n: &Number) -> Option<BigInt> {
    match n {
        Number::Fixnum(i) => Some(BigInt::from(*i)),
        Number::Big(b) => Some(b.clone()),
        Number::Rational(_) | Number::Flonum(_) | Number::Complex(_) => None,
    }
}

/// The exact rational value of `n`; for a flonum, its exact value when finite.
pub(crate) fn ratio_of(n: &Number) -> Option<BigRational> {
    match n {
        Number::Fixnum(i) => Some(BigRational::from_integer(BigInt::from(*i))),
        Number::Big(b) => Some(BigRational::from_integer(b.clone())),
        Number::Rational(r) => Some(r.clone()),
        Number::Flonum(f) => BigRational::from_float(*f),
        Number::Complex(_) => None,
    }
}

impl Number {
    /// The nearest `f64`: correctly rounded for bignums and for rationals whose numerator
    /// and denominator themselves overflow `f64` (num-rational scales before dividing).
    /// A non-real number has no `f64` value: NaN (see [`Number::to_f64_parts`]).
    pub fn to_f64(&self) -> f64 {
        match self {
            Number::Fixnum(i) => *i as f64,
            Number::Big(b) => b.to_f64().unwrap_or_else(|| signed_infinity(b)),
            Number::Rational(r) => r.to_f64().unwrap_or_else(|| signed_infinity(r.numer())),
            Number::Flonum(f) => *f,
            Number::Complex(_) => f64::NAN,
        }
    }

    /// The value as an `i64` when it is an integer (exact or inexact, like `3.0`) in range.
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            Number::Fixnum(i) => Some(*i),
            Number::Flonum(f) if f.fract() == 0.0 => f.to_i64(),
            _ => None,
        }
    }

    /// The value of an exact integer as `i64`: `NotExactInteger` for anything inexact or
    /// non-integral, `OutOfRange` for a bignum.
    pub fn exact_integer_to_i64(&self) -> Result<i64, NumError> {
        match self {
            Number::Fixnum(i) => Ok(*i),
            Number::Big(_) => Err(NumError::OutOfRange),
            Number::Rational(_) | Number::Flonum(_) | Number::Complex(_) => Err(NumError::NotExactInteger),
        }
    }
}

fn signed_infinity(b: &BigInt) -> f64 {
    if b < &BigInt::zero() {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Number {
        Number::Fixnum(i)
    }
}

impl From<i32> for Number {
    fn from(i: i32) -> Number {
        Number::Fixnum(i64::from(i))
    }
}

impl From<u64> for Number {
    fn from(u: u64) -> Number {
        match i64::try_from(u) {
            Ok(i) => Number::Fixnum(i),
            Err(_) => Number::Big(BigInt::from(u)),
        }
    }
}

impl From<usize> for Number {
    fn from(u: usize) -> Number {
        Number::from(u as u64)
    }
}

impl From<u128> for Number {
    fn from(u: u128) -> Number {
        Number::from_bigint(BigInt::from(u))
    }
}

impl From<f64> for Number {
    fn from(f: f64) -> Number {
        Number::Flonum(f)
    }
}

impl From<BigInt> for Number {
    /// Normalising: small values become `Fixnum`.
    fn from(b: BigInt) -> Number {
        Number::from_bigint(b)
    }
}

impl From<BigRational> for Number {
    /// Normalising: integral ratios become integers. The denominator must be non-zero.
    fn from(r: BigRational) -> Number {
        Number::from_ratio(r)
    }
}

/// `BigInt::from_f64` for an integral finite flonum; `None` otherwise.
pub(crate) fn float_to_big(f: f64) -> Option<BigInt> {
    if f.fract() == 0.0 {
        BigInt::from_f64(f)
    } else {
        None
    }
}
