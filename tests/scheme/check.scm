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
