;;; sum: a counting loop (tail calls, fixnum arithmetic).
(import (scheme base) (scheme write))
(define (sum n) (let loop ((i 0) (acc 0)) (if (> i n) acc (loop (+ i 1) (+ acc i)))))
(display (let loop ((i 0) (r 0)) (if (= i 10) r (loop (+ i 1) (sum 1000000)))))
(newline)
