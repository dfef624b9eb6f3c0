;;; Registers, pairs, vectors and constants hold 8-byte words: a fixnum there has 51 bits
;;; (-2^50 .. 2^50-1). A machine integer past that is stored as a bignum object, which
;;; every procedure treats as the same exact integer. These cross the boundary every way.

(define top (- (expt 2 50) 1))     ; the largest fixnum a word holds
(define bottom (- (expt 2 50)))    ; the smallest

;; -- arithmetic across the boundary (inline fast paths and the tower)
(check (+ top 1) => 1125899906842624)
(check (- bottom 1) => -1125899906842625)
(check (- (+ top 1) 1) => top)
(check (* 33554432 33554432) => 1125899906842624)
(check (* -33554432 33554432) => bottom)
(check (+ bottom -1 1) => bottom)
(check (let loop ((i (- top 5)) (n 0)) (if (> i (+ top 5)) n (loop (+ i 1) (+ n 1)))) => 11)
(check (exact-integer? (+ top 1)) => #t)
(check (= (+ top 1) (expt 2 50)) => #t)
(check (eqv? (+ top 1) (expt 2 50)) => #t)
(check (equal? (list (+ top 1)) (list (expt 2 50))) => #t)
(check (< top (+ top 1) (+ top 2)) => #t)
(check (quotient (* 4 top) 4) => top)
(check (remainder (+ top 10) 4) => (remainder (+ (expt 2 50) 9) 4))
(check (exact->inexact (+ top 1)) => 1125899906842624.0)
(check (number->string (* 1024 (+ top 1))) => "1152921504606846976")

;; -- machine-word integers (what i64 arithmetic in builtins produces) kept everywhere
(define big (- (expt 2 62) 1))
(define v (make-vector 3 big))
(check (vector-ref v 2) => 4611686018427387903)
(vector-set! v 0 (+ top 1))
(check (vector-ref v 0) => 1125899906842624)
(define p (cons big (+ top 1)))
(check (car p) => big)
(check (cdr p) => (expt 2 50))
(set-car! p (- bottom 1))
(check (car p) => -1125899906842625)
(check (apply + (list top 1)) => (expt 2 50))
(check (map (lambda (x) (+ x 1)) (list top bottom)) => (list (expt 2 50) (+ bottom 1)))
(check '(1125899906842624 -1125899906842625) => (list (+ top 1) (- bottom 1)))
(check #(4611686018427387903) => (vector big))
(check (let ((b (make-parameter (+ top 1)))) (b)) => (expt 2 50))
(check (call-with-current-continuation (lambda (k) (k (+ top 1)))) => (expt 2 50))
(check (string->number "1125899906842624") => (+ top 1))
(check (exact (floor 1e15)) => 1000000000000000)
(check (exact (floor 2e15)) => 2000000000000000)
(check (abs bottom) => (expt 2 50))
(check (max top (+ top 1)) => (expt 2 50))
(check (bytevector-u8-ref (bytevector 255) 0) => 255)
(check (let ((h (+ top 1))) (case h ((1125899906842624) 'wide) (else 'other))) => 'wide)
(check (assv (+ top 1) (list (cons (expt 2 50) 'found))) => (cons (expt 2 50) 'found))
(check (memv (- bottom 1) (list 1 (- (expt 2 50) -1) (- -1 (expt 2 50)))) => (list (- -1 (expt 2 50))))

;; -- flonums are their own bits; every NaN is +nan.0
(check (eqv? -0.0 (vector-ref (vector -0.0) 0)) => #t)
(check (eqv? 0.0 (vector-ref (vector -0.0) 0)) => #f)
(check (nan? (car (list (/ 0. 0.)))) => #t)
(check (number->string (- (/ 0. 0.))) => "+nan.0")
(check (vector-ref (vector +inf.0 -inf.0) 1) => -inf.0)
