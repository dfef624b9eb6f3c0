//! Builtins: file ports and the file system (R7RS 6.13 file library procedures):
//! `open-input-file` and friends, `delete-file`, `file-exists?`. Output files are buffered
//! and flushed on close, `flush-output-port`, exit, and when the port is collected.
//!
//! Failures raise `file` conditions (`file-error?` is true) naming the path and the
//! operating system's error.

use std::fs::File;
use std::io::{BufReader, BufWriter};

use super::sequence::{items_arg, Strings};
use super::{simple, Builtin};
use crate::error::Condition;
use crate::heap::Heap;
use crate::object::Object;
use crate::port::{Port, PortKind};
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[
    simple("open-input-file", 1, 1, |h, a| {
        let file = open(h, "open-input-file", a[0], Mode::Read)?;
        Ok(new_port(
            h,
            PortKind::FileInput { reader: Some(BufReader::new(file)), pending: Default::default() },
        ))
    }),
    simple("open-binary-input-file", 1, 1, |h, a| {
        let file = open(h, "open-binary-input-file", a[0], Mode::Read)?;
        Ok(new_port(h, PortKind::BinaryFileInput(Some(BufReader::new(file)))))
    }),
    simple("open-output-file", 1, 1, |h, a| {
        let file = open(h, "open-output-file", a[0], Mode::Write)?;
        Ok(new_port(h, PortKind::FileOutput { writer: Some(BufWriter::new(file)), textual: true }))
    }),
    simple("open-binary-output-file", 1, 1, |h, a| {
        let file = open(h, "open-binary-output-file", a[0], Mode::Write)?;
        Ok(new_port(h, PortKind::FileOutput { writer: Some(BufWriter::new(file)), textual: false }))
    }),
    simple("file-exists?", 1, 1, |h, a| {
        let path = path_arg(h, "file-exists?", a[0])?;
        Ok(Value::Bool(std::path::Path::new(&path).exists()))
    }),
    simple("delete-file", 1, 1, |h, a| {
        let path = path_arg(h, "delete-file", a[0])?;
        std::fs::remove_file(&path)
            .map_err(|e| file_error("delete-file", "cannot delete", &path, a[0], &e))?;
        Ok(Value::Unspecified)
    }),
];

enum Mode {
    Read,
    Write,
}

fn new_port(heap: &mut Heap, kind: PortKind) -> Value {
    heap.alloc(Object::Port(Box::new(Port::new(kind))))
}

/// A file name argument: a string.
fn path_arg(heap: &Heap, proc: &str, v: Value) -> Result<String, Condition> {
    Ok(items_arg::<Strings>(heap, proc, 1, v)?.iter().collect())
}

/// `proc: cannot open "path": OS error`, a `file` condition with the path as irritant.
fn file_error(proc: &str, what: &str, path: &str, irritant: Value, e: &std::io::Error) -> Condition {
    Condition { kind: "file", message: format!("{proc}: {what} {path:?}: {e}"), irritants: vec![irritant] }
}

fn open(heap: &Heap, proc: &str, v: Value, mode: Mode) -> Result<File, Condition> {
    let path = path_arg(heap, proc, v)?;
    let file = match mode {
        // Opening a directory for reading succeeds on some systems; reading it fails.
        Mode::Read => File::open(&path).and_then(|f| match f.metadata() {
            Ok(m) if m.is_dir() => Err(std::io::Error::other("is a directory")),
            _ => Ok(f),
        }),
        Mode::Write => File::create(&path),
    };
    file.map_err(|e| file_error(proc, "cannot open", &path, v, &e))
}

/// Flushes every open output port (at `exit`); errors are ignored, as the process is
/// ending.
pub(crate) fn flush_all(heap: &mut Heap) {
    for object in heap.objects.iter_mut().flatten() {
        if let Object::Port(p) = object {
            if p.open {
                let _ = p.flush();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{call, error, ok};
    use super::*;

    fn port(heap: &mut Heap, v: Value) -> &mut Port {
        match heap.object_mut(v) {
            Some(Object::Port(p)) => p,
            _ => panic!("not a port"),
        }
    }

    #[test]
    fn write_then_read_a_file() {
        let h = &mut Heap::new();
        let dir = std::env::temp_dir().join(format!("seam-files-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("a.txt").display().to_string();
        let name = h.string(&path);
        let out = call(h, "open-output-file", &[name]).expect("open for output");
        port(h, out).write_str("λ1\r\nb").expect("write");
        // Buffered: nothing reaches the file before a flush or close.
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "");
        port(h, out).close().expect("close");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "λ1\r\nb");
        assert_eq!(ok(h, "file-exists?", &[name]), "#t");
        let input = call(h, "open-input-file", &[name]).expect("open for input");
        let p = port(h, input);
        let text: String = std::iter::from_fn(|| p.read_char(false)).collect();
        assert_eq!(text, "λ1\r\nb");
        let binary = call(h, "open-binary-input-file", &[name]).expect("open binary");
        assert_eq!(port(h, binary).read_byte(true), Some(0xCE));
        assert_eq!(port(h, binary).read_byte(false), Some(0xCE));
        assert_eq!(port(h, binary).read_byte(false), Some(0xBB));
        ok(h, "delete-file", &[name]);
        assert_eq!(ok(h, "file-exists?", &[name]), "#f");
        let _ = std::fs::remove_dir(&dir);
    }

    #[test]
    fn failures_are_file_errors_naming_the_path() {
        let h = &mut Heap::new();
        let missing = h.string("/nonexistent-seam-dir/x");
        let err = call(h, "open-input-file", &[missing]).expect_err("missing file");
        assert_eq!(err.kind, "file");
        assert!(err.message.starts_with("open-input-file: cannot open \"/nonexistent-seam-dir/x\": "));
        let err = call(h, "delete-file", &[missing]).expect_err("missing file");
        assert_eq!(err.kind, "file");
        let dir = h.string(&std::env::temp_dir().display().to_string());
        assert_eq!(call(h, "open-input-file", &[dir]).expect_err("a directory").kind, "file");
        let not_a_string = Value::Fixnum(1);
        assert!(error(h, "open-output-file", &[not_a_string]).starts_with("open-output-file: argument 1"));
    }
}
