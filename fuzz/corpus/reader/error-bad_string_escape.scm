; checks: reader error for an invalid escape sequence in a string literal
(define x 1)

(define s "abc\qdef")
