(define-library (test numbered 1)
  (export version)
  (import (scheme base))
  (begin (define (version) 1)))
