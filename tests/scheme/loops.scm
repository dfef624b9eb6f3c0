;;; loops.scm -- named let and do loops, which the compiler turns into jumps when the loop
;;; procedure is only called in tail position (and into closures otherwise).

;; Value of a loop in non-tail position.
(check (+ 1 (let loop ((i 0)) (if (< i 10) (loop (+ i 1)) i))) => 11)
(check (let ((n 100000)) (let loop ((i 0) (s 0)) (if (> i n) s (loop (+ i 1) (+ s i))))) => 5000050000)

;; Nested loops, the inner one using the outer one's variables.
(check (let outer ((i 0) (acc '()))
         (if (= i 3)
             (reverse acc)
             (outer (+ i 1)
                    (let inner ((j 0) (acc acc))
                      (if (= j i) acc (inner (+ j 1) (cons (list i j) acc)))))))
       => '((1 0) (2 0) (2 1)))

;; Closures made in the body capture each iteration's own variables.
(check (let loop ((i 0) (fs '()))
         (if (< i 3) (loop (+ i 1) (cons (lambda () i) fs)) (map (lambda (f) (f)) fs)))
       => '(2 1 0))

;; An assigned loop variable captured by closures: each iteration gets a fresh location.
(check (let loop ((i 0) (fs '()))
         (if (< i 3)
             (let ((f (lambda () i)))
               (set! i (* i 10))
               (loop (+ (quotient i 10) 1) (cons f fs)))
             (map (lambda (f) (f)) fs)))
       => '(20 10 0))

;; Non-tail self calls: the loop is an ordinary recursive procedure.
(check (let loop ((n 5)) (if (= n 0) 0 (+ 1 (loop (- n 1))))) => 5)

;; The loop procedure escapes as a value.
(check (let ((saved #f))
         (let loop ((i 0))
           (if (= i 0) (set! saved loop))
           (if (< i 3) (loop (+ i 1)) i))
         (procedure? saved))
       => #t)

;; A loop called from a nested lambda.
(check (let loop ((i 0)) (if (< i 5) ((lambda () (loop (+ i 1)))) i)) => 5)

;; Re-entering a continuation captured inside a loop resumes with that iteration's values.
(check (let ((k #f) (count 0))
         (let ((r (let loop ((i 0))
                    (if (= i 3)
                        (call/cc (lambda (c) (set! k c) i))
                        (loop (+ i 1))))))
           (set! count (+ count 1))
           (if (< count 3) (k (+ r 10)) (list r count))))
       => '(23 3))

;; do loops, with and without a body, with vectors.
(check (do ((v (make-vector 5)) (i 0 (+ i 1))) ((= i 5) v) (vector-set! v i (* i i)))
       => #(0 1 4 9 16))
(check (let ((x '(1 3 5 7 9))) (do ((x x (cdr x)) (sum 0 (+ sum (car x)))) ((null? x) sum))) => 25)

;; Comparisons fused into the loop test still work on non-fixnums and raise on non-numbers.
(check (let loop ((x 0.5) (n 0)) (if (< x 10) (loop (* x 2) (+ n 1)) n)) => 5)
(check (let loop ((i (expt 10 20)) (n 0)) (if (> i (expt 10 18)) (loop (quotient i 10) (+ n 1)) n)) => 2)
(check-error (let loop ((i "a")) (if (< i 3) (loop 3) i)))
(check-error (let ((s "x")) (let loop ((i 0)) (if (> i s) i (loop (+ i 1))))))

;; Loop arguments that read each other's parameters (a parallel assignment).
(check (let loop ((a 1) (b 2) (n 0)) (if (= n 3) (list a b) (loop b a (+ n 1)))) => '(2 1))
(check (let loop ((a 0) (b 1) (n 10)) (if (= n 0) a (loop b (+ a b) (- n 1)))) => 55)
;; An assigned parameter passed unchanged still gets a fresh location per iteration.
(check (let loop ((i 0) (fs '()))
         (if (< i 2)
             (begin (set! i (+ i 0)) (loop (+ i 1) (cons (lambda () (set! i 'changed) i) fs)))
             (let ((results (map (lambda (f) (f)) fs))) (list i results))))
       => '(2 (changed changed)))
(check (let loop ((x 5) (keep #f))
         (set! x x)
         (if keep (list (keep) x) (loop x (lambda () (set! x 99) 'done))))
       => '(done 5))

;; A loop argument that calls a procedure on its own parameter.
(define (my-cdr x) (cdr x))
(check (let loop ((l '(1 2 3)) (n 0)) (if (null? l) n (loop (my-cdr l) (+ n 1)))) => 3)
(check (let loop ((l '(1 2 3))) (if (null? (cdr l)) (car l) (loop (my-cdr l)))) => 3)

;; Loops whose body starts with a fused test are compiled with the test repeated at the
;; back edge (loop inversion); each kind of test, looping on either branch, and a test
;; that is not the loop's exit (a one-armed if first in the body).
(check (let loop ((i 0) (s 0)) (if (< i 10) (loop (+ i 1) (+ s i)) s)) => 45)
(check (let loop ((i 0) (s 0)) (if (< 9 i) s (loop (+ i 1) (+ s i)))) => 45)
(check (let loop ((i 0) (s 0)) (if (= i 10) s (loop (+ i 1) (+ s i)))) => 45)
(check (let loop ((i 10) (s 0)) (if (= 0 i) s (loop (- i 1) (+ s i)))) => 55)
(check (let ((n 10)) (let loop ((i 0) (s 0)) (if (< i n) (loop (+ i 1) (+ s i)) s))) => 45)
(check (let ((n 10)) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s i))))) => 45)
(check (let loop ((l '(1 2 3)) (s 0)) (if (null? l) s (loop (cdr l) (+ s (car l))))) => 6)
(check (let loop ((l '(1 2 3)) (s 0)) (if (pair? l) (loop (cdr l) (+ s (car l))) s)) => 6)
(check (let loop ((i 0) (s 0)) (if (< i 10) (if (odd? i) (loop (+ i 1) (+ s i)) (loop (+ i 1) s)) s)) => 25)
(check (let loop ((i 0) (s 0)) (if (> i 9) s (loop (+ i 1) (+ s i)))) => 45)
(check (let loop ((i 0) (s 0)) (if (< i 2.5) (loop (+ i 1) (+ s i)) s)) => 3)
(check (let ((seen '()))
         (let loop ((l '(a b c)))
           (if (null? l) (set! seen (cons 'end seen)))
           (if (pair? l) (begin (set! seen (cons (car l) seen)) (loop (cdr l)))))
         (reverse seen))
       => '(a b c end))
(check (do ((i 0 (+ i 1)) (s '() (cons i s))) ((= i 3) s)) => '(2 1 0))

;; Fused compare-and-branch tests whose operands are computed (not plain locals): the
;; operands are evaluated into temporaries, then one instruction tests and jumps.
(define (count-below v)
  (let loop ((i 0) (n 0))
    (if (< i (vector-length v))
        (loop (+ i 1) (if (> (vector-ref v i) 2) (+ n 1) n))
        n)))
(check (count-below (vector 1 5 2 7 3)) => 3)
(check (count-below (vector 1.5 2.5 +nan.0 -inf.0 +inf.0)) => 2)
(check (let loop ((i 10) (acc '())) (if (> i 0) (loop (- i 3) (cons i acc)) acc)) => '(1 4 7 10))
(check (let loop ((x 2.5) (n 0)) (if (> x 0) (loop (- x 1) (+ n 1)) n)) => 3)
(check (let ((l (list 3 1/2 4.0))) (map (lambda (x) (if (= (* x 2) 1) 'one (if (> x 1/3) 'big 'small))) l))
       => '(big one big))
(check (if (> (car (list +nan.0)) 1) 'yes 'no) => 'no)
(check (if (< (car (list +nan.0)) 1) 'yes 'no) => 'no)
(check (if (= (car (list +nan.0)) (car (list +nan.0))) 'yes 'no) => 'no)
(check (if (> (expt 2 70) (car (list 1))) 'yes 'no) => 'yes)
(check (if (= (car (list 1)) 1.0) 'yes 'no) => 'yes)
;; An error in a fused test names the operator as written and the operand's position.
(define (message thunk) (guard (e (#t (error-object-message e))) (thunk)))
(check (message (lambda () (let ((x 'a)) (if (> x 1) 1 2)))) => ">: argument 1: expected number, got a")
(check (message (lambda () (let ((x 'a) (y 1)) (if (> y x) 1 2)))) => ">: argument 2: expected number, got a")
(check (message (lambda () (if (< (car (list "s")) 1) 1 2))) => "<: argument 1: expected number, got \"s\"")
(check (message (lambda () (if (> (car (list 1)) 'b) 1 2))) => ">: argument 2: expected number, got b")
(check (message (lambda () (let loop ((i 3)) (if (> i 0) (loop (if (= i 1) 'z (- i 1))) i))))
       => ">: argument 1: expected number, got z")

;; Statements whose value is not used, inside loops and after branches that end with them.
(check (let ((v (make-vector 4 0)))
         (do ((i 0 (+ i 1))) ((= i 4) v) (vector-set! v i (* i i)) (if (odd? i) (vector-set! v i 'odd))))
       => #(0 odd 4 odd))
(check (let ((x 0) (v (vector 0)))
         (let loop ((i 0))
           (when (< i 5)
             (if (even? i) (set! x (+ x i)))
             (vector-set! v 0 i)
             (loop (+ i 1))))
         (list x v))
       => '(6 #(4)))

;; Counting loops whose increment and back-edge test fuse into one instruction: on fixnums
;; it increments and tests at once; anything else falls back to the plain test.
(define big (expt 2 50))
(check (let loop ((i 0) (s 0)) (if (= i 10) s (loop (+ i 1) (+ s i)))) => 45)
(check (let loop ((i 10) (s 0)) (if (= i 0) s (loop (- i 1) (+ s i)))) => 55)
(check (let loop ((i 0) (n 0)) (if (< i 10) (loop (+ i 3) (+ n 1)) (list i n))) => '(12 4))
(check (let loop ((i 10) (n 0)) (if (> i 0) (loop (- i 4) (+ n 1)) (list i n))) => '(-2 3))
(check (let ((lim 7)) (let loop ((i 0) (n 0)) (if (< i lim) (loop (+ i 2) (+ n 1)) (list i n)))) => '(8 4))
(check (let ((lim -7)) (let loop ((i 0) (n 0)) (if (> i lim) (loop (- i 2) (+ n 1)) (list i n)))) => '(-8 4))
(check (do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 4) acc)) => '(3 2 1 0))
;; Flonum counters, counters crossing the fixnum range into bignums, bignum limits.
(check (let loop ((i 0.5) (n 0)) (if (< i 3) (loop (+ i 1) (+ n 1)) (list i n))) => '(3.5 3))
(check (let loop ((i (- big 3)) (n 0)) (if (< i (+ big 2)) (loop (+ i 1) (+ n 1)) (list (- i big) n)))
       => '(2 5))
(check (let loop ((i (- big 2)) (n 0)) (if (= i (+ big 1)) (list (- i big) n) (loop (+ i 1) (+ n 1))))
       => '(1 3))
(check (let loop ((i (- 0 big 2)) (n 0)) (if (> i (- 0 big 3)) (loop (- i 1) (+ n 1)) (list (+ i big) n)))
       => '(-3 1))
(check (let loop ((i 0) (n 0)) (if (< i 5/2) (loop (+ i 1) (+ n 1)) (list i n))) => '(3 3))
;; A counter that stops being a number fails at the increment, naming +.
(check (message (lambda () (let loop ((i 0) (n 0)) (if (< i 3) (loop (if (= n 1) 'q (+ i 1)) (+ n 1)) i))))
       => "<: argument 1: expected number, got q")
(check (message (lambda () (let loop ((i "s")) (if (< i 3) (loop (+ i 1)) i))))
       => "<: argument 1: expected number, got \"s\"")

;; (zero? x) in a test fuses into one compare-and-branch too, naming zero? when it fails.
(check (let loop ((n 5) (acc 0)) (if (zero? n) acc (loop (- n 1) (+ acc n)))) => 15)
(check (let loop ((x 2.0) (k 0)) (if (zero? x) k (loop (- x 1) (+ k 1)))) => 2)
(check (map (lambda (x) (if (zero? x) 'z 'nz)) (list 0 -0.0 0.0 1/2 (- (expt 2 70) (expt 2 70)) +nan.0))
       => '(z z z nz z nz))
(check (if (zero? (car (list 0))) 'z 'nz) => 'z)
(check (message (lambda () (let ((x 'a)) (if (zero? x) 1 2)))) => "zero?: argument 1: expected number, got a")
(check (message (lambda () (if (zero? (car (list "0"))) 1 2))) => "zero?: argument 1: expected number, got \"0\"")
