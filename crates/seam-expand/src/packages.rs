//! Packages as the expander sees them: directories whose library files belong to a
//! package, what each package may import (its capabilities, its dependencies, its private
//! native library), and the environments its code runs in. The host (crate `seam`) reads
//! manifests and grants capabilities; it tells the expander the result with
//! [`Expander::add_package`].

use std::path::PathBuf;
use std::sync::Arc;

use seam_syntax::{Datum, DatumKind, Span};

use crate::capability::{Capabilities, Capability};
use crate::core::Expr;
use crate::core::Global;
use crate::env::{Binding, EnvId, Scope, Special};
use crate::error::ExpandError;
use crate::library::Package;
use crate::namespace::NamespaceKey;
use crate::syntax::Ident;
use crate::{Environment, Expander};

/// A package as the host registers it.
#[derive(Clone, Debug, Default)]
pub struct PackageSpec {
    /// The package's name (`counter`).
    pub name: String,
    /// Its directory: library files under it (`ROOT/counter/util.sld` for `(counter
    /// util)`) belong to it. Made absolute when registered.
    pub root: PathBuf,
    /// What it may use: what it requires and the host granted.
    pub capabilities: Capabilities,
    /// The packages whose libraries it may import.
    pub dependencies: Vec<String>,
    /// The libraries other packages may import (`"(counter)"`), if it restricts them.
    pub libraries: Option<Vec<String>>,
    /// Its native library `(NAME native)`: external names and the globals holding the
    /// procedures (see [`Expander::native_global`]). Empty: it has none.
    pub native: Vec<(String, Global)>,
}

impl Expander {
    /// Registers a package: its library files now belong to it and import with its
    /// capabilities. Its native functions (if any) become library `(NAME native)`, which
    /// only the package's own code can import. Registering the same package again (same
    /// name and directory) updates it.
    pub fn add_package(&mut self, spec: PackageSpec) -> Result<(), String> {
        let root = spec
            .root
            .canonicalize()
            .map_err(|e| format!("package {}: {}: {e}", spec.name, spec.root.display()))?;
        let provides = match spec.libraries {
            Some(names) => {
                Some(names.iter().map(|n| normalize_library_name(n)).collect::<Result<Vec<_>, _>>()?)
            }
            None => None,
        };
        let package = Package {
            name: Arc::from(spec.name.as_str()),
            root,
            capabilities: spec.capabilities,
            dependencies: spec.dependencies,
            provides,
            interaction: None,
        };
        let index = match self.libraries.packages.iter().position(|p| *p.name == *spec.name) {
            Some(i) if self.libraries.packages[i].root == package.root => {
                self.libraries.packages[i] = package;
                i
            }
            Some(i) => {
                return Err(format!(
                    "package {} is already loaded from {}; cannot load another from {}",
                    spec.name,
                    self.libraries.packages[i].root.display(),
                    package.root.display()
                ))
            }
            None => {
                self.libraries.packages.push(package);
                self.libraries.packages.len() - 1
            }
        };
        if !spec.native.is_empty() {
            let key = format!("({} native)", spec.name);
            let exports = spec
                .native
                .iter()
                .map(|(name, global)| (Arc::from(name.as_str()), Binding::Global(global.clone())))
                .collect();
            self.libraries.define(&key, exports);
            self.libraries.native.insert(key.clone(), index);
            self.libraries.owner.insert(key, index);
        }
        Ok(())
    }

    /// The directory of package `name`, if it is registered.
    pub fn package_root(&self, name: &str) -> Option<PathBuf> {
        self.package_index(name).map(|p| self.libraries.packages[p].root.clone())
    }

    /// A new top-level environment for package `name`'s main program: empty but for
    /// `import` and `define-library` (an R7RS program starts with its imports), importing
    /// with the package's capabilities.
    pub fn program_environment(&mut self, name: &str) -> Option<Environment> {
        let package = self.package_index(name)?;
        let namespace = self.namespace(NamespaceKey::Program(name.to_string()));
        let env = self.new_top_frame(namespace, Scope::Package(package));
        self.bind_program_keywords(env);
        Some(Environment(env))
    }

    /// A new top-level environment for an R7RS program the host runs: empty but for
    /// `import` and `define-library`, importing with the top level's capabilities. What
    /// the program can reach is exactly what it imports.
    pub fn top_level_program_environment(&mut self) -> Environment {
        self.environments += 1;
        let namespace = self.namespace(NamespaceKey::TopProgram(self.environments));
        let env = self.new_top_frame(namespace, Scope::Top);
        self.bind_program_keywords(env);
        Environment(env)
    }

    /// `environment` for code of package `name`: like [`Expander::environment`], but the
    /// imports get the package's capabilities.
    pub fn package_environment(
        &mut self,
        imports: &[Datum],
        name: &str,
    ) -> Result<(Environment, Expr), ExpandError> {
        let package = self.package_index(name).ok_or_else(|| unknown_package(name))?;
        self.new_environment(imports, Scope::Package(package), true)
    }

    /// `interaction-environment` for code of package `name`: its own mutable environment
    /// holding `(scheme base)` (made once; the code returned runs the first time).
    pub fn package_interaction_environment(
        &mut self,
        name: &str,
    ) -> Result<(Environment, Expr), ExpandError> {
        let package = self.package_index(name).ok_or_else(|| unknown_package(name))?;
        if let Some(env) = self.libraries.packages[package].interaction {
            return Ok((Environment(env), Expr::new(crate::core::ExprKind::Unspecified, Span::synthetic())));
        }
        let base =
            ["scheme", "base"].map(|w| Datum::new(DatumKind::Symbol(w.to_string()), Span::synthetic()));
        let import = Datum::new(DatumKind::List(base.to_vec(), None), Span::synthetic());
        let (env, code) = self.new_environment(&[import], Scope::Package(package), false)?;
        self.libraries.packages[package].interaction = Some(env.0);
        Ok((env, code))
    }

    /// What the host's top level (scripts, the REPL, `environment` there, libraries not in
    /// a package) may use. Every capability unless the host restricts it. The interaction
    /// environment holds exactly the exports of the standard libraries
    /// ([`crate::INTERACTION_LIBRARIES`]) as far as these capabilities allow; a standard
    /// name needing another capability is bound to a denial (an error naming the
    /// capability where it is used). Nothing else of the system namespace is reachable.
    pub fn set_top_capabilities(&mut self, capabilities: Capabilities) {
        self.libraries.top_capabilities = capabilities;
        // A name several libraries export is bound the same way each time.
        for name in crate::stdlib::interaction_names() {
            let id = Ident::Sym(Arc::from(name));
            let standard = match crate::env::Special::named(name) {
                Some(special) => Binding::Special(special),
                None => Binding::Global(Global::system(name)),
            };
            let replaceable = match self.frames[crate::env::TOP].bindings_mut().get(&id) {
                None | Some(Binding::Denied(_)) => true,
                Some(current) => current.same(&standard),
            };
            if !replaceable {
                continue; // the top level defined its own
            }
            let needed = crate::capability::needed_by(name).unwrap_or(&[]);
            let binding = match capabilities.missing(needed) {
                Some(capability) => {
                    let who = Arc::from("the top level");
                    Binding::Denied(Arc::new(crate::env::Denial { name: Arc::from(name), capability, who }))
                }
                None => standard,
            };
            self.frames[crate::env::TOP].bindings_mut().insert(id, binding);
        }
    }

    /// What the top level may use (see [`Expander::set_top_capabilities`]).
    pub fn top_capabilities(&self) -> Capabilities {
        self.libraries.top_capabilities
    }

    /// Makes library `library` (written as in `import`) importable only by code with
    /// `capability`.
    pub fn require_capability(&mut self, library: &str, capability: Capability) {
        if let Ok(key) = normalize_library_name(library) {
            self.libraries.required.insert(key, capability);
        }
    }

    /// The library the last failed expansion could not find, if that is why it failed: the
    /// host may load a package that provides it and expand the form again.
    pub fn take_missing_library(&mut self) -> Option<String> {
        self.libraries.missing.take()
    }

    fn package_index(&self, name: &str) -> Option<usize> {
        self.libraries.packages.iter().position(|p| *p.name == *name)
    }

    /// Binds `import` and `define-library` in a program's (or interaction) environment.
    pub(crate) fn bind_program_keywords(&mut self, env: EnvId) {
        for (name, special) in [("import", Special::Import), ("define-library", Special::DefineLibrary)] {
            self.bind(env, &Ident::Sym(Arc::from(name)), Binding::Special(special));
        }
    }
}

fn unknown_package(name: &str) -> ExpandError {
    ExpandError::new(&Span::synthetic(), format!("unknown package {name}"))
}

/// The canonical form of a library name written as text: `( counter  util )` →
/// `(counter util)`.
pub(crate) fn normalize_library_name(text: &str) -> Result<String, String> {
    let inner = text.trim().strip_prefix('(').and_then(|t| t.strip_suffix(')'));
    let words: Vec<&str> = inner.map(|t| t.split_whitespace().collect()).unwrap_or_default();
    if words.is_empty() || words.iter().any(|w| w.contains(['(', ')', '"', '\'', '|', ';', '#'])) {
        return Err(format!("malformed library name {text:?}: expected a list such as \"(counter util)\""));
    }
    Ok(format!("({})", words.join(" ")))
}
