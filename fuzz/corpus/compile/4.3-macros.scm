;;; R7RS 4.3 Macros: every example of the report's section plus hygiene and pattern edge
;;; cases.

;; let-syntax, letrec-syntax
(check (let-syntax ((given-that (syntax-rules ()
                                  ((given-that test stmt1 stmt2 ...)
                                   (if test
                                       (begin stmt1
                                              stmt2 ...))))))
         (let ((if #t))
           (given-that if (set! if 'now))
           if)) => 'now)
(check (let ((x 'outer))
         (let-syntax ((m (syntax-rules () ((m) x))))
           (let ((x 'inner))
             (m)))) => 'outer)
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
                  y))) => 7)
(check (let-syntax ((foo (syntax-rules () ((_ a) (* a 2))))) (foo 21)) => 42)
(check (let-syntax () 5) => 5)
(check (letrec-syntax ((ev? (syntax-rules () ((_) #t) ((_ x . r) (od? . r))))
                       (od? (syntax-rules () ((_) #f) ((_ x . r) (ev? . r)))))
         (list (ev? 1 2 3 4) (od? 1 2 3))) => '(#t #t))
(check (let ((f (lambda (x) (+ x 1))))
         (let-syntax ((f (syntax-rules () ((_ x) x))))
           (f 2))) => 2)

;; pattern language
(define-syntax be-like-begin
  (syntax-rules ()
    ((be-like-begin name)
     (define-syntax name
       (syntax-rules ()
         ((name expr (... ...))
          (begin expr (... ...))))))))
(be-like-begin sequence)
(check (sequence 1 2 3 4) => 4)
(check (let ((=> #f)) (cond (#t => 'ok))) => 'ok)

(define-syntax my-if
  (syntax-rules (then else)
    ((_ c then t else e) (if c t e))))
(check (my-if #t then 1 else 2) => 1)
(check (my-if #f then 1 else 2) => 2)

(define-syntax under
  (syntax-rules ()
    ((_ _ b _) b)))
(check (under 1 2 3) => 2)

(define-syntax tail-pat
  (syntax-rules ()
    ((_ a ... z) (list 'last z 'rest a ...))))
(check (tail-pat 1 2 3) => '(last 3 rest 1 2))
(check (tail-pat 1) => '(last 1 rest))

(define-syntax mid-pat
  (syntax-rules ()
    ((_ a b ... c d) (list a '(b ...) c d))))
(check (mid-pat 1 2 3 4 5) => '(1 (2 3) 4 5))
(check (mid-pat 1 4 5) => '(1 () 4 5))

(define-syntax dotted
  (syntax-rules ()
    ((_ a b ... . r) '(a (b ...) r))))
(check (dotted 1 2 3 . 4) => '(1 (2 3) 4))
(check (dotted 1 2 3) => '(1 (2 3) ()))

(define-syntax vec-pat
  (syntax-rules ()
    ((_ #(a b ...)) (list a (+ b ...)))))
(check (vec-pat #(1 2 3 4)) => '(1 9))

(define-syntax vec-tail
  (syntax-rules ()
    ((_ #(a ... z)) '(z a ...))))
(check (vec-tail #(1 2 3)) => '(3 1 2))

(define-syntax nested-ellipsis
  (syntax-rules ()
    ((_ (a b ...) ...) '((a ...) (b ... ...)))))
(check (nested-ellipsis (1 2 3) (4 5) (6)) => '((1 4 6) (2 3 5)))

(define-syntax my-let*
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((x v) rest ...) body ...) (let ((x v)) (my-let* (rest ...) body ...)))))
(check (my-let* ((a 1) (b (+ a 1)) (c (* b 3))) c) => 6)

(define-syntax const-pat
  (syntax-rules ()
    ((_ 1) 'one) ((_ "two") 'two) ((_ #\3) 'three) ((_ #t) 'true) ((_ x) 'other)))
(check (list (const-pat 1) (const-pat "two") (const-pat #\3) (const-pat #t) (const-pat 9))
       => '(one two three true other))

(define-syntax my-ellipsis
  (syntax-rules ::: ()
    ((_ a :::) (list a ::: 'end))))
(check (my-ellipsis 1 2 3) => '(1 2 3 end))

(define-syntax ellipsis-literal
  (syntax-rules ::: (...)
    ((_ a ...) 'dots) ((_ a) 'single)))
(check (ellipsis-literal 1 ...) => 'dots)
(check (ellipsis-literal 1) => 'single)

(define-syntax emit-vector
  (syntax-rules ()
    ((_ a ...) #(a ... done))))
(check (emit-vector 1 2) => '#(1 2 done))

;; hygiene
(define-syntax my-or2
  (syntax-rules ()
    ((_ a b) (let ((t a)) (if t t b)))))
(check (let ((t 5)) (my-or2 #f t)) => 5)
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(check (let ((tmp 1) (other 2)) (swap! tmp other) (list tmp other)) => '(2 1))
(define helper-value 'global)
(define-syntax get-helper (syntax-rules () ((_) helper-value)))
(check (let ((helper-value 'local)) (get-helper)) => 'global)
(define-syntax use-if (syntax-rules () ((_ c a b) (if c a b))))
(check (let ((if list)) (use-if #t 1 2)) => 1)
(define-syntax def-both
  (syntax-rules ()
    ((_ name val) (begin (define hidden val) (define (name) hidden)))))
(def-both get-it 99)
(check (get-it) => 99)
(define-syntax count-args
  (syntax-rules () ((_) 0) ((_ x y ...) (+ 1 (count-args y ...)))))
(check (count-args a b c d e) => 5)
(define-syntax while
  (syntax-rules ()
    ((_ c body ...) (let lp () (when c body ... (lp))))))
(check (let ((i 0) (lp 'user)) (while (< i 5) (set! i (+ i 1))) (list i lp)) => '(5 user))

;; syntax-error (raised at expansion; only checked that non-erroring rules work)
(define-syntax simple-let
  (syntax-rules ()
    ((simple-let ((x . y) val) body1 body2 ...)
     (syntax-error "expected an identifier" (x . y)))
    ((simple-let (name val) body1 body2 ...)
     ((lambda (name) body1 body2 ...) val))))
(check (simple-let (a 5) (* a 2)) => 10)

;; more pattern and hygiene cases
(define-syntax nested-extra
  (syntax-rules ()
    ((_ (a ...) ...) '((a ... 0) ...))))
(check (nested-extra (1 2) () (3)) => '((1 2 0) (0) (3 0)))
(define-syntax vec-two-tail
  (syntax-rules ()
    ((_ #(a ... b c)) '(b c a ...))))
(check (vec-two-tail #(1 2 3 4)) => '(3 4 1 2))
(define-syntax rest-args
  (syntax-rules ()
    ((_ . args) 'args)))
(check (rest-args 1 2 . 3) => '(1 2 . 3))
(define-syntax pair-each
  (syntax-rules ()
    ((_ a b ...) (list (cons a 'b) ...))))
(check (pair-each 1 x y) => '((1 . x) (1 . y)))
(define-syntax lit-else
  (syntax-rules (else)
    ((_ else) 'matched-literal)
    ((_ other) 'not-literal)))
(check (lit-else else) => 'matched-literal)
(check (let ((else #f)) (lit-else else)) => 'not-literal)
(check (lit-else x) => 'not-literal)
(define-syntax inc!
  (syntax-rules ()
    ((_ v) (set! v (+ v 1)))
    ((_ v n) (set! v (+ v n)))))
(check (let ((z 1)) (inc! z) (inc! z 10) z) => 12)
(check (let () (define-syntax def5 (syntax-rules () ((_ x) (define x 5)))) (def5 y) y) => 5)
(define-syntax mv-list
  (syntax-rules ()
    ((_ e) (let-values (((a b) e)) (list a b)))))
(check (let ((a 5)) (mv-list (values a 6))) => '(5 6))
