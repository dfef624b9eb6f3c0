//! The C ABI of Seam native plugins, and a safe Rust layer for writing one.
//!
//! A plugin is a shared library (a `cdylib`) that the host loads at run time
//! (`engine.native_plugin(name, path)`, `seam --plugin NAME=FILE`, or a package manifest's
//! `[native] plugins`). It talks to the host only through the versioned C ABI of [`abi`]
//! (also `include/seam_plugin.h` for plugins written in C), never through the Rust ABI, so
//! a plugin may be built by another compiler version than the host.
//!
//! In Rust, write the module's initialisation against [`Module`] and export it with
//! [`export!`]:
//!
//! ```
//! use std::sync::atomic::{AtomicI64, Ordering};
//! use seam_plugin::{Arg, Module, Ret};
//!
//! struct Counter(AtomicI64);
//!
//! fn init(m: &mut Module) -> Result<(), String> {
//!     let counter = m.define_type::<Counter>("counter")?;
//!     m.define_fn("counter.new", 0, Some(0), move |_| Ok(Ret::object(&counter, Counter(AtomicI64::new(0)))))?;
//!     m.define_fn("counter.next", 1, Some(1), move |args| {
//!         let c = args[0].object(&counter).ok_or("counter.next: expected a counter")?;
//!         Ok(Ret::Int(c.0.fetch_add(1, Ordering::Relaxed) + 1))
//!     })?;
//!     Ok(())
//! }
//! seam_plugin::export!(init);
//! ```

use std::ffi::c_void;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub mod abi;

pub use abi::ABI_VERSION;
use abi::{SeamCall, SeamHostApi, SeamModule, SeamValue};

/// The module being initialised: define its functions and object types.
pub struct Module<'a> {
    host: &'a SeamHostApi,
    raw: *mut SeamModule,
}

/// An object type of this plugin: makes objects ([`Ret::object`]) and recognises them
/// ([`Arg::object`]). Copy it into the functions that use it.
pub struct ObjectType<T> {
    id: u32,
    marker: PhantomData<fn() -> T>,
}

impl<T> Clone for ObjectType<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ObjectType<T> {}

/// An argument of a call, borrowed for the call.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    Bytes(&'a [u8]),
    /// An object of this plugin: see [`Arg::object`].
    Object(ObjectArg<'a>),
    /// Any other Scheme value (a list, a symbol, a bignum, another plugin's object).
    Other,
}

/// An object argument: its type number and pointer.
#[derive(Clone, Copy, Debug)]
pub struct ObjectArg<'a> {
    type_id: u32,
    ptr: *mut c_void,
    marker: PhantomData<&'a ()>,
}

impl<'a> Arg<'a> {
    /// The object of type `ty` this argument is, if it is one.
    pub fn object<T>(&self, ty: &ObjectType<T>) -> Option<&'a T> {
        match self {
            // SAFETY: the host passes objects only of this plugin, with the type number
            // `ret_object` gave them; objects of type `ty.id` are made by `Ret::object`
            // from a `Box<T>`, and stay alive while they are arguments of a call.
            Arg::Object(o) if o.type_id == ty.id => Some(unsafe { &*(o.ptr as *const T) }),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Arg::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The number, integer or not.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Arg::Int(i) => Some(*i as f64),
            Arg::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&'a str> {
        match self {
            Arg::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        match self {
            Arg::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// What the argument is, for error messages ("a string").
    pub fn describe(&self) -> &'static str {
        match self {
            Arg::Bool(_) => "a boolean",
            Arg::Int(_) => "an integer",
            Arg::Float(_) => "a real",
            Arg::Str(_) => "a string",
            Arg::Bytes(_) => "a bytevector",
            Arg::Object(_) => "an object",
            Arg::Other => "another kind of value",
        }
    }

    /// Reads a raw argument.
    ///
    /// # Safety
    /// `v` must be as the host passes it: for strings and bytevectors, `ptr` valid for
    /// `len` bytes during the lifetime `'a`.
    unsafe fn from_raw(v: &'a SeamValue) -> Arg<'a> {
        // SAFETY (each union read): the tag says which field the host wrote.
        unsafe {
            match v.tag {
                abi::SEAM_BOOL => Arg::Bool(v.as_.boolean != 0),
                abi::SEAM_INT => Arg::Int(v.as_.integer),
                abi::SEAM_FLOAT => Arg::Float(v.as_.real),
                abi::SEAM_STRING => match std::str::from_utf8(v.as_.bytes.as_slice()) {
                    Ok(s) => Arg::Str(s),
                    Err(_) => Arg::Other,
                },
                abi::SEAM_BYTES => Arg::Bytes(v.as_.bytes.as_slice()),
                abi::SEAM_OBJECT => {
                    Arg::Object(ObjectArg { type_id: v.type_, ptr: v.as_.object, marker: PhantomData })
                }
                _ => Arg::Other,
            }
        }
    }
}

/// What a function returns.
pub enum Ret {
    /// An unspecified value.
    Void,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    /// A new object: make it with [`Ret::object`].
    Object(NewObject),
}

/// A new object on its way to the host (freed if it never gets there).
pub struct NewObject {
    type_id: u32,
    ptr: *mut c_void,
    free: unsafe extern "C" fn(*mut c_void),
}

impl Drop for NewObject {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `Box::into_raw` of the type `free` frees, and was not
        // handed to the host (which takes it by `mem::forget`ting this).
        unsafe { (self.free)(self.ptr) }
    }
}

impl Ret {
    /// A new object of type `ty` holding `value`; the host frees it when Scheme drops it.
    pub fn object<T: Send + 'static>(ty: &ObjectType<T>, value: T) -> Ret {
        let ptr = Box::into_raw(Box::new(value)) as *mut c_void;
        Ret::Object(NewObject { type_id: ty.id, ptr, free: free_box::<T> })
    }

    /// Gives the result to the host.
    ///
    /// # Safety
    /// `call` must be the call in progress that `host` passed.
    unsafe fn send(self, host: &SeamHostApi, call: *mut SeamCall) {
        // SAFETY: the ABI's functions, called with the call the host gave and pointers
        // valid for their lengths (the host copies what it keeps).
        unsafe {
            match self {
                Ret::Void => {}
                Ret::Bool(b) => (host.ret_bool)(call, b as i32),
                Ret::Int(i) => (host.ret_int)(call, i),
                Ret::Float(f) => (host.ret_float)(call, f),
                Ret::Str(s) => (host.ret_string)(call, s.as_ptr().cast(), s.len()),
                Ret::Bytes(b) => (host.ret_bytes)(call, b.as_ptr(), b.len()),
                Ret::Object(o) => {
                    let (type_id, ptr) = (o.type_id, o.ptr);
                    std::mem::forget(o);
                    (host.ret_object)(call, type_id, ptr)
                }
            }
        }
    }
}

impl From<String> for Ret {
    fn from(s: String) -> Ret {
        Ret::Str(s)
    }
}

impl<'a> Module<'a> {
    /// Defines function `name` taking `min` to `max` arguments (`None`: any number).
    pub fn define_fn<F>(&mut self, name: &str, min: usize, max: Option<usize>, f: F) -> Result<(), String>
    where
        F: Fn(&[Arg<'_>]) -> Result<Ret, String> + Send + 'static,
    {
        let to_i32 = |n: usize| i32::try_from(n).map_err(|_| format!("{name}: too many parameters"));
        let (min, max) = (to_i32(min)?, max.map_or(Ok(-1), to_i32)?);
        let data = Box::into_raw(Box::new(f)) as *mut c_void;
        // SAFETY: `raw` is the module the host passed to `seam_module_init`, which is still
        // running; `data` is freed by `free_box::<F>`, which the host calls once.
        let status = unsafe {
            (self.host.define_fn)(
                self.raw,
                name.as_ptr().cast(),
                name.len(),
                min,
                max,
                trampoline::<F>,
                data,
                Some(free_box::<F>),
            )
        };
        match status {
            0 => Ok(()),
            _ => Err(format!("the host refused function {name}")),
        }
    }

    /// Defines object type `name` for values of `T`.
    pub fn define_type<T: Send + 'static>(&mut self, name: &str) -> Result<ObjectType<T>, String> {
        // SAFETY: as in `define_fn`; objects of the type are `Box<T>`s, which
        // `free_box::<T>` frees.
        let id = unsafe {
            (self.host.define_type)(self.raw, name.as_ptr().cast(), name.len(), Some(free_box::<T>))
        };
        u32::try_from(id)
            .map(|id| ObjectType { id, marker: PhantomData })
            .map_err(|_| format!("the host refused type {name}"))
    }
}

unsafe extern "C" fn free_box<T>(ptr: *mut c_void) {
    // SAFETY: the host calls this once per pointer, each from `Box::<T>::into_raw`.
    drop(unsafe { Box::from_raw(ptr as *mut T) })
}

unsafe extern "C" fn trampoline<F>(
    data: *mut c_void,
    host: *const SeamHostApi,
    call: *mut SeamCall,
    args: *const SeamValue,
    nargs: usize,
) where
    F: Fn(&[Arg<'_>]) -> Result<Ret, String> + Send + 'static,
{
    // SAFETY: the host passes the `data` given to `define_fn` (a `Box<F>`), its API table,
    // the call in progress, and `nargs` arguments valid for the call.
    unsafe {
        let (f, host) = (&*(data as *const F), &*host);
        let raw = if nargs == 0 { &[][..] } else { std::slice::from_raw_parts(args, nargs) };
        let args: Vec<Arg<'_>> = raw.iter().map(|v| Arg::from_raw(v)).collect();
        match catch_unwind(AssertUnwindSafe(|| f(&args))) {
            Ok(Ok(ret)) => ret.send(host, call),
            Ok(Err(message)) => (host.raise)(call, message.as_ptr().cast(), message.len()),
            Err(panic) => {
                let message = format!("plugin function panicked: {}", panic_message(&*panic));
                (host.raise)(call, message.as_ptr().cast(), message.len())
            }
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// What [`export!`]'s `seam_module_init` runs: checks the host's table, then runs `init`.
///
/// # Safety
/// `host` and `module` must be what the host passed to `seam_module_init`.
#[doc(hidden)]
pub unsafe fn __init(
    host: *const SeamHostApi,
    module: *mut SeamModule,
    init: fn(&mut Module) -> Result<(), String>,
) -> i32 {
    // SAFETY: the host passes its API table, valid for the process's life.
    let host = unsafe { &*host };
    let fail = |message: &str| {
        // SAFETY: the module being initialised, and a message valid for its length.
        unsafe { (host.init_error)(module, message.as_ptr().cast(), message.len()) };
        1
    };
    if host.abi_version != ABI_VERSION || (host.size as usize) < std::mem::size_of::<SeamHostApi>() {
        return fail(&format!(
            "the plugin needs Seam plugin ABI {ABI_VERSION}; the host has {}",
            host.abi_version
        ));
    }
    let mut m = Module { host, raw: module };
    match catch_unwind(AssertUnwindSafe(|| init(&mut m))) {
        Ok(Ok(())) => 0,
        Ok(Err(message)) => fail(&message),
        Err(panic) => fail(&format!("plugin initialisation panicked: {}", panic_message(&*panic))),
    }
}

/// Exports `init` (a `fn(&mut Module) -> Result<(), String>`) as the plugin's
/// `seam_module_init`, with `seam_module_abi_version`. Use it once, in a `cdylib`.
#[macro_export]
macro_rules! export {
    ($init:path) => {
        #[no_mangle]
        pub extern "C" fn seam_module_abi_version() -> u32 {
            $crate::ABI_VERSION
        }

        /// # Safety
        /// Called by the Seam host only, with its API table and the module it initialises.
        #[no_mangle]
        pub unsafe extern "C" fn seam_module_init(
            host: *const $crate::abi::SeamHostApi,
            module: *mut $crate::abi::SeamModule,
        ) -> i32 {
            // SAFETY: the host calls this as the ABI says, with valid pointers.
            unsafe { $crate::__init(host, module, $init) }
        }
    };
}
