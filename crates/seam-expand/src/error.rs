//! The expander's error type: what went wrong, and the span of the form it went wrong in.

use seam_syntax::Span;

/// A misuse of syntax found while expanding, reported at the span of the offending form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{span}: {message}")]
pub struct ExpandError {
    pub span: Span,
    pub message: String,
}

impl ExpandError {
    pub fn new(span: &Span, message: impl Into<String>) -> ExpandError {
        ExpandError { span: span.clone(), message: message.into() }
    }
}

pub(crate) type Result<T> = std::result::Result<T, ExpandError>;

/// Shorthand for `Err(ExpandError::new(span, message))`.
pub(crate) fn fail<T>(span: &Span, message: impl Into<String>) -> Result<T> {
    Err(ExpandError::new(span, message))
}
