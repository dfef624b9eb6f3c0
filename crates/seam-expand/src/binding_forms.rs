//! The binding forms among the derived forms: `let` (and named `let`), `let*`, `letrec`,
//! `letrec*`, `let-values`, `let*-values` and `do`.

use std::sync::Arc;

use seam_syntax::Span;

use crate::core::{Expr, ExprKind, Lambda, Var};
use crate::env::{EnvId, Special};
use crate::error::{fail, Result};
use crate::expr::{call, local, prim, sequence};
use crate::syntax::{Ident, Stx};
use crate::Expander;

/// One `(name init)` binding.
struct Binding<'a> {
    id: &'a Ident,
    init: &'a Stx,
}

impl Expander {
    /// Parses `((name init) ...)`; `distinct` rejects a name bound twice.
    fn parse_bindings<'a>(&self, stx: &'a Stx, who: &str, distinct: bool) -> Result<Vec<Binding<'a>>> {
        let Some(items) = stx.proper_list() else {
            return fail(&stx.span, format!("{who}: malformed bindings {}", self.show(stx)));
        };
        let mut out: Vec<Binding> = Vec::with_capacity(items.len());
        let mut seen: rustc_hash::FxHashSet<&Ident> = Default::default();
        for item in items {
            let Some([name, init]) = item.proper_list() else {
                return fail(&item.span, format!("{who}: malformed binding {}", self.show(item)));
            };
            let Some(id) = name.ident() else {
                return fail(&item.span, format!("{who}: malformed binding {}", self.show(item)));
            };
            if distinct && !seen.insert(id) {
                return fail(&name.span, format!("{who}: duplicate binding {}", self.base_name(id)));
            }
            out.push(Binding { id, init });
        }
        Ok(out)
    }

    pub(crate) fn expand_let(&mut self, items: &[Stx], env: EnvId, span: &Span) -> Result<Expr> {
        if let Some(name) = items.get(1).and_then(|s| s.ident()) {
            return self.expand_named_let(name, items, env, span);
        }
        if items.len() < 3 {
            return self.shape_error(Special::Let, span);
        }
        let bindings = self.parse_bindings(&items[1], "let", true)?;
        let mut inits = Vec::with_capacity(bindings.len());
        for b in &bindings {
            let name = self.base_name(b.id);
            inits.push(self.expand_named(b.init, env, &name)?);
        }
        let frame = self.new_frame(env);
        let vars: Vec<Var> = bindings.iter().map(|b| self.bind_var(frame, b.id)).collect();
        let body = self.expand_body(&items[2..], frame, span, "let")?;
        if vars.is_empty() {
            return Ok(body);
        }
        Ok(Expr::new(ExprKind::Let(vars.into_iter().zip(inits).collect(), Box::new(body)), span.clone()))
    }

    /// `(let name ((var init) ...) body ...)`: a recursive procedure applied to the inits.
    fn expand_named_let(&mut self, name: &Ident, items: &[Stx], env: EnvId, span: &Span) -> Result<Expr> {
        if items.len() < 4 {
            return self.shape_error(Special::Let, span);
        }
        let bindings = self.parse_bindings(&items[2], "let", true)?;
        let inits = bindings.iter().map(|b| self.expand_expr(b.init, env)).collect::<Result<Vec<_>>>()?;
        let loop_frame = self.new_frame(env);
        let loop_var = self.bind_var(loop_frame, name);
        let param_frame = self.new_frame(loop_frame);
        let params = bindings.iter().map(|b| self.bind_var(param_frame, b.id)).collect();
        let body = self.expand_body(&items[3..], param_frame, span, "let")?;
        let lambda =
            Lambda { name: Some(loop_var.name.clone()), params, rest: None, body, span: span.clone() };
        Ok(self.loop_call(loop_var, lambda, inits, span))
    }

    /// `((letrec ((loop lambda)) loop) inits ...)`
    fn loop_call(&self, loop_var: Var, lambda: Lambda, inits: Vec<Expr>, span: &Span) -> Expr {
        let procedure = Expr::new(ExprKind::Lambda(Box::new(lambda)), span.clone());
        let reference = local(&loop_var, span);
        let letrec =
            Expr::new(ExprKind::Letrec(vec![(loop_var, procedure)], Box::new(reference)), span.clone());
        call(letrec, inits, span)
    }

    pub(crate) fn expand_let_star(&mut self, items: &[Stx], env: EnvId, span: &Span) -> Result<Expr> {
        if items.len() < 3 {
            return self.shape_error(Special::LetStar, span);
        }
        let bindings = self.parse_bindings(&items[1], "let*", false)?;
        let mut scope = env;
        let mut levels = Vec::with_capacity(bindings.len());
        for b in &bindings {
            let name = self.base_name(b.id);
            let init = self.expand_named(b.init, scope, &name)?;
            scope = self.new_frame(scope);
            levels.push((self.bind_var(scope, b.id), init, b.init.span.clone()));
        }
        let mut body = self.expand_body(&items[2..], scope, span, "let*")?;
        for (var, init, _) in levels.into_iter().rev() {
            body = Expr::new(ExprKind::Let(vec![(var, init)], Box::new(body)), span.clone());
        }
        Ok(body)
    }

    pub(crate) fn expand_letrec(
        &mut self,
        special: Special,
        items: &[Stx],
        env: EnvId,
        span: &Span,
    ) -> Result<Expr> {
        if items.len() < 3 {
            return self.shape_error(special, span);
        }
        let who = special.name();
        let bindings = self.parse_bindings(&items[1], who, true)?;
        let frame = self.new_frame(env);
        let vars: Vec<Var> = bindings.iter().map(|b| self.bind_var(frame, b.id)).collect();
        let mut pairs = Vec::with_capacity(vars.len());
        for (var, b) in vars.into_iter().zip(&bindings) {
            let init = self.expand_named(b.init, frame, &var.name)?;
            pairs.push((var, init));
        }
        let body = self.expand_body(&items[2..], frame, span, who)?;
        if pairs.is_empty() {
            return Ok(body);
        }
        Ok(Expr::new(ExprKind::Letrec(pairs, Box::new(body)), span.clone()))
    }

    /// `let-values` and `let*-values`, as nested `%call-with-values`.
    pub(crate) fn expand_let_values(
        &mut self,
        special: Special,
        items: &[Stx],
        env: EnvId,
        span: &Span,
    ) -> Result<Expr> {
        let who = special.name();
        if items.len() < 3 {
            return self.shape_error(special, span);
        }
        let Some(bindings) = items[1].proper_list() else {
            return fail(&items[1].span, format!("{who}: malformed bindings {}", self.show(&items[1])));
        };
        let sequential = special == Special::LetStarValues;
        let mut scope = if sequential { env } else { self.new_frame(env) };
        let mut seen: rustc_hash::FxHashSet<&Ident> = Default::default();
        let mut levels = Vec::with_capacity(bindings.len());
        for binding in bindings {
            let Some([formals, init]) = binding.proper_list() else {
                return fail(&binding.span, format!("{who}: malformed binding {}", self.show(binding)));
            };
            let init = self.expand_expr(init, if sequential { scope } else { env })?;
            let parsed = self.parse_formals(formals, who)?;
            if !sequential {
                for param in parsed.required.iter().chain(&parsed.rest) {
                    if let Some(id) = param.ident() {
                        if !seen.insert(id) {
                            return fail(
                                &param.span,
                                format!("{who}: duplicate binding {}", self.base_name(id)),
                            );
                        }
                    }
                }
            } else {
                scope = self.new_frame(scope);
            }
            let (params, rest) = self.bind_formals(&parsed, scope);
            levels.push((params, rest, init, binding.span.clone()));
        }
        let mut body = self.expand_body(&items[2..], scope, span, who)?;
        for (params, rest, init, binding_span) in levels.into_iter().rev() {
            body = call_with_values(init, params, rest, body, &binding_span);
        }
        Ok(body)
    }

    /// `(do ((var init [step]) ...) (test expr ...) command ...)`
    pub(crate) fn expand_do(&mut self, items: &[Stx], env: EnvId, span: &Span) -> Result<Expr> {
        if items.len() < 3 {
            return self.shape_error(Special::Do, span);
        }
        let Some(specs) = items[1].proper_list() else {
            return fail(&items[1].span, format!("do: malformed bindings {}", self.show(&items[1])));
        };
        let Some((test, results)) = items[2].proper_list().and_then(|t| t.split_first()) else {
            return fail(&items[2].span, format!("do: malformed exit clause {}", self.show(&items[2])));
        };
        let mut parsed: Vec<(&Ident, &Stx, Option<&Stx>)> = Vec::with_capacity(specs.len());
        let mut seen: rustc_hash::FxHashSet<&Ident> = Default::default();
        for spec in specs {
            let (id, init, step) = match spec.proper_list() {
                Some([name, init]) => (name.ident(), init, None),
                Some([name, init, step]) => (name.ident(), init, Some(step)),
                _ => (None, spec, None),
            };
            let Some(id) = id else {
                return fail(&spec.span, format!("do: malformed binding {}", self.show(spec)));
            };
            if !seen.insert(id) {
                return fail(&spec.span, format!("do: duplicate binding {}", self.base_name(id)));
            }
            parsed.push((id, init, step));
        }
        let inits =
            parsed.iter().map(|(_, init, _)| self.expand_expr(init, env)).collect::<Result<Vec<_>>>()?;
        let loop_var = self.fresh_var(Arc::from("do-loop"));
        let frame = self.new_frame(env);
        let params: Vec<Var> = parsed.iter().map(|(id, _, _)| self.bind_var(frame, id)).collect();
        let test = self.expand_expr(test, frame)?;
        let results = results.iter().map(|s| self.expand_expr(s, frame)).collect::<Result<Vec<_>>>()?;
        let mut commands =
            items[3..].iter().map(|s| self.expand_expr(s, frame)).collect::<Result<Vec<_>>>()?;
        let mut steps = Vec::with_capacity(params.len());
        for ((_, _, step), var) in parsed.iter().zip(&params) {
            steps.push(match step {
                Some(step) => self.expand_expr(step, frame)?,
                None => local(var, span),
            });
        }
        commands.push(call(local(&loop_var, span), steps, span));
        let exit = sequence(results, span);
        let body = Expr::new(
            ExprKind::If(Box::new(test), Box::new(exit), Box::new(sequence(commands, span))),
            span.clone(),
        );
        let lambda =
            Lambda { name: Some(loop_var.name.clone()), params, rest: None, body, span: span.clone() };
        Ok(self.loop_call(loop_var, lambda, inits, span))
    }
}

/// `(%call-with-values (lambda () init) (lambda formals body))`
pub(crate) fn call_with_values(
    init: Expr,
    params: Vec<Var>,
    rest: Option<Var>,
    body: Expr,
    span: &Span,
) -> Expr {
    let producer = Lambda { name: None, params: Vec::new(), rest: None, body: init, span: span.clone() };
    let consumer = Lambda { name: None, params, rest, body, span: span.clone() };
    call(
        prim("%call-with-values", span),
        vec![
            Expr::new(ExprKind::Lambda(Box::new(producer)), span.clone()),
            Expr::new(ExprKind::Lambda(Box::new(consumer)), span.clone()),
        ],
        span,
    )
}
