//! Code generation: core forms into [`Proto`]s for the register machine described in
//! `op.rs`. Variables and temporaries get registers allocated like a stack; tail positions
//! become `TailCall`/`Return` (self tail calls become jumps), lexical variables become
//! registers or closure free variables (assigned ones live in boxes), and a few builtins are
//! inlined while their global names keep their builtin meaning.

use std::collections::HashMap;
use std::sync::Arc;

use seam_expand::{Expr, ExprKind, Lambda, Var};
use seam_syntax::{Datum, DatumKind, Number, Span};

use crate::analyze::Analysis;
use crate::loops::{as_loop, as_named_let, InlineLoop};
use crate::op::{Constant, Division, Linker, Op, Proto, Reg, INLINED};
use crate::CompileError;

/// Where a variable lives, seen from the function being compiled.
#[derive(Clone, Copy, Debug)]
enum Loc {
    Reg(Reg),
    Free(u16),
}

/// The function being compiled.
struct FnState {
    proto: Proto,
    /// Variables bound in this function, by id, with their register.
    locals: HashMap<u32, Reg>,
    /// Free variables captured by this function, in free-index order.
    free: Vec<Var>,
    /// First unallocated register.
    next_reg: u32,
    /// The span of the last recorded run of instructions.
    last_span: Option<Span>,
    /// The variable this function is bound to by a knot-tied `letrec` (never assigned): a tail
    /// call through it with the right argument count is a jump back to `body_start`.
    self_var: Option<u32>,
    /// Where the body starts, after the parameter-boxing prologue.
    body_start: u32,
    /// Loops compiled inline in this function (see `loops.rs`), innermost last.
    loops: Vec<InlineLoop>,
}

impl FnState {
    fn new(name: Option<Arc<str>>, span: Span) -> FnState {
        FnState {
            proto: Proto {
                name,
                required: 0,
                rest: false,
                frame_size: 0,
                free_count: 0,
                code: Vec::new(),
                constants: Vec::new(),
                protos: Vec::new(),
                spans: Vec::new(),
                span,
                local_names: Vec::new(),
            },
            locals: HashMap::new(),
            free: Vec::new(),
            next_reg: 0,
            last_span: None,
            self_var: None,
            body_start: 0,
            loops: Vec::new(),
        }
    }
}

pub(crate) struct Compiler<'l> {
    linker: &'l mut dyn Linker,
    analysis: Analysis,
    fns: Vec<FnState>,
}

/// Where an expression's value goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dest {
    /// Into this register.
    Reg(Reg),
    /// Returned from the function (tail position).
    Tail,
}

impl<'l> Compiler<'l> {
    pub(crate) fn compile_toplevel(expr: &Expr, linker: &'l mut dyn Linker) -> Result<Proto, CompileError> {
        let mut compiler = Compiler { linker, analysis: Analysis::of(expr), fns: Vec::new() };
        compiler.fns.push(FnState::new(None, expr.span.clone()));
        // A top-level form runs once, so its last call need not be a tail call: keeping its
        // frame keeps the form's location in backtraces.
        let r = compiler.any(expr)?;
        compiler.emit(Op::Return(r), &expr.span);
        let state = compiler.fns.pop().ok_or_else(|| CompileError::internal(&expr.span))?;
        Ok(state.proto)
    }

    fn state(&mut self) -> &mut FnState {
        // The function stack is never empty while compiling: compile_toplevel pushes the
        // top-level function first and pops it last.
        let last = self.fns.len() - 1;
        &mut self.fns[last]
    }

    pub(crate) fn emit(&mut self, op: Op, span: &Span) {
        let state = self.state();
        if state.last_span.as_ref() != Some(span) {
            state.proto.spans.push((state.proto.code.len() as u32, span.clone()));
            state.last_span = Some(span.clone());
        }
        state.proto.code.push(op);
    }

    pub(crate) fn here(&mut self) -> u32 {
        self.state().proto.code.len() as u32
    }

    /// Replaces the instruction at `pc` of the function being compiled.
    pub(crate) fn replace_op(&mut self, pc: u32, op: Op) {
        self.state().proto.code[pc as usize] = op;
    }

    /// The instruction at `pc` of the function being compiled.
    pub(crate) fn op_at(&mut self, pc: u32) -> Option<&Op> {
        self.state().proto.code.get(pc as usize)
    }

    fn patch(&mut self, at: u32, to: u32) -> Result<(), CompileError> {
        let state = self.state();
        let too_large =
            || CompileError::new(&state.proto.span, "procedure too large (more than 65535 instructions)");
        match &mut state.proto.code[at as usize] {
            Op::Jump(t) | Op::JumpIfFalse { target: t, .. } => *t = to,
            Op::JumpUnlessNull { target: t, .. }
            | Op::JumpUnlessPair { target: t, .. }
            | Op::JumpUnlessZero { target: t, .. } => *t = to,
            Op::JumpUnlessLtImm { target: t, .. }
            | Op::JumpUnlessEqImm { target: t, .. }
            | Op::JumpUnlessLt { target: t, .. }
            | Op::JumpUnlessEq { target: t, .. }
            | Op::JumpUnlessGt { target: t, .. }
            | Op::JumpUnlessGtImm { target: t, .. } => *t = u16::try_from(to).map_err(|_| too_large())?,
            _ => {
                return Err(CompileError::new(
                    &state.proto.span,
                    "internal compiler error: patching a non-jump",
                ))
            }
        }
        Ok(())
    }

    // -- registers

    /// Allocates the next register.
    pub(crate) fn alloc(&mut self, span: &Span) -> Result<Reg, CompileError> {
        let state = self.state();
        let reg = Reg::try_from(state.next_reg)
            .map_err(|_| CompileError::new(span, "too many variables and temporaries in one procedure"))?;
        state.next_reg += 1;
        state.proto.frame_size = state.proto.frame_size.max(state.next_reg);
        Ok(reg)
    }

    pub(crate) fn top(&mut self) -> u32 {
        self.state().next_reg
    }

    pub(crate) fn release(&mut self, to: u32) {
        self.state().next_reg = to;
    }

    fn bind(&mut self, var: &Var, span: &Span) -> Result<Reg, CompileError> {
        let reg = self.alloc(span)?;
        self.name_register(var, reg);
        Ok(reg)
    }

    /// Finds `var` from the function at `level`, adding it to free lists as needed.
    fn resolve(&mut self, var: &Var, level: usize, span: &Span) -> Result<Loc, CompileError> {
        if let Some(&reg) = self.fns[level].locals.get(&var.id) {
            return Ok(Loc::Reg(reg));
        }
        let index = match self.fns[level].free.iter().position(|v| v.id == var.id) {
            Some(i) => i,
            None => {
                self.fns[level].free.push(var.clone());
                self.fns[level].free.len() - 1
            }
        };
        u16::try_from(index)
            .map(Loc::Free)
            .map_err(|_| CompileError::new(span, "too many free variables in one procedure"))
    }

    /// The register of `e` if it is an unboxed variable of the running function.
    fn plain_local(&self, e: &Expr) -> Option<Reg> {
        let ExprKind::Local(v) = &e.kind else { return None };
        let reg = *self.fns.last()?.locals.get(&v.id)?;
        (!self.analysis.boxed(v.id)).then_some(reg)
    }

    fn constant(&mut self, c: Constant) -> u32 {
        let constants = &mut self.state().proto.constants;
        constants.push(c);
        constants.len() as u32 - 1
    }

    // -- expressions

    /// Compiles `e` and returns a register holding its value: the variable's own register for
    /// an unboxed local, otherwise a newly allocated one (the caller releases it).
    fn any(&mut self, e: &Expr) -> Result<Reg, CompileError> {
        if let Some(reg) = self.plain_local(e) {
            return Ok(reg);
        }
        let reg = self.alloc(&e.span)?;
        self.expr(e, Dest::Reg(reg))?;
        Ok(reg)
    }

    /// Compiles `e` for its effects only.
    fn effect(&mut self, e: &Expr) -> Result<(), CompileError> {
        let mark = self.top();
        let start = self.here();
        let reg = self.any(e)?;
        self.release(mark);
        // An expression with no useful value (`vector-set!`, `set!`, ...) ends by storing
        // the unspecified value in its temporary: nothing reads it, so the store goes,
        // unless a jump inside the expression lands after it (then the instruction count
        // must stay as it is).
        let end = self.here();
        let state = self.state();
        if reg >= mark as Reg
            && end > start
            && state.proto.code[end as usize - 1] == Op::Unspecified(reg)
            && !state.proto.code[start as usize..].iter().any(|op| op.jump_target() == Some(end))
        {
            state.proto.code.pop();
            if state.proto.spans.last().is_some_and(|&(at, _)| at == end - 1) {
                state.proto.spans.pop();
                state.last_span = state.proto.spans.last().map(|(_, span)| span.clone());
            }
        }
        Ok(())
    }

    /// Puts a value computed by `make(dst)` where `dest` wants it.
    fn finish(&mut self, dest: Dest, span: &Span, make: impl FnOnce(Reg) -> Op) -> Result<(), CompileError> {
        match dest {
            Dest::Reg(dst) => {
                self.emit(make(dst), span);
                Ok(())
            }
            Dest::Tail => {
                let mark = self.top();
                let reg = self.alloc(span)?;
                self.emit(make(reg), span);
                self.emit(Op::Return(reg), span);
                self.release(mark);
                Ok(())
            }
        }
    }

    pub(crate) fn expr(&mut self, e: &Expr, dest: Dest) -> Result<(), CompileError> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(e, dest))
    }

    fn expr_inner(&mut self, e: &Expr, dest: Dest) -> Result<(), CompileError> {
        let span = &e.span;
        match &e.kind {
            ExprKind::Const(d) => self.literal(d, dest, span),
            ExprKind::Unspecified => self.finish(dest, span, Op::Unspecified),
            ExprKind::Local(v) => {
                let level = self.fns.len() - 1;
                let boxed = self.analysis.boxed(v.id);
                match (self.resolve(v, level, span)?, boxed) {
                    (Loc::Reg(src), false) => match dest {
                        Dest::Tail => {
                            self.emit(Op::Return(src), span);
                            Ok(())
                        }
                        Dest::Reg(dst) if dst == src => Ok(()),
                        Dest::Reg(dst) => {
                            self.emit(Op::Move { dst, src }, span);
                            Ok(())
                        }
                    },
                    (Loc::Reg(src), true) => self.finish(dest, span, |dst| Op::LoadBox { dst, src }),
                    (Loc::Free(index), false) => self.finish(dest, span, |dst| Op::Free { dst, index }),
                    (Loc::Free(index), true) => self.finish(dest, span, |dst| Op::FreeBox { dst, index }),
                }
            }
            ExprKind::Global(global) => {
                let slot = self.linker.global(global);
                self.finish(dest, span, |dst| Op::Global { dst, slot })
            }
            ExprKind::SetLocal(v, value) => {
                let level = self.fns.len() - 1;
                let mark = self.top();
                match (self.resolve(v, level, span)?, self.analysis.boxed(v.id)) {
                    (Loc::Reg(reg), false) => self.expr(value, Dest::Reg(reg))?,
                    (Loc::Reg(boxed), true) => {
                        let src = self.any(value)?;
                        self.emit(Op::StoreBox { boxed, src }, span);
                    }
                    (Loc::Free(index), _) => {
                        let src = self.any(value)?;
                        self.emit(Op::StoreFreeBox { index, src }, span);
                    }
                }
                self.release(mark);
                self.finish(dest, span, Op::Unspecified)
            }
            ExprKind::SetGlobal(name, value) | ExprKind::DefineGlobal(name, value) => {
                let mark = self.top();
                let src = match &value.kind {
                    ExprKind::Lambda(l) => self.closure(l, Some(&name.name), &HashMap::new())?.0,
                    _ => self.any(value)?,
                };
                let slot = self.linker.global(name);
                let op = if let ExprKind::SetGlobal(..) = e.kind {
                    Op::SetGlobal { src, slot }
                } else {
                    Op::DefineGlobal { src, slot }
                };
                self.emit(op, span);
                self.release(mark);
                self.finish(dest, span, Op::Unspecified)
            }
            ExprKind::If(test, then, alt) => {
                let jump = self.branch_unless(test)?;
                self.expr(then, dest)?;
                if dest == Dest::Tail {
                    // `then` ended in Return or TailCall: no jump over `alt` needed.
                    let target = self.here();
                    self.patch(jump, target)?;
                    self.expr(alt, dest)
                } else {
                    let over = self.here();
                    self.emit(Op::Jump(0), span);
                    let target = self.here();
                    self.patch(jump, target)?;
                    self.expr(alt, dest)?;
                    let end = self.here();
                    self.patch(over, end)
                }
            }
            ExprKind::Lambda(l) => {
                let mark = self.top();
                let (reg, _) = self.closure(l, None, &HashMap::new())?;
                self.deliver(reg, dest, span)?;
                self.release(mark);
                Ok(())
            }
            ExprKind::CaseLambda(clauses) => {
                let mark = self.top();
                let first = Reg::try_from(mark).map_err(|_| CompileError::new(span, "too many registers"))?;
                let count = u16::try_from(clauses.len())
                    .map_err(|_| CompileError::new(span, "too many case-lambda clauses"))?;
                for (i, l) in clauses.iter().enumerate() {
                    // Each closure lands in the next register: clauses end up in first.. in order.
                    let (reg, _) = self.closure(l, None, &HashMap::new())?;
                    let want = first + i as Reg;
                    if reg != want {
                        self.emit(Op::Move { dst: want, src: reg }, span);
                    }
                    self.release(u32::from(want) + 1);
                }
                self.finish(dest, span, |dst| Op::MakeCaseLambda { dst, first, count })?;
                self.release(mark);
                Ok(())
            }
            ExprKind::Seq(es) => {
                let Some((last, init)) = es.split_last() else {
                    return self.finish(dest, span, Op::Unspecified);
                };
                for e in init {
                    self.effect(e)?;
                }
                self.expr(last, dest)
            }
            ExprKind::Call(f, args) => self.call(f, args, dest, span),
            ExprKind::Let(bindings, body) => {
                let mark = self.top();
                let mut regs = Vec::with_capacity(bindings.len());
                for (_, init) in bindings {
                    let reg = self.alloc(&init.span)?;
                    self.expr(init, Dest::Reg(reg))?;
                    // Temporaries of this init are dead; keep only its register.
                    self.release(u32::from(reg) + 1);
                    regs.push(reg);
                }
                for ((v, _), &reg) in bindings.iter().zip(&regs) {
                    self.name_register(v, reg);
                    if self.analysis.boxed(v.id) {
                        self.emit(Op::MakeBox(reg), span);
                    }
                }
                self.body(body, dest, bindings, mark)
            }
            ExprKind::Letrec(bindings, body) => {
                if self.analysis.is_fixable(bindings) {
                    if let Some((var, lambda, args)) = as_loop(bindings, body) {
                        return self.inline_loop(var, lambda, args, dest, span);
                    }
                }
                let mark = self.top();
                if self.analysis.is_fixable(bindings) {
                    self.letrec_fixed(bindings, span)?;
                } else {
                    self.letrec_boxed(bindings, span)?;
                }
                self.body(body, dest, bindings, mark)
            }
        }
    }

    /// Records that `v` lives in `reg` from now on.
    pub(crate) fn name_register(&mut self, v: &Var, reg: Reg) {
        let state = self.state();
        let names = &mut state.proto.local_names;
        if names.len() <= reg as usize {
            names.resize(reg as usize + 1, Arc::from(""));
        }
        names[reg as usize] = v.name.clone();
        state.locals.insert(v.id, reg);
    }

    /// The body of a `let`/`letrec`; unbinds its variables and frees registers from `mark`.
    fn body(
        &mut self,
        body: &Expr,
        dest: Dest,
        bindings: &[(Var, Expr)],
        mark: u32,
    ) -> Result<(), CompileError> {
        self.expr(body, dest)?;
        let state = self.state();
        for (v, _) in bindings {
            state.locals.remove(&v.id);
        }
        self.release(mark);
        Ok(())
    }

    /// Copies a value in `reg` to where `dest` wants it.
    fn deliver(&mut self, reg: Reg, dest: Dest, span: &Span) -> Result<(), CompileError> {
        match dest {
            Dest::Tail => self.emit(Op::Return(reg), span),
            Dest::Reg(dst) if dst == reg => {}
            Dest::Reg(dst) => self.emit(Op::Move { dst, src: reg }, span),
        }
        Ok(())
    }

    /// Emits a conditional jump taken when `test` is false (to be patched); returns its index.
    fn branch_unless(&mut self, test: &Expr) -> Result<u32, CompileError> {
        let at = self.here();
        if let Some(op) = self.fused_test(test) {
            self.emit(op, &test.span);
            return Ok(at);
        }
        let mark = self.top();
        if let Some(op) = self.computed_test(test)? {
            self.release(mark);
            let at = self.here();
            self.emit(op, &test.span);
            return Ok(at);
        }
        let src = self.any(test)?;
        self.release(mark);
        let at = self.here();
        self.emit(Op::JumpIfFalse { src, target: 0 }, &test.span);
        Ok(at)
    }

    /// A fused compare-and-branch for `(< x y)`, `(= x y)`, `(> x y)` whose operands are
    /// not all locals (`(< i (vector-length v))`): the operands are computed into
    /// temporaries first, left to right.
    fn computed_test(&mut self, test: &Expr) -> Result<Option<Op>, CompileError> {
        let ExprKind::Call(f, args) = &test.kind else { return Ok(None) };
        if let (Some("zero?"), [x]) = (builtin_name(f), args.as_slice()) {
            return Ok(Some(Op::JumpUnlessZero { a: self.any(x)?, target: 0 }));
        }
        let (name, [x, y]) = (builtin_name(f), args.as_slice()) else { return Ok(None) };
        let Some(name @ ("<" | "=" | ">")) = name else { return Ok(None) };
        let a = self.any(x)?;
        if let Some(imm) = small_fixnum(y).and_then(|k| i16::try_from(k).ok()) {
            return Ok(Some(immediate_test(name, a, imm)));
        }
        let b = self.any(y)?;
        Ok(Some(match name {
            "<" => Op::JumpUnlessLt { a, b, target: 0 },
            "=" => Op::JumpUnlessEq { a, b, target: 0 },
            _ => Op::JumpUnlessGt { a, b, target: 0 },
        }))
    }

    /// A fused compare-and-branch for tests like `(< x 10)`, `(= x y)`, `(null? l)` on
    /// unboxed locals, when the operator is the system's (immutable) builtin.
    fn fused_test(&self, test: &Expr) -> Option<Op> {
        let ExprKind::Call(f, args) = &test.kind else { return None };
        let name = builtin_name(f)?;
        match (name, args.as_slice()) {
            ("null?", [x]) => Some(Op::JumpUnlessNull { a: self.plain_local(x)?, target: 0 }),
            ("pair?", [x]) => Some(Op::JumpUnlessPair { a: self.plain_local(x)?, target: 0 }),
            ("zero?", [x]) => Some(Op::JumpUnlessZero { a: self.plain_local(x)?, target: 0 }),
            ("<" | "=" | ">", [x, y]) => {
                let a = self.plain_local(x)?;
                if let Some(imm) = small_fixnum(y).and_then(|k| i16::try_from(k).ok()) {
                    return Some(immediate_test(name, a, imm));
                }
                let b = self.plain_local(y)?;
                Some(match name {
                    "<" => Op::JumpUnlessLt { a, b, target: 0 },
                    "=" => Op::JumpUnlessEq { a, b, target: 0 },
                    _ => Op::JumpUnlessGt { a, b, target: 0 },
                })
            }
            _ => None,
        }
    }

    /// `letrec*` in general: registers hold boxes (for assigned variables) initialised in order.
    fn letrec_boxed(&mut self, bindings: &[(Var, Expr)], span: &Span) -> Result<(), CompileError> {
        let mut regs = Vec::with_capacity(bindings.len());
        for (v, _) in bindings {
            let reg = self.bind(v, span)?;
            regs.push(reg);
            self.emit(Op::Undefined(reg), span);
            if self.analysis.boxed(v.id) {
                self.emit(Op::MakeBox(reg), span);
            }
        }
        for ((v, init), &reg) in bindings.iter().zip(&regs) {
            let mark = self.top();
            if self.analysis.boxed(v.id) {
                let src = match &init.kind {
                    ExprKind::Lambda(l) => self.closure(l, Some(&v.name), &HashMap::new())?.0,
                    _ => self.any(init)?,
                };
                self.emit(Op::StoreBox { boxed: reg, src }, &init.span);
            } else {
                self.expr(init, Dest::Reg(reg))?;
            }
            self.release(mark);
        }
        Ok(())
    }

    /// `letrec*` whose inits are all lambdas: make the closures with placeholders for the
    /// group's variables, then tie the knot with `FixClosure`.
    fn letrec_fixed(&mut self, bindings: &[(Var, Expr)], span: &Span) -> Result<(), CompileError> {
        let mut regs = Vec::with_capacity(bindings.len());
        for (v, _) in bindings {
            regs.push(self.bind(v, span)?);
        }
        let group: HashMap<u32, Reg> = bindings.iter().zip(&regs).map(|((v, _), &r)| (v.id, r)).collect();
        let mut fixes = Vec::new();
        for ((v, init), &reg) in bindings.iter().zip(&regs) {
            let ExprKind::Lambda(l) = &init.kind else {
                return Err(CompileError::internal(&init.span));
            };
            let mark = self.top();
            let (closure, placeholders) =
                self.closure(l, Some(&v.name), &group.iter().map(|(&k, _)| (k, v.id)).collect())?;
            self.emit(Op::Move { dst: reg, src: closure }, &init.span);
            self.release(mark);
            for (free, var_id) in placeholders {
                fixes.push((reg, free, group[&var_id]));
            }
        }
        for (closure, free, value) in fixes {
            self.emit(Op::FixClosure { closure, free, value }, span);
        }
        Ok(())
    }

    /// Compiles `l` into a new register (its free values gathered in the registers above it)
    /// and returns the register and the free variables left as placeholders because they are
    /// variables of the `letrec` group being built: `(free index, variable id)`.
    ///
    /// `group` maps the group's variable ids to the id of the variable this lambda is bound
    /// to (only the keys matter for placeholders; a lambda bound to a group variable may jump
    /// to itself on self tail calls).
    fn closure(
        &mut self,
        l: &Lambda,
        name: Option<&Arc<str>>,
        group: &HashMap<u32, u32>,
    ) -> Result<(Reg, Vec<(u16, u32)>), CompileError> {
        let fn_name = l.name.clone().or_else(|| name.cloned());
        let mut state = FnState::new(fn_name, l.span.clone());
        state.proto.required = l.params.len() as u32;
        state.proto.rest = l.rest.is_some();
        // Only variables of a knot-tied letrec group are never reassigned after binding.
        state.self_var = group.values().next().copied();
        self.fns.push(state);
        for p in l.params.iter().chain(l.rest.iter()) {
            let reg = self.bind(p, &l.span)?;
            if self.analysis.boxed(p.id) {
                self.emit(Op::MakeBox(reg), &l.span);
            }
        }
        let start = self.here();
        self.state().body_start = start;
        self.expr(&l.body, Dest::Tail)?;
        let mut state = self.fns.pop().ok_or_else(|| CompileError::internal(&l.span))?;
        let free = std::mem::take(&mut state.free);
        state.proto.free_count = free.len() as u32;
        let index = self.state().proto.protos.len() as u32;
        self.state().proto.protos.push(state.proto);

        let dst = self.alloc(&l.span)?;
        let level = self.fns.len() - 1;
        let mut placeholders = Vec::new();
        for (i, v) in free.iter().enumerate() {
            let reg = self.alloc(&l.span)?;
            if group.contains_key(&v.id) {
                self.emit(Op::Undefined(reg), &l.span);
                placeholders.push((i as u16, v.id));
                continue;
            }
            // Copy the raw register (the box itself when boxed): the closure shares it.
            let op = match self.resolve(v, level, &l.span)? {
                Loc::Reg(src) => Op::Move { dst: reg, src },
                Loc::Free(index) => Op::Free { dst: reg, index },
            };
            self.emit(op, &l.span);
        }
        self.emit(Op::MakeClosure { dst, proto: index }, &l.span);
        self.release(u32::from(dst) + 1);
        Ok((dst, placeholders))
    }

    fn literal(&mut self, d: &Datum, dest: Dest, span: &Span) -> Result<(), CompileError> {
        match &d.kind {
            DatumKind::Bool(true) => self.finish(dest, span, Op::True),
            DatumKind::Bool(false) => self.finish(dest, span, Op::False),
            DatumKind::Number(Number::Fixnum(n)) if i32::try_from(*n).is_ok() => {
                let value = *n as i32;
                self.finish(dest, span, |dst| Op::Fixnum { dst, value })
            }
            DatumKind::List(items, None) if items.is_empty() => self.finish(dest, span, Op::Null),
            _ => {
                let index = self.constant(Constant::Datum(d.clone()));
                self.finish(dest, span, |dst| Op::Const { dst, index })
            }
        }
    }

    fn call(&mut self, f: &Expr, args: &[Expr], dest: Dest, span: &Span) -> Result<(), CompileError> {
        if let ExprKind::Local(v) = &f.kind {
            let inline = self.fns.last().and_then(|s| s.loops.iter().rev().find(|l| l.var == v.id));
            if let Some(l) = inline {
                let (params, vars, head) = (l.params.clone(), l.param_vars.clone(), l.head);
                return self.loop_jump(&params, &vars, head, args, span);
            }
        }
        if let Some(named) = as_named_let(f, args) {
            if self.analysis.is_fixable(named.bindings) {
                return self.inline_loop(named.var, named.lambda, args, dest, span);
            }
        }
        if dest == Dest::Tail {
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
        if let Some(name) = builtin_name(f) {
            if self.inline(name, args, dest, span)? {
                return Ok(());
            }
        }
        if let ExprKind::Global(global) = &f.kind {
            if let Some(builtin) = self.linker.builtin(global, args.len()) {
                return self.call_builtin(builtin, args, dest, span);
            }
        }
        let mark = self.top();
        // When the destination is the newest register, call in place: no move afterwards.
        let func = match dest {
            Dest::Reg(dst) if u32::from(dst) + 1 == mark => dst,
            _ => self.alloc(span)?,
        };
        self.expr(f, Dest::Reg(func))?;
        for a in args {
            let reg = self.alloc(&a.span)?;
            self.expr(a, Dest::Reg(reg))?;
            self.release(u32::from(reg) + 1);
        }
        let argc = u16::try_from(args.len()).map_err(|_| CompileError::new(span, "too many arguments"))?;
        match dest {
            Dest::Tail => self.emit(Op::TailCall { func, argc }, span),
            Dest::Reg(dst) => {
                self.emit(Op::Call { func, argc }, span);
                if dst != func {
                    self.emit(Op::Move { dst, src: func }, span);
                }
            }
        }
        self.release(mark);
        Ok(())
    }

    /// A call of a builtin that is a plain function of its arguments: the arguments in
    /// consecutive new registers, the value in the first of them.
    fn call_builtin(
        &mut self,
        builtin: u16,
        args: &[Expr],
        dest: Dest,
        span: &Span,
    ) -> Result<(), CompileError> {
        let mark = self.top();
        let first = match (dest, args) {
            // When the destination is the newest register, the arguments start there and
            // the value lands in place: no move afterwards (as for `Call`).
            (Dest::Reg(dst), [arg, rest @ ..]) if u32::from(dst) + 1 == mark => {
                self.expr(arg, Dest::Reg(dst))?;
                self.values_in_new_registers(rest)?;
                dst
            }
            _ => match self.values_in_new_registers(args)?.first() {
                Some(&first) => first,
                None => self.alloc(span)?,
            },
        };
        let argc = u16::try_from(args.len()).map_err(|_| CompileError::new(span, "too many arguments"))?;
        self.emit(Op::CallBuiltin { first, builtin, argc }, span);
        self.deliver(first, dest, span)?;
        self.release(mark);
        Ok(())
    }

    /// Evaluates each of `exprs` into a newly allocated register, in order; returns them.
    pub(crate) fn values_in_new_registers(&mut self, exprs: &[Expr]) -> Result<Vec<Reg>, CompileError> {
        let mut regs = Vec::with_capacity(exprs.len());
        for e in exprs {
            let reg = self.alloc(&e.span)?;
            self.expr(e, Dest::Reg(reg))?;
            self.release(u32::from(reg) + 1);
            regs.push(reg);
        }
        Ok(regs)
    }

    /// A tail call of the running function by its own name: compute the new arguments, move
    /// them into the parameters and jump back to the start of the body (a loop, with a check
    /// point at the backward jump).
    fn self_tail_call(&mut self, args: &[Expr], span: &Span) -> Result<(), CompileError> {
        let mark = self.top();
        let temps = self.values_in_new_registers(args)?;
        // Parameters occupy registers 0..n in order.
        for (param, &src) in temps.iter().enumerate() {
            let param = param as Reg;
            self.emit(Op::Move { dst: param, src }, span);
            if self.register_boxed(param) {
                self.emit(Op::MakeBox(param), span);
            }
        }
        let start = self.state().body_start;
        self.emit(Op::Jump(start), span);
        self.release(mark);
        Ok(())
    }

    /// Whether register `reg` of the running function holds a boxed variable.
    pub(crate) fn register_boxed(&self, reg: Reg) -> bool {
        self.fns
            .last()
            .is_some_and(|state| state.locals.iter().any(|(&id, &r)| r == reg && self.analysis.boxed(id)))
    }

    pub(crate) fn is_boxed(&self, var: u32) -> bool {
        self.analysis.boxed(var)
    }

    pub(crate) fn push_loop(&mut self, l: InlineLoop) {
        self.state().loops.push(l);
    }

    pub(crate) fn pop_loop(&mut self) {
        self.state().loops.pop();
    }

    pub(crate) fn unbind_var(&mut self, var: u32) {
        self.state().locals.remove(&var);
    }

    /// Compiles an inlinable builtin call as one instruction; false if `name` is not one
    /// (or has the wrong argument count).
    fn inline(&mut self, name: &str, args: &[Expr], dest: Dest, span: &Span) -> Result<bool, CompileError> {
        let Some(&(_, arity)) = INLINED.iter().find(|(n, _)| *n == name) else {
            return Ok(false);
        };
        if arity != args.len() {
            return Ok(false);
        }
        let mark = self.top();
        // (+ x 1), (- x 1): an immediate operand.
        if let ([x, k], "+" | "-") = (args, name) {
            if let Some(k) = small_fixnum(k).and_then(|k| i16::try_from(k).ok()) {
                let imm = if name == "+" { Some(k) } else { k.checked_neg() };
                if let Some(imm) = imm {
                    let a = self.any(x)?;
                    self.finish(dest, span, |dst| Op::AddImm { dst, a, imm })?;
                    self.release(mark);
                    return Ok(true);
                }
            }
        }
        let mut regs = Vec::with_capacity(args.len());
        for a in args {
            regs.push(self.any(a)?);
        }
        let (a, b, c) = (regs[0], regs.get(1).copied().unwrap_or(0), regs.get(2).copied().unwrap_or(0));
        let make: Box<dyn FnOnce(Reg) -> Op> = match name {
            "+" => Box::new(move |dst| Op::Add { dst, a, b }),
            "-" => Box::new(move |dst| Op::Sub { dst, a, b }),
            "*" => Box::new(move |dst| Op::Mul { dst, a, b }),
            "=" => Box::new(move |dst| Op::NumEq { dst, a, b }),
            "<" => Box::new(move |dst| Op::Lt { dst, a, b }),
            "<=" => Box::new(move |dst| Op::Le { dst, a, b }),
            ">" => Box::new(move |dst| Op::Gt { dst, a, b }),
            ">=" => Box::new(move |dst| Op::Ge { dst, a, b }),
            "car" => Box::new(move |dst| Op::Car { dst, a }),
            "cdr" => Box::new(move |dst| Op::Cdr { dst, a }),
            "cons" => Box::new(move |dst| Op::Cons { dst, a, b }),
            "null?" => Box::new(move |dst| Op::IsNull { dst, a }),
            "pair?" => Box::new(move |dst| Op::IsPair { dst, a }),
            "not" => Box::new(move |dst| Op::Not { dst, a }),
            "eq?" => Box::new(move |dst| Op::IsEq { dst, a, b }),
            "zero?" => Box::new(move |dst| Op::IsZero { dst, a }),
            "quotient" => Box::new(move |dst| Op::Divide { kind: Division::Quotient, dst, a, b }),
            "remainder" => Box::new(move |dst| Op::Divide { kind: Division::Remainder, dst, a, b }),
            "modulo" => Box::new(move |dst| Op::Divide { kind: Division::Modulo, dst, a, b }),
            "vector-ref" => Box::new(move |dst| Op::VectorRef { dst, a, b }),
            "vector-set!" => {
                self.emit(Op::VectorSet { a, b, c }, span);
                Box::new(Op::Unspecified)
            }
            _ => return Err(CompileError::new(span, format!("no inline form for {name}"))),
        };
        self.finish(dest, span, make)?;
        self.release(mark);
        Ok(true)
    }
}

/// The fused test of `(name r[a] imm)` for `<`, `=` and `>`, jumping when it is false.
fn immediate_test(name: &str, a: Reg, imm: i16) -> Op {
    match name {
        "<" => Op::JumpUnlessLtImm { a, imm, target: 0 },
        "=" => Op::JumpUnlessEqImm { a, imm, target: 0 },
        _ => Op::JumpUnlessGtImm { a, imm, target: 0 },
    }
}

fn small_fixnum(e: &Expr) -> Option<i32> {
    match &e.kind {
        ExprKind::Const(Datum { kind: DatumKind::Number(Number::Fixnum(n)), .. }) => i32::try_from(*n).ok(),
        _ => None,
    }
}

/// The name of the builtin `operator` refers to, if it is a reference to the system
/// namespace (whose bindings no program can change, so calls to them may be inlined).
pub(crate) fn builtin_name(operator: &Expr) -> Option<&str> {
    match &operator.kind {
        ExprKind::Global(global) if global.namespace == seam_expand::Namespace::SYSTEM => Some(&global.name),
        _ => None,
    }
}
