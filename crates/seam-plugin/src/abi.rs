//! The C ABI, version 1, as `include/seam_plugin.h` declares it (see the header for the
//! contract of each function).

use std::ffi::{c_char, c_void};

/// The plugin ABI version this crate implements.
pub const ABI_VERSION: u32 = 1;

pub const SEAM_VOID: u32 = 0;
pub const SEAM_BOOL: u32 = 1;
pub const SEAM_INT: u32 = 2;
pub const SEAM_FLOAT: u32 = 3;
pub const SEAM_STRING: u32 = 4;
pub const SEAM_BYTES: u32 = 5;
pub const SEAM_OBJECT: u32 = 6;
pub const SEAM_OTHER: u32 = 7;

/// Borrowed bytes (a string's UTF-8 or a bytevector's contents).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SeamBytes {
    pub ptr: *const u8,
    pub len: usize,
}

impl SeamBytes {
    /// The bytes.
    ///
    /// # Safety
    /// `ptr` must be valid for `len` bytes during `'a` (or `len` 0).
    pub unsafe fn as_slice<'a>(&self) -> &'a [u8] {
        if self.len == 0 {
            &[]
        } else {
            // SAFETY: the caller's promise.
            unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
        }
    }
}

#[repr(C)]
#[derive(Clone, Copy)]
pub union SeamPayload {
    pub boolean: i32,
    pub integer: i64,
    pub real: f64,
    pub bytes: SeamBytes,
    pub object: *mut c_void,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct SeamValue {
    pub tag: u32,
    pub type_: u32,
    pub as_: SeamPayload,
}

/// The module being initialised (host-owned, opaque).
#[repr(C)]
pub struct SeamModule {
    _private: [u8; 0],
}

/// A call in progress (host-owned, opaque).
#[repr(C)]
pub struct SeamCall {
    _private: [u8; 0],
}

pub type SeamFn = unsafe extern "C" fn(
    data: *mut c_void,
    host: *const SeamHostApi,
    call: *mut SeamCall,
    args: *const SeamValue,
    nargs: usize,
);

pub type SeamFree = unsafe extern "C" fn(ptr: *mut c_void);

#[repr(C)]
pub struct SeamHostApi {
    pub abi_version: u32,
    pub size: u32,
    pub define_fn: unsafe extern "C" fn(
        module: *mut SeamModule,
        name: *const c_char,
        name_len: usize,
        min_args: i32,
        max_args: i32,
        fun: SeamFn,
        data: *mut c_void,
        free_data: Option<SeamFree>,
    ) -> i32,
    pub define_type: unsafe extern "C" fn(
        module: *mut SeamModule,
        name: *const c_char,
        name_len: usize,
        free_object: Option<SeamFree>,
    ) -> i32,
    pub init_error: unsafe extern "C" fn(module: *mut SeamModule, message: *const c_char, len: usize),
    pub ret_bool: unsafe extern "C" fn(call: *mut SeamCall, value: i32),
    pub ret_int: unsafe extern "C" fn(call: *mut SeamCall, value: i64),
    pub ret_float: unsafe extern "C" fn(call: *mut SeamCall, value: f64),
    pub ret_string: unsafe extern "C" fn(call: *mut SeamCall, utf8: *const c_char, len: usize),
    pub ret_bytes: unsafe extern "C" fn(call: *mut SeamCall, bytes: *const u8, len: usize),
    pub ret_object: unsafe extern "C" fn(call: *mut SeamCall, type_: u32, object: *mut c_void),
    pub raise: unsafe extern "C" fn(call: *mut SeamCall, message: *const c_char, len: usize),
}

/// The names of the two functions a plugin exports.
pub const ABI_VERSION_SYMBOL: &[u8] = b"seam_module_abi_version";
pub const INIT_SYMBOL: &[u8] = b"seam_module_init";
