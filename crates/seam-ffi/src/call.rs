//! Calling C: a foreign procedure is a host function owning its prepared libffi call
//! interface (built once, at `foreign-procedure`). A call converts its arguments into a
//! word per argument on the Rust stack, calls through libffi — or, for functions whose
//! arguments all travel in integer registers (up to six) or that take one or two doubles,
//! directly through a function pointer of the matching Rust type — records `errno`, and
//! converts the result.
//!
//! The common argument forms convert inline, without `convert::write` (`FastArg`: a fixnum
//! for an integer type, a flonum for `double`, a bytevector for a pointer, a short ASCII
//! string copied into a buffer on the stack), and so do integer, `double` and `void`
//! results (`FastRet`); anything else takes the general conversion, with the same results
//! and errors.

use std::ffi::c_void;
use std::sync::Arc;

use libffi::middle::{Cif, Type};
use libffi::raw;
use seam_vm::host::{HostArgs, HostFailure};
use seam_vm::{Object, Value, Vm};

use crate::callback::{Failure, Link};
use crate::convert::{self, Mismatch, Temps};
use crate::library::SharedObject;
use crate::pointer;
use crate::types::{CType, Signature};

/// A declared C function.
pub struct ForeignProc {
    pub name: Arc<str>,
    pub code: usize,
    pub signature: Arc<Signature>,
    /// The prepared call interface (for the fixed arguments of a varargs function, a
    /// template: calls prepare their own).
    pub(crate) cif: SendCif,
    shape: Shape,
    /// How each argument converts when it has the common form.
    fast_args: Box<[FastArg]>,
    /// How the result converts without the general `convert::read`.
    fast_ret: FastRet,
    /// Whether an argument is a `string` (the call gets a scratch buffer for copies).
    strings: bool,
    pub link: Arc<Link>,
    pub blocking: bool,
    /// Keeps the shared object loaded while this procedure can be called.
    _library: Option<Arc<SharedObject>>,
}

pub(crate) struct SendCif(pub Cif);

// SAFETY: a `Cif` is plain data (libffi's description of a signature and the type
// descriptions it points to, which it owns); libffi only reads it during calls.
unsafe impl Send for SendCif {}
// SAFETY: as above: calls only read it.
unsafe impl Sync for SendCif {}

/// How a call is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// Through libffi.
    Libffi,
    /// Directly: N integer-class arguments, an integer-class (or void) result.
    Words(usize),
    /// Directly: N doubles in, a double out.
    Doubles(usize),
}

/// An argument of a directly called function, as the call converts it before trying the
/// general conversion (`convert::write`).
#[derive(Clone, Copy, Debug)]
enum FastArg {
    /// An integer type: a fixnum in `lo..=hi` (the type's range, clipped to a fixnum's)
    /// passes as itself, which is already sign- or zero-extended to the whole word.
    Int { lo: i64, hi: i64 },
    /// `double`: a flonum passes as its bits.
    Double,
    /// A pointer, bytevector or array type: a bytevector passes as the address of its bytes.
    Bytes,
    /// `string`: a Scheme string of ASCII characters (no NUL) that fits the call's scratch
    /// buffer is copied there, NUL-terminated, and passes as its address.
    String,
    /// Everything else: the general conversion.
    General,
}

impl FastArg {
    fn of(ty: &CType) -> FastArg {
        match ty {
            CType::Int(i) => {
                let (lo, hi) = i.range();
                let clip = |n: i128| n.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
                FastArg::Int { lo: clip(lo), hi: clip(hi) }
            }
            CType::Double => FastArg::Double,
            CType::Bytevector | CType::Pointer(_) | CType::Array(..) => FastArg::Bytes,
            CType::String => FastArg::String,
            _ => FastArg::General,
        }
    }
}

/// Room on the stack for the string arguments of one call (longer ones go to the heap).
const SCRATCH: usize = 256;

/// The word argument `v` passes as when it has its type's common form (what
/// `convert::write` would write for it), or `None` for the general conversion. String
/// copies go to the front of `scratch`, which then shrinks past them.
#[inline(always)]
fn fast_word(vm: &mut Vm, fast: FastArg, v: Value, scratch: &mut &mut [u8]) -> Option<u64> {
    match (fast, v) {
        (FastArg::Int { lo, hi }, Value::Fixnum(n)) if lo <= n && n <= hi => Some(n as u64),
        (FastArg::Double, Value::Flonum(f)) => Some(f.to_bits()),
        (FastArg::Bytes, Value::Object(_)) => {
            vm.heap.bytevector_mut(v).map(|bytes| bytes.as_mut_ptr() as u64)
        }
        (FastArg::String, Value::Object(_)) => match vm.heap.as_str(v) {
            Some(chars) => ascii_c_string(chars, scratch),
            None => None,
        },
        _ => None,
    }
}

/// Copies `chars` NUL-terminated to the front of `scratch` and returns the copy's address,
/// if every character is ASCII and not NUL and the copy fits (else `None`: the general
/// conversion copies the string to the heap as UTF-8, or rejects the NUL).
#[inline]
fn ascii_c_string(chars: &[char], scratch: &mut &mut [u8]) -> Option<u64> {
    if chars.len() >= scratch.len() || !chars.iter().all(|&c| c.is_ascii() && c != '\0') {
        return None;
    }
    let (copy, rest) = std::mem::take(scratch).split_at_mut(chars.len() + 1);
    for (byte, &c) in copy.iter_mut().zip(chars) {
        *byte = c as u8;
    }
    copy[chars.len()] = 0;
    *scratch = rest;
    // C may write to the string: the pointer comes from the mutable slice.
    Some(copy.as_mut_ptr() as u64)
}

/// The result of a call, as the call converts it from the result's first word.
#[derive(Clone, Copy, Debug)]
enum FastRet {
    Void,
    /// A signed integer type of `64 - shift` bits: the low bits of the word, sign-extended.
    Signed {
        shift: u32,
    },
    /// An unsigned integer type of `64 - shift` bits: the low bits of the word.
    Unsigned {
        shift: u32,
    },
    Double,
    /// Everything else: `result_value`.
    General,
}

impl FastRet {
    fn of(ty: &CType) -> FastRet {
        match ty {
            CType::Void => FastRet::Void,
            CType::Int(i) => {
                let shift = 64 - 8 * i.size as u32;
                match i.signed {
                    true => FastRet::Signed { shift },
                    false => FastRet::Unsigned { shift },
                }
            }
            CType::Double => FastRet::Double,
            _ => FastRet::General,
        }
    }
}

/// Whether the platform passes integers and pointers the way the direct paths assume: each
/// argument in its own integer register (sign- or zero-extended to a full register), a
/// result in the first one.
const DIRECT_CALLS: bool = cfg!(all(any(target_arch = "x86_64", target_arch = "aarch64"), not(windows)));

/// Arguments that fit the fixed-size buffers of a call.
const MAX_WORDS: usize = 16;

/// The most arguments a direct call takes (`shape`).
const DIRECT_WORDS: usize = 6;

impl ForeignProc {
    pub fn new(
        name: Arc<str>,
        code: usize,
        signature: Signature,
        link: Arc<Link>,
        blocking: bool,
        library: Option<Arc<SharedObject>>,
        through_libffi: bool,
    ) -> Result<ForeignProc, String> {
        let args = signature.args.iter().map(CType::ffi_type);
        let ret = signature.ret.ffi_type();
        let cif = match signature.varargs {
            // Checked once here with no extra arguments; each call prepares its own.
            true => Cif::try_new_variadic(args, signature.args.len(), ret),
            false => Cif::try_new(args, ret),
        }
        .map_err(|e| format!("libffi cannot describe the signature of {name}: {e:?}"))?;
        let shape = if through_libffi { Shape::Libffi } else { shape(&signature) };
        let fast_args = signature.args.iter().map(FastArg::of).collect();
        let fast_ret = FastRet::of(&signature.ret);
        let strings = signature.args.iter().any(|a| matches!(a, CType::String));
        Ok(ForeignProc {
            name,
            code,
            signature: Arc::new(signature),
            cif: SendCif(cif),
            shape,
            fast_args,
            fast_ret,
            strings,
            link,
            blocking,
            _library: library,
        })
    }

    pub fn arity(&self) -> (u16, u16) {
        let n = self.signature.args.len() as u16;
        (n, if self.signature.varargs { u16::MAX } else { n })
    }
}

fn shape(sig: &Signature) -> Shape {
    if !DIRECT_CALLS || sig.varargs {
        return Shape::Libffi;
    }
    let n = sig.args.len();
    let ret_word = sig.ret.is_integer_class() || matches!(sig.ret, CType::Void | CType::String);
    if n <= DIRECT_WORDS && ret_word && sig.args.iter().all(CType::is_integer_class) {
        return Shape::Words(n);
    }
    if (1..=2).contains(&n)
        && matches!(sig.ret, CType::Double)
        && sig.args.iter().all(|a| matches!(a, CType::Double))
    {
        return Shape::Doubles(n);
    }
    Shape::Libffi
}

/// The result of a call, as raw bytes big enough for any register result or a struct.
#[repr(C, align(16))]
struct ResultBuffer([u8; 64]);

/// Converts argument `i` into `slot`, with the error naming the procedure and argument.
///
/// # Safety
/// `slot` must have room for `max(ty.size(), 8)` bytes.
pub(crate) unsafe fn argument(
    vm: &mut Vm,
    proc: &ForeignProc,
    ty: &CType,
    i: usize,
    v: Value,
    slot: *mut u8,
    temps: &mut Temps,
) -> Result<(), HostFailure> {
    // SAFETY: as the caller promises.
    unsafe { convert::write(vm, ty, v, slot, temps) }.map_err(|e| argument_error(proc, i, e))
}

fn argument_error(proc: &ForeignProc, i: usize, e: Mismatch) -> HostFailure {
    HostFailure::new(e.kind, format!("{}: argument {}: {}", proc.name, i + 1, e.message))
}

/// The type a variadic argument is passed as (C's default argument promotions).
pub(crate) fn promoted(vm: &Vm, v: Value) -> Option<CType> {
    use crate::types::IntType;
    match v {
        Value::Fixnum(_) | Value::Char(_) => Some(CType::Int(IntType::new("long", 8, true))),
        Value::Bool(_) => Some(CType::Boolean),
        Value::Flonum(_) => Some(CType::Double),
        Value::Object(_) => match vm.heap.object(v) {
            Some(Object::String(_)) => Some(CType::String),
            Some(Object::Bytevector(_)) | Some(Object::HostObject(_)) => Some(CType::Pointer(None)),
            Some(Object::Bignum(_)) => Some(CType::Int(IntType::new("long", 8, true))),
            Some(Object::Rational(_)) => Some(CType::Double),
            _ => None,
        },
        _ => None,
    }
}

/// The host-function body of every foreign procedure.
pub fn call(vm: &mut Vm, args: HostArgs, data: &(dyn std::any::Any + Send)) -> Result<Value, HostFailure> {
    let Some(proc) = data.downcast_ref::<ForeignProc>() else {
        return Err(HostFailure::new("ffi", "not a foreign procedure"));
    };
    if proc.blocking {
        return crate::blocking::call_waiting(vm, proc, args);
    }
    match proc.shape {
        Shape::Words(_) | Shape::Doubles(_) => call_direct(vm, proc, args),
        Shape::Libffi => call_libffi(vm, proc, args),
    }
}

/// A call through a function pointer of the signature's Rust type (see `Shape`).
#[inline]
fn call_direct(vm: &mut Vm, proc: &ForeignProc, args: HostArgs) -> Result<Value, HostFailure> {
    if proc.strings {
        let mut scratch = [0u8; SCRATCH];
        call_words(vm, proc, args, &mut scratch)
    } else {
        call_words(vm, proc, args, &mut [])
    }
}

/// `call_direct` with `scratch` for string copies (which must outlive the call). When an
/// argument needs the general conversion, the call starts over in `call_words_general`
/// (the fast conversions have no effects, so doing them twice is harmless).
#[inline(always)]
fn call_words(
    vm: &mut Vm,
    proc: &ForeignProc,
    args: HostArgs,
    mut scratch: &mut [u8],
) -> Result<Value, HostFailure> {
    let mut words = [0u64; DIRECT_WORDS];
    for (i, fast) in proc.fast_args.iter().enumerate().take(DIRECT_WORDS) {
        let v = args.get(vm, i).unwrap_or(Value::Unspecified);
        match fast_word(vm, *fast, v, &mut scratch) {
            Some(word) => words[i] = word,
            None => return call_words_general(vm, proc, args),
        }
    }
    // SAFETY: the words are the arguments as the signature passes them; string copies
    // live in `scratch`, which outlives the call.
    unsafe { invoke_direct(vm, proc, &words) }
}

/// `call_words` for arguments that need the general conversion (strings too long for the
/// scratch buffer or not ASCII, callbacks, characters and bignums for integers, ...).
#[inline(never)]
fn call_words_general(vm: &mut Vm, proc: &ForeignProc, args: HostArgs) -> Result<Value, HostFailure> {
    let mut scratch_buffer = [0u8; SCRATCH];
    let mut scratch: &mut [u8] = &mut scratch_buffer;
    let mut temps = Temps::default();
    let mut words = [0u64; DIRECT_WORDS];
    for (i, fast) in proc.fast_args.iter().enumerate().take(DIRECT_WORDS) {
        let v = args.get(vm, i).unwrap_or(Value::Unspecified);
        words[i] = match fast_word(vm, *fast, v, &mut scratch) {
            Some(word) => word,
            None => general_word(vm, proc, i, v, &mut temps)?,
        };
    }
    // SAFETY: as in `call_words`; what the words point to lives in `scratch_buffer` and
    // `temps`, which outlive the call.
    let word = unsafe { call_raw(vm, proc, &words) };
    // The call's callbacks stay alive until the calls of them queued by other threads have
    // run (in `finish`).
    let completed = complete(vm, proc, word);
    drop(temps);
    completed
}

/// Calls `proc` directly with `words` and converts the result.
///
/// # Safety
/// As for [`call_raw`].
#[inline(always)]
unsafe fn invoke_direct(
    vm: &mut Vm,
    proc: &ForeignProc,
    words: &[u64; DIRECT_WORDS],
) -> Result<Value, HostFailure> {
    // SAFETY: as the caller promises.
    let word = unsafe { call_raw(vm, proc, words) };
    complete(vm, proc, word)
}

/// Calls `proc` directly with `words`, recording `errno`: the result register.
///
/// # Safety
/// `words` must hold the arguments as `proc`'s signature passes them (integers extended to
/// a whole word), and what they point to must stay alive until this returns.
#[inline(always)]
unsafe fn call_raw(vm: &mut Vm, proc: &ForeignProc, words: &[u64; DIRECT_WORDS]) -> u64 {
    let entered = proc.link.enter(vm);
    // SAFETY: the program declared this function's C signature; `shape` chose this path
    // only when every argument is passed in its own register of the class we call it with
    // (integers already extended to a full word), and the result comes back in the first
    // register of its class. The caller keeps what the words point to alive.
    let word = unsafe { direct(proc.shape, proc.code, words) };
    let errno = errno();
    drop(entered);
    proc.link.errno.store(errno, std::sync::atomic::Ordering::Relaxed);
    word
}

/// The Scheme value of a direct call's result register, after `finish`.
#[inline(always)]
fn complete(vm: &mut Vm, proc: &ForeignProc, word: u64) -> Result<Value, HostFailure> {
    let bytes = word.to_ne_bytes();
    // SAFETY: `bytes` holds the result register (a full word for integer classes, which
    // `read` narrows to the declared width).
    let value = unsafe { register_result(vm, proc, word, bytes.as_ptr()) };
    finish(vm, &proc.link, &proc.name, value)
}

/// Argument `i` of a direct call through the general conversion.
#[inline(never)]
fn general_word(
    vm: &mut Vm,
    proc: &ForeignProc,
    i: usize,
    v: Value,
    temps: &mut Temps,
) -> Result<u64, HostFailure> {
    let mut word = 0u64;
    // SAFETY: a word has room for an integer-class value or a double.
    unsafe { argument(vm, proc, &proc.signature.args[i], i, v, (&mut word) as *mut u64 as *mut u8, temps)? };
    Ok(word)
}

/// A call through libffi's `ffi_call` with the prepared call interface.
fn call_libffi(vm: &mut Vm, proc: &ForeignProc, args: HostArgs) -> Result<Value, HostFailure> {
    if proc.strings {
        let mut scratch = [0u8; SCRATCH];
        call_libffi_with(vm, proc, args, &mut scratch)
    } else {
        call_libffi_with(vm, proc, args, &mut [])
    }
}

/// `call_libffi` with `scratch` for string copies (which must outlive the call).
#[inline(always)]
fn call_libffi_with(
    vm: &mut Vm,
    proc: &ForeignProc,
    args: HostArgs,
    mut scratch: &mut [u8],
) -> Result<Value, HostFailure> {
    let n = args.len();
    let mut temps: Option<Temps> = None;
    let mut words = [0u64; MAX_WORDS];
    let mut inline_pointers = [std::ptr::null_mut::<c_void>(); MAX_WORDS];
    let mut spill: Vec<u64> = Vec::new();
    let mut spilled_pointers: Vec<*mut c_void> = Vec::new();
    let (slots, pointers): (&mut [u64], &mut [*mut c_void]) = if n > MAX_WORDS {
        spill.resize(n, 0);
        spilled_pointers.resize(n, std::ptr::null_mut());
        (&mut spill, &mut spilled_pointers)
    } else {
        (&mut words[..n], &mut inline_pointers[..n])
    };
    let mut big: Vec<Vec<u8>> = Vec::new();
    let mut extra_types: Vec<CType> = Vec::new();
    for (i, (word, pointer)) in slots.iter_mut().zip(pointers.iter_mut()).enumerate() {
        let v = args.get(vm, i).unwrap_or(Value::Unspecified);
        let fast = match proc.fast_args.get(i) {
            Some(fast) => fast_word(vm, *fast, v, &mut scratch),
            None => None,
        };
        if let Some(bits) = fast {
            // As `convert::write` would write it: the whole word, extended.
            *word = bits;
            *pointer = word as *mut u64 as *mut c_void;
            continue;
        }
        let promoted_ty;
        let ty = match proc.signature.args.get(i) {
            Some(ty) => ty,
            None => match promoted(vm, v) {
                Some(ty) => {
                    extra_types.push(ty.clone());
                    promoted_ty = ty;
                    &promoted_ty
                }
                None => {
                    let message = format!(
                        "{}: argument {}: cannot pass {} as a variadic argument",
                        proc.name,
                        i + 1,
                        seam_vm::printer::write_limited(&vm.heap, v, 60)
                    );
                    return Err(HostFailure::new("type", message));
                }
            },
        };
        let slot: *mut u8 = if ty.size() > 8 {
            big.push(vec![0u8; ty.size()]);
            big.last_mut().map_or(std::ptr::null_mut(), |b| b.as_mut_ptr())
        } else {
            word as *mut u64 as *mut u8
        };
        // SAFETY: `slot` has room for the type (a word, or its own buffer).
        unsafe { argument(vm, proc, ty, i, v, slot, temps.get_or_insert_with(Temps::default))? };
        *pointer = slot as *mut c_void;
    }
    let mut result = ResultBuffer([0; 64]);
    let mut heap_result;
    let result_ptr: *mut c_void = if proc.signature.ret.size() > result.0.len() {
        heap_result = vec![0u8; proc.signature.ret.size()];
        heap_result.as_mut_ptr() as *mut c_void
    } else {
        result.0.as_mut_ptr() as *mut c_void
    };
    let variadic_cif;
    let cif = if proc.signature.varargs {
        let types: Vec<Type> =
            proc.signature.args.iter().chain(extra_types.iter()).map(CType::ffi_type).collect();
        variadic_cif = Cif::try_new_variadic(types, proc.signature.args.len(), proc.signature.ret.ffi_type())
            .map_err(|e| HostFailure::new("ffi", format!("{}: libffi: {e:?}", proc.name)))?;
        &variadic_cif
    } else {
        &proc.cif.0
    };
    let entered = proc.link.enter(vm);
    // SAFETY: the call interface describes the declared signature (plus the promoted
    // variadic arguments); `pointers` holds one pointer per argument to a value of its
    // type, and `result_ptr` has room for the result (at least a word).
    unsafe {
        raw::ffi_call(
            cif.as_raw_ptr(),
            Some(std::mem::transmute::<usize, unsafe extern "C" fn()>(proc.code)),
            result_ptr,
            pointers.as_mut_ptr(),
        )
    };
    let errno = errno();
    drop(entered);
    proc.link.errno.store(errno, std::sync::atomic::Ordering::Relaxed);
    let value = if result_ptr != result.0.as_mut_ptr() as *mut c_void {
        // SAFETY: `result_ptr` holds the struct result.
        unsafe { aggregate_result(vm, &proc.signature.ret, result_ptr as *const u8) }
    } else {
        // libffi returns integer results narrower than a register widened to a whole
        // `ffi_arg` (a word), as a register holds them.
        let mut word = [0u8; 8];
        word.copy_from_slice(&result.0[..8]);
        // SAFETY: the buffer holds the result the call returned (a full word for integer
        // classes).
        unsafe { register_result(vm, proc, u64::from_ne_bytes(word), result.0.as_ptr()) }
    };
    // As in `call_words_general`: callbacks outlive the queued calls of them.
    let finished = finish(vm, &proc.link, &proc.name, value);
    drop(temps);
    finished
}

/// The Scheme value of a call's result: `word` is its first register (or word of the
/// result buffer), `src` the whole result.
///
/// # Safety
/// `src` must hold a result of the declared type, its first word being `word`.
#[inline(always)]
unsafe fn register_result(vm: &mut Vm, proc: &ForeignProc, word: u64, src: *const u8) -> Value {
    match proc.fast_ret {
        FastRet::Void => Value::Unspecified,
        FastRet::Signed { shift } => Value::Fixnum(((word << shift) as i64) >> shift),
        FastRet::Unsigned { shift } => match (word << shift) >> shift {
            n if n <= i64::MAX as u64 => Value::Fixnum(n as i64),
            n => convert::integer(vm, n as i128),
        },
        FastRet::Double => Value::Flonum(f64::from_bits(word)),
        // SAFETY: as the caller promises.
        FastRet::General => unsafe { result_value(vm, &proc.signature.ret, src) },
    }
}

/// The Scheme value of a C result of type `ret` at `src`.
///
/// # Safety
/// `src` must hold a result of type `ret` (a full word for integer classes).
pub(crate) unsafe fn result_value(vm: &mut Vm, ret: &CType, src: *const u8) -> Value {
    // SAFETY: as the caller promises.
    unsafe {
        match ret {
            CType::Aggregate(_) => aggregate_result(vm, ret, src),
            ret => convert::read(vm, ret, src, None),
        }
    }
}

/// A struct or union returned by value: copied into fresh foreign memory.
///
/// # Safety
/// `src` must hold a value of type `ty`.
unsafe fn aggregate_result(vm: &mut Vm, ty: &CType, src: *const u8) -> Value {
    match pointer::allocate(ty.size()) {
        Ok(block) => {
            // SAFETY: both hold `ty.size()` bytes.
            unsafe { std::ptr::copy_nonoverlapping(src, block.addr as *mut u8, ty.size()) };
            pointer::make(vm, block.addr, block.block)
        }
        Err(_) => Value::Bool(false),
    }
}

/// After the call: raise what a callback kept, run callbacks other threads queued.
#[inline]
pub fn finish(vm: &mut Vm, link: &Link, name: &str, value: Value) -> Result<Value, HostFailure> {
    if link.has_queued() || link.has_failure() {
        return finish_slow(vm, link, name, value);
    }
    Ok(value)
}

#[cold]
#[inline(never)]
fn finish_slow(vm: &mut Vm, link: &Link, name: &str, value: Value) -> Result<Value, HostFailure> {
    if link.has_queued() {
        link.run_queued(vm);
    }
    if link.has_failure() {
        match link.take_failure() {
            Some(Failure::Raised(slot)) => {
                let raised = vm.handles.get(slot);
                vm.handles.drop_queue().lock().map(|mut q| q.push(slot)).ok();
                return Err(HostFailure::raising(raised));
            }
            Some(Failure::Error { kind, message }) => {
                return Err(HostFailure::new(kind, format!("{name}: {message}")))
            }
            Some(Failure::Escape) | None => {}
        }
    }
    Ok(value)
}

/// This thread's `errno`.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[inline(always)]
fn errno() -> i32 {
    // SAFETY: `__errno_location` returns the address of this thread's `errno`, valid for the
    // thread's lifetime.
    unsafe { *libc::__errno_location() }
}

/// This thread's `errno`.
#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
#[inline(always)]
fn errno() -> i32 {
    // SAFETY: `__error` returns the address of this thread's `errno`, valid for the
    // thread's lifetime.
    unsafe { *libc::__error() }
}

/// This thread's `errno`.
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd"
)))]
#[inline(always)]
fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Calls `code` directly with the first words of `words` as its arguments.
///
/// # Safety
/// `code` must be a C function whose arguments and result travel as `shape` says.
unsafe fn direct(shape: Shape, code: usize, w: &[u64; DIRECT_WORDS]) -> u64 {
    type W = u64;
    // SAFETY: the caller vouches for the signature; each transmute gives the function
    // pointer the Rust type of that signature.
    unsafe {
        match shape {
            Shape::Words(0) => std::mem::transmute::<usize, extern "C" fn() -> W>(code)(),
            Shape::Words(1) => std::mem::transmute::<usize, extern "C" fn(W) -> W>(code)(w[0]),
            Shape::Words(2) => std::mem::transmute::<usize, extern "C" fn(W, W) -> W>(code)(w[0], w[1]),
            Shape::Words(3) => {
                std::mem::transmute::<usize, extern "C" fn(W, W, W) -> W>(code)(w[0], w[1], w[2])
            }
            Shape::Words(4) => {
                std::mem::transmute::<usize, extern "C" fn(W, W, W, W) -> W>(code)(w[0], w[1], w[2], w[3])
            }
            Shape::Words(5) => std::mem::transmute::<usize, extern "C" fn(W, W, W, W, W) -> W>(code)(
                w[0], w[1], w[2], w[3], w[4],
            ),
            Shape::Words(_) => std::mem::transmute::<usize, extern "C" fn(W, W, W, W, W, W) -> W>(code)(
                w[0], w[1], w[2], w[3], w[4], w[5],
            ),
            Shape::Doubles(1) => {
                let f = std::mem::transmute::<usize, extern "C" fn(f64) -> f64>(code);
                f(f64::from_bits(w[0])).to_bits()
            }
            Shape::Doubles(_) => {
                let f = std::mem::transmute::<usize, extern "C" fn(f64, f64) -> f64>(code);
                f(f64::from_bits(w[0]), f64::from_bits(w[1])).to_bits()
            }
            Shape::Libffi => 0,
        }
    }
}
