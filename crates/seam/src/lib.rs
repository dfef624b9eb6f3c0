//! Seam: an embeddable R7RS Scheme for Rust.
//!
//! ```
//! let mut engine = seam::Engine::new();
//! assert_eq!(engine.eval_to_string("(define (sq x) (* x x)) (sq 12)").unwrap(), "144");
//! ```

mod convert;
mod convert_std;
mod ctx;
mod embed;
mod engine;
mod error;
mod handle;
mod host_fn;
#[cfg(feature = "serde")]
pub mod serde;

pub use convert::{ConversionError, ConversionErrorKind, Convert, FromValue, IntoValue, ValueKind, ValueRef};
pub use convert_std::{List, Symbol};
pub use ctx::{Context, Ctx};
pub use engine::Engine;
pub use error::{Error, TraceLine};
pub use handle::{ArgBuffer, Function, IntoArgs, Procedure, Value};
pub use host_fn::{HostResult, IntoHostFn, Rest};
pub use seam_vm::TraceFrame;

/// Whether `source` ends inside an unfinished datum (an open list or string): the REPL reads
/// another line instead of reporting an error.
pub fn is_incomplete(source: &str) -> bool {
    match seam_syntax::read_all(source, "<input>") {
        Err(e) => e.is_incomplete(),
        Ok(_) => false,
    }
}
