//! Conversions between Rust values and Scheme values: the [`FromValue`] and [`IntoValue`]
//! traits, the conversion context [`Convert`], and the conversion errors.
//!
//! A conversion works on [`ValueRef`]s: Scheme values that stay valid while no Scheme code
//! runs, which is the whole of a conversion (a [`Convert`] cannot run Scheme code). Rust
//! code that keeps a Scheme value longer holds a rooted [`Value`](crate::Value) handle.

use std::borrow::Cow;
use std::fmt;

use seam_vm::printer::write_limited;
use seam_vm::{Object, Value as Raw, Vm};

/// A Scheme value during a conversion. Valid until Scheme code runs again; keep a
/// [`Value`](crate::Value) handle to hold one longer.
#[derive(Clone, Copy, Debug)]
pub struct ValueRef(pub(crate) Raw);

/// The kind of a Scheme value, for [`FromValue`] implementations that accept several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// The empty list `()`.
    Null,
    /// `#t` or `#f`.
    Boolean,
    /// An exact integer (any size).
    Integer,
    /// An exact non-integer rational.
    Rational,
    /// A flonum.
    Real,
    /// A non-real complex number (`1+2i`, `1.0+0.0i`).
    Complex,
    /// A character.
    Char,
    /// A string.
    String,
    /// A symbol.
    Symbol,
    /// A pair (the start of a list).
    Pair,
    /// A vector.
    Vector,
    /// A bytevector.
    Bytevector,
    /// A procedure: a closure, a builtin, a continuation, a parameter or a host function.
    Procedure,
    /// The end-of-file object.
    Eof,
    /// The unspecified value (what `(if #f #f)` returns).
    Unspecified,
    /// Records, ports, promises, environments, error objects, ...
    Other,
}

/// Access to the engine's heap while converting (it cannot run Scheme code, so every
/// [`ValueRef`] stays valid).
pub struct Convert<'a> {
    pub(crate) vm: &'a mut Vm,
}

impl<'a> Convert<'a> {
    pub(crate) fn new(vm: &'a mut Vm) -> Convert<'a> {
        Convert { vm }
    }

    /// What kind of value `v` is.
    pub fn kind(&self, v: ValueRef) -> ValueKind {
        kind_in(self.vm, v)
    }

    /// The error for a value of the wrong kind, with read access to the VM only.
    pub(crate) fn invalid_type_in(
        vm: &Vm,
        expected: impl Into<Cow<'static, str>>,
        got: ValueRef,
    ) -> ConversionError {
        ConversionError {
            kind: ConversionErrorKind::InvalidType,
            expected: expected.into(),
            got: describe_in(vm, got),
        }
    }

    /// `v` as Scheme's `write` shows it, cut short after about `limit` characters.
    pub fn write(&self, v: ValueRef, limit: usize) -> String {
        write_limited(&self.vm.heap, v.0, limit)
    }

    /// How an error message names `v`: its kind and its written form, e.g. `string "x"`.
    pub fn describe(&self, v: ValueRef) -> String {
        describe_in(self.vm, v)
    }

    /// The elements of a proper list, or `None` for anything else (cycles included).
    pub fn list_items(&self, v: ValueRef) -> Option<Vec<ValueRef>> {
        self.vm.heap.list_to_vec(v.0).map(|items| items.into_iter().map(ValueRef).collect())
    }

    /// The elements of a vector.
    pub fn vector_items(&self, v: ValueRef) -> Option<Vec<ValueRef>> {
        match self.vm.heap.object(v.0) {
            Some(Object::Vector(items)) => Some(items.iter().map(|w| ValueRef(w.get())).collect()),
            _ => None,
        }
    }

    /// The car and cdr of a pair.
    pub fn pair(&self, v: ValueRef) -> Option<(ValueRef, ValueRef)> {
        match v.0 {
            Raw::Pair(p) => Some((ValueRef(self.vm.heap.car(p)), ValueRef(self.vm.heap.cdr(p)))),
            _ => None,
        }
    }

    /// The name of a symbol.
    pub fn symbol_name(&self, v: ValueRef) -> Option<String> {
        match v.0 {
            Raw::Symbol(id) => Some(self.vm.heap.symbol_name(id).to_string()),
            _ => None,
        }
    }

    /// A fresh pair.
    pub fn cons(&mut self, car: ValueRef, cdr: ValueRef) -> ValueRef {
        ValueRef(self.vm.heap.cons(car.0, cdr.0))
    }

    /// A fresh proper list.
    pub fn list(&mut self, items: &[ValueRef]) -> ValueRef {
        let raw: Vec<Raw> = items.iter().map(|v| v.0).collect();
        ValueRef(self.vm.heap.list(&raw))
    }

    /// A fresh vector.
    pub fn vector(&mut self, items: &[ValueRef]) -> ValueRef {
        ValueRef(self.vm.heap.vector(items.iter().map(|v| v.0)))
    }

    /// The interned symbol `name`.
    pub fn symbol(&mut self, name: &str) -> ValueRef {
        ValueRef(self.vm.heap.intern(name))
    }

    /// The empty list.
    pub fn null(&self) -> ValueRef {
        ValueRef(Raw::Null)
    }

    /// The error for a value of the wrong kind.
    pub fn invalid_type(&self, expected: impl Into<Cow<'static, str>>, got: ValueRef) -> ConversionError {
        Convert::invalid_type_in(self.vm, expected, got)
    }

    /// The error for a value of the right kind that does not fit.
    pub fn out_of_range(&self, expected: impl Into<Cow<'static, str>>, got: ValueRef) -> ConversionError {
        ConversionError {
            kind: ConversionErrorKind::OutOfRange,
            expected: expected.into(),
            got: self.write(got, 60),
        }
    }
}

/// What kind of value `v` is.
fn kind_in(vm: &Vm, v: ValueRef) -> ValueKind {
    match v.0 {
        Raw::Null => ValueKind::Null,
        Raw::Bool(_) => ValueKind::Boolean,
        Raw::Fixnum(_) => ValueKind::Integer,
        Raw::Flonum(_) => ValueKind::Real,
        Raw::Char(_) => ValueKind::Char,
        Raw::Symbol(_) => ValueKind::Symbol,
        Raw::Pair(_) => ValueKind::Pair,
        Raw::Primitive(_) => ValueKind::Procedure,
        Raw::Eof => ValueKind::Eof,
        Raw::Unspecified | Raw::Undefined | Raw::Default => ValueKind::Unspecified,
        Raw::Object(_) => match vm.heap.object(v.0) {
            Some(Object::Bignum(_)) => ValueKind::Integer,
            Some(Object::Rational(_)) => ValueKind::Rational,
            Some(Object::Complex(_)) => ValueKind::Complex,
            Some(Object::String(_)) => ValueKind::String,
            Some(Object::Vector(_)) => ValueKind::Vector,
            Some(Object::Bytevector(_)) => ValueKind::Bytevector,
            _ if seam_vm::builtins::is_procedure_value(&vm.heap, v.0) => ValueKind::Procedure,
            _ => ValueKind::Other,
        },
    }
}

/// How an error message names `v`: its kind and its written form, e.g. `string "x"`.
fn describe_in(vm: &Vm, v: ValueRef) -> String {
    let kind = match kind_in(vm, v) {
        ValueKind::Null => return "the empty list ()".to_string(),
        ValueKind::Unspecified => return "an unspecified value".to_string(),
        ValueKind::Eof => return "the eof object".to_string(),
        ValueKind::Boolean => "boolean",
        ValueKind::Integer => "integer",
        ValueKind::Rational => "rational",
        ValueKind::Complex => "complex number",
        ValueKind::Real => "real",
        ValueKind::Char => "char",
        ValueKind::String => "string",
        ValueKind::Symbol => "symbol",
        ValueKind::Pair => "list",
        ValueKind::Vector => "vector",
        ValueKind::Bytevector => "bytevector",
        ValueKind::Procedure => "procedure",
        ValueKind::Other => "value",
    };
    format!("{kind} {}", write_limited(&vm.heap, v.0, 60))
}

/// How a host function parameter takes its argument.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    Required,
    Optional,
    Rest,
}

/// Why a value could not be converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversionErrorKind {
    /// The value is of the wrong kind (Scheme error kind `invalid-type`).
    InvalidType,
    /// The value is of the right kind but does not fit (Scheme error kind `out-of-range`).
    OutOfRange,
    /// A host object that is borrowed by a call in progress or was taken (kind `borrow`).
    Borrow,
}

/// A value that could not be converted: what was expected and what was there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversionError {
    /// Wrong kind of value, out of range, or a host object in use or taken.
    pub kind: ConversionErrorKind,
    /// The Rust type (or Scheme kind) that was expected, e.g. `u32`.
    pub expected: Cow<'static, str>,
    /// The value found, described for a message (`string "x"`, or `300` when out of range).
    pub got: String,
}

impl ConversionError {
    /// The Scheme error kind: `invalid-type` or `out-of-range`.
    pub fn scheme_kind(&self) -> &'static str {
        match self.kind {
            ConversionErrorKind::InvalidType => "invalid-type",
            ConversionErrorKind::OutOfRange => "out-of-range",
            ConversionErrorKind::Borrow => "borrow",
        }
    }
}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ConversionErrorKind::InvalidType => write!(f, "expected {}, got {}", self.expected, self.got),
            ConversionErrorKind::OutOfRange => {
                write!(f, "{} is out of range for {}", self.got, self.expected)
            }
            ConversionErrorKind::Borrow => write!(f, "{}", self.got),
        }
    }
}

impl std::error::Error for ConversionError {}

/// A Rust type that can be made from a Scheme value.
///
/// Implement it for your own types by looking at the value's [`kind`](Convert::kind) and
/// delegating to the implementations for standard types:
///
/// ```
/// use seam::{Convert, ConversionError, FromValue, ValueKind, ValueRef};
///
/// enum Key { Name(String), Index(i64) }
///
/// impl FromValue for Key {
///     fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
///         match cx.kind(v) {
///             ValueKind::String => Ok(Key::Name(String::from_value(v, cx)?)),
///             ValueKind::Integer => Ok(Key::Index(i64::from_value(v, cx)?)),
///             _ => Err(cx.invalid_type("a string or an integer", v)),
///         }
///     }
/// }
///
/// let mut engine = seam::Engine::new();
/// let key: Key = engine.eval("\"alice\"").unwrap();
/// assert!(matches!(key, Key::Name(n) if n == "alice"));
/// ```
pub trait FromValue: Sized {
    /// Converts `value`, or says why it cannot.
    fn from_value(value: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError>;

    /// As a host function parameter: required, optional (`Option<T>`) or the rest (`Rest<T>`).
    #[doc(hidden)]
    const PARAM: ParamKind = ParamKind::Required;

    /// The value of an optional parameter the caller left out.
    #[doc(hidden)]
    fn from_missing() -> Option<Self> {
        None
    }

    /// A rest parameter from the remaining arguments (the error names the failing one).
    #[doc(hidden)]
    fn from_rest(items: &[ValueRef], cx: &mut Convert) -> Result<Self, (usize, ConversionError)> {
        match items.first() {
            Some(&first) => Self::from_value(first, cx).map_err(|e| (0, e)),
            None => Err((
                0,
                ConversionError {
                    kind: ConversionErrorKind::InvalidType,
                    expected: "an argument".into(),
                    got: "none".into(),
                },
            )),
        }
    }

    /// How `Vec<Self>` is made from a bytevector (only `u8` accepts one).
    #[doc(hidden)]
    fn vec_from_bytevector(_bytes: &[u8]) -> Option<Vec<Self>> {
        None
    }
}

/// A Rust value that can become a Scheme value.
///
/// ```
/// use seam::{Convert, ConversionError, IntoValue, ValueRef};
///
/// struct Point { x: i64, y: i64 }
///
/// impl IntoValue for Point {
///     fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
///         let tag = cx.symbol("point");
///         let x = self.x.into_value(cx)?;
///         let y = self.y.into_value(cx)?;
///         Ok(cx.list(&[tag, x, y]))
///     }
/// }
///
/// let mut engine = seam::Engine::new();
/// engine.set("p", Point { x: 1, y: 2 }).unwrap();
/// assert_eq!(engine.eval_to_string("p").unwrap(), "(point 1 2)");
/// ```
pub trait IntoValue {
    /// Makes the Scheme value.
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError>;

    /// How a `Vec<Self>` becomes a Scheme value: a vector (one allocation), except
    /// `Vec<u8>` (a bytevector).
    #[doc(hidden)]
    fn vec_into_value(items: Vec<Self>, cx: &mut Convert) -> Result<ValueRef, ConversionError>
    where
        Self: Sized,
    {
        let mut words = Vec::with_capacity(items.len());
        for item in items {
            let v = item.into_value(cx)?.0;
            words.push(cx.vm.heap.word(v));
        }
        Ok(ValueRef(cx.vm.heap.alloc(Object::Vector(seam_vm::object::FromItems::from_items(words)))))
    }
}

impl FromValue for ValueRef {
    fn from_value(value: ValueRef, _cx: &mut Convert) -> Result<Self, ConversionError> {
        Ok(value)
    }
}

impl IntoValue for ValueRef {
    fn into_value(self, _cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(self)
    }
}
