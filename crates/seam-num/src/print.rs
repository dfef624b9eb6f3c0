//! `number->string`: `Display` (radix 10) and `Number::to_string_radix`.

use crate::{Complex, Number};
use std::fmt;

impl fmt::Display for Number {
    /// The R7RS external representation in radix 10, which the reader reads back as an
    /// equal number of the same exactness: `42`, `-7/2`, `0.1`, `100.0`, `1e21`, `1.5e-7`,
    /// `-0.0`, `+inf.0`, `-inf.0`, `+nan.0`, and complex numbers as `1+2i`, `-1/2-i`,
    /// `+2.0i` (a zero real part is left out unless it is `-0.0`), `1.0+inf.0i`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Fixnum(i) => write!(f, "{i}"),
            Number::Big(b) => write!(f, "{b}"),
            Number::Rational(r) => write!(f, "{}/{}", r.numer(), r.denom()),
            Number::Flonum(x) => f.write_str(&format_flonum(*x)),
            Number::Complex(c) => f.write_str(&format_complex(c, |part| part.to_string())),
        }
    }
}

/// `re+imi`, each part written by `part`: the real part left out when it is exact zero or
/// `+0.0`, a unit imaginary part written as a bare `+i`/`-i` when exact.
fn format_complex(c: &Complex, part: impl Fn(&Number) -> String) -> String {
    let mut text = String::new();
    let zero_real = match c.re() {
        Number::Flonum(x) => *x == 0.0 && x.is_sign_positive(),
        exact => exact.is_zero(),
    };
    if !zero_real {
        text.push_str(&part(c.re()));
    }
    match c.im() {
        Number::Fixnum(1) => text.push('+'),
        Number::Fixnum(-1) => text.push('-'),
        im => {
            let im = part(im);
            if !im.starts_with(['+', '-']) {
                text.push('+');
            }
            text.push_str(&im);
        }
    }
    text.push('i');
    text
}

impl Number {
    /// `(number->string n radix)`. Exact numbers print in any radix from 2 to 36 with
    /// lowercase digits (`255` in radix 16 is `ff`, `-1/2` in radix 2 is `-1/10`), without
    /// a `#x`-style prefix. A finite flonum in a radix other than 10 prints as its exact
    /// value with an `#i` prefix (`0.5` in radix 2 is `#i1/10`), which `string->number`
    /// in that radix reads back as the same flonum, as R7RS requires (an inexact complex
    /// number likewise, with one `#i` for both parts: `#i1/10+11i`); a radix outside
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
                Some(_) => format!("#i{}", flonum_in_radix(*x, radix)),
                None => format_flonum(*x),
            },
            Number::Complex(c) if self.is_exact() => format_complex(c, |part| part.to_string_radix(radix)),
            Number::Complex(c) => {
                let parts = |part: &Number| flonum_in_radix(part.to_f64(), radix);
                format!("#i{}", format_complex(c, parts))
            }
        }
    }
}

/// A flonum in a radix other than 10, without the `#i` that makes it read back inexact:
/// its exact value when finite (`-0` for `-0.0`), else `+inf.0`, `-inf.0` or `+nan.0`.
fn flonum_in_radix(x: f64, radix: u32) -> String {
    match crate::convert::float_to_exact(x) {
        Some(_) if x == 0.0 && x.is_sign_negative() => "-0".to_owned(),
        Some(exact) => exact.to_string_radix(radix),
        None => format_flonum(x),
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
