//! The serializer: Scheme values from `Serialize` Rust values, as the mapping in
//! [`crate::serde`] describes. Values are built bottom-up on the engine's heap (a
//! conversion runs no Scheme code, so nothing is collected meanwhile).

use ::serde::ser::{self, Serialize};
use seam_vm::{Object, Value as Raw};

use super::error::{PathSegment, SerdeError};
use crate::convert::{Convert, IntoValue, ValueKind, ValueRef};

/// Serializes one Rust value into a Scheme value.
pub(crate) struct ValueSerializer<'a, 'vm> {
    cx: &'a mut Convert<'vm>,
}

impl<'a, 'vm> ValueSerializer<'a, 'vm> {
    pub(crate) fn new(cx: &'a mut Convert<'vm>) -> ValueSerializer<'a, 'vm> {
        ValueSerializer { cx }
    }

    fn convert(self, value: impl IntoValue) -> Result<ValueRef, SerdeError> {
        value.into_value(self.cx).map_err(SerdeError::from)
    }
}

/// `((variant . payload))`: how variants with data are tagged.
fn tagged(cx: &mut Convert, variant: &str, payload: ValueRef) -> ValueRef {
    let tag = cx.symbol(variant);
    let entry = cx.cons(tag, payload);
    cx.list(&[entry])
}

fn serialize_nested<T: Serialize + ?Sized>(
    cx: &mut Convert,
    value: &T,
    segment: impl FnOnce() -> PathSegment,
) -> Result<ValueRef, SerdeError> {
    // Deeply nested Rust data gets a fresh stack segment when this one runs low.
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || value.serialize(ValueSerializer::new(cx)))
        .map_err(|e| e.at(segment()))
}

impl<'a, 'vm> ser::Serializer for ValueSerializer<'a, 'vm> {
    type Ok = ValueRef;
    type Error = SerdeError;
    type SerializeSeq = SeqBuilder<'a, 'vm>;
    type SerializeTuple = SeqBuilder<'a, 'vm>;
    type SerializeTupleStruct = SeqBuilder<'a, 'vm>;
    type SerializeTupleVariant = SeqBuilder<'a, 'vm>;
    type SerializeMap = MapBuilder<'a, 'vm>;
    type SerializeStruct = StructBuilder<'a, 'vm>;
    type SerializeStructVariant = StructBuilder<'a, 'vm>;

    fn serialize_bool(self, v: bool) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_i8(self, v: i8) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_i16(self, v: i16) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_i32(self, v: i32) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_i64(self, v: i64) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_i128(self, v: i128) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_u8(self, v: u8) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_u16(self, v: u16) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_u32(self, v: u32) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_u64(self, v: u64) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_u128(self, v: u128) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_f32(self, v: f32) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_f64(self, v: f64) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_char(self, v: char) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_str(self, v: &str) -> Result<ValueRef, SerdeError> {
        self.convert(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<ValueRef, SerdeError> {
        Ok(ValueRef(self.cx.vm.heap.alloc(Object::Bytevector(v.to_vec()))))
    }

    fn serialize_none(self) -> Result<ValueRef, SerdeError> {
        Ok(ValueRef(Raw::Bool(false)))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<ValueRef, SerdeError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<ValueRef, SerdeError> {
        Ok(self.cx.null())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<ValueRef, SerdeError> {
        Ok(self.cx.null())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<ValueRef, SerdeError> {
        Ok(self.cx.symbol(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<ValueRef, SerdeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<ValueRef, SerdeError> {
        let payload = serialize_nested(self.cx, value, || PathSegment::Variant(variant.to_string()))?;
        Ok(tagged(self.cx, variant, payload))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder<'a, 'vm>, SerdeError> {
        Ok(SeqBuilder { cx: self.cx, items: Vec::with_capacity(len.unwrap_or(0)), variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder<'a, 'vm>, SerdeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqBuilder<'a, 'vm>, SerdeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqBuilder<'a, 'vm>, SerdeError> {
        Ok(SeqBuilder { cx: self.cx, items: Vec::with_capacity(len), variant: Some(variant) })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder<'a, 'vm>, SerdeError> {
        Ok(MapBuilder { cx: self.cx, entries: Vec::with_capacity(len.unwrap_or(0)), key: None })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<StructBuilder<'a, 'vm>, SerdeError> {
        Ok(StructBuilder { cx: self.cx, entries: Vec::with_capacity(len), variant: None })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<StructBuilder<'a, 'vm>, SerdeError> {
        Ok(StructBuilder { cx: self.cx, entries: Vec::with_capacity(len), variant: Some(variant) })
    }
}

/// Builds a vector (tagged with the variant for a tuple variant).
pub(crate) struct SeqBuilder<'a, 'vm> {
    cx: &'a mut Convert<'vm>,
    items: Vec<ValueRef>,
    variant: Option<&'static str>,
}

impl SeqBuilder<'_, '_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerdeError> {
        let index = self.items.len();
        let item = serialize_nested(self.cx, value, || PathSegment::Element(index))?;
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> Result<ValueRef, SerdeError> {
        let vector = self.cx.vector(&self.items);
        Ok(match self.variant {
            Some(variant) => tagged(self.cx, variant, vector),
            None => vector,
        })
    }
}

impl ser::SerializeSeq for SeqBuilder<'_, '_> {
    type Ok = ValueRef;
    type Error = SerdeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.push(value)
    }
    fn end(self) -> Result<ValueRef, SerdeError> {
        self.finish()
    }
}

impl ser::SerializeTuple for SeqBuilder<'_, '_> {
    type Ok = ValueRef;
    type Error = SerdeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.push(value)
    }
    fn end(self) -> Result<ValueRef, SerdeError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for SeqBuilder<'_, '_> {
    type Ok = ValueRef;
    type Error = SerdeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.push(value)
    }
    fn end(self) -> Result<ValueRef, SerdeError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for SeqBuilder<'_, '_> {
    type Ok = ValueRef;
    type Error = SerdeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.push(value)
    }
    fn end(self) -> Result<ValueRef, SerdeError> {
        self.finish()
    }
}

/// Builds an association list; string keys become symbols.
pub(crate) struct MapBuilder<'a, 'vm> {
    cx: &'a mut Convert<'vm>,
    entries: Vec<ValueRef>,
    /// The key waiting for its value.
    key: Option<ValueRef>,
}

impl ser::SerializeMap for MapBuilder<'_, '_> {
    type Ok = ValueRef;
    type Error = SerdeError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerdeError> {
        let index = self.entries.len();
        let key = serialize_nested(self.cx, key, || PathSegment::Element(index))?;
        let key = match self.cx.kind(key) {
            ValueKind::String => {
                let name: String = crate::convert::FromValue::from_value(key, self.cx)?;
                self.cx.symbol(&name)
            }
            _ => key,
        };
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerdeError> {
        let Some(key) = self.key.take() else {
            return Err(SerdeError::invalid_type("a map key before its value", Some("a value".into())));
        };
        let value = match value.serialize(ValueSerializer::new(self.cx)) {
            Ok(value) => value,
            Err(e) => return Err(e.at(PathSegment::Key(self.cx.write(key, 40)))),
        };
        let entry = self.cx.cons(key, value);
        self.entries.push(entry);
        Ok(())
    }

    fn end(self) -> Result<ValueRef, SerdeError> {
        Ok(self.cx.list(&self.entries))
    }
}

/// Builds a struct's association list `((field . value) ...)` (tagged with the variant for a
/// struct variant).
pub(crate) struct StructBuilder<'a, 'vm> {
    cx: &'a mut Convert<'vm>,
    entries: Vec<ValueRef>,
    variant: Option<&'static str>,
}

impl StructBuilder<'_, '_> {
    fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), SerdeError> {
        let value = serialize_nested(self.cx, value, || PathSegment::Field(name.to_string()))?;
        let key = self.cx.symbol(name);
        let entry = self.cx.cons(key, value);
        self.entries.push(entry);
        Ok(())
    }

    fn finish(self) -> Result<ValueRef, SerdeError> {
        let list = self.cx.list(&self.entries);
        Ok(match self.variant {
            Some(variant) => tagged(self.cx, variant, list),
            None => list,
        })
    }
}

impl ser::SerializeStruct for StructBuilder<'_, '_> {
    type Ok = ValueRef;
    type Error = SerdeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), SerdeError> {
        self.field(name, value)
    }
    fn end(self) -> Result<ValueRef, SerdeError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for StructBuilder<'_, '_> {
    type Ok = ValueRef;
    type Error = SerdeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), SerdeError> {
        self.field(name, value)
    }
    fn end(self) -> Result<ValueRef, SerdeError> {
        self.finish()
    }
}
