;;; deep_recursion.scm -- non-tail recursion one million frames deep must work
;;; (the evaluation stack must not be bounded by a small native stack).

(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1)))))
(check (f 1000000) => 1000000)

;; Build a 1,000,000-element list iteratively.
(define (make-range n)
  (let loop ((i (- n 1)) (acc '()))
    (if (< i 0) acc (loop (- i 1) (cons i acc)))))
(define big (make-range 1000000))
(check (length big) => 1000000)

;; A non-tail-recursive map written by hand.
(define (my-map g lst)
  (if (null? lst)
      '()
      (cons (g (car lst)) (my-map g (cdr lst)))))
(define doubled (my-map (lambda (x) (* 2 x)) big))
(check (length doubled) => 1000000)
(check (car doubled) => 0)
(check (list-ref doubled 999999) => 1999998)
(check (let loop ((l doubled) (acc 0))
         (if (null? l) acc (loop (cdr l) (+ acc (car l)))))
       => 999999000000)

;; Deep recursion building a list.
(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
(define built (build 1000000))
(check (length built) => 1000000)
(check (car built) => 1000000)
(check (list-ref built 999999) => 1)

;; Non-tail append and sum written by hand.
(define (my-append a b) (if (null? a) b (cons (car a) (my-append (cdr a) b))))
(check (length (my-append big '(x y))) => 1000002)
(check (list-tail (my-append big '(x y)) 1000000) => '(x y))
(define (my-sum l) (if (null? l) 0 (+ (car l) (my-sum (cdr l)))))
(check (my-sum big) => 499999500000)

;; Builtins over long lists.
(check (length (map (lambda (x) (+ x 1)) big)) => 1000000)
(check (car (reverse big)) => 999999)
(check (vector-length (list->vector big)) => 1000000)
(check (length (append big big)) => 2000000)
(check (equal? big (make-range 1000000)) => #t)
(check (equal? big (build 1000000)) => #f)
(check (length (list-copy big)) => 1000000)
(check (apply + big) => 499999500000)

;; Deep recursion inside procedures called from builtins and special contexts.
(check (map f '(100000 200000)) => '(100000 200000))
(check (apply f '(300000)) => 300000)
(check (dynamic-wind (lambda () #f) (lambda () (f 500000)) (lambda () #f)) => 500000)
(check (call/cc (lambda (k) (f 500000))) => 500000)
(check (guard (e (#t 'caught)) (f 500000)) => 500000)
(check (with-exception-handler (lambda (e) 0) (lambda () (f 500000))) => 500000)

;; Escaping from the bottom of a deep recursion.
(define (dive n k) (if (= n 0) (k 'bottom) (+ 1 (dive (- n 1) k))))
(check (call/cc (lambda (k) (dive 1000000 k))) => 'bottom)

;; Raising from the bottom of a deep recursion.
(define (dive-raise n) (if (= n 0) (raise 'deep) (+ 1 (dive-raise (- n 1)))))
(check (guard (e ((symbol? e) e)) (dive-raise 1000000)) => 'deep)

;; Deep non-tail recursion through an internal helper and a closure.
(define (count-down-list n)
  (define (go i) (if (> i n) '() (cons i (go (+ i 1)))))
  (go 1))
(check (length (count-down-list 1000000)) => 1000000)

;; Deep mutual non-tail recursion.
(define (a-depth n) (if (= n 0) 0 (+ 1 (b-depth (- n 1)))))
(define (b-depth n) (if (= n 0) 0 (+ 1 (a-depth (- n 1)))))
(check (a-depth 1000000) => 1000000)
