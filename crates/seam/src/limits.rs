//! Sandboxing and limits on [`Engine`]: [`Engine::sandboxed`], fuel, memory, depth,
//! deadlines and interrupts (see `docs/sandbox.md`). The VM enforces them at its check
//! points (`seam_vm::limits`); here they are set.

use std::time::{Duration, Instant};

pub use seam_vm::InterruptHandle;

use crate::engine::Engine;

impl Engine {
    /// An engine for untrusted scripts: the full language and standard library, but no
    /// capability at the top level — no files, no environment variables, no clock, no
    /// `exit`, no `eval`/`load` of new code, no C FFI — only computation, the standard
    /// ports and what the host registers (`define_fn`, packages it grants). Add limits
    /// ([`Engine::set_fuel`], [`Engine::set_memory_limit`], ...) to bound what it may use.
    ///
    /// ```
    /// let mut engine = seam::Engine::sandboxed();
    /// assert_eq!(engine.eval::<i64>("(apply + (map square '(1 2 3)))").unwrap(), 14);
    /// let e = engine.eval::<()>("(import (scheme file)) (delete-file \"/tmp/x\")").unwrap_err();
    /// assert!(e.to_string().contains("(scheme file) needs capability fs-read"), "{e}");
    /// ```
    pub fn sandboxed() -> Engine {
        let mut engine = Engine::new();
        engine.set_top_level_capabilities([]);
        engine
    }

    /// Every name top-level code can use without an `import`, sorted: the standard
    /// bindings the top level's capabilities allow (see [`Engine::sandboxed`]), the special
    /// forms, and what the host and the top level defined there.
    ///
    /// ```
    /// let names = seam::Engine::sandboxed().top_level_names();
    /// assert!(names.iter().any(|n| n == "car"));
    /// assert!(!names.iter().any(|n| n == "open-input-file" || n.starts_with('%')));
    /// ```
    pub fn top_level_names(&self) -> Vec<String> {
        self.vm_ref().expander.top_level_names().iter().map(|n| n.to_string()).collect()
    }

    /// Limits each evaluation to `fuel` units (`None`: unlimited, the default). A unit is one
    /// call or loop iteration (the VM's check points: every call, tail call and backward
    /// jump), so no loop escapes it. Running out ends the evaluation with an error of kind
    /// `fuel-exhausted`; the next evaluation starts with full fuel again.
    ///
    /// ```
    /// let mut engine = seam::Engine::new();
    /// engine.set_fuel(Some(10_000));
    /// let e = engine.eval::<()>("(let loop () (loop))").unwrap_err();
    /// assert_eq!(e.kind(), "fuel-exhausted");
    /// assert_eq!(engine.eval::<i64>("(+ 1 2)").unwrap(), 3);
    /// ```
    pub fn set_fuel(&mut self, fuel: Option<u64>) {
        self.vm_mut().set_fuel(fuel);
    }

    /// The fuel left of the current (or last) evaluation, if fuel is limited.
    pub fn remaining_fuel(&self) -> Option<u64> {
        self.vm_ref().remaining_fuel()
    }

    /// Limits the memory the engine's heap, value stack and frames may hold to about
    /// `bytes` (`None`: unlimited, the default), by the collector's accounting. An
    /// evaluation that needs more ends with an error of kind `memory-limit` (after a
    /// collection has tried to make room); a single allocation larger than the limit
    /// (`(make-vector 100000000)`) is refused before it happens with a `memory-limit`
    /// condition. Set it before loading large data: the limit counts everything live.
    pub fn set_memory_limit(&mut self, bytes: Option<usize>) {
        self.vm_mut().set_memory_limit(bytes);
    }

    /// Limits the continuation depth (nested non-tail calls) to about `frames` (`None`:
    /// limited only by memory, the default). Deeper recursion ends the evaluation with an
    /// error of kind `depth-limit`. Tail calls do not count.
    pub fn set_max_depth(&mut self, frames: Option<usize>) {
        self.vm_mut().set_max_depth(frames);
    }

    /// Stops evaluations still running at instant `at` with an error of kind `deadline`
    /// (`None`: no deadline, the default).
    pub fn set_deadline(&mut self, at: Option<Instant>) {
        self.vm_mut().set_deadline(at);
    }

    /// Gives each evaluation at most `limit` of wall-clock time (`None`: unlimited, the
    /// default); past it, it ends with an error of kind `deadline`. With
    /// [`Engine::set_deadline`] too, the nearer one applies. For `eval_async`, the time
    /// spent waiting for host futures counts.
    pub fn set_time_limit(&mut self, limit: Option<Duration>) {
        self.vm_mut().set_time_limit(limit);
    }

    /// A handle another thread can use to stop the running evaluation: it ends with an
    /// error of kind `interrupted` within about a thousand calls or loop iterations. A
    /// request made while nothing runs is dropped when the next evaluation starts.
    ///
    /// ```
    /// let mut engine = seam::Engine::new();
    /// let handle = engine.interrupt_handle();
    /// std::thread::spawn(move || {
    ///     std::thread::sleep(std::time::Duration::from_millis(50));
    ///     handle.interrupt();
    /// });
    /// let e = engine.eval::<()>("(let loop () (loop))").unwrap_err();
    /// assert_eq!(e.kind(), "interrupted");
    /// ```
    pub fn interrupt_handle(&self) -> InterruptHandle {
        self.vm_ref().interrupt_handle()
    }
}
