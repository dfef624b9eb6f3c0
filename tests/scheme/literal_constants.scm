;;; Literal constants are immutable (R7RS 3.4): quoted data and self-evaluating strings,
;;; vectors and bytevectors. Every mutator refuses them with an error naming itself;
;;; copies, data built at run time and data `read` returns stay mutable.

;; The message of the error `thunk` raises, or 'no-error.
(define (message-of thunk)
  (guard (e ((error-object? e) (error-object-message e))
            (#t (list 'raised e)))
    (thunk)
    'no-error))

;; Whether `thunk` raises an error object whose message starts with "PROC: cannot mutate".
(define (refused? proc thunk)
  (let* ((message (message-of thunk))
         (prefix (string-append proc ": cannot mutate a literal constant: ")))
    (and (string? message)
         (<= (string-length prefix) (string-length message))
         (string=? prefix (substring message 0 (string-length prefix))))))

;; -- each mutator on each kind of literal

(check (refused? "set-car!" (lambda () (set-car! '(1 2) 3))) => #t)
(check (refused? "set-cdr!" (lambda () (set-cdr! '(1 2) 3))) => #t)
(check (refused? "set-car!" (lambda () (set-car! '(a . b) 3))) => #t)
(check (refused? "list-set!" (lambda () (list-set! '(0 1 2) 1 'x))) => #t)
(check (refused? "list-set!" (lambda () (list-set! '(0 1 2) 0 'x))) => #t)

(check (refused? "vector-set!" (lambda () (vector-set! #(1 2 3) 0 'x))) => #t)
(check (refused? "vector-set!" (lambda () (vector-set! '#(1 2 3) 0 'x))) => #t)
(check (refused? "vector-fill!" (lambda () (vector-fill! #(1 2 3) 0))) => #t)
(check (refused? "vector-fill!" (lambda () (vector-fill! #(1 2 3) 0 1 2))) => #t)
(check (refused? "vector-copy!" (lambda () (vector-copy! #(1 2 3) 0 (vector 'a)))) => #t)

(check (refused? "string-set!" (lambda () (string-set! "abc" 0 #\x))) => #t)
(check (refused? "string-set!" (lambda () (string-set! '"abc" 0 #\x))) => #t)
(check (refused? "string-fill!" (lambda () (string-fill! "abc" #\x))) => #t)
(check (refused? "string-copy!" (lambda () (string-copy! "abc" 0 (string #\x)))) => #t)

(check (refused? "bytevector-u8-set!" (lambda () (bytevector-u8-set! #u8(1 2 3) 0 9))) => #t)
(check (refused? "bytevector-u8-set!" (lambda () (bytevector-u8-set! '#u8(1 2 3) 0 9))) => #t)
(check (refused? "bytevector-copy!" (lambda () (bytevector-copy! #u8(1 2 3) 0 (bytevector 9)))) => #t)
(check (refused? "read-bytevector!"
                 (lambda () (read-bytevector! #u8(0 0) (open-input-bytevector (bytevector 1 2)))))
       => #t)

;; Data nested inside a quoted list (or vector) is constant too.
(define nested '(1 #(2 3) "four" #u8(5) (6 7)))
(check (refused? "vector-set!" (lambda () (vector-set! (cadr nested) 0 'x))) => #t)
(check (refused? "string-set!" (lambda () (string-set! (caddr nested) 0 #\x))) => #t)
(check (refused? "bytevector-u8-set!" (lambda () (bytevector-u8-set! (cadddr nested) 0 0))) => #t)
(check (refused? "set-car!" (lambda () (set-car! (list-ref nested 4) 'x))) => #t)
(check (refused? "set-cdr!" (lambda () (set-cdr! (cdr nested) '()))) => #t)
(check (refused? "set-car!" (lambda () (set-car! (vector-ref '#((1 2)) 0) 'x))) => #t)
(check nested => '(1 #(2 3) "four" #u8(5) (6 7)))
;; A cyclic literal (datum labels) is constant all the way round.
(define cycle '#0=(a b . #0#))
(check (refused? "set-car!" (lambda () (set-car! (cddr cycle) 'x))) => #t)

;; The message shows the literal.
(check (message-of (lambda () (set-car! '(1 2) 3))) => "set-car!: cannot mutate a literal constant: (1 2)")
(check (message-of (lambda () (string-set! "abc" 0 #\x)))
       => "string-set!: cannot mutate a literal constant: \"abc\"")
;; The irritant is the literal, and the error is an ordinary error object.
(check (guard (e ((error-object? e) (error-object-irritants e))) (vector-set! #(1 2) 0 0)) => '(#(1 2)))
(check (guard (e (#t (error-object? e))) (set-cdr! '(1) 2)) => #t)
;; A wrong type is reported as such, before anything else.
(check (message-of (lambda () (set-car! '() 1))) => "set-car!: argument 1: expected pair, got ()")
(check (message-of (lambda () (vector-set! '(1) 0 0))) => "vector-set!: argument 1: expected vector, got (1)")

;; -- a failed attempt changes nothing, however often it is made

(define (literal-list) '(1 2 3))
(define (literal-string) "abc")
(define (literal-vector) #(1 2 3))
(define (attempt) (guard (e (#t 'refused)) (set-car! (literal-list) 'x)))
(check (attempt) => 'refused)
(check (attempt) => 'refused)
(check (literal-list) => '(1 2 3))
(check (guard (e (#t 'refused)) (string-fill! (literal-string) #\z)) => 'refused)
(check (guard (e (#t 'refused)) (vector-fill! (literal-vector) 0)) => 'refused)
(check (list (literal-list) (literal-string) (literal-vector)) => '((1 2 3) "abc" #(1 2 3)))
(check (eq? (literal-list) (literal-list)) => #t)

;; -- copies, fresh data and data read at run time are mutable

(check (let ((l (list-copy '(1 2 3)))) (set-car! l 'x) (list-set! l 2 'z) l) => '(x 2 z))
(check (let ((l (append '(1 2) '(3)))) (set-car! l 'x) l) => '(x 2 3))
(check (let ((s (string-copy "abc"))) (string-set! s 0 #\x) s) => "xbc")
(check (let ((s (string-append "ab" "c"))) (string-fill! s #\z) s) => "zzz")
(check (let ((s (substring "abcd" 1 3))) (string-set! s 0 #\x) s) => "xc")
(check (let ((v (vector-copy #(1 2 3)))) (vector-set! v 0 'x) (vector-fill! v 0 1) v) => #(x 0 0))
(check (let ((v (vector-append #(1) #(2)))) (vector-set! v 0 'x) v) => #(x 2))
(check (let ((v (list->vector '(1 2)))) (vector-set! v 0 'x) v) => #(x 2))
(check (let ((b (bytevector-copy #u8(1 2 3)))) (bytevector-u8-set! b 0 9) b) => #u8(9 2 3))
(check (let ((s (list->string '(#\a #\b)))) (string-set! s 0 #\x) s) => "xb")
(check (let ((l (map (lambda (x) x) '(1 2)))) (set-car! l 'x) l) => '(x 2))
(check (let ((s (string #\a))) (string-set! s 0 #\b) s) => "b")
(check (let ((d (read (open-input-string "(1 #(2) \"three\" #u8(4))"))))
         (set-car! d 'one)
         (vector-set! (cadr d) 0 'two)
         (string-set! (caddr d) 0 #\T)
         (bytevector-u8-set! (cadddr d) 0 40)
         d)
       => '(one #(two) "Three" #u8(40)))
;; A quasiquoted template's fresh pairs are mutable; its constant parts are not.
(check (let* ((x 1) (l `(,x 2))) (set-car! l 'x) l) => '(x 2))
;; symbol->string's result is immutable; string->symbol's argument is not affected.
(check (refused? "string-set!" (lambda () (string-set! (symbol->string 'abc) 0 #\x))) => #t)
(check (let ((s (string-copy (symbol->string 'abc)))) (string-set! s 0 #\x) s) => "xbc")
(check (let ((s (make-string 2 #\a))) (string->symbol s) (string-set! s 0 #\b) s) => "ba")

;; -- eval: quoted data in evaluated code is constant too

(define env (environment '(scheme base)))
(check (refused? "set-car!" (lambda () (set-car! (eval ''(1 2) env) 3))) => #t)
(check (refused? "string-set!" (lambda () (string-set! (eval "abc" env) 0 #\x))) => #t)
(check (let ((l (eval '(list 1 2) env))) (set-car! l 3) l) => '(3 2))
;; The datum handed to eval is copied into the code, not frozen.
(define code (list 'quote (list 1 2)))
(eval code env)
(check (begin (set-car! (cadr code) 'x) code) => '(quote (x 2)))

;; -- a constant's slot, once collected, does not pass its immutability on
;; Each round makes constants (through eval, so they die with their code) and then fresh
;; data that may land in their slots; under GC stress (this file runs with it too) every
;; round collects in between.
(define (round i)
  (let ((dead (eval '(quote ((1 2) #(3 4) "five" #u8(6))) env)))
    (set! dead #f)
    (let ((p (cons i i)) (l (list i i i)) (v (make-vector 2 i)) (s (make-string 2 #\a)) (b (make-bytevector 2 0)))
      (set-car! p 0)
      (set-cdr! (cdr l) '())
      (vector-set! v 0 0)
      (string-set! s 0 #\b)
      (bytevector-u8-set! b 0 1)
      (list p l v s b))))
(define (rounds n)
  (let loop ((i 0) (ok #t))
    (if (= i n)
        ok
        (loop (+ i 1) (and ok (equal? (round i) (list (cons 0 i) (list i i) (vector 0 i) "ba" (bytevector 1 0))))))))
(check (rounds 200) => #t)
