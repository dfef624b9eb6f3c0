//! The builtin procedures, one file per area, gathered into one table. A builtin is a Rust
//! function over argument values; the few that need the interpreter itself (`apply`,
//! `%call/cc`, `%abort`) are `Control` entries the interpreter handles directly.
//!
//! Builtins never call back into Scheme: anything that needs to (`map`, `dynamic-wind`,
//! `with-exception-handler`, ...) is written in Scheme in `lib/`, so continuations and tail
//! calls work through it.

use std::cmp::Ordering;
use std::sync::{Arc, LazyLock};

use num_bigint::Sign;

use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::object::{ErrorObject, Object, Parameter};
use crate::printer::write_limited;
use crate::value::{Value, Word};
use crate::vm::Vm;

mod bytevectors;
mod chars;
mod complex;
mod control;
mod equivalence;
pub use equivalence::is_procedure;
mod files;
mod io;
mod lists;
mod numbers;
mod sequence;
mod strings;
mod system;
#[cfg(test)]
mod test_support;
mod vectors;

pub use equivalence::{equal, eqv, is_procedure as is_procedure_value};
pub(crate) use files::flush_all;
pub use numbers::{modulo, quotient, remainder};
pub use vectors::{vector_ref, vector_set};

pub type SimpleFn = fn(&mut Heap, &[Value]) -> BuiltinResult;
pub type VmFn = fn(&mut Vm, &[Value]) -> BuiltinResult;
/// A builtin's fast path on the stored words of its arguments: the result when the fast
/// case applies, `None` to run the builtin itself (which reports every error). What a
/// hot builtin called in a loop (`set-car!`, `length`, `cadr`, ...) saves by not decoding
/// its arguments and encoding its result.
pub type WordFn = fn(&mut Heap, &[Word]) -> Option<Word>;

#[derive(Clone, Copy)]
pub enum Kind {
    Simple(SimpleFn),
    Vm(VmFn),
    Control(Control),
}

/// Builtins the interpreter implements itself.
#[derive(Clone, Copy, Debug)]
pub enum Control {
    Apply,
    CallCc,
    Abort,
    Exit,
    /// `(eval datum [environment])`: compile, then call the result in tail position.
    Eval,
}

#[derive(Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub min: u16,
    /// `u16::MAX` for "any number".
    pub max: u16,
    pub kind: Kind,
    /// The fast path on words, for a `Simple` builtin that has one.
    pub words: Option<WordFn>,
}

impl Builtin {
    /// This builtin with fast path `f` (see [`WordFn`]).
    pub const fn on_words(self, f: WordFn) -> Builtin {
        Builtin { words: Some(f), ..self }
    }

    /// Whether the builtin takes `argc` arguments.
    pub fn accepts(&self, argc: usize) -> bool {
        argc >= usize::from(self.min) && (self.max == ANY || argc <= usize::from(self.max))
    }
}

/// Maximum argument count meaning "variadic".
pub const ANY: u16 = u16::MAX;

pub const fn simple(name: &'static str, min: u16, max: u16, f: SimpleFn) -> Builtin {
    Builtin { name, min, max, kind: Kind::Simple(f), words: None }
}

pub const fn with_vm(name: &'static str, min: u16, max: u16, f: VmFn) -> Builtin {
    Builtin { name, min, max, kind: Kind::Vm(f), words: None }
}

/// A table entry whose function takes the procedure's own name after the heap (for its
/// error messages), then the arguments, then any `extra` values:
/// `named!("floor", 1, 1, unary, seam_num::floor)` is
/// `simple("floor", 1, 1, |h, a| unary(h, "floor", a, seam_num::floor))`.
macro_rules! named {
    ($name:literal, $min:expr, $max:expr, $f:expr $(, $extra:expr)* $(,)?) => {
        $crate::builtins::simple($name, $min, $max, |h, a| $f(h, $name, a $(, $extra)*))
    };
}
pub(crate) use named;

const fn control(name: &'static str, min: u16, max: u16, c: Control) -> Builtin {
    Builtin { name, min, max, kind: Kind::Control(c), words: None }
}

const CONTROL: &[Builtin] = &[
    control("apply", 2, ANY, Control::Apply),
    control("%apply", 2, ANY, Control::Apply),
    control("%call/cc", 1, 1, Control::CallCc),
    control("%abort", 1, 1, Control::Abort),
    control("%exit", 1, 1, Control::Exit),
    control("eval", 1, 2, Control::Eval),
];

/// Every builtin, in the order of their `Value::Primitive` indices.
pub static BUILTINS: LazyLock<Vec<Builtin>> = LazyLock::new(|| {
    [
        CONTROL,
        control::BUILTINS,
        equivalence::BUILTINS,
        numbers::BUILTINS,
        complex::BUILTINS,
        lists::BUILTINS,
        chars::BUILTINS,
        strings::BUILTINS,
        vectors::BUILTINS,
        bytevectors::BUILTINS,
        io::BUILTINS,
        crate::eval::BUILTINS,
        crate::host::BUILTINS,
        crate::host_object::BUILTINS,
        crate::tasks::BUILTINS,
        files::BUILTINS,
        system::BUILTINS,
    ]
    .concat()
});

/// Binds the port parameters (`current-output-port`, ...).
pub(crate) fn install_parameters(vm: &mut Vm) {
    let ports = [
        ("current-output-port", vm.roots.current_output),
        ("current-error-port", vm.roots.current_error),
        ("current-input-port", vm.roots.current_input),
    ];
    for (name, port) in ports {
        let p = vm.heap.alloc(Object::Parameter(Parameter { value: port, converter: Value::FALSE }));
        vm.define_system(name, p);
        match name {
            "current-output-port" => vm.roots.current_output = p,
            "current-error-port" => vm.roots.current_error = p,
            _ => vm.roots.current_input = p,
        }
    }
}

/// Makes the Scheme error object for a runtime condition.
pub fn make_error_object(heap: &mut Heap, cond: Condition) -> Value {
    let message = heap.string(&cond.message);
    let irritants = heap.list(&cond.irritants);
    heap.alloc(Object::Error(Box::new(ErrorObject {
        kind: Arc::from(cond.kind),
        message,
        irritants,
        source: None,
    })))
}

/// The kind and full message of a raised value, for the host.
pub fn describe_condition(heap: &Heap, payload: Value) -> (Arc<str>, String) {
    match heap.object(payload) {
        Some(Object::Error(e)) => {
            let mut message = match heap.object(e.message) {
                Some(Object::String(s)) => s.iter().collect(),
                _ => write_limited(heap, e.message, 200),
            };
            // Runtime errors already name their irritant in the message. The irritants are a
            // list the program may have changed (made cyclic, or long): show the first few.
            if &*e.kind == "error" {
                let mut irritants = e.irritants;
                let mut shown = 0;
                while let Value::Pair(p) = irritants {
                    if shown == 20 {
                        message.push_str(" ...");
                        break;
                    }
                    message.push(' ');
                    message.push_str(&write_limited(heap, heap.car(p), 200));
                    irritants = heap.cdr(p);
                    shown += 1;
                }
            }
            (e.kind.clone(), message)
        }
        _ => (Arc::from("raise"), format!("uncaught exception: {}", write_limited(heap, payload, 200))),
    }
}

// -- argument helpers shared by the builtin files

pub(crate) fn wrong(heap: &Heap, proc: &str, position: usize, expected: &str, got: Value) -> Condition {
    Condition::wrong_type(heap, proc, position, expected, got)
}

/// An index argument: a non-negative fixnum.
pub(crate) fn index_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<usize, Condition> {
    match v {
        Value::Fixnum(n) if n >= 0 => Ok(n as usize),
        _ => Err(wrong(heap, proc, position, "non-negative exact integer", v)),
    }
}

/// Most bytes a constructor such as `make-vector` allocates, so that a mistaken size is a
/// Scheme error instead of an allocation failure that aborts the process.
const MAX_ALLOCATION: usize = 1 << 30;

/// Checks that `proc` may allocate `count` elements of `element_bytes` each (a result
/// whose size comes from its arguments, such as `string-append`'s), as `length_arg` does
/// for explicit sizes.
pub(crate) fn check_allocation(
    heap: &Heap,
    proc: &str,
    count: usize,
    element_bytes: usize,
) -> Result<(), Condition> {
    let cap = allocation_cap(heap);
    if count.saturating_mul(element_bytes) <= cap.bytes {
        return Ok(());
    }
    Err(Condition::new(
        cap.kind,
        format!(
            "{proc}: the result would have {count} elements (at most {}{})",
            cap.bytes / element_bytes,
            cap.note
        ),
    ))
}

/// How much one allocation (or one printed text) may take, and how passing it is reported.
pub(crate) struct AllocationCap {
    pub bytes: usize,
    /// `range`, or `memory-limit` when the memory limit is the tighter bound.
    pub kind: &'static str,
    /// Said after the bound in messages.
    pub note: &'static str,
}

/// [`MAX_ALLOCATION`], or the memory limit if it is lower.
pub(crate) fn allocation_cap(heap: &Heap) -> AllocationCap {
    match heap.memory_limit() {
        Some(limit) if limit < MAX_ALLOCATION => {
            AllocationCap { bytes: limit, kind: "memory-limit", note: " under the memory limit" }
        }
        _ => AllocationCap { bytes: MAX_ALLOCATION, kind: "range", note: "" },
    }
}

/// The size argument of a `make-` constructor whose elements take `element_bytes` each: a
/// non-negative exact integer small enough to allocate.
pub(crate) fn length_arg(
    heap: &Heap,
    proc: &str,
    position: usize,
    v: Value,
    element_bytes: usize,
) -> Result<usize, Condition> {
    // Under a memory limit, one allocation may not pass it: refused before allocating, as
    // a `memory-limit` condition (nothing was allocated, so a handler may go on).
    let cap = allocation_cap(heap);
    let limit = cap.bytes / element_bytes;
    let too_large = || Condition {
        kind: cap.kind,
        message: format!(
            "{proc}: argument {position}: {} is too large (at most {limit}{})",
            write_limited(heap, v, 60),
            cap.note
        ),
        irritants: vec![v],
    };
    match v {
        Value::Fixnum(n) if n >= 0 => usize::try_from(n).ok().filter(|&n| n <= limit).ok_or_else(too_large),
        _ => match heap.object(v) {
            Some(Object::Bignum(b)) if b.sign() == Sign::Plus => Err(too_large()),
            _ => Err(wrong(heap, proc, position, "non-negative exact integer", v)),
        },
    }
}

/// Every argument through `convert` (which numbers them from 1), or the first error.
pub(crate) fn each_arg<'h, T>(
    heap: &'h Heap,
    proc: &str,
    args: &[Value],
    convert: impl Fn(&'h Heap, &str, usize, Value) -> Result<T, Condition>,
) -> Result<Vec<T>, Condition> {
    args.iter().enumerate().map(|(i, &v)| convert(heap, proc, i + 1, v)).collect()
}

/// A variadic comparison (`char<?`, `string-ci=?`, ...): every argument through `key`, which
/// checks its type, then `holds` of each adjacent pair's ordering.
pub(crate) fn compare_all<'h, K: Ord>(
    heap: &'h Heap,
    proc: &str,
    args: &[Value],
    key: impl Fn(&'h Heap, &str, usize, Value) -> Result<K, Condition>,
    holds: fn(Ordering) -> bool,
) -> BuiltinResult {
    let keys = each_arg(heap, proc, args, key)?;
    Ok(Value::Bool(keys.windows(2).all(|w| holds(w[0].cmp(&w[1])))))
}

/// Optional `start`/`end` arguments at `args[at]`, `args[at+1]` for a sequence of `len`.
pub(crate) fn range_args(
    heap: &Heap,
    proc: &str,
    args: &[Value],
    at: usize,
    len: usize,
) -> Result<(usize, usize), Condition> {
    let start = match args.get(at) {
        Some(&v) => index_arg(heap, proc, at + 1, v)?,
        None => 0,
    };
    let end = match args.get(at + 1) {
        Some(&v) => index_arg(heap, proc, at + 2, v)?,
        None => len,
    };
    if end > len {
        return Err(Condition::out_of_range(
            heap,
            proc,
            at + 2,
            Value::Fixnum(end as i64),
            &format!(" (length {len})"),
        ));
    }
    if start > end {
        return Err(Condition::out_of_range(
            heap,
            proc,
            at + 1,
            Value::Fixnum(start as i64),
            &format!(" (end {end})"),
        ));
    }
    Ok((start, end))
}
