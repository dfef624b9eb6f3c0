;; Calling the C math library through (seam ffi): cos, sqrt, pow, and frexp and modf,
;; which return a second result through an out pointer.
;; Run it with: cargo run --release -- examples/ffi/libm.scm
;; Every result is checked; a wrong one is an error, so the script exits non-zero.

(import (scheme base) (scheme write) (scheme inexact) (seam ffi))

(define (check what got expected)
  (display what) (display " => ") (write got) (newline)
  (unless (equal? got expected)
    (error "wrong result" what 'got got 'expected expected)))

(define (check-close what got expected)
  (display what) (display " => ") (write got) (newline)
  (unless (< (abs (- got expected)) 1e-12)
    (error "wrong result" what 'got got 'expected expected)))

(define libm (load-shared-object "libm.so.6"))

(define c-cos (foreign-procedure libm "cos" (double) double))
(define c-sqrt (foreign-procedure libm "sqrt" (double) double))
(define c-pow (foreign-procedure libm "pow" (double double) double))

(check "(cos 0.0)" (c-cos 0.0) 1.0)
(check-close "(cos 1.0), same as Scheme's cos" (c-cos 1.0) (cos 1.0))
(check "(sqrt 2.0)" (c-sqrt 2.0) (sqrt 2.0))
;; Exact arguments are converted to double on the way in.
(check "(sqrt 144)" (c-sqrt 144) 12.0)
(check "(pow 2.0 10.0)" (c-pow 2.0 10.0) 1024.0)
(check "(pow 2 0.5)" (c-pow 2 0.5) (sqrt 2.0))
(check "(pow 10 -2)" (c-pow 10 -2) 0.01)

;; double frexp(double x, int *exp): x = mantissa * 2^exp, the exponent written through
;; the pointer. An out parameter is memory from foreign-alloc, read back with foreign-ref.
(define frexp (foreign-procedure libm "frexp" (double (* int)) double))
(define exponent (foreign-alloc 'int))
(define (frexp* x)
  (let ((mantissa (frexp x exponent)))
    (list mantissa (foreign-ref 'int exponent 0))))
(check "(frexp 8.0)" (frexp* 8.0) '(0.5 4))
(check "(frexp -3.0)" (frexp* -3.0) '(-0.75 2))
(check "(frexp 0.1)" (frexp* 0.1) '(0.8 -3))
(foreign-free exponent)

;; double modf(double x, double *integral): the fractional part returned, the integral
;; part written through the pointer. A bytevector works as the out buffer too.
(define modf (foreign-procedure libm "modf" (double (* double)) double))
(define integral (make-bytevector (foreign-sizeof 'double) 0))
(check "(modf 3.25)" (list (modf 3.25 integral) (foreign-ref 'double integral 0)) '(0.25 3.0))
(check "(modf -2.5)" (list (modf -2.5 integral) (foreign-ref 'double integral 0)) '(-0.5 -2.0))

(display "libm.scm: all checks passed") (newline)
