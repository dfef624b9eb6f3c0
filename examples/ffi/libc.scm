;; Calling the C library through (seam ffi): strlen, getpid, qsort with a Scheme
;; comparator over ints in foreign memory, and snprintf with variable arguments.
;; Run it with: cargo run --release -- examples/ffi/libc.scm
;; Every result is checked; a wrong one is an error, so the script exits non-zero.

(import (scheme base) (scheme write) (seam ffi))

(define (check what got expected)
  (display what) (display " => ") (write got) (newline)
  (unless (equal? got expected)
    (error "wrong result" what 'got got 'expected expected)))

;; #f names the running process: the C library is already loaded into it.
(define strlen (foreign-procedure #f "strlen" (string) size_t))
(check "(strlen \"hello, world\")" (strlen "hello, world") 12)
;; Scheme strings cross as UTF-8: "héllo" is six bytes.
(check "(strlen \"héllo\")" (strlen "héllo") 6)

(define getpid (foreign-procedure #f "getpid" () int))
(define pid (getpid))
(display "(getpid) => ") (display pid) (newline)
(unless (and (exact-integer? pid) (> pid 0) (= pid (getpid)))
  (error "getpid gave a strange process id" pid))

;; qsort over a C array of ints in memory from foreign-alloc. The comparator is a Scheme
;; procedure: passed for a (callback ...) argument, it becomes a C function pointer for
;; the length of the call.
(define qsort
  (foreign-procedure #f "qsort" (void* size_t size_t (callback (void* void*) int)) void))
(define int-size (foreign-sizeof 'int))
(define numbers '(42 -7 1000000 0 13 -2147483648 2147483647 5 5 99))
(define count (length numbers))
(define array (foreign-alloc (* count int-size)))
(let fill ((i 0) (ns numbers))
  (unless (null? ns)
    (foreign-set! 'int array (* i int-size) (car ns))
    (fill (+ i 1) (cdr ns))))
(define comparisons 0)
(qsort array count int-size
       (lambda (a b)
         (set! comparisons (+ comparisons 1))
         (let ((x (foreign-ref 'int a 0)) (y (foreign-ref 'int b 0)))
           (cond ((< x y) -1) ((> x y) 1) (else 0)))))
(define (read-ints p n)
  (let loop ((i (- n 1)) (acc '()))
    (if (< i 0) acc (loop (- i 1) (cons (foreign-ref 'int p (* i int-size)) acc)))))
(check "qsort with a Scheme comparator" (read-ints array count)
       '(-2147483648 -7 0 5 5 13 42 99 1000000 2147483647))
(unless (> comparisons 0) (error "the comparator was never called"))
(display "  (the comparator ran ") (display comparisons) (display " times)") (newline)
(foreign-free array)

;; snprintf: a varargs function. Exact integers pass as long, flonums as double, strings
;; as char*, as C's default argument promotions say.
(define snprintf (foreign-procedure #f "snprintf" (void* size_t string ...) int))
(define buffer (make-bytevector 128 0))
(define (format-c template . args)
  (let ((n (apply snprintf buffer (bytevector-length buffer) template args)))
    (utf8->string buffer 0 n)))
(check "snprintf with ints" (format-c "%ld + %ld = %ld" 2 -3 -1) "2 + -3 = -1")
(check "snprintf with strings" (format-c "[%s|%5s|%-5s]" "a" "bc" "de") "[a|   bc|de   ]")
(check "snprintf with doubles" (format-c "%.3f %e %g" 3.14159 12345.678 0.5)
       "3.142 1.234568e+04 0.5")
(check "snprintf mixed" (format-c "%s has %ld items costing %.2f" "cart" 3 9.5)
       "cart has 3 items costing 9.50")
;; The result counts what would have been written: truncation is visible.
(check "snprintf into a 4-byte buffer" (snprintf (make-bytevector 4 0) 4 "%s" "truncated") 9)

(display "libc.scm: all checks passed") (newline)
