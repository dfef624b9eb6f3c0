;; The counter package's main program: `cargo run --example counter_host`.
(import (scheme base) (scheme write) (counter) (util text))

(define hits (make-counter))
(define misses (make-counter 40))
(do ((i 0 (+ i 1))) ((= i 3)) (counter-next! hits))
(counter-next! misses)
(counter-next! misses)

(display (join (list (counter-report "hits" hits) (counter-report "misses" misses)) ", "))
(newline)
(counter-value misses)
