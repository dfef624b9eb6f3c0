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

#![forbid(unsafe_code)]

mod binding_forms;
mod body;
mod capability;
pub mod core;
mod derived;
mod env;
mod error;
mod expr;
mod library;
mod namespace;
mod packages;
mod pattern;
mod print;
mod quasiquote;
mod records;
mod stdlib;
mod syntax;
mod syntax_rules;
mod template;
mod toplevel;

use std::path::PathBuf;
use std::sync::Arc;

use seam_syntax::Datum;

pub use crate::capability::{Capabilities, Capability, PACKAGE_SCOPED_NAMES};
pub use crate::core::{Expr, ExprKind, Global, Lambda, Namespace, Var};
pub use crate::error::ExpandError;
pub use crate::namespace::NamespaceKey;
pub use crate::packages::PackageSpec;
pub use crate::stdlib::{INTERACTION_LIBRARIES, STANDARD_LIBRARIES};
pub use crate::toplevel::FEATURES;

/// Whether `name` is one of the syntactic keywords the expander implements (`if`,
/// `define`, `else`, `...`), as opposed to a procedure.
pub fn is_syntax_keyword(name: &str) -> bool {
    env::Special::named(name).is_some()
}

use crate::env::{Alias, Binding, EnvId, Frame, Scope, TOP};
use crate::library::Libraries;
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
/// Bytes of names and literals that macro templates (`identifier-append`, copied atoms) and
/// import sets (`prefix`) may build while expanding one top-level form: with
/// [`MAX_NODES`] this bounds the memory an expansion can take, whatever its input.
pub(crate) const MAX_BYTES: usize = 64 << 20;
/// Longest name (in bytes) `identifier-append` or an import `prefix` may build.
pub(crate) const MAX_IDENTIFIER_BYTES: usize = 64 << 10;
/// Stack for expanding forms nested beyond the soft limits.
const BIG_STACK: usize = 256 << 20;

/// The expander. Persistent across calls: top-level `define-syntax` affects later forms.
pub struct Expander {
    pub(crate) frames: Vec<Frame>,
    pub(crate) aliases: Vec<Alias>,
    /// Top-level bindings this call changed, with their old values (for rollback).
    pub(crate) top_undo: Vec<(EnvId, Ident, Option<Binding>)>,
    pub(crate) next_var: u32,
    pub(crate) limits: Limits,
    pub(crate) depth: usize,
    /// How many macro expansions are being expanded further, up the Rust stack.
    pub(crate) in_macro: usize,
    pub(crate) steps: usize,
    pub(crate) nodes: usize,
    /// Bytes built so far for this top-level form (see [`MAX_BYTES`]).
    pub(crate) bytes: usize,
    /// Set when a soft limit was hit: the form is retried on a big stack.
    pub(crate) escalate: bool,
    /// Set when a top-level macro was defined: its scopes must outlive this call.
    pub(crate) keep_scopes: bool,
    pub(crate) libraries: Libraries,
    /// Files read by `include` and library loading since the last `take_files_read`.
    pub(crate) files_read: Vec<(Arc<str>, Arc<str>)>,
    /// Environments made by `environment` (top-level frames), counted for their namespaces.
    pub(crate) environments: u64,
    pub(crate) namespaces: namespace::Namespaces,
}

/// A top-level environment forms can be expanded in: the interaction environment, or one
/// made from import sets by [`Expander::environment`] (for `eval`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Environment(EnvId);

impl Environment {
    /// The REPL's and the host's top level: the standard libraries (as far as the top
    /// level's capabilities allow), plus what was defined there.
    pub const INTERACTION: Environment = Environment(TOP);

    /// The system namespace, where the builtins, `lib/base.scm` and every standard
    /// library's internals live, with every capability: for code the host itself defines
    /// (the base library, procedures the host builds in Scheme). Scripts never get it.
    pub const SYSTEM: Environment = Environment(TOP + 1);
}

impl Default for Expander {
    fn default() -> Self {
        Expander::new()
    }
}

impl Expander {
    /// An expander that knows the core special forms and the built-in derived forms.
    pub fn new() -> Expander {
        let top = Expander::top_frame(Namespace::TOP, Scope::Top);
        let system = Expander::top_frame(Namespace::SYSTEM, Scope::System);
        let mut expander = Expander {
            frames: vec![top, system],
            aliases: Vec::new(),
            top_undo: Vec::new(),
            next_var: 0,
            limits: SOFT_LIMITS,
            depth: 0,
            in_macro: 0,
            steps: 0,
            nodes: 0,
            bytes: 0,
            escalate: false,
            keep_scopes: false,
            libraries: Libraries::new(),
            files_read: Vec::new(),
            environments: 0,
            namespaces: namespace::Namespaces::new(),
        };
        expander.set_top_capabilities(Capabilities::all());
        expander
    }

    /// Adds a directory where `import` looks for libraries: `(foo bar)` is `DIR/foo/bar.sld`
    /// (or `.scm`). Directories are searched in the order they were added.
    pub fn add_library_path(&mut self, dir: impl Into<PathBuf>) {
        self.libraries.paths.push(dir.into());
    }

    /// Supplies the source of library `name` (written as in `import`, e.g. `"(seam ffi)"`):
    /// importing it reads `text` (named `file` in error spans) instead of searching the
    /// library path. Hosts use this for libraries compiled into the program.
    pub fn add_library_source(&mut self, name: &str, file: &str, text: &str) {
        self.libraries.sources.insert(name.to_string(), (Arc::from(file), Arc::from(text)));
    }

    /// Defines library `name` (written as in `import`) whose exports are VM globals the
    /// host defines: `(external name, global)` pairs. Hosts use this for libraries of Rust
    /// procedures, defined in the library's own namespace ([`Expander::library_global`]).
    pub fn define_native_library(&mut self, name: &str, exports: &[(&str, Global)]) {
        let exports = exports
            .iter()
            .map(|(external, global)| (Arc::from(*external), crate::env::Binding::Global(global.clone())))
            .collect();
        self.libraries.define(name, exports);
    }

    /// The files (name and text) read by `include` or library loading since the last call,
    /// so the host can show their lines in error reports.
    pub fn take_files_read(&mut self) -> Vec<(Arc<str>, Arc<str>)> {
        std::mem::take(&mut self.files_read)
    }

    /// Forgets the libraries the last expanded form defined, because running it failed:
    /// the next import defines them again (and runs their bodies again) instead of
    /// handing out half-initialized libraries.
    pub fn forget_new_libraries(&mut self) {
        for name in std::mem::take(&mut self.libraries.added) {
            self.libraries.forget(&name);
        }
    }

    /// Records a file the host's error reports may quote (one `load` read).
    pub fn note_file_read(&mut self, name: Arc<str>, text: Arc<str>) {
        self.files_read.push((name, text));
    }

    /// A new top-level environment holding exactly the bindings of the import sets in
    /// `imports` (a list of import-set datums, as `environment` takes them). The bodies of
    /// libraries loaded for it are returned as code to run first.
    pub fn environment(&mut self, imports: &[Datum]) -> Result<(Environment, Expr), ExpandError> {
        self.new_environment(imports, Scope::Top, true)
    }

    /// Approximate bytes environment `env`'s bindings hold, for a host that counts the
    /// memory environments take (they live as long as the expander).
    pub fn environment_bytes(&self, env: Environment) -> usize {
        self.frames.get(env.0).map_or(0, Frame::approximate_bytes)
    }

    /// A new top-level environment for code of `scope` importing `imports`; immutable like
    /// `environment`'s, or mutable (an interaction environment, which can also `import`).
    pub(crate) fn new_environment(
        &mut self,
        imports: &[Datum],
        scope: Scope,
        immutable: bool,
    ) -> Result<(Environment, Expr), ExpandError> {
        self.environments += 1;
        let namespace = self.namespace(NamespaceKey::Environment(self.environments));
        let form = Datum::new(
            seam_syntax::DatumKind::List(imports.to_vec(), None),
            imports.first().map_or_else(seam_syntax::Span::synthetic, |d| d.span.clone()),
        );
        let mut env = TOP;
        let result = self.atomically(&form, |this, stx| {
            env = this.new_top_frame(namespace, scope);
            let mut code = Vec::new();
            for set in stx.proper_list().unwrap_or(&[]) {
                this.import_into(set, env, &mut code)?;
            }
            match immutable {
                true => this.frames[env].immutable = true,
                false => this.bind_program_keywords(env),
            }
            Ok(crate::expr::sequence(code, &stx.span))
        })?;
        Ok((Environment(env), result))
    }

    /// Expand one top-level form. Top-level `define-syntax` (also inside top-level `begin`)
    /// is recorded in the expander and yields `ExprKind::Unspecified`; it affects later
    /// calls. A form that fails to expand leaves the expander as it was.
    pub fn expand_toplevel(&mut self, form: &Datum) -> Result<Expr, ExpandError> {
        self.expand_toplevel_in(form, Environment::INTERACTION)
    }

    /// Expands one top-level form in environment `env` (see [`Expander::expand_toplevel`]).
    pub fn expand_toplevel_in(&mut self, form: &Datum, env: Environment) -> Result<Expr, ExpandError> {
        self.atomically(form, |this, stx| this.expand_top(stx, env.0))
    }

    /// Runs `expand` on `form` as a syntax object: retried on a big stack if it nests too
    /// deeply, and undone completely if it fails.
    fn atomically(
        &mut self,
        form: &Datum,
        mut expand: impl FnMut(&mut Expander, &syntax::Stx) -> Result<Expr, ExpandError> + Send,
    ) -> Result<Expr, ExpandError> {
        let frames = self.frames.len();
        let aliases = self.aliases.len();
        self.top_undo.clear();
        self.libraries.added.clear();
        self.libraries.missing = None;
        self.keep_scopes = false;
        let mut result = self.run(form, SOFT_LIMITS, &mut expand);
        if result.is_err() && self.escalate {
            self.rollback(frames, aliases);
            self.keep_scopes = false;
            let spawned = std::thread::scope(|scope| {
                std::thread::Builder::new()
                    .stack_size(BIG_STACK)
                    .spawn_scoped(scope, || self.run(form, HARD_LIMITS, &mut expand))
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

    /// Counts `bytes` more built for this top-level form by `what` (a phrase for the error),
    /// failing past [`MAX_BYTES`].
    pub(crate) fn charge_bytes(
        &mut self,
        bytes: usize,
        span: &seam_syntax::Span,
        what: impl FnOnce(&Expander) -> String,
    ) -> Result<(), ExpandError> {
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > MAX_BYTES {
            return Err(ExpandError::new(
                span,
                format!(
                    "{}: the expansion built more than {MAX_BYTES} bytes of names and literals",
                    what(self)
                ),
            ));
        }
        Ok(())
    }

    fn run(
        &mut self,
        form: &Datum,
        limits: Limits,
        expand: &mut dyn FnMut(&mut Expander, &syntax::Stx) -> Result<Expr, ExpandError>,
    ) -> Result<Expr, ExpandError> {
        self.limits = limits;
        self.depth = 0;
        self.in_macro = 0;
        self.steps = 0;
        self.nodes = 0;
        self.bytes = 0;
        self.escalate = false;
        let stx = Expander::stx_from_datum(form);
        expand(self, &stx)
    }
}
