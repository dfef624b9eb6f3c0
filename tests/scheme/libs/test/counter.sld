;; Private state, an exported macro that uses a private helper, a renamed export and a
;; re-exported import.
(define-library (test counter)
  (export next! current reset! (rename current value) with-count loads car-of)
  (import (scheme base) (only (test base-utils) car-of))
  (begin
    (define loads 0)
    (set! loads (+ loads 1))
    (define count 0)
    (define (bump! n) (set! count (+ count n)) count)
    (define (next!) (bump! 1))
    (define (current) count)
    (define (reset!) (set! count 0))
    ;; `bump!` is private: the macro's expansion must still reach it.
    (define-syntax with-count
      (syntax-rules ()
        ((_ n body ...) (begin (bump! n) body ...))))))
