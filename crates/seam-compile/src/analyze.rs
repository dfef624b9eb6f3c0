//! Variable analysis before code generation: which lexical variables are assigned, which are
//! captured by an inner lambda (and so must live in a box when also assigned), and which
//! `letrec` groups can tie their knot without boxes.

use std::collections::{HashMap, HashSet};

use seam_expand::{Expr, ExprKind, Lambda};

#[derive(Default, Debug)]
pub(crate) struct VarInfo {
    /// Id of the lambda (or 0 for top level) that binds the variable.
    binder: u32,
    pub(crate) assigned: bool,
    pub(crate) captured: bool,
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
        let mut walker = Walker { analysis: Analysis::default(), lambdas: vec![0], next_lambda: 1 };
        walker.expr(expr);
        let mut analysis = walker.analysis;
        analysis.find_fixable(expr);
        analysis
    }

    /// Whether the variable must live in a box (assigned after a closure captured it).
    pub(crate) fn boxed(&self, id: u32) -> bool {
        self.vars.get(&id).is_some_and(|v| v.assigned && v.captured)
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
        ExprKind::SetLocal(_, v) | ExprKind::SetGlobal(_, v) | ExprKind::DefineGlobal(_, v) => {
            out.push(v)
        }
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
    lambdas: Vec<u32>,
    next_lambda: u32,
}

impl Walker {
    fn current(&self) -> u32 {
        self.lambdas.last().copied().unwrap_or(0)
    }

    fn bind(&mut self, id: u32) {
        let binder = self.current();
        self.analysis.vars.entry(id).or_default().binder = binder;
    }

    fn reference(&mut self, id: u32) {
        let here = self.current();
        let info = self.analysis.vars.entry(id).or_default();
        if info.binder != here {
            info.captured = true;
        }
    }

    fn lambda(&mut self, l: &Lambda) {
        let id = self.next_lambda;
        self.next_lambda += 1;
        self.lambdas.push(id);
        for p in l.params.iter().chain(l.rest.iter()) {
            self.bind(p.id);
        }
        self.expr(&l.body);
        self.lambdas.pop();
    }

    fn expr(&mut self, e: &Expr) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match &e.kind {
            ExprKind::Local(v) => self.reference(v.id),
            ExprKind::SetLocal(v, value) => {
                self.reference(v.id);
                self.analysis.vars.entry(v.id).or_default().assigned = true;
                self.expr(value);
            }
            ExprKind::Lambda(l) => self.lambda(l),
            ExprKind::CaseLambda(ls) => ls.iter().for_each(|l| self.lambda(l)),
            ExprKind::Let(bs, body) => {
                bs.iter().for_each(|(_, init)| self.expr(init));
                bs.iter().for_each(|(v, _)| self.bind(v.id));
                self.expr(body);
            }
            ExprKind::Letrec(bs, body) => {
                bs.iter().for_each(|(v, _)| self.bind(v.id));
                bs.iter().for_each(|(_, init)| self.expr(init));
                self.expr(body);
            }
            _ => {
                let mut kids = Vec::new();
                children(e, &mut kids);
                kids.into_iter().for_each(|k| self.expr(k));
            }
        })
    }
}
