//! The error of the serde bridge while it works: a conversion error plus the path to where
//! it happened, turned into a [`ConversionError`] (or an [`Error`]) at the end.

use std::fmt;

use crate::convert::{ConversionError, ConversionErrorKind, Convert, ValueRef};
use crate::error::Error;

/// One step into a Scheme value, for naming where an error happened.
#[derive(Debug)]
pub(crate) enum PathSegment {
    /// A struct field (or a struct variant's field), by name.
    Field(String),
    /// A map entry, by its key's written form.
    Key(String),
    /// A sequence element, by index.
    Element(usize),
    /// The payload of an enum variant, by the variant's name.
    Variant(String),
}

impl fmt::Display for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathSegment::Field(name) => write!(f, "field {name}"),
            PathSegment::Key(key) => write!(f, "key {key}"),
            PathSegment::Element(index) => write!(f, "element {index}"),
            PathSegment::Variant(name) => write!(f, "variant {name}"),
        }
    }
}

/// Path segments shown in full; longer paths (deeply nested data) show their first and last
/// few steps.
const PATH_SHOWN: usize = 8;

/// A serde error: the parts of a [`ConversionError`], the Scheme value left to fill in by
/// the deserializer that knows it, and the path from the outermost value (innermost step
/// first while the error travels outwards).
#[derive(Debug)]
pub(crate) struct SerdeError {
    kind: ConversionErrorKind,
    expected: String,
    /// What was found; `None` until the deserializer of the offending value describes it.
    got: Option<String>,
    /// A message from a `Deserialize` implementation (`serde::de::Error::custom`).
    note: Option<String>,
    path: Vec<PathSegment>,
}

impl SerdeError {
    /// An `invalid-type` error; `got: None` is filled in with the offending Scheme value.
    pub(crate) fn invalid_type(expected: impl Into<String>, got: Option<String>) -> SerdeError {
        SerdeError {
            kind: ConversionErrorKind::InvalidType,
            expected: expected.into(),
            got,
            note: None,
            path: Vec::new(),
        }
    }

    /// An `out-of-range` error about the value being deserialized.
    pub(crate) fn out_of_range(expected: impl Into<String>) -> SerdeError {
        SerdeError { kind: ConversionErrorKind::OutOfRange, ..SerdeError::invalid_type(expected, None) }
    }

    /// Adds the step the error happened in (called innermost first).
    pub(crate) fn at(mut self, segment: PathSegment) -> SerdeError {
        self.path.push(segment);
        self
    }

    /// Describes `value` as what was found, unless something already was.
    pub(crate) fn found(mut self, cx: &Convert, value: ValueRef) -> SerdeError {
        if self.got.is_none() {
            self.got = Some(match self.kind {
                ConversionErrorKind::InvalidType | ConversionErrorKind::Borrow => cx.describe(value),
                ConversionErrorKind::OutOfRange => cx.write(value, 60),
            });
        }
        self
    }

    /// Where the error happened, outermost step first (`field people, element 2, field
    /// age`), or `None` at the top of the value.
    fn path_text(&self) -> Option<String> {
        if self.path.is_empty() {
            return None;
        }
        let steps: Vec<String> = self.path.iter().rev().map(ToString::to_string).collect();
        if steps.len() <= PATH_SHOWN {
            return Some(steps.join(", "));
        }
        let head = steps[..PATH_SHOWN / 2].join(", ");
        let tail = steps[steps.len() - PATH_SHOWN / 2..].join(", ");
        let hidden = steps.len() - PATH_SHOWN;
        Some(format!("{head}, ... {hidden} more ..., {tail}"))
    }

    /// The conversion error, without the path.
    fn conversion(&self) -> ConversionError {
        let got = self.got.clone().unwrap_or_else(|| "a value".to_string());
        let got = match &self.note {
            Some(note) => format!("{got} ({note})"),
            None => got,
        };
        ConversionError { kind: self.kind, expected: self.expected.clone().into(), got }
    }

    /// The error as the embedding API reports it: the path is the error's context
    /// (`field age: 300 is out of range for u8`), `value` at the top of the value.
    pub(crate) fn into_error(self) -> Error {
        let context = self.path_text().unwrap_or_else(|| "value".to_string());
        Error::conversion(context, self.conversion())
    }

    /// The error as a [`ConversionError`] (for [`Serde`](super::Serde) conversions): the
    /// path goes after the expected type (`300 is out of range for u8 at field age`).
    pub(crate) fn into_conversion(self) -> ConversionError {
        let mut error = self.conversion();
        if let Some(path) = self.path_text() {
            error.expected = format!("{} at {path}", error.expected).into();
        }
        error
    }
}

impl From<ConversionError> for SerdeError {
    fn from(error: ConversionError) -> SerdeError {
        SerdeError {
            kind: error.kind,
            expected: error.expected.into_owned(),
            got: Some(error.got),
            note: None,
            path: Vec::new(),
        }
    }
}

impl fmt::Display for SerdeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path_text() {
            Some(path) => write!(f, "{path}: {}", self.conversion()),
            None => write!(f, "{}", self.conversion()),
        }
    }
}

impl std::error::Error for SerdeError {}

/// `a`, `b` or `c`, for messages listing what would have been accepted.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".to_string(),
        [only] => format!("`{only}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

impl ::serde::ser::Error for SerdeError {
    fn custom<T: fmt::Display>(msg: T) -> SerdeError {
        SerdeError::invalid_type("a value Scheme can represent", Some(msg.to_string()))
    }
}

impl ::serde::de::Error for SerdeError {
    fn custom<T: fmt::Display>(msg: T) -> SerdeError {
        SerdeError { note: Some(msg.to_string()), ..SerdeError::invalid_type("a valid value", None) }
    }

    fn invalid_type(
        _unexpected: ::serde::de::Unexpected,
        expected: &dyn ::serde::de::Expected,
    ) -> SerdeError {
        SerdeError::invalid_type(expected.to_string(), None)
    }

    fn invalid_value(
        _unexpected: ::serde::de::Unexpected,
        expected: &dyn ::serde::de::Expected,
    ) -> SerdeError {
        SerdeError::out_of_range(expected.to_string())
    }

    fn invalid_length(_len: usize, expected: &dyn ::serde::de::Expected) -> SerdeError {
        SerdeError::invalid_type(expected.to_string(), None)
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> SerdeError {
        SerdeError::invalid_type(
            format!("variant {}", one_of(expected)),
            Some(format!("variant `{variant}`")),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> SerdeError {
        SerdeError::invalid_type(format!("field {}", one_of(expected)), Some(format!("field `{field}`")))
    }

    fn missing_field(field: &'static str) -> SerdeError {
        SerdeError::invalid_type(format!("an association list with field `{field}`"), None)
    }

    fn duplicate_field(field: &'static str) -> SerdeError {
        SerdeError::invalid_type(format!("an association list with field `{field}` once"), None)
    }
}
