//! The Scheme numeric tower: exact integers (fixnum or bignum), exact rationals and flonums.
//!
//! `Number` is the value-independent representation used by the reader (literals), the VM's
//! slow arithmetic paths and `number->string`/`string->number`. Invariants, kept by every
//! constructor and operation here:
//! - `Big` only holds integers outside the `i64` range (otherwise it is a `Fixnum`);
//! - `Rational` only holds non-integers (denominator > 1, in lowest terms).

use num_bigint::BigInt;
use num_rational::BigRational;

/// A Scheme number. See the module docs for the normalisation invariants.
#[derive(Clone, Debug)]
pub enum Number {
    Fixnum(i64),
    Big(BigInt),
    Rational(BigRational),
    Flonum(f64),
}
