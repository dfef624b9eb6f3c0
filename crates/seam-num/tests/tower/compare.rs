//! Ordering, `=`, `eqv?`, `Hash`, and the predicates.

use super::*;
use seam_num::*;
use std::cmp::Ordering;
use std::collections::HashSet;

#[test]
fn ordering_across_the_tower() {
    assert_eq!(cmp(&int(1), &int(2)), Some(Ordering::Less));
    assert_eq!(cmp(&ratio(1, 3), &fl(0.3)), Some(Ordering::Greater));
    assert_eq!(cmp(&ratio(1, 2), &fl(0.5)), Some(Ordering::Equal));
    assert_eq!(cmp(&big("100000000000000000000"), &int(5)), Some(Ordering::Greater));
    assert_eq!(cmp(&int(5), &big("-100000000000000000000")), Some(Ordering::Greater));
    assert_eq!(cmp(&ratio(-1, 2), &ratio(-1, 3)), Some(Ordering::Less));
    assert_eq!(cmp(&fl(f64::INFINITY), &big("1".repeat(400).as_str())), Some(Ordering::Greater));
    assert_eq!(cmp(&fl(f64::NEG_INFINITY), &int(0)), Some(Ordering::Less));
    assert_eq!(cmp(&fl(f64::NAN), &int(0)), None);
    assert_eq!(cmp(&int(0), &fl(f64::NAN)), None);
}

#[test]
fn exact_float_comparison_is_exact() {
    // 2^64 + 1 rounds to 2^64 as a float; compared exactly it is larger.
    let two64 = fl(18446744073709551616.0);
    let two64_plus1 = big("18446744073709551617");
    assert_eq!(cmp(&two64_plus1, &two64), Some(Ordering::Greater));
    assert!(!num_eq(&two64_plus1, &two64));
    assert!(num_eq(&big("18446744073709551616"), &two64));
    // Transitivity near 2^53: the fixnum fast path must not round.
    let a = int((1 << 53) + 1);
    let b = fl(9007199254740992.0);
    assert_eq!(cmp(&a, &b), Some(Ordering::Greater));
    assert_eq!(cmp(&b, &a), Some(Ordering::Less));
    assert_eq!(cmp(&int(i64::MAX), &fl(9223372036854775808.0)), Some(Ordering::Less));
}

#[test]
fn numeric_equality() {
    assert!(num_eq(&int(1), &fl(1.0)));
    assert!(num_eq(&fl(0.0), &fl(-0.0)));
    assert!(!num_eq(&fl(f64::NAN), &fl(f64::NAN)));
    assert!(num_eq(&ratio(2, 4), &ratio(1, 2)));
}

#[test]
fn eqv_semantics() {
    assert!(eqv(&int(2), &int(2)));
    assert!(!eqv(&int(2), &fl(2.0)));
    assert!(eqv(&fl(f64::NAN), &fl(-f64::NAN)));
    assert!(!eqv(&fl(0.0), &fl(-0.0)));
    assert!(eqv(&ratio(1, 2), &ratio(2, 4)));
    assert!(eqv(&big("100000000000000000000"), &big("100000000000000000000")));
    assert_eq!(int(3), int(3));
    assert_ne!(int(3), fl(3.0));
}

#[test]
fn hash_follows_eqv() {
    let set: HashSet<Number> =
        [int(1), fl(1.0), fl(f64::NAN), fl(-f64::NAN), ratio(1, 2), ratio(2, 4), fl(0.0), fl(-0.0)]
            .into_iter()
            .collect();
    assert_eq!(set.len(), 6);
    assert!(set.contains(&ratio(3, 6)));
}

#[test]
fn exactness_predicates() {
    assert!(int(1).is_exact() && ratio(1, 2).is_exact() && big("1".repeat(30).as_str()).is_exact());
    assert!(!fl(1.0).is_exact());
    assert!(int(1).is_exact_integer() && big("1".repeat(30).as_str()).is_exact_integer());
    assert!(!ratio(1, 2).is_exact_integer() && !fl(1.0).is_exact_integer());
}

#[test]
fn kind_predicates() {
    assert!(fl(2.0).is_integer() && int(2).is_integer());
    assert!(!fl(2.5).is_integer() && !ratio(1, 2).is_integer() && !fl(f64::INFINITY).is_integer());
    assert!(!fl(f64::NAN).is_integer());
    assert!(fl(2.5).is_rational() && ratio(1, 2).is_rational());
    assert!(!fl(f64::INFINITY).is_rational() && !fl(f64::NAN).is_rational());
    assert!(fl(f64::NAN).is_real() && int(1).is_real());
    assert!(fl(f64::NAN).is_nan() && !int(1).is_nan() && !fl(1.0).is_nan());
    assert!(fl(f64::NEG_INFINITY).is_infinite() && !fl(1.0).is_infinite() && !int(1).is_infinite());
    assert!(int(1).is_finite() && fl(1.0).is_finite() && !fl(f64::NAN).is_finite());
}

#[test]
fn sign_predicates() {
    assert!(int(0).is_zero() && fl(-0.0).is_zero() && !ratio(1, 2).is_zero());
    assert!(int(1).is_positive() && ratio(1, 2).is_positive() && big("1".repeat(30).as_str()).is_positive());
    assert!(!fl(f64::NAN).is_positive() && !fl(f64::NAN).is_negative());
    assert!(!fl(-0.0).is_negative() && !int(0).is_negative() && !int(0).is_positive());
    assert!(fl(-1.0).is_negative() && ratio(-1, 2).is_negative());
    assert!(big("-100000000000000000000").is_negative());
}

#[test]
fn parity() {
    assert_eq!(int(3).is_odd(), Ok(true));
    assert_eq!(int(-3).is_odd(), Ok(true));
    assert_eq!(int(0).is_even(), Ok(true));
    assert_eq!(fl(4.0).is_even(), Ok(true));
    assert_eq!(fl(-3.0).is_odd(), Ok(true));
    assert_eq!(big("100000000000000000001").is_odd(), Ok(true));
    assert_eq!(fl(1.5).is_odd(), Err(NumError::NotInteger));
    assert_eq!(ratio(1, 2).is_even(), Err(NumError::NotInteger));
    assert_eq!(fl(f64::INFINITY).is_even(), Err(NumError::NotInteger));
}
