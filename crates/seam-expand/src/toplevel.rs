//! Top-level forms: definitions of globals and macros, `begin` splicing, `import`,
//! `cond-expand`; everything else is an expression.

use std::borrow::Cow;

use seam_syntax::Span;

use crate::binding_forms::call_with_values;
use crate::core::{Expr, ExprKind, Var};
use crate::env::{Binding, EnvId, Special};
use crate::error::{fail, Result};
use crate::expr::{local, sequence};
use crate::records::RtdRef;
use crate::syntax::{Ident, Stx, StxKind};
use crate::Expander;

/// Feature identifiers `cond-expand` considers true (and `features` returns).
pub const FEATURES: &[&str] = &[
    "r7rs",
    "exact-closed",
    "ratios",
    "full-unicode",
    "seam",
    "seam-0.1",
    #[cfg(unix)]
    "unix",
    #[cfg(unix)]
    "posix",
    #[cfg(windows)]
    "windows",
    #[cfg(target_os = "linux")]
    "linux",
    #[cfg(target_os = "macos")]
    "darwin",
    #[cfg(target_arch = "x86_64")]
    "x86-64",
    #[cfg(target_arch = "aarch64")]
    "aarch64",
    #[cfg(target_endian = "little")]
    "little-endian",
    #[cfg(target_endian = "big")]
    "big-endian",
];

impl Expander {
    /// Expands a form at top level `top` (the interaction environment, a library's body or
    /// an `eval` environment).
    pub(crate) fn expand_top(&mut self, stx: &Stx, top: EnvId) -> Result<Expr> {
        self.enter(&stx.span)?;
        let mut current = Cow::Borrowed(stx);
        let mut chain = 0;
        let result = loop {
            match self.head_binding(&current, top) {
                Some(Binding::Macro(mac)) => {
                    chain += 1;
                    if chain > self.limits.max_chain {
                        break self.chain_too_long(&current.span);
                    }
                    match self.expand_macro(&mac, &current, top) {
                        Ok(next) => current = Cow::Owned(next),
                        Err(e) => break Err(e),
                    }
                }
                Some(Binding::Special(special @ (Special::Include | Special::IncludeCi))) => {
                    chain += 1;
                    match self.include_as_begin(&current, special == Special::IncludeCi) {
                        Ok(next) => current = Cow::Owned(next),
                        Err(e) => break Err(e),
                    }
                }
                Some(Binding::Special(special)) => {
                    self.in_macro += usize::from(chain > 0);
                    let result = self.expand_top_special(special, &current, top);
                    self.in_macro -= usize::from(chain > 0);
                    break result;
                }
                _ => {
                    self.in_macro += usize::from(chain > 0);
                    let result = self.expand_expr(&current, top);
                    self.in_macro -= usize::from(chain > 0);
                    break result;
                }
            }
        };
        self.depth -= 1;
        result
    }

    fn expand_top_special(&mut self, special: Special, form: &Stx, top: EnvId) -> Result<Expr> {
        let span = &form.span;
        let Some(items) = form.proper_list() else { return self.shape_error(special, span) };
        if matches!(
            special,
            Special::Define
                | Special::DefineSyntax
                | Special::DefineValues
                | Special::DefineRecordType
                | Special::Import
                | Special::DefineLibrary
        ) {
            self.check_mutable(top, span, special.name())?;
        }
        match special {
            Special::Begin => {
                let exprs = items[1..].iter().map(|f| self.expand_top(f, top)).collect::<Result<Vec<_>>>()?;
                Ok(top_sequence(exprs, span))
            }
            Special::CondExpand => {
                let chosen = self.cond_expand_forms(items)?;
                let exprs = chosen.iter().map(|f| self.expand_top(f, top)).collect::<Result<Vec<_>>>()?;
                Ok(top_sequence(exprs, span))
            }
            Special::Define => {
                let (id, name_span, init) = self.parse_define(form)?;
                let name = self.base_name(id);
                let global = self.top_global(top, id);
                self.bind(top, id, Binding::Global(global.clone()));
                let value = self.expand_define_init(init, &name, top, name_span)?;
                Ok(Expr::new(ExprKind::DefineGlobal(global, Box::new(value)), span.clone()))
            }
            Special::DefineSyntax => {
                self.define_syntax(form, top)?;
                Ok(Expr::new(ExprKind::Unspecified, span.clone()))
            }
            Special::DefineValues => self.top_define_values(form, top),
            Special::DefineRecordType => {
                let spec = self.parse_record(form)?;
                let names: Vec<_> =
                    spec.defined_names().into_iter().map(|id| self.top_global(top, id)).collect();
                for (id, name) in spec.defined_names().into_iter().zip(&names) {
                    self.bind(top, id, Binding::Global(name.clone()));
                }
                let rtd = RtdRef::Global(names[0].clone());
                let exprs = self.record_exprs(&spec, &rtd, span);
                let defines = names
                    .into_iter()
                    .zip(exprs)
                    .map(|(name, value)| {
                        Expr::new(ExprKind::DefineGlobal(name, Box::new(value)), span.clone())
                    })
                    .collect();
                Ok(sequence(defines, span))
            }
            Special::Import => self.expand_import(form, top),
            Special::DefineLibrary => self.define_library(form, top),
            _ => self.expand_expr(form, top),
        }
    }

    /// Top-level `define-values`: define each name, then assign them from the values.
    fn top_define_values(&mut self, form: &Stx, top: EnvId) -> Result<Expr> {
        let span = &form.span;
        let (formals, init) = self.parse_define_values(form)?;
        let ids: Vec<&Ident> =
            formals.required.iter().chain(&formals.rest).filter_map(|s| s.ident()).collect();
        let names: Vec<_> = ids.iter().map(|id| self.top_global(top, id)).collect();
        for (id, name) in ids.iter().zip(&names) {
            self.bind(top, id, Binding::Global(name.clone()));
        }
        let init = self.expand_expr(init, top)?;
        let temps: Vec<Var> = names.iter().map(|n| self.fresh_var(n.name.clone())).collect();
        let mut exprs: Vec<Expr> = names
            .iter()
            .map(|n| {
                let nothing = Expr::new(ExprKind::Unspecified, span.clone());
                Expr::new(ExprKind::DefineGlobal(n.clone(), Box::new(nothing)), span.clone())
            })
            .collect();
        let sets = names
            .iter()
            .zip(&temps)
            .map(|(n, t)| Expr::new(ExprKind::SetGlobal(n.clone(), Box::new(local(t, span))), span.clone()))
            .collect();
        let (params, rest) = match formals.rest {
            Some(_) => (temps[..temps.len() - 1].to_vec(), temps.last().cloned()),
            None => (temps, None),
        };
        exprs.push(call_with_values(init, params, rest, sequence(sets, span), span));
        Ok(Expr::new(ExprKind::Seq(exprs), span.clone()))
    }

    /// The forms of the first `cond-expand` clause whose requirement holds.
    pub(crate) fn cond_expand_forms(&self, items: &[Stx]) -> Result<Vec<Stx>> {
        for clause in items.iter().skip(1) {
            let Some((requirement, forms)) = clause.proper_list().and_then(|c| c.split_first()) else {
                return fail(&clause.span, format!("cond-expand: malformed clause {}", self.show(clause)));
            };
            let is_else = requirement.ident().is_some_and(|id| &*self.base_name(id) == "else");
            if is_else || self.feature_holds(requirement)? {
                return Ok(forms.to_vec());
            }
        }
        Ok(Vec::new())
    }

    /// Whether a `cond-expand` feature requirement holds.
    fn feature_holds(&self, requirement: &Stx) -> Result<bool> {
        seam_syntax::grow_stack(|| self.feature_holds_level(requirement))
    }

    /// [`Expander::feature_holds`] for one level.
    fn feature_holds_level(&self, requirement: &Stx) -> Result<bool> {
        let malformed = || {
            fail(&requirement.span, format!("cond-expand: malformed requirement {}", self.show(requirement)))
        };
        match &requirement.kind {
            StxKind::Ident(id) => Ok(FEATURES.contains(&&*self.base_name(id))),
            StxKind::List(parts, None) if !parts.is_empty() => {
                let Some(head) = parts[0].ident().map(|id| self.base_name(id)) else { return malformed() };
                let args = &parts[1..];
                match (&*head, args) {
                    ("and", _) => {
                        for arg in args {
                            if !self.feature_holds(arg)? {
                                return Ok(false);
                            }
                        }
                        Ok(true)
                    }
                    ("or", _) => {
                        for arg in args {
                            if self.feature_holds(arg)? {
                                return Ok(true);
                            }
                        }
                        Ok(false)
                    }
                    ("not", [arg]) => Ok(!self.feature_holds(arg)?),
                    ("library", [name]) => Ok(self.library_exists(name)),
                    _ => malformed(),
                }
            }
            _ => malformed(),
        }
    }
}

/// The value of a spliced top-level `begin`: definitions of macros (`Unspecified`) drop out.
fn top_sequence(exprs: Vec<Expr>, span: &Span) -> Expr {
    let kept: Vec<Expr> = exprs.into_iter().filter(|e| !matches!(e.kind, ExprKind::Unspecified)).collect();
    sequence(kept, span)
}
