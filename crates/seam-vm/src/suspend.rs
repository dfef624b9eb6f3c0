//! Suspending a run on an async host function: the calling Scheme code waits (its frames
//! are already on the heap, so waiting is just returning to the driver), the driver awaits
//! the host future, and `resume` delivers the result where the call left off.
//!
//! Only a run started with [`Vm::call_resumable`] may suspend, and only while no
//! synchronous host function is in the middle of a call (its Rust frame cannot be
//! suspended); elsewhere calling an async host function is an error naming it.

use std::future::Future;
use std::pin::Pin;

use crate::error::SchemeError;
use crate::host::{HostArgs, HostFailure};
use crate::interp::{Flow, Regs};
use crate::object::{CodePtr, Frame};
use crate::value::{Value, Word};
use crate::vm::Vm;

/// Turns an async host function's Rust result into a Scheme value once the run resumes.
pub type HostCompletion = Box<dyn FnOnce(&mut Vm) -> Result<Value, HostFailure> + Send>;

/// What an async host function returns: the work to await.
pub type HostFuture = Pin<Box<dyn Future<Output = Result<HostCompletion, HostFailure>> + Send>>;

/// The body of an async host function: converts its arguments and starts the future.
pub type AsyncHostBody = dyn Fn(&mut Vm, HostArgs) -> Result<HostFuture, HostFailure> + Send;

/// How a resumable run stands.
pub enum RunState {
    /// It finished with this value.
    Done(Value),
    /// It waits for this future; pass its output to [`Vm::resume`].
    Suspended(HostFuture),
}

/// The state of a suspended run.
pub(crate) struct Suspended {
    /// Stack and frame lengths when the run started (what abandoning it restores).
    base: (usize, usize),
    /// The stack length to cut back to when resuming: the waiting call's arguments stay on
    /// the stack (rooted) until then, so the future's completion may use them.
    resume_len: usize,
}

impl Vm {
    /// Like [`Vm::call`], but the run may suspend on async host functions.
    pub fn call_resumable(&mut self, f: Value, args: &[Value]) -> Result<RunState, SchemeError> {
        self.abandon_suspended();
        self.last_raised = None;
        let base = (self.stack.len(), self.frames.len());
        self.suspendable = true;
        let result = self.call(f, args);
        self.finish_step(base, result)
    }

    /// Continues a suspended run with its future's output.
    pub fn resume(&mut self, output: Result<HostCompletion, HostFailure>) -> Result<RunState, SchemeError> {
        let Some(suspended) = self.suspended.take() else {
            return Err(SchemeError::internal("resume: no run is suspended"));
        };
        let base = suspended.base;
        self.last_raised = None;
        let value = output.and_then(|complete| complete(self));
        self.stack.truncate(suspended.resume_len);
        let Some(frame) = self.frames.pop() else {
            return Err(SchemeError::internal("resume: the suspended run has no frames"));
        };
        self.suspendable = true;
        let result = match value {
            Ok(value) if frame.code == Frame::HOST => Ok(value),
            Ok(value) => {
                let regs = self.regs_for(frame.code, frame.pc, frame.base);
                self.push(value);
                self.fit(&regs);
                self.run_resumed(regs)
            }
            Err(failure) => {
                let error = self.host_error_object(failure);
                if frame.code == Frame::HOST {
                    Err(self.uncaught(error, Frame::HOST, 0))
                } else {
                    let mut regs = self.regs_for(frame.code, frame.pc, frame.base);
                    match self.raise_object(&mut regs, error) {
                        Ok(Flow::Done(v)) => Ok(v),
                        Ok(Flow::Continue) => self.run_resumed(regs),
                        Err(e) => Err(e),
                    }
                }
            }
        };
        self.finish_step(base, result)
    }

    /// After a step of a resumable run: suspended (the future is handed out), finished, or
    /// failed (the stacks are put back as they were before the run).
    fn finish_step(
        &mut self,
        base: (usize, usize),
        result: Result<Value, SchemeError>,
    ) -> Result<RunState, SchemeError> {
        self.suspendable = false;
        match result {
            Ok(value) => match self.pending_future.take() {
                Some((future, resume_len)) => {
                    self.suspended = Some(Suspended { base, resume_len });
                    Ok(RunState::Suspended(future))
                }
                None => Ok(RunState::Done(value)),
            },
            Err(e) => {
                self.pending_future = None;
                self.unwind_to(base.0, base.1);
                Err(e)
            }
        }
    }

    /// Whether a run is suspended, waiting for a host future.
    #[inline]
    pub fn is_suspended(&self) -> bool {
        self.suspended.is_some()
    }

    /// Drops a suspended run (its future was dropped: the evaluation was cancelled). The
    /// stacks go back to how they were before it; `dynamic-wind` afters do not run.
    pub fn abandon_suspended(&mut self) {
        if let Some(suspended) = self.suspended.take() {
            self.unwind_to(suspended.base.0, suspended.base.1);
            self.pending_future = None;
            self.suspendable = false;
            self.reset_dynamic_state();
        }
    }

    /// Drops the handler and wind stacks of an evaluation that ended abnormally, so the
    /// next one starts clean.
    pub fn reset_dynamic_state(&mut self) {
        let (handlers, winders) = self.dynamic_state_slots;
        self.globals[handlers as usize] = Word::NULL;
        self.globals[winders as usize] = Word::NULL;
    }

    /// Suspends the running frame on `future` (an async host call at `stack[fi]`): the
    /// run returns to the driver, and `resume` continues right after the call.
    pub(crate) fn suspend(&mut self, regs: &Regs, fi: usize, tail: bool, future: HostFuture) -> Flow {
        // The call's arguments stay on the stack until `resume` cuts it back.
        let resume_len = if tail {
            // The running frame is finished: its caller receives the result.
            regs.base as usize - 1
        } else {
            self.frames.push(Frame {
                code: regs.code_index,
                pc: regs.pc,
                base: regs.base,
                ptr: CodePtr(regs.code),
            });
            fi
        };
        self.pending_future = Some((future, resume_len));
        Flow::Done(Value::Unspecified)
    }
}
