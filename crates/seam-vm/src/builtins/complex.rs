//! Builtins: R7RS's complex library (`real-part`, `imag-part`, `magnitude`, `angle`,
//! `make-rectangular`, `make-polar`) for Seam's tower, in which every number is real.
//! Constructors accept only arguments that describe a real number and report any other as
//! an error saying that non-real complex numbers are not supported.

use seam_num::Number;

use super::{simple, Builtin};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::num::{from_number, number_arg};
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[
    simple("real-part", 1, 1, |h, a| {
        number_arg(h, "real-part", 1, a[0])?;
        Ok(a[0])
    }),
    simple("imag-part", 1, 1, |h, a| {
        number_arg(h, "imag-part", 1, a[0])?;
        Ok(Value::Fixnum(0))
    }),
    simple("magnitude", 1, 1, |h, a| {
        let n = number_arg(h, "magnitude", 1, a[0])?;
        Ok(from_number(h, seam_num::abs(&n)))
    }),
    simple("angle", 1, 1, angle),
    simple("make-rectangular", 2, 2, make_rectangular),
    simple("make-polar", 2, 2, make_polar),
];

/// `(angle x)`: 0 for a non-negative real (exact when `x` is exact), pi for a negative one;
/// NaN stays NaN.
fn angle(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let n = number_arg(heap, "angle", 1, args[0])?;
    let result = match n {
        Number::Flonum(f) if f.is_nan() => Number::Flonum(f),
        Number::Flonum(f) if f.is_sign_negative() => Number::Flonum(std::f64::consts::PI),
        Number::Flonum(_) => Number::Flonum(0.0),
        exact if exact.is_negative() => Number::Flonum(std::f64::consts::PI),
        _ => Number::Fixnum(0),
    };
    Ok(from_number(heap, result))
}

fn not_supported(heap: &Heap, proc: &str, args: &[Value]) -> Condition {
    let shown: Vec<String> = args.iter().map(|&v| crate::printer::write_limited(heap, v, 60)).collect();
    Condition {
        kind: "unsupported",
        message: format!(
            "{proc}: complex numbers are not supported (the result of {} is not real)",
            shown.join(" and ")
        ),
        irritants: args.to_vec(),
    }
}

/// `(make-rectangular x1 x2)`: `x1` when the imaginary part `x2` is zero.
fn make_rectangular(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    number_arg(heap, "make-rectangular", 1, args[0])?;
    let imag = number_arg(heap, "make-rectangular", 2, args[1])?;
    if imag.is_zero() {
        Ok(args[0])
    } else {
        Err(not_supported(heap, "make-rectangular", args))
    }
}

/// `(make-polar r theta)`: `r` when the angle is zero, `(- r)` when it is exactly pi as a
/// flonum (the value `angle` gives for negative reals).
fn make_polar(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let magnitude = number_arg(heap, "make-polar", 1, args[0])?;
    let theta = number_arg(heap, "make-polar", 2, args[1])?;
    if theta.is_zero() {
        Ok(args[0])
    } else if matches!(theta, Number::Flonum(t) if t == std::f64::consts::PI) {
        Ok(from_number(heap, seam_num::neg(&seam_num::inexact(&magnitude))))
    } else {
        Err(not_supported(heap, "make-polar", args))
    }
}
