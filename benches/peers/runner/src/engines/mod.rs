//! One module per engine, each running W1–W6 in its own idiomatic code.

pub mod lua;
pub mod rhai;
pub mod rune;
pub mod rust;
pub mod seam;
pub mod steel;
