//! Read errors: what went wrong and the span where it went wrong.

use crate::Span;

/// A failure to read a datum. Displays as `file:line:col: message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{span}: {kind}")]
pub struct ReadError {
    /// Where the problem is (for unclosed constructs, where they were opened).
    pub span: Span,
    pub kind: ReadErrorKind,
}

/// Every way reading can fail. The `Display` text is the message without the position.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadErrorKind {
    #[error("unbalanced ')'")]
    UnbalancedClose,
    /// A list, vector or bytevector still open at end of input; holds "list" etc.
    #[error("unclosed {0}")]
    Unclosed(&'static str),
    #[error("unterminated string")]
    UnterminatedString,
    #[error("unterminated |symbol|")]
    UnterminatedSymbol,
    #[error("unterminated block comment")]
    UnterminatedBlockComment,
    /// Input ended right after a prefix (`'`, `#;`, `#0=`, `#\`) that needs more.
    #[error("unexpected end of input after {0}")]
    EndAfter(String),
    /// A prefix (`'`, `#;`, `#0=`, `.`) followed by something that is not a datum.
    #[error("expected a datum after {0}")]
    NoDatumAfter(String),
    #[error("unknown character name #\\{0}")]
    UnknownCharName(String),
    /// A bad backslash escape (`escape` is the text from the backslash on)
    /// inside a string or a `|symbol|` (`within`).
    #[error("bad escape {escape} in {within}")]
    BadEscape { escape: String, within: &'static str },
    #[error("bad # syntax {0}")]
    BadHashSyntax(String),
    #[error("bad number {0}")]
    BadNumber(String),
    /// A number literal longer than the reader was told to convert.
    #[error("a number of {length} characters is too long to read (at most {most})")]
    NumberTooLong { length: usize, most: usize },
    #[error("undefined datum label #{0}#")]
    UndefinedLabel(u32),
    #[error("duplicate datum label #{0}=")]
    DuplicateLabel(u32),
    #[error("datum label #{0}= labels only itself")]
    SelfLabel(u32),
    #[error("bad datum label {0}")]
    BadLabel(String),
    #[error("unexpected '.'")]
    UnexpectedDot,
    #[error("expected ')' after the tail of a dotted list")]
    DatumAfterTail,
    #[error("brackets are not supported")]
    Bracket,
    #[error("braces are not supported")]
    Brace,
    #[error("bytevector element must be an exact integer 0..255, found {0}")]
    BadByte(String),
    #[error("nesting too deep (more than {0} levels)")]
    NestingTooDeep(usize),
}

impl ReadError {
    pub fn new(span: Span, kind: ReadErrorKind) -> ReadError {
        ReadError { span, kind }
    }

    /// True when the input ended inside an unfinished datum (an open list, string,
    /// `|symbol|` or block comment, or a dangling prefix such as `'`): more input could
    /// complete it. A REPL uses this to ask for another line instead of reporting.
    pub fn is_incomplete(&self) -> bool {
        matches!(
            self.kind,
            ReadErrorKind::Unclosed(_)
                | ReadErrorKind::UnterminatedString
                | ReadErrorKind::UnterminatedSymbol
                | ReadErrorKind::UnterminatedBlockComment
                | ReadErrorKind::EndAfter(_)
        )
    }

    /// The message without the position.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}
