//! Callbacks: Scheme procedures as C function pointers, through libffi closures.
//!
//! A callback called on the thread running one of its engine's foreign calls runs the
//! procedure at once, re-entering the VM the call came from. Called from any other thread
//! (or when no foreign call of the engine is running), the call is queued for the engine:
//! a `void` callback returns at once, any other waits for the engine to run it — which it
//! does when a foreign call returns, while a `blocking` call waits, and at
//! `(foreign-run-callbacks)`. Nothing unwinds through C: a Scheme error, an escape or a
//! Rust panic inside a callback is kept and the callback returns zero; the foreign call
//! raises the error once the C function returns, and later calls of callbacks during that
//! foreign call return zero without running Scheme.

use std::collections::VecDeque;
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::task::Waker;

use libffi::low::ffi_cif;
use libffi::middle::{Cif, Closure};
use seam_vm::host_object::HostTypeInfo;
use seam_vm::{Object, Value, Vm};

use crate::convert::{self, Temps};
use crate::types::{CType, Signature};

/// A token for the current thread (the address of a thread-local, unique among live
/// threads).
#[inline]
pub fn thread_token() -> usize {
    thread_local!(static TOKEN: u8 = const { 0 });
    TOKEN.with(|t| t as *const u8 as usize)
}

/// What an engine's foreign procedures and callbacks share: which VM is inside a foreign
/// call on which thread, the queue of callbacks from other threads, the last `errno`, and
/// an error a callback is holding for the foreign call it interrupted.
#[derive(Default)]
pub struct Link {
    vm: AtomicPtr<Vm>,
    thread: AtomicUsize,
    pub errno: AtomicI32,
    queue: Mutex<VecDeque<Queued>>,
    queued: AtomicUsize,
    /// Wakes an engine thread waiting for a blocking call when a callback is queued.
    pub wake: Condvar,
    pub wake_lock: Mutex<()>,
    closed: AtomicBool,
    failed: AtomicBool,
    failure: Mutex<Option<Failure>>,
    /// Wakers of `eval_async` drivers whose tasks wait for blocking calls: a queued
    /// callback wakes them, so they run it (see `blocking::start`).
    async_wakers: Mutex<Vec<Waker>>,
}

/// Why a callback did not return normally.
pub enum Failure {
    /// A raised object, rooted in the handle table at this slot.
    Raised(u32),
    /// An error of the FFI's own (a result that did not convert, a panic).
    Error { kind: &'static str, message: String },
    /// A continuation escaping past the foreign call: the VM carries on with it.
    Escape,
}

/// Restores the link's record of the running foreign call when dropped.
pub struct Entered<'a> {
    link: &'a Link,
    vm: *mut Vm,
    thread: usize,
}

impl Drop for Entered<'_> {
    #[inline]
    fn drop(&mut self) {
        self.link.vm.store(self.vm, Ordering::Relaxed);
        self.link.thread.store(self.thread, Ordering::Relaxed);
    }
}

impl Link {
    /// Records that `vm` is running a foreign call on this thread, until the guard drops.
    ///
    /// Only the thread running the engine writes these fields (here and when the guard
    /// drops; a link belongs to one engine, and a call holds `&mut Vm`), so a load and a
    /// store do what a swap would, without a locked instruction; other threads only read.
    #[inline]
    pub fn enter(&self, vm: *mut Vm) -> Entered<'_> {
        let previous = self.vm.load(Ordering::Relaxed);
        self.vm.store(vm, Ordering::Relaxed);
        let thread = self.thread.load(Ordering::Relaxed);
        self.thread.store(thread_token(), Ordering::Relaxed);
        Entered { link: self, vm: previous, thread }
    }

    #[inline]
    pub fn has_queued(&self) -> bool {
        self.queued.load(Ordering::Acquire) > 0
    }

    #[inline]
    pub fn has_failure(&self) -> bool {
        self.failed.load(Ordering::Acquire)
    }

    pub fn take_failure(&self) -> Option<Failure> {
        self.failed.store(false, Ordering::Release);
        self.failure.lock().ok()?.take()
    }

    fn fail(&self, failure: Failure) {
        if let Ok(mut slot) = self.failure.lock() {
            slot.get_or_insert(failure);
            self.failed.store(true, Ordering::Release);
        }
    }

    /// Wakes `waker` when a callback is next queued.
    pub fn wake_on_queue(&self, waker: &Waker) {
        if let Ok(mut wakers) = self.async_wakers.lock() {
            if !wakers.iter().any(|w| w.will_wake(waker)) {
                wakers.push(waker.clone());
            }
        }
    }

    fn wake_async(&self) {
        let wakers = match self.async_wakers.lock() {
            Ok(mut wakers) => std::mem::take(&mut *wakers),
            Err(_) => return,
        };
        wakers.into_iter().for_each(Waker::wake);
    }

    /// The engine is gone: answer every waiting thread, and every later callback, with zero.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let drained: Vec<Queued> = match self.queue.lock() {
            Ok(mut queue) => queue.drain(..).collect(),
            Err(_) => Vec::new(),
        };
        self.queued.store(0, Ordering::Release);
        for item in drained {
            item.answer(None);
        }
    }

    fn push(&self, item: Queued) {
        if self.closed.load(Ordering::Acquire) {
            item.answer(None);
            return;
        }
        if let Ok(mut queue) = self.queue.lock() {
            queue.push_back(item);
            self.queued.fetch_add(1, Ordering::AcqRel);
        }
        let _guard = self.wake_lock.lock();
        self.wake.notify_all();
        self.wake_async();
    }

    /// Runs the callbacks other threads queued, on `vm` (this engine's).
    pub fn run_queued(&self, vm: &mut Vm) {
        loop {
            let item = match self.queue.lock() {
                Ok(mut queue) => queue.pop_front(),
                Err(_) => None,
            };
            let Some(item) = item else { return };
            self.queued.fetch_sub(1, Ordering::AcqRel);
            if item.data.dead.load(Ordering::Acquire) {
                item.answer(None);
                continue;
            }
            let arg_pointers: Vec<*const c_void> =
                item.args.iter().map(|a| a.as_ptr() as *const c_void).collect();
            let mut result = vec![0u8; result_size(&item.data.signature.ret)];
            // SAFETY: each argument buffer holds a copy of the argument of its declared
            // type, and `result` has room for the result type.
            unsafe { item.data.invoke_on(vm, arg_pointers.as_ptr(), result.as_mut_ptr()) };
            item.answer(Some(result));
        }
    }
}

/// A callback call from another thread, waiting for the engine.
struct Queued {
    data: Arc<CallbackData>,
    args: Vec<Vec<u8>>,
    reply: Option<Arc<Reply>>,
}

#[derive(Default)]
struct Reply {
    result: Mutex<Option<Vec<u8>>>,
    done: Condvar,
}

impl Queued {
    fn answer(self, result: Option<Vec<u8>>) {
        if let Some(reply) = self.reply {
            let size = result_size(&self.data.signature.ret);
            if let Ok(mut slot) = reply.result.lock() {
                *slot = Some(result.unwrap_or_else(|| vec![0; size]));
            }
            reply.done.notify_all();
        }
    }
}

fn result_size(ty: &CType) -> usize {
    ty.size().max(8)
}

/// What a callback's trampoline needs: the procedure (rooted in the handle table), the
/// signature and the engine's link.
pub struct CallbackData {
    procedure: u32,
    drop_queue: Arc<Mutex<Vec<u32>>>,
    pub signature: Arc<Signature>,
    link: Arc<Link>,
    dead: AtomicBool,
}

impl Drop for CallbackData {
    fn drop(&mut self) {
        if let Ok(mut queue) = self.drop_queue.lock() {
            queue.push(self.procedure);
        }
    }
}

impl CallbackData {
    /// Runs the procedure on `vm` with the C arguments at `args`, writing the result to
    /// `result`.
    ///
    /// # Safety
    /// `args` must hold one pointer per declared argument, each to a value of its type, and
    /// `result` must have room for `result_size(ret)` bytes.
    unsafe fn invoke_on(&self, vm: &mut Vm, args: *const *const c_void, result: *mut u8) {
        if self.link.has_failure() || vm.escape_pending() {
            return;
        }
        let mut values = Vec::with_capacity(self.signature.args.len());
        for (i, ty) in self.signature.args.iter().enumerate() {
            // SAFETY: as the caller promises.
            let value = unsafe { convert::read(vm, ty, *args.add(i) as *const u8, None) };
            values.push(value);
        }
        let procedure = vm.handles.get(self.procedure);
        match vm.call(procedure, &values) {
            Ok(value) => {
                if matches!(self.signature.ret, CType::Void) {
                    return;
                }
                let mut temps = Temps::default();
                // SAFETY: `result` has room for the result type (and a word).
                let written = unsafe { convert::write(vm, &self.signature.ret, value, result, &mut temps) };
                if let Err(e) = written {
                    let message = format!("callback result: {}", e.message);
                    self.link.fail(Failure::Error { kind: e.kind, message });
                } else if !temps.is_empty() {
                    // SAFETY: as above.
                    unsafe { std::ptr::write_bytes(result, 0, result_size(&self.signature.ret)) };
                    self.link.fail(Failure::Error {
                        kind: "ffi",
                        message: "a callback cannot return a Scheme string or procedure (the memory \
                                  would be freed on return): return a foreign pointer"
                            .into(),
                    });
                }
            }
            Err(error) if vm.escape_pending() => {
                let _ = error;
                self.link.fail(Failure::Escape);
            }
            Err(error) => match vm.take_last_raised() {
                Some(raised) => {
                    let slot = vm.handles.root(raised);
                    self.link.fail(Failure::Raised(slot));
                }
                None => self.link.fail(Failure::Error { kind: "ffi", message: error.message }),
            },
        }
    }
}

/// The trampoline every callback's C function pointer enters.
unsafe extern "C" fn trampoline(
    _cif: &ffi_cif,
    result: &mut u8,
    args: *const *const c_void,
    data: &Arc<CallbackData>,
) {
    let result: *mut u8 = result;
    let size = result_size(&data.signature.ret);
    // SAFETY: libffi hands us a result buffer of at least the result type's size (and a
    // word for integers): zero it so every early return gives C a zero.
    unsafe { std::ptr::write_bytes(result, 0, data.signature.ret.size().max(1).min(size)) };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if data.dead.load(Ordering::Acquire) {
            return;
        }
        let link = &data.link;
        let vm = link.vm.load(Ordering::Relaxed);
        if !vm.is_null() && link.thread.load(Ordering::Relaxed) == thread_token() {
            // SAFETY: the link holds `vm` only while a foreign call of that VM runs on this
            // thread (`Link::enter`); the call's body does not touch the VM until the C
            // function returns, so this is the only use of it meanwhile.
            let vm = unsafe { &mut *vm };
            // SAFETY: libffi passes one pointer per declared argument; `result` is sized.
            unsafe { data.invoke_on(vm, args, result) };
            return;
        }
        // Another thread: copy the arguments and queue the call for the engine.
        let mut copies = Vec::with_capacity(data.signature.args.len());
        for (i, ty) in data.signature.args.iter().enumerate() {
            let size = ty.size().max(8);
            let mut copy = vec![0u8; size];
            // SAFETY: argument `i` points to a value of its declared type.
            unsafe { std::ptr::copy_nonoverlapping(*args.add(i) as *const u8, copy.as_mut_ptr(), ty.size()) };
            copies.push(copy);
        }
        let wait = !matches!(data.signature.ret, CType::Void);
        let reply = wait.then(|| Arc::new(Reply::default()));
        link.push(Queued { data: data.clone(), args: copies, reply: reply.clone() });
        if let Some(reply) = reply {
            let Ok(mut slot) = reply.result.lock() else { return };
            while slot.is_none() {
                slot = match reply.done.wait(slot) {
                    Ok(slot) => slot,
                    Err(_) => return,
                };
            }
            if let Some(bytes) = slot.as_ref() {
                // SAFETY: `bytes` and `result` both hold the result type.
                unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), result, data.signature.ret.size()) };
            }
        }
    }));
    if outcome.is_err() {
        data.link.fail(Failure::Error { kind: "ffi", message: "a Rust panic inside a callback".into() });
    }
}

/// A C function pointer that calls a Scheme procedure.
pub struct Callback {
    closure: Option<Closure<'static>>,
    /// Boxed so the `Arc` the closure points to stays put when the `Callback` moves.
    #[allow(clippy::redundant_allocation)]
    data: Box<Arc<CallbackData>>,
}

// SAFETY: the closure is executable code plus a pointer to `data`, which is `Send + Sync`
// (atomics and mutexes); nothing in it is tied to the creating thread.
unsafe impl Send for Callback {}

impl Callback {
    /// A callback calling `procedure` (a Scheme procedure) with `signature`.
    pub fn new(vm: &mut Vm, procedure: Value, signature: Arc<Signature>) -> Result<Callback, String> {
        if signature.varargs {
            return Err("a callback cannot take variable arguments".into());
        }
        if matches!(signature.ret, CType::String) {
            return Err("a callback cannot return string: return a foreign pointer".into());
        }
        let link = crate::state(vm).link.clone();
        let cif = Cif::try_new(signature.args.iter().map(CType::ffi_type), signature.ret.ffi_type())
            .map_err(|e| format!("libffi cannot describe this callback: {e:?}"))?;
        let data = Box::new(Arc::new(CallbackData {
            procedure: vm.handles.root(procedure),
            drop_queue: vm.handles.drop_queue(),
            signature,
            link,
            dead: AtomicBool::new(false),
        }));
        let userdata: &Arc<CallbackData> = &data;
        // SAFETY: the closure refers to `*data`, a box owned by the same `Callback` and
        // dropped after the closure (see `Drop`), so the reference outlives every use.
        let userdata: &'static Arc<CallbackData> = unsafe { &*(userdata as *const Arc<CallbackData>) };
        let closure = Closure::try_new(cif, trampoline, userdata)
            .map_err(|e| format!("libffi cannot make a callback: {e:?}"))?;
        Ok(Callback { closure: Some(closure), data })
    }

    /// The C function pointer.
    pub fn code(&self) -> usize {
        self.closure.as_ref().map_or(0, |c| *c.code_ptr() as usize)
    }
}

impl Drop for Callback {
    fn drop(&mut self) {
        self.data.dead.store(true, Ordering::Release);
        self.closure.take();
    }
}

fn callback_name() -> &'static str {
    "foreign-callback"
}

fn write_callback(cell: &dyn std::any::Any, out: &mut String) {
    let Some(cell) = cell.downcast_ref::<std::cell::RefCell<Option<Callback>>>() else { return };
    match cell.try_borrow().ok().and_then(|c| c.as_ref().map(Callback::code)) {
        Some(code) => out.push_str(&format!(" {code:#x}")),
        None => out.push_str(" (freed)"),
    }
}

pub static CALLBACK_INFO: HostTypeInfo = HostTypeInfo { name: callback_name, write: write_callback };

/// The code address of callback object `v`, if it is a live one.
pub fn code_address(vm: &Vm, v: Value) -> Option<usize> {
    let Some(Object::HostObject(h)) = vm.heap.object(v) else { return None };
    h.cell::<Callback>()?.try_borrow().ok()?.as_ref().map(Callback::code)
}

/// Frees callback object `v` now; false if it is not a live callback.
pub fn free(vm: &Vm, v: Value) -> Option<bool> {
    let Some(Object::HostObject(h)) = vm.heap.object(v) else { return None };
    let cell = h.cell::<Callback>()?;
    let mut slot = cell.try_borrow_mut().ok()?;
    Some(slot.take().is_some())
}
