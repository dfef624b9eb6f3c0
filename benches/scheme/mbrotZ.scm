;;; mbrotZ: Mandelbrot set iteration counts on complex numbers (as r7rs-benchmarks'
;;; mbrotZ). The same grid and arithmetic as mbrot.scm, so the total is the same, 1220471;
;;; the program checks it and exits with status 1 if it differs.
(import (scheme base) (scheme complex) (scheme process-context) (scheme write))
(define (count z0 step x y)
  (let ((max-count 64) (radius^2 16.0))
    (let ((c (+ z0 (make-rectangular (* (inexact x) step) (* (inexact y) step)))))
      (let loop ((z c) (n 0))
        (if (= n max-count) n
            (let ((re (real-part z)) (im (imag-part z)))
              (if (> (+ (* re re) (* im im)) radius^2) n
                  (loop (+ (* z z) c) (+ n 1)))))))))
(define (mbrot n)
  (let loop ((y 0) (total 0))
    (if (= y n) total
        (loop (+ y 1) (let inner ((x 0) (t total)) (if (= x n) t (inner (+ x 1) (+ t (count -1.0-0.5i 0.005 x y)))))))))
(define total (mbrot 150))
(display total)
(newline)
(unless (= total 1220471)
  (display "mbrotZ: wrong total, expected 1220471\n" (current-error-port))
  (exit 1))
