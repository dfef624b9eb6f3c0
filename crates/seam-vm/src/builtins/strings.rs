//! Builtins: strings (R7RS 6.7) — construction, access, comparison, copying, full Unicode
//! case conversion, and conversion to and from lists and vectors.

use std::cmp::Ordering;

use super::chars::{char_arg, foldcase};
use super::lists::proper_list;
use super::vectors::{copy_target, length_arg, vector_arg};
use super::{index_arg, range_args, simple, wrong, Builtin, ANY};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::object::Object;
use crate::value::Value;

/// A variadic comparison; the `-ci` variants fold case first.
macro_rules! compare {
    ($name:literal, $fold:expr, $holds:expr) => {
        simple($name, 2, ANY, |h, a| compare_strings(h, $name, a, $fold, $holds))
    };
}

/// A whole-string case conversion.
macro_rules! convert {
    ($name:literal, $convert:expr) => {
        simple($name, 1, 1, |h, a| {
            let converted = $convert(string_arg(h, $name, 1, a[0])?);
            Ok(h.alloc(Object::String(converted)))
        })
    };
}

pub const BUILTINS: &[Builtin] = &[
    simple("string?", 1, 1, |h, a| Ok(Value::Bool(h.as_str(a[0]).is_some()))),
    simple("make-string", 1, 2, make_string),
    simple("string", 0, ANY, string),
    simple("string-length", 1, 1, |h, a| {
        Ok(Value::Fixnum(string_arg(h, "string-length", 1, a[0])?.len() as i64))
    }),
    simple("string-ref", 2, 2, string_ref),
    simple("string-set!", 3, 3, string_set),
    compare!("string=?", false, Ordering::is_eq),
    compare!("string<?", false, Ordering::is_lt),
    compare!("string>?", false, Ordering::is_gt),
    compare!("string<=?", false, Ordering::is_le),
    compare!("string>=?", false, Ordering::is_ge),
    compare!("string-ci=?", true, Ordering::is_eq),
    compare!("string-ci<?", true, Ordering::is_lt),
    compare!("string-ci>?", true, Ordering::is_gt),
    compare!("string-ci<=?", true, Ordering::is_le),
    compare!("string-ci>=?", true, Ordering::is_ge),
    simple("substring", 3, 3, |h, a| string_copy(h, "substring", a)),
    simple("string-append", 0, ANY, string_append),
    simple("string->list", 1, 3, string_to_list),
    simple("list->string", 1, 1, list_to_string),
    simple("string-copy", 1, 3, |h, a| string_copy(h, "string-copy", a)),
    simple("string-copy!", 3, 5, string_copy_to),
    simple("string-fill!", 2, 4, string_fill),
    convert!("string-upcase", |s: &[char]| s.iter().flat_map(|c| c.to_uppercase()).collect()),
    convert!("string-downcase", |s: &[char]| {
        // Through `str` for the final-sigma rule (`ΧΑΟΣ` → `χαος`).
        s.iter().collect::<String>().to_lowercase().chars().collect()
    }),
    convert!("string-foldcase", fold_string),
    simple("string->vector", 1, 3, string_to_vector),
    simple("vector->string", 1, 3, vector_to_string),
];

/// The characters of the string in argument `position`, or a type error.
pub(super) fn string_arg<'h>(
    heap: &'h Heap,
    proc: &str,
    position: usize,
    v: Value,
) -> Result<&'h [char], Condition> {
    heap.as_str(v).ok_or_else(|| wrong(heap, proc, position, "string", v))
}

/// Full case folding: simple folding, plus the characters whose uppercase is several
/// characters (`ß` → `ss`, `ﬁ` → `fi`) and those whose lowercase is (`İ` → `i̇`).
fn fold_string(s: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
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

fn make_string(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let n = length_arg(heap, "make-string", 1, args[0], size_of::<char>())?;
    let fill = match args.get(1) {
        Some(&v) => char_arg(heap, "make-string", 2, v)?,
        None => ' ',
    };
    Ok(heap.alloc(Object::String(vec![fill; n])))
}

fn string(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let chars = args
        .iter()
        .enumerate()
        .map(|(i, &v)| char_arg(heap, "string", i + 1, v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(heap.alloc(Object::String(chars)))
}

/// The index argument of `string-ref`/`string-set!` into a string of length `len`.
fn char_index(heap: &Heap, proc: &str, k: Value, len: usize) -> Result<usize, Condition> {
    let i = index_arg(heap, proc, 2, k)?;
    if i >= len {
        return Err(Condition::out_of_range(heap, proc, 2, k, &format!(" (length {len})")));
    }
    Ok(i)
}

fn string_ref(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let s = string_arg(heap, "string-ref", 1, args[0])?;
    let i = char_index(heap, "string-ref", args[1], s.len())?;
    Ok(Value::Char(s[i]))
}

fn string_set(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let len = string_arg(heap, "string-set!", 1, args[0])?.len();
    let i = char_index(heap, "string-set!", args[1], len)?;
    let c = char_arg(heap, "string-set!", 3, args[2])?;
    if let Some(Object::String(s)) = heap.object_mut(args[0]) {
        s[i] = c;
    }
    Ok(Value::Unspecified)
}

fn compare_strings(
    heap: &mut Heap,
    proc: &str,
    args: &[Value],
    fold: bool,
    holds: fn(Ordering) -> bool,
) -> BuiltinResult {
    let mut strings = Vec::with_capacity(args.len());
    for (i, &v) in args.iter().enumerate() {
        let s = string_arg(heap, proc, i + 1, v)?;
        strings.push(if fold { fold_string(s) } else { s.to_vec() });
    }
    Ok(Value::Bool(strings.windows(2).all(|w| holds(w[0].cmp(&w[1])))))
}

/// `string-copy` and `substring`: a new string of `args[0]` from `args[1]` to `args[2]`.
fn string_copy(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let s = string_arg(heap, proc, 1, args[0])?;
    let (start, end) = range_args(heap, proc, args, 1, s.len())?;
    let copy = s[start..end].to_vec();
    Ok(heap.alloc(Object::String(copy)))
}

fn string_append(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let mut out = Vec::new();
    for (i, &v) in args.iter().enumerate() {
        out.extend_from_slice(string_arg(heap, "string-append", i + 1, v)?);
    }
    Ok(heap.alloc(Object::String(out)))
}

fn string_to_list(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let s = string_arg(heap, "string->list", 1, args[0])?;
    let (start, end) = range_args(heap, "string->list", args, 1, s.len())?;
    let chars: Vec<Value> = s[start..end].iter().map(|&c| Value::Char(c)).collect();
    Ok(heap.list(&chars))
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
    let chars = chars_of(heap, "list->string", 1, args[0], &items)?;
    Ok(heap.alloc(Object::String(chars)))
}

/// `(string-copy! to at from [start end])`; the source is read before anything is written,
/// so overlapping ranges of one string copy correctly.
fn string_copy_to(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let to_len = string_arg(heap, "string-copy!", 1, args[0])?.len();
    let from = string_arg(heap, "string-copy!", 3, args[2])?;
    let (start, end) = range_args(heap, "string-copy!", args, 3, from.len())?;
    let source = from[start..end].to_vec();
    let at = copy_target(heap, "string-copy!", args, to_len, source.len())?;
    if let Some(Object::String(s)) = heap.object_mut(args[0]) {
        s[at..at + source.len()].copy_from_slice(&source);
    }
    Ok(Value::Unspecified)
}

fn string_fill(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let len = string_arg(heap, "string-fill!", 1, args[0])?.len();
    let c = char_arg(heap, "string-fill!", 2, args[1])?;
    let (start, end) = range_args(heap, "string-fill!", args, 2, len)?;
    if let Some(Object::String(s)) = heap.object_mut(args[0]) {
        s[start..end].fill(c);
    }
    Ok(Value::Unspecified)
}

fn string_to_vector(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let s = string_arg(heap, "string->vector", 1, args[0])?;
    let (start, end) = range_args(heap, "string->vector", args, 1, s.len())?;
    let items = s[start..end].iter().map(|&c| Value::Char(c)).collect();
    Ok(heap.alloc(Object::Vector(items)))
}

fn vector_to_string(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let items = vector_arg(heap, "vector->string", 1, args[0])?;
    let (start, end) = range_args(heap, "vector->string", args, 1, items.len())?;
    let chars = chars_of(heap, "vector->string", 1, args[0], &items[start..end])?;
    Ok(heap.alloc(Object::String(chars)))
}

#[cfg(test)]
mod tests {
    use super::super::lists::test_support::{self, show};
    use super::*;

    fn ok(heap: &mut Heap, name: &str, args: &[Value]) -> String {
        test_support::ok(BUILTINS, name, heap, args)
    }

    fn error(heap: &mut Heap, name: &str, args: &[Value]) -> String {
        test_support::error(BUILTINS, name, heap, args)
    }

    const fn fx(n: i64) -> Value {
        Value::Fixnum(n)
    }

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
        let copy = test_support::call(BUILTINS, "string-copy", h, &[s]).unwrap_or(Value::Null);
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
        let v = h.alloc(Object::Vector(vec![Value::Char('1'), Value::Char('2'), Value::Char('3')]));
        assert_eq!(ok(h, "vector->string", &[v]), "\"123\"");
        assert_eq!(ok(h, "vector->string", &[v, fx(0), fx(2)]), "\"12\"");
        let bad = h.alloc(Object::Vector(vec![fx(1)]));
        assert!(error(h, "vector->string", &[bad]).starts_with("vector->string: argument 1"));
        assert!(error(h, "vector->string", &[s]).starts_with("vector->string: argument 1: expected vector"));
    }
}
