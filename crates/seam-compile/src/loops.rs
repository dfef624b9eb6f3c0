//! Loop contification: a `letrec`-bound lambda that is only ever called in tail position of
//! its own body, and entered once from the `letrec` body (what named `let` and `do` expand
//! to), is compiled inline in the enclosing procedure: its parameters become registers of
//! the enclosing frame, entering and re-entering it are moves plus a jump. No closure is
//! made, no call happens, and the variables of the enclosing procedure stay plain registers
//! inside the loop (so fused compare-and-branch ops apply to them).

use seam_expand::{Expr, ExprKind, Lambda, Var};
use seam_syntax::Span;

use crate::compiler::{Compiler, Dest};
use crate::op::{Op, Reg, INLINED};
use crate::CompileError;

/// A loop being compiled inline: calls to `var` jump to `head` after assigning `params`.
pub(crate) struct InlineLoop {
    pub var: u32,
    pub params: Vec<Reg>,
    /// The parameters' variable ids, in order.
    pub param_vars: Vec<u32>,
    pub head: u32,
}

/// If the call `(f args...)` is `((letrec ((loop (lambda ...))) loop) args...)` — what
/// named `let` and `do` expand to — with a contifiable loop: its variable and lambda.
pub(crate) fn as_named_let<'e>(f: &'e Expr, args: &'e [Expr]) -> Option<NamedLet<'e>> {
    let ExprKind::Letrec(bindings, body) = &f.kind else { return None };
    let [(var, init)] = bindings.as_slice() else { return None };
    let ExprKind::Local(result) = &body.kind else { return None };
    let ExprKind::Lambda(lambda) = &init.kind else { return None };
    let ok = result.id == var.id
        && lambda.rest.is_none()
        && args.len() == lambda.params.len()
        && only_tail_calls(&lambda.body, var.id, args.len(), true);
    ok.then_some(NamedLet { bindings, var, lambda })
}

/// The parts of a named `let` found by [`as_named_let`].
pub(crate) struct NamedLet<'e> {
    pub bindings: &'e [(Var, Expr)],
    pub var: &'e Var,
    pub lambda: &'e Lambda,
}

/// If `bindings`/`body` is a contifiable loop, its variable, lambda and entry arguments.
pub(crate) fn as_loop<'e>(
    bindings: &'e [(Var, Expr)],
    body: &'e Expr,
) -> Option<(&'e Var, &'e Lambda, &'e [Expr])> {
    let [(var, init)] = bindings else { return None };
    let ExprKind::Lambda(lambda) = &init.kind else { return None };
    if lambda.rest.is_some() {
        return None;
    }
    let ExprKind::Call(f, args) = &body.kind else { return None };
    let ExprKind::Local(callee) = &f.kind else { return None };
    let argc = lambda.params.len();
    let ok = callee.id == var.id
        && args.len() == argc
        && !args.iter().any(|a| mentions(a, var.id))
        && only_tail_calls(&lambda.body, var.id, argc, true);
    ok.then_some((var, &**lambda, args.as_slice()))
}

/// Whether every use of `var` in `e` is the operator of a call with `argc` arguments in tail
/// position (relative to the loop body), outside any nested lambda.
fn only_tail_calls(e: &Expr, var: u32, argc: usize, tail: bool) -> bool {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || match &e.kind {
        ExprKind::Local(v) => v.id != var,
        ExprKind::Call(f, args) => {
            let args_ok = args.iter().all(|a| only_tail_calls(a, var, argc, false));
            match &f.kind {
                ExprKind::Local(v) if v.id == var => tail && args.len() == argc && args_ok,
                _ => only_tail_calls(f, var, argc, false) && args_ok,
            }
        }
        ExprKind::If(t, a, b) => {
            only_tail_calls(t, var, argc, false)
                && only_tail_calls(a, var, argc, tail)
                && only_tail_calls(b, var, argc, tail)
        }
        ExprKind::Seq(es) => match es.split_last() {
            Some((last, init)) => {
                init.iter().all(|x| only_tail_calls(x, var, argc, false))
                    && only_tail_calls(last, var, argc, tail)
            }
            None => true,
        },
        ExprKind::Let(bs, body) | ExprKind::Letrec(bs, body) => {
            bs.iter().all(|(_, x)| only_tail_calls(x, var, argc, false))
                && only_tail_calls(body, var, argc, tail)
        }
        ExprKind::Lambda(_) | ExprKind::CaseLambda(_) => !mentions(e, var),
        ExprKind::SetLocal(v, x) => v.id != var && only_tail_calls(x, var, argc, false),
        ExprKind::SetGlobal(_, x) | ExprKind::DefineGlobal(_, x) => only_tail_calls(x, var, argc, false),
        ExprKind::Const(_) | ExprKind::Unspecified | ExprKind::Global(_) => true,
    })
}

/// Whether `e` refers to `var` at all.
fn mentions(e: &Expr, var: u32) -> bool {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || match &e.kind {
        ExprKind::Local(v) => v.id == var,
        ExprKind::SetLocal(v, x) => v.id == var || mentions(x, var),
        ExprKind::SetGlobal(_, x) | ExprKind::DefineGlobal(_, x) => mentions(x, var),
        ExprKind::If(a, b, c) => mentions(a, var) || mentions(b, var) || mentions(c, var),
        ExprKind::Lambda(l) => mentions(&l.body, var),
        ExprKind::CaseLambda(ls) => ls.iter().any(|l| mentions(&l.body, var)),
        ExprKind::Seq(es) => es.iter().any(|x| mentions(x, var)),
        ExprKind::Call(f, args) => mentions(f, var) || args.iter().any(|a| mentions(a, var)),
        ExprKind::Let(bs, body) | ExprKind::Letrec(bs, body) => {
            bs.iter().any(|(_, x)| mentions(x, var)) || mentions(body, var)
        }
        ExprKind::Const(_) | ExprKind::Unspecified | ExprKind::Global(_) => false,
    })
}

impl Compiler<'_> {
    /// Compiles a contified loop (see the module docs) delivering its value to `dest`.
    pub(crate) fn inline_loop(
        &mut self,
        var: &Var,
        lambda: &Lambda,
        args: &[Expr],
        dest: Dest,
        span: &Span,
    ) -> Result<(), CompileError> {
        let mark = self.top();
        // Entry: each argument straight into its parameter register (the arguments cannot see
        // the parameters or the loop variable, which are not in scope yet).
        let params = self.values_in_new_registers(args)?;
        for (p, &reg) in lambda.params.iter().zip(&params) {
            self.name_register(p, reg);
            if self.is_boxed(p.id) {
                self.emit(Op::MakeBox(reg), span);
            }
        }
        let head = self.here();
        let param_vars = lambda.params.iter().map(|p| p.id).collect();
        self.push_loop(InlineLoop { var: var.id, params, param_vars, head });
        // The loop's own tail calls jump back to `head`; its other tail positions deliver to
        // `dest` (returning, or falling through to the code after the loop).
        let result = self.expr(&lambda.body, dest);
        self.pop_loop();
        for p in &lambda.params {
            self.unbind_var(p.id);
        }
        self.release(mark);
        result
    }

    /// Whether compiling `e` into a register it also reads is safe: an inlined builtin on
    /// variables and constants reads all its operands before writing its result (a real call
    /// would overwrite the register with the callee first).
    fn reads_before_writing(&self, e: &Expr) -> bool {
        let ExprKind::Call(f, operands) = &e.kind else { return false };
        let Some(name) = crate::compiler::builtin_name(f) else { return false };
        INLINED.iter().any(|(n, arity)| *n == name && *arity == operands.len())
            && operands.iter().all(|o| matches!(o.kind, ExprKind::Local(_) | ExprKind::Const(_)))
    }

    /// A call of an inline loop from its body: assign the new arguments to the parameters
    /// (a parallel assignment) and jump back (a backward jump: the loop's check point).
    pub(crate) fn loop_jump(
        &mut self,
        params: &[Reg],
        param_vars: &[u32],
        head: u32,
        args: &[Expr],
        span: &Span,
    ) -> Result<(), CompileError> {
        let mark = self.top();
        // An argument can go straight into its parameter once no argument still to be
        // evaluated reads that parameter; the rest go through temporaries.
        // (An unboxed parameter passed unchanged needs no write at all.)
        let unchanged: Vec<bool> = (0..args.len())
            .map(|i| {
                !self.register_boxed(params[i])
                    && matches!(&args[i].kind, ExprKind::Local(v) if v.id == param_vars[i])
            })
            .collect();
        let mut pending: Vec<usize> = (0..args.len()).collect();
        let mut direct = Vec::new();
        // The parameter the loop's test reads is written as late as the order allows, so
        // its increment can fuse with the test (`fuse_increment`).
        let tested = self.tested_register(head);
        let ready = |i: usize, pending: &[usize]| {
            unchanged[i]
                || pending.iter().all(|&j| {
                    !mentions(&args[j], param_vars[i]) || (j == i && self.reads_before_writing(&args[i]))
                })
        };
        while let Some(pos) = pending
            .iter()
            .position(|&i| Some(params[i]) != tested && ready(i, &pending))
            .or_else(|| pending.iter().position(|&i| ready(i, &pending)))
        {
            direct.push(pending.remove(pos));
        }
        let mut temps = Vec::with_capacity(pending.len());
        for &i in &pending {
            let reg = self.alloc(&args[i].span)?;
            self.expr(&args[i], Dest::Reg(reg))?;
            self.release(u32::from(reg) + 1);
            temps.push((i, reg));
        }
        for &i in &direct {
            self.expr(&args[i], Dest::Reg(params[i]))?;
        }
        for &(i, src) in &temps {
            self.emit(Op::Move { dst: params[i], src }, span);
        }
        // Each iteration binds fresh locations for assigned parameters.
        for &param in params {
            if self.register_boxed(param) {
                self.emit(Op::MakeBox(param), span);
            }
        }
        match self.back_edge(head) {
            // The loop starts with a fused test: do it here instead of jumping to it (loop
            // inversion), so the branch that goes on looping is one instruction.
            Some((test, then)) => {
                self.fuse_increment(test);
                self.emit(test, span);
                self.emit(Op::Jump(then), span);
            }
            None => self.emit(Op::Jump(head), span),
        }
        self.release(mark);
        Ok(())
    }

    /// The register the fused test at the loop's `head` compares, if it starts with one.
    fn tested_register(&mut self, head: u32) -> Option<Reg> {
        match *self.op_at(head)? {
            Op::JumpUnlessLtImm { a, .. }
            | Op::JumpUnlessEqImm { a, .. }
            | Op::JumpUnlessGtImm { a, .. }
            | Op::JumpUnlessLt { a, .. }
            | Op::JumpUnlessEq { a, .. }
            | Op::JumpUnlessGt { a, .. } => Some(a),
            _ => None,
        }
    }

    /// When the loop's back edge `test` (a fused test about to be emitted) tests the
    /// register the instruction just emitted increments (`AddImm { dst: a, a, .. }`), turns
    /// that increment into the fused `IncJumpIf...`, which the test then follows.
    fn fuse_increment(&mut self, test: Op) {
        let at = self.here().wrapping_sub(1);
        let Some(&Op::AddImm { dst, a, imm }) = self.op_at(at) else { return };
        let Ok(inc) = i8::try_from(imm) else { return };
        if dst != a {
            return;
        }
        let fused = match test {
            Op::JumpIfLt { a: r, b, target } if r == a => Op::IncJumpIfLt { a, inc, b, target },
            Op::JumpIfEq { a: r, b, target } if r == a => Op::IncJumpIfEq { a, inc, b, target },
            Op::JumpIfGt { a: r, b, target } if r == a => Op::IncJumpIfGt { a, inc, b, target },
            Op::JumpIfLtImm { a: r, imm, target } if r == a => Op::IncJumpIfLtImm { a, inc, imm, target },
            Op::JumpIfEqImm { a: r, imm, target } if r == a => Op::IncJumpIfEqImm { a, inc, imm, target },
            Op::JumpIfGtImm { a: r, imm, target } if r == a => Op::IncJumpIfGtImm { a, inc, imm, target },
            Op::JumpUnlessLt { a: r, b, target } if r == a => Op::IncJumpUnlessLt { a, inc, b, target },
            Op::JumpUnlessEq { a: r, b, target } if r == a => Op::IncJumpUnlessEq { a, inc, b, target },
            Op::JumpUnlessGt { a: r, b, target } if r == a => Op::IncJumpUnlessGt { a, inc, b, target },
            Op::JumpUnlessLtImm { a: r, imm, target } if r == a => {
                Op::IncJumpUnlessLtImm { a, inc, imm, target }
            }
            Op::JumpUnlessEqImm { a: r, imm, target } if r == a => {
                Op::IncJumpUnlessEqImm { a, inc, imm, target }
            }
            Op::JumpUnlessGtImm { a: r, imm, target } if r == a => {
                Op::IncJumpUnlessGtImm { a, inc, imm, target }
            }
            _ => return,
        };
        self.replace_op(at, fused);
    }

    /// When the instruction at `head` is a fused test (`JumpUnlessLt`, ...), the two
    /// instructions that do what `Jump(head)` would: a test, then a jump to where the test
    /// falls through. Inside the test's fall-through branch (its target not patched yet:
    /// still 0, which no `if` ever jumps to), the opposite test jumping back to `head + 1`,
    /// then `Jump(head)`; past it, the test itself with its target, then `Jump(head + 1)`.
    /// Either way the jump that goes on looping is the first instruction.
    fn back_edge(&mut self, head: u32) -> Option<(Op, u32)> {
        let next = head + 1;
        let short = u16::try_from(next).ok();
        let test = *self.op_at(head)?;
        let unpatched = match test {
            Op::JumpUnlessLtImm { target, .. }
            | Op::JumpUnlessEqImm { target, .. }
            | Op::JumpUnlessGtImm { target, .. }
            | Op::JumpUnlessLt { target, .. }
            | Op::JumpUnlessEq { target, .. }
            | Op::JumpUnlessGt { target, .. } => target == 0,
            Op::JumpUnlessNull { target, .. }
            | Op::JumpUnlessPair { target, .. }
            | Op::JumpUnlessZero { target, .. } => target == 0,
            _ => return None,
        };
        if !unpatched {
            return Some((test, next));
        }
        let inverted = match test {
            Op::JumpUnlessLtImm { a, imm, .. } => Op::JumpIfLtImm { a, imm, target: short? },
            Op::JumpUnlessEqImm { a, imm, .. } => Op::JumpIfEqImm { a, imm, target: short? },
            Op::JumpUnlessGtImm { a, imm, .. } => Op::JumpIfGtImm { a, imm, target: short? },
            Op::JumpUnlessLt { a, b, .. } => Op::JumpIfLt { a, b, target: short? },
            Op::JumpUnlessGt { a, b, .. } => Op::JumpIfGt { a, b, target: short? },
            Op::JumpUnlessEq { a, b, .. } => Op::JumpIfEq { a, b, target: short? },
            Op::JumpUnlessNull { a, .. } => Op::JumpIfNull { a, target: next },
            Op::JumpUnlessPair { a, .. } => Op::JumpIfPair { a, target: next },
            Op::JumpUnlessZero { a, .. } => Op::JumpIfZero { a, target: next },
            _ => return None,
        };
        Some((inverted, head))
    }
}
