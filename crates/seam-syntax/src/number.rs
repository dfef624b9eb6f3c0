//! R7RS number syntax: radix and exactness prefixes, integers, decimals (with the exponent
//! markers `e`, `s`, `f`, `d` and `l`), rationals, `+inf.0`/`+nan.0`, and complex numbers
//! in rectangular (`1+2i`, `-i`, `+inf.0i`) and polar (`1@2`) form.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};
use seam_num::Number;

/// Largest decimal exponent an exact (`#e`) decimal may scale by; beyond it the literal
/// is refused rather than building an enormous integer.
const MAX_EXACT_EXPONENT: u64 = 100_000;

/// Why a token is not a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// Not number syntax at all (may be a symbol).
    NotNumber,
    /// Number syntax whose value cannot be made: `1/0`, `#e+inf.0`, a huge `#e` exponent.
    Invalid,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Exactness {
    Default,
    Exact,
    Inexact,
}

/// Parses `text` as an R7RS number, using `default_radix` (2, 8, 10 or 16) unless a
/// `#x`/`#o`/`#b`/`#d` prefix says otherwise. Returns `None` for anything that is not a
/// number and for number syntax without a value (`1/0`).
pub fn parse_number(text: &str, default_radix: u32) -> Option<Number> {
    classify_number(text, default_radix).ok()
}

/// Like [`parse_number`] but says why the text is not a number.
pub(crate) fn classify_number(text: &str, default_radix: u32) -> Result<Number, NumberError> {
    if !matches!(default_radix, 2 | 8 | 10 | 16) {
        return Err(NumberError::NotNumber);
    }
    let (radix, exactness, body) = split_prefixes(text, default_radix)?;
    parse_complex(body, radix, exactness)
}

/// A real number, `real@real` (polar), or `[real]±[ureal]i` (rectangular: `1+2i`, `+2i`,
/// `1-i`, `-i`, `1+inf.0i`), with the prefixes already taken off. A bare `2i` is not a
/// number. The exactness prefix applies to the whole number (`#i+i` is `+1.0i`).
fn parse_complex(text: &str, radix: u32, exactness: Exactness) -> Result<Number, NumberError> {
    if let Some((magnitude, angle)) = text.split_once('@') {
        let magnitude = parse_real(magnitude, radix, exactness)?;
        let angle = parse_real(angle, radix, exactness)?;
        let polar = seam_num::make_polar(&magnitude, &angle).map_err(|_| NumberError::Invalid)?;
        return with_exactness(polar, exactness);
    }
    match parse_real(text, radix, exactness) {
        Err(NumberError::NotNumber) => {}
        real => return real,
    }
    let core = text.strip_suffix(['i', 'I']).ok_or(NumberError::NotNumber)?;
    // The imaginary part starts at the last sign that is not an exponent's sign.
    let bytes = core.as_bytes();
    let split = (0..bytes.len())
        .rev()
        .find(|&at| {
            matches!(bytes[at], b'+' | b'-')
                && !(radix == 10 && at > 0 && EXPONENT_MARKERS.contains(&char::from(bytes[at - 1])))
        })
        .ok_or(NumberError::NotNumber)?;
    let (real, imaginary) = core.split_at(split);
    let imaginary = match imaginary {
        "+" => Number::Fixnum(1),
        "-" => Number::Fixnum(-1),
        signed => parse_real(signed, radix, exactness)?,
    };
    let real = if real.is_empty() { Number::Fixnum(0) } else { parse_real(real, radix, exactness)? };
    with_exactness(Number::rectangular(real, imaginary), exactness)
}

/// `n` made exact or inexact as the prefix says; `Invalid` for `#e` of an infinity or NaN.
fn with_exactness(n: Number, exactness: Exactness) -> Result<Number, NumberError> {
    match exactness {
        Exactness::Default => Ok(n),
        Exactness::Exact => seam_num::exact(&n).map_err(|_| NumberError::Invalid),
        Exactness::Inexact => Ok(seam_num::inexact(&n)),
    }
}

/// Strips up to one radix and one exactness prefix, in either order.
fn split_prefixes(text: &str, default_radix: u32) -> Result<(u32, Exactness, &str), NumberError> {
    let mut radix = None;
    let mut exactness = Exactness::Default;
    let mut rest = text;
    while let Some(after_hash) = rest.strip_prefix('#') {
        let mut chars = after_hash.chars();
        let letter = chars.next().ok_or(NumberError::NotNumber)?;
        match letter.to_ascii_lowercase() {
            'x' | 'o' | 'b' | 'd' if radix.is_none() => {
                radix = Some(match letter.to_ascii_lowercase() {
                    'x' => 16,
                    'o' => 8,
                    'b' => 2,
                    _ => 10,
                });
            }
            'e' if exactness == Exactness::Default => exactness = Exactness::Exact,
            'i' if exactness == Exactness::Default => exactness = Exactness::Inexact,
            _ => return Err(NumberError::NotNumber),
        }
        rest = chars.as_str();
    }
    Ok((radix.unwrap_or(default_radix), exactness, rest))
}

fn split_sign(text: &str) -> (bool, bool, &str) {
    if let Some(rest) = text.strip_prefix('+') {
        (true, false, rest)
    } else if let Some(rest) = text.strip_prefix('-') {
        (true, true, rest)
    } else {
        (false, false, text)
    }
}

fn all_digits(text: &str, radix: u32) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_digit(radix))
}

/// Parses validated digits (no sign, no underscores) as an unsigned big integer.
fn digits_to_bigint(digits: &str, radix: u32) -> BigInt {
    if digits.len() <= 15 {
        if let Ok(small) = i64::from_str_radix(digits, radix) {
            return BigInt::from(small);
        }
    }
    BigInt::parse_bytes(digits.as_bytes(), radix).unwrap_or_default()
}

fn flonum(value: f64, negative: bool) -> Number {
    Number::Flonum(if negative { -value } else { value })
}

fn parse_real(text: &str, radix: u32, exactness: Exactness) -> Result<Number, NumberError> {
    let (signed, negative, body) = split_sign(text);
    if body.is_empty() {
        return Err(NumberError::NotNumber);
    }
    if signed {
        let special = if body.eq_ignore_ascii_case("inf.0") {
            Some(f64::INFINITY)
        } else if body.eq_ignore_ascii_case("nan.0") {
            Some(f64::NAN)
        } else {
            None
        };
        if let Some(value) = special {
            return match exactness {
                Exactness::Exact => Err(NumberError::Invalid),
                _ => Ok(flonum(value, negative)),
            };
        }
    }
    if let Some((numer, denom)) = body.split_once('/') {
        return parse_ratio(numer, denom, negative, radix, exactness);
    }
    if all_digits(body, radix) {
        let n = digits_to_bigint(body, radix);
        return Ok(match exactness {
            Exactness::Inexact if radix == 10 => {
                flonum(body.parse::<f64>().unwrap_or(f64::INFINITY), negative)
            }
            Exactness::Inexact => flonum(n.to_f64().unwrap_or(f64::INFINITY), negative),
            _ => Number::from_bigint(if negative { -n } else { n }),
        });
    }
    if radix == 10 {
        return parse_decimal(body, negative, exactness);
    }
    Err(NumberError::NotNumber)
}

fn parse_ratio(
    numer: &str,
    denom: &str,
    negative: bool,
    radix: u32,
    exactness: Exactness,
) -> Result<Number, NumberError> {
    if !all_digits(numer, radix) || !all_digits(denom, radix) {
        return Err(NumberError::NotNumber);
    }
    let n = digits_to_bigint(numer, radix);
    let d = digits_to_bigint(denom, radix);
    if d.is_zero() {
        return Err(NumberError::Invalid);
    }
    let ratio = BigRational::new(if negative { -n } else { n }, d);
    Ok(match exactness {
        Exactness::Inexact => {
            let value = ratio.to_f64().unwrap_or(f64::NAN);
            // Keep the sign of a negative zero numerator, as `-0.0` would.
            if value == 0.0 && negative {
                Number::Flonum(-0.0)
            } else {
                Number::Flonum(value)
            }
        }
        _ => Number::from_ratio(ratio),
    })
}

/// The exponent markers of decimal numbers: R7RS's `e`, and the R5RS/R6RS precision
/// markers `s`, `f`, `d` and `l` (short, single, double, long), which read as `e` does, as
/// chibi, Chez, Gauche and Racket read them (every flonum is a double here).
const EXPONENT_MARKERS: [char; 10] = ['e', 'E', 's', 'S', 'f', 'F', 'd', 'D', 'l', 'L'];

/// `digits [. digits] [marker [sign] digits]` with at least one mantissa digit, in radix
/// 10 (see [`EXPONENT_MARKERS`]).
fn parse_decimal(body: &str, negative: bool, exactness: Exactness) -> Result<Number, NumberError> {
    let (mantissa, exponent) = match body.find(EXPONENT_MARKERS) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((int_part, frac_part)) => (int_part, frac_part),
        None => (mantissa, ""),
    };
    let digits_ok = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty()) || !digits_ok(int_part) || !digits_ok(frac_part) {
        return Err(NumberError::NotNumber);
    }
    let exponent_text = match exponent {
        Some(text) => {
            let (_, _, exp_digits) = split_sign(text);
            if !all_digits(exp_digits, 10) {
                return Err(NumberError::NotNumber);
            }
            text
        }
        None => "0",
    };
    if exactness != Exactness::Exact {
        let int_part = if int_part.is_empty() { "0" } else { int_part };
        let frac_part = if frac_part.is_empty() { "0" } else { frac_part };
        let cleaned = format!("{int_part}.{frac_part}e{exponent_text}");
        return cleaned.parse::<f64>().map(|value| flonum(value, negative)).map_err(|_| NumberError::Invalid);
    }
    // Exact: the value is (int_part frac_part) * 10^(exponent - frac_part.len()).
    let all_mantissa = format!("{int_part}{frac_part}");
    let mantissa_value = digits_to_bigint(&all_mantissa, 10);
    let mantissa_value = if negative { -mantissa_value } else { mantissa_value };
    if mantissa_value.is_zero() {
        return Ok(Number::Fixnum(0));
    }
    let exponent: i64 = exponent_text.parse().map_err(|_| NumberError::Invalid)?;
    let scale = i64::try_from(frac_part.len())
        .ok()
        .and_then(|len| exponent.checked_sub(len))
        .ok_or(NumberError::Invalid)?;
    if scale.unsigned_abs() > MAX_EXACT_EXPONENT {
        return Err(NumberError::Invalid);
    }
    let power = num_traits::pow(BigInt::from(10), scale.unsigned_abs() as usize);
    if scale >= 0 {
        Ok(Number::from_bigint(mantissa_value * power))
    } else {
        Ok(Number::from_ratio(BigRational::new(mantissa_value, power)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str) -> String {
        match parse_number(text, 10) {
            Some(Number::Fixnum(n)) => n.to_string(),
            Some(Number::Big(n)) => n.to_string(),
            Some(Number::Rational(r)) => r.to_string(),
            Some(Number::Flonum(f)) => format!("{f:?}"),
            Some(complex) => complex.to_string(),
            None => "none".to_string(),
        }
    }

    #[test]
    fn integers_and_prefixes() {
        assert_eq!(exact("42"), "42");
        assert_eq!(exact("-17"), "-17");
        assert_eq!(exact("+5"), "5");
        assert_eq!(exact("#x1F"), "31");
        assert_eq!(exact("#X1f"), "31");
        assert_eq!(exact("#b-101"), "-5");
        assert_eq!(exact("#o17"), "15");
        assert_eq!(exact("#d99"), "99");
        assert_eq!(exact("#e#x10"), "16");
        assert_eq!(exact("#x#e10"), "16");
        assert_eq!(exact("#x#x10"), "none");
        assert_eq!(exact("#e#i10"), "none");
        assert_eq!(exact("#x1G"), "none");
        assert_eq!(exact("#b2"), "none");
        assert_eq!(exact("1_000"), "none");
        assert_eq!(exact("#z1"), "none");
        assert_eq!(exact("#x"), "none");
    }

    #[test]
    fn decimals() {
        assert_eq!(exact("1.5"), "1.5");
        assert_eq!(exact(".5"), "0.5");
        assert_eq!(exact("5."), "5.0");
        assert_eq!(exact("1e10"), "10000000000.0");
        assert_eq!(exact("-2.5e10"), "-25000000000.0");
        assert_eq!(exact("1E3"), "1000.0");
        assert_eq!(exact("1e-3"), "0.001");
        assert_eq!(exact("-0.0"), "-0.0");
        assert_eq!(exact("0.1"), "0.1");
        assert_eq!(exact("1e400"), "inf");
        assert_eq!(exact("1e99999999999999999999"), "inf");
        assert_eq!(exact("."), "none");
        assert_eq!(exact("1.2.3"), "none");
        assert_eq!(exact("1e"), "none");
        assert_eq!(exact("e1"), "none");
        assert_eq!(exact("#x1.5"), "none");
        assert_eq!(exact("#b1e1"), "none");
    }

    #[test]
    fn exactness() {
        assert_eq!(exact("#e1.5"), "3/2");
        assert_eq!(exact("#e-0.125"), "-1/8");
        assert_eq!(exact("#e1e3"), "1000");
        assert_eq!(exact("#e1.23e1"), "123/10");
        assert_eq!(exact("#e1e400"), format!("1{}", "0".repeat(400)));
        assert_eq!(exact("#e1e-2"), "1/100");
        assert_eq!(exact("#e0e99999999999"), "0");
        assert_eq!(exact("#e1e99999999999"), "none");
        assert_eq!(exact("#i3"), "3.0");
        assert_eq!(exact("#i-0"), "-0.0");
        assert_eq!(exact("#i1/3"), format!("{:?}", 1.0f64 / 3.0));
        assert_eq!(exact("#i#x10"), "16.0");
        assert_eq!(exact("#e+inf.0"), "none");
    }

    #[test]
    fn rationals() {
        assert_eq!(exact("1/3"), "1/3");
        assert_eq!(exact("-7/2"), "-7/2");
        assert_eq!(exact("4/2"), "2");
        assert_eq!(exact("#x-a/f"), "-2/3");
        assert_eq!(exact("1/0"), "none");
        assert_eq!(exact("1/"), "none");
        assert_eq!(exact("/2"), "none");
        assert_eq!(exact("1/2/3"), "none");
        assert_eq!(exact("1.5/2"), "none");
        assert!(matches!(parse_number("2/4", 10), Some(Number::Rational(_))));
        assert!(matches!(parse_number("6/3", 10), Some(Number::Fixnum(2))));
    }

    #[test]
    fn r5rs_exponent_markers() {
        let flonum = |text: &str| match parse_number(text, 10) {
            Some(Number::Flonum(x)) => Some(x),
            _ => None,
        };
        assert_eq!(flonum("1s2"), Some(100.0));
        assert_eq!(flonum("1D2"), Some(100.0));
        assert_eq!(flonum("1.5f1"), Some(15.0));
        assert_eq!(flonum("-2.5L-1"), Some(-0.25));
        assert_eq!(flonum("1e2"), Some(100.0));
        assert_eq!(flonum("1.d2"), Some(100.0)); // as `1.e2`
        assert_eq!(exact("#e1d2"), "100");
        assert_eq!(exact("#e1.5s1"), "15");
        for not_a_number in ["1s", "s2", "1d", "1s2s3", "1ss2"] {
            assert_eq!(exact(not_a_number), "none", "{not_a_number}");
        }
        // Only in radix 10: in hexadecimal `d` and `f` are digits.
        assert_eq!(exact("#x1d2"), "466");
        assert_eq!(exact("#x1f"), "31");
    }

    #[test]
    fn infinities_and_nan() {
        assert_eq!(exact("+inf.0"), "inf");
        assert_eq!(exact("-inf.0"), "-inf");
        assert_eq!(exact("+INF.0"), "inf");
        assert_eq!(exact("+nan.0"), "NaN");
        assert_eq!(exact("-nan.0"), "NaN");
        assert_eq!(exact("inf.0"), "none");
        assert_eq!(exact("+inf.1"), "none");
    }

    #[test]
    fn bignums_normalise() {
        assert!(matches!(parse_number("9223372036854775807", 10), Some(Number::Fixnum(i64::MAX))));
        assert!(matches!(parse_number("-9223372036854775808", 10), Some(Number::Fixnum(i64::MIN))));
        assert!(matches!(parse_number("9223372036854775808", 10), Some(Number::Big(_))));
        let long = "1".repeat(500);
        assert_eq!(exact(&long), long);
    }

    #[test]
    fn default_radix() {
        assert_eq!(
            parse_number("ff", 16).and_then(|n| match n {
                Number::Fixnum(n) => Some(n),
                _ => None,
            }),
            Some(255)
        );
        assert!(parse_number("1.5", 16).is_none());
        assert!(parse_number("1", 7).is_none());
    }

    #[test]
    fn complex_numbers_in_every_form() {
        let read =
            |text: &str, radix: u32| parse_number(text, radix).map_or("none".into(), |n| n.to_string());
        for (text, value) in [
            ("1+2i", "1+2i"),
            ("1-2i", "1-2i"),
            ("+i", "+i"),
            ("-i", "-i"),
            ("+2i", "+2i"),
            ("-2.5i", "-2.5i"),
            ("1+i", "1+i"),
            ("1/2+3/4i", "1/2+3/4i"),
            ("1.5e3-2.5i", "1500.0-2.5i"),
            ("1e5+2e-3i", "100000.0+0.002i"),
            ("1E-5-2D+3i", "1e-5-2000.0i"),
            ("#e1.2+3i", "6/5+3i"),
            ("#i1+i", "1.0+1.0i"),
            ("#i+i", "+1.0i"),
            ("#x1F+Ai", "31+10i"),
            ("#x1e+2i", "30+2i"),
            ("+inf.0i", "+inf.0i"),
            ("-nan.0i", "+nan.0i"),
            ("1+inf.0i", "1.0+inf.0i"),
            ("-inf.0-inf.0i", "-inf.0-inf.0i"),
            ("1+0i", "1"),
            ("1.0+0i", "1.0"),
            ("1.0+0.0i", "1.0+0.0i"),
            ("1@0", "1"),
            ("#e1@0", "1"),
        ] {
            assert_eq!(read(text, 10), value, "{text}");
        }
        assert_eq!(
            read("1@2", 10),
            seam_num::make_polar(&Number::Fixnum(1), &Number::Fixnum(2)).unwrap().to_string()
        );
        assert_eq!(read("11+i", 2), "3+i");
        assert_eq!(read("f-fi", 16), "15-15i");
        for text in ["2i", "i", "1+", "a+bi", "+", "1+2j", "1e+2i", "1@", "@1", "1@2@3", "1+2i+3i", "++i"] {
            assert_eq!(classify_number(text, 10).err(), Some(NumberError::NotNumber), "{text}");
        }
        for text in ["1/0", "1/0+i", "#e+inf.0i", "#e1@+nan.0"] {
            assert_eq!(classify_number(text, 10).err(), Some(NumberError::Invalid), "{text}");
        }
    }
}
