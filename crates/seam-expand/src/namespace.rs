//! The namespaces of globals (see [`Namespace`]): which exist, what each is called in
//! messages, and the key each was made for, so a library redefined at the REPL or a
//! package's module registered twice gets its namespace back. Keys are typed values the
//! expander and the host build; no identifier a script writes becomes one.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::core::{Global, Namespace};
use crate::Expander;

/// What a namespace holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NamespaceKey {
    /// Builtins, `lib/base.scm` and the standard libraries' internals.
    System,
    /// The interaction environment.
    Top,
    /// The definitions of library `(name ...)` (its canonical text).
    Library(String),
    /// A package's main program.
    Program(String),
    /// A program the top level runs (`seam FILE`, `Engine::run_file`), numbered.
    TopProgram(u64),
    /// Package `NAME`'s own versions of the procedures that make environments.
    Package(String),
    /// The functions of native module `NAME` (Rust or a plugin).
    Native(String),
    /// An environment made by `environment` (or a package's interaction environment).
    Environment(u64),
}

impl NamespaceKey {
    fn describe(&self) -> String {
        match self {
            NamespaceKey::System => "the standard libraries".to_string(),
            NamespaceKey::Top => "the top level".to_string(),
            NamespaceKey::Library(name) => name.clone(),
            NamespaceKey::Program(package) => format!("the program of package {package}"),
            NamespaceKey::TopProgram(n) => format!("program #{n}"),
            NamespaceKey::Package(package) => format!("package {package}"),
            NamespaceKey::Native(module) => format!("native module {module}"),
            NamespaceKey::Environment(n) => format!("environment #{n}"),
        }
    }
}

/// Every namespace of one expander.
pub(crate) struct Namespaces {
    descriptions: Vec<Arc<str>>,
    by_key: HashMap<NamespaceKey, Namespace>,
}

impl Namespaces {
    pub fn new() -> Namespaces {
        let mut namespaces = Namespaces { descriptions: Vec::new(), by_key: HashMap::default() };
        let system = namespaces.get_or_make(NamespaceKey::System);
        let top = namespaces.get_or_make(NamespaceKey::Top);
        debug_assert_eq!((system, top), (Namespace::SYSTEM, Namespace::TOP));
        namespaces
    }

    pub fn get_or_make(&mut self, key: NamespaceKey) -> Namespace {
        if let Some(&namespace) = self.by_key.get(&key) {
            return namespace;
        }
        let namespace = Namespace(self.descriptions.len() as u32);
        self.descriptions.push(Arc::from(key.describe()));
        self.by_key.insert(key, namespace);
        namespace
    }
}

impl Expander {
    /// The namespace made for `key` (made now if it is new).
    pub fn namespace(&mut self, key: NamespaceKey) -> Namespace {
        self.namespaces.get_or_make(key)
    }

    /// What namespace `namespace` holds, for messages (`(util math)`, `the top level`).
    pub fn describe_namespace(&self, namespace: Namespace) -> Arc<str> {
        self.namespaces.descriptions.get(namespace.0 as usize).cloned().unwrap_or_else(|| Arc::from("?"))
    }

    /// The global a host-defined procedure `name` of library `library` (written as in
    /// `import`, e.g. `"(seam ffi primitives)"`) lives in: the library's own namespace,
    /// which only the library's code and its importers reach.
    pub fn library_global(&mut self, library: &str, name: &str) -> Global {
        let key = crate::packages::normalize_library_name(library).unwrap_or_else(|_| library.to_string());
        Global::new(self.namespace(NamespaceKey::Library(key)), name)
    }

    /// Binds `name` at the top level to the top level's own global of that name (shadowing
    /// a standard name it imported, as a top-level `define` does) and returns the global:
    /// for values the host defines there.
    pub fn bind_top_level(&mut self, name: &str) -> Global {
        let global = Global::top(name);
        let id = crate::syntax::Ident::Sym(Arc::from(name));
        self.frames[crate::env::TOP].bindings_mut().insert(id, crate::env::Binding::Global(global.clone()));
        global
    }

    /// The global `name` means at the top level, if it means a variable: the top level's own
    /// or an imported one.
    pub fn top_level_global(&self, name: &str) -> Option<Global> {
        match self.top_binding(crate::env::TOP, name) {
            Some(crate::env::Binding::Global(global)) => Some(global),
            Some(_) => None,
            None => Some(Global::top(name)),
        }
    }

    /// Every name the interaction environment binds to something usable (a variable, a
    /// special form or a macro; not the denied names), sorted: what top-level code can
    /// reach without an `import`.
    pub fn top_level_names(&self) -> Vec<Arc<str>> {
        let mut names: Vec<Arc<str>> = self.frames[crate::env::TOP]
            .bindings()
            .iter()
            .filter(|(_, b)| !matches!(b, crate::env::Binding::Denied(_)))
            .filter_map(|(id, _)| match id {
                crate::syntax::Ident::Sym(name) => Some(name.clone()),
                crate::syntax::Ident::Alias(_) => None,
            })
            .collect();
        names.sort();
        names
    }

    /// The global holding function `name` of native module `module`.
    pub fn native_global(&mut self, module: &str, name: &str) -> Global {
        Global::new(self.namespace(NamespaceKey::Native(module.to_string())), name)
    }

    /// The global holding package `package`'s own version of a package-scoped standard
    /// name (see [`crate::PACKAGE_SCOPED_NAMES`]): the host defines it.
    pub fn package_global(&mut self, package: &str, name: &str) -> Global {
        Global::new(self.namespace(NamespaceKey::Package(package.to_string())), name)
    }
}
