//! Expressions: variable references, constants, applications, and the core special
//! forms (`quote`, `if`, `lambda`, `set!`, `begin`, `let-syntax`, ...); dispatch to
//! the derived forms.

use std::borrow::Cow;
use std::sync::Arc;

use seam_syntax::Span;

use crate::core::{Expr, ExprKind, Lambda, Var};
use crate::env::{Binding, EnvId, Special};
use crate::error::{fail, Result};
use crate::syntax::{Ident, Stx, StxKind};
use crate::Expander;

/// A global the generated code calls (one of the `%` run-time procedures).
pub(crate) fn prim(name: &str, span: &Span) -> Expr {
    Expr::new(ExprKind::Global(crate::core::Global::system(name)), span.clone())
}

pub(crate) fn call(operator: Expr, operands: Vec<Expr>, span: &Span) -> Expr {
    Expr::new(ExprKind::Call(Box::new(operator), operands), span.clone())
}

pub(crate) fn local(var: &Var, span: &Span) -> Expr {
    Expr::new(ExprKind::Local(var.clone()), span.clone())
}

/// `Seq` of `exprs`, or the single expression itself.
pub(crate) fn sequence(mut exprs: Vec<Expr>, span: &Span) -> Expr {
    match exprs.len() {
        0 => Expr::new(ExprKind::Unspecified, span.clone()),
        1 => exprs.remove(0),
        _ => Expr::new(ExprKind::Seq(exprs), span.clone()),
    }
}

/// Gives an anonymous `lambda` (or `case-lambda`) the name it is bound to.
pub(crate) fn name_lambda(expr: &mut Expr, name: &Arc<str>) {
    match &mut expr.kind {
        ExprKind::Lambda(lambda) if lambda.name.is_none() => lambda.name = Some(name.clone()),
        ExprKind::CaseLambda(clauses) => {
            for clause in clauses {
                clause.name.get_or_insert_with(|| name.clone());
            }
        }
        _ => {}
    }
}

/// Parsed formals: required identifiers and an optional rest identifier.
pub(crate) struct Formals<'a> {
    pub required: Vec<&'a Stx>,
    pub rest: Option<&'a Stx>,
}

impl Expander {
    /// The binding of a list form's head identifier, if it has one.
    pub(crate) fn head_binding(&self, stx: &Stx, env: EnvId) -> Option<Binding> {
        match &stx.kind {
            StxKind::List(items, _) => items.first()?.ident().map(|id| self.resolve(id, env)),
            _ => None,
        }
    }

    pub(crate) fn enter(&mut self, span: &Span) -> Result<()> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            self.depth -= 1;
            return self.too_deep(span);
        }
        Ok(())
    }

    pub(crate) fn expand_expr(&mut self, stx: &Stx, env: EnvId) -> Result<Expr> {
        self.enter(&stx.span)?;
        let result = self.expand_expr_unguarded(stx, env);
        self.depth -= 1;
        result
    }

    /// Expands an init bound to `name`, naming the procedure it yields.
    pub(crate) fn expand_named(&mut self, stx: &Stx, env: EnvId, name: &Arc<str>) -> Result<Expr> {
        let mut expr = self.expand_expr(stx, env)?;
        name_lambda(&mut expr, name);
        Ok(expr)
    }

    fn expand_expr_unguarded(&mut self, stx: &Stx, env: EnvId) -> Result<Expr> {
        let mut current = Cow::Borrowed(stx);
        let mut chain = 0;
        while let Some(Binding::Macro(mac)) = self.head_binding(&current, env) {
            chain += 1;
            if chain > self.limits.max_chain {
                return self.chain_too_long(&current.span);
            }
            current = Cow::Owned(self.expand_macro(&mac, &current, env)?);
        }
        if chain == 0 {
            return self.expand_form(stx, env);
        }
        self.in_macro += 1;
        let result = self.expand_form(&current, env);
        self.in_macro -= 1;
        result
    }

    /// Expands a form known not to be a macro use.
    fn expand_form(&mut self, stx: &Stx, env: EnvId) -> Result<Expr> {
        let span = &stx.span;
        match &stx.kind {
            StxKind::Ident(id) => self.expand_reference(id, span, env),
            StxKind::Atom(_) | StxKind::Vector(_) => {
                Ok(Expr::new(ExprKind::Const(self.datum_from_stx(stx)), span.clone()))
            }
            StxKind::Label(..) | StxKind::LabelRef(_) => fail(span, "datum label outside quote"),
            StxKind::List(items, tail) => {
                let Some(head) = items.first() else { return fail(span, "empty combination ()") };
                if let Some(Binding::Special(special)) = head.ident().map(|id| self.resolve(id, env)) {
                    return self.expand_special(special, stx, env);
                }
                if tail.is_some() {
                    return fail(span, format!("improper list in combination {}", self.show(stx)));
                }
                let operator = self.expand_expr(head, env)?;
                let operands = items[1..].iter().map(|s| self.expand_expr(s, env)).collect::<Result<_>>()?;
                Ok(call(operator, operands, span))
            }
        }
    }

    fn expand_reference(&mut self, id: &Ident, span: &Span, env: EnvId) -> Result<Expr> {
        match self.resolve(id, env) {
            Binding::Var(var) => Ok(local(&var, span)),
            Binding::Global(name) => Ok(Expr::new(ExprKind::Global(name), span.clone())),
            Binding::Denied(denial) => fail(span, denial.message()),
            Binding::Special(_) | Binding::Macro(_) => {
                fail(span, format!("syntax keyword {} used as an expression", self.base_name(id)))
            }
        }
    }

    pub(crate) fn shape_error<T>(&self, special: Special, span: &Span) -> Result<T> {
        fail(span, format!("{}: expected {}", special.name(), special.usage()))
    }

    fn expand_special(&mut self, special: Special, stx: &Stx, env: EnvId) -> Result<Expr> {
        use Special::*;
        let span = &stx.span;
        let Some(items) = stx.proper_list() else { return self.shape_error(special, span) };
        match special {
            Quote => match items {
                [_, datum] => Ok(Expr::new(ExprKind::Const(self.datum_from_stx(datum)), span.clone())),
                _ => self.shape_error(special, span),
            },
            Quasiquote => match items {
                [_, template] => self.expand_quasiquote(template, env, span),
                _ => self.shape_error(special, span),
            },
            If => self.expand_if(items, env, span),
            Lambda => {
                if items.len() < 3 {
                    return self.shape_error(special, span);
                }
                let lambda = self.expand_lambda(None, &items[1], &items[2..], env, span, "lambda")?;
                Ok(Expr::new(ExprKind::Lambda(Box::new(lambda)), span.clone()))
            }
            Set => self.expand_set(items, env, span),
            Begin => {
                if items.len() < 2 {
                    return fail(span, "begin: expected at least one expression");
                }
                let exprs = items[1..].iter().map(|s| self.expand_expr(s, env)).collect::<Result<_>>()?;
                Ok(sequence(exprs, span))
            }
            LetSyntax | LetrecSyntax => {
                let inner = self.bind_syntax_bindings(special, items, env, span)?;
                self.expand_body(&items[2..], inner, span, special.name())
            }
            Define | DefineValues | DefineRecordType | DefineSyntax => {
                fail(span, format!("{}: not allowed in expression context", special.name()))
            }
            SyntaxError => self.syntax_error(stx),
            SyntaxRules => fail(span, "syntax-rules: only allowed as the transformer of a macro definition"),
            IdentifierAppend => fail(span, "identifier-append: only allowed inside a syntax-rules template"),
            Unquote | UnquoteSplicing => {
                fail(span, format!("{}: not allowed outside quasiquote", special.name()))
            }
            Import | DefineLibrary => fail(span, format!("{}: only allowed at top level", special.name())),
            Include | IncludeCi => {
                let begin = self.include_as_begin(stx, special == IncludeCi)?;
                self.expand_expr(&begin, env)
            }
            Else | Arrow | Ellipsis | Underscore => {
                fail(span, format!("syntax keyword {} used as an expression", special.name()))
            }
            CondExpand => {
                let forms = self.cond_expand_forms(items)?;
                let exprs = forms.iter().map(|s| self.expand_expr(s, env)).collect::<Result<_>>()?;
                Ok(sequence(exprs, span))
            }
            _ => self.expand_derived(special, items, env, span),
        }
    }

    fn expand_if(&mut self, items: &[Stx], env: EnvId, span: &Span) -> Result<Expr> {
        let (test, consequent, alternative) = match items {
            [_, t, c] => (t, c, None),
            [_, t, c, a] => (t, c, Some(a)),
            _ => return self.shape_error(Special::If, span),
        };
        let test = self.expand_expr(test, env)?;
        let consequent = self.expand_expr(consequent, env)?;
        let alternative = match alternative {
            Some(a) => self.expand_expr(a, env)?,
            None => Expr::new(ExprKind::Unspecified, span.clone()),
        };
        Ok(Expr::new(ExprKind::If(Box::new(test), Box::new(consequent), Box::new(alternative)), span.clone()))
    }

    fn expand_set(&mut self, items: &[Stx], env: EnvId, span: &Span) -> Result<Expr> {
        let [_, target, value] = items else { return self.shape_error(Special::Set, span) };
        let Some(id) = target.ident() else {
            return fail(&target.span, format!("set!: not an identifier: {}", self.show(target)));
        };
        let value = self.expand_expr(value, env)?;
        let (binding, frame) = self.resolve_with_frame(id, env);
        let kind = match binding {
            Binding::Var(var) => ExprKind::SetLocal(var, Box::new(value)),
            Binding::Global(global) => {
                self.check_mutable(frame, span, "set!")?;
                self.check_assignable(&global, frame, &target.span)?;
                ExprKind::SetGlobal(global, Box::new(value))
            }
            Binding::Denied(denial) => return fail(&target.span, denial.message()),
            Binding::Special(_) | Binding::Macro(_) => {
                return fail(
                    &target.span,
                    format!("set!: cannot assign syntax keyword {}", self.base_name(id)),
                )
            }
        };
        Ok(Expr::new(kind, span.clone()))
    }

    /// Parses lambda-style formals (`(a b)`, `(a . rest)`, `args`), rejecting duplicates.
    pub(crate) fn parse_formals<'a>(&self, formals: &'a Stx, who: &str) -> Result<Formals<'a>> {
        let (required, rest): (Vec<&Stx>, Option<&Stx>) = match &formals.kind {
            StxKind::Ident(_) => (Vec::new(), Some(formals)),
            StxKind::List(items, tail) => (items.iter().collect(), tail.as_deref()),
            _ => return fail(&formals.span, format!("{who}: malformed formals {}", self.show(formals))),
        };
        // A set, not a list: a form with many parameters costs linear time.
        let mut seen: rustc_hash::FxHashSet<&Ident> = Default::default();
        for param in required.iter().copied().chain(rest) {
            let Some(id) = param.ident() else {
                return fail(
                    &param.span,
                    format!("{who}: parameter is not an identifier: {}", self.show(param)),
                );
            };
            if !seen.insert(id) {
                return fail(&param.span, format!("{who}: duplicate parameter {}", self.base_name(id)));
            }
        }
        Ok(Formals { required, rest })
    }

    /// Binds parsed formals as fresh variables in frame `env`.
    pub(crate) fn bind_formals(&mut self, formals: &Formals, env: EnvId) -> (Vec<Var>, Option<Var>) {
        let mut params = Vec::new();
        for param in &formals.required {
            if let Some(id) = param.ident() {
                params.push(self.bind_var(env, id));
            }
        }
        let rest = formals.rest.and_then(|r| r.ident()).map(|id| self.bind_var(env, id));
        (params, rest)
    }

    pub(crate) fn expand_lambda(
        &mut self,
        name: Option<Arc<str>>,
        formals: &Stx,
        body: &[Stx],
        env: EnvId,
        span: &Span,
        who: &str,
    ) -> Result<Lambda> {
        let parsed = self.parse_formals(formals, who)?;
        let frame = self.new_frame(env);
        let (params, rest) = self.bind_formals(&parsed, frame);
        let body = self.expand_body(body, frame, span, who)?;
        Ok(Lambda { name, params, rest, body, span: span.clone() })
    }

    /// Binds the keywords of `let-syntax`/`letrec-syntax`; returns the frame of its body.
    fn bind_syntax_bindings(
        &mut self,
        special: Special,
        items: &[Stx],
        env: EnvId,
        span: &Span,
    ) -> Result<EnvId> {
        if items.len() < 3 {
            return self.shape_error(special, span);
        }
        let Some(bindings) = items[1].proper_list() else { return self.shape_error(special, span) };
        let frame = self.new_frame(env);
        let macro_env = if special == Special::LetrecSyntax { frame } else { env };
        for binding in bindings {
            let (id, spec) = match binding.proper_list() {
                Some([name, spec]) if name.ident().is_some() => (name.ident(), spec),
                _ => {
                    return fail(
                        &binding.span,
                        format!("{}: malformed binding {}", special.name(), self.show(binding)),
                    )
                }
            };
            let Some(id) = id else { continue };
            let name = self.base_name(id);
            let transformer = self.eval_transformer(spec, macro_env, macro_env, name)?;
            self.bind(frame, id, transformer);
        }
        Ok(frame)
    }
}
