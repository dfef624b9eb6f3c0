//! `floor/`, `truncate/`, `quotient`, `remainder`, `modulo`, `gcd`, `lcm`,
//! `exact-integer-sqrt`.

use super::*;
use seam_num::*;

#[test]
fn floor_division_r7rs_examples() {
    assert_eq!(show2(floor_div_rem(&int(5), &int(2)).unwrap()), "2 1");
    assert_eq!(show2(floor_div_rem(&int(-5), &int(2)).unwrap()), "-3 1");
    assert_eq!(show2(floor_div_rem(&int(5), &int(-2)).unwrap()), "-3 -1");
    assert_eq!(show2(floor_div_rem(&int(-5), &int(-2)).unwrap()), "2 -1");
    assert_eq!(show(&floor_div(&int(-5), &int(2)).unwrap()), "-3");
    assert_eq!(show(&floor_rem(&int(-5), &int(2)).unwrap()), "1");
}

#[test]
fn truncate_division_r7rs_examples() {
    assert_eq!(show2(truncate_div_rem(&int(5), &int(2)).unwrap()), "2 1");
    assert_eq!(show2(truncate_div_rem(&int(-5), &int(2)).unwrap()), "-2 -1");
    assert_eq!(show2(truncate_div_rem(&int(5), &int(-2)).unwrap()), "-2 1");
    assert_eq!(show2(truncate_div_rem(&int(-5), &int(-2)).unwrap()), "2 -1");
    assert_eq!(show2(truncate_div_rem(&fl(-5.0), &int(2)).unwrap()), "-2.0 -1.0");
    assert_eq!(show(&truncate_div(&int(-5), &int(2)).unwrap()), "-2");
    assert_eq!(show(&truncate_rem(&int(-5), &int(2)).unwrap()), "-1");
}

#[test]
fn quotient_remainder_modulo() {
    assert_eq!(show(&quotient(&int(17), &int(-5)).unwrap()), "-3");
    assert_eq!(show(&remainder(&int(17), &int(-5)).unwrap()), "2");
    assert_eq!(show(&modulo(&int(17), &int(-5)).unwrap()), "-3");
    assert_eq!(show(&modulo(&int(-7), &int(2)).unwrap()), "1");
    assert_eq!(show(&remainder(&int(-13), &fl(4.0)).unwrap()), "-1.0");
    assert_eq!(show(&modulo(&fl(13.0), &int(-4)).unwrap()), "-3.0");
}

#[test]
fn division_errors() {
    assert_eq!(quotient(&fl(1.5), &int(1)), Err(NumError::NotInteger));
    assert_eq!(quotient(&int(1), &ratio(1, 2)), Err(NumError::NotInteger));
    assert_eq!(modulo(&fl(f64::INFINITY), &int(2)), Err(NumError::NotInteger));
    assert_eq!(quotient(&int(1), &int(0)), Err(NumError::DivisionByZero));
    assert_eq!(modulo(&int(1), &fl(0.0)), Err(NumError::DivisionByZero));
    assert_eq!(remainder(&big("100000000000000000000"), &int(0)), Err(NumError::DivisionByZero));
    assert_eq!(NumError::NotInteger.to_string(), "not an integer");
}

#[test]
fn division_overflow_and_bignums() {
    assert_eq!(show2(floor_div_rem(&int(i64::MIN), &int(-1)).unwrap()), "9223372036854775808 0");
    assert_eq!(show2(truncate_div_rem(&int(i64::MIN), &int(-1)).unwrap()), "9223372036854775808 0");
    let n = big("100000000000000000000");
    assert_eq!(show2(floor_div_rem(&n, &int(-3)).unwrap()), "-33333333333333333334 -2");
    assert_eq!(show2(truncate_div_rem(&n, &int(-3)).unwrap()), "-33333333333333333333 1");
    assert_eq!(show2(floor_div_rem(&n, &n).unwrap()), "1 0");
    assert_eq!(show2(floor_div_rem(&int(7), &n).unwrap()), "0 7");
    // Large integral flonums go through exact arithmetic.
    assert_eq!(show2(truncate_div_rem(&fl(1e20), &int(3)).unwrap()), "3.333333333333333e19 1.0");
}

#[test]
fn gcd_and_lcm() {
    assert_eq!(show(&gcd(&int(32), &int(-36)).unwrap()), "4");
    assert_eq!(show(&gcd(&int(0), &int(0)).unwrap()), "0");
    assert_eq!(show(&gcd(&int(0), &int(-5)).unwrap()), "5");
    assert_eq!(show(&gcd(&fl(4.0), &int(6)).unwrap()), "2.0");
    assert_eq!(show(&gcd(&int(i64::MIN), &int(0)).unwrap()), "9223372036854775808");
    assert_eq!(show(&gcd(&big("100000000000000000000"), &int(-15)).unwrap()), "5");
    assert_eq!(show(&lcm(&int(32), &int(-36)).unwrap()), "288");
    assert_eq!(show(&lcm(&fl(32.0), &int(-36)).unwrap()), "288.0");
    assert_eq!(show(&lcm(&int(0), &int(5)).unwrap()), "0");
    assert_eq!(show(&lcm(&int(i64::MAX), &int(i64::MIN)).unwrap()), "85070591730234615856620279821087277056");
    assert_eq!(show(&lcm(&big("-100000000000000000000"), &int(3)).unwrap()), "300000000000000000000");
    assert_eq!(gcd(&ratio(1, 2), &int(3)), Err(NumError::NotInteger));
    assert_eq!(lcm(&fl(0.5), &int(3)), Err(NumError::NotInteger));
}

#[test]
fn exact_integer_square_roots() {
    assert_eq!(show2(exact_integer_sqrt(&int(4)).unwrap()), "2 0");
    assert_eq!(show2(exact_integer_sqrt(&int(5)).unwrap()), "2 1");
    assert_eq!(show2(exact_integer_sqrt(&int(0)).unwrap()), "0 0");
    assert_eq!(show2(exact_integer_sqrt(&int(i64::MAX)).unwrap()), "3037000499 5928526806");
    assert_eq!(
        show2(exact_integer_sqrt(&big("100000000000000000000000000000000000001")).unwrap()),
        "10000000000000000000 1"
    );
    assert!(matches!(exact_integer_sqrt(&int(-1)), Err(NumError::Domain(_))));
    assert_eq!(exact_integer_sqrt(&fl(4.0)), Err(NumError::NotExactInteger));
    assert_eq!(exact_integer_sqrt(&ratio(1, 4)), Err(NumError::NotExactInteger));
}
