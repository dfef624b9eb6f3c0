//! `syntax-rules` and hygiene.

mod common;

use common::{expand, run};

const MY_OR: &str = "(define-syntax my-or (syntax-rules () ((_) #f) ((_ e) e) \
                     ((_ e r ...) (let ((temp e)) (if temp temp (my-or r ...))))))\n";

#[test]
fn hygiene_template_references_see_definition_environment() {
    assert_eq!(run(&format!("{MY_OR}(let ((if list)) (my-or #f 2))")), "2");
    assert_eq!(run(&format!("{MY_OR}(let ((let 5) (my-or 7)) (list 1 2))")), "(1 2)");
    let src = "(define-syntax my-if (syntax-rules () ((_ c a b) (cond (c a) (else b)))))\n\
               (let ((else #f)) (my-if #f 1 2))";
    assert_eq!(run(src), "2");
}

#[test]
fn hygiene_template_binders_do_not_capture() {
    assert_eq!(run(&format!("{MY_OR}(define temp 5) (my-or #f temp)")), "5");
    assert_eq!(run(&format!("{MY_OR}(let ((temp 6)) (my-or #f temp))")), "6");
    let swap = "(define-syntax swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))\n\
                (let ((tmp 1) (other 2)) (swap! tmp other) (list tmp other))";
    assert_eq!(run(swap), "(2 1)");
}

#[test]
fn macro_defines_toplevel_variable() {
    let src = "(define-syntax def (syntax-rules () ((_ n v) (define n v))))\n(def foo 42)\nfoo";
    assert_eq!(run(src), "42");
    // A name the template itself introduces is defined under its own name at top level.
    let src =
        "(define-syntax def-counter (syntax-rules () ((_) (define counter 7))))\n(def-counter)\ncounter";
    assert_eq!(run(src), "7");
    // Inside a body, a template-introduced definition is invisible to the user's code.
    let src = "(define-syntax def-hidden (syntax-rules () ((_ v) (define hidden v))))\n\
               (define hidden 'outer)\n(let () (def-hidden 1) hidden)";
    assert_eq!(run(src), "outer");
}

#[test]
fn quoted_template_data_is_stripped() {
    let src = "(define-syntax q (syntax-rules () ((_ x) '(temp x #(temp)))))\n(q y)";
    assert_eq!(expand(src), "'(temp y #(temp))");
}

#[test]
fn let_syntax_scoping() {
    let src = "(define-syntax foo (syntax-rules () ((_) 'outer)))\n\
               (let-syntax ((foo (syntax-rules () ((_) 'inner))) (bar (syntax-rules () ((_) (foo)))))\n\
                 (list (foo) (bar)))";
    assert_eq!(run(src), "(inner outer)");
    assert_eq!(run("(define-syntax foo (syntax-rules () ((_) 'outer))) (let-syntax ((foo (syntax-rules () ((_) 'inner)))) 1) (foo)"), "outer");
}

#[test]
fn letrec_syntax_recursion() {
    let src = "(letrec-syntax ((my-and (syntax-rules () ((_) #t) ((_ e) e) ((_ e r ...) (if e (my-and r ...) #f)))))\n\
               (list (my-and 1 2 3) (my-and 1 #f 3)))";
    assert_eq!(run(src), "(3 #f)");
}

#[test]
fn nested_ellipses() {
    let src = "(define-syntax my-let* (syntax-rules () ((_ () body ...) (let () body ...)) \
               ((_ ((n v) rest ...) body ...) (let ((n v)) (my-let* (rest ...) body ...)))))\n\
               (my-let* ((a 1) (b (+ a 1))) (list a b))";
    assert_eq!(run(src), "(1 2)");
    let src = "(define-syntax flat (syntax-rules () ((_ (a b ...) ...) '(a ... (b ... ...)))))\n(flat (1 2 3) (4) (5 6))";
    assert_eq!(run(src), "(1 4 5 (2 3 6))");
    let src = "(define-syntax pairs (syntax-rules () ((_ (k v ...) ...) '((k . (v ...)) ...))))\n(pairs (a 1 2) (b))";
    assert_eq!(run(src), "((a 1 2) (b))");
}

#[test]
fn ellipsis_followed_by_patterns_and_dotted_and_vectors() {
    let src = "(define-syntax last (syntax-rules () ((_ a ... b c) '(c b (a ...)))))\n(last 1 2 3 4)";
    assert_eq!(run(src), "(4 3 (1 2))");
    let src = "(define-syntax tail (syntax-rules () ((_ a . b) 'b)))\n(tail 1 2 3)";
    assert_eq!(run(src), "(2 3)");
    let src = "(define-syntax dots (syntax-rules () ((_ (a ... . r)) '(r a ...))))\n(dots (1 2 . 3))";
    assert_eq!(run(src), "(3 1 2)");
    let src = "(define-syntax vec (syntax-rules () ((_ #(a b ...)) '(a #(b ...)))))\n(vec #(1 2 3))";
    assert_eq!(run(src), "(1 #(2 3))");
    let src = "(define-syntax under (syntax-rules () ((_ _ x) 'x)))\n(under 1 2)";
    assert_eq!(run(src), "2");
}

#[test]
fn ellipsis_escape_and_custom_ellipsis() {
    let src = "(define-syntax be-like-begin (syntax-rules () ((_ name) \
               (define-syntax name (syntax-rules () ((name expr (... ...)) (begin expr (... ...))))))))\n\
               (be-like-begin sequence)\n(sequence 1 2 3)";
    assert_eq!(run(src), "3");
    let src = "(define-syntax my-list (syntax-rules ::: () ((_ x :::) (list x ::: '...))))\n(my-list 1 2)";
    assert_eq!(run(src), "(1 2 ...)");
}

#[test]
fn literals_match_by_binding() {
    let src = "(define-syntax my-cond (syntax-rules (=>) ((_ v => f) (f v)) ((_ v x f) 'no-arrow)))\n";
    assert_eq!(run(&format!("{src}(my-cond 1 => list)")), "(1)");
    assert_eq!(run(&format!("{src}(let ((=> 1)) (my-cond 1 => list))")), "no-arrow");
    // The built-in cond's `else` and `=>` follow the same rule: rebound, they are variables.
    assert_eq!(run("(let ((else #f)) (cond (else 1)))"), "#!unspecified");
    assert_eq!(run("(cond (#f 1) (else 2))"), "2");
    assert_eq!(run("(let ((=> #f)) (cond (1 => 'sym)))"), "sym");
}

#[test]
fn macro_producing_definitions_in_body() {
    let src = "(define-syntax def2 (syntax-rules () ((_ a b v) (begin (define a v) (define b v)))))\n\
               (let () (def2 x y 3) (list x y))";
    assert_eq!(run(src), "(3 3)");
}

#[test]
fn keyword_alias_and_nested_macro_definitions() {
    assert_eq!(run("(define-syntax my-if if) (my-if #f 1 2)"), "2");
    let src = "(define-syntax def-getter (syntax-rules () ((_ name val) \
               (define-syntax name (syntax-rules () ((_) val))))))\n(def-getter get-five 5)\n(get-five)";
    assert_eq!(run(src), "5");
}

#[test]
fn expander_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<seam_expand::Expander>();
}

#[test]
fn local_macro_sees_its_definition_scope() {
    let src = "(let ((x 1)) (let-syntax ((m (syntax-rules () ((_) x)))) (let ((x 2)) (list x (m)))))";
    assert_eq!(run(src), "(2 1)");
}

#[test]
fn quasiquote_in_templates_and_vector_repeats() {
    let src = "(define-syntax qq (syntax-rules () ((_ x y ...) `(tag ,x ,@(list y ...)))))\n(define tag 'outer)\n(qq 1 2 3)";
    assert_eq!(run(src), "(tag 1 2 3)");
    let src = "(define-syntax v (syntax-rules () ((_ #(a ... z)) '(z a ...))))\n(v #(1 2 3))";
    assert_eq!(run(src), "(3 1 2)");
}

#[test]
fn template_nodes_carry_the_use_span() {
    let mut expander = seam_expand::Expander::new();
    let forms = common::read("(define-syntax m (syntax-rules () ((_ e) (if e 1 2))))\n\n  (m #t)");
    let _ = expander.expand_toplevel(&forms[0]);
    let expr = expander.expand_toplevel(&forms[1]).map_err(|e| e.to_string());
    let span = expr.map(|e| (e.span.line, e.span.column));
    assert_eq!(span, Ok((3, 3)));
}
