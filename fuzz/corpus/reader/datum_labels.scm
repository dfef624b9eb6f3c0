;;; datum_labels.scm -- R7RS 2.4 datum labels and 6.1 equal? on circular data.
;;; Kept separate from equivalence.scm because it needs reader support for
;;; #n= / #n# and a cycle-safe equal?.

(check (equal? '#1=(a b . #1#)
               '#2=(a b a b . #2#))
       => #t)

(check (let ((x '#0=(1 2 . #0#)))
         (list (car x) (cadr x) (car (cddr x)) (eq? x (cddr x))))
       => '(1 2 1 #t))

(check (let ((x '(#5=(p q) #5#)))
         (eq? (car x) (cadr x)))
       => #t)

(check (let ((x (list 'a)))
         (set-cdr! x x)
         (list? x))
       => #f)

(check (let ((x (list 1 2)) (y (list 1 2)))
         (set-cdr! (cdr x) x)
         (set-cdr! (cdr y) y)
         (equal? x y))
       => #t)

(check (let ((x (list 1 2)) (y (list 1 3)))
         (set-cdr! (cdr x) x)
         (set-cdr! (cdr y) y)
         (equal? x y))
       => #f)

(check (let ((v (vector 1 2)))
         (vector-set! v 1 v)
         (equal? v v))
       => #t)
