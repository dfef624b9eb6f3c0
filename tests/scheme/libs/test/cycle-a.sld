(define-library (test cycle-a) (export a) (import (scheme base) (test cycle-b)) (begin (define a 1)))
