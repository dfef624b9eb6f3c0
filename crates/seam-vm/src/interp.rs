//! The interpreter loop over the register machine of `seam_compile::Op`. Scheme frames live in
//! `Vm::frames` and `Vm::stack` (heap memory), so the Rust stack does not grow with Scheme
//! calls: deep recursion, first-class continuations and (later) suspending a task are all
//! just data. `Call`, `TailCall` and backward `Jump`s are the check points where the
//! collector may run and limits are enforced (`limits.rs`). Fast paths (closure calls with
//! exact arity, fixnum arithmetic) are inline here; everything else is in `call.rs`.

use seam_compile::{Division, Op};

use crate::builtins::{Kind, BUILTINS};
use crate::error::{Condition, SchemeError};
use crate::host::HostOutcome;
use crate::num::{self, Cmp};
use crate::object::{Closure, Code, CodePtr, Frame, Object};
use crate::value::{decoded, Value, Word};
use crate::vm::Vm;

/// The running frame's registers.
#[derive(Clone, Copy)]
pub(crate) struct Regs {
    pub code_index: u32,
    pub code: *const Code,
    pub pc: u32,
    pub base: u32,
}

/// What an out-of-line step asks the loop to do next.
pub(crate) enum Flow {
    Continue,
    /// The host frame was reached: the run returns this value.
    Done(Value),
}

impl Regs {
    #[inline(always)]
    pub(crate) fn code<'a>(&self) -> &'a Code {
        // SAFETY: `code` points into the `Box<Code>` of the live object `code_index`. The
        // object is reachable while this frame runs (the running closure sits in the stack
        // slot below `base`, and saved frames are GC roots), objects are only freed by the
        // collector when unreachable, and a `Box`'s contents never move. Code is immutable.
        unsafe { &*self.code }
    }
}

impl Vm {
    #[inline(always)]
    pub(crate) fn run(&mut self, regs: Regs) -> Result<Value, SchemeError> {
        let mut code_index = regs.code_index;
        let mut code: &Code = regs.code();
        // The running code's instructions (`code.ops`), kept apart so the loop need not
        // reload them through `code`.
        let mut ops: *const Op = code.ops.as_ptr();
        let mut pc = regs.pc;
        let mut base = regs.base as usize;
        // The address of the running frame's register 0 (see `reg!`).
        let mut frame: *mut Word;
        // Points `frame` at the running frame's register 0: after every change of frame
        // (`load!`) and every change of the stack's length that may move its buffer.
        macro_rules! refresh {
            () => {
                // SAFETY: `base` is at most the stack's length (see `reg!`).
                frame = unsafe { self.stack.as_mut_ptr().add(base) };
            };
        }
        macro_rules! save {
            () => {
                Regs { code_index, code, pc, base: base as u32 }
            };
        }
        macro_rules! load {
            ($regs:expr) => {{
                let r: Regs = $regs;
                code_index = r.code_index;
                code = r.code();
                ops = code.ops.as_ptr();
                pc = r.pc;
                base = r.base as usize;
                refresh!();
            }};
        }
        // Raises a condition from the running instruction.
        macro_rules! fail {
            ($cond:expr) => {{
                let cond = $cond;
                let mut r = save!();
                let flow = self.signal(&mut r, cond)?;
                load!(r);
                match flow {
                    Flow::Continue => continue,
                    Flow::Done(v) => return Ok(v),
                }
            }};
        }
        // Runs an out-of-line step that may switch frames.
        macro_rules! step {
            (|$r:ident| $call:expr) => {{
                let mut $r = save!();
                let flow = $call;
                load!($r);
                if let Flow::Done(v) = flow {
                    return Ok(v);
                }
            }};
        }
        // The check point of calls and backward jumps (`limits.rs`): a tripped limit ends
        // the run here, past every Scheme handler.
        macro_rules! limit_check {
            () => {
                if let Err(limit) = self.check_point() {
                    return Err(self.limit_error(save!(), limit));
                }
            };
        }
        // A jump, with the check point of a backward jump.
        macro_rules! jump {
            ($target:expr) => {{
                let target: u32 = $target;
                if target < pc {
                    limit_check!();
                }
                pc = target;
            }};
        }
        // Register access without bounds checks, through `frame`, the address of register 0.
        // SAFETY: the verifier (verify.rs) proved every register operand of this code below
        // `frame_size`, and a running frame's stack is exactly `base + frame_size` long
        // (established by every path that enters or resumes a frame: the call fast paths,
        // `Return`, `enter_closure`, `fit`). Only calls and returns change the stack's length
        // or move its buffer; each of their paths ends in `load!` or `refresh!`, which point
        // `frame` at the stack as it is then. The debug assertion checks both in tests.
        macro_rules! reg {
            ($r:expr) => {
                *{
                    let r = $r as usize;
                    debug_assert!(
                        base + r < self.stack.len()
                            && self.stack.len() == base + code.frame_size as usize
                            && std::ptr::eq(frame, self.stack.as_ptr().wrapping_add(base))
                    );
                    unsafe { &mut *frame.add(r) }
                }
            };
        }
        // A register's value (decoded from its word).
        macro_rules! get {
            ($r:expr) => {{
                let w: Word = reg!($r);
                w.get()
            }};
        }
        // Stores a value in a register (a fixnum too wide for a word becomes a bignum).
        macro_rules! set {
            ($r:expr, $v:expr) => {{
                let v: Value = $v;
                let w = self.heap.word(v);
                reg!($r) = w;
            }};
        }
        // An arithmetic or comparison result that may have failed.
        macro_rules! ok {
            ($result:expr) => {
                match $result {
                    Ok(v) => v,
                    Err(c) => fail!(c),
                }
            };
        }
        // `+`, `-`, `*` of two registers: fixnums whose result fits a word and flonums
        // inline, everything else through the numeric tower.
        macro_rules! arith {
            ($dst:expr, $a:expr, $b:expr, $checked:ident, $y:ident, $float:tt, $slow:path, $name:expr) => {{
                let (x, y) = (reg!($a), reg!($b));
                if x.both_fixnums(y) {
                    if let Some(s) = x.fixnum_shifted().$checked(y.$y()) {
                        reg!($dst) = Word::from_shifted(s);
                        continue;
                    }
                } else if let (Some(f), Some(g)) = (x.flonum_value(), y.flonum_value()) {
                    reg!($dst) = Word::flonum(f $float g);
                    continue;
                }
                set!($dst, ok!($slow(&mut self.heap, x.get(), y.get(), $name)));
            }};
        }
        // A compare-and-branch of two registers: jumps when the comparison `$cmp` is `$when`.
        macro_rules! branch {
            ($a:expr, $b:expr, $target:expr, $cmp:expr, $when:expr) => {{
                let (x, y) = (reg!($a), reg!($b));
                let holds = if x.both_fixnums(y) {
                    $cmp.holds(x.fixnum_shifted(), y.fixnum_shifted())
                } else {
                    ok!(num::compare_op(&self.heap, $cmp, x.get(), y.get()))
                };
                if holds == $when {
                    jump!($target as u32);
                }
            }};
        }
        // A compare-and-branch of a register with a small integer.
        macro_rules! branch_imm {
            ($a:expr, $imm:expr, $target:expr, $cmp:expr, $when:expr) => {{
                let x = reg!($a);
                let k = $imm as i64;
                let holds = if x.is_fixnum() {
                    $cmp.holds(x.fixnum_shifted(), k << 13)
                } else {
                    ok!(num::compare_op(&self.heap, $cmp, x.get(), Value::Fixnum(k)))
                };
                if holds == $when {
                    jump!($target as u32);
                }
            }};
        }
        // `IncJumpIf...`/`IncJumpUnless...`: `r[a] += inc`, then on fixnums jump when
        // `r[a] cmp y` is `$when` and skip the following test when it is not; otherwise
        // (the increment or `y` not a fixnum) the following test, the plain one, decides.
        macro_rules! inc_branch {
            ($a:expr, $inc:expr, $y:expr, $target:expr, $cmp:expr, $when:expr) => {{
                let x = reg!($a);
                let k = i64::from($inc);
                if x.is_fixnum() {
                    if let Some(s) = x.fixnum_shifted().checked_add(k << 13) {
                        reg!($a) = Word::from_shifted(s);
                        let y: Word = $y;
                        if y.is_fixnum() {
                            if $cmp.holds(s, y.fixnum_shifted()) == $when {
                                jump!($target as u32);
                            } else {
                                pc += 1;
                            }
                        }
                        continue;
                    }
                }
                self.increment_slot(base + $a as usize, k);
            }};
        }
        refresh!();
        loop {
            debug_assert!((pc as usize) < code.ops.len() && std::ptr::eq(ops, code.ops.as_ptr()));
            // SAFETY: `ops` is `code.ops` (set with `code`, only by `load!`). `pc` starts at 0
            // of a non-empty verified code; jumps go to verified targets; the last
            // instruction never falls through; and a frame resumes after a `Call`, which is
            // never the last instruction. So `pc` is always in bounds.
            let op = unsafe { *ops.add(pc as usize) };
            pc += 1;
            match op {
                // SAFETY: the verifier checked `index` against the constant table.
                Op::Const { dst, index } => {
                    reg!(dst) = unsafe { *code.constants.get_unchecked(index as usize) }
                }
                Op::Fixnum { dst, value } => reg!(dst) = Word::small_fixnum(value),
                Op::True(dst) => reg!(dst) = Word::TRUE,
                Op::False(dst) => reg!(dst) = Word::FALSE,
                Op::Null(dst) => reg!(dst) = Word::NULL,
                Op::Unspecified(dst) => reg!(dst) = Word::UNSPECIFIED,
                Op::Undefined(dst) => reg!(dst) = Word::UNDEFINED,
                Op::Move { dst, src } => reg!(dst) = reg!(src),
                Op::LoadBox { dst, src } => {
                    let v = self.unbox(reg!(src));
                    if v == Word::UNDEFINED {
                        let name = code.local_names.get(src as usize).cloned().unwrap_or_default();
                        fail!(Condition::new(
                            "unbound",
                            format!("{name}: variable used before its definition")
                        ))
                    }
                    reg!(dst) = v;
                }
                Op::StoreBox { boxed, src } => {
                    let (b, v) = (reg!(boxed), reg!(src));
                    self.set_box(b, v);
                }
                Op::MakeBox(r) => {
                    let b = self.heap.alloc(Object::Box(reg!(r)));
                    set!(r, b);
                }
                Op::Free { dst, index } => reg!(dst) = self.free_var(base as u32, index as u32),
                Op::FreeBox { dst, index } => {
                    let v = self.unbox(self.free_var(base as u32, index as u32));
                    if v == Word::UNDEFINED {
                        fail!(Condition::new("unbound", "variable used before its definition"))
                    }
                    reg!(dst) = v;
                }
                Op::StoreFreeBox { index, src } => {
                    let b = self.free_var(base as u32, index as u32);
                    let v = reg!(src);
                    self.set_box(b, v);
                }
                Op::Global { dst, slot } => {
                    let w = self.globals[slot as usize];
                    if w == Word::UNDEFINED {
                        fail!(Condition::new(
                            "unbound",
                            format!("unbound variable: {}", self.global_name(slot))
                        ))
                    }
                    reg!(dst) = w;
                }
                Op::SetGlobal { src, slot } => {
                    if self.globals[slot as usize] == Word::UNDEFINED {
                        fail!(Condition::new(
                            "unbound",
                            format!("set!: unbound variable: {}", self.global_name(slot))
                        ))
                    }
                    self.globals[slot as usize] = reg!(src);
                }
                Op::DefineGlobal { src, slot } => {
                    self.globals[slot as usize] = reg!(src);
                }
                Op::Jump(target) => jump!(target),
                Op::JumpIfFalse { src, target } => {
                    if !reg!(src).is_true() {
                        pc = target;
                    }
                }
                Op::JumpUnlessLtImm { a, imm, target } => branch_imm!(a, imm, target, Cmp::Lt, false),
                Op::JumpUnlessEqImm { a, imm, target } => branch_imm!(a, imm, target, Cmp::Eq, false),
                Op::JumpIfLtImm { a, imm, target } => branch_imm!(a, imm, target, Cmp::Lt, true),
                Op::JumpIfEqImm { a, imm, target } => branch_imm!(a, imm, target, Cmp::Eq, true),
                Op::JumpUnlessGtImm { a, imm, target } => branch_imm!(a, imm, target, Cmp::Gt, false),
                Op::JumpIfGtImm { a, imm, target } => branch_imm!(a, imm, target, Cmp::Gt, true),
                Op::JumpUnlessLt { a, b, target } => branch!(a, b, target, Cmp::Lt, false),
                Op::JumpUnlessEq { a, b, target } => branch!(a, b, target, Cmp::Eq, false),
                Op::JumpIfLt { a, b, target } => branch!(a, b, target, Cmp::Lt, true),
                Op::JumpUnlessGt { a, b, target } => branch!(a, b, target, Cmp::Gt, false),
                Op::JumpIfGt { a, b, target } => branch!(a, b, target, Cmp::Gt, true),
                Op::JumpIfEq { a, b, target } => branch!(a, b, target, Cmp::Eq, true),
                Op::JumpUnlessNull { a, target } => {
                    if !reg!(a).is_null() {
                        jump!(target);
                    }
                }
                Op::JumpIfNull { a, target } => {
                    if reg!(a).is_null() {
                        jump!(target);
                    }
                }
                Op::JumpUnlessPair { a, target } => {
                    if !reg!(a).is_pair() {
                        jump!(target);
                    }
                }
                Op::JumpIfPair { a, target } => {
                    if reg!(a).is_pair() {
                        jump!(target);
                    }
                }
                Op::MakeClosure { dst, proto } => {
                    let child = code.children[proto as usize];
                    let child_code: *const Code = self.heap.code(child);
                    let count = self.heap.code(child).free_count as usize;
                    let first = base + dst as usize + 1;
                    let free = smallvec::SmallVec::from_slice(&self.stack[first..first + count]);
                    let closure =
                        self.heap.alloc(Object::Closure(Closure { ptr: CodePtr(child_code), free }));
                    set!(dst, closure);
                }
                Op::MakeCaseLambda { dst, first, count } => {
                    let at = base + first as usize;
                    let clauses: Box<[Value]> =
                        self.stack[at..at + count as usize].iter().map(|w| w.get()).collect();
                    let lambda = self.heap.alloc(Object::CaseLambda(clauses));
                    set!(dst, lambda);
                }
                Op::FixClosure { closure, free, value } => {
                    let (c, v) = (get!(closure), reg!(value));
                    if let Some(Object::Closure(c)) = self.heap.object_mut(c) {
                        c.free[free as usize] = v;
                    }
                }
                Op::Call { func, argc } => {
                    limit_check!();
                    let fi = base + func as usize;
                    let argc = argc as usize;
                    if let Some((target, callee)) = self.exact_closure(self.stack[fi], argc) {
                        self.frames.push(Frame {
                            code: code_index,
                            pc,
                            base: base as u32,
                            ptr: CodePtr(code),
                        });
                        let new_base = fi + 1;
                        // Registers above the arguments may hold stale values: the compiler never
                        // reads a register before writing it.
                        self.set_stack_len(new_base + callee.frame_size as usize);
                        load!(Regs { code_index: target, code: callee, pc: 0, base: new_base as u32 });
                        continue;
                    }
                    self.stack.truncate(fi + argc + 1);
                    // A host function that runs synchronously (a Rust closure, a C function
                    // of the FFI) is called here; its value goes straight into the callee's
                    // register unless something else has to happen (an error, a
                    // continuation escaping through it).
                    let direct = match self.stack[fi].object_index() {
                        Some(o) => self.call_host_sync(o, fi, argc),
                        None => None,
                    };
                    match direct {
                        Some(HostOutcome::Value(v)) if self.pending_escape.is_none() => {
                            // As `deliver` does: the value replaces the callee, the registers
                            // above it (the arguments) read as unspecified. The arguments end
                            // inside the frame, so that is overwriting them in place.
                            let top = base + code.frame_size as usize;
                            if self.stack.len() == fi + argc + 1 && fi + argc < top {
                                self.set_slot(fi, v);
                                self.stack[fi + 1..].fill(Word::UNSPECIFIED);
                                self.set_stack_len(top);
                            } else {
                                self.stack.truncate(fi);
                                self.push(v);
                                self.set_stack_len(top);
                            }
                            refresh!();
                        }
                        Some(outcome) => step!(|r| self.host_returned(&mut r, fi, false, outcome)?),
                        None => step!(|r| self.apply(&mut r, fi, argc, false)?),
                    }
                }
                Op::TailCall { func, argc } => {
                    limit_check!();
                    let fi = base + func as usize;
                    let argc = argc as usize;
                    if let Some((target, callee)) = self.exact_closure(self.stack[fi], argc) {
                        // Replace the running frame: move callee and arguments down.
                        let dst = base - 1;
                        for i in 0..=argc {
                            self.stack[dst + i] = self.stack[fi + i];
                        }
                        self.set_stack_len(base + callee.frame_size as usize);
                        load!(Regs { code_index: target, code: callee, pc: 0, base: base as u32 });
                        continue;
                    }
                    self.stack.truncate(fi + argc + 1);
                    step!(|r| self.apply(&mut r, fi, argc, true)?);
                }
                Op::Return(src) => {
                    let result = reg!(src);
                    match self.frames.pop() {
                        Some(frame) if frame.code != Frame::HOST => {
                            // The result replaces the callee in the caller's registers.
                            self.stack[base - 1] = result;
                            let caller = Regs {
                                code_index: frame.code,
                                code: frame.ptr.0,
                                pc: frame.pc,
                                base: frame.base,
                            };
                            self.set_stack_len(frame.base as usize + caller.code().frame_size as usize);
                            load!(caller);
                        }
                        _ => {
                            self.stack.truncate(base - 1);
                            return Ok(result.get());
                        }
                    }
                }
                Op::CallBuiltin { first, builtin, argc } => {
                    limit_check!();
                    // The builtin's fast path on words first, inline (see `WordFn`).
                    // SAFETY: the verifier checked `builtin` against `BUILTINS`.
                    let b = unsafe { BUILTINS.get_unchecked(usize::from(builtin)) };
                    if let Some(fast) = b.words {
                        // SAFETY: the verifier checked the argument registers `first ..
                        // first + argc` against the frame (see `reg!`); the fast path
                        // reaches the heap, never the stack.
                        let args = unsafe {
                            std::slice::from_raw_parts(frame.add(first as usize), usize::from(argc))
                        };
                        if let Some(w) = fast(&mut self.heap, args) {
                            reg!(first) = w;
                            continue;
                        }
                    }
                    reg!(first) = ok!(self.call_builtin(base + first as usize, builtin, argc));
                }
                Op::Add { dst, a, b } => arith!(dst, a, b, checked_add, fixnum_shifted, +, num::add, "+"),
                Op::Sub { dst, a, b } => arith!(dst, a, b, checked_sub, fixnum_shifted, -, num::sub, "-"),
                Op::Mul { dst, a, b } => arith!(dst, a, b, checked_mul, fixnum_bits, *, num::mul, "*"),
                Op::AddImm { dst, a, imm } => {
                    let x = reg!(a);
                    let k = imm as i64;
                    if x.is_fixnum() {
                        if let Some(s) = x.fixnum_shifted().checked_add(k << 13) {
                            reg!(dst) = Word::from_shifted(s);
                            continue;
                        }
                    }
                    set!(dst, ok!(self.add_immediate(x, k)));
                }
                Op::IncJumpIfLt { a, inc, b, target } => inc_branch!(a, inc, reg!(b), target, Cmp::Lt, true),
                Op::IncJumpIfEq { a, inc, b, target } => inc_branch!(a, inc, reg!(b), target, Cmp::Eq, true),
                Op::IncJumpIfGt { a, inc, b, target } => inc_branch!(a, inc, reg!(b), target, Cmp::Gt, true),
                Op::IncJumpUnlessLt { a, inc, b, target } => {
                    inc_branch!(a, inc, reg!(b), target, Cmp::Lt, false)
                }
                Op::IncJumpUnlessEq { a, inc, b, target } => {
                    inc_branch!(a, inc, reg!(b), target, Cmp::Eq, false)
                }
                Op::IncJumpUnlessGt { a, inc, b, target } => {
                    inc_branch!(a, inc, reg!(b), target, Cmp::Gt, false)
                }
                Op::IncJumpUnlessLtImm { a, inc, imm, target } => {
                    inc_branch!(a, inc, Word::small_fixnum(imm.into()), target, Cmp::Lt, false)
                }
                Op::IncJumpUnlessEqImm { a, inc, imm, target } => {
                    inc_branch!(a, inc, Word::small_fixnum(imm.into()), target, Cmp::Eq, false)
                }
                Op::IncJumpUnlessGtImm { a, inc, imm, target } => {
                    inc_branch!(a, inc, Word::small_fixnum(imm.into()), target, Cmp::Gt, false)
                }
                Op::IncJumpIfLtImm { a, inc, imm, target } => {
                    inc_branch!(a, inc, Word::small_fixnum(imm.into()), target, Cmp::Lt, true)
                }
                Op::IncJumpIfEqImm { a, inc, imm, target } => {
                    inc_branch!(a, inc, Word::small_fixnum(imm.into()), target, Cmp::Eq, true)
                }
                Op::IncJumpIfGtImm { a, inc, imm, target } => {
                    inc_branch!(a, inc, Word::small_fixnum(imm.into()), target, Cmp::Gt, true)
                }
                Op::NumEq { dst, a, b }
                | Op::Lt { dst, a, b }
                | Op::Le { dst, a, b }
                | Op::Gt { dst, a, b }
                | Op::Ge { dst, a, b } => {
                    let cmp = match op {
                        Op::NumEq { .. } => Cmp::Eq,
                        Op::Lt { .. } => Cmp::Lt,
                        Op::Le { .. } => Cmp::Le,
                        Op::Gt { .. } => Cmp::Gt,
                        _ => Cmp::Ge,
                    };
                    let (x, y) = (reg!(a), reg!(b));
                    let r = if x.both_fixnums(y) {
                        cmp.holds(x.fixnum_shifted(), y.fixnum_shifted())
                    } else {
                        ok!(num::compare_op(&self.heap, cmp, x.get(), y.get()))
                    };
                    reg!(dst) = Word::bool(r);
                }
                Op::IsZero { dst, a } => {
                    let x = reg!(a);
                    let r = if x.is_fixnum() { x.fixnum_bits() == 0 } else { ok!(self.is_zero(x)) };
                    reg!(dst) = Word::bool(r);
                }
                Op::JumpUnlessZero { a, target } => {
                    let x = reg!(a);
                    if x != Word::small_fixnum(0) && (x.is_fixnum() || !ok!(self.is_zero(x))) {
                        jump!(target);
                    }
                }
                Op::JumpIfZero { a, target } => {
                    let x = reg!(a);
                    if x == Word::small_fixnum(0) || (!x.is_fixnum() && ok!(self.is_zero(x))) {
                        jump!(target);
                    }
                }
                Op::Car { dst, a } => match reg!(a).pair_index() {
                    Some(p) => reg!(dst) = self.heap.car_word(p),
                    None => fail!(Condition::wrong_type(&self.heap, "car", 1, "pair", get!(a))),
                },
                Op::Cdr { dst, a } => match reg!(a).pair_index() {
                    Some(p) => reg!(dst) = self.heap.cdr_word(p),
                    None => fail!(Condition::wrong_type(&self.heap, "cdr", 1, "pair", get!(a))),
                },
                Op::Cons { dst, a, b } => {
                    let (x, y) = (reg!(a), reg!(b));
                    reg!(dst) = self.heap.cons_words(x, y);
                }
                Op::IsNull { dst, a } => reg!(dst) = Word::bool(reg!(a).is_null()),
                Op::IsPair { dst, a } => reg!(dst) = Word::bool(reg!(a).is_pair()),
                Op::Not { dst, a } => reg!(dst) = Word::bool(!reg!(a).is_true()),
                // Equal words are the same immediate or the same heap object.
                Op::IsEq { dst, a, b } => {
                    let (x, y) = (reg!(a), reg!(b));
                    reg!(dst) = Word::bool(x == y);
                }
                Op::VectorRef { dst, a, b } => {
                    let (v, k) = (reg!(a), reg!(b));
                    match self.heap.vector_word(v, k) {
                        Some(x) => reg!(dst) = x,
                        None => set!(dst, ok!(crate::builtins::vector_ref(&self.heap, v.get(), k.get()))),
                    }
                }
                Op::Divide { kind, dst, a, b } => {
                    let (x, y) = (reg!(a), reg!(b));
                    // Positive divisors, where every division is a machine division (and
                    // its result no wider than the dividend).
                    if x.both_fixnums(y) && y.fixnum_bits() > 0 {
                        let (m, n) = (x.fixnum_bits(), y.fixnum_bits());
                        let r = match kind {
                            Division::Quotient => m / n,
                            Division::Remainder => m % n,
                            Division::Modulo => m.rem_euclid(n),
                        };
                        if let Some(w) = Word::fixnum(r) {
                            reg!(dst) = w;
                            continue;
                        }
                    }
                    set!(dst, ok!(self.divide(kind, x.get(), y.get())));
                }
                Op::VectorSet { a, b, c } => {
                    let (v, k, x) = (reg!(a), reg!(b), reg!(c));
                    if !self.heap.set_vector_word(v, k, x) {
                        ok!(crate::builtins::vector_set(&mut self.heap, v.get(), k.get(), x.get()));
                    }
                }
            }
        }
    }

    /// The code of `f` if it is a closure taking exactly `argc` arguments (the calls' fast
    /// path), detached from the heap borrow (see `Regs::code`).
    #[inline(always)]
    fn exact_closure<'a>(&self, f: Word, argc: usize) -> Option<(u32, &'a Code)> {
        let o = f.object_index()?;
        let Object::Closure(c) = self.heap.get(o) else { return None };
        let callee = c.code();
        (callee.required as usize == argc && !callee.rest).then_some((callee.index, callee))
    }
}

impl Vm {
    /// [`Vm::run`] as a function of its own, for the rarer ways into the interpreter
    /// (resuming after a host call or an error): `run` itself is inlined into `Vm::call`,
    /// where the loop compiles best.
    #[inline(never)]
    pub(crate) fn run_resumed(&mut self, regs: Regs) -> Result<Value, SchemeError> {
        self.run(regs)
    }

    /// The increment of a fused `IncJumpIf...` past its fast path. The register held a
    /// number the loop's test accepted; were it anything else, it is left as it is and the
    /// plain test after the fused instruction reports it.
    #[cold]
    #[inline(never)]
    fn increment_slot(&mut self, slot: usize, k: i64) {
        if let Ok(v) = self.add_immediate(self.stack[slot], k) {
            self.set_slot(slot, v);
        }
    }

    /// `zero?` past its fixnum fast path.
    #[inline(never)]
    fn is_zero(&self, x: Word) -> Result<bool, Condition> {
        let x = x.get();
        num::compare_op(&self.heap, Cmp::Eq, x, Value::Fixnum(0))
            .map_err(|_| Condition::wrong_type(&self.heap, "zero?", 1, "number", x))
    }

    /// `r + k` past `AddImm`'s fast path (a flonum, a bignum, overflow, a wrong type).
    #[inline(never)]
    fn add_immediate(&mut self, x: Word, k: i64) -> Result<Value, Condition> {
        if k < 0 {
            num::sub(&mut self.heap, x.get(), Value::Fixnum(-k), "-")
        } else {
            num::add(&mut self.heap, x.get(), Value::Fixnum(k), "+")
        }
    }

    /// `Op::Divide` past its fast path: the builtin, out of line.
    #[inline(never)]
    fn divide(&mut self, kind: Division, x: Value, y: Value) -> Result<Value, Condition> {
        match kind {
            Division::Quotient => crate::builtins::quotient(&mut self.heap, x, y),
            Division::Remainder => crate::builtins::remainder(&mut self.heap, x, y),
            Division::Modulo => crate::builtins::modulo(&mut self.heap, x, y),
        }
    }

    /// `Op::CallBuiltin`: builtin `builtin` on the `argc` values from stack slot `at`. Out
    /// of line, so the interpreter loop stays small. The verifier proved the builtin
    /// `Simple`, its arity right for `argc`, and the argument registers inside the frame.
    #[inline(never)]
    fn call_builtin(&mut self, at: usize, builtin: u16, argc: u16) -> Result<Word, Condition> {
        let b = &BUILTINS[usize::from(builtin)];
        let args = &self.stack[at..at + usize::from(argc)];
        match b.kind {
            Kind::Simple(f) => {
                let v = decoded(args, |args| f(&mut self.heap, args))?;
                Ok(self.heap.word(v))
            }
            _ => Err(Condition::new("internal", "CallBuiltin of a builtin that is not simple")),
        }
    }
}
