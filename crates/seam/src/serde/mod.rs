//! The serde bridge: any `Serialize` Rust value becomes a Scheme value ([`to_value`]) and
//! any `Deserialize` type is read back from one ([`from_value`]); [`Serde<T>`] does the same
//! as a host function parameter or result, or with [`Engine::eval`](crate::Engine::eval),
//! [`Engine::set`](crate::Engine::set) and [`Function`](crate::Function).
//!
//! # The mapping
//!
//! | Rust (serde data model)               | Scheme                                              |
//! |---------------------------------------|-----------------------------------------------------|
//! | `bool`                                | `#t` / `#f`                                         |
//! | `i8` ... `i128`, `u8` ... `u128`      | exact integer (out of range is an `out-of-range` error) |
//! | `f32`, `f64`                          | flonum (exact integers and rationals accepted when reading) |
//! | `char`                                | char                                                |
//! | `str`, `String`                       | string                                              |
//! | bytes (`serialize_bytes`)             | bytevector                                          |
//! | `None` / `Some(x)`                    | `#f` / `x`                                          |
//! | `()`, unit struct                     | `()` (the empty list; the unspecified value is accepted when reading) |
//! | sequence, tuple, tuple struct         | vector (proper lists accepted when reading)         |
//! | map                                   | association list `((key . value) ...)`; string keys become symbols |
//! | struct                                | association list `((field . value) ...)`, symbol keys, field order |
//! | newtype struct                        | the inner value (transparent)                       |
//! | unit variant                          | the symbol `Variant`                                |
//! | newtype variant                       | `((Variant . value))`                               |
//! | tuple variant                         | `((Variant . #(v1 v2 ...)))`                        |
//! | struct variant                        | `((Variant . ((field . v) ...)))`                   |
//!
//! When reading, map keys may be symbols or strings where Rust wants a string; struct fields
//! may come in any order; unknown fields are ignored (unless the type says
//! `#[serde(deny_unknown_fields)]`); a missing field is an error naming it. As `assq` and
//! `assoc` see an association list, the first entry for a key wins: `(cons (cons 'age 31)
//! person)` reads as the person with age 31. `Vec<u8>` is a
//! sequence to serde, so it becomes a vector of integers (a bytevector is accepted when
//! reading it back).
//!
//! As in the rest of the embedding API, `None` is `#f`, so `Option<bool>` cannot tell
//! `Some(false)` from `None`: both read back as `None`.
//!
//! Self-describing targets (`deserialize_any`: untagged enums, JSON-like value types) see:
//! exact integer → `i64`, `u64`, `i128` or `u128` (the first that fits); flonum or rational
//! → `f64`; string or symbol → string; char → char; boolean → bool; `()` → unit; a proper
//! list whose elements are all pairs with a symbol or string car → map; other proper lists
//! and vectors → sequence; bytevector → bytes. (So `((a 1) (b 2))` reads as a map whose
//! values are the lists `(1)` and `(2)`.)
//!
//! Errors are [`ConversionError`]s of kind `invalid-type` or `out-of-range` and name where
//! in the value they happened: `field age: 300 is out of range for u8`. Data nested more
//! than [`MAX_DEPTH`] levels deep (a cyclic structure, say) is an error, not a stack
//! overflow.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use seam::serde::Serde;
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Point { x: i64, y: i64 }
//!
//! let mut engine = seam::Engine::new();
//! engine.set("p", Serde(Point { x: 1, y: 2 })).unwrap();
//! assert_eq!(engine.eval_to_string("p").unwrap(), "((x . 1) (y . 2))");
//! let Serde(q) = engine.eval::<Serde<Point>>("'((y . 4) (x . 3))").unwrap();
//! assert_eq!(q, Point { x: 3, y: 4 });
//! ```

mod de;
mod error;
mod ser;

use ::serde::de::DeserializeOwned;
use ::serde::Serialize;

use crate::convert::{ConversionError, Convert, FromValue, IntoValue, ValueRef};
use crate::ctx::Context;
use crate::error::Error;
use crate::handle::Value;

use de::ValueDeserializer;
use error::SerdeError;
use ser::ValueSerializer;

/// How deeply nested Scheme data may be when it is deserialized (deeper data, such as a
/// cyclic structure, is an error).
pub const MAX_DEPTH: usize = 1000;

/// Converts a `Serialize` Rust value to a (rooted) Scheme value, as the
/// [module docs](self) describe.
///
/// ```
/// use std::collections::BTreeMap;
/// let mut engine = seam::Engine::new();
/// let ages = BTreeMap::from([("ann", 31), ("bob", 27)]);
/// let value = seam::serde::to_value(&mut engine, &ages).unwrap();
/// assert_eq!(engine.write(&value), "((ann . 31) (bob . 27))");
/// ```
pub fn to_value<T: Serialize + ?Sized>(cx: &mut impl Context, value: &T) -> Result<Value, Error> {
    let vm = cx.vm();
    let raw = value.serialize(ValueSerializer::new(&mut Convert::new(vm))).map_err(SerdeError::into_error)?;
    Ok(Value::root(vm, raw))
}

/// Converts a Scheme value to a `Deserialize` Rust type, as the [module docs](self)
/// describe.
///
/// ```
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// enum Shape { Circle(f64), Square { side: f64 } }
///
/// let mut engine = seam::Engine::new();
/// let value: seam::Value = engine.eval("'((Square . ((side . 2))))").unwrap();
/// let shape: Shape = seam::serde::from_value(&mut engine, &value).unwrap();
/// assert_eq!(shape, Shape::Square { side: 2.0 });
///
/// let value: seam::Value = engine.eval("'((Circle . \"big\"))").unwrap();
/// let err = seam::serde::from_value::<Shape>(&mut engine, &value).unwrap_err();
/// assert_eq!(err.to_string(), "variant Circle: expected f64, got string \"big\"");
/// ```
pub fn from_value<T: DeserializeOwned>(cx: &mut impl Context, value: &Value) -> Result<T, Error> {
    let vm = cx.vm();
    let raw = value.get(vm).map_err(|e| Error::conversion("value", e))?;
    T::deserialize(ValueDeserializer::new(&mut Convert::new(vm), raw)).map_err(SerdeError::into_error)
}

/// A Rust value that converts to and from Scheme through serde: use it as a host function
/// parameter or result, with [`Engine::eval`](crate::Engine::eval),
/// [`Engine::set`](crate::Engine::set), [`Engine::get`](crate::Engine::get) or in a
/// [`Function`](crate::Function) signature.
///
/// ```
/// use serde::{Deserialize, Serialize};
/// use seam::serde::Serde;
///
/// #[derive(Serialize, Deserialize)]
/// struct Person { name: String, age: u8 }
///
/// let mut engine = seam::Engine::new();
/// engine.define_fn("older", |p: Serde<Person>| Serde(Person { age: p.0.age + 1, ..p.0 }));
/// let name: String = engine
///     .eval("(cdr (assq 'name (older '((name . \"Ann\") (age . 30)))))")
///     .unwrap();
/// assert_eq!(name, "Ann");
/// let Serde(p) = engine.eval::<Serde<Person>>("(older '((name . \"Ann\") (age . 30)))").unwrap();
/// assert_eq!(p.age, 31);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Serde<T>(pub T);

impl<T> Serde<T> {
    /// The wrapped value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: Serialize> IntoValue for Serde<T> {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        self.0.serialize(ValueSerializer::new(cx)).map_err(SerdeError::into_conversion)
    }
}

impl<T: DeserializeOwned> FromValue for Serde<T> {
    fn from_value(value: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        T::deserialize(ValueDeserializer::new(cx, value)).map(Serde).map_err(SerdeError::into_conversion)
    }
}
