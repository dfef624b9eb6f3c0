; checks: builtin type error (vector-ref applied to a list)
(define x 1)

(vector-ref '(1 2) 0)
