//! `Value`: the 16-byte, `Copy` representation of every Scheme value. Immediates (fixnums,
//! flonums, chars, booleans, the empty list, ...) live in the value itself; everything else is
//! an index into the [`Heap`](crate::heap::Heap).
//!
//! A `Value` is only meaningful together with the heap it came from, and only while the
//! object it names is reachable from a root: the collector runs at the VM's check points, so
//! Rust code between two check points (a builtin, the loader) may hold unrooted values.

/// A Scheme value. Heap variants hold an index into the heap's pair or object arena.
// A full-word tag: no padding between tag and payload, so copying a value is two plain
// word moves.
#[derive(Clone, Copy, Debug)]
#[repr(u64)]
pub enum Value {
    /// The empty list `()`.
    Null,
    Bool(bool),
    Fixnum(i64),
    Flonum(f64),
    Char(char),
    /// The value of expressions whose value R7RS leaves unspecified.
    Unspecified,
    /// The contents of a variable that is not bound or not initialised yet. Never visible to
    /// Scheme code: reading it is an error.
    Undefined,
    /// The end-of-file object.
    Eof,
    /// Marks an absent optional argument in internal protocols.
    Default,
    /// An interned symbol.
    Symbol(u32),
    /// A pair in the pair arena.
    Pair(u32),
    /// Any other heap object (see [`Object`](crate::object::Object)).
    Object(u32),
    /// A builtin procedure, by index into the builtin table.
    Primitive(u32),
}

impl Value {
    pub const TRUE: Value = Value::Bool(true);
    pub const FALSE: Value = Value::Bool(false);

    /// Scheme truth: everything but `#f` is true.
    #[inline(always)]
    pub fn is_true(self) -> bool {
        !matches!(self, Value::Bool(false))
    }

    /// `eq?`: identity for heap values, value equality for immediates.
    #[inline]
    pub fn is_eq(self, other: Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null)
            | (Value::Unspecified, Value::Unspecified)
            | (Value::Undefined, Value::Undefined)
            | (Value::Eof, Value::Eof)
            | (Value::Default, Value::Default) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Fixnum(a), Value::Fixnum(b)) => a == b,
            (Value::Flonum(a), Value::Flonum(b)) => a.to_bits() == b.to_bits(),
            (Value::Char(a), Value::Char(b)) => a == b,
            (Value::Symbol(a), Value::Symbol(b))
            | (Value::Pair(a), Value::Pair(b))
            | (Value::Object(a), Value::Object(b))
            | (Value::Primitive(a), Value::Primitive(b)) => a == b,
            _ => false,
        }
    }

    pub fn from_bool(b: bool) -> Value {
        Value::Bool(b)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn value_is_at_most_16_bytes() {
        assert!(std::mem::size_of::<super::Value>() <= 16);
    }
}
