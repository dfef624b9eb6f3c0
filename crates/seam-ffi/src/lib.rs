//! Seam's C foreign-function interface: the `(seam ffi)` library.
//!
//! Scheme code loads shared objects (`load-shared-object`, a real `dlopen`), declares C
//! functions by signature (`foreign-procedure`, in the style of Chez Scheme) and calls them
//! through `libffi` with the platform's calling convention; C calls Scheme back through
//! callbacks (`foreign-callable`, or a procedure passed for a `(callback ...)` argument);
//! foreign memory is allocated, read and written with checks (`foreign-alloc`,
//! `foreign-ref`, `foreign-set!`, `define-foreign-struct`).
//!
//! [`install`] adds the library to a VM. Loading C code can do anything the process can:
//! only engines the host trusts with that should have it.
//!
//! The crate's modules: `types` (C types and layout), `convert` (values across the border),
//! `pointer` (checked foreign pointers and owned memory), `library` (shared objects),
//! `call` (foreign procedures), `blocking` (calls on their own thread), `callback`
//! (Scheme procedures as C function pointers), `primitives` (the library's procedures).

mod blocking;
mod call;
mod callback;
mod convert;
mod library;
mod pointer;
mod primitives;
mod types;

use std::sync::Arc;

use seam_vm::Vm;

use crate::callback::Link;
use crate::library::SharedObject;
use crate::types::TypeRegistry;

/// The library's Scheme source: the syntax (`foreign-procedure`, `define-foreign-struct`,
/// ...) over the Rust procedures of `(seam ffi primitives)`.
const LIBRARY_SOURCE: &str = include_str!("../scheme/ffi.sld");

/// The name of the library of Rust procedures `(seam ffi)` is built on.
const PRIMITIVES: &str = "(seam ffi primitives)";

/// The FFI's state in one engine.
pub(crate) struct FfiState {
    pub types: TypeRegistry,
    pub link: Arc<Link>,
    process: Option<Arc<SharedObject>>,
}

impl FfiState {
    /// The running process as a shared object (symbols of the program and the libraries it
    /// was linked with).
    pub fn process(&mut self) -> Result<Arc<SharedObject>, String> {
        if let Some(process) = &self.process {
            return Ok(process.clone());
        }
        let process = Arc::new(SharedObject::open(None)?);
        self.process = Some(process.clone());
        Ok(process)
    }
}

impl Drop for FfiState {
    fn drop(&mut self) {
        // Threads waiting on callbacks get zero rather than waiting for a gone engine.
        self.link.close();
    }
}

/// The engine's FFI state (made on first use).
pub(crate) fn state(vm: &mut Vm) -> &mut FfiState {
    if vm.state.get::<FfiState>().is_none() {
        vm.state.set(FfiState { types: TypeRegistry::default(), link: Arc::default(), process: None });
    }
    match vm.state.get_mut::<FfiState>() {
        Some(state) => state,
        None => unreachable!("the FFI state was just set"),
    }
}

/// The engine's named C types.
pub(crate) fn registry(vm: &Vm) -> Result<&TypeRegistry, String> {
    vm.state
        .get::<FfiState>()
        .map(|s| &s.types)
        .ok_or_else(|| "the FFI is not installed in this engine".to_string())
}

/// Adds `(seam ffi)` (and the `(seam ffi primitives)` it is built on) to `vm`: after this,
/// `(import (seam ffi))` works in it.
pub fn install(vm: &mut Vm) {
    if vm.state.get::<FfiState>().is_some() {
        return;
    }
    state(vm);
    let exports = primitives::define_all(vm, PRIMITIVES);
    let exports: Vec<(&str, seam_expand::Global)> = exports.iter().map(|(n, g)| (*n, g.clone())).collect();
    vm.expander.define_native_library(PRIMITIVES, &exports);
    vm.expander.add_library_source("(seam ffi)", "<seam>/ffi.sld", LIBRARY_SOURCE);
}
