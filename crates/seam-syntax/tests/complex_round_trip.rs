//! Property tests: `number->string` then `string->number` gives back an `eqv?` number, for
//! complex and real numbers of every kind, in radix 2, 8, 10 and 16; and a symbol whose
//! name is a number's text prints in bars and reads back as that symbol.

use num_bigint::BigInt;
use num_rational::BigRational;
use proptest::prelude::*;
use seam_syntax::{parse_number, read_all, Datum, DatumKind, Number, Span};

/// Exact reals of every representation: fixnums (small and any), bignums (products of two
/// `i64`s, and 128-bit values) and rationals.
fn exact_real() -> impl Strategy<Value = Number> {
    prop_oneof![
        (-20i64..20).prop_map(Number::Fixnum),
        any::<i64>().prop_map(Number::Fixnum),
        (any::<i64>(), any::<i64>())
            .prop_map(|(a, b)| Number::from_bigint(BigInt::from(a) * BigInt::from(b))),
        (any::<i64>(), any::<u64>())
            .prop_map(|(high, low)| Number::from_bigint((BigInt::from(high) << 64) + low)),
        (any::<i64>(), 1..i64::MAX)
            .prop_map(|(n, d)| Number::from_ratio(BigRational::new(BigInt::from(n), BigInt::from(d)))),
        (-50i64..50, 1i64..50)
            .prop_map(|(n, d)| Number::from_ratio(BigRational::new(BigInt::from(n), BigInt::from(d)))),
    ]
}

/// Flonums from random bit patterns, plus the special values every printer trips on.
fn flonum() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => any::<u64>().prop_map(f64::from_bits),
        1 => -1e6f64..1e6,
        1 => prop::sample::select(vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            5e-324,
            -5e-324,
            f64::MIN_POSITIVE,
            f64::from_bits(0x000f_ffff_ffff_ffff), // the largest subnormal
            f64::MAX,
            f64::MIN,
            1e21,
            1e-7,
            0.1,
        ]),
    ]
}

/// An exact complex number (imaginary part never zero).
fn exact_complex() -> impl Strategy<Value = Number> {
    (exact_real(), exact_real().prop_filter("non-zero", |n| !n.is_zero()))
        .prop_map(|(re, im)| seam_num::make_rectangular(&re, &im).expect("real parts"))
}

/// An inexact complex number with arbitrary flonum parts.
fn inexact_complex() -> impl Strategy<Value = Number> {
    (flonum(), flonum()).prop_map(|(re, im)| Number::from_parts(re, im))
}

/// Numbers of every kind.
fn any_number() -> impl Strategy<Value = Number> {
    prop_oneof![exact_real(), flonum().prop_map(Number::Flonum), exact_complex(), inexact_complex()]
}

fn radix() -> impl Strategy<Value = u32> {
    prop::sample::select(vec![2u32, 8, 10, 16])
}

/// Prints `z` in `radix` and reads it back in that radix: `eqv?` to `z`.
fn round_trips(z: &Number, radix: u32) -> Result<(), TestCaseError> {
    let text = z.to_string_radix(radix);
    match parse_number(&text, radix) {
        Some(back) => prop_assert!(
            seam_num::eqv(&back, z),
            "{:?} printed in radix {} as {:?}, read back as {:?}",
            z,
            radix,
            text,
            back
        ),
        None => prop_assert!(false, "{:?} printed in radix {} as {:?}, which does not read", z, radix, text),
    }
    Ok(())
}

proptest! {
    #[test]
    fn exact_complex_round_trips(z in exact_complex(), radix in radix()) {
        round_trips(&z, radix)?;
    }

    #[test]
    fn inexact_complex_round_trips(z in inexact_complex(), radix in radix()) {
        round_trips(&z, radix)?;
    }

    #[test]
    fn exact_real_round_trips(x in exact_real(), radix in radix()) {
        round_trips(&x, radix)?;
    }

    #[test]
    fn flonum_round_trips(x in flonum(), radix in radix()) {
        round_trips(&Number::Flonum(x), radix)?;
    }

    #[test]
    fn radix_ten_text_is_display(z in any_number()) {
        prop_assert_eq!(z.to_string_radix(10), z.to_string());
    }

    /// A symbol named like a number (in radix 10) prints in bars, and reads back as the
    /// symbol; so does one named like the number's text in another radix (which may print
    /// bare: `ff` is a plain identifier).
    #[test]
    fn numeric_symbol_names_print_in_bars(z in any_number(), radix in radix()) {
        for (name, barred) in [(z.to_string(), true), (z.to_string_radix(radix), false)] {
            let symbol = Datum::new(DatumKind::Symbol(name.clone()), Span::synthetic());
            let printed = symbol.to_string();
            if barred {
                prop_assert!(
                    printed.starts_with('|') && printed.ends_with('|'),
                    "symbol {:?} printed bare as {:?}",
                    name,
                    printed
                );
            }
            let read = read_all(&printed, "printed").map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
            prop_assert_eq!(read.len(), 1, "{:?} read as {:?}", printed, read);
            prop_assert_eq!(read[0].as_symbol(), Some(name.as_str()), "{:?} read as {:?}", printed, read[0]);
        }
    }

    /// The number itself, as a datum, prints as its text and reads back `eqv?`.
    #[test]
    fn number_datums_read_back(z in any_number()) {
        let datum = Datum::new(DatumKind::Number(z.clone()), Span::synthetic());
        let printed = datum.to_string();
        let read = read_all(&printed, "printed").map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
        prop_assert_eq!(read.len(), 1, "{:?} read as {:?}", printed, read);
        match &read[0].kind {
            DatumKind::Number(back) => prop_assert!(seam_num::eqv(back, &z), "{:?} read back as {:?}", printed, back),
            other => prop_assert!(false, "{:?} read back as {:?}", printed, other),
        }
    }
}
