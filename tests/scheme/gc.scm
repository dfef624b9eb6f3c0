;;; gc.scm -- allocation-heavy loops; garbage must be reclaimed so memory
;;; stays bounded, and live data must survive collections intact.

(define (make-range n)
  (let loop ((i (- n 1)) (acc '()))
    (if (< i 0) acc (loop (- i 1) (cons i acc)))))

(define (sum-list l)
  (let loop ((l l) (acc 0))
    (if (null? l) acc (loop (cdr l) (+ acc (car l))))))

;; Build and drop 100k-element lists repeatedly.
(check (let loop ((round 0) (last 0))
         (if (= round 50)
             last
             (loop (+ round 1) (sum-list (make-range 100000)))))
       => 4999950000)

;; Long-lived data survives while lots of garbage is produced.
(define keep (make-range 1000))
(define keep-vec (list->vector (make-range 1000)))
(define keep-str (make-string 1000 #\k))
(let loop ((i 0))
  (when (< i 200)
    (make-range 10000)
    (make-vector 1000 i)
    (make-string 1000 #\x)
    (loop (+ i 1))))
(check (sum-list keep) => 499500)
(check (vector-ref keep-vec 999) => 999)
(check (string-length keep-str) => 1000)
(check (string-ref keep-str 999) => #\k)

;; Closures created in a loop.
(check (let loop ((i 0) (acc 0))
         (if (= i 1000000)
             acc
             (let ((f (lambda (x) (+ x i))))
               (loop (+ i 1) (f acc)))))
       => 499999500000)

;; Closures capturing growing environments, dropped each iteration.
(check (let loop ((i 0) (last #f))
         (if (= i 100000)
             (last)
             (let* ((a i) (b (* 2 i)) (c (list a b)))
               (loop (+ i 1) (lambda () (list a b c))))))
       => '(99999 199998 (99999 199998)))

;; A list of closures kept alive, each with its own captured state.
(check (let ((closures (map (lambda (i) (lambda () (* i i))) (make-range 10000))))
         (let loop ((i 0) (cs closures) (ok #t))
           (if (null? cs)
               ok
               (loop (+ i 1) (cdr cs) (and ok (= ((car cs)) (* i i)))))))
       => #t)

;; Vectors allocated and dropped in a loop.
(check (let loop ((i 0) (acc 0))
         (if (= i 10000)
             acc
             (let ((v (make-vector 100 i)))
               (loop (+ i 1) (+ acc (vector-ref v 99))))))
       => 49995000)

;; Strings and string ports in a loop.
(check (let loop ((i 0) (len 0))
         (if (= i 10000)
             len
             (let ((p (open-output-string)))
               (write i p)
               (write-string "-suffix" p)
               (loop (+ i 1) (+ len (string-length (get-output-string p)))))))
       => (+ (* 7 10000) 10 (* 2 90) (* 3 900) (* 4 9000)))

;; Bignums in a loop (heap-allocated numbers).
(check (let loop ((i 0) (acc 0))
         (if (= i 10000)
             (= acc (* 10000 (expt 2 100)))
             (loop (+ i 1) (+ acc (expt 2 100)))))
       => #t)

;; Cyclic garbage must be collectable too.
(check (let loop ((i 0))
         (if (= i 100000)
             'done
             (let ((a (list 1 2)))
               (set-cdr! (cdr a) a)
               (loop (+ i 1)))))
       => 'done)

;; Records, promises, and continuations created in bulk.
(define-record-type <box> (make-box v) box? (v box-v))
(check (let loop ((i 0) (acc 0))
         (if (= i 100000)
             acc
             (loop (+ i 1) (+ acc (box-v (make-box 1))))))
       => 100000)
(check (let loop ((i 0) (acc 0))
         (if (= i 100000)
             acc
             (loop (+ i 1) (+ acc (force (delay i))))))
       => 4999950000)
(check (let loop ((i 0) (acc 0))
         (if (= i 100000)
             acc
             (loop (+ i 1) (+ acc (call/cc (lambda (k) (k 1)))))))
       => 100000)

;; Deep structure built, checked, and dropped repeatedly.
(define (make-tree depth)
  (if (= depth 0) 'leaf (cons (make-tree (- depth 1)) (make-tree (- depth 1)))))
(define (count-leaves t)
  (if (pair? t) (+ (count-leaves (car t)) (count-leaves (cdr t))) 1))
(check (let loop ((i 0) (total 0))
         (if (= i 10) total (loop (+ i 1) (+ total (count-leaves (make-tree 14))))))
       => 163840)

;; Hash-consing style association lists growing and shrinking.
(check (let loop ((i 0) (alist '()))
         (cond ((= i 20000) (length alist))
               ((even? i) (loop (+ i 1) (cons (cons i (make-string 10 #\a)) alist)))
               (else (loop (+ i 1) (if (pair? alist) (cdr alist) alist)))))
       => 0)

;; Everything kept is still intact at the end.
(check (list (length keep) (car keep) (list-ref keep 999)) => '(1000 0 999))
