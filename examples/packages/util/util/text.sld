;; (util text): string helpers for the other example packages.
(define-library (util text)
  (export pad-left join)
  (import (scheme base))
  (begin
    ;; `s` padded on the left with `c` to `width` characters.
    (define (pad-left s width c)
      (if (>= (string-length s) width)
          s
          (string-append (make-string (- width (string-length s)) c) s)))

    ;; The strings of `items` separated by `sep`.
    (define (join items sep)
      (if (null? items)
          ""
          (let loop ((acc (car items)) (rest (cdr items)))
            (if (null? rest)
                acc
                (loop (string-append acc sep (car rest)) (cdr rest))))))))
