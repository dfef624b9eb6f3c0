//! The reader: tokens into datums. Nesting is kept on an explicit stack of frames, so
//! deep input cannot overflow the Rust stack, and nesting is bounded only by memory (the
//! passes after the reader survive any depth: see [`Datum`]). A host may set a bound
//! with [`Reader::with_max_nesting`].

use std::collections::HashSet;

use crate::error::{ReadError, ReadErrorKind};
use crate::lexer::{Lexer, Open, Prefix, Token};
use crate::{Datum, DatumKind, Number, Span};

/// Reads all the datums in `source`, naming `file` in their spans.
pub fn read_all(source: &str, file: &str) -> Result<Vec<Datum>, ReadError> {
    let mut reader = Reader::new(source, file);
    let mut datums = Vec::new();
    while let Some(datum) = reader.next_datum()? {
        datums.push(datum);
    }
    Ok(datums)
}

/// Where a list is in reading its dotted tail.
enum Tail {
    None,
    /// Seen `.`, waiting for the tail datum.
    Expected(Span),
    Read(Datum),
}

/// One unfinished datum on the reader's stack.
enum Frame {
    List { span: Span, items: Vec<Datum>, tail: Tail },
    Vector { span: Span, items: Vec<Datum> },
    Bytevector { span: Span, bytes: Vec<u8> },
    Prefix { span: Span, prefix: Prefix },
}

/// Reads datums one at a time from a source text. `#!fold-case` state carries over from
/// one datum to the next; datum labels are scoped to one top-level datum.
pub struct Reader {
    lexer: Lexer,
    stack: Vec<Frame>,
    labels: HashSet<u32>,
    max_nesting: usize,
}

impl Reader {
    pub fn new(source: &str, file: &str) -> Reader {
        Reader {
            lexer: Lexer::new(source, file),
            stack: Vec::new(),
            labels: HashSet::new(),
            max_nesting: usize::MAX,
        }
    }

    /// Refuses nesting of lists, vectors, abbreviations, labels and datum comments deeper
    /// than `limit` levels (a read error at the opening that goes too deep). There is no
    /// limit by default: deep data costs memory, not stack.
    pub fn with_max_nesting(mut self, limit: usize) -> Reader {
        self.max_nesting = limit;
        self
    }

    /// Refuses number literals longer than `length` characters (a read error) instead of
    /// converting them: conversion to a bignum takes time superlinear in the length, and
    /// the VM's `read` runs under the evaluation's limits.
    pub fn with_max_number_length(mut self, length: usize) -> Reader {
        self.lexer.max_number_length = length;
        self
    }

    /// Starts with `#!fold-case` in effect (or not): for `include-ci`, or for a port that
    /// read the directive in an earlier text.
    pub fn with_fold_case(mut self, on: bool) -> Reader {
        self.lexer.fold_case = on;
        self
    }

    /// Whether `#!fold-case` is in effect after what has been read so far.
    pub fn fold_case(&self) -> bool {
        self.lexer.fold_case
    }

    /// The next datum, `Ok(None)` at end of input. After an error the reader's position
    /// is unspecified; start a new reader to continue.
    pub fn next_datum(&mut self) -> Result<Option<Datum>, ReadError> {
        self.stack.clear();
        self.labels.clear();
        loop {
            let Some((token, span)) = self.lexer.next_token()? else {
                return match self.stack.pop() {
                    None => Ok(None),
                    Some(frame) => Err(unfinished(frame)),
                };
            };
            let datum = match token {
                Token::Open(open) => {
                    self.push(open_frame(open, span))?;
                    continue;
                }
                Token::Prefix(prefix) => {
                    if let Prefix::Label(n) = prefix {
                        if !self.labels.insert(n) {
                            return Err(ReadError::new(span, ReadErrorKind::DuplicateLabel(n)));
                        }
                    }
                    self.push(Frame::Prefix { span, prefix })?;
                    continue;
                }
                Token::Dot => {
                    self.dot(span)?;
                    continue;
                }
                Token::Close => self.close(span)?,
                Token::Atom(DatumKind::LabelRef(n)) if !self.labels.contains(&n) => {
                    return Err(ReadError::new(span, ReadErrorKind::UndefinedLabel(n)));
                }
                Token::Atom(kind) => Datum::new(kind, span),
            };
            if let Some(done) = self.complete(datum)? {
                return Ok(Some(done));
            }
        }
    }

    fn push(&mut self, frame: Frame) -> Result<(), ReadError> {
        if self.stack.len() >= self.max_nesting {
            let span = frame_span(&frame).clone();
            return Err(ReadError::new(span, ReadErrorKind::NestingTooDeep(self.max_nesting)));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn dot(&mut self, span: Span) -> Result<(), ReadError> {
        match self.stack.last_mut() {
            Some(Frame::List { items, tail: tail @ Tail::None, .. }) if !items.is_empty() => {
                *tail = Tail::Expected(span);
                Ok(())
            }
            Some(Frame::Prefix { prefix, .. }) => {
                Err(ReadError::new(span, ReadErrorKind::NoDatumAfter(prefix.text())))
            }
            _ => Err(ReadError::new(span, ReadErrorKind::UnexpectedDot)),
        }
    }

    /// A `)`: finishes the innermost list, vector or bytevector.
    fn close(&mut self, span: Span) -> Result<Datum, ReadError> {
        let Some(frame) = self.stack.pop() else {
            return Err(ReadError::new(span, ReadErrorKind::UnbalancedClose));
        };
        Ok(match frame {
            Frame::List { span: open, mut items, tail } => {
                let tail = match tail {
                    Tail::None => None,
                    Tail::Expected(dot) => {
                        return Err(ReadError::new(dot, ReadErrorKind::NoDatumAfter(".".into())))
                    }
                    // `(a . (b c))` is `(a b c)`: keep the invariant that a tail is never a list.
                    Tail::Read(datum) => match datum.into_parts() {
                        (DatumKind::List(more, rest), _) => {
                            items.extend(more);
                            rest
                        }
                        (kind, span) => Some(Box::new(Datum::new(kind, span))),
                    },
                };
                Datum::new(DatumKind::List(items, tail), open)
            }
            Frame::Vector { span: open, items } => Datum::new(DatumKind::Vector(items), open),
            Frame::Bytevector { span: open, bytes } => Datum::new(DatumKind::Bytevector(bytes), open),
            Frame::Prefix { prefix, .. } => {
                return Err(ReadError::new(span, ReadErrorKind::NoDatumAfter(prefix.text())))
            }
        })
    }

    /// Hands a finished datum to the frame below it, applying prefixes, until a frame
    /// keeps it (`None`) or it is a finished top-level datum (`Some`).
    fn complete(&mut self, mut datum: Datum) -> Result<Option<Datum>, ReadError> {
        loop {
            match self.stack.last_mut() {
                None => return Ok(Some(datum)),
                Some(Frame::List { tail: Tail::None, items, .. } | Frame::Vector { items, .. }) => {
                    items.push(datum);
                    return Ok(None);
                }
                Some(Frame::List { tail: tail @ Tail::Expected(_), .. }) => {
                    *tail = Tail::Read(datum);
                    return Ok(None);
                }
                Some(Frame::List { tail: Tail::Read(_), .. }) => {
                    return Err(ReadError::new(datum.span.clone(), ReadErrorKind::DatumAfterTail));
                }
                Some(Frame::Bytevector { bytes, .. }) => {
                    bytes.push(byte_of(&datum)?);
                    return Ok(None);
                }
                Some(Frame::Prefix { .. }) => {
                    let Some(Frame::Prefix { span, prefix }) = self.stack.pop() else {
                        return Ok(None);
                    };
                    datum = match prefix {
                        Prefix::DatumComment => {
                            if self.stack.is_empty() {
                                self.labels.clear();
                            }
                            return Ok(None);
                        }
                        Prefix::Label(n) => {
                            if matches!(datum.kind, DatumKind::LabelRef(m) if m == n) {
                                return Err(ReadError::new(span, ReadErrorKind::SelfLabel(n)));
                            }
                            Datum::new(DatumKind::Label(n, Box::new(datum)), span)
                        }
                        Prefix::Quote => abbreviation("quote", datum, span),
                        Prefix::Quasiquote => abbreviation("quasiquote", datum, span),
                        Prefix::Unquote => abbreviation("unquote", datum, span),
                        Prefix::UnquoteSplicing => abbreviation("unquote-splicing", datum, span),
                    };
                }
            }
        }
    }
}

fn open_frame(open: Open, span: Span) -> Frame {
    match open {
        Open::List => Frame::List { span, items: Vec::new(), tail: Tail::None },
        Open::Vector => Frame::Vector { span, items: Vec::new() },
        Open::Bytevector => Frame::Bytevector { span, bytes: Vec::new() },
    }
}

fn frame_span(frame: &Frame) -> &Span {
    match frame {
        Frame::List { span, .. }
        | Frame::Vector { span, .. }
        | Frame::Bytevector { span, .. }
        | Frame::Prefix { span, .. } => span,
    }
}

/// The error for input that ended inside `frame`.
fn unfinished(frame: Frame) -> ReadError {
    match frame {
        Frame::List { span, .. } => ReadError::new(span, ReadErrorKind::Unclosed("list")),
        Frame::Vector { span, .. } => ReadError::new(span, ReadErrorKind::Unclosed("vector")),
        Frame::Bytevector { span, .. } => ReadError::new(span, ReadErrorKind::Unclosed("bytevector")),
        Frame::Prefix { span, prefix } => ReadError::new(span, ReadErrorKind::EndAfter(prefix.text())),
    }
}

/// `'x` as `(quote x)`, spanning the abbreviation character.
fn abbreviation(name: &str, datum: Datum, span: Span) -> Datum {
    let head = Datum::new(DatumKind::Symbol(name.to_string()), span.clone());
    Datum::new(DatumKind::List(vec![head, datum], None), span)
}

fn byte_of(datum: &Datum) -> Result<u8, ReadError> {
    match &datum.kind {
        DatumKind::Number(Number::Fixnum(n)) => u8::try_from(*n).ok(),
        _ => None,
    }
    .ok_or_else(|| {
        ReadError::new(datum.span.clone(), ReadErrorKind::BadByte(abbreviated(&datum.to_string())))
    })
}

/// `text`, cut to a length that fits in an error message.
fn abbreviated(text: &str) -> String {
    const LIMIT: usize = 40;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}
