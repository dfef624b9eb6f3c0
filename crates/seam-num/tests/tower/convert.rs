//! `exact`, `inexact`, `to_f64`, `to_i64`, `exact_integer_to_i64`, `From`.

use super::*;
use num_bigint::BigInt;
use num_rational::BigRational;
use seam_num::*;

#[test]
fn exact_of_flonums() {
    assert_eq!(show(&exact(&fl(2.5)).unwrap()), "5/2");
    assert_eq!(show(&exact(&fl(-0.125)).unwrap()), "-1/8");
    assert_eq!(show(&exact(&fl(3.0)).unwrap()), "3");
    assert!(matches!(exact(&fl(3.0)).unwrap(), Number::Fixnum(3)));
    assert_eq!(show(&exact(&fl(0.1)).unwrap()), "3602879701896397/36028797018963968");
    assert_eq!(show(&exact(&fl(1e20)).unwrap()), "100000000000000000000");
    let e300 = exact(&fl(1e300)).unwrap();
    assert!(matches!(e300, Number::Big(_)));
    assert_eq!(inexact(&e300).to_f64(), 1e300);
    assert_eq!(show(&exact(&fl(-9223372036854775808.0)).unwrap()), "-9223372036854775808");
    assert!(matches!(exact(&fl(-9223372036854775808.0)).unwrap(), Number::Fixnum(i64::MIN)));
    assert!(matches!(exact(&fl(9223372036854775808.0)).unwrap(), Number::Big(_)));
    assert_eq!(exact(&fl(f64::INFINITY)), Err(NumError::NotFinite));
    assert_eq!(exact(&fl(f64::NAN)), Err(NumError::NotFinite));
    assert_eq!(show(&exact(&ratio(1, 3)).unwrap()), "1/3");
    assert_eq!(show(&exact(&fl(-0.0)).unwrap()), "0");
}

#[test]
fn inexact_conversions() {
    assert_eq!(show(&inexact(&int(3))), "3.0");
    assert_eq!(show(&inexact(&ratio(1, 3))), "0.3333333333333333");
    assert_eq!(show(&inexact(&fl(1.5))), "1.5");
    // Numerator and denominator both overflow f64, the quotient does not.
    let ratio_big = div(&expt(&int(10), &int(400)).unwrap(), &expt(&int(10), &int(399)).unwrap()).unwrap();
    assert_eq!(show(&inexact(&ratio_big)), "10.0");
    let third_big =
        div(&expt(&int(10), &int(400)).unwrap(), &mul(&int(3), &expt(&int(10), &int(399)).unwrap())).unwrap();
    assert_eq!(show(&inexact(&third_big)), "3.3333333333333335");
    let tiny = div(&int(1), &expt(&int(10), &int(400)).unwrap()).unwrap();
    assert_eq!(show(&inexact(&tiny)), "0.0");
    let subnormal = div(&int(1), &expt(&int(2), &int(1074)).unwrap()).unwrap();
    assert_eq!(inexact(&subnormal).to_f64(), 5e-324);
    assert_eq!(show(&inexact(&expt(&int(10), &int(400)).unwrap())), "+inf.0");
    assert_eq!(show(&inexact(&neg(&expt(&int(10), &int(400)).unwrap()))), "-inf.0");
    assert_eq!(show(&inexact(&big("123456789012345678901234567890"))), "1.2345678901234568e29");
}

#[test]
fn bignum_to_float_rounds_correctly() {
    // (2^53 + 1) * 2^100 + 1 is just above the midpoint between two floats: rounds up.
    let two100 = expt(&int(2), &int(100)).unwrap();
    let above = add(&mul(&int((1 << 53) + 1), &two100), &int(1));
    let up = mul(&int((1 << 53) + 2), &two100).to_f64();
    assert_eq!(above.to_f64(), up);
    // Exactly the midpoint: ties to even, which is down here.
    let midpoint = mul(&int((1 << 53) + 1), &two100);
    assert_eq!(midpoint.to_f64(), mul(&int(1 << 53), &two100).to_f64());
    assert_eq!(int((1 << 53) + 1).to_f64(), 9007199254740992.0);
}

#[test]
fn machine_integer_views() {
    assert_eq!(int(5).to_i64(), Some(5));
    assert_eq!(fl(5.0).to_i64(), Some(5));
    assert_eq!(fl(5.5).to_i64(), None);
    assert_eq!(fl(1e300).to_i64(), None);
    assert_eq!(fl(f64::NAN).to_i64(), None);
    assert_eq!(ratio(1, 2).to_i64(), None);
    assert_eq!(big("100000000000000000000").to_i64(), None);
    assert_eq!(int(-5).exact_integer_to_i64(), Ok(-5));
    assert_eq!(big("100000000000000000000").exact_integer_to_i64(), Err(NumError::OutOfRange));
    assert_eq!(fl(5.0).exact_integer_to_i64(), Err(NumError::NotExactInteger));
    assert_eq!(ratio(1, 2).exact_integer_to_i64(), Err(NumError::NotExactInteger));
    assert_eq!(ratio(1, 4).to_f64(), 0.25);
}

#[test]
fn from_impls_normalise() {
    assert!(matches!(Number::from(7i64), Number::Fixnum(7)));
    assert!(matches!(Number::from(7i32), Number::Fixnum(7)));
    assert!(matches!(Number::from(7usize), Number::Fixnum(7)));
    assert!(matches!(Number::from(u64::MAX), Number::Big(_)));
    assert!(matches!(Number::from(1.5f64), Number::Flonum(x) if x == 1.5));
    assert!(matches!(Number::from(BigInt::from(7)), Number::Fixnum(7)));
    assert!(matches!(Number::from(BigInt::from(u64::MAX)), Number::Big(_)));
    assert!(matches!(Number::from(BigRational::new(6.into(), 3.into())), Number::Fixnum(2)));
    assert!(matches!(Number::from(BigRational::new(3.into(), 6.into())), Number::Rational(_)));
}

#[test]
fn smallest_subnormal_round_trips_exactly() {
    let e = exact(&fl(5e-324)).unwrap();
    assert_eq!(show(&denominator(&e).unwrap()), show(&expt(&int(2), &int(1074)).unwrap()));
    assert_eq!(inexact(&e).to_f64(), 5e-324);
}
