//! `Error`: everything that can end an evaluation, from unreadable source to an uncaught
//! Scheme exception, with the location and backtrace needed to show it.

use std::fmt;

use seam_compile::CompileError;
use seam_expand::ExpandError;
use seam_syntax::{ReadError, Span};
use seam_vm::{SchemeError, TraceFrame};

/// An error from reading, expanding, compiling or running Scheme code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error("{0}")]
    Expand(#[from] ExpandError),
    #[error("{0}")]
    Compile(#[from] CompileError),
    /// An uncaught exception or runtime error.
    #[error("{0}")]
    Runtime(#[from] SchemeError),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

impl Error {
    /// The error's message without location.
    pub fn message(&self) -> String {
        match self {
            Error::Read(e) => e.message(),
            Error::Expand(e) => e.message.clone(),
            Error::Compile(e) => e.message.clone(),
            Error::Runtime(e) => e.message.clone(),
            Error::Io { path, source } => format!("{path}: {source}"),
        }
    }

    /// Where in the source the error is, when known.
    pub fn span(&self) -> Option<&Span> {
        match self {
            Error::Read(e) => Some(&e.span),
            Error::Expand(e) => Some(&e.span),
            Error::Compile(e) => Some(&e.span),
            Error::Runtime(e) => e.location.as_ref(),
            Error::Io { .. } => None,
        }
    }

    /// The Scheme backtrace (innermost first); empty for errors before running.
    pub fn backtrace(&self) -> &[TraceFrame] {
        match self {
            Error::Runtime(e) => &e.backtrace,
            _ => &[],
        }
    }

    /// A short tag: `read`, `syntax`, `compile`, `io`, or the runtime error's kind
    /// (`error`, `type`, `arity`, `unbound`, `range`, `raise`, `exit`, ...).
    pub fn kind(&self) -> &str {
        match self {
            Error::Read(_) => "read",
            Error::Expand(_) => "syntax",
            Error::Compile(_) => "compile",
            Error::Runtime(e) => &e.kind,
            Error::Io { .. } => "io",
        }
    }

    /// The exit status the program asked for with `exit`, if that is what ended it.
    pub fn exit_code(&self) -> Option<i32> {
        match self {
            Error::Runtime(e) => e.exit_code,
            _ => None,
        }
    }
}

/// The full report of an error: message, the source line with a caret under the column, and
/// the backtrace. `source_line` looks up a line of a file by name (1-based).
pub(crate) fn render(error: &Error, source_line: &dyn Fn(&str, u32) -> Option<String>) -> String {
    let mut out = format!("error: {}\n", error.message());
    if let Some(span) = error.span() {
        out.push_str(&format!("  --> {span}\n"));
        if let Some(line) = source_line(&span.file, span.line) {
            let number = span.line.to_string();
            let pad = " ".repeat(number.len());
            let caret_pad: String = line
                .chars()
                .take(span.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{pad} |\n{number} | {line}\n{pad} | {caret_pad}^\n"));
        }
    }
    let trace = error.backtrace();
    if !trace.is_empty() {
        out.push_str("backtrace:\n");
        for (i, frame) in trace.iter().enumerate() {
            let name = frame.name.as_deref().unwrap_or("<toplevel>");
            out.push_str(&format!("  {i}: {name} at {}\n", frame.span));
        }
    }
    out
}

impl fmt::Display for TraceLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.0.name.as_deref().unwrap_or("<toplevel>"), self.0.span)
    }
}

/// Displays one backtrace line.
pub struct TraceLine<'a>(pub &'a TraceFrame);
