//! Test helpers: reading with Seam's reader, a printer of core forms and a tiny evaluator.
#![allow(dead_code)]

pub mod eval;
pub mod printer;

use seam_expand::{ExpandError, Expander, Expr};

/// Expands every top-level form of `src` with one expander.
pub fn expand_all(src: &str) -> Result<Vec<Expr>, ExpandError> {
    let mut expander = Expander::new();
    read(src).iter().map(|d| expander.expand_toplevel(d)).collect()
}

/// The printed expansion of the last form of `src`.
pub fn expand(src: &str) -> String {
    match expand_all(src) {
        Ok(exprs) => exprs.last().map(printer::print).unwrap_or_default(),
        Err(e) => panic!("expansion of {src} failed: {e}"),
    }
}

/// The error expanding `src` (all forms, in order) gives, as `line:col: message`.
pub fn expand_error(src: &str) -> String {
    match expand_all(src) {
        Ok(exprs) => panic!(
            "expected an error from {src}, got {}",
            exprs.last().map(printer::print).unwrap_or_default()
        ),
        Err(e) => format!("{}:{}: {}", e.span.line, e.span.column, e.message),
    }
}

/// Expands and runs every form of `src`; the written value of the last one.
pub fn run(src: &str) -> String {
    let mut expander = Expander::new();
    let mut machine = eval::Machine::default();
    let mut last = String::new();
    for datum in read(src) {
        let expr = expander.expand_toplevel(&datum).unwrap_or_else(|e| panic!("{src}: {e}"));
        let value = machine
            .eval(&expr, &None)
            .unwrap_or_else(|e| panic!("{src}: run-time error {e}\n{}", printer::print(&expr)));
        last = eval::write(&value);
    }
    last
}

/// Reads test source with Seam's reader (file name `test`).
pub fn read(src: &str) -> Vec<seam_syntax::Datum> {
    seam_syntax::read_all(src, "test").expect("test source reads")
}
