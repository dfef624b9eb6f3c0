;;; call_cc.scm -- R7RS 6.10 call-with-current-continuation: escapes,
;;; re-entry, generators, backtracking, multiple values.

;; --- R7RS examples -------------------------------------------------------
(check (call-with-current-continuation
        (lambda (exit)
          (for-each (lambda (x)
                      (if (negative? x)
                          (exit x)))
                    '(54 0 37 -3 245 19))
          #t))
       => -3)

(define list-length
  (lambda (obj)
    (call-with-current-continuation
     (lambda (return)
       (letrec ((r
                 (lambda (obj)
                   (cond ((null? obj) 0)
                         ((pair? obj)
                          (+ (r (cdr obj)) 1))
                         (else (return #f))))))
         (r obj))))))
(check (list-length '(1 2 3 4)) => 4)
(check (list-length '(a b . c)) => #f)
(check (call-with-current-continuation procedure?) => #t)
(check (call/cc procedure?) => #t)

;; --- simple escapes --------------------------------------------------------
(check (call/cc (lambda (k) 42)) => 42)
(check (call/cc (lambda (k) (k 42) 'not-reached)) => 42)
(check (+ 1 (call/cc (lambda (k) (+ 10 (k 1))))) => 2)
(check (call-with-current-continuation (lambda (k) (+ 1 (k 41)))) => 41)

;; Escape from a named-let loop.
(check (call/cc
        (lambda (break)
          (let loop ((i 0))
            (if (= i 1000) (break i))
            (loop (+ i 1)))))
       => 1000)

;; Escape from a nested search.
(define (find-first pred tree)
  (call/cc
   (lambda (return)
     (let walk ((t tree))
       (cond ((pair? t) (walk (car t)) (walk (cdr t)))
             ((and (not (null? t)) (pred t)) (return t))
             (else #f)))
     'none)))
(check (find-first (lambda (x) (and (number? x) (> x 10))) '(1 (2 (30 4)) 50)) => 30)
(check (find-first string? '(1 (2 (3)))) => 'none)

;; Escape procedure stored and called after its extent has ended (escape only).
(check (let ((saved #f) (n 0))
         (let ((v (call/cc (lambda (k) (set! saved k) 0))))
           (set! n (+ n 1))
           (if (< v 5) (saved (+ v 1)) (list v n))))
       => '(5 6))

;; --- re-entrant continuation, called multiple times -----------------------
(check (let ((r #f) (count 0) (results '()))
         (let ((v (+ 1 (call/cc (lambda (k) (set! r k) 1)))))
           (set! results (cons v results))
           (set! count (+ count 1))
           (if (< count 3)
               (r (* count 10))
               (reverse results))))
       => '(2 11 21))

;; Re-entering a continuation captured in the middle of an argument list.
(check (let ((k #f) (n 0))
         (let ((result (list 'a (call/cc (lambda (c) (set! k c) 0)) 'c)))
           (set! n (+ n 1))
           (if (< n 4) (k n) result)))
       => '(a 3 c))

;; Re-entry through map: earlier results must not be mutated (R7RS 6.10 map).
(check (let ((k2 #f) (results '()) (n 0))
         (let ((r (map (lambda (x)
                         (call/cc (lambda (k)
                                    (if (= x 2) (set! k2 k))
                                    x)))
                       '(1 2 3))))
           (set! results (cons r results))
           (set! n (+ n 1))
           (if (= n 1) (k2 20) results)))
       => '((1 20 3) (1 2 3)))

;; --- generators ------------------------------------------------------------
;; A generator yielding the leaves of a tree one at a time, built on call/cc.
(define (make-tree-walker tree)
  (define return #f)
  (define resume #f)
  (define (walk t)
    (cond ((null? t) 'skip)
          ((pair? t) (walk (car t)) (walk (cdr t)))
          (else (call/cc
                 (lambda (k)
                   (set! resume k)
                   (return t))))))
  (lambda ()
    (call/cc
     (lambda (r)
       (set! return r)
       (if resume
           (resume 'go)
           (begin
             (walk tree)
             (return 'done)))))))

(define (drain gen)
  (let loop ((acc '()))
    (let ((x (gen)))
      (if (eq? x 'done)
          (reverse acc)
          (loop (cons x acc))))))

(check (drain (make-tree-walker '((a b) (c (d e)) f))) => '(a b c d e f))
(check (drain (make-tree-walker '())) => '())

(check (let ((g (make-tree-walker '(1 (2 3)))))
         (let* ((a (g)) (b (g)) (c (g)) (d (g)) (e (g)))
           (list a b c d e)))
       => '(1 2 3 done done))

;; Same fringe using two interleaved generators.
(define (same-fringe? t1 t2)
  (let ((g1 (make-tree-walker t1))
        (g2 (make-tree-walker t2)))
    (let loop ()
      (let ((a (g1)) (b (g2)))
        (cond ((not (eqv? a b)) #f)
              ((eq? a 'done) #t)
              (else (loop)))))))
(check (same-fringe? '(1 (2 3) ((4))) '((1 2) (3 4))) => #t)
(check (same-fringe? '(1 (2 3) 4) '(1 2 (4 3))) => #f)

;; A generator producing an unbounded sequence, resumed many times.
(define (make-counter-gen)
  (define return #f)
  (define resume #f)
  (lambda ()
    (call/cc
     (lambda (r)
       (set! return r)
       (if resume
           (resume #f)
           (let loop ((i 0))
             (call/cc (lambda (k) (set! resume k) (return i)))
             (loop (+ i 1))))))))
(check (let ((g (make-counter-gen)))
         (let loop ((n 0) (acc '()))
           (if (= n 5) (reverse acc) (loop (+ n 1) (cons (g) acc)))))
       => '(0 1 2 3 4))
(check (let ((g (make-counter-gen)))
         (let loop ((n 0) (last #f))
           (if (= n 10000) last (loop (+ n 1) (g)))))
       => 9999)

;; --- amb-style backtracking -------------------------------------------------
(define fail-stack '())
(define (fail)
  (if (null? fail-stack)
      (error "amb: no more choices")
      (let ((back (car fail-stack)))
        (set! fail-stack (cdr fail-stack))
        (back back))))
(define (amb choices)
  (let ((cc (call/cc (lambda (k) k))))
    (if (null? choices)
        (fail)
        (let ((choice (car choices)))
          (set! choices (cdr choices))
          (set! fail-stack (cons cc fail-stack))
          choice))))
(define (require p) (if (not p) (fail)))
(define (range a b) (if (> a b) '() (cons a (range (+ a 1) b))))
(define (distinct? items)
  (cond ((null? items) #t)
        ((member (car items) (cdr items)) #f)
        (else (distinct? (cdr items)))))

;; Smallest Pythagorean triple.
(check (let ()
         (set! fail-stack '())
         (let* ((a (amb (range 1 20)))
                (b (amb (range a 20)))
                (c (amb (range b 20))))
           (require (= (+ (* a a) (* b b)) (* c c)))
           (list a b c)))
       => '(3 4 5))

;; Collect all Pythagorean triples with c <= 20 by forcing backtracking.
(check (let ((found '()))
         (set! fail-stack '())
         (call/cc
          (lambda (done)
            (set! fail-stack (list (lambda (ignored) (done #t))))
            (let* ((a (amb (range 1 20)))
                   (b (amb (range a 20)))
                   (c (amb (range b 20))))
              (require (= (+ (* a a) (* b b)) (* c c)))
              (set! found (cons (list a b c) found))
              (fail))))
         (reverse found))
       => '((3 4 5) (5 12 13) (6 8 10) (8 15 17) (9 12 15) (12 16 20)))

;; SICP multiple-dwelling puzzle (distinct floors).
(check (let ()
         (set! fail-stack '())
         (let* ((baker (amb '(1 2 3 4 5)))
                (cooper (amb '(1 2 3 4 5)))
                (fletcher (amb '(1 2 3 4 5)))
                (miller (amb '(1 2 3 4 5)))
                (smith (amb '(1 2 3 4 5))))
           (require (distinct? (list baker cooper fletcher miller smith)))
           (require (not (= baker 5)))
           (require (not (= cooper 1)))
           (require (not (= fletcher 5)))
           (require (not (= fletcher 1)))
           (require (> miller cooper))
           (require (not (= (abs (- smith fletcher)) 1)))
           (require (not (= (abs (- fletcher cooper)) 1)))
           (list (list 'baker baker) (list 'cooper cooper)
                 (list 'fletcher fletcher) (list 'miller miller)
                 (list 'smith smith))))
       => '((baker 3) (cooper 2) (fletcher 4) (miller 5) (smith 1)))

;; Exhausting all choices raises the amb error.
(check (guard (e ((error-object? e) (error-object-message e)))
         (set! fail-stack '())
         (let ((x (amb '(1 2 3))))
           (require (> x 5))
           x))
       => "amb: no more choices")

;; --- multiple values through continuations -----------------------------------
(check (call-with-values (lambda () (call/cc (lambda (k) (k 1 2)))) list) => '(1 2))
(check (call-with-values (lambda () (call/cc (lambda (k) (k)))) list) => '())
(check (call-with-values (lambda () (call/cc (lambda (k) (k 1 2 3)))) +) => 6)
(check (call-with-values (lambda () (call/cc (lambda (k) (values 4 5)))) list) => '(4 5))
(check (let-values (((a b) (call/cc (lambda (k) (k 'x 'y))))) (list b a)) => '(y x))
;; Non-final expressions in a body accept any number of values.
(check (begin (call/cc (lambda (k) (k 1 2))) 'ok) => 'ok)

;; Continuations are procedures.
(check (call/cc (lambda (k) (procedure? k))) => #t)
(check (call/cc (lambda (k) (apply k '(7)))) => 7)
(check (call/cc (lambda (k) (map k '(8 9)))) => 8)
