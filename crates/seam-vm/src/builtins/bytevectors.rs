//! Builtins: bytevectors (R7RS 6.9) and their UTF-8 conversions to and from strings.

use super::strings::string_arg;
use super::vectors::{copy_target, length_arg};
use super::{index_arg, range_args, simple, wrong, Builtin, ANY};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::object::Object;
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[
    simple("bytevector?", 1, 1, |h, a| {
        Ok(Value::Bool(matches!(h.object(a[0]), Some(Object::Bytevector(_)))))
    }),
    simple("make-bytevector", 1, 2, make_bytevector),
    simple("bytevector", 0, ANY, bytevector),
    simple("bytevector-length", 1, 1, |h, a| {
        Ok(Value::Fixnum(bytes_arg(h, "bytevector-length", 1, a[0])?.len() as i64))
    }),
    simple("bytevector-u8-ref", 2, 2, u8_ref),
    simple("bytevector-u8-set!", 3, 3, u8_set),
    simple("bytevector-copy", 1, 3, bytevector_copy),
    simple("bytevector-copy!", 3, 5, bytevector_copy_to),
    simple("bytevector-append", 0, ANY, bytevector_append),
    simple("utf8->string", 1, 3, utf8_to_string),
    simple("string->utf8", 1, 3, string_to_utf8),
];

/// The bytes of the bytevector in argument `position`, or a type error.
fn bytes_arg<'h>(heap: &'h Heap, proc: &str, position: usize, v: Value) -> Result<&'h [u8], Condition> {
    match heap.object(v) {
        Some(Object::Bytevector(bytes)) => Ok(bytes),
        _ => Err(wrong(heap, proc, position, "bytevector", v)),
    }
}

/// A byte argument: an exact integer from 0 to 255.
fn byte_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<u8, Condition> {
    match v {
        Value::Fixnum(n) => {
            u8::try_from(n).map_err(|_| Condition::out_of_range(heap, proc, position, v, " (0 to 255)"))
        }
        _ => Err(wrong(heap, proc, position, "byte (exact integer 0 to 255)", v)),
    }
}

fn make_bytevector(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let n = length_arg(heap, "make-bytevector", 1, args[0], 1)?;
    let fill = match args.get(1) {
        Some(&v) => byte_arg(heap, "make-bytevector", 2, v)?,
        None => 0,
    };
    Ok(heap.alloc(Object::Bytevector(vec![fill; n])))
}

fn bytevector(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let bytes = args
        .iter()
        .enumerate()
        .map(|(i, &v)| byte_arg(heap, "bytevector", i + 1, v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(heap.alloc(Object::Bytevector(bytes)))
}

/// The index argument of `bytevector-u8-ref`/`-set!` into a bytevector of length `len`.
fn byte_index(heap: &Heap, proc: &str, k: Value, len: usize) -> Result<usize, Condition> {
    let i = index_arg(heap, proc, 2, k)?;
    if i >= len {
        return Err(Condition::out_of_range(heap, proc, 2, k, &format!(" (length {len})")));
    }
    Ok(i)
}

fn u8_ref(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let bytes = bytes_arg(heap, "bytevector-u8-ref", 1, args[0])?;
    let i = byte_index(heap, "bytevector-u8-ref", args[1], bytes.len())?;
    Ok(Value::Fixnum(bytes[i].into()))
}

fn u8_set(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let len = bytes_arg(heap, "bytevector-u8-set!", 1, args[0])?.len();
    let i = byte_index(heap, "bytevector-u8-set!", args[1], len)?;
    let byte = byte_arg(heap, "bytevector-u8-set!", 3, args[2])?;
    if let Some(Object::Bytevector(bytes)) = heap.object_mut(args[0]) {
        bytes[i] = byte;
    }
    Ok(Value::Unspecified)
}

fn bytevector_copy(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let bytes = bytes_arg(heap, "bytevector-copy", 1, args[0])?;
    let (start, end) = range_args(heap, "bytevector-copy", args, 1, bytes.len())?;
    let copy = bytes[start..end].to_vec();
    Ok(heap.alloc(Object::Bytevector(copy)))
}

/// `(bytevector-copy! to at from [start end])`; the source is read before anything is
/// written, so overlapping ranges of one bytevector copy correctly.
fn bytevector_copy_to(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let to_len = bytes_arg(heap, "bytevector-copy!", 1, args[0])?.len();
    let from = bytes_arg(heap, "bytevector-copy!", 3, args[2])?;
    let (start, end) = range_args(heap, "bytevector-copy!", args, 3, from.len())?;
    let source = from[start..end].to_vec();
    let at = copy_target(heap, "bytevector-copy!", args, to_len, source.len())?;
    if let Some(Object::Bytevector(bytes)) = heap.object_mut(args[0]) {
        bytes[at..at + source.len()].copy_from_slice(&source);
    }
    Ok(Value::Unspecified)
}

fn bytevector_append(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let mut out = Vec::new();
    for (i, &v) in args.iter().enumerate() {
        out.extend_from_slice(bytes_arg(heap, "bytevector-append", i + 1, v)?);
    }
    Ok(heap.alloc(Object::Bytevector(out)))
}

fn utf8_to_string(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let bytes = bytes_arg(heap, "utf8->string", 1, args[0])?;
    let (start, end) = range_args(heap, "utf8->string", args, 1, bytes.len())?;
    match std::str::from_utf8(&bytes[start..end]) {
        Ok(text) => {
            let chars = text.chars().collect();
            Ok(heap.alloc(Object::String(chars)))
        }
        Err(e) => {
            let at = start + e.valid_up_to();
            let message = format!("utf8->string: argument 1: invalid UTF-8 at byte {at}");
            Err(Condition { kind: "type", message, irritants: vec![args[0]] })
        }
    }
}

fn string_to_utf8(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let chars = string_arg(heap, "string->utf8", 1, args[0])?;
    let (start, end) = range_args(heap, "string->utf8", args, 1, chars.len())?;
    let text: String = chars[start..end].iter().collect();
    Ok(heap.alloc(Object::Bytevector(text.into_bytes())))
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

    fn bytes(heap: &mut Heap, b: &[u8]) -> Value {
        heap.alloc(Object::Bytevector(b.to_vec()))
    }

    const fn fx(n: i64) -> Value {
        Value::Fixnum(n)
    }

    #[test]
    fn construct_and_access() {
        let h = &mut Heap::new();
        assert_eq!(ok(h, "bytevector", &[fx(1), fx(3), fx(255)]), "#u8(1 3 255)");
        assert_eq!(ok(h, "bytevector", &[]), "#u8()");
        assert_eq!(ok(h, "make-bytevector", &[fx(2), fx(12)]), "#u8(12 12)");
        assert_eq!(ok(h, "make-bytevector", &[fx(3)]), "#u8(0 0 0)");
        let b = bytes(h, &[1, 2, 3, 4, 5]);
        assert_eq!(ok(h, "bytevector?", &[b]), "#t");
        assert_eq!(ok(h, "bytevector?", &[fx(0)]), "#f");
        assert_eq!(ok(h, "bytevector-length", &[b]), "5");
        assert_eq!(ok(h, "bytevector-u8-ref", &[b, fx(4)]), "5");
        ok(h, "bytevector-u8-set!", &[b, fx(1), fx(255)]);
        assert_eq!(show(h, b), "#u8(1 255 3 4 5)");
    }

    #[test]
    fn errors() {
        let h = &mut Heap::new();
        let b = bytes(h, &[1, 2, 3]);
        assert_eq!(
            error(h, "bytevector-length", &[fx(0)]),
            "bytevector-length: argument 1: expected bytevector, got 0"
        );
        assert!(error(h, "bytevector", &[fx(1), fx(256)])
            .starts_with("bytevector: argument 2: 256 is out of range"));
        assert!(
            error(h, "bytevector", &[Value::Char('a')]).starts_with("bytevector: argument 1: expected byte")
        );
        assert!(error(h, "make-bytevector", &[fx(2), fx(-1)]).starts_with("make-bytevector: argument 2"));
        assert!(error(h, "make-bytevector", &[fx(10_000_000_000)]).contains("too large"));
        assert!(error(h, "bytevector-u8-ref", &[b, fx(3)])
            .starts_with("bytevector-u8-ref: argument 2: 3 is out of range"));
        assert!(error(h, "bytevector-u8-set!", &[b, fx(0), fx(300)])
            .starts_with("bytevector-u8-set!: argument 3"));
        assert!(error(h, "bytevector-append", &[b, fx(1)]).starts_with("bytevector-append: argument 2"));
    }

    #[test]
    fn copying() {
        let h = &mut Heap::new();
        let a = bytes(h, &[1, 2, 3, 4, 5]);
        assert_eq!(ok(h, "bytevector-copy", &[a, fx(2)]), "#u8(3 4 5)");
        assert_eq!(ok(h, "bytevector-copy", &[a, fx(2), fx(4)]), "#u8(3 4)");
        // R7RS example.
        let b = bytes(h, &[10, 20, 30, 40, 50]);
        ok(h, "bytevector-copy!", &[b, fx(1), a, fx(0), fx(2)]);
        assert_eq!(show(h, b), "#u8(10 1 2 40 50)");
        ok(h, "bytevector-copy!", &[a, fx(1), a, fx(0), fx(4)]);
        assert_eq!(show(h, a), "#u8(1 1 2 3 4)");
        assert!(error(h, "bytevector-copy!", &[b, fx(1), a]).starts_with("bytevector-copy!: argument 2"));
        let (x, y) = (bytes(h, &[0, 1]), bytes(h, &[2]));
        assert_eq!(ok(h, "bytevector-append", &[x, y]), "#u8(0 1 2)");
        assert_eq!(ok(h, "bytevector-append", &[]), "#u8()");
    }

    #[test]
    fn utf8() {
        let h = &mut Heap::new();
        let b = bytes(h, &[0x41, 0xCE, 0xBB, 0x42]);
        assert_eq!(ok(h, "utf8->string", &[b]), "\"AλB\"");
        assert_eq!(ok(h, "utf8->string", &[b, fx(1), fx(3)]), "\"λ\"");
        let msg = error(h, "utf8->string", &[b, fx(2)]);
        assert_eq!(msg, "utf8->string: argument 1: invalid UTF-8 at byte 2");
        assert!(error(h, "utf8->string", &[b, fx(0), fx(9)]).starts_with("utf8->string: argument 3"));
        let s = h.string("aλ");
        assert_eq!(ok(h, "string->utf8", &[s]), "#u8(97 206 187)");
        assert_eq!(ok(h, "string->utf8", &[s, fx(1)]), "#u8(206 187)");
        assert!(error(h, "string->utf8", &[b]).starts_with("string->utf8: argument 1: expected string"));
    }
}
