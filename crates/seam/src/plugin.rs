//! Plugins: shared libraries speaking the versioned C ABI of crate `seam-plugin`
//! (`crates/seam-plugin/include/seam_plugin.h`), loaded at run time as native modules.
//!
//! Loading checks the ABI version before calling anything else, then lets the plugin
//! define its functions and object types through [`HOST_API`]. Each function becomes a
//! host function; each object the plugin returns becomes a host object that frees it
//! (with the plugin's function) when the collector drops it. The library stays loaded as
//! long as any of its functions or objects lives.

use std::any::Any;
use std::ffi::{c_char, c_void};
use std::path::Path;
use std::sync::Arc;

use libloading::Library;
use seam_plugin::abi::{
    self, SeamBytes, SeamCall, SeamFn, SeamFree, SeamHostApi, SeamModule, SeamPayload, SeamValue,
};
use seam_plugin::ABI_VERSION;
use seam_vm::host::{HostArgs, HostFailure};
use seam_vm::host_object::HostTypeInfo;
use seam_vm::{Object, Value, Vm};

/// A loaded plugin, its functions not yet made into Scheme procedures.
pub(crate) struct PluginModule {
    functions: Vec<PluginFunction>,
}

/// The library and what its module defined; shared by its functions and objects.
struct Plugin {
    types: Vec<ObjectType>,
    /// Declared last: dropped (unloaded) after everything above.
    _library: Library,
}

struct ObjectType {
    name: String,
    free: Option<SeamFree>,
}

struct PluginFunction {
    name: String,
    min: u16,
    max: u16,
    fun: SeamFn,
    data: Arc<FunctionData>,
}

/// A function's data, freed with the plugin's function when the last copy of the
/// procedure is dropped.
struct FunctionData {
    data: *mut c_void,
    free: Option<SeamFree>,
    /// Keeps the library loaded; also what `call` checks objects against.
    plugin: Arc<Plugin>,
}

// SAFETY: the plugin ABI requires a function's data to be usable from any thread (the
// header: "must not be tied to one thread"); the engine calls a function from one thread
// at a time, since the engine itself is only `Send`.
unsafe impl Send for FunctionData {}
// SAFETY: as above: the data is only passed to the plugin's own function, which the ABI
// allows to run on any thread; Seam never calls it from two threads at once.
unsafe impl Sync for FunctionData {}

impl Drop for FunctionData {
    fn drop(&mut self) {
        if let Some(free) = self.free {
            // SAFETY: `data` is what the plugin gave `define_fn` with this `free`; it is
            // freed once, here, while the library is still loaded (`plugin`).
            unsafe { free(self.data) }
        }
    }
}

/// An object a plugin returned, inside a host object.
struct PluginObject {
    ptr: *mut c_void,
    type_id: u32,
    plugin: Arc<Plugin>,
}

// SAFETY: the plugin ABI requires objects to be usable from any thread; the host object
// holding this moves with its engine and is used by one thread at a time.
unsafe impl Send for PluginObject {}

impl Drop for PluginObject {
    fn drop(&mut self) {
        if let Some(free) = self.plugin.types[self.type_id as usize].free {
            // SAFETY: `ptr` is an object of this type that the plugin returned; it is freed
            // once, here, while the library is loaded (`plugin`).
            unsafe { free(self.ptr) }
        }
    }
}

static PLUGIN_OBJECT: HostTypeInfo = HostTypeInfo { name: || "plugin-object", write: write_object };

/// `#<plugin-object counter>`.
fn write_object(cell: &dyn Any, out: &mut String) {
    let Some(cell) = cell.downcast_ref::<std::cell::RefCell<Option<PluginObject>>>() else { return };
    if let Ok(object) = cell.try_borrow() {
        if let Some(o) = &*object {
            out.push(' ');
            out.push_str(&o.plugin.types[o.type_id as usize].name);
        }
    }
}

/// Loads the plugin in `path` and runs its initialisation.
pub(crate) fn load(path: &Path) -> Result<PluginModule, String> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(format!("cannot load plugin {shown}: no such file"));
    }
    // SAFETY: loading a library runs its initialisers. Plugins are trusted native code: the
    // host chose to load this one (a package gets one only if granted `native`).
    let library = unsafe { Library::new(path) }.map_err(|e| format!("cannot load plugin {shown}: {e}"))?;
    let symbol = |name: &[u8]| {
        let missing =
            format!("{shown} is not a Seam plugin: it does not export {}", String::from_utf8_lossy(name));
        move |_| missing
    };
    // SAFETY: a Seam plugin exports these two functions with these C signatures (the
    // header); a library that is not one fails above or has no such symbols.
    let (version, init) = unsafe {
        let version = *library
            .get::<unsafe extern "C" fn() -> u32>(abi::ABI_VERSION_SYMBOL)
            .map_err(symbol(abi::ABI_VERSION_SYMBOL))?;
        let init = *library
            .get::<unsafe extern "C" fn(*const SeamHostApi, *mut SeamModule) -> i32>(abi::INIT_SYMBOL)
            .map_err(symbol(abi::INIT_SYMBOL))?;
        (version, init)
    };
    // SAFETY: the version function takes nothing and only returns a number.
    let found = unsafe { version() };
    if found != ABI_VERSION {
        return Err(format!(
            "plugin {shown} was built for Seam plugin ABI {found}; this Seam supports ABI {ABI_VERSION}"
        ));
    }
    let mut builder = Builder::default();
    // SAFETY: the ABI versions agree, so `init` expects this table and a module pointer it
    // passes back to the table's functions, which cast it to `Builder` again.
    let status = unsafe { init(&HOST_API, (&mut builder as *mut Builder).cast()) };
    let plugin = Arc::new(Plugin { types: builder.types, _library: library });
    // Made before checking the status, so a failed initialisation frees what it defined.
    let functions: Vec<PluginFunction> = builder
        .functions
        .into_iter()
        .map(|d| PluginFunction {
            name: d.name,
            min: d.min,
            max: d.max,
            fun: d.fun,
            data: Arc::new(FunctionData { data: d.data, free: d.free, plugin: plugin.clone() }),
        })
        .collect();
    match (status, builder.error) {
        (0, None) => Ok(PluginModule { functions }),
        (_, Some(error)) => Err(format!("plugin {shown} failed to initialise: {error}")),
        (status, None) => {
            Err(format!("plugin {shown} failed to initialise (seam_module_init returned {status})"))
        }
    }
}

impl PluginModule {
    /// The module's functions as Scheme procedures, by name.
    pub(crate) fn procedures(self, vm: &mut Vm) -> Vec<(String, Value)> {
        self.functions
            .into_iter()
            .map(|f| {
                let (name, fun, data) = (Arc::<str>::from(f.name.as_str()), f.fun, f.data);
                let body = move |vm: &mut Vm, args: HostArgs| call(vm, args, &name, fun, &data);
                let procedure = vm.host_function(&f.name, f.min, f.max, Box::new(body));
                (f.name, procedure)
            })
            .collect()
    }
}

/// Calls plugin function `fun` with the arguments of a Scheme call.
fn call(
    vm: &mut Vm,
    args: HostArgs,
    name: &str,
    fun: SeamFn,
    data: &FunctionData,
) -> Result<Value, HostFailure> {
    let plugin = &data.plugin;
    // Strings and bytevectors are copied out of the heap first; their buffers do not move
    // while `raw` points into them.
    let mut buffers: Vec<Vec<u8>> = Vec::new();
    let mut raw = Vec::with_capacity(args.len());
    for i in 0..args.len() {
        let v = args.get(vm, i).unwrap_or(Value::Unspecified);
        let (tag, type_, payload) = match v {
            Value::Bool(b) => (abi::SEAM_BOOL, 0, SeamPayload { boolean: b as i32 }),
            Value::Fixnum(n) => (abi::SEAM_INT, 0, SeamPayload { integer: n }),
            Value::Flonum(f) => (abi::SEAM_FLOAT, 0, SeamPayload { real: f }),
            _ => match vm.heap.object(v) {
                Some(Object::String(s)) => {
                    buffers.push(s.iter().collect::<String>().into_bytes());
                    (abi::SEAM_STRING, 0, bytes_payload(buffers.last()))
                }
                Some(Object::Bytevector(b)) => {
                    buffers.push(b.clone());
                    (abi::SEAM_BYTES, 0, bytes_payload(buffers.last()))
                }
                // An integer wider than a register's 51-bit fixnum that still fits i64.
                Some(Object::Bignum(b)) if i64::try_from(b).is_ok() => {
                    let n = i64::try_from(b).unwrap_or_default();
                    (abi::SEAM_INT, 0, SeamPayload { integer: n })
                }
                Some(Object::HostObject(h)) => {
                    match h.cell::<PluginObject>().and_then(|c| c.try_borrow().ok()) {
                        Some(o) => match &*o {
                            Some(o) if Arc::ptr_eq(&o.plugin, plugin) => {
                                (abi::SEAM_OBJECT, o.type_id, SeamPayload { object: o.ptr })
                            }
                            _ => other(),
                        },
                        None => other(),
                    }
                }
                _ => other(),
            },
        };
        raw.push(SeamValue { tag, type_, as_: payload });
    }
    let mut state = CallState { plugin, result: Pending::Void, error: None };
    // SAFETY: `fun` and `data` are what the plugin defined; the arguments are valid for the
    // call (the strings' buffers and the objects, rooted on the VM stack, outlive it); the
    // plugin reaches `state` only through `HOST_API`, during the call.
    unsafe { fun(data.data, &HOST_API, (&mut state as *mut CallState).cast(), raw.as_ptr(), raw.len()) };
    drop(buffers);
    let result = std::mem::replace(&mut state.result, Pending::Void);
    if let Some(message) = state.error.take() {
        drop(result);
        return Err(HostFailure::new("host", format!("{name}: {message}")));
    }
    Ok(match result {
        Pending::Void => Value::Unspecified,
        Pending::Bool(b) => Value::Bool(b),
        Pending::Int(n) => Value::Fixnum(n),
        Pending::Float(f) => Value::Flonum(f),
        Pending::Str(s) => vm.heap.string(&s),
        Pending::Bytes(b) => vm.heap.alloc(Object::Bytevector(b)),
        Pending::Object(o) => vm.host_object(o, &PLUGIN_OBJECT),
    })
}

fn other() -> (u32, u32, SeamPayload) {
    (abi::SEAM_OTHER, 0, SeamPayload { integer: 0 })
}

fn bytes_payload(buffer: Option<&Vec<u8>>) -> SeamPayload {
    let b = buffer.map_or(&[][..], Vec::as_slice);
    SeamPayload { bytes: SeamBytes { ptr: b.as_ptr(), len: b.len() } }
}

/// What `seam_module_init` defines (the `SeamModule` the plugin sees).
#[derive(Default)]
struct Builder {
    functions: Vec<FunctionDef>,
    types: Vec<ObjectType>,
    error: Option<String>,
}

struct FunctionDef {
    name: String,
    min: u16,
    max: u16,
    fun: SeamFn,
    data: *mut c_void,
    free: Option<SeamFree>,
}

/// A call in progress (the `SeamCall` the plugin sees).
struct CallState<'a> {
    plugin: &'a Arc<Plugin>,
    result: Pending,
    error: Option<String>,
}

enum Pending {
    Void,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Object(PluginObject),
}

/// The functions a plugin calls, version [`ABI_VERSION`].
static HOST_API: SeamHostApi = SeamHostApi {
    abi_version: ABI_VERSION,
    size: std::mem::size_of::<SeamHostApi>() as u32,
    define_fn,
    define_type,
    init_error,
    ret_bool,
    ret_int,
    ret_float,
    ret_string,
    ret_bytes,
    ret_object,
    raise,
};

/// The bytes `ptr..ptr+len` a plugin passed (empty for a null pointer).
///
/// # Safety
/// `ptr` must be valid for `len` bytes, or null.
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: the caller's promise.
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

/// The text a plugin passed: UTF-8, or an error saying what.
///
/// # Safety
/// As [`bytes`].
unsafe fn text(ptr: *const c_char, len: usize, what: &str) -> Result<String, String> {
    // SAFETY: the caller's promise.
    let b = unsafe { bytes(ptr.cast(), len) };
    String::from_utf8(b.to_vec()).map_err(|_| format!("the plugin gave {what} that is not UTF-8"))
}

/// # Safety
/// `module` must be the `Builder` `load` passed to `seam_module_init`, still running.
unsafe fn builder<'a>(module: *mut SeamModule) -> &'a mut Builder {
    // SAFETY: the caller's promise.
    unsafe { &mut *module.cast::<Builder>() }
}

/// # Safety
/// `call` must be the `CallState` of a call in progress.
unsafe fn call_state<'a, 'b>(call: *mut SeamCall) -> &'a mut CallState<'b> {
    // SAFETY: the caller's promise.
    unsafe { &mut *call.cast::<CallState<'b>>() }
}

unsafe extern "C" fn define_fn(
    module: *mut SeamModule,
    name: *const c_char,
    name_len: usize,
    min_args: i32,
    max_args: i32,
    fun: SeamFn,
    data: *mut c_void,
    free_data: Option<SeamFree>,
) -> i32 {
    // SAFETY: the ABI: called during `seam_module_init` with its module and a name valid
    // for `name_len` bytes.
    let (b, name) = unsafe { (builder(module), text(name, name_len, "a function name")) };
    let arity = match (u16::try_from(min_args), max_args) {
        (Ok(min), -1) => Ok((min, u16::MAX)),
        (Ok(min), max) => match u16::try_from(max) {
            Ok(max) if max >= min && max < u16::MAX => Ok((min, max)),
            _ => Err(format!("bad argument counts {min_args}..{max_args}")),
        },
        _ => Err(format!("bad argument counts {min_args}..{max_args}")),
    };
    let checked = name.and_then(|name| match arity {
        _ if name.is_empty() => Err("a function with an empty name".to_string()),
        _ if b.functions.iter().any(|f| f.name == name) => Err(format!("function {name} defined twice")),
        Ok((min, max)) => Ok(FunctionDef { name, min, max, fun, data, free: free_data }),
        Err(e) => Err(format!("function {name}: {e}")),
    });
    match checked {
        Ok(def) => {
            b.functions.push(def);
            0
        }
        Err(e) => {
            if let Some(free) = free_data {
                // SAFETY: the data was not taken, so it is freed now, once.
                unsafe { free(data) }
            }
            b.error.get_or_insert(e);
            -1
        }
    }
}

unsafe extern "C" fn define_type(
    module: *mut SeamModule,
    name: *const c_char,
    name_len: usize,
    free_object: Option<SeamFree>,
) -> i32 {
    // SAFETY: as in `define_fn`.
    let (b, name) = unsafe { (builder(module), text(name, name_len, "a type name")) };
    match name {
        Ok(name) if !name.is_empty() && b.types.len() < i32::MAX as usize => {
            b.types.push(ObjectType { name, free: free_object });
            (b.types.len() - 1) as i32
        }
        Ok(_) => {
            b.error.get_or_insert_with(|| "a type with an empty name".to_string());
            -1
        }
        Err(e) => {
            b.error.get_or_insert(e);
            -1
        }
    }
}

unsafe extern "C" fn init_error(module: *mut SeamModule, message: *const c_char, len: usize) {
    // SAFETY: as in `define_fn`, with a message valid for `len` bytes.
    let (b, message) = unsafe { (builder(module), bytes(message.cast(), len)) };
    b.error = Some(String::from_utf8_lossy(message).into_owned());
}

/// Sets a call's result (replacing one given before).
///
/// # Safety
/// As [`call_state`].
unsafe fn set_result(call: *mut SeamCall, result: Pending) {
    // SAFETY: the caller's promise. The replaced result, an object, is freed.
    unsafe { call_state(call).result = result };
}

unsafe extern "C" fn ret_bool(call: *mut SeamCall, value: i32) {
    // SAFETY: the ABI: called during a call with that call.
    unsafe { set_result(call, Pending::Bool(value != 0)) }
}

unsafe extern "C" fn ret_int(call: *mut SeamCall, value: i64) {
    // SAFETY: as in `ret_bool`.
    unsafe { set_result(call, Pending::Int(value)) }
}

unsafe extern "C" fn ret_float(call: *mut SeamCall, value: f64) {
    // SAFETY: as in `ret_bool`.
    unsafe { set_result(call, Pending::Float(value)) }
}

unsafe extern "C" fn ret_string(call: *mut SeamCall, utf8: *const c_char, len: usize) {
    // SAFETY: as in `ret_bool`, with a string valid for `len` bytes.
    unsafe {
        match text(utf8, len, "a string") {
            Ok(s) => set_result(call, Pending::Str(s)),
            Err(e) => call_state(call).error = Some(e),
        }
    }
}

unsafe extern "C" fn ret_bytes(call: *mut SeamCall, data: *const u8, len: usize) {
    // SAFETY: as in `ret_string`.
    unsafe { set_result(call, Pending::Bytes(bytes(data, len).to_vec())) }
}

unsafe extern "C" fn ret_object(call: *mut SeamCall, type_id: u32, object: *mut c_void) {
    // SAFETY: as in `ret_bool`.
    let state = unsafe { call_state(call) };
    if (type_id as usize) < state.plugin.types.len() {
        state.result = Pending::Object(PluginObject { ptr: object, type_id, plugin: state.plugin.clone() });
    } else {
        state.error = Some(format!("the plugin returned an object of undefined type {type_id}"));
    }
}

unsafe extern "C" fn raise(call: *mut SeamCall, message: *const c_char, len: usize) {
    // SAFETY: as in `ret_string`.
    unsafe {
        let message = String::from_utf8_lossy(bytes(message.cast(), len)).into_owned();
        call_state(call).error = Some(message);
    }
}
