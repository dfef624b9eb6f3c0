(define (included-double x) (* 2 x))
