; checks: runtime error for a reference to an unbound variable inside a procedure
(define (f x)
  (+ x undefined-thing))

(f 1)
