;; An ordering of a non-real number is a type error naming the procedure and the argument.
(define (inside-unit-disc? z) (< (magnitude z) 1))
(define (sorted? a b) (< a b))
(inside-unit-disc? 1/2+1/2i)
(sorted? 1 1+2i)
