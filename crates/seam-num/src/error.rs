//! `NumError`: why a numeric operation has no answer.

use thiserror::Error;

/// The ways a numeric operation can fail. Texts are short; the VM adds the procedure name.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum NumError {
    /// An exact division (or `quotient`, `modulo`, ...) by exact or inexact zero.
    #[error("division by zero")]
    DivisionByZero,
    /// An integer operation (`quotient`, `gcd`, `odd?`, ...) got a non-integer such as 1.5.
    #[error("not an integer")]
    NotInteger,
    /// An operation that needs an exact integer (`exact-integer-sqrt`) got something else.
    #[error("not an exact integer")]
    NotExactInteger,
    /// `exact` (or `numerator`, ...) of an infinity or NaN, which has no exact value.
    #[error("not a finite number")]
    NotFinite,
    /// A procedure defined on real numbers only (`<`, `floor`, `max`, ...) got a non-real
    /// complex number.
    #[error("not a real number")]
    NotReal,
    /// An exact integer that does not fit the requested machine integer.
    #[error("integer out of range")]
    OutOfRange,
    /// Any other argument outside the operation's domain; the text says which.
    #[error("{0}")]
    Domain(String),
}
