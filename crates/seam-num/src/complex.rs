//! Non-real complex numbers: the `Complex` type, its normalisation, and R7RS's complex
//! library (`make-rectangular`, `make-polar`, `real-part`, `imag-part`, `magnitude`,
//! `angle`). The arithmetic on complex numbers lives beside the real arithmetic in `arith`,
//! the elementary functions in `transcendental` (on flonums, in `cmath`).
//!
//! A complex number is rectangular, with real parts of one exactness: both exact (fixnum,
//! bignum or rational parts: `1/2+3/4i`) or both flonums (`1.5-2.0i`). Mixing exactness
//! makes both parts inexact, as in Chez (`(make-rectangular 1 2.0)` is `1.0+2.0i`). A
//! complex number whose imaginary part is exact zero *is* its real part (there is no
//! `Complex` for it), so `(eqv? (make-rectangular 1 0) 1)`; one with an inexact zero
//! imaginary part stays complex (`1.0+0.0i` is not `real?`), as R7RS's
//! `(real? -2.5+0.0i)` ⟹ `#f` says.

use crate::{NumError, Number};

/// A non-real complex number `re + im·i`. The invariants (kept by [`Number::rectangular`],
/// the only constructor): both parts are real numbers of the same exactness (both exact,
/// or both `Flonum`), and an exact `im` is non-zero.
#[derive(Clone, Debug)]
pub struct Complex {
    re: Number,
    im: Number,
}

impl Complex {
    /// The real part.
    pub fn re(&self) -> &Number {
        &self.re
    }

    /// The imaginary part (never exact zero).
    pub fn im(&self) -> &Number {
        &self.im
    }
}

impl Number {
    /// `re + im·i`, normalised: an exact zero imaginary part gives the real part itself
    /// (`(make-rectangular 2.5 0)` is `2.5`); any other inexact part makes both flonums.
    /// Both parts must be real (a non-real part is taken as its real part;
    /// [`make_rectangular`] checks instead).
    pub fn rectangular(re: Number, im: Number) -> Number {
        let (re, im) = (real_only(re), real_only(im));
        if im.is_exact() && im.is_zero() {
            return re;
        }
        if re.is_exact() && im.is_exact() {
            return Number::Complex(Box::new(Complex { re, im }));
        }
        Number::from_parts(re.to_f64(), im.to_f64())
    }

    /// The inexact complex number `re + im·i`, complex even when `im` is `0.0`.
    pub fn from_parts(re: f64, im: f64) -> Number {
        Number::Complex(Box::new(Complex { re: Number::Flonum(re), im: Number::Flonum(im) }))
    }

    /// The real and imaginary parts: `(self, 0)` for a real number (exact zero).
    pub fn parts(&self) -> (Number, Number) {
        match self {
            Number::Complex(c) => (c.re.clone(), c.im.clone()),
            real => (real.clone(), Number::Fixnum(0)),
        }
    }

    /// The parts as flonums (an exact zero imaginary part of a real is `+0.0`).
    pub fn to_f64_parts(&self) -> (f64, f64) {
        match self {
            Number::Complex(c) => (c.re.to_f64(), c.im.to_f64()),
            real => (real.to_f64(), 0.0),
        }
    }
}

/// The real part of a number that should be real (see [`Number::rectangular`]).
fn real_only(n: Number) -> Number {
    match n {
        Number::Complex(c) => c.re,
        real => real,
    }
}

/// `(make-rectangular x1 x2)`: `x1 + x2·i`. `NotReal` when either part is not real.
pub fn make_rectangular(re: &Number, im: &Number) -> Result<Number, NumError> {
    if !re.is_real() || !im.is_real() {
        return Err(NumError::NotReal);
    }
    Ok(Number::rectangular(re.clone(), im.clone()))
}

/// `(make-polar magnitude angle)`: `magnitude·e^(angle·i)`, which is the magnitude itself
/// when the angle is exact zero and inexact otherwise. `NotReal` for non-real arguments.
pub fn make_polar(magnitude: &Number, angle: &Number) -> Result<Number, NumError> {
    if !magnitude.is_real() || !angle.is_real() {
        return Err(NumError::NotReal);
    }
    if angle.is_exact() && angle.is_zero() {
        return Ok(magnitude.clone());
    }
    let (m, a) = (magnitude.to_f64(), angle.to_f64());
    Ok(Number::from_parts(m * a.cos(), m * a.sin()))
}

/// `(real-part z)`: `z` itself for a real number.
pub fn real_part(z: &Number) -> Number {
    match z {
        Number::Complex(c) => c.re.clone(),
        real => real.clone(),
    }
}

/// `(imag-part z)`: exact `0` for every real number (`(imag-part 1.5)` = `0`).
pub fn imag_part(z: &Number) -> Number {
    match z {
        Number::Complex(c) => c.im.clone(),
        _ => Number::Fixnum(0),
    }
}

/// `(magnitude z)`: `|z|`, exact when `z` is exact and the square root is exact
/// (`(magnitude 3+4i)` = `5`). An exact `z` otherwise gets the square root of its exact
/// `re² + im²` (one rounding); an inexact one `hypot`, which cannot overflow midway.
pub fn magnitude(z: &Number) -> Number {
    match z {
        Number::Complex(c) if c.re.is_exact() => {
            crate::sqrt(&crate::add(&crate::square(&c.re), &crate::square(&c.im)))
        }
        Number::Complex(c) => Number::Flonum(c.re.to_f64().hypot(c.im.to_f64())),
        real => crate::arith::real_abs(real),
    }
}

/// `(angle z)`: the argument of `z` in (-π, π]. For a real number: exact `0` when it is
/// exact and non-negative, otherwise `atan2(0, x)` (`π` for negative numbers and `-0.0`).
pub fn angle(z: &Number) -> Number {
    match z {
        Number::Complex(c) => Number::Flonum(c.im.to_f64().atan2(c.re.to_f64())),
        exact if exact.is_exact() && !exact.is_negative() => Number::Fixnum(0),
        real => Number::Flonum(0f64.atan2(real.to_f64())),
    }
}
