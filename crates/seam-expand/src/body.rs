//! Bodies: internal definitions (found by expanding macro uses until their shape is
//! known, splicing `begin`), turned into one `letrec*` of the definitions followed by
//! the expressions. Also the parsing of `define` and `define-values` shared with the
//! top level.

use std::borrow::Cow;
use std::sync::Arc;

use seam_syntax::Span;

use crate::binding_forms::call_with_values;
use crate::core::{Expr, ExprKind, Var};
use crate::env::{Binding, EnvId, Special};
use crate::error::{fail, Result};
use crate::expr::{local, sequence};
use crate::records::RtdRef;
use crate::syntax::{Ident, Stx, StxKind};
use crate::Expander;

/// What `(define ...)` binds its name to.
pub(crate) enum DefineInit<'a> {
    Nothing,
    Expression(&'a Stx),
    Procedure { formals: Stx, body: &'a [Stx] },
}

/// One scanned body form.
enum Item<'a> {
    Define { var: Var, form: Cow<'a, Stx> },
    Values { vars: Vec<Var>, rest: Option<Var>, form: Cow<'a, Stx> },
    Bindings(Vec<(Var, Expr)>),
    Expression(Cow<'a, Stx>),
}

impl Item<'_> {
    fn is_definition(&self) -> bool {
        !matches!(self, Item::Expression(_))
    }
}

/// The list items after the keyword of a form known to be a proper list.
fn subforms<'a>(form: Cow<'a, Stx>) -> Vec<Cow<'a, Stx>> {
    match form {
        Cow::Borrowed(stx) => stx.proper_list().unwrap_or(&[]).iter().skip(1).map(Cow::Borrowed).collect(),
        Cow::Owned(stx) => match stx.into_kind() {
            StxKind::List(items, None) => items.into_iter().skip(1).map(Cow::Owned).collect(),
            _ => Vec::new(),
        },
    }
}

impl Expander {
    /// Splits a `define` form into its name and what it binds.
    pub(crate) fn parse_define<'a>(&self, form: &'a Stx) -> Result<(&'a Ident, &'a Span, DefineInit<'a>)> {
        let shape = || self.shape_error(Special::Define, &form.span);
        let Some(items) = form.proper_list() else { return shape() };
        match items {
            [_, name] => match name.ident() {
                Some(id) => Ok((id, &name.span, DefineInit::Nothing)),
                None => shape(),
            },
            [_, name, init] if name.ident().is_some() => match name.ident() {
                Some(id) => Ok((id, &name.span, DefineInit::Expression(init))),
                None => shape(),
            },
            [_, header, body @ ..] if !body.is_empty() => {
                let StxKind::List(parts, tail) = &header.kind else { return shape() };
                let Some(id) = parts.first().and_then(|p| p.ident()) else { return shape() };
                let formals = Stx::list(parts[1..].to_vec(), tail.as_deref().cloned(), header.span.clone());
                Ok((id, &header.span, DefineInit::Procedure { formals, body }))
            }
            _ => shape(),
        }
    }

    /// Expands what a `define` binds `name` to.
    pub(crate) fn expand_define_init(
        &mut self,
        init: DefineInit,
        name: &Arc<str>,
        env: EnvId,
        span: &Span,
    ) -> Result<Expr> {
        match init {
            DefineInit::Nothing => Ok(Expr::new(ExprKind::Unspecified, span.clone())),
            DefineInit::Expression(stx) => self.expand_named(stx, env, name),
            DefineInit::Procedure { formals, body } => {
                let lambda = self.expand_lambda(Some(name.clone()), &formals, body, env, span, "define")?;
                Ok(Expr::new(ExprKind::Lambda(Box::new(lambda)), span.clone()))
            }
        }
    }

    /// `(define-values formals expression)`: the formals and the expression.
    pub(crate) fn parse_define_values<'a>(
        &self,
        form: &'a Stx,
    ) -> Result<(crate::expr::Formals<'a>, &'a Stx)> {
        match form.proper_list() {
            Some([_, formals, init]) => Ok((self.parse_formals(formals, "define-values")?, init)),
            _ => self.shape_error(Special::DefineValues, &form.span),
        }
    }

    /// `(define-syntax name transformer)` in frame `env`.
    pub(crate) fn define_syntax(&mut self, form: &Stx, env: EnvId) -> Result<()> {
        let Some([_, name, spec]) = form.proper_list() else {
            return self.shape_error(Special::DefineSyntax, &form.span);
        };
        let Some(id) = name.ident() else { return self.shape_error(Special::DefineSyntax, &form.span) };
        let transformer = self.eval_transformer(spec, env, env, self.base_name(id))?;
        self.bind(env, id, transformer);
        Ok(())
    }

    /// A body: internal definitions and expressions, in a new scope inside `env`.
    pub(crate) fn expand_body(&mut self, forms: &[Stx], env: EnvId, span: &Span, who: &str) -> Result<Expr> {
        if forms.is_empty() {
            return fail(span, format!("{who}: empty body"));
        }
        let frame = self.new_frame(env);
        let items = self.scan_body(forms, frame)?;
        let Some(last_definition) = items.iter().rposition(Item::is_definition) else {
            let exprs = items
                .iter()
                .map(|item| match item {
                    Item::Expression(stx) => self.expand_expr(stx, frame),
                    _ => fail(span, "internal error: definition in expression list"),
                })
                .collect::<Result<Vec<_>>>()?;
            return match exprs.is_empty() {
                true => fail(span, format!("{who}: empty body")),
                false => Ok(sequence(exprs, span)),
            };
        };
        if last_definition + 1 == items.len() {
            return fail(span, format!("{who}: no expression after the definitions in the body"));
        }
        let mut bindings = Vec::new();
        let mut exprs = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            match item {
                Item::Define { var, form } => {
                    let (_, name_span, init) = self.parse_define(&form)?;
                    let name = var.name.clone();
                    let value = self.expand_define_init(init, &name, frame, name_span)?;
                    bindings.push((var, value));
                }
                Item::Values { vars, rest, form } => {
                    let (_, init) = self.parse_define_values(&form)?;
                    let init = self.expand_expr(init, frame)?;
                    let fspan = &form.span;
                    let all: Vec<Var> = vars.iter().chain(&rest).cloned().collect();
                    let temps: Vec<Var> = all.iter().map(|v| self.fresh_var(v.name.clone())).collect();
                    let sets = all
                        .iter()
                        .zip(&temps)
                        .map(|(v, t)| {
                            Expr::new(ExprKind::SetLocal(v.clone(), Box::new(local(t, fspan))), fspan.clone())
                        })
                        .collect();
                    let (params, rest_temp) = match rest {
                        Some(_) => (temps[..vars.len()].to_vec(), temps.last().cloned()),
                        None => (temps, None),
                    };
                    for v in all {
                        bindings.push((v, Expr::new(ExprKind::Unspecified, fspan.clone())));
                    }
                    let assign = call_with_values(init, params, rest_temp, sequence(sets, fspan), fspan);
                    bindings.push((self.fresh_var(Arc::from("_")), assign));
                }
                Item::Bindings(more) => bindings.extend(more),
                Item::Expression(stx) => {
                    let expr = self.expand_expr(&stx, frame)?;
                    if index < last_definition {
                        bindings.push((self.fresh_var(Arc::from("_")), expr));
                    } else {
                        exprs.push(expr);
                    }
                }
            }
        }
        Ok(Expr::new(ExprKind::Letrec(bindings, Box::new(sequence(exprs, span))), span.clone()))
    }

    /// Finds the definitions of a body, binding their names in `frame` as it goes.
    fn scan_body<'a>(&mut self, forms: &'a [Stx], frame: EnvId) -> Result<Vec<Item<'a>>> {
        let mut pending: Vec<(Cow<'a, Stx>, usize)> =
            forms.iter().rev().map(|f| (Cow::Borrowed(f), 0)).collect();
        let mut items = Vec::new();
        while let Some((form, chain)) = pending.pop() {
            let head = self.head_binding(&form, frame);
            match head {
                Some(Binding::Macro(mac)) => {
                    if chain >= self.limits.max_chain {
                        return self.chain_too_long(&form.span);
                    }
                    let next = self.expand_macro(&mac, &form, frame)?;
                    pending.push((Cow::Owned(next), chain + 1));
                }
                Some(Binding::Special(special)) if form.proper_list().is_none() => {
                    return self.shape_error(special, &form.span);
                }
                Some(Binding::Special(Special::Begin)) => {
                    let subs = subforms(form);
                    pending.extend(subs.into_iter().rev().map(|f| (f, chain)));
                }
                Some(Binding::Special(special @ (Special::Include | Special::IncludeCi))) => {
                    let forms = self.include_forms(&form, special == Special::IncludeCi)?;
                    pending.extend(forms.into_iter().rev().map(|f| (Cow::Owned(f), chain)));
                }
                Some(Binding::Special(Special::CondExpand)) => {
                    let chosen = self.cond_expand_forms(form.proper_list().unwrap_or(&[]))?;
                    pending.extend(chosen.into_iter().rev().map(|f| (Cow::Owned(f), chain)));
                }
                Some(Binding::Special(Special::Define)) => {
                    let (id, _, _) = self.parse_define(&form)?;
                    let var = self.bind_var(frame, id);
                    items.push(Item::Define { var, form });
                }
                Some(Binding::Special(Special::DefineValues)) => {
                    let (formals, _) = self.parse_define_values(&form)?;
                    let (vars, rest) = self.bind_formals(&formals, frame);
                    items.push(Item::Values { vars, rest, form });
                }
                Some(Binding::Special(Special::DefineRecordType)) => {
                    let spec = self.parse_record(&form)?;
                    let names = spec.defined_names();
                    let vars: Vec<Var> = names.iter().map(|id| self.bind_var(frame, id)).collect();
                    let rtd = RtdRef::Local(vars[0].clone());
                    let exprs = self.record_exprs(&spec, &rtd, &form.span);
                    items.push(Item::Bindings(vars.into_iter().zip(exprs).collect()));
                }
                Some(Binding::Special(Special::DefineSyntax)) => self.define_syntax(&form, frame)?,
                Some(Binding::Special(Special::SyntaxError)) => return self.syntax_error(&form),
                _ => items.push(Item::Expression(form)),
            }
        }
        Ok(items)
    }
}
