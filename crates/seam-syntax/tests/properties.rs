//! Property tests: the reader never panics, and printing then reading gives an equal datum.

use num_bigint::BigInt;
use num_rational::BigRational;
use proptest::prelude::*;
use seam_syntax::{read_all, Datum, DatumKind, Number, Span};

/// Reads `source`; whenever that succeeds, writing the datums back and reading the text
/// must give equal datums.
fn reads_back(source: &str) -> Result<(), TestCaseError> {
    if let Ok(datums) = read_all(source, "fuzz") {
        let printed = datums.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n");
        let again = read_all(&printed, "printed")
            .map_err(|e| TestCaseError::fail(format!("{source:?} printed as {printed:?}: {e}")))?;
        prop_assert_eq!(datums.len(), again.len(), "printed: {:?}", printed);
        for (a, b) in datums.iter().zip(&again) {
            prop_assert!(a.same_as(b), "{:?} printed as {:?}", source, printed);
        }
    }
    Ok(())
}

fn token() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "(",
        ")",
        "#(",
        "#u8(",
        "[",
        "]",
        "{",
        "'",
        "`",
        ",",
        ",@",
        ".",
        "..",
        "...",
        "#;",
        "#|",
        "|#",
        "\"",
        "|",
        "\\",
        "#",
        ";",
        "#\\",
        "#\\x41",
        "#\\x",
        "#\\space",
        "#\\(",
        "#t",
        "#f",
        "#true",
        "#0=",
        "#0#",
        "#1=",
        "#1#",
        "#!fold-case",
        "#!no-fold-case",
        "1",
        "-2.5e3",
        "#x1F",
        "#e1.5",
        "#i1/3",
        "1/3",
        "1/0",
        "+inf.0",
        "-nan.0",
        "1+2i",
        "+i",
        "#b101",
        "abc",
        "ABC",
        "+",
        "-",
        "->x",
        "\"str\\n\"",
        "\"a\\x41;\"",
        "\"\\\n  \"",
        "|a b|",
        "|\\x41;|",
        "λ",
        "#e1e5",
        "1e400",
        "99999999999999999999",
        "\r\n",
        "\t",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        4 => fixed,
        1 => "[a-z0-9#\\\\|\"().;'`,@ +-]{1,6}",
    ]
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", " ", " ", "\n"])
}

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec((token(), separator()), 0..40)
        .prop_map(|parts| parts.into_iter().map(|(t, s)| t + s).collect())
}

fn span() -> Span {
    Span::synthetic()
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::Fixnum),
        (any::<i64>(), any::<u64>())
            .prop_map(|(high, low)| Number::from_bigint((BigInt::from(high) << 64) + low)),
        (any::<i64>(), 1..i64::MAX)
            .prop_map(|(n, d)| { Number::from_ratio(BigRational::new(BigInt::from(n), BigInt::from(d))) }),
        any::<f64>().prop_map(Number::Flonum),
        prop::sample::select(vec![f64::INFINITY, f64::NEG_INFINITY, f64::NAN, -0.0, 1e300, 5e-324])
            .prop_map(Number::Flonum),
    ]
}

fn odd_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 |\\\\\"#().;'\t\n\r\u{0}\u{7f}λ\u{2028}+-]{0,8}",
        prop::sample::select(vec![
            "", ".", "+", "-", "...", "1", "1+", "+i", "-i", "+inf.0", "+nan.0", "1/2", "#t", "a b", "|",
            "\\", "quote", "->x", ".5", "+.5", "..", "1e5", "#x1",
        ])
        .prop_map(str::to_string),
    ]
}

fn leaf() -> impl Strategy<Value = Datum> {
    prop_oneof![
        any::<bool>().prop_map(DatumKind::Bool),
        number().prop_map(DatumKind::Number),
        any::<char>().prop_map(DatumKind::Char),
        odd_string().prop_map(DatumKind::String),
        odd_string().prop_map(DatumKind::Symbol),
        prop::collection::vec(any::<u8>(), 0..5).prop_map(DatumKind::Bytevector),
    ]
    .prop_map(|kind| Datum::new(kind, span()))
}

fn datum() -> impl Strategy<Value = Datum> {
    leaf().prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| Datum::new(DatumKind::Vector(items), span())),
            prop::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| Datum::new(DatumKind::List(items, None), span())),
            // An improper list: the tail is never a list itself.
            (prop::collection::vec(inner, 1..4), leaf()).prop_map(|(items, tail)| {
                Datum::new(DatumKind::List(items, Some(Box::new(tail))), span())
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        reads_back(&text)?;
    }

    #[test]
    fn random_strings_never_panic(text in any::<String>()) {
        reads_back(&text)?;
    }

    #[test]
    fn random_token_sequences_never_panic(text in token_soup()) {
        reads_back(&text)?;
    }

    #[test]
    fn printed_datums_read_back_equal(datum in datum()) {
        let printed = datum.to_string();
        let again = read_all(&printed, "printed")
            .map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
        prop_assert_eq!(again.len(), 1, "printed: {:?}", printed);
        prop_assert!(datum.same_as(&again[0]), "{:?} printed as {:?} read as {:?}", datum, printed, again[0]);
    }
}
