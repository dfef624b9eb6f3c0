//! Writing datums back as Scheme text that the reader reads as an equal datum
//! (`write` style: strings escaped, symbols barred when needed).

use std::fmt::{self, Write};

use crate::lexer::CHAR_NAMES;
use crate::number::parse_number;
use crate::{Datum, DatumKind, Number};

impl fmt::Display for Datum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_datum(&self.kind, f)
    }
}

impl fmt::Display for DatumKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_datum(self, f)
    }
}

/// Writes one datum, growing the stack as the nesting deepens.
fn write_datum(kind: &DatumKind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    crate::grow_stack(|| write_kind(kind, f))
}

/// [`write_datum`] for one level.
fn write_kind(kind: &DatumKind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match kind {
        DatumKind::Bool(true) => f.write_str("#t"),
        DatumKind::Bool(false) => f.write_str("#f"),
        DatumKind::Number(n) => write_number(n, f),
        DatumKind::Char(c) => write_char(*c, f),
        DatumKind::String(s) => write_string(s.chars(), f),
        DatumKind::Symbol(s) => write_symbol(s, f),
        DatumKind::Bytevector(bytes) => {
            f.write_str("#u8(")?;
            for (i, byte) in bytes.iter().enumerate() {
                if i > 0 {
                    f.write_char(' ')?;
                }
                write!(f, "{byte}")?;
            }
            f.write_char(')')
        }
        DatumKind::Vector(items) => {
            f.write_str("#(")?;
            write_items(items, f)?;
            f.write_char(')')
        }
        DatumKind::List(items, tail) => {
            if let (Some(prefix), None) = (abbreviation_prefix(items), tail) {
                f.write_str(prefix)?;
                return write_datum(&items[1].kind, f);
            }
            f.write_char('(')?;
            write_items(items, f)?;
            if let Some(tail) = tail {
                f.write_str(" . ")?;
                write_datum(&tail.kind, f)?;
            }
            f.write_char(')')
        }
        DatumKind::Label(n, datum) => {
            write!(f, "#{n}=")?;
            write_datum(&datum.kind, f)
        }
        DatumKind::LabelRef(n) => write!(f, "#{n}#"),
    }
}

fn write_items(items: &[Datum], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_char(' ')?;
        }
        write_datum(&item.kind, f)?;
    }
    Ok(())
}

/// `(quote x)` and friends print as `'x`.
fn abbreviation_prefix(items: &[Datum]) -> Option<&'static str> {
    if items.len() != 2 {
        return None;
    }
    match items[0].as_symbol()? {
        "quote" => Some("'"),
        "quasiquote" => Some("`"),
        "unquote" => Some(","),
        "unquote-splicing" => Some(",@"),
        _ => None,
    }
}

/// Numbers in the reader's own syntax (`seam-num`'s `Display`, which reads back as the
/// same number).
pub(crate) fn write_number(n: &Number, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{n}")
}

/// Writes `c` as `write` shows a character: `#\a`, `#\space`, `#\x7f`.
pub fn write_char(c: char, f: &mut impl fmt::Write) -> fmt::Result {
    if let Some((name, _)) = CHAR_NAMES.iter().find(|(_, named)| *named == c) {
        return write!(f, "#\\{name}");
    }
    if c.is_control() || c.is_whitespace() {
        write!(f, "#\\x{:x}", c as u32)
    } else {
        write!(f, "#\\{c}")
    }
}

/// Writes a string literal with its escapes, reading back as the same string.
pub fn write_string(s: impl IntoIterator<Item = char>, f: &mut impl fmt::Write) -> fmt::Result {
    f.write_char('"')?;
    for c in s {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            _ => write_escaped(c, f)?,
        }
    }
    f.write_char('"')
}

/// A character inside a string or `|symbol|`: mnemonic or hex escape for control
/// characters, the character itself otherwise.
fn write_escaped(c: char, f: &mut impl fmt::Write) -> fmt::Result {
    match c {
        '\u{7}' => f.write_str("\\a"),
        '\u{8}' => f.write_str("\\b"),
        '\t' => f.write_str("\\t"),
        '\n' => f.write_str("\\n"),
        '\r' => f.write_str("\\r"),
        c if c.is_control() => write!(f, "\\x{:x};", c as u32),
        c => f.write_char(c),
    }
}

/// Writes a symbol's name, in `|bars|` when it would not read back as that symbol, and
/// (as R7RS `write` requires) when it contains non-ASCII characters.
pub fn write_symbol(s: &str, f: &mut impl fmt::Write) -> fmt::Result {
    if s.is_ascii() && is_plain_identifier(s) {
        return f.write_str(s);
    }
    f.write_char('|')?;
    for c in s.chars() {
        match c {
            '|' => f.write_str("\\|")?,
            '\\' => f.write_str("\\\\")?,
            c if c.is_whitespace() && c != ' ' => write!(f, "\\x{:x};", c as u32)?,
            _ => write_escaped(c, f)?,
        }
    }
    f.write_char('|')
}

/// R7RS `<initial>`, widened to non-ASCII letters.
fn is_initial(c: char) -> bool {
    c.is_ascii_alphabetic() || "!$%&*/:<=>?^_~".contains(c) || (!c.is_ascii() && c.is_alphabetic())
}

fn is_subsequent(c: char) -> bool {
    is_initial(c) || c.is_ascii_digit() || "+-.@".contains(c) || (!c.is_ascii() && c.is_numeric())
}

fn is_sign_subsequent(c: char) -> bool {
    is_initial(c) || c == '+' || c == '-' || c == '@'
}

fn is_dot_subsequent(c: char) -> bool {
    is_sign_subsequent(c) || c == '.'
}

/// True when `s` reads back as this symbol without bars: an R7RS identifier (section
/// 7.1.1) that is not also number syntax (`+inf.0`, `+i`...). Upper-case letters are kept
/// bare: the reader folds only after `#!fold-case`.
fn is_plain_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    let grammatical = if is_initial(first) {
        rest.chars().all(is_subsequent)
    } else if first == '+' || first == '-' {
        let mut after_sign = rest.chars();
        match after_sign.next() {
            None => true,
            Some('.') => {
                let mut after_dot = after_sign;
                after_dot.next().is_some_and(is_dot_subsequent) && after_dot.all(is_subsequent)
            }
            Some(c) => is_sign_subsequent(c) && after_sign.all(is_subsequent),
        }
    } else if first == '.' {
        let mut after_dot = rest.chars();
        after_dot.next().is_some_and(is_dot_subsequent) && after_dot.all(is_subsequent)
    } else {
        false
    };
    grammatical && parse_number(s, 10).is_none() && !looks_numeric(s)
}

/// Identifiers such as `+i` or `-inf.0i` that the reader would take as (complex) number
/// syntax rather than a symbol.
fn looks_numeric(s: &str) -> bool {
    crate::number::classify_number(s, 10).is_err_and(|e| e != crate::number::NumberError::NotNumber)
}
