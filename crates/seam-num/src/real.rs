//! `numerator`, `denominator`, rounding to integers (`floor`, `ceiling`, `truncate`,
//! `round`) and `rationalize`: procedures on real numbers, `NotReal` for any other.

use crate::convert::{float_to_exact, inexact, ratio_of};
use crate::{NumError, Number};
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;

/// `(numerator q)`, in lowest terms: `(numerator 6/4)` = `3`, `(numerator 0.5)` = `1.0`.
/// `NotFinite` for infinities and NaN.
pub fn numerator(q: &Number) -> Result<Number, NumError> {
    match q {
        Number::Rational(r) => Ok(Number::from_bigint(r.numer().clone())),
        Number::Flonum(f) => Ok(inexact(&numerator(&exact_of(*f)?)?)),
        Number::Complex(_) => Err(NumError::NotReal),
        integer => Ok(integer.clone()),
    }
}

/// `(denominator q)`, in lowest terms: `(denominator 6/4)` = `2`, `(denominator 0.5)` =
/// `2.0`, `(denominator 0)` = `1`. `NotFinite` for infinities and NaN.
pub fn denominator(q: &Number) -> Result<Number, NumError> {
    match q {
        Number::Rational(r) => Ok(Number::from_bigint(r.denom().clone())),
        Number::Flonum(f) => Ok(inexact(&denominator(&exact_of(*f)?)?)),
        Number::Complex(_) => Err(NumError::NotReal),
        _ => Ok(Number::Fixnum(1)),
    }
}

fn exact_of(f: f64) -> Result<Number, NumError> {
    float_to_exact(f).ok_or(NumError::NotFinite)
}

/// `(floor x)`: the largest integer not greater than `x`, of the same exactness.
pub fn floor(x: &Number) -> Result<Number, NumError> {
    Ok(match x {
        Number::Rational(r) => small_parts(r).map_or_else(
            || Number::from_bigint(r.numer().div_floor(r.denom())),
            |(n, d)| Number::Fixnum(Rounding::Floor.apply(n, d)),
        ),
        Number::Flonum(f) => Number::Flonum(f.floor()),
        Number::Complex(_) => return Err(NumError::NotReal),
        integer => integer.clone(),
    })
}

/// `(ceiling x)`: the smallest integer not less than `x`, of the same exactness.
pub fn ceiling(x: &Number) -> Result<Number, NumError> {
    Ok(match x {
        Number::Rational(r) => small_parts(r).map_or_else(
            || Number::from_bigint(r.numer().div_ceil(r.denom())),
            |(n, d)| Number::Fixnum(Rounding::Ceiling.apply(n, d)),
        ),
        Number::Flonum(f) => Number::Flonum(f.ceil()),
        Number::Complex(_) => return Err(NumError::NotReal),
        integer => integer.clone(),
    })
}

/// `(truncate x)`: the integer nearest `x` toward zero, of the same exactness.
pub fn truncate(x: &Number) -> Result<Number, NumError> {
    Ok(match x {
        Number::Rational(r) => small_parts(r).map_or_else(
            || Number::from_bigint(r.numer() / r.denom()),
            |(n, d)| Number::Fixnum(Rounding::Truncate.apply(n, d)),
        ),
        Number::Flonum(f) => Number::Flonum(f.trunc()),
        Number::Complex(_) => return Err(NumError::NotReal),
        integer => integer.clone(),
    })
}

/// `(round x)`: the nearest integer, ties to even: `(round 2.5)` = `2.0`, `(round 7/2)` = `4`.
pub fn round(x: &Number) -> Result<Number, NumError> {
    Ok(match x {
        Number::Rational(r) => small_parts(r).map_or_else(
            || Number::from_bigint(round_ratio(r)),
            |(n, d)| Number::Fixnum(Rounding::Round.apply(n, d)),
        ),
        Number::Flonum(f) => Number::Flonum(f.round_ties_even()),
        Number::Complex(_) => return Err(NumError::NotReal),
        integer => integer.clone(),
    })
}

/// The numerator and (positive) denominator of `r` when both fit an `i64`: most rationals a
/// program makes (`(/ i 4)`), rounded with machine arithmetic.
fn small_parts(r: &BigRational) -> Option<(i64, i64)> {
    use num_traits::ToPrimitive;
    Some((r.numer().to_i64()?, r.denom().to_i64()?))
}

/// The four roundings of `floor`, `ceiling`, `truncate` and `round`.
#[derive(Clone, Copy)]
enum Rounding {
    Floor,
    Ceiling,
    Truncate,
    Round,
}

impl Rounding {
    /// `n / d` rounded, for `d > 1` (a rational in lowest terms), whose result always fits
    /// an `i64` (its magnitude is at most `|n|`).
    fn apply(self, n: i64, d: i64) -> i64 {
        let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
        // `q` is the floor; `r` in [0, d) is what is left, non-zero for a non-integer.
        match self {
            Rounding::Floor => q,
            Rounding::Ceiling => q + 1,
            Rounding::Truncate if n < 0 => q + 1,
            Rounding::Truncate => q,
            Rounding::Round => match (2 * i128::from(r)).cmp(&i128::from(d)) {
                Ordering::Less => q,
                Ordering::Greater => q + 1,
                Ordering::Equal if q % 2 == 0 => q,
                Ordering::Equal => q + 1,
            },
        }
    }
}

/// The integer nearest `r`, ties to even.
fn round_ratio(r: &BigRational) -> BigInt {
    let (floor, rest) = r.numer().div_mod_floor(r.denom());
    // rest / denom is the fractional part, in [0, 1); compare it with 1/2.
    let twice_rest: BigInt = rest << 1;
    match twice_rest.cmp(r.denom()) {
        Ordering::Less => floor,
        Ordering::Greater => floor + 1,
        Ordering::Equal if floor.is_even() => floor,
        Ordering::Equal => floor + 1,
    }
}

/// `(rationalize x y)`: the simplest rational differing from `x` by no more than `y`.
/// `(rationalize 3/10 1/10)` = `1/3`; inexact if either argument is (`(rationalize .3 1/10)`
/// = `0.3333333333333333`). With infinities: `(rationalize +inf.0 3)` = `+inf.0`,
/// `(rationalize 3 +inf.0)` = `0.0`, `(rationalize +inf.0 +inf.0)` = `+nan.0`.
pub fn rationalize(x: &Number, y: &Number) -> Result<Number, NumError> {
    if !x.is_real() || !y.is_real() {
        return Err(NumError::NotReal);
    }
    Ok(rationalize_reals(x, y))
}

fn rationalize_reals(x: &Number, y: &Number) -> Number {
    let inexact_result = !(x.is_exact() && y.is_exact());
    if x.is_nan() || y.is_nan() {
        return Number::Flonum(f64::NAN);
    }
    if y.is_infinite() {
        return Number::Flonum(if x.is_infinite() { f64::NAN } else { 0.0 });
    }
    // Past the checks above, `y` is finite, and `x` is finite unless it is an infinity
    // (which is its own answer), so both have exact values.
    let (Some(x), Some(y)) = (ratio_of(x), ratio_of(y)) else {
        return x.clone();
    };
    let y = y.abs();
    let simplest = Number::from_ratio(simplest_between(&x - &y, &x + &y));
    if inexact_result {
        inexact(&simplest)
    } else {
        simplest
    }
}

/// The simplest rational in the closed interval `[low, high]` (`low <= high`): the one
/// with the smallest denominator, and then the smallest magnitude.
fn simplest_between(low: BigRational, high: BigRational) -> BigRational {
    if !low.is_positive() && !high.is_negative() {
        BigRational::zero()
    } else if high.is_negative() {
        -simplest_positive(-high, -low)
    } else {
        simplest_positive(low, high)
    }
}

/// The simplest rational in `[low, high]`, `0 < low <= high`, found by walking the two
/// continued fractions until they part (iterative: a huge denominator means many terms).
fn simplest_positive(mut low: BigRational, mut high: BigRational) -> BigRational {
    let mut terms: Vec<BigInt> = Vec::new();
    let last = loop {
        let whole = low.floor();
        if whole == low {
            break whole;
        }
        if whole < high.floor() {
            break whole + BigRational::one();
        }
        // Both ends share the integer part; recurse on the reciprocals of what is left.
        let next_low = (&high - &whole).recip();
        let next_high = (&low - &whole).recip();
        terms.push(whole.to_integer());
        low = next_low;
        high = next_high;
    };
    terms.into_iter().rev().fold(last, |acc, term| BigRational::from_integer(term) + acc.recip())
}
