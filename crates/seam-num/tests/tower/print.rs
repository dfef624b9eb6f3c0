//! `Display` and `to_string_radix`.

use super::*;

#[test]
fn exact_numbers_print() {
    assert_eq!(show(&int(0)), "0");
    assert_eq!(show(&int(-42)), "-42");
    assert_eq!(show(&int(i64::MIN)), "-9223372036854775808");
    assert_eq!(show(&big("-123456789012345678901234567890")), "-123456789012345678901234567890");
    assert_eq!(show(&ratio(1, 3)), "1/3");
    assert_eq!(show(&ratio(-7, 2)), "-7/2");
}

#[test]
fn flonums_print_shortest_and_inexact() {
    let cases = [
        (0.1, "0.1"),
        (1.0, "1.0"),
        (100.0, "100.0"),
        (-2.5, "-2.5"),
        (1e21, "1e21"),
        (1.5e-7, "1.5e-7"),
        (1e100, "1e100"),
        (123456789.125, "123456789.125"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (f64::INFINITY, "+inf.0"),
        (f64::NEG_INFINITY, "-inf.0"),
        (f64::NAN, "+nan.0"),
        (f64::MAX, "1.7976931348623157e308"),
        (5e-324, "5e-324"),
        (1.0 / 3.0, "0.3333333333333333"),
    ];
    for (value, text) in cases {
        assert_eq!(show(&fl(value)), text, "printing {value:e}");
    }
}

#[test]
fn radixes() {
    assert_eq!(int(255).to_string_radix(16), "ff");
    assert_eq!(int(-255).to_string_radix(16), "-ff");
    assert_eq!(int(5).to_string_radix(2), "101");
    assert_eq!(int(-8).to_string_radix(8), "-10");
    assert_eq!(int(i64::MIN).to_string_radix(16), "-8000000000000000");
    assert_eq!(int(35).to_string_radix(36), "z");
    assert_eq!(int(255).to_string_radix(10), "255");
    assert_eq!(
        big("340282366920938463463374607431768211455").to_string_radix(16),
        "ffffffffffffffffffffffffffffffff"
    );
    assert_eq!(big("-18446744073709551616").to_string_radix(2), format!("-1{}", "0".repeat(64)));
    assert_eq!(ratio(-1, 2).to_string_radix(2), "-1/10");
    assert_eq!(ratio(255, 16).to_string_radix(16), "ff/10");
    assert_eq!(fl(0.5).to_string_radix(16), "#i1/2");
    assert_eq!(fl(0.5).to_string_radix(2), "#i1/10");
    assert_eq!(fl(-4.0).to_string_radix(8), "#i-4");
    assert_eq!(fl(-0.0).to_string_radix(2), "#i-0");
    assert_eq!(fl(f64::INFINITY).to_string_radix(2), "+inf.0");
    assert_eq!(fl(0.5).to_string_radix(10), "0.5");
    assert_eq!(int(255).to_string_radix(1), "255");
    assert_eq!(int(255).to_string_radix(99), "255");
}
