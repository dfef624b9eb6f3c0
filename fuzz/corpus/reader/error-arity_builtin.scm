; checks: wrong number of arguments to a builtin procedure
(define x 1)

(car (list 1) 2)
