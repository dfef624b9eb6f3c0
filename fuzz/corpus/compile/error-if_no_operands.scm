; checks: syntax error for (if) with no operands
(define x 1)

(define (f) (if))
