;;; check.scm -- tiny self-checking test framework for the Seam Scheme test suite.
;;;
;;; Loaded into a fresh engine before each test file.  Provides:
;;;   (check EXPR => EXPECTED)  compare with equal?; a raise inside EXPR is a failure
;;;   (check-error EXPR)        passes iff evaluating EXPR raises something
;;;   (check-true EXPR)         EXPR must evaluate to #t (exactly)
;;;   (check-false EXPR)        EXPR must evaluate to #f
;;;   (check-report)            prints "N checks, M failures", returns M
;;;
;;; Deliberately written with a minimal set of features: define,
;;; define-syntax/syntax-rules, guard, let, if, set!, begin, display, write,
;;; newline, equal?, error-object?, error-object-message,
;;; error-object-irritants, +.  Internal names use a `check%` prefix so the
;;; framework keeps working even if hygiene were imperfect.

(define check%count 0)
(define check%failures 0)

(define (check%count! )
  (set! check%count (+ check%count 1)))

(define (check%fail-header! expr-q)
  (set! check%failures (+ check%failures 1))
  (display "FAIL: ")
  (write expr-q))

(define (check%mismatch! expr-q got expected)
  (check%fail-header! expr-q)
  (display " => got ")
  (write got)
  (display " expected ")
  (write expected)
  (newline)
  #f)

(define (check%raised! expr-q condition)
  (check%fail-header! expr-q)
  (display " => raised ")
  (if (error-object? condition)
      (begin
        (write (error-object-message condition))
        (display " irritants: ")
        (write (error-object-irritants condition)))
      (write condition))
  (newline)
  #f)

(define (check%no-error! expr-q got)
  (check%fail-header! expr-q)
  (display " => got ")
  (write got)
  (display " expected an error to be raised")
  (newline)
  #f)

(define-syntax check
  (syntax-rules (=>)
    ((_ expr => expected)
     (begin
       (check%count!)
       (guard (check%e (#t (check%raised! 'expr check%e)))
         (let ((check%got expr))
           (let ((check%want expected))
             (if (equal? check%got check%want)
                 #t
                 (check%mismatch! 'expr check%got check%want)))))))))

(define-syntax check-true
  (syntax-rules ()
    ((_ expr) (check expr => #t))))

(define-syntax check-false
  (syntax-rules ()
    ((_ expr) (check expr => #f))))

(define-syntax check-error
  (syntax-rules ()
    ((_ expr)
     (begin
       (check%count!)
       (let ((check%outcome
              (guard (check%e (#t (begin check%e 'check%raised)))
                (let ((check%got expr))
                  (if (equal? check%got 'check%raised)
                      'check%returned-the-marker
                      check%got)))))
         (if (equal? check%outcome 'check%raised)
             #t
             (check%no-error! 'expr check%outcome)))))))

(define (check-report)
  (display check%count)
  (display " checks, ")
  (display check%failures)
  (display " failures")
  (newline)
  check%failures)
;;; hygiene.scm -- R7RS 4.3: syntax-rules macros are hygienic and
;;; referentially transparent.

;; my-or introduces a binding for `temp`; the user's `temp` must not be captured.
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e1 e2 ...)
     (let ((temp e1))
       (if temp
           temp
           (my-or e2 ...))))))
(check (my-or) => #f)
(check (my-or 3) => 3)
(check (let ((temp 5)) (my-or #f temp)) => 5)
(check (let ((temp 'user)) (my-or #f #f temp)) => 'user)
(check (let ((x #f) (y 7) (temp 8) (let odd?) (if even?))
         (my-or x (let temp) (if y) y))
       => 7)

;; The R7RS letrec-syntax example.
(check (letrec-syntax
           ((my-or (syntax-rules ()
                     ((my-or) #f)
                     ((my-or e) e)
                     ((my-or e1 e2 ...)
                      (let ((temp e1))
                        (if temp
                            temp
                            (my-or e2 ...)))))))
         (let ((x #f)
               (y 7)
               (temp 8)
               (let odd?)
               (if even?))
           (my-or x
                  (let temp)
                  (if y)
                  y)))
       => 7)

;; The macro's `if` refers to the real `if` even when the user rebinds `if`.
(define-syntax my-if-not
  (syntax-rules ()
    ((_ c a b) (if c b a))))
(check (let ((if list)) (my-if-not #t 'yes 'no)) => 'no)
(check (let ((if list)) (my-if-not #f 'yes 'no)) => 'yes)
(check (let ((if list)) (if 1 2 3)) => '(1 2 3))

;; The R7RS let-syntax examples.
(check (let-syntax ((given-that (syntax-rules ()
                                  ((given-that test stmt1 stmt2 ...)
                                   (if test
                                       (begin stmt1
                                              stmt2 ...))))))
         (let ((if #t))
           (given-that if (set! if 'now))
           if))
       => 'now)

(check (let ((x 'outer))
         (let-syntax ((m (syntax-rules () ((m) x))))
           (let ((x 'inner))
             (m))))
       => 'outer)

;; Free identifiers in templates refer to the definition environment.
(define (helper x) (* x 10))
(define-syntax use-helper
  (syntax-rules ()
    ((_ v) (helper v))))
(check (let ((helper (lambda (x) 'wrong))) (use-helper 4)) => 40)
(check (let ((* +)) (use-helper 4)) => 40)

;; A binding introduced by a macro is invisible to user code passed in.
(define-syntax with-hidden
  (syntax-rules ()
    ((_ body) (let ((hidden 1)) body))))
(check (let ((hidden 2)) (with-hidden hidden)) => 2)

;; A macro that introduces a top-level definition of a user-supplied name.
(define-syntax define-getter
  (syntax-rules ()
    ((_ name val) (define (name) val))))
(define-getter get-five 5)
(check (get-five) => 5)

(define-syntax define-const
  (syntax-rules ()
    ((_ name val) (define name val))))
(define-const the-answer 42)
(check the-answer => 42)

;; A macro producing several definitions via begin.
(define-syntax define-pair-of
  (syntax-rules ()
    ((_ a b v) (begin (define a v) (define b (+ v 1))))))
(define-pair-of first-val second-val 10)
(check (list first-val second-val) => '(10 11))

;; let-syntax shadowing a global macro.
(define-syntax which (syntax-rules () ((_) 'global)))
(check (let-syntax ((which (syntax-rules () ((_) 'local)))) (which)) => 'local)
(check (which) => 'global)
;; A local variable shadows a macro keyword.
(check (let ((which (lambda () 'variable))) (which)) => 'variable)
;; In let-syntax (unlike letrec-syntax) a transformer's template refers to
;; the outer binding of its own keyword.
(check (let-syntax ((which (syntax-rules () ((_) (list 'inner (which)))))) (which))
       => '(inner global))

;; swap! on variables named like the macro's temporary.
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(check (let ((tmp 1) (other 2)) (swap! tmp other) (list tmp other)) => '(2 1))
(check (let ((x 1) (tmp 2)) (swap! x tmp) (list x tmp)) => '(2 1))
(check (let ((tmp 'a) (tmp2 'b)) (swap! tmp2 tmp) (list tmp tmp2)) => '(b a))

;; A macro that expands into another macro use.
(define-syntax my-unless
  (syntax-rules ()
    ((_ c body ...) (my-if-not c (begin body ...) #f))))
(check (my-unless #f 1 2) => 2)
(check (my-unless #t 1 2) => #f)
(check (let ((if 'shadowed) (begin 'shadowed)) (my-unless #f 'ok)) => 'ok)

;; Literal `else` in a user macro: matches only the unshadowed `else`.
(define-syntax is-else
  (syntax-rules (else)
    ((_ else) 'literal-else)
    ((_ x) 'other)))
(check (is-else else) => 'literal-else)
(check (is-else foo) => 'other)
(check (let ((else 1)) (is-else else)) => 'other)

(define-syntax my-cond
  (syntax-rules (else)
    ((_ (else e)) e)
    ((_ (c e) clause ...) (if c e (my-cond clause ...)))))
(check (my-cond (#f 1) (else 2)) => 2)
(check (my-cond (#f 1) (#t 3) (else 2)) => 3)

;; The R7RS `=>` example: a locally bound `=>` is not the cond keyword.
(check (let ((=> #f)) (cond (#t => 'ok))) => 'ok)
;; Locally bound `else` is not the cond keyword either.
(check (let ((else #f)) (cond (else 'not-taken) (#t 'taken))) => 'taken)

;; Loop macro whose internal loop name does not capture the user's variable.
(define-syntax while
  (syntax-rules ()
    ((_ test body ...)
     (let lp () (when test body ... (lp))))))
(check (let ((i 0) (lp 0))
         (while (< i 5) (set! lp (+ lp i)) (set! i (+ i 1)))
         lp)
       => 10)

;; A macro-introduced `define` inside a body, used from the same body.
(check (let ()
         (define-syntax def-double
           (syntax-rules () ((_ name v) (define name (* 2 v)))))
         (def-double d 21)
         d)
       => 42)

;; Internal define-syntax used by a later expression.
(check (let ()
         (define-syntax twice (syntax-rules () ((_ e) (begin e e))))
         (define n 0)
         (twice (set! n (+ n 1)))
         n)
       => 2)

;; A macro used in a scope where its helper procedure name is rebound.
(define (list-helper . xs) xs)
(define-syntax make-list-of
  (syntax-rules () ((_ x ...) (list-helper x ...))))
(check (let ((list-helper vector)) (make-list-of 1 2)) => '(1 2))

;; Macro-generated identifiers from two expansions do not collide.
(define-syntax bind-twice
  (syntax-rules ()
    ((_ v1 v2 body) (let ((t v1)) (let ((t v2)) body)))))
(check (let ((t 'user)) (bind-twice 1 2 t)) => 'user)

;; Shadowing `quote` locally does not break a macro that uses quote.
(define-syntax quoted-sym (syntax-rules () ((_ s) 's)))
(check (let ((quote 'not-quote)) (quoted-sym hello)) => 'hello)
