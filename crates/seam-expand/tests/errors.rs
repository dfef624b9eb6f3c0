//! Error messages and their spans (line:column) for misuse of every kind.

mod common;

use common::expand_error;

#[test]
fn shape_errors() {
    assert_eq!(expand_error("(if)"), "1:1: if: expected (if test consequent [alternative])");
    assert_eq!(expand_error("(foo\n  (if 1 2 3 4))"), "2:3: if: expected (if test consequent [alternative])");
    assert_eq!(expand_error("(lambda)"), "1:1: lambda: expected (lambda formals body ...)");
    assert_eq!(expand_error("(lambda (x))"), "1:1: lambda: expected (lambda formals body ...)");
    assert_eq!(expand_error("(let ((x)) x)"), "1:7: let: malformed binding (x)");
    assert_eq!(expand_error("(let ((x 1) (x 2)) x)"), "1:14: let: duplicate binding x");
    assert_eq!(expand_error("(lambda (x x) x)"), "1:12: lambda: duplicate parameter x");
    assert_eq!(expand_error("(lambda (x 1) x)"), "1:12: lambda: parameter is not an identifier: 1");
    assert_eq!(expand_error("(set! (f) 1)"), "1:7: set!: not an identifier: (f)");
    assert_eq!(expand_error("(set! if 1)"), "1:7: set!: cannot assign syntax keyword if");
    assert_eq!(expand_error("(quote)"), "1:1: quote: expected (quote datum)");
    assert_eq!(
        expand_error("(define)"),
        "1:1: define: expected (define name expression) or (define (name . formals) body ...)"
    );
    assert_eq!(expand_error("(cond (else 1) (x 2))"), "1:7: cond: else clause must be last");
    assert_eq!(expand_error("(case)"), "1:1: case: expected (case key clause ...)");
    assert_eq!(expand_error("(case x (1 2))"), "1:9: case: malformed clause (1 2)");
    assert_eq!(expand_error("(do ((i 0)) 1)"), "1:13: do: malformed exit clause 1");
    assert_eq!(expand_error("(when)"), "1:1: when: expected (when test expression ...)");
    assert_eq!(expand_error("(delay)"), "1:1: delay: expected (delay expression)");
    assert_eq!(
        expand_error("(define-record-type p (mk q) p?)"),
        "1:27: define-record-type: q is not a field of p (or is repeated)"
    );
}

/// Found by the `compile` fuzz target (fuzz/regressions/compile/): with no clauses the
/// compiler emitted a case-lambda instruction the bytecode verifier rejects.
#[test]
fn case_lambda_without_clauses() {
    assert_eq!(
        expand_error("(case-lambda)"),
        "1:1: case-lambda: needs at least one clause (formals body ...)"
    );
    assert_eq!(
        expand_error("(define f\n  (case-lambda))"),
        "2:3: case-lambda: needs at least one clause (formals body ...)"
    );
}

#[test]
fn context_errors() {
    assert_eq!(expand_error("(if x (define y 1))"), "1:7: define: not allowed in expression context");
    assert_eq!(
        expand_error("(f (define-syntax m (syntax-rules ())))"),
        "1:4: define-syntax: not allowed in expression context"
    );
    assert_eq!(expand_error("if"), "1:1: syntax keyword if used as an expression");
    assert_eq!(expand_error("(list 1 else)"), "1:9: syntax keyword else used as an expression");
    assert_eq!(
        expand_error("(define-syntax m (syntax-rules ())) (+ m 1)"),
        "1:40: syntax keyword m used as an expression"
    );
    assert_eq!(expand_error("(f '#0=(a . #0#) #1=(b))"), "1:18: datum label outside quote");
    assert_eq!(expand_error("(list ,x)"), "1:7: unquote: not allowed outside quasiquote");
    assert_eq!(expand_error("`,@x"), "1:2: unquote-splicing: not in a list");
    assert_eq!(expand_error("()"), "1:1: empty combination ()");
    assert_eq!(expand_error("(f . x)"), "1:1: improper list in combination (f . x)");
    assert_eq!(
        expand_error("(lambda () (define x 1))"),
        "1:1: lambda: no expression after the definitions in the body"
    );
    assert_eq!(
        expand_error("(let () )"),
        "1:1: let: expected (let ((name value) ...) body ...) or (let name ((name value) ...) body ...)"
    );
    assert_eq!(expand_error("(list (import (scheme base)))"), "1:7: import: only allowed at top level");
}

#[test]
fn library_errors() {
    let unknown = "unknown library (foo bar) (no library search path is set)";
    assert_eq!(expand_error("(import (foo bar))"), format!("1:9: {unknown}"));
    assert!(expand_error("(import (only (srfi 1) iota))").starts_with("1:15: unknown library (srfi 1)"));
    assert_eq!(
        expand_error("(import (only (scheme base) car kar))"),
        "1:33: import: kar is not among the names (scheme base) imports"
    );
    assert_eq!(
        expand_error("(import (rename (scheme base) (kar car)))"),
        "1:32: import: kar is not among the names (scheme base) imports"
    );
    assert_eq!(
        expand_error("(import (prefix (scheme base)))"),
        "1:9: import: malformed import set (prefix (scheme base))"
    );
    assert_eq!(
        expand_error("(import (\"str\"))"),
        "1:9: malformed library name (\"str\"): expected a list of identifiers and exact non-negative integers"
    );
    assert_eq!(
        expand_error("(define-library (foo) (export x))"),
        "1:31: library (foo) exports x, which it neither defines nor imports"
    );
    assert!(expand_error("(define-library (foo) (frobnicate))")
        .starts_with("1:23: define-library: expected a library declaration"));
    assert!(
        expand_error("(include \"/nonexistent/x.scm\")").starts_with("1:10: cannot read /nonexistent/x.scm")
    );
    assert_eq!(expand_error("(include 5)"), "1:10: include: expected a file name string, got 5");
}

#[test]
fn syntax_error_form() {
    assert_eq!(expand_error("(syntax-error \"bad thing:\" x 42)"), "1:1: bad thing: x 42");
    let src = "(define-syntax must-be-pair (syntax-rules () ((_ (a . b)) 'ok) ((_ x) (syntax-error \"not a pair\" x))))\n\
               (must-be-pair 5)";
    assert_eq!(expand_error(src), "2:1: not a pair 5");
    let body = "(define-syntax m (syntax-rules () ((_) (syntax-error \"in body\"))))\n(let () (m) 1)";
    assert_eq!(expand_error(body), "2:9: in body");
}

#[test]
fn macro_errors() {
    let src = "(define-syntax two-args (syntax-rules () ((_ a b) (list a b))))\n(two-args 1)";
    assert_eq!(expand_error(src), "2:1: no rule of macro `two-args` matches (two-args 1)");
    assert_eq!(
        expand_error("(define-syntax bad (syntax-rules () ((_ a ...) a)))"),
        "1:48: syntax-rules: pattern variable a is used at ellipsis depth 0 but bound at depth 1"
    );
    assert_eq!(
        expand_error("(define-syntax bad (syntax-rules () ((_ a) (a ...))))"),
        "1:45: syntax-rules: no pattern variable in a is bound at ellipsis depth 1"
    );
    assert_eq!(
        expand_error("(define-syntax bad (syntax-rules () ((_ a ... b ...) 1)))"),
        "1:49: syntax-rules: more than one ellipsis in a pattern list"
    );
    assert_eq!(
        expand_error("(define-syntax bad (syntax-rules () ((_ a a) 1)))"),
        "1:43: syntax-rules: duplicate pattern variable a"
    );
    assert_eq!(expand_error("(define-syntax bad 42)"), "1:20: bad: transformer must be syntax-rules, got 42");
}

#[test]
fn error_display_includes_file() {
    let err = common::expand_all("(if)").err().map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("test:1:1: if: expected (if test consequent [alternative])"));
}
