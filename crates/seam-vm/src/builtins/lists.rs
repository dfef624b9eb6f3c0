//! Builtins: lists.

use super::Builtin;

pub const BUILTINS: &[Builtin] = &[];
