//! Seam's expander: hygienic `syntax-rules`, the R7RS derived forms and internal defines,
//! turning read datums into [`core`] forms. Knows nothing about bytecode or the VM.
//!
//! Code map: `syntax.rs` (syntax objects), `env.rs` (bindings, aliases, hygiene),
//! `expr.rs` (expressions and the core special forms), `derived.rs` and `binding_forms.rs`
//! (R7RS derived forms), `body.rs` (bodies and internal definitions), `toplevel.rs`
//! (top-level forms, `import`, `cond-expand`), `records.rs` (`define-record-type`),
//! `quasiquote.rs`, `syntax_rules.rs` + `pattern.rs` + `template.rs` (macros).
//!
//! Run-time procedures the generated code calls, as globals: `%cons`, `%list`, `%append`,
//! `%list->vector`, `%apply`, `%memv`, `%eqv?`, `%call-with-values`, `%values`,
//! `%make-promise`, `%make-record-type`, `%make-record`, `%record?`, `%record-ref`,
//! `%record-set!`, `%parameterize`, `%guard`.

mod binding_forms;
mod body;
pub mod core;
mod derived;
mod env;
mod error;
mod expr;
mod pattern;
mod print;
mod quasiquote;
mod records;
mod syntax;
mod syntax_rules;
mod template;
mod toplevel;

use seam_syntax::Datum;

pub use crate::core::{Expr, ExprKind, Lambda, Var};
pub use crate::error::ExpandError;

use crate::env::{Alias, Binding, Frame};
use crate::syntax::Ident;

/// Limits that keep runaway macros and deeply nested input from hanging or overflowing.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Nesting of forms being expanded (and of input datums).
    pub max_depth: usize,
    /// Macro steps applied one after another to the same form.
    pub max_chain: usize,
    /// Soft limits: exceeding them retries the form on a thread with a big stack.
    pub soft: bool,
}

const SOFT_LIMITS: Limits = Limits { max_depth: 120, max_chain: 250, soft: true };
const HARD_LIMITS: Limits = Limits { max_depth: 10_000, max_chain: 10_000, soft: false };
/// Macro steps allowed while expanding one top-level form.
pub(crate) const MAX_STEPS: usize = 1_000_000;
/// Syntax nodes macro templates may build while expanding one top-level form.
pub(crate) const MAX_NODES: usize = 2_000_000;
/// Stack for expanding forms nested beyond the soft limits.
const BIG_STACK: usize = 256 << 20;

/// The expander. Persistent across calls: top-level `define-syntax` affects later forms.
pub struct Expander {
    pub(crate) frames: Vec<Frame>,
    pub(crate) aliases: Vec<Alias>,
    /// Top-level bindings this call changed, with their old values (for rollback).
    pub(crate) top_undo: Vec<(Ident, Option<Binding>)>,
    pub(crate) next_var: u32,
    pub(crate) limits: Limits,
    pub(crate) depth: usize,
    /// How many macro expansions are being expanded further, up the Rust stack.
    pub(crate) in_macro: usize,
    pub(crate) steps: usize,
    pub(crate) nodes: usize,
    /// Set when a soft limit was hit: the form is retried on a big stack.
    pub(crate) escalate: bool,
    /// Set when a top-level macro was defined: its scopes must outlive this call.
    pub(crate) keep_scopes: bool,
}

impl Default for Expander {
    fn default() -> Self {
        Expander::new()
    }
}

impl Expander {
    /// An expander that knows the core special forms and the built-in derived forms.
    pub fn new() -> Expander {
        Expander {
            frames: vec![Expander::top_frame()],
            aliases: Vec::new(),
            top_undo: Vec::new(),
            next_var: 0,
            limits: SOFT_LIMITS,
            depth: 0,
            in_macro: 0,
            steps: 0,
            nodes: 0,
            escalate: false,
            keep_scopes: false,
        }
    }

    /// Expand one top-level form. Top-level `define-syntax` (also inside top-level `begin`)
    /// is recorded in the expander and yields `ExprKind::Unspecified`; it affects later
    /// calls. A form that fails to expand leaves the expander as it was.
    pub fn expand_toplevel(&mut self, form: &Datum) -> Result<Expr, ExpandError> {
        let frames = self.frames.len();
        let aliases = self.aliases.len();
        self.top_undo.clear();
        self.keep_scopes = false;
        let mut result = self.run(form, SOFT_LIMITS);
        if result.is_err() && self.escalate {
            self.rollback(frames, aliases);
            self.keep_scopes = false;
            let spawned = std::thread::scope(|scope| {
                std::thread::Builder::new()
                    .stack_size(BIG_STACK)
                    .spawn_scoped(scope, || self.run(form, HARD_LIMITS))
                    .ok()
                    .map(|handle| handle.join())
            });
            result = match spawned {
                Some(Ok(result)) => result,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => Err(ExpandError::new(&form.span, "form nested too deeply")),
            };
        }
        if result.is_err() {
            self.rollback(frames, aliases);
        } else if !self.keep_scopes {
            self.frames.truncate(frames);
            self.aliases.truncate(aliases);
        }
        self.top_undo.clear();
        result
    }

    fn run(&mut self, form: &Datum, limits: Limits) -> Result<Expr, ExpandError> {
        self.limits = limits;
        self.depth = 0;
        self.in_macro = 0;
        self.steps = 0;
        self.nodes = 0;
        self.escalate = false;
        let stx = self.stx_from_datum(form, 0)?;
        self.expand_top(&stx)
    }
}
