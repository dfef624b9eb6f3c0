//! Syntax objects: datums whose symbols are identifiers, possibly renamed by a macro
//! expansion, plus the conversions from and back to plain datums.

use std::sync::Arc;

use seam_syntax::{grow_stack, Datum, DatumKind, Span};

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

/// A syntax object: the expander's view of a datum. Like [`Datum`], it nests as deep as
/// memory allows: dropping is iterative, and `Clone` and `Debug` grow the stack.
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
        let tail = match tail.map(Stx::into_kind) {
            Some(StxKind::List(more, more_tail)) => {
                items.extend(more);
                more_tail
            }
            Some(kind) => Some(Box::new(Stx::new(kind, span.clone()))),
            None => None,
        };
        Stx::new(StxKind::List(items, tail), span)
    }

    /// The syntax object's shape, without its span (an `Stx` has a `Drop`, so patterns
    /// cannot move out of it).
    pub fn into_kind(mut self) -> StxKind {
        std::mem::replace(&mut self.kind, StxKind::LabelRef(0))
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

    /// Whether the syntax object nests deeper than `limit` levels (counted without recursion).
    pub fn deeper_than(&self, limit: usize) -> bool {
        let mut work = vec![(self, 0)];
        while let Some((stx, depth)) = work.pop() {
            if depth > limit {
                return true;
            }
            match &stx.kind {
                StxKind::List(items, tail) => {
                    work.extend(items.iter().chain(tail.as_deref()).map(|s| (s, depth + 1)))
                }
                StxKind::Vector(items) => work.extend(items.iter().map(|s| (s, depth + 1))),
                StxKind::Label(_, inner) => work.push((inner, depth + 1)),
                _ => {}
            }
        }
        false
    }
}

impl Clone for Stx {
    fn clone(&self) -> Stx {
        grow_stack(|| Stx { kind: self.kind.clone(), span: self.span.clone() })
    }
}

impl std::fmt::Debug for Stx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        grow_stack(|| f.debug_struct("Stx").field("kind", &self.kind).field("span", &self.span).finish())
    }
}

/// Dropping is iterative, as for [`Datum`]: nested syntax objects go to a work list.
impl Drop for Stx {
    fn drop(&mut self) {
        if !self.kind.has_nested() {
            return;
        }
        let mut work = Vec::new();
        self.kind.take_nested(&mut work);
        while let Some(mut stx) = work.pop() {
            stx.kind.take_nested(&mut work);
        }
    }
}

impl StxKind {
    /// Whether some element holds other syntax objects (so dropping it would recurse).
    fn has_nested(&self) -> bool {
        match self {
            StxKind::List(items, tail) => {
                items.iter().any(|s| s.kind.is_compound())
                    || tail.as_ref().is_some_and(|t| t.kind.is_compound())
            }
            StxKind::Vector(items) => items.iter().any(|s| s.kind.is_compound()),
            StxKind::Label(_, inner) => inner.kind.is_compound(),
            _ => false,
        }
    }

    /// Whether this syntax object holds others.
    fn is_compound(&self) -> bool {
        match self {
            StxKind::List(items, tail) => !items.is_empty() || tail.is_some(),
            StxKind::Vector(items) => !items.is_empty(),
            StxKind::Label(..) => true,
            _ => false,
        }
    }

    /// Moves the compound elements onto `work`, leaving only leaves behind.
    fn take_nested(&mut self, work: &mut Vec<Stx>) {
        match self {
            StxKind::List(items, tail) => {
                work.extend(items.drain(..).filter(|s| s.kind.is_compound()));
                if let Some(tail) = tail.take() {
                    work.push(*tail);
                }
            }
            StxKind::Vector(items) => work.extend(items.drain(..).filter(|s| s.kind.is_compound())),
            StxKind::Label(_, inner) => {
                let kind = std::mem::replace(&mut inner.kind, StxKind::LabelRef(0));
                work.push(Stx::new(kind, inner.span.clone()));
            }
            _ => {}
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
    /// Converts a read datum into a syntax object. Any nesting converts (quoted data is
    /// as deep as memory allows); the expansion of code limits the nesting of forms.
    pub(crate) fn stx_from_datum(datum: &Datum) -> Stx {
        grow_stack(|| {
            let kind = match &datum.kind {
                DatumKind::Symbol(s) => StxKind::Ident(Ident::Sym(Arc::from(s.as_str()))),
                DatumKind::List(items, tail) => StxKind::List(
                    items.iter().map(Expander::stx_from_datum).collect(),
                    tail.as_ref().map(|t| Box::new(Expander::stx_from_datum(t))),
                ),
                DatumKind::Vector(items) => {
                    StxKind::Vector(items.iter().map(Expander::stx_from_datum).collect())
                }
                DatumKind::Label(n, d) => StxKind::Label(*n, Box::new(Expander::stx_from_datum(d))),
                DatumKind::LabelRef(n) => StxKind::LabelRef(*n),
                atom => StxKind::Atom(atom.clone()),
            };
            Stx::new(kind, datum.span.clone())
        })
    }

    /// Strips a syntax object back to a plain datum: every alias becomes its original symbol.
    pub(crate) fn datum_from_stx(&self, stx: &Stx) -> Datum {
        grow_stack(|| self.datum_from_stx_level(stx))
    }

    /// [`Expander::datum_from_stx`] for one level.
    fn datum_from_stx_level(&self, stx: &Stx) -> Datum {
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
