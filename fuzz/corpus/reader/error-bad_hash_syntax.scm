; checks: reader error for an invalid # syntax
(define x 1)

(define y #z)
