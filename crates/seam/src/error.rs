//! `Error`: everything that can end an evaluation, from unreadable source to an uncaught
//! Scheme exception, with the location and backtrace needed to show it.

use std::fmt;

use seam_compile::CompileError;
use seam_expand::ExpandError;
use seam_syntax::{ReadError, Span};
use seam_vm::{SchemeError, TraceFrame};

use crate::convert::ConversionError;

/// An error from reading, expanding, compiling or running Scheme code, or from converting
/// values between Rust and Scheme.
///
/// `Display` is one line (`file:line:col: message`); the alternate form (`{:#}`) adds the
/// Scheme backtrace and the chain of causes. The Rust error behind a failed host function
/// is reachable through [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Source text that is not well-formed Scheme (kind `read`).
    Read(#[from] ReadError),
    /// A misused syntactic form or library declaration (kind `syntax`).
    Expand(#[from] ExpandError),
    /// A form the compiler rejected (kind `compile`).
    Compile(#[from] CompileError),
    /// An uncaught exception or runtime error; its kind is the error object's.
    Runtime(#[from] SchemeError),
    /// A file that could not be read (kind `io`).
    Io {
        /// The file.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A value that could not be converted between Rust and Scheme (kind `invalid-type` or
    /// `out-of-range`).
    Conversion {
        /// Which value: `result`, `argument`, or the global's name.
        context: String,
        /// What was expected and what was found.
        source: ConversionError,
    },
    /// A package that cannot be loaded: a malformed `seam.toml` (with the file, line and
    /// field), a capability the host did not grant, a missing dependency, native module or
    /// plugin (kind `package`).
    Package {
        /// What is wrong.
        message: String,
        /// Where in the manifest, when the error is about one of its fields.
        span: Option<Span>,
    },
    /// An error with a chosen Scheme kind, raised by host code ([`Error::tagged`]) or by the
    /// embedding API (e.g. `unbound` for a missing global).
    Tagged {
        /// The Scheme error kind (`error-object-kind`).
        kind: String,
        /// The message.
        message: String,
    },
}

impl Error {
    /// An error of Scheme kind `kind` (what `error-object-kind` returns when a host function
    /// fails with it, e.g. `invalid-type`), with `message`.
    ///
    /// ```
    /// let mut engine = seam::Engine::new();
    /// engine.define_fn("check-name", |name: String| -> Result<String, seam::Error> {
    ///     if name.is_empty() { Err(seam::Error::tagged("invalid-value", "empty name")) } else { Ok(name) }
    /// });
    /// let kind: String = engine
    ///     .eval("(guard (e (#t (symbol->string (error-object-kind e)))) (check-name \"\"))")
    ///     .unwrap();
    /// assert_eq!(kind, "invalid-value");
    /// ```
    pub fn tagged(kind: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Tagged { kind: kind.into(), message: message.into() }
    }

    pub(crate) fn package(message: impl Into<String>) -> Error {
        Error::Package { message: message.into(), span: None }
    }

    pub(crate) fn conversion(context: impl Into<String>, source: ConversionError) -> Error {
        Error::Conversion { context: context.into(), source }
    }

    /// The error's message without location.
    pub fn message(&self) -> String {
        match self {
            Error::Read(e) => e.message(),
            Error::Expand(e) => e.message.clone(),
            Error::Compile(e) => e.message.clone(),
            Error::Runtime(e) => e.message.clone(),
            Error::Io { path, source } => format!("{path}: {source}"),
            Error::Conversion { context, source } => format!("{context}: {source}"),
            Error::Tagged { message, .. } => message.clone(),
            Error::Package { message, .. } => message.clone(),
        }
    }

    /// Where in the source the error is, when known.
    pub fn span(&self) -> Option<&Span> {
        match self {
            Error::Read(e) => Some(&e.span),
            Error::Expand(e) => Some(&e.span),
            Error::Compile(e) => Some(&e.span),
            Error::Runtime(e) => e.location.as_ref(),
            Error::Package { span, .. } => span.as_ref(),
            _ => None,
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
            Error::Conversion { source, .. } => source.scheme_kind(),
            Error::Tagged { kind, .. } => kind,
            Error::Package { .. } => "package",
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.span() {
            Some(span) => write!(f, "{span}: {}", self.message())?,
            None => write!(f, "{}", self.message())?,
        }
        if f.alternate() {
            for (i, frame) in self.backtrace().iter().enumerate() {
                if i == 0 {
                    write!(f, "\nbacktrace:")?;
                }
                write!(f, "\n  {i}: {}", TraceLine(frame))?;
            }
            let mut cause = std::error::Error::source(self);
            // A runtime error's first source is the SchemeError itself (already shown).
            if let Error::Runtime(e) = self {
                cause = std::error::Error::source(e);
            }
            while let Some(e) = cause {
                write!(f, "\ncaused by: {e}")?;
                cause = e.source();
            }
        }
        Ok(())
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
            let (shown, caret_at) = line_window(&line, span.column.saturating_sub(1) as usize);
            let caret_pad: String =
                shown.chars().take(caret_at).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            out.push_str(&format!("{pad} |\n{number} | {shown}\n{pad} | {caret_pad}^\n"));
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

/// The most characters of a source line a report shows.
const SHOWN_LINE: usize = 120;

/// The part of `line` a report shows around character `column` (0-based), with `...`
/// where it is cut, and the column of the caret in it: a line of generated or minified
/// source may be megabytes long.
fn line_window(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= SHOWN_LINE {
        return (line.to_string(), column);
    }
    let start = column.saturating_sub(SHOWN_LINE / 2).min(length - SHOWN_LINE);
    let mut shown = String::new();
    if start > 0 {
        shown.push_str("...");
    }
    shown.extend(line.chars().skip(start).take(SHOWN_LINE));
    if start + SHOWN_LINE < length {
        shown.push_str("...");
    }
    let caret_at = column - start + if start > 0 { 3 } else { 0 };
    (shown, caret_at)
}

impl fmt::Display for TraceLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.0.name.as_deref().unwrap_or("<toplevel>"), self.0.span)
    }
}

/// Displays one backtrace line.
pub struct TraceLine<'a>(pub &'a TraceFrame);

#[cfg(test)]
mod tests {
    use super::line_window;

    #[test]
    fn long_lines_are_shown_around_the_column() {
        assert_eq!(line_window("(car 1)", 1), ("(car 1)".to_string(), 1));
        let line = format!("{}(car 1){}", "(".repeat(1000), ")".repeat(1000));
        let (shown, caret) = line_window(&line, 1000);
        assert_eq!(shown.chars().count(), 120 + 6);
        assert!(shown.starts_with("...") && shown.ends_with("..."));
        assert_eq!(&shown[caret..caret + 7], "(car 1)");
        let (shown, caret) = line_window(&line, 3);
        assert!(!shown.starts_with("...") && shown.ends_with("..."));
        assert_eq!(caret, 3);
        let (shown, caret) = line_window(&line, line.len() - 1);
        assert!(shown.starts_with("...") && !shown.ends_with("..."));
        assert_eq!(&shown[caret..], ")");
    }
}
