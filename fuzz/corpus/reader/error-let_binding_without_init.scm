; checks: syntax error for a let binding without an init expression
(define x 1)

(let ((x)) x)
