//! Seam's runtime: values, the precise tracing heap, the stackless interpreter loop and the
//! builtin procedures. Loads [`seam_compile::Proto`]s and runs them.

pub mod builtins;
mod call;
pub mod error;
mod eval;
mod gc;
pub mod heap;
pub mod host;
pub mod host_object;
mod interp;
pub mod limits;
pub mod num;
pub mod object;
pub mod port;
pub mod printer;
pub mod suspend;
pub mod tasks;
pub mod value;
mod verify;
mod vm;

pub use error::{Condition, SchemeError, TraceFrame};
pub use eval::value_to_datum;
pub use heap::Heap;
pub use limits::{InterruptHandle, Limit};
pub use object::Object;
pub use value::Value;
pub use verify::VerifyError;
pub use vm::{Roots, Vm};
