//! tokio integration (cargo feature `tokio`, on by default): `(sleep seconds)` uses
//! tokio's timer when a tokio runtime drives the engine (elsewhere it falls back to the
//! VM's runtime-agnostic timer, `seam_vm::tasks::timer`), and [`blocking`] runs blocking host work on tokio's
//! blocking pool so the Scheme code that waits for it does not hold up other tasks.

use std::time::Duration;

use crate::engine::Engine;
use crate::error::Error;

/// Runs `work` on tokio's blocking thread pool and waits for it: for host functions that
/// must block (file hashing, a synchronous database driver).
///
/// ```
/// # async fn demo() -> Result<(), seam::Error> {
/// let mut engine = seam::Engine::new();
/// engine.define_async_fn("slow-square", |n: u64| seam::tokio::blocking(move || n * n));
/// assert_eq!(engine.eval_async::<u64>("(slow-square 12)").await?, 144);
/// # Ok(()) }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(demo()).unwrap();
/// ```
pub async fn blocking<R: Send + 'static>(work: impl FnOnce() -> R + Send + 'static) -> Result<R, Error> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::tagged("host", format!("blocking host work failed: {e}")))
}

/// `(sleep seconds)` on tokio's timer when a tokio runtime is running; the engine's own
/// timer thread otherwise.
pub(crate) fn install(engine: &mut Engine) {
    engine.define_async_fn("sleep", |seconds: f64| async move {
        if !(seconds.is_finite() && seconds >= 0.0) {
            return Err(Error::tagged(
                "type",
                format!("sleep: expected a non-negative number of seconds, got {seconds}"),
            ));
        }
        let duration = Duration::from_secs_f64(seconds.min(1e9));
        match tokio::runtime::Handle::try_current() {
            Ok(_) => tokio::time::sleep(duration).await,
            Err(_) => seam_vm::tasks::timer(duration).await,
        }
        Ok(())
    });
}
