;;; tail_calls.scm -- R7RS 3.5: proper tail recursion.
;;; Every loop below would exhaust memory (or a fixed-size stack) if the
;;; tail calls were not proper.  Each loop must run in constant space.

;; Named let: 10,000,000 iterations summing 0 .. 9,999,999.
(define (sum-below n)
  (let loop ((i 0) (acc 0))
    (if (= i n)
        acc
        (loop (+ i 1) (+ acc i)))))
(check (sum-below 10000000) => 49999995000000)

;; Mutual recursion between top-level procedures.
(define (my-even? n) (if (= n 0) #t (my-odd? (- n 1))))
(define (my-odd? n) (if (= n 0) #f (my-even? (- n 1))))
(check (my-even? 1000000) => #t)
(check (my-odd? 1000000) => #f)
(check (my-odd? 1000001) => #t)

;; Mutual recursion between internal definitions.
(define (parity n)
  (define (ev? n) (if (= n 0) 'even (od? (- n 1))))
  (define (od? n) (if (= n 0) 'odd (ev? (- n 1))))
  (ev? n))
(check (parity 1000001) => 'odd)

;; letrec-bound mutual recursion.
(check (letrec ((e? (lambda (n) (if (= n 0) #t (o? (- n 1)))))
                (o? (lambda (n) (if (= n 0) #f (e? (- n 1))))))
         (e? 1000000))
       => #t)

;; Tail call through apply (R7RS: apply calls proc in tail position).
(define (apply-loop n acc)
  (if (= n 0)
      acc
      (apply apply-loop (list (- n 1) (+ acc 1)))))
(check (apply-loop 1000000 0) => 1000000)

(define (apply-loop2 n)
  (if (= n 0) 'done (apply apply-loop2 (- n 1) '())))
(check (apply-loop2 1000000) => 'done)

;; Tail call through a cond => receiver.
(define (cond-arrow-loop n)
  (cond ((= n 0) 'done)
        ((- n 1) => cond-arrow-loop)))
(check (cond-arrow-loop 1000000) => 'done)

;; Tail call in an ordinary cond clause and in else.
(define (cond-loop n acc)
  (cond ((= n 0) acc)
        ((even? n) (cond-loop (- n 1) (+ acc 1)))
        (else (cond-loop (- n 1) (+ acc 1)))))
(check (cond-loop 1000000 0) => 1000000)

;; Tail call as the last expression of and / or.
(define (and-loop n)
  (if (= n 0) 'done (and #t 1 (and-loop (- n 1)))))
(check (and-loop 1000000) => 'done)

(define (or-loop n)
  (if (= n 0) 'done (or #f (or-loop (- n 1)))))
(check (or-loop 1000000) => 'done)

;; Tail call inside when / unless bodies.
(define (when-loop n acc)
  (if (= n 0)
      acc
      (when #t
        'ignored
        (when-loop (- n 1) (+ acc 1)))))
(check (when-loop 1000000 0) => 1000000)

(define (unless-loop n acc)
  (if (= n 0)
      acc
      (unless #f
        'ignored
        (unless-loop (- n 1) (+ acc 1)))))
(check (unless-loop 1000000 0) => 1000000)

;; Tail call inside case clauses, including case =>.
(define (case-loop n acc)
  (case (if (= n 0) 'stop (if (even? n) 'even 'odd))
    ((stop) acc)
    ((even) (case-loop (- n 1) (+ acc 2)))
    (else (case-loop (- n 1) (+ acc 1)))))
(check (case-loop 1000000 0) => 1500000)

(define (case-arrow-loop n)
  (case (if (= n 0) 'stop 'go)
    ((stop) 'done)
    (else => (lambda (ignored) (case-arrow-loop (- n 1))))))
(check (case-arrow-loop 1000000) => 'done)

;; Tail call in the result expression of a do loop.
(define (do-loop n)
  (do ((i 0 (+ i 1)))
      ((= i 2) (if (= n 0) 'done (do-loop (- n 1))))))
(check (do-loop 1000000) => 'done)

;; do itself iterating many times.
(check (do ((i 0 (+ i 1)) (acc 0 (+ acc 2))) ((= i 1000000) acc)) => 2000000)

;; Tail calls in let / let* / letrec / begin bodies.
(define (let-loop n)
  (let ((m (- n 1)))
    (let* ((k m))
      (letrec ((z k))
        (begin
          'ignored
          (if (< z 0) 'done (let-loop z)))))))
(check (let-loop 1000000) => 'done)

;; Tail call inside a call/cc receiver (call/cc calls proc in tail position).
(define (callcc-loop n)
  (if (= n 0)
      'done
      (call/cc (lambda (k) (callcc-loop (- n 1))))))
(check (callcc-loop 1000000) => 'done)

;; Escaping through the continuation each time, still looping in tail position.
(define (callcc-escape-loop n acc)
  (if (= n 0)
      acc
      (callcc-escape-loop (- n 1) (call/cc (lambda (k) (k (+ acc 1)))))))
(check (callcc-escape-loop 1000000 0) => 1000000)

;; Tail call to the consumer of call-with-values.
(define (cwv-loop n)
  (if (= n 0)
      'done
      (call-with-values (lambda () (values (- n 1))) cwv-loop)))
(check (cwv-loop 1000000) => 'done)

;; Tail call from a case-lambda clause.
(define cl-loop
  (case-lambda
    ((n) (cl-loop n 0))
    ((n acc) (if (= n 0) acc (cl-loop (- n 1) (+ acc 1))))))
(check (cl-loop 1000000) => 1000000)

;; Variadic procedure looping in tail position.
(define (var-loop n . rest)
  (if (= n 0) rest (var-loop (- n 1) 'x)))
(check (var-loop 1000000) => '(x))

;; A closure-returning loop (tail call through a computed operator).
(define (trampoline-loop n)
  (if (= n 0) 'done ((if (even? n) trampoline-loop trampoline-loop) (- n 1))))
(check (trampoline-loop 1000000) => 'done)
