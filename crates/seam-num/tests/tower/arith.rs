//! `+ - * /`, `neg`, `abs`, `square`, `min`, `max`.

use super::*;
use seam_num::*;

#[test]
fn exact_addition_stays_exact() {
    assert_eq!(show(&add(&int(2), &int(3))), "5");
    assert_eq!(show(&add(&ratio(1, 3), &ratio(2, 3))), "1");
    assert!(matches!(add(&ratio(1, 3), &ratio(2, 3)), Number::Fixnum(1)));
    assert_eq!(show(&add(&ratio(1, 2), &int(1))), "3/2");
}

#[test]
fn flonum_contagion() {
    assert_eq!(show(&add(&int(1), &fl(2.0))), "3.0");
    assert_eq!(show(&sub(&ratio(1, 2), &fl(0.5))), "0.0");
    assert_eq!(show(&mul(&fl(1.5), &int(2))), "3.0");
    assert_eq!(show(&mul(&int(0), &fl(1.5))), "0.0");
    assert_eq!(show(&div(&int(1), &fl(4.0)).unwrap()), "0.25");
}

#[test]
fn fixnum_overflow_promotes_and_demotes() {
    let max = int(i64::MAX);
    let over = add(&max, &int(1));
    assert!(matches!(over, Number::Big(_)));
    assert_eq!(show(&over), "9223372036854775808");
    let back = sub(&over, &int(1));
    assert!(matches!(back, Number::Fixnum(i64::MAX)));
    let under = sub(&int(i64::MIN), &int(1));
    assert_eq!(show(&under), "-9223372036854775809");
    assert!(matches!(add(&under, &int(1)), Number::Fixnum(i64::MIN)));
    assert_eq!(show(&mul(&int(i64::MAX), &int(2))), "18446744073709551614");
    assert_eq!(show(&neg(&int(i64::MIN))), "9223372036854775808");
    assert!(matches!(neg(&neg(&int(i64::MIN))), Number::Fixnum(i64::MIN)));
}

#[test]
fn factorial_100() {
    let mut acc = int(1);
    for i in 1..=100 {
        acc = mul(&acc, &int(i));
    }
    assert_eq!(
        show(&acc),
        "93326215443944152681699238856266700490715968264381621468592963895217599993229915\
         608941463976156518286253697920827223758251185210916864000000000000000000000000"
    );
    for i in 1..=100 {
        acc = div(&acc, &int(i)).unwrap();
    }
    assert!(matches!(acc, Number::Fixnum(1)));
}

#[test]
fn exact_division_gives_rationals() {
    assert_eq!(show(&div(&int(1), &int(3)).unwrap()), "1/3");
    assert_eq!(show(&div(&int(6), &int(4)).unwrap()), "3/2");
    assert_eq!(show(&div(&int(-6), &int(4)).unwrap()), "-3/2");
    assert_eq!(show(&div(&int(6), &int(-4)).unwrap()), "-3/2");
    assert_eq!(show(&div(&int(6), &int(3)).unwrap()), "2");
    assert_eq!(show(&div(&ratio(1, 3), &ratio(1, 6)).unwrap()), "2");
    assert_eq!(show(&div(&int(i64::MIN), &int(-1)).unwrap()), "9223372036854775808");
    assert_eq!(show(&div(&big("100000000000000000000"), &int(7)).unwrap()), "100000000000000000000/7");
}

#[test]
fn division_by_zero() {
    assert_eq!(div(&int(1), &int(0)), Err(NumError::DivisionByZero));
    assert_eq!(div(&ratio(1, 2), &int(0)), Err(NumError::DivisionByZero));
    assert_eq!(div(&int(1), &int(0)).unwrap_err().to_string(), "division by zero");
    assert_eq!(show(&div(&int(1), &fl(0.0)).unwrap()), "+inf.0");
    assert_eq!(show(&div(&int(-1), &fl(0.0)).unwrap()), "-inf.0");
    assert_eq!(show(&div(&fl(1.0), &int(0)).unwrap()), "+inf.0");
    assert_eq!(show(&div(&fl(0.0), &fl(0.0)).unwrap()), "+nan.0");
}

#[test]
fn negation_abs_square() {
    assert_eq!(show(&neg(&ratio(1, 2))), "-1/2");
    assert_eq!(show(&neg(&fl(0.0))), "-0.0");
    assert_eq!(show(&abs(&int(-7))), "7");
    assert_eq!(show(&abs(&ratio(-7, 2))), "7/2");
    assert_eq!(show(&abs(&fl(-0.0))), "0.0");
    assert_eq!(show(&abs(&int(i64::MIN))), "9223372036854775808");
    assert_eq!(show(&abs(&big("-100000000000000000000"))), "100000000000000000000");
    assert_eq!(show(&square(&int(42))), "1764");
    assert_eq!(show(&square(&fl(2.0))), "4.0");
    assert_eq!(show(&square(&ratio(-2, 3))), "4/9");
}

#[test]
fn min_max_contagion() {
    assert_eq!(show(&max(&int(1), &fl(2.0))), "2.0");
    assert_eq!(show(&max(&int(3), &fl(2.0))), "3.0");
    assert_eq!(show(&min(&int(1), &fl(2.0))), "1.0");
    assert_eq!(show(&max(&int(1), &int(2))), "2");
    assert_eq!(show(&min(&ratio(1, 2), &ratio(1, 3))), "1/3");
    assert_eq!(show(&max(&int(1), &fl(f64::NAN))), "+nan.0");
}

#[test]
fn operator_traits() {
    assert_eq!(show(&(&int(2) + &int(3))), "5");
    assert_eq!(show(&(&int(2) - &fl(3.0))), "-1.0");
    assert_eq!(show(&(&ratio(1, 2) * &int(4))), "2");
    assert_eq!(show(&-&int(2)), "-2");
}
