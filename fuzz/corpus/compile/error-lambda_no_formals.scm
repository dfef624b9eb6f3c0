; checks: syntax error for (lambda) with no formals or body
(define x 1)

(define f (lambda))
