//! Syntax objects: datums whose symbols are identifiers, possibly renamed by a macro
//! expansion, plus the conversions from and back to plain datums.

use std::sync::Arc;

use seam_syntax::{Datum, DatumKind, Span};

use crate::error::{fail, Result};
use crate::Expander;

/// An identifier: a symbol as read, or an alias a macro template introduced.
/// Aliases live in the expander's alias table (see `env.rs`), which records the
/// identifier they rename and the environment of the macro that introduced them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Ident {
    Sym(Arc<str>),
    Alias(u32),
}

/// A syntax object: the expander's view of a datum.
#[derive(Clone, Debug)]
pub(crate) struct Stx {
    pub kind: StxKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub(crate) enum StxKind {
    Ident(Ident),
    /// A boolean, number, character, string or bytevector (never a symbol or a pair).
    Atom(DatumKind),
    /// Like `DatumKind::List`: the tail of an improper list is never itself a `List`.
    List(Vec<Stx>, Option<Box<Stx>>),
    Vector(Vec<Stx>),
    Label(u32, Box<Stx>),
    LabelRef(u32),
}

impl Stx {
    pub fn new(kind: StxKind, span: Span) -> Stx {
        Stx { kind, span }
    }

    /// A list of `items` ending in `tail`, normalised so that a list tail is merged in.
    pub fn list(mut items: Vec<Stx>, tail: Option<Stx>, span: Span) -> Stx {
        let tail = match tail.map(|t| t.kind) {
            Some(StxKind::List(more, more_tail)) => {
                items.extend(more);
                more_tail
            }
            Some(kind) => Some(Box::new(Stx::new(kind, span.clone()))),
            None => None,
        };
        Stx::new(StxKind::List(items, tail), span)
    }

    pub fn ident(&self) -> Option<&Ident> {
        match &self.kind {
            StxKind::Ident(id) => Some(id),
            _ => None,
        }
    }

    /// The elements of a proper list (`None` for anything else, including improper lists).
    pub fn proper_list(&self) -> Option<&[Stx]> {
        match &self.kind {
            StxKind::List(items, None) => Some(items),
            _ => None,
        }
    }
}

/// Structural equality of atoms, as `equal?` would see literal constants in patterns.
pub(crate) fn atoms_equal(a: &DatumKind, b: &DatumKind) -> bool {
    use seam_syntax::Number as N;
    match (a, b) {
        (DatumKind::Bool(x), DatumKind::Bool(y)) => x == y,
        (DatumKind::Char(x), DatumKind::Char(y)) => x == y,
        (DatumKind::String(x), DatumKind::String(y)) => x == y,
        (DatumKind::Bytevector(x), DatumKind::Bytevector(y)) => x == y,
        (DatumKind::Number(x), DatumKind::Number(y)) => match (x, y) {
            (N::Fixnum(p), N::Fixnum(q)) => p == q,
            (N::Big(p), N::Big(q)) => p == q,
            (N::Rational(p), N::Rational(q)) => p == q,
            (N::Flonum(p), N::Flonum(q)) => p.to_bits() == q.to_bits(),
            _ => false,
        },
        _ => false,
    }
}

impl Expander {
    /// Converts a read datum into a syntax object, refusing nesting deeper than the limit.
    pub(crate) fn stx_from_datum(&mut self, datum: &Datum, depth: usize) -> Result<Stx> {
        if depth > self.limits.max_depth {
            return self.too_deep(&datum.span);
        }
        let kind = match &datum.kind {
            DatumKind::Symbol(s) => StxKind::Ident(Ident::Sym(Arc::from(s.as_str()))),
            DatumKind::List(items, tail) => {
                let items =
                    items.iter().map(|d| self.stx_from_datum(d, depth + 1)).collect::<Result<Vec<_>>>()?;
                let tail = match tail {
                    Some(t) => Some(Box::new(self.stx_from_datum(t, depth + 1)?)),
                    None => None,
                };
                StxKind::List(items, tail)
            }
            DatumKind::Vector(items) => StxKind::Vector(
                items.iter().map(|d| self.stx_from_datum(d, depth + 1)).collect::<Result<_>>()?,
            ),
            DatumKind::Label(n, d) => StxKind::Label(*n, Box::new(self.stx_from_datum(d, depth + 1)?)),
            DatumKind::LabelRef(n) => StxKind::LabelRef(*n),
            atom => StxKind::Atom(atom.clone()),
        };
        Ok(Stx::new(kind, datum.span.clone()))
    }

    /// Strips a syntax object back to a plain datum: every alias becomes its original symbol.
    pub(crate) fn datum_from_stx(&self, stx: &Stx) -> Datum {
        let kind = match &stx.kind {
            StxKind::Ident(id) => DatumKind::Symbol(self.base_name(id).to_string()),
            StxKind::Atom(atom) => atom.clone(),
            StxKind::List(items, tail) => DatumKind::List(
                items.iter().map(|s| self.datum_from_stx(s)).collect(),
                tail.as_ref().map(|t| Box::new(self.datum_from_stx(t))),
            ),
            StxKind::Vector(items) => {
                DatumKind::Vector(items.iter().map(|s| self.datum_from_stx(s)).collect())
            }
            StxKind::Label(n, d) => DatumKind::Label(*n, Box::new(self.datum_from_stx(d))),
            StxKind::LabelRef(n) => DatumKind::LabelRef(*n),
        };
        Datum::new(kind, stx.span.clone())
    }

    /// The error for a chain of macro steps beyond the limit (or a retry on a bigger stack).
    pub(crate) fn chain_too_long<T>(&mut self, span: &Span) -> Result<T> {
        if self.limits.soft {
            self.escalate = true;
        }
        fail(span, "macro expansion too deep")
    }

    /// The error for a form nested beyond the limit (or a request to retry on a bigger stack).
    pub(crate) fn too_deep<T>(&mut self, span: &Span) -> Result<T> {
        if self.limits.soft {
            self.escalate = true;
        }
        if self.in_macro > 0 {
            fail(span, "macro expansion too deep")
        } else {
            fail(span, "form nested too deeply")
        }
    }
}
