(define-library (test includer)
  (include-library-declarations "includer-exports.scm")
  (import (scheme base))
  (cond-expand
    ((and r7rs (library (scheme base)))
     (begin (define feature-branch 'r7rs)))
    (else
     (begin (define feature-branch 'other))))
  (cond-expand
    ((library (no such library)) (begin (define missing-branch 'wrong)))
    (else (begin (define missing-branch 'right))))
  (include "includer-body.scm")
  (include-ci "includer-folded.scm"))
