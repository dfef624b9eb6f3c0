//! What every engine's child process shares: the workload sizes, the test data, the timing
//! loop, and the one JSON line of results it prints (shared with the LuaJIT binary by path).

use std::time::{Duration, Instant};

/// Timed runs per workload, after one untimed warm-up run; the cell is their median.
pub const RUNS: usize = 7;
/// W1: `fib(FIB_N)`, which must return `FIB_RESULT`.
pub const FIB_N: i64 = 25;
pub const FIB_RESULT: i64 = 75_025;
/// W2 and W3: iterations of the accumulate loop (sum of 0..LOOP_N).
pub const LOOP_N: i64 = 1_000_000;
pub const LOOP_SUM: i64 = LOOP_N * (LOOP_N - 1) / 2;
/// W4: host → script calls per run.
pub const TYPED_CALLS: i64 = 100_000;
/// W5: host objects per sort, and sorts in total (their median is the cell; the peak RSS
/// figure covers all of them).
pub const POINTS: usize = 10_000;
pub const SORTS: usize = 200;
/// W6: elements of the vector that goes into the engine and back.
pub const VEC_LEN: usize = 1_000_000;

/// The workload names, in column order.
pub const WORKLOADS: [&str; 10] = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10"];

/// W7: async host calls per run (each future ready at once); W8: tasks spawned and awaited.
pub const ASYNC_CALLS: i64 = 100_000;
pub const TASKS: i64 = 10_000;

/// W9 and W10: calls of the C functions per run (the W2 loop with `acc = add(acc, 1)` or
/// `acc = strlen(TEXT)` in place of `sum = sum + i`).
pub const FFI_CALLS: i64 = LOOP_N;
/// W10's string, and its length.
pub const TEXT: &str = "hello world";
pub const TEXT_LEN: i64 = 11;

/// The environment variable through which the runner gives each child the path of the C
/// library of W9 (`crates/seam/benches/ffi/bench.c`, built with `cc` by the runner).
pub const FFI_LIBRARY_VAR: &str = "SEAM_PEERS_FFI_LIBRARY";

/// The C library's path, or why there is none.
pub fn ffi_library() -> Outcome<String> {
    std::env::var(FFI_LIBRARY_VAR).map_err(|_| format!("no C library ({FFI_LIBRARY_VAR} unset: cc failed?)"))
}

/// Polls `future` to completion with a no-op waker: for futures that never wait.
pub fn run_ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// The opaque host object of W5. Engines that need a derive on the type itself (Rune) wrap it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// `POINTS` points with pseudo-random `x`, the same in every engine and every run.
pub fn points() -> Vec<Point> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    (0..POINTS)
        .map(|i| {
            // xorshift64: cheap, deterministic, good enough to shuffle the keys.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            Point { x: (state >> 11) as f64 / (1u64 << 53) as f64, y: i as f64 }
        })
        .collect()
}

/// Whether `xs` is sorted by `x` and is still a permutation of the input (same length).
pub fn sorted_by_x(xs: &[f64]) -> Outcome<()> {
    if xs.len() != POINTS {
        return Err(format!("sort returned {} points, expected {POINTS}", xs.len()));
    }
    if xs.windows(2).any(|w| w[0] > w[1]) {
        return Err("sort result is not ordered by x".into());
    }
    Ok(())
}

/// The W6 input: 0..VEC_LEN.
pub fn vector() -> Vec<i64> {
    (0..VEC_LEN as i64).collect()
}

/// Whether the W6 round trip gave back the input.
pub fn same_vector(back: &[i64], input: &[i64]) -> Outcome<()> {
    if back != input {
        return Err(format!("round trip changed the vector (len {} → {})", input.len(), back.len()));
    }
    Ok(())
}

/// A workload's failure, as the one-line reason shown in place of its number.
pub type Outcome<T> = Result<T, String>;

/// Turns any engine's error into a reason that says which step failed.
pub trait OrReason<T> {
    fn or_reason(self, step: &str) -> Outcome<T>;
}

impl<T, E: std::fmt::Display> OrReason<T> for Result<T, E> {
    fn or_reason(self, step: &str) -> Outcome<T> {
        self.map_err(|e| format!("{step}: {}", first_line(&e.to_string())))
    }
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim()
}

/// Checks that a workload computed what it should, so a broken script cannot look fast.
pub fn expect_eq<T: PartialEq + std::fmt::Debug>(got: T, want: T, what: &str) -> Outcome<()> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what} returned {got:?}, expected {want:?}"))
    }
}

/// Runs `run` once to warm up, then `runs` times; each run measures its own span (so setup
/// can stay outside the clock) and the median span is returned.
pub fn median(runs: usize, mut run: impl FnMut() -> Outcome<Duration>) -> Outcome<Duration> {
    run()?;
    let mut spans = Vec::with_capacity(runs);
    for _ in 0..runs {
        spans.push(run()?);
    }
    spans.sort();
    Ok(spans[spans.len() / 2])
}

/// Times `body` as a whole: the common case of a run with no setup.
pub fn timed(body: impl FnOnce() -> Outcome<()>) -> Outcome<Duration> {
    let start = Instant::now();
    body()?;
    Ok(start.elapsed())
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub fn ns_per(d: Duration, count: i64) -> f64 {
    d.as_secs_f64() * 1e9 / count as f64
}

/// One engine's results: a number or the reason it has none, per workload.
pub struct Results {
    pub engine: String,
    pub cells: Vec<Outcome<f64>>,
    /// Peak RSS after W1–W5: the figure for the sorts, before W6's large vectors.
    pub peak_rss_before_w6_kib: Option<u64>,
    /// Figures outside the table's columns (another way of doing a workload), by label.
    pub extras: Vec<(String, Outcome<f64>)>,
}

impl Results {
    /// Runs workload 0..6 in order through `workload`, noting the peak RSS before W6, and
    /// turns W3 into the host-call loop's per-iteration cost less W2's plain loop. W7–W10
    /// start as n/a: `with_async` and `with_ffi` fill them in for engines that have them.
    pub fn collect(engine: &str, mut workload: impl FnMut(usize) -> Outcome<f64>) -> Results {
        let mut cells: Vec<Outcome<f64>> = (0..5).map(&mut workload).collect();
        let peak_rss_before_w6_kib = peak_rss_kib();
        cells.push(workload(5));
        if let (Ok(plain), Ok(calling)) = (cells[1].clone(), cells[2].clone()) {
            cells[2] = Ok(calling - plain);
        }
        cells.push(Err("no async host functions in this engine's embedding API".into()));
        cells.push(Err("no async tasks in this engine's embedding API".into()));
        cells.push(Err("no C FFI in this engine".into()));
        cells.push(Err("no C FFI in this engine".into()));
        Results { engine: engine.to_string(), cells, peak_rss_before_w6_kib, extras: Vec::new() }
    }

    /// The per-iteration cost of a W2-shaped loop of `per_iteration` ns, less W2's.
    pub fn less_loop(&self, per_iteration: Outcome<f64>) -> Outcome<f64> {
        match (&self.cells[1], per_iteration) {
            (Ok(plain), Ok(calling)) => Ok(calling - plain),
            (Err(reason), Ok(_)) => Err(format!("no W2 to subtract: {reason}")),
            (_, Err(reason)) => Err(reason),
        }
    }

    /// Fills in W9 and W10 (C `add` and `strlen` through the engine's FFI) for engines that
    /// have one: `workload(8)` and `workload(9)` give ns per loop iteration, and the cells
    /// become that less W2's plain loop.
    pub fn with_ffi(mut self, mut workload: impl FnMut(usize) -> Outcome<f64>) -> Results {
        self.cells[8] = self.less_loop(workload(8));
        self.cells[9] = self.less_loop(workload(9));
        self
    }

    /// Gives W9 and W10 `reason` for being n/a.
    pub fn without_ffi(mut self, reason: &str) -> Results {
        self.cells[8] = Err(reason.to_string());
        self.cells[9] = Err(reason.to_string());
        self
    }

    /// Adds a figure outside the table: `per_iteration` (ns per loop iteration) less W2.
    pub fn with_extra(mut self, label: &str, per_iteration: Outcome<f64>) -> Results {
        let value = self.less_loop(per_iteration);
        self.extras.push((label.to_string(), value));
        self
    }

    /// Fills in W7 and W8 (async host call, spawn + await) for engines that have them; W7
    /// becomes the async-call loop's per-iteration cost less W2's plain loop.
    pub fn with_async(mut self, mut workload: impl FnMut(usize) -> Outcome<f64>) -> Results {
        self.cells[6] = workload(6);
        self.cells[7] = workload(7);
        if let (Ok(plain), Ok(calling)) = (self.cells[1].clone(), self.cells[6].clone()) {
            self.cells[6] = Ok(calling - plain);
        }
        self
    }

    /// The one JSON line the parent reads: engine, cells (number or null), reasons, peak RSS
    /// before W6 and at the end.
    pub fn to_json(&self) -> String {
        let cells: Vec<String> = self
            .cells
            .iter()
            .map(|c| match c {
                Ok(v) if v.is_finite() => format!("{v}"),
                _ => "null".into(),
            })
            .collect();
        let reasons: Vec<String> =
            self.cells.iter().map(|c| json_string(c.as_ref().err().map_or("", |s| s))).collect();
        let extras: Vec<String> = self
            .extras
            .iter()
            .map(|(label, value)| match value {
                Ok(v) if v.is_finite() => format!("{{\"label\":{},\"value\":{v}}}", json_string(label)),
                Ok(_) => format!("{{\"label\":{},\"reason\":\"not a number\"}}", json_string(label)),
                Err(reason) => {
                    format!("{{\"label\":{},\"reason\":{}}}", json_string(label), json_string(reason))
                }
            })
            .collect();
        format!(
            "{{\"engine\":{},\"cells\":[{}],\"reasons\":[{}],\"extras\":[{}],\"peak_rss_before_w6_kib\":{},\"peak_rss_kib\":{}}}",
            json_string(&self.engine),
            cells.join(","),
            reasons.join(","),
            extras.join(","),
            self.peak_rss_before_w6_kib.map_or("null".into(), |k| k.to_string()),
            peak_rss_kib().map_or("null".into(), |k| k.to_string())
        )
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// This process's peak resident set (`VmHWM`), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
