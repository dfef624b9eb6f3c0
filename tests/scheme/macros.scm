;;; macros.scm -- R7RS 4.3 syntax-rules pattern language, let-syntax,
;;; letrec-syntax, recursive macros.

;; --- basic patterns -------------------------------------------------------------
(define-syntax my-list-of
  (syntax-rules ()
    ((_ x ...) (list x ...))))
(check (my-list-of) => '())
(check (my-list-of 1 2 3) => '(1 2 3))
(check (my-list-of (+ 1 1) 'b) => '(2 b))

;; Recursive macro: a hand-written let*.
(define-syntax my-let*
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((x v) rest ...) body ...)
     (let ((x v)) (my-let* (rest ...) body ...)))))
(check (my-let* ((a 1) (b (+ a 1)) (c (* b 3))) (list a b c)) => '(1 2 6))
(check (my-let* () 'empty) => 'empty)

;; Recursive macro counting its arguments at expansion time.
(define-syntax count-args
  (syntax-rules ()
    ((_) 0)
    ((_ x rest ...) (+ 1 (count-args rest ...)))))
(check (count-args) => 0)
(check (count-args a b c d) => 4)

;; Recursive macro reversing its arguments with an accumulator.
(define-syntax rev-list
  (syntax-rules ()
    ((_ () acc) (list . acc))
    ((_ (x rest ...) (acc ...)) (rev-list (rest ...) (x acc ...)))))
(check (rev-list (1 2 3) ()) => '(3 2 1))

;; --- nested ellipses ---------------------------------------------------------------
(define-syntax sum-groups
  (syntax-rules ()
    ((_ (x ...) ...) (list (+ x ...) ...))))
(check (sum-groups (1 2 3) (4 5) ()) => '(6 9 0))
(check (sum-groups) => '())

(define-syntax table
  (syntax-rules ()
    ((_ (k v ...) ...) '((k v ...) ...))))
(check (table (a 1 2) (b) (c 3)) => '((a 1 2) (b) (c 3)))

(define-syntax my-let-values-ish
  (syntax-rules ()
    ((_ ((name val) ...) ((name2 val2) ...) body)
     (let ((name val) ...) (let ((name2 val2) ...) body)))))
(check (my-let-values-ish ((a 1) (b 2)) ((c 3)) (list a b c)) => '(1 2 3))

;; Ellipsis following a nested pattern with a fixed tail.
(define-syntax pairs->alist
  (syntax-rules ()
    ((_ (a b) ...) (list (cons 'a b) ...))))
(check (pairs->alist (x 1) (y 2)) => '((x . 1) (y . 2)))

;; Three levels of nesting.
(define-syntax deep
  (syntax-rules ()
    ((_ ((x ...) ...) ...) '(((x ...) ...) ...))))
(check (deep ((1 2) (3)) ((4))) => '(((1 2) (3)) ((4))))

;; --- tails after ellipsis, dotted patterns, vectors ----------------------------------
(define-syntax my-last
  (syntax-rules ()
    ((_ x ... y) 'y)))
(check (my-last 1 2 3) => 3)
(check (my-last only) => 'only)

(define-syntax but-last
  (syntax-rules ()
    ((_ x ... y) '(x ...))))
(check (but-last 1 2 3) => '(1 2))

(define-syntax rest-of
  (syntax-rules ()
    ((_ a . rest) 'rest)))
(check (rest-of 1 2 3) => '(2 3))
(check (rest-of 1) => '())

(define-syntax ellipsis-then-dot
  (syntax-rules ()
    ((_ a ... . tail) '((a ...) tail))))
(check (ellipsis-then-dot 1 2) => '((1 2) ()))

(define-syntax vec-sum
  (syntax-rules ()
    ((_ #(x ...)) (+ x ...))))
(check (vec-sum #(1 2 3)) => 6)

(define-syntax vec-swap
  (syntax-rules ()
    ((_ #(a b)) #(b a))))
(check (vec-swap #(1 2)) => #(2 1))

(define-syntax vec-tail
  (syntax-rules ()
    ((_ #(a ... z)) '(z a ...))))
(check (vec-tail #(1 2 3)) => '(3 1 2))

(define-syntax make-vec
  (syntax-rules ()
    ((_ x ...) (vector 'start x ... 'end))))
(check (make-vec 1 2) => #(start 1 2 end))

;; Template producing a vector with ellipsis.
(define-syntax quote-vec
  (syntax-rules ()
    ((_ x ...) '#(x ... done))))
(check (quote-vec a b) => #(a b done))

;; --- constants in patterns ----------------------------------------------------------
(define-syntax num-kind
  (syntax-rules ()
    ((_ 0) 'zero)
    ((_ "one") 'string-one)
    ((_ #t) 'true)
    ((_ x) 'other)))
(check (num-kind 0) => 'zero)
(check (num-kind "one") => 'string-one)
(check (num-kind #t) => 'true)
(check (num-kind 5) => 'other)

;; --- literals ---------------------------------------------------------------------
(define-syntax for
  (syntax-rules (in from to)
    ((_ x in lst body) (map (lambda (x) body) lst))
    ((_ x from a to b body)
     (let loop ((x a) (acc '()))
       (if (> x b) (reverse acc) (loop (+ x 1) (cons body acc)))))))
(check (for y in '(1 2 3) (* y y)) => '(1 4 9))
(check (for i from 1 to 4 (* i 10)) => '(10 20 30 40))

(define-syntax arrow-test
  (syntax-rules (=>)
    ((_ a => b) (list 'arrow a b))
    ((_ a b c) (list 'plain a b c))))
(check (arrow-test 1 => 2) => '(arrow 1 2))
(check (arrow-test 1 2 3) => '(plain 1 2 3))

;; --- underscore ----------------------------------------------------------------------
(define-syntax second
  (syntax-rules ()
    ((_ _ b . _) b)))
(check (second 1 2 3) => 2)
(check (second 1 2) => 2)

(define-syntax ignore-all
  (syntax-rules ()
    ((_ _ ...) 'ignored)))
(check (ignore-all a b c) => 'ignored)

;; --- (... ...) escapes and custom ellipsis ----------------------------------------------
(define-syntax be-like-begin
  (syntax-rules ()
    ((be-like-begin name)
     (define-syntax name
       (syntax-rules ()
         ((name expr (... ...))
          (begin expr (... ...))))))))
(be-like-begin sequence)
(check (sequence 1 2 3 4) => 4)

(define-syntax quote-ellipsis
  (syntax-rules ()
    ((_) '(... ...))))
(check (quote-ellipsis) => '...)

(define-syntax my-list-colon
  (syntax-rules ::: ()
    ((_ x :::) (list x :::))))
(check (my-list-colon 1 2 3) => '(1 2 3))

;; A custom ellipsis lets `...` be a pattern variable.
(define-syntax dots-var
  (syntax-rules ::: ()
    ((_ ... x :::) (list ... x :::))))
(check (dots-var 'first 2 3) => '(first 2 3))

;; Macro-defining macro using a custom ellipsis on the outside.
(define-syntax def-lister
  (syntax-rules ::: ()
    ((_ name)
     (define-syntax name
       (syntax-rules ()
         ((_ x ...) (list 'name x ...)))))))
(def-lister tagged)
(check (tagged 1 2) => '(tagged 1 2))

;; Ellipsis listed as a literal is matched literally.
(define-syntax literal-dots
  (syntax-rules (...)
    ((_ a ...) 'matched-literal-dots)
    ((_ a b) 'two-things)))
(check (literal-dots x ...) => 'matched-literal-dots)
(check (literal-dots x y) => 'two-things)

;; --- let-syntax / letrec-syntax --------------------------------------------------------
(check (let-syntax ((given-that (syntax-rules ()
                                  ((given-that test stmt1 stmt2 ...)
                                   (if test
                                       (begin stmt1
                                              stmt2 ...))))))
         (let ((if #t))
           (given-that if (set! if 'now))
           if))
       => 'now)
(check (let ((x 'outer))
         (let-syntax ((m (syntax-rules () ((m) x))))
           (let ((x 'inner))
             (m))))
       => 'outer)
(check (letrec-syntax
           ((my-or (syntax-rules ()
                     ((my-or) #f)
                     ((my-or e) e)
                     ((my-or e1 e2 ...)
                      (let ((temp e1))
                        (if temp
                            temp
                            (my-or e2 ...)))))))
         (let ((x #f)
               (y 7)
               (temp 8)
               (let odd?)
               (if even?))
           (my-or x
                  (let temp)
                  (if y)
                  y)))
       => 7)
(check (letrec-syntax ((ev? (syntax-rules () ((_) #t) ((_ x . r) (od? . r))))
                       (od? (syntax-rules () ((_) #f) ((_ x . r) (ev? . r)))))
         (list (ev? a b c d) (od? a b c)))
       => '(#t #t))
(check (let-syntax ((foo (syntax-rules () ((_ x) (* x 2))))
                    (bar (syntax-rules () ((_ x) (+ x 1)))))
         (foo (bar 3)))
       => 8)
;; let-syntax body may contain definitions.
(check (let ()
         (let-syntax ((def1 (syntax-rules () ((_ n) (define n 1)))))
           (def1 one)
           one))
       => 1)

;; --- macros expanding into definitions and other special forms -------------------------
(define-syntax define-two
  (syntax-rules ()
    ((_ a b v) (begin (define a v) (define b v)))))
(define-two p1 p2 7)
(check (list p1 p2) => '(7 7))

(define-syntax my-if
  (syntax-rules ()
    ((_ c t e) (cond (c t) (else e)))))
(check (my-if #t 1 2) => 1)
(check (my-if #f 1 2) => 2)

(define-syntax while
  (syntax-rules ()
    ((_ test body ...)
     (let lp () (when test body ... (lp))))))
(check (let ((i 0) (acc '()))
         (while (< i 3) (set! acc (cons i acc)) (set! i (+ i 1)))
         acc)
       => '(2 1 0))

;; Macro that generates a named procedure definition with a rest argument.
(define-syntax define-variadic
  (syntax-rules ()
    ((_ (name . args) body ...) (define name (lambda args body ...)))))
(define-variadic (count-them . xs) (length xs))
(check (count-them 1 2 3) => 3)

;; Macro use inside a quasiquote-unquote and as an argument.
(check `(a ,(count-args x y)) => '(a 2))
(check (+ (count-args 1) (count-args 1 2)) => 3)

;; A macro shadowed by a local procedure of the same name.
(check (let ((count-args (lambda args 'procedure))) (count-args 1 2)) => 'procedure)

;; (A macro use matching no rule is a syntax error; see tests/errors/.)
