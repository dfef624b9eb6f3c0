; checks: wrong number of arguments to a user procedure defined with define
(define (add2 a b)
  (+ a b))

(add2 1)
