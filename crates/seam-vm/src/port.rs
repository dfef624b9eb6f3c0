//! Ports: string and bytevector ports in memory, and the process's standard streams.

use std::borrow::Cow;
use std::io::{Read, Write};

#[derive(Debug)]
pub enum PortKind {
    StringOutput(String),
    StringInput { chars: Vec<char>, pos: usize },
    BytesOutput(Vec<u8>),
    BytesInput { bytes: Vec<u8>, pos: usize },
    Stdout,
    Stderr,
    Stdin { pending: Vec<char> },
}

#[derive(Debug)]
pub struct Port {
    pub kind: PortKind,
    pub open: bool,
}

impl Port {
    pub fn new(kind: PortKind) -> Port {
        Port { kind, open: true }
    }

    pub fn is_input(&self) -> bool {
        matches!(
            self.kind,
            PortKind::StringInput { .. } | PortKind::BytesInput { .. } | PortKind::Stdin { .. }
        )
    }

    pub fn is_output(&self) -> bool {
        !self.is_input()
    }

    pub fn is_textual(&self) -> bool {
        !matches!(self.kind, PortKind::BytesInput { .. } | PortKind::BytesOutput(_))
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
            _ => Err(std::io::Error::other("not a textual output port")),
        }
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.kind {
            PortKind::Stdout => std::io::stdout().flush(),
            PortKind::Stderr => std::io::stderr().flush(),
            _ => Ok(()),
        }
    }

    /// Fills the stdin buffer with one more line when it is empty; false at end of input.
    fn fill_stdin(pending: &mut Vec<char>) -> bool {
        if !pending.is_empty() {
            return true;
        }
        pending.extend(Port::stdin_line().chars().rev());
        !pending.is_empty()
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

    /// Reads (or with `peek`, looks at) the next char of a textual input port.
    pub fn read_char(&mut self, peek: bool) -> Option<char> {
        match &mut self.kind {
            PortKind::StringInput { chars, pos } => {
                let c = chars.get(*pos).copied();
                if c.is_some() && !peek {
                    *pos += 1;
                }
                c
            }
            PortKind::Stdin { pending } => {
                if !Port::fill_stdin(pending) {
                    return None;
                }
                if peek {
                    pending.last().copied()
                } else {
                    pending.pop()
                }
            }
            _ => None,
        }
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
            _ => Err(std::io::Error::other("not a binary output port")),
        }
    }

    /// The text a textual input port has ready without waiting: all the rest of a string
    /// port, the buffered line of standard input.
    pub fn buffered_text(&self) -> Cow<'_, [char]> {
        match &self.kind {
            PortKind::StringInput { chars, pos } => Cow::Borrowed(chars.get(*pos..).unwrap_or_default()),
            PortKind::Stdin { pending } => Cow::Owned(pending.iter().rev().copied().collect()),
            _ => Cow::Borrowed(&[]),
        }
    }

    /// Consumes `n` chars of [`Port::buffered_text`].
    pub fn skip_chars(&mut self, n: usize) {
        match &mut self.kind {
            PortKind::StringInput { chars, pos } => *pos = (*pos + n).min(chars.len()),
            PortKind::Stdin { pending } => pending.truncate(pending.len().saturating_sub(n)),
            _ => {}
        }
    }

    /// Adds one more line of standard input to the buffered text; false when there is no
    /// more (and always for ports that have all their text already).
    pub fn buffer_more(&mut self) -> bool {
        match &mut self.kind {
            PortKind::Stdin { pending } => {
                let line = Port::stdin_line();
                // `pending` is reversed: later text goes at the front.
                pending.splice(0..0, line.chars().rev());
                !line.is_empty()
            }
            _ => false,
        }
    }

    /// `char-ready?`/`u8-ready?`: whether reading would not block. In-memory ports never
    /// block; standard input is ready when a line is buffered.
    pub fn is_ready(&self) -> bool {
        match &self.kind {
            PortKind::Stdin { pending } => !pending.is_empty(),
            _ => true,
        }
    }
}
