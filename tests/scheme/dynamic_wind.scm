;;; dynamic_wind.scm -- R7RS 6.10 dynamic-wind with continuations and exceptions.

;; The R7RS example.
(check (let ((path '())
             (c #f))
         (let ((add (lambda (s)
                      (set! path (cons s path)))))
           (dynamic-wind
            (lambda () (add 'connect))
            (lambda ()
              (add (call-with-current-continuation
                    (lambda (c0)
                      (set! c c0)
                      'talk1))))
            (lambda () (add 'disconnect)))
           (if (< (length path) 4)
               (c 'talk2)
               (reverse path))))
       => '(connect talk1 disconnect connect talk2 disconnect))

;; Normal flow: before, thunk, after, each exactly once; result of thunk returned.
(check (let ((log '()))
         (define (add x) (set! log (cons x log)))
         (let ((r (dynamic-wind (lambda () (add 'before))
                                (lambda () (add 'during) 'result)
                                (lambda () (add 'after)))))
           (list r (reverse log))))
       => '(result (before during after)))

;; Multiple values pass through dynamic-wind.
(check (call-with-values
           (lambda () (dynamic-wind (lambda () #f) (lambda () (values 1 2)) (lambda () #f)))
         list)
       => '(1 2))

;; Escaping out of the thunk via a continuation runs after.
(check (let ((log '()))
         (define (add x) (set! log (cons x log)))
         (let ((r (call/cc
                   (lambda (k)
                     (dynamic-wind
                      (lambda () (add 'before))
                      (lambda () (add 'during) (k 'escaped) (add 'not-reached))
                      (lambda () (add 'after)))))))
           (list r (reverse log))))
       => '(escaped (before during after)))

;; Re-entering via a saved continuation runs before again (and after again).
(check (let ((log '()) (k #f) (n 0))
         (define (add x) (set! log (cons x log)))
         (dynamic-wind
          (lambda () (add 'in))
          (lambda () (call/cc (lambda (c) (set! k c))) (add 'body))
          (lambda () (add 'out)))
         (set! n (+ n 1))
         (if (< n 3) (k 'again))
         (reverse log))
       => '(in body out in body out in body out))

;; Nested dynamic-winds unwind inner first.
(check (let ((log '()))
         (define (add x) (set! log (cons x log)))
         (call/cc
          (lambda (k)
            (dynamic-wind
             (lambda () (add 'outer-before))
             (lambda ()
               (dynamic-wind
                (lambda () (add 'inner-before))
                (lambda () (k 'x))
                (lambda () (add 'inner-after))))
             (lambda () (add 'outer-after)))))
         (reverse log))
       => '(outer-before inner-before inner-after outer-after))

;; Re-entering nested extents rewinds outer first.
(check (let ((log '()) (k #f) (n 0))
         (define (add x) (set! log (cons x log)))
         (dynamic-wind
          (lambda () (add 'ob))
          (lambda ()
            (dynamic-wind
             (lambda () (add 'ib))
             (lambda () (call/cc (lambda (c) (set! k c))))
             (lambda () (add 'ia))))
          (lambda () (add 'oa)))
         (set! n (+ n 1))
         (if (= n 1) (k #f))
         (reverse log))
       => '(ob ib ia oa ob ib ia oa))

;; Jumping from one extent into a sibling extent: after of the one left
;; runs before the before of the one entered.
(check (let ((log '()) (ka #f) (n 0))
         (define (add x) (set! log (cons x log)))
         (dynamic-wind
          (lambda () (add 'a-in))
          (lambda () (call/cc (lambda (c) (set! ka c))))
          (lambda () (add 'a-out)))
         (set! n (+ n 1))
         (if (= n 1)
             (dynamic-wind
              (lambda () (add 'b-in))
              (lambda () (ka #f))
              (lambda () (add 'b-out))))
         (reverse log))
       => '(a-in a-out b-in b-out a-in a-out))

;; Escaping within a common outer extent only unwinds the inner one.
(check (let ((log '()))
         (define (add x) (set! log (cons x log)))
         (dynamic-wind
          (lambda () (add 'o-in))
          (lambda ()
            (call/cc
             (lambda (k)
               (dynamic-wind
                (lambda () (add 'i-in))
                (lambda () (k 'out-of-inner))
                (lambda () (add 'i-out)))))
            (add 'still-in-outer))
          (lambda () (add 'o-out)))
         (reverse log))
       => '(o-in i-in i-out still-in-outer o-out))

;; Errors unwind through dynamic-wind; after runs before guard's clause body.
(check (let ((log '()))
         (define (add x) (set! log (cons x log)))
         (let ((r (guard (e (#t (add 'handler) e))
                    (dynamic-wind
                     (lambda () (add 'before))
                     (lambda () (raise 'oops) (add 'not-reached))
                     (lambda () (add 'after))))))
           (list r (reverse log))))
       => '(oops (before after handler)))

(check (let ((log '()))
         (define (add x) (set! log (cons x log)))
         (let ((r (guard (e ((error-object? e) (error-object-message e)))
                    (dynamic-wind
                     (lambda () (add 'before1))
                     (lambda ()
                       (dynamic-wind
                        (lambda () (add 'before2))
                        (lambda () (error "bad thing" 1))
                        (lambda () (add 'after2))))
                     (lambda () (add 'after1))))))
           (list r (reverse log))))
       => '("bad thing" (before1 before2 after2 after1)))

;; A builtin error (car of '()) also unwinds.
(check (let ((log '()))
         (define (add x) (set! log (cons x log)))
         (guard (e (#t (add 'caught)))
           (dynamic-wind
            (lambda () (add 'before))
            (lambda () (car '()))
            (lambda () (add 'after))))
         (reverse log))
       => '(before after caught))

;; with-exception-handler handlers run in the dynamic environment of the
;; raise: for raise-continuable the extent is not left.
(check (let ((log '()))
         (define (add x) (set! log (cons x log)))
         (let ((r (with-exception-handler
                   (lambda (e) (add 'handler) 10)
                   (lambda ()
                     (dynamic-wind
                      (lambda () (add 'before))
                      (lambda () (+ 1 (raise-continuable 'c)))
                      (lambda () (add 'after)))))))
           (list r (reverse log))))
       => '(11 (before handler after)))

;; Escaping from a handler out of the extent runs after.
(check (let ((log '()))
         (define (add x) (set! log (cons x log)))
         (let ((r (call/cc
                   (lambda (k)
                     (with-exception-handler
                      (lambda (e) (add 'handler) (k e))
                      (lambda ()
                        (dynamic-wind
                         (lambda () (add 'before))
                         (lambda () (raise 'boom))
                         (lambda () (add 'after)))))))))
           (list r (reverse log))))
       => '(boom (before handler after)))

;; parameterize is restored on escape and re-established on re-entry.
(define p (make-parameter 1))
(check (let ((k #f) (n 0) (seen '()))
         (parameterize ((p 2))
           (call/cc (lambda (c) (set! k c)))
           (set! seen (cons (p) seen)))
         (set! seen (cons (p) seen))
         (set! n (+ n 1))
         (if (< n 2) (k #f))
         (reverse seen))
       => '(2 1 2 1))
(check (p) => 1)

;; A generator-style jump in and out of the same extent repeatedly.
(check (let ((log '()) (inside #f) (outside #f) (n 0))
         (define (add x) (set! log (cons x log)))
         (call/cc
          (lambda (done)
            (set! outside done)
            (dynamic-wind
             (lambda () (add 'in))
             (lambda ()
               (call/cc (lambda (c) (set! inside c)))
               (set! n (+ n 1))
               (outside n))
             (lambda () (add 'out)))))
         (if (< n 3) (inside #f))
         (reverse log))
       => '(in out in out in out))
