//! Values across the border: a Scheme value written as a C value of a given type (checked:
//! integers must fit, strings must not hold NUL), and a C value read back as a Scheme value.

use std::sync::Arc;

use num_traits::ToPrimitive;
use seam_vm::builtins::is_procedure;
use seam_vm::printer::write_limited;
use seam_vm::{Object, Value, Vm};

use crate::callback::Callback;
use crate::pointer::{self, Block, Pointer};
use crate::types::{CType, IntType};

/// Why a value could not be converted: becomes a Scheme error of this kind.
#[derive(Debug)]
pub struct Mismatch {
    pub kind: &'static str,
    pub message: String,
}

impl Mismatch {
    pub fn type_error(vm: &Vm, expected: &str, got: Value) -> Mismatch {
        Mismatch {
            kind: "type",
            message: format!("expected {expected}, got {}", write_limited(&vm.heap, got, 60)),
        }
    }

    pub fn ffi(message: impl Into<String>) -> Mismatch {
        Mismatch { kind: "ffi", message: message.into() }
    }
}

/// What a call must keep alive until the C function returns: NUL-terminated copies of
/// string arguments and callbacks made from Scheme procedures.
#[derive(Default)]
pub struct Temps {
    /// The first string (most calls pass at most one): kept here, it costs no allocation
    /// for the list. Moving a `Vec` does not move its bytes.
    first_string: Option<Vec<u8>>,
    strings: Vec<Vec<u8>>,
    callbacks: Vec<Callback>,
}

impl Temps {
    /// Keeps `bytes` alive as long as these temporaries.
    fn keep_string(&mut self, bytes: Vec<u8>) {
        match self.first_string {
            None => self.first_string = Some(bytes),
            Some(_) => self.strings.push(bytes),
        }
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.first_string.is_none() && self.strings.is_empty() && self.callbacks.is_empty()
    }
}

/// `chars` as a NUL-terminated UTF-8 C string, or the error for a NUL inside.
fn c_string_bytes(chars: &[char]) -> Result<Vec<u8>, Mismatch> {
    let mut bytes;
    if chars.iter().all(|&c| c != '\0' && c.is_ascii()) {
        bytes = Vec::with_capacity(chars.len() + 1);
        bytes.extend(chars.iter().map(|&c| c as u8));
    } else {
        bytes = Vec::with_capacity(chars.iter().map(|c| c.len_utf8()).sum::<usize>() + 1);
        for &c in chars {
            if c == '\0' {
                return Err(Mismatch {
                    kind: "range",
                    message: "string contains a NUL character, which C would take for its end".into(),
                });
            }
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    bytes.push(0);
    Ok(bytes)
}

/// The exact integer `v` as an i128, if it is one that fits.
pub fn exact_integer(vm: &Vm, v: Value) -> Option<Result<i128, ()>> {
    match v {
        Value::Fixnum(n) => Some(Ok(n as i128)),
        Value::Object(_) => match vm.heap.object(v) {
            Some(Object::Bignum(b)) => Some(b.to_i128().ok_or(())),
            _ => None,
        },
        _ => None,
    }
}

fn integer_bits(vm: &Vm, ty: IntType, v: Value) -> Result<u64, Mismatch> {
    let n = match (exact_integer(vm, v), v) {
        (Some(Ok(n)), _) => n,
        (None, Value::Char(c)) => c as i128,
        (Some(Err(())), _) => i128::MAX,
        (None, _) => {
            return Err(Mismatch::type_error(vm, &format!("an exact integer for {}", describe_int(ty)), v))
        }
    };
    let (min, max) = ty.range();
    if n < min || n > max {
        return Err(Mismatch {
            kind: "range",
            message: format!(
                "{} is out of range for {} ({min} to {max})",
                write_limited(&vm.heap, v, 60),
                describe_int(ty)
            ),
        });
    }
    Ok(n as u64)
}

fn describe_int(ty: IntType) -> String {
    CType::Int(ty).describe()
}

/// A C `double` from a real number.
pub fn real(vm: &Vm, v: Value) -> Option<f64> {
    match v {
        Value::Flonum(f) => Some(f),
        Value::Fixnum(n) => Some(n as f64),
        Value::Object(_) => match vm.heap.object(v) {
            Some(Object::Bignum(b)) => b.to_f64(),
            Some(Object::Rational(r)) => r.to_f64(),
            _ => None,
        },
        _ => None,
    }
}

/// The address of the memory `v` names for a pointer-typed slot: a pointer object, a
/// bytevector (its bytes) or `#f` (NULL). Bytevector bytes stay put while the bytevector is
/// alive, and Seam never resizes one.
pub fn pointer_address(vm: &mut Vm, v: Value) -> Option<usize> {
    match v {
        Value::Bool(false) => Some(0),
        Value::Object(_) => match vm.heap.object(v) {
            Some(Object::Bytevector(_)) => vm.heap.bytevector_mut(v).map(|bytes| bytes.as_mut_ptr() as usize),
            Some(Object::HostObject(_)) => {
                pointer::address(vm, v).or_else(|| crate::callback::code_address(vm, v))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Writes `v` as a C `ty` at `dst` (which has room for `ty.size()` bytes, or 8 for
/// integers, which are written as whole words so a call can pass them in a register).
///
/// # Safety
/// `dst` must be valid for writes of `max(ty.size(), 8)` bytes.
pub unsafe fn write(
    vm: &mut Vm,
    ty: &CType,
    v: Value,
    dst: *mut u8,
    temps: &mut Temps,
) -> Result<(), Mismatch> {
    let word = |bits: u64| {
        // SAFETY: the caller gives room for a word.
        unsafe { (dst as *mut u64).write_unaligned(bits) }
    };
    match ty {
        CType::Void => return Err(Mismatch::ffi("cannot pass a void value")),
        CType::Int(i) => {
            let bits = integer_bits(vm, *i, v)?;
            // Sign-extend to a whole word, as the registers carry it.
            let shift = 64 - i.size as u32 * 8;
            word(if i.signed { (((bits << shift) as i64) >> shift) as u64 } else { bits });
        }
        CType::Bool | CType::Boolean => match v {
            Value::Bool(b) => word(b as u64),
            _ => return Err(Mismatch::type_error(vm, "a boolean", v)),
        },
        CType::Float => match real(vm, v) {
            // SAFETY: room for a word, as above.
            Some(f) => unsafe {
                word(0);
                (dst as *mut f32).write_unaligned(f as f32)
            },
            None => return Err(Mismatch::type_error(vm, "a real number for float", v)),
        },
        CType::Double => match real(vm, v) {
            Some(f) => word(f.to_bits()),
            None => return Err(Mismatch::type_error(vm, "a real number for double", v)),
        },
        CType::String => {
            let address = match v {
                Value::Bool(false) => 0,
                _ => match vm.heap.as_str(v) {
                    Some(chars) => {
                        let bytes = c_string_bytes(chars)?;
                        let address = bytes.as_ptr() as usize;
                        temps.keep_string(bytes);
                        address
                    }
                    None => match pointer::address(vm, v) {
                        Some(address) => address,
                        None => {
                            return Err(Mismatch::type_error(
                                vm,
                                "a string, a foreign pointer or #f for string",
                                v,
                            ))
                        }
                    },
                },
            };
            word(address as u64);
        }
        CType::Bytevector => match v {
            Value::Bool(false) => word(0),
            _ => match vm.heap.bytevector_mut(v) {
                Some(bytes) => word(bytes.as_mut_ptr() as u64),
                None => return Err(Mismatch::type_error(vm, "a bytevector or #f", v)),
            },
        },
        CType::Pointer(_) | CType::Array(..) => match pointer_address(vm, v) {
            Some(address) => word(address as u64),
            None => {
                return Err(Mismatch::type_error(
                    vm,
                    &format!("a foreign pointer, bytevector or #f for {}", ty.describe()),
                    v,
                ))
            }
        },
        CType::Callback(sig) => match pointer_address(vm, v) {
            Some(address) => word(address as u64),
            None if is_procedure(&vm.heap, v) => {
                let callback = Callback::new(vm, v, sig.clone()).map_err(Mismatch::ffi)?;
                word(callback.code() as u64);
                temps.callbacks.push(callback);
            }
            None => return Err(Mismatch::type_error(vm, "a procedure, a callback or a foreign pointer", v)),
        },
        CType::Aggregate(a) => {
            let source = match pointer::get(vm, v) {
                Some(p) => p.checked(0, a.size).map_err(Mismatch::ffi)?,
                None => match vm.heap.object(v) {
                    Some(Object::Bytevector(bytes)) if bytes.len() >= a.size => bytes.as_ptr() as usize,
                    _ => {
                        return Err(Mismatch::type_error(
                            vm,
                            &format!(
                                "a foreign pointer to a {} (or a bytevector of {} bytes)",
                                a.name, a.size
                            ),
                            v,
                        ))
                    }
                },
            };
            // SAFETY: `source` was checked to hold `a.size` bytes (as far as Seam knows), and
            // the caller gives room for `ty.size()` bytes at `dst`.
            unsafe { std::ptr::copy(source as *const u8, dst, a.size) };
        }
    }
    Ok(())
}

/// Reads a C `ty` at `src` as a Scheme value. Structs, unions and arrays become pointers
/// into `src`'s memory (in `block`, when known).
///
/// # Safety
/// `src` must be valid for reads of `ty.size()` bytes (a word for integers narrower than
/// one that a C function returned).
pub unsafe fn read(vm: &mut Vm, ty: &CType, src: *const u8, block: Option<&Arc<Block>>) -> Value {
    // SAFETY: the caller vouches for `ty.size()` readable bytes at `src`.
    unsafe {
        match ty {
            CType::Void => Value::Unspecified,
            CType::Bool => Value::Bool(src.read() != 0),
            CType::Boolean => Value::Bool((src as *const i32).read_unaligned() != 0),
            CType::Int(i) => {
                let n: i128 = match (i.size, i.signed) {
                    (1, true) => (src as *const i8).read() as i128,
                    (1, false) => src.read() as i128,
                    (2, true) => (src as *const i16).read_unaligned() as i128,
                    (2, false) => (src as *const u16).read_unaligned() as i128,
                    (4, true) => (src as *const i32).read_unaligned() as i128,
                    (4, false) => (src as *const u32).read_unaligned() as i128,
                    (_, true) => (src as *const i64).read_unaligned() as i128,
                    (_, false) => (src as *const u64).read_unaligned() as i128,
                };
                integer(vm, n)
            }
            CType::Float => Value::Flonum((src as *const f32).read_unaligned() as f64),
            CType::Double => Value::Flonum((src as *const f64).read_unaligned()),
            CType::Pointer(_) | CType::Callback(_) | CType::Bytevector => {
                let address = (src as *const usize).read_unaligned();
                pointer::make(vm, address, None)
            }
            CType::String => {
                let address = (src as *const usize).read_unaligned();
                c_string(vm, address, None)
            }
            CType::Aggregate(_) | CType::Array(..) => pointer::make(vm, src as usize, block.cloned()),
        }
    }
}

/// An exact integer value.
#[inline]
pub fn integer(vm: &mut Vm, n: i128) -> Value {
    match i64::try_from(n) {
        Ok(n) => Value::Fixnum(n),
        Err(_) => vm.heap.alloc(Object::Bignum(num_bigint::BigInt::from(n))),
    }
}

/// The C string at `address` (NUL-terminated, or `len` bytes) as a Scheme string, decoding
/// UTF-8 (invalid sequences become U+FFFD); `#f` for NULL.
///
/// # Safety
/// A non-null `address` must point to a NUL-terminated string, or to `len` readable bytes.
pub unsafe fn c_string(vm: &mut Vm, address: usize, len: Option<usize>) -> Value {
    if address == 0 {
        return Value::Bool(false);
    }
    // SAFETY: as the caller promises.
    let bytes = unsafe {
        match len {
            Some(len) => std::slice::from_raw_parts(address as *const u8, len),
            None => std::ffi::CStr::from_ptr(address as *const std::ffi::c_char).to_bytes(),
        }
    };
    let text = String::from_utf8_lossy(bytes);
    vm.heap.string(&text)
}

/// A Scheme value for a pointer slot that may hold a pointer object or a bytevector.
pub fn pointer_or_bytes(vm: &Vm, v: Value) -> Option<Pointer> {
    match pointer::get(vm, v) {
        Some(p) => Some(p),
        None => match vm.heap.object(v) {
            Some(Object::Bytevector(bytes)) => {
                let base = bytes.as_ptr() as usize;
                Some(Pointer {
                    addr: base,
                    block: Some(Block::new(base, Some(bytes.len()), crate::pointer::Release::Bytevector)),
                })
            }
            _ => None,
        },
    }
}
