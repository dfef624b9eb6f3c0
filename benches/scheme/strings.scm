;;; strings: string building with string ports, string-append and number->string.
(import (scheme base) (scheme write))
(define (build n)
  (let ((out (open-output-string)))
    (do ((i 0 (+ i 1))) ((= i n)) (write-string (number->string i) out) (write-char #\, out))
    (string-length (get-output-string out))))
(define (concat n) (let loop ((i 0) (s "")) (if (= i n) (string-length s) (loop (+ i 1) (string-append s "ab")))))
(display (let loop ((i 0) (r 0)) (if (= i 20) r (loop (+ i 1) (+ (build 20000) (concat 2000))))))
(newline)
