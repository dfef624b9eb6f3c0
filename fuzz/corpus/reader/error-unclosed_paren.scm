; checks: reader error for a parenthesis that is never closed (error at the open paren or at end of input)
(define (fine x) (* x 2))

(define (broken x)
  (+ x (fine 1))
