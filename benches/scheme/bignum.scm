;;; bignum: factorials and exact rational sums (the numeric tower's slow paths).
(import (scheme base) (scheme write))
(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
(define (harmonic n) (let loop ((i 1) (s 0)) (if (> i n) s (loop (+ i 1) (+ s (/ 1 i))))))
(display (let loop ((i 0) (r 0)) (if (= i 200) (remainder r 1000007) (loop (+ i 1) (+ r (fact 300))))))
(display " ")
(display (inexact (harmonic 800)))
(newline)
