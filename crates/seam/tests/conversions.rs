//! `FromValue`/`IntoValue` for every standard type: property-based round trips through the
//! engine (as a global and through a host function), every out-of-range and wrong-type
//! error, and large data.

use std::collections::{BTreeMap, HashMap};

use num_bigint::BigInt;
use proptest::prelude::*;
use seam::{Engine, FromValue, IntoValue, List, Symbol, Value};

/// `value` set as a Scheme global, read back as `T`, and passed through a Scheme identity
/// procedure as a typed call.
fn round_trip<T>(engine: &mut Engine, value: T) -> (T, T)
where
    T: IntoValue + FromValue + Clone,
{
    engine.set("rt-value", value.clone()).expect("set");
    let back: T = engine.get("rt-value").expect("get");
    let identity: seam::Function<(T,), T> = engine.function("identity").expect("identity");
    let through = identity.call(engine, (value,)).expect("call");
    (back, through)
}

fn engine() -> Engine {
    let mut e = Engine::new();
    e.eval::<()>("(define (identity x) x)").expect("define identity");
    e
}

macro_rules! integer_round_trips {
    ($($name:ident: $t:ty),* $(,)?) => {$(
        proptest! {
            #[test]
            fn $name(n in any::<$t>()) {
                let mut e = engine();
                let (back, through) = round_trip(&mut e, n);
                prop_assert_eq!(back, n);
                prop_assert_eq!(through, n);
                // Scheme sees the exact integer.
                let text = e.eval_to_string("rt-value").expect("print");
                prop_assert_eq!(text, n.to_string());
            }
        }
    )*};
}

integer_round_trips!(
    i8_round_trip: i8, i16_round_trip: i16, i32_round_trip: i32, i64_round_trip: i64, i128_round_trip: i128,
    u8_round_trip: u8, u16_round_trip: u16, u32_round_trip: u32, u64_round_trip: u64, u128_round_trip: u128,
    isize_round_trip: isize, usize_round_trip: usize,
);

proptest! {
    #[test]
    fn f64_round_trip(x in any::<f64>()) {
        let mut e = engine();
        let (back, through) = round_trip(&mut e, x);
        prop_assert_eq!(back.to_bits(), x.to_bits());
        prop_assert_eq!(through.to_bits(), x.to_bits());
    }

    #[test]
    fn f32_round_trip(x in any::<f32>()) {
        let mut e = engine();
        let (back, _) = round_trip(&mut e, x);
        prop_assert!(back == x || (back.is_nan() && x.is_nan()));
    }

    #[test]
    fn string_and_char_round_trip(s in ".*", c in any::<char>()) {
        let mut e = engine();
        prop_assert_eq!(round_trip(&mut e, s.clone()), (s.clone(), s.clone()));
        prop_assert_eq!(round_trip(&mut e, c), (c, c));
        prop_assert!(e.eval::<bool>("(char? rt-value)").expect("char?"));
    }

    #[test]
    fn collections_round_trip(
        v in proptest::collection::vec(any::<i64>(), 0..50),
        bytes in proptest::collection::vec(any::<u8>(), 0..50),
        map in proptest::collection::hash_map(".{0,8}", any::<i32>(), 0..10),
        tree in proptest::collection::btree_map(any::<u16>(), ".{0,8}", 0..10),
        pair in (any::<i64>(), ".{0,8}", any::<bool>()),
        maybe in proptest::option::of(any::<i64>()),
    ) {
        let mut e = engine();
        prop_assert_eq!(round_trip(&mut e, v.clone()), (v.clone(), v.clone()));
        prop_assert_eq!(round_trip(&mut e, List(v.clone())), (List(v.clone()), List(v)));
        prop_assert_eq!(round_trip(&mut e, bytes.clone()), (bytes.clone(), bytes));
        prop_assert_eq!(round_trip(&mut e, map.clone()), (map.clone(), map));
        prop_assert_eq!(round_trip(&mut e, tree.clone()), (tree.clone(), tree));
        prop_assert_eq!(round_trip(&mut e, pair.clone()), (pair.clone(), pair));
        prop_assert_eq!(round_trip(&mut e, maybe), (maybe, maybe));
    }

    #[test]
    fn bigints_round_trip(digits in "-?[1-9][0-9]{0,80}") {
        let n: BigInt = digits.parse().expect("digits parse");
        let mut e = engine();
        prop_assert_eq!(round_trip(&mut e, n.clone()), (n.clone(), n.clone()));
        prop_assert_eq!(e.eval_to_string("rt-value").expect("print"), digits);
    }
}

#[test]
fn what_scheme_sees() {
    let mut e = engine();
    e.set("v", vec![1i64, 2, 3]).unwrap();
    e.set("l", List(vec![1i64, 2, 3])).unwrap();
    e.set("b", vec![1u8, 2, 255]).unwrap();
    e.set("m", BTreeMap::from([("a".to_string(), 1i64), ("b".to_string(), 2)])).unwrap();
    e.set("t", (1i64, "two", 3.5f64)).unwrap();
    e.set("none", None::<i64>).unwrap();
    e.set("sym", Symbol("hello".into())).unwrap();
    e.set("unit", ()).unwrap();
    e.set("big", u128::MAX).unwrap();
    e.set("slice", &[1i64, 2][..]).unwrap();
    let shown = e.eval_to_string("(list v l b m t none sym big slice)").unwrap();
    assert_eq!(
        shown,
        "(#(1 2 3) (1 2 3) #u8(1 2 255) ((\"a\" . 1) (\"b\" . 2)) (1 \"two\" 3.5) #f hello \
         340282366920938463463374607431768211455 #(1 2))"
    );
    assert_eq!(e.eval_to_string("unit").unwrap(), "");
    // Lists and vectors are both accepted for a Vec; a bytevector for a Vec<u8>.
    assert_eq!(e.eval::<Vec<i64>>("'(4 5)").unwrap(), [4, 5]);
    assert_eq!(e.eval::<Vec<i64>>("#(4 5)").unwrap(), [4, 5]);
    assert_eq!(e.eval::<Vec<u8>>("#u8(4 5)").unwrap(), [4, 5]);
    assert_eq!(e.eval::<Vec<u8>>("'(4 5)").unwrap(), [4, 5]);
    assert_eq!(e.eval::<HashMap<Symbol, i64>>("'((a . 1))").unwrap()[&Symbol("a".into())], 1);
    // The first entry for a key wins, as `assq` sees it.
    assert_eq!(
        e.eval::<BTreeMap<Symbol, i64>>("'((a . 1) (b . 2) (a . 3))").unwrap()[&Symbol("a".into())],
        1
    );
    assert_eq!(e.eval::<f64>("1/4").unwrap(), 0.25);
    assert_eq!(e.eval::<f64>("(expt 10 400)").unwrap(), f64::INFINITY);
    let v: Value = e.eval("(list 1 2)").unwrap();
    assert_eq!(e.convert::<(i64, i64)>(&v).unwrap(), (1, 2));
}

#[test]
fn every_conversion_error_says_what_it_expected_and_got() {
    let mut e = engine();
    type Case = (&'static str, Box<dyn Fn(&mut Engine, &str) -> seam::Error>, &'static str, &'static str);
    let cases: &[Case] = &[
        (
            "300",
            Box::new(|e, s| e.eval::<u8>(s).unwrap_err()),
            "out-of-range",
            "result: 300 is out of range for u8",
        ),
        (
            "-1",
            Box::new(|e, s| e.eval::<u64>(s).unwrap_err()),
            "out-of-range",
            "result: -1 is out of range for u64",
        ),
        (
            "(expt 2 130)",
            Box::new(|e, s| e.eval::<i128>(s).unwrap_err()),
            "out-of-range",
            "result: 1361129467683753853853498429727072845824 is out of range for i128",
        ),
        (
            "1.5",
            Box::new(|e, s| e.eval::<i32>(s).unwrap_err()),
            "invalid-type",
            "result: expected i32, got real 1.5",
        ),
        (
            "\"x\"",
            Box::new(|e, s| e.eval::<f64>(s).unwrap_err()),
            "invalid-type",
            "result: expected f64, got string \"x\"",
        ),
        (
            "(sqrt -2)",
            Box::new(|e, s| e.eval::<f64>(s).unwrap_err()),
            "invalid-type",
            "result: expected f64, got complex number +1.4142135623730951i",
        ),
        (
            "1e300",
            Box::new(|e, s| e.eval::<f32>(s).unwrap_err()),
            "out-of-range",
            "result: 1e300 is out of range for f32",
        ),
        (
            "'a",
            Box::new(|e, s| e.eval::<String>(s).unwrap_err()),
            "invalid-type",
            "result: expected string, got symbol a",
        ),
        (
            "\"a\"",
            Box::new(|e, s| e.eval::<char>(s).unwrap_err()),
            "invalid-type",
            "result: expected char, got string \"a\"",
        ),
        (
            "0",
            Box::new(|e, s| e.eval::<bool>(s).unwrap_err()),
            "invalid-type",
            "result: expected bool, got integer 0",
        ),
        (
            "'(1 \"two\")",
            Box::new(|e, s| e.eval::<Vec<i64>>(s).unwrap_err()),
            "invalid-type",
            "result: expected i64, got string \"two\" (element 1)",
        ),
        (
            "'(1 . 2)",
            Box::new(|e, s| e.eval::<Vec<i64>>(s).unwrap_err()),
            "invalid-type",
            "result: expected a proper list, got list (1 . 2)",
        ),
        (
            "'(1 2 3)",
            Box::new(|e, s| e.eval::<(i64, i64)>(s).unwrap_err()),
            "invalid-type",
            "result: expected a list of 2 elements, got list (1 2 3)",
        ),
        (
            "'(1 2)",
            Box::new(|e, s| e.eval::<HashMap<String, i64>>(s).unwrap_err()),
            "invalid-type",
            "result: expected an association list entry (key . value), got integer 1",
        ),
        (
            "\"s\"",
            Box::new(|e, s| e.eval::<BigInt>(s).unwrap_err()),
            "invalid-type",
            "result: expected an exact integer, got string \"s\"",
        ),
        (
            "5",
            Box::new(|e, s| e.eval::<Symbol>(s).unwrap_err()),
            "invalid-type",
            "result: expected symbol, got integer 5",
        ),
    ];
    for (source, run, kind, message) in cases {
        let err = run(&mut e, source);
        assert_eq!(err.kind(), *kind, "{source}");
        assert_eq!(err.to_string(), *message, "{source}");
    }
    // A cyclic list is an error, not a hang.
    let err = e.eval::<Vec<i64>>("(let ((l (list 1 2))) (set-cdr! (cdr l) l) l)").unwrap_err();
    assert_eq!(err.kind(), "invalid-type");
}

#[test]
fn large_data_converts_in_bulk() {
    let mut e = engine();
    let input: Vec<i64> = (0..1_000_000).collect();
    let identity: seam::Function<(Vec<i64>,), Vec<i64>> = e.function("identity").unwrap();
    assert_eq!(identity.call(&mut e, (input.clone(),)).unwrap(), input);
    let text = "é".repeat(5_000_000);
    e.set("text", text.clone()).unwrap();
    assert_eq!(e.eval::<usize>("(string-length text)").unwrap(), 5_000_000);
    assert_eq!(e.get::<String>("text").unwrap(), text);
    let bytes = vec![7u8; 10_000_000];
    e.set("bytes", bytes.clone()).unwrap();
    assert_eq!(e.eval::<usize>("(bytevector-length bytes)").unwrap(), 10_000_000);
    assert_eq!(e.get::<Vec<u8>>("bytes").unwrap(), bytes);
}

/// Integers on either side of the 51 bits a fixnum has in a register or vector (wider ones
/// are stored as bignum objects) cross to Rust and back exactly, through globals, typed
/// calls, host functions and vectors.
#[test]
fn integers_at_the_word_boundary_cross_exactly() {
    let edges = [(1i64 << 50) - 1, 1 << 50, -(1 << 50), -(1 << 50) - 1, i64::MAX, i64::MIN, i64::MAX - 1];
    let mut e = engine();
    e.define_fn("plus-one", |n: i64| n.checked_add(1).unwrap_or(i64::MIN));
    for n in edges {
        assert_eq!(round_trip(&mut e, n), (n, n));
        e.set("edge", n).expect("set");
        let next: i64 = e.eval("(plus-one edge)").expect("host call");
        assert_eq!(next, n.checked_add(1).unwrap_or(i64::MIN));
        let text = e.eval_to_string("(list edge (vector edge) (+ edge 0))").expect("print");
        assert_eq!(text, format!("({n} #({n}) {n})"));
    }
    let back: Vec<i64> =
        e.eval("(vector-map (lambda (x) x) (vector (expt 2 50) (- (expt 2 62) 1) -7))").expect("vector");
    assert_eq!(back, vec![1 << 50, (1 << 62) - 1, -7]);
    let through: seam::Function<(Vec<i64>,), Vec<i64>> = e.function("identity").expect("identity");
    assert_eq!(through.call(&mut e, (edges.to_vec(),)).expect("call"), edges.to_vec());
}
