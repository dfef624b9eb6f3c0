;;; mbrot: Mandelbrot set iteration counts (flonum arithmetic).
(import (scheme base) (scheme write))
(define (count r i step x y)
  (let ((max-count 64) (radius^2 16.0))
    (let ((cr (+ r (* (inexact x) step))) (ci (+ i (* (inexact y) step))))
      (let loop ((zr cr) (zi ci) (c 0))
        (if (= c max-count) c
            (let ((zr^2 (* zr zr)) (zi^2 (* zi zi)))
              (if (> (+ zr^2 zi^2) radius^2) c
                  (loop (+ (- zr^2 zi^2) cr) (+ (* 2.0 zr zi) ci) (+ c 1)))))))))
(define (mbrot n)
  (let loop ((y 0) (total 0))
    (if (= y n) total
        (loop (+ y 1) (let inner ((x 0) (t total)) (if (= x n) t (inner (+ x 1) (+ t (count -1.0 -0.5 0.005 x y)))))))))
(display (mbrot 150))
(newline)
