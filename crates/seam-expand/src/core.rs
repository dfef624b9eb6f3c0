//! Core forms: the small language the expander produces and the compiler consumes.
//!
//! Invariants the expander guarantees and the compiler relies on:
//! - every `Var` is bound exactly once (by a `Lambda` parameter, `Let` or `Letrec`), and its
//!   `id` is unique within one `Expander` for the expander's whole life;
//! - every reference to a `Var` is inside the scope of its binding;
//! - `Seq` is never empty;
//! - macros, derived forms and `quasiquote` are gone: only the forms below remain;
//! - every node carries the span of the source form it came from (for nodes a macro
//!   template introduced: the span of the macro use).

use std::sync::Arc;

use seam_syntax::{Datum, Span};

/// A lexical variable: unique id plus the source name (for disassembly and backtraces).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Var {
    pub id: u32,
    pub name: Arc<str>,
}

/// A namespace of globals: one per library, program, `environment`, package and host
/// module, plus the system namespace (builtins, `lib/base.scm`, the standard libraries'
/// internals) and the interaction environment. A namespace is an identity the expander
/// hands out, never derived from how an identifier is spelled: no symbol of any spelling
/// names a global of another namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Namespace(pub(crate) u32);

impl Namespace {
    /// Builtins, `lib/base.scm` and what the standard libraries export. Only code the host
    /// itself runs (`Environment::SYSTEM`) defines or assigns here, so standard bindings are
    /// immutable to everyone else and the compiler may inline them.
    pub const SYSTEM: Namespace = Namespace(0);
    /// The interaction environment: the host's and the REPL's top level.
    pub const TOP: Namespace = Namespace(1);

    /// The number identifying the namespace (for tables indexed by it).
    pub fn index(self) -> u32 {
        self.0
    }
}

/// A top-level variable: a name in a namespace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Global {
    pub namespace: Namespace,
    pub name: Arc<str>,
}

impl Global {
    pub fn new(namespace: Namespace, name: impl Into<Arc<str>>) -> Global {
        Global { namespace, name: name.into() }
    }

    /// A global of the system namespace (a builtin or a `lib/base.scm` definition).
    pub fn system(name: impl Into<Arc<str>>) -> Global {
        Global::new(Namespace::SYSTEM, name)
    }

    /// A global of the interaction environment.
    pub fn top(name: impl Into<Arc<str>>) -> Global {
        Global::new(Namespace::TOP, name)
    }
}

/// The name alone (namespaces are shown by whoever knows what they hold).
impl std::fmt::Display for Global {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// An expression in core form, with the span it came from.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A literal: self-evaluating datum or the datum of a `quote` (may contain datum labels).
    Const(Datum),
    /// The unspecified value (result of `(if #f #f)`, `set!`, `define`, ...).
    Unspecified,
    Local(Var),
    /// A top-level variable, looked up by name at run time (unbound is a run-time error).
    Global(Global),
    SetLocal(Var, Box<Expr>),
    /// `set!` of a top-level variable: an error at run time if it is unbound.
    SetGlobal(Global, Box<Expr>),
    /// Top-level `define`: binds or rebinds the name.
    DefineGlobal(Global, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Lambda(Box<Lambda>),
    /// `case-lambda`: the first clause whose arity accepts the arguments is applied.
    CaseLambda(Vec<Lambda>),
    /// Evaluate in order; the value is the last one's. Never empty.
    Seq(Vec<Expr>),
    /// Procedure call: operator, operands (evaluation order unspecified by R7RS).
    Call(Box<Expr>, Vec<Expr>),
    /// `let`: all inits evaluated outside the scope of the vars.
    Let(Vec<(Var, Expr)>, Box<Expr>),
    /// `letrec*`: vars in scope in all inits, inits evaluated and assigned left to right.
    Letrec(Vec<(Var, Expr)>, Box<Expr>),
}

/// A `lambda`: required params, then an optional rest param bound to the remaining list.
#[derive(Clone, Debug)]
pub struct Lambda {
    /// The name it was defined under, when known (`(define (f x) ...)`, `(let ((f (lambda ...)))`).
    pub name: Option<Arc<str>>,
    pub params: Vec<Var>,
    pub rest: Option<Var>,
    pub body: Expr,
    pub span: Span,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }
}

/// Dropping is recursive, and a form with many clauses (`cond`, `case`) expands to nested
/// `if`s as deep as it has clauses: the drop grows the stack as it goes instead of
/// overflowing it.
impl Drop for Expr {
    fn drop(&mut self) {
        if matches!(
            self.kind,
            ExprKind::Const(_) | ExprKind::Unspecified | ExprKind::Local(_) | ExprKind::Global(_)
        ) {
            return;
        }
        let kind = std::mem::replace(&mut self.kind, ExprKind::Unspecified);
        stacker::maybe_grow(64 * 1024, 1024 * 1024, move || drop(kind));
    }
}
