//! Foreign calls declared `blocking`: the C function runs on a thread of its own.
//!
//! In a run that can suspend (`Engine::eval_async` and the task scheduler), the calling
//! Scheme task waits for the call while other tasks keep running; its arguments stay rooted
//! until the call is over, and the driver runs the callbacks the C function makes from other
//! threads as they arrive. In a synchronous run the engine's thread waits, running those
//! callbacks itself.

use std::ffi::c_void;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use libffi::middle::{Cif, Type};
use libffi::raw;
use seam_vm::host::{HostArgs, HostFailure};
use seam_vm::suspend::{HostCompletion, HostFuture};
use seam_vm::tasks::HostRequest;
use seam_vm::{Value, Vm};

use crate::call::{argument, finish, promoted, result_value, ForeignProc, SendCif};
use crate::callback::Link;
use crate::convert::Temps;
use crate::types::CType;

/// A call with its arguments converted into memory it owns, ready to run on any thread.
struct Prepared {
    cif: SendCif,
    code: usize,
    slots: Vec<Vec<u8>>,
    result_size: usize,
    /// Strings and callbacks the arguments point to.
    temps: TempsOnThread,
}

struct TempsOnThread(#[allow(dead_code)] Temps);

// SAFETY: the strings are plain bytes and `Callback` is `Send`; the temporaries are only
// kept alive (never used) by the thread running the call, then handed back to the engine.
unsafe impl Send for TempsOnThread {}

/// What the call produced: the result bytes and `errno`, and the temporaries, which the
/// engine drops after running the callbacks queued during the call (a temporary callback
/// must outlive the queued calls of it).
struct Outcome {
    result: Vec<u8>,
    errno: i32,
    temps: TempsOnThread,
}

fn prepare(vm: &mut Vm, proc: &ForeignProc, args: HostArgs) -> Result<Prepared, HostFailure> {
    let mut temps = Temps::default();
    let mut slots = Vec::with_capacity(args.len());
    let mut extra: Vec<CType> = Vec::new();
    for i in 0..args.len() {
        let v = args.get(vm, i).unwrap_or(Value::Unspecified);
        let ty = match proc.signature.args.get(i) {
            Some(ty) => ty.clone(),
            None => {
                let ty = promoted(vm, v).ok_or_else(|| {
                    HostFailure::new(
                        "type",
                        format!("{}: argument {}: cannot pass it as a variadic argument", proc.name, i + 1),
                    )
                })?;
                extra.push(ty.clone());
                ty
            }
        };
        let mut slot = vec![0u8; ty.size().max(8)];
        // SAFETY: `slot` has room for the type and a word.
        unsafe { argument(vm, proc, &ty, i, v, slot.as_mut_ptr(), &mut temps)? };
        slots.push(slot);
    }
    let cif = if proc.signature.varargs {
        let types: Vec<Type> = proc.signature.args.iter().chain(extra.iter()).map(CType::ffi_type).collect();
        let cif = Cif::try_new_variadic(types, proc.signature.args.len(), proc.signature.ret.ffi_type())
            .map_err(|e| HostFailure::new("ffi", format!("{}: libffi: {e:?}", proc.name)))?;
        SendCif(cif)
    } else {
        SendCif(proc.cif.0.clone())
    };
    Ok(Prepared {
        cif,
        code: proc.code,
        slots,
        result_size: proc.signature.ret.size().max(16),
        temps: TempsOnThread(temps),
    })
}

impl Prepared {
    fn run(mut self) -> Outcome {
        let mut pointers: Vec<*mut c_void> =
            self.slots.iter_mut().map(|s| s.as_mut_ptr() as *mut c_void).collect();
        let mut result = vec![0u8; self.result_size];
        // SAFETY: as in `call::call`: the interface describes the arguments in `slots`, and
        // `result` has room for the result.
        unsafe {
            raw::ffi_call(
                self.cif.0.as_raw_ptr(),
                Some(std::mem::transmute::<usize, unsafe extern "C" fn()>(self.code)),
                result.as_mut_ptr() as *mut c_void,
                pointers.as_mut_ptr(),
            )
        };
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        Outcome { result, errno, temps: self.temps }
    }
}

fn thread_failure(proc_name: &str) -> HostFailure {
    HostFailure::new("ffi", format!("{proc_name}: cannot start a thread for a blocking call"))
}

/// A synchronous run: call on a thread, run queued callbacks while waiting.
pub fn call_waiting(vm: &mut Vm, proc: &ForeignProc, args: HostArgs) -> Result<Value, HostFailure> {
    let prepared = prepare(vm, proc, args)?;
    let done: Arc<Mutex<Option<Outcome>>> = Arc::default();
    let link = proc.link.clone();
    let (done_on_thread, link_on_thread) = (done.clone(), link.clone());
    std::thread::Builder::new()
        .name(format!("seam-ffi {}", proc.name))
        .spawn(move || {
            let outcome = prepared.run();
            if let Ok(mut slot) = done_on_thread.lock() {
                *slot = Some(outcome);
            }
            let _guard = link_on_thread.wake_lock.lock();
            link_on_thread.wake.notify_all();
        })
        .map_err(|_| thread_failure(&proc.name))?;
    let outcome = loop {
        if let Some(outcome) = done.lock().ok().and_then(|mut d| d.take()) {
            break outcome;
        }
        if link.has_queued() {
            link.run_queued(vm);
            continue;
        }
        let Ok(guard) = link.wake_lock.lock() else {
            return Err(HostFailure::new("ffi", format!("{}: the blocking call's lock failed", proc.name)));
        };
        let finished = done.lock().map(|d| d.is_some()).unwrap_or(true);
        if !finished && !link.has_queued() {
            let _ = link.wake.wait_timeout(guard, Duration::from_millis(50));
        }
    };
    complete(vm, &link, &proc.name, &proc.signature.ret, outcome)
}

fn complete(
    vm: &mut Vm,
    link: &Link,
    name: &str,
    ret: &CType,
    outcome: Outcome,
) -> Result<Value, HostFailure> {
    link.errno.store(outcome.errno, Ordering::Relaxed);
    // SAFETY: `result` holds the call's result (at least 16 bytes, or the struct).
    let value = unsafe { result_value(vm, ret, outcome.result.as_ptr()) };
    let finished = finish(vm, link, name, value);
    drop(outcome.temps);
    finished
}

/// Values kept rooted (in the handle table) until dropped.
struct Rooted {
    slots: Vec<u32>,
    queue: Arc<Mutex<Vec<u32>>>,
}

impl Drop for Rooted {
    fn drop(&mut self) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.append(&mut self.slots);
        }
    }
}

/// The shared state of a blocking call's future.
#[derive(Default)]
struct Pending {
    outcome: Option<Outcome>,
    waker: Option<Waker>,
}

/// Waits for a blocking call's thread. Meanwhile, callbacks the C function makes from
/// other threads are queued on the link; a queued one wakes this future, which asks the
/// driver to run it (a host request: the driver runs those between tasks) — without that
/// a callback that returns a value would wait for the engine, and the engine for the call.
struct BlockingCall {
    pending: Arc<Mutex<Pending>>,
    link: Arc<Link>,
    requests: Arc<Mutex<Vec<HostRequest>>>,
}

impl Future for BlockingCall {
    type Output = Option<Outcome>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Ok(mut pending) = self.pending.lock() else { return Poll::Ready(None) };
        if let Some(outcome) = pending.outcome.take() {
            return Poll::Ready(Some(outcome));
        }
        pending.waker = Some(cx.waker().clone());
        // Registered before looking at the queue, so a callback queued after the look
        // wakes us again.
        self.link.wake_on_queue(cx.waker());
        if self.link.has_queued() {
            let link = self.link.clone();
            if let Ok(mut requests) = self.requests.lock() {
                requests.push(Box::new(move |vm: &mut Vm| link.run_queued(vm)));
            }
        }
        Poll::Pending
    }
}

/// A run that can suspend: start the call on a thread and let the task wait for it.
pub fn start(
    vm: &mut Vm,
    args: HostArgs,
    data: &(dyn std::any::Any + Send),
) -> Result<HostFuture, HostFailure> {
    let Some(proc) = data.downcast_ref::<ForeignProc>() else {
        return Err(HostFailure::new("ffi", "not a foreign procedure"));
    };
    let prepared = prepare(vm, proc, args)?;
    // The C function may use the arguments' memory (bytevectors) until it returns.
    let values: Vec<Value> = (0..args.len()).filter_map(|i| args.get(vm, i)).collect();
    let rooted = Rooted {
        slots: values.into_iter().map(|v| vm.handles.root(v)).collect(),
        queue: vm.handles.drop_queue(),
    };
    let pending: Arc<Mutex<Pending>> = Arc::default();
    let on_thread = pending.clone();
    std::thread::Builder::new()
        .name(format!("seam-ffi {}", proc.name))
        .spawn(move || {
            let outcome = prepared.run();
            if let Ok(mut p) = on_thread.lock() {
                p.outcome = Some(outcome);
                if let Some(waker) = p.waker.take() {
                    waker.wake();
                }
            }
        })
        .map_err(|_| thread_failure(&proc.name))?;
    let (link, name, ret) = (proc.link.clone(), proc.name.clone(), proc.signature.ret.clone());
    let call = BlockingCall { pending, link: link.clone(), requests: vm.request_queue() };
    Ok(Box::pin(async move {
        let outcome = call.await;
        let completion: HostCompletion = Box::new(move |vm: &mut Vm| {
            drop(rooted);
            match outcome {
                Some(outcome) => complete(vm, &link, &name, &ret, outcome),
                None => Err(HostFailure::new("ffi", format!("{name}: the blocking call's thread failed"))),
            }
        });
        Ok(completion)
    }))
}
