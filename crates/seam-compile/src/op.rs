//! The bytecode: `Op`, the instruction set of Seam's register machine, and `Proto`, one
//! compiled procedure body.
//!
//! Machine model (the VM implements it; the compiler targets it):
//! - A frame owns the registers `r0 .. r(frame_size-1)`, which are the value-stack slots
//!   `[base, base + frame_size)`; the running closure sits at `base - 1`. Parameters are
//!   `r0 ..`, a rest list follows them; `let`-bound variables and temporaries are allocated
//!   above, by the compiler, like Lua's registers.
//! - `Call { func, argc }` expects the callee in `r[func]` and the arguments in
//!   `r[func+1 ..= func+argc]`, all above every live register; the result replaces
//!   `r[func]`. The callee's frame starts at `r[func+1]`. `TailCall` reuses the frame.
//! - Jump targets are absolute instruction indices within the same `Proto`.
//! - `Call`, `TailCall` and backward `Jump`s are the VM's check points (GC, and later fuel,
//!   interrupts and task switches): every loop passes through one.
//! - `Op` is 8 bytes (a size test pins it). Registers are `u16`.

use std::sync::Arc;

use seam_expand::Global;
use seam_syntax::{Datum, Span};

/// A register number within a frame.
pub type Reg = u16;

/// One instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    // -- loads
    /// `r[dst] = constants[index]`.
    Const {
        dst: Reg,
        index: u32,
    },
    /// `r[dst] =` a small exact integer.
    Fixnum {
        dst: Reg,
        value: i32,
    },
    True(Reg),
    False(Reg),
    Null(Reg),
    Unspecified(Reg),
    /// The "not yet initialised" marker (letrec placeholders).
    Undefined(Reg),
    Move {
        dst: Reg,
        src: Reg,
    },
    // -- variables in boxes (assigned variables), closures' free variables, globals
    /// `r[dst] = contents of the box in r[src]` (an error if not yet initialised).
    LoadBox {
        dst: Reg,
        src: Reg,
    },
    /// Store `r[src]` into the box in `r[boxed]`.
    StoreBox {
        boxed: Reg,
        src: Reg,
    },
    /// Replace `r[reg]` with a fresh box holding its value.
    MakeBox(Reg),
    /// `r[dst] =` free variable `index` of the running closure.
    Free {
        dst: Reg,
        index: u16,
    },
    /// `r[dst] =` contents of the box in free variable `index`.
    FreeBox {
        dst: Reg,
        index: u16,
    },
    /// Store `r[src]` into the box in free variable `index`.
    StoreFreeBox {
        index: u16,
        src: Reg,
    },
    /// `r[dst] =` global `slot` (an error if unbound).
    Global {
        dst: Reg,
        slot: u32,
    },
    /// Global `slot = r[src]` (an error if unbound).
    SetGlobal {
        src: Reg,
        slot: u32,
    },
    /// Global `slot = r[src]`, binding it.
    DefineGlobal {
        src: Reg,
        slot: u32,
    },
    // -- control
    Jump(u32),
    /// Jump when `r[src]` is `#f`.
    JumpIfFalse {
        src: Reg,
        target: u32,
    },
    /// Jump unless `r[a] < imm` (fused compare and branch).
    JumpUnlessLtImm {
        a: Reg,
        imm: i16,
        target: u16,
    },
    /// Jump unless `r[a] = imm`.
    JumpUnlessEqImm {
        a: Reg,
        imm: i16,
        target: u16,
    },
    /// Jump unless `r[a] < r[b]`.
    JumpUnlessLt {
        a: Reg,
        b: Reg,
        target: u16,
    },
    /// Jump unless `r[a] = r[b]`.
    JumpUnlessEq {
        a: Reg,
        b: Reg,
        target: u16,
    },
    /// Jump when `r[a] < imm`. This and the other `JumpIf` forms are the back edges of
    /// loops whose body starts with a fused test (loop inversion): the test is repeated at
    /// the bottom, jumping back past the top one while it holds.
    JumpIfLtImm {
        a: Reg,
        imm: i16,
        target: u16,
    },
    /// Jump when `r[a] = imm`.
    JumpIfEqImm {
        a: Reg,
        imm: i16,
        target: u16,
    },
    /// Jump when `r[a] < r[b]`.
    JumpIfLt {
        a: Reg,
        b: Reg,
        target: u16,
    },
    /// Jump when `r[a] = r[b]`.
    JumpIfEq {
        a: Reg,
        b: Reg,
        target: u16,
    },
    /// Jump unless `r[a] > r[b]` (`(> x y)` fused: an error names `>` and the operand as
    /// written, which swapping to `<` would not).
    JumpUnlessGt {
        a: Reg,
        b: Reg,
        target: u16,
    },
    /// Jump when `r[a] > r[b]`.
    JumpIfGt {
        a: Reg,
        b: Reg,
        target: u16,
    },
    /// `r[a] += inc` (as `AddImm`), then jump when `r[a] < r[b]`, else skip the next
    /// instruction. The back edge of a counting loop in one instruction: the compiler
    /// puts it in place of the `AddImm` just before the loop's `JumpIfLt { a, b, .. }`,
    /// which stays (the VM falls back to it when the increment or the comparison is not
    /// on fixnums, and a jump may still land on it).
    IncJumpIfLt {
        a: Reg,
        inc: i8,
        b: Reg,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpIfEq`.
    IncJumpIfEq {
        a: Reg,
        inc: i8,
        b: Reg,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpIfGt`.
    IncJumpIfGt {
        a: Reg,
        inc: i8,
        b: Reg,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpIfLtImm`.
    IncJumpIfLtImm {
        a: Reg,
        inc: i8,
        imm: i16,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpIfEqImm`.
    IncJumpIfEqImm {
        a: Reg,
        inc: i8,
        imm: i16,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpIfGtImm`.
    IncJumpIfGtImm {
        a: Reg,
        inc: i8,
        imm: i16,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpUnlessLt` (jump when `r[a] < r[b]` does not hold).
    IncJumpUnlessLt {
        a: Reg,
        inc: i8,
        b: Reg,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpUnlessEq`.
    IncJumpUnlessEq {
        a: Reg,
        inc: i8,
        b: Reg,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpUnlessGt`.
    IncJumpUnlessGt {
        a: Reg,
        inc: i8,
        b: Reg,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpUnlessLtImm`.
    IncJumpUnlessLtImm {
        a: Reg,
        inc: i8,
        imm: i16,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpUnlessEqImm`.
    IncJumpUnlessEqImm {
        a: Reg,
        inc: i8,
        imm: i16,
        target: u16,
    },
    /// `IncJumpIfLt` for `JumpUnlessGtImm`.
    IncJumpUnlessGtImm {
        a: Reg,
        inc: i8,
        imm: i16,
        target: u16,
    },
    /// Jump unless `r[a] > imm`.
    JumpUnlessGtImm {
        a: Reg,
        imm: i16,
        target: u16,
    },
    /// Jump when `r[a] > imm`.
    JumpIfGtImm {
        a: Reg,
        imm: i16,
        target: u16,
    },
    /// Jump when `r[a]` is the empty list.
    JumpIfNull {
        a: Reg,
        target: u32,
    },
    /// Jump when `r[a]` is a pair.
    JumpIfPair {
        a: Reg,
        target: u32,
    },
    /// Jump unless `r[a]` is zero (`(zero? x)` fused; an error names `zero?`).
    JumpUnlessZero {
        a: Reg,
        target: u32,
    },
    /// Jump when `r[a]` is zero.
    JumpIfZero {
        a: Reg,
        target: u32,
    },
    /// Jump unless `r[a]` is the empty list.
    JumpUnlessNull {
        a: Reg,
        target: u32,
    },
    /// Jump unless `r[a]` is a pair.
    JumpUnlessPair {
        a: Reg,
        target: u32,
    },
    /// `r[dst] =` a closure of `protos[proto]` capturing `r[dst+1 ..]` (as many values as
    /// the proto has free variables, first is free variable 0).
    MakeClosure {
        dst: Reg,
        proto: u32,
    },
    /// `r[dst] =` a `case-lambda` of the `count` closures in `r[first ..]`.
    MakeCaseLambda {
        dst: Reg,
        first: Reg,
        count: u16,
    },
    /// Set free variable `free` of the closure in `r[closure]` to `r[value]` (ties the knot
    /// of mutually recursive `letrec` lambdas).
    FixClosure {
        closure: Reg,
        free: u16,
        value: Reg,
    },
    Call {
        func: Reg,
        argc: u16,
    },
    TailCall {
        func: Reg,
        argc: u16,
    },
    /// `r[first] =` the VM's builtin number `builtin` (a plain function of its arguments,
    /// named by the linker) applied to `r[first .. first + argc]`, without a call frame:
    /// emitted for calls whose operator is a system binding of such a builtin.
    CallBuiltin {
        first: Reg,
        builtin: u16,
        argc: u16,
    },
    Return(Reg),
    // -- inlined primitives (emitted only while the global name still means the builtin)
    Add {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Sub {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Mul {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `r[dst] = r[a] + imm`.
    AddImm {
        dst: Reg,
        a: Reg,
        imm: i16,
    },
    NumEq {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Lt {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Le {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Gt {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Ge {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Car {
        dst: Reg,
        a: Reg,
    },
    Cdr {
        dst: Reg,
        a: Reg,
    },
    Cons {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    IsNull {
        dst: Reg,
        a: Reg,
    },
    IsPair {
        dst: Reg,
        a: Reg,
    },
    Not {
        dst: Reg,
        a: Reg,
    },
    IsEq {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    IsZero {
        dst: Reg,
        a: Reg,
    },
    VectorRef {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `r[dst] = (quotient r[a] r[b])`, `remainder` or `modulo`, as `kind` says.
    Divide {
        kind: Division,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `(vector-set! r[a] r[b] r[c])`.
    VectorSet {
        a: Reg,
        b: Reg,
        c: Reg,
    },
}

/// The integer division an [`Op::Divide`] computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Division {
    Quotient,
    Remainder,
    Modulo,
}

/// The arithmetic/predicate builtins the compiler may inline as a single `Op`, with their
/// argument count. Only references to the system namespace's bindings are inlined: those
/// are immutable to every program (assigning an imported binding is an expansion error, and
/// a program's own `define` of the name makes a global of its own namespace), so an inlined
/// call always means the builtin.
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
    ("quotient", 2),
    ("remainder", 2),
    ("modulo", 2),
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
    /// Registers the frame needs (parameters included).
    pub frame_size: u32,
    /// Number of free variables its closures capture.
    pub free_count: u32,
    pub code: Vec<Op>,
    pub constants: Vec<Constant>,
    /// Nested procedures, referenced by `MakeClosure`.
    pub protos: Vec<Proto>,
    /// Where each run of instructions came from: `(first pc, span)`, sorted by pc.
    pub spans: Vec<(u32, Span)>,
    /// Where the procedure itself was written.
    pub span: Span,
    /// Names of variables by register, for the disassembler and debugger.
    pub local_names: Vec<Arc<str>>,
}

impl Proto {
    /// The span of the instruction at `pc`.
    pub fn span_at(&self, pc: u32) -> &Span {
        span_at(&self.spans, &self.span, pc)
    }

    /// Total number of instructions in this proto and every nested one.
    pub fn total_ops(&self) -> usize {
        self.code.len() + self.protos.iter().map(Proto::total_ops).sum::<usize>()
    }
}

impl Op {
    /// Where this instruction may jump (`None` for one that only falls through, returns
    /// or calls).
    pub fn jump_target(&self) -> Option<u32> {
        match *self {
            Op::Jump(t)
            | Op::JumpIfFalse { target: t, .. }
            | Op::JumpIfNull { target: t, .. }
            | Op::JumpIfPair { target: t, .. }
            | Op::JumpUnlessNull { target: t, .. }
            | Op::JumpUnlessPair { target: t, .. }
            | Op::JumpUnlessZero { target: t, .. }
            | Op::JumpIfZero { target: t, .. } => Some(t),
            Op::JumpUnlessLtImm { target: t, .. }
            | Op::JumpUnlessEqImm { target: t, .. }
            | Op::JumpUnlessLt { target: t, .. }
            | Op::JumpUnlessEq { target: t, .. }
            | Op::JumpIfLtImm { target: t, .. }
            | Op::JumpIfEqImm { target: t, .. }
            | Op::JumpIfLt { target: t, .. }
            | Op::JumpIfEq { target: t, .. }
            | Op::JumpUnlessGt { target: t, .. }
            | Op::JumpIfGt { target: t, .. }
            | Op::JumpUnlessGtImm { target: t, .. }
            | Op::JumpIfGtImm { target: t, .. }
            | Op::IncJumpIfLt { target: t, .. }
            | Op::IncJumpIfEq { target: t, .. }
            | Op::IncJumpIfGt { target: t, .. }
            | Op::IncJumpIfLtImm { target: t, .. }
            | Op::IncJumpIfEqImm { target: t, .. }
            | Op::IncJumpIfGtImm { target: t, .. }
            | Op::IncJumpUnlessLt { target: t, .. }
            | Op::IncJumpUnlessEq { target: t, .. }
            | Op::IncJumpUnlessGt { target: t, .. }
            | Op::IncJumpUnlessLtImm { target: t, .. }
            | Op::IncJumpUnlessEqImm { target: t, .. }
            | Op::IncJumpUnlessGtImm { target: t, .. } => Some(u32::from(t)),
            _ => None,
        }
    }
}

/// What the compiler asks of the runtime it compiles for.
pub trait Linker {
    /// The slot of global variable `global`, creating an unbound slot if needed.
    fn global(&mut self, global: &Global) -> u32;

    /// The number of the builtin that `global` is bound to, when calls to it may be compiled
    /// to [`Op::CallBuiltin`] with `argc` arguments: it must be a system binding (which no
    /// program can change), of a builtin that is a plain function of its arguments and
    /// accepts `argc` of them. `None` by default: every call goes through `Op::Call`.
    fn builtin(&mut self, global: &Global, argc: usize) -> Option<u16> {
        let _ = (global, argc);
        None
    }
}

/// The span of instruction `pc` in a `(first pc, span)` table sorted by pc, or `default`
/// before the first entry.
pub fn span_at<'a>(spans: &'a [(u32, Span)], default: &'a Span, pc: u32) -> &'a Span {
    let i = spans.partition_point(|(start, _)| *start <= pc);
    if i == 0 {
        default
    } else {
        &spans[i - 1].1
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn op_is_eight_bytes() {
        assert_eq!(std::mem::size_of::<super::Op>(), 8);
    }
}
