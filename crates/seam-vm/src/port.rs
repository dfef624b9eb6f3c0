//! Ports: string and bytevector ports in memory, and the process's standard streams.

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
        matches!(self.kind, PortKind::StringInput { .. } | PortKind::BytesInput { .. } | PortKind::Stdin { .. })
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
        let mut line = String::new();
        let mut byte = [0u8; 1];
        let mut stdin = std::io::stdin();
        let mut bytes = Vec::new();
        loop {
            match stdin.read(&mut byte) {
                Ok(1) => {
                    bytes.push(byte[0]);
                    if byte[0] == b'\n' {
                        break;
                    }
                }
                _ => break,
            }
        }
        line.push_str(&String::from_utf8_lossy(&bytes));
        pending.extend(line.chars().rev());
        !pending.is_empty()
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
}
