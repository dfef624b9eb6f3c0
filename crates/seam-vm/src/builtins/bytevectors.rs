//! Builtins: bytevectors (R7RS 6.9) and their UTF-8 conversions to and from strings. Most
//! are the shared sequence builtins of `sequence.rs`.

use super::sequence::{self, items_arg, slice_arg, Bytevectors, Strings};
use super::{named, range_args, simple, wrong, Builtin, ANY};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::object::Object;
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[
    simple("bytevector?", 1, 1, |h, a| Ok(Value::Bool(sequence::is::<Bytevectors>(h, a[0])))),
    named!("make-bytevector", 1, 2, sequence::make::<Bytevectors>),
    named!("bytevector", 0, ANY, sequence::of_items::<Bytevectors>),
    named!("bytevector-length", 1, 1, sequence::length::<Bytevectors>),
    named!("bytevector-u8-ref", 2, 2, sequence::item_ref::<Bytevectors>),
    named!("bytevector-u8-set!", 3, 3, sequence::item_set::<Bytevectors>),
    named!("bytevector-copy", 1, 3, sequence::copy::<Bytevectors>),
    named!("bytevector-copy!", 3, 5, sequence::copy_into::<Bytevectors>),
    named!("bytevector-append", 0, ANY, sequence::append::<Bytevectors>),
    simple("utf8->string", 1, 3, utf8_to_string),
    simple("string->utf8", 1, 3, string_to_utf8),
];

/// A byte argument: an exact integer from 0 to 255.
pub(super) fn byte_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<u8, Condition> {
    match v {
        Value::Fixnum(n) => {
            u8::try_from(n).map_err(|_| Condition::out_of_range(heap, proc, position, v, " (0 to 255)"))
        }
        _ => Err(wrong(heap, proc, position, "byte (exact integer 0 to 255)", v)),
    }
}

fn utf8_to_string(heap: &mut Heap, args: &[Value]) -> BuiltinResult {
    let bytes = items_arg::<Bytevectors>(heap, "utf8->string", 1, args[0])?;
    let (start, end) = range_args(heap, "utf8->string", args, 1, bytes.len())?;
    match std::str::from_utf8(&bytes[start..end]) {
        Ok(text) => {
            super::check_allocation(heap, "utf8->string", text.chars().count(), 4)?;
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
    let text: String = slice_arg::<Strings>(heap, "string->utf8", args, 1)?.iter().collect();
    Ok(heap.alloc(Object::Bytevector(text.into_bytes())))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{error, fx, ok, show};
    use super::*;

    fn bytes(heap: &mut Heap, b: &[u8]) -> Value {
        heap.alloc(Object::Bytevector(b.to_vec()))
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
