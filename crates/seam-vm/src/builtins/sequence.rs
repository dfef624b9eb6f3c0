//! The builtins strings, vectors and bytevectors share (`-ref`, `-set!`, `make-`, `-copy`,
//! `-copy!`, `-fill!`, `-append`, ...), written once over the `Sequence` trait.

use super::bytevectors::byte_arg;
use super::chars::char_arg;
use super::{each_arg, index_arg, length_arg, range_args, wrong};
use crate::error::{BuiltinResult, Condition};
use crate::heap::Heap;
use crate::object::Object;
use crate::value::{Value, Word};

/// An argument as a word. Arguments come from registers, so they always have one (a fixnum
/// too wide for a word is a bignum object by then).
fn word_arg(_: &Heap, proc: &str, v: Value) -> Result<Word, Condition> {
    Word::new(v).map_err(|_| Condition::new("internal", format!("{proc}: an argument without a word")))
}

/// One kind of heap sequence: how to find its elements in an `Object` and how its
/// elements convert to and from Scheme values.
pub(super) trait Sequence {
    /// An element as the object stores it.
    type Item: Copy;
    /// The type a wrong argument is reported as expecting: `string`, `vector`, ...
    const NAME: &'static str;
    /// What `make-` fills with when no fill is given.
    const FILL: Self::Item;
    fn items(object: &Object) -> Option<&[Self::Item]>;
    fn items_mut(object: &mut Object) -> Option<&mut [Self::Item]>;
    fn object(items: Vec<Self::Item>) -> Object;
    /// Argument `position` as an element, or a type error.
    fn item_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<Self::Item, Condition>;
    fn value(item: Self::Item) -> Value;
}

/// Declares `$kind`, the sequence whose objects are `Object::$variant`.
macro_rules! sequence {
    ($kind:ident, $variant:ident, $item:ty, $name:literal, $fill:expr, $item_arg:expr, $value:expr) => {
        pub(super) struct $kind;

        impl Sequence for $kind {
            type Item = $item;
            const NAME: &'static str = $name;
            const FILL: $item = $fill;
            fn items(object: &Object) -> Option<&[$item]> {
                match object {
                    Object::$variant(items) => Some(items),
                    _ => None,
                }
            }
            fn items_mut(object: &mut Object) -> Option<&mut [$item]> {
                match object {
                    Object::$variant(items) => Some(items),
                    _ => None,
                }
            }
            fn object(items: Vec<$item>) -> Object {
                Object::$variant(crate::object::FromItems::from_items(items))
            }
            fn item_arg(heap: &Heap, proc: &str, position: usize, v: Value) -> Result<$item, Condition> {
                $item_arg(heap, proc, position, v)
            }
            fn value(item: $item) -> Value {
                $value(item)
            }
        }
    };
}

sequence!(Strings, String, char, "string", ' ', char_arg, Value::Char);
sequence!(
    Vectors,
    Vector,
    Word,
    "vector",
    Word::FALSE,
    |heap, proc, _, v| word_arg(heap, proc, v),
    Word::get
);
sequence!(Bytevectors, Bytevector, u8, "bytevector", 0, byte_arg, |b: u8| Value::Fixnum(b.into()));

/// `string-length`, ... on words (see [`WordFn`](super::WordFn)).
pub(super) fn length_words<S: Sequence>(heap: &mut Heap, args: &[Word]) -> Option<Word> {
    let items = S::items(heap.get(args[0].object_index()?))?;
    Word::fixnum(items.len() as i64)
}

/// `string-ref`, ... on words: `None` unless the index is a fixnum in range.
pub(super) fn item_ref_words<S: Sequence>(heap: &mut Heap, args: &[Word]) -> Option<Word> {
    let items = S::items(heap.get(args[0].object_index()?))?;
    let k = args[1];
    let item = *items.get(usize::try_from(k.is_fixnum().then(|| k.fixnum_bits())?).ok()?)?;
    Word::new(S::value(item)).ok()
}

/// `string?`, `vector?`, `bytevector?`.
pub(super) fn is<S: Sequence>(heap: &Heap, v: Value) -> bool {
    heap.object(v).and_then(S::items).is_some()
}

/// The elements of the sequence in argument `position`, or a type error.
pub(super) fn items_arg<'h, S: Sequence>(
    heap: &'h Heap,
    proc: &str,
    position: usize,
    v: Value,
) -> Result<&'h [S::Item], Condition> {
    heap.object(v).and_then(S::items).ok_or_else(|| wrong(heap, proc, position, S::NAME, v))
}

/// The sequence `args[0]`, cut to the optional `start`/`end` arguments at `args[at]`.
pub(super) fn slice_arg<'h, S: Sequence>(
    heap: &'h Heap,
    proc: &str,
    args: &[Value],
    at: usize,
) -> Result<&'h [S::Item], Condition> {
    let items = items_arg::<S>(heap, proc, 1, args[0])?;
    let (start, end) = range_args(heap, proc, args, at, items.len())?;
    Ok(&items[start..end])
}

/// The elements of the sequence in argument `position`, which `proc` is about to change:
/// a type error for anything else, and an error for a literal constant.
fn mutable_items_arg<'h, S: Sequence>(
    heap: &'h Heap,
    proc: &str,
    position: usize,
    v: Value,
) -> Result<&'h [S::Item], Condition> {
    let items = items_arg::<S>(heap, proc, position, v)?;
    heap.check_mutable(proc, v)?;
    Ok(items)
}

/// Writes into the sequence `v`, already checked to be a mutable `S`.
fn with_items_mut<S: Sequence>(heap: &mut Heap, v: Value, write: impl FnOnce(&mut [S::Item])) {
    if let Some(items) = heap.object_mut(v).and_then(S::items_mut) {
        write(items);
    }
}

/// `(make-string k [fill])`, ...
pub(super) fn make<S: Sequence>(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let n = length_arg(heap, proc, 1, args[0], size_of::<S::Item>())?;
    let fill = match args.get(1) {
        Some(&v) => S::item_arg(heap, proc, 2, v)?,
        None => S::FILL,
    };
    Ok(heap.alloc(S::object(vec![fill; n])))
}

/// `(string c ...)`, `(vector x ...)`, `(bytevector b ...)`.
pub(super) fn of_items<S: Sequence>(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let items = each_arg(heap, proc, args, S::item_arg)?;
    Ok(heap.alloc(S::object(items)))
}

/// `(string-length s)`, ...
pub(super) fn length<S: Sequence>(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    Ok(Value::Fixnum(items_arg::<S>(heap, proc, 1, args[0])?.len() as i64))
}

/// The index argument of a `-ref`/`-set!` into a sequence of length `len`.
fn item_index(heap: &Heap, proc: &str, k: Value, len: usize) -> Result<usize, Condition> {
    let i = index_arg(heap, proc, 2, k)?;
    if i >= len {
        return Err(Condition::out_of_range(heap, proc, 2, k, &format!(" (length {len})")));
    }
    Ok(i)
}

/// `(string-ref s k)`, ...
pub(super) fn item_ref<S: Sequence>(heap: &Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let items = items_arg::<S>(heap, proc, 1, args[0])?;
    let i = item_index(heap, proc, args[1], items.len())?;
    Ok(S::value(items[i]))
}

/// `(string-set! s k x)`, ...
pub(super) fn item_set<S: Sequence>(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let len = mutable_items_arg::<S>(heap, proc, 1, args[0])?.len();
    let i = item_index(heap, proc, args[1], len)?;
    let item = S::item_arg(heap, proc, 3, args[2])?;
    with_items_mut::<S>(heap, args[0], |items| items[i] = item);
    Ok(Value::Unspecified)
}

/// `(string-copy s [start end])`, `substring`, `vector-copy`, `bytevector-copy`.
pub(super) fn copy<S: Sequence>(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let slice = slice_arg::<S>(heap, proc, args, 1)?;
    super::check_allocation(heap, proc, slice.len(), std::mem::size_of::<S::Item>())?;
    let copy = slice.to_vec();
    Ok(heap.alloc(S::object(copy)))
}

/// `(string-copy! to at from [start end])`, ...; the source is read before anything is
/// written, so overlapping ranges of one sequence copy correctly.
pub(super) fn copy_into<S: Sequence>(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let len = mutable_items_arg::<S>(heap, proc, 1, args[0])?.len();
    let from = items_arg::<S>(heap, proc, 3, args[2])?;
    let (start, end) = range_args(heap, proc, args, 3, from.len())?;
    let source = from[start..end].to_vec();
    let count = source.len();
    let at = index_arg(heap, proc, 2, args[1])?;
    if at > len || len - at < count {
        let room = format!(" (destination length {len}, {count} elements to copy)");
        return Err(Condition::out_of_range(heap, proc, 2, args[1], &room));
    }
    with_items_mut::<S>(heap, args[0], |items| items[at..at + count].copy_from_slice(&source));
    Ok(Value::Unspecified)
}

/// `(string-fill! s fill [start end])`, ...
pub(super) fn fill<S: Sequence>(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let len = mutable_items_arg::<S>(heap, proc, 1, args[0])?.len();
    let item = S::item_arg(heap, proc, 2, args[1])?;
    let (start, end) = range_args(heap, proc, args, 2, len)?;
    with_items_mut::<S>(heap, args[0], |items| items[start..end].fill(item));
    Ok(Value::Unspecified)
}

/// `(string-append s ...)`, ...
pub(super) fn append<S: Sequence>(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let parts = each_arg(heap, proc, args, items_arg::<S>)?;
    let total = parts.iter().map(|p| p.len()).sum();
    super::check_allocation(heap, proc, total, std::mem::size_of::<S::Item>())?;
    let joined = parts.concat();
    Ok(heap.alloc(S::object(joined)))
}

/// `(string->list s [start end])`, `vector->list`.
///
/// A list takes more memory than the sequence it is made from (a pair per item), so its size
/// is checked against the allocation cap first, as for every builtin that builds a result
/// larger than its argument.
pub(super) fn to_list<S: Sequence>(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let slice = slice_arg::<S>(heap, proc, args, 1)?;
    super::check_allocation(heap, proc, slice.len(), crate::heap::PAIR_BYTES)?;
    let items: Vec<Value> = slice.iter().map(|&x| S::value(x)).collect();
    Ok(heap.list(&items))
}

/// `(string->vector s [start end])`.
pub(super) fn to_vector<S: Sequence>(heap: &mut Heap, proc: &str, args: &[Value]) -> BuiltinResult {
    let slice = slice_arg::<S>(heap, proc, args, 1)?;
    super::check_allocation(heap, proc, slice.len(), std::mem::size_of::<Word>())?;
    let items: Vec<Value> = slice.iter().map(|&x| S::value(x)).collect();
    Ok(heap.vector(items))
}
