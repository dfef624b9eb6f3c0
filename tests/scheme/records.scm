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
