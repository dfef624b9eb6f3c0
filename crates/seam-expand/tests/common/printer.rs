//! A test-only printer of core forms as s-expressions. Local variables print as their
//! name, with `#n` appended when two different variables share a name.

use std::collections::HashMap;

use seam_expand::{Expr, ExprKind, Lambda, Var};
use seam_syntax::{Datum, DatumKind, Number};

pub fn datum(d: &Datum) -> String {
    match &d.kind {
        DatumKind::Bool(b) => if *b { "#t" } else { "#f" }.into(),
        DatumKind::Number(Number::Fixnum(n)) => n.to_string(),
        DatumKind::Number(Number::Flonum(f)) => format!("{f:?}"),
        DatumKind::Number(n) => format!("{n:?}"),
        DatumKind::Char(c) => format!("#\\{c}"),
        DatumKind::String(s) => format!("{s:?}"),
        DatumKind::Symbol(s) => s.clone(),
        DatumKind::Bytevector(b) => format!("#u8{b:?}"),
        DatumKind::Vector(items) => format!("#({})", items.iter().map(datum).collect::<Vec<_>>().join(" ")),
        DatumKind::List(items, tail) => {
            let mut s = items.iter().map(datum).collect::<Vec<_>>().join(" ");
            if let Some(t) = tail {
                s.push_str(" . ");
                s.push_str(&datum(t));
            }
            format!("({s})")
        }
        DatumKind::Label(n, d) => format!("#{n}={}", datum(d)),
        DatumKind::LabelRef(n) => format!("#{n}#"),
    }
}

struct Printer {
    names: HashMap<std::sync::Arc<str>, Vec<u32>>,
}

impl Printer {
    fn collect(&mut self, e: &Expr) {
        let mut note = |v: &Var| {
            let ids = self.names.entry(v.name.clone()).or_default();
            if !ids.contains(&v.id) {
                ids.push(v.id);
            }
        };
        match &e.kind {
            ExprKind::Local(v) => note(v),
            ExprKind::SetLocal(v, _) => note(v),
            ExprKind::Let(b, _) | ExprKind::Letrec(b, _) => b.iter().for_each(|(v, _)| note(v)),
            ExprKind::Lambda(l) => l.params.iter().chain(&l.rest).for_each(note),
            ExprKind::CaseLambda(ls) => ls.iter().flat_map(|l| l.params.iter().chain(&l.rest)).for_each(note),
            _ => {}
        }
        match &e.kind {
            ExprKind::SetLocal(_, x) | ExprKind::SetGlobal(_, x) | ExprKind::DefineGlobal(_, x) => {
                self.collect(x)
            }
            ExprKind::If(a, b, c) => [a, b, c].iter().for_each(|x| self.collect(x)),
            ExprKind::Lambda(l) => self.collect(&l.body),
            ExprKind::CaseLambda(ls) => ls.iter().for_each(|l| self.collect(&l.body)),
            ExprKind::Seq(xs) => xs.iter().for_each(|x| self.collect(x)),
            ExprKind::Call(f, xs) => {
                self.collect(f);
                xs.iter().for_each(|x| self.collect(x));
            }
            ExprKind::Let(b, body) | ExprKind::Letrec(b, body) => {
                b.iter().for_each(|(_, x)| self.collect(x));
                self.collect(body);
            }
            _ => {}
        }
    }

    fn var(&self, v: &Var) -> String {
        match self.names.get(&v.name) {
            Some(ids) if ids.len() > 1 => {
                format!("{}#{}", v.name, ids.iter().position(|&i| i == v.id).unwrap_or(99) + 1)
            }
            _ => v.name.to_string(),
        }
    }

    fn lambda(&self, l: &Lambda) -> String {
        let mut formals = l.params.iter().map(|v| self.var(v)).collect::<Vec<_>>().join(" ");
        let formals = match (&l.rest, l.params.is_empty()) {
            (Some(r), true) => self.var(r),
            (Some(r), false) => {
                formals.push_str(" . ");
                formals.push_str(&self.var(r));
                format!("({formals})")
            }
            (None, _) => format!("({formals})"),
        };
        let name = l.name.as_ref().map(|n| format!("{{{n}}} ")).unwrap_or_default();
        format!("(lambda {name}{formals} {})", self.expr(&l.body))
    }

    fn bindings(&self, b: &[(Var, Expr)]) -> String {
        b.iter().map(|(v, e)| format!("({} {})", self.var(v), self.expr(e))).collect::<Vec<_>>().join(" ")
    }

    fn expr(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Const(d) => match &d.kind {
                DatumKind::Symbol(_) | DatumKind::List(..) => format!("'{}", datum(d)),
                _ => datum(d),
            },
            ExprKind::Unspecified => "#!unspecified".into(),
            ExprKind::Local(v) => self.var(v),
            ExprKind::Global(n) => n.to_string(),
            ExprKind::SetLocal(v, x) => format!("(set! {} {})", self.var(v), self.expr(x)),
            ExprKind::SetGlobal(n, x) => format!("(set! {n} {})", self.expr(x)),
            ExprKind::DefineGlobal(n, x) => format!("(define {n} {})", self.expr(x)),
            ExprKind::If(a, b, c) => format!("(if {} {} {})", self.expr(a), self.expr(b), self.expr(c)),
            ExprKind::Lambda(l) => self.lambda(l),
            ExprKind::CaseLambda(ls) => {
                format!("(case-lambda {})", ls.iter().map(|l| self.lambda(l)).collect::<Vec<_>>().join(" "))
            }
            ExprKind::Seq(xs) => {
                format!("(begin {})", xs.iter().map(|x| self.expr(x)).collect::<Vec<_>>().join(" "))
            }
            ExprKind::Call(f, xs) => {
                let mut parts = vec![self.expr(f)];
                parts.extend(xs.iter().map(|x| self.expr(x)));
                format!("({})", parts.join(" "))
            }
            ExprKind::Let(b, body) => format!("(let ({}) {})", self.bindings(b), self.expr(body)),
            ExprKind::Letrec(b, body) => format!("(letrec* ({}) {})", self.bindings(b), self.expr(body)),
        }
    }
}

pub fn print(e: &Expr) -> String {
    let mut p = Printer { names: HashMap::new() };
    p.collect(e);
    p.expr(e)
}
