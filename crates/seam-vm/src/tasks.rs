//! Scheme tasks and channels. A task is a run with its own value and frame stacks; the
//! driver (`Engine::eval_async`) switches between tasks when the running one waits for a
//! host future, so several tasks' futures are in flight at once. `(spawn thunk)` makes a
//! task, `(await task)` waits for its result (re-raising its error), `(sleep seconds)`
//! waits, and channels carry values between tasks (`channel-receive` waits for one).
//!
//! Waiting is always a host future: `await` and `channel-receive` are async host functions
//! whose futures watch a small shared signal (a flag or a count plus wakers) that the VM
//! sets when a task finishes or a value is sent. The values themselves never leave the VM.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::builtins::{simple, with_vm, Builtin};
use crate::error::{Condition, SchemeError};
use crate::host::{HostArgs, HostFailure};
use crate::object::{Frame, Object};
use crate::suspend::{HostCompletion, HostFuture, Suspended};
use crate::value::{Value, Word};
use crate::vm::Vm;

/// A task's number.
pub type TaskId = u32;

/// What to do with a host-started task's result (it has no task object to keep it).
pub type TaskHook = Box<dyn FnOnce(&mut Vm, Result<Value, Value>) + Send>;

/// Work an async host function asks the driver to do with the VM (start a Scheme call).
pub type HostRequest = Box<dyn FnOnce(&mut Vm) + Send>;

/// Wakers waiting for something, and whether it happened.
#[derive(Default)]
pub struct Signal {
    done: AtomicBool,
    /// For channels: values sent and not yet claimed by a receiver.
    available: AtomicUsize,
    wakers: Mutex<Vec<Waker>>,
}

impl Signal {
    fn wake_all(&self) {
        if let Ok(mut wakers) = self.wakers.lock() {
            for waker in wakers.drain(..) {
                waker.wake();
            }
        }
    }

    /// Remembers `waker` (once: a future polled again does not add it twice).
    fn register(&self, waker: &Waker) {
        if let Ok(mut wakers) = self.wakers.lock() {
            if !wakers.iter().any(|w| w.will_wake(waker)) {
                wakers.push(waker.clone());
            }
        }
    }
}

/// A task object's payload.
#[derive(Debug)]
pub struct TaskHandle {
    pub id: TaskId,
    signal: Arc<Signal>,
    /// Once finished: its value, or the object it raised.
    pub(crate) result: Option<Result<Value, Value>>,
}

impl std::fmt::Debug for Signal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signal(done: {})", self.done.load(Ordering::Relaxed))
    }
}

/// A channel object's payload: values sent and not yet received.
#[derive(Debug)]
pub struct Channel {
    pub(crate) queue: VecDeque<Value>,
    signal: Arc<Signal>,
}

/// A task that is not running: its stacks, how it continues, or its result.
pub(crate) struct Parked {
    pub(crate) stack: Vec<Word>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) suspended: Option<Suspended>,
    /// A task not started yet: the procedure it runs, and its arguments.
    pub(crate) start: Option<Value>,
    pub(crate) start_args: Vec<Value>,
    /// Its exception handlers and `dynamic-wind` entries (each task has its own).
    pub(crate) handlers: Value,
    pub(crate) winders: Value,
}

/// The tasks of one VM.
#[derive(Default)]
pub struct Tasks {
    parked: HashMap<TaskId, Parked>,
    /// The objects of unfinished tasks (their results go there; once finished, a task is
    /// garbage like any object when nothing refers to it).
    objects: HashMap<TaskId, Value>,
    /// Spawned and not started yet, oldest first.
    new: VecDeque<TaskId>,
    next: TaskId,
    /// Tasks started by host code, and what to do with their results.
    hooks: HashMap<TaskId, TaskHook>,
    /// Requests from async host functions, for the driver to carry out.
    pub requests: Arc<Mutex<Vec<HostRequest>>>,
}

impl Tasks {
    /// Values the collector must keep: parked stacks, unstarted thunks, results.
    pub(crate) fn roots(&self) -> (Vec<Value>, Vec<Frame>) {
        let mut values = Vec::new();
        let mut frames = Vec::new();
        for p in self.parked.values() {
            values.extend(p.stack.iter().map(|w| w.get()));
            values.extend(p.start);
            values.extend_from_slice(&p.start_args);
            values.extend([p.handlers, p.winders]);
            frames.extend_from_slice(&p.frames);
        }
        values.extend(self.objects.values().copied());
        (values, frames)
    }
}

impl Vm {
    /// `(spawn thunk)`: a new task that will run `thunk` once the driver gets to it.
    fn spawn_task(&mut self, thunk: Value) -> Value {
        self.tasks.next += 1;
        let id = self.tasks.next;
        let parked = Parked {
            stack: Vec::new(),
            frames: Vec::new(),
            suspended: None,
            start: Some(thunk),
            start_args: Vec::new(),
            handlers: Value::Null,
            winders: Value::Null,
        };
        self.tasks.parked.insert(id, parked);
        self.tasks.new.push_back(id);
        let signal = Arc::new(Signal::default());
        let object = self.heap.alloc(Object::Task(Box::new(TaskHandle { id, signal, result: None })));
        self.tasks.objects.insert(id, object);
        object
    }

    /// The next spawned task that has not started.
    pub fn take_new_task(&mut self) -> Option<TaskId> {
        self.tasks.new.pop_front()
    }

    /// Moves the running task's stacks out of the way (it waits for a host future).
    pub fn park(&mut self, id: TaskId) {
        let (handlers, winders) = self.dynamic_state();
        let parked = Parked {
            stack: std::mem::take(&mut self.stack),
            frames: std::mem::take(&mut self.frames),
            suspended: self.suspended.take(),
            start: None,
            start_args: Vec::new(),
            handlers,
            winders,
        };
        self.tasks.parked.insert(id, parked);
        self.set_dynamic_state(Value::Null, Value::Null);
    }

    /// Makes task `id` the running one again; returns the procedure and arguments to
    /// start it with if it has not started.
    pub fn unpark(&mut self, id: TaskId) -> Option<(Value, Vec<Value>)> {
        let parked = self.tasks.parked.remove(&id)?;
        self.stack = parked.stack;
        self.frames = parked.frames;
        self.suspended = parked.suspended;
        self.set_dynamic_state(parked.handlers, parked.winders);
        parked.start.map(|f| (f, parked.start_args))
    }

    /// A task, started by host code, that calls `f` with `args`; `hook` gets its result.
    pub fn spawn_call(&mut self, f: Value, args: &[Value], hook: TaskHook) -> TaskId {
        self.tasks.next += 1;
        let id = self.tasks.next;
        let parked = Parked {
            stack: Vec::new(),
            frames: Vec::new(),
            suspended: None,
            start: Some(f),
            start_args: args.to_vec(),
            handlers: Value::Null,
            winders: Value::Null,
        };
        self.tasks.parked.insert(id, parked);
        self.tasks.new.push_back(id);
        self.tasks.hooks.insert(id, hook);
        id
    }

    /// The requests async host functions have made since the last call.
    pub fn take_requests(&mut self) -> Vec<HostRequest> {
        self.tasks.requests.lock().map(|mut r| std::mem::take(&mut *r)).unwrap_or_default()
    }

    /// Where async host functions put their requests.
    pub fn request_queue(&self) -> Arc<Mutex<Vec<HostRequest>>> {
        self.tasks.requests.clone()
    }

    fn dynamic_state(&self) -> (Value, Value) {
        let (handlers, winders) = self.dynamic_state_slots;
        (self.global_value(handlers), self.global_value(winders))
    }

    fn set_dynamic_state(&mut self, handlers: Value, winders: Value) {
        let (h, w) = self.dynamic_state_slots;
        self.set_global(h, handlers);
        self.set_global(w, winders);
    }

    /// Finishes task `id` with the error that ended its run: the object it raised, when
    /// there was one.
    pub fn fail_task(&mut self, id: TaskId, error: SchemeError) {
        match self.last_raised.take() {
            Some(raised) => self.settle(id, Err(raised)),
            None => self.finish_task(id, Err(error)),
        }
    }

    /// Records how task `id` ended and wakes whoever awaits it.
    pub fn finish_task(&mut self, id: TaskId, result: Result<Value, SchemeError>) {
        let result = result.map_err(|e| {
            let mut failure = HostFailure::new(e.kind.clone(), e.message.clone());
            failure.source = e.source.clone();
            self.host_error_object(failure)
        });
        self.settle(id, result);
    }

    /// Stores a finished task's result in its object and wakes its awaiters.
    fn settle(&mut self, id: TaskId, result: Result<Value, Value>) {
        if let Some(hook) = self.tasks.hooks.remove(&id) {
            hook(self, result);
            return;
        }
        let Some(object) = self.tasks.objects.remove(&id) else { return };
        if let Some(Object::Task(task)) = self.heap.object_mut(object) {
            task.result = Some(result);
            task.signal.done.store(true, Ordering::SeqCst);
            task.signal.wake_all();
        }
    }

    /// Drops every task (the evaluation that drove them ended): awaiting one later is an
    /// error saying it was cancelled.
    pub fn cancel_tasks(&mut self) {
        self.tasks.parked.clear();
        self.tasks.new.clear();
        self.tasks.hooks.clear();
        self.take_requests();
        let ids: Vec<TaskId> = self.tasks.objects.keys().copied().collect();
        for id in ids {
            let message = "the task was cancelled: the evaluation that ran it ended";
            let error = self.host_error_object(HostFailure::new("cancelled", message));
            self.settle(id, Err(error));
        }
    }
}

/// A future that is ready when `ready` says so, registering its waker with `signal`.
struct Wait<F: FnMut() -> bool + Send> {
    signal: Arc<Signal>,
    ready: F,
    complete: Option<HostCompletion>,
}

impl<F: FnMut() -> bool + Send + Unpin> Future for Wait<F> {
    type Output = Result<HostCompletion, HostFailure>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if (self.ready)() {
            return match self.complete.take() {
                Some(complete) => Poll::Ready(Ok(complete)),
                None => Poll::Ready(Err(HostFailure::new("internal", "a wait completed twice"))),
            };
        }
        self.signal.register(cx.waker());
        // Check again: the signal may have fired between the test and the registration.
        if (self.ready)() {
            return match self.complete.take() {
                Some(complete) => Poll::Ready(Ok(complete)),
                None => Poll::Ready(Err(HostFailure::new("internal", "a wait completed twice"))),
            };
        }
        Poll::Pending
    }
}

/// `(await task)`: waits until the task finishes; its value, or its error raised again.
fn await_body(vm: &mut Vm, args: HostArgs) -> Result<HostFuture, HostFailure> {
    let task = args.get(vm, 0).unwrap_or(Value::Unspecified);
    let signal = match vm.heap.object(task) {
        Some(Object::Task(t)) => t.signal.clone(),
        _ => {
            let shown = crate::printer::write_limited(&vm.heap, task, 60);
            return Err(HostFailure::new("type", format!("await: argument 1: expected task, got {shown}")));
        }
    };
    let done = signal.clone();
    // The task object is an argument of the waiting call, so it stays on the stack (alive)
    // until the completion runs.
    let complete: HostCompletion = Box::new(move |vm: &mut Vm| match vm.heap.object(task) {
        Some(Object::Task(t)) => match t.result {
            Some(Ok(v)) => Ok(v),
            Some(Err(error)) => Err(HostFailure::raising(error)),
            None => Err(HostFailure::new("internal", "await: the task has no result")),
        },
        _ => Err(HostFailure::new("internal", "await: not a task")),
    });
    Ok(Box::pin(Wait { signal, ready: move || done.done.load(Ordering::SeqCst), complete: Some(complete) }))
}

/// `(channel-receive channel)`: waits for a value sent on the channel.
fn receive_body(vm: &mut Vm, args: HostArgs) -> Result<HostFuture, HostFailure> {
    let channel = args.get(vm, 0).unwrap_or(Value::Unspecified);
    let signal = match vm.heap.object(channel) {
        Some(Object::Channel(c)) => c.signal.clone(),
        _ => {
            let shown = crate::printer::write_limited(&vm.heap, channel, 60);
            return Err(HostFailure::new(
                "type",
                format!("channel-receive: argument 1: expected channel, got {shown}"),
            ));
        }
    };
    let claim = signal.clone();
    let complete: HostCompletion = Box::new(move |vm: &mut Vm| match vm.heap.object_mut(channel) {
        Some(Object::Channel(c)) => {
            c.queue.pop_front().ok_or_else(|| HostFailure::new("internal", "channel-receive: empty"))
        }
        _ => Err(HostFailure::new("internal", "channel-receive: not a channel")),
    });
    // A receiver claims one of the values sent so far; the claim is what makes it ready.
    let ready = move || {
        claim.available.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
    };
    Ok(Box::pin(Wait { signal, ready, complete: Some(complete) }))
}

/// `(sleep seconds)`: waits that long (a timer thread wakes the task; runtime-agnostic).
fn sleep_body(vm: &mut Vm, args: HostArgs) -> Result<HostFuture, HostFailure> {
    let v = args.get(vm, 0).unwrap_or(Value::Unspecified);
    let seconds = match crate::num::to_number(&vm.heap, v) {
        Some(n) => n.to_f64(),
        None => f64::NAN,
    };
    if !(seconds.is_finite() && seconds >= 0.0) {
        let shown = crate::printer::write_limited(&vm.heap, v, 60);
        return Err(HostFailure::new(
            "type",
            format!("sleep: argument 1: expected a non-negative number of seconds, got {shown}"),
        ));
    }
    let timer = timer(Duration::from_secs_f64(seconds.min(1e9)));
    Ok(Box::pin(async move {
        timer.await;
        let complete: HostCompletion = Box::new(|_vm: &mut Vm| Ok(Value::Unspecified));
        Ok(complete)
    }))
}

/// A future that completes after `duration`, without a runtime: a thread sleeps, then
/// wakes the waiting task.
pub fn timer(duration: Duration) -> impl Future<Output = ()> + Send {
    let deadline = Instant::now() + duration;
    let signal = Arc::new(Signal::default());
    let fire = signal.clone();
    std::thread::spawn(move || {
        std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
        fire.done.store(true, Ordering::SeqCst);
        fire.wake_all();
    });
    std::future::poll_fn(move |cx| {
        if signal.done.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        signal.register(cx.waker());
        match signal.done.load(Ordering::SeqCst) {
            true => Poll::Ready(()),
            false => Poll::Pending,
        }
    })
}

pub(crate) const BUILTINS: &[Builtin] = &[
    with_vm("spawn", 1, 1, |vm, a| {
        if !crate::builtins::is_procedure_value(&vm.heap, a[0]) {
            return Err(Condition::wrong_type(&vm.heap, "spawn", 1, "procedure of no arguments", a[0]));
        }
        Ok(vm.spawn_task(a[0]))
    }),
    simple("task?", 1, 1, |h, a| Ok(Value::Bool(matches!(h.object(a[0]), Some(Object::Task(_)))))),
    simple("make-channel", 0, 0, |h, _| {
        Ok(h.alloc(Object::Channel(Box::new(Channel { queue: VecDeque::new(), signal: Arc::default() }))))
    }),
    simple("channel?", 1, 1, |h, a| Ok(Value::Bool(matches!(h.object(a[0]), Some(Object::Channel(_)))))),
    simple("channel-send", 2, 2, |h, a| match h.object_mut(a[0]) {
        Some(Object::Channel(c)) => {
            c.queue.push_back(a[1]);
            c.signal.available.fetch_add(1, Ordering::SeqCst);
            c.signal.wake_all();
            Ok(Value::Unspecified)
        }
        _ => Err(Condition::wrong_type(h, "channel-send", 1, "channel", a[0])),
    }),
];

impl Vm {
    /// Defines `await`, `channel-receive` and `sleep` (async host functions).
    pub(crate) fn install_task_functions(&mut self) {
        self.dynamic_state_slots = (self.system_slot("%handlers"), self.system_slot("%winders"));
        type Body = fn(&mut Vm, HostArgs) -> Result<HostFuture, HostFailure>;
        let functions: [(&str, Body); 3] =
            [("await", await_body), ("channel-receive", receive_body), ("sleep", sleep_body)];
        for (name, body) in functions {
            let function = self.async_host_function(name, 1, 1, Box::new(body));
            self.define_system(name, function);
        }
    }
}
