; checks: syntax error for a syntax-rules macro use that matches no rule
(define-syntax two-args
  (syntax-rules ()
    ((_ a b) (list a b))))

(define result (two-args 1 2 3))
