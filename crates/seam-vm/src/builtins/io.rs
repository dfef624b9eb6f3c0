//! Builtins: ports and input/output (R7RS 6.13) over string and bytevector ports and the
//! standard streams. Procedures whose port argument is optional default to the value of
//! the `current-input-port`/`current-output-port` parameters, so they take the whole VM.
//!
//! `read` parses with `seam_syntax::Reader`; `datum_end` (in `io_read.rs`) first finds
//! where the next datum ends, so the port gives up exactly the text of that datum.

use super::sequence::{items_arg, slice_arg, Bytevectors, Strings};
use super::{index_arg, range_args, simple, with_vm, wrong, Builtin};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::object::Object;
use crate::port::{Port, PortKind};
use crate::printer::{to_string_checked, Mode};
use crate::value::Value;
use crate::vm::Vm;

#[path = "io_read.rs"]
mod read;

pub const BUILTINS: &[Builtin] = &[
    simple("port?", 1, 1, |h, a| Ok(Value::Bool(port_ref(h, a[0]).is_some()))),
    simple("input-port?", 1, 1, |h, a| Ok(Value::Bool(port_ref(h, a[0]).is_some_and(Port::is_input)))),
    simple("output-port?", 1, 1, |h, a| Ok(Value::Bool(port_ref(h, a[0]).is_some_and(Port::is_output)))),
    simple("textual-port?", 1, 1, |h, a| Ok(Value::Bool(port_ref(h, a[0]).is_some_and(Port::is_textual)))),
    simple("binary-port?", 1, 1, |h, a| Ok(Value::Bool(port_ref(h, a[0]).is_some_and(|p| !p.is_textual())))),
    simple("input-port-open?", 1, 1, |h, a| is_open(h, "input-port-open?", a[0], Need::Input)),
    simple("output-port-open?", 1, 1, |h, a| is_open(h, "output-port-open?", a[0], Need::Output)),
    simple("close-port", 1, 1, |h, a| close(h, "close-port", a[0], Need::Any)),
    simple("close-input-port", 1, 1, |h, a| close(h, "close-input-port", a[0], Need::Input)),
    simple("close-output-port", 1, 1, |h, a| close(h, "close-output-port", a[0], Need::Output)),
    simple("open-input-string", 1, 1, |h, a| {
        let chars = items_arg::<Strings>(h, "open-input-string", 1, a[0])?.to_vec();
        Ok(new_port(h, PortKind::StringInput { chars, pos: 0 }))
    }),
    simple("open-output-string", 0, 0, |h, _| Ok(new_port(h, PortKind::StringOutput(String::new())))),
    simple("get-output-string", 1, 1, |h, a| match port_ref(h, a[0]).map(|p| &p.kind) {
        Some(PortKind::StringOutput(s)) => {
            let s = s.clone();
            super::check_allocation(h, "get-output-string", s.chars().count(), 4)?;
            Ok(h.string(&s))
        }
        _ => Err(wrong(h, "get-output-string", 1, "string output port", a[0])),
    }),
    simple("open-input-bytevector", 1, 1, |h, a| {
        let bytes = items_arg::<Bytevectors>(h, "open-input-bytevector", 1, a[0])?.to_vec();
        Ok(new_port(h, PortKind::BytesInput { bytes, pos: 0 }))
    }),
    simple("open-output-bytevector", 0, 0, |h, _| Ok(new_port(h, PortKind::BytesOutput(Vec::new())))),
    simple("get-output-bytevector", 1, 1, |h, a| match port_ref(h, a[0]).map(|p| &p.kind) {
        Some(PortKind::BytesOutput(b)) => {
            let b = b.clone();
            Ok(h.alloc(Object::Bytevector(b)))
        }
        _ => Err(wrong(h, "get-output-bytevector", 1, "bytevector output port", a[0])),
    }),
    simple("eof-object", 0, 0, |_, _| Ok(Value::Eof)),
    simple("eof-object?", 1, 1, |_, a| Ok(Value::Bool(matches!(a[0], Value::Eof)))),
    with_vm("read-char", 0, 1, |vm, a| read_char(vm, "read-char", a, false)),
    with_vm("peek-char", 0, 1, |vm, a| read_char(vm, "peek-char", a, true)),
    with_vm("read-line", 0, 1, read_line),
    with_vm("read-string", 1, 2, read_string),
    with_vm("char-ready?", 0, 1, |vm, a| ready(vm, "char-ready?", a, Need::TextIn)),
    with_vm("read-u8", 0, 1, |vm, a| read_u8(vm, "read-u8", a, false)),
    with_vm("peek-u8", 0, 1, |vm, a| read_u8(vm, "peek-u8", a, true)),
    with_vm("u8-ready?", 0, 1, |vm, a| ready(vm, "u8-ready?", a, Need::BinIn)),
    with_vm("read-bytevector", 1, 2, read_bytevector),
    with_vm("read-bytevector!", 1, 4, read_bytevector_into),
    with_vm("read", 0, 1, read::read),
    with_vm("write-char", 1, 2, |vm, a| match a[0] {
        Value::Char(c) => put_text(vm, "write-char", a, 1, c.encode_utf8(&mut [0; 4])),
        v => Err(wrong(&vm.heap, "write-char", 1, "char", v)),
    }),
    with_vm("write-string", 1, 4, write_string),
    with_vm("write-u8", 1, 2, |vm, a| match a[0] {
        Value::Fixnum(b @ 0..=255) => put_bytes(vm, "write-u8", a, &[b as u8]),
        v => Err(wrong(&vm.heap, "write-u8", 1, "byte", v)),
    }),
    with_vm("write-bytevector", 1, 4, write_bytevector),
    with_vm("newline", 0, 1, |vm, a| put_text(vm, "newline", a, 0, "\n")),
    with_vm("display", 1, 2, |vm, a| print(vm, "display", a, Mode::Display)),
    with_vm("write", 1, 2, |vm, a| print(vm, "write", a, Mode::Write)),
    with_vm("write-shared", 1, 2, |vm, a| print(vm, "write-shared", a, Mode::Shared)),
    // Labels only where there are cycles, as `write`: printing a cycle always terminates.
    with_vm("write-simple", 1, 2, |vm, a| print(vm, "write-simple", a, Mode::Write)),
    with_vm("flush-output-port", 0, 1, |vm, a| {
        let port = output(vm, a, 0);
        with_port(&mut vm.heap, "flush-output-port", 1, port, Need::Output, Port::flush)?
            .map_err(|e| io_error("flush-output-port", e))?;
        Ok(Value::Unspecified)
    }),
];

/// What kind of port an argument must be.
#[derive(Clone, Copy)]
pub(crate) enum Need {
    Any,
    Input,
    Output,
    TextIn,
    TextOut,
    BinIn,
    BinOut,
}

impl Need {
    fn accepts(self, p: &Port) -> bool {
        match self {
            Need::Any => true,
            Need::Input => p.is_input(),
            Need::Output => p.is_output(),
            Need::TextIn => p.is_input() && p.is_textual(),
            Need::TextOut => p.is_output() && p.is_textual(),
            Need::BinIn => p.is_input() && !p.is_textual(),
            Need::BinOut => p.is_output() && !p.is_textual(),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Need::Any => "port",
            Need::Input => "input port",
            Need::Output => "output port",
            Need::TextIn => "textual input port",
            Need::TextOut => "textual output port",
            Need::BinIn => "binary input port",
            Need::BinOut => "binary output port",
        }
    }
}

fn new_port(heap: &mut Heap, kind: PortKind) -> Value {
    heap.alloc(Object::Port(Box::new(Port::new(kind))))
}

fn port_ref(heap: &Heap, v: Value) -> Option<&Port> {
    match heap.object(v) {
        Some(Object::Port(p)) => Some(p),
        _ => None,
    }
}

/// A port argument of the needed kind (open or not), or a type error.
fn port_arg<'h>(
    heap: &'h Heap,
    proc: &str,
    position: usize,
    v: Value,
    need: Need,
) -> Result<&'h Port, Condition> {
    match port_ref(heap, v) {
        Some(p) if need.accepts(p) => Ok(p),
        _ => Err(wrong(heap, proc, position, need.describe(), v)),
    }
}

/// Runs `f` on the open port `v` of the needed kind; a type error if `v` is not one, a
/// `port` error if it is closed.
pub(crate) fn with_port<R>(
    heap: &mut Heap,
    proc: &str,
    position: usize,
    v: Value,
    need: Need,
    f: impl FnOnce(&mut Port) -> R,
) -> Result<R, Condition> {
    if !port_arg(heap, proc, position, v, need)?.open {
        return Err(Condition::new("port", format!("{proc}: argument {position}: the port is closed")));
    }
    let cap = super::allocation_cap(heap);
    let (result, grown) = match heap.object_mut(v) {
        Some(Object::Port(p)) => {
            let before = p.buffer_bytes();
            let result = f(p);
            if let Some(e) = p.error.take() {
                return Err(io_error(proc, e));
            }
            // A string or bytevector output port's buffer counts as heap memory: its growth
            // is accounted as an allocation (so the memory limit sees it at the next check
            // point), and no buffer may grow past what one allocation may take.
            let (len, after) = (p.buffer_len(), p.buffer_bytes());
            if len > cap.bytes {
                p.truncate_buffer(before.1);
                return Err(Condition::new(
                    cap.kind,
                    format!("{proc}: the port's output would be longer than {} bytes{}", cap.bytes, cap.note),
                ));
            }
            (result, after.0.saturating_sub(before.0))
        }
        _ => return Err(wrong(heap, proc, position, need.describe(), v)),
    };
    heap.charge(grown);
    Ok(result)
}

fn io_error(proc: &str, e: std::io::Error) -> Condition {
    Condition::new("file", format!("{proc}: {e}"))
}

/// The value of the port parameter `current` (or the port itself before the parameters
/// are installed).
fn current(heap: &Heap, current: Value) -> Value {
    match heap.object(current) {
        Some(Object::Parameter(p)) => p.value,
        _ => current,
    }
}

/// The optional input port at `args[i]`, defaulting to the current input port.
pub(crate) fn input(vm: &Vm, args: &[Value], i: usize) -> Value {
    args.get(i).copied().unwrap_or_else(|| current(&vm.heap, vm.roots.current_input))
}

/// The optional output port at `args[i]`, defaulting to the current output port.
fn output(vm: &Vm, args: &[Value], i: usize) -> Value {
    args.get(i).copied().unwrap_or_else(|| current(&vm.heap, vm.roots.current_output))
}

fn is_open(heap: &mut Heap, proc: &str, v: Value, need: Need) -> BuiltinResult {
    Ok(Value::Bool(port_arg(heap, proc, 1, v, need)?.open))
}

fn close(heap: &mut Heap, proc: &str, v: Value, need: Need) -> BuiltinResult {
    port_arg(heap, proc, 1, v, need)?;
    if let Some(Object::Port(p)) = heap.object_mut(v) {
        // A closed output port still gives its text to `get-output-string`; a file is
        // flushed and released.
        p.close().map_err(|e| io_error(proc, e))?;
    }
    Ok(Value::Unspecified)
}

// -- input

fn read_char(vm: &mut Vm, proc: &str, args: &[Value], peek: bool) -> BuiltinResult {
    let port = input(vm, args, 0);
    let c = with_port(&mut vm.heap, proc, 1, port, Need::TextIn, |p| p.read_char(peek))?;
    Ok(c.map_or(Value::Eof, Value::Char))
}

fn read_u8(vm: &mut Vm, proc: &str, args: &[Value], peek: bool) -> BuiltinResult {
    let port = input(vm, args, 0);
    let b = with_port(&mut vm.heap, proc, 1, port, Need::BinIn, |p| p.read_byte(peek))?;
    Ok(b.map_or(Value::Eof, |b| Value::Fixnum(i64::from(b))))
}

fn ready(vm: &mut Vm, proc: &str, args: &[Value], need: Need) -> BuiltinResult {
    let port = input(vm, args, 0);
    Ok(Value::Bool(with_port(&mut vm.heap, proc, 1, port, need, |p| p.is_ready())?))
}

/// `read-line`: the text up to a `\n`, `\r` or `\r\n` (not included), or eof.
fn read_line(vm: &mut Vm, args: &[Value]) -> BuiltinResult {
    let port = input(vm, args, 0);
    let line = with_port(&mut vm.heap, "read-line", 1, port, Need::TextIn, |p| {
        let mut line = String::new();
        loop {
            match p.read_char(false) {
                None if line.is_empty() => return None,
                None | Some('\n') => return Some(line),
                Some('\r') => {
                    if p.read_char(true) == Some('\n') {
                        p.read_char(false);
                    }
                    return Some(line);
                }
                Some(c) => line.push(c),
            }
        }
    })?;
    Ok(line.map_or(Value::Eof, |s| vm.heap.string(&s)))
}

fn read_string(vm: &mut Vm, args: &[Value]) -> BuiltinResult {
    let k = index_arg(&vm.heap, "read-string", 1, args[0])?;
    let port = input(vm, args, 1);
    let chars = with_port(&mut vm.heap, "read-string", 2, port, Need::TextIn, |p| {
        std::iter::from_fn(|| p.read_char(false)).take(k).collect::<Vec<char>>()
    })?;
    if chars.is_empty() && k > 0 {
        return Ok(Value::Eof);
    }
    Ok(vm.heap.alloc(Object::String(chars)))
}

fn read_bytevector(vm: &mut Vm, args: &[Value]) -> BuiltinResult {
    let k = index_arg(&vm.heap, "read-bytevector", 1, args[0])?;
    let port = input(vm, args, 1);
    let bytes = with_port(&mut vm.heap, "read-bytevector", 2, port, Need::BinIn, |p| {
        std::iter::from_fn(|| p.read_byte(false)).take(k).collect::<Vec<u8>>()
    })?;
    if bytes.is_empty() && k > 0 {
        return Ok(Value::Eof);
    }
    Ok(vm.heap.alloc(Object::Bytevector(bytes)))
}

/// `(read-bytevector! bytevector [port start end])`: the number of bytes read, or eof.
fn read_bytevector_into(vm: &mut Vm, args: &[Value]) -> BuiltinResult {
    let len = items_arg::<Bytevectors>(&vm.heap, "read-bytevector!", 1, args[0])?.len();
    vm.heap.check_mutable("read-bytevector!", args[0])?;
    let (start, end) = range_args(&vm.heap, "read-bytevector!", args, 2, len)?;
    let port = input(vm, args, 1);
    let bytes = with_port(&mut vm.heap, "read-bytevector!", 2, port, Need::BinIn, |p| {
        std::iter::from_fn(|| p.read_byte(false)).take(end - start).collect::<Vec<u8>>()
    })?;
    if bytes.is_empty() && end > start {
        return Ok(Value::Eof);
    }
    if let Some(Object::Bytevector(b)) = vm.heap.object_mut(args[0]) {
        b[start..start + bytes.len()].copy_from_slice(&bytes);
    }
    Ok(Value::Fixnum(bytes.len() as i64))
}

// -- output

/// Writes `text` to the optional textual output port at `args[i]`.
fn put_text(vm: &mut Vm, proc: &str, args: &[Value], i: usize, text: &str) -> BuiltinResult {
    let port = output(vm, args, i);
    with_port(&mut vm.heap, proc, i + 1, port, Need::TextOut, |p| p.write_str(text))?
        .map_err(|e| io_error(proc, e))?;
    Ok(Value::Unspecified)
}

/// Writes `bytes` to the optional binary output port at `args[1]`.
fn put_bytes(vm: &mut Vm, proc: &str, args: &[Value], bytes: &[u8]) -> BuiltinResult {
    let port = output(vm, args, 1);
    with_port(&mut vm.heap, proc, 2, port, Need::BinOut, |p| p.write_bytes(bytes))?
        .map_err(|e| io_error(proc, e))?;
    Ok(Value::Unspecified)
}

/// `display`, `write`, ...: the printed form of `args[0]` to the optional port `args[1]`.
fn print(vm: &mut Vm, proc: &str, args: &[Value], mode: Mode) -> BuiltinResult {
    let port = output(vm, args, 1);
    // Check the port first, so a bad port is reported before printing a large value.
    with_port(&mut vm.heap, proc, 2, port, Need::TextOut, |_| ())?;
    let text = to_string_checked(&vm.heap, args[0], mode, proc)?;
    put_text(vm, proc, args, 1, &text)
}

/// `(write-string string [port start end])`.
fn write_string(vm: &mut Vm, args: &[Value]) -> BuiltinResult {
    let text: String = slice_arg::<Strings>(&vm.heap, "write-string", args, 2)?.iter().collect();
    put_text(vm, "write-string", args, 1, &text)
}

/// `(write-bytevector bytevector [port start end])`.
fn write_bytevector(vm: &mut Vm, args: &[Value]) -> BuiltinResult {
    let bytes = slice_arg::<Bytevectors>(&vm.heap, "write-bytevector", args, 2)?.to_vec();
    put_bytes(vm, "write-bytevector", args, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtins::{make_error_object, Kind, BUILTINS};

    /// Calls builtin `name` (from the whole table) on `args`.
    pub(super) fn call(vm: &mut Vm, name: &str, args: &[Value]) -> BuiltinResult {
        let Some(b) = BUILTINS.iter().find(|b| b.name == name) else { panic!("no builtin {name}") };
        assert!(args.len() >= b.min as usize && args.len() <= b.max as usize, "arity of {name}");
        match b.kind {
            Kind::Simple(f) => f(&mut vm.heap, args),
            Kind::Vm(f) => f(vm, args),
            Kind::Control(_) => panic!("{name} is a control builtin"),
        }
    }

    pub(super) fn ok(vm: &mut Vm, name: &str, args: &[Value]) -> Value {
        match call(vm, name, args) {
            Ok(v) => v,
            Err(c) => panic!("{name}: {}", c.message),
        }
    }

    pub(super) fn ok_shown(vm: &mut Vm, name: &str, args: &[Value]) -> String {
        let v = ok(vm, name, args);
        shown(vm, v)
    }

    pub(super) fn shown(vm: &Vm, v: Value) -> String {
        crate::printer::to_string(&vm.heap, v, Mode::Write)
    }

    pub(super) fn input_string(vm: &mut Vm, text: &str) -> Value {
        let s = vm.heap.string(text);
        ok(vm, "open-input-string", &[s])
    }

    #[test]
    fn string_output_port_collects_display_and_write() {
        let mut vm = Vm::new();
        let port = ok(&mut vm, "open-output-string", &[]);
        let s = vm.heap.string("a \"q\"");
        ok(&mut vm, "display", &[s, port]);
        ok(&mut vm, "write-char", &[Value::Char(' '), port]);
        ok(&mut vm, "write", &[s, port]);
        ok(&mut vm, "newline", &[port]);
        let x = vm.heap.string("xyz");
        ok(&mut vm, "write-string", &[x, port, Value::Fixnum(1), Value::Fixnum(2)]);
        let text = ok(&mut vm, "get-output-string", &[port]);
        assert_eq!(shown(&vm, text), r#""a \"q\" \"a \\\"q\\\"\"\ny""#);
    }

    #[test]
    fn write_labels_cycles_and_write_shared_labels_sharing() {
        let mut vm = Vm::new();
        let list = vm.heap.list(&[Value::Fixnum(1), Value::Fixnum(2)]);
        let Value::Pair(first) = list else { panic!() };
        let Value::Pair(second) = vm.heap.cdr(first) else { panic!() };
        vm.heap.set_cdr(second, list);
        let port = ok(&mut vm, "open-output-string", &[]);
        ok(&mut vm, "write", &[list, port]);
        ok(&mut vm, "display", &[list, port]);
        let text = ok(&mut vm, "get-output-string", &[port]);
        assert_eq!(vm.heap.string_value(text).unwrap(), "#0=(1 2 . #0#)#0=(1 2 . #0#)");

        let shared = vm.heap.list(&[Value::Fixnum(1)]);
        let pair = vm.heap.list(&[shared, shared]);
        let port = ok(&mut vm, "open-output-string", &[]);
        ok(&mut vm, "write-shared", &[pair, port]);
        ok(&mut vm, "write", &[pair, port]);
        let text = ok(&mut vm, "get-output-string", &[port]);
        assert_eq!(vm.heap.string_value(text).unwrap(), "(#0=(1) #0#)((1) (1))");
    }

    #[test]
    fn reading_chars_lines_and_strings() {
        let mut vm = Vm::new();
        let port = input_string(&mut vm, "ab\ncd\r\nef\rg");
        assert_eq!(ok_shown(&mut vm, "peek-char", &[port]), "#\\a");
        assert_eq!(ok_shown(&mut vm, "read-char", &[port]), "#\\a");
        let line = ok(&mut vm, "read-line", &[port]);
        assert_eq!(shown(&vm, line), "\"b\"");
        let line = ok(&mut vm, "read-line", &[port]);
        assert_eq!(shown(&vm, line), "\"cd\"");
        let line = ok(&mut vm, "read-line", &[port]);
        assert_eq!(shown(&vm, line), "\"ef\"");
        assert!(ok(&mut vm, "char-ready?", &[port]).is_true());
        let s = ok(&mut vm, "read-string", &[Value::Fixnum(5), port]);
        assert_eq!(shown(&vm, s), "\"g\"");
        for proc in ["read-char", "peek-char", "read-line"] {
            assert!(matches!(ok(&mut vm, proc, &[port]), Value::Eof), "{proc} at eof");
        }
        assert!(matches!(ok(&mut vm, "read-string", &[Value::Fixnum(2), port]), Value::Eof));
        let empty = ok(&mut vm, "read-string", &[Value::Fixnum(0), port]);
        assert_eq!(shown(&vm, empty), "\"\"");
        let blank = input_string(&mut vm, "\n");
        let line = ok(&mut vm, "read-line", &[blank]);
        assert_eq!(shown(&vm, line), "\"\"");
        assert!(ok(&mut vm, "eof-object?", &[Value::Eof]).is_true());
        assert!(matches!(ok(&mut vm, "eof-object", &[]), Value::Eof));
    }

    #[test]
    fn bytevector_ports() {
        let mut vm = Vm::new();
        let out = ok(&mut vm, "open-output-bytevector", &[]);
        ok(&mut vm, "write-u8", &[Value::Fixnum(1), out]);
        let bv = vm.heap.alloc(Object::Bytevector(vec![2, 3, 4]));
        ok(&mut vm, "write-bytevector", &[bv, out, Value::Fixnum(1)]);
        let got = ok(&mut vm, "get-output-bytevector", &[out]);
        assert_eq!(shown(&vm, got), "#u8(1 3 4)");
        let port = ok(&mut vm, "open-input-bytevector", &[got]);
        assert!(ok(&mut vm, "binary-port?", &[port]).is_true());
        assert!(!ok(&mut vm, "textual-port?", &[port]).is_true());
        assert!(ok(&mut vm, "u8-ready?", &[port]).is_true());
        assert_eq!(ok_shown(&mut vm, "peek-u8", &[port]), "1");
        assert_eq!(ok_shown(&mut vm, "read-u8", &[port]), "1");
        let rest = ok(&mut vm, "read-bytevector", &[Value::Fixnum(10), port]);
        assert_eq!(shown(&vm, rest), "#u8(3 4)");
        assert!(matches!(ok(&mut vm, "read-u8", &[port]), Value::Eof));
        assert!(matches!(ok(&mut vm, "read-bytevector", &[Value::Fixnum(1), port]), Value::Eof));
        let port = ok(&mut vm, "open-input-bytevector", &[got]);
        let target = vm.heap.alloc(Object::Bytevector(vec![0; 4]));
        assert_eq!(ok_shown(&mut vm, "read-bytevector!", &[target, port, Value::Fixnum(1)]), "3");
        assert_eq!(shown(&vm, target), "#u8(0 1 3 4)");
        let err = call(&mut vm, "write-u8", &[Value::Fixnum(256), out]).unwrap_err();
        assert_eq!(err.message, "write-u8: argument 1: expected byte, got 256");
    }

    #[test]
    fn port_predicates_and_closing() {
        let mut vm = Vm::new();
        let port = input_string(&mut vm, "abc");
        assert!(ok(&mut vm, "port?", &[port]).is_true());
        assert!(ok(&mut vm, "input-port?", &[port]).is_true());
        assert!(!ok(&mut vm, "output-port?", &[port]).is_true());
        assert!(!ok(&mut vm, "port?", &[Value::Fixnum(1)]).is_true());
        assert!(ok(&mut vm, "input-port-open?", &[port]).is_true());
        let err = call(&mut vm, "close-output-port", &[port]).unwrap_err();
        assert_eq!(err.message, "close-output-port: argument 1: expected output port, got #<port>");
        ok(&mut vm, "close-input-port", &[port]);
        assert!(!ok(&mut vm, "input-port-open?", &[port]).is_true());
        let err = call(&mut vm, "read-char", &[port]).unwrap_err();
        assert_eq!((err.kind, err.message.as_str()), ("port", "read-char: argument 1: the port is closed"));
        let out = ok(&mut vm, "open-output-string", &[]);
        ok(&mut vm, "close-port", &[out]);
        assert!(call(&mut vm, "write-char", &[Value::Char('a'), out]).is_err());
        let err = call(&mut vm, "write-char", &[Value::Char('a'), port]).unwrap_err();
        assert_eq!(err.message, "write-char: argument 2: expected textual output port, got #<port>");
        let err = call(&mut vm, "read-u8", &[port]).unwrap_err();
        assert!(err.message.contains("expected binary input port"), "{}", err.message);
        // The default ports are the current ports (stdout here).
        let stdout = output(&vm, &[], 0);
        assert!(ok(&mut vm, "output-port?", &[stdout]).is_true());
        ok(&mut vm, "flush-output-port", &[]);
    }

    #[test]
    fn read_error_is_a_read_error_object() {
        let mut vm = Vm::new();
        let port = input_string(&mut vm, "(1 2");
        let err = call(&mut vm, "read", &[port]).unwrap_err();
        assert_eq!((err.kind, err.message.as_str()), ("read", "read: unclosed list"));
        let obj = make_error_object(&mut vm.heap, err);
        assert!(ok(&mut vm, "read-error?", &[obj]).is_true());
    }
}
