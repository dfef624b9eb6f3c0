//! The number predicates (`exact?`, `integer?`, `nan?`, `zero?`, `odd?`, ...) as methods.

use crate::{NumError, Number};
use num_integer::Integer;
use num_traits::Signed;

impl Number {
    /// `exact?`: everything but a flonum and a complex number with flonum parts.
    pub fn is_exact(&self) -> bool {
        match self {
            Number::Flonum(_) => false,
            Number::Complex(c) => c.re().is_exact(),
            _ => true,
        }
    }

    /// `exact-integer?`.
    pub fn is_exact_integer(&self) -> bool {
        matches!(self, Number::Fixnum(_) | Number::Big(_))
    }

    /// `integer?`: exact integers and integral flonums (`2.0`), but not infinities.
    pub fn is_integer(&self) -> bool {
        match self {
            Number::Fixnum(_) | Number::Big(_) => true,
            Number::Rational(_) | Number::Complex(_) => false,
            Number::Flonum(f) => f.fract() == 0.0,
        }
    }

    /// `rational?`: every exact real number and every finite flonum.
    pub fn is_rational(&self) -> bool {
        match self {
            Number::Flonum(f) => f.is_finite(),
            Number::Complex(_) => false,
            _ => true,
        }
    }

    /// `real?`: everything but a non-real complex number (`1.0+0.0i` is not real).
    pub fn is_real(&self) -> bool {
        !matches!(self, Number::Complex(_))
    }

    /// `nan?`: a NaN flonum, or a complex number with a NaN part.
    pub fn is_nan(&self) -> bool {
        match self {
            Number::Flonum(f) => f.is_nan(),
            Number::Complex(c) => c.re().is_nan() || c.im().is_nan(),
            _ => false,
        }
    }

    /// `infinite?`: an infinite flonum, or a complex number with an infinite part.
    pub fn is_infinite(&self) -> bool {
        match self {
            Number::Flonum(f) => f.is_infinite(),
            Number::Complex(c) => c.re().is_infinite() || c.im().is_infinite(),
            _ => false,
        }
    }

    /// `finite?`: neither part infinite or NaN.
    pub fn is_finite(&self) -> bool {
        match self {
            Number::Flonum(f) => f.is_finite(),
            Number::Complex(c) => c.re().is_finite() && c.im().is_finite(),
            _ => true,
        }
    }

    /// `zero?`: `0`, `0.0`, `-0.0`, or a complex number whose parts are both zero.
    pub fn is_zero(&self) -> bool {
        match self {
            Number::Fixnum(i) => *i == 0,
            // Normalised bignums and rationals are never zero.
            Number::Big(_) | Number::Rational(_) => false,
            Number::Flonum(f) => *f == 0.0,
            Number::Complex(c) => c.re().is_zero() && c.im().is_zero(),
        }
    }

    /// `positive?`: strictly greater than zero (false for NaN and non-real numbers).
    pub fn is_positive(&self) -> bool {
        match self {
            Number::Fixnum(i) => *i > 0,
            Number::Big(b) => b.is_positive(),
            Number::Rational(r) => r.is_positive(),
            Number::Flonum(f) => *f > 0.0,
            Number::Complex(_) => false,
        }
    }

    /// `negative?`: strictly less than zero (false for NaN, `-0.0` and non-real numbers).
    pub fn is_negative(&self) -> bool {
        match self {
            Number::Fixnum(i) => *i < 0,
            Number::Big(b) => b.is_negative(),
            Number::Rational(r) => r.is_negative(),
            Number::Flonum(f) => *f < 0.0,
            Number::Complex(_) => false,
        }
    }

    /// `odd?`: `NotInteger` for anything but an exact or inexact integer.
    pub fn is_odd(&self) -> Result<bool, NumError> {
        match self {
            Number::Fixnum(i) => Ok(i & 1 == 1),
            Number::Big(b) => Ok(b.is_odd()),
            Number::Flonum(f) if f.fract() == 0.0 => Ok(f % 2.0 != 0.0),
            Number::Rational(_) | Number::Flonum(_) | Number::Complex(_) => Err(NumError::NotInteger),
        }
    }

    /// `even?`: `NotInteger` for anything but an exact or inexact integer.
    pub fn is_even(&self) -> Result<bool, NumError> {
        self.is_odd().map(|odd| !odd)
    }
}
