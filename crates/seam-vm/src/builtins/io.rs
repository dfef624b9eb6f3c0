//! Builtins: io.

use super::Builtin;

pub const BUILTINS: &[Builtin] = &[];
