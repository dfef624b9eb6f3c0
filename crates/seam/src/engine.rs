//! `Engine`: one Scheme world (heap, globals, macros) and the entry points to run code in it.

use std::collections::HashMap;
use std::sync::Arc;

use seam_compile::{compile, disassemble, Proto};
use seam_expand::Environment;
use seam_syntax::{Datum, DatumKind, Reader};
use seam_vm::printer::{to_string_checked, Mode};
use seam_vm::{Value, Vm};

use crate::error::{render, Error};

/// The Scheme half of the standard library, compiled into every engine.
const BASE_LIBRARY: &str = include_str!("../../../lib/base.scm");

/// A Scheme engine: owns its heap, globals and macros. `Engine` is `Send`, so it can move
/// between threads (one thread at a time).
pub struct Engine {
    /// The VM, which also owns the expander (macros, libraries, environments).
    vm: Vm,
    /// Source text by file name, for showing the offending line in error reports.
    sources: HashMap<Arc<str>, Arc<str>>,
    /// Host futures that parked Scheme tasks wait for (driven by `eval_async`).
    pub(crate) waiting: Vec<(seam_vm::tasks::TaskId, seam_vm::suspend::HostFuture)>,
    /// Grants, native modules and loaded packages.
    pub(crate) packages: crate::package::Packages,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the full standard library.
    pub fn new() -> Engine {
        let mut engine = Engine {
            vm: Vm::new(),
            sources: HashMap::new(),
            waiting: Vec::new(),
            packages: Default::default(),
        };
        engine.vm.loading_system = true;
        let base =
            engine.run_source_in(BASE_LIBRARY, "<seam>/base.scm", Environment::SYSTEM, &mut |_, _| Ok(()));
        if let Err(e) = base {
            // The library is part of the binary; failing to load it is a bug in Seam.
            panic!("Seam's base library failed to load: {e}");
        }
        engine.vm.loading_system = false;
        #[cfg(feature = "tokio")]
        crate::tokio::install(&mut engine);
        engine
    }

    /// Gives this engine the C FFI: after this, Scheme code can `(import (seam ffi))`, load
    /// shared objects and call C functions (see `docs/ffi.md`). Calling it again does
    /// nothing.
    ///
    /// # Safety
    /// Code with the FFI can do anything the process can: call any C function with any
    /// arguments, read and write any memory. Seam checks what it can (types, integer ranges,
    /// null pointers, the bounds of memory it allocated), but a wrong signature or a bad
    /// pointer is undefined behaviour, as in C. Enable it only for code you trust as much as
    /// your own (as mlua does for LuaJIT's `ffi` with `Lua::unsafe_new_with`).
    #[cfg(feature = "ffi")]
    pub unsafe fn enable_ffi(&mut self) {
        seam_ffi::install(&mut self.vm);
        for library in ["(seam ffi)", "(seam ffi primitives)"] {
            self.vm.expander.require_capability(library, seam_expand::Capability::Ffi);
        }
    }

    /// Evaluates every form of `source` in order and returns the last value, as `write`
    /// would show it (empty for unspecified values).
    ///
    /// Printing is part of the evaluation and bounded like `write`: a value whose printed
    /// form would be longer than one allocation may be (the memory limit, or 1 GiB without
    /// one) is an error of kind `memory-limit` (`range` without a memory limit) instead of
    /// a text that could exhaust the process's memory (a small value with shared structure
    /// prints exponentially long), and printing stops with kind `deadline` or `interrupted`
    /// when the evaluation's deadline passes or it is interrupted meanwhile. It is an error,
    /// not a cut text, so that a result is never mistaken for the value's written form.
    pub fn eval_to_string(&mut self, source: &str) -> Result<String, Error> {
        self.eval_named(source, "<eval>")
    }

    /// Like [`Engine::eval_to_string`], naming the source `file` in errors.
    pub fn eval_named(&mut self, source: &str, file: &str) -> Result<String, Error> {
        // Only the last value is printed; it stays rooted while later forms run.
        match self.eval_rooted_in(source, file, Environment::INTERACTION)? {
            None => Ok(String::new()),
            Some(value) => {
                let vm = &mut self.vm;
                let raw = value.get(vm).map_err(|e| Error::conversion("result", e))?.0;
                print_result(vm, raw)
            }
        }
    }

    /// Runs each form of `source`, handing every form's value to `each` (the REPL prints
    /// them). Values are printed as by [`Engine::eval_to_string`], under the same bounds: a
    /// value too long to print ends the evaluation with that error.
    pub fn eval_each(&mut self, source: &str, file: &str, each: &mut dyn FnMut(String)) -> Result<(), Error> {
        self.run_source(source, file, &mut |vm, v| {
            if !matches!(v, Value::Unspecified) {
                each(print_result(vm, v)?)
            }
            Ok(())
        })
    }

    /// Runs a file as `seam FILE` does. A file whose first form is an `import` is an R7RS
    /// program: it runs in an environment of its own that holds only what it imports (with
    /// the top level's capabilities), so its definitions stay its own. Any other file is a
    /// script and runs in the interaction environment, like [`Engine::load_file`].
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("seam-run-file-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// let program = dir.join("program.scm");
    /// std::fs::write(&program, "(import (scheme write)) (display (car '(1 2)))").unwrap();
    /// let mut engine = seam::Engine::new();
    /// let e = engine.run_file(&program).unwrap_err();
    /// assert!(e.to_string().contains("unbound variable: car"), "{e}");
    /// ```
    pub fn run_file(&mut self, path: impl AsRef<std::path::Path>) -> Result<(), Error> {
        let (name, text) = read_source_file(path.as_ref())?;
        let program = matches!(
            Reader::new(&text, &name).next_datum(),
            Ok(Some(Datum { kind: DatumKind::List(ref items, None), .. }))
                if matches!(items.first().map(|d| &d.kind), Some(DatumKind::Symbol(s)) if s == "import")
        );
        let env = match program {
            true => self.vm.expander.top_level_program_environment(),
            false => Environment::INTERACTION,
        };
        self.run_source_in(&text, &name, env, &mut |_, _| Ok(()))
    }

    /// Loads and runs a file in the interaction environment (as `load` does).
    pub fn load_file(&mut self, path: impl AsRef<std::path::Path>) -> Result<(), Error> {
        let (name, text) = read_source_file(path.as_ref())?;
        self.run_source(&text, &name, &mut |_, _| Ok(()))
    }

    /// The disassembly of every top-level form of `source` (each form is also run, since
    /// later forms may use macros it defines).
    pub fn disassemble(&mut self, source: &str, file: &str) -> Result<String, Error> {
        let mut out = String::new();
        self.remember(source, file);
        self.begin_evaluation();
        let mut reader = Reader::new(source, file);
        while let Some(datum) = reader.next_datum()? {
            let expr = self.expand(&datum, Environment::INTERACTION)?;
            let proto = compile(&expr, &mut self.vm)?;
            let vm = &self.vm;
            out.push_str(&disassemble(&proto, &|slot| vm.global_name(slot)));
            out.push('\n');
            self.run_proto(&proto)?;
        }
        Ok(out)
    }

    /// Adds a directory where `import` finds libraries: `(foo bar)` is `DIR/foo/bar.sld`
    /// (or `DIR/foo/bar.scm`). Directories are searched in the order they were added.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("seam-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(dir.join("util")).unwrap();
    /// std::fs::write(
    ///     dir.join("util/math.sld"),
    ///     "(define-library (util math) (export double) (import (scheme base)) (begin (define (double x) (* 2 x))))",
    /// )
    /// .unwrap();
    /// let mut engine = seam::Engine::new();
    /// engine.add_library_path(&dir);
    /// assert_eq!(engine.eval_to_string("(import (util math)) (double 21)").unwrap(), "42");
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn add_library_path(&mut self, dir: impl Into<std::path::PathBuf>) {
        self.vm.expander.add_library_path(dir);
    }

    /// A full report of `error`: message, source line with a caret, and backtrace.
    pub fn render_error(&self, error: &Error) -> String {
        render(error, &|file, line| {
            let text = self.sources.get(file)?;
            text.lines().nth(line.checked_sub(1)? as usize).map(str::to_string)
        })
    }

    /// Sets what `(command-line)` returns: the program name and its arguments.
    pub fn set_command_line(&mut self, args: &[String]) {
        let items: Vec<Value> = args.iter().map(|a| self.vm.heap.string(a)).collect();
        let list = self.vm.heap.list(&items);
        self.vm.define_global(&seam_expand::Global::system("%command-line"), list);
    }

    /// Makes the collector run at every check point (slow; finds missing GC roots in tests).
    pub fn set_gc_stress(&mut self, on: bool) {
        self.vm.heap.set_stress(on);
    }

    /// Runs a full collection and returns the bytes still live.
    pub fn collect_garbage(&mut self) -> usize {
        self.vm.collect_garbage(&[]);
        self.vm.heap.live_bytes()
    }

    pub(crate) fn vm_mut(&mut self) -> &mut Vm {
        &mut self.vm
    }

    pub(crate) fn vm_ref(&self) -> &Vm {
        &self.vm
    }

    /// Runs `source` and returns the last form's value, rooted (`None` if it has no forms).
    pub(crate) fn eval_rooted(&mut self, source: &str, file: &str) -> Result<Option<crate::Value>, Error> {
        self.eval_rooted_in(source, file, Environment::INTERACTION)
    }

    /// [`Engine::eval_rooted`] in environment `env`.
    pub(crate) fn eval_rooted_in(
        &mut self,
        source: &str,
        file: &str,
        env: Environment,
    ) -> Result<Option<crate::Value>, Error> {
        let mut last = None;
        self.run_source_in(source, file, env, &mut |vm, v| {
            last = Some(crate::Value::root(vm, crate::convert::ValueRef(v)));
            Ok(())
        })?;
        Ok(last)
    }

    fn remember(&mut self, source: &str, file: &str) {
        self.sources.insert(Arc::from(file), Arc::from(source));
    }

    /// Keeps the text of files `include`, `import` and `load` read, for error reports.
    fn remember_files_read(&mut self) {
        for (file, text) in self.vm.expander.take_files_read() {
            self.sources.insert(file, text);
        }
    }

    fn run_source(
        &mut self,
        source: &str,
        file: &str,
        each: &mut dyn FnMut(&mut Vm, Value) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.run_source_in(source, file, Environment::INTERACTION, each)
    }

    /// Runs each form of `source` in environment `env`.
    pub(crate) fn run_source_in(
        &mut self,
        source: &str,
        file: &str,
        env: Environment,
        each: &mut dyn FnMut(&mut Vm, Value) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.remember(source, file);
        self.begin_evaluation();
        let mut reader = Reader::new(source, file);
        while let Some(datum) = reader.next_datum()? {
            let expanded = self.expand(&datum, env)?;
            let proto = compile(&expanded, &mut self.vm)?;
            let value = self.run_proto(&proto)?;
            each(&mut self.vm, value)?;
        }
        Ok(())
    }

    fn run_proto(&mut self, proto: &Proto) -> Result<Value, Error> {
        let thunk = self.load_proto(proto)?;
        let result = self.vm.call(thunk, &[]);
        self.remember_files_read();
        if result.is_err() {
            self.after_failed_run();
        }
        Ok(result?)
    }

    /// Starts an evaluation from the host (every entry that runs code calls this first): a
    /// run an evaluation cancelled while it waited for a host future left behind is
    /// dropped, and the limits start afresh (fuel, deadline; see `limits.rs`).
    pub(crate) fn begin_evaluation(&mut self) {
        if self.vm.is_suspended() {
            self.vm.abandon_suspended();
            self.after_failed_run();
        }
        self.vm.begin_evaluation();
    }

    fn load_proto(&mut self, proto: &Proto) -> Result<Value, Error> {
        self.vm.load(proto).map_err(|e| {
            Error::Compile(seam_compile::CompileError { span: proto.span.clone(), message: e.to_string() })
        })
    }

    /// Expands and compiles one top-level form into a thunk (for the async driver).
    pub(crate) fn compile_form(&mut self, datum: &seam_syntax::Datum) -> Result<Value, Error> {
        let expanded = self.expand(datum, Environment::INTERACTION)?;
        let proto = compile(&expanded, &mut self.vm)?;
        self.load_proto(&proto)
    }

    /// Expands one top-level form in `env`. If it imports a library that a package on the
    /// package search path provides, the package is loaded and the form expanded again.
    fn expand(&mut self, datum: &seam_syntax::Datum, env: Environment) -> Result<seam_expand::Expr, Error> {
        loop {
            let expanded = self.vm.expander.expand_toplevel_in(datum, env);
            self.remember_files_read();
            match expanded {
                Ok(expr) => return Ok(expr),
                Err(e) => match self.vm.expander.take_missing_library() {
                    Some(key) if self.load_package_for(&key)? => continue,
                    _ => return Err(e.into()),
                },
            }
        }
    }

    /// Keeps `source` for error reports about `file`.
    pub(crate) fn remember_source(&mut self, source: &str, file: &str) {
        self.remember(source, file);
    }

    /// After a run ended with an error or was cancelled: libraries it defined are forgotten
    /// and the handler and wind stacks are reset, so the next evaluation starts clean.
    pub(crate) fn after_failed_run(&mut self) {
        self.vm.expander.forget_new_libraries();
        self.reset_dynamic_state();
    }

    /// After an uncaught error, the handler and wind stacks of the failed evaluation are
    /// dropped so the next evaluation starts clean.
    fn reset_dynamic_state(&mut self) {
        self.vm.reset_dynamic_state();
    }
}

/// The name (for spans) and text of source file `path`.
fn read_source_file(path: &std::path::Path) -> Result<(String, String), Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: name.clone(), source })?;
    Ok((name, text))
}

/// `v` as `write` shows it, for the host: bounded by the allocation cap (the memory limit)
/// and stopped by the evaluation's deadline or an interrupt, like `write` (see
/// [`Engine::eval_to_string`]).
fn print_result(vm: &Vm, v: Value) -> Result<String, Error> {
    to_string_checked(&vm.heap, v, Mode::Write, "printing the result").map_err(|c| {
        Error::Runtime(seam_vm::SchemeError {
            kind: Arc::from(c.kind),
            message: c.message,
            location: None,
            backtrace: Vec::new(),
            exit_code: None,
            source: None,
        })
    })
}
