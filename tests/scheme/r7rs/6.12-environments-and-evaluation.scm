;;; R7RS 6.12: environment, scheme-report-environment, null-environment,
;;; interaction-environment, eval; and load (6.14 / (scheme load)).
;;; `test-directory` is defined by the harness: the absolute path of tests/scheme.

;; --- the report's examples
(check (eval '(* 7 3) (environment '(scheme base))) => 21)
(check (let ((f (eval '(lambda (f x) (f x x)) (null-environment 5))))
         (f + 10))
       => 20)

;; --- environment
(check (eval '(+ 1 2) (environment '(scheme base))) => 3)
(check (eval '(let loop ((i 0) (acc '())) (if (= i 3) acc (loop (+ i 1) (cons i acc))))
             (environment '(scheme base)))
       => '(2 1 0))
(check (eval ''quoted (environment '(scheme base))) => 'quoted)
(check (eval 42 (environment '(scheme base))) => 42)
(check (eval "str" (environment '(scheme base))) => "str")
(check (eval #\a (environment '(scheme base))) => #\a)
(check (eval '#(1 2) (environment '(scheme base))) => #(1 2))
(check (eval (list 'quote (list 1 2)) (environment '(scheme base))) => '(1 2))
(check (eval '(if #t 'yes 'no) (environment '(only (scheme base) if quote))) => 'yes)
(check-error (eval '(car '(1)) (environment '(only (scheme base) quote))))
(check (eval '(p:car (p:quote (1 2))) (environment '(prefix (scheme base) p:))) => 1)
(check (eval '(kar '(1 2)) (environment '(rename (scheme base) (car kar)) '(only (scheme base) quote))) => 1)
(check-error (eval '(car '(1 2)) (environment '(rename (scheme base) (car kar)))))
(check (eval '(string-upcase "abc") (environment '(scheme base) '(scheme char))) => "ABC")
(check-error (eval '(string-upcase "abc") (environment '(scheme base))))
(check (environment? (environment '(scheme base))) => #t)
(check (environment? (interaction-environment)) => #t)
(check (environment? 'scheme) => #f)
;; Environments made by `environment` are immutable (6.12): no definitions, no set!.
(define env1 (environment '(scheme base)))
(check-error (eval '(define counter 10) env1))
(check-error (eval '(define-syntax twice (syntax-rules () ((_ e) (begin e e)))) env1))
(check-error (eval '(define-values (a b) (values 1 2)) env1))
(check-error (eval '(define-record-type point (make-point x) point? (x px)) env1))
(check-error (eval '(set! car cdr) env1))
(check-error (eval '(import (scheme char)) env1))
(check (eval '(car '(1 2)) env1) => 1)
;; ... but local definitions and assignments inside eval'd code are fine.
(check (eval '(let () (define n 1) (set! n (+ n 1)) n) env1) => 2)
(check (eval '(let-syntax ((twice (syntax-rules () ((_ e) (begin e e)))))
                (let ((n 0)) (twice (set! n (+ n 1))) n))
             env1)
       => 2)
(check (eval '(letrec ((fact (lambda (n) (if (= n 0) 1 (* n (fact (- n 1))))))) (fact 25)) env1)
       => 15511210043330985984000000)
;; The interaction environment is mutable: definitions made by eval persist there.
(eval '(define counter 10) (interaction-environment))
(eval '(set! counter (+ counter 1)) (interaction-environment))
(check (eval 'counter (interaction-environment)) => 11)
(check counter => 11)

;; --- scheme-report-environment / null-environment
(check (eval '(cadr '(1 2 3)) (scheme-report-environment 5)) => 2)
(check (eval '(exact->inexact 1/4) (scheme-report-environment 5)) => 0.25)
(check (eval '(inexact->exact 0.5) (scheme-report-environment 5)) => 1/2)
(check (eval '(let-syntax ((f (syntax-rules () ((_ x) x)))) (f 5)) (null-environment 5)) => 5)
(check-error (eval '(car '(1)) (null-environment 5)))
(check-error (scheme-report-environment 7))
(check-error (null-environment 4))
;; r5rs has no R7RS-only names
(check-error (eval '(string-map char-upcase "a") (scheme-report-environment 5)))

;; --- interaction-environment
(define shared-value 5)
(check (eval 'shared-value (interaction-environment)) => 5)
(eval '(define made-by-eval 'hello) (interaction-environment))
(check made-by-eval => 'hello)
(eval '(define-syntax my-unless (syntax-rules () ((_ c e) (if c #f e)))) (interaction-environment))
(check (my-unless #f 'ran) => 'ran)
;; eval with one argument uses the interaction environment (an extension).
(check (eval '(+ shared-value 1)) => 6)

;; --- eval calls its code in tail position: this loop runs in constant space.
(define (eval-loop n)
  (if (= n 0) 'done (eval (list 'eval-loop (- n 1)) (interaction-environment))))
(check (eval-loop 5000) => 'done)
;; Continuations pass through eval'd code.
(check (+ 1 (call/cc (lambda (k) ((eval '(lambda (k) (k 41)) (environment '(scheme base))) k)))) => 42)
(check (call-with-values (lambda () (eval '(values 1 2) (environment '(scheme base)))) list) => '(1 2))
(check (guard (e ((symbol? e) e)) (eval '(raise 'boom) (environment '(scheme base)))) => 'boom)

;; --- errors
(define (error-message thunk)
  (guard (e ((error-object? e) (error-object-message e)) (#t 'not-an-error-object))
    (thunk)
    'no-error))
(define (mentions? text fragment)
  (and (string? text)
       (let loop ((i 0))
         (cond ((> (+ i (string-length fragment)) (string-length text)) #f)
               ((string=? (substring text i (+ i (string-length fragment))) fragment) #t)
               (else (loop (+ i 1)))))))
(check-error (eval '(if) (environment '(scheme base))))
(check (mentions? (error-message (lambda () (eval '(if) (environment '(scheme base))))) "if: expected") => #t)
(check (mentions? (error-message (lambda () (eval '(lambda) (interaction-environment)))) "lambda") => #t)
(check (mentions? (error-message (lambda () (eval (list car 1) (interaction-environment))))
                  "cannot appear in code") => #t)
(define cyclic (list 'begin 1 2))
(set-cdr! (cddr cyclic) cyclic)
(check (mentions? (error-message (lambda () (eval cyclic (interaction-environment)))) "cyclic") => #t)
(check-error (eval '(+ 1 2) 'not-an-environment))
(check-error (eval '(+ 1 2) (environment '(no such library))))
(check-error (environment '(only (scheme base) no-such-name)))
(check-error (environment 'scheme))
(check-error (eval))
(check-error (eval '1 (interaction-environment) 'extra))
;; Unbound variables in an environment are reported by name.
(check (mentions? (error-message (lambda () (eval 'display (environment '(scheme base)))))
                  "unbound variable: display") => #t)
;; The engine is usable after all of these.
(check (eval '(* 6 7) (environment '(scheme base))) => 42)

;; --- load
(define fixtures (string-append test-directory "/fixtures/"))
(load (string-append fixtures "loadable.scm"))
(check (loaded-square 12) => 144)
(check loaded-after-macro => '(2 1))
(check-error (load (string-append fixtures "loadable.scm") (environment '(scheme base))))
(check-error (eval 'loaded-square (environment '(scheme base))))
(check (guard (e ((file-error? e) 'file-error)) (load (string-append fixtures "no-such-file.scm"))) => 'file-error)
(check-error (load 42))
(check (guard (e ((error-object? e) 'runtime-error)) (load (string-append fixtures "load-error.scm")))
       => 'runtime-error)
(check load-error-first => 'ran)
(check-error load-error-third)
