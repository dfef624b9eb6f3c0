//! Complex numbers: normalisation, arithmetic, the complex library, the elementary
//! functions with their branch cuts, printing.

use super::{fl, int, ratio, show};
use seam_num::*;

/// `re + im·i` from two reals.
fn z(re: Number, im: Number) -> Number {
    make_rectangular(&re, &im).expect("real parts")
}

/// An inexact complex number.
fn zf(re: f64, im: f64) -> Number {
    Number::from_parts(re, im)
}

#[test]
fn normalisation() {
    assert_eq!(show(&z(int(1), int(0))), "1");
    assert!(eqv(&z(int(1), int(0)), &int(1)));
    assert!(z(int(1), int(0)).is_real());
    assert_eq!(show(&z(fl(1.0), fl(0.0))), "1.0+0.0i");
    assert!(!z(fl(1.0), fl(0.0)).is_real());
    assert_eq!(show(&z(int(1), fl(2.0))), "1.0+2.0i");
    assert_eq!(show(&z(ratio(1, 2), ratio(3, 4))), "1/2+3/4i");
    assert!(z(ratio(1, 2), ratio(3, 4)).is_exact());
    assert_eq!(show(&make_rectangular(&z(int(1), int(1)), &int(1))), "error: not a real number");
}

#[test]
fn printing() {
    assert_eq!(show(&z(int(0), int(1))), "+i");
    assert_eq!(show(&z(int(0), int(-1))), "-i");
    assert_eq!(show(&z(int(3), int(-1))), "3-i");
    assert_eq!(show(&z(int(0), int(2))), "+2i");
    assert_eq!(show(&z(int(-3), ratio(-1, 2))), "-3-1/2i");
    assert_eq!(show(&zf(0.0, 2.0)), "+2.0i");
    assert_eq!(show(&zf(-0.0, 2.0)), "-0.0+2.0i");
    assert_eq!(show(&zf(1.0, f64::INFINITY)), "1.0+inf.0i");
    assert_eq!(show(&zf(0.0, f64::NEG_INFINITY)), "-inf.0i");
    assert_eq!(show(&zf(f64::NAN, f64::NAN)), "+nan.0+nan.0i");
    assert_eq!(show(&zf(1.5e300, -2.5e-300)), "1.5e300-2.5e-300i");
    assert_eq!(z(int(255), int(-16)).to_string_radix(16), "ff-10i");
    assert_eq!(zf(0.5, 0.25).to_string_radix(2), "#i1/10+1/100i");
    assert_eq!(zf(-0.0, 3.0).to_string_radix(8), "#i-0+3i");
    assert_eq!(zf(1.0, f64::NAN).to_string_radix(16), "#i1+nan.0i");
}

#[test]
fn arithmetic() {
    let (a, b) = (z(int(1), int(2)), z(int(3), int(-4)));
    assert_eq!(show(&add(&a, &b)), "4-2i");
    assert_eq!(show(&sub(&a, &a)), "0");
    assert_eq!(show(&mul(&a, &b)), "11+2i");
    assert_eq!(show(&div(&a, &b)), "-1/5+2/5i");
    assert_eq!(show(&div(&a, &int(0))), "error: division by zero");
    assert_eq!(show(&mul(&z(int(0), int(1)), &z(int(0), int(1)))), "-1");
    assert_eq!(show(&add(&a, &fl(0.5))), "1.5+2.0i");
    assert_eq!(show(&mul(&fl(2.0), &zf(0.0, f64::INFINITY))), "+inf.0i");
    assert_eq!(show(&div(&zf(1.0, 1.0), &zf(1e300, 1e300))), "1e-300+0.0i");
    assert_eq!(show(&neg(&a)), "-1-2i");
    assert!(num_eq(&int(1), &zf(1.0, 0.0)));
    assert!(!num_eq(&a, &b));
    assert_eq!(cmp(&a, &int(1)), None);
    assert_eq!(show(&abs(&a)), "error: not a real number");
    assert_eq!(show(&max(&a, &int(1))), "error: not a real number");
    assert_eq!(show(&floor(&a)), "error: not a real number");
    assert_eq!(show(&exact(&zf(0.5, 0.0))), "1/2");
    assert_eq!(show(&exact(&zf(0.5, f64::NAN))), "error: not a finite number");
    assert_eq!(show(&inexact(&a)), "1.0+2.0i");
}

#[test]
fn library() {
    let a = z(int(3), int(4));
    assert_eq!(show(&real_part(&a)), "3");
    assert_eq!(show(&imag_part(&a)), "4");
    assert_eq!(show(&imag_part(&fl(1.5))), "0");
    assert_eq!(show(&magnitude(&a)), "5");
    assert_eq!(show(&magnitude(&z(int(1), int(1)))), "1.4142135623730951");
    assert_eq!(show(&magnitude(&int(-5))), "5");
    assert_eq!(show(&angle(&int(-1))), "3.141592653589793");
    assert_eq!(show(&angle(&int(1))), "0");
    assert_eq!(show(&angle(&z(int(0), int(1)))), "1.5707963267948966");
    assert_eq!(show(&make_polar(&int(2), &int(0))), "2");
    let p = make_polar(&fl(2.0), &fl(std::f64::consts::FRAC_PI_2)).unwrap();
    assert!((real_part(&p).to_f64()).abs() < 1e-15 && imag_part(&p).to_f64() == 2.0);
}

#[test]
fn square_roots_and_powers() {
    assert_eq!(show(&sqrt(&int(-1))), "+i");
    assert_eq!(show(&sqrt(&ratio(-9, 4))), "+3/2i");
    assert_eq!(show(&sqrt(&int(-2))), "+1.4142135623730951i");
    assert_eq!(show(&sqrt(&z(int(-3), int(4)))), "1+2i");
    assert_eq!(show(&sqrt(&z(int(-3), int(-4)))), "1-2i");
    assert_eq!(show(&sqrt(&fl(f64::NEG_INFINITY))), "+inf.0i");
    assert_eq!(show(&sqrt(&zf(-4.0, -0.0))), "-2.0i");
    assert_eq!(show(&sqrt(&zf(-4.0, 0.0))), "+2.0i");
    let i = z(int(0), int(1));
    assert_eq!(show(&expt(&i, &int(2))), "-1");
    assert_eq!(show(&expt(&i, &int(3))), "-i");
    assert_eq!(show(&expt(&i, &big_power())), "1");
    assert_eq!(show(&expt(&int(-1), &ratio(1, 2))), "+i");
    assert_eq!(show(&expt(&int(-4), &ratio(3, 2))), "-8i");
    assert_eq!(show(&expt(&z(int(1), int(1)), &int(-2))), "-1/2i");
    assert_eq!(show(&expt(&zf(1.0, 1.0), &int(2))), "+2.0i");
    let cube_root = expt(&int(-8), &ratio(1, 3)).unwrap();
    assert!((real_part(&cube_root).to_f64() - 1.0).abs() < 1e-15);
    assert!((imag_part(&cube_root).to_f64() - 3f64.sqrt()).abs() < 1e-15);
    assert_eq!(show(&expt(&int(0), &z(int(1), int(1)))), "0");
    assert_eq!(show(&expt(&int(0), &i)), "error: expt: zero to a power whose real part is not positive");
    let e_i_pi = expt(&fl(std::f64::consts::E), &mul(&i, &fl(std::f64::consts::PI))).unwrap();
    assert!((real_part(&e_i_pi).to_f64() + 1.0).abs() < 1e-15);
}

/// 2^70, a power that is a bignum.
fn big_power() -> Number {
    expt(&int(2), &int(72)).unwrap()
}

#[test]
fn branch_cuts_follow_the_sign_of_zero() {
    let pi = std::f64::consts::PI;
    // log: the negative real axis; arg in (-pi, pi].
    assert_eq!(show(&log(&zf(-1.0, 0.0))), format!("+{pi:?}i"));
    assert_eq!(show(&log(&zf(-1.0, -0.0))), format!("-{pi:?}i"));
    // asin/acos: the real axis beyond ±1. A real argument takes CL's side.
    assert_eq!(show(&asin(&int(2))), "1.5707963267948966-1.3169578969248166i");
    assert_eq!(show(&asin(&zf(2.0, 0.0))), "1.5707963267948966+1.3169578969248166i");
    assert_eq!(show(&asin(&zf(2.0, -0.0))), "1.5707963267948966-1.3169578969248166i");
    assert_eq!(show(&asin(&int(-2))), "-1.5707963267948966+1.3169578969248166i");
    assert_eq!(show(&acos(&int(2))), "+1.3169578969248166i");
    assert_eq!(show(&acos(&zf(2.0, 0.0))), "-1.3169578969248166i");
    assert_eq!(show(&acos(&int(-2))), "3.141592653589793-1.3169578969248166i");
    // atan: the imaginary axis beyond ±i.
    assert_eq!(show(&atan(&z(int(0), int(2)))), "1.5707963267948966+0.5493061443340549i");
    assert_eq!(show(&atan(&zf(-0.0, 2.0))), "-1.5707963267948966+0.5493061443340549i");
    assert_eq!(show(&atan(&zf(0.0, -2.0))), "1.5707963267948966-0.5493061443340549i");
    // sqrt: the negative real axis.
    assert_eq!(show(&sqrt(&zf(-1.0, 0.0))), "+1.0i");
    assert_eq!(show(&sqrt(&zf(-1.0, -0.0))), "-1.0i");
}

#[test]
fn elementary_functions() {
    let close = |a: &Number, re: f64, im: f64| {
        let (x, y) = a.to_f64_parts();
        (x - re).abs() < 1e-12 && (y - im).abs() < 1e-12
    };
    let w = z(int(1), int(1));
    assert!(close(&exp(&w), 1.4686939399158851, 2.2873552871788423));
    assert!(close(&log(&w), 0.34657359027997264, std::f64::consts::FRAC_PI_4));
    assert!(close(&sin(&w), 1.2984575814159773, 0.6349639147847361));
    assert!(close(&cos(&w), 0.8337300251311491, -0.9888977057628651));
    assert!(close(&tan(&w), 0.2717525853195117, 1.0839233273386946));
    assert!(close(&tan(&zf(1.0, 400.0)), 0.0, 1.0));
    assert!(close(&log_base(&int(-8), &int(2)), 3.0, pi_over_ln2()));
    assert_eq!(show(&atan2(&w, &int(1))), "error: not a real number");
}

fn pi_over_ln2() -> f64 {
    std::f64::consts::PI / std::f64::consts::LN_2
}

#[test]
fn predicates() {
    let a = z(int(1), int(2));
    assert!(!a.is_rational() && !a.is_integer() && !a.is_real() && a.is_exact());
    assert!(zf(f64::NAN, 5.0).is_nan());
    assert!(zf(3.0, f64::INFINITY).is_infinite() && !zf(3.0, f64::INFINITY).is_finite());
    assert!(zf(0.0, -0.0).is_zero());
    assert!(!a.is_positive() && !a.is_negative());
    assert_eq!(a.is_odd(), Err(NumError::NotInteger));
    assert!(eqv(&zf(1.0, 2.0), &zf(1.0, 2.0)) && !eqv(&zf(1.0, 2.0), &a));
    assert!(!eqv(&zf(1.0, 0.0), &zf(1.0, -0.0)));
}
