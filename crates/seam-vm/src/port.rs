//! Ports: string and bytevector ports in memory, file ports (buffered), and the process's
//! standard streams.
//!
//! Textual input from standard input and from files is decoded a line at a time into a
//! [`LineBuffer`]; a line break is never inside a UTF-8 sequence, so decoding per line is
//! exact.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};

#[derive(Debug)]
pub enum PortKind {
    StringOutput(String),
    StringInput {
        chars: Vec<char>,
        pos: usize,
    },
    BytesOutput(Vec<u8>),
    BytesInput {
        bytes: Vec<u8>,
        pos: usize,
    },
    Stdout,
    Stderr,
    Stdin {
        pending: LineBuffer,
    },
    /// A textual input file; `None` once closed.
    FileInput {
        reader: Option<BufReader<File>>,
        pending: LineBuffer,
    },
    /// A binary input file; `None` once closed.
    BinaryFileInput(Option<BufReader<File>>),
    /// An output file, textual or binary; `None` once closed (after a flush).
    FileOutput {
        writer: Option<BufWriter<File>>,
        textual: bool,
    },
}

/// Decoded text not read yet: `chars[pos..]`.
#[derive(Debug, Default)]
pub struct LineBuffer {
    chars: Vec<char>,
    pos: usize,
}

impl LineBuffer {
    fn rest(&self) -> &[char] {
        self.chars.get(self.pos..).unwrap_or_default()
    }

    fn is_empty(&self) -> bool {
        self.rest().is_empty()
    }

    fn clear(&mut self) {
        self.chars.clear();
        self.pos = 0;
    }

    /// Appends text, first dropping what has been read.
    fn push(&mut self, text: &str) {
        self.chars.drain(..self.pos.min(self.chars.len()));
        self.pos = 0;
        self.chars.extend(text.chars());
    }

    fn next(&mut self, peek: bool) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() && !peek {
            self.pos += 1;
        }
        c
    }

    fn skip(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.chars.len());
    }
}

#[derive(Debug)]
pub struct Port {
    pub kind: PortKind,
    pub open: bool,
    /// An error from the operating system while reading, reported (and cleared) by the
    /// builtin whose read met it; the read itself saw the end of input.
    pub error: Option<std::io::Error>,
    /// Whether `read` has met `#!fold-case` (and no `#!no-fold-case` since) on this port.
    pub fold_case: bool,
}

impl Port {
    pub fn new(kind: PortKind) -> Port {
        Port { kind, open: true, error: None, fold_case: false }
    }

    /// The capacity in bytes of an in-memory output buffer (what the heap accounts for it)
    /// and its length in bytes (to truncate back to); zeros for other ports.
    pub fn buffer_bytes(&self) -> (usize, usize) {
        match &self.kind {
            PortKind::StringOutput(s) => (s.capacity(), s.len()),
            PortKind::BytesOutput(b) => (b.capacity(), b.len()),
            _ => (0, 0),
        }
    }

    /// How many bytes the output buffer of a string or bytevector output port would take
    /// as a Scheme string or bytevector (4 per character, 1 per byte).
    pub fn buffer_len(&self) -> usize {
        match &self.kind {
            // An upper bound: the text has at most `len` characters.
            PortKind::StringOutput(s) => s.len().saturating_mul(4),
            PortKind::BytesOutput(b) => b.len(),
            _ => 0,
        }
    }

    /// Cuts an in-memory output buffer back to `len` bytes (a write that made it too long).
    pub fn truncate_buffer(&mut self, len: usize) {
        match &mut self.kind {
            PortKind::StringOutput(s) if s.is_char_boundary(len) => s.truncate(len),
            PortKind::BytesOutput(b) => b.truncate(len),
            _ => {}
        }
    }

    pub fn is_input(&self) -> bool {
        matches!(
            self.kind,
            PortKind::StringInput { .. }
                | PortKind::BytesInput { .. }
                | PortKind::Stdin { .. }
                | PortKind::FileInput { .. }
                | PortKind::BinaryFileInput(_)
        )
    }

    pub fn is_output(&self) -> bool {
        !self.is_input()
    }

    pub fn is_textual(&self) -> bool {
        !matches!(
            self.kind,
            PortKind::BytesInput { .. }
                | PortKind::BytesOutput(_)
                | PortKind::BinaryFileInput(_)
                | PortKind::FileOutput { textual: false, .. }
        )
    }

    /// Closes the port: flushes an output file and releases any file. Closing a closed
    /// port does nothing.
    pub fn close(&mut self) -> std::io::Result<()> {
        if !self.open {
            return Ok(());
        }
        self.open = false;
        match &mut self.kind {
            PortKind::FileInput { reader, pending } => {
                *reader = None;
                pending.clear();
                Ok(())
            }
            PortKind::BinaryFileInput(reader) => {
                *reader = None;
                Ok(())
            }
            PortKind::FileOutput { writer, .. } => match writer.take() {
                Some(mut w) => w.flush(),
                None => Ok(()),
            },
            PortKind::Stdout | PortKind::Stderr => self.flush(),
            _ => Ok(()),
        }
    }

    /// Writes text to a textual output port.
    pub fn write_str(&mut self, s: &str) -> std::io::Result<()> {
        match &mut self.kind {
            PortKind::StringOutput(buf) => {
                buf.push_str(s);
                Ok(())
            }
            PortKind::Stdout => std::io::stdout().write_all(s.as_bytes()),
            PortKind::Stderr => std::io::stderr().write_all(s.as_bytes()),
            PortKind::FileOutput { writer: Some(w), textual: true } => w.write_all(s.as_bytes()),
            _ => Err(std::io::Error::other("not an open textual output port")),
        }
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.kind {
            PortKind::Stdout => std::io::stdout().flush(),
            PortKind::Stderr => std::io::stderr().flush(),
            PortKind::FileOutput { writer: Some(w), .. } => w.flush(),
            _ => Ok(()),
        }
    }

    /// One line of the process's standard input (with its newline), empty at end of input.
    fn stdin_line() -> String {
        let mut byte = [0u8; 1];
        let mut stdin = std::io::stdin();
        let mut bytes = Vec::new();
        while let Ok(1) = stdin.read(&mut byte) {
            bytes.push(byte[0]);
            if byte[0] == b'\n' {
                break;
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// One more line of a line-buffered textual input (with its newline), empty at its
    /// end; a read error ends the input and is kept in `error`.
    fn next_line(&mut self) -> String {
        match &mut self.kind {
            PortKind::Stdin { .. } => Port::stdin_line(),
            PortKind::FileInput { reader: Some(r), .. } => {
                let mut bytes = Vec::new();
                match r.read_until(b'\n', &mut bytes) {
                    Ok(_) => String::from_utf8_lossy(&bytes).into_owned(),
                    Err(e) => {
                        self.error = Some(e);
                        String::new()
                    }
                }
            }
            _ => String::new(),
        }
    }

    /// The buffer of a line-buffered textual input port.
    fn pending(&mut self) -> Option<&mut LineBuffer> {
        match &mut self.kind {
            PortKind::Stdin { pending } | PortKind::FileInput { pending, .. } => Some(pending),
            _ => None,
        }
    }

    /// Fills the buffer of a line-buffered port with one more line when it is empty; false
    /// at end of input.
    fn fill(&mut self) -> bool {
        if self.pending().is_some_and(|p| !p.is_empty()) {
            return true;
        }
        let line = self.next_line();
        match self.pending() {
            Some(pending) => {
                pending.push(&line);
                !pending.is_empty()
            }
            None => false,
        }
    }

    /// Reads (or with `peek`, looks at) the next char of a textual input port.
    pub fn read_char(&mut self, peek: bool) -> Option<char> {
        if let PortKind::StringInput { chars, pos } = &mut self.kind {
            let c = chars.get(*pos).copied();
            if c.is_some() && !peek {
                *pos += 1;
            }
            return c;
        }
        if !self.fill() {
            return None;
        }
        self.pending()?.next(peek)
    }

    /// Reads (or peeks) the next byte of a binary input port.
    pub fn read_byte(&mut self, peek: bool) -> Option<u8> {
        match &mut self.kind {
            PortKind::BytesInput { bytes, pos } => {
                let b = bytes.get(*pos).copied();
                if b.is_some() && !peek {
                    *pos += 1;
                }
                b
            }
            PortKind::BinaryFileInput(Some(r)) => {
                let b = match r.fill_buf() {
                    Ok(buf) => buf.first().copied(),
                    Err(e) => {
                        self.error = Some(e);
                        return None;
                    }
                };
                if b.is_some() && !peek {
                    r.consume(1);
                }
                b
            }
            _ => None,
        }
    }

    /// Writes bytes to a binary output port.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.kind {
            PortKind::BytesOutput(buf) => {
                buf.extend_from_slice(bytes);
                Ok(())
            }
            PortKind::FileOutput { writer: Some(w), textual: false } => w.write_all(bytes),
            _ => Err(std::io::Error::other("not an open binary output port")),
        }
    }

    /// The text a textual input port has ready without waiting: all the rest of a string
    /// port, the buffered line of standard input or a file.
    pub fn buffered_text(&self) -> Cow<'_, [char]> {
        match &self.kind {
            PortKind::StringInput { chars, pos } => Cow::Borrowed(chars.get(*pos..).unwrap_or_default()),
            PortKind::Stdin { pending } | PortKind::FileInput { pending, .. } => {
                Cow::Borrowed(pending.rest())
            }
            _ => Cow::Borrowed(&[]),
        }
    }

    /// Consumes `n` chars of [`Port::buffered_text`].
    pub fn skip_chars(&mut self, n: usize) {
        match &mut self.kind {
            PortKind::StringInput { chars, pos } => *pos = (*pos + n).min(chars.len()),
            PortKind::Stdin { pending } | PortKind::FileInput { pending, .. } => pending.skip(n),
            _ => {}
        }
    }

    /// Adds more text to the buffered text: one more line of standard input; lines of a
    /// file until the buffer has doubled (so reading a datum of many lines stays linear).
    /// False when there is no more (and always for ports that have all their text already).
    pub fn buffer_more(&mut self) -> bool {
        let Some(pending) = self.pending() else {
            return false;
        };
        let wanted = pending.rest().len().max(1);
        let mut added = 0;
        while added < wanted {
            let line = self.next_line();
            if line.is_empty() {
                break;
            }
            added += line.len();
            if let Some(pending) = self.pending() {
                pending.push(&line);
            }
            if matches!(self.kind, PortKind::Stdin { .. }) {
                break;
            }
        }
        added > 0
    }

    /// `char-ready?`/`u8-ready?`: whether reading would not block. In-memory ports and
    /// files never block; standard input is ready when a line is buffered.
    pub fn is_ready(&self) -> bool {
        match &self.kind {
            PortKind::Stdin { pending } => !pending.is_empty(),
            _ => true,
        }
    }
}
