//! Builtins: multiple values, error objects, parameters, promises and records — the runtime
//! support the Scheme library in `lib/` and the expander's output rely on.

use std::sync::Arc;

use super::{index_arg, simple, with_vm, wrong, Builtin, ANY};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::object::{ErrorObject, Object, Parameter, Promise, RecordType};
use crate::printer::write_limited;
use crate::value::{Value, Word};

pub const BUILTINS: &[Builtin] = &[
    simple("values", 0, ANY, values),
    simple("%values", 0, ANY, values),
    simple("%values->list", 1, 1, values_to_list),
    simple("%make-error", 3, 3, make_error),
    simple("%type-error", 4, 4, type_error),
    simple("error-object?", 1, 1, |h, a| Ok(Value::Bool(matches!(h.object(a[0]), Some(Object::Error(_)))))),
    simple("error-object-message", 1, 1, error_message),
    simple("error-object-irritants", 1, 1, error_irritants),
    simple("%error-object-kind", 1, 1, error_kind),
    simple("read-error?", 1, 1, |h, a| Ok(Value::Bool(error_kind_is(h, a[0], "read")))),
    simple("file-error?", 1, 1, |h, a| Ok(Value::Bool(error_kind_is(h, a[0], "file")))),
    simple("%make-parameter", 2, 2, |h, a| {
        Ok(h.alloc(Object::Parameter(Parameter { value: a[0], converter: a[1] })))
    }),
    simple("%parameter-value", 1, 1, |h, a| match h.object(a[0]) {
        Some(Object::Parameter(p)) => Ok(p.value),
        _ => Err(wrong(h, "parameterize", 1, "parameter", a[0])),
    }),
    simple("%parameter-converter", 1, 1, |h, a| match h.object(a[0]) {
        Some(Object::Parameter(p)) => Ok(p.converter),
        _ => Err(wrong(h, "parameterize", 1, "parameter", a[0])),
    }),
    simple("%parameter-set!", 2, 2, |h, a| match h.object_mut(a[0]) {
        Some(Object::Parameter(p)) => {
            p.value = a[1];
            Ok(Value::Unspecified)
        }
        _ => Err(wrong(h, "parameterize", 1, "parameter", a[0])),
    }),
    simple("%make-promise", 2, 2, |h, a| {
        Ok(h.alloc(Object::Promise(Promise { done: a[0].is_true(), value: a[1] })))
    }),
    simple("make-promise", 1, 1, |h, a| match h.object(a[0]) {
        Some(Object::Promise(_)) => Ok(a[0]),
        _ => Ok(h.alloc(Object::Promise(Promise { done: true, value: a[0] }))),
    }),
    simple("promise?", 1, 1, |h, a| Ok(Value::Bool(matches!(h.object(a[0]), Some(Object::Promise(_)))))),
    simple("%promise-done?", 1, 1, |h, a| match h.object(a[0]) {
        Some(Object::Promise(p)) => Ok(Value::Bool(p.done)),
        _ => Err(wrong(h, "force", 1, "promise", a[0])),
    }),
    simple("%promise-value", 1, 1, |h, a| match h.object(a[0]) {
        Some(Object::Promise(p)) => Ok(p.value),
        _ => Err(wrong(h, "force", 1, "promise", a[0])),
    }),
    simple("%promise-update!", 2, 2, promise_update),
    simple("%make-record-type", 2, 2, make_record_type),
    simple("%make-record", 1, ANY, make_record),
    simple("%record?", 2, 2, |h, a| Ok(Value::Bool(record_of(h, a[0], a[1]).is_some()))),
    simple("%record-ref", 4, 4, record_ref).on_words(record_ref_words),
    simple("%record-set!", 5, 5, record_set).on_words(record_set_words),
    with_vm("%collect-garbage", 0, 0, |vm, _| {
        vm.collect_garbage(&[]);
        Ok(Value::Fixnum(vm.heap.live_bytes() as i64))
    }),
    with_vm("heap-live-bytes", 0, 0, |vm, _| Ok(Value::Fixnum(vm.heap.live_bytes() as i64))),
];

fn values(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    if args.len() == 1 {
        Ok(args[0])
    } else {
        Ok(heap.alloc(Object::Values(args.into())))
    }
}

fn values_to_list(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let items: Vec<Value> = match heap.object(args[0]) {
        Some(Object::Values(vs)) => vs.to_vec(),
        _ => vec![args[0]],
    };
    Ok(heap.list(&items))
}

/// `(%make-error kind-symbol message irritants)`.
fn make_error(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let kind: Arc<str> = match args[0] {
        Value::Symbol(id) => heap.symbol_name(id).clone(),
        _ => Arc::from("error"),
    };
    let message = match heap.object(args[1]) {
        Some(Object::String(_)) => args[1],
        _ => {
            let text = write_limited(heap, args[1], 200);
            heap.string(&text)
        }
    };
    Ok(heap.alloc(Object::Error(Box::new(ErrorObject { kind, message, irritants: args[2], source: None }))))
}

/// `(%type-error proc-name position expected got)`: raises the same `type` condition a
/// builtin raises for a wrong argument, for the library procedures written in Scheme.
fn type_error(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let text = |heap: &Heap, v: Value| match heap.object(v) {
        Some(Object::String(s)) => s.iter().collect(),
        _ => write_limited(heap, v, 60),
    };
    let proc: String = text(heap, args[0]);
    let expected: String = text(heap, args[2]);
    let position = index_arg(heap, "%type-error", 2, args[1])?;
    Err(Condition::wrong_type(heap, &proc, position, &expected, args[3]))
}

fn error_message(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    match heap.object(args[0]) {
        Some(Object::Error(e)) => Ok(e.message),
        _ => Err(wrong(heap, "error-object-message", 1, "error object", args[0])),
    }
}

fn error_irritants(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    match heap.object(args[0]) {
        Some(Object::Error(e)) => Ok(e.irritants),
        _ => Err(wrong(heap, "error-object-irritants", 1, "error object", args[0])),
    }
}

fn error_kind(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    match heap.object(args[0]) {
        Some(Object::Error(e)) => {
            let kind = e.kind.clone();
            Ok(heap.intern(&kind))
        }
        _ => Ok(Value::FALSE),
    }
}

fn error_kind_is(heap: &Heap, v: Value, kind: &str) -> bool {
    matches!(heap.object(v), Some(Object::Error(e)) if &*e.kind == kind)
}

/// R7RS reference `promise-update!`: the outer promise takes over the inner one's state.
fn promise_update(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let (done, value) = match heap.object(args[0]) {
        Some(Object::Promise(p)) => (p.done, p.value),
        _ => return Err(wrong(heap, "force", 1, "promise", args[0])),
    };
    match heap.object_mut(args[1]) {
        Some(Object::Promise(p)) => {
            p.done = done;
            p.value = value;
            Ok(Value::Unspecified)
        }
        _ => Err(wrong(heap, "force", 2, "promise", args[1])),
    }
}

fn make_record_type(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let name = match args[0] {
        Value::Symbol(id) => heap.symbol_name(id).clone(),
        v => return Err(wrong(heap, "define-record-type", 1, "symbol", v)),
    };
    let Some(items) = heap.list_to_vec(args[1]) else {
        return Err(wrong(heap, "define-record-type", 2, "list of field names", args[1]));
    };
    let fields = items
        .into_iter()
        .map(|f| match f {
            Value::Symbol(id) => heap.symbol_name(id).clone(),
            _ => Arc::from("?"),
        })
        .collect();
    Ok(heap.alloc(Object::RecordType(Box::new(RecordType { name, fields }))))
}

fn make_record(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let Value::Object(rtd) = args[0] else {
        return Err(wrong(heap, "record constructor", 1, "record type", args[0]));
    };
    let fields = args[1..].iter().map(|&v| heap.word(v)).collect();
    Ok(heap.alloc(Object::Record { rtd, fields }))
}

/// The fields of `v` if it is an instance of record type `rtd`.
fn record_of(heap: &Heap, v: Value, rtd: Value) -> Option<&[Word]> {
    match (heap.object(v), rtd) {
        (Some(Object::Record { rtd, fields }), Value::Object(t)) if *rtd == t => Some(fields),
        _ => None,
    }
}

fn type_name(heap: &Heap, rtd: Value) -> String {
    match heap.object(rtd) {
        Some(Object::RecordType(t)) => t.name.to_string(),
        _ => "record".to_string(),
    }
}

fn proc_name(heap: &Heap, v: Value) -> String {
    match v {
        Value::Symbol(id) => heap.symbol_name(id).to_string(),
        _ => "record accessor".to_string(),
    }
}

/// Field `index` of `obj` when it is a record of type `rtd` and the index a fixnum in range.
fn record_field(heap: &mut Heap, obj: Word, rtd: Word, index: Word) -> Option<&mut Word> {
    let (o, t) = (obj.object_index()?, rtd.object_index()?);
    let Object::Record { rtd, fields } = heap.get_mut(o) else { return None };
    let i = usize::try_from(index.is_fixnum().then(|| index.fixnum_bits())?).ok()?;
    (*rtd == t).then(|| fields.get_mut(i)).flatten()
}

/// `%record-ref` on words (see [`WordFn`](super::WordFn)).
fn record_ref_words(heap: &mut Heap, args: &[Word]) -> Option<Word> {
    record_field(heap, args[0], args[1], args[2]).map(|w| *w)
}

/// `%record-set!` on words.
fn record_set_words(heap: &mut Heap, args: &[Word]) -> Option<Word> {
    *record_field(heap, args[0], args[1], args[2])? = args[3];
    Some(Word::UNSPECIFIED)
}

/// `(%record-ref obj rtd index accessor-name)`.
fn record_ref(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let i = index_arg(heap, "%record-ref", 3, args[2])?;
    match record_of(heap, args[0], args[1]) {
        Some(fields) => fields
            .get(i)
            .map(|w| w.get())
            .ok_or_else(|| Condition::new("range", "record field index out of range")),
        None => {
            let (name, ty) = (proc_name(heap, args[3]), type_name(heap, args[1]));
            Err(wrong(heap, &name, 1, &ty, args[0]))
        }
    }
}

/// `(%record-set! obj rtd index value modifier-name)`.
fn record_set(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let i = index_arg(heap, "%record-set!", 3, args[2])?;
    if record_of(heap, args[0], args[1]).is_none() {
        let (name, ty) = (proc_name(heap, args[4]), type_name(heap, args[1]));
        return Err(wrong(heap, &name, 1, &ty, args[0]));
    }
    let value = heap.word(args[3]);
    if let Some(Object::Record { fields, .. }) = heap.object_mut(args[0]) {
        if let Some(slot) = fields.get_mut(i) {
            *slot = value;
        }
    }
    Ok(Value::Unspecified)
}
