;;; exceptions.scm -- R7RS 6.11 exceptions and 4.2.7 guard.

;; --- error objects -------------------------------------------------------------
(check (guard (e (#t (list (error-object-message e) (error-object-irritants e))))
         (error "boom" 1 2))
       => '("boom" (1 2)))
(check (guard (e (#t (error-object? e))) (error "msg")) => #t)
(check (guard (e (#t (error-object-irritants e))) (error "msg")) => '())
(check (guard (e (#t (error-object-message e))) (error "msg" 'a "b" #\c)) => "msg")
(check (guard (e (#t (error-object-irritants e))) (error "msg" 'a "b" #\c)) => '(a "b" #\c))
(check (guard (e ((string? e) 'string) ((error-object? e) 'error-object)) (error "x")) => 'error-object)
(check (error-object? 'not-an-error) => #f)
(check (error-object? "string") => #f)
(check (guard (e (#t (error-object? e))) (raise 'sym)) => #f)

(define (null-list? l)
  (cond ((pair? l) #f)
        ((null? l) #t)
        (else
         (error
          "null-list?: argument out of domain"
          l))))
(check (null-list? '()) => #t)
(check (null-list? '(1)) => #f)
(check (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
         (null-list? 5))
       => '("null-list?: argument out of domain" (5)))

;; Errors raised by builtins are catchable by guard.
(check (guard (e (#t 'caught)) (car '())) => 'caught)
(check (guard (e (#t 'caught)) (vector-ref (vector 1 2) 5)) => 'caught)
(check (guard (e (#t 'caught)) (+ 1 "a")) => 'caught)
(check (guard (e (#t 'caught)) (5 3)) => 'caught)
(check (guard (e (#t 'caught)) ((lambda (x) x) 1 2)) => 'caught)
(check (guard (e (#t 'caught)) (string-ref "abc" 10)) => 'caught)
(check (guard (e (#t 'caught)) (exact (/ 1. 0))) => 'caught)
(check (guard (e (#t 'caught)) (integer->char -1)) => 'caught)
(check (guard (e (#t 'caught)) (unbound-variable-in-guard)) => 'caught)

;; --- raise and guard ---------------------------------------------------------------
(check (guard (e (#t e)) (raise 'oops)) => 'oops)
(check (guard (e (#t e)) (raise 42)) => 42)
(check (guard (e (#t e)) (raise (list 1 2))) => '(1 2))
(check (guard (e ((symbol? e) (list 'sym e)) ((string? e) (list 'str e))) (raise "boom"))
       => '(str "boom"))
(check (guard (e ((symbol? e) 'sym) (else 'other)) (raise 1)) => 'other)
(check (guard (e (#f 'never) (else (list 'else e))) (raise 'x)) => '(else x))
;; guard with no exception returns the body's value.
(check (guard (e (#t 'caught)) 'no-exception) => 'no-exception)
(check (guard (e (#t 'caught)) 1 2 3) => 3)
(check (call-with-values (lambda () (guard (e (#t 'caught)) (values 1 2))) list) => '(1 2))

;; R7RS examples: guard with => clauses.
(check (guard (condition
               ((assq 'a condition) => cdr)
               ((assq 'b condition)))
         (raise (list (cons 'a 42))))
       => 42)
(check (guard (condition
               ((assq 'a condition) => cdr)
               ((assq 'b condition)))
         (raise (list (cons 'b 23))))
       => '(b . 23))
(check (guard (e ((memq 'x e) => length)) (raise '(a x y))) => 2)

;; guard with no matching clause re-raises to an outer guard.
(check (guard (outer (#t (list 'outer outer)))
         (guard (inner ((string? inner) (list 'inner inner)))
           (raise 'not-a-string)))
       => '(outer not-a-string))
(check (guard (outer ((symbol? outer) (list 'outer outer)))
         (guard (inner ((string? inner) (list 'inner inner)))
           (raise "a-string")))
       => '(inner "a-string"))
(check (guard (outer ((error-object? outer) (error-object-message outer)))
         (guard (inner ((string? inner) 'wrong))
           (error "passed through" 1)))
       => "passed through")
;; The re-raise happens with raise-continuable in the original dynamic
;; environment, so a with-exception-handler outside the guard can resume it.
(check (with-exception-handler
        (lambda (c) 10)
        (lambda ()
          (+ 1 (guard (e ((string? e) 'wrong))
                 (raise-continuable 'not-a-string)))))
       => 11)

;; A guard clause body may raise again, to an outer guard.
(check (guard (e2 (#t (list 'outer e2)))
         (guard (e1 (#t (raise (list 'rethrown e1))))
           (raise 'first)))
       => '(outer (rethrown first)))

;; guard catches exceptions from deep inside procedure calls.
(define (thrower n) (if (= n 0) (raise 'bottom) (+ 1 (thrower (- n 1)))))
(check (guard (e ((eq? e 'bottom) 'caught-bottom)) (thrower 1000)) => 'caught-bottom)

;; Guard variable is scoped to the clauses.
(check (let ((e 'outer-e)) (guard (e (#t e)) (raise 'inner-e)) e) => 'outer-e)

;; --- with-exception-handler ---------------------------------------------------------
(check (with-exception-handler
        (lambda (e) 42)
        (lambda () (+ (raise-continuable 'oops) 1)))
       => 43)
(check (with-exception-handler
        (lambda (con)
          (cond
           ((string? con) 'was-string)
           (else 'other))
          42)
        (lambda ()
          (+ (raise-continuable "should be a number")
             23)))
       => 65)
(check (call-with-current-continuation
        (lambda (k)
          (with-exception-handler
           (lambda (x)
             (k (list 'exception x)))
           (lambda ()
             (+ 1 (raise 'an-error))))))
       => '(exception an-error))
;; The handler receives the raised object.
(check (call/cc (lambda (k)
                  (with-exception-handler
                   (lambda (e) (k (error-object-message e)))
                   (lambda () (error "from error" 'x)))))
       => "from error")
;; with-exception-handler returns the thunk's value when nothing is raised.
(check (with-exception-handler (lambda (e) 'handler) (lambda () 'thunk)) => 'thunk)
;; A handler returning from a non-continuable raise causes a secondary exception.
(check (guard (outer (#t 'secondary-raised))
         (with-exception-handler
          (lambda (e) 'returned)
          (lambda () (raise 'non-continuable))))
       => 'secondary-raised)
(check (guard (outer (#t 'secondary-raised))
         (with-exception-handler
          (lambda (e) 'returned)
          (lambda () (error "non-continuable error"))))
       => 'secondary-raised)
;; The handler runs with the outer handler installed.
(check (with-exception-handler
        (lambda (e) (list 'outer e))
        (lambda ()
          (with-exception-handler
           (lambda (e) (raise-continuable (list 'inner e)))
           (lambda () (raise-continuable 'x)))))
       => '(outer (inner x)))
;; Nested handlers: inner handler used first, restored after the thunk.
(check (with-exception-handler
        (lambda (e) 'outer)
        (lambda ()
          (list (with-exception-handler
                 (lambda (e) 'inner)
                 (lambda () (raise-continuable 'a)))
                (raise-continuable 'b))))
       => '(inner outer))
;; raise-continuable can be resumed several times.
(check (with-exception-handler
        (lambda (e) (* e 2))
        (lambda ()
          (+ (raise-continuable 1) (raise-continuable 10) (raise-continuable 100))))
       => 222)
;; The handler receives arbitrary objects.
(check (with-exception-handler
        (lambda (e) (vector-ref e 0))
        (lambda () (raise-continuable (vector 'payload))))
       => 'payload)

;; guard inside with-exception-handler: guard wins for its body.
(check (with-exception-handler
        (lambda (e) 'handler)
        (lambda () (guard (e (#t (list 'guard e))) (raise 'x))))
       => '(guard x))

;; Exceptions in guard body with dynamic state restored (parameterize).
(define prm (make-parameter 'outside))
(check (guard (e (#t (list e (prm))))
         (parameterize ((prm 'inside))
           (raise (prm))))
       => '(inside outside))

;; --- error-object predicates for reading --------------------------------------------
(check (guard (e (#t (read-error? e))) (read (open-input-string "(1 2"))) => #t)
(check (guard (e (#t (read-error? e))) (error "not a read error")) => #f)
(check (file-error? 'x) => #f)

;; --- check-error sanity --------------------------------------------------------------
(check-error (raise 'x))
(check-error (raise #f))
(check-error (error "boom" 1 2))
(check-error (car '()))
(check-error (vector-ref (vector 1 2) 5))
(check-error (+ 1 "a"))
(check-error (5 3))
(check-error ((lambda (x) x) 1 2))
(check-error (string-ref "abc" 10))
(check-error (exact (/ 1. 0)))
(check-error (integer->char -1))
(check-error (raise-continuable 'unhandled))
