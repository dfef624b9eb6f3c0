//! Expansion shapes and behaviour of the core and derived forms.

mod common;

use common::{expand, run};

#[test]
fn core_forms_shapes() {
    assert_eq!(expand("(if 1 2)"), "(if 1 2 #!unspecified)");
    assert_eq!(expand("'(a . b)"), "'(a . b)");
    assert_eq!(expand("#(1 2)"), "#(1 2)");
    assert_eq!(expand("(define x)"), "(define x #!unspecified)");
    assert_eq!(expand("(define (f a . r) a)"), "(define f (lambda {f} (a . r) a))");
    assert_eq!(expand("(define g (lambda args args))"), "(define g (lambda {g} args args))");
    assert_eq!(expand("(set! y 1)"), "(set! y 1)");
    assert_eq!(expand("(lambda (x) (set! x 1))"), "(lambda (x) (set! x 1))");
    assert_eq!(expand("(begin)"), "#!unspecified");
    assert_eq!(expand("(begin 1 2)"), "(begin 1 2)");
}

#[test]
fn let_family_shapes() {
    assert_eq!(expand("(let ((x 1) (f (lambda () 2))) x)"), "(let ((x 1) (f (lambda {f} () 2))) x)");
    assert_eq!(
        expand("(let loop ((i 0)) (loop i))"),
        "((letrec* ((loop (lambda {loop} (i) (loop i)))) loop) 0)"
    );
    assert_eq!(expand("(let* ((x 1) (x x)) x)"), "(let ((x#1 1)) (let ((x#2 x#1)) x#2))");
    assert_eq!(expand("(letrec ((f (lambda () f))) f)"), "(letrec* ((f (lambda {f} () f))) f)");
    assert_eq!(
        expand("(let-values (((a b) (values 1 2)) ((c . d) (values 3))) a)"),
        "(%call-with-values (lambda () (values 1 2)) (lambda (a b) \
         (%call-with-values (lambda () (values 3)) (lambda (c . d) a))))"
    );
}

#[test]
fn let_family_behaviour() {
    assert_eq!(run("(let loop ((i 0) (acc '())) (if (= i 3) acc (loop (+ i 1) (cons i acc))))"), "(2 1 0)");
    assert_eq!(run("(let* ((x 1) (y (+ x 1))) (list x y))"), "(1 2)");
    assert_eq!(run("(letrec* ((a 1) (b (+ a 1))) b)"), "2");
    assert_eq!(run("(let*-values (((a b) (values 1 2)) ((c) (values (+ a b)))) (list a b c))"), "(1 2 3)");
    assert_eq!(run("(let ((x 1)) (let-values (((x) (values 2)) ((y) (values x))) (list x y)))"), "(2 1)");
    assert_eq!(run("(do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 3) acc))"), "(2 1 0)");
    assert_eq!(run("(do ((i 0 (+ i 1))) ((= i 2)))"), "#!unspecified");
}

#[test]
fn cond_case_and_or() {
    assert_eq!(expand("(cond (a 1) (else 2))"), "(if a 1 2)");
    assert_eq!(
        expand("(cond (a => f) (b))"),
        "(let ((cond-temp#1 a)) (if cond-temp#1 (f cond-temp#1) (let ((cond-temp#2 b)) (if cond-temp#2 cond-temp#2 #!unspecified))))"
    );
    assert_eq!(
        expand("(case x ((1) 'one) ((2 3) => f) (else 'other))"),
        "(let ((case-key x)) (if (%eqv? case-key 1) 'one (if (%memv case-key '(2 3)) (f case-key) 'other)))"
    );
    assert_eq!(
        expand("(case x ((a) 1) (else => g))"),
        "(let ((case-key x)) (if (%eqv? case-key 'a) 1 (g case-key)))"
    );
    assert_eq!(expand("(and)"), "#t");
    assert_eq!(expand("(and a)"), "a");
    assert_eq!(expand("(and a b c)"), "(if a (if b c #f) #f)");
    assert_eq!(expand("(or)"), "#f");
    assert_eq!(expand("(or a b)"), "(let ((or-temp a)) (if or-temp or-temp b))");
    assert_eq!(expand("(when a b c)"), "(if a (begin b c) #!unspecified)");
    assert_eq!(expand("(unless a b)"), "(if a #!unspecified b)");
    assert_eq!(run("(case (* 2 3) ((2 3 5 7) 'prime) ((1 4 6 8 9) 'composite))"), "composite");
    assert_eq!(run("(cond ((cdr '(1 2)) => car) (else 0))"), "2");
    assert_eq!(run("(or #f (list 1))"), "(1)");
}

#[test]
fn lambda_variants_and_control() {
    assert_eq!(
        expand("(case-lambda ((x) x) ((x . r) r))"),
        "(case-lambda (lambda (x#1) x#1) (lambda (x#2 . r) r))"
    );
    assert_eq!(expand("(define f (case-lambda ((x) x)))"), "(define f (case-lambda (lambda {f} (x) x)))");
    assert_eq!(
        expand("(parameterize ((p 1) (q 2)) (f))"),
        "(%parameterize (%list p q) (%list 1 2) (lambda () (f)))"
    );
    assert_eq!(
        expand("(guard (e ((symbol? e) e) ((string? e) => f)) (raise 'x))"),
        "(%guard (lambda () (raise 'x)) (lambda (e reraise) (if (symbol? e) e \
         (let ((cond-temp (string? e))) (if cond-temp (f cond-temp) (reraise))))))"
    );
    assert_eq!(expand("(guard (e (else 1)) 2)"), "(%guard (lambda () 2) (lambda (e reraise) 1))");
    assert_eq!(expand("(delay x)"), "(%make-promise #f (lambda () (%make-promise #t x)))");
    assert_eq!(expand("(delay-force x)"), "(%make-promise #f (lambda () x))");
}

#[test]
fn bodies_with_internal_definitions() {
    assert_eq!(
        expand("(lambda () (define a 1) (begin (define (b) a)) (b))"),
        "(lambda () (letrec* ((a 1) (b (lambda {b} () a))) (b)))"
    );
    // Expressions before definitions become dummy letrec* bindings.
    assert_eq!(expand("(lambda () (f) (define a 1) a)"), "(lambda () (letrec* ((_ (f)) (a 1)) a))");
    assert_eq!(
        expand("(lambda () (define-values (a . b) (values 1 2)) a)"),
        "(lambda () (letrec* ((a#1 #!unspecified) (b#1 #!unspecified) (_ (%call-with-values (lambda () (values 1 2)) \
         (lambda (a#2 . b#2) (begin (set! a#1 a#2) (set! b#1 b#2)))))) a#1))"
    );
    assert_eq!(run("((lambda () (define-values (a b) (values 1 2)) (define c 3) (list a b c)))"), "(1 2 3)");
    assert_eq!(run("(define (f) (define x 1) (define (g) x) (g)) (f)"), "1");
    assert_eq!(run("(let () (define-syntax two (syntax-rules () ((_) 2))) (define x (two)) x)"), "2");
}

#[test]
fn toplevel_definitions() {
    assert_eq!(
        expand("(define-values (a b) (values 1 2))"),
        "(begin (define a #!unspecified) (define b #!unspecified) (%call-with-values (lambda () (values 1 2)) \
         (lambda (a b) (begin (set! a a) (set! b b)))))"
    );
    assert_eq!(run("(define-values (a . b) (values 1 2 3)) (list a b)"), "(1 (2 3))");
    assert_eq!(run("(begin (define x 1) (define y (+ x 1))) y"), "2");
    assert_eq!(expand("(import (scheme base) (only (scheme write) display))"), "#!unspecified");
    assert_eq!(expand("(cond-expand ((and r7rs (not foo)) 1) (else 2))"), "1");
    assert_eq!(expand("(cond-expand ((library (scheme base)) 1) (else 2))"), "1");
    assert_eq!(expand("(cond-expand ((or foo (library (foo))) 1) (else 2))"), "2");
    assert_eq!(expand("(cond-expand (foo 1))"), "#!unspecified");
    assert_eq!(run("(define (f) (cond-expand (seam (define x 5))) x) (f)"), "5");
}

#[test]
fn records() {
    let out = expand(
        "(define-record-type <point> (make-point x y) point? (x point-x set-point-x!) (y point-y) (z point-z))",
    );
    assert_eq!(
        out,
        "(begin (define <point> (%make-record-type '<point> '(x y z))) \
         (define make-point (lambda {make-point} (x y) (%make-record <point> x y #!unspecified))) \
         (define point? (lambda {point?} (obj#1) (%record? obj#1 <point>))) \
         (define point-x (lambda {point-x} (obj#2) (%record-ref obj#2 <point> 0 'point-x))) \
         (define set-point-x! (lambda {set-point-x!} (obj#3 value) (%record-set! obj#3 <point> 0 value 'set-point-x!))) \
         (define point-y (lambda {point-y} (obj#4) (%record-ref obj#4 <point> 1 'point-y))) \
         (define point-z (lambda {point-z} (obj#5) (%record-ref obj#5 <point> 2 'point-z))))"
    );
    let local = expand("(lambda () (define-record-type t #f t? (a t-a)) t?)");
    assert_eq!(
        local,
        "(lambda () (letrec* ((t (%make-record-type 't '(a))) (t? (lambda {t?} (obj#1) (%record? obj#1 t))) \
         (t-a (lambda {t-a} (obj#2) (%record-ref obj#2 t 0 't-a)))) t?))"
    );
}

#[test]
fn quasiquote() {
    assert_eq!(expand("`(a b)"), "'(a b)");
    assert_eq!(expand("`(a ,b)"), "(%list 'a b)");
    assert_eq!(expand("`(a ,@b c)"), "(%append (%list 'a) b (%list 'c))");
    assert_eq!(expand("`(a . ,b)"), "(%cons 'a b)");
    assert_eq!(expand("`#(1 ,x)"), "(%list->vector (%list 1 x))");
    assert_eq!(run("(define b '(2 3)) `(1 ,@b 4 . 5)"), "(1 2 3 4 . 5)");
    assert_eq!(run("(define x 2) `#(1 ,x ,@(list 3 4))"), "#(1 2 3 4)");
    assert_eq!(run("`(a `(b ,(c ,(+ 1 2))))"), "(a (quasiquote (b (unquote (c 3)))))");
    assert_eq!(run("`(1 `,(+ 1 ,(+ 2 3)) 4)"), "(1 (quasiquote (unquote (+ 1 5))) 4)");
    assert_eq!(run("(let ((name 'a)) `(list ,name ',name))"), "(list a (quote a))");
    assert_eq!(run("`(,@'() . tail)"), "tail");
}

#[test]
fn quoted_datum_labels_are_kept() {
    assert_eq!(expand("'#0=(a . #0#)"), "#0=(a . #0#)");
}
