//! One module per engine, each running the workloads it can in its own idiomatic code.

pub mod lua;
pub mod rhai;
pub mod rune;
pub mod rust;
pub mod seam;
pub mod steel;
