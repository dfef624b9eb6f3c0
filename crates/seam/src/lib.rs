//! Seam: an embeddable R7RS Scheme for Rust.
//!
//! An [`Engine`] is one Scheme world (heap, globals, macros, libraries). Rust code runs
//! Scheme with [`Engine::eval`], gives scripts Rust functions with [`Engine::define_fn`]
//! (parameters and results convert through [`FromValue`] and [`IntoValue`]), and calls
//! Scheme procedures back through typed [`Function`] handles.
//!
//! ```
//! use seam::{Ctx, Engine, Error, Function, Rest};
//!
//! let mut engine = Engine::new();
//! engine.define_fn("my-add", |a: u32, b: u32| a + b);
//! engine.define_fn("sum", |first: i64, rest: Rest<i64>| first + rest.iter().sum::<i64>());
//! engine.define_fn("parse", |s: String| -> Result<i64, std::num::ParseIntError> { s.parse() });
//! engine.define_fn("apply-twice", |ctx: &mut Ctx, f: Function<(i64,), i64>, x: i64| -> Result<i64, Error> {
//!     let y = f.call(ctx, (x,))?;
//!     f.call(ctx, (y,))
//! });
//! assert_eq!(engine.eval::<u32>("(my-add 1 2)").unwrap(), 3);
//! assert_eq!(engine.eval::<i64>("(sum 1 2 3)").unwrap(), 6);
//! assert_eq!(engine.eval::<i64>("(apply-twice (lambda (n) (* n n)) 3)").unwrap(), 81);
//!
//! engine.eval::<()>("(define (mult a b) (* a b))").unwrap();
//! let mult: Function<(i64, i64), i64> = engine.function("mult").unwrap();
//! assert_eq!(mult.call(&mut engine, (6, 7)).unwrap(), 42);
//!
//! // Failures are Scheme errors (a script can `guard` them) and `seam::Error`s in Rust.
//! let err = engine.eval::<i64>("(parse \"x\")").unwrap_err();
//! assert_eq!(err.kind(), "host");
//! assert!(std::error::Error::source(&err).is_some());
//! ```
//!
//! Conversions: every integer width (checked, never truncated), `BigInt`, `f32`/`f64`,
//! `bool`, `char`, `String`/`&str`, `Vec<u8>` (bytevector), `Vec<T>` (vector; lists accepted),
//! [`List<T>`], `HashMap`/`BTreeMap` (association lists), tuples (lists), `Option<T>` (`#f` is
//! `None`), [`Symbol`], [`Value`] (any value, rooted), [`Procedure`] and [`Function`].

#![warn(missing_docs)]

mod async_fn;
mod convert;
mod convert_std;
mod ctx;
mod embed;
mod engine;
mod error;
mod handle;
mod host_fn;
mod host_object;
mod limits;
mod manifest;
mod package;
mod plugin;
#[cfg(feature = "serde")]
pub mod serde;
#[cfg(feature = "tokio")]
pub mod tokio;

pub use async_fn::{AsyncCtx, IntoAsyncHostFn};
pub use convert::{ConversionError, ConversionErrorKind, Convert, FromValue, IntoValue, ValueKind, ValueRef};
pub use convert_std::{List, Symbol};
pub use ctx::{Context, Ctx};
pub use engine::Engine;
pub use error::{Error, TraceLine};
pub use handle::{ArgBuffer, Function, IntoArgs, Procedure, Value};
pub use host_fn::{HostResult, IntoHostFn, Rest};
pub use host_object::{Handle, HostType, Opaque, TypeBuilder};
pub use limits::InterruptHandle;
pub use package::{NativeModule, PackageInfo};
pub use seam_expand::{Capabilities, Capability};
pub use seam_vm::TraceFrame;

/// Whether `source` ends inside an unfinished datum (an open list or string): the REPL reads
/// another line instead of reporting an error.
pub fn is_incomplete(source: &str) -> bool {
    match seam_syntax::read_all(source, "<input>") {
        Err(e) => e.is_incomplete(),
        Ok(_) => false,
    }
}
