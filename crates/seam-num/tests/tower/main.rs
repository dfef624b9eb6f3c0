//! Tests for the numeric tower, one module per source file, plus property tests.

mod arith;
mod compare;
mod complex;
mod complex_properties;
mod convert;
mod division;
mod print;
mod properties;
mod real;
mod transcendental;

use num_bigint::BigInt;
use seam_num::Number;

/// An exact integer.
pub fn int(i: i64) -> Number {
    Number::Fixnum(i)
}

/// A flonum.
pub fn fl(f: f64) -> Number {
    Number::Flonum(f)
}

/// The exact rational `n/d`, normalised.
pub fn ratio(n: i64, d: i64) -> Number {
    seam_num::div(&int(n), &int(d)).expect("non-zero denominator")
}

/// An exact integer from decimal digits.
pub fn big(digits: &str) -> Number {
    Number::from_bigint(digits.parse::<BigInt>().expect("decimal digits"))
}

/// A result that prints: a number, or an operation that can fail.
pub trait Shown {
    fn shown(&self) -> String;
}

impl Shown for Number {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Shown for Result<Number, seam_num::NumError> {
    fn shown(&self) -> String {
        match self {
            Ok(n) => n.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }
}

/// The printed form, which also shows exactness (`2` vs `2.0`), or `error: ...`.
pub fn show(n: &impl Shown) -> String {
    n.shown()
}

/// The printed forms of a pair of results.
pub fn show2(pair: (Number, Number)) -> String {
    format!("{} {}", pair.0, pair.1)
}

/// `Number` is not the VM's value type, but it is copied around on slow paths; keep it from
/// growing unnoticed (a `BigRational` is two `BigInt`s of 32 bytes each).
#[test]
fn number_size_is_pinned() {
    assert!(std::mem::size_of::<Number>() <= 72);
}
