//! Code generation: core forms into [`Proto`]s for the stack machine described in `op.rs`.
//! Tail positions become `TailCall`/`Return`, lexical variables become frame slots or closure
//! free variables (assigned variables live in boxes), and a few builtins are
//! inlined as single instructions while their global names keep their builtin meaning.

use std::collections::HashMap;
use std::sync::Arc;

use seam_expand::{Expr, ExprKind, Lambda, Var};
use seam_syntax::{Datum, DatumKind, Number, Span};

use crate::analyze::Analysis;
use crate::op::{Constant, Linker, Op, Proto, INLINED};
use crate::CompileError;

/// Where a variable lives, seen from the function being compiled.
#[derive(Clone, Copy, Debug)]
enum Loc {
    Local(u32),
    Free(u32),
}

/// The function being compiled.
struct FnState {
    proto: Proto,
    /// Variables bound in this function, by id, with their slot.
    locals: HashMap<u32, u32>,
    /// Free variables captured by this function, in free-index order.
    free: Vec<Var>,
    next_slot: u32,
    /// The span of the last recorded run of instructions.
    last_span: Option<Span>,
    /// The variable this function is bound to by a knot-tied `letrec` (never assigned): a tail
    /// call through it with the right argument count is a jump back to `body_start`.
    self_var: Option<u32>,
    /// Where the body starts, after the parameter-boxing prologue.
    body_start: u32,
}

impl FnState {
    fn new(name: Option<Arc<str>>, span: Span) -> FnState {
        FnState {
            proto: Proto {
                name,
                required: 0,
                rest: false,
                frame_size: 0,
                code: Vec::new(),
                constants: Vec::new(),
                protos: Vec::new(),
                spans: Vec::new(),
                span,
                local_names: Vec::new(),
            },
            locals: HashMap::new(),
            free: Vec::new(),
            next_slot: 0,
            last_span: None,
            self_var: None,
            body_start: 0,
        }
    }
}

pub(crate) struct Compiler<'l> {
    linker: &'l mut dyn Linker,
    analysis: Analysis,
    fns: Vec<FnState>,
}

const MAX_SLOTS: u32 = u16::MAX as u32;

impl<'l> Compiler<'l> {
    pub(crate) fn compile_toplevel(expr: &Expr, linker: &'l mut dyn Linker) -> Result<Proto, CompileError> {
        let mut compiler = Compiler { linker, analysis: Analysis::of(expr), fns: Vec::new() };
        compiler.fns.push(FnState::new(None, expr.span.clone()));
        // A top-level form runs once, so its last call need not be a tail call: keeping its
        // frame keeps the form's location in backtraces.
        compiler.expr(expr, false)?;
        compiler.emit(Op::Return, &expr.span);
        let state = compiler.fns.pop().ok_or_else(|| CompileError::internal(&expr.span))?;
        Ok(finish(state))
    }

    fn state(&mut self) -> &mut FnState {
        // The function stack is never empty while compiling: compile_toplevel pushes the
        // top-level function first and pops it last.
        let last = self.fns.len() - 1;
        &mut self.fns[last]
    }

    fn emit(&mut self, op: Op, span: &Span) {
        let state = self.state();
        if state.last_span.as_ref() != Some(span) {
            state.proto.spans.push((state.proto.code.len() as u32, span.clone()));
            state.last_span = Some(span.clone());
        }
        state.proto.code.push(op);
    }

    fn here(&mut self) -> u32 {
        self.state().proto.code.len() as u32
    }

    fn patch(&mut self, at: u32, target: u32) -> Result<(), CompileError> {
        let state = self.state();
        let op = &mut state.proto.code[at as usize];
        match op {
            Op::Jump(t) | Op::JumpIfFalse(t) => *t = target,
            Op::JumpUnlessLocalLtImm { target: t, .. } | Op::JumpUnlessLocalEqImm { target: t, .. } => {
                *t = u16::try_from(target).map_err(|_| {
                    CompileError::new(&state.proto.span, "procedure too large (more than 65535 instructions)")
                })?;
            }
            _ => {
                return Err(CompileError::new(
                    &state.proto.span,
                    "internal compiler error: patching a non-jump",
                ))
            }
        }
        Ok(())
    }

    /// The frame slot of `e` if it is an unboxed local of the running function.
    fn plain_local(&self, e: &Expr) -> Option<u32> {
        let ExprKind::Local(v) = &e.kind else { return None };
        let state = self.fns.last()?;
        let slot = *state.locals.get(&v.id)?;
        (!self.analysis.boxed(v.id)).then_some(slot)
    }

    /// For a test `(< x k)` or `(= x k)` on an unboxed local and a fixnum: the fused
    /// compare-and-branch op (target patched later).
    fn fused_test(&self, test: &Expr) -> Option<Op> {
        let ExprKind::Call(f, args) = &test.kind else { return None };
        let ExprKind::Global(name) = &f.kind else { return None };
        let [x, k] = args.as_slice() else { return None };
        let slot = u8::try_from(self.plain_local(x)?).ok()?;
        let imm = small_fixnum(k)?;
        if self.linker.is_redefined(name) {
            return None;
        }
        match &**name {
            "<" => Some(Op::JumpUnlessLocalLtImm { slot, target: 0, imm }),
            "=" => Some(Op::JumpUnlessLocalEqImm { slot, target: 0, imm }),
            _ => None,
        }
    }

    fn alloc_slot(&mut self, name: &Arc<str>, span: &Span) -> Result<u32, CompileError> {
        let state = self.state();
        let slot = state.next_slot;
        if slot >= MAX_SLOTS {
            return Err(CompileError::new(span, "too many local variables in one procedure"));
        }
        state.next_slot += 1;
        state.proto.frame_size = state.proto.frame_size.max(state.next_slot);
        if state.proto.local_names.len() <= slot as usize {
            state.proto.local_names.resize(slot as usize + 1, Arc::from(""));
        }
        state.proto.local_names[slot as usize] = name.clone();
        Ok(slot)
    }

    fn bind(&mut self, var: &Var, span: &Span) -> Result<u32, CompileError> {
        let slot = self.alloc_slot(&var.name, span)?;
        self.state().locals.insert(var.id, slot);
        Ok(slot)
    }

    /// Finds `var` from the function at `level`, adding it to free lists as needed.
    fn resolve(&mut self, var: &Var, level: usize) -> Loc {
        if let Some(&slot) = self.fns[level].locals.get(&var.id) {
            return Loc::Local(slot);
        }
        if let Some(i) = self.fns[level].free.iter().position(|v| v.id == var.id) {
            return Loc::Free(i as u32);
        }
        self.fns[level].free.push(var.clone());
        Loc::Free(self.fns[level].free.len() as u32 - 1)
    }

    fn constant(&mut self, c: Constant) -> u32 {
        let constants = &mut self.state().proto.constants;
        constants.push(c);
        constants.len() as u32 - 1
    }

    fn expr(&mut self, e: &Expr, tail: bool) -> Result<(), CompileError> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(e, tail))
    }

    fn expr_inner(&mut self, e: &Expr, tail: bool) -> Result<(), CompileError> {
        let span = &e.span;
        match &e.kind {
            ExprKind::Const(d) => self.literal(d, span),
            ExprKind::Unspecified => self.emit(Op::Unspecified, span),
            ExprKind::Local(v) => {
                let level = self.fns.len() - 1;
                let boxed = self.analysis.boxed(v.id);
                let op = match (self.resolve(v, level), boxed) {
                    (Loc::Local(s), false) => Op::Local(s),
                    (Loc::Local(s), true) => Op::LocalBox(s),
                    (Loc::Free(i), false) => Op::Free(i),
                    (Loc::Free(i), true) => Op::FreeBox(i),
                };
                self.emit(op, span);
            }
            ExprKind::Global(name) => {
                let slot = self.linker.global(name);
                self.emit(Op::Global(slot), span);
            }
            ExprKind::SetLocal(v, value) => {
                self.expr(value, false)?;
                let level = self.fns.len() - 1;
                let boxed = self.analysis.boxed(v.id);
                let op = match (self.resolve(v, level), boxed) {
                    (Loc::Local(s), false) => Op::SetLocal(s),
                    (Loc::Local(s), true) => Op::SetLocalBox(s),
                    (Loc::Free(i), _) => Op::SetFreeBox(i),
                };
                self.emit(op, span);
                self.emit(Op::Unspecified, span);
            }
            ExprKind::SetGlobal(name, value) => {
                self.expr(value, false)?;
                let slot = self.linker.global(name);
                self.emit(Op::SetGlobal(slot), span);
                self.emit(Op::Unspecified, span);
            }
            ExprKind::DefineGlobal(name, value) => {
                self.expr(value, false)?;
                let slot = self.linker.global(name);
                self.emit(Op::DefineGlobal(slot), span);
                self.emit(Op::Unspecified, span);
            }
            ExprKind::If(test, then, alt) => {
                let jump_false = self.here();
                match self.fused_test(test) {
                    Some(op) => self.emit(op, &test.span),
                    None => {
                        self.expr(test, false)?;
                        let at = self.here();
                        self.emit(Op::JumpIfFalse(0), span);
                        return self.if_branches(at, then, alt, tail, span);
                    }
                }
                self.if_branches(jump_false, then, alt, tail, span)?;
                return Ok(());
            }
            ExprKind::Lambda(l) => self.lambda(l, None)?,
            ExprKind::CaseLambda(clauses) => {
                for l in clauses {
                    self.lambda(l, None)?;
                }
                self.emit(Op::MakeCaseLambda(clauses.len() as u32), span);
            }
            ExprKind::Seq(es) => {
                let Some((last, init)) = es.split_last() else {
                    self.emit(Op::Unspecified, span);
                    return self.ret(tail, span);
                };
                for e in init {
                    self.expr(e, false)?;
                    self.emit(Op::Pop, &e.span);
                }
                return self.expr(last, tail);
            }
            ExprKind::Call(f, args) => return self.call(f, args, tail, span),
            ExprKind::Let(bindings, body) => {
                for (_, init) in bindings {
                    self.expr(init, false)?;
                }
                let saved = self.state().next_slot;
                let mut slots = Vec::with_capacity(bindings.len());
                for (v, _) in bindings {
                    slots.push(self.bind(v, span)?);
                }
                for ((v, _), &slot) in bindings.iter().zip(&slots).rev() {
                    self.emit(Op::SetLocal(slot), span);
                    if self.analysis.boxed(v.id) {
                        self.emit(Op::BoxLocal(slot), span);
                    }
                }
                self.expr(body, tail)?;
                self.unbind(bindings, saved);
                return Ok(());
            }
            ExprKind::Letrec(bindings, body) => {
                let saved = self.state().next_slot;
                if self.analysis.is_fixable(bindings) {
                    self.letrec_fixed(bindings, span)?;
                } else {
                    self.letrec_boxed(bindings, span)?;
                }
                self.expr(body, tail)?;
                self.unbind(bindings, saved);
                return Ok(());
            }
        }
        self.ret(tail, span)
    }

    /// The branches of an `if` whose conditional jump is at `jump_false`.
    fn if_branches(
        &mut self,
        jump_false: u32,
        then: &Expr,
        alt: &Expr,
        tail: bool,
        span: &Span,
    ) -> Result<(), CompileError> {
        self.expr(then, tail)?;
        if tail {
            // `then` ended in Return or TailCall: no jump over `alt` needed.
            let target = self.here();
            self.patch(jump_false, target)?;
            self.expr(alt, tail)
        } else {
            let jump_end = self.here();
            self.emit(Op::Jump(0), span);
            let target = self.here();
            self.patch(jump_false, target)?;
            self.expr(alt, tail)?;
            let end = self.here();
            self.patch(jump_end, end)
        }
    }

    fn unbind(&mut self, bindings: &[(Var, Expr)], saved_slot: u32) {
        let state = self.state();
        for (v, _) in bindings {
            state.locals.remove(&v.id);
        }
        state.next_slot = saved_slot;
    }

    fn ret(&mut self, tail: bool, span: &Span) -> Result<(), CompileError> {
        if tail {
            self.emit(Op::Return, span);
        }
        Ok(())
    }

    /// `letrec*` in general: slots hold boxes initialised in order.
    fn letrec_boxed(&mut self, bindings: &[(Var, Expr)], span: &Span) -> Result<(), CompileError> {
        let mut slots = Vec::with_capacity(bindings.len());
        for (v, _) in bindings {
            let slot = self.bind(v, span)?;
            slots.push(slot);
            self.emit(Op::Undefined, span);
            self.emit(Op::SetLocal(slot), span);
            if self.analysis.boxed(v.id) {
                self.emit(Op::BoxLocal(slot), span);
            }
        }
        for ((v, init), &slot) in bindings.iter().zip(&slots) {
            match &init.kind {
                ExprKind::Lambda(l) => self.lambda(l, Some(&v.name))?,
                _ => self.expr(init, false)?,
            }
            let op = if self.analysis.boxed(v.id) { Op::SetLocalBox(slot) } else { Op::SetLocal(slot) };
            self.emit(op, &init.span);
        }
        Ok(())
    }

    /// `letrec*` whose inits are all lambdas: make the closures with placeholders for the
    /// group's variables, then tie the knot with `FixClosure`.
    fn letrec_fixed(&mut self, bindings: &[(Var, Expr)], span: &Span) -> Result<(), CompileError> {
        let mut slots = Vec::with_capacity(bindings.len());
        for (v, _) in bindings {
            slots.push(self.bind(v, span)?);
        }
        let group: HashMap<u32, u32> = bindings.iter().zip(&slots).map(|((v, _), &s)| (v.id, s)).collect();
        let mut fixes = Vec::new();
        for ((v, init), &slot) in bindings.iter().zip(&slots) {
            let ExprKind::Lambda(l) = &init.kind else {
                return Err(CompileError::internal(&init.span));
            };
            let free = self.lambda_with_group(l, Some(v), &group)?;
            self.emit(Op::SetLocal(slot), &init.span);
            for (index, value_slot) in free {
                fixes.push((slot, index, value_slot));
            }
        }
        for (closure, free, value) in fixes {
            let closure = u16::try_from(closure).map_err(|_| CompileError::new(span, "too many locals"))?;
            let free = u16::try_from(free).map_err(|_| CompileError::new(span, "too many free variables"))?;
            let value = u16::try_from(value).map_err(|_| CompileError::new(span, "too many locals"))?;
            self.emit(Op::FixClosure { closure, free, value }, span);
        }
        Ok(())
    }

    fn lambda(&mut self, l: &Lambda, name: Option<&Arc<str>>) -> Result<(), CompileError> {
        let var = name.map(|n| Var { id: u32::MAX, name: n.clone() });
        self.lambda_with_group(l, var.as_ref(), &HashMap::new()).map(|_| ())
    }

    /// Compiles `l` and emits the `MakeClosure`; returns the (free index, slot) pairs of the
    /// free variables that belong to `group` and were left as placeholders.
    fn lambda_with_group(
        &mut self,
        l: &Lambda,
        bound_to: Option<&Var>,
        group: &HashMap<u32, u32>,
    ) -> Result<Vec<(u32, u32)>, CompileError> {
        let name = l.name.clone().or_else(|| bound_to.map(|v| v.name.clone()));
        let mut state = FnState::new(name, l.span.clone());
        state.proto.required = l.params.len() as u32;
        state.proto.rest = l.rest.is_some();
        // Only variables of a knot-tied letrec group are never reassigned after binding.
        state.self_var = bound_to.filter(|v| group.contains_key(&v.id)).map(|v| v.id);
        self.fns.push(state);
        for p in l.params.iter().chain(l.rest.iter()) {
            let slot = self.bind(p, &l.span)?;
            if self.analysis.boxed(p.id) {
                self.emit(Op::BoxLocal(slot), &l.span);
            }
        }
        let start = self.here();
        self.state().body_start = start;
        self.expr(&l.body, true)?;
        let state = self.fns.pop().ok_or_else(|| CompileError::internal(&l.span))?;
        let free = state.free.clone();
        let proto = finish(state);
        let index = self.state().proto.protos.len() as u32;
        self.state().proto.protos.push(proto);
        let level = self.fns.len() - 1;
        let mut placeholders = Vec::new();
        for (i, v) in free.iter().enumerate() {
            if let Some(&slot) = group.get(&v.id) {
                self.emit(Op::Undefined, &l.span);
                placeholders.push((i as u32, slot));
                continue;
            }
            // Push the raw slot (the box itself when boxed): the closure shares it.
            let op = match self.resolve(v, level) {
                Loc::Local(s) => Op::Local(s),
                Loc::Free(i) => Op::Free(i),
            };
            self.emit(op, &l.span);
        }
        let count = u16::try_from(free.len())
            .map_err(|_| CompileError::new(&l.span, "too many free variables in one procedure"))?;
        self.emit(Op::MakeClosure { proto: index, free: count }, &l.span);
        Ok(placeholders)
    }

    fn literal(&mut self, d: &Datum, span: &Span) {
        let op = match &d.kind {
            DatumKind::Bool(true) => Op::True,
            DatumKind::Bool(false) => Op::False,
            DatumKind::Number(Number::Fixnum(n)) if i32::try_from(*n).is_ok() => Op::Fixnum(*n as i32),
            DatumKind::List(items, None) if items.is_empty() => Op::Null,
            _ => Op::Const(self.constant(Constant::Datum(d.clone()))),
        };
        self.emit(op, span);
    }

    fn call(&mut self, f: &Expr, args: &[Expr], tail: bool, span: &Span) -> Result<(), CompileError> {
        if tail {
            if let ExprKind::Local(v) = &f.kind {
                let state = self.state();
                if state.self_var == Some(v.id)
                    && !state.proto.rest
                    && state.proto.required as usize == args.len()
                {
                    return self.self_tail_call(args, span);
                }
            }
        }
        if let ExprKind::Global(name) = &f.kind {
            if let Some(op) = self.inline(name, args, span)? {
                self.emit(op, span);
                return self.ret(tail, span);
            }
        }
        self.expr(f, false)?;
        for a in args {
            self.expr(a, false)?;
        }
        let n = args.len() as u32;
        self.emit(if tail { Op::TailCall(n) } else { Op::Call(n) }, span);
        Ok(())
    }

    /// A tail call of the running function by its own name: assign the parameters and jump
    /// back to the start of the body (a loop, with a check point at the backward jump).
    fn self_tail_call(&mut self, args: &[Expr], span: &Span) -> Result<(), CompileError> {
        for a in args {
            self.expr(a, false)?;
        }
        // Parameters occupy slots 0..n in order.
        for slot in (0..args.len() as u32).rev() {
            self.emit(Op::SetLocal(slot), span);
        }
        let boxed: Vec<u32> = (0..args.len() as u32).filter(|&s| self.param_boxed(s)).collect();
        for slot in boxed {
            self.emit(Op::BoxLocal(slot), span);
        }
        let start = self.state().body_start;
        self.emit(Op::Jump(start), span);
        Ok(())
    }

    /// Whether parameter `slot` of the running function lives in a box.
    fn param_boxed(&self, slot: u32) -> bool {
        self.fns
            .last()
            .is_some_and(|state| state.locals.iter().any(|(&id, &s)| s == slot && self.analysis.boxed(id)))
    }

    /// Emits the operands of an inlinable builtin call and returns the op that finishes it.
    fn inline(&mut self, name: &str, args: &[Expr], span: &Span) -> Result<Option<Op>, CompileError> {
        let Some(&(_, arity)) = INLINED.iter().find(|(n, _)| *n == name) else {
            return Ok(None);
        };
        if arity != args.len() || self.linker.is_redefined(name) {
            return Ok(None);
        }
        // An immediate second operand: (+ x 1), (- x 1), (< x 2), (= x 0).
        if let [x, k] = args {
            if let Some(k) = small_fixnum(k) {
                if let (Some(slot), "+" | "-") = (self.plain_local(x), name) {
                    let imm = if name == "+" { Some(k) } else { k.checked_neg() };
                    if let (Ok(slot), Some(imm)) = (u16::try_from(slot), imm) {
                        return Ok(Some(Op::LocalAddImm { slot, imm }));
                    }
                }
                let op = match name {
                    "+" => Some(Op::AddImm(k)),
                    "-" if k != i32::MIN => Some(Op::AddImm(-k)),
                    "<" => Some(Op::LtImm(k)),
                    "=" => Some(Op::NumEqImm(k)),
                    _ => None,
                };
                if let Some(op) = op {
                    self.expr(x, false)?;
                    return Ok(Some(op));
                }
            }
        }
        for a in args {
            self.expr(a, false)?;
        }
        let op = match name {
            "+" => Op::Add,
            "-" => Op::Sub,
            "*" => Op::Mul,
            "=" => Op::NumEq,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "car" => Op::Car,
            "cdr" => Op::Cdr,
            "cons" => Op::Cons,
            "null?" => Op::IsNull,
            "pair?" => Op::IsPair,
            "not" => Op::Not,
            "eq?" => Op::IsEq,
            "vector-ref" => Op::VectorRef,
            "vector-set!" => Op::VectorSet,
            "zero?" => Op::IsZero,
            _ => return Err(CompileError::new(span, format!("no inline form for {name}"))),
        };
        Ok(Some(op))
    }
}

fn small_fixnum(e: &Expr) -> Option<i32> {
    match &e.kind {
        ExprKind::Const(Datum { kind: DatumKind::Number(Number::Fixnum(n)), .. }) => i32::try_from(*n).ok(),
        _ => None,
    }
}

fn finish(state: FnState) -> Proto {
    state.proto
}
