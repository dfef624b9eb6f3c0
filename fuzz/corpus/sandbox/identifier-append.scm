(import (seam syntax))
(define-syntax nat (syntax-rules () ((_ k) ((identifier-append k "\x1f;[native m]")))))
(nat f)
