//! The numeric builtins beyond arithmetic and comparison: integer division, `gcd`/`lcm`,
//! rounding, transcendental functions, exactness conversions and `number->string` /
//! `string->number`. Part of `numbers.rs` (its table names these functions).

use seam_num::{NumError, Number};

use super::{integer_arg, num_error, two_values};
use crate::builtins::{index_arg, wrong};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::num::{check_work, from_number, number_arg, Work};
use crate::value::Value;

/// A function of one number.
pub(super) fn unary(heap: &mut Heap, proc: &str, args: &[Value], f: fn(&Number) -> Number) -> BuiltinResult {
    let n = number_arg(heap, proc, 1, args[0])?;
    Ok(from_number(heap, f(&n)))
}

/// A function of one number that can fail (`exact`, `numerator`, ...).
pub(super) fn unary_try(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    f: fn(&Number) -> Result<Number, NumError>,
) -> BuiltinResult {
    let n = number_arg(heap, proc, 1, args[0])?;
    let result = f(&n).map_err(|e| num_error(heap, proc, args, e))?;
    Ok(from_number(heap, result))
}

type Division = fn(&Number, &Number) -> Result<Number, NumError>;
type DivisionValues = fn(&Number, &Number) -> Result<(Number, Number), NumError>;

/// The two integer arguments of a division.
fn integer_pair(heap: &Heap, proc: &str, args: &[Value]) -> Result<(Number, Number), Condition> {
    Ok((integer_arg(heap, proc, 1, args[0])?, integer_arg(heap, proc, 2, args[1])?))
}

/// `quotient`, `floor-remainder`, ...: two integer arguments.
pub(super) fn division(heap: &mut Heap, proc: &str, args: &[Value], f: Division) -> BuiltinResult {
    let (a, b) = integer_pair(heap, proc, args)?;
    check_work(heap, proc, Work::Quotient, &a, &b)?;
    let result = f(&a, &b).map_err(|e| num_error(heap, proc, args, e))?;
    Ok(from_number(heap, result))
}

/// `floor/` and `truncate/`: quotient and remainder as two values.
pub(super) fn division_values(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    f: DivisionValues,
) -> BuiltinResult {
    let (a, b) = integer_pair(heap, proc, args)?;
    check_work(heap, proc, Work::Quotient, &a, &b)?;
    let (q, r) = f(&a, &b).map_err(|e| num_error(heap, proc, args, e))?;
    Ok(two_values(heap, q, r))
}

/// `gcd` and `lcm` over any number of integers; `identity` with none.
pub(super) fn gcd_lcm(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    identity: i64,
    f: Division,
) -> BuiltinResult {
    let mut acc = Number::Fixnum(identity);
    for (i, &v) in args.iter().enumerate() {
        let n = integer_arg(heap, proc, i + 1, v)?;
        check_work(heap, proc, Work::Gcd, &acc, &n)?;
        // A lone argument still goes through `f`, so `(gcd -4)` is 4.
        acc = f(&acc, &n).map_err(|e| num_error(heap, proc, args, e))?;
    }
    Ok(from_number(heap, acc))
}

/// A function of two numbers that can fail (`expt`, ...).
fn binary_try(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    f: fn(&Number, &Number) -> Result<Number, NumError>,
) -> BuiltinResult {
    let x = number_arg(heap, proc, 1, args[0])?;
    let y = number_arg(heap, proc, 2, args[1])?;
    let result = f(&x, &y).map_err(|e| num_error(heap, proc, args, e))?;
    Ok(from_number(heap, result))
}

/// A function of one number, or of two when the optional second argument is given.
fn unary_or_binary(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    one: fn(&Number) -> Number,
    two: fn(&Number, &Number) -> Result<Number, NumError>,
) -> BuiltinResult {
    let x = number_arg(heap, proc, 1, args[0])?;
    let result = match args.get(1) {
        Some(&y) => two(&x, &number_arg(heap, proc, 2, y)?).map_err(|e| num_error(heap, proc, args, e))?,
        None => one(&x),
    };
    Ok(from_number(heap, result))
}

pub(super) fn rationalize(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    binary_try(heap, "rationalize", args, seam_num::rationalize)
}

/// `(log z)` or `(log z base)`.
pub(super) fn log(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    unary_or_binary(heap, "log", args, seam_num::log, |z, base| Ok(seam_num::log_base(z, base)))
}

/// `(atan z)` or `(atan y x)` (`y` and `x` real).
pub(super) fn atan(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    unary_or_binary(heap, "atan", args, seam_num::atan, seam_num::atan2)
}

pub(super) fn exact_integer_sqrt(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let n = number_arg(heap, "exact-integer-sqrt", 1, args[0])?;
    if !n.is_exact_integer() || n.is_negative() {
        return Err(wrong(heap, "exact-integer-sqrt", 1, "non-negative exact integer", args[0]));
    }
    check_work(heap, "exact-integer-sqrt", Work::Sqrt, &n, &n)?;
    let (s, r) =
        seam_num::exact_integer_sqrt(&n).map_err(|e| num_error(heap, "exact-integer-sqrt", args, e))?;
    Ok(two_values(heap, s, r))
}

/// `(sqrt z)`: an exact square root is tried first for exact arguments, so it is bounded
/// like `exact-integer-sqrt` under limits.
pub(super) fn sqrt(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    match args[0] {
        Value::Fixnum(x) if x >= 0 => {
            let root = num_integer::Roots::sqrt(&x);
            return Ok(if root * root == x { Value::Fixnum(root) } else { Value::Flonum((x as f64).sqrt()) });
        }
        Value::Flonum(x) if x >= 0.0 || x.is_nan() => return Ok(Value::Flonum(x.sqrt())),
        _ => {}
    }
    let n = number_arg(heap, "sqrt", 1, args[0])?;
    check_work(heap, "sqrt", Work::Sqrt, &n, &n)?;
    Ok(from_number(heap, seam_num::sqrt(&n)))
}

/// `(expt base power)`. Under limits an exact result is refused past
/// [`MAX_EXPT_RESULT_BITS`](crate::num::MAX_EXPT_RESULT_BITS) (estimated from the
/// operands' sizes before computing), and an exact root (a ratio power) of a base past
/// [`MAX_SQRT_BITS`](crate::num::MAX_SQRT_BITS); `seam-num` alone allows 2^24 bits.
pub(super) fn expt(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    match (args[0], args[1]) {
        (Value::Fixnum(b), Value::Fixnum(p)) => {
            if let Some(r) = u32::try_from(p).ok().and_then(|p| b.checked_pow(p)) {
                return Ok(Value::Fixnum(r));
            }
        }
        // A flonum base to an integer power: `powf`, as the tower computes it.
        (Value::Flonum(b), Value::Fixnum(p)) => return Ok(Value::Flonum(b.powf(p as f64))),
        _ => {}
    }
    let base = number_arg(heap, "expt", 1, args[0])?;
    let power = number_arg(heap, "expt", 2, args[1])?;
    if heap.watch.bounded() && base.is_exact() && power.is_exact() {
        use crate::num::{MAX_EXPT_RESULT_BITS, MAX_SQRT_BITS};
        let estimate = match &power {
            Number::Rational(_) if base.bits() > MAX_SQRT_BITS => u64::MAX,
            // 0, 1 and -1 to any power are small (but not 1+i).
            _ if base.is_real() && base.bits() <= 1 => 0,
            // About `log2|base| × |power|` (saturating: `as` from f64 does); `bits` for a
            // base past the flonum range or a rational.
            _ => {
                let log2 = match base.to_f64().abs().log2() {
                    l if l.is_finite() && base.is_integer() => l,
                    _ => base.bits() as f64,
                };
                (log2 * power.to_f64().abs()) as u64
            }
        };
        if estimate > MAX_EXPT_RESULT_BITS {
            return Err(Condition::new(
                "range",
                format!(
                    "expt: the exact result would be too large to compute under the evaluation's \
                     limits (at most {MAX_EXPT_RESULT_BITS} bits)"
                ),
            ));
        }
    }
    let result = seam_num::expt(&base, &power).map_err(|e| num_error(heap, "expt", args, e))?;
    Ok(from_number(heap, result))
}

/// The optional radix argument at `args[1]`: 2, 8, 10 or 16.
fn radix_arg(heap: &Heap, proc: &str, args: &[Value]) -> Result<u32, Condition> {
    match args.get(1) {
        None => Ok(10),
        Some(&v) => match index_arg(heap, proc, 2, v)? {
            r @ (2 | 8 | 10 | 16) => Ok(r as u32),
            _ => Err(Condition::out_of_range(heap, proc, 2, v, " (the radix must be 2, 8, 10 or 16)")),
        },
    }
}

pub(super) fn number_to_string(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    if let [Value::Fixnum(x)] | [Value::Fixnum(x), Value::Fixnum(10)] = args {
        return Ok(heap.string(&x.to_string()));
    }
    let n = number_arg(heap, "number->string", 1, args[0])?;
    let radix = radix_arg(heap, "number->string", args)?;
    // Radix 2, 8 and 16 are linear; radix 10 is not (see `num.rs`).
    if radix == 10 && heap.watch.bounded() && n.is_exact() && n.bits() > crate::num::MAX_TEXT_BITS {
        return Err(crate::num::number_text_too_long("number->string", n.bits()));
    }
    Ok(heap.string(&n.to_string_radix(radix)))
}

pub(super) fn string_to_number(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let Some(text) = heap.string_value(args[0]) else {
        return Err(wrong(heap, "string->number", 1, "string", args[0]));
    };
    let radix = radix_arg(heap, "string->number", args)?;
    if heap.watch.bounded() && text.len() > crate::num::MAX_NUMBER_TEXT {
        return Err(Condition::new(
            "range",
            format!(
                "string->number: a text of {} characters is too long to convert under the \
                 evaluation's limits (at most {})",
                text.len(),
                crate::num::MAX_NUMBER_TEXT
            ),
        ));
    }
    Ok(match seam_syntax::parse_number(&text, radix) {
        Some(n) => from_number(heap, n),
        None => Value::FALSE,
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call_values, eval};
    use crate::heap::Heap;
    use crate::printer::{to_string, Mode};
    use crate::value::Value;

    #[test]
    fn integer_division_r7rs_examples() {
        assert_eq!(eval("floor/", &["5", "2"]), "2 1");
        assert_eq!(eval("floor/", &["-5", "2"]), "-3 1");
        assert_eq!(eval("floor/", &["5", "-2"]), "-3 -1");
        assert_eq!(eval("floor/", &["-5", "-2"]), "2 -1");
        assert_eq!(eval("truncate/", &["5", "2"]), "2 1");
        assert_eq!(eval("truncate/", &["-5", "2"]), "-2 -1");
        assert_eq!(eval("truncate/", &["5", "-2"]), "-2 1");
        assert_eq!(eval("truncate/", &["-5", "-2"]), "2 -1");
        assert_eq!(eval("truncate/", &["-5.0", "2"]), "-2.0 -1.0");
        assert_eq!(eval("floor-quotient", &["-7", "2"]), "-4");
        assert_eq!(eval("floor-remainder", &["-7", "2"]), "1");
        assert_eq!(eval("truncate-quotient", &["-7", "2"]), "-3");
        assert_eq!(eval("truncate-remainder", &["-7", "2"]), "-1");
        assert_eq!(eval("modulo", &["13", "-4"]), "-3");
        assert_eq!(eval("remainder", &["-13", "4"]), "-1");
        assert_eq!(eval("remainder", &["-13", "-4.0"]), "-1.0");
        assert_eq!(eval("quotient", &["17", "5"]), "3");
    }

    #[test]
    fn integer_division_errors() {
        assert_eq!(eval("quotient", &["1", "0"]), "arithmetic: quotient: division by zero");
        assert_eq!(eval("floor/", &["1", "0"]), "arithmetic: floor/: division by zero");
        assert_eq!(eval("modulo", &["1.5", "2"]), "type: modulo: argument 1: expected integer, got 1.5");
        assert_eq!(eval("remainder", &["1", "x"]), "type: remainder: argument 2: expected integer, got x");
    }

    #[test]
    fn gcd_lcm_numerator_denominator() {
        assert_eq!(eval("gcd", &["32", "-36"]), "4");
        assert_eq!(eval("gcd", &[]), "0");
        assert_eq!(eval("gcd", &["-4"]), "4");
        assert_eq!(eval("lcm", &["32", "-36"]), "288");
        assert_eq!(eval("lcm", &["32.0", "-36"]), "288.0");
        assert_eq!(eval("lcm", &[]), "1");
        assert_eq!(eval("gcd", &["4", "1/2"]), "type: gcd: argument 2: expected integer, got 1/2");
        assert_eq!(eval("numerator", &["6/4"]), "3");
        assert_eq!(eval("denominator", &["6/4"]), "2");
        assert_eq!(eval("denominator", &["0.5"]), "2.0");
        assert_eq!(eval("numerator", &["+inf.0"]), "range: numerator: argument 1: +inf.0 has no exact value");
    }

    #[test]
    fn rounding_and_rationalize() {
        assert_eq!(eval("floor", &["-4.3"]), "-5.0");
        assert_eq!(eval("ceiling", &["-4.3"]), "-4.0");
        assert_eq!(eval("truncate", &["-4.3"]), "-4.0");
        assert_eq!(eval("round", &["-4.3"]), "-4.0");
        assert_eq!(eval("round", &["3.5"]), "4.0");
        assert_eq!(eval("round", &["7/2"]), "4");
        assert_eq!(eval("round", &["7"]), "7");
        assert_eq!(eval("rationalize", &["3/10", "1/10"]), "1/3");
        assert_eq!(eval("rationalize", &[".3", "1/10"]), "0.3333333333333333");
    }

    #[test]
    fn transcendental_and_powers() {
        assert_eq!(eval("exp", &["0"]), "1.0");
        assert_eq!(eval("log", &["1"]), "0.0");
        assert_eq!(eval("log", &["8", "2"]), "3.0");
        assert_eq!(eval("atan", &["1", "1"]), format!("{:?}", std::f64::consts::FRAC_PI_4));
        assert_eq!(eval("sin", &["0.0"]), "0.0");
        assert_eq!(eval("square", &["42"]), "1764");
        assert_eq!(eval("square", &["2.0"]), "4.0");
        assert_eq!(eval("sqrt", &["9"]), "3");
        assert_eq!(eval("sqrt", &["2.0"]), format!("{:?}", 2f64.sqrt()));
        assert_eq!(eval("exact-integer-sqrt", &["4"]), "2 0");
        assert_eq!(eval("exact-integer-sqrt", &["5"]), "2 1");
        assert_eq!(
            eval("exact-integer-sqrt", &["-1"]),
            "type: exact-integer-sqrt: argument 1: expected non-negative exact integer, got -1"
        );
        assert_eq!(eval("expt", &["2", "10"]), "1024");
        assert_eq!(eval("expt", &["2", "-2"]), "1/4");
        assert_eq!(eval("expt", &["0", "0"]), "1");
        assert_eq!(eval("expt", &["0", "-1"]), "arithmetic: expt: division by zero");
        assert_eq!(eval("expt", &["4", "0.5"]), "2.0");
    }

    #[test]
    fn exactness_conversions() {
        assert_eq!(eval("exact", &["2.5"]), "5/2");
        assert_eq!(eval("exact", &["2.0"]), "2");
        assert_eq!(eval("inexact", &["1/3"]), "0.3333333333333333");
        assert_eq!(eval("exact->inexact", &["1/2"]), "0.5");
        assert_eq!(eval("inexact->exact", &["0.25"]), "1/4");
        assert_eq!(eval("exact", &["+inf.0"]), "range: exact: argument 1: +inf.0 has no exact value");
        assert_eq!(eval("exact", &["+nan.0"]), "range: exact: argument 1: +nan.0 has no exact value");
        assert_eq!(eval("exact", &["x"]), "type: exact: argument 1: expected number, got x");
    }

    #[test]
    fn number_string_conversions_round_trip_in_every_radix() {
        let mut heap = Heap::new();
        for radix in [2, 8, 10, 16] {
            for text in ["0", "255", "-255", "123456789012345678901234567890", "-7/3"] {
                let n = match seam_syntax::parse_number(text, 10) {
                    Some(n) => crate::num::from_number(&mut heap, n),
                    None => panic!("bad literal {text}"),
                };
                let shown = call_values(&mut heap, "number->string", &[n, Value::Fixnum(radix)]).unwrap();
                let back = call_values(&mut heap, "string->number", &[shown, Value::Fixnum(radix)]).unwrap();
                assert!(crate::builtins::eqv(&heap, n, back), "{text} in radix {radix}");
            }
        }
        assert_eq!(eval("number->string", &["255", "16"]), "\"ff\"");
        assert_eq!(eval("number->string", &["1.5"]), "\"1.5\"");
        assert_eq!(
            eval("number->string", &["255", "7"]),
            "range: number->string: argument 2: 7 is out of range (the radix must be 2, 8, 10 or 16)"
        );
        assert_eq!(eval("string->number", &["\"100\""]), "100");
        assert_eq!(eval("string->number", &["\"100\"", "16"]), "256");
        assert_eq!(eval("string->number", &["\"1e2\""]), "100.0");
        assert_eq!(eval("string->number", &["\"#x1F\""]), "31");
        assert_eq!(eval("string->number", &["\"abc\""]), "#f");
        assert_eq!(eval("string->number", &["\"\""]), "#f");
        let s = heap.string("12");
        let v = call_values(&mut heap, "string->number", &[s, Value::Fixnum(8)]).unwrap();
        assert_eq!(to_string(&heap, v, Mode::Write), "10");
        assert!(call_values(&mut heap, "string->number", &[Value::Fixnum(1)]).is_err());
    }
}
