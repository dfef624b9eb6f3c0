//! Seam's expander: hygienic `syntax-rules`, the R7RS derived forms and internal defines,
//! turning read datums into [`core`] forms. Knows nothing about bytecode or the VM.

pub mod core;

pub use crate::core::{Expr, ExprKind, Lambda, Var};
