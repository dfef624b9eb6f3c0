//! Shared objects: `load-shared-object` (a real `dlopen`, through `libloading`) and looking
//! up symbols in them or in the process itself.

use std::ffi::c_void;
use std::sync::Arc;

use seam_vm::host_object::HostTypeInfo;
use seam_vm::{Object, Value, Vm};

/// A loaded shared object (or the running process), kept loaded while any foreign
/// procedure made from it lives.
pub struct SharedObject {
    pub name: Arc<str>,
    library: Library,
}

impl std::fmt::Debug for SharedObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SharedObject({})", self.name)
    }
}

enum Library {
    #[cfg(unix)]
    Unix(libloading::os::unix::Library),
    #[cfg(windows)]
    Windows(libloading::os::windows::Library),
}

impl SharedObject {
    /// Opens `name` (a file name as `dlopen` takes it), or the process itself for `None`.
    pub fn open(name: Option<&str>) -> Result<SharedObject, String> {
        let label: Arc<str> = Arc::from(name.unwrap_or("the running process"));
        #[cfg(unix)]
        let library = match name {
            // SAFETY: loading a library runs its initialisers: that is what the program asked
            // for by naming it, as with `dlopen` in C.
            Some(name) => unsafe { libloading::os::unix::Library::new(name) },
            None => Ok(libloading::os::unix::Library::this()),
        }
        .map(Library::Unix);
        #[cfg(windows)]
        let library = match name {
            // SAFETY: as above.
            Some(name) => unsafe { libloading::os::windows::Library::new(name) },
            None => libloading::os::windows::Library::this(),
        }
        .map(Library::Windows);
        match library {
            Ok(library) => Ok(SharedObject { name: label, library }),
            Err(e) => Err(format!("cannot load shared object {label}: {}", error_text(&e))),
        }
    }

    /// The address of symbol `symbol`.
    pub fn symbol(&self, symbol: &str) -> Result<usize, String> {
        if symbol.contains('\0') {
            return Err(format!("symbol name {symbol:?} contains a NUL character"));
        }
        // SAFETY: we take the symbol's address only; calling it is checked against the
        // declared signature by the program, as in C.
        let found = unsafe {
            match &self.library {
                #[cfg(unix)]
                Library::Unix(lib) => lib.get::<*mut c_void>(symbol.as_bytes()).map(|s| *s as usize),
                #[cfg(windows)]
                Library::Windows(lib) => lib.get::<*mut c_void>(symbol.as_bytes()).map(|s| *s as usize),
            }
        };
        match found {
            Ok(0) => Err(format!("symbol {symbol} in {} is NULL", self.name)),
            Ok(address) => Ok(address),
            Err(e) => Err(format!("cannot find symbol {symbol} in {}: {}", self.name, error_text(&e))),
        }
    }
}

/// The system's own text for a loading error (`dlerror`'s), without libloading's wrapper.
fn error_text(e: &libloading::Error) -> String {
    use std::error::Error;
    match e.source() {
        Some(source) => source.to_string(),
        None => e.to_string(),
    }
}

fn name() -> &'static str {
    "shared-object"
}

fn write(cell: &dyn std::any::Any, out: &mut String) {
    let Some(cell) = cell.downcast_ref::<std::cell::RefCell<Option<Arc<SharedObject>>>>() else { return };
    if let Some(Some(lib)) = cell.try_borrow().ok().as_deref() {
        out.push(' ');
        out.push_str(&lib.name);
    }
}

pub static SHARED_OBJECT_INFO: HostTypeInfo = HostTypeInfo { name, write };

/// The shared object `v` names: a shared-object value, or `#f` for the process.
pub fn get(vm: &mut Vm, v: Value) -> Option<Result<Arc<SharedObject>, String>> {
    match v {
        Value::Bool(false) => Some(crate::state(vm).process()),
        _ => {
            let Some(Object::HostObject(h)) = vm.heap.object(v) else { return None };
            let lib = h.cell::<Arc<SharedObject>>()?.try_borrow().ok()?.clone()?;
            Some(Ok(lib))
        }
    }
}
