//! `quasiquote` at any nesting depth, with `unquote` and `unquote-splicing` in lists and
//! vectors, built from `%list`, `%cons`, `%append` and `%list->vector`.

use seam_syntax::{Datum, DatumKind, Span};

use crate::core::{Expr, ExprKind};
use crate::env::{EnvId, Special};
use crate::error::{fail, Result};
use crate::expr::{call, prim};
use crate::syntax::{Stx, StxKind};
use crate::Expander;

/// One element of a list template.
enum Part {
    Single(Expr),
    Spliced(Expr),
}

impl Expander {
    pub(crate) fn expand_quasiquote(&mut self, template: &Stx, env: EnvId, span: &Span) -> Result<Expr> {
        match self.quasi(template, 1, env)? {
            Some(expr) => Ok(expr),
            None => Ok(Expr::new(ExprKind::Const(self.datum_from_stx(template)), span.clone())),
        }
    }

    fn constant(&self, stx: &Stx) -> Expr {
        Expr::new(ExprKind::Const(self.datum_from_stx(stx)), stx.span.clone())
    }

    /// `Some` code building the template at `depth`, or `None` when it is all constant.
    fn quasi(&mut self, stx: &Stx, depth: usize, env: EnvId) -> Result<Option<Expr>> {
        seam_syntax::grow_stack(|| self.quasi_level(stx, depth, env))
    }

    /// [`Expander::quasi`] for one level.
    fn quasi_level(&mut self, stx: &Stx, depth: usize, env: EnvId) -> Result<Option<Expr>> {
        match &stx.kind {
            StxKind::List(items, tail) => {
                if let ([head, operand], None) = (items.as_slice(), tail) {
                    for (special, change) in
                        [(Special::Unquote, -1), (Special::UnquoteSplicing, -1), (Special::Quasiquote, 1)]
                    {
                        if !self.is_keyword(head, env, special) {
                            continue;
                        }
                        if depth == 1 && special == Special::Unquote {
                            return self.expand_expr(operand, env).map(Some);
                        }
                        if depth == 1 && special == Special::UnquoteSplicing {
                            return fail(&stx.span, "unquote-splicing: not in a list");
                        }
                        let inner_depth = if change > 0 { depth + 1 } else { depth - 1 };
                        let Some(inner) = self.quasi(operand, inner_depth, env)? else { return Ok(None) };
                        let keyword = Expr::new(
                            ExprKind::Const(Datum::new(
                                DatumKind::Symbol(special.name().to_string()),
                                head.span.clone(),
                            )),
                            head.span.clone(),
                        );
                        return Ok(Some(call(prim("%list", &stx.span), vec![keyword, inner], &stx.span)));
                    }
                }
                // `(a . ,b)` reads as `(a unquote b)`.
                let n = items.len();
                if tail.is_none() && n >= 3 && self.is_keyword(&items[n - 2], env, Special::Unquote) {
                    let unquoted = Stx::list(items[n - 2..].to_vec(), None, items[n - 2].span.clone());
                    return self.quasi_list(&items[..n - 2], Some(&unquoted), depth, env, &stx.span);
                }
                self.quasi_list(items, tail.as_deref(), depth, env, &stx.span)
            }
            StxKind::Vector(items) => match self.quasi_list(items, None, depth, env, &stx.span)? {
                Some(list) => Ok(Some(call(prim("%list->vector", &stx.span), vec![list], &stx.span))),
                None => Ok(None),
            },
            _ => Ok(None),
        }
    }

    fn quasi_list(
        &mut self,
        items: &[Stx],
        tail: Option<&Stx>,
        depth: usize,
        env: EnvId,
        span: &Span,
    ) -> Result<Option<Expr>> {
        let mut parts = Vec::with_capacity(items.len());
        let mut all_constant = true;
        for item in items {
            let spliced = match item.proper_list() {
                Some([head, operand])
                    if depth == 1 && self.is_keyword(head, env, Special::UnquoteSplicing) =>
                {
                    Some(operand)
                }
                _ => None,
            };
            if let Some(operand) = spliced {
                parts.push(Part::Spliced(self.expand_expr(operand, env)?));
                all_constant = false;
                continue;
            }
            match self.quasi(item, depth, env)? {
                Some(expr) => {
                    parts.push(Part::Single(expr));
                    all_constant = false;
                }
                None => parts.push(Part::Single(self.constant(item))),
            }
        }
        let tail = match tail {
            Some(t) => match self.quasi(t, depth, env)? {
                Some(expr) => {
                    all_constant = false;
                    Some(expr)
                }
                None => Some(self.constant(t)),
            },
            None => None,
        };
        if all_constant {
            return Ok(None);
        }
        let mut segments = Vec::new();
        let mut run = Vec::new();
        for part in parts {
            match part {
                Part::Single(expr) => run.push(expr),
                Part::Spliced(expr) => {
                    if !run.is_empty() {
                        segments.push(call(prim("%list", span), std::mem::take(&mut run), span));
                    }
                    segments.push(expr);
                }
            }
        }
        if segments.is_empty() {
            let Some(mut result) = tail else { return Ok(Some(call(prim("%list", span), run, span))) };
            for expr in run.into_iter().rev() {
                result = call(prim("%cons", span), vec![expr, result], span);
            }
            return Ok(Some(result));
        }
        if !run.is_empty() {
            segments.push(call(prim("%list", span), run, span));
        }
        segments.extend(tail);
        if segments.len() == 1 {
            return Ok(segments.pop());
        }
        Ok(Some(call(prim("%append", span), segments, span)))
    }
}
