//! Builtins: R7RS's complex library (`make-rectangular`, `make-polar`, `real-part`,
//! `imag-part`, `magnitude`, `angle`) over `seam-num`'s complex numbers.

use seam_num::{NumError, Number};

use super::{simple, Builtin};
use crate::error::BuiltinResult;
use crate::heap::Heap;
use crate::num::{check_work, from_number, number_arg, real_arg, Work};
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[
    simple("real-part", 1, 1, |h, a| unary(h, "real-part", a, seam_num::real_part)),
    simple("imag-part", 1, 1, |h, a| unary(h, "imag-part", a, seam_num::imag_part)),
    simple("magnitude", 1, 1, |h, a| {
        // An exact magnitude is the square root of `re² + im²`: bounded like `sqrt`.
        let z = number_arg(h, "magnitude", 1, a[0])?;
        check_work(h, "magnitude", Work::Sqrt, &z, &z)?;
        Ok(from_number(h, seam_num::magnitude(&z)))
    }),
    simple("angle", 1, 1, |h, a| unary(h, "angle", a, seam_num::angle)),
    simple("make-rectangular", 2, 2, |h, a| from_reals(h, "make-rectangular", a, seam_num::make_rectangular)),
    simple("make-polar", 2, 2, |h, a| from_reals(h, "make-polar", a, seam_num::make_polar)),
];

fn unary(heap: &mut Heap, proc: &str, args: &[Value], f: fn(&Number) -> Number) -> BuiltinResult {
    let z = number_arg(heap, proc, 1, args[0])?;
    Ok(from_number(heap, f(&z)))
}

/// A complex number from two real arguments.
fn from_reals(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    f: fn(&Number, &Number) -> Result<Number, NumError>,
) -> BuiltinResult {
    let x = real_arg(heap, proc, 1, args[0])?;
    let y = real_arg(heap, proc, 2, args[1])?;
    // Both arguments are real, the only way these can fail.
    let z = f(&x, &y).unwrap_or(Number::Flonum(f64::NAN));
    Ok(from_number(heap, z))
}
