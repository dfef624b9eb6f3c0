(define-library (test cycle-b) (export b) (import (scheme base) (test cycle-a)) (begin (define b 2)))
