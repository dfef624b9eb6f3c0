//! Builtins: the numeric procedures of R7RS 6.2.6 over `seam-num`'s tower, with fixnum
//! fast paths for `+ - * /` and the comparisons. This file holds the table, the arithmetic
//! and the predicates; integer division, rounding, transcendental functions and
//! conversions are in `numbers_ops.rs`.

use seam_num::{NumError, Number};

use super::{simple, wrong, Builtin, ANY};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::num::{check_work, compare, from_number, is_number, number_arg, real_arg, to_number, Cmp, Work};
use crate::object::Object;
use crate::value::{Value, Word};

#[path = "numbers_ops.rs"]
mod ops;
#[path = "numbers_words.rs"]
mod words;

pub const BUILTINS: &[Builtin] = &[
    simple("number?", 1, 1, |h, a| Ok(Value::Bool(is_number(h, a[0])))).on_words(words::number),
    simple("complex?", 1, 1, |h, a| Ok(Value::Bool(is_number(h, a[0])))).on_words(words::number),
    simple("real?", 1, 1, |h, a| Ok(Value::Bool(to_number(h, a[0]).is_some_and(|n| n.is_real()))))
        .on_words(words::number),
    simple("rational?", 1, 1, |h, a| Ok(Value::Bool(to_number(h, a[0]).is_some_and(|n| n.is_rational())))),
    simple("integer?", 1, 1, |h, a| Ok(Value::Bool(to_number(h, a[0]).is_some_and(|n| n.is_integer()))))
        .on_words(words::integer),
    simple("exact-integer?", 1, 1, |h, a| {
        Ok(Value::Bool(to_number(h, a[0]).is_some_and(|n| n.is_exact_integer())))
    })
    .on_words(words::exact_integer),
    simple("exact?", 1, 1, |h, a| predicate(h, "exact?", a[0], Number::is_exact)).on_words(words::is_exact),
    simple("inexact?", 1, 1, |h, a| predicate(h, "inexact?", a[0], |n| !n.is_exact()))
        .on_words(words::is_inexact),
    simple("finite?", 1, 1, |h, a| predicate(h, "finite?", a[0], Number::is_finite)),
    simple("infinite?", 1, 1, |h, a| predicate(h, "infinite?", a[0], Number::is_infinite)),
    simple("nan?", 1, 1, |h, a| predicate(h, "nan?", a[0], Number::is_nan)),
    simple("zero?", 1, 1, |h, a| match a[0] {
        Value::Fixnum(x) => Ok(Value::Bool(x == 0)),
        Value::Flonum(x) => Ok(Value::Bool(x == 0.0)),
        _ => predicate(h, "zero?", a[0], Number::is_zero),
    })
    .on_words(words::zero),
    simple("positive?", 1, 1, |h, a| match a[0] {
        Value::Fixnum(x) => Ok(Value::Bool(x > 0)),
        Value::Flonum(x) => Ok(Value::Bool(x > 0.0)),
        _ => Ok(Value::Bool(real_arg(h, "positive?", 1, a[0])?.is_positive())),
    })
    .on_words(words::positive),
    simple("negative?", 1, 1, |h, a| match a[0] {
        Value::Fixnum(x) => Ok(Value::Bool(x < 0)),
        Value::Flonum(x) => Ok(Value::Bool(x < 0.0)),
        _ => Ok(Value::Bool(real_arg(h, "negative?", 1, a[0])?.is_negative())),
    })
    .on_words(words::negative),
    simple("odd?", 1, 1, |h, a| match a[0] {
        Value::Fixnum(x) => Ok(Value::Bool(x & 1 == 1)),
        _ => parity(h, "odd?", a, Number::is_odd),
    })
    .on_words(words::odd),
    simple("even?", 1, 1, |h, a| match a[0] {
        Value::Fixnum(x) => Ok(Value::Bool(x & 1 == 0)),
        _ => parity(h, "even?", a, Number::is_even),
    })
    .on_words(words::even),
    simple("=", 1, ANY, |h, a| chain(h, a, Cmp::Eq)).on_words(|_, a| words::chain(a, Cmp::Eq)),
    simple("<", 1, ANY, |h, a| chain(h, a, Cmp::Lt)).on_words(|_, a| words::chain(a, Cmp::Lt)),
    simple(">", 1, ANY, |h, a| chain(h, a, Cmp::Gt)).on_words(|_, a| words::chain(a, Cmp::Gt)),
    simple("<=", 1, ANY, |h, a| chain(h, a, Cmp::Le)).on_words(|_, a| words::chain(a, Cmp::Le)),
    simple(">=", 1, ANY, |h, a| chain(h, a, Cmp::Ge)).on_words(|_, a| words::chain(a, Cmp::Ge)),
    simple("max", 1, ANY, |h, a| extremum(h, "max", a, std::cmp::max, seam_num::max))
        .on_words(|_, a| words::extremum(a, true)),
    simple("min", 1, ANY, |h, a| extremum(h, "min", a, std::cmp::min, seam_num::min))
        .on_words(|_, a| words::extremum(a, false)),
    simple("+", 0, ANY, |h, a| fold(h, "+", Value::Fixnum(0), a, 1, &ADD)).on_words(|_, a| {
        if a.is_empty() {
            None
        } else {
            words::fold_fixnums(a, i64::checked_add)
        }
    }),
    simple("*", 0, ANY, |h, a| fold(h, "*", Value::Fixnum(1), a, 1, &MUL)).on_words(|_, a| {
        if a.is_empty() {
            None
        } else {
            words::fold_fixnums(a, i64::checked_mul)
        }
    }),
    simple("-", 1, ANY, |h, a| match a {
        // Negation, not `(- 0 x)`: `(- 0.0)` is `-0.0`.
        [Value::Fixnum(n)] if *n != i64::MIN => Ok(Value::Fixnum(-n)),
        [_] => ops::unary(h, "-", a, seam_num::neg),
        _ => fold(h, "-", a[0], &a[1..], 2, &SUB),
    })
    .on_words(|_, a| match a {
        [x] => words::fold_fixnums(&[Word::small_fixnum(0), *x], i64::checked_sub),
        _ => words::fold_fixnums(a, i64::checked_sub),
    }),
    simple("/", 1, ANY, |h, a| match a {
        [_] => fold(h, "/", Value::Fixnum(1), a, 1, &DIV),
        _ => fold(h, "/", a[0], &a[1..], 2, &DIV),
    })
    .on_words(words::divide_exactly),
    simple("abs", 1, 1, |h, a| match a[0] {
        Value::Fixnum(x) if x != i64::MIN => Ok(Value::Fixnum(x.abs())),
        Value::Flonum(x) => Ok(Value::Flonum(x.abs())),
        _ => ops::unary_try(h, "abs", a, seam_num::abs),
    })
    .on_words(words::abs),
    simple("square", 1, 1, |h, a| ops::unary(h, "square", a, seam_num::square)).on_words(words::square),
    simple("floor/", 2, 2, |h, a| ops::division_values(h, "floor/", a, seam_num::floor_div_rem)),
    simple("floor-quotient", 2, 2, |h, a| {
        integers(h, "floor-quotient", a, fast::floor_quotient, seam_num::floor_div)
    })
    .on_words(|_, a| words::divide(a, fast::floor_quotient)),
    simple("floor-remainder", 2, 2, |h, a| {
        integers(h, "floor-remainder", a, fast::floor_remainder, seam_num::floor_rem)
    })
    .on_words(|_, a| words::divide(a, fast::floor_remainder)),
    simple("truncate/", 2, 2, |h, a| ops::division_values(h, "truncate/", a, seam_num::truncate_div_rem)),
    simple("truncate-quotient", 2, 2, |h, a| {
        integers(h, "truncate-quotient", a, i64::checked_div, seam_num::truncate_div)
    })
    .on_words(|_, a| words::divide(a, i64::checked_div)),
    simple("truncate-remainder", 2, 2, |h, a| {
        integers(h, "truncate-remainder", a, fast::remainder, seam_num::truncate_rem)
    })
    .on_words(|_, a| words::divide(a, fast::remainder)),
    simple("quotient", 2, 2, |h, a| quotient(h, a[0], a[1]))
        .on_words(|_, a| words::divide(a, i64::checked_div)),
    simple("remainder", 2, 2, |h, a| remainder(h, a[0], a[1]))
        .on_words(|_, a| words::divide(a, fast::remainder)),
    simple("modulo", 2, 2, |h, a| modulo(h, a[0], a[1]))
        .on_words(|_, a| words::divide(a, fast::floor_remainder)),
    simple("gcd", 0, ANY, |h, a| ops::gcd_lcm(h, "gcd", a, 0, seam_num::gcd))
        .on_words(|_, a| words::gcd_lcm(a, false)),
    simple("lcm", 0, ANY, |h, a| ops::gcd_lcm(h, "lcm", a, 1, seam_num::lcm))
        .on_words(|_, a| words::gcd_lcm(a, true)),
    simple("numerator", 1, 1, |h, a| ops::unary_try(h, "numerator", a, seam_num::numerator)),
    simple("denominator", 1, 1, |h, a| ops::unary_try(h, "denominator", a, seam_num::denominator)),
    simple("floor", 1, 1, |h, a| rounding(h, "floor", a, f64::floor, seam_num::floor))
        .on_words(|h, a| words::rounding(h, a, f64::floor, words::Rounding::Floor)),
    simple("ceiling", 1, 1, |h, a| rounding(h, "ceiling", a, f64::ceil, seam_num::ceiling))
        .on_words(|h, a| words::rounding(h, a, f64::ceil, words::Rounding::Ceiling)),
    simple("truncate", 1, 1, |h, a| rounding(h, "truncate", a, f64::trunc, seam_num::truncate))
        .on_words(|h, a| words::rounding(h, a, f64::trunc, words::Rounding::Truncate)),
    simple("round", 1, 1, |h, a| rounding(h, "round", a, f64::round_ties_even, seam_num::round))
        .on_words(|h, a| words::rounding(h, a, f64::round_ties_even, words::Rounding::Round)),
    simple("rationalize", 2, 2, ops::rationalize),
    simple("exp", 1, 1, |h, a| ops::unary(h, "exp", a, seam_num::exp)),
    simple("log", 1, 2, ops::log),
    simple("sin", 1, 1, |h, a| ops::unary(h, "sin", a, seam_num::sin)),
    simple("cos", 1, 1, |h, a| ops::unary(h, "cos", a, seam_num::cos)),
    simple("tan", 1, 1, |h, a| ops::unary(h, "tan", a, seam_num::tan)),
    simple("asin", 1, 1, |h, a| ops::unary(h, "asin", a, seam_num::asin)),
    simple("acos", 1, 1, |h, a| ops::unary(h, "acos", a, seam_num::acos)),
    simple("atan", 1, 2, ops::atan),
    simple("sqrt", 1, 1, ops::sqrt).on_words(words::sqrt),
    simple("exact-integer-sqrt", 1, 1, ops::exact_integer_sqrt),
    simple("expt", 2, 2, ops::expt).on_words(words::expt),
    simple("exact", 1, 1, |h, a| exact(h, "exact", a)).on_words(words::exact),
    simple("inexact", 1, 1, |h, a| inexact(h, "inexact", a)).on_words(words::inexact),
    simple("inexact->exact", 1, 1, |h, a| exact(h, "inexact->exact", a)).on_words(words::exact),
    simple("exact->inexact", 1, 1, |h, a| inexact(h, "exact->inexact", a)).on_words(words::inexact),
    simple("number->string", 1, 2, ops::number_to_string).on_words(words::number_to_string),
    simple("string->number", 1, 2, ops::string_to_number),
];

/// Fixnum fast paths of the integer divisions: `None` where the tower must answer
/// (division by zero, `i64::MIN / -1`).
mod fast {
    /// `remainder` (truncating): `wrapping_rem` is exact for `i64::MIN % -1` (0).
    pub fn remainder(x: i64, y: i64) -> Option<i64> {
        (y != 0).then(|| x.wrapping_rem(y))
    }

    /// `modulo` (flooring): the remainder takes the sign of the divisor.
    pub fn floor_remainder(x: i64, y: i64) -> Option<i64> {
        let r = remainder(x, y)?;
        Some(if r != 0 && (r < 0) != (y < 0) { r + y } else { r })
    }

    /// `floor-quotient`.
    pub fn floor_quotient(x: i64, y: i64) -> Option<i64> {
        let q = x.checked_div(y)?;
        // `checked_div` succeeded, so `x % y` cannot overflow; q > i64::MIN when rounding
        // down (|q| < |x| then).
        Some(if x % y != 0 && (x < 0) != (y < 0) { q - 1 } else { q })
    }
}

/// A division of two integers (`quotient`, `modulo`, ...): `fast` on two fixnums when it
/// has the answer, else the tower.
fn integers(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    fast: fn(i64, i64) -> Option<i64>,
    slow: fn(&Number, &Number) -> Result<Number, NumError>,
) -> BuiltinResult {
    if let [Value::Fixnum(x), Value::Fixnum(y)] = *args {
        if let Some(r) = fast(x, y) {
            return Ok(Value::Fixnum(r));
        }
    }
    ops::division(heap, proc, args, slow)
}

/// `(quotient x y)`, for the inlined `Op::Quotient`.
pub fn quotient(heap: &mut Heap, x: Value, y: Value) -> BuiltinResult {
    integers(heap, "quotient", &[x, y], i64::checked_div, seam_num::quotient)
}

/// `(remainder x y)`, for the inlined `Op::Remainder`.
pub fn remainder(heap: &mut Heap, x: Value, y: Value) -> BuiltinResult {
    integers(heap, "remainder", &[x, y], fast::remainder, seam_num::remainder)
}

/// `(modulo x y)`, for the inlined `Op::Modulo`.
pub fn modulo(heap: &mut Heap, x: Value, y: Value) -> BuiltinResult {
    integers(heap, "modulo", &[x, y], fast::floor_remainder, seam_num::modulo)
}

/// `floor`, `round`, ...: a fixnum is its own answer, a flonum is rounded directly.
fn rounding(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    float: fn(f64) -> f64,
    slow: fn(&Number) -> Result<Number, NumError>,
) -> BuiltinResult {
    match args[0] {
        Value::Fixnum(_) => Ok(args[0]),
        Value::Flonum(x) => Ok(Value::Flonum(float(x))),
        _ => ops::unary_try(heap, proc, args, slow),
    }
}

/// `exact`: fixnums are exact already; an integral flonum well inside the fixnum range
/// converts directly.
fn exact(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    match args[0] {
        Value::Fixnum(_) => Ok(args[0]),
        Value::Flonum(x) => match seam_num::float_to_fixnum(x) {
            Some(i) => Ok(Value::Fixnum(i)),
            None => ops::unary_try(heap, proc, args, seam_num::exact),
        },
        _ => ops::unary_try(heap, proc, args, seam_num::exact),
    }
}

/// `inexact`: flonums are inexact already; a fixnum converts directly.
fn inexact(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    match args[0] {
        Value::Flonum(_) => Ok(args[0]),
        Value::Fixnum(x) => Ok(Value::Flonum(x as f64)),
        _ => ops::unary(heap, proc, args, seam_num::inexact),
    }
}

/// A binary operation with an `i64` fast path that gives up (`None`) on overflow or when
/// the result is not a fixnum, a flonum fast path, and the general operation on the tower.
struct Arith {
    fast: fn(i64, i64) -> Option<i64>,
    float: fn(f64, f64) -> f64,
    slow: fn(&Number, &Number) -> Result<Number, NumError>,
    /// How the slow path's cost grows (checked under limits).
    work: Work,
}

const ADD: Arith = Arith {
    fast: i64::checked_add,
    float: |a, b| a + b,
    slow: |a, b| Ok(seam_num::add(a, b)),
    work: Work::Sum,
};
const SUB: Arith = Arith {
    fast: i64::checked_sub,
    float: |a, b| a - b,
    slow: |a, b| Ok(seam_num::sub(a, b)),
    work: Work::Sum,
};
const MUL: Arith = Arith {
    fast: i64::checked_mul,
    float: |a, b| a * b,
    slow: |a, b| Ok(seam_num::mul(a, b)),
    work: Work::Product,
};
const DIV: Arith = Arith {
    fast: |a, b| if a.checked_rem(b) == Some(0) { a.checked_div(b) } else { None },
    float: |a, b| a / b,
    slow: seam_num::div,
    work: Work::Ratio,
};

/// Folds `op` over `rest` from `first`; `rest[0]` is argument number `position`. Stays on
/// fixnums, or on flonums, while it can, then continues on the tower.
fn fold(
    heap: &mut Heap,
    proc: &str,
    first: Value,
    rest: &[Value],
    position: usize,
    op: &Arith,
) -> BuiltinResult {
    let mut acc = first;
    for (i, &v) in rest.iter().enumerate() {
        match (acc, v) {
            (Value::Fixnum(a), Value::Fixnum(b)) => {
                if let Some(r) = (op.fast)(a, b) {
                    acc = Value::Fixnum(r);
                    continue;
                }
            }
            (Value::Flonum(a), Value::Flonum(b)) => {
                acc = Value::Flonum((op.float)(a, b));
                continue;
            }
            _ => {}
        }
        let mut total = number_arg(heap, proc, position - 1, acc)?;
        for (j, &v) in rest[i..].iter().enumerate() {
            let n = number_arg(heap, proc, position + i + j, v)?;
            check_work(heap, proc, op.work, &total, &n)?;
            total = (op.slow)(&total, &n).map_err(|e| num_error(heap, proc, rest, e))?;
        }
        return Ok(from_number(heap, total));
    }
    number_arg(heap, proc, position - 1, acc)?;
    Ok(acc)
}

/// `=`, `<`, ... over any number of arguments, all of which must be numbers (real numbers
/// but for `=`).
fn chain(heap: &mut Heap, args: &[Value], op: Cmp) -> BuiltinResult {
    if args.iter().all(|v| matches!(v, Value::Fixnum(_))) {
        let holds = args.windows(2).all(|w| match (w[0], w[1]) {
            (Value::Fixnum(x), Value::Fixnum(y)) => op.holds(x, y),
            _ => false,
        });
        return Ok(Value::Bool(holds));
    }
    let numbers: Vec<Number> =
        args.iter().enumerate().map(|(i, &v)| op.operand(heap, i + 1, v)).collect::<Result<_, _>>()?;
    Ok(Value::Bool(numbers.windows(2).all(|w| compare(op, &w[0], &w[1]))))
}

fn extremum(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    fixnums: fn(i64, i64) -> i64,
    pick: fn(&Number, &Number) -> Result<Number, NumError>,
) -> BuiltinResult {
    if let Value::Fixnum(first) = args[0] {
        let mut best = first;
        let all_fixnums = args[1..].iter().all(|&v| match v {
            Value::Fixnum(x) => {
                best = fixnums(best, x);
                true
            }
            _ => false,
        });
        if all_fixnums {
            return Ok(Value::Fixnum(best));
        }
    }
    let numbers: Vec<Number> =
        args.iter().enumerate().map(|(i, &v)| real_arg(heap, proc, i + 1, v)).collect::<Result<_, _>>()?;
    let mut best = numbers[0].clone();
    for n in &numbers[1..] {
        best = pick(&best, n).map_err(|e| num_error(heap, proc, args, e))?;
    }
    Ok(from_number(heap, best))
}

/// A predicate on one number argument.
fn predicate(heap: &mut Heap, proc: &str, v: Value, f: fn(&Number) -> bool) -> BuiltinResult {
    Ok(Value::Bool(f(&number_arg(heap, proc, 1, v)?)))
}

fn parity(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    f: fn(&Number) -> Result<bool, NumError>,
) -> BuiltinResult {
    let n = integer_arg(heap, proc, 1, args[0])?;
    f(&n).map(Value::Bool).map_err(|e| num_error(heap, proc, args, e))
}

/// An integer argument (exact or inexact, like `4.0`).
fn integer_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<Number, Condition> {
    match to_number(heap, v) {
        Some(n) if n.is_integer() => Ok(n),
        _ => Err(wrong(heap, proc, position, "integer", v)),
    }
}

/// Two or more values returned together, as `values` does.
fn two_values(heap: &mut Heap, a: Number, b: Number) -> Value {
    let (a, b) = (from_number(heap, a), from_number(heap, b));
    heap.alloc(Object::Values(Box::new([a, b])))
}

/// The condition for a failed numeric operation: the argument at fault is found again in
/// `args` so the message can name it.
fn num_error(heap: &Heap, proc: &str, args: &[Value], e: NumError) -> Condition {
    let find = |bad: fn(&Number) -> bool| {
        args.iter()
            .enumerate()
            .find(|(_, &v)| to_number(heap, v).is_none_or(|n| bad(&n)))
            .map(|(i, &v)| (i + 1, v))
    };
    let culprit = match e {
        NumError::NotInteger => find(|n| !n.is_integer()).map(|(i, v)| wrong(heap, proc, i, "integer", v)),
        NumError::NotReal => find(|n| !n.is_real()).map(|(i, v)| wrong(heap, proc, i, "real number", v)),
        NumError::NotExactInteger => {
            find(|n| !n.is_exact_integer()).map(|(i, v)| wrong(heap, proc, i, "exact integer", v))
        }
        NumError::NotFinite => find(|n| !n.is_finite()).map(|(i, v)| {
            let shown = crate::printer::write_limited(heap, v, 60);
            Condition {
                kind: "range",
                message: format!("{proc}: argument {i}: {shown} has no exact value"),
                irritants: vec![v],
            }
        }),
        _ => None,
    };
    culprit.unwrap_or_else(|| match e {
        NumError::DivisionByZero => Condition::new("arithmetic", format!("{proc}: division by zero")),
        other => Condition::new("range", format!("{proc}: {other}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::{to_string, Mode};

    /// Calls numeric builtin `name` with `args` given as number literals, `"strings"` or
    /// symbols.
    pub(super) fn call(heap: &mut Heap, name: &str, args: &[&str]) -> BuiltinResult {
        let values: Vec<Value> = args
            .iter()
            .map(|text| match (text.strip_prefix('"'), seam_syntax::parse_number(text, 10)) {
                (Some(quoted), _) => heap.string(quoted.trim_end_matches('"')),
                (None, Some(n)) => from_number(heap, n),
                (None, None) => heap.intern(text),
            })
            .collect();
        call_values(heap, name, &values)
    }

    pub(super) fn call_values(heap: &mut Heap, name: &str, args: &[Value]) -> BuiltinResult {
        let Some(b) = BUILTINS.iter().find(|b| b.name == name) else { panic!("no builtin {name}") };
        assert!(
            args.len() >= b.min as usize && (b.max == ANY || args.len() <= b.max as usize),
            "arity of {name}"
        );
        match b.kind {
            super::super::Kind::Simple(f) => f(heap, args),
            _ => panic!("{name} is not simple"),
        }
    }

    /// The written result of `(name args...)`, or `error: message`.
    pub(super) fn eval(name: &str, args: &[&str]) -> String {
        let mut heap = Heap::new();
        match call(&mut heap, name, args) {
            Ok(v) => match heap.object(v) {
                Some(Object::Values(vs)) => {
                    vs.iter().map(|&x| to_string(&heap, x, Mode::Write)).collect::<Vec<_>>().join(" ")
                }
                _ => to_string(&heap, v, Mode::Write),
            },
            Err(c) => format!("{}: {}", c.kind, c.message),
        }
    }

    #[test]
    fn arithmetic_with_fast_and_slow_paths() {
        assert_eq!(eval("+", &[]), "0");
        assert_eq!(eval("*", &[]), "1");
        assert_eq!(eval("+", &["1", "2", "3"]), "6");
        assert_eq!(eval("+", &["9223372036854775807", "1"]), "9223372036854775808");
        assert_eq!(eval("*", &["4294967296", "4294967296", "2"]), "36893488147419103232");
        assert_eq!(eval("+", &["1/2", "1/2"]), "1");
        assert_eq!(eval("+", &["1", "0.5"]), "1.5");
        assert_eq!(eval("-", &["3"]), "-3");
        assert_eq!(eval("-", &["-9223372036854775808"]), "9223372036854775808");
        assert_eq!(eval("-", &["10", "1", "2"]), "7");
        assert_eq!(eval("/", &["2"]), "1/2");
        assert_eq!(eval("/", &["0.5"]), "2.0");
        assert_eq!(eval("/", &["6", "3"]), "2");
        assert_eq!(eval("/", &["3", "4", "5"]), "3/20");
        assert_eq!(eval("/", &["-9223372036854775808", "-1"]), "9223372036854775808");
        assert_eq!(eval("/", &["1.0", "0.0"]), "+inf.0");
    }

    #[test]
    fn arithmetic_errors_name_the_procedure_and_argument() {
        assert_eq!(eval("+", &["1", "x"]), "type: +: argument 2: expected number, got x");
        assert_eq!(
            eval("+", &["9223372036854775807", "1", "x"]),
            "type: +: argument 3: expected number, got x"
        );
        assert_eq!(eval("-", &["x"]), "type: -: argument 1: expected number, got x");
        assert_eq!(eval("-", &["x", "1"]), "type: -: argument 1: expected number, got x");
        assert_eq!(eval("*", &["x"]), "type: *: argument 1: expected number, got x");
        assert_eq!(eval("/", &["1", "0"]), "arithmetic: /: division by zero");
        assert_eq!(eval("/", &["0"]), "arithmetic: /: division by zero");
        assert_eq!(eval("<", &["1", "2", "x"]), "type: <: argument 3: expected number, got x");
        assert_eq!(eval("max", &["1", "x"]), "type: max: argument 2: expected number, got x");
    }

    #[test]
    fn comparisons_are_transitive_and_check_every_argument() {
        assert_eq!(eval("<", &["1", "2", "3"]), "#t");
        assert_eq!(eval("<", &["1", "3", "2"]), "#f");
        assert_eq!(eval("=", &["1", "1.0", "1"]), "#t");
        assert_eq!(eval("=", &["5"]), "#t");
        assert_eq!(eval(">=", &["3", "3", "2.5"]), "#t");
        assert_eq!(eval("<=", &["1/2", "0.5", "1"]), "#t");
        assert!(eval(">", &["2", "1", "x"]).starts_with("type: >: argument 3"));
        assert_eq!(eval("=", &["+nan.0", "+nan.0"]), "#f");
        assert_eq!(eval("<", &["9007199254740993", "9007199254740992.0"]), "#f");
    }

    #[test]
    fn predicates() {
        assert_eq!(eval("integer?", &["3.0"]), "#t");
        assert_eq!(eval("integer?", &["3/2"]), "#f");
        assert_eq!(eval("integer?", &["x"]), "#f");
        assert_eq!(eval("rational?", &["+inf.0"]), "#f");
        assert_eq!(eval("rational?", &["6/10"]), "#t");
        assert_eq!(eval("real?", &["1.5"]), "#t");
        assert_eq!(eval("number?", &["x"]), "#f");
        assert_eq!(eval("exact?", &["3.0"]), "#f");
        assert_eq!(eval("inexact?", &["3.0"]), "#t");
        assert_eq!(eval("exact-integer?", &["32"]), "#t");
        assert_eq!(eval("exact-integer?", &["32.0"]), "#f");
        assert_eq!(eval("exact-integer?", &["x"]), "#f");
        assert_eq!(eval("finite?", &["+inf.0"]), "#f");
        assert_eq!(eval("infinite?", &["-inf.0"]), "#t");
        assert_eq!(eval("nan?", &["+nan.0"]), "#t");
        assert_eq!(eval("zero?", &["-0.0"]), "#t");
        assert_eq!(eval("positive?", &["1/2"]), "#t");
        assert_eq!(eval("negative?", &["0"]), "#f");
        assert_eq!(eval("odd?", &["-3"]), "#t");
        assert_eq!(eval("even?", &["4.0"]), "#t");
        assert_eq!(eval("even?", &["1.5"]), "type: even?: argument 1: expected integer, got 1.5");
        assert_eq!(eval("exact?", &["x"]), "type: exact?: argument 1: expected number, got x");
    }

    #[test]
    fn max_and_min_are_inexact_when_any_argument_is() {
        assert_eq!(eval("max", &["3", "4"]), "4");
        assert_eq!(eval("max", &["3.9", "4"]), "4.0");
        assert_eq!(eval("min", &["1", "2.0"]), "1.0");
        assert_eq!(eval("min", &["5"]), "5");
        assert_eq!(eval("max", &["+nan.0", "1"]), "+nan.0");
    }

    type Tower1 = fn(&Number) -> Result<Number, NumError>;
    type Tower2 = fn(&Number, &Number) -> Result<Number, NumError>;

    /// Every fixnum and flonum fast path gives what the tower gives, on the edge values.
    #[test]
    fn fast_paths_agree_with_the_tower() {
        let ints = [i64::MIN, i64::MIN + 1, -1_000_003, -7, -2, -1, 0, 1, 2, 7, 16, 1_000_003, i64::MAX];
        let floats = [-0.0, 0.0, 2.5, -2.5, 3.0, -3.5, 1e300, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
        let shown = |heap: &Heap, r: BuiltinResult| match r {
            Ok(v) => to_string(heap, v, Mode::Write),
            Err(c) => format!("{}: {}", c.kind, c.message),
        };
        // Each fast path against the tower itself, through `Number`.
        let mut heap = Heap::new();
        let tower2: &[(&str, Tower2)] = &[
            ("quotient", seam_num::quotient),
            ("remainder", seam_num::remainder),
            ("modulo", seam_num::modulo),
            ("floor-quotient", seam_num::floor_div),
            ("floor-remainder", seam_num::floor_rem),
            ("truncate-quotient", seam_num::truncate_div),
            ("truncate-remainder", seam_num::truncate_rem),
            ("max", seam_num::max),
            ("min", seam_num::min),
        ];
        for &(name, tower) in tower2 {
            for &x in &ints {
                for &y in &ints {
                    let fast = call_values(&mut heap, name, &[Value::Fixnum(x), Value::Fixnum(y)]);
                    let fast = shown(&heap, fast);
                    let slow = match tower(&Number::Fixnum(x), &Number::Fixnum(y)) {
                        Ok(n) => n.to_string(),
                        Err(_) => fast.clone(),
                    };
                    assert_eq!(fast, slow, "({name} {x} {y})");
                }
            }
        }
        let tower1: &[(&str, Tower1)] = &[
            ("abs", seam_num::abs),
            ("floor", seam_num::floor),
            ("ceiling", seam_num::ceiling),
            ("truncate", seam_num::truncate),
            ("round", seam_num::round),
            ("exact", seam_num::exact),
            ("inexact", |n| Ok(seam_num::inexact(n))),
            ("sqrt", |n| Ok(seam_num::sqrt(n))),
            ("number->string", |n| Ok(n.clone())),
        ];
        let values: Vec<Value> =
            ints.iter().map(|&x| Value::Fixnum(x)).chain(floats.iter().map(|&x| Value::Flonum(x))).collect();
        for &(name, tower) in tower1 {
            for &v in &values {
                let n = to_number(&heap, v).unwrap();
                let fast = call_values(&mut heap, name, &[v]);
                let fast = shown(&heap, fast);
                let slow = match tower(&n) {
                    Ok(r) if name == "number->string" => format!("{:?}", r.to_string()),
                    Ok(r) => r.to_string(),
                    Err(_) => fast.clone(),
                };
                assert_eq!(fast, slow, "({name} {n})");
            }
        }
        for name in ["zero?", "positive?", "negative?", "odd?", "even?"] {
            for &v in &values {
                let n = to_number(&heap, v).unwrap();
                let fast = call_values(&mut heap, name, &[v]);
                let slow = match name {
                    "zero?" => Ok(n.is_zero()),
                    "positive?" => Ok(n.is_positive()),
                    "negative?" => Ok(n.is_negative()),
                    "odd?" => n.is_odd(),
                    _ => n.is_even(),
                };
                match (fast, slow) {
                    (Ok(f), Ok(s)) => assert!(f.is_eq(Value::Bool(s)), "({name} {n})"),
                    (Err(_), Err(_)) => {}
                    (f, s) => panic!(
                        "({name} {n}): fast {:?}, tower {s:?}",
                        f.map(|v| to_string(&heap, v, Mode::Write))
                    ),
                }
            }
        }
        for &b in &values {
            for p in [0, 1, 2, 3, 10, 62, 63, 64, -1, -2] {
                let base = to_number(&heap, b).unwrap();
                let fast = call_values(&mut heap, "expt", &[b, Value::Fixnum(p)]);
                let fast = shown(&heap, fast);
                let slow = match seam_num::expt(&base, &Number::Fixnum(p)) {
                    Ok(n) => n.to_string(),
                    Err(_) => fast.clone(),
                };
                assert_eq!(fast, slow, "(expt {base} {p})");
            }
        }
    }
}
