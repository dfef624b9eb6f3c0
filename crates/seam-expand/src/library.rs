//! Libraries: `define-library`, `import` sets (`only`, `except`, `prefix`, `rename`),
//! the standard libraries, finding `foo/bar.sld` on the search path, and `include`.
//!
//! A library is a top-level frame of its own (see `env.rs`): its definitions are VM globals
//! in the library's namespace, so two libraries' `helper`s never meet, and what it exports
//! is a table from external names to bindings. Importing binds those names in the
//! importing frame. A library's body is expanded when it is defined or first found on the
//! search path; the code that runs it is returned as part of the form that caused it (the
//! `define-library` itself, or the `import` that loaded the file), so it runs once, before
//! anything that imports it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use seam_syntax::{Reader, Span};

use crate::capability::{needed_by, Capabilities, Capability, PACKAGE_SCOPED_NAMES};
use crate::core::{Expr, Global, Namespace};
use crate::env::{Binding, Denial, EnvId, Scope, Special, TOP};
use crate::error::{fail, Result};
use crate::expr::sequence;
use crate::namespace::NamespaceKey;
use crate::stdlib::{SEAM_LIBRARIES, STANDARD_LIBRARIES};
use crate::syntax::{Ident, Stx, StxKind};
use crate::{Expander, MAX_IDENTIFIER_BYTES};

/// What a library exports: external name → binding.
pub(crate) type Exports = HashMap<Arc<str>, Binding>;

/// Libraries known to one expander, and where to look for more.
#[derive(Default)]
pub(crate) struct Libraries {
    defined: HashMap<String, Arc<Exports>>,
    /// Directories searched for `NAME/PART.sld` (then `.scm`), in order.
    pub paths: Vec<PathBuf>,
    /// Libraries whose definition is being expanded (to report import cycles).
    loading: Vec<String>,
    /// Libraries this top-level expansion defined (forgotten again if it fails).
    pub added: Vec<String>,
    /// Whose code defined each library defined by `define-library`.
    pub scopes: HashMap<String, Scope>,
    /// Files `import` read libraries from, and whose code they are (decided by where the
    /// file was found).
    pub found_files: HashMap<String, Scope>,
    /// Library source texts the host supplied (`Expander::add_library_source`): key →
    /// (file name for spans, text).
    pub sources: HashMap<String, (Arc<str>, Arc<str>)>,
    /// Packages the host registered (`Expander::add_package`).
    pub packages: Vec<Package>,
    /// Library → the package whose directory it was loaded from (or whose native library
    /// it is).
    pub owner: HashMap<String, usize>,
    /// Native libraries, `(PKG native)`: private to their package.
    pub native: HashMap<String, usize>,
    /// Libraries that only code with a capability may import (`(seam ffi)`).
    pub required: HashMap<String, Capability>,
    /// What the host's top level (scripts, the REPL, libraries outside packages) may use.
    pub top_capabilities: Capabilities,
    /// The top-level frame whose import is being expanded (decides what it may import).
    pub importer: EnvId,
    /// A library an import did not find, for the host to load a package and retry.
    pub missing: Option<String>,
}

/// A package the host registered: where its files are and what it may do.
pub(crate) struct Package {
    pub name: Arc<str>,
    /// Its directory, absolute: library files under it belong to the package.
    pub root: PathBuf,
    pub capabilities: Capabilities,
    /// Names of the packages it may import libraries from.
    pub dependencies: Vec<String>,
    /// The libraries other packages may import, if the manifest lists them.
    pub provides: Option<Vec<String>>,
    /// Its interaction environment, once asked for.
    pub interaction: Option<EnvId>,
}

impl Libraries {
    pub fn new() -> Libraries {
        Libraries { top_capabilities: Capabilities::all(), ..Libraries::default() }
    }

    pub fn forget(&mut self, name: &str) {
        self.defined.remove(name);
        self.owner.remove(name);
        self.scopes.remove(name);
    }

    pub fn define(&mut self, name: &str, exports: Exports) {
        self.defined.insert(name.to_string(), Arc::new(exports));
    }
}

/// One `export` spec: the name inside the library and the name it is exported as.
struct ExportSpec {
    inner: Arc<str>,
    outer: Arc<str>,
    span: Span,
}

/// What a library's declarations add up to.
struct Declarations {
    exports: Vec<ExportSpec>,
    /// Code to run, in order: imported libraries' bodies, then this library's.
    code: Vec<Expr>,
}

impl Expander {
    /// `(define-library name declaration ...)`: defines the library; the result is the
    /// code of its body (and of libraries it loaded).
    pub(crate) fn define_library(&mut self, form: &Stx, top: EnvId) -> Result<Expr> {
        let span = &form.span;
        let Some([_, name, declarations @ ..]) = form.proper_list() else {
            return self.shape_error(Special::DefineLibrary, span);
        };
        let key = self.library_key(name)?;
        if self.libraries.loading.contains(&key) {
            return fail(span, format!("define-library: {key} imports itself (an import cycle)"));
        }
        if self.libraries.native.contains_key(&key) {
            return fail(span, format!("define-library: {key} is a package's native library"));
        }
        // A library file found by `import` is its owner's code (a package's, when it was
        // found in the package's directory); any other `define-library` (at a top level, in
        // a file `load` or `include` read) is the code of the frame expanding it, whatever
        // the file is called or wherever it lies.
        let scope = self.libraries.found_files.get(&*span.file).copied().unwrap_or_else(|| self.scope(top));
        self.check_redefinition(&key, scope, span)?;
        self.libraries.loading.push(key.clone());
        let result = self.library_body(&key, declarations, scope);
        self.libraries.loading.pop();
        let (exports, code) = result?;
        self.libraries.defined.insert(key.clone(), Arc::new(exports));
        self.libraries.scopes.insert(key.clone(), scope);
        if let Scope::Package(p) = scope {
            self.libraries.owner.insert(key.clone(), p);
        }
        self.libraries.added.push(key);
        Ok(sequence(code, span))
    }

    /// Fails unless code of `scope` may define library `key`: the standard and built-in
    /// libraries, the host's libraries and a package's libraries are defined once, by
    /// their owner, so nothing imports a look-alike. (A library the same scope defined
    /// before may be defined again, as at a REPL.)
    fn check_redefinition(&self, key: &str, scope: Scope, span: &Span) -> Result<()> {
        // Every standard library is `(scheme ...)` or `(seam ...)`: both name spaces are
        // reserved, for the libraries there are and those to come.
        let builtin = key.starts_with("(scheme ")
            || key.starts_with("(seam ")
            || self.libraries.sources.contains_key(key)
            || self.libraries.required.contains_key(key);
        if builtin && scope != Scope::System {
            return fail(
                span,
                format!("define-library: {key} is a built-in library and cannot be redefined"),
            );
        }
        let owner = self.libraries.owner.get(key).copied();
        let defined_by = self.libraries.scopes.get(key).copied();
        let same_owner = match owner {
            Some(p) => scope == Scope::Package(p),
            None => defined_by.is_none_or(|s| s == scope),
        };
        match same_owner {
            true => Ok(()),
            false => fail(
                span,
                format!(
                    "define-library: {key} is already defined by {}; {} cannot redefine it",
                    self.scope_name(owner.map_or(defined_by.unwrap_or(Scope::Top), Scope::Package)),
                    self.scope_name(scope)
                ),
            ),
        }
    }

    fn library_body(
        &mut self,
        key: &str,
        declarations: &[Stx],
        scope: Scope,
    ) -> Result<(Exports, Vec<Expr>)> {
        let namespace = self.namespace(NamespaceKey::Library(key.to_string()));
        let env = self.new_top_frame(namespace, scope);
        let mut decls = Declarations { exports: Vec::new(), code: Vec::new() };
        for declaration in declarations {
            self.library_declaration(declaration, env, &mut decls)?;
        }
        let mut exports = Exports::new();
        for spec in decls.exports {
            let Some(binding) = self.top_binding(env, &spec.inner) else {
                return fail(
                    &spec.span,
                    format!("library {key} exports {}, which it neither defines nor imports", spec.inner),
                );
            };
            exports.insert(spec.outer, binding);
        }
        Ok((exports, decls.code))
    }

    fn library_declaration(&mut self, declaration: &Stx, env: EnvId, decls: &mut Declarations) -> Result<()> {
        seam_syntax::grow_stack(|| self.library_declaration_level(declaration, env, decls))
    }

    /// [`Expander::library_declaration`] for one level.
    fn library_declaration_level(
        &mut self,
        declaration: &Stx,
        env: EnvId,
        decls: &mut Declarations,
    ) -> Result<()> {
        let span = &declaration.span;
        let parts = declaration.proper_list().unwrap_or(&[]);
        let head = parts.first().and_then(|h| h.ident()).map(|id| self.base_name(id));
        match head.as_deref() {
            Some("export") => {
                for spec in &parts[1..] {
                    decls.exports.push(self.export_spec(spec)?);
                }
            }
            Some("import") => {
                for set in &parts[1..] {
                    self.import_into(set, env, &mut decls.code)?;
                }
            }
            Some("begin") => {
                for form in &parts[1..] {
                    let expr = self.expand_top(form, env)?;
                    decls.code.push(expr);
                }
            }
            Some(which @ ("include" | "include-ci")) => {
                for form in self.include_forms(declaration, which == "include-ci")? {
                    let expr = self.expand_top(&form, env)?;
                    decls.code.push(expr);
                }
            }
            Some("include-library-declarations") => {
                for nested in self.include_forms(declaration, false)? {
                    self.library_declaration(&nested, env, decls)?;
                }
            }
            Some("cond-expand") => {
                for nested in self.cond_expand_forms(parts)? {
                    self.library_declaration(&nested, env, decls)?;
                }
            }
            _ => {
                return fail(
                    span,
                    format!(
                        "define-library: expected a library declaration (export, import, begin, include, \
                         include-ci, include-library-declarations or cond-expand), got {}",
                        self.show(declaration)
                    ),
                )
            }
        }
        Ok(())
    }

    fn export_spec(&self, spec: &Stx) -> Result<ExportSpec> {
        if let Some(id) = spec.ident() {
            let name = self.base_name(id);
            return Ok(ExportSpec { inner: name.clone(), outer: name, span: spec.span.clone() });
        }
        match spec.proper_list() {
            Some([head, inner, outer]) if self.is_symbol(head, "rename") => {
                match (inner.ident(), outer.ident()) {
                    (Some(inner), Some(outer)) => Ok(ExportSpec {
                        inner: self.base_name(inner),
                        outer: self.base_name(outer),
                        span: spec.span.clone(),
                    }),
                    _ => fail(&spec.span, format!("export: malformed rename {}", self.show(spec))),
                }
            }
            _ => fail(
                &spec.span,
                format!("export: expected an identifier or (rename inner outer), got {}", self.show(spec)),
            ),
        }
    }

    fn is_symbol(&self, stx: &Stx, name: &str) -> bool {
        stx.ident().is_some_and(|id| &*self.base_name(id) == name)
    }

    /// `(import set ...)` at a top level: binds the imported names in `env`; the result
    /// runs the bodies of libraries loaded for it.
    pub(crate) fn expand_import(&mut self, form: &Stx, env: EnvId) -> Result<Expr> {
        let mut code = Vec::new();
        for set in form.proper_list().unwrap_or(&[]).iter().skip(1) {
            self.import_into(set, env, &mut code)?;
        }
        Ok(sequence(code, &form.span))
    }

    /// Binds the names of one import set in `env`, as far as `env`'s capabilities allow.
    pub(crate) fn import_into(&mut self, set: &Stx, env: EnvId, code: &mut Vec<Expr>) -> Result<()> {
        let importer = std::mem::replace(&mut self.libraries.importer, env);
        let names = self.import_set(set, code);
        self.libraries.importer = importer;
        for (name, binding) in self.confine(names?, env, set)? {
            self.bind(env, &Ident::Sym(name), binding);
        }
        Ok(())
    }

    /// The capabilities code of `scope` has.
    pub(crate) fn scope_capabilities(&self, scope: Scope) -> Capabilities {
        match scope {
            Scope::Top => self.libraries.top_capabilities,
            Scope::System => Capabilities::all(),
            Scope::Package(p) => self.libraries.packages[p].capabilities,
        }
    }

    /// Who code of `scope` is, in messages: `package NAME` or `the top level`.
    pub(crate) fn scope_name(&self, scope: Scope) -> String {
        match scope {
            Scope::Package(p) => format!("package {}", self.libraries.packages[p].name),
            Scope::Top | Scope::System => "the top level".to_string(),
        }
    }

    /// Imported names as `env` may have them: a standard name needing a capability `env`
    /// lacks becomes a denial, and in a package the names that make environments become
    /// the package's own. An import all of whose names are denied fails.
    fn confine(
        &mut self,
        mut names: Vec<(Arc<str>, Binding)>,
        env: EnvId,
        set: &Stx,
    ) -> Result<Vec<(Arc<str>, Binding)>> {
        let scope = self.scope(env);
        let caps = self.scope_capabilities(scope);
        let package = match scope {
            Scope::Package(p) => Some(self.libraries.packages[p].name.clone()),
            _ if caps == Capabilities::all() => return Ok(names),
            _ => None,
        };
        let mut denied = None;
        let mut allowed = 0;
        for (name, binding) in &mut names {
            let Binding::Global(global) = binding else {
                allowed += 1;
                continue;
            };
            // Only the standard bindings (the system namespace's) need capabilities.
            let standard = global.namespace == Namespace::SYSTEM;
            let needed = needed_by(&global.name).filter(|_| standard);
            if let Some(missing) = needed.and_then(|needed| caps.missing(needed)) {
                let who = Arc::from(self.scope_name(scope));
                *binding = Binding::Denied(Arc::new(Denial { name: name.clone(), capability: missing, who }));
                denied.get_or_insert(missing);
                continue;
            }
            allowed += 1;
            if let Some(package) = package.as_deref() {
                if standard && PACKAGE_SCOPED_NAMES.contains(&&*global.name) {
                    let own = self.package_global(package, &global.name);
                    *binding = Binding::Global(own);
                }
            }
        }
        match denied {
            Some(capability) if allowed == 0 => fail(
                &set.span,
                format!(
                    "import: {} needs capability {capability}, which {} was not granted",
                    self.show(set),
                    self.scope_name(scope)
                ),
            ),
            _ => Ok(names),
        }
    }

    /// Fails unless the frame being imported into may import library `key`: native
    /// libraries are private to their package, some libraries need a capability, and a
    /// package imports other packages' libraries only from its dependencies (and only the
    /// libraries they provide).
    fn check_access(&self, key: &str, span: &Span) -> Result<()> {
        let scope = self.scope(self.libraries.importer);
        let who = self.scope_name(scope);
        if let Some(&owner) = self.libraries.native.get(key) {
            if scope != Scope::Package(owner) {
                let owner = &self.libraries.packages[owner].name;
                return fail(
                    span,
                    format!(
                        "{who} cannot import {key}: the native library of package {owner} is private to it"
                    ),
                );
            }
        }
        if let Some(&capability) = self.libraries.required.get(key) {
            if !self.scope_capabilities(scope).has(capability) {
                return fail(
                    span,
                    format!("import: {key} needs capability {capability}, which {who} was not granted"),
                );
            }
        }
        let Some(&owner) = self.libraries.owner.get(key) else { return Ok(()) };
        if scope == Scope::Package(owner) || scope == Scope::System {
            return Ok(());
        }
        let owner = &self.libraries.packages[owner];
        if let Scope::Package(importer) = scope {
            let importer = &self.libraries.packages[importer];
            if !importer.dependencies.iter().any(|d| **d == *owner.name) {
                return fail(
                    span,
                    format!(
                        "package {} cannot import {key} from package {}: {} is not among its [dependencies]",
                        importer.name, owner.name, owner.name
                    ),
                );
            }
        }
        // The manifest's `libraries`, when given, is everything anyone outside the package
        // (the top level included) may import from it.
        match &owner.provides {
            Some(provided) if !provided.iter().any(|p| p == key) => fail(
                span,
                format!(
                    "{who} cannot import {key}: package {} does not provide it (its seam.toml lists {})",
                    owner.name,
                    provided.join(" ")
                ),
            ),
            _ => Ok(()),
        }
    }

    /// Whose code the source file `file` holds: a library compiled into the program, a
    /// package's file, or neither.
    pub(crate) fn file_scope(&self, file: &str) -> Option<Scope> {
        if self.libraries.sources.values().any(|(name, _)| **name == *file) {
            return Some(Scope::System);
        }
        let path = Path::new(file);
        self.libraries.packages.iter().position(|p| path.starts_with(&p.root)).map(Scope::Package)
    }

    /// The names an import set brings in, with their bindings.
    fn import_set(&mut self, set: &Stx, code: &mut Vec<Expr>) -> Result<Vec<(Arc<str>, Binding)>> {
        seam_syntax::grow_stack(|| self.import_set_level(set, code))
    }

    /// [`Expander::import_set`] for one level.
    fn import_set_level(&mut self, set: &Stx, code: &mut Vec<Expr>) -> Result<Vec<(Arc<str>, Binding)>> {
        let malformed =
            |this: &Self| fail(&set.span, format!("import: malformed import set {}", this.show(set)));
        let Some(parts) = set.proper_list().filter(|p| !p.is_empty()) else { return malformed(self) };
        let head = parts[0].ident().map(|id| self.base_name(id));
        let modifier = matches!(head.as_deref(), Some("only" | "except" | "prefix" | "rename"));
        if !(modifier && parts.len() >= 2 && parts[1].proper_list().is_some()) {
            let exports = self.find_library(set, code)?;
            let mut names: Vec<(Arc<str>, Binding)> =
                exports.iter().map(|(n, b)| (n.clone(), b.clone())).collect();
            names.sort_by(|a, b| a.0.cmp(&b.0));
            return Ok(names);
        }
        let mut names = self.import_set(&parts[1], code)?;
        let args = &parts[2..];
        let missing = |this: &Self, id: &Stx| {
            fail(
                &id.span,
                format!("import: {} is not among the names {} imports", this.show(id), this.show(&parts[1])),
            )
        };
        // Names to their first position in `names`: `only`, `except` and `rename` look up
        // each of their arguments, so a set with many names costs linear time.
        let index_of = |names: &[(Arc<str>, Binding)]| {
            let mut index: rustc_hash::FxHashMap<Arc<str>, usize> = Default::default();
            for (i, (n, _)) in names.iter().enumerate() {
                index.entry(n.clone()).or_insert(i);
            }
            index
        };
        match head.as_deref() {
            Some("only") => {
                let index = index_of(&names);
                let mut kept = Vec::with_capacity(args.len());
                for id in args {
                    let Some(name) = id.ident().map(|i| self.base_name(i)) else { return malformed(self) };
                    match index.get(&name).and_then(|&i| names.get(i)) {
                        Some(found) => kept.push(found.clone()),
                        None => return missing(self, id),
                    }
                }
                Ok(kept)
            }
            Some("except") => {
                let mut present: rustc_hash::FxHashSet<Arc<str>> =
                    names.iter().map(|(n, _)| n.clone()).collect();
                for id in args {
                    let Some(name) = id.ident().map(|i| self.base_name(i)) else { return malformed(self) };
                    if !present.remove(&name) {
                        return missing(self, id);
                    }
                }
                names.retain(|(n, _)| present.contains(n));
                Ok(names)
            }
            Some("prefix") => {
                let [prefix_stx] = args else { return malformed(self) };
                let Some(prefix) = prefix_stx.ident().map(|i| self.base_name(i)) else {
                    return malformed(self);
                };
                // The names are built here: each is bounded, and so is their total (with
                // everything else this form builds).
                let longest = names.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
                if prefix.len() + longest > MAX_IDENTIFIER_BYTES {
                    return fail(
                        &prefix_stx.span,
                        format!(
                            "import: the prefix of {} makes names of {} bytes (at most {MAX_IDENTIFIER_BYTES})",
                            self.show(set),
                            prefix.len() + longest
                        ),
                    );
                }
                let total = names.iter().map(|(n, _)| prefix.len() + n.len()).sum();
                self.charge_bytes(total, &prefix_stx.span, |this| {
                    format!("import: the prefix of {}", this.show(set))
                })?;
                Ok(names.into_iter().map(|(n, b)| (Arc::from(format!("{prefix}{n}")), b)).collect())
            }
            _ => {
                let mut index = index_of(&names);
                for pair in args {
                    let Some([from, to]) = pair.proper_list() else { return malformed(self) };
                    let (Some(from_id), Some(to_id)) = (from.ident(), to.ident()) else {
                        return malformed(self);
                    };
                    let (from_name, to_name) = (self.base_name(from_id), self.base_name(to_id));
                    let Some(i) = index.remove(&from_name) else { return missing(self, from) };
                    let Some(entry) = names.get_mut(i) else { return missing(self, from) };
                    entry.0 = to_name.clone();
                    let first = index.entry(to_name).or_insert(i);
                    *first = (*first).min(i);
                }
                Ok(names)
            }
        }
    }

    /// The canonical text of a library name, `(foo bar 1)`: identifiers and exact
    /// non-negative integers. Each identifier is one file name component when the library
    /// is looked for on disk, so it must be one: not empty, `.` or `..`, and free of `/`,
    /// `\\`, whitespace, parentheses and control characters (which would also make two
    /// names share one text).
    fn library_key(&self, name: &Stx) -> Result<String> {
        let malformed = || {
            fail(
                &name.span,
                format!(
                    "malformed library name {}: expected a list of identifiers and exact non-negative integers",
                    self.show(name)
                ),
            )
        };
        let Some(parts) = name.proper_list().filter(|p| !p.is_empty()) else { return malformed() };
        let mut words = Vec::with_capacity(parts.len());
        for part in parts {
            match &part.kind {
                StxKind::Ident(id) => {
                    let word = self.base_name(id);
                    if !is_library_name_part(&word) {
                        return fail(
                            &part.span,
                            format!(
                                "malformed library name {}: {:?} cannot be part of a library name \
                                 (no empty part, `.`, `..`, `/`, `\\`, whitespace, parentheses or control characters)",
                                self.show(name),
                                &*word
                            ),
                        );
                    }
                    words.push(word.to_string())
                }
                StxKind::Atom(seam_syntax::DatumKind::Number(seam_syntax::Number::Fixnum(n))) if *n >= 0 => {
                    words.push(n.to_string())
                }
                _ => return malformed(),
            }
        }
        Ok(format!("({})", words.join(" ")))
    }

    /// Whether the library `name` is defined, standard or on the search path (for
    /// `cond-expand`'s `(library name)`).
    pub(crate) fn library_exists(&self, name: &Stx) -> bool {
        let Ok(key) = self.library_key(name) else { return false };
        self.libraries.defined.contains_key(&key)
            || standard_library(&key).is_some()
            || self.library_file(name).is_some()
    }

    /// The exports of library `name`: already defined, standard, or loaded now from the
    /// search path (its code is appended to `code`).
    fn find_library(&mut self, name: &Stx, code: &mut Vec<Expr>) -> Result<Arc<Exports>> {
        let key = self.library_key(name)?;
        self.check_access(&key, &name.span)?;
        let exports = self.load_library(name, &key, code)?;
        self.check_access(&key, &name.span)?;
        Ok(exports)
    }

    fn load_library(&mut self, name: &Stx, key: &str, code: &mut Vec<Expr>) -> Result<Arc<Exports>> {
        let key = key.to_string();
        if let Some(exports) = self.libraries.defined.get(&key) {
            return Ok(exports.clone());
        }
        if let Some(names) = standard_library(&key) {
            let exports: Exports = names.iter().map(|n| (Arc::from(*n), self.system_binding(n))).collect();
            let exports = Arc::new(exports);
            self.libraries.defined.insert(key, exports.clone());
            return Ok(exports);
        }
        if self.libraries.loading.contains(&key) {
            return fail(&name.span, format!("import: library {key} imports itself (an import cycle)"));
        }
        let (forms, file) = if let Some((file, text)) = self.libraries.sources.get(&key).cloned() {
            self.files_read.push((file.clone(), text.clone()));
            (self.read_text(&text, &file, false, &name.span)?, file.to_string())
        } else {
            let path = self.find_library_file(name, &key)?;
            (self.read_file(&path, false, &name.span)?, path.display().to_string())
        };
        let scope = self.file_scope(&file).unwrap_or(Scope::Top);
        self.libraries.found_files.insert(file.clone(), scope);
        let mut found = false;
        for form in &forms {
            let defines = self
                .head_binding(form, TOP)
                .is_some_and(|b| matches!(b, Binding::Special(Special::DefineLibrary)));
            if defines
                && form.proper_list().and_then(|p| p.get(1)).map(|n| self.library_key(n))
                    == Some(Ok(key.clone()))
            {
                found = true;
            }
            let expr = self.expand_top(form, TOP)?;
            code.push(expr);
        }
        match self.libraries.defined.get(&key) {
            Some(exports) if found => Ok(exports.clone()),
            _ => fail(&name.span, format!("{file} does not define library {key}")),
        }
    }

    /// The file of library `name` on the search path, or an error listing where it looked.
    fn find_library_file(&mut self, name: &Stx, key: &str) -> Result<PathBuf> {
        let Some(path) = self.library_file(name) else {
            let searched = match self.libraries.paths.is_empty() {
                true => "no library search path is set".to_string(),
                false => format!(
                    "searched {}",
                    self.libraries
                        .paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.libraries.missing = Some(key.to_string());
            return fail(&name.span, format!("unknown library {key} ({searched})"));
        };
        Ok(path)
    }

    /// `DIR/foo/bar.sld` (or `.scm`) for library `(foo bar)`, in the first search
    /// directory that has it.
    fn library_file(&self, name: &Stx) -> Option<PathBuf> {
        let parts = name.proper_list()?;
        let mut relative = PathBuf::new();
        for part in parts {
            match &part.kind {
                StxKind::Ident(id) => relative.push(&*self.base_name(id)),
                StxKind::Atom(seam_syntax::DatumKind::Number(n)) => relative.push(n.to_string()),
                _ => return None,
            }
        }
        // The importing package's own directory first, then the directory of the package
        // named by the library's first part (a package provides `(NAME ...)` only: no
        // package can answer for another's libraries), then the search path.
        let own = match self.scope(self.libraries.importer) {
            Scope::Package(p) => Some(&self.libraries.packages[p].root),
            _ => None,
        };
        let first = parts.first().and_then(|p| p.ident()).map(|id| self.base_name(id));
        let named =
            self.libraries.packages.iter().filter(|p| first.as_deref() == Some(&*p.name)).map(|p| &p.root);
        own.into_iter().chain(named).chain(self.libraries.paths.iter()).find_map(|dir| {
            ["sld", "scm"].iter().map(|ext| dir.join(&relative).with_extension(ext)).find(|p| p.is_file())
        })
    }

    /// What a standard library's name means: the expander's special form of that name, or
    /// the system namespace's global.
    fn system_binding(&self, name: &str) -> Binding {
        match Special::named(name) {
            Some(special) => Binding::Special(special),
            None => Binding::Global(Global::system(name)),
        }
    }

    /// The forms of the files an `(include file ...)`-like form names, read relative to the
    /// directory of the file the form is in.
    pub(crate) fn include_forms(&mut self, form: &Stx, fold_case: bool) -> Result<Vec<Stx>> {
        let parts = form.proper_list().unwrap_or(&[]);
        if parts.len() < 2 {
            return fail(&form.span, format!("{}: expected at least one file name", self.show(&parts[0])));
        }
        let mut forms = Vec::new();
        for file in &parts[1..] {
            let StxKind::Atom(seam_syntax::DatumKind::String(name)) = &file.kind else {
                return fail(
                    &file.span,
                    format!("include: expected a file name string, got {}", self.show(file)),
                );
            };
            let base = Path::new(&*form.span.file).parent().filter(|_| !form.span.file.starts_with('<'));
            let path = match base {
                Some(dir) if Path::new(name).is_relative() => dir.join(name),
                _ => PathBuf::from(name),
            };
            self.check_include(&path, &form.span, &file.span)?;
            forms.extend(self.read_file(&path, fold_case, &file.span)?);
        }
        Ok(forms)
    }

    /// Fails unless the code at `form` may read `path`: code without capability `fs-read`
    /// includes only files inside its own package's directory.
    fn check_include(&self, path: &Path, form: &Span, span: &Span) -> Result<()> {
        let scope = self.file_scope(&form.file).unwrap_or(Scope::Top);
        if self.scope_capabilities(scope).has(Capability::FsRead) {
            return Ok(());
        }
        let who = self.scope_name(scope);
        let Scope::Package(p) = scope else {
            return fail(
                span,
                format!("include: reading files needs capability fs-read, which {who} was not granted"),
            );
        };
        let root = &self.libraries.packages[p].root;
        match path.canonicalize() {
            Ok(real) if real.starts_with(root) => Ok(()),
            Ok(_) => fail(
                span,
                format!(
                    "include: {} is outside the directory of package {} ({}); reading it needs capability fs-read, which {who} was not granted",
                    path.display(),
                    self.libraries.packages[p].name,
                    root.display()
                ),
            ),
            Err(e) => fail(span, format!("cannot read {}: {e}", path.display())),
        }
    }

    /// `(include ...)` as the equivalent `(begin form ...)`.
    pub(crate) fn include_as_begin(&mut self, form: &Stx, fold_case: bool) -> Result<Stx> {
        let forms = self.include_forms(form, fold_case)?;
        let begin = self.new_alias(Ident::Sym(Arc::from("begin")), TOP);
        let mut items = vec![Stx::new(StxKind::Ident(begin), form.span.clone())];
        items.extend(forms);
        Ok(Stx::new(StxKind::List(items, None), form.span.clone()))
    }

    fn read_file(&mut self, path: &Path, fold_case: bool, span: &Span) -> Result<Vec<Stx>> {
        let text = std::fs::read_to_string(path)
            .or_else(|e| fail(span, format!("cannot read {}: {e}", path.display())))?;
        let file = path.display().to_string();
        self.files_read.push((Arc::from(file.as_str()), Arc::from(text.as_str())));
        self.read_text(&text, &file, fold_case, span)
    }

    /// The forms of source `text` (named `file` in spans), read for the form at `span`.
    fn read_text(&mut self, text: &str, file: &str, fold_case: bool, span: &Span) -> Result<Vec<Stx>> {
        let mut reader = Reader::new(text, file);
        if fold_case {
            reader = reader.with_fold_case(true);
        }
        let mut forms = Vec::new();
        loop {
            match reader.next_datum() {
                Ok(Some(datum)) => forms.push(Expander::stx_from_datum(&datum)),
                Ok(None) => return Ok(forms),
                Err(e) => {
                    return fail(&e.span, format!("{} (in a file read for {})", e.kind, self.show_span(span)))
                }
            }
        }
    }

    fn show_span(&self, span: &Span) -> String {
        format!("{}:{}:{}", span.file, span.line, span.column)
    }
}

/// Whether `word` can be one part of a library name (see `library_key`).
fn is_library_name_part(word: &str) -> bool {
    !word.is_empty()
        && word != "."
        && word != ".."
        && !word.chars().any(|c| c.is_whitespace() || c.is_control() || "/\\()".contains(c))
}

/// The export list of `(scheme NAME)` or of a built-in `(seam NAME)`.
pub(crate) fn standard_library(key: &str) -> Option<&'static [&'static str]> {
    let (table, name) = match key.strip_prefix("(scheme ") {
        Some(name) => (STANDARD_LIBRARIES, name),
        None => (SEAM_LIBRARIES, key.strip_prefix("(seam ")?),
    };
    let name = name.strip_suffix(')')?;
    table.iter().find(|(n, _)| *n == name).map(|(_, names)| *names)
}
