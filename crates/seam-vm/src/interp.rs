//! The interpreter loop. Scheme frames live in `Vm::frames` and `Vm::stack` (heap memory), so
//! the Rust stack does not grow with Scheme calls: deep recursion, first-class continuations
//! and (later) suspending a task are all just data. `Call`, `TailCall` and backward `Jump`s
//! are the check points where the collector may run.

use seam_compile::Op;

use crate::builtins::{Control, Kind, BUILTINS};
use crate::error::{Condition, SchemeError};
use crate::num;
use crate::object::{Closure, Code, Continuation, Frame, Object};
use crate::value::Value;
use crate::vm::Vm;

/// The running frame's registers, kept in locals of the loop.
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
    fn code<'a>(&self) -> &'a Code {
        // SAFETY: `code` points into the `Box<Code>` of the live object `code_index`. The
        // object is reachable while this frame runs (the running closure sits in the stack
        // slot below `base`, and saved frames are GC roots), objects are only freed by the
        // collector when unreachable, and a `Box`'s contents never move. Code is immutable.
        unsafe { &*self.code }
    }
}

impl Vm {
    fn regs_for(&self, code_index: u32, pc: u32, base: u32) -> Regs {
        let code: *const Code = self.heap.code(code_index);
        Regs { code_index, code, pc, base }
    }

    /// Calls `f` with `args` and runs until it returns. Errors not caught by Scheme code
    /// end the call; the VM stays usable.
    pub fn call(&mut self, f: Value, args: &[Value]) -> Result<Value, SchemeError> {
        let stack_len = self.stack.len();
        let frames_len = self.frames.len();
        self.next_run_id = self.next_run_id.wrapping_add(1);
        self.frames.push(Frame { code: Frame::HOST, pc: self.next_run_id, base: 0 });
        self.stack.push(f);
        self.stack.extend_from_slice(args);
        // A dummy register set for the host frame; `apply` saves it only for non-tail calls,
        // and we enter as a tail call from the host frame's point of view.
        let mut regs =
            Regs { code_index: Frame::HOST, code: std::ptr::null(), pc: 0, base: stack_len as u32 + 1 };
        let result = match self.apply(&mut regs, stack_len, args.len(), true) {
            Ok(Flow::Done(v)) => Ok(v),
            Ok(Flow::Continue) => self.run(regs),
            Err(e) => Err(e),
        };
        if result.is_err() {
            self.unwind_to(stack_len, frames_len);
        }
        result
    }

    fn run(&mut self, regs: Regs) -> Result<Value, SchemeError> {
        // The registers live in separate locals so they stay in machine registers; they are
        // packed into a `Regs` only around out-of-line steps.
        let mut code_index = regs.code_index;
        let mut code: &Code = regs.code();
        let mut pc = regs.pc;
        let mut base = regs.base;
        macro_rules! save {
            () => {
                Regs { code_index, code, pc, base }
            };
        }
        macro_rules! load {
            ($regs:expr) => {{
                let r: Regs = $regs;
                code_index = r.code_index;
                code = r.code();
                pc = r.pc;
                base = r.base;
            }};
        }
        // Raises a condition from the running instruction.
        macro_rules! fail {
            ($vm:ident, $cond:expr) => {{
                let cond = $cond;
                let mut r = save!();
                let flow = $vm.signal(&mut r, cond)?;
                load!(r);
                match flow {
                    Flow::Continue => continue,
                    Flow::Done(v) => return Ok(v),
                }
            }};
        }
        // Runs an out-of-line step that may switch frames.
        macro_rules! step {
            ($vm:ident, |$r:ident| $call:expr) => {{
                let mut $r = save!();
                let flow = $call;
                load!($r);
                match flow {
                    Flow::Continue => {}
                    Flow::Done(v) => return Ok(v),
                }
            }};
        }
        loop {
            let op = code.ops[pc as usize];
            pc += 1;
            match op {
                Op::Const(i) => self.stack.push(code.constants[i as usize]),
                Op::Fixnum(n) => self.stack.push(Value::Fixnum(n as i64)),
                Op::True => self.stack.push(Value::TRUE),
                Op::False => self.stack.push(Value::FALSE),
                Op::Null => self.stack.push(Value::Null),
                Op::Unspecified => self.stack.push(Value::Unspecified),
                Op::Undefined => self.stack.push(Value::Undefined),
                Op::Local(i) => {
                    let v = self.stack[(base + i) as usize];
                    self.stack.push(v);
                }
                Op::SetLocal(i) => {
                    let v = self.pop();
                    self.stack[(base + i) as usize] = v;
                }
                Op::LocalBox(i) => {
                    let b = self.stack[(base + i) as usize];
                    let v = self.unbox(b);
                    if let Value::Undefined = v {
                        let name = code.local_names.get(i as usize).cloned().unwrap_or_default();
                        fail!(
                            self,
                            Condition::new("unbound", format!("{name}: variable used before its definition"))
                        )
                    }
                    self.stack.push(v);
                }
                Op::SetLocalBox(i) => {
                    let v = self.pop();
                    let b = self.stack[(base + i) as usize];
                    self.set_box(b, v);
                }
                Op::BoxLocal(i) => {
                    let slot = (base + i) as usize;
                    let b = self.heap.alloc(Object::Box(self.stack[slot]));
                    self.stack[slot] = b;
                }
                Op::Free(i) => {
                    let v = self.free_var(base, i);
                    self.stack.push(v);
                }
                Op::FreeBox(i) => {
                    let b = self.free_var(base, i);
                    let v = self.unbox(b);
                    if let Value::Undefined = v {
                        fail!(self, Condition::new("unbound", "variable used before its definition"))
                    }
                    self.stack.push(v);
                }
                Op::SetFreeBox(i) => {
                    let v = self.pop();
                    let b = self.free_var(base, i);
                    self.set_box(b, v);
                }
                Op::SelfRef => {
                    let f = self.stack[base as usize - 1];
                    self.stack.push(f);
                }
                Op::Global(i) => {
                    let v = self.globals[i as usize];
                    if let Value::Undefined = v {
                        let name = self.global_name(i);
                        fail!(self, Condition::new("unbound", format!("unbound variable: {name}")))
                    }
                    self.stack.push(v);
                }
                Op::SetGlobal(i) => {
                    if let Value::Undefined = self.globals[i as usize] {
                        let name = self.global_name(i);
                        fail!(self, Condition::new("unbound", format!("set!: unbound variable: {name}")))
                    }
                    self.globals[i as usize] = self.pop();
                }
                Op::DefineGlobal(i) => {
                    self.globals[i as usize] = self.pop();
                    self.note_definition(i);
                }
                Op::Pop => {
                    self.stack.pop();
                }
                Op::Jump(target) => {
                    if target < pc {
                        self.check_point();
                    }
                    pc = target;
                }
                Op::JumpIfFalse(target) => {
                    if !self.pop().is_true() {
                        pc = target;
                    }
                }
                Op::MakeClosure { proto, free } => {
                    let code_index = code.children[proto as usize];
                    let at = self.stack.len() - free as usize;
                    let free: Box<[Value]> = self.stack[at..].into();
                    self.stack.truncate(at);
                    let c = self.heap.alloc(Object::Closure(Closure { code: code_index, free }));
                    self.stack.push(c);
                }
                Op::MakeCaseLambda(n) => {
                    let at = self.stack.len() - n as usize;
                    let clauses: Box<[Value]> = self.stack[at..].into();
                    self.stack.truncate(at);
                    let c = self.heap.alloc(Object::CaseLambda(clauses));
                    self.stack.push(c);
                }
                Op::FixClosure { closure, free, value } => {
                    let c = self.stack[(base + closure as u32) as usize];
                    let v = self.stack[(base + value as u32) as usize];
                    if let Some(Object::Closure(c)) = self.heap.object_mut(c) {
                        c.free[free as usize] = v;
                    }
                }
                Op::Call(argc) => {
                    self.check_point();
                    let fi = self.stack.len() - argc as usize - 1;
                    if let Value::Object(o) = self.stack[fi] {
                        if let Object::Closure(c) = self.heap.get(o) {
                            let target = c.code;
                            let callee = self.heap.code(target);
                            if callee.required == argc && !callee.rest {
                                self.frames.push(Frame { code: code_index, pc, base });
                                let base = fi + 1;
                                self.stack.resize(base + callee.frame_size as usize, Value::Unspecified);
                                load!(Regs { code_index: target, code: callee, pc: 0, base: base as u32 });
                                continue;
                            }
                        }
                    }
                    step!(self, |r| self.apply(&mut r, fi, argc as usize, false)?);
                }
                Op::TailCall(argc) => {
                    self.check_point();
                    let argc = argc as usize;
                    let fi = self.stack.len() - argc - 1;
                    if let Value::Object(o) = self.stack[fi] {
                        if let Object::Closure(c) = self.heap.get(o) {
                            let target = c.code;
                            let callee = self.heap.code(target);
                            if callee.required as usize == argc && !callee.rest {
                                // Replace the running frame: move callee and arguments down.
                                let dst = base as usize - 1;
                                for i in 0..=argc {
                                    self.stack[dst + i] = self.stack[fi + i];
                                }
                                self.stack.truncate(dst + 1 + argc);
                                self.stack.resize(dst + 1 + callee.frame_size as usize, Value::Unspecified);
                                load!(Regs { code_index: target, code: callee, pc: 0, base: dst as u32 + 1 });
                                continue;
                            }
                        }
                    }
                    step!(self, |r| self.apply(&mut r, fi, argc, true)?);
                }
                Op::Return => {
                    let result = self.pop();
                    step!(self, |r| self.return_value(&mut r, result));
                }
                Op::Add => {
                    let b = self.pop();
                    let a = self.pop();
                    let r = match (a, b) {
                        (Value::Fixnum(x), Value::Fixnum(y)) => match x.checked_add(y) {
                            Some(z) => Value::Fixnum(z),
                            None => num::add(&mut self.heap, a, b, "+").unwrap_or(Value::Unspecified),
                        },
                        (Value::Flonum(x), Value::Flonum(y)) => Value::Flonum(x + y),
                        _ => match num::add(&mut self.heap, a, b, "+") {
                            Ok(v) => v,
                            Err(c) => fail!(self, c),
                        },
                    };
                    self.stack.push(r);
                }
                Op::AddImm(k) => {
                    let a = self.pop();
                    let r = match a {
                        Value::Fixnum(x) => match x.checked_add(k as i64) {
                            Some(z) => Value::Fixnum(z),
                            None => num::add(&mut self.heap, a, Value::Fixnum(k as i64), "+")
                                .unwrap_or(Value::Unspecified),
                        },
                        _ => {
                            let name = if k < 0 { "-" } else { "+" };
                            let r = if k < 0 {
                                num::sub(&mut self.heap, a, Value::Fixnum(-(k as i64)), name)
                            } else {
                                num::add(&mut self.heap, a, Value::Fixnum(k as i64), name)
                            };
                            match r {
                                Ok(v) => v,
                                Err(c) => fail!(self, c),
                            }
                        }
                    };
                    self.stack.push(r);
                }
                Op::Sub => {
                    let b = self.pop();
                    let a = self.pop();
                    let r = match (a, b) {
                        (Value::Fixnum(x), Value::Fixnum(y)) if x.checked_sub(y).is_some() => {
                            Value::Fixnum(x - y)
                        }
                        _ => match num::sub(&mut self.heap, a, b, "-") {
                            Ok(v) => v,
                            Err(c) => fail!(self, c),
                        },
                    };
                    self.stack.push(r);
                }
                Op::Mul => {
                    let b = self.pop();
                    let a = self.pop();
                    let r = match (a, b) {
                        (Value::Fixnum(x), Value::Fixnum(y)) if x.checked_mul(y).is_some() => {
                            Value::Fixnum(x * y)
                        }
                        _ => match num::mul(&mut self.heap, a, b, "*") {
                            Ok(v) => v,
                            Err(c) => fail!(self, c),
                        },
                    };
                    self.stack.push(r);
                }
                Op::NumEq | Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                    let b = self.pop();
                    let a = self.pop();
                    let r = match (a, b) {
                        (Value::Fixnum(x), Value::Fixnum(y)) => match op {
                            Op::NumEq => x == y,
                            Op::Lt => x < y,
                            Op::Le => x <= y,
                            Op::Gt => x > y,
                            _ => x >= y,
                        },
                        _ => match num::compare_op(&self.heap, op, a, b) {
                            Ok(r) => r,
                            Err(c) => fail!(self, c),
                        },
                    };
                    self.stack.push(Value::Bool(r));
                }
                Op::LtImm(k) | Op::NumEqImm(k) => {
                    let a = self.pop();
                    let r = match a {
                        Value::Fixnum(x) => {
                            if let Op::LtImm(_) = op {
                                x < k as i64
                            } else {
                                x == k as i64
                            }
                        }
                        _ => {
                            let full = if let Op::LtImm(_) = op { Op::Lt } else { Op::NumEq };
                            match num::compare_op(&self.heap, full, a, Value::Fixnum(k as i64)) {
                                Ok(r) => r,
                                Err(c) => fail!(self, c),
                            }
                        }
                    };
                    self.stack.push(Value::Bool(r));
                }
                Op::LocalAddImm { slot, imm } => {
                    let a = self.stack[(base + slot as u32) as usize];
                    let r = match a {
                        Value::Fixnum(x) if x.checked_add(imm as i64).is_some() => {
                            Value::Fixnum(x + imm as i64)
                        }
                        _ => {
                            let (name, r) = if imm < 0 {
                                ("-", num::sub(&mut self.heap, a, Value::Fixnum(-(imm as i64)), "-"))
                            } else {
                                ("+", num::add(&mut self.heap, a, Value::Fixnum(imm as i64), "+"))
                            };
                            let _ = name;
                            match r {
                                Ok(v) => v,
                                Err(c) => fail!(self, c),
                            }
                        }
                    };
                    self.stack.push(r);
                }
                Op::JumpUnlessLocalLtImm { slot, target, imm }
                | Op::JumpUnlessLocalEqImm { slot, target, imm } => {
                    let a = self.stack[(base + slot as u32) as usize];
                    let lt = matches!(op, Op::JumpUnlessLocalLtImm { .. });
                    let holds = match a {
                        Value::Fixnum(x) => {
                            if lt {
                                x < imm as i64
                            } else {
                                x == imm as i64
                            }
                        }
                        _ => {
                            let full = if lt { Op::Lt } else { Op::NumEq };
                            match num::compare_op(&self.heap, full, a, Value::Fixnum(imm as i64)) {
                                Ok(r) => r,
                                Err(c) => fail!(self, c),
                            }
                        }
                    };
                    if !holds {
                        pc = target as u32;
                    }
                }
                Op::IsZero => {
                    let a = self.pop();
                    let r = match a {
                        Value::Fixnum(x) => x == 0,
                        _ => match num::compare_op(&self.heap, Op::NumEq, a, Value::Fixnum(0)) {
                            Ok(r) => r,
                            Err(_) => {
                                fail!(self, Condition::wrong_type(&self.heap, "zero?", 1, "number", a))
                            }
                        },
                    };
                    self.stack.push(Value::Bool(r));
                }
                Op::Car | Op::Cdr => {
                    let a = self.pop();
                    match a {
                        Value::Pair(p) => {
                            let v = if let Op::Car = op { self.heap.car(p) } else { self.heap.cdr(p) };
                            self.stack.push(v);
                        }
                        _ => {
                            let name = if let Op::Car = op { "car" } else { "cdr" };
                            fail!(self, Condition::wrong_type(&self.heap, name, 1, "pair", a))
                        }
                    }
                }
                Op::Cons => {
                    let b = self.pop();
                    let a = self.pop();
                    let p = self.heap.cons(a, b);
                    self.stack.push(p);
                }
                Op::IsNull => {
                    let a = self.pop();
                    self.stack.push(Value::Bool(matches!(a, Value::Null)));
                }
                Op::IsPair => {
                    let a = self.pop();
                    self.stack.push(Value::Bool(matches!(a, Value::Pair(_))));
                }
                Op::Not => {
                    let a = self.pop();
                    self.stack.push(Value::Bool(!a.is_true()));
                }
                Op::IsEq => {
                    let b = self.pop();
                    let a = self.pop();
                    self.stack.push(Value::Bool(a.is_eq(b)));
                }
                Op::VectorRef => {
                    let k = self.pop();
                    let v = self.pop();
                    match crate::builtins::vector_ref(&self.heap, v, k) {
                        Ok(x) => self.stack.push(x),
                        Err(c) => fail!(self, c),
                    }
                }
                Op::VectorSet => {
                    let x = self.pop();
                    let k = self.pop();
                    let v = self.pop();
                    match crate::builtins::vector_set(&mut self.heap, v, k, x) {
                        Ok(()) => self.stack.push(Value::Unspecified),
                        Err(c) => fail!(self, c),
                    }
                }
            }
        }
    }

    #[inline(always)]
    fn pop(&mut self) -> Value {
        // The compiler balances the stack: every pop has a matching push before it.
        self.stack.pop().unwrap_or(Value::Unspecified)
    }

    #[inline(always)]
    fn free_var(&self, base: u32, i: u32) -> Value {
        match self.stack[base as usize - 1] {
            Value::Object(o) => match self.heap.get(o) {
                Object::Closure(c) => c.free[i as usize],
                _ => Value::Unspecified,
            },
            _ => Value::Unspecified,
        }
    }

    fn unbox(&self, b: Value) -> Value {
        match self.heap.object(b) {
            Some(Object::Box(v)) => *v,
            _ => b,
        }
    }

    fn set_box(&mut self, b: Value, v: Value) {
        if let Some(Object::Box(cell)) = self.heap.object_mut(b) {
            *cell = v;
        }
    }

    /// The check point: collect garbage when due. (Fuel, interrupts and task switches hook
    /// in here later.)
    #[inline(always)]
    fn check_point(&mut self) {
        if self.heap.wants_collection() {
            self.collect_garbage(&[]);
        }
    }

    /// Returns `result` from the running frame to its caller.
    #[inline(always)]
    fn return_value(&mut self, regs: &mut Regs, result: Value) -> Flow {
        self.stack.truncate(regs.base as usize - 1);
        let frame = match self.frames.pop() {
            Some(f) => f,
            None => return Flow::Done(result),
        };
        if frame.code == Frame::HOST {
            return Flow::Done(result);
        }
        *regs = self.regs_for(frame.code, frame.pc, frame.base);
        self.stack.push(result);
        Flow::Continue
    }

    /// Applies the procedure at `stack[fi]` to the `argc` values above it. In tail position
    /// the running frame is replaced.
    pub(crate) fn apply(
        &mut self,
        regs: &mut Regs,
        fi: usize,
        argc: usize,
        tail: bool,
    ) -> Result<Flow, SchemeError> {
        let mut argc = argc;
        loop {
            let f = self.stack[fi];
            match f {
                Value::Object(o) => match self.heap.get(o) {
                    Object::Closure(c) => {
                        let target = c.code;
                        return self.enter_closure(regs, target, fi, argc, tail);
                    }
                    Object::CaseLambda(clauses) => {
                        let chosen = clauses.iter().copied().find(|&c| self.accepts(c, argc));
                        match chosen {
                            Some(c) => {
                                self.stack[fi] = c;
                                continue;
                            }
                            None => {
                                self.stack.truncate(fi);
                                let cond = Condition::arity("case-lambda", "a matching number of", argc);
                                return self.signal(regs, cond);
                            }
                        }
                    }
                    Object::Parameter(p) => {
                        let v = p.value;
                        if argc != 0 {
                            self.stack.truncate(fi);
                            return self.signal(regs, Condition::arity("parameter", "0", argc));
                        }
                        self.stack.truncate(fi);
                        return Ok(self.deliver(regs, v, tail));
                    }
                    Object::Continuation(_) => return self.resume_continuation(regs, o, fi, argc),
                    _ => {}
                },
                Value::Primitive(p) => {
                    let b = &BUILTINS[p as usize];
                    if argc < b.min as usize || (b.max != u16::MAX && argc > b.max as usize) {
                        self.stack.truncate(fi);
                        let expected = if b.max == b.min {
                            b.min.to_string()
                        } else if b.max == u16::MAX {
                            format!("at least {}", b.min)
                        } else {
                            format!("{} to {}", b.min, b.max)
                        };
                        return self.signal(regs, Condition::arity(b.name, &expected, argc));
                    }
                    match b.kind {
                        Kind::Simple(func) => {
                            let result = func(&mut self.heap, &self.stack[fi + 1..]);
                            self.stack.truncate(fi);
                            return match result {
                                Ok(v) => Ok(self.deliver(regs, v, tail)),
                                Err(c) => self.signal(regs, c),
                            };
                        }
                        Kind::Vm(func) => {
                            let args: Vec<Value> = self.stack[fi + 1..].to_vec();
                            let result = func(self, &args);
                            self.stack.truncate(fi);
                            return match result {
                                Ok(v) => Ok(self.deliver(regs, v, tail)),
                                Err(c) => self.signal(regs, c),
                            };
                        }
                        Kind::Control(control) => match control {
                            Control::Apply => {
                                // (apply f a ... list): spread the list in place.
                                let last = self.stack[fi + argc];
                                let Some(items) = self.heap.list_to_vec(last) else {
                                    self.stack.truncate(fi);
                                    let c = Condition::wrong_type(&self.heap, "apply", argc, "list", last);
                                    return self.signal(regs, c);
                                };
                                self.stack.pop();
                                self.stack.remove(fi);
                                argc = argc - 2 + items.len();
                                self.stack.extend(items);
                                continue;
                            }
                            Control::CallCc => {
                                let f = self.stack[fi + 1];
                                let k = self.capture(regs, fi, tail);
                                self.stack.truncate(fi);
                                self.stack.push(f);
                                self.stack.push(k);
                                argc = 1;
                                continue;
                            }
                            Control::Exit => {
                                let code = match self.stack[fi + 1] {
                                    Value::Fixnum(n) => n.clamp(0, 255) as i32,
                                    Value::Bool(false) => 1,
                                    _ => 0,
                                };
                                return Err(SchemeError {
                                    kind: "exit".into(),
                                    message: format!("exit {code}"),
                                    location: None,
                                    backtrace: Vec::new(),
                                    exit_code: Some(code),
                                });
                            }
                            Control::Abort => {
                                let payload = self.stack[fi + 1];
                                return Err(self.uncaught(payload, regs.code_index, regs.pc));
                            }
                        },
                    }
                }
                _ => {}
            }
            let shown = crate::printer::write_limited(&self.heap, f, 60);
            self.stack.truncate(fi);
            let cond =
                Condition { kind: "type", message: format!("not a procedure: {shown}"), irritants: vec![f] };
            return self.signal(regs, cond);
        }
    }

    /// Whether procedure `f` accepts `argc` arguments.
    fn accepts(&self, f: Value, argc: usize) -> bool {
        match self.heap.object(f) {
            Some(Object::Closure(c)) => {
                let code = self.heap.code(c.code);
                argc == code.required as usize || (code.rest && argc >= code.required as usize)
            }
            _ => true,
        }
    }

    /// A value produced by a builtin: pushed for the caller, or returned when in tail position.
    #[inline]
    fn deliver(&mut self, regs: &mut Regs, v: Value, tail: bool) -> Flow {
        if tail {
            self.return_value(regs, v)
        } else {
            self.stack.push(v);
            Flow::Continue
        }
    }

    fn enter_closure(
        &mut self,
        regs: &mut Regs,
        target: u32,
        fi: usize,
        argc: usize,
        tail: bool,
    ) -> Result<Flow, SchemeError> {
        let callee = self.heap.code(target);
        let (required, rest, frame_size) =
            (callee.required as usize, callee.rest, callee.frame_size as usize);
        if argc < required || (!rest && argc > required) {
            let name = callee.name.as_deref().unwrap_or("#<procedure>").to_string();
            let expected = if rest { format!("at least {required}") } else { required.to_string() };
            self.stack.truncate(fi);
            return self.signal(regs, Condition::arity(&name, &expected, argc));
        }
        if rest {
            let extra = self.stack.split_off(fi + 1 + required);
            let list = self.heap.list(&extra);
            self.stack.push(list);
        }
        let mut base = fi + 1;
        if tail && regs.code_index != Frame::HOST {
            let dst = regs.base as usize - 1;
            let len = self.stack.len() - fi;
            self.stack.copy_within(fi.., dst);
            self.stack.truncate(dst + len);
            base = dst + 1;
        } else if !tail {
            self.frames.push(Frame { code: regs.code_index, pc: regs.pc, base: regs.base });
        }
        self.stack.resize(base + frame_size, Value::Unspecified);
        *regs = Regs { code_index: target, code: self.heap.code(target), pc: 0, base: base as u32 };
        Ok(Flow::Continue)
    }

    /// Captures the continuation of the call at `fi`.
    fn capture(&mut self, regs: &Regs, fi: usize, tail: bool) -> Value {
        let (stack, frames) = if tail {
            // The continuation is the running frame's caller's.
            (self.stack[..regs.base as usize - 1].to_vec(), self.frames.clone())
        } else {
            let mut frames = self.frames.clone();
            frames.push(Frame { code: regs.code_index, pc: regs.pc, base: regs.base });
            (self.stack[..fi].to_vec(), frames)
        };
        self.heap.alloc(Object::Continuation(Box::new(Continuation { stack, frames })))
    }

    fn resume_continuation(
        &mut self,
        regs: &mut Regs,
        k: u32,
        fi: usize,
        argc: usize,
    ) -> Result<Flow, SchemeError> {
        let value = if argc == 1 {
            self.stack[fi + 1]
        } else {
            let values: Box<[Value]> = self.stack[fi + 1..].into();
            self.heap.alloc(Object::Values(values))
        };
        let Object::Continuation(cont) = self.heap.get(k) else { unreachable!() };
        // The continuation may only return through host frames that are still active; its
        // outermost host frame is taken to be the current outermost one.
        let hosts_then: Vec<(usize, u32)> = cont
            .frames
            .iter()
            .enumerate()
            .filter(|(_, f)| f.code == Frame::HOST)
            .map(|(i, f)| (i, f.pc))
            .collect();
        let hosts_now: Vec<(usize, u32)> = self
            .frames
            .iter()
            .enumerate()
            .filter(|(_, f)| f.code == Frame::HOST)
            .map(|(i, f)| (i, f.pc))
            .collect();
        let compatible = hosts_then.len() == hosts_now.len()
            && hosts_then.iter().zip(&hosts_now).skip(1).all(|(a, b)| a == b)
            && hosts_then.first().map(|h| h.0) == hosts_now.first().map(|h| h.0);
        if !compatible {
            self.stack.truncate(fi);
            let cond =
                Condition::new("continuation", "continuation invoked outside the host call that captured it");
            return self.signal(regs, cond);
        }
        self.stack.clear();
        self.stack.extend_from_slice(&cont.stack);
        self.frames.clear();
        self.frames.extend_from_slice(&cont.frames);
        if let (Some(&(i, _)), Some(&(_, id))) = (hosts_then.first(), hosts_now.first()) {
            self.frames[i].pc = id;
        }
        let frame = match self.frames.pop() {
            Some(f) => f,
            None => return Ok(Flow::Done(value)),
        };
        if frame.code == Frame::HOST {
            return Ok(Flow::Done(value));
        }
        *regs = self.regs_for(frame.code, frame.pc, frame.base);
        self.stack.push(value);
        Ok(Flow::Continue)
    }

    /// Raises `cond` as a Scheme error object: calls the Scheme `raise` from the running
    /// frame, or ends the run if the library is not loaded.
    pub(crate) fn signal(&mut self, regs: &mut Regs, cond: Condition) -> Result<Flow, SchemeError> {
        let obj = crate::builtins::make_error_object(&mut self.heap, cond);
        let raise = self.globals[self.raise_slot as usize];
        if !matches!(raise, Value::Object(_)) {
            return Err(self.uncaught(obj, regs.code_index, regs.pc));
        }
        let fi = self.stack.len();
        self.stack.push(raise);
        self.stack.push(obj);
        self.apply(regs, fi, 1, false)
    }
}
