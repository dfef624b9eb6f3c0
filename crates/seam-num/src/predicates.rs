//! The number predicates (`exact?`, `integer?`, `nan?`, `zero?`, `odd?`, ...) as methods.

use crate::{NumError, Number};
use num_integer::Integer;
use num_traits::Signed;

impl Number {
    /// `exact?`: everything but a flonum.
    pub fn is_exact(&self) -> bool {
        !matches!(self, Number::Flonum(_))
    }

    /// `exact-integer?`.
    pub fn is_exact_integer(&self) -> bool {
        matches!(self, Number::Fixnum(_) | Number::Big(_))
    }

    /// `integer?`: exact integers and integral flonums (`2.0`), but not infinities.
    pub fn is_integer(&self) -> bool {
        match self {
            Number::Fixnum(_) | Number::Big(_) => true,
            Number::Rational(_) => false,
            Number::Flonum(f) => f.fract() == 0.0,
        }
    }

    /// `rational?`: every exact number and every finite flonum.
    pub fn is_rational(&self) -> bool {
        match self {
            Number::Flonum(f) => f.is_finite(),
            _ => true,
        }
    }

    /// `real?`: always true; Seam has no complex numbers.
    pub fn is_real(&self) -> bool {
        true
    }

    /// `nan?`.
    pub fn is_nan(&self) -> bool {
        matches!(self, Number::Flonum(f) if f.is_nan())
    }

    /// `infinite?`.
    pub fn is_infinite(&self) -> bool {
        matches!(self, Number::Flonum(f) if f.is_infinite())
    }

    /// `finite?`.
    pub fn is_finite(&self) -> bool {
        match self {
            Number::Flonum(f) => f.is_finite(),
            _ => true,
        }
    }

    /// `zero?`: `0`, `0.0` or `-0.0`.
    pub fn is_zero(&self) -> bool {
        match self {
            Number::Fixnum(i) => *i == 0,
            // Normalised bignums and rationals are never zero.
            Number::Big(_) | Number::Rational(_) => false,
            Number::Flonum(f) => *f == 0.0,
        }
    }

    /// `positive?`: strictly greater than zero (false for NaN).
    pub fn is_positive(&self) -> bool {
        match self {
            Number::Fixnum(i) => *i > 0,
            Number::Big(b) => b.is_positive(),
            Number::Rational(r) => r.is_positive(),
            Number::Flonum(f) => *f > 0.0,
        }
    }

    /// `negative?`: strictly less than zero (false for NaN and `-0.0`).
    pub fn is_negative(&self) -> bool {
        match self {
            Number::Fixnum(i) => *i < 0,
            Number::Big(b) => b.is_negative(),
            Number::Rational(r) => r.is_negative(),
            Number::Flonum(f) => *f < 0.0,
        }
    }

    /// `odd?`: `NotInteger` for anything but an exact or inexact integer.
    pub fn is_odd(&self) -> Result<bool, NumError> {
        match self {
            Number::Fixnum(i) => Ok(i & 1 == 1),
            Number::Big(b) => Ok(b.is_odd()),
            Number::Flonum(f) if f.fract() == 0.0 => Ok(f % 2.0 != 0.0),
            Number::Rational(_) | Number::Flonum(_) => Err(NumError::NotInteger),
        }
    }

    /// `even?`: `NotInteger` for anything but an exact or inexact integer.
    pub fn is_even(&self) -> Result<bool, NumError> {
        self.is_odd().map(|odd| !odd)
    }
}
