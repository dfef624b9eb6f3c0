//! The Scheme numeric tower: exact integers (fixnum or bignum), exact rationals, flonums, and
//! complex numbers with exact or flonum parts.
//!
//! `Number` is the value-independent representation used by the reader (literals), the VM's
//! slow arithmetic paths and `number->string`/`string->number`. Invariants, kept by every
//! constructor and operation here:
//! - `Big` only holds integers outside the `i64` range (otherwise it is a `Fixnum`);
//! - `Rational` only holds non-integers (denominator > 1, in lowest terms);
//! - `Complex` only holds non-real numbers: parts of one exactness, and an exact imaginary
//!   part is never zero (see `complex`).
//!
//! Code map (one concern per file):
//! - `arith`: `+ - * /`, negation, `abs`, `square`, `min`/`max`, R7RS exactness contagion;
//! - `complex`: the `Complex` type and `make-rectangular`, `real-part`, `magnitude`, ...;
//! - `cmath`: the complex elementary functions on flonum parts, with their branch cuts;
//! - `compare`: `=`/`<` ordering (exact where it matters), `eqv?`, `Eq`/`Hash`;
//! - `predicates`: `exact?`, `integer?`, `nan?`, `zero?`, ... as methods on `Number`;
//! - `integer`: `floor/`, `truncate/`, `quotient`, `gcd`, `lcm`, `exact-integer-sqrt`, `odd?`;
//! - `real`: `numerator`, `floor`, `round`, `rationalize`;
//! - `transcendental`: `expt`, `sqrt`, `exp`, `log`, trigonometry;
//! - `convert`: `exact`, `inexact`, `From` impls, `to_f64`/`to_i64`;
//! - `print`: `Display` (`number->string` in radix 10) and `to_string_radix`.
//!
//! Operations that produce numbers are free functions taking `&Number` (`add(&a, &b)`);
//! questions and conversions are methods (`n.is_exact()`, `n.to_f64()`). Operations that
//! can fail for some inputs return `Result<_, NumError>`; nothing here panics on user input.
//! Procedures R7RS defines on real numbers only (`<`, `floor`, `max`, `abs`, ...) answer
//! `NumError::NotReal` for a non-real argument.
//! Parsing numbers from text is the reader's job (`seam-syntax`), not this crate's.

#![forbid(unsafe_code)]

mod arith;
mod cmath;
mod compare;
mod complex;
mod convert;
mod error;
mod integer;
mod predicates;
mod print;
mod real;
mod transcendental;

pub use arith::{abs, add, div, max, min, mul, neg, square, sub};
pub use compare::{cmp, eqv, num_eq};
pub use complex::{angle, imag_part, magnitude, make_polar, make_rectangular, real_part, Complex};
pub use convert::{exact, float_to_fixnum, inexact};
pub use error::NumError;
pub use integer::{
    exact_integer_sqrt, floor_div, floor_div_rem, floor_rem, gcd, lcm, modulo, quotient, remainder,
    truncate_div, truncate_div_rem, truncate_rem,
};
pub use real::{ceiling, denominator, floor, numerator, rationalize, round, truncate};
pub use transcendental::{
    acos, asin, atan, atan2, cos, exp, expt, log, log_base, sin, sqrt, tan, MAX_EXPT_BITS,
};

use num_bigint::BigInt;
use num_rational::BigRational;

/// A Scheme number. See the module docs for the normalisation invariants.
#[derive(Clone, Debug)]
pub enum Number {
    Fixnum(i64),
    Big(BigInt),
    Rational(BigRational),
    Flonum(f64),
    /// A non-real complex number (boxed: most numbers are real, and stay small).
    Complex(Box<Complex>),
}

impl Number {
    /// An exact integer, as a `Fixnum` when it fits in `i64`.
    pub fn from_bigint(n: BigInt) -> Number {
        use num_traits::ToPrimitive;
        match n.to_i64() {
            Some(i) => Number::Fixnum(i),
            None => Number::Big(n),
        }
    }

    /// The size of an exact number in bits: of its magnitude for an integer, of its larger
    /// part for a rational, of both parts together for a complex number (about the size of
    /// its squared magnitude; 64 for a flonum). What the cost of bignum arithmetic grows with,
    /// so callers under limits can refuse an operation before starting it.
    pub fn bits(&self) -> u64 {
        match self {
            Number::Fixnum(i) => u64::from(64 - i.unsigned_abs().leading_zeros()),
            Number::Big(b) => b.bits(),
            Number::Rational(r) => r.numer().bits().max(r.denom().bits()),
            Number::Flonum(_) => 64,
            Number::Complex(c) => c.re().bits() + c.im().bits(),
        }
    }

    /// An exact rational, as an integer when its denominator is 1.
    /// The denominator must be non-zero (callers check division by zero first).
    pub fn from_ratio(r: BigRational) -> Number {
        use num_traits::One;
        if r.denom().is_one() {
            Number::from_bigint(r.numer().clone())
        } else {
            Number::Rational(r)
        }
    }
}
