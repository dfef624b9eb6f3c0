//! Property tests for complex numbers: field laws and normalisation on exact complex
//! numbers, `exact`/`inexact` round trips, polar form, exact square roots, the elementary
//! functions' identities, and the sides of their branch cuts.

use super::properties::normalised;
use super::*;
use num_bigint::BigInt;
use proptest::prelude::*;
use seam_num::*;

/// Exact reals of every representation: small and large fixnums, bignums (products of two
/// `i64`s) and rationals (small and large).
fn exact_real() -> impl Strategy<Value = Number> {
    prop_oneof![
        (-20i64..20).prop_map(int),
        any::<i64>().prop_map(int),
        (any::<i64>(), any::<i64>()).prop_map(|(a, b)| mul(&int(a), &int(b))),
        (-50i64..50, 1i64..50).prop_map(|(a, b)| ratio(a, b)),
        (any::<i64>(), 1..i64::MAX).prop_map(|(a, b)| ratio(a, b)),
    ]
}

/// A non-zero exact real.
fn exact_nonzero_real() -> impl Strategy<Value = Number> {
    exact_real().prop_filter("non-zero", |n| !n.is_zero())
}

/// Exact numbers, mostly non-real: `make-rectangular` of two exact reals (with an exact
/// zero imaginary part now and then, which gives a real).
fn exact_complex() -> impl Strategy<Value = Number> {
    prop_oneof![
        4 => (exact_real(), exact_nonzero_real()),
        1 => (exact_real(), Just(int(0))),
    ]
    .prop_map(|(re, im)| make_rectangular(&re, &im).expect("real parts"))
}

/// A non-zero exact number, mostly non-real.
fn exact_nonzero_complex() -> impl Strategy<Value = Number> {
    exact_complex().prop_filter("non-zero", |n| !n.is_zero())
}

/// Asserts that `n` is normalised and exact.
fn check_exact(n: &Number, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(normalised(n), "{} = {} ({:?}) is not normalised", what, n, n);
    prop_assert!(n.is_exact(), "{} = {} is not exact", what, n);
    Ok(())
}

/// Asserts `eqv?`, printing both sides on failure.
fn check_eqv(got: &Number, expected: &Number, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(eqv(got, expected), "{}: got {}, expected {}", what, got, expected);
    Ok(())
}

/// A dyadic rational (or integer) that `f64` holds exactly: `n / 2^k` with `|n| < 2^53`.
fn dyadic() -> impl Strategy<Value = Number> {
    const LIMIT: i64 = 1 << 53;
    prop_oneof![
        (-LIMIT + 1..LIMIT).prop_map(int),
        (-LIMIT + 1..LIMIT, 0u32..1000).prop_map(|(n, k)| {
            div(&int(n), &Number::from_bigint(BigInt::from(1) << k)).expect("non-zero")
        }),
    ]
}

/// A finite flonum from a random bit pattern (subnormals and `-0.0` included).
fn finite_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits).prop_filter("finite", |f| f.is_finite()),
        prop::sample::select(vec![0.0, -0.0, 5e-324, -5e-324, f64::MAX, f64::MIN, 1.0, -1.0]),
    ]
}

/// A non-zero flonum of moderate size: `±m·10^e` with `m` in [1, 10) and `|e| < 100`.
fn moderate_nonzero_f64() -> impl Strategy<Value = f64> {
    (any::<bool>(), 1.0f64..10.0, -100i32..100)
        .prop_map(|(negative, m, e)| if negative { -m } else { m } * 10f64.powi(e))
}

/// A flonum of moderate size, or zero.
fn moderate_f64() -> impl Strategy<Value = f64> {
    prop_oneof![9 => moderate_nonzero_f64(), 1 => Just(0.0)]
}

/// `|a - b| <= tolerance · scale` in each part, where `scale` is the larger magnitude of
/// the two (or `floor` when both are smaller).
fn close_to(got: (f64, f64), expected: (f64, f64), tolerance: f64, floor: f64) -> bool {
    let scale = got.0.hypot(got.1).max(expected.0.hypot(expected.1)).max(floor);
    (got.0 - expected.0).abs() <= tolerance * scale && (got.1 - expected.1).abs() <= tolerance * scale
}

/// Asserts that `got` is within relative `tolerance` of `expected`.
fn check_close(got: &Number, expected: (f64, f64), tolerance: f64, what: &str) -> Result<(), TestCaseError> {
    let parts = got.to_f64_parts();
    prop_assert!(close_to(parts, expected, tolerance, 0.0), "{}: got {}, expected {:?}", what, got, expected);
    Ok(())
}

proptest! {
    #[test]
    fn addition_is_associative_and_commutative(a in exact_complex(), b in exact_complex(), c in exact_complex()) {
        let ab = add(&a, &b);
        check_exact(&ab, "a + b")?;
        check_eqv(&ab, &add(&b, &a), "a + b = b + a")?;
        let left = add(&ab, &c);
        let right = add(&a, &add(&b, &c));
        check_exact(&left, "(a + b) + c")?;
        check_exact(&right, "a + (b + c)")?;
        check_eqv(&left, &right, "(a + b) + c = a + (b + c)")?;
    }

    #[test]
    fn multiplication_is_associative_and_commutative(a in exact_complex(), b in exact_complex(), c in exact_complex()) {
        let ab = mul(&a, &b);
        check_exact(&ab, "a * b")?;
        check_eqv(&ab, &mul(&b, &a), "a * b = b * a")?;
        let left = mul(&ab, &c);
        let right = mul(&a, &mul(&b, &c));
        check_exact(&left, "(a * b) * c")?;
        check_exact(&right, "a * (b * c)")?;
        check_eqv(&left, &right, "(a * b) * c = a * (b * c)")?;
    }

    #[test]
    fn multiplication_distributes_over_addition(a in exact_complex(), b in exact_complex(), c in exact_complex()) {
        let left = mul(&a, &add(&b, &c));
        let right = add(&mul(&a, &b), &mul(&a, &c));
        check_exact(&left, "a * (b + c)")?;
        check_exact(&right, "a*b + a*c")?;
        check_eqv(&left, &right, "a * (b + c) = a*b + a*c")?;
    }

    #[test]
    fn additive_inverse(a in exact_complex()) {
        let negated = neg(&a);
        check_exact(&negated, "-a")?;
        check_eqv(&add(&a, &negated), &int(0), "a + (-a)")?;
        check_eqv(&neg(&negated), &a, "-(-a)")?;
        check_eqv(&sub(&int(0), &a), &negated, "0 - a")?;
    }

    #[test]
    fn multiplicative_inverse(a in exact_nonzero_complex()) {
        let inverse = div(&int(1), &a).unwrap();
        check_exact(&inverse, "1/a")?;
        check_eqv(&mul(&a, &inverse), &int(1), "a * (1/a)")?;
        check_eqv(&div(&int(1), &inverse).unwrap(), &a, "1/(1/a)")?;
    }

    #[test]
    fn subtraction_undoes_addition(a in exact_complex(), b in exact_complex()) {
        let difference = sub(&a, &b);
        check_exact(&difference, "a - b")?;
        let back = add(&difference, &b);
        check_exact(&back, "(a - b) + b")?;
        check_eqv(&back, &a, "(a - b) + b")?;
    }

    #[test]
    fn multiplication_undoes_division(a in exact_complex(), b in exact_nonzero_complex()) {
        let quotient = div(&a, &b).unwrap();
        check_exact(&quotient, "a / b")?;
        let back = mul(&quotient, &b);
        check_exact(&back, "(a / b) * b")?;
        check_eqv(&back, &a, "(a / b) * b")?;
    }

    #[test]
    fn division_by_exact_zero_fails(a in exact_complex()) {
        prop_assert_eq!(div(&a, &int(0)).unwrap_err(), NumError::DivisionByZero);
    }

    #[test]
    fn mixed_exactness_is_inexact_and_normalised(a in exact_complex(), re in finite_f64(), im in finite_f64()) {
        let z = Number::from_parts(re, im);
        for result in [add(&a, &z), sub(&a, &z), mul(&a, &z), add(&a, &fl(re)), mul(&a, &fl(re))] {
            prop_assert!(normalised(&result), "{} is not normalised", result);
            prop_assert!(!result.is_exact(), "{} is exact", result);
        }
        if !z.is_zero() {
            let quotient = div(&a, &z).unwrap();
            prop_assert!(normalised(&quotient) && !quotient.is_exact(), "{}", quotient);
        }
    }

    #[test]
    fn exact_inexact_exact_round_trip(re in dyadic(), im in dyadic()) {
        let z = make_rectangular(&re, &im).unwrap();
        let inexact_z = inexact(&z);
        prop_assert!(normalised(&inexact_z) && !inexact_z.is_exact(), "{}", inexact_z);
        let back = exact(&inexact_z).unwrap();
        check_exact(&back, "exact(inexact(z))")?;
        check_eqv(&back, &z, "exact(inexact(z))")?;
    }

    /// `exact` cannot keep a `-0.0` part (exact zero has no sign) nor a `0.0` imaginary
    /// part (an exact zero imaginary part makes a real), so those come back as `0.0` and as
    /// a real flonum; every other finite part comes back as it was.
    #[test]
    fn inexact_exact_inexact_round_trip(re in finite_f64(), im in finite_f64()) {
        let z = Number::from_parts(re, im);
        let exact_z = exact(&z).unwrap();
        check_exact(&exact_z, "exact(z)")?;
        let back = inexact(&exact_z);
        prop_assert!(normalised(&back), "{}", back);
        let unsigned_re = if re == 0.0 { 0.0 } else { re };
        let expected = if im == 0.0 { fl(unsigned_re) } else { Number::from_parts(unsigned_re, im) };
        check_eqv(&back, &expected, "inexact(exact(z))")?;
    }

    #[test]
    fn polar_form_of_magnitude_and_angle_is_the_number(re in moderate_f64(), im in moderate_f64()) {
        let z = Number::from_parts(re, im);
        let (r, theta) = (magnitude(&z), angle(&z));
        prop_assert!(matches!(r, Number::Flonum(m) if m >= 0.0), "magnitude {}", r);
        prop_assert!(matches!(theta, Number::Flonum(t) if t.abs() <= std::f64::consts::PI), "angle {}", theta);
        let back = make_polar(&r, &theta).unwrap();
        check_close(&back, (re, im), 1e-12, "make_polar(magnitude z, angle z)")?;
    }

    #[test]
    fn magnitude_of_polar_form_is_the_radius(r in moderate_f64(), theta in -100.0f64..100.0) {
        let z = make_polar(&fl(r), &fl(theta)).unwrap();
        let size = magnitude(&z).to_f64();
        prop_assert!((size - r.abs()).abs() <= 1e-12 * r.abs(), "|make_polar({}, {})| = {}", r, theta, size);
    }

    #[test]
    fn exact_magnitude_of_exact_complex(a in exact_real(), b in exact_nonzero_real()) {
        // (a² - b², 2ab) has the exact magnitude a² + b².
        let z = make_rectangular(&sub(&square(&a), &square(&b)), &mul(&int(2), &mul(&a, &b))).unwrap();
        let size = magnitude(&z);
        check_exact(&size, "magnitude")?;
        check_eqv(&size, &add(&square(&a), &square(&b)), "magnitude of (a² - b²) + 2abi")?;
    }

    #[test]
    fn exact_sqrt_of_a_square(w in exact_complex()) {
        let root = sqrt(&mul(&w, &w));
        check_exact(&root, "sqrt(w * w)")?;
        prop_assert!(eqv(&root, &w) || eqv(&root, &neg(&w)), "sqrt({}²) = {}", w, root);
        let (re, im) = root.parts();
        let principal = re.is_positive() || (re.is_zero() && !im.is_negative());
        prop_assert!(principal, "sqrt({}²) = {} is not the principal root", w, root);
    }

    #[test]
    fn exp_inverts_log(re in -10.0f64..10.0, im in -10.0f64..10.0) {
        prop_assume!(re != 0.0 || im != 0.0);
        let z = Number::from_parts(re, im);
        check_close(&exp(&log(&z)), (re, im), 1e-9, "exp(log z)")?;
    }

    #[test]
    fn sin_inverts_asin(re in -10.0f64..10.0, im in -10.0f64..10.0) {
        prop_assume!(away_from_branch_points(re, im));
        let z = Number::from_parts(re, im);
        check_close(&sin(&asin(&z)), (re, im), 1e-9, "sin(asin z)")?;
    }

    #[test]
    fn cos_inverts_acos(re in -10.0f64..10.0, im in -10.0f64..10.0) {
        prop_assume!(away_from_branch_points(re, im));
        let z = Number::from_parts(re, im);
        check_close(&cos(&acos(&z)), (re, im), 1e-9, "cos(acos z)")?;
    }

    #[test]
    fn tan_inverts_atan(re in -10.0f64..10.0, im in -10.0f64..10.0) {
        prop_assume!(away_from_branch_points(re, im));
        let z = Number::from_parts(re, im);
        check_close(&tan(&atan(&z)), (re, im), 1e-9, "tan(atan z)")?;
    }

    #[test]
    fn sqrt_squares_back(re in -10.0f64..10.0, im in -10.0f64..10.0) {
        let z = Number::from_parts(re, im);
        let root = sqrt(&z);
        prop_assert!(root.to_f64_parts().0 >= 0.0, "sqrt({}) = {}", z, root);
        check_close(&mul(&root, &root), (re, im), 1e-12, "sqrt(z)²")?;
    }

    /// Past ±1 on the real axis, `asin` and `acos` take the side of the cut that the sign
    /// of a zero imaginary part names; a real argument takes the side Common Lisp gives it
    /// (below the axis past 1, above it before -1).
    #[test]
    fn asin_and_acos_cuts(x in beyond_one(), negative in any::<bool>()) {
        let x = if negative { -x } else { x };
        // Above the cut `asin` has a positive imaginary part, `acos` (= π/2 - asin) a negative one.
        for (name, f, sign) in [("asin", asin as fn(&Number) -> Number, 1.0), ("acos", acos, -1.0)] {
            let (above, below) = check_both_sides(name, f, (x, 0.0), (x, -0.0), (x, 1e-300), (x, -1e-300))?;
            prop_assert!(sign * above.1 > 0.0 && sign * below.1 < 0.0, "{}: {:?} above, {:?} below", name, above, below);
            prop_assert!(above.0 == below.0 && above.1 == -below.1, "{}({}±0.0i) not conjugate: {:?} {:?}", name, x, above, below);
            let on_real = f(&fl(x));
            let side = if x > 1.0 { below } else { above };
            check_close(&on_real, side, 1e-12, &format!("{name}({x}) on the cut"))?;
        }
    }

    /// `log` and `sqrt` on the negative real axis: `+0.0` is above (imaginary part π or
    /// `+√|x|`), `-0.0` below; a real negative argument is above.
    #[test]
    fn log_and_sqrt_cuts(x in moderate_nonzero_f64()) {
        let x = -x.abs();
        for (name, f) in [("log", log as fn(&Number) -> Number), ("sqrt", sqrt)] {
            let (above, below) = check_both_sides(name, f, (x, 0.0), (x, -0.0), (x, 1e-300), (x, -1e-300))?;
            prop_assert!(above.1 > 0.0 && below.1 < 0.0, "{}: {:?} above, {:?} below", name, above, below);
            prop_assert!(above.0 == below.0 && above.1 == -below.1, "{}({}±0.0i) not conjugate: {:?} {:?}", name, x, above, below);
            check_close(&f(&fl(x)), above, 1e-12, &format!("{name}({x}) on the cut"))?;
        }
        let expected_log_im = std::f64::consts::PI;
        prop_assert_eq!(log(&Number::from_parts(x, 0.0)).to_f64_parts().1, expected_log_im);
    }

    /// `atan` on the imaginary axis beyond ±i: `+0.0` real part is the right side (real
    /// part π/2), `-0.0` the left (-π/2).
    #[test]
    fn atan_cuts(y in beyond_one(), negative in any::<bool>()) {
        let y = if negative { -y } else { y };
        let (right, left) = check_both_sides("atan", atan, (0.0, y), (-0.0, y), (1e-300, y), (-1e-300, y))?;
        let quarter = std::f64::consts::FRAC_PI_2;
        prop_assert!((right.0 - quarter).abs() <= 1e-15 && (left.0 + quarter).abs() <= 1e-15, "atan(±0.0{:+}i): {:?} {:?}", y, right, left);
        prop_assert!(right.1 == left.1, "atan(±0.0{:+}i) imaginary parts differ: {:?} {:?}", y, right, left);
    }
}

/// Whether `re + im·i` is more than 1e-6 from each of ±1 and ±i.
fn away_from_branch_points(re: f64, im: f64) -> bool {
    [(1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)].iter().all(|(a, b)| (re - a).hypot(im - b) > 1e-6)
}

/// A real number greater than 1: just past it, or up to 1e10.
fn beyond_one() -> impl Strategy<Value = f64> {
    prop_oneof![(-8.0f64..10.0).prop_map(|e| 1.0 + 10f64.powf(e)), 1.0f64..4.0]
        .prop_filter("> 1", |x| *x > 1.0)
}

/// A complex number's real and imaginary parts.
type Parts = (f64, f64);

/// Applies `f` at the two signed-zero points of a cut and checks each against the value at
/// a point a hair's breadth off the cut on its side; returns the two values' parts.
fn check_both_sides(
    name: &str,
    f: fn(&Number) -> Number,
    positive_zero: (f64, f64),
    negative_zero: (f64, f64),
    just_positive: (f64, f64),
    just_negative: (f64, f64),
) -> Result<(Parts, Parts), TestCaseError> {
    let on = |(re, im): (f64, f64)| f(&Number::from_parts(re, im));
    let (plus, minus) = (on(positive_zero), on(negative_zero));
    let (near_plus, near_minus) = (on(just_positive), on(just_negative));
    prop_assert!(
        close_to(plus.to_f64_parts(), near_plus.to_f64_parts(), 1e-12, 0.0),
        "{}{:?} = {}, but {}{:?} = {}",
        name,
        positive_zero,
        plus,
        name,
        just_positive,
        near_plus
    );
    prop_assert!(
        close_to(minus.to_f64_parts(), near_minus.to_f64_parts(), 1e-12, 0.0),
        "{}{:?} = {}, but {}{:?} = {}",
        name,
        negative_zero,
        minus,
        name,
        just_negative,
        near_minus
    );
    Ok((plus.to_f64_parts(), minus.to_f64_parts()))
}
