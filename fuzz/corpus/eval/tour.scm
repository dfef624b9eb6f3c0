;;; A short tour of Seam. Run it with: cargo run --release -- examples/tour.scm

(define (say . things) (for-each display things) (newline))

;; Procedures, proper tail calls, and bignums that appear when fixnums overflow.
(define (factorial n)
  (let loop ((n n) (acc 1))
    (if (= n 0) acc (loop (- n 1) (* acc n)))))
(say "30! = " (factorial 30))
(say "exact rationals: (/ 1 3) + 1/6 = " (+ (/ 1 3) 1/6))

;; Hygienic macros.
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define tmp 1)
(define other 2)
(swap! tmp other)
(say "after swap!: tmp = " tmp ", other = " other)

;; Records.
(define-record-type point (make-point x y) point? (x point-x) (y point-y))
(define p (make-point 3 4))
(say "point " (point-x p) "," (point-y p) " is a point? " (point? p))

;; First-class continuations: a generator that walks a tree, resumed on demand.
(define (tree-walker tree)
  (define return #f)
  (define (walk t)
    (cond ((null? t) 'skip)
          ((pair? t) (walk (car t)) (walk (cdr t)))
          (else (call/cc (lambda (resume) (set! walker (lambda () (resume #f))) (return t))))))
  (define walker (lambda () (walk tree) (return 'done)))
  (lambda () (call/cc (lambda (k) (set! return k) (walker)))))
(define next (tree-walker '((a b) (c (d e)) f)))
(say "leaves: " (next) " " (next) " " (next) " " (next) " " (next) " " (next) " " (next))

;; Exceptions.
(say "guarded: "
     (guard (e ((error-object? e) (error-object-message e)))
       (error "something went wrong" 42)))

;; Deep recursion is limited by memory, not by the Rust stack.
(define (depth n) (if (= n 0) 0 (+ 1 (depth (- n 1)))))
(say "recursion depth reached: " (depth 1000000))
