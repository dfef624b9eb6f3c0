//! `define-record-type`: parsing the definition, and the procedures it defines, built
//! on the run-time primitives `%make-record-type`, `%make-record`, `%record?`,
//! `%record-ref` and `%record-set!`.

use std::sync::Arc;

use seam_syntax::{Datum, DatumKind, Number, Span};

use crate::core::{Expr, ExprKind, Lambda, Var};
use crate::env::Special;
use crate::error::{fail, Result};
use crate::expr::{call, local, prim};
use crate::syntax::{Ident, Stx, StxKind};
use crate::Expander;

pub(crate) struct RecordSpec<'a> {
    type_name: &'a Ident,
    /// The constructor and, for each of its arguments, the index of the field it fills.
    constructor: Option<(&'a Ident, Vec<usize>)>,
    predicate: Option<&'a Ident>,
    fields: Vec<FieldSpec<'a>>,
}

struct FieldSpec<'a> {
    name: &'a Ident,
    accessor: Option<&'a Ident>,
    modifier: Option<&'a Ident>,
}

/// How the generated procedures refer to the record type.
pub(crate) enum RtdRef {
    Global(crate::core::Global),
    Local(Var),
}

impl RtdRef {
    fn expr(&self, span: &Span) -> Expr {
        match self {
            RtdRef::Global(name) => Expr::new(ExprKind::Global(name.clone()), span.clone()),
            RtdRef::Local(var) => local(var, span),
        }
    }
}

impl RecordSpec<'_> {
    /// Every name the definition binds: the type first, then the procedures in the order
    /// of [`Expander::record_exprs`].
    pub fn defined_names(&self) -> Vec<&Ident> {
        let mut names = vec![self.type_name];
        names.extend(self.constructor.as_ref().map(|(id, _)| *id));
        names.extend(self.predicate);
        for field in &self.fields {
            names.extend(field.accessor);
            names.extend(field.modifier);
        }
        names
    }
}

fn constant(kind: DatumKind, span: &Span) -> Expr {
    Expr::new(ExprKind::Const(Datum::new(kind, span.clone())), span.clone())
}

fn symbol(name: &str, span: &Span) -> Expr {
    constant(DatumKind::Symbol(name.to_string()), span)
}

impl Expander {
    pub(crate) fn parse_record<'a>(&self, form: &'a Stx) -> Result<RecordSpec<'a>> {
        let shape = || self.shape_error(Special::DefineRecordType, &form.span);
        let Some([_, type_name, constructor, predicate, field_specs @ ..]) = form.proper_list() else {
            return shape();
        };
        let Some(type_name) = type_name.ident() else { return shape() };
        let mut fields: Vec<FieldSpec> = Vec::with_capacity(field_specs.len());
        // Field names to their indices: looked up per field and constructor argument, so a
        // record type with many fields costs linear time.
        let mut field_index: rustc_hash::FxHashMap<&Ident, usize> = Default::default();
        for spec in field_specs {
            let parts: Vec<Option<&Ident>> = match &spec.kind {
                StxKind::Ident(id) => vec![Some(id)],
                StxKind::List(parts, None) if (1..=3).contains(&parts.len()) => {
                    parts.iter().map(|p| p.ident()).collect()
                }
                _ => vec![None],
            };
            let (Some(Some(name)), true) = (parts.first(), parts.iter().all(Option::is_some)) else {
                return fail(&spec.span, format!("define-record-type: malformed field {}", self.show(spec)));
            };
            if field_index.insert(name, fields.len()).is_some() {
                return fail(
                    &spec.span,
                    format!("define-record-type: duplicate field {}", self.base_name(name)),
                );
            }
            fields.push(FieldSpec {
                name,
                accessor: parts.get(1).copied().flatten(),
                modifier: parts.get(2).copied().flatten(),
            });
        }
        let constructor = match &constructor.kind {
            StxKind::Atom(DatumKind::Bool(false)) => None,
            StxKind::Ident(id) => Some((id, (0..fields.len()).collect())),
            StxKind::List(parts, None) if !parts.is_empty() => {
                let Some(id) = parts[0].ident() else { return shape() };
                let mut indices = Vec::with_capacity(parts.len() - 1);
                let mut taken = vec![false; fields.len()];
                for arg in &parts[1..] {
                    let index = arg.ident().and_then(|a| field_index.get(a).copied());
                    match index {
                        Some(i) if !taken[i] => {
                            taken[i] = true;
                            indices.push(i);
                        }
                        _ => {
                            return fail(
                                &arg.span,
                                format!(
                                    "define-record-type: {} is not a field of {} (or is repeated)",
                                    self.show(arg),
                                    self.base_name(type_name)
                                ),
                            )
                        }
                    }
                }
                Some((id, indices))
            }
            _ => return shape(),
        };
        let predicate = match &predicate.kind {
            StxKind::Atom(DatumKind::Bool(false)) => None,
            StxKind::Ident(id) => Some(id),
            _ => return shape(),
        };
        Ok(RecordSpec { type_name, constructor, predicate, fields })
    }

    /// The values of [`RecordSpec::defined_names`], in the same order.
    pub(crate) fn record_exprs(&mut self, spec: &RecordSpec, rtd: &RtdRef, span: &Span) -> Vec<Expr> {
        let type_name = self.base_name(spec.type_name);
        let field_names = spec
            .fields
            .iter()
            .map(|f| Datum::new(DatumKind::Symbol(self.base_name(f.name).to_string()), span.clone()))
            .collect();
        let mut exprs = vec![call(
            prim("%make-record-type", span),
            vec![symbol(&type_name, span), constant(DatumKind::List(field_names, None), span)],
            span,
        )];
        if let Some((name, indices)) = &spec.constructor {
            let params: Vec<Var> =
                indices.iter().map(|&i| self.fresh_var(self.base_name(spec.fields[i].name))).collect();
            // Each field's constructor parameter, if it has one.
            let mut param_of: Vec<Option<usize>> = vec![None; spec.fields.len()];
            for (p, &i) in indices.iter().enumerate() {
                if let Some(slot) = param_of.get_mut(i) {
                    *slot = Some(p);
                }
            }
            let mut args = vec![rtd.expr(span)];
            for param in param_of {
                args.push(match param {
                    Some(p) => local(&params[p], span),
                    None => Expr::new(ExprKind::Unspecified, span.clone()),
                });
            }
            let body = call(prim("%make-record", span), args, span);
            exprs.push(self.record_lambda(name, params, body, span));
        }
        if let Some(name) = spec.predicate {
            let object = self.fresh_var(Arc::from("obj"));
            let body = call(prim("%record?", span), vec![local(&object, span), rtd.expr(span)], span);
            exprs.push(self.record_lambda(name, vec![object], body, span));
        }
        for (index, field) in spec.fields.iter().enumerate() {
            let index_expr = || constant(DatumKind::Number(Number::Fixnum(index as i64)), span);
            if let Some(name) = field.accessor {
                let object = self.fresh_var(Arc::from("obj"));
                let args = vec![
                    local(&object, span),
                    rtd.expr(span),
                    index_expr(),
                    symbol(&self.base_name(name), span),
                ];
                let body = call(prim("%record-ref", span), args, span);
                exprs.push(self.record_lambda(name, vec![object], body, span));
            }
            if let Some(name) = field.modifier {
                let object = self.fresh_var(Arc::from("obj"));
                let value = self.fresh_var(Arc::from("value"));
                let args = vec![
                    local(&object, span),
                    rtd.expr(span),
                    index_expr(),
                    local(&value, span),
                    symbol(&self.base_name(name), span),
                ];
                let body = call(prim("%record-set!", span), args, span);
                exprs.push(self.record_lambda(name, vec![object, value], body, span));
            }
        }
        exprs
    }

    fn record_lambda(&self, name: &Ident, params: Vec<Var>, body: Expr, span: &Span) -> Expr {
        let lambda =
            Lambda { name: Some(self.base_name(name)), params, rest: None, body, span: span.clone() };
        Expr::new(ExprKind::Lambda(Box::new(lambda)), span.clone())
    }
}
