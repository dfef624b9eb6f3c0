//! `Value`: the 16-byte, `Copy` view of every Scheme value that builtins and the host API
//! match on, and `Word`: the 8-byte NaN-boxed form the VM stores values in (registers,
//! globals, constants, pairs, vectors). Immediates (fixnums, flonums, chars, booleans, the
//! empty list, ...) live in the value itself; everything else is an index into the
//! [`Heap`](crate::heap::Heap).
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

/// The 8-byte form a value takes where the VM keeps many of them: registers (the value
/// stack), global slots and constant tables. NaN-boxed, so a flonum is its own IEEE bits and
/// everything else hides in the NaN space:
///
/// | bits 63..51 | bits 50..32 | bits 31..0 | value |
/// |---|---|---|---|
/// | `0x1FFF` (negative quiet NaN) | 51-bit two's complement | | fixnum in `FIXNUM_MIN..=FIXNUM_MAX` |
/// | `0x0FFF` (positive quiet NaN) | tag ≥ 1 | payload | null, booleans, chars, symbols, pairs, objects, primitives, ... |
/// | anything else | | | a flonum (every NaN is stored as the one canonical `+nan.0`) |
///
/// A fixnum outside 51 bits has no word: [`Heap::word`](crate::heap::Heap::word) stores it as
/// a bignum object, and reading it back gives that object, which the numeric tower treats
/// as the same integer. Only [`Word::get`] and the fast paths of the interpreter look at the
/// bits.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct Word(u64);

/// The smallest fixnum a [`Word`] holds: -2^50.
pub const FIXNUM_MIN: i64 = -(1 << 50);
/// The largest fixnum a [`Word`] holds: 2^50 - 1.
pub const FIXNUM_MAX: i64 = (1 << 50) - 1;

const FIXNUM_BASE: u64 = 0xFFF8_0000_0000_0000;
const PAYLOAD_51: u64 = (1 << 51) - 1;
const CANONICAL_NAN: u64 = 0x7FF8_0000_0000_0000;
const TAG_SHIFT: u32 = 32;

const TAG_NULL: u64 = 1;
const TAG_BOOL: u64 = 2;
const TAG_CHAR: u64 = 3;
const TAG_UNSPECIFIED: u64 = 4;
const TAG_UNDEFINED: u64 = 5;
const TAG_EOF: u64 = 6;
const TAG_DEFAULT: u64 = 7;
const TAG_SYMBOL: u64 = 8;
const TAG_PAIR: u64 = 9;
const TAG_OBJECT: u64 = 10;
const TAG_PRIMITIVE: u64 = 11;

const fn tagged(tag: u64, payload: u32) -> Word {
    Word(CANONICAL_NAN | tag << TAG_SHIFT | payload as u64)
}

impl Word {
    pub const NULL: Word = tagged(TAG_NULL, 0);
    pub const TRUE: Word = tagged(TAG_BOOL, 1);
    pub const FALSE: Word = tagged(TAG_BOOL, 0);
    pub const UNSPECIFIED: Word = tagged(TAG_UNSPECIFIED, 0);
    pub const UNDEFINED: Word = tagged(TAG_UNDEFINED, 0);

    /// The word of `v`, or the integer of a fixnum outside `FIXNUM_MIN..=FIXNUM_MAX` (which
    /// only [`Heap::word`](crate::heap::Heap::word) can store, as a bignum).
    #[inline(always)]
    pub fn new(v: Value) -> Result<Word, i64> {
        Ok(match v {
            Value::Fixnum(n) => return Word::fixnum(n).ok_or(n),
            Value::Flonum(f) => Word::flonum(f),
            Value::Null => Word::NULL,
            Value::Bool(b) => tagged(TAG_BOOL, b as u32),
            Value::Char(c) => tagged(TAG_CHAR, c as u32),
            Value::Unspecified => Word::UNSPECIFIED,
            Value::Undefined => Word::UNDEFINED,
            Value::Eof => tagged(TAG_EOF, 0),
            Value::Default => tagged(TAG_DEFAULT, 0),
            Value::Symbol(i) => tagged(TAG_SYMBOL, i),
            Value::Pair(i) => tagged(TAG_PAIR, i),
            Value::Object(i) => tagged(TAG_OBJECT, i),
            Value::Primitive(i) => tagged(TAG_PRIMITIVE, i),
        })
    }

    /// The value this word holds.
    #[inline(always)]
    pub fn get(self) -> Value {
        let b = self.0;
        if b >= FIXNUM_BASE {
            return Value::Fixnum(self.fixnum_bits());
        }
        if b <= CANONICAL_NAN || b > CANONICAL_NAN | PAYLOAD_51 {
            return Value::Flonum(f64::from_bits(b));
        }
        let payload = b as u32;
        match (b >> TAG_SHIFT) & (PAYLOAD_51 >> TAG_SHIFT) {
            TAG_NULL => Value::Null,
            TAG_BOOL => Value::Bool(payload != 0),
            // The payload came from a `char`.
            TAG_CHAR => Value::Char(char::from_u32(payload).unwrap_or(char::REPLACEMENT_CHARACTER)),
            TAG_UNSPECIFIED => Value::Unspecified,
            TAG_UNDEFINED => Value::Undefined,
            TAG_EOF => Value::Eof,
            TAG_DEFAULT => Value::Default,
            TAG_SYMBOL => Value::Symbol(payload),
            TAG_PAIR => Value::Pair(payload),
            TAG_OBJECT => Value::Object(payload),
            _ => Value::Primitive(payload),
        }
    }

    /// The word of fixnum `n`, if it is in range.
    #[inline(always)]
    pub fn fixnum(n: i64) -> Option<Word> {
        if n << 13 >> 13 == n {
            Some(Word(FIXNUM_BASE | (n as u64 & PAYLOAD_51)))
        } else {
            None
        }
    }

    /// A fixnum word's integer times 2^13, its bits at the top of an `i64` and the low 13
    /// bits zero (meaningless for other words). Shifted fixnums add, subtract and compare
    /// as their integers do, and the `i64` operation overflows exactly when the result is
    /// outside the fixnum range, so the fast paths need no separate range check.
    #[inline(always)]
    pub fn fixnum_shifted(self) -> i64 {
        (self.0 << 13) as i64
    }

    /// The fixnum word of a shifted integer (see [`Word::fixnum_shifted`]; the low 13 bits
    /// of `s` are dropped).
    #[inline(always)]
    pub fn from_shifted(s: i64) -> Word {
        Word(FIXNUM_BASE | (s as u64 >> 13))
    }

    /// The word of a fixnum small enough for every word.
    #[inline(always)]
    pub const fn small_fixnum(n: i32) -> Word {
        Word(FIXNUM_BASE | (n as i64 as u64 & PAYLOAD_51))
    }

    /// `#t` or `#f`.
    #[inline(always)]
    pub const fn bool(b: bool) -> Word {
        if b {
            Word::TRUE
        } else {
            Word::FALSE
        }
    }

    /// The number of a flonum word.
    #[inline(always)]
    pub fn flonum_value(self) -> Option<f64> {
        let b = self.0;
        (b < FIXNUM_BASE && (b <= CANONICAL_NAN || b > CANONICAL_NAN | PAYLOAD_51)).then(|| f64::from_bits(b))
    }

    /// The word of flonum `f`; a NaN becomes the canonical NaN.
    #[inline(always)]
    pub fn flonum(f: f64) -> Word {
        if f.is_nan() {
            Word(CANONICAL_NAN)
        } else {
            Word(f.to_bits())
        }
    }

    /// Whether this word is a fixnum.
    #[inline(always)]
    pub fn is_fixnum(self) -> bool {
        self.0 >= FIXNUM_BASE
    }

    /// Whether both words are fixnums.
    #[inline(always)]
    pub fn both_fixnums(self, other: Word) -> bool {
        self.0 & other.0 >= FIXNUM_BASE
    }

    /// The integer of a fixnum word (meaningless for other words).
    #[inline(always)]
    pub fn fixnum_bits(self) -> i64 {
        (self.0 << 13) as i64 >> 13
    }

    #[inline(always)]
    pub fn is_char(self) -> bool {
        self.0 >> TAG_SHIFT == CANONICAL_NAN >> TAG_SHIFT | TAG_CHAR
    }

    #[inline(always)]
    pub fn is_null(self) -> bool {
        self == Word::NULL
    }

    #[inline(always)]
    pub fn is_pair(self) -> bool {
        self.0 >> TAG_SHIFT == CANONICAL_NAN >> TAG_SHIFT | TAG_PAIR
    }

    /// The symbol index of a symbol word.
    #[inline(always)]
    pub fn symbol_index(self) -> Option<u32> {
        (self.0 >> TAG_SHIFT == CANONICAL_NAN >> TAG_SHIFT | TAG_SYMBOL).then_some(self.0 as u32)
    }

    /// Whether this word refers to the heap: a symbol, pair or object (what the collector
    /// follows).
    #[inline(always)]
    pub fn is_reference(self) -> bool {
        (self.0 >> TAG_SHIFT).wrapping_sub(CANONICAL_NAN >> TAG_SHIFT | TAG_SYMBOL) <= TAG_OBJECT - TAG_SYMBOL
    }

    /// The pair index of a pair word.
    #[inline(always)]
    pub fn pair_index(self) -> Option<u32> {
        self.is_pair().then_some(self.0 as u32)
    }

    /// The word of pair `index`.
    #[inline(always)]
    pub fn pair(index: u32) -> Word {
        tagged(TAG_PAIR, index)
    }

    /// The word of heap object `index`.
    #[inline(always)]
    pub fn object(index: u32) -> Word {
        tagged(TAG_OBJECT, index)
    }

    /// The object index of an object word.
    #[inline(always)]
    pub fn object_index(self) -> Option<u32> {
        (self.0 >> TAG_SHIFT == CANONICAL_NAN >> TAG_SHIFT | TAG_OBJECT).then_some(self.0 as u32)
    }

    /// Scheme truth: everything but `#f` is true.
    #[inline(always)]
    pub fn is_true(self) -> bool {
        self != Word::FALSE
    }
}

/// Calls `f` with the values of `words` (on the Rust stack when there are few).
#[inline(always)]
pub fn decoded<R>(words: &[Word], f: impl FnOnce(&[Value]) -> R) -> R {
    match *words {
        [] => f(&[]),
        [a] => f(&[a.get()]),
        [a, b] => f(&[a.get(), b.get()]),
        [a, b, c] => f(&[a.get(), b.get(), c.get()]),
        [a, b, c, d] => f(&[a.get(), b.get(), c.get(), d.get()]),
        _ => f(&words.iter().map(|w| w.get()).collect::<Vec<_>>()),
    }
}

impl std::fmt::Debug for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Word({:?})", self.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_at_most_16_bytes_and_word_is_8() {
        assert!(std::mem::size_of::<Value>() <= 16);
        assert_eq!(std::mem::size_of::<Word>(), 8);
        assert_eq!(std::mem::size_of::<Option<Word>>(), 16);
    }

    fn round_trip(v: Value) -> Value {
        Word::new(v).expect("fits a word").get()
    }

    #[test]
    fn every_kind_round_trips() {
        let values = [
            Value::Null,
            Value::Bool(true),
            Value::Bool(false),
            Value::Char('\0'),
            Value::Char('λ'),
            Value::Char(char::MAX),
            Value::Unspecified,
            Value::Undefined,
            Value::Eof,
            Value::Default,
            Value::Symbol(0),
            Value::Symbol(u32::MAX),
            Value::Pair(7),
            Value::Pair(u32::MAX),
            Value::Object(0),
            Value::Object(u32::MAX),
            Value::Primitive(3),
            Value::Primitive(u32::MAX),
        ];
        for v in values {
            assert!(round_trip(v).is_eq(v), "{v:?}");
        }
    }

    #[test]
    fn fixnums_in_51_bits_round_trip_and_others_do_not_fit() {
        for n in [0, 1, -1, 42, -42, FIXNUM_MAX, FIXNUM_MIN, FIXNUM_MAX - 1, FIXNUM_MIN + 1, 1 << 40] {
            assert!(matches!(round_trip(Value::Fixnum(n)), Value::Fixnum(m) if m == n), "{n}");
            assert!(Word::fixnum(n).unwrap().is_fixnum());
            assert_eq!(Word::fixnum(n).unwrap().fixnum_bits(), n);
        }
        for n in [FIXNUM_MAX + 1, FIXNUM_MIN - 1, i64::MAX, i64::MIN, 1 << 60] {
            assert_eq!(Word::new(Value::Fixnum(n)), Err(n));
        }
    }

    #[test]
    fn shifted_fixnums_overflow_exactly_outside_the_range() {
        let w = |n| Word::fixnum(n).unwrap();
        let add = |a, b| w(a).fixnum_shifted().checked_add(w(b).fixnum_shifted()).map(Word::from_shifted);
        let sub = |a, b| w(a).fixnum_shifted().checked_sub(w(b).fixnum_shifted()).map(Word::from_shifted);
        let mul = |a, b| w(a).fixnum_shifted().checked_mul(w(b).fixnum_bits()).map(Word::from_shifted);
        for (a, b) in [
            (0, 0),
            (1, -1),
            (-7, 3),
            (FIXNUM_MAX, -1),
            (FIXNUM_MIN, 1),
            (FIXNUM_MAX, FIXNUM_MIN),
            (1 << 40, 1 << 9),
        ] {
            assert_eq!(add(a, b), Word::fixnum(a + b), "{a} + {b}");
            assert_eq!(sub(a, b), Word::fixnum(a - b), "{a} - {b}");
            assert_eq!(mul(a, b), a.checked_mul(b).and_then(Word::fixnum), "{a} * {b}");
            for (x, y) in [(a, b), (b, a), (a, a)] {
                assert_eq!(w(x).fixnum_shifted() < w(y).fixnum_shifted(), x < y);
            }
        }
        assert_eq!(add(FIXNUM_MAX, 1), None);
        assert_eq!(sub(FIXNUM_MIN, 1), None);
        assert_eq!(mul(1 << 25, 1 << 25), None);
        assert_eq!(mul(-(1 << 25), 1 << 25), Word::fixnum(FIXNUM_MIN));
        assert_eq!(mul(FIXNUM_MIN, -1), None);
    }

    #[test]
    fn flonums_keep_their_bits_and_nans_become_one() {
        for f in
            [0.0, -0.0, 1.5, -2.25, f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE, f64::MAX, 5e-324]
        {
            assert!(
                matches!(round_trip(Value::Flonum(f)), Value::Flonum(g) if g.to_bits() == f.to_bits()),
                "{f}"
            );
            assert!(!Word::flonum(f).is_fixnum());
        }
        for bits in [
            CANONICAL_NAN,
            0xFFF8_0000_0000_0000,
            0x7FF0_0000_0000_0001,
            0xFFFF_FFFF_FFFF_FFFF,
            0x7FFF_0000_0000_0009,
        ] {
            let nan = f64::from_bits(bits);
            assert!(matches!(round_trip(Value::Flonum(nan)), Value::Flonum(g) if g.is_nan()));
            assert_eq!(Word::flonum(nan), Word(CANONICAL_NAN));
        }
    }

    #[test]
    fn fast_tests_agree_with_get() {
        let fix = Word::fixnum(-5).unwrap();
        let flo = Word::flonum(-5.0);
        assert!(fix.both_fixnums(fix));
        assert!(!fix.both_fixnums(flo) && !flo.both_fixnums(fix));
        assert!(Word::new(Value::Pair(9)).unwrap().is_pair());
        assert!(!Word::new(Value::Object(9)).unwrap().is_pair());
        assert_eq!(Word::new(Value::Object(9)).unwrap().object_index(), Some(9));
        assert_eq!(Word::new(Value::Pair(9)).unwrap().object_index(), None);
        assert_eq!(Word::object(9), Word::new(Value::Object(9)).unwrap());
        assert_eq!(Word::pair(9), Word::new(Value::Pair(9)).unwrap());
        assert_eq!(Word::pair(9).pair_index(), Some(9));
        assert!(Word::new(Value::Char('x')).unwrap().is_char() && !Word::small_fixnum(120).is_char());
        assert_eq!(Word::new(Value::Symbol(4)).unwrap().symbol_index(), Some(4));
        for v in [Value::Symbol(1), Value::Pair(2), Value::Object(3)] {
            assert!(Word::new(v).unwrap().is_reference(), "{v:?}");
        }
        for v in [
            Value::Null,
            Value::Char('a'),
            Value::Primitive(1),
            Value::Default,
            Value::Fixnum(3),
            Value::Flonum(2.0),
        ] {
            assert!(!Word::new(v).unwrap().is_reference(), "{v:?}");
        }
        assert!(Word::NULL.is_null() && !Word::FALSE.is_true() && Word::NULL.is_true());
        assert!(!Word::flonum(-0.0).is_null() && Word::flonum(-0.0).is_true());
        for n in [0, 1, -1, i32::MAX, i32::MIN] {
            assert_eq!(Word::small_fixnum(n), Word::fixnum(n.into()).unwrap());
        }
        assert_eq!(Word::flonum_value(Word::flonum(2.5)), Some(2.5));
        assert_eq!(Word::flonum_value(Word::small_fixnum(2)), None);
        assert_eq!(Word::flonum_value(Word::NULL), None);
        assert!(Word::flonum_value(Word::flonum(f64::NAN)).unwrap().is_nan());
        assert_eq!(Word::bool(true), Word::TRUE);
    }
}
