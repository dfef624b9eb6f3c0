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

/// `(a0 a1 ... a{n-1})` with `prefix` instead of `a`.
fn names(prefix: &str, n: usize) -> String {
    (0..n).map(|i| format!("{prefix}{i}")).collect::<Vec<_>>().join(" ")
}

/// Forms with tens of thousands of parameters, bindings, fields, pattern variables or
/// imported names expand in linear time: duplicate checks and lookups use hash sets, not
/// a scan per name (which took seconds at this size).
#[test]
fn large_forms_expand_in_linear_time() {
    let n = 60_000;
    let params = names("p", n);
    let bindings = (0..n).map(|i| format!("(v{i} {i})")).collect::<Vec<_>>().join(" ");
    let sources = [
        format!("(lambda ({params}) p0)"),
        format!("(define (f {params}) p1)"),
        format!("(lambda ({params} . rest) rest)"),
        format!("(let ({bindings}) v0)"),
        format!("(letrec ({bindings}) v0)"),
        format!("(let-values ((({params}) (values))) p0)"),
        format!("(do ({bindings}) (#t v0))"),
        format!("(define-record-type big (make-big {params}) big? {params})"),
        format!("(define-syntax m (syntax-rules () ((_ {params}) (list {params}))))"),
        format!("(define-syntax m (syntax-rules ({params}) ((_ x) x)))"),
    ];
    for source in &sources {
        if let Err(e) = common::expand_all(source) {
            panic!("{}...: {e}", &source[..60]);
        }
    }
    // Duplicates are still found, wherever they are.
    for (source, message) in [
        (format!("(lambda ({params} p7) 1)"), "lambda: duplicate parameter p7"),
        (format!("(let ({bindings} (v9 1)) 1)"), "let: duplicate binding v9"),
        (format!("(do ({bindings} (v3 1)) (#t 1))"), "do: duplicate binding v3"),
        (format!("(define-record-type big #f big? {params} p5)"), "define-record-type: duplicate field p5"),
        (
            format!("(define-syntax m (syntax-rules () ((_ {params} p2) 1)))"),
            "syntax-rules: duplicate pattern variable p2",
        ),
    ] {
        let err = expand_error(&source);
        assert!(err.ends_with(message), "{err}");
    }
    // A macro with many pattern variables used with long sequences.
    let m = format!(
        "(define-syntax m (syntax-rules () ((_ ({params}) (x ...)) (list (cons x p0) ...))))\n(m ({params}) ({params}))"
    );
    assert!(common::expand_all(&m).is_ok());
    // Import sets naming many names of a library with many exports.
    let library = format!(
        "(define-library (big) (export {params}) (import (scheme base)) (begin {}))",
        (0..n).map(|i| format!("(define p{i} {i})")).collect::<Vec<_>>().join(" ")
    );
    let renames = (0..n).map(|i| format!("(p{i} q{i})")).collect::<Vec<_>>().join(" ");
    for import in [
        format!("(import (only (big) {params}))"),
        format!("(import (except (big) {params}))"),
        format!("(import (rename (big) {renames}))"),
        format!("(import (prefix (only (big) {params}) x-))"),
    ] {
        if let Err(e) = common::expand_all(&format!("{library}\n{import}")) {
            panic!("{}...: {e}", &import[..60]);
        }
    }
    let err = expand_error(&format!("{library}\n(import (except (big) {params} p4))"));
    assert!(err.contains("import: p4 is not among the names"), "{err}");
}

/// An import `prefix` may not build names past the identifier limit, nor, nested, more
/// bytes of names than the expansion budget.
#[test]
fn import_prefixes_are_bounded() {
    let long = "a".repeat(1_000_000);
    let err = expand_error(&format!("(import (prefix (scheme base) {long}))"));
    assert!(err.contains("import: the prefix of (prefix (scheme base) aaaa"), "{err}");
    assert!(err.contains("makes names of 1000"), "{err}");
    // Nested prefixes, each short: the names grow with every level.
    let depth = 900; // under the reader's nesting limit
    let nested = format!(
        "(import {}(scheme base){})",
        "(prefix ".repeat(depth),
        " abcdefghijklmnopqrstuvwxyz)".repeat(depth)
    );
    let err = expand_error(&nested);
    assert!(err.contains("import: the prefix of (prefix"), "{err}");
    assert!(err.contains("the expansion built more than 67108864 bytes of names and literals"), "{err}");
    // Ordinary prefixes work.
    assert!(common::expand_all("(import (prefix (scheme base) base:))\n(base:car '(1))").is_ok());
}

/// What macro templates build is bounded in bytes, not only in nodes: `identifier-append`
/// names, and literals copied from the use or the template.
#[test]
fn macro_templates_are_bounded_in_bytes() {
    let doubling = "(import (seam syntax))
        (define-syntax grow (syntax-rules () ((_ x) (grow (identifier-append x x)))))
        (grow ab)";
    let err = expand_error(doubling);
    assert!(err.contains("identifier-append: the identifier would have"), "{err}");
    // Many long appended names, each under the identifier limit.
    let long = "b".repeat(60_000);
    let many = format!(
        "(import (seam syntax))
         (define-syntax app (syntax-rules () ((_ x) (begin (define (identifier-append x 0) 1) (app x)))))
         (app {long})"
    );
    let err = expand_error(&many);
    assert!(err.contains("identifier-append: the expansion built more than 67108864 bytes"), "{err}");
    // A big string copied by a growing macro.
    let string = format!("\"{}\"", "s".repeat(1_000_000));
    let copies = format!("(define-syntax grow (syntax-rules () ((_ x) (grow (x x)))))\n(grow {string})");
    let err = expand_error(&copies);
    assert!(err.contains("macro `grow`: the expansion built more than 67108864 bytes"), "{err}");
    let template = format!("(define-syntax s (syntax-rules () ((_ x) (s (x {string})))))\n(s 1)");
    let err = expand_error(&template);
    assert!(err.contains("macro `s`: the expansion built more than"), "{err}");
}
