//! Helpers shared by the builtin files' unit tests: calling a builtin by name as the VM
//! would, and showing results.

use super::{Kind, ANY, BUILTINS};
use crate::error::BuiltinResult;
use crate::heap::Heap;
use crate::printer::{to_string, Mode};
use crate::value::Value;

/// Calls simple builtin `name` as the VM would (arity checked first).
pub fn call(heap: &mut Heap, name: &str, args: &[Value]) -> BuiltinResult {
    let Some(b) = BUILTINS.iter().find(|b| b.name == name) else { panic!("no builtin {name}") };
    assert!(args.len() >= b.min as usize, "{name}: too few arguments");
    assert!(b.max == ANY || args.len() <= b.max as usize, "{name}: too many arguments");
    match b.kind {
        Kind::Simple(f) => f(heap, args),
        _ => panic!("{name} is not a simple builtin"),
    }
}

/// The `write` form of a successful call's result.
pub fn ok(heap: &mut Heap, name: &str, args: &[Value]) -> String {
    match call(heap, name, args) {
        Ok(v) => show(heap, v),
        Err(c) => panic!("{name} failed: {}", c.message),
    }
}

/// The message of a call that must fail.
pub fn error(heap: &mut Heap, name: &str, args: &[Value]) -> String {
    match call(heap, name, args) {
        Ok(v) => panic!("{name} should have failed, returned {}", show(heap, v)),
        Err(c) => c.message,
    }
}

pub fn show(heap: &Heap, v: Value) -> String {
    to_string(heap, v, Mode::Write)
}

pub const fn fx(n: i64) -> Value {
    Value::Fixnum(n)
}

pub fn fixnums(heap: &mut Heap, ns: &[i64]) -> Value {
    let items: Vec<Value> = ns.iter().map(|&n| Value::Fixnum(n)).collect();
    heap.list(&items)
}

/// `#0=(1 2 3 . #0#)`.
pub fn circular(heap: &mut Heap) -> Value {
    let last = heap.cons(Value::Fixnum(3), Value::Null);
    let list = heap.list_with_tail(&[Value::Fixnum(1), Value::Fixnum(2)], last);
    if let Value::Pair(p) = last {
        heap.set_cdr(p, list);
    }
    list
}

mod word_fast_paths {
    use super::*;
    use crate::object::{Object, RecordType};
    use crate::value::Word;

    /// The same values, built the same way in every heap (so their words match): the
    /// arguments the fast paths are tried on.
    fn samples(heap: &mut Heap) -> Vec<Value> {
        let list = heap.list(&[Value::Fixnum(1), Value::Fixnum(2), Value::Fixnum(3)]);
        let nested_head = heap.list(&[Value::Char('a'), Value::Char('b')]);
        let nested = heap.list(&[nested_head, Value::Fixnum(7)]);
        let dotted = heap.cons(Value::Fixnum(1), Value::Fixnum(2));
        let cyclic = heap.list(&[Value::Fixnum(1), Value::Fixnum(2)]);
        if let Value::Pair(p) = cyclic {
            let last = match heap.cdr(p) {
                Value::Pair(q) => q,
                _ => unreachable!(),
            };
            heap.set_cdr(last, cyclic);
        }
        let constant = heap.list(&[Value::Fixnum(4), Value::Fixnum(5)]);
        heap.make_constant(constant);
        let constant_string = heap.string("const");
        heap.make_constant(constant_string);
        let rtd = heap.alloc(Object::RecordType(Box::new(RecordType {
            name: "point".into(),
            fields: vec!["x".into(), "y".into()],
        })));
        let Value::Object(rtd_index) = rtd else { unreachable!() };
        let fields = [Value::Fixnum(10), Value::Char('y')].map(|v| heap.word(v));
        let record = heap.alloc(Object::Record { rtd: rtd_index, fields: fields.into_iter().collect() });
        let entry = heap.cons(Value::Char('a'), Value::Fixnum(1));
        let big = heap.alloc(Object::Bignum(num_bigint::BigInt::from(1u8) << 80));
        let big_entry = heap.cons(big, Value::Null);
        let alist = heap.list(&[entry, big_entry, Value::Fixnum(0)]);
        vec![
            Value::Fixnum(0),
            Value::Fixnum(1),
            Value::Fixnum(-1),
            Value::Flonum(1.0),
            Value::Flonum(-0.0),
            Value::Flonum(0.0),
            // For the numeric fast paths: a perfect square, odd and negative fixnums, the
            // ends of the fixnum range, fractional, huge, infinite and NaN flonums, a
            // bignum, a ratio.
            Value::Fixnum(9),
            Value::Fixnum(-7),
            Value::Fixnum(crate::value::FIXNUM_MAX),
            Value::Fixnum(crate::value::FIXNUM_MIN),
            Value::Flonum(-2.5),
            Value::Flonum(1e300),
            Value::Flonum(f64::NEG_INFINITY),
            Value::Flonum(f64::NAN),
            heap.alloc(Object::Bignum(num_bigint::BigInt::from(1u8) << 70)),
            heap.alloc(Object::Rational(Box::new(num_rational::BigRational::new(1.into(), 3.into())))),
            heap.alloc(Object::Rational(Box::new(num_rational::BigRational::new((-7).into(), 2.into())))),
            heap.alloc(Object::Rational(Box::new(num_rational::BigRational::new(5.into(), 2.into())))),
            Value::Char('\u{10FFFF}'),
            Value::Char('a'),
            Value::Char('b'),
            Value::Null,
            Value::FALSE,
            list,
            nested,
            dotted,
            cyclic,
            constant,
            heap.string("hé!"),
            constant_string,
            heap.vector([Value::Fixnum(9), Value::Char('z')]),
            heap.intern("sym"),
            rtd,
            record,
            alist,
        ]
    }

    /// Every builtin with a fast path on words gives, whenever the fast path answers, the
    /// answer the builtin gives, and leaves its arguments as the builtin does (`set-car!`
    /// on a constant, an index out of range, a cyclic list: the fast path declines).
    #[test]
    fn word_fast_paths_agree_with_their_builtins() {
        let mut tried = 0;
        for b in BUILTINS.iter() {
            let Some(fast) = b.words else { continue };
            let Kind::Simple(slow) = b.kind else {
                panic!("{}: a fast path on a builtin that is not simple", b.name)
            };
            let count = samples(&mut Heap::new()).len();
            // Up to three arguments, or as many as the builtin needs.
            let most = if b.max == ANY { 3 } else { usize::from(b.max).min(3.max(usize::from(b.min))) };
            for argc in usize::from(b.min)..=most {
                // Every sample in the first three positions, two in any later one (the
                // value `%record-set!` stores, the name it reports).
                let choices: Vec<usize> = (0..argc).map(|i| if i < 3 { count } else { 2 }).collect();
                for combo in 0..choices.iter().product() {
                    let picks: Vec<usize> = choices
                        .iter()
                        .scan(combo, |rest, &n| {
                            let pick = *rest % n;
                            *rest /= n;
                            Some(pick)
                        })
                        .collect();
                    let (mut fast_heap, mut slow_heap) = (Heap::new(), Heap::new());
                    let (fast_values, slow_values) = (samples(&mut fast_heap), samples(&mut slow_heap));
                    let fast_args: Vec<Word> =
                        picks.iter().map(|&i| Word::new(fast_values[i]).expect("a word")).collect();
                    let slow_args: Vec<Value> = picks.iter().map(|&i| slow_values[i]).collect();
                    let Some(answer) = fast(&mut fast_heap, &fast_args) else { continue };
                    tried += 1;
                    let expected = match slow(&mut slow_heap, &slow_args) {
                        Ok(v) => show(&slow_heap, v),
                        Err(c) => panic!(
                            "{}{picks:?}: the fast path answered, the builtin failed: {}",
                            b.name, c.message
                        ),
                    };
                    assert_eq!(show(&fast_heap, answer.get()), expected, "{}{picks:?}", b.name);
                    for (&f, &s) in fast_values.iter().zip(&slow_values) {
                        assert_eq!(
                            show(&fast_heap, f),
                            show(&slow_heap, s),
                            "{}{picks:?} changed an argument",
                            b.name
                        );
                    }
                }
            }
        }
        assert!(tried > 100, "only {tried} fast answers");
    }
}
