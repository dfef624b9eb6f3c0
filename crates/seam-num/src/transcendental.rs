//! `expt`, `sqrt`, and the flonum functions `exp`, `log`, `sin`, `cos`, `tan`, `asin`,
//! `acos`, `atan`. Seam has real numbers only: where the true answer is complex (`(sqrt -4)`,
//! `(log -1)`, `(expt -8 1/3)`) the result is `+nan.0`.

use crate::arith::div;
use crate::convert::big_of;
use crate::{NumError, Number};
use num_bigint::BigInt;
use num_integer::Roots;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The largest exact result `expt` will build, in bits (2 MiB of digits). Larger exact
/// powers fail with `NumError::Domain` instead of exhausting memory.
pub const MAX_EXPT_BITS: u64 = 1 << 24;

/// `(expt base power)`. An exact base to an exact integer power is exact (`(expt 2 -2)` =
/// `1/4`, `(expt 0 0)` = `1`, `(expt 0 -1)` is `DivisionByZero`); so is a non-negative
/// exact base to an exact ratio `p/q` when its `q`th root is exact (`(expt 4 1/2)` = `2`,
/// `(expt 8/27 2/3)` = `4/9`). Every other combination is a flonum from `powf`
/// (`(expt 0.0 0)` = `1.0`), which is more accurate than `powi`'s repeated multiplication;
/// a positive exact base outside the flonum range goes through its logarithm, so
/// `(expt (expt 10 400) 0.5)` is `1e200`, not `+inf.0`.
pub fn expt(base: &Number, power: &Number) -> Result<Number, NumError> {
    match (base, power) {
        (Number::Fixnum(_) | Number::Big(_) | Number::Rational(_), Number::Fixnum(p)) => {
            exact_power(base, *p)
        }
        (Number::Fixnum(_) | Number::Big(_) | Number::Rational(_), Number::Big(p)) => {
            huge_exact_power(base, p)
        }
        (Number::Fixnum(_) | Number::Big(_) | Number::Rational(_), Number::Rational(p)) => {
            match exact_root_power(base, p) {
                Some(result) => result,
                None => Ok(Number::Flonum(inexact_power(base, power))),
            }
        }
        _ => Ok(Number::Flonum(inexact_power(base, power))),
    }
}

/// `base^power` as a flonum.
fn inexact_power(base: &Number, power: &Number) -> f64 {
    let b = base.to_f64();
    let p = power.to_f64();
    let out_of_range = b.is_infinite() || (b == 0.0 && !base.is_zero());
    if out_of_range && base.is_exact() && base.is_positive() {
        (p * ln(base)).exp()
    } else {
        b.powf(p)
    }
}

/// A non-negative exact base to the power `p/q` when the `q`th root of the base is exact;
/// `None` otherwise (or when the root would be too large to compute here).
fn exact_root_power(base: &Number, power: &BigRational) -> Option<Result<Number, NumError>> {
    if base.is_negative() {
        return None;
    }
    let q = power.denom().to_u32()?;
    let (numer, denom) = match base {
        Number::Rational(r) => (r.numer().clone(), r.denom().clone()),
        _ => (big_of(base)?, BigInt::one()),
    };
    let exact_root = |n: &BigInt| {
        let root = n.nth_root(q);
        (num_traits::pow(root.clone(), q as usize) == *n).then_some(root)
    };
    if numer.bits() > MAX_EXPT_BITS || denom.bits() > MAX_EXPT_BITS {
        return None;
    }
    let root = Number::from_ratio(BigRational::new(exact_root(&numer)?, exact_root(&denom)?));
    Some(match power.numer().to_i64() {
        Some(p) => exact_power(&root, p),
        None => huge_exact_power(&root, power.numer()),
    })
}

/// An exact base to an `i64` power.
fn exact_power(base: &Number, power: i64) -> Result<Number, NumError> {
    if power >= 0 {
        return exact_power_unsigned(base, power.unsigned_abs());
    }
    if base.is_zero() {
        return Err(NumError::DivisionByZero);
    }
    div(&Number::Fixnum(1), &exact_power_unsigned(base, power.unsigned_abs())?)
}

/// An exact base to a non-negative power, refusing results over `MAX_EXPT_BITS`.
fn exact_power_unsigned(base: &Number, power: u64) -> Result<Number, NumError> {
    if let Number::Fixnum(b) = base {
        if let Some(result) = u32::try_from(power).ok().and_then(|p| b.checked_pow(p)) {
            return Ok(Number::Fixnum(result));
        }
    }
    if let Some(trivial) = trivial_power(base, &BigInt::from(power)) {
        return Ok(trivial);
    }
    if magnitude_bits(base).saturating_mul(power) > MAX_EXPT_BITS {
        return Err(too_large());
    }
    let p = u32::try_from(power).map_err(|_| too_large())?;
    Ok(match base {
        Number::Rational(r) => Number::from_ratio(BigRational::new_raw(r.numer().pow(p), r.denom().pow(p))),
        _ => Number::from_bigint(big_of(base).unwrap_or_default().pow(p)),
    })
}

/// An exact base to a bignum power: only 0, 1 and -1 give a result of sane size.
fn huge_exact_power(base: &Number, power: &BigInt) -> Result<Number, NumError> {
    if power.is_negative() && base.is_zero() {
        return Err(NumError::DivisionByZero);
    }
    trivial_power(base, power).ok_or_else(too_large)
}

/// `0^p` (p > 0), `1^p` and `(-1)^p`, whose values need no multiplication.
fn trivial_power(base: &Number, power: &BigInt) -> Option<Number> {
    match base {
        Number::Fixnum(0) if power.is_positive() => Some(Number::Fixnum(0)),
        Number::Fixnum(0) if power.is_zero() => Some(Number::Fixnum(1)),
        Number::Fixnum(1) => Some(Number::Fixnum(1)),
        Number::Fixnum(-1) if (power & BigInt::one()).is_zero() => Some(Number::Fixnum(1)),
        Number::Fixnum(-1) => Some(Number::Fixnum(-1)),
        _ => None,
    }
}

/// Bits in the larger of numerator and denominator of an exact number.
fn magnitude_bits(n: &Number) -> u64 {
    n.bits()
}

fn too_large() -> NumError {
    NumError::Domain(format!("exact result of expt would exceed {MAX_EXPT_BITS} bits"))
}

/// `(sqrt x)`: exact for exact perfect squares (`(sqrt 16)` = `4`, `(sqrt 1/4)` = `1/2`),
/// otherwise a flonum; `+nan.0` for negative numbers.
pub fn sqrt(x: &Number) -> Number {
    match x {
        Number::Fixnum(i) if *i >= 0 => {
            let s = i.sqrt();
            if s * s == *i {
                return Number::Fixnum(s);
            }
        }
        Number::Big(b) if b.is_positive() => {
            let s = b.sqrt();
            if &s * &s == *b {
                return Number::from_bigint(s);
            }
            // Past f64's range, the integer square root is as good as correctly rounded.
            if b.bits() > 1000 {
                return Number::Flonum(s.to_f64().unwrap_or(f64::INFINITY));
            }
        }
        Number::Rational(r) if r.is_positive() => {
            let (n, d) = (r.numer().sqrt(), r.denom().sqrt());
            if &n * &n == *r.numer() && &d * &d == *r.denom() {
                return Number::Rational(BigRational::new_raw(n, d));
            }
        }
        _ => {}
    }
    Number::Flonum(x.to_f64().sqrt())
}

/// The natural logarithm of a number as `f64`, scaling exact numbers that are too large
/// or too small for `f64` (`(log (expt 10 400))` ≈ 921.03, not `+inf.0`).
fn ln(x: &Number) -> f64 {
    let f = x.to_f64();
    if f.is_normal() || f.is_nan() || !x.is_exact() || !x.is_positive() {
        return f.ln();
    }
    match x {
        Number::Big(b) => ln_big(b),
        Number::Rational(r) => ln_big(r.numer()) - ln_big(r.denom()),
        _ => f.ln(),
    }
}

/// ln of a positive bignum: shift it down into f64 range, then add the shift back.
fn ln_big(b: &BigInt) -> f64 {
    let shift = b.bits().saturating_sub(64);
    let top = (b >> shift).to_f64().unwrap_or(f64::NAN);
    top.ln() + shift as f64 * std::f64::consts::LN_2
}

/// `(exp x)`, always a flonum (`(exp 0)` = `1.0`).
pub fn exp(x: &Number) -> Number {
    Number::Flonum(x.to_f64().exp())
}

/// `(log x)`, the natural logarithm: `(log 0)` = `-inf.0`, `(log -1)` = `+nan.0`.
pub fn log(x: &Number) -> Number {
    Number::Flonum(ln(x))
}

/// `(log x base)` = `(/ (log x) (log base))`.
pub fn log_base(x: &Number, base: &Number) -> Number {
    Number::Flonum(ln(x) / ln(base))
}

/// `(sin x)`.
pub fn sin(x: &Number) -> Number {
    Number::Flonum(x.to_f64().sin())
}

/// `(cos x)`.
pub fn cos(x: &Number) -> Number {
    Number::Flonum(x.to_f64().cos())
}

/// `(tan x)`.
pub fn tan(x: &Number) -> Number {
    Number::Flonum(x.to_f64().tan())
}

/// `(asin x)`; `+nan.0` outside [-1, 1].
pub fn asin(x: &Number) -> Number {
    Number::Flonum(x.to_f64().asin())
}

/// `(acos x)`; `+nan.0` outside [-1, 1].
pub fn acos(x: &Number) -> Number {
    Number::Flonum(x.to_f64().acos())
}

/// `(atan x)`.
pub fn atan(x: &Number) -> Number {
    Number::Flonum(x.to_f64().atan())
}

/// `(atan y x)`: the angle of the point (x, y), in (-pi, pi].
pub fn atan2(y: &Number, x: &Number) -> Number {
    Number::Flonum(y.to_f64().atan2(x.to_f64()))
}
