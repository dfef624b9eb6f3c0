;;; Seam's base library, the part written in Scheme: everything that calls procedures
;;; (dynamic-wind, continuations that unwind, exceptions, parameters, promises, map and
;;; friends). Builtins never call back into Scheme, so continuations and tail calls work
;;; through all of this. Names starting with % are internal.

;;; ---- dynamic-wind and continuations

(define %winders '())

(define (%common-tail x y)
  (let ((lx (length x)) (ly (length y)))
    (let loop ((x (if (> lx ly) (list-tail x (- lx ly)) x))
               (y (if (> ly lx) (list-tail y (- ly lx)) y)))
      (if (eq? x y) x (loop (cdr x) (cdr y))))))

;; Runs the `after` thunks out of the current extent and the `before` thunks into `target`.
(define (%travel-to! target)
  (let ((common (%common-tail %winders target)))
    (let unwind ()
      (if (not (eq? %winders common))
          (let ((after (cdr (car %winders))))
            (set! %winders (cdr %winders))
            (after)
            (unwind))))
    (let rewind ((ws target))
      (if (not (eq? ws common))
          (begin
            (rewind (cdr ws))
            ((car (car ws)))
            (set! %winders ws))))))

(define (%call-with-values producer consumer)
  (%apply consumer (%values->list (producer))))

(define call-with-values %call-with-values)

(define (dynamic-wind before thunk after)
  (if (not (and (procedure? before) (procedure? thunk) (procedure? after)))
      (%check-args "dynamic-wind" procedure? "procedure" (list before thunk after) 1))
  (before)
  (set! %winders (cons (cons before after) %winders))
  (%call-with-values thunk
    (lambda results
      (set! %winders (cdr %winders))
      (after)
      (%apply values results))))

(define (call-with-current-continuation proc)
  (let ((winders %winders))
    (%call/cc
     (lambda (k)
       (proc (lambda results
               (if (not (eq? %winders winders))
                   (%travel-to! winders))
               (%apply k results)))))))

(define call/cc call-with-current-continuation)

;;; ---- exceptions

(define %handlers '())

;; Runs thunk with the handler stack set to `handlers`. Through dynamic-wind, so a
;; continuation that re-enters the extent (guard's re-raise does) gets the same stack back.
(define (%with-handlers handlers thunk)
  (let ((outer %handlers))
    (dynamic-wind
     (lambda () (set! %handlers handlers))
     thunk
     (lambda () (set! %handlers outer)))))

(define (with-exception-handler handler thunk)
  (if (not (procedure? handler))
      (raise (%make-error 'type "with-exception-handler: argument 1: expected procedure" (list handler))))
  (%with-handlers (cons handler %handlers) thunk))

(define (raise-continuable obj)
  (let ((handlers %handlers))
    (if (null? handlers)
        (%abort obj)
        (%with-handlers (cdr handlers) (lambda () ((car handlers) obj))))))

(define (raise obj)
  (let ((handlers %handlers))
    (if (null? handlers)
        (%abort obj)
        (%with-handlers
         (cdr handlers)
         (lambda ()
           ((car handlers) obj)
           (raise (%make-error 'error "exception handler returned from non-continuable raise"
                               (list obj))))))))

(define (error message . irritants)
  (raise (%make-error 'error message irritants)))

(define (error-object-kind obj) (%error-object-kind obj))

;; (guard (var clause ...) body ...) expands to (%guard (lambda () body ...) handler), where
;; handler evaluates the clauses with var bound and calls its reraise thunk if none matches.
(define (%guard body handler)
  ((call/cc
    (lambda (guard-k)
      (with-exception-handler
       (lambda (condition)
         ((call/cc
           (lambda (handler-k)
             (guard-k
              (lambda ()
                (handler condition
                         (lambda ()
                           (handler-k (lambda () (raise-continuable condition)))))))))))
       (lambda ()
         (%call-with-values body
           (lambda args (guard-k (lambda () (%apply values args)))))))))))

(define (exit . code)
  (%travel-to! '())
  (%exit (if (pair? code) (car code) 0)))

(define (emergency-exit . code)
  (%exit (if (pair? code) (car code) 0)))

;;; ---- parameters and promises

(define (make-parameter value . converter)
  (if (and (pair? converter) (not (procedure? (car converter))))
      (%type-error "make-parameter" 2 "procedure" (car converter)))
  (if (pair? converter)
      (%make-parameter ((car converter) value) (car converter))
      (%make-parameter value #f)))

(define (%parameterize params vals body)
  (let ((new (map (lambda (p v)
                    (let ((convert (%parameter-converter p)))
                      (if convert (convert v) v)))
                  params vals)))
    (let ((swap! (lambda ()
                   (let ((old (map %parameter-value params)))
                     (for-each %parameter-set! params new)
                     (set! new old)))))
      (dynamic-wind swap! body swap!))))

(define (force promise)
  (if (promise? promise)
      (let loop ()
        (if (%promise-done? promise)
            (%promise-value promise)
            (let ((promise* ((%promise-value promise))))
              (if (not (%promise-done? promise))
                  (%promise-update! promise* promise))
              (loop))))
      promise))

;;; ---- higher-order list, vector and string procedures

(define (%any-not-pair? ls)
  (if (pair? ls) (if (pair? (car ls)) (%any-not-pair? (cdr ls)) #t) #f))
(define (%cars ls) (if (pair? ls) (cons (car (car ls)) (%cars (cdr ls))) '()))
(define (%cdrs ls) (if (pair? ls) (cons (cdr (car ls)) (%cdrs (cdr ls))) '()))

(define (%check-list who l)
  (if (not (list? l))
      (raise (%make-error 'type (string-append who ": expected list") (list l)))))

;; map and for-each stop at the end of the shortest list: when every list is circular there
;; is no end, so that is an error rather than a loop that never returns.
(define (%check-some-finite who ls)
  (let loop ((l ls))
    (cond ((null? l)
           (raise (%make-error 'type (string-append who ": every list argument is circular") ls)))
          ((%circular? (car l)) (loop (cdr l))))))

(define (map f first . rest)
  (%check-some-finite "map" (cons first rest))
  (if (null? rest)
      (let loop ((l first) (acc '()))
        (if (pair? l)
            (loop (cdr l) (cons (f (car l)) acc))
            (begin (if (not (null? l)) (%check-list "map" first))
                   (reverse acc))))
      (let loop ((ls (cons first rest)) (acc '()))
        (if (%any-not-pair? ls)
            (reverse acc)
            (loop (%cdrs ls) (cons (%apply f (%cars ls)) acc))))))

(define (for-each f first . rest)
  (%check-some-finite "for-each" (cons first rest))
  (if (null? rest)
      (let loop ((l first))
        (if (pair? l)
            (begin (f (car l)) (loop (cdr l)))
            (if (not (null? l)) (%check-list "for-each" first))))
      (let loop ((ls (cons first rest)))
        (if (not (%any-not-pair? ls))
            (begin (%apply f (%cars ls)) (loop (%cdrs ls)))))))

;; Checks that every one of `xs` satisfies `ok?`, numbering them from `position` in the
;; type error naming `who`.
(define (%check-args who ok? what xs position)
  (if (pair? xs)
      (begin
        (if (not (ok? (car xs))) (%type-error who position what (car xs)))
        (%check-args who ok? what (cdr xs) (+ position 1)))))

(define (%check-procedure who f)
  (if (not (procedure? f)) (%type-error who 1 "procedure" f)))

(define (vector-map f v . vs)
  (%check-procedure "vector-map" f)
  (%check-args "vector-map" vector? "vector" (cons v vs) 2)
  (list->vector (%apply map f (vector->list v) (map vector->list vs))))

(define (vector-for-each f v . vs)
  (%check-procedure "vector-for-each" f)
  (%check-args "vector-for-each" vector? "vector" (cons v vs) 2)
  (%apply for-each f (vector->list v) (map vector->list vs)))

(define (string-map f s . ss)
  (%check-procedure "string-map" f)
  (%check-args "string-map" string? "string" (cons s ss) 2)
  (let ((results (%apply map f (string->list s) (map string->list ss))))
    (let check ((l results))
      (if (pair? l)
          (if (char? (car l))
              (check (cdr l))
              (raise (%make-error 'type "string-map: the procedure returned a non-character"
                                  (list (car l)))))))
    (list->string results)))

(define (string-for-each f s . ss)
  (%check-procedure "string-for-each" f)
  (%check-args "string-for-each" string? "string" (cons s ss) 2)
  (%apply for-each f (string->list s) (map string->list ss)))

(define (member x l . compare)
  (if (null? compare)
      (%member2 x l)
      (let ((same? (car compare)))
        (let loop ((l l))
          (cond ((not (pair? l)) #f)
                ((same? x (car l)) l)
                (else (loop (cdr l))))))))

(define (assoc x l . compare)
  (if (null? compare)
      (%assoc2 x l)
      (let ((same? (car compare)))
        (let loop ((l l))
          (cond ((not (pair? l)) #f)
                ((same? x (car (car l))) (car l))
                (else (loop (cdr l))))))))

;;; ---- process context

(define %command-line '())
(define (command-line) %command-line)

(define (call-with-port port proc)
  (if (not (port? port)) (%type-error "call-with-port" 1 "port" port))
  (%check-args "call-with-port" procedure? "procedure" (list proc) 2)
  (%call-with-values (lambda () (proc port))
    (lambda results
      (close-port port)
      (%apply values results))))

;;; ---- eval, environments, load

;; The procedures that make environments and load files, over `make` (import sets → a pair
;; of the environment and a thunk running the libraries loaded for it, or #f) and
;; `interaction` (→ the same pair for the interaction environment): in the order of
;; PACKAGE_SCOPED_NAMES. The top level's use `%environment`; each package granted `eval`
;; gets its own (crates/seam/src/package.rs), whose environments have its capabilities.
(define (%eval-procedures make interaction)
  (define (made pair)
    (if (cdr pair) ((cdr pair)))
    (car pair))
  (define (environment . import-sets) (made (make import-sets)))
  (define (interaction-environment) (made (interaction)))
  (define (scheme-report-environment version)
    (if (not (eqv? version 5))
        (error "scheme-report-environment: only version 5 is supported" version))
    (environment '(scheme r5rs)))
  (define (null-environment version)
    (if (not (eqv? version 5))
        (error "null-environment: only version 5 is supported" version))
    (environment '(only (scheme r5rs) ... => _ and begin case cond define define-syntax delay do else
                        if lambda let let* let-syntax letrec letrec-syntax or quasiquote quote set!
                        syntax-rules)))
  (define (load file . env)
    (let ((env (if (pair? env) (car env) (interaction-environment))))
      (for-each (lambda (form) (eval form env)) (%read-forms file))))
  (vector environment interaction-environment scheme-report-environment null-environment load))

(define-values (environment scheme-report-environment null-environment load)
  (let ((procedures (%eval-procedures %environment
                                      (lambda () (cons (interaction-environment) #f)))))
    (values (vector-ref procedures 0) (vector-ref procedures 2)
            (vector-ref procedures 3) (vector-ref procedures 4))))

;;; ---- file ports

(define (call-with-input-file path proc)
  (%check-args "call-with-input-file" procedure? "procedure" (list proc) 2)
  (call-with-port (open-input-file path) proc))

(define (call-with-output-file path proc)
  (%check-args "call-with-output-file" procedure? "procedure" (list proc) 2)
  (call-with-port (open-output-file path) proc))

;; Runs thunk with `param` (current-input-port or current-output-port) bound to `port`,
;; then closes the port and returns thunk's values.
(define (%with-port-as param port thunk)
  (%call-with-values (lambda () (%parameterize (list param) (list port) thunk))
    (lambda results
      (close-port port)
      (%apply values results))))

(define (with-input-from-file path thunk)
  (%check-args "with-input-from-file" procedure? "procedure" (list thunk) 2)
  (%with-port-as current-input-port (open-input-file path) thunk))

(define (with-output-to-file path thunk)
  (%check-args "with-output-to-file" procedure? "procedure" (list thunk) 2)
  (%with-port-as current-output-port (open-output-file path) thunk))
