//! Seam's reader: R7RS-small lexical syntax into [`Datum`]s, each carrying the [`Span`]
//! (file, line, column) it was read from. Knows nothing about the expander or the VM.
//!
//! - [`read_all`] reads a whole text; [`Reader`] reads one datum at a time, and its
//!   [`ReadError::is_incomplete`] tells a REPL to ask for another line.
//! - [`parse_number`] is R7RS number syntax (also `string->number`).
//! - `Display` for [`Datum`] writes it back as text the reader reads as an equal datum.
//!
//! Modules: `lexer` (characters to tokens, comments, directives), `reader` (tokens to
//! datums on an explicit stack, so deep input cannot overflow the Rust stack), `number`,
//! `print`, `error`.
//!
//! Choices beyond R7RS: tokens that are neither numbers nor R7RS identifiers (`1+`, `@x`)
//! read as symbols, as in most Schemes (`+i`, `-i` and `1+2i` are numbers, as R7RS says).
//! `[ ]` and `{ }` are errors. A first line starting `#!/` or `#! ` is skipped.
//!
//! ```
//! use seam_syntax::{read_all, DatumKind};
//! let datums = read_all("(define x 'y) ; comment", "example.scm").unwrap();
//! assert_eq!(datums[0].to_string(), "(define x 'y)");
//! let error = read_all("(f \"unfinished", "example.scm").unwrap_err();
//! assert_eq!(error.to_string(), "example.scm:1:4: unterminated string");
//! assert!(error.is_incomplete());
//! ```

#![forbid(unsafe_code)]

use std::fmt;
use std::sync::Arc;

pub use seam_num::Number;

mod error;
mod lexer;
mod number;
mod print;
mod reader;

pub use error::{ReadError, ReadErrorKind};
pub use number::parse_number;
pub use print::{write_char, write_string, write_symbol};
pub use reader::{read_all, Reader};

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
///
/// Datums nest as deep as memory allows (the reader keeps no depth limit), so the
/// recursive traits are written to survive any depth: dropping is iterative, and
/// `Clone`, `Debug`, `Display` and [`Datum::same_as`] grow the stack as they recurse
/// (`stacker`) instead of overflowing it.
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
    /// Takes the datum apart (a `Datum` has a `Drop`, so patterns cannot move out of it).
    pub fn into_parts(mut self) -> (DatumKind, Span) {
        let kind = std::mem::replace(&mut self.kind, DatumKind::Bool(false));
        (kind, self.span.clone())
    }

    /// The datum's shape, without its span.
    pub fn into_kind(mut self) -> DatumKind {
        std::mem::replace(&mut self.kind, DatumKind::Bool(false))
    }

    pub fn as_symbol(&self) -> Option<&str> {
        match &self.kind {
            DatumKind::Symbol(s) => Some(s),
            _ => None,
        }
    }

    /// Structural equality ignoring spans. Numbers compare by kind and value (`1` is not
    /// `1.0`); NaN equals NaN and `0.0` differs from `-0.0`, so a datum equals what it
    /// reads back as after printing.
    pub fn same_as(&self, other: &Datum) -> bool {
        grow_stack(|| self.kind.same_as(&other.kind))
    }
}

/// Runs `f`, first moving to a fresh stack segment if little of the current one is left:
/// what every recursive walk over datums calls once per level, so nesting is bounded by
/// memory rather than by the thread's stack.
pub fn grow_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, f)
}

impl Clone for Datum {
    fn clone(&self) -> Datum {
        grow_stack(|| Datum { kind: self.kind.clone(), span: self.span.clone() })
    }
}

impl fmt::Debug for Datum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        grow_stack(|| f.debug_struct("Datum").field("kind", &self.kind).field("span", &self.span).finish())
    }
}

/// Dropping is iterative: the nested datums are moved onto a work list and dropped one
/// at a time after their own children were moved out, so no nesting overflows the stack.
impl Drop for Datum {
    fn drop(&mut self) {
        if !self.kind.has_nested() {
            return;
        }
        let mut work = Vec::new();
        self.kind.take_nested(&mut work);
        while let Some(mut datum) = work.pop() {
            datum.kind.take_nested(&mut work);
        }
    }
}

impl DatumKind {
    /// Whether some element is itself a non-empty list, vector or label: something whose
    /// drop would recurse.
    fn has_nested(&self) -> bool {
        match self {
            DatumKind::List(items, tail) => {
                items.iter().any(|d| d.kind.is_compound())
                    || tail.as_ref().is_some_and(|t| t.kind.is_compound())
            }
            DatumKind::Vector(items) => items.iter().any(|d| d.kind.is_compound()),
            DatumKind::Label(_, inner) => inner.kind.is_compound(),
            _ => false,
        }
    }

    /// Whether this datum holds other datums.
    fn is_compound(&self) -> bool {
        match self {
            DatumKind::List(items, tail) => !items.is_empty() || tail.is_some(),
            DatumKind::Vector(items) => !items.is_empty(),
            DatumKind::Label(..) => true,
            _ => false,
        }
    }

    /// Moves the compound elements onto `work`, leaving only atoms behind.
    fn take_nested(&mut self, work: &mut Vec<Datum>) {
        match self {
            DatumKind::List(items, tail) => {
                work.extend(items.drain(..).filter(|d| d.kind.is_compound()));
                if let Some(tail) = tail.take() {
                    work.push(*tail);
                }
            }
            DatumKind::Vector(items) => work.extend(items.drain(..).filter(|d| d.kind.is_compound())),
            DatumKind::Label(_, inner) => {
                let kind = std::mem::replace(&mut inner.kind, DatumKind::Bool(false));
                work.push(Datum::new(kind, inner.span.clone()));
            }
            _ => {}
        }
    }
}

impl DatumKind {
    /// See [`Datum::same_as`].
    pub fn same_as(&self, other: &DatumKind) -> bool {
        use DatumKind::*;
        let all_same =
            |a: &[Datum], b: &[Datum]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y));
        match (self, other) {
            (Bool(a), Bool(b)) => a == b,
            (Number(a), Number(b)) => same_number(a, b),
            (Char(a), Char(b)) => a == b,
            (String(a), String(b)) | (Symbol(a), Symbol(b)) => a == b,
            (Bytevector(a), Bytevector(b)) => a == b,
            (Vector(a), Vector(b)) => all_same(a, b),
            (List(a, a_tail), List(b, b_tail)) => {
                all_same(a, b)
                    && match (a_tail, b_tail) {
                        (None, None) => true,
                        (Some(x), Some(y)) => x.same_as(y),
                        _ => false,
                    }
            }
            (Label(m, a), Label(n, b)) => m == n && a.same_as(b),
            (LabelRef(m), LabelRef(n)) => m == n,
            _ => false,
        }
    }
}

fn same_number(a: &Number, b: &Number) -> bool {
    seam_num::eqv(a, b)
}
