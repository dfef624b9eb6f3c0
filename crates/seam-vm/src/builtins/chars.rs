//! Builtins: chars.

use super::Builtin;

pub const BUILTINS: &[Builtin] = &[];
