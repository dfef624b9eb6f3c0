; checks: reader error for an unexpected extra close parenthesis
(define x 1)

(define y (+ x 1)))
