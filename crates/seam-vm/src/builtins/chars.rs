//! Builtins: characters (R7RS 6.6) — comparisons, Unicode classification, `digit-value` over
//! every decimal-digit (Nd) block, and single-character case mappings.

use std::cmp::Ordering;

use super::{compare_all, named, simple, wrong, Builtin, ANY};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::value::{Value, Word};

/// A classification predicate.
macro_rules! class {
    ($name:literal, $test:expr) => {
        simple($name, 1, 1, |h, a| Ok(Value::Bool($test(char_arg(h, $name, 1, a[0])?))))
    };
}

/// A case mapping.
macro_rules! map {
    ($name:literal, $map:expr) => {
        simple($name, 1, 1, |h, a| Ok(Value::Char($map(char_arg(h, $name, 1, a[0])?))))
    };
}

pub const BUILTINS: &[Builtin] = &[
    simple("char?", 1, 1, |_, a| Ok(Value::Bool(matches!(a[0], Value::Char(_)))))
        .on_words(|_, a| Some(Word::bool(a[0].is_char()))),
    simple("char->integer", 1, 1, |h, a| Ok(Value::Fixnum(char_arg(h, "char->integer", 1, a[0])? as i64)))
        .on_words(|_, a| match a[0].get() {
            Value::Char(c) => Word::fixnum(i64::from(u32::from(c))),
            _ => None,
        }),
    simple("integer->char", 1, 1, integer_to_char).on_words(|_, a| {
        let code = u32::try_from(a[0].is_fixnum().then(|| a[0].fixnum_bits())?).ok()?;
        Word::new(Value::Char(char::from_u32(code)?)).ok()
    }),
    named!("char=?", 2, ANY, compare_all, char_arg, Ordering::is_eq).on_words(|_, a| {
        a.iter().all(|w| w.is_char()).then(|| Word::bool(a.windows(2).all(|p| p[0] == p[1])))
    }),
    named!("char<?", 2, ANY, compare_all, char_arg, Ordering::is_lt),
    named!("char>?", 2, ANY, compare_all, char_arg, Ordering::is_gt),
    named!("char<=?", 2, ANY, compare_all, char_arg, Ordering::is_le),
    named!("char>=?", 2, ANY, compare_all, char_arg, Ordering::is_ge),
    named!("char-ci=?", 2, ANY, compare_all, folded_char_arg, Ordering::is_eq),
    named!("char-ci<?", 2, ANY, compare_all, folded_char_arg, Ordering::is_lt),
    named!("char-ci>?", 2, ANY, compare_all, folded_char_arg, Ordering::is_gt),
    named!("char-ci<=?", 2, ANY, compare_all, folded_char_arg, Ordering::is_le),
    named!("char-ci>=?", 2, ANY, compare_all, folded_char_arg, Ordering::is_ge),
    class!("char-alphabetic?", char::is_alphabetic),
    class!("char-numeric?", |c| digit_value(c).is_some()),
    class!("char-whitespace?", char::is_whitespace),
    class!("char-upper-case?", char::is_uppercase),
    class!("char-lower-case?", char::is_lowercase),
    simple("digit-value", 1, 1, |h, a| {
        Ok(digit_value(char_arg(h, "digit-value", 1, a[0])?)
            .map_or(Value::FALSE, |d| Value::Fixnum(d.into())))
    }),
    map!("char-upcase", upcase),
    map!("char-downcase", downcase),
    map!("char-foldcase", foldcase),
];

/// The character in argument `position`, or a type error.
pub(super) fn char_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<char, Condition> {
    match v {
        Value::Char(c) => Ok(c),
        _ => Err(wrong(heap, proc, position, "character", v)),
    }
}

fn integer_to_char(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let Value::Fixnum(n) = args[0] else {
        return Err(wrong(heap, "integer->char", 1, "exact integer", args[0]));
    };
    u32::try_from(n).ok().and_then(char::from_u32).map(Value::Char).ok_or_else(|| {
        let what = " (a Unicode scalar value: 0 to #xD7FF or #xE000 to #x10FFFF)";
        Condition::out_of_range(heap, "integer->char", 1, args[0], what)
    })
}

/// A character argument case-folded, for the `-ci` comparisons.
fn folded_char_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<char, Condition> {
    char_arg(heap, proc, position, v).map(foldcase)
}

/// The code point of the zero of every Unicode decimal-digit block (general category Nd,
/// through Unicode 16); each block holds the ten digits in order.
const DIGIT_ZEROS: &[u32] = &[
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30,
    0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x116D0,
    0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16130, 0x16A60,
    0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0,
    0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// The value of a decimal digit in any script (`char::to_digit` knows only ASCII).
pub(super) fn digit_value(c: char) -> Option<u8> {
    let c = c as u32;
    let block = DIGIT_ZEROS.partition_point(|&zero| zero <= c).checked_sub(1)?;
    let offset = c - DIGIT_ZEROS[block];
    (offset < 10).then_some(offset as u8)
}

/// The single character `mapped` yields, if it yields exactly one.
fn single(mut mapped: impl Iterator<Item = char>) -> Option<char> {
    let c = mapped.next()?;
    mapped.next().is_none().then_some(c)
}

/// Unicode's simple uppercase mapping. Rust gives the full mapping; where that has several
/// characters the simple one is the character itself, except for the Greek letters with
/// ypogegrammeni, whose simple uppercase is the titlecase letter with prosgegrammeni.
pub(super) fn upcase(c: char) -> char {
    single(c.to_uppercase()).unwrap_or_else(|| {
        let simple = match c as u32 {
            n @ (0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7) => n + 8,
            n @ (0x1FB3 | 0x1FC3 | 0x1FF3) => n + 9,
            _ => return c,
        };
        char::from_u32(simple).unwrap_or(c)
    })
}

/// Unicode's simple lowercase mapping. The only full mapping with several characters is
/// U+0130's (`i` and a combining dot); its simple mapping is `i`.
pub(super) fn downcase(c: char) -> char {
    match c {
        '\u{130}' => 'i',
        _ => single(c.to_lowercase()).unwrap_or(c),
    }
}

/// Simple case folding: lowercase of the uppercase, so that `ς`, `σ`, `Σ` all fold to `σ`
/// and `ſ` to `s`; characters without a one-character mapping stay as they are.
pub(super) fn foldcase(c: char) -> char {
    match single(c.to_uppercase()) {
        Some(upper) => single(upper.to_lowercase()).unwrap_or(c),
        None => downcase(c),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{self, error, ok};
    use super::*;

    fn chars(s: &str) -> Vec<Value> {
        s.chars().map(Value::Char).collect()
    }

    #[test]
    fn conversions() {
        let h = &mut Heap::new();
        assert_eq!(ok(h, "char?", &[Value::Char('a')]), "#t");
        assert_eq!(ok(h, "char?", &[Value::Fixnum(97)]), "#f");
        assert_eq!(ok(h, "char->integer", &[Value::Char('λ')]), "955");
        assert_eq!(ok(h, "integer->char", &[Value::Fixnum(97)]), "#\\a");
        assert!(test_support::call(h, "integer->char", &[Value::Fixnum(0x10FFFF)]).is_ok());
        for bad in [0xD800, 0xDFFF, 0x110000, -1] {
            let msg = error(h, "integer->char", &[Value::Fixnum(bad)]);
            assert!(msg.starts_with("integer->char: argument 1:") && msg.contains("out of range"), "{msg}");
        }
        let msg = error(h, "integer->char", &[Value::Flonum(65.0)]);
        assert!(msg.starts_with("integer->char: argument 1: expected exact integer"), "{msg}");
        assert_eq!(
            error(h, "char->integer", &[Value::Fixnum(1)]),
            "char->integer: argument 1: expected character, got 1"
        );
    }

    #[test]
    fn comparisons() {
        let h = &mut Heap::new();
        assert_eq!(ok(h, "char<?", &chars("abc")), "#t");
        assert_eq!(ok(h, "char<?", &chars("abb")), "#f");
        assert_eq!(ok(h, "char<=?", &chars("abb")), "#t");
        assert_eq!(ok(h, "char=?", &chars("aa")), "#t");
        assert_eq!(ok(h, "char>?", &chars("cba")), "#t");
        assert_eq!(ok(h, "char>=?", &chars("cca")), "#t");
        assert_eq!(ok(h, "char=?", &chars("aA")), "#f");
        assert_eq!(ok(h, "char-ci=?", &chars("aA")), "#t");
        assert_eq!(ok(h, "char-ci<?", &chars("aB")), "#t");
        assert_eq!(ok(h, "char-ci=?", &chars("ςσΣ")), "#t");
        let msg = error(h, "char<?", &[Value::Char('a'), Value::Char('b'), Value::Fixnum(1)]);
        assert!(msg.starts_with("char<?: argument 3: expected character"), "{msg}");
        // Every argument is checked, even after the answer is known.
        assert!(error(h, "char=?", &[Value::Char('a'), Value::Char('b'), Value::Null]).contains("argument 3"));
    }

    #[test]
    fn classification() {
        let h = &mut Heap::new();
        let yes = |h: &mut Heap, name: &str, c: char| ok(h, name, &[Value::Char(c)]) == "#t";
        assert!(yes(h, "char-alphabetic?", 'a') && yes(h, "char-alphabetic?", 'λ'));
        assert!(!yes(h, "char-alphabetic?", '1'));
        assert!(yes(h, "char-numeric?", '7') && yes(h, "char-numeric?", '\u{0663}'));
        assert!(!yes(h, "char-numeric?", '½') && !yes(h, "char-numeric?", 'x'));
        assert!(yes(h, "char-whitespace?", ' ') && yes(h, "char-whitespace?", '\u{00A0}'));
        assert!(!yes(h, "char-whitespace?", 'a'));
        assert!(yes(h, "char-upper-case?", 'A') && !yes(h, "char-upper-case?", 'a'));
        assert!(yes(h, "char-lower-case?", 'a') && !yes(h, "char-lower-case?", '1'));
        assert!(error(h, "char-numeric?", &[Value::Fixnum(1)]).starts_with("char-numeric?: argument 1"));
    }

    #[test]
    fn digits() {
        let h = &mut Heap::new();
        assert_eq!(ok(h, "digit-value", &[Value::Char('3')]), "3");
        assert_eq!(ok(h, "digit-value", &[Value::Char('\u{0664}')]), "4");
        assert_eq!(ok(h, "digit-value", &[Value::Char('\u{0AE6}')]), "0");
        assert_eq!(ok(h, "digit-value", &[Value::Char('\u{1D7FF}')]), "9");
        assert_eq!(ok(h, "digit-value", &[Value::Char('a')]), "#f");
        assert_eq!(ok(h, "digit-value", &[Value::Char('\u{19DA}')]), "#f");
        assert_eq!(digit_value('\u{2F}'), None);
        assert_eq!(digit_value('\0'), None);
        assert!(DIGIT_ZEROS.windows(2).all(|w| w[1] - w[0] >= 10), "blocks are sorted and disjoint");
        for &zero in DIGIT_ZEROS {
            for d in 0..10 {
                let c = char::from_u32(zero + d).unwrap_or('x');
                assert!(c.is_numeric(), "U+{:X} is a digit", zero + d);
            }
        }
        // The ASCII and Rust views agree.
        for c in '\0'..='\u{FF}' {
            assert_eq!(digit_value(c).map(u32::from), c.to_digit(10));
        }
    }

    #[test]
    fn case_mappings() {
        let h = &mut Heap::new();
        assert_eq!(ok(h, "char-upcase", &[Value::Char('a')]), "#\\A");
        assert_eq!(ok(h, "char-upcase", &[Value::Char('1')]), "#\\1");
        assert_eq!(ok(h, "char-downcase", &[Value::Char('Λ')]), "#\\λ");
        assert_eq!(upcase('ß'), 'ß', "no one-character uppercase");
        assert_eq!(downcase('\u{130}'), 'i', "simple mapping of İ (the full one has two characters)");
        assert_eq!(upcase('\u{1F80}'), '\u{1F88}', "simple uppercase of ᾀ is titlecase ᾈ");
        assert_eq!(upcase('\u{1FF3}'), '\u{1FFC}');
        assert_eq!(foldcase('Σ'), 'σ');
        assert_eq!(foldcase('ς'), 'σ');
        assert_eq!(foldcase('ſ'), 's');
        assert_eq!(foldcase('ß'), 'ß');
        assert_eq!(foldcase('A'), 'a');
        assert!(error(h, "char-foldcase", &[Value::Null]).starts_with("char-foldcase: argument 1"));
    }
}
