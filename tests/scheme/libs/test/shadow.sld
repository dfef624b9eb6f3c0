;; Defines its own `car`: programs importing something else keep the standard one.
(define-library (test shadow)
  (export car shadow-if)
  (import (except (scheme base) car))
  (begin
    (define (car x) (list 'shadow-car x))
    ;; A library's own `if` does not leak: the macro uses the standard one.
    (define-syntax shadow-if
      (syntax-rules () ((_ c a b) (if c a b))))))
