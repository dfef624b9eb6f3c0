//! The conditional and control derived forms: `cond`, `case`, `and`, `or`, `when`,
//! `unless`, `case-lambda`, `parameterize`, `guard`, `delay` and `delay-force`.

use std::sync::Arc;

use seam_syntax::{Datum, DatumKind, Span};

use crate::core::{Expr, ExprKind, Lambda};
use crate::env::{Binding, EnvId, Special};
use crate::error::{fail, Result};
use crate::expr::{call, local, prim, sequence};
use crate::syntax::Stx;
use crate::Expander;

pub(crate) fn boolean(value: bool, span: &Span) -> Expr {
    Expr::new(ExprKind::Const(Datum::new(DatumKind::Bool(value), span.clone())), span.clone())
}

fn if_expr(test: Expr, consequent: Expr, alternative: Expr, span: &Span) -> Expr {
    Expr::new(ExprKind::If(Box::new(test), Box::new(consequent), Box::new(alternative)), span.clone())
}

fn thunk(body: Expr, span: &Span) -> Expr {
    let lambda = Lambda { name: None, params: Vec::new(), rest: None, body, span: span.clone() };
    Expr::new(ExprKind::Lambda(Box::new(lambda)), span.clone())
}

/// A `cond` (or `guard`) clause, expanded.
enum Clause {
    Else(Expr),
    Test(Expr, Expr),
    TestOnly(Expr, Span),
    Arrow(Expr, Expr, Span),
}

impl Expander {
    pub(crate) fn is_keyword(&self, stx: &Stx, env: EnvId, special: Special) -> bool {
        stx.ident().is_some_and(|id| matches!(self.resolve(id, env), Binding::Special(s) if s == special))
    }

    pub(crate) fn expand_derived(
        &mut self,
        special: Special,
        items: &[Stx],
        env: EnvId,
        span: &Span,
    ) -> Result<Expr> {
        use Special::*;
        match special {
            Let => self.expand_let(items, env, span),
            LetStar => self.expand_let_star(items, env, span),
            Letrec | LetrecStar => self.expand_letrec(special, items, env, span),
            LetValues | LetStarValues => self.expand_let_values(special, items, env, span),
            Do => self.expand_do(items, env, span),
            Cond => {
                let fallback = Expr::new(ExprKind::Unspecified, span.clone());
                self.expand_cond_clauses(&items[1..], env, fallback, "cond")
            }
            Case => self.expand_case(items, env, span),
            And | Or => self.expand_and_or(special, items, env, span),
            When | Unless => {
                if items.len() < 3 {
                    return self.shape_error(special, span);
                }
                let test = self.expand_expr(&items[1], env)?;
                let body = items[2..].iter().map(|s| self.expand_expr(s, env)).collect::<Result<_>>()?;
                let body = sequence(body, span);
                let nothing = Expr::new(ExprKind::Unspecified, span.clone());
                Ok(match special {
                    When => if_expr(test, body, nothing, span),
                    _ => if_expr(test, nothing, body, span),
                })
            }
            CaseLambda => {
                // R7RS allows no clauses (a procedure no call matches), but the VM's
                // case-lambda needs one: reject the form rather than compile bad bytecode.
                if items.len() < 2 {
                    return fail(span, "case-lambda: needs at least one clause (formals body ...)");
                }
                let mut clauses = Vec::with_capacity(items.len() - 1);
                for clause in &items[1..] {
                    match clause.proper_list() {
                        Some([formals, body @ ..]) if !body.is_empty() => {
                            clauses.push(self.expand_lambda(
                                None,
                                formals,
                                body,
                                env,
                                &clause.span,
                                "case-lambda",
                            )?);
                        }
                        _ => {
                            return fail(
                                &clause.span,
                                format!("case-lambda: malformed clause {}", self.show(clause)),
                            )
                        }
                    }
                }
                Ok(Expr::new(ExprKind::CaseLambda(clauses), span.clone()))
            }
            Parameterize => self.expand_parameterize(items, env, span),
            Guard => self.expand_guard(items, env, span),
            Delay | DelayForce => {
                let [_, expression] = items else { return self.shape_error(special, span) };
                let value = self.expand_expr(expression, env)?;
                let body = match special {
                    Delay => call(prim("%make-promise", span), vec![boolean(true, span), value], span),
                    _ => value,
                };
                Ok(call(prim("%make-promise", span), vec![boolean(false, span), thunk(body, span)], span))
            }
            _ => fail(span, format!("{}: not supported here", special.name())),
        }
    }

    fn expand_and_or(&mut self, special: Special, items: &[Stx], env: EnvId, span: &Span) -> Result<Expr> {
        let mut operands = items[1..].iter().map(|s| self.expand_expr(s, env)).collect::<Result<Vec<_>>>()?;
        let Some(mut result) = operands.pop() else { return Ok(boolean(special == Special::And, span)) };
        for operand in operands.into_iter().rev() {
            result = if special == Special::And {
                if_expr(operand, result, boolean(false, span), span)
            } else {
                let temp = self.fresh_var(Arc::from("or-temp"));
                let test = if_expr(local(&temp, span), local(&temp, span), result, span);
                Expr::new(ExprKind::Let(vec![(temp, operand)], Box::new(test)), span.clone())
            };
        }
        Ok(result)
    }

    /// The clauses of `cond` (or of `guard`, whose `fallback` re-raises).
    pub(crate) fn expand_cond_clauses(
        &mut self,
        clauses: &[Stx],
        env: EnvId,
        fallback: Expr,
        who: &str,
    ) -> Result<Expr> {
        let mut expanded = Vec::with_capacity(clauses.len());
        for (index, clause) in clauses.iter().enumerate() {
            let Some(parts) = clause.proper_list().filter(|p| !p.is_empty()) else {
                return fail(&clause.span, format!("{who}: malformed clause {}", self.show(clause)));
            };
            let span = &clause.span;
            if self.is_keyword(&parts[0], env, Special::Else) {
                if index + 1 != clauses.len() {
                    return fail(span, format!("{who}: else clause must be last"));
                }
                if parts.len() < 2 {
                    return fail(span, format!("{who}: malformed clause {}", self.show(clause)));
                }
                let body = parts[1..].iter().map(|s| self.expand_expr(s, env)).collect::<Result<_>>()?;
                expanded.push(Clause::Else(sequence(body, span)));
                continue;
            }
            let test = self.expand_expr(&parts[0], env)?;
            if parts.len() > 1 && self.is_keyword(&parts[1], env, Special::Arrow) {
                let [_, _, receiver] = parts else {
                    return fail(span, format!("{who}: malformed clause {}", self.show(clause)));
                };
                let receiver = self.expand_expr(receiver, env)?;
                expanded.push(Clause::Arrow(test, receiver, span.clone()));
            } else if parts.len() == 1 {
                expanded.push(Clause::TestOnly(test, span.clone()));
            } else {
                let body = parts[1..].iter().map(|s| self.expand_expr(s, env)).collect::<Result<_>>()?;
                expanded.push(Clause::Test(test, sequence(body, span)));
            }
        }
        let mut result = fallback;
        for clause in expanded.into_iter().rev() {
            result = match clause {
                Clause::Else(body) => body,
                Clause::Test(test, body) => {
                    let span = test.span.clone();
                    if_expr(test, body, result, &span)
                }
                Clause::TestOnly(test, span) => {
                    let temp = self.fresh_var(Arc::from("cond-temp"));
                    let choice = if_expr(local(&temp, &span), local(&temp, &span), result, &span);
                    Expr::new(ExprKind::Let(vec![(temp, test)], Box::new(choice)), span)
                }
                Clause::Arrow(test, receiver, span) => {
                    let temp = self.fresh_var(Arc::from("cond-temp"));
                    let applied = call(receiver, vec![local(&temp, &span)], &span);
                    let choice = if_expr(local(&temp, &span), applied, result, &span);
                    Expr::new(ExprKind::Let(vec![(temp, test)], Box::new(choice)), span)
                }
            };
        }
        Ok(result)
    }

    fn expand_case(&mut self, items: &[Stx], env: EnvId, span: &Span) -> Result<Expr> {
        if items.len() < 2 {
            return self.shape_error(Special::Case, span);
        }
        let key_expr = self.expand_expr(&items[1], env)?;
        let key = self.fresh_var(Arc::from("case-key"));
        let clauses = &items[2..];
        let mut expanded: Vec<(Option<Expr>, Expr)> = Vec::with_capacity(clauses.len());
        for (index, clause) in clauses.iter().enumerate() {
            let cspan = &clause.span;
            let malformed = || format!("case: malformed clause {}", self.show(clause));
            let Some(parts) = clause.proper_list().filter(|p| p.len() >= 2) else {
                return fail(cspan, malformed());
            };
            let test = if self.is_keyword(&parts[0], env, Special::Else) {
                if index + 1 != clauses.len() {
                    return fail(cspan, "case: else clause must be last");
                }
                None
            } else {
                let Some(data) = parts[0].proper_list() else { return fail(cspan, malformed()) };
                let (operator, operand) = match data {
                    [single] => ("%eqv?", self.datum_from_stx(single)),
                    _ => ("%memv", self.datum_from_stx(&parts[0])),
                };
                let constant = Expr::new(ExprKind::Const(operand), parts[0].span.clone());
                Some(call(prim(operator, cspan), vec![local(&key, cspan), constant], cspan))
            };
            let body = if self.is_keyword(&parts[1], env, Special::Arrow) {
                let [_, _, receiver] = parts else { return fail(cspan, malformed()) };
                let receiver = self.expand_expr(receiver, env)?;
                call(receiver, vec![local(&key, cspan)], cspan)
            } else {
                let body = parts[1..].iter().map(|s| self.expand_expr(s, env)).collect::<Result<_>>()?;
                sequence(body, cspan)
            };
            expanded.push((test, body));
        }
        let mut result = Expr::new(ExprKind::Unspecified, span.clone());
        for (test, body) in expanded.into_iter().rev() {
            result = match test {
                Some(test) => {
                    let tspan = test.span.clone();
                    if_expr(test, body, result, &tspan)
                }
                None => body,
            };
        }
        Ok(Expr::new(ExprKind::Let(vec![(key, key_expr)], Box::new(result)), span.clone()))
    }

    fn expand_parameterize(&mut self, items: &[Stx], env: EnvId, span: &Span) -> Result<Expr> {
        if items.len() < 3 {
            return self.shape_error(Special::Parameterize, span);
        }
        let Some(bindings) = items[1].proper_list() else {
            return self.shape_error(Special::Parameterize, span);
        };
        let mut parameters = Vec::with_capacity(bindings.len());
        let mut values = Vec::with_capacity(bindings.len());
        for binding in bindings {
            let Some([parameter, value]) = binding.proper_list() else {
                return fail(
                    &binding.span,
                    format!("parameterize: malformed binding {}", self.show(binding)),
                );
            };
            parameters.push(self.expand_expr(parameter, env)?);
            values.push(self.expand_expr(value, env)?);
        }
        let body = self.expand_body(&items[2..], env, span, "parameterize")?;
        let parameters = call(prim("%list", span), parameters, span);
        let values = call(prim("%list", span), values, span);
        Ok(call(prim("%parameterize", span), vec![parameters, values, thunk(body, span)], span))
    }

    /// `(%guard (lambda () body) (lambda (condition reraise) clauses... (reraise)))`
    fn expand_guard(&mut self, items: &[Stx], env: EnvId, span: &Span) -> Result<Expr> {
        if items.len() < 3 {
            return self.shape_error(Special::Guard, span);
        }
        let Some((variable, clauses)) = items[1].proper_list().and_then(|s| s.split_first()) else {
            return self.shape_error(Special::Guard, span);
        };
        let Some(id) = variable.ident() else {
            return fail(&variable.span, format!("guard: not an identifier: {}", self.show(variable)));
        };
        let body = self.expand_body(&items[2..], env, span, "guard")?;
        let frame = self.new_frame(env);
        let condition = self.bind_var(frame, id);
        let reraise = self.fresh_var(Arc::from("reraise"));
        let fallback = call(local(&reraise, span), Vec::new(), span);
        let handler_body = self.expand_cond_clauses(clauses, frame, fallback, "guard")?;
        let handler = Lambda {
            name: None,
            params: vec![condition, reraise],
            rest: None,
            body: handler_body,
            span: span.clone(),
        };
        let handler = Expr::new(ExprKind::Lambda(Box::new(handler)), span.clone());
        Ok(call(prim("%guard", span), vec![thunk(body, span), handler], span))
    }
}
