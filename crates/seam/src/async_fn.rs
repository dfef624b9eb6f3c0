//! Async: host functions that return futures, and evaluation that waits for them.
//!
//! Calling an async host function suspends the calling Scheme code (its frames are on the
//! heap already) and hands the future to the driver, [`Engine::eval_async`] or
//! [`Function::call_async`](crate::Function::call_async), which awaits it and resumes the
//! code with the result. The executor is whatever runs the driver's future (tokio, or any
//! other): the engine needs nothing from it. Dropping the driver's future cancels the
//! evaluation: the suspended code is dropped (no `dynamic-wind` afters run) and the engine
//! is ready for the next one.

use std::future::Future;
use std::sync::{Arc, Mutex};

use seam_syntax::Reader;
use seam_vm::host::{HostArgs, HostFailure};
use seam_vm::suspend::{HostCompletion, HostFuture, RunState};
use seam_vm::tasks::{HostRequest, TaskId};
use seam_vm::{Value as Raw, Vm};

use crate::convert::{Convert, FromValue, ValueRef};
use crate::engine::Engine;
use crate::error::Error;
use crate::handle::{ArgBuffer, Function, IntoArgs, Value, MAX_ARGS};
use crate::host_fn::{arity, param, CallInfo, HostResult};

/// A Rust closure returning a future, usable as a Scheme procedure that waits for it.
/// Implemented for `Fn` closures of up to 16 [`FromValue`] parameters whose future's
/// output is a [`HostResult`].
pub trait IntoAsyncHostFn<Marker>: Send + 'static {
    #[doc(hidden)]
    fn into_async_host_fn(self, name: Arc<str>) -> (u16, u16, Box<seam_vm::suspend::AsyncHostBody>);
}

/// Implements `IntoAsyncHostFn` for closures of the given parameters, then for one fewer.
macro_rules! async_host_fn_impls {
    ($($param:ident)*) => {
        impl<F, Fut, R, $($param,)*> IntoAsyncHostFn<(Fut, R, $($param,)*)> for F
        where
            F: Fn($($param),*) -> Fut + Send + 'static,
            Fut: Future<Output = R> + Send + 'static,
            R: HostResult + Send + 'static,
            $($param: FromValue,)*
        {
            #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
            fn into_async_host_fn(self, name: Arc<str>) -> (u16, u16, Box<seam_vm::suspend::AsyncHostBody>) {
                let (min, max) = arity(&[$($param::PARAM),*]);
                let body = move |vm: &mut Vm, args: HostArgs| -> Result<HostFuture, HostFailure> {
                    let call = CallInfo { name: &name, min, max, args, finished: false };
                    let mut index = 0;
                    $(let $param: $param = param(vm, &call, index)?; index += 1;)*
                    let future = (self)($($param),*);
                    Ok(await_then_convert(name.clone(), min, max, future))
                };
                (min, max, Box::new(body))
            }
        }
        impl<F, Fut, R, $($param,)*> IntoAsyncHostFn<(AsyncCtx, Fut, R, $($param,)*)> for F
        where
            F: Fn(AsyncCtx, $($param),*) -> Fut + Send + 'static,
            Fut: Future<Output = R> + Send + 'static,
            R: HostResult + Send + 'static,
            $($param: FromValue,)*
        {
            #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
            fn into_async_host_fn(self, name: Arc<str>) -> (u16, u16, Box<seam_vm::suspend::AsyncHostBody>) {
                let (min, max) = arity(&[$($param::PARAM),*]);
                let body = move |vm: &mut Vm, args: HostArgs| -> Result<HostFuture, HostFailure> {
                    let call = CallInfo { name: &name, min, max, args, finished: false };
                    let mut index = 0;
                    $(let $param: $param = param(vm, &call, index)?; index += 1;)*
                    let cx = AsyncCtx { requests: vm.request_queue() };
                    let future = (self)(cx, $($param),*);
                    Ok(await_then_convert(name.clone(), min, max, future))
                };
                (min, max, Box::new(body))
            }
        }

        async_host_fn_impls!(@fewer $($param)*);
    };
    (@fewer) => {};
    (@fewer $first:ident $($rest:ident)*) => {
        async_host_fn_impls!($($rest)*);
    };
}

/// The host future of an async host function: awaits `future`, then converts its output
/// (a `HostResult`) once the run resumes; errors name the function and its arity.
fn await_then_convert<R: HostResult + Send + 'static>(
    name: Arc<str>,
    min: u16,
    max: u16,
    future: impl Future<Output = R> + Send + 'static,
) -> HostFuture {
    Box::pin(async move {
        let output = future.await;
        let complete: HostCompletion = Box::new(move |vm: &mut Vm| {
            let call = CallInfo { name: &name, min, max, args: HostArgs::none(), finished: true };
            output.into_raw(vm, &call)
        });
        Ok(complete)
    })
}

async_host_fn_impls!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15 A16);

/// Undoes a suspended run if the future driving it is dropped (the evaluation is
/// cancelled); disarmed when the run finishes.
struct Cancel<'a> {
    engine: &'a mut Engine,
    armed: bool,
}

impl Drop for Cancel<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.engine.waiting.clear();
            let vm = self.engine.vm_mut();
            vm.abandon_suspended();
            vm.cancel_tasks();
            self.engine.after_failed_run();
        }
    }
}

/// Polls `future` once: its output if it is ready, `None` (and the waker registered) if not.
async fn poll_once(future: &mut HostFuture) -> Option<Result<HostCompletion, HostFailure>> {
    std::future::poll_fn(|cx| match future.as_mut().poll(cx) {
        std::task::Poll::Ready(output) => std::task::Poll::Ready(Some(output)),
        std::task::Poll::Pending => std::task::Poll::Ready(None),
    })
    .await
}

/// Waits for the first of the tasks' futures to complete, and takes it out of the list;
/// `None` when, instead, a future asked for a Scheme call (see [`AsyncCtx::call`]).
async fn first_ready(
    waiting: &mut Vec<(TaskId, HostFuture)>,
    requests: &Mutex<Vec<HostRequest>>,
) -> Option<(TaskId, Result<HostCompletion, HostFailure>)> {
    std::future::poll_fn(|cx| {
        for i in 0..waiting.len() {
            if let std::task::Poll::Ready(output) = waiting[i].1.as_mut().poll(cx) {
                let (id, _) = waiting.swap_remove(i);
                return std::task::Poll::Ready(Some((id, output)));
            }
        }
        if requests.lock().map(|r| !r.is_empty()).unwrap_or(false) {
            return std::task::Poll::Ready(None);
        }
        std::task::Poll::Pending
    })
    .await
}

/// What an async host function that takes `AsyncCtx` first gets: a way to call Scheme
/// procedures and await them while its own caller waits ("machine" host functions).
///
/// ```
/// use seam::{AsyncCtx, Engine, Error, Function};
/// # async fn demo() -> Result<(), Error> {
/// let mut engine = Engine::new();
/// // Calls a Scheme thunk until it returns a true value, at most `tries` times.
/// engine.define_async_fn("with-retry", |cx: AsyncCtx, tries: u32, thunk: Function<(), bool>| async move {
///     for _ in 0..tries {
///         if cx.call(&thunk, ()).await? {
///             return Ok::<_, Error>(true);
///         }
///     }
///     Ok(false)
/// });
/// let ok: bool = engine.eval_async("(define n 0) (with-retry 5 (lambda () (set! n (+ n 1)) (= n 3)))").await?;
/// assert!(ok);
/// assert_eq!(engine.eval::<i64>("n")?, 3);
/// # Ok(()) }
/// # use std::future::Future;
/// # let mut future = std::pin::pin!(demo());
/// # let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// # assert!(matches!(future.as_mut().poll(&mut cx), std::task::Poll::Ready(Ok(()))));
/// ```
#[derive(Clone)]
pub struct AsyncCtx {
    requests: Arc<Mutex<Vec<HostRequest>>>,
}

/// A Scheme call's result on its way to the Rust future waiting for it.
struct CallSlot<R> {
    result: Option<Result<R, Error>>,
    waker: Option<std::task::Waker>,
}

impl AsyncCtx {
    /// Calls the Scheme procedure `f` as a task of its own and waits for its result; the
    /// procedure may itself call async host functions.
    pub async fn call<Args, Ret>(&self, f: &Function<Args, Ret>, args: Args) -> Result<Ret, Error>
    where
        Args: IntoArgs + Send + 'static,
        Ret: FromValue + Send + 'static,
    {
        let slot = Arc::new(Mutex::new(CallSlot::<Ret> { result: None, waker: None }));
        let f = f.procedure().value().clone();
        let answer = slot.clone();
        let request: HostRequest = Box::new(move |vm: &mut Vm| {
            let deliver = move |result: Result<Ret, Error>| {
                if let Ok(mut slot) = answer.lock() {
                    slot.result = Some(result);
                    if let Some(waker) = slot.waker.take() {
                        waker.wake();
                    }
                }
            };
            let procedure = match f.get(vm) {
                Ok(p) => p,
                Err(e) => return deliver(Err(Error::conversion("procedure", e))),
            };
            let mut buffer = ArgBuffer::new();
            if let Err(e) = args.push_args(&mut Convert::new(vm), &mut buffer) {
                return deliver(Err(Error::conversion("argument", e)));
            }
            let args: Vec<Raw> = buffer.items()[..buffer.len()].to_vec();
            vm.spawn_call(
                procedure.0,
                &args,
                Box::new(move |vm: &mut Vm, result: Result<Raw, Raw>| {
                    let result = match result {
                        Ok(v) => Ret::from_value(ValueRef(v), &mut Convert::new(vm))
                            .map_err(|e| Error::conversion("result", e)),
                        Err(raised) => {
                            let (kind, message) = seam_vm::builtins::describe_condition(&vm.heap, raised);
                            Err(Error::tagged(kind.to_string(), message))
                        }
                    };
                    deliver(result);
                }),
            );
        });
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(request);
        }
        std::future::poll_fn(|cx| match slot.lock() {
            Ok(mut slot) => match slot.result.take() {
                Some(result) => std::task::Poll::Ready(result),
                None => {
                    slot.waker = Some(cx.waker().clone());
                    std::task::Poll::Pending
                }
            },
            Err(_) => {
                std::task::Poll::Ready(Err(Error::tagged("internal", "a Scheme call's result was lost")))
            }
        })
        .await
    }
}

impl Engine {
    /// Defines a Scheme procedure `name` that runs `f` and waits for the future it returns:
    /// the calling Scheme code is suspended until the future completes (only the calling
    /// code waits: the engine's caller awaits [`Engine::eval_async`]). Its output converts
    /// like a host function's result; an `Err` is raised as a Scheme error. Calling it from
    /// synchronous evaluation (`eval`) is an error naming it.
    ///
    /// ```
    /// # async fn demo() -> Result<(), seam::Error> {
    /// let mut engine = seam::Engine::new();
    /// engine.define_async_fn("fetch", |key: String| async move {
    ///     Ok::<_, std::io::Error>(format!("value of {key}")) // any future, any error type
    /// });
    /// let text: String = engine.eval_async("(string-append (fetch \"a\") \"!\")").await?;
    /// assert_eq!(text, "value of a!");
    /// # Ok(()) }
    /// # use std::future::Future;
    /// # std::thread::spawn(|| {
    /// #     let mut future = std::pin::pin!(demo());
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     assert!(matches!(future.as_mut().poll(&mut cx), std::task::Poll::Ready(Ok(()))));
    /// # }).join().unwrap();
    /// ```
    pub fn define_async_fn<Marker>(&mut self, name: &str, f: impl IntoAsyncHostFn<Marker>) {
        let (min, max, body) = f.into_async_host_fn(Arc::from(name));
        let vm = self.vm_mut();
        let function = vm.async_host_function(name, min, max, body);
        vm.define_top_level(name, function);
    }

    /// Evaluates every form of `source`, waiting for async host functions, and converts the
    /// last value to `T`. Dropping the returned future cancels the evaluation cleanly.
    pub async fn eval_async<T: FromValue>(&mut self, source: &str) -> Result<T, Error> {
        self.remember_source(source, "<eval>");
        self.begin_evaluation();
        let mut reader = Reader::new(source, "<eval>");
        let mut last: Option<Value> = None;
        while let Some(datum) = reader.next_datum()? {
            let thunk = self.compile_form(&datum)?;
            let value = self.run_async(thunk, &[]).await?;
            last = Some(Value::root(self.vm_mut(), ValueRef(value)));
        }
        let vm = self.vm_mut();
        let raw = match &last {
            Some(v) => v.get(vm).map_err(|e| Error::conversion("result", e))?,
            None => ValueRef(Raw::Unspecified),
        };
        T::from_value(raw, &mut Convert::new(vm)).map_err(|e| Error::conversion("result", e))
    }

    /// Calls `f` with `args`, waiting for async host functions; the result is unrooted, so
    /// the caller converts or roots it before anything else runs.
    ///
    /// This is the scheduler of Scheme tasks: when the running task waits for a host
    /// future it is parked, tasks spawned meanwhile start, and whichever future completes
    /// first resumes its task. The call ends when the main task (the one running `f`) does;
    /// other tasks stay parked with their futures in the engine and go on whenever the
    /// engine is driven again (by the next `eval_async` or `call_async`).
    pub(crate) async fn run_async(&mut self, f: Raw, args: &[Raw]) -> Result<Raw, Error> {
        const MAIN: TaskId = 0;
        let mut cancel = Cancel { engine: self, armed: true };
        let mut current = MAIN;
        let mut state = cancel.engine.vm_mut().call_resumable(f, args);
        loop {
            let engine = &mut *cancel.engine;
            match state {
                Ok(RunState::Done(value)) if current == MAIN => {
                    cancel.armed = false;
                    return Ok(value);
                }
                Ok(RunState::Done(value)) => engine.vm_mut().finish_task(current, Ok(value)),
                Ok(RunState::Suspended(mut future)) => {
                    // A future that is ready at once resumes its task without a switch.
                    if let Some(output) = poll_once(&mut future).await {
                        state = engine.vm_mut().resume(output);
                        continue;
                    }
                    engine.vm_mut().park(current);
                    engine.waiting.push((current, future));
                }
                Err(e) if current == MAIN => {
                    cancel.armed = false;
                    cancel.engine.after_failed_run();
                    return Err(e.into());
                }
                Err(e) => engine.vm_mut().fail_task(current, e),
            }
            // Start the tasks spawned meanwhile, then wait for the first future to finish
            // (or for a host future to ask for a Scheme call).
            loop {
                let vm = cancel.engine.vm_mut();
                for request in vm.take_requests() {
                    request(vm);
                }
                if let Some(id) = vm.take_new_task() {
                    let (f, args) = vm.unpark(id).unwrap_or((Raw::Unspecified, Vec::new()));
                    current = id;
                    state = vm.call_resumable(f, &args);
                    break;
                }
                let queue = vm.request_queue();
                if let Some((id, output)) = first_ready(&mut cancel.engine.waiting, &queue).await {
                    let vm = cancel.engine.vm_mut();
                    vm.unpark(id);
                    current = id;
                    state = vm.resume(output);
                    break;
                }
            }
        }
    }

    /// Calls procedure `f` (rooted) with `args`, waiting for async host functions.
    pub(crate) async fn call_async_raw<R: FromValue>(
        &mut self,
        f: &Value,
        args: impl IntoArgs,
    ) -> Result<R, Error> {
        self.begin_evaluation();
        let vm = self.vm_mut();
        let f = f.get(vm).map_err(|e| Error::conversion("procedure", e))?;
        let mut buffer = ArgBuffer::new();
        args.push_args(&mut Convert::new(vm), &mut buffer).map_err(|e| Error::conversion("argument", e))?;
        let args: [Raw; MAX_ARGS] = *buffer.items();
        let count = buffer.len();
        let result = self.run_async(f.0, &args[..count]).await?;
        R::from_value(ValueRef(result), &mut Convert::new(self.vm_mut()))
            .map_err(|e| Error::conversion("result", e))
    }
}
