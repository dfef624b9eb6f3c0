//! `expt`, `sqrt`, `exp`, `log`, trigonometry.

use super::*;
use seam_num::*;

#[test]
fn exact_powers() {
    assert_eq!(show(&expt(&int(2), &int(10)).unwrap()), "1024");
    assert_eq!(
        show(&expt(&int(3), &int(200)).unwrap()),
        "265613988875874769338781322035779626829233452653394495974574961739092490901302182994384699044001"
    );
    assert_eq!(show(&expt(&int(2), &int(64)).unwrap()), "18446744073709551616");
    assert_eq!(show(&expt(&int(-2), &int(63)).unwrap()), "-9223372036854775808");
    assert!(matches!(expt(&int(-2), &int(63)).unwrap(), Number::Fixnum(i64::MIN)));
    assert_eq!(show(&expt(&int(2), &int(-2)).unwrap()), "1/4");
    assert_eq!(show(&expt(&int(-2), &int(-3)).unwrap()), "-1/8");
    assert_eq!(show(&expt(&ratio(2, 3), &int(3)).unwrap()), "8/27");
    assert_eq!(show(&expt(&ratio(2, 3), &int(-3)).unwrap()), "27/8");
    assert_eq!(show(&expt(&ratio(1, 2), &int(-2)).unwrap()), "4");
    assert_eq!(show(&expt(&ratio(2, 3), &int(0)).unwrap()), "1");
    assert!(matches!(expt(&ratio(2, 3), &int(0)).unwrap(), Number::Fixnum(1)));
    assert_eq!(show(&expt(&big("100000000000000000000"), &int(2)).unwrap()), format!("1{}", "0".repeat(40)));
}

#[test]
fn zero_and_unit_powers() {
    assert_eq!(show(&expt(&int(0), &int(0)).unwrap()), "1");
    assert_eq!(show(&expt(&fl(0.0), &int(0)).unwrap()), "1.0");
    assert_eq!(show(&expt(&int(0), &fl(0.0)).unwrap()), "1.0");
    assert_eq!(show(&expt(&int(0), &int(5)).unwrap()), "0");
    assert_eq!(expt(&int(0), &int(-1)), Err(NumError::DivisionByZero));
    assert_eq!(show(&expt(&fl(0.0), &int(-1)).unwrap()), "+inf.0");
    let huge = big("100000000000000000000000");
    assert_eq!(show(&expt(&int(1), &huge).unwrap()), "1");
    assert_eq!(show(&expt(&int(-1), &huge).unwrap()), "1");
    assert_eq!(show(&expt(&int(-1), &add(&huge, &int(1))).unwrap()), "-1");
    assert_eq!(show(&expt(&int(-1), &neg(&add(&huge, &int(1)))).unwrap()), "-1");
    assert_eq!(show(&expt(&int(0), &huge).unwrap()), "0");
    assert_eq!(expt(&int(0), &neg(&huge)), Err(NumError::DivisionByZero));
    assert_eq!(show(&expt(&int(-1), &int(i64::MIN)).unwrap()), "1");
}

#[test]
fn absurd_exact_powers_are_refused() {
    assert!(matches!(expt(&int(2), &int(1 << 40)), Err(NumError::Domain(_))));
    assert!(matches!(expt(&int(10), &int(100_000_000)), Err(NumError::Domain(_))));
    assert!(matches!(expt(&int(2), &big("100000000000000000000")), Err(NumError::Domain(_))));
    assert!(matches!(expt(&ratio(1, 3), &int(-(1 << 40))), Err(NumError::Domain(_))));
    assert!(matches!(expt(&int(2), &int(i64::MIN)), Err(NumError::Domain(_))));
    // Within the bound it works.
    assert!(matches!(expt(&int(2), &int(100_000)).unwrap(), Number::Big(_)));
}

#[test]
fn inexact_powers() {
    assert_eq!(show(&expt(&fl(2.0), &int(10)).unwrap()), "1024.0");
    assert_eq!(show(&expt(&int(2), &fl(0.5)).unwrap()), "1.4142135623730951");
    assert_eq!(show(&expt(&int(2), &ratio(1, 2)).unwrap()), "1.4142135623730951");
    let huge = big(&format!("1{}", "0".repeat(400)));
    let root = expt(&huge, &fl(0.5)).unwrap().to_f64();
    assert!((root / 1e200 - 1.0).abs() < 1e-12, "10^400 to the 0.5 is about 1e200, got {root}");
    assert_eq!(show(&expt(&fl(2.0), &big("100000000000000000000")).unwrap()), "+inf.0");
    assert_eq!(show(&expt(&fl(0.5), &int(i64::MAX)).unwrap()), "0.0");
    assert!(!expt(&int(-8), &ratio(1, 3)).unwrap().is_real(), "the principal cube root of -8 is complex");
}

#[test]
fn exact_roots_stay_exact() {
    assert_eq!(show(&expt(&int(4), &ratio(1, 2)).unwrap()), "2");
    assert_eq!(show(&expt(&int(0), &ratio(1, 2)).unwrap()), "0");
    assert_eq!(show(&expt(&ratio(8, 27), &ratio(-2, 3)).unwrap()), "9/4");
    assert!(matches!(expt(&int(0), &ratio(-1, 2)), Err(NumError::DivisionByZero)));
}

#[test]
fn square_roots() {
    assert_eq!(show(&sqrt(&int(16))), "4");
    assert_eq!(show(&sqrt(&int(0))), "0");
    assert_eq!(show(&sqrt(&int(2))), "1.4142135623730951");
    assert_eq!(show(&sqrt(&ratio(1, 4))), "1/2");
    assert_eq!(show(&sqrt(&ratio(9, 4))), "3/2");
    assert_eq!(show(&sqrt(&ratio(1, 2))), "0.7071067811865476");
    assert_eq!(show(&sqrt(&fl(16.0))), "4.0");
    assert_eq!(show(&sqrt(&fl(-4.0))), "+2.0i");
    assert_eq!(show(&sqrt(&int(-4))), "+2i");
    assert_eq!(show(&sqrt(&fl(-0.0))), "-0.0");
    assert_eq!(show(&sqrt(&big("100000000000000000000"))), "10000000000");
    let ten_400 = expt(&int(10), &int(400)).unwrap();
    assert_eq!(show(&sqrt(&ten_400)), format!("1{}", "0".repeat(200)));
    let ten_401 = expt(&int(10), &int(401)).unwrap();
    assert_eq!(show(&sqrt(&ten_401)), "3.1622776601683794e200");
}

#[test]
fn exponentials_and_logarithms() {
    assert_eq!(show(&exp(&int(0))), "1.0");
    assert_eq!(show(&exp(&int(1))), "2.718281828459045");
    assert_eq!(show(&log(&int(1))), "0.0");
    assert_eq!(show(&log(&int(0))), "-inf.0");
    assert_eq!(show(&log(&int(-1))), "+3.141592653589793i");
    assert_eq!(show(&log_base(&int(100), &int(10))), "2.0");
    assert_eq!(show(&log_base(&int(8), &fl(2.0))), "3.0");
    let ten_400 = expt(&int(10), &int(400)).unwrap();
    let expected = 400.0 * std::f64::consts::LN_10;
    assert!((log(&ten_400).to_f64() - expected).abs() < 1e-9);
    let tiny = div(&int(1), &ten_400).unwrap();
    assert!((log(&tiny).to_f64() + expected).abs() < 1e-9);
    assert!((log_base(&ten_400, &int(10)).to_f64() - 400.0).abs() < 1e-9);
}

#[test]
fn trigonometry() {
    assert_eq!(show(&sin(&int(0))), "0.0");
    assert_eq!(show(&cos(&int(0))), "1.0");
    assert_eq!(show(&tan(&int(0))), "0.0");
    assert_eq!(show(&asin(&int(1))), "1.5707963267948966");
    assert_eq!(show(&acos(&int(1))), "0.0");
    assert_eq!(show(&asin(&int(2))), "1.5707963267948966-1.3169578969248166i");
    assert_eq!(show(&atan(&int(1))), "0.7853981633974483");
    assert_eq!(show(&atan2(&int(1), &int(-1))), "2.356194490192345");
    assert_eq!(show(&atan2(&int(0), &int(-1))), "3.141592653589793");
    assert_eq!(show(&sin(&ratio(1, 2))), "0.479425538604203");
}
