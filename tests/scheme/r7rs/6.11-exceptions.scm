;;; R7RS 6.11 Exceptions: every example of the report, edge cases and error cases.

(define (capture thunk)
  (parameterize ((current-output-port (open-output-string)))
    (let ((v (thunk)))
      (list v (get-output-string (current-output-port))))))

;; with-exception-handler + raise, escaping through k
(check (capture
        (lambda ()
          (call-with-current-continuation
           (lambda (k)
             (with-exception-handler
              (lambda (x)
                (display "condition: ")
                (write x)
                (newline)
                (k 'exception))
              (lambda ()
                (+ 1 (raise 'an-error))))))))
       => '(exception "condition: an-error\n"))

;; a handler returning from raise: secondary exception, raised in the handler's dynamic
;; environment (so the outer guard sees it)
(check (let ((out (open-output-string)))
         (list
          (guard (e (#t 'secondary))
            (with-exception-handler
             (lambda (x)
               (display "something went wrong\n" out))
             (lambda ()
               (+ 1 (raise 'an-error)))))
          (get-output-string out)))
       => '(secondary "something went wrong\n"))
(check-error (with-exception-handler (lambda (x) 0) (lambda () (raise 'oops))))

;; raise-continuable
(check (capture
        (lambda ()
          (with-exception-handler
           (lambda (con)
             (cond
              ((string? con)
               (display con))
              (else
               (display "a warning has been issued")))
             42)
           (lambda ()
             (+ (raise-continuable "should be a number")
                23)))))
       => '(65 "should be a number"))
(check (with-exception-handler
        (lambda (c) (* c 2))
        (lambda () (+ (raise-continuable 1) (raise-continuable 10))))
       => 22)
(check (with-exception-handler
        (lambda (c) (values))
        (lambda () (call-with-values (lambda () (raise-continuable 1)) list)))
       => '())
;; the handler runs with the outer handler installed
(check (with-exception-handler
        (lambda (outer) (list 'outer outer))
        (lambda ()
          (with-exception-handler
           (lambda (inner) (raise-continuable (list 'inner inner)))
           (lambda () (raise-continuable 'x)))))
       => '(outer (inner x)))
;; after raise-continuable returns, the handler is current again
(check (with-exception-handler
        (lambda (c) (+ c 1))
        (lambda () (list (raise-continuable 1) (raise-continuable 2))))
       => '(2 3))
(check-error (with-exception-handler 'not-a-procedure (lambda () 1)))
(check (with-exception-handler (lambda (e) 0) (lambda () 'normal)) => 'normal)
(check (call-with-values
        (lambda () (with-exception-handler (lambda (e) 0) (lambda () (values 1 2))))
        list)
       => '(1 2))

;; error and error objects
(define (null-list? l)
  (cond ((pair? l) #f)
        ((null? l) #t)
        (else
         (error
          "null-list?: argument out of domain"
          l))))
(check (null-list? '()) => #t)
(check (null-list? '(1)) => #f)
(check (guard (e ((error-object? e)
                  (list (error-object-message e) (error-object-irritants e))))
         (null-list? 5))
       => '("null-list?: argument out of domain" (5)))
(check-error (null-list? 'x))
(check (guard (e (#t (error-object? e))) (error "msg")) => #t)
(check (guard (e (#t (error-object-message e))) (error "msg" 1 2)) => "msg")
(check (guard (e (#t (error-object-irritants e))) (error "msg" 1 2)) => '(1 2))
(check (guard (e (#t (error-object-irritants e))) (error "msg")) => '())
(check (guard (e (#t (error-object-irritants e))) (error "msg" '(a) "s" #\c)) => '((a) "s" #\c))
(check (guard (e ((string? e) (string-append "caught " e))) (raise "str")) => "caught str")
(check (guard (e ((symbol? e) e)) (raise 'sym)) => 'sym)
(check (guard (e (#t (error-object? e))) (raise 'sym)) => #f)
(check (guard (e (#t (error-object? e))) (raise 42)) => #f)
(check-false (error-object? 'x))
(check-false (error-object? "msg"))
(check-false (error-object? '()))
(check-error (error-object-message 'x))
(check-error (error-object-irritants "x"))
;; raise with any object; guard with => and else
(check (guard (e ((assq 'a e) => cdr) ((assq 'b e))) (raise (list (cons 'a 42)))) => 42)
(check (guard (e ((assq 'a e) => cdr) ((assq 'b e))) (raise (list (cons 'b 23)))) => '(b . 23))
(check (guard (e (else 'other)) (raise 1)) => 'other)
(check (guard (e ((string? e) 'inner)) (guard (e2 ((number? e2) 'num)) (raise "s"))) => 'inner)
(check (guard (e (#f 'never)) 'no-raise) => 'no-raise)
;; an unmatched guard re-raises to the outer handler (continuably)
(check (with-exception-handler
        (lambda (e) 10)
        (lambda () (+ 1 (guard (e ((string? e) 0)) (raise-continuable 5)))))
       => 11)

;; builtin errors are error objects
(check-true (guard (e (#t (error-object? e))) (car 1)))
(check-true (guard (e (#t (error-object? e))) (vector-ref (vector 1) 5)))
(check-true (guard (e (#t (error-object? e))) (+ 'a 1)))
(check-true (guard (e (#t (error-object? e))) (undefined-variable-here)))
(check-true (guard (e (#t (error-object? e))) ((lambda (x) x))))
(check-true (guard (e (#t (error-object? e))) (string-ref "abc" 10)))
(check-true (guard (e (#t (string? (error-object-message e)))) (car 1)))
(check-true (guard (e (#t (list? (error-object-irritants e)))) (car 1)))
(check-false (guard (e (#t (read-error? e))) (car 1)))
(check-false (guard (e (#t (file-error? e))) (car 1)))
(check-false (guard (e (#t (read-error? e))) (error "x")))
(check-false (guard (e (#t (file-error? e))) (error "x")))

;; read-error?
(check-true (guard (e (#t (read-error? e))) (read (open-input-string "(1 2"))))
(check-true (guard (e (#t (read-error? e))) (read (open-input-string ")"))))
(check-true (guard (e (#t (read-error? e))) (read (open-input-string "#(1 . 2)"))))
(check-true (guard (e (#t (read-error? e))) (read (open-input-string "\"abc"))))
(check-true (guard (e (#t (error-object? e))) (read (open-input-string "(1 2"))))
(check (guard (e ((read-error? e) (error-object-message e))) (read (open-input-string "(1 2")))
       => "read: unclosed list")
(check-false (read-error? 'x))
(check-false (read-error? "x"))

;; file-error?
(define missing-file
  (string-append (or (get-environment-variable "TMPDIR") "/tmp")
                 "/seam-r7rs-test-missing-file-6.11"))
(check-true (guard (e (#t (file-error? e))) (open-input-file missing-file)))
(check-true (guard (e (#t (file-error? e))) (open-binary-input-file missing-file)))
(check-true (guard (e (#t (error-object? e))) (open-input-file missing-file)))
(check-true (guard (e (#t (file-error? e)))
              (open-output-file (string-append missing-file "/no/such/dir"))))
(check-false (file-error? 'x))
(check-false (file-error? "x"))

;; guard re-raises an unmatched condition with raise-continuable in the dynamic
;; environment of the original raise (re-entering dynamic-wind extents)
(check (let ((trace '()))
         (let ((r (with-exception-handler
                   (lambda (e) (set! trace (cons 'handler trace)) 1)
                   (lambda ()
                     (guard (e (#f 'no))
                       (dynamic-wind
                        (lambda () (set! trace (cons 'in trace)))
                        (lambda () (+ 10 (raise-continuable 'c)))
                        (lambda () (set! trace (cons 'out trace)))))))))
           (list r (reverse trace))))
       => '(11 (in out in handler out)))
;; any object can be raised, records included
(define-record-type point (make-point x y) point? (x point-x) (y point-y))
(check (guard (e ((point? e) (point-y e))) (raise (make-point 1 2))) => 2)
(check (guard (e ((error-object? e) 'error-object) (else 'other)) (raise (make-point 1 2))) => 'other)
;; a handler escaping with a continuation
(check (call/cc (lambda (k) (with-exception-handler (lambda (e) (k (list 'escaped e))) (lambda () (raise 'boom)))))
       => '(escaped boom))
;; nested handlers: raise inside a handler goes to the outer one
(check (guard (e (#t (list 'outer e)))
         (with-exception-handler
          (lambda (e) (raise (list 'inner e)))
          (lambda () (raise 'x))))
       => '(outer (inner x)))
;; error with a non-string message still makes an error object
(check (guard (e ((error-object? e) (error-object-irritants e))) (error 'my-proc "went wrong" 1)) => '("went wrong" 1))
;; guard clauses see the condition; the body's values are returned when nothing is raised
(check (call-with-values (lambda () (guard (e (#t 0)) (values 1 2))) list) => '(1 2))
(check (guard (e ((number? e) (* e 2))) (+ 1 (raise 21))) => 42)
