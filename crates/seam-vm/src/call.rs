//! Calls and returns outside the interpreter's fast paths: entering from the host, applying
//! any kind of procedure (closures with rest arguments, `case-lambda`, parameters,
//! continuations, builtins, `apply`, `%call/cc`), returning, capturing and resuming
//! continuations, and raising runtime errors as Scheme conditions.
//!
//! Stack discipline: a running frame's stack is exactly `base + frame_size` long. A call
//! site truncates the stack to just above its arguments before an out-of-line `apply`; every
//! path that resumes a frame restores its length with `fit`.

use crate::builtins::{Control, Kind, BUILTINS};
use crate::error::{Condition, SchemeError};
use crate::host::HostOutcome;
use crate::interp::{Flow, Regs};
use crate::object::{Code, CodePtr, Continuation, Frame, Object};
use crate::value::{decoded, Value, Word};
use crate::vm::Vm;

impl Vm {
    pub(crate) fn regs_for(&self, code_index: u32, pc: u32, base: u32) -> Regs {
        let code: *const Code = self.heap.code(code_index);
        Regs { code_index, code, pc, base }
    }

    /// Calls `f` with `args` and runs until it returns. Errors not caught by Scheme code
    /// end the call; the VM stays usable.
    pub fn call(&mut self, f: Value, args: &[Value]) -> Result<Value, SchemeError> {
        let stack_len = self.stack.len();
        let frames_len = self.frames.len();
        self.next_run_id = self.next_run_id.wrapping_add(1);
        self.frames.push(Frame {
            code: Frame::HOST,
            pc: self.next_run_id,
            base: 0,
            ptr: CodePtr(std::ptr::null()),
        });
        self.push(f);
        for &a in args {
            self.push(a);
        }
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

    #[inline(always)]
    pub(crate) fn free_var(&self, base: u32, i: u32) -> Word {
        match self.stack[base as usize - 1].object_index() {
            Some(o) => match self.heap.get(o) {
                Object::Closure(c) => c.free[i as usize],
                _ => Word::UNSPECIFIED,
            },
            None => Word::UNSPECIFIED,
        }
    }

    /// The contents of box `b` (or `b` itself when it is not a box).
    pub(crate) fn unbox(&self, b: Word) -> Word {
        match b.object_index().map(|o| self.heap.get(o)) {
            Some(Object::Box(w)) => *w,
            _ => b,
        }
    }

    pub(crate) fn set_box(&mut self, b: Word, v: Word) {
        if let Some(Object::Box(cell)) = b.object_index().map(|o| self.heap.get_mut(o)) {
            *cell = v;
        }
    }

    /// Sets the stack length to `n`, filling new registers with the unspecified value.
    #[inline(always)]
    pub(crate) fn set_stack_len(&mut self, n: usize) {
        let len = self.stack.len();
        if n <= len {
            self.stack.truncate(n);
        } else {
            if n > self.stack.capacity() {
                self.grow_stack(n);
            }
            let p = self.stack.as_mut_ptr();
            for i in len..n {
                // SAFETY: `i < n <= capacity`, so the slot is inside the buffer.
                unsafe { p.add(i).write(Word::UNSPECIFIED) };
            }
            // SAFETY: `n <= capacity`, and every slot below `n` is initialised: those below
            // `len` were, the rest were just written.
            unsafe { self.stack.set_len(n) };
        }
    }

    /// Makes room for a stack of `n` slots (at least doubling, as `Vec` does).
    #[cold]
    #[inline(never)]
    fn grow_stack(&mut self, n: usize) {
        self.stack.reserve(n - self.stack.len());
    }

    /// Pushes `v` on the value stack.
    #[inline(always)]
    pub(crate) fn push(&mut self, v: Value) {
        let w = self.heap.word(v);
        self.stack.push(w);
    }

    /// The value in stack slot `i`.
    #[inline(always)]
    pub(crate) fn slot(&self, i: usize) -> Value {
        self.stack[i].get()
    }

    /// Stores `v` in stack slot `i`.
    #[inline(always)]
    pub(crate) fn set_slot(&mut self, i: usize, v: Value) {
        let w = self.heap.word(v);
        self.stack[i] = w;
    }

    /// The values in stack slots `from..`.
    pub(crate) fn slots(&self, from: usize) -> Vec<Value> {
        self.stack[from..].iter().map(|w| w.get()).collect()
    }

    /// Restores the running frame's stack length (`base + frame_size`) after a call returned
    /// into it; registers above the call site read as unspecified.
    #[inline(always)]
    pub(crate) fn fit(&mut self, regs: &Regs) {
        if regs.code_index != Frame::HOST {
            let size = regs.code().frame_size as usize;
            self.set_stack_len(regs.base as usize + size);
        }
    }

    /// Returns `result` from the running frame to its caller.
    #[inline(always)]
    pub(crate) fn return_value(&mut self, regs: &mut Regs, result: Value) -> Flow {
        self.stack.truncate(regs.base as usize - 1);
        let frame = match self.frames.pop() {
            Some(f) => f,
            None => return Flow::Done(result),
        };
        if frame.code == Frame::HOST {
            return Flow::Done(result);
        }
        *regs = self.regs_for(frame.code, frame.pc, frame.base);
        self.push(result);
        self.fit(regs);
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
            let f = self.slot(fi);
            match f {
                Value::Object(o) => match self.heap.get(o) {
                    Object::Closure(c) => {
                        let target = c.code_index();
                        return self.enter_closure(regs, target, fi, argc, tail);
                    }
                    Object::CaseLambda(clauses) => {
                        let chosen = clauses.iter().copied().find(|&c| self.accepts(c, argc));
                        match chosen {
                            Some(c) => {
                                self.set_slot(fi, c);
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
                    Object::Host(_) => {
                        let outcome = self.call_host(o, fi, argc);
                        return self.host_returned(regs, fi, tail, outcome);
                    }
                    _ => {}
                },
                Value::Primitive(p) => {
                    let b = &BUILTINS[p as usize];
                    if !b.accepts(argc) {
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
                            let args = &self.stack[fi + 1..];
                            let result = match b.words.and_then(|fast| fast(&mut self.heap, args)) {
                                Some(w) => Ok(w.get()),
                                None => decoded(args, |args| func(&mut self.heap, args)),
                            };
                            self.stack.truncate(fi);
                            return match result {
                                Ok(v) => Ok(self.deliver(regs, v, tail)),
                                Err(c) => self.signal(regs, c),
                            };
                        }
                        Kind::Vm(func) => {
                            // The argument words copied off the stack, which `func` may change.
                            const FEW: usize = 4;
                            let n = self.stack.len() - (fi + 1);
                            let result = if n <= FEW {
                                let mut words = [Word::UNSPECIFIED; FEW];
                                words[..n].copy_from_slice(&self.stack[fi + 1..]);
                                decoded(&words[..n], |args| func(self, args))
                            } else {
                                let args = self.slots(fi + 1);
                                func(self, &args)
                            };
                            self.stack.truncate(fi);
                            return match result {
                                Ok(v) => Ok(self.deliver(regs, v, tail)),
                                Err(c) => self.signal(regs, c),
                            };
                        }
                        Kind::Control(control) => match control {
                            Control::Apply => {
                                // (apply f a ... list): spread the list in place.
                                let last = self.slot(fi + argc);
                                let Some(items) = self.heap.list_to_vec(last) else {
                                    self.stack.truncate(fi);
                                    let c = Condition::wrong_type(&self.heap, "apply", argc, "list", last);
                                    return self.signal(regs, c);
                                };
                                self.stack.pop();
                                self.stack.remove(fi);
                                argc = argc - 2 + items.len();
                                for item in items {
                                    self.push(item);
                                }
                                continue;
                            }
                            Control::CallCc => {
                                let f = self.stack[fi + 1];
                                let k = self.capture(regs, fi, tail);
                                self.stack.truncate(fi);
                                self.stack.push(f);
                                self.push(k);
                                argc = 1;
                                continue;
                            }
                            Control::Eval => {
                                let compiled = self.eval_operands(fi, argc);
                                self.stack.truncate(fi);
                                match compiled {
                                    Ok(thunk) => {
                                        self.push(thunk);
                                        argc = 0;
                                        continue;
                                    }
                                    Err(c) => return self.signal(regs, c),
                                }
                            }
                            Control::Exit => return Err(self.exit_error(fi)),
                            Control::Abort => {
                                let payload = self.slot(fi + 1);
                                return Err(self.uncaught(payload, regs.code_index, regs.pc));
                            }
                        },
                    }
                }
                _ => {}
            }
            return self.not_a_procedure(regs, fi, f);
        }
    }

    // The rare outcomes of `apply`, kept out of line so its hot paths stay compact.

    #[cold]
    #[inline(never)]
    fn not_a_procedure(&mut self, regs: &mut Regs, fi: usize, f: Value) -> Result<Flow, SchemeError> {
        let shown = crate::printer::write_limited(&self.heap, f, 60);
        self.stack.truncate(fi);
        let cond =
            Condition { kind: "type", message: format!("not a procedure: {shown}"), irritants: vec![f] };
        self.signal(regs, cond)
    }

    /// `(exit [status])`: flushes file ports and ends the run with the status.
    #[cold]
    #[inline(never)]
    fn exit_error(&mut self, fi: usize) -> SchemeError {
        let code = match self.stack.get(fi + 1).map(|w| w.get()) {
            // Out of range (negative included) is a failure: 255, as `exit(-1)` in C.
            Some(Value::Fixnum(n)) => u8::try_from(n).map_or(255, i32::from),
            Some(Value::Bool(false)) => 1,
            _ => 0,
        };
        crate::builtins::flush_all(&mut self.heap);
        SchemeError {
            kind: "exit".into(),
            message: format!("exit {code}"),
            location: None,
            backtrace: Vec::new(),
            exit_code: Some(code),
            source: None,
        }
    }

    /// `(eval datum [environment])`: the compiled thunk.
    #[inline(never)]
    fn eval_operands(&mut self, fi: usize, argc: usize) -> Result<Value, Condition> {
        let env = match argc {
            1 => self.environment_value(seam_expand::Environment::INTERACTION),
            _ => self.slot(fi + 2),
        };
        self.compile_for_eval(self.slot(fi + 1), env)
    }

    /// Whether procedure `f` accepts `argc` arguments.
    fn accepts(&self, f: Value, argc: usize) -> bool {
        match self.heap.object(f) {
            Some(Object::Closure(c)) => {
                let code = c.code();
                argc == code.required as usize || (code.rest && argc >= code.required as usize)
            }
            _ => true,
        }
    }

    /// Finishes a call of the host function at `stack[fi]` that produced `outcome`: delivers
    /// its value, raises its error, suspends for its future, or follows a continuation a
    /// callback inside it invoked.
    #[inline]
    pub(crate) fn host_returned(
        &mut self,
        regs: &mut Regs,
        fi: usize,
        tail: bool,
        outcome: HostOutcome,
    ) -> Result<Flow, SchemeError> {
        let result = match outcome {
            HostOutcome::Value(v) => Ok(v),
            HostOutcome::Error(e) => Err(e),
            HostOutcome::Suspend(future) => return Ok(self.suspend(regs, fi, tail, future)),
        };
        self.stack.truncate(fi);
        if let Some((k, value, depth)) = self.pending_escape {
            if depth == host_frames(&self.frames).len() {
                // A continuation invoked inside the host function's callback
                // escapes to here (see `resume_continuation`).
                self.pending_escape = None;
                let Value::Object(k) = k else { unreachable!("continuations are objects") };
                self.stack.push(Word::object(k));
                self.push(value);
                return self.resume_continuation(regs, k, fi, 1);
            }
        }
        match result {
            Ok(v) => Ok(self.deliver(regs, v, tail)),
            Err(error) => self.raise_object(regs, error),
        }
    }

    /// A value produced by a builtin: pushed for the caller, or returned when in tail position.
    #[inline]
    fn deliver(&mut self, regs: &mut Regs, v: Value, tail: bool) -> Flow {
        if tail {
            self.return_value(regs, v)
        } else {
            self.push(v);
            self.fit(regs);
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
            let extra = self.slots(fi + 1 + required);
            self.stack.truncate(fi + 1 + required);
            let list = self.heap.list(&extra);
            self.push(list);
        }
        let mut base = fi + 1;
        if tail && regs.code_index != Frame::HOST {
            let dst = regs.base as usize - 1;
            let len = self.stack.len() - fi;
            self.stack.copy_within(fi.., dst);
            self.stack.truncate(dst + len);
            base = dst + 1;
        } else if !tail {
            self.frames.push(Frame {
                code: regs.code_index,
                pc: regs.pc,
                base: regs.base,
                ptr: CodePtr(regs.code),
            });
        }
        self.stack.resize(base + frame_size, Word::UNSPECIFIED);
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
            frames.push(Frame {
                code: regs.code_index,
                pc: regs.pc,
                base: regs.base,
                ptr: CodePtr(regs.code),
            });
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
            self.slot(fi + 1)
        } else {
            let values: Box<[Value]> = self.slots(fi + 1).into();
            self.heap.alloc(Object::Values(values))
        };
        let Object::Continuation(cont) = self.heap.get(k) else { unreachable!() };
        // The continuation may only return through host frames that are still active; its
        // outermost host frame is taken to be the current outermost one.
        let hosts_then = host_frames(&cont.frames);
        let hosts_now = host_frames(&self.frames);
        let compatible = hosts_then.len() == hosts_now.len()
            && hosts_then.iter().zip(&hosts_now).skip(1).all(|(a, b)| a == b)
            && hosts_then.first().map(|h| h.0) == hosts_now.first().map(|h| h.0);
        // A continuation of an outer run, invoked inside a host function's call back into
        // Scheme: end this run; the host function's call returns an error, and when the host
        // function returns the escape continues in the run that owns the continuation.
        let outer = hosts_then.len() < hosts_now.len()
            && hosts_then.first().map(|h| h.0) == hosts_now.first().map(|h| h.0)
            && hosts_then.iter().zip(&hosts_now).skip(1).all(|(a, b)| a == b);
        if outer {
            self.pending_escape = Some((Value::Object(k), value, hosts_then.len()));
            return Err(SchemeError {
                kind: "escape".into(),
                message: "a continuation escaped through a host function".into(),
                location: None,
                backtrace: Vec::new(),
                exit_code: None,
                source: None,
            });
        }
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
        self.push(value);
        self.fit(regs);
        Ok(Flow::Continue)
    }

    /// Raises `cond` as a Scheme error object: calls the Scheme `raise` from the running
    /// frame, or ends the run if the library is not loaded. Out of line: errors are the slow
    /// path, and inlined into the interpreter loop they cost its fast paths registers.
    #[cold]
    #[inline(never)]
    pub(crate) fn signal(&mut self, regs: &mut Regs, cond: Condition) -> Result<Flow, SchemeError> {
        let obj = crate::builtins::make_error_object(&mut self.heap, cond);
        self.raise_object(regs, obj)
    }

    /// Raises `obj` (non-continuably) through the Scheme `raise`.
    ///
    /// This is a check point like a call (`limits.rs`): the call to `raise` is not a `Call`
    /// instruction, and a raise whose handling fails again before reaching one (a broken
    /// handler stack, a `raise` that fails itself) would otherwise loop, pushing a frame
    /// each time, with no limit ever checked. `raise` and `obj` are on the stack (rooted)
    /// before the check point may collect.
    #[cold]
    #[inline(never)]
    pub(crate) fn raise_object(&mut self, regs: &mut Regs, obj: Value) -> Result<Flow, SchemeError> {
        let raise = self.globals[self.raise_slot as usize];
        if raise.object_index().is_none() {
            return Err(self.uncaught(obj, regs.code_index, regs.pc));
        }
        let fi = self.stack.len();
        self.stack.push(raise);
        self.push(obj);
        if let Err(limit) = self.check_point() {
            return Err(self.limit_error(*regs, limit));
        }
        self.apply(regs, fi, 1, false)
    }
}

/// The positions and run ids of the host frames in `frames`.
fn host_frames(frames: &[Frame]) -> Vec<(usize, u32)> {
    frames.iter().enumerate().filter(|(_, f)| f.code == Frame::HOST).map(|(i, f)| (i, f.pc)).collect()
}
