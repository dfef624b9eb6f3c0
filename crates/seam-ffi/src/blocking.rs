//! Foreign calls declared `blocking`: the C function runs on a thread of its own.
//!
//! In a run that can suspend (`Engine::eval_async` and the task scheduler), the calling
//! Scheme task waits for the call while other tasks keep running; its arguments stay rooted
//! until the call is over. In a synchronous run the engine's thread waits, running the
//! callbacks the C function makes from its thread as they arrive.

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
use seam_vm::{Value, Vm};

use crate::call::{argument, finish, promoted, result_value, ForeignProc, SendCif};
use crate::convert::Temps;
use crate::types::CType;

/// A call with its arguments converted into memory it owns, ready to run on any thread.
struct Prepared {
    cif: SendCif,
    code: usize,
    slots: Vec<Vec<u8>>,
    result_size: usize,
    /// Strings and callbacks the arguments point to.
    _temps: TempsOnThread,
}

struct TempsOnThread(#[allow(dead_code)] Temps);

// SAFETY: the strings are plain bytes and `Callback` is `Send`; the temporaries are only
// kept alive (never used) by the thread running the call.
unsafe impl Send for TempsOnThread {}

/// What the call produced: the result bytes and `errno`.
type Outcome = (Vec<u8>, i32);

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
        _temps: TempsOnThread(temps),
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
        (result, errno)
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
        let Ok(guard) = link.wake_lock.lock() else { break (vec![0; 16], 0) };
        let finished = done.lock().map(|d| d.is_some()).unwrap_or(true);
        if !finished && !link.has_queued() {
            let _ = link.wake.wait_timeout(guard, Duration::from_millis(50));
        }
    };
    complete(vm, &link, &proc.name, &proc.signature.ret, outcome)
}

fn complete(
    vm: &mut Vm,
    link: &crate::callback::Link,
    name: &str,
    ret: &CType,
    (result, errno): Outcome,
) -> Result<Value, HostFailure> {
    link.errno.store(errno, Ordering::Relaxed);
    // SAFETY: `result` holds the call's result (at least 16 bytes, or the struct).
    let value = unsafe { result_value(vm, ret, result.as_ptr()) };
    finish(vm, link, name, value)
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

struct BlockingCall(Arc<Mutex<Pending>>);

impl Future for BlockingCall {
    type Output = Option<Outcome>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Ok(mut pending) = self.0.lock() else { return Poll::Ready(None) };
        match pending.outcome.take() {
            Some(outcome) => Poll::Ready(Some(outcome)),
            None => {
                pending.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
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
    Ok(Box::pin(async move {
        let outcome = BlockingCall(pending).await;
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
