//! The heap: an arena of pairs and an arena of other objects, addressed by index, plus the
//! symbol table. Allocation never collects; the VM collects at its check points (see
//! `gc.rs`), so Rust code between two check points may hold unrooted `Value`s safely.
//!
//! The symbol table is weak: a `Value::Symbol` is an index into it, the collector marks
//! symbols like other heap values (through roots, pairs, vectors, code constants, ...) and
//! frees the slots of unmarked ones, removing their names from the intern map. So a name
//! interned again after its symbol died gets a fresh slot, while two live references to a
//! name always share one. Every symbol's bytes count in the accounting the memory limit
//! uses ([`symbol_size`]).

use std::sync::Arc;

use crate::object::{Code, Object};
use crate::value::{Value, Word};

/// Bytes charged for one pair (two words plus its share of the mark, constant and free lists).
pub(crate) const PAIR_BYTES: usize = 24;

/// Every Scheme object but immediates: pairs, symbols and the other objects, each in an
/// arena slot named by its index.
///
/// The interpreter caches pointers into code objects and host functions, so only this
/// crate may take an object out of its slot, replace it, or build or change code, closures
/// and saved frames. Code outside reads any object and changes the data of vectors and
/// bytevectors:
///
/// ```
/// let mut heap = seam_vm::Heap::new();
/// let v = heap.vector([seam_vm::Value::Fixnum(1)]);
/// heap.vector_mut(v).unwrap().clear();
/// assert!(matches!(heap.object(v), Some(seam_vm::Object::Vector(items)) if items.is_empty()));
/// ```
///
/// but gets no `&mut Object`:
///
/// ```compile_fail,E0624
/// let mut heap = seam_vm::Heap::new();
/// let v = heap.vector([seam_vm::Value::Fixnum(1)]);
/// *heap.object_mut(v).unwrap() = seam_vm::Object::Bytevector(Vec::new());
/// ```
///
/// and cannot change a closure's code or a code object's frame size:
///
/// ```compile_fail,E0616
/// fn retarget(c: &mut seam_vm::object::Closure, other: &seam_vm::object::Closure) {
///     c.ptr = other.ptr;
/// }
/// ```
///
/// ```compile_fail,E0616
/// fn grow(c: &mut seam_vm::object::Code) {
///     c.frame_size = 1 << 20;
/// }
/// ```
pub struct Heap {
    pub(crate) pairs: Vec<[Word; 2]>,
    pub(crate) pair_marks: Vec<u64>,
    pub(crate) pair_free: Vec<u32>,
    /// One bit per pair slot: set for the pairs of literal constants, which the mutators
    /// refuse to change (R7RS 3.4). Cleared by the sweep when the slot is freed; may be
    /// shorter than the arena (missing words are clear).
    pub(crate) pair_constants: Vec<u64>,
    pub(crate) objects: Vec<Option<Object>>,
    pub(crate) object_marks: Vec<u64>,
    pub(crate) object_free: Vec<u32>,
    /// [`Heap::pair_constants`] for object slots (strings, vectors, bytevectors).
    pub(crate) object_constants: Vec<u64>,
    /// Symbol names by id; a free slot holds `free_name` (and its id is in `symbol_free`).
    pub(crate) symbols: Vec<Arc<str>>,
    pub(crate) symbol_ids: rustc_hash::FxHashMap<Arc<str>, u32>,
    pub(crate) symbol_marks: Vec<u64>,
    pub(crate) symbol_free: Vec<u32>,
    /// The name a free symbol slot holds (empty; never in `symbol_ids`).
    pub(crate) free_name: Arc<str>,
    /// Bytes allocated since the last collection (approximate).
    pub(crate) allocated: usize,
    /// Bytes live after the last collection (approximate).
    pub(crate) live_bytes: usize,
    /// Bytes the VM holds for its whole life outside the arenas, which the collector never
    /// frees but the memory limit counts: global variables and the environments
    /// `environment` made (see [`Heap::pin_bytes`]).
    pub(crate) pinned: usize,
    /// Collect when `allocated` passes this.
    pub(crate) threshold: usize,
    /// The check points left before their slow path (`limits.rs`). It lives here so that
    /// an allocation making a collection due can zero it (banking the rest in `banked`):
    /// then one comparison per check point covers limits and collection alike.
    pub(crate) ticks: i64,
    /// Check points taken from `ticks` when a collection fell due, given back by the slow
    /// path.
    pub(crate) banked: i64,
    /// Collect at every check point (test mode for finding missing roots); set with
    /// [`Heap::set_stress`].
    pub(crate) stress: bool,
    /// Number of collections so far.
    pub collections: u64,
    /// The memory limit of the VM, if any: collections come often enough to notice it, and
    /// no single allocation may exceed it.
    pub(crate) memory_limit: Option<usize>,
    /// The interrupt flag and deadline of the running evaluation, which long builtins
    /// (printing) check too.
    pub(crate) watch: crate::limits::Watch,
}

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

impl Heap {
    pub fn new() -> Heap {
        Heap {
            pairs: Vec::new(),
            pair_marks: Vec::new(),
            pair_free: Vec::new(),
            pair_constants: Vec::new(),
            objects: Vec::new(),
            object_marks: Vec::new(),
            object_free: Vec::new(),
            object_constants: Vec::new(),
            symbols: Vec::new(),
            symbol_ids: Default::default(),
            symbol_marks: Vec::new(),
            symbol_free: Vec::new(),
            free_name: Arc::from(""),
            allocated: 0,
            live_bytes: 0,
            pinned: 0,
            threshold: 4 << 20,
            ticks: crate::limits::CHUNK as i64,
            banked: 0,
            stress: false,
            collections: 0,
            memory_limit: None,
            watch: Default::default(),
        }
    }

    /// Counts `bytes` the VM now holds for good outside the arenas (a new global, a cached
    /// environment) in the accounting the memory limit uses.
    pub fn pin_bytes(&mut self, bytes: usize) {
        self.pinned = self.pinned.saturating_add(bytes);
        self.charge(bytes);
    }

    /// Counts `bytes` newly held in the accounting; when that makes a collection due, the
    /// next check point takes its slow path (see `ticks`).
    #[inline(always)]
    pub(crate) fn charge(&mut self, bytes: usize) {
        self.allocated = self.allocated.saturating_add(bytes);
        if self.allocated >= self.threshold {
            self.collection_due();
        }
    }

    /// Sends the next check point to its slow path, banking the check points it skips.
    #[cold]
    pub(crate) fn collection_due(&mut self) {
        if self.ticks > 0 {
            self.banked += self.ticks;
            self.ticks = 0;
        }
    }

    /// Whether a collection is due (checked by the VM at its check points).
    #[inline(always)]
    pub fn wants_collection(&self) -> bool {
        // Under stress the threshold is 0, so this one comparison covers both modes.
        self.allocated >= self.threshold
    }

    /// Turns collection at every check point on or off.
    pub fn set_stress(&mut self, on: bool) {
        self.stress = on;
        self.set_threshold();
    }

    /// Sets when the next collection comes: when the heap has doubled (and at least 4 MiB
    /// were allocated), or sooner when that would pass the memory limit (but not sooner
    /// than 1/32 of the limit, so a heap near its limit does not collect at every step).
    pub(crate) fn set_threshold(&mut self) {
        let normal = (self.live_bytes * 2).max(4 << 20);
        self.threshold = match (self.stress, self.memory_limit) {
            (true, _) => 0,
            (false, None) => normal,
            (false, Some(limit)) => normal.min(limit.saturating_sub(self.live_bytes).max(limit / 32)),
        };
        if self.allocated >= self.threshold {
            self.collection_due();
        }
    }

    /// Sets the memory limit (see [`Heap::memory_limit`]).
    pub fn set_memory_limit(&mut self, limit: Option<usize>) {
        self.memory_limit = limit;
        self.set_threshold();
    }

    pub fn memory_limit(&self) -> Option<usize> {
        self.memory_limit
    }

    /// Whether the running evaluation was asked to stop (an interrupt request, a passed
    /// deadline): for builtins that may run long between two check points.
    pub fn stop_requested(&self) -> Option<crate::limits::Limit> {
        self.watch.stop_requested()
    }

    pub fn stress(&self) -> bool {
        self.stress
    }

    /// Approximate bytes held by live objects after the last collection.
    pub fn live_bytes(&self) -> usize {
        self.live_bytes
    }

    /// Number of pairs and objects currently allocated (live or not yet collected).
    pub fn object_count(&self) -> usize {
        self.pairs.len() - self.pair_free.len() + self.objects.len() - self.object_free.len()
    }

    #[inline]
    pub fn cons(&mut self, car: Value, cdr: Value) -> Value {
        let (car, cdr) = (self.word(car), self.word(cdr));
        Value::Pair(self.cons_index(car, cdr))
    }

    /// A new pair of two words.
    #[inline]
    pub(crate) fn cons_words(&mut self, car: Word, cdr: Word) -> Word {
        Word::pair(self.cons_index(car, cdr))
    }

    #[inline(always)]
    fn cons_index(&mut self, car: Word, cdr: Word) -> u32 {
        self.charge(PAIR_BYTES);
        if let Some(i) = self.pair_free.pop() {
            self.pairs[i as usize] = [car, cdr];
            i
        } else {
            self.pairs.push([car, cdr]);
            self.pairs.len() as u32 - 1
        }
    }

    pub fn alloc(&mut self, object: Object) -> Value {
        Value::Object(self.alloc_index(object))
    }

    fn alloc_index(&mut self, object: Object) -> u32 {
        self.charge(object_size(&object));
        if let Some(i) = self.object_free.pop() {
            self.objects[i as usize] = Some(object);
            i
        } else {
            self.objects.push(Some(object));
            self.objects.len() as u32 - 1
        }
    }

    /// A new vector of `items`.
    pub fn vector(&mut self, items: impl IntoIterator<Item = Value>) -> Value {
        let words = items.into_iter().map(|v| self.word(v)).collect();
        self.alloc(Object::Vector(words))
    }

    /// The word that stores `v` in a register, global slot or constant table. A fixnum
    /// outside a word's 51 bits (see [`Word`]) becomes a bignum object holding the same
    /// integer, which the numeric tower reads back as that integer.
    #[inline(always)]
    pub fn word(&mut self, v: Value) -> Word {
        Word::new(v).unwrap_or_else(|n| self.wide_fixnum(n))
    }

    #[cold]
    #[inline(never)]
    fn wide_fixnum(&mut self, n: i64) -> Word {
        Word::object(self.alloc_index(Object::Bignum(num_bigint::BigInt::from(n))))
    }

    #[inline(always)]
    pub fn car(&self, pair: u32) -> Value {
        self.pairs[pair as usize][0].get()
    }

    #[inline(always)]
    pub fn cdr(&self, pair: u32) -> Value {
        self.pairs[pair as usize][1].get()
    }

    #[inline(always)]
    pub(crate) fn car_word(&self, pair: u32) -> Word {
        self.pairs[pair as usize][0]
    }

    #[inline(always)]
    pub(crate) fn cdr_word(&self, pair: u32) -> Word {
        self.pairs[pair as usize][1]
    }

    /// Sets the car (`field` 0) or cdr (1) of `pair` to `x`, unless the pair is a literal
    /// constant (then false, and nothing changed).
    #[inline(always)]
    pub(crate) fn set_pair_word(&mut self, pair: u32, field: usize, x: Word) -> bool {
        if bit(&self.pair_constants, pair) {
            return false;
        }
        self.pairs[pair as usize][field] = x;
        true
    }

    pub fn set_car(&mut self, pair: u32, v: Value) {
        self.pairs[pair as usize][0] = self.word(v);
    }

    pub fn set_cdr(&mut self, pair: u32, v: Value) {
        self.pairs[pair as usize][1] = self.word(v);
    }

    /// The object at `index`. Indices come from live `Value::Object`s, so the slot is filled.
    #[inline(always)]
    pub fn get(&self, index: u32) -> &Object {
        match &self.objects[index as usize] {
            Some(o) => o,
            None => unreachable!("dangling object index {index}"),
        }
    }

    /// The object at `index`, mutably: only inside this crate, since replacing or moving
    /// a code object, a closure, a continuation, a task or a host function out of its slot
    /// would leave the interpreter's cached code and data pointers dangling (see
    /// `Regs::code`). Code outside reaches mutable data through [`Heap::vector_mut`] and
    /// [`Heap::bytevector_mut`].
    #[inline(always)]
    pub(crate) fn get_mut(&mut self, index: u32) -> &mut Object {
        match &mut self.objects[index as usize] {
            Some(o) => o,
            None => unreachable!("dangling object index {index}"),
        }
    }

    /// The object a value names, if it is a heap object.
    #[inline]
    pub fn object(&self, v: Value) -> Option<&Object> {
        match v {
            Value::Object(i) => Some(self.get(i)),
            _ => None,
        }
    }

    /// The object a value names, mutably (inside this crate only: see [`Heap::get_mut`]).
    #[inline]
    pub(crate) fn object_mut(&mut self, v: Value) -> Option<&mut Object> {
        match v {
            Value::Object(i) => Some(self.get_mut(i)),
            _ => None,
        }
    }

    /// The elements of the vector `v` names.
    pub fn vector_mut(&mut self, v: Value) -> Option<&mut crate::object::Words> {
        match self.object_mut(v) {
            Some(Object::Vector(items)) => Some(items),
            _ => None,
        }
    }

    /// The bytes of the bytevector `v` names. They stay put while the bytevector lives:
    /// Seam never resizes a bytevector, and this borrow cannot replace its buffer.
    pub fn bytevector_mut(&mut self, v: Value) -> Option<&mut [u8]> {
        match self.object_mut(v) {
            Some(Object::Bytevector(bytes)) => Some(bytes),
            _ => None,
        }
    }

    /// The code object at `index`.
    #[inline(always)]
    pub fn code(&self, index: u32) -> &Code {
        match self.get(index) {
            Object::Code(c) => c,
            _ => unreachable!("object {index} is not code"),
        }
    }

    /// The symbol named `name`: the live one if there is one, else a new one (charged to
    /// the heap's accounting like any allocation).
    pub fn intern(&mut self, name: &str) -> Value {
        if let Some(&id) = self.symbol_ids.get(name) {
            return Value::Symbol(id);
        }
        self.charge(symbol_size(name));
        let name: Arc<str> = Arc::from(name);
        let id = match self.symbol_free.pop() {
            Some(id) => {
                self.symbols[id as usize] = name.clone();
                id
            }
            None => {
                self.symbols.push(name.clone());
                self.symbols.len() as u32 - 1
            }
        };
        self.symbol_ids.insert(name, id);
        Value::Symbol(id)
    }

    /// The name of symbol `id`. Ids come from live `Value::Symbol`s, so the slot is filled
    /// (a dangling id, a bug, reads as the empty name rather than panicking).
    pub fn symbol_name(&self, id: u32) -> &Arc<str> {
        debug_assert!(
            self.symbols.get(id as usize).is_some_and(|n| !Arc::ptr_eq(n, &self.free_name)),
            "dangling symbol {id}"
        );
        self.symbols.get(id as usize).unwrap_or(&self.free_name)
    }

    /// Number of symbols currently interned (live or not yet collected).
    pub fn symbol_count(&self) -> usize {
        self.symbol_ids.len()
    }

    // -- literal constants

    /// Marks `value` and everything reachable from it (pairs, vectors, strings,
    /// bytevectors, ...) as a literal constant, which the mutators refuse to change. For
    /// data just built from a program's literals, which nothing else shares.
    pub fn make_constant(&mut self, value: Value) {
        let mut work = vec![value];
        while let Some(v) = work.pop() {
            match v {
                Value::Pair(p) => {
                    if set_bit(&mut self.pair_constants, p) {
                        continue;
                    }
                    let [car, cdr] = self.pairs[p as usize];
                    work.extend([car.get(), cdr.get()]);
                }
                Value::Object(i) => {
                    if set_bit(&mut self.object_constants, i) {
                        continue;
                    }
                    if let Object::Vector(items) = self.get(i) {
                        work.extend(items.iter().map(|w| w.get()));
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether `value` is a pair or object marked by [`Heap::make_constant`].
    #[inline(always)]
    pub fn is_constant(&self, value: Value) -> bool {
        match value {
            Value::Pair(p) => bit(&self.pair_constants, p),
            Value::Object(i) => bit(&self.object_constants, i),
            _ => false,
        }
    }

    /// Item `k` of vector `v`, when `v` is a vector and `k` a fixnum index in range: the
    /// fast path of the inlined `vector-ref` (anything else goes to the builtin, which
    /// says what is wrong).
    #[inline(always)]
    pub(crate) fn vector_word(&self, v: Word, k: Word) -> Option<Word> {
        let Some(Object::Vector(items)) = self.objects.get(v.object_index()? as usize)? else { return None };
        if !k.is_fixnum() {
            return None;
        }
        usize::try_from(k.fixnum_bits()).ok().and_then(|i| items.get(i)).copied()
    }

    /// Sets item `k` of vector `v` to `x` when `v` is a mutable vector and `k` a fixnum
    /// index in range; false (and nothing changed) otherwise. The fast path of the inlined
    /// `vector-set!`.
    #[inline(always)]
    pub(crate) fn set_vector_word(&mut self, v: Word, k: Word, x: Word) -> bool {
        let Some(o) = v.object_index() else { return false };
        if !k.is_fixnum() || bit(&self.object_constants, o) {
            return false;
        }
        let Some(Some(Object::Vector(items))) = self.objects.get_mut(o as usize) else { return false };
        match usize::try_from(k.fixnum_bits()).ok().and_then(|i| items.get_mut(i)) {
            Some(slot) => {
                *slot = x;
                true
            }
            None => false,
        }
    }

    /// Refuses to let `proc` change `value` if it is a literal constant. One bit test on
    /// the mutators' path; the error is built out of line.
    #[inline(always)]
    pub fn check_mutable(&self, proc: &str, value: Value) -> Result<(), crate::error::Condition> {
        if self.is_constant(value) {
            return Err(crate::error::Condition::immutable(self, proc, value));
        }
        Ok(())
    }

    /// Forgets the constant bits of the slots the sweep freed (those `pair_marks` and
    /// `object_marks` do not have), so a reused slot starts mutable.
    pub(crate) fn sweep_constants(&mut self) {
        for (bits, marks) in
            [(&mut self.pair_constants, &self.pair_marks), (&mut self.object_constants, &self.object_marks)]
        {
            bits.truncate(marks.len());
            for (word, live) in bits.iter_mut().zip(marks) {
                *word &= live;
            }
        }
    }

    // -- convenience constructors and views used throughout the builtins

    pub fn string(&mut self, s: &str) -> Value {
        self.alloc(Object::String(s.chars().collect()))
    }

    pub fn list(&mut self, items: &[Value]) -> Value {
        self.list_with_tail(items, Value::Null)
    }

    pub fn list_with_tail(&mut self, items: &[Value], tail: Value) -> Value {
        items.iter().rev().fold(tail, |acc, &v| self.cons(v, acc))
    }

    /// The elements of a proper list, or `None` if `v` is not one (improper or cyclic).
    pub fn list_to_vec(&self, mut v: Value) -> Option<Vec<Value>> {
        let mut out = Vec::new();
        let limit = self.pairs.len() + 1;
        loop {
            match v {
                Value::Null => return Some(out),
                Value::Pair(p) => {
                    out.push(self.car(p));
                    if out.len() > limit {
                        return None;
                    }
                    v = self.cdr(p);
                }
                _ => return None,
            }
        }
    }

    pub fn as_str(&self, v: Value) -> Option<&[char]> {
        match self.object(v) {
            Some(Object::String(s)) => Some(s),
            _ => None,
        }
    }

    pub fn string_value(&self, v: Value) -> Option<String> {
        self.as_str(v).map(|s| s.iter().collect())
    }
}

/// Sets bit `index` of `bits` (growing it as needed); whether it was set already.
fn set_bit(bits: &mut Vec<u64>, index: u32) -> bool {
    let (word, mask) = ((index / 64) as usize, 1u64 << (index % 64));
    if word >= bits.len() {
        bits.resize(word + 1, 0);
    }
    let was = bits[word] & mask != 0;
    bits[word] |= mask;
    was
}

/// Bit `index` of `bits` (clear past its end).
#[inline(always)]
fn bit(bits: &[u64], index: u32) -> bool {
    bits.get((index / 64) as usize).is_some_and(|word| word & (1u64 << (index % 64)) != 0)
}

/// Approximate bytes a symbol named `name` holds: its name (shared by the table and the
/// intern map) plus the table slot, the map entry and the name's header.
pub(crate) fn symbol_size(name: &str) -> usize {
    64 + name.len()
}

/// Approximate size of an object for GC accounting.
pub(crate) fn object_size(o: &Object) -> usize {
    let payload = match o {
        Object::String(s) => s.capacity() * 4,
        Object::Vector(v) if v.spilled() => v.capacity() * 8,
        Object::Bytevector(b) => b.capacity(),
        Object::Bignum(b) => (b.bits() / 8) as usize,
        Object::Rational(r) => ((r.numer().bits() + r.denom().bits()) / 8) as usize,
        Object::Complex(c) => ((c.re().bits() + c.im().bits()) / 8) as usize + 144,
        Object::Closure(c) if c.free.spilled() => c.free.capacity() * 8,
        Object::Code(c) => c.ops.len() * 8 + c.constants.len() * 8 + c.spans.len() * 32,
        Object::CaseLambda(c) | Object::Values(c) => c.len() * 16,
        Object::Record { fields, .. } if fields.spilled() => fields.capacity() * 8,
        Object::Continuation(k) => k.stack.len() * 8 + k.frames.len() * 12,
        Object::HostObject(h) => h.size as usize + 32,
        // In-memory output ports grow after allocation; `with_port` accounts the growth.
        Object::Port(p) => p.buffer_bytes().0,
        _ => 0,
    };
    64 + payload
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_bits_of_freed_slots_do_not_pass_to_new_allocations() {
        let mut heap = Heap::new();
        let kept = heap.cons(Value::Fixnum(1), Value::Null);
        let dead_pair = heap.cons(Value::Fixnum(2), Value::Null);
        let dead_vector = heap.vector([Value::Fixnum(3)]);
        let dead_string = heap.string("four");
        for v in [kept, dead_pair, dead_vector, dead_string] {
            heap.make_constant(v);
            assert!(heap.is_constant(v));
        }
        heap.collect(&[kept], &[], &[]);
        assert!(heap.is_constant(kept), "a live constant stays constant");
        let (Value::Pair(dead_pair), Value::Object(dead_vector), Value::Object(dead_string)) =
            (dead_pair, dead_vector, dead_string)
        else {
            panic!("a pair and two objects")
        };
        let mut reused = [false; 3];
        for _ in 0..4 {
            let pair = heap.cons(Value::Null, Value::Null);
            let object = heap.alloc(Object::Vector(Default::default()));
            assert!(!heap.is_constant(pair) && !heap.is_constant(object));
            assert!(heap.check_mutable("set-car!", pair).is_ok());
            reused[0] |= matches!(pair, Value::Pair(p) if p == dead_pair);
            reused[1] |= matches!(object, Value::Object(o) if o == dead_vector);
            reused[2] |= matches!(object, Value::Object(o) if o == dead_string);
        }
        assert_eq!(reused, [true; 3], "the freed slots were reused");
    }

    #[test]
    fn constants_reach_through_vectors_and_cycles() {
        let mut heap = Heap::new();
        let inner = heap.string("x");
        let vector = heap.vector([inner]);
        let list = heap.list(&[vector, Value::Fixnum(1)]);
        // Make it cyclic: (#("x") 1 #("x") 1 ...).
        if let Value::Pair(first) = list {
            if let Value::Pair(second) = heap.cdr(first) {
                heap.set_cdr(second, list);
            }
        }
        heap.make_constant(list);
        assert!([inner, vector, list].iter().all(|&v| heap.is_constant(v)));
        let message = heap.check_mutable("string-set!", inner).map_err(|e| e.message);
        assert_eq!(message, Err("string-set!: cannot mutate a literal constant: \"x\"".to_string()));
    }
}
