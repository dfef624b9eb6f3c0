//! Errors: `Condition`, what a builtin reports (turned into a Scheme error object and raised,
//! so `guard` can catch it), and `SchemeError`, what reaches the host when nothing caught it.

use std::fmt;
use std::sync::Arc;

use seam_syntax::Span;

use crate::heap::Heap;
use crate::printer::write_limited;
use crate::value::Value;

/// An error raised by the runtime: becomes a Scheme error object.
#[derive(Debug, Clone)]
pub struct Condition {
    pub kind: &'static str,
    pub message: String,
    pub irritants: Vec<Value>,
}

impl Condition {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Condition {
        Condition { kind, message: message.into(), irritants: Vec::new() }
    }

    /// `proc: argument N: expected WHAT, got VALUE`.
    pub fn wrong_type(heap: &Heap, proc: &str, position: usize, expected: &str, got: Value) -> Condition {
        Condition {
            kind: "type",
            message: format!(
                "{proc}: argument {position}: expected {expected}, got {}",
                write_limited(heap, got, 60)
            ),
            irritants: vec![got],
        }
    }

    pub fn out_of_range(heap: &Heap, proc: &str, position: usize, got: Value, what: &str) -> Condition {
        Condition {
            kind: "range",
            message: format!(
                "{proc}: argument {position}: {} is out of range{what}",
                write_limited(heap, got, 60)
            ),
            irritants: vec![got],
        }
    }

    /// `proc: cannot mutate a literal constant: VALUE`: a `type` error, as for any
    /// argument of the wrong kind (here an immutable object where a mutable one is needed).
    #[cold]
    #[inline(never)]
    pub fn immutable(heap: &Heap, proc: &str, got: Value) -> Condition {
        Condition {
            kind: "type",
            message: format!("{proc}: cannot mutate a literal constant: {}", write_limited(heap, got, 60)),
            irritants: vec![got],
        }
    }

    /// The condition with `value` added to its irritants.
    pub fn with_irritant(mut self, value: Value) -> Condition {
        self.irritants.push(value);
        self
    }

    pub fn arity(name: &str, expected: &str, given: usize) -> Condition {
        Condition {
            kind: "arity",
            message: format!(
                "{name}: expected {expected} argument{}, got {given}",
                if expected == "1" || expected == "at least 1" { "" } else { "s" }
            ),
            irritants: Vec::new(),
        }
    }
}

pub type BuiltinResult = Result<Value, Condition>;

/// One line of a Scheme backtrace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceFrame {
    pub name: Option<Arc<str>>,
    pub span: Span,
}

/// An error that ended an evaluation: an uncaught raise, or a limit.
#[derive(Debug, Clone)]
pub struct SchemeError {
    /// The error object's kind (`error`, `type`, `arity`, `unbound`, `range`, ...) or `raise`
    /// for a raised non-error object.
    pub kind: Arc<str>,
    /// The full message: for error objects, the message followed by the irritants.
    pub message: String,
    /// Where it happened in user code (the innermost non-library frame).
    pub location: Option<Span>,
    /// Innermost first.
    pub backtrace: Vec<TraceFrame>,
    /// Set when the program called `exit`: the process exit status it asked for.
    pub exit_code: Option<i32>,
    /// The Rust error behind it, when a host function failed.
    pub source: Option<crate::host::HostSource>,
}

impl fmt::Display for SchemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(span) => write!(f, "{span}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl SchemeError {
    /// An error of the VM's own making (misuse of its API), not of the Scheme program.
    pub fn internal(message: &str) -> SchemeError {
        SchemeError {
            kind: "internal".into(),
            message: message.to_string(),
            location: None,
            backtrace: Vec::new(),
            exit_code: None,
            source: None,
        }
    }
}

impl std::error::Error for SchemeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
