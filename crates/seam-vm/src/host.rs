//! The host's side of the VM: Rust closures callable from Scheme (`HostFunction`), the
//! table of values Rust holds through rooted handles, and host state by type.
//!
//! A host function reads its arguments straight from the value stack (`HostArgs`), so a
//! call allocates nothing; it may re-enter the VM (`Vm::call`) because its arguments stay
//! on the stack, rooted, until it returns. A panic inside one is caught here and becomes a
//! Scheme error; the stacks are put back as they were at the call.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::builtins::{simple, Builtin};
use crate::error::Condition;
use crate::object::{ErrorObject, Object};
use crate::suspend::{AsyncHostBody, HostFuture};
use crate::value::Value;
use crate::vm::Vm;

/// An error kept with a Scheme error object so the host can reach it through
/// `std::error::Error::source`.
pub type HostSource = Arc<dyn std::error::Error + Send + Sync>;

/// The body of a host function: reads its arguments from the VM and returns a value or a
/// failure.
pub type HostBody = dyn Fn(&mut Vm, HostArgs) -> Result<Value, HostFailure> + Send;

/// The body of a host function whose data lives in the function object itself
/// ([`Vm::direct_host_function`]): a plain function given that data. A call costs no
/// reference count, which matters for the cheapest calls (the C FFI's).
pub type DirectFn = fn(&mut Vm, HostArgs, &(dyn Any + Send)) -> Result<Value, HostFailure>;

/// The variant of a [`DirectFn`] used when the calling Scheme task can wait: it starts a
/// future instead (see [`Vm::direct_host_function`]).
pub type DirectAsyncFn = fn(&mut Vm, HostArgs, &(dyn Any + Send)) -> Result<HostFuture, HostFailure>;

/// Where a host function's arguments are on the value stack.
#[derive(Clone, Copy, Debug)]
pub struct HostArgs {
    start: usize,
    len: usize,
}

impl HostArgs {
    /// No arguments (for messages about a call whose arguments are gone).
    pub fn none() -> HostArgs {
        HostArgs { start: 0, len: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Argument `i` (0-based), if given.
    #[inline]
    pub fn get(&self, vm: &Vm, i: usize) -> Option<Value> {
        (i < self.len).then(|| vm.stack[self.start + i].get())
    }
}

/// Why a host function failed: becomes a Scheme error object (catchable with `guard`).
#[derive(Debug)]
pub struct HostFailure {
    /// The error kind (`error-object-kind`): `invalid-type`, `out-of-range`, `arity`, `host`, ...
    pub kind: Arc<str>,
    pub message: String,
    pub irritants: Vec<Value>,
    /// The Rust error behind it, if any.
    pub source: Option<HostSource>,
    /// An object to raise as it is instead (an awaited task's error).
    pub raise: Option<Value>,
}

impl HostFailure {
    pub fn new(kind: impl Into<Arc<str>>, message: impl Into<String>) -> HostFailure {
        HostFailure {
            kind: kind.into(),
            message: message.into(),
            irritants: Vec::new(),
            source: None,
            raise: None,
        }
    }

    /// Raises `object` itself (which must be reachable from a GC root until it is raised).
    pub fn raising(object: Value) -> HostFailure {
        HostFailure { raise: Some(object), ..HostFailure::new("raise", "") }
    }
}

/// A Rust closure Scheme can call.
pub struct HostFunction {
    pub name: Arc<str>,
    pub min: u16,
    /// `u16::MAX` for "any number".
    pub max: u16,
    body: Body,
}

/// What calling a host function does: return at once, or start a future the calling Scheme
/// task waits for (see `suspend.rs`).
enum Body {
    Sync(SharedBody),
    Async(Shared<AsyncHostBody>),
    Direct(DirectFn, Option<DirectAsyncFn>, Box<dyn Any + Send>),
}

/// What a host call produced.
pub(crate) enum HostOutcome {
    Value(Value),
    /// An error object to raise.
    Error(Value),
    /// An async host function's future: the run suspends until it completes.
    Suspend(HostFuture),
}

impl fmt::Debug for HostFunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HostFunction({})", self.name)
    }
}

/// A closure, shared so a call can run it while the VM is borrowed mutably (a host
/// function may re-enter the VM and be called again).
struct Shared<B: ?Sized>(Arc<B>);

impl<B: ?Sized> Clone for Shared<B> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

type SharedBody = Shared<HostBody>;

// SAFETY: the closure is `Send` (not necessarily `Sync`). Every clone of this `Arc` is owned
// by one `Vm`: by its heap, or by the Rust stack of `Vm::call_host`, which holds `&mut Vm`
// for as long as the clone lives. So the closure is only ever touched by the thread that
// owns the `Vm` at that moment, and moving the `Vm` to another thread moves every clone
// with it, which is exactly what `Send` on the closure allows.
unsafe impl<B: ?Sized + Send> Send for Shared<B> {}

/// Values the host holds through rooted handles: slots the collector treats as roots.
/// Handles are dropped without access to the VM, so a dropped slot is queued and freed the
/// next time the VM touches the table.
pub struct HandleTable {
    values: Vec<Value>,
    free: Vec<u32>,
    dropped: Arc<Mutex<Vec<u32>>>,
    /// Distinguishes engines, so a handle used with the wrong one is an error.
    engine: u64,
}

impl Default for HandleTable {
    fn default() -> Self {
        static NEXT_ENGINE: AtomicU64 = AtomicU64::new(1);
        HandleTable {
            values: Vec::new(),
            free: Vec::new(),
            dropped: Arc::default(),
            engine: NEXT_ENGINE.fetch_add(1, Ordering::Relaxed),
        }
    }
}

impl HandleTable {
    /// The id of the engine this table belongs to.
    pub fn engine_id(&self) -> u64 {
        self.engine
    }

    /// The queue a handle pushes its slot onto when dropped.
    pub fn drop_queue(&self) -> Arc<Mutex<Vec<u32>>> {
        self.dropped.clone()
    }

    fn reclaim(&mut self) {
        let Ok(mut dropped) = self.dropped.lock() else { return };
        for slot in dropped.drain(..) {
            if let Some(v) = self.values.get_mut(slot as usize) {
                *v = Value::Unspecified;
                self.free.push(slot);
            }
        }
    }

    /// Roots `value` and returns its slot.
    pub fn root(&mut self, value: Value) -> u32 {
        self.reclaim();
        match self.free.pop() {
            Some(slot) => {
                self.values[slot as usize] = value;
                slot
            }
            None => {
                self.values.push(value);
                (self.values.len() - 1) as u32
            }
        }
    }

    pub fn get(&self, slot: u32) -> Value {
        self.values.get(slot as usize).copied().unwrap_or(Value::Unspecified)
    }

    /// Every rooted value (for the collector).
    pub(crate) fn roots(&mut self) -> &[Value] {
        self.reclaim();
        &self.values
    }

    /// How many values are rooted now.
    pub fn live(&mut self) -> usize {
        self.reclaim();
        self.values.len() - self.free.len()
    }
}

/// Host state by type (`Engine::set_state`).
#[derive(Default)]
pub struct HostState {
    values: HashMap<TypeId, Box<dyn Any + Send>>,
}

impl HostState {
    pub fn set<T: Any + Send>(&mut self, value: T) {
        self.values.insert(TypeId::of::<T>(), Box::new(value));
    }

    pub fn get<T: Any + Send>(&self) -> Option<&T> {
        self.values.get(&TypeId::of::<T>())?.downcast_ref()
    }

    pub fn get_mut<T: Any + Send>(&mut self) -> Option<&mut T> {
        self.values.get_mut(&TypeId::of::<T>())?.downcast_mut()
    }

    pub fn remove<T: Any + Send>(&mut self) -> Option<T> {
        self.values.remove(&TypeId::of::<T>())?.downcast().ok().map(|b| *b)
    }
}

pub(crate) const BUILTINS: &[Builtin] =
    &[simple("error-object-kind", 1, 1, |heap, a| match heap.object(a[0]) {
        Some(Object::Error(e)) => {
            let kind = e.kind.clone();
            Ok(heap.intern(&kind))
        }
        _ => Err(Condition::wrong_type(heap, "error-object-kind", 1, "error object", a[0])),
    })];

impl Vm {
    /// A new host function object.
    pub fn host_function(&mut self, name: &str, min: u16, max: u16, body: Box<HostBody>) -> Value {
        let body = Body::Sync(Shared(Arc::from(body)));
        self.heap.alloc(Object::Host(Box::new(HostFunction { name: Arc::from(name), min, max, body })))
    }

    /// A new host function object calling `call` with `data`, which the object owns (see
    /// [`DirectFn`]). With `start`, a call from a run that can suspend (one started by
    /// [`Vm::call_resumable`]) runs `start` instead and waits for its future, so other
    /// Scheme tasks keep going meanwhile.
    pub fn direct_host_function(
        &mut self,
        name: &str,
        (min, max): (u16, u16),
        call: DirectFn,
        start: Option<DirectAsyncFn>,
        data: Box<dyn Any + Send>,
    ) -> Value {
        let body = Body::Direct(call, start, data);
        self.heap.alloc(Object::Host(Box::new(HostFunction { name: Arc::from(name), min, max, body })))
    }

    /// A new async host function object: its body starts a future, and the calling Scheme
    /// code waits for it (only in a run started by [`Vm::call_resumable`]).
    pub fn async_host_function(&mut self, name: &str, min: u16, max: u16, body: Box<AsyncHostBody>) -> Value {
        let body = Body::Async(Shared(Arc::from(body)));
        self.heap.alloc(Object::Host(Box::new(HostFunction { name: Arc::from(name), min, max, body })))
    }

    /// Calls host function object `o` on the `argc` arguments above `stack[fi]`. The
    /// arguments stay on the stack for the whole call.
    pub(crate) fn call_host(&mut self, o: u32, fi: usize, argc: usize) -> HostOutcome {
        match self.call_host_inner(o, fi, argc) {
            Ok(outcome) => outcome,
            Err(error) => HostOutcome::Error(error),
        }
    }

    fn call_host_inner(&mut self, o: u32, fi: usize, argc: usize) -> Result<HostOutcome, Value> {
        let Object::Host(h) = self.heap.get(o) else {
            return Err(self.host_error_object(HostFailure::new("type", "not a host function")));
        };
        let (min, max) = (h.min, h.max);
        if argc < min as usize || (max != u16::MAX && argc > max as usize) {
            let name = h.name.clone();
            let expected = match (min, max) {
                (min, max) if min == max => min.to_string(),
                (min, u16::MAX) => format!("at least {min}"),
                (min, max) => format!("{min} to {max}"),
            };
            let plural = if expected == "1" || expected == "at least 1" { "" } else { "s" };
            let message = format!("{name}: expected {expected} argument{plural}, got {argc}");
            return Err(self.host_error_object(HostFailure::new("arity", message)));
        }
        let (stack_len, frames_len) = (self.stack.len(), self.frames.len());
        let args = HostArgs { start: fi + 1, len: argc };
        let outcome = match &h.body {
            Body::Direct(_, Some(start), data) if self.suspendable => {
                let (start, data): (DirectAsyncFn, *const (dyn Any + Send)) = (*start, &**data);
                // SAFETY: as for the synchronous case below.
                catch_unwind(AssertUnwindSafe(|| {
                    start(self, args, unsafe { &*data }).map(HostOutcome::Suspend)
                }))
            }
            Body::Direct(call, _, data) => {
                let (call, data): (DirectFn, *const (dyn Any + Send)) = (*call, &**data);
                // SAFETY: `data` is owned by the function object being called, a boxed
                // `HostFunction` whose address does not change while it lives. That object
                // is `stack[fi]`, which stays on the value stack (a GC root) until this call
                // returns: nested runs only grow the stack above it and cut it back to where
                // they started, and a panic is caught before the stack is touched.
                // The body gets a shared reference, so nested calls of the same function
                // can share it too.
                self.run_synchronously(|vm| call(vm, args, unsafe { &*data }))
            }
            Body::Sync(body) => {
                let body = body.clone();
                self.run_synchronously(|vm| (body.0)(vm, args))
            }
            Body::Async(_) if !self.suspendable => {
                let name = h.name.clone();
                let message = format!(
                    "{name} is an async host function: run the code that calls it with \
                     Engine::eval_async or Function::call_async, not from synchronous code"
                );
                return Err(self.host_error_object(HostFailure::new("async", message)));
            }
            Body::Async(body) => {
                let body = body.clone();
                catch_unwind(AssertUnwindSafe(|| (body.0)(self, args).map(HostOutcome::Suspend)))
            }
        };
        self.host_outcome(o, stack_len, frames_len, outcome)
    }

    /// The fast path of a call (`Op::Call`) to a host function that runs synchronously
    /// here (a synchronous one, or a direct one such as the C FFI's foreign procedures when
    /// it does not start a future): the same as [`Vm::call_host`] for such a function (the
    /// arity check, `suspendable` off during the call, panics caught). `None` for any other
    /// callee or an arity mismatch, which go the general way (`apply`). Kept out of the
    /// interpreter loop, whose code it would crowd.
    #[inline(never)]
    pub(crate) fn call_host_sync(&mut self, o: u32, fi: usize, argc: usize) -> Option<HostOutcome> {
        let Object::Host(h) = self.heap.get(o) else { return None };
        if argc < h.min as usize || (h.max != u16::MAX && argc > h.max as usize) {
            return None;
        }
        let (stack_len, frames_len) = (self.stack.len(), self.frames.len());
        let args = HostArgs { start: fi + 1, len: argc };
        let outcome = match &h.body {
            Body::Direct(call, start, data) if start.is_none() || !self.suspendable => {
                let (call, data): (DirectFn, *const (dyn Any + Send)) = (*call, &**data);
                // SAFETY: as in `call_host_inner`: `data` is owned by the function object at
                // `stack[fi]`, which stays on the value stack until this call returns.
                self.run_synchronously(|vm| call(vm, args, unsafe { &*data }))
            }
            Body::Sync(body) => {
                let body = body.clone();
                self.run_synchronously(|vm| (body.0)(vm, args))
            }
            _ => return None,
        };
        Some(match outcome {
            Ok(Ok(outcome)) => outcome,
            other => match self.host_outcome(o, stack_len, frames_len, other) {
                Ok(outcome) => outcome,
                Err(error) => HostOutcome::Error(error),
            },
        })
    }

    /// Runs a synchronous host body: `suspendable` is off meanwhile (a synchronous host
    /// function cannot suspend, nor can what it calls), and a panic is caught.
    #[inline(always)]
    fn run_synchronously(
        &mut self,
        body: impl FnOnce(&mut Vm) -> Result<Value, HostFailure>,
    ) -> std::thread::Result<Result<HostOutcome, HostFailure>> {
        let suspendable = std::mem::replace(&mut self.suspendable, false);
        let outcome = catch_unwind(AssertUnwindSafe(|| body(self).map(HostOutcome::Value)));
        self.suspendable = suspendable;
        outcome
    }

    /// What a host call's body produced, failures and panics made error objects.
    #[inline]
    fn host_outcome(
        &mut self,
        o: u32,
        stack_len: usize,
        frames_len: usize,
        outcome: std::thread::Result<Result<HostOutcome, HostFailure>>,
    ) -> Result<HostOutcome, Value> {
        match outcome {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(failure)) => Err(self.host_error_object(failure)),
            Err(panic) => Err(self.host_panicked(o, stack_len, frames_len, panic)),
        }
    }

    /// The error object for host function `o`'s panic, after putting the stacks back as
    /// they were at the call.
    #[cold]
    #[inline(never)]
    fn host_panicked(
        &mut self,
        o: u32,
        stack_len: usize,
        frames_len: usize,
        panic: Box<dyn Any + Send>,
    ) -> Value {
        // The closure may have panicked inside a nested call: put the stacks back.
        self.stack.truncate(stack_len);
        self.frames.truncate(frames_len);
        self.pending_escape = None;
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a non-string panic payload".to_string());
        let name = match self.heap.get(o) {
            Object::Host(h) => h.name.clone(),
            _ => Arc::from("?"),
        };
        let failure = HostFailure::new("host", format!("host function {name} panicked: {what}"));
        self.host_error_object(failure)
    }

    /// The error object for a host failure.
    pub fn host_error_object(&mut self, failure: HostFailure) -> Value {
        if let Some(object) = failure.raise {
            return object;
        }
        let message = self.heap.string(&failure.message);
        let irritants = self.heap.list(&failure.irritants);
        let error = ErrorObject { kind: failure.kind, message, irritants, source: failure.source };
        self.heap.alloc(Object::Error(Box::new(error)))
    }

    /// The Rust error kept with error object `v`, if it has one.
    pub fn error_source(&self, v: Value) -> Option<HostSource> {
        match self.heap.object(v) {
            Some(Object::Error(e)) => e.source.clone(),
            _ => None,
        }
    }
}
