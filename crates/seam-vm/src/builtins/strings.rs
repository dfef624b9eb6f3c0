//! Builtins: strings (R7RS 6.7) — construction, access, comparison, copying, full Unicode
//! case conversion, and conversion to and from lists and vectors. Those strings share with
//! vectors and bytevectors are the sequence builtins of `sequence.rs`.

use std::cmp::Ordering;

use super::chars::foldcase;
use super::lists::proper_list;
use super::sequence::{self, items_arg, slice_arg, Strings, Vectors};
use super::{compare_all, named, simple, wrong, Builtin, ANY};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::object::Object;
use crate::value::Value;

/// A whole-string case conversion.
/// A whole-string case conversion. A conversion can make a string up to three times longer
/// than its argument (`ﬃ` → `FFI`), so the result's length is counted first (`$count`, per
/// character) and checked against the allocation cap before it is built.
macro_rules! convert {
    ($name:literal, $count:expr, $convert:expr) => {
        simple($name, 1, 1, |h, a| {
            let s = items_arg::<Strings>(h, $name, 1, a[0])?;
            let length = s.iter().map(|&c| $count(c)).fold(0usize, usize::saturating_add);
            super::check_allocation(h, $name, length, 4)?;
            let converted = $convert(s);
            Ok(h.alloc(Object::String(converted)))
        })
    };
}

pub const BUILTINS: &[Builtin] = &[
    simple("string?", 1, 1, |h, a| Ok(Value::Bool(sequence::is::<Strings>(h, a[0])))),
    named!("make-string", 1, 2, sequence::make::<Strings>),
    named!("string", 0, ANY, sequence::of_items::<Strings>),
    named!("string-length", 1, 1, sequence::length::<Strings>).on_words(sequence::length_words::<Strings>),
    named!("string-ref", 2, 2, sequence::item_ref::<Strings>).on_words(sequence::item_ref_words::<Strings>),
    named!("string-set!", 3, 3, sequence::item_set::<Strings>),
    named!("string=?", 2, ANY, compare_all, items_arg::<Strings>, Ordering::is_eq),
    named!("string<?", 2, ANY, compare_all, items_arg::<Strings>, Ordering::is_lt),
    named!("string>?", 2, ANY, compare_all, items_arg::<Strings>, Ordering::is_gt),
    named!("string<=?", 2, ANY, compare_all, items_arg::<Strings>, Ordering::is_le),
    named!("string>=?", 2, ANY, compare_all, items_arg::<Strings>, Ordering::is_ge),
    named!("string-ci=?", 2, ANY, compare_all, folded_string_arg, Ordering::is_eq),
    named!("string-ci<?", 2, ANY, compare_all, folded_string_arg, Ordering::is_lt),
    named!("string-ci>?", 2, ANY, compare_all, folded_string_arg, Ordering::is_gt),
    named!("string-ci<=?", 2, ANY, compare_all, folded_string_arg, Ordering::is_le),
    named!("string-ci>=?", 2, ANY, compare_all, folded_string_arg, Ordering::is_ge),
    named!("substring", 3, 3, sequence::copy::<Strings>),
    named!("string-append", 0, ANY, sequence::append::<Strings>),
    named!("string->list", 1, 3, sequence::to_list::<Strings>),
    simple("list->string", 1, 1, list_to_string),
    named!("string-copy", 1, 3, sequence::copy::<Strings>),
    named!("string-copy!", 3, 5, sequence::copy_into::<Strings>),
    named!("string-fill!", 2, 4, sequence::fill::<Strings>),
    convert!("string-upcase", |c: char| c.to_uppercase().len(), |s: &[char]| {
        s.iter().flat_map(|c| c.to_uppercase()).collect()
    }),
    convert!("string-downcase", |c: char| c.to_lowercase().len(), |s: &[char]| {
        // Through `str` for the final-sigma rule (`ΧΑΟΣ` → `χαος`), which changes no length.
        s.iter().collect::<String>().to_lowercase().chars().collect()
    }),
    convert!("string-foldcase", fold_len, fold_string),
    named!("string->vector", 1, 3, sequence::to_vector::<Strings>),
    simple("vector->string", 1, 3, vector_to_string),
];

/// A string argument case-folded, for the `-ci` comparisons.
fn folded_string_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<Vec<char>, Condition> {
    items_arg::<Strings>(heap, proc, position, v).map(fold_string)
}

/// How many characters `c` folds to in [`fold_string`].
fn fold_len(c: char) -> usize {
    let upper = c.to_uppercase();
    if c == '\u{1E9E}' {
        2
    } else if upper.len() > 1 {
        upper.map(|u| u.to_lowercase().len()).sum()
    } else if foldcase(c) != c {
        1
    } else {
        c.to_lowercase().len()
    }
}

/// Full case folding: simple folding, plus the characters whose uppercase is several
/// characters (`ß` → `ss`, `ﬁ` → `fi`) and those whose lowercase is (`İ` → `i̇`).
fn fold_string(s: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        // Capital sharp s: its uppercase is itself, its simple folding `ß`, its full
        // folding `ss` (the one full folding the rule below does not reach).
        if c == '\u{1E9E}' {
            out.extend(['s', 's']);
            continue;
        }
        let upper = c.to_uppercase();
        if upper.len() > 1 {
            out.extend(upper.flat_map(char::to_lowercase));
            continue;
        }
        match foldcase(c) {
            folded if folded != c => out.push(folded),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The characters of `items`, or a type error naming the whole `arg` as argument `position`.
fn chars_of(
    heap: &Heap,
    proc: &str,
    position: usize,
    arg: Value,
    items: &[Value],
) -> Result<Vec<char>, Condition> {
    items
        .iter()
        .map(|&v| match v {
            Value::Char(c) => Ok(c),
            _ => Err(wrong(heap, proc, position, "sequence of characters", arg)),
        })
        .collect()
}

fn list_to_string(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let items = proper_list(heap, "list->string", 1, args[0])?;
    super::check_allocation(heap, "list->string", items.len(), 4)?;
    let chars = chars_of(heap, "list->string", 1, args[0], &items)?;
    Ok(heap.alloc(Object::String(chars)))
}

fn vector_to_string(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let items = slice_arg::<Vectors>(heap, "vector->string", args, 1)?;
    let items: Vec<Value> = items.iter().map(|w| w.get()).collect();
    let chars = chars_of(heap, "vector->string", 1, args[0], &items)?;
    Ok(heap.alloc(Object::String(chars)))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{self, error, fx, ok, show};
    use super::*;

    #[test]
    fn construct_and_access() {
        let h = &mut Heap::new();
        assert_eq!(ok(h, "make-string", &[fx(3), Value::Char('x')]), "\"xxx\"");
        assert_eq!(ok(h, "make-string", &[fx(2)]), "\"  \"");
        assert_eq!(ok(h, "string", &[Value::Char('a'), Value::Char('λ')]), "\"aλ\"");
        assert_eq!(ok(h, "string", &[]), "\"\"");
        let s = h.string("héllo");
        assert_eq!(ok(h, "string?", &[s]), "#t");
        assert_eq!(ok(h, "string?", &[Value::Char('a')]), "#f");
        assert_eq!(ok(h, "string-length", &[s]), "5");
        assert_eq!(ok(h, "string-ref", &[s, fx(1)]), "#\\é");
        ok(h, "string-set!", &[s, fx(0), Value::Char('j')]);
        assert_eq!(show(h, s), "\"jéllo\"");
    }

    #[test]
    fn errors() {
        let h = &mut Heap::new();
        let s = h.string("abc");
        assert_eq!(error(h, "string-length", &[fx(1)]), "string-length: argument 1: expected string, got 1");
        assert_eq!(
            error(h, "string-ref", &[s, fx(3)]),
            "string-ref: argument 2: 3 is out of range (length 3)"
        );
        assert!(error(h, "string-set!", &[s, fx(0), fx(0)])
            .starts_with("string-set!: argument 3: expected character"));
        assert!(error(h, "string", &[Value::Char('a'), s]).starts_with("string: argument 2"));
        assert!(error(h, "make-string", &[fx(1), s]).starts_with("make-string: argument 2"));
        assert!(error(h, "make-string", &[fx(1 << 40)]).contains("too large"));
        assert!(error(h, "string-append", &[s, Value::Char('a')]).starts_with("string-append: argument 2"));
        assert!(
            error(h, "substring", &[s, fx(2), fx(1)]).starts_with("substring: argument 2: 2 is out of range")
        );
        assert!(
            error(h, "substring", &[s, fx(0), fx(4)]).starts_with("substring: argument 3: 4 is out of range")
        );
        assert!(error(h, "string=?", &[s, s, fx(1)]).starts_with("string=?: argument 3"));
    }

    #[test]
    fn comparisons() {
        let h = &mut Heap::new();
        let (a, b, upper_a) = (h.string("apple"), h.string("banana"), h.string("APPLE"));
        let app = h.string("app");
        assert_eq!(ok(h, "string=?", &[a, a, a]), "#t");
        assert_eq!(ok(h, "string=?", &[a, upper_a]), "#f");
        assert_eq!(ok(h, "string<?", &[app, a, b]), "#t");
        assert_eq!(ok(h, "string<?", &[a, app]), "#f");
        assert_eq!(ok(h, "string>?", &[b, a]), "#t");
        assert_eq!(ok(h, "string<=?", &[a, a, b]), "#t");
        assert_eq!(ok(h, "string>=?", &[a, b]), "#f");
        assert_eq!(ok(h, "string-ci=?", &[a, upper_a]), "#t");
        assert_eq!(ok(h, "string-ci<?", &[upper_a, b]), "#t");
        let (strasse, upper) = (h.string("Straße"), h.string("STRASSE"));
        assert_eq!(ok(h, "string-ci=?", &[strasse, upper]), "#t");
        assert_eq!(ok(h, "string-ci>=?", &[strasse, upper]), "#t");
        assert_eq!(ok(h, "string-ci>?", &[strasse, upper]), "#f");
        assert_eq!(ok(h, "string-ci<=?", &[strasse, upper]), "#t");
    }

    #[test]
    fn case_conversion() {
        let h = &mut Heap::new();
        let s = h.string("Straße ﬁ");
        assert_eq!(ok(h, "string-upcase", &[s]), "\"STRASSE FI\"");
        assert_eq!(ok(h, "string-downcase", &[s]), "\"straße ﬁ\"");
        assert_eq!(ok(h, "string-foldcase", &[s]), "\"strasse fi\"");
        let greek = h.string("ΧΑΟΣ Σ");
        assert_eq!(ok(h, "string-downcase", &[greek]), "\"χαος σ\"");
        assert_eq!(ok(h, "string-foldcase", &[greek]), "\"χαοσ σ\"");
        let capital_sharp_s = h.string("ẞ");
        assert_eq!(ok(h, "string-foldcase", &[capital_sharp_s]), "\"ss\"");
        let dotted = h.string("İ");
        assert_eq!(ok(h, "string-foldcase", &[dotted]), "\"i\u{307}\"");
        assert!(error(h, "string-upcase", &[fx(1)]).starts_with("string-upcase: argument 1"));
    }

    #[test]
    fn copying_and_slicing() {
        let h = &mut Heap::new();
        let s = h.string("hello world");
        assert_eq!(ok(h, "substring", &[s, fx(6), fx(11)]), "\"world\"");
        assert_eq!(ok(h, "string-copy", &[s, fx(6)]), "\"world\"");
        let copy = test_support::call(h, "string-copy", &[s]).unwrap_or(Value::Null);
        assert!(!copy.is_eq(s) && show(h, copy) == "\"hello world\"");
        let parts = [h.string("ab"), h.string(""), h.string("c")];
        assert_eq!(ok(h, "string-append", &parts), "\"abc\"");
        assert_eq!(ok(h, "string-append", &[]), "\"\"");
        let s = h.string("abcde");
        ok(h, "string-fill!", &[s, Value::Char('z'), fx(1), fx(3)]);
        assert_eq!(show(h, s), "\"azzde\"");
        ok(h, "string-fill!", &[s, Value::Char('y')]);
        assert_eq!(show(h, s), "\"yyyyy\"");
        assert!(error(h, "string-fill!", &[s, fx(1)]).starts_with("string-fill!: argument 2"));
        assert!(
            error(h, "string-fill!", &[s, Value::Char('a'), fx(6)]).starts_with("string-fill!: argument 3")
        );
    }

    #[test]
    fn copy_into() {
        let h = &mut Heap::new();
        // R7RS example.
        let a = h.string("12345");
        let b = h.string("abcde");
        ok(h, "string-copy!", &[b, fx(1), a, fx(0), fx(2)]);
        assert_eq!(show(h, b), "\"a12de\"");
        let s = h.string("abcde");
        ok(h, "string-copy!", &[s, fx(1), s, fx(0), fx(4)]);
        assert_eq!(show(h, s), "\"aabcd\"");
        let s = h.string("abcde");
        ok(h, "string-copy!", &[s, fx(0), s, fx(2)]);
        assert_eq!(show(h, s), "\"cdede\"");
        assert!(error(h, "string-copy!", &[b, fx(3), a])
            .starts_with("string-copy!: argument 2: 3 is out of range"));
        assert!(
            error(h, "string-copy!", &[b, fx(0), a, fx(4), fx(9)]).starts_with("string-copy!: argument 5")
        );
        assert!(error(h, "string-copy!", &[fx(0), fx(0), a]).starts_with("string-copy!: argument 1"));
    }

    #[test]
    fn lists_and_vectors() {
        let h = &mut Heap::new();
        let s = h.string("abc");
        assert_eq!(ok(h, "string->list", &[s]), "(#\\a #\\b #\\c)");
        assert_eq!(ok(h, "string->list", &[s, fx(1)]), "(#\\b #\\c)");
        assert_eq!(ok(h, "string->list", &[s, fx(1), fx(2)]), "(#\\b)");
        let l = h.list(&[Value::Char('x'), Value::Char('y')]);
        assert_eq!(ok(h, "list->string", &[l]), "\"xy\"");
        assert_eq!(ok(h, "list->string", &[Value::Null]), "\"\"");
        let bad = h.list(&[Value::Char('x'), fx(1)]);
        assert!(error(h, "list->string", &[bad])
            .starts_with("list->string: argument 1: expected sequence of characters"));
        let circ = test_support::circular(h);
        assert!(
            error(h, "list->string", &[circ]).starts_with("list->string: argument 1: expected proper list")
        );
        assert_eq!(ok(h, "string->vector", &[s]), "#(#\\a #\\b #\\c)");
        assert_eq!(ok(h, "string->vector", &[s, fx(2)]), "#(#\\c)");
        let v = h.vector([Value::Char('1'), Value::Char('2'), Value::Char('3')]);
        assert_eq!(ok(h, "vector->string", &[v]), "\"123\"");
        assert_eq!(ok(h, "vector->string", &[v, fx(0), fx(2)]), "\"12\"");
        let bad = h.vector([fx(1)]);
        assert!(error(h, "vector->string", &[bad]).starts_with("vector->string: argument 1"));
        assert!(error(h, "vector->string", &[s]).starts_with("vector->string: argument 1: expected vector"));
    }
}
