//! `read`: one datum from a textual input port. Part of `io.rs`.
//!
//! The reader (`seam_syntax::Reader`) parses a whole text and does not say where a datum
//! ended, but a port must give up exactly the datum's text so the next `read` or
//! `read-char` starts right after it. So `datum_end` first finds the end with a light scan
//! of the lexical syntax (nesting, strings, `|symbols|`, comments, prefixes), and the reader
//! then parses just that text, reporting any error in it.

use seam_syntax::{ReadError, ReadErrorKind, Reader};

use super::{input, with_port, Need};
use crate::error::{BuiltinResult, Condition};
use crate::value::Value;
use crate::vm::Vm;

/// `(read [port])`: the next datum, or the eof object when only whitespace and comments
/// remain. A syntax error raises a `read` condition (`read-error?` is true).
pub(super) fn read(vm: &mut Vm, args: &[Value]) -> BuiltinResult {
    let port = input(vm, args, 0);
    let source = loop {
        let datum = with_port(&mut vm.heap, "read", 1, port, Need::TextIn, |p| {
            let (source, end) = {
                let text = p.buffered_text();
                let end = datum_end(&text)?;
                (text[..end].iter().collect::<String>(), end)
            };
            p.skip_chars(end);
            Some(source)
        })?;
        if let Some(source) = datum {
            break source;
        }
        // The text ends inside a datum (or holds none): get more, or take it all.
        let more = with_port(&mut vm.heap, "read", 1, port, Need::TextIn, |p| p.buffer_more())?;
        if !more {
            break with_port(&mut vm.heap, "read", 1, port, Need::TextIn, |p| {
                let (source, len) = {
                    let text = p.buffered_text();
                    (text.iter().collect::<String>(), text.len())
                };
                p.skip_chars(len);
                source
            })?;
        }
    };
    // `#!fold-case` read from this port earlier still applies, and one read now persists.
    let fold_case = with_port(&mut vm.heap, "read", 1, port, Need::TextIn, |p| p.fold_case)?;
    let mut reader = Reader::new(&source, "<port>").with_fold_case(fold_case);
    if vm.heap.watch.bounded() {
        // Number literals past this are refused rather than converted (see `num.rs`).
        reader = reader.with_max_number_length(crate::num::MAX_NUMBER_TEXT);
    }
    // Nesting costs memory only, but the datum is built before its pairs are counted: under
    // a memory limit, refuse nesting whose pairs (at least one a level) could not fit, so
    // the datum stays within a constant factor of the limit.
    let nesting_limit = vm.heap.memory_limit().map(|bytes| bytes / crate::heap::PAIR_BYTES);
    if let Some(levels) = nesting_limit {
        reader = reader.with_max_nesting(levels);
    }
    let datum = reader.next_datum();
    let fold_case = reader.fold_case();
    with_port(&mut vm.heap, "read", 1, port, Need::TextIn, |p| p.fold_case = fold_case)?;
    match datum {
        Ok(Some(datum)) => Ok(vm.datum_to_value(&datum)),
        Ok(None) => Ok(Value::Eof),
        Err(ReadError { kind: ReadErrorKind::NestingTooDeep(levels), .. }) if nesting_limit.is_some() => {
            Err(Condition::new(
                "memory-limit",
                format!("read: the datum is nested more than {levels} levels deep, more than fits under the memory limit"),
            ))
        }
        Err(e) => Err(Condition::new("read", format!("read: {}", e.message()))),
    }
}

/// Ends a token, as in the lexer.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | ';' | '|' | '[' | ']' | '{' | '}')
}

/// The length of the text up to the end of its first datum, or `None` when the text ends
/// first (inside a datum, or with no datum at all). On malformed text the answer only has
/// to be somewhere the reader will report the error from.
fn datum_end(text: &[char]) -> Option<usize> {
    let at = |i: usize| text.get(i).copied();
    let mut pos = 0;
    let mut depth = 0usize;
    // Datums still to finish at top level: each `#;` there adds the one it skips.
    let mut needed = 1usize;
    loop {
        let c = at(pos)?;
        let next = at(pos + 1);
        match c {
            _ if c.is_whitespace() => {
                pos += 1;
                continue;
            }
            ';' => {
                pos += text[pos..].iter().position(|&c| c == '\n')? + 1;
                continue;
            }
            '#' if next == Some('|') => {
                pos = block_comment_end(text, pos + 2)?;
                continue;
            }
            '#' if next == Some(';') => {
                pos += 2;
                needed += usize::from(depth == 0);
                continue;
            }
            '#' if next == Some('!') => {
                // `#!fold-case` and friends.
                pos = atom_end(text, pos + 2)?;
                continue;
            }
            '(' | '[' | '{' => {
                pos += 1;
                depth += 1;
                continue;
            }
            '#' if next == Some('(') => {
                pos += 2;
                depth += 1;
                continue;
            }
            '#' if matches!(next, Some('u' | 'U'))
                && at(pos + 2) == Some('8')
                && at(pos + 3) == Some('(') =>
            {
                pos += 4;
                depth += 1;
                continue;
            }
            '\'' | '`' => {
                pos += 1;
                continue;
            }
            ',' => {
                pos += if next == Some('@') { 2 } else { 1 };
                continue;
            }
            ')' | ']' | '}' => {
                pos += 1;
                if depth == 0 {
                    // Unbalanced: the reader reports it.
                    return Some(pos);
                }
                depth -= 1;
            }
            '"' | '|' => pos = quoted_end(text, pos + 1, c)?,
            '#' if next == Some('\\') => {
                // The char after `#\` is part of the token even if it is a delimiter.
                at(pos + 2)?;
                pos = atom_end(text, pos + 3)?;
            }
            '#' if next.is_some_and(|d| d.is_ascii_digit()) => {
                let digits = text[pos + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
                pos += 1 + digits;
                match at(pos)? {
                    // `#n=`: a label prefix.
                    '=' => {
                        pos += 1;
                        continue;
                    }
                    // `#n#`: a label reference.
                    '#' => pos += 1,
                    _ => pos = atom_end(text, pos)?,
                }
            }
            _ => pos = atom_end(text, pos)?,
        }
        // A datum (or a closing parenthesis) just ended.
        if depth == 0 {
            needed -= 1;
            if needed == 0 {
                return Some(pos);
            }
        }
    }
}

/// Where the atom from `pos` ends: at the next delimiter. `None` if the text ends first,
/// as more text might continue the atom.
fn atom_end(text: &[char], pos: usize) -> Option<usize> {
    text.get(pos..)?.iter().position(|&c| is_delimiter(c)).map(|n| pos + n)
}

/// Just past the `quote` closing a string or `|symbol|` whose body starts at `pos`.
fn quoted_end(text: &[char], mut pos: usize, quote: char) -> Option<usize> {
    loop {
        match *text.get(pos)? {
            '\\' => pos += 2,
            c if c == quote => return Some(pos + 1),
            _ => pos += 1,
        }
    }
}

/// Just past the `|#` closing a (nested) block comment whose body starts at `pos`.
fn block_comment_end(text: &[char], mut pos: usize) -> Option<usize> {
    let mut depth = 1;
    while depth > 0 {
        match (*text.get(pos)?, text.get(pos + 1)) {
            ('|', Some('#')) => {
                depth -= 1;
                pos += 2;
            }
            ('#', Some('|')) => {
                depth += 1;
                pos += 2;
            }
            _ => pos += 1,
        }
    }
    Some(pos)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call, input_string, ok, ok_shown, shown};
    use super::*;

    fn end_of(text: &str) -> Option<usize> {
        let chars: Vec<char> = text.chars().collect();
        datum_end(&chars)
    }

    #[test]
    fn datum_end_finds_the_first_datum() {
        assert_eq!(end_of("abc def"), Some(3));
        assert_eq!(end_of("  (a (b \")\") #\\) c) x"), Some(19));
        assert_eq!(end_of("'#(1 2)x"), Some(7));
        assert_eq!(end_of("#u8(1 2) 3"), Some(8));
        assert_eq!(end_of("; c\n #| a #| b |# |# 42 "), Some(23));
        assert_eq!(end_of("#;(a) #;b c d"), Some(11));
        assert_eq!(end_of("(#;x) y"), Some(5));
        assert_eq!(end_of("#0=(a . #0#) y"), Some(12));
        assert_eq!(end_of("|a b| c"), Some(5));
        assert_eq!(end_of("\"a\\\"b\" c"), Some(6));
        assert_eq!(end_of("#\\( x"), Some(3));
        assert_eq!(end_of(") x"), Some(1));
        assert_eq!(end_of("(a b"), None);
        assert_eq!(end_of("abc"), None);
        assert_eq!(end_of("   ; only a comment"), None);
        assert_eq!(end_of(""), None);
    }

    #[test]
    fn several_reads_from_one_port() {
        let mut vm = Vm::new();
        let port = input_string(&mut vm, "(a . b) #(1 \"two\" #\\3) 'q 1.5e0 #;skipped #t");
        let mut got = Vec::new();
        loop {
            let v = ok(&mut vm, "read", &[port]);
            if matches!(v, Value::Eof) {
                break;
            }
            got.push(shown(&vm, v));
        }
        assert_eq!(got, ["(a . b)", "#(1 \"two\" #\\3)", "'q", "1.5", "#t"]);
        assert!(matches!(ok(&mut vm, "read", &[port]), Value::Eof));
    }

    #[test]
    fn read_leaves_the_rest_for_read_char() {
        let mut vm = Vm::new();
        let port = input_string(&mut vm, "foo bar\nbaz");
        assert_eq!(ok_shown(&mut vm, "read", &[port]), "foo");
        assert_eq!(ok_shown(&mut vm, "read-char", &[port]), "#\\space");
        assert_eq!(ok_shown(&mut vm, "read", &[port]), "bar");
        let line = ok(&mut vm, "read-line", &[port]);
        assert_eq!(shown(&vm, line), "\"\"");
        assert_eq!(ok_shown(&mut vm, "read", &[port]), "baz");
    }

    #[test]
    fn read_builds_cycles_from_labels() {
        let mut vm = Vm::new();
        let port = input_string(&mut vm, "#0=(1 . #0#)");
        let v = ok(&mut vm, "read", &[port]);
        assert_eq!(shown(&vm, v), "#0=(1 . #0#)");
    }

    #[test]
    fn read_errors_and_recovery() {
        let mut vm = Vm::new();
        let port = input_string(&mut vm, ") (1 . 2 3) ok");
        let err = call(&mut vm, "read", &[port]).unwrap_err();
        assert_eq!((err.kind, err.message.as_str()), ("read", "read: unbalanced ')'"));
        let err = call(&mut vm, "read", &[port]).unwrap_err();
        assert_eq!(err.kind, "read");
        assert_eq!(ok_shown(&mut vm, "read", &[port]), "ok");
        let bytes = vm.heap.alloc(crate::object::Object::Bytevector(vec![1]));
        let binary = ok(&mut vm, "open-input-bytevector", &[bytes]);
        let err = call(&mut vm, "read", &[binary]).unwrap_err();
        assert!(err.message.starts_with("read: argument 1: expected textual input port"), "{}", err.message);
    }
}
