//! Seam's compiler: core forms (from `seam-expand`) into bytecode [`Proto`]s for the VM's
//! stack machine, and a disassembler. Knows nothing about run-time values: literals stay
//! datums until the VM loads the proto.

#![forbid(unsafe_code)]

mod analyze;
mod compiler;
mod disasm;
mod loops;
mod op;

use seam_expand::Expr;
use seam_syntax::Span;

pub use crate::disasm::disassemble;
pub use crate::op::{span_at, Constant, Division, Linker, Op, Proto, Reg, INLINED};

/// A form the compiler cannot translate (limits exceeded, or an expander invariant broken).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{span}: {message}")]
pub struct CompileError {
    pub span: Span,
    pub message: String,
}

impl CompileError {
    pub(crate) fn new(span: &Span, message: impl Into<String>) -> CompileError {
        CompileError { span: span.clone(), message: message.into() }
    }
    pub(crate) fn internal(span: &Span) -> CompileError {
        CompileError::new(span, "internal compiler error: malformed core form")
    }
}

/// Compiles one top-level form into a procedure of no arguments.
pub fn compile(expr: &Expr, linker: &mut dyn Linker) -> Result<Proto, CompileError> {
    compiler::Compiler::compile_toplevel(expr, linker)
}
