(define-library (test base-utils)
  (export car-of (rename my-list list-of))
  (import (scheme base))
  (begin
    (define (car-of x) (car x))
    (define (my-list . xs) xs)))
