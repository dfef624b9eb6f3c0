//! Variable analysis before code generation: which lexical variables are assigned (and so
//! must live in a box), and which `letrec` groups can tie their knot without boxes.

use std::collections::{HashMap, HashSet};

use seam_expand::{Expr, ExprKind};

#[derive(Default, Debug)]
pub(crate) struct VarInfo {
    pub(crate) assigned: bool,
}

/// Facts about every variable of one top-level form.
#[derive(Default, Debug)]
pub(crate) struct Analysis {
    vars: HashMap<u32, VarInfo>,
    /// `letrec` nodes (by address of their bindings vector) whose inits are all lambdas and
    /// whose variables are never `set!`: compiled with `FixClosure`, no boxes.
    fixable: HashSet<usize>,
}

impl Analysis {
    pub(crate) fn of(expr: &Expr) -> Analysis {
        let mut walker = Walker { analysis: Analysis::default() };
        walker.expr(expr);
        let mut analysis = walker.analysis;
        analysis.find_fixable(expr);
        analysis
    }

    /// Whether the variable must live in a box. Every assigned variable does, captured or
    /// not: a continuation copies the stack, and re-entering it must see the variable's
    /// current value, not the one the copy holds.
    pub(crate) fn boxed(&self, id: u32) -> bool {
        self.vars.get(&id).is_some_and(|v| v.assigned)
    }

    pub(crate) fn is_fixable(&self, bindings: &[(seam_expand::Var, Expr)]) -> bool {
        self.fixable.contains(&(bindings.as_ptr() as usize))
    }

    /// Second pass: mark the `letrec` groups that can be tied with `FixClosure`; the others
    /// get their variables marked assigned (they are initialised after being in scope).
    fn find_fixable(&mut self, expr: &Expr) {
        let mut stack = vec![expr];
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Letrec(bindings, body) => {
                    let all_lambdas = bindings.iter().all(|(v, init)| {
                        matches!(init.kind, ExprKind::Lambda(_))
                            && !self.vars.get(&v.id).is_some_and(|i| i.assigned)
                    });
                    if all_lambdas {
                        self.fixable.insert(bindings.as_ptr() as usize);
                    } else {
                        for (v, _) in bindings {
                            self.vars.entry(v.id).or_default().assigned = true;
                        }
                    }
                    stack.extend(bindings.iter().map(|(_, init)| init));
                    stack.push(body);
                }
                _ => children(e, &mut stack),
            }
        }
    }
}

/// Pushes the direct sub-expressions of `e`.
fn children<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match &e.kind {
        ExprKind::Const(_) | ExprKind::Unspecified | ExprKind::Local(_) | ExprKind::Global(_) => {}
        ExprKind::SetLocal(_, v) | ExprKind::SetGlobal(_, v) | ExprKind::DefineGlobal(_, v) => out.push(v),
        ExprKind::If(a, b, c) => out.extend([&**a, &**b, &**c]),
        ExprKind::Lambda(l) => out.push(&l.body),
        ExprKind::CaseLambda(ls) => out.extend(ls.iter().map(|l| &l.body)),
        ExprKind::Seq(es) => out.extend(es.iter()),
        ExprKind::Call(f, args) => {
            out.push(f);
            out.extend(args.iter());
        }
        ExprKind::Let(bs, body) | ExprKind::Letrec(bs, body) => {
            out.extend(bs.iter().map(|(_, e)| e));
            out.push(body);
        }
    }
}

struct Walker {
    analysis: Analysis,
}

impl Walker {
    fn expr(&mut self, e: &Expr) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match &e.kind {
            ExprKind::SetLocal(v, value) => {
                self.analysis.vars.entry(v.id).or_default().assigned = true;
                self.expr(value);
            }
            _ => {
                let mut kids = Vec::new();
                children(e, &mut kids);
                kids.into_iter().for_each(|k| self.expr(k));
            }
        })
    }
}
