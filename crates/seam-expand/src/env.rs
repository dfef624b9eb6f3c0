//! Environments: frames of bindings, the alias table of renamed identifiers, and
//! identifier resolution (syntactic-closure style hygiene).
//!
//! An alias a macro template introduced is looked up first by exact identity in the
//! environment where it is used (so binders the same expansion introduced find it), and
//! if it is not bound there, its original identifier is resolved in the environment the
//! macro was defined in. Top-level frames (frame 0, the interaction environment; one per
//! library; one per `environment` made for `eval`) have no parent and are keyed by plain
//! symbols only, so a macro-introduced top-level definition or free reference uses the
//! original name. A free identifier means the global of that name in the namespace of the
//! top-level frame it fell off (a [`Namespace`] value: no spelling reaches another one).
//! What a top-level frame can reach of other namespaces is exactly what it imported.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::core::{Global, Namespace, Var};
use crate::syntax::Ident;
use crate::syntax_rules::Macro;
use crate::Expander;

pub(crate) type EnvId = usize;

/// The interaction environment: the REPL's and the host's top level.
pub(crate) const TOP: EnvId = 0;

/// The syntactic keywords the expander implements natively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Special {
    Quote,
    Quasiquote,
    Unquote,
    UnquoteSplicing,
    Lambda,
    Define,
    Set,
    If,
    Begin,
    LetSyntax,
    LetrecSyntax,
    DefineSyntax,
    SyntaxRules,
    SyntaxError,
    /// `(identifier-append part ...)` inside a `syntax-rules` template (a Seam extension).
    IdentifierAppend,
    DefineRecordType,
    DefineValues,
    CaseLambda,
    Parameterize,
    Guard,
    Delay,
    DelayForce,
    Include,
    IncludeCi,
    Import,
    DefineLibrary,
    CondExpand,
    Let,
    LetStar,
    Letrec,
    LetrecStar,
    LetValues,
    LetStarValues,
    Do,
    Case,
    Cond,
    When,
    Unless,
    And,
    Or,
    Else,
    Arrow,
    Ellipsis,
    Underscore,
}

const SPECIALS: &[(&str, Special)] = &[
    ("quote", Special::Quote),
    ("quasiquote", Special::Quasiquote),
    ("unquote", Special::Unquote),
    ("unquote-splicing", Special::UnquoteSplicing),
    ("lambda", Special::Lambda),
    ("define", Special::Define),
    ("set!", Special::Set),
    ("if", Special::If),
    ("begin", Special::Begin),
    ("let-syntax", Special::LetSyntax),
    ("letrec-syntax", Special::LetrecSyntax),
    ("define-syntax", Special::DefineSyntax),
    ("syntax-rules", Special::SyntaxRules),
    ("syntax-error", Special::SyntaxError),
    ("identifier-append", Special::IdentifierAppend),
    ("define-record-type", Special::DefineRecordType),
    ("define-values", Special::DefineValues),
    ("case-lambda", Special::CaseLambda),
    ("parameterize", Special::Parameterize),
    ("guard", Special::Guard),
    ("delay", Special::Delay),
    ("delay-force", Special::DelayForce),
    ("include", Special::Include),
    ("include-ci", Special::IncludeCi),
    ("import", Special::Import),
    ("define-library", Special::DefineLibrary),
    ("cond-expand", Special::CondExpand),
    ("let", Special::Let),
    ("let*", Special::LetStar),
    ("letrec", Special::Letrec),
    ("letrec*", Special::LetrecStar),
    ("let-values", Special::LetValues),
    ("let*-values", Special::LetStarValues),
    ("do", Special::Do),
    ("case", Special::Case),
    ("cond", Special::Cond),
    ("when", Special::When),
    ("unless", Special::Unless),
    ("and", Special::And),
    ("or", Special::Or),
    ("else", Special::Else),
    ("=>", Special::Arrow),
    ("...", Special::Ellipsis),
    ("_", Special::Underscore),
];

impl Special {
    /// The special form a standard library exports under `name`, if `name` is one.
    pub fn named(name: &str) -> Option<Special> {
        SPECIALS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    pub fn name(self) -> &'static str {
        SPECIALS.iter().find(|(_, s)| *s == self).map_or("?", |(name, _)| name)
    }

    /// The shape of a correct use, for "expected ..." messages.
    pub fn usage(self) -> &'static str {
        use Special::*;
        match self {
            Quote => "(quote datum)",
            Quasiquote => "(quasiquote template)",
            Unquote => "(unquote expression)",
            UnquoteSplicing => "(unquote-splicing expression)",
            Lambda => "(lambda formals body ...)",
            Define => "(define name expression) or (define (name . formals) body ...)",
            Set => "(set! variable expression)",
            If => "(if test consequent [alternative])",
            Begin => "(begin form ...)",
            LetSyntax => "(let-syntax ((keyword transformer) ...) body ...)",
            LetrecSyntax => "(letrec-syntax ((keyword transformer) ...) body ...)",
            DefineSyntax => "(define-syntax keyword transformer)",
            SyntaxRules => "(syntax-rules [ellipsis] (literal ...) (pattern template) ...)",
            SyntaxError => "(syntax-error message irritant ...)",
            IdentifierAppend => "(identifier-append identifier-or-string ...) inside a syntax-rules template",
            DefineRecordType => {
                "(define-record-type name (constructor field ...) predicate (field accessor [modifier]) ...)"
            }
            DefineValues => "(define-values formals expression)",
            CaseLambda => "(case-lambda (formals body ...) ...)",
            Parameterize => "(parameterize ((parameter value) ...) body ...)",
            Guard => "(guard (variable clause ...) body ...)",
            Delay => "(delay expression)",
            DelayForce => "(delay-force expression)",
            Include => "(include string ...)",
            IncludeCi => "(include-ci string ...)",
            Import => "(import import-set ...)",
            DefineLibrary => "(define-library name declaration ...)",
            CondExpand => "(cond-expand (requirement form ...) ...)",
            Let => "(let ((name value) ...) body ...) or (let name ((name value) ...) body ...)",
            LetStar => "(let* ((name value) ...) body ...)",
            Letrec => "(letrec ((name value) ...) body ...)",
            LetrecStar => "(letrec* ((name value) ...) body ...)",
            LetValues => "(let-values ((formals expression) ...) body ...)",
            LetStarValues => "(let*-values ((formals expression) ...) body ...)",
            Do => "(do ((variable init [step]) ...) (test expression ...) command ...)",
            Case => "(case key clause ...)",
            Cond => "(cond clause ...)",
            When => "(when test expression ...)",
            Unless => "(unless test expression ...)",
            And => "(and test ...)",
            Or => "(or test ...)",
            Else => "else",
            Arrow => "=>",
            Ellipsis => "...",
            Underscore => "_",
        }
    }
}

/// What an identifier means in some environment.
#[derive(Clone, Debug)]
pub(crate) enum Binding {
    Var(Var),
    /// A top-level variable (also what every free identifier means).
    Global(Global),
    Special(Special),
    Macro(Arc<Macro>),
    /// A standard name the frame's package may not use: it needs a capability the package
    /// was not granted. Using it is an expansion error.
    Denied(Arc<Denial>),
}

/// Why a name is denied (see [`Binding::Denied`]).
#[derive(Debug)]
pub(crate) struct Denial {
    pub name: Arc<str>,
    pub capability: crate::capability::Capability,
    /// `package NAME` or `the top level`.
    pub who: Arc<str>,
}

impl Denial {
    pub fn message(&self) -> String {
        format!("{} needs capability {}, which {} was not granted", self.name, self.capability, self.who)
    }
}

/// Whose code a top-level frame holds, which decides the capabilities its imports get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The host's top level (and libraries it defines or finds on the plain search path):
    /// the top-level capabilities.
    Top,
    /// Libraries compiled into the program (`Expander::add_library_source`) and the system
    /// environment: every capability.
    System,
    /// A package's libraries, program and environments: the package's capabilities.
    Package(usize),
}

impl Binding {
    /// `free-identifier=?` on resolved bindings.
    pub fn same(&self, other: &Binding) -> bool {
        match (self, other) {
            (Binding::Var(a), Binding::Var(b)) => a.id == b.id,
            (Binding::Global(a), Binding::Global(b)) => a == b,
            (Binding::Special(a), Binding::Special(b)) => a == b,
            (Binding::Macro(a), Binding::Macro(b)) => Arc::ptr_eq(a, b),
            (Binding::Denied(a), Binding::Denied(b)) => a.name == b.name,
            _ => false,
        }
    }
}

pub(crate) struct Frame {
    parent: Option<EnvId>,
    bindings: HashMap<Ident, Binding>,
    /// For top-level frames, the namespace of their globals.
    namespace: Option<Namespace>,
    /// Environments made by `environment` are immutable (R7RS 6.12): no definitions, no
    /// `set!` of their variables.
    pub immutable: bool,
    /// For top-level frames, whose code they hold.
    pub scope: Scope,
}

/// An identifier a macro template introduced: which identifier it renames, and the
/// environment of the macro's definition.
pub(crate) struct Alias {
    inner: Ident,
    env: EnvId,
}

impl Frame {
    pub(crate) fn bindings(&self) -> &HashMap<Ident, Binding> {
        &self.bindings
    }

    pub(crate) fn bindings_mut(&mut self) -> &mut HashMap<Ident, Binding> {
        &mut self.bindings
    }

    /// Approximate bytes the frame's bindings hold: an entry each, plus the names.
    pub(crate) fn approximate_bytes(&self) -> usize {
        self.bindings
            .keys()
            .map(|id| match id {
                Ident::Sym(name) => 96 + name.len(),
                Ident::Alias(_) => 96,
            })
            .sum()
    }
}

impl Expander {
    /// A top-level frame binding every special form, with globals in `namespace`.
    pub(crate) fn top_frame(namespace: Namespace, scope: Scope) -> Frame {
        let bindings = SPECIALS
            .iter()
            .map(|(name, special)| (Ident::Sym(Arc::from(*name)), Binding::Special(*special)))
            .collect();
        Frame { parent: None, bindings, namespace: Some(namespace), immutable: false, scope }
    }

    pub(crate) fn new_frame(&mut self, parent: EnvId) -> EnvId {
        self.frames.push(Frame {
            parent: Some(parent),
            bindings: HashMap::default(),
            namespace: None,
            immutable: false,
            scope: Scope::Top,
        });
        self.frames.len() - 1
    }

    /// A new, empty top-level frame whose globals live in `namespace`, holding code of
    /// `scope`. It outlives this expansion (unless the expansion fails).
    pub(crate) fn new_top_frame(&mut self, namespace: Namespace, scope: Scope) -> EnvId {
        self.frames.push(Frame {
            parent: None,
            bindings: HashMap::default(),
            namespace: Some(namespace),
            immutable: false,
            scope,
        });
        self.keep_scopes = true;
        self.frames.len() - 1
    }

    /// The namespace of top-level frame `env` (the top level's for anything else).
    pub(crate) fn frame_namespace(&self, env: EnvId) -> Namespace {
        self.frames.get(env).and_then(|f| f.namespace).unwrap_or(Namespace::TOP)
    }

    /// The global a top-level definition of `id` in top-level frame `env` defines.
    pub(crate) fn top_global(&self, env: EnvId, id: &Ident) -> Global {
        Global::new(self.frame_namespace(env), self.base_name(id))
    }

    /// Fails if `global`, found in top-level frame `frame`, was imported there: R7RS
    /// makes assigning an imported binding an error, and it is what keeps the standard
    /// bindings (and every library's) the same for all their importers.
    pub(crate) fn check_assignable(
        &self,
        global: &Global,
        frame: EnvId,
        span: &seam_syntax::Span,
    ) -> crate::error::Result<()> {
        if self.frames.get(frame).and_then(|f| f.namespace) == Some(global.namespace) {
            return Ok(());
        }
        crate::error::fail(
            span,
            format!(
                "set!: cannot assign {}: it is imported (from {}), and imported bindings are immutable",
                global.name,
                self.describe_namespace(global.namespace)
            ),
        )
    }

    /// Fails if top-level frame `env` is an immutable environment (made by `environment`).
    pub(crate) fn check_mutable(
        &self,
        env: EnvId,
        span: &seam_syntax::Span,
        what: &str,
    ) -> crate::error::Result<()> {
        match self.frames.get(env).is_some_and(|f| f.immutable) {
            true => crate::error::fail(
                span,
                format!("{what}: the environment is immutable (environments made by `environment` cannot be changed)"),
            ),
            false => Ok(()),
        }
    }

    /// Whose code top-level frame `env` holds.
    pub(crate) fn scope(&self, env: EnvId) -> Scope {
        self.frames.get(env).map_or(Scope::Top, |f| f.scope)
    }

    pub(crate) fn is_top(&self, env: EnvId) -> bool {
        self.frames.get(env).is_some_and(|f| f.namespace.is_some())
    }

    /// Binds `id` in frame `env`. At a top level the key is the original symbol.
    pub(crate) fn bind(&mut self, env: EnvId, id: &Ident, binding: Binding) {
        if self.is_top(env) {
            let key = Ident::Sym(self.base_name(id));
            if let Binding::Macro(_) = binding {
                self.keep_scopes = true;
            }
            let old = self.frames[env].bindings.insert(key.clone(), binding);
            self.top_undo.push((env, key, old));
        } else if let Some(frame) = self.frames.get_mut(env) {
            frame.bindings.insert(id.clone(), binding);
        }
    }

    /// The binding of plain symbol `name` in top-level frame `env`, if it has one.
    pub(crate) fn top_binding(&self, env: EnvId, name: &str) -> Option<Binding> {
        self.frames.get(env)?.bindings.get(&Ident::Sym(Arc::from(name))).cloned()
    }

    pub(crate) fn resolve(&self, id: &Ident, env: EnvId) -> Binding {
        self.resolve_with_frame(id, env).0
    }

    /// The binding of `id` in `env`, and the frame it was found in (for a free identifier,
    /// the top-level frame it fell off).
    pub(crate) fn resolve_with_frame(&self, id: &Ident, env: EnvId) -> (Binding, EnvId) {
        let mut id = id.clone();
        let mut env = env;
        loop {
            let mut frame = Some(env);
            let mut namespace = Namespace::TOP;
            let mut root = TOP;
            while let Some(index) = frame {
                let Some(f) = self.frames.get(index) else { break };
                if let Some(binding) = f.bindings.get(&id) {
                    return (binding.clone(), index);
                }
                namespace = f.namespace.unwrap_or(namespace);
                root = index;
                frame = f.parent;
            }
            match id {
                Ident::Sym(name) => return (Binding::Global(Global::new(namespace, name)), root),
                Ident::Alias(index) => match self.aliases.get(index as usize) {
                    Some(alias) => {
                        env = alias.env;
                        id = alias.inner.clone();
                    }
                    None => return (Binding::Global(Global::top("?")), TOP),
                },
            }
        }
    }

    /// The name of `id` if it has no binding in `env` (a free identifier).
    pub(crate) fn unbound_name(&self, id: &Ident, env: EnvId) -> Option<Arc<str>> {
        let (mut id, mut env) = (id.clone(), env);
        loop {
            let mut frame = Some(env);
            while let Some(index) = frame {
                let f = self.frames.get(index)?;
                if f.bindings.contains_key(&id) {
                    return None;
                }
                frame = f.parent;
            }
            match id {
                Ident::Sym(name) => return Some(name),
                Ident::Alias(index) => {
                    let alias = self.aliases.get(index as usize)?;
                    env = alias.env;
                    id = alias.inner.clone();
                }
            }
        }
    }

    /// The symbol an identifier was originally written as.
    pub(crate) fn base_name(&self, id: &Ident) -> Arc<str> {
        let mut id = id;
        loop {
            match id {
                Ident::Sym(name) => return name.clone(),
                Ident::Alias(index) => match self.aliases.get(*index as usize) {
                    Some(alias) => id = &alias.inner,
                    None => return Arc::from("?"),
                },
            }
        }
    }

    /// The identifier alias `index` renames and the environment it came from.
    pub(crate) fn alias_parts(&self, index: u32) -> Option<(Ident, EnvId)> {
        self.aliases.get(index as usize).map(|a| (a.inner.clone(), a.env))
    }

    pub(crate) fn new_alias(&mut self, inner: Ident, env: EnvId) -> Ident {
        self.aliases.push(Alias { inner, env });
        Ident::Alias((self.aliases.len() - 1) as u32)
    }

    pub(crate) fn fresh_var(&mut self, name: Arc<str>) -> Var {
        let id = self.next_var;
        self.next_var = self.next_var.wrapping_add(1);
        Var { id, name }
    }

    /// A fresh variable bound to `id` in frame `env`.
    pub(crate) fn bind_var(&mut self, env: EnvId, id: &Ident) -> Var {
        let var = self.fresh_var(self.base_name(id));
        self.bind(env, id, Binding::Var(var.clone()));
        var
    }

    /// Undoes this call's top-level bindings (before retrying the form on a bigger stack).
    pub(crate) fn rollback(&mut self, frames: usize, aliases: usize) {
        while let Some((env, key, old)) = self.top_undo.pop() {
            let Some(top) = self.frames.get_mut(env).map(|f| &mut f.bindings) else { continue };
            match old {
                Some(binding) => top.insert(key, binding),
                None => top.remove(&key),
            };
        }
        for name in std::mem::take(&mut self.libraries.added) {
            self.libraries.forget(&name);
        }
        self.frames.truncate(frames);
        self.aliases.truncate(aliases);
    }
}
