//! `expt`, `sqrt`, and the functions `exp`, `log`, `sin`, `cos`, `tan`, `asin`, `acos`,
//! `atan`, on the whole tower. Where the answer to a real argument is not real (`(sqrt -4)`,
//! `(log -1)`, `(asin 2)`, `(expt -8 1/3)`) it is the complex principal value; exact answers
//! are kept where they exist (`(sqrt -4)` = `+2i`, `(expt -1 1/2)` = `+i`). Non-real
//! arguments go to `cmath`'s flonum functions. A real argument on a branch cut takes the
//! side Common Lisp and R7RS give it: `(asin 2)` and `(acos 2)` are continuous with the
//! lower half-plane, `(asin -2)`, `(log -1)` and `(sqrt -1)` with the upper.

use crate::arith::{add, div, mul};
use crate::cmath::{self, C};
use crate::convert::big_of;
use crate::{NumError, Number};
use num_bigint::BigInt;
use num_integer::Integer;
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
    if !base.is_real() || !power.is_real() {
        return complex_expt(base, power);
    }
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
                None => Ok(real_power(base, power)),
            }
        }
        _ => Ok(real_power(base, power)),
    }
}

/// A real base to a real power, inexactly: a flonum, except that a negative base to a
/// fractional power has a complex principal value (`(expt -8 1/3)` ≈ `1+1.732i`).
fn real_power(base: &Number, power: &Number) -> Number {
    if base.is_negative() && !power.is_integer() && !power.is_nan() && power.is_finite() {
        return exp(&mul(power, &log(base)));
    }
    Number::Flonum(inexact_power(base, power))
}

/// `base^power` when either is non-real: exact by repeated squaring for an exact integer
/// power (`(expt +i 2)` = `-1`, `(expt 1+i -2)` = `-1/2i`), else `e^(power·log base)`.
/// `0` to a power with a positive real part is `0`; to any other non-real power, an error.
fn complex_expt(base: &Number, power: &Number) -> Result<Number, NumError> {
    match power {
        Number::Fixnum(p) => return exact_power(base, *p),
        Number::Big(p) if base.is_exact() => return huge_exact_power(base, p),
        _ => {}
    }
    if base.is_zero() {
        let (re, _) = power.parts();
        return if re.is_positive() {
            Ok(if base.is_exact() && power.is_exact() {
                Number::Fixnum(0)
            } else {
                Number::from_parts(0.0, 0.0)
            })
        } else {
            Err(NumError::Domain("expt: zero to a power whose real part is not positive".into()))
        };
    }
    Ok(exp(&mul(power, &log(base))))
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
    let q = power.denom().to_u32()?;
    if base.is_negative() {
        // The principal square root of a negative number is i times that of its magnitude:
        // `(expt -4 3/2)` = `(2i)^3` = `-8i`. Other roots of negative numbers are inexact.
        if q != 2 {
            return None;
        }
        let root = exact_sqrt(&crate::neg(base))?;
        let root = Number::rectangular(Number::Fixnum(0), root);
        return Some(match power.numer().to_i64() {
            Some(p) => exact_power(&root, p),
            None => huge_exact_power(&root, power.numer()),
        });
    }
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
        Number::Complex(_) | Number::Flonum(_) => power_by_squaring(base, p),
        _ => Number::from_bigint(big_of(base).unwrap_or_default().pow(p)),
    })
}

/// `base^power` by repeated squaring with the generic multiplication.
fn power_by_squaring(base: &Number, mut power: u32) -> Number {
    let mut result = Number::Fixnum(1);
    let mut square = base.clone();
    while power > 0 {
        if power & 1 == 1 {
            result = mul(&result, &square);
        }
        power >>= 1;
        if power > 0 {
            square = mul(&square, &square);
        }
    }
    result
}

/// An exact base to a bignum power: only 0, 1 and -1 give a result of sane size.
fn huge_exact_power(base: &Number, power: &BigInt) -> Result<Number, NumError> {
    if power.is_negative() && base.is_zero() {
        return Err(NumError::DivisionByZero);
    }
    trivial_power(base, power).ok_or_else(too_large)
}

/// `0^p` (p > 0), `1^p` and `(-1)^p` (and `(±i)^p`), whose values need no multiplication.
fn trivial_power(base: &Number, power: &BigInt) -> Option<Number> {
    if let Number::Complex(c) = base {
        // i^p cycles through 1, i, -1, -i (and (-i)^p the other way round).
        let unit = c.re().is_exact() && c.re().is_zero() && matches!(c.im(), Number::Fixnum(1 | -1));
        if !unit {
            return None;
        }
        let turns = power.mod_floor(&BigInt::from(4)).to_u8().unwrap_or(0);
        let (re, im) = [(1, 0), (0, 1), (-1, 0), (0, -1)][usize::from(turns)];
        let flip = if matches!(c.im(), Number::Fixnum(-1)) { -1 } else { 1 };
        return Some(Number::rectangular(Number::Fixnum(re), Number::Fixnum(im * flip)));
    }
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

/// `(sqrt z)`: the principal square root. Exact for exact perfect squares (`(sqrt 16)` =
/// `4`, `(sqrt 1/4)` = `1/2`, `(sqrt -4)` = `+2i`, `(sqrt -3+4i)` = `1+2i`), otherwise
/// inexact (`(sqrt -4.0)` = `+2.0i`; `(sqrt -0.0)` is `-0.0`).
pub fn sqrt(z: &Number) -> Number {
    match z {
        Number::Complex(c) if c.re().is_exact() => {
            exact_complex_sqrt(c.re(), c.im()).unwrap_or_else(|| complex_fn(z, cmath::sqrt))
        }
        Number::Complex(_) => complex_fn(z, cmath::sqrt),
        Number::Flonum(f) if *f < 0.0 => Number::from_parts(0.0, (-f).sqrt()),
        negative if negative.is_negative() => match real_sqrt(&crate::neg(negative)) {
            root if root.is_exact() => Number::rectangular(Number::Fixnum(0), root),
            root => Number::from_parts(0.0, root.to_f64()),
        },
        real => real_sqrt(real),
    }
}

/// The exact square root of an exact number when it has one (`(a + bi)` with
/// `a² - b² + 2abi` = `z`): for a real, its root; for `x + yi`, `√((|z| + x)/2)` and
/// `sign(y)·√((|z| - x)/2)` when `|z|` and both of those are exact.
pub(crate) fn exact_sqrt(z: &Number) -> Option<Number> {
    let root = sqrt(z);
    root.is_exact().then_some(root)
}

fn exact_complex_sqrt(x: &Number, y: &Number) -> Option<Number> {
    let size = crate::magnitude(&Number::rectangular(x.clone(), y.clone()));
    if !size.is_exact() {
        return None;
    }
    let half = Number::Rational(BigRational::new(BigInt::one(), BigInt::from(2)));
    let re = exact_sqrt(&mul(&add(&size, x), &half))?;
    let im = exact_sqrt(&mul(&crate::sub(&size, x), &half))?;
    let im = if y.is_negative() { crate::neg(&im) } else { im };
    Some(Number::rectangular(re, im))
}

/// `sqrt` of a non-negative real (or NaN).
fn real_sqrt(x: &Number) -> Number {
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

/// A `cmath` function applied to the flonum parts of `z`.
fn complex_fn(z: &Number, f: fn(C) -> C) -> Number {
    let (re, im) = z.to_f64_parts();
    let w = f(C::new(re, im));
    Number::from_parts(w.re, w.im)
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

/// `(exp z)`: a flonum for a real `z` (`(exp 0)` = `1.0`).
pub fn exp(z: &Number) -> Number {
    match z {
        Number::Complex(_) => complex_fn(z, cmath::exp),
        real => Number::Flonum(real.to_f64().exp()),
    }
}

/// `(log z)`, the principal natural logarithm: `(log 0)` = `-inf.0`, `(log -1)` =
/// `+3.141592653589793i` (from the upper side of the cut).
pub fn log(z: &Number) -> Number {
    match z {
        Number::Complex(_) => complex_fn(z, cmath::log),
        negative if negative.is_negative() => {
            Number::from_parts(ln(&crate::neg(negative)), std::f64::consts::PI)
        }
        real => Number::Flonum(ln(real)),
    }
}

/// `(log z base)` = `(/ (log z) (log base))`.
pub fn log_base(z: &Number, base: &Number) -> Number {
    let (numerator, denominator) = (log(z), log(base));
    // `log` is never exact, so the division cannot fail on an exact zero.
    div(&numerator, &denominator).unwrap_or(Number::Flonum(f64::NAN))
}

/// `(sin z)`.
pub fn sin(z: &Number) -> Number {
    real_or_complex(z, f64::sin, cmath::sin)
}

/// `(cos z)`.
pub fn cos(z: &Number) -> Number {
    real_or_complex(z, f64::cos, cmath::cos)
}

/// `(tan z)`.
pub fn tan(z: &Number) -> Number {
    real_or_complex(z, f64::tan, cmath::tan)
}

/// `(atan z)`.
pub fn atan(z: &Number) -> Number {
    real_or_complex(z, f64::atan, cmath::atan)
}

/// `(asin z)`: real on [-1, 1], complex outside it (`(asin 2)` =
/// `1.5707963267948966-1.3169578969248166i`).
pub fn asin(z: &Number) -> Number {
    inverse_on_cut(z, f64::asin, cmath::asin)
}

/// `(acos z)`: real on [-1, 1], complex outside it (`(acos 2)` = `+1.3169578969248166i`).
pub fn acos(z: &Number) -> Number {
    inverse_on_cut(z, f64::acos, cmath::acos)
}

/// `(atan y x)`: the angle of the point (x, y), in (-π, π]. `NotReal` for a non-real
/// argument.
pub fn atan2(y: &Number, x: &Number) -> Result<Number, NumError> {
    if !y.is_real() || !x.is_real() {
        return Err(NumError::NotReal);
    }
    Ok(Number::Flonum(y.to_f64().atan2(x.to_f64())))
}

fn real_or_complex(z: &Number, real: fn(f64) -> f64, complex: fn(C) -> C) -> Number {
    match z {
        Number::Complex(_) => complex_fn(z, complex),
        x => Number::Flonum(real(x.to_f64())),
    }
}

/// `asin` or `acos`: a real argument outside [-1, 1] lies on the cut, and takes the side
/// Common Lisp gives it: below the axis (`-0.0i`) past 1, above it (`+0.0i`) before -1.
fn inverse_on_cut(z: &Number, real: fn(f64) -> f64, complex: fn(C) -> C) -> Number {
    let x = match z {
        Number::Complex(_) => return complex_fn(z, complex),
        x => x.to_f64(),
    };
    if x.abs() <= 1.0 || x.is_nan() {
        return Number::Flonum(real(x));
    }
    let w = complex(C::new(x, if x > 1.0 { -0.0 } else { 0.0 }));
    Number::from_parts(w.re, w.im)
}
