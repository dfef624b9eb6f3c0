//! Packages, native modules and capabilities on [`Engine`]: granting capabilities per
//! package, registering native modules (Rust closures or plugin shared libraries), loading
//! a package directory with its dependencies, and running its main program.
//!
//! The expander enforces the scoping (see `seam_expand::PackageSpec`); this module reads
//! manifests, decides what each package gets, and defines its native functions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use seam_expand::{Capabilities, Capability, Environment, Global, PackageSpec};

use crate::async_fn::IntoAsyncHostFn;
use crate::convert::FromValue;
use crate::engine::Engine;
use crate::error::Error;
use crate::host_fn::IntoHostFn;
use crate::manifest::{self, Manifest};

/// What the engine knows about packages: grants, registered native modules, search paths
/// and what is loaded.
#[derive(Default)]
pub(crate) struct Packages {
    grants: HashMap<String, Capabilities>,
    /// Native module name → its functions: (Scheme name, VM global holding it).
    modules: HashMap<String, Vec<(String, Global)>>,
    /// Native module name → the capabilities a package using it must have.
    module_needs: HashMap<String, Capabilities>,
    /// Directories holding package directories (`DIR/NAME/seam.toml`).
    paths: Vec<PathBuf>,
    /// Loaded packages: name → (directory, version).
    loaded: HashMap<String, (PathBuf, String)>,
    /// Packages being loaded, outermost first (to report dependency cycles).
    loading: Vec<String>,
}

/// A package loaded into an engine (what [`Engine::load_package`] returns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageInfo {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its description, if the manifest has one.
    pub description: Option<String>,
    /// Its directory (absolute).
    pub root: PathBuf,
    /// What it requires (all granted, or it would not have loaded).
    pub capabilities: Capabilities,
    /// Its main program.
    pub main: PathBuf,
}

/// A native module being defined ([`Engine::native_module`]): Rust functions that become
/// the library `(PKG native)` of each package whose manifest names the module, importable
/// only by that package's own code.
pub struct NativeModule<'a> {
    engine: &'a mut Engine,
    module: String,
    functions: Vec<(String, Global)>,
    needs: Capabilities,
}

impl NativeModule<'_> {
    /// Declares that the module reaches outside the process with `capability` (a module
    /// opening sockets needs `net`): a package using it must require and be granted it.
    pub fn requires(&mut self, capability: Capability) -> &mut Self {
        self.needs.insert(capability);
        self
    }

    /// Defines function `name` (dots are ordinary characters: `counter.next`) running `f`,
    /// with the conversions and errors of [`Engine::define_fn`].
    pub fn define_fn<Marker>(&mut self, name: &str, f: impl IntoHostFn<Marker>) -> &mut Self {
        let parts = f.into_host_fn(Arc::from(name));
        let vm = self.engine.vm_mut();
        let function = vm.host_function(name, parts.min, parts.max, parts.body);
        self.define(name, function)
    }

    /// Defines function `name` running async `f`, as [`Engine::define_async_fn`] does: the
    /// calling Scheme task waits for its future.
    pub fn define_async_fn<Marker>(&mut self, name: &str, f: impl IntoAsyncHostFn<Marker>) -> &mut Self {
        let (min, max, body) = f.into_async_host_fn(Arc::from(name));
        let vm = self.engine.vm_mut();
        let function = vm.async_host_function(name, min, max, body);
        self.define(name, function)
    }

    fn define(&mut self, name: &str, function: seam_vm::Value) -> &mut Self {
        let global = self.engine.vm_mut().expander.native_global(&self.module, name);
        self.engine.vm_mut().define_global(&global, function);
        self.functions.retain(|(n, _)| n != name);
        self.functions.push((name.to_string(), global));
        self
    }
}

impl Engine {
    /// Grants `capabilities` to package `package` (added to what it was granted before).
    /// A package loads only if it was granted every capability its manifest requires, and
    /// its code can use only those (see `docs/packages.md`). Grant before loading it.
    ///
    /// ```
    /// use seam::Capability;
    /// let mut engine = seam::Engine::new();
    /// engine.grant("counter", [Capability::Native]);
    /// assert!(engine.granted("counter").has(Capability::Native));
    /// assert!(!engine.granted("counter").has(Capability::FsRead));
    /// ```
    pub fn grant(&mut self, package: &str, capabilities: impl IntoIterator<Item = Capability>) {
        let entry = self.packages.grants.entry(package.to_string()).or_default();
        for c in capabilities {
            entry.insert(c);
        }
    }

    /// What package `package` was granted.
    pub fn granted(&self, package: &str) -> Capabilities {
        self.packages.grants.get(package).copied().unwrap_or_default()
    }

    /// Sets what code at the top level (scripts, the REPL, libraries outside packages) may
    /// use; every capability by default. Standard names needing another become errors at
    /// the top level ("open-input-file needs capability fs-read, which the top level was
    /// not granted"), as in a package.
    pub fn set_top_level_capabilities(&mut self, capabilities: impl IntoIterator<Item = Capability>) {
        let set: Capabilities = capabilities.into_iter().collect();
        self.vm_mut().expander.set_top_capabilities(set);
    }

    /// Registers native module `name`: `build` defines its functions. A package whose
    /// manifest lists the module (`[native] modules = ["counter"]`) and that was granted
    /// `native` imports them as `(PKG native)`; no other code can.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("seam-doc-native-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # std::fs::write(dir.join("seam.toml"), "[package]\nname = \"greeter\"\nversion = \"0.1.0\"\ncapabilities = [\"native\"]\n[native]\nmodules = [\"greet\"]\n").unwrap();
    /// # std::fs::write(dir.join("main.scm"), "(import (scheme base) (greeter native)) (greet.hello \"Ada\")").unwrap();
    /// let mut engine = seam::Engine::new();
    /// engine.native_module("greet", |m| {
    ///     m.define_fn("greet.hello", |name: String| format!("Hello, {name}!"));
    /// });
    /// engine.grant("greeter", [seam::Capability::Native]);
    /// let greeting: String = engine.run_package(&dir).unwrap();
    /// assert_eq!(greeting, "Hello, Ada!");
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn native_module(&mut self, name: &str, build: impl FnOnce(&mut NativeModule)) {
        let mut module = NativeModule {
            engine: self,
            module: name.to_string(),
            functions: Vec::new(),
            needs: Capabilities::NONE,
        };
        build(&mut module);
        let (functions, needs) = (module.functions, module.needs);
        self.packages.modules.insert(name.to_string(), functions);
        self.packages.module_needs.insert(name.to_string(), needs);
    }

    /// Registers native module `name` from a plugin shared library (see `docs/packages.md`:
    /// the versioned C ABI of crate `seam-plugin`). Fails if the file cannot be loaded, is
    /// not a Seam plugin, was built for another plugin ABI version, or fails to initialize.
    pub fn native_plugin(&mut self, name: &str, path: impl AsRef<Path>) -> Result<(), Error> {
        let functions = self.load_plugin(name, path.as_ref())?;
        self.packages.modules.insert(name.to_string(), functions);
        self.packages.module_needs.remove(name);
        Ok(())
    }

    fn load_plugin(&mut self, module: &str, path: &Path) -> Result<Vec<(String, Global)>, Error> {
        let plugin = crate::plugin::load(path).map_err(Error::package)?;
        let vm = self.vm_mut();
        let mut functions = Vec::new();
        for (name, procedure) in plugin.procedures(vm) {
            let global = vm.expander.native_global(module, &name);
            vm.define_global(&global, procedure);
            functions.push((name, global));
        }
        Ok(functions)
    }

    /// Adds a directory where packages are found: importing `(NAME ...)` when no loaded
    /// package provides it loads the package in `DIR/NAME` (its `seam.toml`).
    pub fn add_package_path(&mut self, dir: impl Into<PathBuf>) {
        self.packages.paths.push(dir.into());
    }

    /// Loads the package in directory `dir` and its dependencies: reads and checks the
    /// manifests, checks that each package was granted the capabilities it requires, and
    /// defines its native modules. Its libraries can then be imported (by the top level,
    /// and by packages that depend on it). Loading a package again does nothing.
    pub fn load_package(&mut self, dir: impl AsRef<Path>) -> Result<PackageInfo, Error> {
        self.load_package_expecting(dir.as_ref(), None)
    }

    /// Loads the package in `dir`, which must be package `expected` when that is given (a
    /// dependency, or a package found on the search path by the library name it should
    /// provide): a package's identity comes from where it was found, so a directory whose
    /// manifest claims another name is refused before it gets that name's grants.
    fn load_package_expecting(&mut self, dir: &Path, expected: Option<&str>) -> Result<PackageInfo, Error> {
        let root = dir
            .canonicalize()
            .map_err(|e| Error::package(format!("no package at {}: {e}", dir.display())))?;
        let mut text = String::new();
        let manifest = manifest::read(&root, &mut text);
        self.remember_source(&text, &root.join(manifest::MANIFEST).display().to_string());
        let manifest = manifest?;
        if let Some(expected) = expected.filter(|e| *e != manifest.name) {
            return Err(Error::package(format!(
                "{} holds package {}, not {expected}",
                root.display(),
                manifest.name
            )));
        }
        let info = PackageInfo {
            name: manifest.name.clone(),
            version: manifest.version.clone(),
            description: manifest.description.clone(),
            root: root.clone(),
            capabilities: manifest.capabilities,
            main: root.join(&manifest.main),
        };
        if let Some((loaded, _)) = self.packages.loaded.get(&manifest.name) {
            return match *loaded == root {
                true => Ok(info),
                false => Err(Error::package(format!(
                    "package {} is already loaded from {}; cannot load another from {}",
                    manifest.name,
                    loaded.display(),
                    root.display()
                ))),
            };
        }
        if let Some(start) = self.packages.loading.iter().position(|n| *n == manifest.name) {
            let mut cycle = self.packages.loading[start..].to_vec();
            cycle.push(manifest.name.clone());
            return Err(Error::package(format!("dependency cycle: {}", cycle.join(" -> "))));
        }
        self.packages.loading.push(manifest.name.clone());
        let result = self.load_manifest(&manifest, &root);
        self.packages.loading.pop();
        result?;
        self.packages.loaded.insert(manifest.name.clone(), (root, manifest.version.clone()));
        Ok(info)
    }

    fn load_manifest(&mut self, manifest: &Manifest, root: &Path) -> Result<(), Error> {
        let name = &manifest.name;
        for (dependency, dir, span) in &manifest.dependencies {
            self.load_package_expecting(dir, Some(dependency)).map_err(|e| match e {
                Error::Package { message, span: None } => Error::Package {
                    message: format!("dependencies.{dependency}: {message}"),
                    span: Some(span.clone()),
                },
                other => other,
            })?;
        }
        let granted = self.granted(name);
        if let Some(missing) = granted.missing(&manifest.capabilities.iter().collect::<Vec<_>>()) {
            return Err(Error::package(format!(
                "package {name} requires capability {missing}, which the host did not grant it \
                 (Engine::grant(\"{name}\", [Capability::{missing:?}]), or seam's --allow {name}={missing})"
            )));
        }
        let mut native = Vec::new();
        for (module, plugin) in &manifest.modules {
            let needs = self.packages.module_needs.get(module).copied().unwrap_or_default();
            if let Some(missing) = manifest.capabilities.missing(&needs.iter().collect::<Vec<_>>()) {
                return Err(Error::package(format!(
                    "package {name} uses native module {module}, which needs capability {missing}; \
                     add \"{missing}\" to package.capabilities in its seam.toml"
                )));
            }
            let functions = match (self.packages.modules.get(module), plugin) {
                (Some(functions), _) => functions.clone(),
                (None, Some(file)) => {
                    let functions = self.load_plugin(module, &root.join(file))?;
                    self.packages.modules.insert(module.clone(), functions.clone());
                    functions
                }
                (None, None) => {
                    return Err(Error::package(format!(
                        "package {name} needs native module {module}, which the host did not register \
                         (Engine::native_module or Engine::native_plugin) and its seam.toml names no plugin for \
                         ([native.plugins] {module} = \"path\")"
                    )))
                }
            };
            for (function, global) in functions {
                if native.iter().any(|(f, _)| *f == function) {
                    return Err(Error::package(format!(
                        "package {name}: two of its native modules define {function}"
                    )));
                }
                native.push((function, global));
            }
        }
        let spec = PackageSpec {
            name: name.clone(),
            root: root.to_path_buf(),
            capabilities: manifest.capabilities,
            dependencies: manifest.dependencies.iter().map(|(d, _, _)| d.clone()).collect(),
            libraries: manifest.libraries.clone(),
            native,
        };
        self.vm_mut().expander.add_package(spec).map_err(Error::package)?;
        if manifest.capabilities.has(Capability::Eval) {
            self.define_package_eval(name)?;
        }
        Ok(())
    }

    /// Defines package `name`'s own `environment`, `interaction-environment`, `load`, ...:
    /// environments its code makes import with its capabilities. They are built by
    /// system code and stored in the package's own namespace (which only the package's
    /// imports of those names reach).
    fn define_package_eval(&mut self, name: &str) -> Result<(), Error> {
        let source = format!(
            r#"(%eval-procedures (lambda (sets) (%package-environment "{name}" sets))
                                (lambda () (%package-interaction-environment "{name}")))"#,
            name = name.replace('\\', "\\\\").replace('"', "\\\""),
        );
        let mut made = None;
        self.run_source_in(&source, "<seam>/package-eval.scm", Environment::SYSTEM, &mut |vm, value| {
            if let Some(seam_vm::object::Object::Vector(items)) = vm.heap.object(value) {
                made = Some(items.iter().map(|w| w.get()).collect::<Vec<_>>());
            }
            Ok(())
        })?;
        let procedures = made
            .ok_or_else(|| Error::package(format!("package {name}: building its eval procedures failed")))?;
        let vm = self.vm_mut();
        for (scoped, procedure) in seam_expand::PACKAGE_SCOPED_NAMES.iter().zip(procedures) {
            let global = vm.expander.package_global(name, scoped);
            vm.define_global(&global, procedure);
        }
        Ok(())
    }

    /// Loads the package in `dir` (as [`Engine::load_package`]) and runs its main program
    /// (`main.scm`, or the manifest's `package.main`), returning its last value. The
    /// program starts empty, as an R7RS program: it imports what it uses, with the
    /// package's capabilities.
    pub fn run_package<T: FromValue>(&mut self, dir: impl AsRef<Path>) -> Result<T, Error> {
        let info = self.load_package(dir)?;
        let text = std::fs::read_to_string(&info.main)
            .map_err(|source| Error::Io { path: info.main.display().to_string(), source })?;
        let env = self
            .vm_mut()
            .expander
            .program_environment(&info.name)
            .ok_or_else(|| Error::package(format!("package {} is not loaded", info.name)))?;
        let file = info.main.display().to_string();
        let last = self.eval_rooted_in(&text, &file, env)?;
        self.convert_last(last)
    }

    /// After an expansion failed because library `key` was not found: loads the package
    /// that provides it from the package search path, if there is one. `Ok(true)`: try
    /// again.
    pub(crate) fn load_package_for(&mut self, key: &str) -> Result<bool, Error> {
        let Some(first) = key.trim_start_matches('(').split([' ', ')']).next() else { return Ok(false) };
        if self.packages.loaded.contains_key(first) {
            return Ok(false);
        }
        let found =
            self.packages.paths.iter().map(|p| p.join(first)).find(|d| d.join(manifest::MANIFEST).is_file());
        match found {
            Some(dir) => self.load_package_expecting(&dir, Some(first)).map(|_| true),
            None => Ok(false),
        }
    }
}
