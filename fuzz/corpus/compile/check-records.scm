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
;;; records.scm -- R7RS 5.5 record-type definitions.

(define-record-type pare
  (kons x y)
  pare?
  (x kar set-kar!)
  (y kdr))

(check (pare? (kons 1 2)) => #t)
(check (pare? (cons 1 2)) => #f)
(check (kar (kons 1 2)) => 1)
(check (kdr (kons 1 2)) => 2)
(check (let ((k (kons 1 2)))
         (set-kar! k 3)
         (kar k))
       => 3)

;; A record type with constructor fields in a different order and an extra field.
(define-record-type <point>
  (make-point y x)
  point?
  (x point-x set-point-x!)
  (y point-y)
  (color point-color set-point-color!))

(define pt (make-point 2 1))
(check (point-x pt) => 1)
(check (point-y pt) => 2)
(check (begin (set-point-color! pt 'red) (point-color pt)) => 'red)
(check (begin (set-point-x! pt 10) (point-x pt)) => 10)
(check (point? pt) => #t)
(check (point? (kons 1 2)) => #f)
(check (pare? pt) => #f)

;; Records are disjoint from other types.
(check (vector? pt) => #f)
(check (pair? pt) => #f)
(check (procedure? pt) => #f)
(check (list? pt) => #f)
(check (symbol? pt) => #f)
(check (string? pt) => #f)
(check (point? 5) => #f)
(check (point? '()) => #f)
(check (point? (vector 1 2)) => #f)

;; Identity.
(check (let ((k (kons 1 2))) (eqv? k k)) => #t)
(check (let ((k (kons 1 2))) (eq? k k)) => #t)
(check (eqv? (kons 1 2) (kons 1 2)) => #f)

;; Mutation is visible through all references.
(check (let* ((a (kons 1 2)) (b a)) (set-kar! a 'changed) (kar b)) => 'changed)
(check (let ((l (list (kons 1 2) (kons 3 4)))) (map kar l)) => '(1 3))

;; A record type with no fields.
(define-record-type <unit> (make-unit) unit?)
(check (unit? (make-unit)) => #t)
(check (unit? pt) => #f)

;; A record type whose constructor takes no fields but has mutable fields.
(define-record-type <cell> (make-empty-cell) cell? (contents cell-ref cell-set!))
(check (let ((c (make-empty-cell))) (cell-set! c 'v) (cell-ref c)) => 'v)

;; Record fields can hold any value, including other records and procedures.
(define-record-type <node> (make-node value next) node? (value node-value) (next node-next set-node-next!))
(define (list->nodes lst)
  (if (null? lst) '() (make-node (car lst) (list->nodes (cdr lst)))))
(define (nodes->list n)
  (if (null? n) '() (cons (node-value n) (nodes->list (node-next n)))))
(check (nodes->list (list->nodes '(a b c))) => '(a b c))
(check (let ((n (make-node (lambda (x) (* x 2)) '()))) ((node-value n) 21)) => 42)
(check (let ((n (make-node 1 '()))) (set-node-next! n n) (eq? n (node-next n))) => #t)

;; Record definitions inside a body.
(check (let ()
         (define-record-type local-rec (make-local a) local? (a local-a))
         (list (local? (make-local 1)) (local-a (make-local 'x))))
       => '(#t x))

;; Accessors and constructors are procedures.
(check (procedure? kons) => #t)
(check (procedure? kar) => #t)
(check (procedure? pare?) => #t)
(check (map kdr (map kons '(1 2) '(3 4))) => '(3 4))

;; --- errors ---------------------------------------------------------------------
(check-error (kar (make-point 1 2)))
(check-error (kar 5))
(check-error (set-kar! pt 1))
(check-error (kons 1))
(check-error (kons 1 2 3))
