//! `number->string`: `Display` (radix 10) and `Number::to_string_radix`.

use crate::Number;
use std::fmt;

impl fmt::Display for Number {
    /// The R7RS external representation in radix 10, which the reader reads back as an
    /// equal number of the same exactness: `42`, `-7/2`, `0.1`, `100.0`, `1e21`, `1.5e-7`,
    /// `-0.0`, `+inf.0`, `-inf.0`, `+nan.0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Fixnum(i) => write!(f, "{i}"),
            Number::Big(b) => write!(f, "{b}"),
            Number::Rational(r) => write!(f, "{}/{}", r.numer(), r.denom()),
            Number::Flonum(x) => f.write_str(&format_flonum(*x)),
        }
    }
}

impl Number {
    /// `(number->string n radix)`. Exact numbers print in any radix from 2 to 36 with
    /// lowercase digits (`255` in radix 16 is `ff`, `-1/2` in radix 2 is `-1/10`), without
    /// a `#x`-style prefix. A finite flonum in a radix other than 10 prints as its exact
    /// value with an `#i` prefix (`0.5` in radix 2 is `#i1/10`), which `string->number`
    /// in that radix reads back as the same flonum, as R7RS requires; a radix outside
    /// 2..=36 means radix 10.
    pub fn to_string_radix(&self, radix: u32) -> String {
        if radix == 10 || !(2..=36).contains(&radix) {
            return self.to_string();
        }
        match self {
            Number::Fixnum(i) => fixnum_in_radix(*i, radix),
            Number::Big(b) => b.to_str_radix(radix),
            Number::Rational(r) => {
                format!("{}/{}", r.numer().to_str_radix(radix), r.denom().to_str_radix(radix))
            }
            Number::Flonum(x) => match crate::convert::float_to_exact(*x) {
                Some(_) if *x == 0.0 && x.is_sign_negative() => "#i-0".to_owned(),
                Some(exact) => format!("#i{}", exact.to_string_radix(radix)),
                None => format_flonum(*x),
            },
        }
    }
}

fn fixnum_in_radix(i: i64, radix: u32) -> String {
    let sign = if i < 0 { "-" } else { "" };
    let magnitude = i.unsigned_abs();
    match radix {
        2 => format!("{sign}{magnitude:b}"),
        8 => format!("{sign}{magnitude:o}"),
        16 => format!("{sign}{magnitude:x}"),
        _ => num_bigint::BigInt::from(i).to_str_radix(radix),
    }
}

/// The shortest text that reads back as exactly `x`, always with a `.` or an exponent so
/// that it reads back inexact.
fn format_flonum(x: f64) -> String {
    if x.is_nan() {
        return "+nan.0".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "+inf.0" } else { "-inf.0" }.to_owned();
    }
    // Rust's `Debug` for f64 prints the shortest round-trip digits, switching to
    // exponent form (`1e21`, `1.5e-7`) for very large and very small magnitudes.
    let mut text = format!("{x:?}");
    if !text.contains(['.', 'e', 'E']) {
        text.push_str(".0");
    }
    text
}
