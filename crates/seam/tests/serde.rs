//! The serde bridge end to end: round trips of nested data, what Scheme sees of serialized
//! values, Scheme-written data read into Rust types, `Serde<T>` across host functions, the
//! errors (with the path to the offending value), cyclic data, and a property test.

#![cfg(feature = "serde")]

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use seam::serde::{from_value, to_value, Serde};
use seam::{Engine, Function, Value};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Person {
    name: String,
    age: u8,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
enum Shape {
    Empty,
    Circle(f64),
    Segment(i32, i32),
    Rect { width: u32, height: u32 },
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Unit;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Meters(f64);

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Pair(i64, String);

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Everything {
    title: String,
    count: i64,
    big: u128,
    small: i8,
    ratio: f64,
    initial: char,
    flag: bool,
    tags: Vec<String>,
    scores: HashMap<String, i64>,
    nickname: Option<String>,
    missing: Option<i64>,
    owner: Person,
    shapes: Vec<Shape>,
    marker: Unit,
    length: Meters,
    pair: Pair,
    nothing: (),
}

fn everything() -> Everything {
    Everything {
        title: "report".into(),
        count: -42,
        big: u128::MAX,
        small: -128,
        ratio: 0.25,
        initial: 'λ',
        flag: true,
        tags: vec!["a".into(), "b c".into()],
        scores: HashMap::from([("alice".to_string(), 3), ("bob".to_string(), -7)]),
        nickname: Some("ev".into()),
        missing: None,
        owner: Person { name: "Ann".into(), age: 30 },
        shapes: vec![
            Shape::Empty,
            Shape::Circle(1.5),
            Shape::Segment(-1, 2),
            Shape::Rect { width: 3, height: 4 },
        ],
        marker: Unit,
        length: Meters(2.5),
        pair: Pair(7, "seven".into()),
        nothing: (),
    }
}

/// `source` evaluated, as a rooted value.
fn eval_value(engine: &mut Engine, source: &str) -> Value {
    engine.eval(source).unwrap()
}

#[test]
fn nested_struct_round_trips() {
    let mut e = Engine::new();
    let original = everything();
    let value = to_value(&mut e, &original).unwrap();
    e.collect_garbage();
    let back: Everything = from_value(&mut e, &value).unwrap();
    assert_eq!(back, original);
}

#[test]
fn scheme_sees_structs_as_alists_and_sequences_as_vectors() {
    let mut e = Engine::new();
    e.set("person", Serde(Person { name: "Ann".into(), age: 30 })).unwrap();
    assert_eq!(e.eval::<String>("(cdr (assq 'name person))").unwrap(), "Ann");
    assert_eq!(e.eval_to_string("person").unwrap(), "((name . \"Ann\") (age . 30))");

    e.set("tags", Serde(vec!["x", "y"])).unwrap();
    assert_eq!(e.eval::<String>("(vector-ref tags 0)").unwrap(), "x");

    let scores = BTreeMap::from([("alice".to_string(), 3), ("bob".to_string(), 4)]);
    e.set("scores", Serde(scores)).unwrap();
    assert_eq!(e.eval_to_string("scores").unwrap(), "((alice . 3) (bob . 4))");
    let by_int = BTreeMap::from([(1, "one"), (2, "two")]);
    e.set("by-int", Serde(by_int)).unwrap();
    assert_eq!(e.eval_to_string("by-int").unwrap(), "((1 . \"one\") (2 . \"two\"))");
}

#[test]
fn scheme_sees_the_mapping_of_every_kind() {
    let mut e = Engine::new();
    let cases: Vec<(Value, &str)> = vec![
        (to_value(&mut e, &Shape::Empty).unwrap(), "Empty"),
        (to_value(&mut e, &Shape::Circle(1.5)).unwrap(), "((Circle . 1.5))"),
        (to_value(&mut e, &Shape::Segment(1, 2)).unwrap(), "((Segment . #(1 2)))"),
        (
            to_value(&mut e, &Shape::Rect { width: 3, height: 4 }).unwrap(),
            "((Rect (width . 3) (height . 4)))",
        ),
        (to_value(&mut e, &Unit).unwrap(), "()"),
        (to_value(&mut e, &()).unwrap(), "()"),
        (to_value(&mut e, &Meters(2.0)).unwrap(), "2.0"),
        (to_value(&mut e, &Pair(1, "a".into())).unwrap(), "#(1 \"a\")"),
        (to_value(&mut e, &(1, 'c', false)).unwrap(), "#(1 #\\c #f)"),
        (to_value(&mut e, &None::<i64>).unwrap(), "#f"),
        (to_value(&mut e, &Some(5)).unwrap(), "5"),
        (to_value(&mut e, &u128::MAX).unwrap(), "340282366920938463463374607431768211455"),
        (to_value(&mut e, &i128::MIN).unwrap(), "-170141183460469231731687303715884105728"),
        (to_value(&mut e, &Bytes(&[1, 2, 255])).unwrap(), "#u8(1 2 255)"),
    ];
    for (value, written) in cases {
        assert_eq!(e.write(&value), written);
    }
}

/// A value serde serializes with `serialize_bytes`.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

#[test]
fn scheme_written_data_reads_into_rust_types() {
    let mut e = Engine::new();
    // Fields in any order, unknown fields ignored, string keys accepted, lists for vectors.
    let v = eval_value(&mut e, "'((age . 41) (extra . #t) (\"name\" . \"Bo\"))");
    let person: Person = from_value(&mut e, &v).unwrap();
    assert_eq!(person, Person { name: "Bo".into(), age: 41 });

    let shapes: Vec<Shape> = e
        .eval::<Serde<Vec<Shape>>>(
            "'(Empty ((Circle . 2)) ((Segment 3 4)) ((Rect (height . 1) (width . 2))))",
        )
        .unwrap()
        .0;
    assert_eq!(
        shapes,
        [Shape::Empty, Shape::Circle(2.0), Shape::Segment(3, 4), Shape::Rect { width: 2, height: 1 }]
    );

    let scores: HashMap<String, i64> = e.eval::<Serde<_>>("'((a . 1) (\"b\" . 2))").unwrap().0;
    assert_eq!(scores, HashMap::from([("a".to_string(), 1), ("b".to_string(), 2)]));
    let floats: Vec<f64> = e.eval::<Serde<_>>("(vector 1 1/2 0.25)").unwrap().0;
    assert_eq!(floats, [1.0, 0.5, 0.25]);
    let bytes: Vec<u8> = e.eval::<Serde<_>>("(bytevector 1 2 3)").unwrap().0;
    assert_eq!(bytes, [1, 2, 3]);
    let empty: HashMap<String, i64> = e.eval::<Serde<_>>("'()").unwrap().0;
    assert!(empty.is_empty());
    let maybe: Option<Vec<i64>> = e.eval::<Serde<_>>("#f").unwrap().0;
    assert_eq!(maybe, None);
}

/// A self-describing target, read with `deserialize_any`.
#[derive(Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum Json {
    Null(()),
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Json>),
    Object(BTreeMap<String, Json>),
}

#[test]
fn self_describing_targets_see_the_scheme_kinds() {
    let mut e = Engine::new();
    let Serde(json) = e
        .eval::<Serde<Json>>("'((name . \"x\") (n . 1) (r . 0.5) (ok . #t) (xs . #(1 sym)) (none))")
        .unwrap();
    let expected = Json::Object(BTreeMap::from([
        ("name".to_string(), Json::Text("x".into())),
        ("n".to_string(), Json::Int(1)),
        ("r".to_string(), Json::Float(0.5)),
        ("ok".to_string(), Json::Bool(true)),
        ("xs".to_string(), Json::List(vec![Json::Int(1), Json::Text("sym".into())])),
        ("none".to_string(), Json::Null(())),
    ]));
    assert_eq!(json, expected);
    let Serde(list) = e.eval::<Serde<Json>>("'(1 2 3)").unwrap();
    assert_eq!(list, Json::List(vec![Json::Int(1), Json::Int(2), Json::Int(3)]));
}

#[test]
fn serde_values_cross_host_functions() {
    let mut e = Engine::new();
    e.define_fn("older", |p: Serde<Person>| Serde(Person { age: p.0.age + 1, ..p.0 }));
    let name: String = e.eval("(cdr (assq 'name (older '((name . \"Ann\") (age . 30)))))").unwrap();
    assert_eq!(name, "Ann");
    let Serde(p) = e.eval::<Serde<Person>>("(older (older '((name . \"Ann\") (age . 30))))").unwrap();
    assert_eq!(p, Person { name: "Ann".into(), age: 32 });

    e.eval::<()>("(define (rename p n) (cons (cons 'name n) p))").unwrap();
    let rename: Function<(Serde<Person>, String), Serde<Person>> = e.function("rename").unwrap();
    let Serde(renamed) = rename.call(&mut e, (Serde(p), "Bea".to_string())).unwrap();
    assert_eq!(renamed, Person { name: "Bea".into(), age: 32 });

    let err = e.eval::<Serde<Person>>("(older '((name . \"Ann\") (age . 300)))").unwrap_err();
    assert!(err.to_string().ends_with("argument 1: 300 is out of range for u8 at field age"), "{err}");
}

/// The message of the error reading `source` as `T`.
fn read_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(e: &mut Engine, source: &str) -> seam::Error {
    let v = eval_value(e, source);
    from_value::<T>(e, &v).unwrap_err()
}

#[test]
fn errors_name_what_and_where() {
    let mut e = Engine::new();
    let missing = read_error::<Person>(&mut e, "'((name . \"Ann\"))");
    assert_eq!(
        missing.to_string(),
        "value: expected an association list with field `age`, got list ((name . \"Ann\"))"
    );
    assert_eq!(missing.kind(), "invalid-type");

    let out_of_range = read_error::<Person>(&mut e, "'((name . \"Ann\") (age . 300))");
    assert_eq!(out_of_range.to_string(), "field age: 300 is out of range for u8");
    assert_eq!(out_of_range.kind(), "out-of-range");

    let wrong_type = read_error::<Vec<i64>>(&mut e, "'(1 2 \"x\")");
    assert_eq!(wrong_type.to_string(), "element 2: expected i64, got string \"x\"");
    assert!(matches!(wrong_type, seam::Error::Conversion { .. }));

    let nested =
        read_error::<Vec<Person>>(&mut e, "(vector '((name . \"A\") (age . 1)) '((name . 5) (age . 2)))");
    assert_eq!(nested.to_string(), "element 1, field name: expected string, got integer 5");

    let unknown_variant = read_error::<Shape>(&mut e, "'Hexagon");
    assert_eq!(
        unknown_variant.to_string(),
        "value: expected variant one of `Empty`, `Circle`, `Segment`, `Rect`, got variant `Hexagon`"
    );
    let bad_payload = read_error::<Shape>(&mut e, "'((Rect (width . 1) (height . -1)))");
    assert_eq!(bad_payload.to_string(), "variant Rect, field height: -1 is out of range for u32");

    let not_alist = read_error::<Person>(&mut e, "'#(1 2)");
    assert_eq!(
        not_alist.to_string(),
        "value: expected an association list ((field . value) ...), got vector #(1 2)"
    );
    let too_long = read_error::<(i64, i64)>(&mut e, "'#(1 2 3)");
    assert_eq!(too_long.to_string(), "value: expected 2 elements, got vector #(1 2 3)");
    let too_short = read_error::<(i64, i64)>(&mut e, "'#(1)");
    assert_eq!(too_short.to_string(), "value: expected a tuple of size 2, got vector #(1)");
    let not_bool = read_error::<Option<bool>>(&mut e, "'yes");
    assert_eq!(not_bool.to_string(), "value: expected bool, got symbol yes");
}

#[test]
fn cyclic_and_deep_data_is_an_error_not_a_crash() {
    let mut e = Engine::new();
    // A cycle through the cdr is not a proper list.
    let cdr_cycle = read_error::<Vec<i64>>(&mut e, "(let ((p (list 1 2))) (set-cdr! (cdr p) p) p)");
    assert!(cdr_cycle.to_string().starts_with("value: expected a vector or a proper list"), "{cdr_cycle}");
    // A cycle through the car (or a vector holding itself) nests without end.
    let car_cycle = read_error::<Json>(&mut e, "(let ((p (list 1 2))) (set-car! p p) p)");
    assert!(car_cycle.to_string().contains("expected data nested at most 1000 levels deep"), "{car_cycle}");
    let vector_cycle = read_error::<Json>(&mut e, "(let ((v (vector 1))) (vector-set! v 0 v) v)");
    let message = vector_cycle.to_string();
    assert!(message.starts_with("element 0, element 0, element 0, element 0, ... "), "{message}");
    assert!(message.contains("expected data nested at most 1000 levels deep"), "{message}");
    // 999 levels are fine.
    let deep = format!("'{}{}", "(".repeat(999), ")".repeat(999));
    let v = eval_value(&mut e, &deep);
    assert!(from_value::<Json>(&mut e, &v).is_ok());
}

#[derive(Deserialize, Debug, PartialEq)]
struct Settings {
    name: String,
    limit: Option<u32>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Strict {
    name: String,
}

#[test]
fn missing_options_are_none_and_unknown_fields_are_skipped_unread() {
    let mut e = Engine::new();
    // The unknown field holds a cyclic list: it is skipped without being looked at.
    let source = "(let ((p (list 1))) (set-car! p p) (list (cons 'junk p) (cons 'name \"n\")))";
    let Serde(settings) = e.eval::<Serde<Settings>>(source).unwrap();
    assert_eq!(settings, Settings { name: "n".into(), limit: None });

    let strict = read_error::<Strict>(&mut e, "'((name . \"n\") (nmae . \"m\"))");
    assert_eq!(strict.to_string(), "field nmae: expected field `name`, got field `nmae`");
}

/// A value whose serialization fails.
struct Unserializable;

impl Serialize for Unserializable {
    fn serialize<S: serde::Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("the lock is poisoned"))
    }
}

#[derive(Serialize)]
struct Holder {
    inner: Vec<Unserializable>,
}

#[test]
fn serialization_errors_name_the_path() {
    let mut e = Engine::new();
    let err = to_value(&mut e, &Holder { inner: vec![Unserializable] }).unwrap_err();
    assert_eq!(
        err.to_string(),
        "field inner, element 0: expected a value Scheme can represent, got the lock is poisoned"
    );
    let err = e.set("h", Serde(Holder { inner: vec![Unserializable] })).unwrap_err();
    assert_eq!(
        err.to_string(),
        "h: expected a value Scheme can represent at field inner, element 0, got the lock is poisoned"
    );
}

#[derive(Serialize, Deserialize, Debug)]
enum Chain {
    End,
    Link(Box<Chain>),
}

#[test]
fn deep_rust_data_serializes_and_reads_back_within_the_depth_limit() {
    let mut e = Engine::new();
    let mut chain = Chain::End;
    for _ in 0..20_000 {
        chain = Chain::Link(Box::new(chain));
    }
    let value = to_value(&mut e, &chain).unwrap();
    let err = from_value::<Chain>(&mut e, &value).unwrap_err();
    assert!(err.to_string().contains("expected data nested at most 1000 levels deep"), "{err}");
    // Drop the chain a link at a time (a 20,000-deep recursive drop could overflow).
    while let Chain::Link(next) = chain {
        chain = *next;
    }

    let mut shallow = Chain::End;
    for _ in 0..999 {
        shallow = Chain::Link(Box::new(shallow));
    }
    let value = to_value(&mut e, &shallow).unwrap();
    assert!(from_value::<Chain>(&mut e, &value).is_ok());
    while let Chain::Link(next) = shallow {
        shallow = *next;
    }
}

#[test]
fn option_bool_cannot_tell_some_false_from_none() {
    let mut e = Engine::new();
    let v = to_value(&mut e, &Some(false)).unwrap();
    assert_eq!(from_value::<Option<bool>>(&mut e, &v).unwrap(), None);
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Random {
    text: String,
    int: i64,
    unsigned: u64,
    wide: i128,
    byte: u8,
    float: f64,
    single: f32,
    letter: char,
    flag: bool,
    list: Vec<i32>,
    map: BTreeMap<String, u16>,
    maybe: Option<String>,
    pair: (i16, String),
    shape: Shape,
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Empty),
        (-1e9f64..1e9).prop_map(Shape::Circle),
        (any::<i32>(), any::<i32>()).prop_map(|(a, b)| Shape::Segment(a, b)),
        (any::<u32>(), any::<u32>()).prop_map(|(width, height)| Shape::Rect { width, height }),
    ]
}

prop_compose! {
    fn random()(
        text in ".*",
        int in any::<i64>(),
        unsigned in any::<u64>(),
        wide in any::<i128>(),
        byte in any::<u8>(),
        float in any::<f64>().prop_filter("not NaN", |f| !f.is_nan()),
        single in any::<f32>().prop_filter("not NaN", |f| !f.is_nan()),
        letter in any::<char>(),
        flag in any::<bool>(),
        list in proptest::collection::vec(any::<i32>(), 0..8),
        map in proptest::collection::btree_map(".{0,6}", any::<u16>(), 0..5),
        maybe in proptest::option::of(".{0,6}"),
        pair in (any::<i16>(), ".{0,6}"),
        shape in shape(),
    ) -> Random {
        Random { text, int, unsigned, wide, byte, float, single, letter, flag, list, map, maybe, pair, shape }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_structs_round_trip(original in random()) {
        let mut e = Engine::new();
        let value = to_value(&mut e, &original).unwrap();
        let back: Random = from_value(&mut e, &value).unwrap();
        prop_assert_eq!(back, original);
    }
}
