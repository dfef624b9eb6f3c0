//! Limits on an evaluation: fuel, memory, continuation depth, a wall-clock deadline and
//! interrupts from another thread.
//!
//! All of them are enforced at the VM's check points (every call, tail call and backward
//! jump, and every raise of an error from a builtin), which cost one decrement and one
//! comparison when nothing is due: `Heap::ticks` counts down the check points left before
//! the slow path, which collects garbage when due, hands out fuel in chunks of at most
//! [`CHUNK`], reads the interrupt flag and the clock, and measures memory and depth. (An
//! allocation that makes a collection due zeroes `ticks`, banking the rest for the slow
//! path to give back, so collection needs no comparison of its own.) With a deadline or an interrupt handle,
//! chunks are sized by time rather than count (`CHUNK_TIME`), so an interrupt or a passed
//! deadline is noticed within about a millisecond plus one check point's work, even when
//! each check point calls a slow builtin. Fuel is exact, and depth and memory overshoot by
//! at most a chunk's worth of calls.
//!
//! A limit that trips ends the run with an error no Scheme handler sees (the run returns
//! it directly). It stays tripped until the next evaluation begins, so a host function
//! that turns it into an ordinary Scheme error cannot save the script: the next check
//! point ends the run again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::vm::Vm;

/// Check points between two visits of the slow path when no fuel limit is closer.
pub const CHUNK: u32 = 1024;

/// Check points handed out first in an evaluation with a deadline or an interrupt handle,
/// before it is known how long they take.
const FIRST_CHUNK: u64 = 16;

/// How long the check points of one chunk should take when the clock or the interrupt flag
/// is watched. Check points are usually cheap (a chunk of 1024 takes microseconds), but one
/// that calls a slow builtin (a long string, vector or bignum operation, a host function)
/// can take milliseconds, and a chunk of them seconds: so the chunk adapts to the time its
/// check points take, shrinking in proportion when a chunk took longer than this (down to
/// one check point), and doubling (up to [`CHUNK`]) when it took less than a quarter of it.
/// The deadline and interrupts are then noticed within about this long plus one check
/// point's work, whatever the check points do.
const CHUNK_TIME: Duration = Duration::from_millis(1);

/// Which limit ended an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Fuel,
    Memory,
    Depth,
    Deadline,
    Interrupt,
}

impl Limit {
    /// The error kind the host matches (`Error::kind()`).
    pub fn kind(self) -> &'static str {
        match self {
            Limit::Fuel => "fuel-exhausted",
            Limit::Memory => "memory-limit",
            Limit::Depth => "depth-limit",
            Limit::Deadline => "deadline",
            Limit::Interrupt => "interrupted",
        }
    }
}

/// A handle that stops the evaluation running in its engine, from any thread.
#[derive(Clone, Debug)]
pub struct InterruptHandle(Arc<AtomicBool>);

impl InterruptHandle {
    /// Asks the running evaluation to stop: it ends with an `interrupted` error at its next
    /// visit of the check points' slow path (about a millisecond later, see `CHUNK_TIME`;
    /// an evaluation that begins while a handle exists sizes its chunks by time). A request made while
    /// nothing runs is dropped when the next evaluation begins.
    pub fn interrupt(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// What long builtins watch too: the interrupt flag and the evaluation's deadline (kept in
/// the heap, which builtins reach).
#[derive(Debug, Default)]
pub struct Watch {
    interrupt: Arc<AtomicBool>,
    /// The deadline of this evaluation (the nearer of `deadline` and `time_limit`).
    stop_at: Option<Instant>,
    /// Whether this evaluation runs under any limit (fuel, memory, a deadline, or an
    /// interrupt handle held by the host): then builtins whose work grows faster than
    /// their operands (bignum arithmetic, see `num.rs`) refuse operands too large to finish
    /// promptly, since they cannot be stopped midway.
    bounded: bool,
}

impl Watch {
    /// Whether the evaluation runs under limits (see the field).
    pub fn bounded(&self) -> bool {
        self.bounded
    }

    /// An interrupt request or a passed deadline (the request stays pending).
    pub fn stop_requested(&self) -> Option<Limit> {
        if self.interrupt.load(Ordering::Relaxed) {
            Some(Limit::Interrupt)
        } else if self.stop_at.is_some_and(|at| Instant::now() >= at) {
            Some(Limit::Deadline)
        } else {
            None
        }
    }
}

/// The limits of a VM and the state of the current evaluation.
#[derive(Debug)]
pub struct Limits {
    /// Fuel each evaluation starts with (`None`: unlimited).
    fuel: Option<u64>,
    /// Fuel of this evaluation not yet handed to `ticks`.
    fuel_left: u64,
    /// Most frames (continuation depth).
    depth: Option<usize>,
    /// An instant after which evaluations stop.
    deadline: Option<Instant>,
    /// How long one evaluation may run.
    time_limit: Option<Duration>,
    /// The limit that ended this evaluation, until the next one begins.
    tripped: Option<Limit>,
    /// Whether this evaluation watches the clock or the interrupt flag (a deadline or an
    /// interrupt handle): then chunks adapt to time (see [`CHUNK_TIME`]).
    timed: bool,
    /// The size of the next chunk when `timed`.
    chunk: u64,
    /// When the last chunk was handed out, when `timed`.
    last_refill: Option<Instant>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: None,
            fuel_left: 0,
            depth: None,
            deadline: None,
            time_limit: None,
            tripped: None,
            timed: false,
            chunk: FIRST_CHUNK,
            last_refill: None,
        }
    }
}

impl Limits {
    /// The next chunk of check points, or which limit trips.
    fn refill(&mut self, watch: &Watch) -> Result<i64, Limit> {
        if watch.interrupt.swap(false, Ordering::Relaxed) {
            return Err(Limit::Interrupt);
        }
        let mut size = CHUNK as u64;
        if self.timed {
            let now = Instant::now();
            if watch.stop_at.is_some_and(|at| now >= at) {
                return Err(Limit::Deadline);
            }
            if let Some(last) = self.last_refill {
                let took = now.saturating_duration_since(last);
                self.chunk = if took > CHUNK_TIME {
                    let scaled = u128::from(self.chunk) * CHUNK_TIME.as_nanos() / took.as_nanos().max(1);
                    u64::try_from(scaled).unwrap_or(1).max(1)
                } else if took < CHUNK_TIME / 4 {
                    (self.chunk * 2).min(CHUNK as u64)
                } else {
                    self.chunk
                };
            }
            self.last_refill = Some(now);
            size = self.chunk;
        }
        let chunk = match self.fuel {
            None => size,
            Some(_) if self.fuel_left == 0 => return Err(Limit::Fuel),
            Some(_) => self.fuel_left.min(size),
        };
        if self.fuel.is_some() {
            self.fuel_left -= chunk;
        }
        Ok(chunk as i64)
    }
}

impl Vm {
    /// Starts an evaluation: fuel is refilled, the deadline computed, an old interrupt
    /// request and a tripped limit forgotten. Does nothing inside a run (a host function
    /// calling back into Scheme continues the evaluation it is part of).
    pub fn begin_evaluation(&mut self) {
        if !self.frames.is_empty() {
            return;
        }
        let (l, watch) = (&mut self.limits, &mut self.heap.watch);
        l.tripped = None;
        watch.interrupt.store(false, Ordering::Relaxed);
        let by_time = l.time_limit.and_then(|d| Instant::now().checked_add(d));
        watch.stop_at = match (l.deadline, by_time) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        l.fuel_left = l.fuel.unwrap_or(0);
        (self.heap.ticks, self.heap.banked) = (0, 0);
        // An interrupt handle the host holds (a clone of the flag) counts as a limit.
        let interruptible = Arc::strong_count(&watch.interrupt) > 1;
        watch.bounded =
            l.fuel.is_some() || watch.stop_at.is_some() || interruptible || self.heap.memory_limit.is_some();
        l.timed = watch.stop_at.is_some() || interruptible;
        l.chunk = FIRST_CHUNK;
        l.last_refill = None;
    }

    pub fn set_fuel(&mut self, fuel: Option<u64>) {
        self.limits.fuel = fuel;
    }

    /// Fuel left in this evaluation (or the last one), if fuel is limited.
    pub fn remaining_fuel(&self) -> Option<u64> {
        let l = &self.limits;
        l.fuel.map(|_| l.fuel_left + (self.heap.ticks.max(0) + self.heap.banked) as u64)
    }

    pub fn set_memory_limit(&mut self, bytes: Option<usize>) {
        self.heap.set_memory_limit(bytes);
    }

    pub fn set_max_depth(&mut self, frames: Option<usize>) {
        self.limits.depth = frames;
    }

    pub fn set_deadline(&mut self, at: Option<Instant>) {
        self.limits.deadline = at;
    }

    pub fn set_time_limit(&mut self, limit: Option<Duration>) {
        self.limits.time_limit = limit;
    }

    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle(self.heap.watch.interrupt.clone())
    }

    /// Approximate bytes in use: the heap (live after the last collection, plus what was
    /// allocated since), the value stack and the frames.
    pub fn memory_in_use(&self) -> usize {
        self.heap.live_bytes()
            + self.heap.allocated
            + self.stack.len() * std::mem::size_of::<crate::value::Word>()
            + self.frames.len() * std::mem::size_of::<crate::object::Frame>()
    }

    /// The check point: collect garbage when due, and stop the run when a limit trips.
    #[inline(always)]
    pub(crate) fn check_point(&mut self) -> Result<(), Limit> {
        self.heap.ticks -= 1;
        if self.heap.ticks <= 0 {
            return self.check_point_slow();
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn check_point_slow(&mut self) -> Result<(), Limit> {
        // The check points an allocation banked (to send this one here) come back.
        self.heap.ticks += std::mem::take(&mut self.heap.banked);
        if let Some(limit) = self.limits.tripped {
            self.heap.ticks = 0;
            return Err(limit);
        }
        let mut collected = false;
        if self.heap.wants_collection() {
            self.collect_garbage(&[]);
            collected = true;
        }
        let mut verdict = Ok(());
        if self.heap.ticks <= 0 {
            match self.limits.refill(&self.heap.watch) {
                Ok(chunk) => self.heap.ticks = chunk,
                Err(limit) => verdict = Err(limit),
            }
        }
        if verdict.is_ok() {
            if let Some(max) = self.heap.memory_limit() {
                if self.memory_in_use() > max && !collected {
                    self.collect_garbage(&[]);
                }
                if self.memory_in_use() > max {
                    verdict = Err(Limit::Memory);
                }
            }
            if self.limits.depth.is_some_and(|max| self.frames.len() > max) {
                verdict = Err(Limit::Depth);
            }
        }
        if let Err(limit) = verdict {
            self.limits.tripped = Some(limit);
            self.heap.ticks = 0;
        } else if self.heap.stress {
            // Collect at every check point.
            self.heap.collection_due();
        }
        verdict
    }

    /// The error a tripped `limit` ends the run with, placed at the running instruction.
    #[cold]
    #[inline(never)]
    pub(crate) fn limit_error(
        &mut self,
        regs: crate::interp::Regs,
        limit: Limit,
    ) -> crate::error::SchemeError {
        let message = self.limit_message(limit);
        let condition = crate::error::Condition { kind: limit.kind(), message, irritants: Vec::new() };
        let object = crate::builtins::make_error_object(&mut self.heap, condition);
        self.uncaught(object, regs.code_index, regs.pc)
    }

    /// The message of the error `limit` ends an evaluation with.
    pub(crate) fn limit_message(&self, limit: Limit) -> String {
        let l = &self.limits;
        match limit {
            Limit::Fuel => {
                format!("out of fuel: the evaluation used all {} units it was given", l.fuel.unwrap_or(0))
            }
            Limit::Memory => {
                format!(
                    "memory limit exceeded: the evaluation needed more than {} bytes",
                    self.heap.memory_limit().unwrap_or(0)
                )
            }
            Limit::Depth => format!("depth limit exceeded: more than {} nested calls", l.depth.unwrap_or(0)),
            Limit::Deadline => "deadline passed: the evaluation ran out of time".to_string(),
            Limit::Interrupt => "interrupted".to_string(),
        }
    }
}
