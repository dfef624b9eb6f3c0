//! The bytecode: `Op`, the instruction set of Seam's stack machine, and `Proto`, one compiled
//! procedure body.
//!
//! Machine model (the VM implements it; the compiler targets it):
//! - A frame owns the stack slots `[base, base + frame_size)` for its parameters and
//!   `let`-bound locals; the callee (closure) sits at `base - 1`; temporaries are pushed above
//!   the locals.
//! - `Call(n)` expects the callee and then `n` arguments on top of the stack; it replaces them
//!   with the result when the callee returns. `TailCall(n)` reuses the current frame.
//! - Jump targets are absolute instruction indices within the same `Proto`.
//! - `Call`, `TailCall` and backward `Jump`s are the VM's check points (GC, and later fuel,
//!   interrupts and task switches): every loop passes through one.
//! - `Op` is 8 bytes (a size test pins it); operands are indices into the proto's tables or
//!   frame slots.

use std::sync::Arc;

use seam_syntax::{Datum, Span};

/// One instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    // -- constants
    /// Push `constants[i]`.
    Const(u32),
    /// Push a small exact integer.
    Fixnum(i32),
    True,
    False,
    Null,
    Unspecified,
    /// Push the "not yet initialised" marker (letrec placeholders).
    Undefined,
    // -- variables
    /// Push local slot `i` of the current frame.
    Local(u32),
    /// Pop into local slot `i`.
    SetLocal(u32),
    /// Push the contents of the box in local slot `i`.
    LocalBox(u32),
    /// Pop into the box held in local slot `i`.
    SetLocalBox(u32),
    /// Replace local slot `i` with a fresh box holding its current value.
    BoxLocal(u32),
    /// Push free variable `i` of the running closure.
    Free(u32),
    /// Push the contents of the box in free variable `i`.
    FreeBox(u32),
    /// Pop into the box in free variable `i`.
    SetFreeBox(u32),
    /// Push the running closure itself.
    SelfRef,
    /// Push global `i` (an error if it is unbound).
    Global(u32),
    /// Pop into global `i` (an error if it is unbound).
    SetGlobal(u32),
    /// Pop into global `i`, binding it.
    DefineGlobal(u32),
    // -- stack and control
    Pop,
    Jump(u32),
    /// Pop; jump when the value is `#f`.
    JumpIfFalse(u32),
    /// Pop `free` values and make a closure of `protos[proto]` capturing them (first pushed
    /// is free variable 0).
    MakeClosure {
        proto: u32,
        free: u16,
    },
    /// Pop `n` closures and make a `case-lambda` dispatching on argument count.
    MakeCaseLambda(u32),
    /// Set free variable `free` of the closure in local `closure` to the value of local
    /// `value` (ties the knot of mutually recursive `letrec` lambdas).
    FixClosure {
        closure: u16,
        free: u16,
        value: u16,
    },
    Call(u32),
    TailCall(u32),
    Return,
    // -- inlined primitives (emitted only while the global name still means the builtin)
    Add,
    Sub,
    Mul,
    /// Push `pop() + k`.
    AddImm(i32),
    NumEq,
    Lt,
    Le,
    Gt,
    Ge,
    /// Compare the popped value with an immediate: `(< x k)` and friends.
    LtImm(i32),
    NumEqImm(i32),
    /// Push `local[slot] + imm` (fused `Local` + `AddImm`).
    LocalAddImm {
        slot: u16,
        imm: i32,
    },
    /// Jump to `target` unless `local[slot] < imm` (fused compare and branch).
    JumpUnlessLocalLtImm {
        slot: u8,
        target: u16,
        imm: i32,
    },
    /// Jump to `target` unless `local[slot] = imm`.
    JumpUnlessLocalEqImm {
        slot: u8,
        target: u16,
        imm: i32,
    },
    Car,
    Cdr,
    Cons,
    IsNull,
    IsPair,
    Not,
    IsEq,
    VectorRef,
    VectorSet,
    IsZero,
}

/// The arithmetic/predicate builtins the compiler may inline as a single `Op`, with their
/// argument count. The engine must tell the compiler (via [`Linker::is_redefined`]) once the
/// program redefines one of these names globally.
pub const INLINED: &[(&str, usize)] = &[
    ("+", 2),
    ("-", 2),
    ("*", 2),
    ("=", 2),
    ("<", 2),
    ("<=", 2),
    (">", 2),
    (">=", 2),
    ("car", 1),
    ("cdr", 1),
    ("cons", 2),
    ("null?", 1),
    ("pair?", 1),
    ("not", 1),
    ("eq?", 2),
    ("vector-ref", 2),
    ("vector-set!", 3),
    ("zero?", 1),
];

/// A literal the VM turns into a value when it loads the proto.
#[derive(Clone, Debug)]
pub enum Constant {
    Datum(Datum),
    /// An interned symbol (used for names passed to the runtime).
    Symbol(Arc<str>),
}

/// One compiled procedure (or top-level form): code plus the tables it refers to.
#[derive(Clone, Debug)]
pub struct Proto {
    /// The name it was defined under, when known.
    pub name: Option<Arc<str>>,
    /// Number of required parameters.
    pub required: u32,
    /// Whether extra arguments are collected into a list in slot `required`.
    pub rest: bool,
    /// Local slots the frame needs (parameters included).
    pub frame_size: u32,
    pub code: Vec<Op>,
    pub constants: Vec<Constant>,
    /// Nested procedures, referenced by `MakeClosure`.
    pub protos: Vec<Proto>,
    /// Where each run of instructions came from: `(first pc, span)`, sorted by pc.
    pub spans: Vec<(u32, Span)>,
    /// Where the procedure itself was written.
    pub span: Span,
    /// Names of locals by slot, for the disassembler and debugger.
    pub local_names: Vec<Arc<str>>,
}

impl Proto {
    /// The span of the instruction at `pc`.
    pub fn span_at(&self, pc: u32) -> &Span {
        let i = self.spans.partition_point(|(start, _)| *start <= pc);
        if i == 0 {
            &self.span
        } else {
            &self.spans[i - 1].1
        }
    }

    /// Total number of instructions in this proto and every nested one.
    pub fn total_ops(&self) -> usize {
        self.code.len() + self.protos.iter().map(Proto::total_ops).sum::<usize>()
    }
}

/// What the compiler asks of the runtime it compiles for.
pub trait Linker {
    /// The slot of the global variable `name`, creating an unbound slot if needed.
    fn global(&mut self, name: &str) -> u32;
    /// Whether the program has redefined `name` (so a builtin must not be inlined).
    fn is_redefined(&self, name: &str) -> bool;
}

#[cfg(test)]
mod tests {
    #[test]
    fn op_is_eight_bytes() {
        assert_eq!(std::mem::size_of::<super::Op>(), 8);
    }
}
