//! Foreign pointers: a C address, and (when Seam knows it) the block of memory it points
//! into, so dereferencing is checked — a null pointer, freed memory or an offset past the
//! end of a block is a Scheme error, never a segfault. Memory from `foreign-alloc` belongs to
//! its block, which is freed when `foreign-free` is called or when every pointer into it is
//! garbage; `set-foreign-finalizer!` gives memory from C the same treatment.

use std::any::Any;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use seam_vm::host_object::HostTypeInfo;
use seam_vm::{Object, Value, Vm};

use crate::library::SharedObject;

/// A pointer object's contents.
#[derive(Clone, Debug)]
pub struct Pointer {
    pub addr: usize,
    /// The block `addr` points into, when known.
    pub block: Option<Arc<Block>>,
}

/// A block of foreign memory Seam knows the extent (and possibly the owner) of.
#[derive(Debug)]
pub struct Block {
    pub base: usize,
    /// Its size in bytes, if known.
    pub size: Option<usize>,
    release: Release,
    freed: AtomicBool,
    /// The shared object the memory (or the finalizer's code) lives in, kept loaded while
    /// the block is in use: a symbol's address, or a finalizer from `foreign-symbol`, must
    /// not outlive its library's `dlclose`.
    library: Option<Arc<SharedObject>>,
}

/// What happens to a block when it is freed.
#[derive(Debug, Clone, Copy)]
pub enum Release {
    /// Nothing: Seam does not own it.
    None,
    /// `free()` it (it came from `calloc`).
    Free,
    /// Call this C function (`void f(void*)`) on it.
    Finalizer(usize),
    /// Nothing: the bytes of a Scheme bytevector, valid only while the bytevector is in
    /// hand, so no pointer into them may be handed out.
    Bytevector,
}

impl Block {
    pub fn new(base: usize, size: Option<usize>, release: Release) -> Arc<Block> {
        Block::in_library(base, size, release, None)
    }

    /// A block whose memory or finalizer belongs to `library`, which stays loaded until the
    /// block is released and dropped.
    pub fn in_library(
        base: usize,
        size: Option<usize>,
        release: Release,
        library: Option<Arc<SharedObject>>,
    ) -> Arc<Block> {
        Arc::new(Block { base, size, release, freed: AtomicBool::new(false), library })
    }

    /// The shared object this block's memory or finalizer lives in, if known.
    pub fn library(&self) -> Option<&Arc<SharedObject>> {
        self.library.as_ref()
    }

    pub fn release_kind(&self) -> Release {
        self.release
    }

    pub fn is_freed(&self) -> bool {
        self.freed.load(Ordering::Acquire)
    }

    /// Frees the block now (once); later uses of pointers into it are errors.
    pub fn release(&self) -> bool {
        if self.freed.swap(true, Ordering::AcqRel) {
            return false;
        }
        match self.release {
            Release::None | Release::Bytevector => {}
            // SAFETY: `Free` blocks come from `calloc` in `allocate`, and the `freed` flag
            // (swapped above) makes this the only release.
            Release::Free => unsafe { libc::free(self.base as *mut c_void) },
            Release::Finalizer(f) => {
                // SAFETY: the program declared `f` to be a C function taking the pointer
                // (`set-foreign-finalizer!`), and it runs once, as above.
                let f: extern "C" fn(*mut c_void) = unsafe { std::mem::transmute(f) };
                f(self.base as *mut c_void);
            }
        }
        true
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        // Runs before the fields drop, so a finalizer's library is still loaded here.
        self.release();
    }
}

fn pointer_name() -> &'static str {
    "foreign-pointer"
}

fn write_pointer(cell: &dyn Any, out: &mut String) {
    let Some(cell) = cell.downcast_ref::<std::cell::RefCell<Option<Pointer>>>() else { return };
    match cell.try_borrow().ok().and_then(|p| p.as_ref().map(|p| p.addr)) {
        Some(0) => out.push_str(" null"),
        Some(addr) => out.push_str(&format!(" {addr:#x}")),
        None => {}
    }
}

pub static POINTER_INFO: HostTypeInfo = HostTypeInfo { name: pointer_name, write: write_pointer };

/// A new pointer object (see [`make_owner`] for memory Seam just allocated).
pub fn make(vm: &mut Vm, addr: usize, block: Option<Arc<Block>>) -> Value {
    vm.host_object(Pointer { addr, block }, &POINTER_INFO)
}

/// A new pointer object for memory Seam just allocated (`allocate`): the block's size is
/// charged to the collector, so garbage pointers to large blocks are collected (and the
/// blocks freed) as promptly as Scheme objects of that size. Pointers derived from it
/// (`pointer+`, struct fields) share the block without being charged again.
pub fn make_owner(vm: &mut Vm, owner: Pointer) -> Value {
    let external = owner.block.as_ref().and_then(|b| b.size).unwrap_or(0);
    vm.host_object_owning(owner, &POINTER_INFO, external)
}

/// The pointer held by `v`, if it is a pointer object.
pub fn get(vm: &Vm, v: Value) -> Option<Pointer> {
    let Some(Object::HostObject(h)) = vm.heap.object(v) else { return None };
    h.cell::<Pointer>()?.try_borrow().ok()?.clone()
}

/// Just the address of pointer object `v` (no reference counting).
pub fn address(vm: &Vm, v: Value) -> Option<usize> {
    let Some(Object::HostObject(h)) = vm.heap.object(v) else { return None };
    h.cell::<Pointer>()?.try_borrow().ok()?.as_ref().map(|p| p.addr)
}

/// Replaces the block of pointer object `v`.
pub fn set_block(vm: &Vm, v: Value, block: Arc<Block>) -> bool {
    let Some(Object::HostObject(h)) = vm.heap.object(v) else { return false };
    let Some(cell) = h.cell::<Pointer>() else { return false };
    let Ok(mut p) = cell.try_borrow_mut() else { return false };
    match p.as_mut() {
        Some(p) => {
            p.block = Some(block);
            true
        }
        None => false,
    }
}

/// `size` zeroed bytes from `calloc`, owned by a new block.
pub fn allocate(size: usize) -> Result<Pointer, String> {
    // SAFETY: calloc with any size is defined; we check for failure.
    let base = unsafe { libc::calloc(size.max(1), 1) } as usize;
    if base == 0 {
        return Err(format!("cannot allocate {size} bytes of foreign memory"));
    }
    Ok(Pointer { addr: base, block: Some(Block::new(base, Some(size), Release::Free)) })
}

impl Pointer {
    /// Refuses to read a `ty` that would come back as a pointer into this memory when it
    /// is a bytevector's (the pointer could outlive the bytevector).
    pub fn check_escape(&self, ty: &crate::types::CType) -> Result<(), String> {
        let into_bytevector = self.block.as_ref().is_some_and(|b| matches!(b.release, Release::Bytevector));
        match ty {
            crate::types::CType::Aggregate(_) | crate::types::CType::Array(..) if into_bytevector => {
                Err(format!(
                    "cannot make a pointer into a bytevector (for {}): use memory from foreign-alloc",
                    ty.describe()
                ))
            }
            _ => Ok(()),
        }
    }

    /// The address `offset` bytes on, if `size` bytes there are safe to touch as far as Seam
    /// knows: not null, not freed, inside the block when its extent is known.
    pub fn checked(&self, offset: isize, size: usize) -> Result<usize, String> {
        if self.addr == 0 {
            return Err("null pointer dereference".into());
        }
        let addr = self
            .addr
            .checked_add_signed(offset)
            .filter(|a| *a != 0)
            .ok_or_else(|| format!("address {:#x} + {offset} is outside the address space", self.addr))?;
        if let Some(block) = &self.block {
            if block.is_freed() {
                return Err(format!("use of foreign memory at {:#x} after it was freed", block.base));
            }
            if let Some(len) = block.size {
                let end = block.base + len;
                if addr < block.base || addr.checked_add(size).is_none_or(|e| e > end) {
                    return Err(format!(
                        "access of {size} bytes at offset {} is outside a {len}-byte block of foreign memory",
                        addr as isize - block.base as isize
                    ));
                }
            }
        }
        Ok(addr)
    }

    /// The pointer `offset` bytes on, in the same block.
    pub fn offset(&self, offset: isize) -> Result<Pointer, String> {
        let addr = self
            .addr
            .checked_add_signed(offset)
            .ok_or_else(|| format!("address {:#x} + {offset} is outside the address space", self.addr))?;
        Ok(Pointer { addr, block: self.block.clone() })
    }
}
