//! `numerator`, `denominator`, `floor`, `ceiling`, `truncate`, `round`, `rationalize`.

use super::*;
use seam_num::*;

#[test]
fn numerator_and_denominator() {
    assert_eq!(show(&numerator(&div(&int(6), &int(4)).unwrap()).unwrap()), "3");
    assert_eq!(show(&denominator(&div(&int(6), &int(4)).unwrap()).unwrap()), "2");
    assert_eq!(show(&denominator(&inexact(&ratio(6, 4))).unwrap()), "2.0");
    assert_eq!(show(&numerator(&inexact(&ratio(6, 4))).unwrap()), "3.0");
    assert_eq!(show(&numerator(&ratio(-7, 2)).unwrap()), "-7");
    assert_eq!(show(&denominator(&int(0)).unwrap()), "1");
    assert_eq!(show(&denominator(&int(5)).unwrap()), "1");
    assert_eq!(show(&numerator(&int(5)).unwrap()), "5");
    assert_eq!(show(&denominator(&fl(0.5)).unwrap()), "2.0");
    assert_eq!(show(&denominator(&fl(3.0)).unwrap()), "1.0");
    assert_eq!(show(&numerator(&fl(0.1)).unwrap()), "3602879701896397.0");
    assert_eq!(show(&denominator(&fl(0.1)).unwrap()), "3.602879701896397e16");
    assert_eq!(numerator(&fl(f64::INFINITY)), Err(NumError::NotFinite));
    assert_eq!(denominator(&fl(f64::NAN)), Err(NumError::NotFinite));
}

#[test]
fn rounding_flonums() {
    assert_eq!(show(&floor(&fl(-4.3))), "-5.0");
    assert_eq!(show(&ceiling(&fl(-4.3))), "-4.0");
    assert_eq!(show(&truncate(&fl(-4.3))), "-4.0");
    assert_eq!(show(&round(&fl(-4.3))), "-4.0");
    assert_eq!(show(&floor(&fl(3.5))), "3.0");
    assert_eq!(show(&ceiling(&fl(3.5))), "4.0");
    assert_eq!(show(&truncate(&fl(3.5))), "3.0");
    assert_eq!(show(&round(&fl(3.5))), "4.0");
    assert_eq!(show(&round(&fl(2.5))), "2.0");
    assert_eq!(show(&round(&fl(-2.5))), "-2.0");
    assert_eq!(show(&round(&fl(f64::INFINITY))), "+inf.0");
}

#[test]
fn rounding_exact() {
    assert_eq!(show(&round(&ratio(7, 2))), "4");
    assert_eq!(show(&round(&ratio(5, 2))), "2");
    assert_eq!(show(&round(&ratio(-5, 2))), "-2");
    assert_eq!(show(&round(&ratio(-7, 2))), "-4");
    assert_eq!(show(&round(&ratio(7, 3))), "2");
    assert_eq!(show(&round(&ratio(8, 3))), "3");
    assert_eq!(show(&round(&int(7))), "7");
    assert_eq!(show(&floor(&ratio(-7, 2))), "-4");
    assert_eq!(show(&ceiling(&ratio(-7, 2))), "-3");
    assert_eq!(show(&truncate(&ratio(-7, 2))), "-3");
    assert_eq!(show(&floor(&ratio(7, 2))), "3");
    assert_eq!(show(&ceiling(&ratio(7, 2))), "4");
    assert_eq!(show(&truncate(&ratio(7, 2))), "3");
    assert_eq!(show(&floor(&big("-100000000000000000000"))), "-100000000000000000000");
}

#[test]
fn rationalize_r7rs_examples() {
    let exact_point3 = exact(&fl(0.3)).unwrap();
    assert_eq!(show(&rationalize(&exact_point3, &ratio(1, 10))), "1/3");
    assert_eq!(show(&rationalize(&fl(0.3), &ratio(1, 10))), "0.3333333333333333");
    assert_eq!(show(&rationalize(&ratio(3, 10), &ratio(1, 10))), "1/3");
}

#[test]
fn rationalize_edges() {
    assert_eq!(show(&rationalize(&int(3), &ratio(1, 10))), "3");
    assert_eq!(show(&rationalize(&ratio(1, 2), &int(1))), "0");
    assert_eq!(show(&rationalize(&ratio(-3, 10), &ratio(1, 10))), "-1/3");
    assert_eq!(show(&rationalize(&ratio(3, 10), &ratio(-1, 10))), "1/3");
    assert_eq!(show(&rationalize(&ratio(22, 7), &int(0))), "22/7");
    assert_eq!(show(&rationalize(&ratio(5, 2), &ratio(1, 2))), "2");
    assert_eq!(show(&rationalize(&fl(std::f64::consts::PI), &fl(0.001))), "3.140625");
    assert_eq!(show(&rationalize(&exact(&fl(std::f64::consts::PI)).unwrap(), &ratio(1, 1000))), "201/64");
    assert_eq!(show(&rationalize(&fl(f64::INFINITY), &int(3))), "+inf.0");
    assert_eq!(show(&rationalize(&int(3), &fl(f64::INFINITY))), "0.0");
    assert_eq!(show(&rationalize(&fl(f64::INFINITY), &fl(f64::INFINITY))), "+nan.0");
    assert_eq!(show(&rationalize(&fl(f64::NAN), &int(1))), "+nan.0");
}
