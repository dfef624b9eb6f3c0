//! [`FromValue`] and [`IntoValue`] for Rust's standard types: integers of every width
//! (checked), `BigInt`, floats, `bool`, `char`, strings, `Vec<u8>` (bytevectors), `Vec<T>`
//! (vectors; lists or vectors accepted), [`List<T>`] (lists), maps (association lists),
//! tuples (lists), `Option<T>` (`#f` is `None`) and `()`.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use num_bigint::BigInt;
use seam_num::Number;
use seam_vm::num::{from_number, to_number};
use seam_vm::{Object, Value as Raw};

use crate::convert::{ConversionError, Convert, FromValue, IntoValue, ParamKind, ValueRef};

/// Converts an exact integer to the primitive integer type `T`: `None` if `v` is not an
/// exact integer, `Some(Err)` if it does not fit.
fn exact_integer<T: TryFrom<i64> + for<'a> TryFrom<&'a BigInt>>(
    cx: &Convert,
    v: ValueRef,
) -> Option<Result<T, ()>> {
    match v.0 {
        Raw::Fixnum(n) => Some(T::try_from(n).map_err(drop)),
        Raw::Object(_) => match cx.vm.heap.object(v.0) {
            Some(Object::Bignum(b)) => Some(T::try_from(b).map_err(drop)),
            _ => None,
        },
        _ => None,
    }
}

macro_rules! integer_conversions {
    ($($t:ty),* $(,)?) => {$(
        impl FromValue for $t {
            fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
                match exact_integer::<$t>(cx, v) {
                    Some(Ok(n)) => Ok(n),
                    Some(Err(())) => Err(cx.out_of_range(stringify!($t), v)),
                    None => Err(cx.invalid_type(stringify!($t), v)),
                }
            }
        }

        impl IntoValue for $t {
            fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
                Ok(match i64::try_from(self) {
                    Ok(n) => ValueRef(Raw::Fixnum(n)),
                    Err(_) => ValueRef(from_number(&mut cx.vm.heap, Number::from_bigint(BigInt::from(self)))),
                })
            }
        }
    )*};
}

integer_conversions!(i8, i16, i32, i64, i128, isize, u16, u32, u64, u128, usize);

// `u8` is separate: `Vec<u8>` is a bytevector.
impl FromValue for u8 {
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match exact_integer::<u8>(cx, v) {
            Some(Ok(n)) => Ok(n),
            Some(Err(())) => Err(cx.out_of_range("u8", v)),
            None => Err(cx.invalid_type("u8", v)),
        }
    }

    fn vec_from_bytevector(bytes: &[u8]) -> Option<Vec<u8>> {
        Some(bytes.to_vec())
    }
}

impl IntoValue for u8 {
    fn into_value(self, _cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(Raw::Fixnum(self as i64)))
    }

    fn vec_into_value(items: Vec<u8>, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(cx.vm.heap.alloc(Object::Bytevector(items))))
    }
}

impl FromValue for BigInt {
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match v.0 {
            Raw::Fixnum(n) => Ok(BigInt::from(n)),
            _ => match cx.vm.heap.object(v.0) {
                Some(Object::Bignum(b)) => Ok(b.clone()),
                _ => Err(cx.invalid_type("an exact integer", v)),
            },
        }
    }
}

impl IntoValue for BigInt {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(from_number(&mut cx.vm.heap, Number::from_bigint(self))))
    }
}

impl FromValue for f64 {
    /// Any real number (exact ones are converted to the nearest `f64`); not a non-real
    /// complex number.
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match v.0 {
            Raw::Flonum(f) => Ok(f),
            Raw::Fixnum(n) => Ok(n as f64),
            _ => match to_number(&cx.vm.heap, v.0) {
                Some(n) if n.is_real() => Ok(n.to_f64()),
                _ => Err(cx.invalid_type("f64", v)),
            },
        }
    }
}

impl IntoValue for f64 {
    fn into_value(self, _cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(Raw::Flonum(self)))
    }
}

impl FromValue for f32 {
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        let f = f64::from_value(v, cx).map_err(|_| cx.invalid_type("f32", v))?;
        if f.is_finite() && f.abs() > f32::MAX as f64 {
            return Err(cx.out_of_range("f32", v));
        }
        Ok(f as f32)
    }
}

impl IntoValue for f32 {
    fn into_value(self, _cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(Raw::Flonum(self as f64)))
    }
}

impl FromValue for bool {
    /// Only `#t` and `#f` (use `Option` or a `Value` to accept Scheme truthiness).
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match v.0 {
            Raw::Bool(b) => Ok(b),
            _ => Err(cx.invalid_type("bool", v)),
        }
    }
}

impl IntoValue for bool {
    fn into_value(self, _cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(Raw::Bool(self)))
    }
}

impl FromValue for char {
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match v.0 {
            Raw::Char(c) => Ok(c),
            _ => Err(cx.invalid_type("char", v)),
        }
    }
}

impl IntoValue for char {
    fn into_value(self, _cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(Raw::Char(self)))
    }
}

impl FromValue for String {
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match cx.vm.heap.object(v.0) {
            Some(Object::String(chars)) => Ok(chars.iter().collect()),
            _ => Err(cx.invalid_type("string", v)),
        }
    }
}

impl IntoValue for String {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        self.as_str().into_value(cx)
    }
}

impl IntoValue for &str {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(cx.vm.heap.string(self)))
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    /// A vector or a proper list (and for `Vec<u8>`, a bytevector).
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match v.0 {
            Raw::Null => return Ok(Vec::new()),
            Raw::Pair(_) => {
                let items = cx.vm.heap.list_to_vec(v.0).ok_or_else(|| cx.invalid_type("a proper list", v))?;
                return convert_items(items.into_iter(), cx);
            }
            _ => {}
        }
        if let Some(items) = cx.vm.heap.vector_mut(v.0) {
            // Converted in place: the elements are lent out of the vector for the
            // conversion (no copy) and put back after it.
            let items = std::mem::take(items);
            let result = convert_items(items.iter().map(|w| w.get()), cx);
            if let Some(slot) = cx.vm.heap.vector_mut(v.0) {
                *slot = items;
            }
            return result;
        }
        match cx.vm.heap.bytevector_mut(v.0) {
            Some(bytes) => {
                T::vec_from_bytevector(bytes).ok_or_else(|| cx.invalid_type("a list or a vector", v))
            }
            None => Err(cx.invalid_type("a list or a vector", v)),
        }
    }
}

fn convert_items<T: FromValue>(
    items: impl ExactSizeIterator<Item = Raw>,
    cx: &mut Convert,
) -> Result<Vec<T>, ConversionError> {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.enumerate() {
        let converted = T::from_value(ValueRef(item), cx).map_err(|mut e| {
            e.got = format!("{} (element {i})", e.got);
            e
        })?;
        out.push(converted);
    }
    Ok(out)
}

impl<T: IntoValue> IntoValue for Vec<T> {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        T::vec_into_value(self, cx)
    }
}

impl<T: IntoValue + Clone> IntoValue for &[T] {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        T::vec_into_value(self.to_vec(), cx)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    /// `#f` is `None`; anything else must convert to `T`. As a trailing host function
    /// parameter it is optional: a missing argument is `None` too.
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match v.0 {
            Raw::Bool(false) => Ok(None),
            _ => T::from_value(v, cx).map(Some),
        }
    }

    const PARAM: ParamKind = ParamKind::Optional;

    fn from_missing() -> Option<Self> {
        Some(None)
    }
}

impl<T: IntoValue> IntoValue for Option<T> {
    /// `None` is `#f`.
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        match self {
            Some(v) => v.into_value(cx),
            None => Ok(ValueRef(Raw::Bool(false))),
        }
    }
}

impl FromValue for () {
    /// Accepts any value and ignores it (`engine.eval::<()>(...)`).
    fn from_value(_v: ValueRef, _cx: &mut Convert) -> Result<Self, ConversionError> {
        Ok(())
    }
}

impl IntoValue for () {
    /// The unspecified value.
    fn into_value(self, _cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(Raw::Unspecified))
    }
}

/// An association list `((key . value) ...)`, in the map's order for `BTreeMap`.
fn map_into_value<K: IntoValue, V: IntoValue>(
    entries: impl DoubleEndedIterator<Item = (K, V)>,
    cx: &mut Convert,
) -> Result<ValueRef, ConversionError> {
    let mut list = Raw::Null;
    for (k, v) in entries.rev() {
        let k = k.into_value(cx)?;
        let v = v.into_value(cx)?;
        let entry = cx.vm.heap.cons(k.0, v.0);
        list = cx.vm.heap.cons(entry, list);
    }
    Ok(ValueRef(list))
}

fn map_entries<K: FromValue, V: FromValue>(
    v: ValueRef,
    cx: &mut Convert,
) -> Result<Vec<(K, V)>, ConversionError> {
    let items = cx.list_items(v).ok_or_else(|| cx.invalid_type("an association list", v))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let (k, val) =
            cx.pair(item).ok_or_else(|| cx.invalid_type("an association list entry (key . value)", item))?;
        out.push((K::from_value(k, cx)?, V::from_value(val, cx)?));
    }
    Ok(out)
}

impl<K: FromValue + Eq + Hash, V: FromValue, S: std::hash::BuildHasher + Default> FromValue
    for HashMap<K, V, S>
{
    /// An association list; later entries win.
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        Ok(map_entries(v, cx)?.into_iter().collect())
    }
}

impl<K: IntoValue, V: IntoValue, S> IntoValue for HashMap<K, V, S> {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        let entries: Vec<(K, V)> = self.into_iter().collect();
        map_into_value(entries.into_iter(), cx)
    }
}

impl<K: FromValue + Ord, V: FromValue> FromValue for BTreeMap<K, V> {
    /// An association list; the first entry for a key wins, as `assoc` reads it.
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        Ok(map_entries(v, cx)?.into_iter().rev().collect())
    }
}

impl<K: IntoValue, V: IntoValue> IntoValue for BTreeMap<K, V> {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        map_into_value(self.into_iter(), cx)
    }
}

/// Tuples are lists of exactly their length.
macro_rules! tuple_conversions {
    ($($name:ident)+) => {
        impl<$($name: FromValue),+> FromValue for ($($name,)+) {
            fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
                const LEN: usize = [$(stringify!($name)),+].len();
                let items = cx.list_items(v).filter(|items| items.len() == LEN);
                let Some(items) = items else {
                    return Err(cx.invalid_type(format!("a list of {LEN} elements"), v));
                };
                let mut items = items.into_iter();
                Ok(($({
                    let item = items.next().unwrap_or(ValueRef(Raw::Null));
                    $name::from_value(item, cx)?
                },)+))
            }
        }

        impl<$($name: IntoValue),+> IntoValue for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
                let ($($name,)+) = self;
                let items = [$($name.into_value(cx)?),+];
                Ok(cx.list(&items))
            }
        }
    };
}

tuple_conversions!(A);
tuple_conversions!(A B);
tuple_conversions!(A B C);
tuple_conversions!(A B C D);
tuple_conversions!(A B C D E);
tuple_conversions!(A B C D E F);
tuple_conversions!(A B C D E F G);
tuple_conversions!(A B C D E F G H);

/// A symbol, by name (a `String` converts from and to a Scheme string).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(pub String);

impl FromValue for Symbol {
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        cx.symbol_name(v).map(Symbol).ok_or_else(|| cx.invalid_type("symbol", v))
    }
}

impl IntoValue for Symbol {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(cx.symbol(&self.0))
    }
}

/// A list, where `Vec<T>` would make a vector (either is accepted on the way in).
///
/// ```
/// let mut engine = seam::Engine::new();
/// engine.set("xs", seam::List(vec![1, 2, 3])).unwrap();
/// assert_eq!(engine.eval::<i64>("(apply + xs)").unwrap(), 6);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct List<T>(pub Vec<T>);

impl<T: FromValue> FromValue for List<T> {
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        Vec::from_value(v, cx).map(List)
    }
}

impl<T: IntoValue> IntoValue for List<T> {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        let mut converted = Vec::with_capacity(self.0.len());
        for item in self.0 {
            converted.push(item.into_value(cx)?.0);
        }
        Ok(ValueRef(cx.vm.heap.list(&converted)))
    }
}
