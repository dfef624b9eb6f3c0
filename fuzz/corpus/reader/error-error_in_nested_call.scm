; checks: (error ...) with irritants raised inside a procedure called from another procedure (backtrace has 2+ frames)
(define (inner)
  (list (error "custom failure" 'x 42)))

(define (outer)
  (+ 1 (length (inner))))

(outer)
