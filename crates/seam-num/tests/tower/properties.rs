//! Property tests: arithmetic inverses and the printer round trip.

use super::*;
use proptest::prelude::*;
use seam_num::*;

/// Exact numbers of every representation: fixnums, bignums and rationals.
fn exact_number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(int),
        (any::<i64>(), any::<i64>()).prop_map(|(a, b)| mul(&int(a), &int(b))),
        (any::<i64>(), 1..i64::MAX).prop_map(|(a, b)| ratio(a, b)),
    ]
}

/// Whether `n` satisfies the representation invariants: for a complex number, real parts
/// that are themselves normalised, of one exactness, and an exact imaginary part that is
/// never zero.
pub(crate) fn normalised(n: &Number) -> bool {
    match n {
        Number::Fixnum(_) | Number::Flonum(_) => true,
        Number::Big(b) => i64::try_from(b).is_err(),
        Number::Rational(r) => *r.denom() > 1.into() && r.reduced() == *r,
        Number::Complex(c) => {
            c.re().is_real()
                && c.im().is_real()
                && normalised(c.re())
                && normalised(c.im())
                && c.re().is_exact() == c.im().is_exact()
                && !(c.im().is_exact() && c.im().is_zero())
        }
    }
}

proptest! {
    #[test]
    fn add_sub_inverse_on_fixnums(a in any::<i64>(), b in any::<i64>()) {
        let sum = add(&int(a), &int(b));
        prop_assert!(normalised(&sum) && sum.is_exact());
        let back = sub(&sum, &int(b));
        prop_assert!(matches!(back, Number::Fixnum(x) if x == a));
    }

    #[test]
    fn add_sub_inverse_on_exact(a in exact_number(), b in exact_number()) {
        let sum = add(&a, &b);
        prop_assert!(normalised(&sum));
        let back = sub(&sum, &b);
        prop_assert!(normalised(&back));
        prop_assert!(eqv(&back, &a));
    }

    #[test]
    fn mul_div_inverse(a in exact_number(), b in exact_number()) {
        prop_assume!(!b.is_zero());
        let product = mul(&a, &b);
        prop_assert!(normalised(&product));
        let back = div(&product, &b).unwrap();
        prop_assert!(normalised(&back));
        prop_assert!(eqv(&back, &a));
    }

    #[test]
    fn floor_division_identity(a in any::<i64>(), b in any::<i64>()) {
        prop_assume!(b != 0);
        for (q, r) in [
            floor_div_rem(&int(a), &int(b)).unwrap(),
            truncate_div_rem(&int(a), &int(b)).unwrap(),
        ] {
            prop_assert!(num_eq(&add(&mul(&q, &int(b)), &r), &int(a)));
            prop_assert!(cmp(&abs(&r).unwrap(), &abs(&int(b)).unwrap()) == Some(std::cmp::Ordering::Less));
        }
    }

    #[test]
    fn ordering_is_consistent_with_subtraction(a in exact_number(), b in exact_number()) {
        let difference = sub(&a, &b);
        let expected = if difference.is_zero() {
            std::cmp::Ordering::Equal
        } else if difference.is_negative() {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        };
        prop_assert_eq!(cmp(&a, &b), Some(expected));
    }

    #[test]
    fn exact_inexact_round_trip(bits in any::<u64>()) {
        let f = f64::from_bits(bits);
        prop_assume!(f.is_finite());
        let e = exact(&fl(f)).unwrap();
        prop_assert!(normalised(&e));
        prop_assert_eq!(e.to_f64().to_bits(), f.to_bits() & !(if f == 0.0 { 1 << 63 } else { 0 }));
        prop_assert!(num_eq(&e, &fl(f)));
    }

    #[test]
    fn flonum_printing_round_trips(bits in any::<u64>()) {
        let f = f64::from_bits(bits);
        prop_assume!(f.is_finite());
        let text = show(&fl(f));
        prop_assert!(text.contains('.') || text.contains('e'), "{} looks exact", text);
        prop_assert_eq!(text.parse::<f64>().unwrap().to_bits(), bits);
    }

    #[test]
    fn flonum_printing_round_trips_for_ordinary_values(f in -1e12f64..1e12) {
        let text = show(&fl(f));
        prop_assert_eq!(text.parse::<f64>().unwrap().to_bits(), f.to_bits());
    }

    #[test]
    fn radix_printing_matches_bigint(a in exact_number(), radix in prop::sample::select(vec![2u32, 8, 10, 16])) {
        let text = a.to_string_radix(radix);
        let expected = match &a {
            Number::Fixnum(i) => num_bigint::BigInt::from(*i).to_str_radix(radix),
            Number::Big(b) => b.to_str_radix(radix),
            Number::Rational(r) => format!("{}/{}", r.numer().to_str_radix(radix), r.denom().to_str_radix(radix)),
            Number::Flonum(_) | Number::Complex(_) => unreachable!(),
        };
        prop_assert_eq!(text, expected);
    }

    /// Fixnum division and the roundings of fixnum-sized rationals take machine-arithmetic
    /// paths; they agree with `num-rational` on every pair, `i64::MIN` and -1 included.
    #[test]
    fn small_rationals_agree_with_bigrational(
        a in prop_oneof![any::<i64>(), -20i64..20, Just(i64::MIN), Just(i64::MAX)],
        b in prop_oneof![any::<i64>(), -20i64..20, Just(i64::MIN), Just(-1i64)],
    ) {
        prop_assume!(b != 0);
        let exact = num_rational::BigRational::new(a.into(), b.into());
        let q = div(&int(a), &int(b)).unwrap();
        prop_assert!(normalised(&q), "{} / {} = {:?}", a, b, q);
        prop_assert_eq!(show(&q), show(&Number::from_ratio(exact.clone())));
        let floor_ref = Number::from_bigint(exact.floor().to_integer());
        let ceil_ref = Number::from_bigint(exact.ceil().to_integer());
        let trunc_ref = Number::from_bigint(exact.trunc().to_integer());
        let half = num_rational::BigRational::new(1.into(), 2.into());
        let down = exact.floor();
        let round_ref = match (&exact - &down).cmp(&half) {
            std::cmp::Ordering::Less => down.to_integer(),
            std::cmp::Ordering::Greater => down.to_integer() + 1,
            std::cmp::Ordering::Equal if (down.to_integer() % 2) == 0.into() => down.to_integer(),
            std::cmp::Ordering::Equal => down.to_integer() + 1,
        };
        prop_assert_eq!(show(&floor(&q)), show(&floor_ref));
        prop_assert_eq!(show(&ceiling(&q)), show(&ceil_ref));
        prop_assert_eq!(show(&truncate(&q)), show(&trunc_ref));
        prop_assert_eq!(show(&round(&q)), show(&Number::from_bigint(round_ref)));
    }
}
