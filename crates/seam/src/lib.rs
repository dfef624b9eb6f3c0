//! Seam: an embeddable R7RS Scheme for Rust.
//!
//! ```
//! let mut engine = seam::Engine::new();
//! assert_eq!(engine.eval_to_string("(define (sq x) (* x x)) (sq 12)").unwrap(), "144");
//! ```

mod engine;
mod error;

pub use engine::Engine;
pub use error::{Error, TraceLine};
pub use seam_vm::TraceFrame;

/// Whether `source` ends inside an unfinished datum (an open list or string): the REPL reads
/// another line instead of reporting an error.
pub fn is_incomplete(source: &str) -> bool {
    match seam_syntax::read_all(source, "<input>") {
        Err(e) => e.is_incomplete(),
        Ok(_) => false,
    }
}
