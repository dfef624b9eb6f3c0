//! The deserializer: `Deserialize` Rust values from Scheme values, as the mapping in
//! [`crate::serde`] describes. Nesting is limited to [`MAX_DEPTH`] levels, so cyclic data
//! is an error rather than a stack overflow.

use std::collections::HashSet;

use ::serde::de::{self, DeserializeSeed, Visitor};
use num_bigint::BigInt;
use num_traits::ToPrimitive;
use seam_vm::{Object, Value as Raw};

use super::error::{PathSegment, SerdeError};
use super::MAX_DEPTH;
use crate::convert::{Convert, FromValue, ValueKind, ValueRef};

/// Deserializes one Scheme value.
pub(crate) struct ValueDeserializer<'a, 'vm> {
    cx: &'a mut Convert<'vm>,
    value: ValueRef,
    /// How many containers enclose `value`.
    depth: usize,
    /// A map key: a symbol is accepted where a string is wanted.
    is_key: bool,
}

impl<'a, 'vm> ValueDeserializer<'a, 'vm> {
    pub(crate) fn new(cx: &'a mut Convert<'vm>, value: ValueRef) -> ValueDeserializer<'a, 'vm> {
        ValueDeserializer { cx, value, depth: 0, is_key: false }
    }

    /// Converts the value with its [`FromValue`] implementation.
    fn convert<T: FromValue>(&mut self) -> Result<T, SerdeError> {
        T::from_value(self.value, self.cx).map_err(SerdeError::from)
    }

    /// The error for a value that is not what `expected` says.
    fn invalid(&self, expected: &str) -> SerdeError {
        SerdeError::invalid_type(expected, Some(self.cx.describe(self.value)))
    }

    /// Lets the visitor's error describe this value, unless a nested value is to blame.
    fn found<T>(&self, result: Result<T, SerdeError>) -> Result<T, SerdeError> {
        result.map_err(|e| e.found(self.cx, self.value))
    }

    /// The depth of the values inside this one, or the error when that is too deep.
    fn inner_depth(&self) -> Result<usize, SerdeError> {
        if self.depth >= MAX_DEPTH {
            return Err(SerdeError::invalid_type(
                format!("data nested at most {MAX_DEPTH} levels deep"),
                Some("deeper nesting (a cyclic structure?)".to_string()),
            ));
        }
        Ok(self.depth + 1)
    }

    /// The elements of a vector, proper list or bytevector (as integers).
    fn sequence_items(&self) -> Option<Vec<ValueRef>> {
        match self.cx.kind(self.value) {
            ValueKind::Null => Some(Vec::new()),
            ValueKind::Pair => self.cx.list_items(self.value),
            ValueKind::Vector => self.cx.vector_items(self.value),
            ValueKind::Bytevector => match self.cx.vm.heap.object(self.value.0) {
                Some(Object::Bytevector(bytes)) => {
                    Some(bytes.iter().map(|&b| ValueRef(Raw::Fixnum(i64::from(b)))).collect())
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The entries of an association list (`()` has none).
    fn alist_entries(&self, expected: &str) -> Result<Vec<(ValueRef, ValueRef)>, SerdeError> {
        let items = match self.cx.kind(self.value) {
            ValueKind::Null => Vec::new(),
            ValueKind::Pair => self.cx.list_items(self.value).ok_or_else(|| self.invalid(expected))?,
            _ => return Err(self.invalid(expected)),
        };
        let mut entries = Vec::with_capacity(items.len());
        let mut seen = HashSet::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let (key, value) = self.cx.pair(item).ok_or_else(|| {
                SerdeError::invalid_type("an entry (key . value)", Some(self.cx.describe(item)))
                    .at(PathSegment::Element(index))
            })?;
            let identity = match name_of(self.cx, key) {
                Some(name) => KeyIdentity::Name(name),
                None => KeyIdentity::Written(self.cx.write(key, usize::MAX)),
            };
            // As `assq` and `assoc` read it: an earlier entry shadows later ones.
            if seen.insert(identity) {
                entries.push((key, value));
            }
        }
        Ok(entries)
    }

    /// Whether the value reads as a map in `deserialize_any`: a non-empty proper list of
    /// pairs whose cars are symbols or strings.
    fn looks_like_map(&self, items: &[ValueRef]) -> bool {
        !items.is_empty()
            && items.iter().all(|&item| {
                self.cx.pair(item).is_some_and(|(key, _)| {
                    matches!(self.cx.kind(key), ValueKind::Symbol | ValueKind::String)
                })
            })
    }

    fn visit_sequence<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let Some(items) = self.sequence_items() else {
            return Err(self.invalid("a vector or a proper list"));
        };
        let depth = self.inner_depth()?;
        let mut reader = SeqReader { cx: &mut *self.cx, items, next: 0, depth };
        let result = visitor.visit_seq(&mut reader);
        let (consumed, total) = (reader.next, reader.items.len());
        let value = self.found(result)?;
        if consumed < total {
            let expected = format!("{consumed} elements");
            return Err(SerdeError::invalid_type(expected, None).found(self.cx, self.value));
        }
        Ok(value)
    }

    fn visit_alist<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        naming: EntryNaming,
        expected: &str,
    ) -> Result<V::Value, SerdeError> {
        let entries = self.alist_entries(expected)?;
        let depth = self.inner_depth()?;
        let reader = MapReader { cx: &mut *self.cx, entries, next: 0, depth, naming };
        let result = visitor.visit_map(reader);
        self.found(result)
    }

    fn visit_integer<'de, V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, SerdeError> {
        if let Raw::Fixnum(n) = self.value.0 {
            return self.found(visitor.visit_i64(n));
        }
        let n: BigInt = self.convert()?;
        let result = if let Some(n) = n.to_u64() {
            visitor.visit_u64(n)
        } else if let Some(n) = n.to_i128() {
            visitor.visit_i128(n)
        } else if let Some(n) = n.to_u128() {
            visitor.visit_u128(n)
        } else {
            Err(SerdeError::out_of_range("i128 or u128"))
        };
        self.found(result)
    }
}

/// Runs `f`, a nested deserialization, on a fresh stack segment when this one runs low (the
/// depth limit bounds the nesting; frames of derived `Deserialize` code can be large).
fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, f)
}

/// The text of a symbol or a string.
fn name_of(cx: &Convert, value: ValueRef) -> Option<String> {
    match cx.vm.heap.object(value.0) {
        Some(Object::String(chars)) => Some(chars.iter().collect()),
        _ => cx.symbol_name(value),
    }
}

/// What makes two association list keys the same: the name of a symbol or string (`'a` and
/// `"a"` are one key), the written form of anything else.
#[derive(PartialEq, Eq, Hash)]
enum KeyIdentity {
    Name(String),
    Written(String),
}

/// How errors name the entries of an association list.
#[derive(Clone, Copy)]
enum EntryNaming {
    Field,
    Key,
}

macro_rules! deserialize_with_from_value {
    ($($method:ident => $visit:ident: $t:ty),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, SerdeError> {
            let v: $t = self.convert()?;
            self.found(visitor.$visit(v))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for ValueDeserializer<'_, '_> {
    type Error = SerdeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        match self.cx.kind(self.value) {
            ValueKind::Null | ValueKind::Unspecified => self.found(visitor.visit_unit()),
            ValueKind::Boolean => self.deserialize_bool(visitor),
            ValueKind::Integer => self.visit_integer(visitor),
            ValueKind::Rational | ValueKind::Real => self.deserialize_f64(visitor),
            ValueKind::Char => self.deserialize_char(visitor),
            ValueKind::String => self.deserialize_string(visitor),
            ValueKind::Symbol => {
                let name = self.cx.symbol_name(self.value).unwrap_or_default();
                self.found(visitor.visit_string(name))
            }
            ValueKind::Bytevector => self.deserialize_byte_buf(visitor),
            ValueKind::Vector => self.visit_sequence(visitor),
            ValueKind::Pair => match self.cx.list_items(self.value) {
                Some(items) if self.looks_like_map(&items) => {
                    self.visit_alist(visitor, EntryNaming::Key, "an association list")
                }
                Some(_) => self.visit_sequence(visitor),
                None => Err(self.invalid("a proper list")),
            },
            ValueKind::Complex => Err(self.invalid("a real number (serde has no complex numbers)")),
            ValueKind::Procedure | ValueKind::Eof | ValueKind::Other => {
                Err(self.invalid("data (a number, string, list, vector, ...)"))
            }
        }
    }

    deserialize_with_from_value! {
        deserialize_bool => visit_bool: bool,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
        deserialize_char => visit_char: char,
    }

    /// `u128` is read through `BigInt` (its values above `i128::MAX` included).
    fn deserialize_u128<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, SerdeError> {
        let n: BigInt = self.convert().map_err(|_| self.invalid("u128"))?;
        match n.to_u128() {
            Some(n) => self.found(visitor.visit_u128(n)),
            None => Err(SerdeError::out_of_range("u128").found(self.cx, self.value)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, SerdeError> {
        if self.is_key {
            if let Some(name) = self.cx.symbol_name(self.value) {
                return self.found(visitor.visit_string(name));
            }
        }
        let s: String = self.convert()?;
        self.found(visitor.visit_string(s))
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        if let Some(Object::Bytevector(bytes)) = self.cx.vm.heap.object(self.value.0) {
            let bytes = bytes.clone();
            return self.found(visitor.visit_byte_buf(bytes));
        }
        self.visit_sequence(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        match self.value.0 {
            Raw::Bool(false) => self.found(visitor.visit_none()),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        match self.cx.kind(self.value) {
            ValueKind::Null | ValueKind::Unspecified => self.found(visitor.visit_unit()),
            _ => Err(self.invalid("()")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        self.visit_sequence(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, SerdeError> {
        self.visit_sequence(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        self.visit_sequence(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        self.visit_alist(visitor, EntryNaming::Key, "an association list")
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        self.visit_alist(visitor, EntryNaming::Field, "an association list ((field . value) ...)")
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        const EXPECTED: &str = "a variant: a symbol or ((Variant . value))";
        let (tag, payload) = match self.cx.kind(self.value) {
            ValueKind::Symbol | ValueKind::String => (self.value, None),
            ValueKind::Pair => match self.cx.list_items(self.value).as_deref() {
                Some(&[entry]) => match self.cx.pair(entry) {
                    Some((tag, payload)) => (tag, Some(payload)),
                    None => return Err(self.invalid(EXPECTED)),
                },
                _ => return Err(self.invalid(EXPECTED)),
            },
            _ => return Err(self.invalid(EXPECTED)),
        };
        let depth = self.inner_depth()?;
        let access = VariantReader { cx: &mut *self.cx, tag, payload, depth };
        let result = visitor.visit_enum(access);
        self.found(result)
    }

    fn deserialize_identifier<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, SerdeError> {
        match self.cx.kind(self.value) {
            ValueKind::Symbol => {
                let name = self.cx.symbol_name(self.value).unwrap_or_default();
                self.found(visitor.visit_string(name))
            }
            ValueKind::String => {
                let name: String = self.convert()?;
                self.found(visitor.visit_string(name))
            }
            ValueKind::Integer => {
                let index: u64 = self.convert()?;
                self.found(visitor.visit_u64(index))
            }
            _ => Err(self.invalid("a name (a symbol or a string)")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        visitor.visit_unit()
    }
}

/// The elements of a sequence, handed to a visitor one by one.
struct SeqReader<'a, 'vm> {
    cx: &'a mut Convert<'vm>,
    items: Vec<ValueRef>,
    next: usize,
    depth: usize,
}

impl<'de> de::SeqAccess<'de> for SeqReader<'_, '_> {
    type Error = SerdeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, SerdeError> {
        let Some(&value) = self.items.get(self.next) else {
            return Ok(None);
        };
        let index = self.next;
        self.next += 1;
        let element = ValueDeserializer { cx: &mut *self.cx, value, depth: self.depth, is_key: false };
        with_stack(|| seed.deserialize(element)).map(Some).map_err(|e| e.at(PathSegment::Element(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.next)
    }
}

/// The entries of an association list, handed to a visitor one by one.
struct MapReader<'a, 'vm> {
    cx: &'a mut Convert<'vm>,
    entries: Vec<(ValueRef, ValueRef)>,
    next: usize,
    depth: usize,
    naming: EntryNaming,
}

impl MapReader<'_, '_> {
    /// How errors name the entry with `key`: `field age`, `key alice`, `key 42`.
    fn segment(&self, key: ValueRef) -> PathSegment {
        let name = name_of(self.cx, key).unwrap_or_else(|| self.cx.write(key, 40));
        match self.naming {
            EntryNaming::Field => PathSegment::Field(name),
            EntryNaming::Key => PathSegment::Key(name),
        }
    }
}

impl<'de> de::MapAccess<'de> for MapReader<'_, '_> {
    type Error = SerdeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, SerdeError> {
        let Some(&(key, _)) = self.entries.get(self.next) else {
            return Ok(None);
        };
        let reader = ValueDeserializer { cx: &mut *self.cx, value: key, depth: self.depth, is_key: true };
        match seed.deserialize(reader) {
            Ok(key) => Ok(Some(key)),
            Err(e) => Err(e.at(self.segment(key))),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, SerdeError> {
        let Some(&(key, value)) = self.entries.get(self.next) else {
            return Err(SerdeError::invalid_type("a map entry", Some("the end of the list".to_string())));
        };
        self.next += 1;
        let reader = ValueDeserializer { cx: &mut *self.cx, value, depth: self.depth, is_key: false };
        match with_stack(|| seed.deserialize(reader)) {
            Ok(value) => Ok(value),
            Err(e) => Err(e.at(self.segment(key))),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.next)
    }
}

/// An enum value: the variant's name (a symbol or string) and its payload, if any.
struct VariantReader<'a, 'vm> {
    cx: &'a mut Convert<'vm>,
    tag: ValueRef,
    payload: Option<ValueRef>,
    depth: usize,
}

impl<'de> de::EnumAccess<'de> for VariantReader<'_, '_> {
    type Error = SerdeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), SerdeError> {
        let tag = ValueDeserializer { cx: &mut *self.cx, value: self.tag, depth: self.depth, is_key: true };
        let variant = seed.deserialize(tag)?;
        Ok((variant, self))
    }
}

impl<'vm> VariantReader<'_, 'vm> {
    /// The payload's deserializer, or the error for a unit variant given where one with data
    /// is expected.
    fn payload(&mut self, expected: &str) -> Result<ValueDeserializer<'_, 'vm>, SerdeError> {
        match self.payload {
            Some(value) => {
                Ok(ValueDeserializer { cx: &mut *self.cx, value, depth: self.depth, is_key: false })
            }
            None => Err(SerdeError::invalid_type(expected, Some(self.cx.describe(self.tag)))),
        }
    }

    /// The error as it happened inside the variant's payload.
    fn inside(&self, error: SerdeError) -> SerdeError {
        let name = name_of(self.cx, self.tag).unwrap_or_else(|| self.cx.write(self.tag, 40));
        error.at(PathSegment::Variant(name))
    }
}

impl<'de> de::VariantAccess<'de> for VariantReader<'_, '_> {
    type Error = SerdeError;

    fn unit_variant(mut self) -> Result<(), SerdeError> {
        match self.payload {
            None => Ok(()),
            Some(_) => {
                let result = self.payload("a unit variant").and_then(<() as de::Deserialize>::deserialize);
                result.map_err(|e| self.inside(e))
            }
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(mut self, seed: T) -> Result<T::Value, SerdeError> {
        let result = self
            .payload("a newtype variant ((Variant . value))")
            .and_then(|p| with_stack(|| seed.deserialize(p)));
        result.map_err(|e| self.inside(e))
    }

    fn tuple_variant<V: Visitor<'de>>(mut self, len: usize, visitor: V) -> Result<V::Value, SerdeError> {
        let result = self
            .payload("a tuple variant ((Variant . #(value ...)))")
            .and_then(|p| with_stack(|| de::Deserializer::deserialize_tuple(p, len, visitor)));
        result.map_err(|e| self.inside(e))
    }

    fn struct_variant<V: Visitor<'de>>(
        mut self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        let result = self
            .payload("a struct variant ((Variant . ((field . value) ...)))")
            .and_then(|p| with_stack(|| de::Deserializer::deserialize_struct(p, "", fields, visitor)));
        result.map_err(|e| self.inside(e))
    }
}
