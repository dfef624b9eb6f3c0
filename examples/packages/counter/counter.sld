;; (counter): a Scheme face on the native module "counter". Only this package's own
;; libraries can import (counter native); other packages import (counter).
(define-library (counter)
  (export make-counter counter-next! counter-value counter-report)
  (import (scheme base) (counter native) (util text))
  (begin
    (define (make-counter . start) (apply counter.new start))
    (define (counter-next! c) (counter.next c))
    (define (counter-value c) (counter.value c))
    ;; "name: 00042"-style line.
    (define (counter-report name c)
      (string-append name ": " (pad-left (number->string (counter.value c)) 5 #\0)))))
