//! Runaway macros and deeply nested input give errors, never hangs or stack overflows.

mod common;

use std::sync::Arc;

use common::expand_error;
use seam_expand::Expander;
use seam_syntax::{Datum, DatumKind, Number, Span};

#[test]
fn runaway_growing_macro() {
    let src = "(define-syntax f (syntax-rules () ((f x) (f (x x)))))\n(f 1)";
    let err = expand_error(src);
    assert!(err.starts_with("2:1: macro expansion too deep"), "{err}");
}

#[test]
fn runaway_looping_macro() {
    let src = "(define-syntax f (syntax-rules () ((f x) (f x))))\n(f 1)";
    assert_eq!(expand_error(src), "2:1: macro expansion too deep");
    let src = "(define-syntax g (syntax-rules () ((g x) (list (g x)))))\n(g 1)";
    assert_eq!(expand_error(src), "2:1: macro expansion too deep");
    let src = "(define-syntax h (syntax-rules () ((h) (lambda () (h) 1))))\n(h)";
    assert_eq!(expand_error(src), "2:1: macro expansion too deep");
}

/// `(list (list ... 1))`, `depth` deep, built without recursion.
fn deep_datum(depth: usize) -> Datum {
    let span = Span::new(Arc::from("deep"), 1, 1);
    let mut datum = Datum::new(DatumKind::Number(Number::Fixnum(1)), span.clone());
    for _ in 0..depth {
        let head = Datum::new(DatumKind::Symbol("list".into()), span.clone());
        datum = Datum::new(DatumKind::List(vec![head, datum], None), span.clone());
    }
    datum
}

/// Drops a deep datum on a thread with a stack big enough for its recursive drop.
fn drop_deep(datum: Datum) {
    let dropper = std::thread::Builder::new().stack_size(256 << 20).spawn(move || drop(datum));
    let _ = dropper.map(|handle| handle.join());
}

#[test]
fn deep_nesting_is_an_error() {
    // Expanded on the test thread's small stack: the expander must cope by itself.
    let datum = deep_datum(50_000);
    let result = Expander::new().expand_toplevel(&datum).map(|_| ());
    drop_deep(datum);
    let err = result.err().map(|e| e.message);
    assert_eq!(err.as_deref(), Some("form nested too deeply"));
}

#[test]
fn nesting_just_under_the_limit_works() {
    let datum = deep_datum(9_000);
    let result = Expander::new().expand_toplevel(&datum).map(drop);
    drop_deep(datum);
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn moderately_deep_nesting_works() {
    let depth = 900; // under the reader's nesting limit, over the expander's soft limit
    let src = format!("{}1{}", "(list ".repeat(depth), ")".repeat(depth));
    assert!(common::expand_all(&src).is_ok());
    let quoted = format!("'{}{}", "(".repeat(depth), ")".repeat(depth));
    assert!(common::expand_all(&quoted).is_ok());
}

#[test]
fn failed_form_leaves_no_definitions() {
    let mut expander = seam_expand::Expander::new();
    let forms = common::read("(begin (define-syntax m (syntax-rules () ((_) 1))) (if))\n(m)");
    assert!(expander.expand_toplevel(&forms[0]).is_err());
    // `m` was not defined: `(m)` is an ordinary call.
    let out = expander.expand_toplevel(&forms[1]).map(|e| common::printer::print(&e));
    assert_eq!(out.ok().as_deref(), Some("(m)"));
}
