//! Seam's reader: R7RS-small lexical syntax into [`Datum`]s, each carrying the [`Span`]
//! (file, line, column) it was read from. Knows nothing about the expander or the VM.

use std::fmt;
use std::sync::Arc;

pub use seam_num::Number;

/// Where a datum starts in its source: file name, 1-based line and 1-based column
/// (counted in characters).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl Span {
    pub fn new(file: Arc<str>, line: u32, column: u32) -> Span {
        Span { file, line, column }
    }
    /// A span for data that did not come from source text (e.g. built by the host).
    pub fn synthetic() -> Span {
        Span { file: Arc::from("<unknown>"), line: 0, column: 0 }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One datum as read, with its span.
#[derive(Clone, Debug)]
pub struct Datum {
    pub kind: DatumKind,
    pub span: Span,
}

/// The shapes a datum can have. Abbreviations are expanded by the reader:
/// `'x` is `List([Symbol("quote"), x])`, likewise `quasiquote`, `unquote`,
/// `unquote-splicing`. The empty list is `List(vec![], None)`.
#[derive(Clone, Debug)]
pub enum DatumKind {
    Bool(bool),
    Number(Number),
    Char(char),
    String(String),
    /// A symbol's name, after `#!fold-case` folding and `|...|` unescaping.
    Symbol(String),
    Bytevector(Vec<u8>),
    Vector(Vec<Datum>),
    /// `(a b c)` is `List([a, b, c], None)`; `(a b . c)` is `List([a, b], Some(c))`.
    /// The tail of an improper list is never itself a `List`.
    List(Vec<Datum>, Option<Box<Datum>>),
    /// `#n=datum`: defines label `n` for the datum.
    Label(u32, Box<Datum>),
    /// `#n#`: refers to the datum labelled `n` (possibly an enclosing one: a cycle).
    LabelRef(u32),
}

impl Datum {
    pub fn new(kind: DatumKind, span: Span) -> Datum {
        Datum { kind, span }
    }
    pub fn as_symbol(&self) -> Option<&str> {
        match &self.kind {
            DatumKind::Symbol(s) => Some(s),
            _ => None,
        }
    }
}
