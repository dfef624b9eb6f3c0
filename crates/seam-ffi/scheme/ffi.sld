;; (seam ffi): calling C from Scheme. The procedures come from Rust
;; ((seam ffi primitives)); this file adds the syntax that quotes C types.

(define-library (seam ffi)
  (import (scheme base) (seam syntax) (seam ffi primitives))
  (export
   ;; shared objects and foreign procedures
   load-shared-object foreign-symbol foreign-procedure foreign-errno
   ;; callbacks
   foreign-callable free-callback foreign-callback? foreign-run-callbacks
   ;; types
   foreign-type define-foreign-struct define-foreign-union
   foreign-sizeof foreign-alignof foreign-offsetof
   ;; memory and pointers
   foreign-alloc foreign-free foreign-ref foreign-set! set-foreign-finalizer!
   pointer? null-pointer null-pointer? pointer+ pointer-address integer->pointer pointer=?
   pointer->string string->pointer pointer->bytevector)
  (begin
    ;; (foreign-procedure lib "name" (arg-type ...) result-type [blocking | libffi])
    ;; (foreign-procedure function-pointer (arg-type ...) result-type)
    ;; `blocking` runs each call on a thread of its own; `libffi` always calls through
    ;; libffi, never the direct path (for comparing the two).
    (define-syntax foreign-procedure
      (syntax-rules (blocking libffi)
        ((_ target name (arg ...) result blocking)
         (%foreign-procedure target name '(arg ...) 'result '(blocking)))
        ((_ target name (arg ...) result libffi)
         (%foreign-procedure target name '(arg ...) 'result '(libffi)))
        ((_ target name (arg ...) result)
         (%foreign-procedure target name '(arg ...) 'result '()))
        ((_ target (arg ...) result)
         (%foreign-procedure target #f '(arg ...) 'result '()))))

    ;; (foreign-callable procedure (arg-type ...) result-type) => a callback
    (define-syntax foreign-callable
      (syntax-rules ()
        ((_ procedure (arg ...) result)
         (%foreign-callable procedure '(arg ...) 'result))))

    ;; (define-foreign-struct name (field type) ...) defines the type `name`,
    ;; (make-name field-value ...), and name-field / name-field-set! per field.
    (define-syntax define-foreign-struct
      (syntax-rules ()
        ((_ name (field type) ...)
         (define-foreign-aggregate #f name (field type) ...))))

    (define-syntax define-foreign-union
      (syntax-rules ()
        ((_ name (field type) ...)
         (define-foreign-aggregate #t name (field type) ...))))

    (define-syntax define-foreign-aggregate
      (syntax-rules ()
        ((_ union? name (field type) ...)
         (begin
           (define name (%define-foreign-type 'name union? '((field type) ...)))
           (define (identifier-append "make-" name) (%foreign-struct-maker name))
           (define (identifier-append name "-" field) (%foreign-field-getter name 'field))
           ...
           (define (identifier-append name "-" field "-set!") (%foreign-field-setter name 'field))
           ...))))

    (define null-pointer (integer->pointer 0))))
