(define-library (scheme base) (export car) (import (only (scheme base) define)) (begin (define (car x) 'fake)))
(import (holder))
(safe)
