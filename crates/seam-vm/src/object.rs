//! The heap objects a [`Value::Object`](crate::value::Value) can name, and the compiled code
//! the VM executes.

use std::sync::Arc;

use num_bigint::BigInt;
use num_rational::BigRational;
use seam_compile::Op;
use seam_syntax::Span;

use crate::port::Port;
use crate::value::{Value, Word};

/// The elements of a vector: up to three are stored in the object's own slot, so small
/// vectors cost one slot and no separate allocation.
pub type Words = smallvec::SmallVec<[Word; 3]>;

/// The elements of a sequence object built from a `Vec` (for vectors: in the slot when they
/// fit, else the `Vec`'s own buffer, not a copy).
pub trait FromItems<T> {
    fn from_items(items: Vec<T>) -> Self;
}

impl<T> FromItems<T> for Vec<T> {
    fn from_items(items: Vec<T>) -> Self {
        items
    }
}

impl FromItems<Word> for Words {
    fn from_items(items: Vec<Word>) -> Self {
        if items.len() <= 3 {
            Words::from_slice(&items)
        } else {
            Words::from_vec(items)
        }
    }
}

/// Every kind of heap object other than pairs.
#[derive(Debug)]
pub enum Object {
    /// A mutable string; chars so `string-ref`/`string-set!` are O(1).
    String(Vec<char>),
    Vector(Words),
    Bytevector(Vec<u8>),
    Bignum(BigInt),
    Rational(Box<BigRational>),
    /// A non-real complex number (`1+2i`, `1.0+0.0i`).
    Complex(Box<seam_num::Complex>),
    Closure(Closure),
    Code(Box<Code>),
    /// `case-lambda`: closures tried in order by arity.
    CaseLambda(Box<[Value]>),
    /// A mutable cell holding a captured, assigned variable.
    Box(Word),
    /// A record: its record type (an `Object::RecordType` index) and its fields, up to
    /// three of them in the slot itself. (The fields are the variant's own, not a struct's,
    /// so the type index shares the word of the variant's tag and the slot stays 40 bytes.)
    Record {
        rtd: u32,
        fields: Words,
    },
    RecordType(Box<RecordType>),
    Promise(Promise),
    Parameter(Parameter),
    Continuation(Box<Continuation>),
    /// Zero or several values returned together (`values` with one argument returns it).
    Values(Box<[Value]>),
    Error(Box<ErrorObject>),
    Port(Box<Port>),
    /// A top-level environment for `eval` (an expander frame).
    Environment(seam_expand::Environment),
    /// A form read by `load`, kept as a datum so its spans survive into `eval`.
    Syntax(Box<seam_syntax::Datum>),
    /// A Rust closure callable from Scheme.
    Host(Box<crate::host::HostFunction>),
    /// A Rust value kept opaque (`HostType`s and `Opaque<T>`).
    HostObject(crate::host_object::HostObject),
    /// A Scheme task (`spawn`).
    Task(Box<crate::tasks::TaskHandle>),
    /// A channel between tasks.
    Channel(Box<crate::tasks::Channel>),
}

/// A procedure: its code plus the values (or boxes) of its free variables.
#[derive(Debug)]
pub struct Closure {
    /// The code this closure runs, inside its `Object::Code` (whose index is `Code::index`).
    pub(crate) ptr: CodePtr,
    /// The free variables' values; up to two in the object's slot itself.
    pub(crate) free: smallvec::SmallVec<[Word; 2]>,
}

impl Closure {
    /// The code this closure runs.
    #[inline(always)]
    pub(crate) fn code<'a>(&self) -> &'a Code {
        // SAFETY: `ptr` points into the `Box<Code>` of an `Object::Code`, set when the
        // closure was made (`Vm::load`, `MakeClosure`; nothing outside this crate can make a
        // closure or reach one mutably). The collector marks that code object through every
        // closure it marks (`gc.rs`, `trace`), so while the closure is in the heap its
        // code is too, and a `Box`'s contents never move. Code is immutable.
        unsafe { &*self.ptr.0 }
    }

    /// The `Object::Code` index of the code this closure runs.
    #[inline(always)]
    pub(crate) fn code_index(&self) -> u32 {
        self.code().index
    }
}

/// A loaded [`seam_compile::Proto`]: instructions plus constants turned into values.
#[derive(Debug)]
pub struct Code {
    /// This code's own object index.
    pub(crate) index: u32,
    pub(crate) name: Option<Arc<str>>,
    pub(crate) required: u32,
    pub(crate) rest: bool,
    pub(crate) frame_size: u32,
    /// Number of free variables its closures capture.
    pub(crate) free_count: u32,
    pub(crate) ops: Box<[Op]>,
    pub(crate) constants: Box<[Word]>,
    /// `Object::Code` indices of nested procedures (`MakeClosure` operands index this).
    pub(crate) children: Box<[u32]>,
    pub(crate) spans: Vec<(u32, Span)>,
    pub(crate) span: Span,
    pub(crate) local_names: Vec<Arc<str>>,
    /// Code of the built-in Scheme library: hidden from backtraces and error locations.
    pub(crate) system: bool,
}

impl Code {
    /// The span of the instruction at `pc`.
    pub fn span_at(&self, pc: u32) -> &Span {
        seam_compile::span_at(&self.spans, &self.span, pc)
    }
}

#[derive(Debug)]
pub struct RecordType {
    pub name: Arc<str>,
    pub fields: Vec<Arc<str>>,
}

/// A promise: `done` with its value, or not yet forced with a thunk in `value`.
#[derive(Debug)]
pub struct Promise {
    pub done: bool,
    pub value: Value,
}

#[derive(Debug)]
pub struct Parameter {
    pub value: Value,
    pub converter: Value,
}

/// A pointer to the `Code` inside a heap object's `Box`, cached so returns need no heap
/// lookup. Only the VM that owns the heap dereferences it (see `Regs::code`).
#[derive(Clone, Copy, Debug)]
pub struct CodePtr(pub(crate) *const Code);

// SAFETY: a `CodePtr` points into a `Box<Code>` owned by the heap of the VM that holds the
// frame; the heap moves between threads together with the frames (the whole `Vm` is moved),
// and `Code` is immutable, so sending the pointer with its VM is sound.
unsafe impl Send for CodePtr {}

/// A saved frame: where to continue when the callee returns.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// `Object::Code` index, or [`Frame::HOST`] for the frame that returns to Rust.
    pub(crate) code: u32,
    pub(crate) pc: u32,
    pub(crate) base: u32,
    /// The code itself (null for the host frame).
    pub(crate) ptr: CodePtr,
}

impl Frame {
    pub(crate) const HOST: u32 = u32::MAX;
}

/// A first-class continuation: copies of the value stack and frame stack.
#[derive(Debug)]
pub struct Continuation {
    pub(crate) stack: Vec<Word>,
    pub(crate) frames: Vec<Frame>,
}

/// The condition objects raised by `error` and by the runtime's own errors.
#[derive(Debug)]
pub struct ErrorObject {
    /// What went wrong, as a symbol-like tag (`error`, `type`, `arity`, `unbound`, `read`,
    /// `file`, ...).
    pub kind: Arc<str>,
    /// A Scheme string.
    pub message: Value,
    /// A Scheme list.
    pub irritants: Value,
    /// The Rust error behind a host function's failure.
    pub source: Option<crate::host::HostSource>,
}

#[cfg(test)]
mod tests {
    /// Every heap object takes one `Object` slot, so the large rare kinds (error objects,
    /// rationals, record types) are boxed to keep the slot small.
    #[test]
    fn an_object_slot_is_at_most_40_bytes() {
        assert!(
            std::mem::size_of::<Option<super::Object>>() <= 40,
            "{}",
            std::mem::size_of::<super::Object>()
        );
    }
}
