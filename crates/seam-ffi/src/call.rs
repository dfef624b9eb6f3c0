//! Calling C: a foreign procedure is a host function owning its prepared libffi call
//! interface (built once, at `foreign-procedure`). A call converts its arguments into a
//! word per argument on the Rust stack, calls through libffi — or, for functions whose
//! arguments all travel in integer registers (up to six) or that take one or two doubles,
//! directly through a function pointer of the matching Rust type — records `errno`, and
//! converts the result.

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

/// Whether the platform passes integers and pointers the way the direct paths assume: each
/// argument in its own integer register (sign- or zero-extended to a full register), a
/// result in the first one.
const DIRECT_CALLS: bool = cfg!(all(any(target_arch = "x86_64", target_arch = "aarch64"), not(windows)));

/// Arguments that fit the fixed-size buffers of a call.
const MAX_WORDS: usize = 16;

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
        Ok(ForeignProc {
            name,
            code,
            signature: Arc::new(signature),
            cif: SendCif(cif),
            shape,
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
    if n <= 6 && ret_word && sig.args.iter().all(CType::is_integer_class) {
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
    let mut temps = Temps::default();
    let mut words = [0u64; MAX_WORDS];
    let n = args.len();
    let mut result = ResultBuffer([0; 64]);
    match proc.shape {
        Shape::Words(_) | Shape::Doubles(_) => {
            for (i, ty) in proc.signature.args.iter().enumerate() {
                let v = args.get(vm, i).unwrap_or(Value::Unspecified);
                // SAFETY: each word has room for an integer-class value or a double.
                unsafe { argument(vm, proc, ty, i, v, (&mut words[i]) as *mut u64 as *mut u8, &mut temps)? };
            }
            let entered = proc.link.enter(vm);
            // SAFETY: the program declared this function's C signature; `shape` chose this
            // path only when every argument is passed in its own register of the class we
            // call it with (integers already extended to a full word), and the result comes
            // back in the first register of its class.
            let word = unsafe { direct(proc.shape, proc.code, &words) };
            let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            drop(entered);
            proc.link.errno.store(errno, std::sync::atomic::Ordering::Relaxed);
            result.0[..8].copy_from_slice(&word.to_ne_bytes());
        }
        Shape::Libffi => {
            let mut big: Vec<Vec<u8>> = Vec::new();
            let mut pointers: Vec<*mut c_void> = Vec::with_capacity(n);
            let mut extra_types: Vec<CType> = Vec::new();
            let mut spill: Vec<u64> = if n > MAX_WORDS { vec![0; n] } else { Vec::new() };
            for i in 0..n {
                let v = args.get(vm, i).unwrap_or(Value::Unspecified);
                let ty = match proc.signature.args.get(i) {
                    Some(ty) => ty.clone(),
                    None => match promoted(vm, v) {
                        Some(ty) => {
                            extra_types.push(ty.clone());
                            ty
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
                } else if n > MAX_WORDS {
                    (&mut spill[i]) as *mut u64 as *mut u8
                } else {
                    (&mut words[i]) as *mut u64 as *mut u8
                };
                // SAFETY: `slot` has room for the type (a word, or its own buffer).
                unsafe { argument(vm, proc, &ty, i, v, slot, &mut temps)? };
                pointers.push(slot as *mut c_void);
            }
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
                variadic_cif =
                    Cif::try_new_variadic(types, proc.signature.args.len(), proc.signature.ret.ffi_type())
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
            let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            drop(entered);
            proc.link.errno.store(errno, std::sync::atomic::Ordering::Relaxed);
            if result_ptr != result.0.as_mut_ptr() as *mut c_void {
                // SAFETY: `result_ptr` holds the struct result.
                let value = unsafe { aggregate_result(vm, &proc.signature.ret, result_ptr as *const u8) };
                // Callbacks made for this call stay alive until the queued calls of them
                // (from other threads) have run.
                let finished = finish(vm, &proc.link, &proc.name, value);
                drop(temps);
                return finished;
            }
        }
    }
    // SAFETY: the buffer holds the result the call returned (a full register for integer
    // classes, which `read` narrows to the declared width).
    let value = unsafe { result_value(vm, &proc.signature.ret, result.0.as_ptr()) };
    // As above: the call's callbacks outlive the queued calls of them.
    let finished = finish(vm, &proc.link, &proc.name, value);
    drop(temps);
    finished
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
            pointer::make_owner(vm, block)
        }
        Err(_) => Value::Bool(false),
    }
}

/// After the call: raise what a callback kept, run callbacks other threads queued.
pub fn finish(vm: &mut Vm, link: &Link, name: &str, value: Value) -> Result<Value, HostFailure> {
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

/// Calls `code` directly with the first words of `words` as its arguments.
///
/// # Safety
/// `code` must be a C function whose arguments and result travel as `shape` says.
unsafe fn direct(shape: Shape, code: usize, w: &[u64; MAX_WORDS]) -> u64 {
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
