//! Builtins: pairs and lists (R7RS 6.4) — `cons`, the `c[ad]{1,4}r` accessors, `length`,
//! `append`, the `mem*`/`ass*` searches — plus the `%`-aliases the expander's output calls.
//!
//! Every walk down a list detects cycles (tortoise and hare), so a circular list given where a
//! proper list is expected is a type error, never a hang.

use super::equivalence::{eq_words, eqv_words};
use super::{equal, eqv, index_arg, length_arg, simple, wrong, Builtin, ANY};
use crate::error::{BuiltinResult, Condition};
use crate::heap::{Heap, PAIR_BYTES};
use crate::value::{Value, Word};

/// A `c[ad]+r` accessor; the letters between `c` and `r` are applied right to left.
macro_rules! cxr {
    ($name:literal) => {
        simple($name, 1, 1, |h, a| cxr(h, $name, a[0])).on_words(|h, a| cxr_words(h, $name, a[0]))
    };
}

pub const BUILTINS: &[Builtin] = &[
    simple("pair?", 1, 1, |_, a| Ok(Value::Bool(matches!(a[0], Value::Pair(_))))),
    simple("cons", 2, 2, |h, a| Ok(h.cons(a[0], a[1]))).on_words(|h, a| Some(h.cons_words(a[0], a[1]))),
    simple("%cons", 2, 2, |h, a| Ok(h.cons(a[0], a[1]))).on_words(|h, a| Some(h.cons_words(a[0], a[1]))),
    simple("set-car!", 2, 2, |h, a| set_pair(h, "set-car!", a, 0)).on_words(|h, a| set_pair_words(h, a, 0)),
    simple("set-cdr!", 2, 2, |h, a| set_pair(h, "set-cdr!", a, 1)).on_words(|h, a| set_pair_words(h, a, 1)),
    cxr!("car"),
    cxr!("cdr"),
    cxr!("caar"),
    cxr!("cadr"),
    cxr!("cdar"),
    cxr!("cddr"),
    cxr!("caaar"),
    cxr!("caadr"),
    cxr!("cadar"),
    cxr!("caddr"),
    cxr!("cdaar"),
    cxr!("cdadr"),
    cxr!("cddar"),
    cxr!("cdddr"),
    cxr!("caaaar"),
    cxr!("caaadr"),
    cxr!("caadar"),
    cxr!("caaddr"),
    cxr!("cadaar"),
    cxr!("cadadr"),
    cxr!("caddar"),
    cxr!("cadddr"),
    cxr!("cdaaar"),
    cxr!("cdaadr"),
    cxr!("cdadar"),
    cxr!("cdaddr"),
    cxr!("cddaar"),
    cxr!("cddadr"),
    cxr!("cdddar"),
    cxr!("cddddr"),
    simple("null?", 1, 1, |_, a| Ok(Value::Bool(matches!(a[0], Value::Null)))),
    simple("list?", 1, 1, |h, a| Ok(Value::Bool(matches!(spine(h, a[0]).1, End::Null)))),
    simple("%circular?", 1, 1, |h, a| Ok(Value::Bool(matches!(spine(h, a[0]).1, End::Cycle)))),
    simple("make-list", 1, 2, make_list),
    simple("list", 0, ANY, |h, a| Ok(h.list(a)))
        .on_words(|h, a| Some(a.iter().rev().fold(Word::NULL, |tail, &x| h.cons_words(x, tail)))),
    simple("%list", 0, ANY, |h, a| Ok(h.list(a))),
    simple("length", 1, 1, length).on_words(length_words),
    simple("append", 0, ANY, |h, a| append(h, "append", a)),
    simple("%append", 0, ANY, |h, a| append(h, "append", a)),
    simple("reverse", 1, 1, reverse),
    simple("list-tail", 2, 2, |h, a| list_tail(h, "list-tail", a[0], a[1])),
    simple("list-ref", 2, 2, list_ref),
    simple("list-set!", 3, 3, list_set),
    simple("list-copy", 1, 1, list_copy),
    simple("last-pair", 1, 1, last_pair),
    simple("memq", 2, 2, |h, a| member_by(h, "memq", a, |_, x, y| x.is_eq(y)))
        .on_words(|h, a| member_words(h, a, eq_words)),
    simple("memv", 2, 2, |h, a| member_by(h, "memv", a, eqv)).on_words(|h, a| member_words(h, a, eqv_words)),
    simple("%memv", 2, 2, |h, a| member_by(h, "memv", a, eqv)).on_words(|h, a| member_words(h, a, eqv_words)),
    simple("%member2", 2, 2, |h, a| member_by(h, "member", a, equal)),
    simple("assq", 2, 2, |h, a| assoc_by(h, "assq", a, |_, x, y| x.is_eq(y)))
        .on_words(|h, a| assoc_words(h, a, eq_words)),
    simple("assv", 2, 2, |h, a| assoc_by(h, "assv", a, eqv)).on_words(|h, a| assoc_words(h, a, eqv_words)),
    simple("%assoc2", 2, 2, |h, a| assoc_by(h, "assoc", a, equal)),
];

/// How a walk down a list's cdrs ended.
pub(super) enum End {
    /// At `()`: a proper list.
    Null,
    /// At this non-pair, non-null value: an improper list.
    Tail(Value),
    /// The cdrs loop back.
    Cycle,
}

/// Iterator over the pairs of a list's spine. Stops at the first non-pair or once it has
/// seen a cycle (after visiting every pair of it); [`Pairs::end`] then says which.
pub(super) struct Pairs<'h> {
    heap: &'h Heap,
    at: Word,
    /// Moves one pair for every two `at` moves; meeting `at` means a cycle.
    slow: Word,
    /// The list walked, which is the end when there was no pair.
    list: Value,
    steps: usize,
    cyclic: bool,
}

impl<'h> Pairs<'h> {
    pub(super) fn new(heap: &'h Heap, list: Value) -> Pairs<'h> {
        // Anything without a word (a fixnum too wide for one) is not a pair.
        let at = Word::new(list).unwrap_or(Word::UNSPECIFIED);
        Pairs { heap, at, slow: at, list, steps: 0, cyclic: false }
    }

    /// The pairs of the list in a stored word.
    fn of_word(heap: &'h Heap, list: Word) -> Pairs<'h> {
        Pairs { heap, at: list, slow: list, list: list.get(), steps: 0, cyclic: false }
    }

    pub(super) fn end(&self) -> End {
        match self.at.get() {
            _ if self.cyclic => End::Cycle,
            Value::Null => End::Null,
            _ if self.steps == 0 => End::Tail(self.list),
            v => End::Tail(v),
        }
    }
}

impl Iterator for Pairs<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let p = self.at.pair_index()?;
        if self.cyclic {
            return None;
        }
        self.at = self.heap.cdr_word(p);
        self.steps += 1;
        if self.steps.is_multiple_of(2) {
            if let Some(s) = self.slow.pair_index() {
                self.slow = self.heap.cdr_word(s);
            }
            self.cyclic = self.at.is_pair() && self.at == self.slow;
        }
        Some(p)
    }
}

/// The number of pairs in a list's spine and how it ended.
fn spine(heap: &Heap, list: Value) -> (usize, End) {
    let mut pairs = Pairs::new(heap, list);
    let count = pairs.by_ref().count();
    (count, pairs.end())
}

/// The elements of the proper list in argument `position`, or a type error.
pub(super) fn proper_list(
    heap: &Heap,
    proc: &str,
    position: usize,
    list: Value,
) -> Result<Vec<Value>, Condition> {
    let mut pairs = Pairs::new(heap, list);
    let items: Vec<Value> = pairs.by_ref().map(|p| heap.car(p)).collect();
    match pairs.end() {
        End::Null => Ok(items),
        _ => Err(wrong(heap, proc, position, "proper list", list)),
    }
}

/// `cxr` on words: `None` for anything but pairs along the path.
fn cxr_words(heap: &Heap, name: &str, w: Word) -> Option<Word> {
    let path = &name[1..name.len() - 1];
    let mut x = w;
    for step in path.bytes().rev() {
        let p = x.pair_index()?;
        x = if step == b'a' { heap.car_word(p) } else { heap.cdr_word(p) };
    }
    Some(x)
}

fn cxr(heap: &mut Heap, name: &str, v: Value) -> BuiltinResult {
    let path = &name[1..name.len() - 1];
    let mut x = v;
    for step in path.bytes().rev() {
        let Value::Pair(p) = x else {
            let expected =
                if path.len() == 1 { "pair".to_owned() } else { format!("pairs along the {name} path") };
            return Err(wrong(heap, name, 1, &expected, v));
        };
        x = if step == b'a' { heap.car(p) } else { heap.cdr(p) };
    }
    Ok(x)
}

/// `set-car!` (`field` 0) and `set-cdr!` (1). Inlined into each, as before the constant
/// check made it too big for the compiler to choose that.
#[inline(always)]
fn set_pair(heap: &mut Heap, proc: &str, args: &[Value], field: usize) -> BuiltinResult {
    let Value::Pair(p) = args[0] else { return Err(wrong(heap, proc, 1, "pair", args[0])) };
    heap.check_mutable(proc, args[0])?;
    if field == 0 {
        heap.set_car(p, args[1]);
    } else {
        heap.set_cdr(p, args[1]);
    }
    Ok(Value::Unspecified)
}

/// `set_pair` on words: `None` for a non-pair or a literal constant.
fn set_pair_words(heap: &mut Heap, args: &[Word], field: usize) -> Option<Word> {
    let p = args[0].pair_index()?;
    heap.set_pair_word(p, field, args[1]).then_some(Word::UNSPECIFIED)
}

fn make_list(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let n = length_arg(heap, "make-list", 1, args[0], PAIR_BYTES)?;
    let fill = args.get(1).copied().unwrap_or(Value::FALSE);
    Ok((0..n).fold(Value::Null, |tail, _| heap.cons(fill, tail)))
}

/// `length` of a proper list on words: `None` for anything else.
fn length_words(heap: &mut Heap, args: &[Word]) -> Option<Word> {
    let mut pairs = Pairs::of_word(heap, args[0]);
    let n = pairs.by_ref().count();
    match pairs.end() {
        End::Null => Word::fixnum(n as i64),
        _ => None,
    }
}

fn length(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    match spine(heap, args[0]) {
        (n, End::Null) => Ok(Value::Fixnum(n as i64)),
        _ => Err(wrong(heap, "length", 1, "proper list", args[0])),
    }
}

/// `append`: every argument but the last must be a proper list and is copied; the last is
/// shared and may be anything.
fn append(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let Some((&last, init)) = args.split_last() else { return Ok(Value::Null) };
    let lists = init
        .iter()
        .enumerate()
        .map(|(i, &list)| proper_list(heap, proc, i + 1, list))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(lists.iter().rev().fold(last, |tail, items| heap.list_with_tail(items, tail)))
}

fn reverse(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let items = proper_list(heap, "reverse", 1, args[0])?;
    Ok(items.into_iter().fold(Value::Null, |tail, x| heap.cons(x, tail)))
}

/// The list after `k` cdrs. A cycle makes any `k` valid; it is walked modulo its length.
fn list_tail(heap: &Heap, proc: &str, list: Value, k: Value) -> BuiltinResult {
    let wanted = index_arg(heap, proc, 2, k)?;
    let mut pairs = Pairs::new(heap, list);
    let taken = pairs.by_ref().take(wanted).count();
    let mut at = if pairs.steps == 0 { list } else { pairs.at.get() };
    if taken == wanted {
        return Ok(at);
    }
    let End::Cycle = pairs.end() else {
        return Err(Condition::out_of_range(heap, proc, 2, k, &format!(" (length {taken})")));
    };
    // `at` is inside the cycle: measure it, then take the remaining steps modulo its length.
    let start = at;
    let mut cycle = 0;
    loop {
        // A cycle is made of pairs, so this always matches.
        let Value::Pair(p) = at else { return Ok(at) };
        at = heap.cdr(p);
        cycle += 1;
        if at.is_eq(start) {
            break;
        }
    }
    for _ in 0..(wanted - taken) % cycle {
        if let Value::Pair(p) = at {
            at = heap.cdr(p);
        }
    }
    Ok(at)
}

/// The pair holding element `k` of a list, for `list-ref` and `list-set!`.
fn nth_pair(heap: &Heap, proc: &str, list: Value, k: Value) -> Result<u32, Condition> {
    match list_tail(heap, proc, list, k)? {
        Value::Pair(p) => Ok(p),
        _ => {
            let (len, _) = spine(heap, list);
            Err(Condition::out_of_range(heap, proc, 2, k, &format!(" (length {len})")))
        }
    }
}

fn list_ref(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    if !matches!(args[0], Value::Pair(_) | Value::Null) {
        return Err(wrong(heap, "list-ref", 1, "list", args[0]));
    }
    let p = nth_pair(heap, "list-ref", args[0], args[1])?;
    Ok(heap.car(p))
}

fn list_set(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    if !matches!(args[0], Value::Pair(_) | Value::Null) {
        return Err(wrong(heap, "list-set!", 1, "list", args[0]));
    }
    let p = nth_pair(heap, "list-set!", args[0], args[1])?;
    heap.check_mutable("list-set!", Value::Pair(p))?;
    heap.set_car(p, args[2]);
    Ok(Value::Unspecified)
}

/// `list-copy`: copies the spine's pairs; an improper tail is shared, a non-list returned.
fn list_copy(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let mut pairs = Pairs::new(heap, args[0]);
    let items: Vec<Value> = pairs.by_ref().map(|p| heap.car(p)).collect();
    let tail = match pairs.end() {
        End::Null => Value::Null,
        End::Tail(v) => v,
        End::Cycle => return Err(wrong(heap, "list-copy", 1, "non-circular list", args[0])),
    };
    Ok(heap.list_with_tail(&items, tail))
}

fn last_pair(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let mut pairs = Pairs::new(heap, args[0]);
    match (pairs.by_ref().last(), pairs.end()) {
        (Some(p), End::Null | End::Tail(_)) => Ok(Value::Pair(p)),
        _ => Err(wrong(heap, "last-pair", 1, "non-circular pair", args[0])),
    }
}

type Same = fn(&Heap, Value, Value) -> bool;

/// `memq`/`memv`/`member`: the first tail whose car is the same as `args[0]`, or `#f`.
fn member_by(heap: &mut Heap, proc: &str, args: &[Value], same: Same) -> BuiltinResult {
    let (x, list) = (args[0], args[1]);
    let mut pairs = Pairs::new(heap, list);
    if let Some(p) = pairs.by_ref().find(|&p| same(heap, x, heap.car(p))) {
        return Ok(Value::Pair(p));
    }
    match pairs.end() {
        End::Null => Ok(Value::FALSE),
        _ => Err(wrong(heap, proc, 2, "proper list", list)),
    }
}

/// How two words compare for `memq`/`assv`/...: `None` when only the builtin can tell.
type SameWords = fn(Word, Word) -> Option<bool>;

/// `memq`/`memv` on words: `None` when a comparison needs the builtin or the list ends
/// improperly (the builtin reports it).
fn member_words(heap: &mut Heap, args: &[Word], same: SameWords) -> Option<Word> {
    let mut pairs = Pairs::of_word(heap, args[1]);
    for p in pairs.by_ref() {
        if same(args[0], heap.car_word(p))? {
            return Some(Word::pair(p));
        }
    }
    matches!(pairs.end(), End::Null).then_some(Word::FALSE)
}

/// `assq`/`assv` on words: `None` as for [`member_words`], and for an entry that is not a
/// pair.
fn assoc_words(heap: &mut Heap, args: &[Word], same: SameWords) -> Option<Word> {
    let mut pairs = Pairs::of_word(heap, args[1]);
    for p in pairs.by_ref() {
        let entry = heap.car_word(p);
        if same(args[0], heap.car_word(entry.pair_index()?))? {
            return Some(entry);
        }
    }
    matches!(pairs.end(), End::Null).then_some(Word::FALSE)
}

/// `assq`/`assv`/`assoc`: the first pair in an association list whose car is `args[0]`.
fn assoc_by(heap: &mut Heap, proc: &str, args: &[Value], same: Same) -> BuiltinResult {
    let (key, alist) = (args[0], args[1]);
    let mut pairs = Pairs::new(heap, alist);
    for p in pairs.by_ref() {
        let entry = heap.car(p);
        let Value::Pair(e) = entry else {
            return Err(wrong(heap, proc, 2, "association list (a list of pairs)", alist));
        };
        if same(heap, key, heap.car(e)) {
            return Ok(entry);
        }
    }
    match pairs.end() {
        End::Null => Ok(Value::FALSE),
        _ => Err(wrong(heap, proc, 2, "proper list", alist)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{call, circular, error, fixnums, ok, show};
    use super::*;

    fn sym(heap: &mut Heap, name: &str) -> Value {
        heap.intern(name)
    }

    #[test]
    fn pairs_and_accessors() {
        let h = &mut Heap::new();
        let p = ok(h, "cons", &[Value::Fixnum(1), Value::Fixnum(2)]);
        assert_eq!(p, "(1 . 2)");
        let l = fixnums(h, &[1, 2, 3, 4, 5]);
        assert_eq!(ok(h, "car", &[l]), "1");
        assert_eq!(ok(h, "cdr", &[l]), "(2 3 4 5)");
        assert_eq!(ok(h, "cadr", &[l]), "2");
        assert_eq!(ok(h, "cddr", &[l]), "(3 4 5)");
        assert_eq!(ok(h, "caddr", &[l]), "3");
        assert_eq!(ok(h, "cadddr", &[l]), "4");
        assert_eq!(ok(h, "cddddr", &[l]), "(5)");
        let inner = fixnums(h, &[7, 8]);
        let nested = h.list(&[inner]);
        assert_eq!(ok(h, "caar", &[nested]), "7");
        assert_eq!(ok(h, "cdar", &[nested]), "(8)");
        assert_eq!(ok(h, "cadar", &[nested]), "8");
        let names = BUILTINS.iter().filter(|b| b.name.starts_with('c') && b.name.ends_with('r'));
        assert_eq!(names.filter(|b| b.name.len() <= 6 && b.name != "cons").count(), 30);
    }

    #[test]
    fn accessor_errors_name_procedure_and_argument() {
        let h = &mut Heap::new();
        let msg = error(h, "car", &[Value::Fixnum(5)]);
        assert_eq!(msg, "car: argument 1: expected pair, got 5");
        let l = fixnums(h, &[1]);
        let msg = error(h, "caddr", &[l]);
        assert!(msg.starts_with("caddr: argument 1:") && msg.ends_with("got (1)"), "{msg}");
        assert!(error(h, "set-car!", &[Value::Null, Value::TRUE]).contains("set-car!: argument 1"));
    }

    #[test]
    fn mutation() {
        let h = &mut Heap::new();
        let l = fixnums(h, &[1, 2]);
        ok(h, "set-car!", &[l, Value::Fixnum(9)]);
        ok(h, "set-cdr!", &[l, Value::Fixnum(3)]);
        assert_eq!(show(h, l), "(9 . 3)");
        let l = fixnums(h, &[0, 1, 2]);
        let s = h.string("two");
        ok(h, "list-set!", &[l, Value::Fixnum(1), s]);
        assert_eq!(show(h, l), "(0 \"two\" 2)");
        assert!(error(h, "list-set!", &[l, Value::Fixnum(3), s]).contains("out of range"));
    }

    #[test]
    fn predicates_and_length() {
        let h = &mut Heap::new();
        let l = fixnums(h, &[1, 2, 3]);
        let improper = h.list_with_tail(&[Value::Fixnum(1)], Value::Fixnum(2));
        let circ = circular(h);
        assert_eq!(ok(h, "list?", &[l]), "#t");
        assert_eq!(ok(h, "list?", &[Value::Null]), "#t");
        assert_eq!(ok(h, "list?", &[improper]), "#f");
        assert_eq!(ok(h, "list?", &[circ]), "#f");
        assert_eq!(ok(h, "pair?", &[improper]), "#t");
        assert_eq!(ok(h, "null?", &[Value::Null]), "#t");
        assert_eq!(ok(h, "null?", &[l]), "#f");
        assert_eq!(ok(h, "length", &[l]), "3");
        assert_eq!(ok(h, "length", &[Value::Null]), "0");
        assert_eq!(
            error(h, "length", &[circ]).split(',').next(),
            Some("length: argument 1: expected proper list")
        );
        assert!(error(h, "length", &[improper]).starts_with("length: argument 1: expected proper list"));
    }

    #[test]
    fn construction() {
        let h = &mut Heap::new();
        assert_eq!(ok(h, "list", &[Value::Fixnum(1), Value::TRUE]), "(1 #t)");
        assert_eq!(ok(h, "%list", &[]), "()");
        let x = sym(h, "x");
        assert_eq!(ok(h, "make-list", &[Value::Fixnum(3), x]), "(x x x)");
        assert_eq!(ok(h, "make-list", &[Value::Fixnum(0)]), "()");
        assert!(error(h, "make-list", &[Value::Fixnum(-1)]).contains("make-list: argument 1"));
        let msg = error(h, "make-list", &[Value::Fixnum(10_000_000_000)]);
        assert!(msg.contains("too large"), "{msg}");
    }

    #[test]
    fn append_shares_last_and_checks_the_rest() {
        let h = &mut Heap::new();
        let a = fixnums(h, &[1]);
        let b = fixnums(h, &[2, 3]);
        assert_eq!(ok(h, "append", &[a, b]), "(1 2 3)");
        assert_eq!(ok(h, "append", &[]), "()");
        assert_eq!(ok(h, "append", &[Value::Fixnum(5)]), "5");
        assert_eq!(ok(h, "%append", &[a, Value::Fixnum(4)]), "(1 . 4)");
        let joined = call_value(h, "append", &[a, Value::Null, b]);
        let Value::Pair(p) = joined else { panic!() };
        assert!(h.cdr(p).is_eq(b), "the last list is shared");
        let circ = circular(h);
        assert!(error(h, "append", &[circ, a]).starts_with("append: argument 1: expected proper list"));
        assert!(error(h, "append", &[a, Value::Fixnum(1), b]).starts_with("append: argument 2"));
        assert_eq!(ok(h, "append", &[a, circ]).chars().next(), Some('('), "last may be circular");
    }

    fn call_value(h: &mut Heap, name: &str, args: &[Value]) -> Value {
        call(h, name, args).unwrap_or_else(|c| panic!("{}", c.message))
    }

    #[test]
    fn reverse_tail_ref_copy() {
        let h = &mut Heap::new();
        let l = fixnums(h, &[1, 2, 3]);
        assert_eq!(ok(h, "reverse", &[l]), "(3 2 1)");
        assert_eq!(ok(h, "reverse", &[Value::Null]), "()");
        assert!(error(h, "reverse", &[Value::Fixnum(1)]).starts_with("reverse: argument 1"));
        assert_eq!(ok(h, "list-tail", &[l, Value::Fixnum(2)]), "(3)");
        assert_eq!(ok(h, "list-tail", &[l, Value::Fixnum(3)]), "()");
        assert!(error(h, "list-tail", &[l, Value::Fixnum(4)]).contains("out of range (length 3)"));
        assert!(error(h, "list-tail", &[l, Value::Fixnum(-1)]).starts_with("list-tail: argument 2"));
        assert_eq!(ok(h, "list-ref", &[l, Value::Fixnum(1)]), "2");
        assert!(error(h, "list-ref", &[l, Value::Fixnum(3)]).starts_with("list-ref: argument 2"));
        assert!(error(h, "list-ref", &[Value::TRUE, Value::Fixnum(0)]).starts_with("list-ref: argument 1"));
        let circ = circular(h);
        assert_eq!(ok(h, "list-ref", &[circ, Value::Fixnum(4)]), "2");
        assert_eq!(ok(h, "list-ref", &[circ, Value::Fixnum(i64::MAX)]), "2");
        let copy = call_value(h, "list-copy", &[l]);
        assert!(!copy.is_eq(l));
        assert_eq!(show(h, copy), "(1 2 3)");
        let improper = h.list_with_tail(&[Value::Fixnum(1)], Value::Fixnum(2));
        assert_eq!(ok(h, "list-copy", &[improper]), "(1 . 2)");
        assert_eq!(ok(h, "list-copy", &[Value::Fixnum(7)]), "7");
        assert!(error(h, "list-copy", &[circ]).starts_with("list-copy: argument 1"));
        assert_eq!(ok(h, "last-pair", &[l]), "(3)");
        assert_eq!(ok(h, "last-pair", &[improper]), "(1 . 2)");
        assert!(error(h, "last-pair", &[Value::Null]).starts_with("last-pair: argument 1"));
        assert!(error(h, "last-pair", &[circ]).starts_with("last-pair: argument 1"));
    }

    #[test]
    fn cycles_after_a_prefix() {
        let h = &mut Heap::new();
        // (0 1 . #0=(2 3 4 . #0#))
        let l = fixnums(h, &[0, 1, 2, 3, 4]);
        let (Ok(Value::Pair(second)), Ok(Value::Pair(last))) =
            (list_tail(h, "t", l, Value::Fixnum(2)), list_tail(h, "t", l, Value::Fixnum(4)))
        else {
            panic!("list-tail")
        };
        h.set_cdr(last, Value::Pair(second));
        assert_eq!(ok(h, "list?", &[l]), "#f");
        assert!(error(h, "length", &[l]).starts_with("length: argument 1: expected proper list"));
        assert_eq!(ok(h, "list-ref", &[l, Value::Fixnum(7)]), "4");
        assert_eq!(ok(h, "list-ref", &[l, Value::Fixnum(100)]), "4");
        assert_eq!(ok(h, "memv", &[Value::Fixnum(4), l]).chars().next(), Some('#'));
        let self_loop = h.cons(Value::Fixnum(1), Value::Null);
        let Value::Pair(p) = self_loop else { panic!() };
        h.set_cdr(p, self_loop);
        assert_eq!(ok(h, "list?", &[self_loop]), "#f");
        assert_eq!(ok(h, "list-ref", &[self_loop, Value::Fixnum(5)]), "1");
    }

    #[test]
    fn searches() {
        let h = &mut Heap::new();
        let (a, b, c) = (sym(h, "a"), sym(h, "b"), sym(h, "c"));
        let l = h.list(&[a, b, c]);
        assert_eq!(ok(h, "memq", &[a, l]), "(a b c)");
        assert_eq!(ok(h, "memq", &[b, l]), "(b c)");
        let d = sym(h, "d");
        assert_eq!(ok(h, "memq", &[d, l]), "#f");
        let inner = h.list(&[a]);
        let inner2 = h.list(&[a]);
        let nested = h.list(&[b, inner, c]);
        assert_eq!(ok(h, "%member2", &[inner2, nested]), "((a) c)");
        assert_eq!(ok(h, "memq", &[inner2, nested]), "#f");
        let nums = fixnums(h, &[101, 102, 103]);
        assert_eq!(ok(h, "memv", &[Value::Fixnum(101), nums]), "(101 102 103)");
        assert_eq!(ok(h, "%memv", &[Value::Fixnum(103), nums]), "(103)");
        let circ = circular(h);
        assert_eq!(ok(h, "memv", &[Value::Fixnum(3), circ]).chars().next(), Some('#'));
        assert!(error(h, "memv", &[Value::Fixnum(4), circ]).starts_with("memv: argument 2"));
        let improper = h.list_with_tail(&[a], b);
        assert!(error(h, "memq", &[c, improper]).starts_with("memq: argument 2"));
        assert!(error(h, "%member2", &[c, Value::TRUE]).starts_with("member: argument 2"));

        let e1 = h.list(&[a, Value::Fixnum(1)]);
        let e2 = h.list(&[b, Value::Fixnum(2)]);
        let alist = h.list(&[e1, e2]);
        assert_eq!(ok(h, "assq", &[b, alist]), "(b 2)");
        assert_eq!(ok(h, "assv", &[d, alist]), "#f");
        let key = h.list(&[Value::Fixnum(5)]);
        let key2 = h.list(&[Value::Fixnum(5)]);
        let e3 = h.list(&[key, Value::Fixnum(7)]);
        let alist2 = h.list(&[e3]);
        assert_eq!(ok(h, "%assoc2", &[key2, alist2]), "((5) 7)");
        assert_eq!(ok(h, "assq", &[key2, alist2]), "#f");
        let bad = h.list(&[e1, Value::Fixnum(3)]);
        assert!(error(h, "assv", &[d, bad]).starts_with("assv: argument 2: expected association list"));
        assert!(error(h, "%assoc2", &[d, Value::Fixnum(3)]).starts_with("assoc: argument 2"));
    }
}
