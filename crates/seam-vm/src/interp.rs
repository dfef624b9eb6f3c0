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
use crate::value::Value;
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
        let mut pc = regs.pc;
        let mut base = regs.base as usize;
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
                pc = r.pc;
                base = r.base as usize;
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
        // Register access without bounds checks. SAFETY: the verifier (verify.rs) proved every
        // register operand of this code below `frame_size`, and a running frame's stack is
        // exactly `base + frame_size` long (established by every path that enters or resumes
        // a frame: the call fast paths, `Return`, `enter_closure`, `fit`); the debug assertion
        // checks that invariant in tests.
        macro_rules! reg {
            ($r:expr) => {
                *{
                    let i = base + $r as usize;
                    debug_assert!(
                        i < self.stack.len() && self.stack.len() == base + code.frame_size as usize
                    );
                    unsafe { self.stack.get_unchecked_mut(i) }
                }
            };
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
        loop {
            debug_assert!((pc as usize) < code.ops.len());
            // SAFETY: `pc` starts at 0 of a non-empty verified code; jumps go to verified
            // targets; the last instruction never falls through; and a frame resumes after a
            // `Call`, which is never the last instruction. So `pc` is always in bounds.
            let op = unsafe { *code.ops.get_unchecked(pc as usize) };
            pc += 1;
            match op {
                // SAFETY: the verifier checked `index` against the constant table.
                Op::Const { dst, index } => {
                    reg!(dst) = unsafe { *code.constants.get_unchecked(index as usize) }
                }
                Op::Fixnum { dst, value } => reg!(dst) = Value::Fixnum(value as i64),
                Op::True(dst) => reg!(dst) = Value::TRUE,
                Op::False(dst) => reg!(dst) = Value::FALSE,
                Op::Null(dst) => reg!(dst) = Value::Null,
                Op::Unspecified(dst) => reg!(dst) = Value::Unspecified,
                Op::Undefined(dst) => reg!(dst) = Value::Undefined,
                Op::Move { dst, src } => reg!(dst) = reg!(src),
                Op::LoadBox { dst, src } => {
                    let boxed = reg!(src);
                    let v = self.unbox(boxed);
                    if let Value::Undefined = v {
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
                    reg!(r) = b;
                }
                Op::Free { dst, index } => reg!(dst) = self.free_var(base as u32, index as u32),
                Op::FreeBox { dst, index } => {
                    let v = self.unbox(self.free_var(base as u32, index as u32));
                    if let Value::Undefined = v {
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
                    let v = self.globals[slot as usize];
                    if let Value::Undefined = v {
                        fail!(Condition::new(
                            "unbound",
                            format!("unbound variable: {}", self.global_name(slot))
                        ))
                    }
                    reg!(dst) = v;
                }
                Op::SetGlobal { src, slot } => {
                    if let Value::Undefined = self.globals[slot as usize] {
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
                Op::JumpUnlessLtImm { a, imm, target }
                | Op::JumpUnlessEqImm { a, imm, target }
                | Op::JumpIfLtImm { a, imm, target }
                | Op::JumpIfEqImm { a, imm, target } => {
                    let x = reg!(a);
                    let less = matches!(op, Op::JumpUnlessLtImm { .. } | Op::JumpIfLtImm { .. });
                    let holds = match x {
                        Value::Fixnum(n) => {
                            if less {
                                n < imm as i64
                            } else {
                                n == imm as i64
                            }
                        }
                        _ => {
                            let full = if less { Cmp::Lt } else { Cmp::Eq };
                            ok!(num::compare_op(&self.heap, full, x, Value::Fixnum(imm as i64)))
                        }
                    };
                    if holds == matches!(op, Op::JumpIfLtImm { .. } | Op::JumpIfEqImm { .. }) {
                        jump!(target as u32);
                    }
                }
                Op::JumpUnlessLt { a, b, target }
                | Op::JumpUnlessEq { a, b, target }
                | Op::JumpIfLt { a, b, target }
                | Op::JumpIfEq { a, b, target } => {
                    let (x, y) = (reg!(a), reg!(b));
                    let less = matches!(op, Op::JumpUnlessLt { .. } | Op::JumpIfLt { .. });
                    let holds = match (x, y) {
                        (Value::Fixnum(m), Value::Fixnum(n)) => {
                            if less {
                                m < n
                            } else {
                                m == n
                            }
                        }
                        _ => {
                            let full = if less { Cmp::Lt } else { Cmp::Eq };
                            ok!(num::compare_op(&self.heap, full, x, y))
                        }
                    };
                    if holds == matches!(op, Op::JumpIfLt { .. } | Op::JumpIfEq { .. }) {
                        jump!(target as u32);
                    }
                }
                Op::JumpUnlessNull { a, target } | Op::JumpIfNull { a, target } => {
                    if matches!(reg!(a), Value::Null) == matches!(op, Op::JumpIfNull { .. }) {
                        jump!(target);
                    }
                }
                Op::JumpUnlessPair { a, target } | Op::JumpIfPair { a, target } => {
                    if matches!(reg!(a), Value::Pair(_)) == matches!(op, Op::JumpIfPair { .. }) {
                        jump!(target);
                    }
                }
                Op::MakeClosure { dst, proto } => {
                    let child = code.children[proto as usize];
                    let child_code: *const Code = self.heap.code(child);
                    let count = self.heap.code(child).free_count as usize;
                    let first = base + dst as usize + 1;
                    let free: Box<[Value]> = self.stack[first..first + count].into();
                    reg!(dst) = self.heap.alloc(Object::Closure(Closure {
                        code: child,
                        ptr: CodePtr(child_code),
                        free,
                    }));
                }
                Op::MakeCaseLambda { dst, first, count } => {
                    let at = base + first as usize;
                    let clauses: Box<[Value]> = self.stack[at..at + count as usize].into();
                    reg!(dst) = self.heap.alloc(Object::CaseLambda(clauses));
                }
                Op::FixClosure { closure, free, value } => {
                    let (c, v) = (reg!(closure), reg!(value));
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
                    let direct = match self.stack[fi] {
                        Value::Object(o) => self.call_host_sync(o, fi, argc),
                        _ => None,
                    };
                    match direct {
                        Some(HostOutcome::Value(v)) if self.pending_escape.is_none() => {
                            // As `deliver` does: the value replaces the callee, the registers
                            // above it (the arguments) read as unspecified. The arguments end
                            // inside the frame, so that is overwriting them in place.
                            let top = base + code.frame_size as usize;
                            if self.stack.len() == fi + argc + 1 && fi + argc < top {
                                self.stack[fi] = v;
                                self.stack[fi + 1..].fill(Value::Unspecified);
                                self.set_stack_len(top);
                            } else {
                                self.stack.truncate(fi);
                                self.stack.push(v);
                                self.set_stack_len(top);
                            }
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
                            load!(Regs {
                                code_index: frame.code,
                                code: frame.ptr.0,
                                pc: frame.pc,
                                base: frame.base
                            });
                            self.set_stack_len(base + code.frame_size as usize);
                        }
                        _ => {
                            self.stack.truncate(base - 1);
                            return Ok(result);
                        }
                    }
                }
                Op::CallBuiltin { first, builtin, argc } => {
                    limit_check!();
                    let v = ok!(self.call_builtin(base + first as usize, builtin, argc));
                    reg!(first) = v;
                }
                Op::Add { dst, a, b } => {
                    reg!(dst) = match (reg!(a), reg!(b)) {
                        (Value::Fixnum(x), Value::Fixnum(y)) if x.checked_add(y).is_some() => {
                            Value::Fixnum(x + y)
                        }
                        (Value::Flonum(x), Value::Flonum(y)) => Value::Flonum(x + y),
                        (x, y) => ok!(num::add(&mut self.heap, x, y, "+")),
                    }
                }
                Op::Sub { dst, a, b } => {
                    reg!(dst) = match (reg!(a), reg!(b)) {
                        (Value::Fixnum(x), Value::Fixnum(y)) if x.checked_sub(y).is_some() => {
                            Value::Fixnum(x - y)
                        }
                        (Value::Flonum(x), Value::Flonum(y)) => Value::Flonum(x - y),
                        (x, y) => ok!(num::sub(&mut self.heap, x, y, "-")),
                    }
                }
                Op::Mul { dst, a, b } => {
                    reg!(dst) = match (reg!(a), reg!(b)) {
                        (Value::Fixnum(x), Value::Fixnum(y)) if x.checked_mul(y).is_some() => {
                            Value::Fixnum(x * y)
                        }
                        (Value::Flonum(x), Value::Flonum(y)) => Value::Flonum(x * y),
                        (x, y) => ok!(num::mul(&mut self.heap, x, y, "*")),
                    }
                }
                Op::AddImm { dst, a, imm } => {
                    let k = imm as i64;
                    reg!(dst) = match reg!(a) {
                        Value::Fixnum(x) if x.checked_add(k).is_some() => Value::Fixnum(x + k),
                        x if k < 0 => ok!(num::sub(&mut self.heap, x, Value::Fixnum(-k), "-")),
                        x => ok!(num::add(&mut self.heap, x, Value::Fixnum(k), "+")),
                    }
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
                    let r = match (reg!(a), reg!(b)) {
                        (Value::Fixnum(x), Value::Fixnum(y)) => cmp.holds(x, y),
                        (x, y) => ok!(num::compare_op(&self.heap, cmp, x, y)),
                    };
                    reg!(dst) = Value::Bool(r);
                }
                Op::IsZero { dst, a } => {
                    let r = match reg!(a) {
                        Value::Fixnum(x) => x == 0,
                        x => match num::compare_op(&self.heap, Cmp::Eq, x, Value::Fixnum(0)) {
                            Ok(r) => r,
                            Err(_) => fail!(Condition::wrong_type(&self.heap, "zero?", 1, "number", x)),
                        },
                    };
                    reg!(dst) = Value::Bool(r);
                }
                Op::Car { dst, a } => match reg!(a) {
                    Value::Pair(p) => reg!(dst) = self.heap.car(p),
                    x => fail!(Condition::wrong_type(&self.heap, "car", 1, "pair", x)),
                },
                Op::Cdr { dst, a } => match reg!(a) {
                    Value::Pair(p) => reg!(dst) = self.heap.cdr(p),
                    x => fail!(Condition::wrong_type(&self.heap, "cdr", 1, "pair", x)),
                },
                Op::Cons { dst, a, b } => {
                    let (x, y) = (reg!(a), reg!(b));
                    reg!(dst) = self.heap.cons(x, y);
                }
                Op::IsNull { dst, a } => reg!(dst) = Value::Bool(matches!(reg!(a), Value::Null)),
                Op::IsPair { dst, a } => reg!(dst) = Value::Bool(matches!(reg!(a), Value::Pair(_))),
                Op::Not { dst, a } => reg!(dst) = Value::Bool(!reg!(a).is_true()),
                Op::IsEq { dst, a, b } => reg!(dst) = Value::Bool(reg!(a).is_eq(reg!(b))),
                Op::VectorRef { dst, a, b } => {
                    let (v, k) = (reg!(a), reg!(b));
                    reg!(dst) = match self.heap.vector_item(v, k) {
                        Some(x) => x,
                        None => ok!(crate::builtins::vector_ref(&self.heap, v, k)),
                    };
                }
                Op::Divide { kind, dst, a, b } => {
                    let (x, y) = (reg!(a), reg!(b));
                    reg!(dst) = match (kind, x, y) {
                        // Positive divisors, where every division is a machine division.
                        (Division::Quotient, Value::Fixnum(x), Value::Fixnum(y)) if y > 0 => {
                            Value::Fixnum(x / y)
                        }
                        (Division::Remainder, Value::Fixnum(x), Value::Fixnum(y)) if y > 0 => {
                            Value::Fixnum(x % y)
                        }
                        (Division::Modulo, Value::Fixnum(x), Value::Fixnum(y)) if y > 0 => {
                            Value::Fixnum(x.rem_euclid(y))
                        }
                        _ => ok!(self.divide(kind, x, y)),
                    }
                }
                Op::VectorSet { a, b, c } => {
                    let (v, k, x) = (reg!(a), reg!(b), reg!(c));
                    if !self.heap.set_vector_item(v, k, x) {
                        ok!(crate::builtins::vector_set(&mut self.heap, v, k, x));
                    }
                }
            }
        }
    }

    /// The code of `f` if it is a closure taking exactly `argc` arguments (the calls' fast
    /// path), detached from the heap borrow (see `Regs::code`).
    #[inline(always)]
    fn exact_closure<'a>(&self, f: Value, argc: usize) -> Option<(u32, &'a Code)> {
        let Value::Object(o) = f else { return None };
        let Object::Closure(c) = self.heap.get(o) else { return None };
        let callee = Regs { code_index: c.code, code: c.ptr.0, pc: 0, base: 0 }.code();
        (callee.required as usize == argc && !callee.rest).then_some((c.code, callee))
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
    fn call_builtin(&mut self, at: usize, builtin: u16, argc: u16) -> Result<Value, Condition> {
        match BUILTINS[usize::from(builtin)].kind {
            Kind::Simple(f) => f(&mut self.heap, &self.stack[at..at + usize::from(argc)]),
            _ => Err(Condition::new("internal", "CallBuiltin of a builtin that is not simple")),
        }
    }
}
