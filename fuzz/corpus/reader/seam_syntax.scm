;;; seam_syntax.scm -- Seam's (seam syntax) library: identifier-append in syntax-rules
;;; templates, and literals matching free identifiers across library namespaces.

(import (seam syntax))

;; --- identifier-append builds names with the context of the first identifier ----------
(define-syntax define-getter-and-setter
  (syntax-rules ()
    ((_ name init)
     (begin
       (define name init)
       (define (identifier-append "get-" name) (lambda () name))
       (define (identifier-append "set-" name "!") (lambda (v) (set! name v)))))))

(define-getter-and-setter counter 10)
(check (get-counter) => 10)
(set-counter! 11)
(check (get-counter) => 11)
(check counter => 11)

;; Parts may be identifiers, strings or numbers; the first identifier gives the context.
(define-syntax define-numbered
  (syntax-rules ()
    ((_ base (n value) ...)
     (begin (define (identifier-append base "-" n) value) ...))))
(define-numbered slot (1 'one) (2 'two))
(check slot-1 => 'one)
(check slot-2 => 'two)

;; A name built from a template identifier alone is the macro's own (hygienic): the
;; user's `hidden-1` is untouched.
(define hidden-1 'users)
(define-syntax hidden-value
  (syntax-rules ()
    ((_ v) (let () (define (identifier-append hidden "-" 1) v) (identifier-append hidden "-" 1)))))
(check (hidden-value 'macros) => 'macros)
(check hidden-1 => 'users)

;; Inside a body, the generated names are local definitions.
(define (make-pair-accessors)
  (define-getter-and-setter local-thing 1)
  (set-local-thing! 5)
  (get-local-thing))
(check (make-pair-accessors) => 5)

;; Misuse is a syntax error.
(check (guard (e (#t (error-object-message e)))
         (eval '(identifier-append a b) (interaction-environment)))
       => "identifier-append: only allowed inside a syntax-rules template")

;; --- literals: two free identifiers of the same name match (R7RS 4.3.2) --------------
(define-library (seam-syntax-test keyword-macro)
  (export pick)
  (import (scheme base))
  (begin
    (define-syntax pick
      (syntax-rules (first second)
        ((_ first a b) a)
        ((_ second a b) b)))))
(import (seam-syntax-test keyword-macro))
(check (pick first 1 2) => 1)
(check (pick second 1 2) => 2)
;; ... but not when the use site binds the name.
(check (guard (e (#t 'no-match))
         (eval '(let ((first 0)) (pick first 1 2))
               (environment '(scheme base) '(seam-syntax-test keyword-macro))))
       => 'no-match)
