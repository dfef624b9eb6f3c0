//! `display` and `write`: the external representation of values. Cycles are written with
//! datum labels (`#0=(a . #0#)`) so printing always terminates; `write-shared` labels every
//! shared pair or vector.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::error::Condition;
use crate::heap::Heap;
use crate::limits::Limit;
use crate::num::to_number;
use crate::object::Object;
use crate::value::Value;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Display,
    Write,
    /// `write-shared`: labels for all shared structure, not only cycles.
    Shared,
}

/// `v` as `write` shows it, cut to about `limit` characters.
pub fn write_limited(heap: &Heap, v: Value, limit: usize) -> String {
    // Printing stops soon after the limit: shared structure can make the full text of a
    // small value exponentially long.
    let (mut s, _) = print(heap, v, Mode::Write, limit.saturating_mul(4).saturating_add(16), false);
    if s.chars().count() > limit {
        s = s.chars().take(limit).collect::<String>() + "...";
    }
    s
}

/// The printed form of `v` (for messages and tests: unlimited; `write` and `display` use
/// [`to_string_checked`]).
pub fn to_string(heap: &Heap, v: Value, mode: Mode) -> String {
    print(heap, v, mode, usize::MAX, false).0
}

/// The printed form of `v`, or an error if it would be longer than one allocation may be
/// (1 GiB, or the memory limit: a small value with shared structure can print exponentially
/// long), or if the evaluation was interrupted or passed its deadline while printing
/// (checked every 64 KiB of output).
pub fn to_string_checked(heap: &Heap, v: Value, mode: Mode, proc: &str) -> Result<String, Condition> {
    let cap = crate::builtins::allocation_cap(heap);
    match print(heap, v, mode, cap.bytes, true) {
        (text, None) => Ok(text),
        (_, Some(Stop::TooLong)) => Err(Condition::new(
            cap.kind,
            format!("{proc}: the printed form is longer than {} bytes", cap.bytes),
        )),
        (_, Some(Stop::Number(bits))) => Err(crate::num::number_text_too_long(proc, bits)),
        (_, Some(Stop::Limit(limit))) => {
            Err(Condition::new(limit.kind(), format!("{proc}: stopped: {}", limit.kind())))
        }
    }
}

/// Why printing stopped early.
#[derive(Clone, Copy)]
enum Stop {
    TooLong,
    /// A number too large to print in decimal under limits, of this many bits.
    Number(u64),
    Limit(Limit),
}

fn print(heap: &Heap, v: Value, mode: Mode, max_len: usize, watch: bool) -> (String, Option<Stop>) {
    // Each compound value printed takes at least a character.
    let labels = find_labels(heap, v, mode == Mode::Shared, max_len.saturating_mul(2));
    let mut p = Printer {
        heap,
        mode,
        labels,
        assigned: HashMap::new(),
        out: String::new(),
        max_len,
        watch,
        next_check: CHECK_EVERY,
        stopped: None,
    };
    p.value(v);
    (p.out, p.stopped)
}

/// Output between two checks of the interrupt flag and the deadline.
const CHECK_EVERY: usize = 64 * 1024;

fn key(v: Value) -> Option<(bool, u32)> {
    match v {
        Value::Pair(p) => Some((true, p)),
        Value::Object(o) => Some((false, o)),
        _ => None,
    }
}

/// Children of a compound value that can take part in cycles: what the printer prints of
/// pairs, vectors, records and error objects.
fn children(heap: &Heap, v: Value) -> Vec<Value> {
    match v {
        Value::Pair(p) => vec![heap.car(p), heap.cdr(p)],
        Value::Object(_) => match heap.object(v) {
            Some(Object::Vector(items)) => items.iter().map(|w| w.get()).collect(),
            Some(Object::Record { fields, .. }) => fields.iter().map(|w| w.get()).collect(),
            Some(Object::Error(e)) => vec![e.message, e.irritants],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|c| match c {
        Value::Pair(_) => true,
        Value::Object(_) => {
            matches!(heap.object(*c), Some(Object::Vector(_) | Object::Record { .. } | Object::Error(_)))
        }
        _ => false,
    })
    .collect()
}

/// Finds the values that need a datum label: those reached again while still being visited
/// (cycles), or with `shared`, any reached twice. The search visits at most `budget`
/// compound values (in the order the printer prints them): a printer that stops after a
/// few hundred characters needs no labels past those, and must not walk all of a large
/// structure for them (an error message showing a long chain of nested error objects).
fn find_labels(heap: &Heap, root: Value, shared: bool, budget: usize) -> HashSet<(bool, u32)> {
    let mut labels = HashSet::new();
    if children(heap, root).is_empty() {
        return labels;
    }
    let mut seen: HashSet<(bool, u32)> = HashSet::new();
    let mut on_path: HashSet<(bool, u32)> = HashSet::new();
    // (value, children, next child index)
    let mut stack: Vec<((bool, u32), Vec<Value>, usize)> = Vec::new();
    let Some(k) = key(root) else { return labels };
    seen.insert(k);
    on_path.insert(k);
    stack.push((k, children(heap, root), 0));
    while let Some(top) = stack.last_mut() {
        if top.2 >= top.1.len() {
            on_path.remove(&top.0);
            stack.pop();
            continue;
        }
        let child = top.1[top.2];
        top.2 += 1;
        let Some(ck) = key(child) else { continue };
        if on_path.contains(&ck) || (shared && seen.contains(&ck)) {
            labels.insert(ck);
            continue;
        }
        if seen.len() >= budget || !seen.insert(ck) {
            continue;
        }
        on_path.insert(ck);
        stack.push((ck, children(heap, child), 0));
    }
    labels
}

struct Printer<'h> {
    heap: &'h Heap,
    mode: Mode,
    labels: HashSet<(bool, u32)>,
    assigned: HashMap<(bool, u32), usize>,
    out: String,
    /// Printing stops once the text is longer.
    max_len: usize,
    /// Whether to stop on an interrupt or a passed deadline.
    watch: bool,
    /// Output length at which to check again.
    next_check: usize,
    stopped: Option<Stop>,
}

impl Printer<'_> {
    /// Writes a label definition or reference; true if a reference was written.
    fn label(&mut self, v: Value) -> bool {
        let Some(k) = key(v) else { return false };
        if !self.labels.contains(&k) {
            return false;
        }
        if let Some(n) = self.assigned.get(&k) {
            let _ = write!(self.out, "#{n}#");
            return true;
        }
        let n = self.assigned.len();
        self.assigned.insert(k, n);
        let _ = write!(self.out, "#{n}=");
        false
    }

    fn value(&mut self, v: Value) {
        if self.out.len() >= self.next_check.min(self.max_len) {
            self.check();
        }
        if self.stopped.is_some() {
            return;
        }
        stacker::maybe_grow(32 * 1024, 1024 * 1024, || self.value_inner(v))
    }

    fn check(&mut self) {
        if self.out.len() >= self.max_len {
            self.stopped = Some(Stop::TooLong);
        } else if let Some(limit) = self.watch.then(|| self.heap.stop_requested()).flatten() {
            self.stopped = Some(Stop::Limit(limit));
        }
        self.next_check = self.out.len() + CHECK_EVERY;
    }

    fn value_inner(&mut self, v: Value) {
        let heap = self.heap;
        match v {
            Value::Null => self.out.push_str("()"),
            Value::Bool(true) => self.out.push_str("#t"),
            Value::Bool(false) => self.out.push_str("#f"),
            Value::Fixnum(n) => {
                let _ = write!(self.out, "{n}");
            }
            Value::Flonum(_) => {
                if let Some(n) = to_number(heap, v) {
                    let _ = write!(self.out, "{n}");
                }
            }
            Value::Char(c) => {
                if self.mode == Mode::Display {
                    self.out.push(c);
                } else {
                    let _ = seam_syntax::write_char(c, &mut self.out);
                }
            }
            Value::Unspecified => {}
            Value::Undefined => self.out.push_str("#<undefined>"),
            Value::Eof => self.out.push_str("#<eof>"),
            Value::Default => self.out.push_str("#<default>"),
            Value::Symbol(id) => {
                let name = heap.symbol_name(id);
                if self.mode == Mode::Display {
                    self.out.push_str(name);
                } else {
                    let _ = seam_syntax::write_symbol(name, &mut self.out);
                }
            }
            Value::Primitive(i) => {
                let _ = write!(self.out, "#<procedure {}>", crate::builtins::BUILTINS[i as usize].name);
            }
            Value::Pair(_) => self.list(v),
            Value::Object(_) => self.object(v),
        }
    }

    fn list(&mut self, v: Value) {
        if self.label(v) {
            return;
        }
        let heap = self.heap;
        let Value::Pair(mut p) = v else { return };
        // Abbreviations for (quote x) and friends.
        if let (Some(s), Some(rest)) = (heap.car_word(p).symbol_index(), heap.cdr_word(p).pair_index()) {
            if heap.cdr_word(rest).is_null() && !self.labels.contains(&(true, rest)) {
                let prefix = match &**heap.symbol_name(s) {
                    "quote" => Some("'"),
                    "quasiquote" => Some("`"),
                    "unquote" => Some(","),
                    "unquote-splicing" => Some(",@"),
                    _ => None,
                };
                if let Some(prefix) = prefix {
                    self.out.push_str(prefix);
                    self.value(heap.car(rest));
                    return;
                }
            }
        }
        self.out.push('(');
        // The spine is walked on the pairs' words; only the elements are decoded.
        let mut first = true;
        loop {
            if !first {
                // A labelled pair in the middle of a list is written as a dotted tail.
                if self.labels.contains(&(true, p)) {
                    self.out.push_str(" . ");
                    self.list(Value::Pair(p));
                    break;
                }
                self.out.push(' ');
            }
            first = false;
            self.value(heap.car(p));
            let cdr = heap.cdr_word(p);
            match cdr.pair_index() {
                Some(next) => p = next,
                None if cdr.is_null() => break,
                None => {
                    self.out.push_str(" . ");
                    self.value(cdr.get());
                    break;
                }
            }
        }
        self.out.push(')');
    }

    fn object(&mut self, v: Value) {
        let heap = self.heap;
        let Some(o) = heap.object(v) else { return };
        match o {
            Object::String(s) => {
                if self.mode == Mode::Display {
                    self.out.extend(s.iter());
                } else {
                    let _ = seam_syntax::write_string(s.iter().copied(), &mut self.out);
                }
            }
            Object::Vector(items) => {
                if self.label(v) {
                    return;
                }
                self.out.push_str("#(");
                for (i, &item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.value(item.get());
                }
                self.out.push(')');
            }
            Object::Bytevector(b) => {
                self.out.push_str("#u8(");
                for (i, byte) in b.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    let _ = write!(self.out, "{byte}");
                }
                self.out.push(')');
            }
            Object::Bignum(_) | Object::Rational(_) | Object::Complex(_) => {
                if let Some(n) = to_number(heap, v) {
                    // Decimal conversion is superlinear: a number whose digits cannot fit
                    // is not converted (an error for `write`, a placeholder in messages),
                    // and under limits none past `MAX_TEXT_BITS` is.
                    let digits = (n.bits() as f64 * std::f64::consts::LOG10_2) as usize;
                    if digits > self.max_len.saturating_sub(self.out.len()) {
                        if self.watch {
                            self.stopped = Some(Stop::TooLong);
                        } else {
                            let _ = write!(self.out, "#<number of {} bits>", n.bits());
                        }
                    } else if self.watch && heap.watch.bounded() && n.bits() > crate::num::MAX_TEXT_BITS {
                        self.stopped = Some(Stop::Number(n.bits()));
                    } else {
                        let _ = write!(self.out, "{n}");
                    }
                }
            }
            Object::Closure(c) => match &c.code().name {
                Some(name) => {
                    let _ = write!(self.out, "#<procedure {name}>");
                }
                None => self.out.push_str("#<procedure>"),
            },
            Object::CaseLambda(_) => self.out.push_str("#<procedure case-lambda>"),
            Object::Code(_) => self.out.push_str("#<code>"),
            Object::Box(_) => self.out.push_str("#<box>"),
            Object::Record { rtd, fields: values } => {
                if self.label(v) {
                    return;
                }
                let (name, fields) = match heap.get(*rtd) {
                    Object::RecordType(t) => (t.name.clone(), t.fields.clone()),
                    _ => (std::sync::Arc::from("record"), Vec::new()),
                };
                let _ = write!(self.out, "#<{name}");
                for (field, value) in fields.iter().zip(values.iter().map(|w| w.get())) {
                    let _ = write!(self.out, " {field}: ");
                    let mode = self.mode;
                    self.mode = Mode::Write;
                    self.value(value);
                    self.mode = mode;
                }
                self.out.push('>');
            }
            Object::RecordType(t) => {
                let _ = write!(self.out, "#<record-type {}>", t.name);
            }
            Object::Promise(_) => self.out.push_str("#<promise>"),
            Object::Parameter(_) => self.out.push_str("#<parameter>"),
            Object::Continuation(_) => self.out.push_str("#<continuation>"),
            Object::Values(vs) => {
                for (i, &x) in vs.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.value(x);
                }
            }
            Object::Error(e) => {
                if self.label(v) {
                    return;
                }
                self.out.push_str("#<error ");
                let mode = self.mode;
                self.mode = Mode::Write;
                self.value(e.message);
                // The irritant list may have been made cyclic: each pair once.
                let mut irritants = e.irritants;
                let mut seen = HashSet::new();
                while let Value::Pair(p) = irritants {
                    if !seen.insert(p) {
                        self.out.push_str(" ...");
                        break;
                    }
                    self.out.push(' ');
                    self.value(heap.car(p));
                    irritants = heap.cdr(p);
                }
                self.mode = mode;
                self.out.push('>');
            }
            Object::Port(_) => self.out.push_str("#<port>"),
            Object::Environment(_) => self.out.push_str("#<environment>"),
            Object::HostObject(h) => h.write(&mut self.out),
            Object::Task(t) => {
                let _ = write!(self.out, "#<task {}>", t.id);
            }
            Object::Channel(c) => {
                let _ = write!(self.out, "#<channel ({} waiting)>", c.queue.len());
            }
            Object::Host(h) => {
                let _ = write!(self.out, "#<procedure {}>", h.name);
            }
            Object::Syntax(datum) => {
                let _ = write!(self.out, "#<syntax {}>", datum.span);
            }
        }
    }
}
