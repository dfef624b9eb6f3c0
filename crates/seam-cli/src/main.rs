//! The seam command.
fn main() {}
