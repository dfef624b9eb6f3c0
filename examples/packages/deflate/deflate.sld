;; (deflate): compress and uncompress bytevectors with zlib, through the C FFI. Importing
;; (seam ffi) needs capability ffi, which the package requires in seam.toml.
(define-library (deflate)
  (export deflate inflate crc32)
  (import (scheme base) (seam ffi))
  (begin
    (define libz (load-shared-object "libz.so.1"))
    (define compress-bound (foreign-procedure libz "compressBound" (unsigned-long) unsigned-long))
    (define compress2
      (foreign-procedure libz "compress2" (bytevector (* unsigned-long) bytevector unsigned-long int) int))
    (define uncompress
      (foreign-procedure libz "uncompress" (bytevector (* unsigned-long) bytevector unsigned-long) int))
    (define zlib-crc32 (foreign-procedure libz "crc32" (unsigned-long bytevector unsigned-int) unsigned-long))

    ;; `bytes` compressed at the best level.
    (define (deflate bytes)
      (let* ((size (bytevector-length bytes))
             (out (make-bytevector (compress-bound size) 0))
             (len (foreign-alloc 'unsigned-long)))
        (foreign-set! 'unsigned-long len 0 (bytevector-length out))
        (let ((status (compress2 out len bytes size 9)))
          (unless (= status 0) (error "deflate: compress2 failed" status))
          (bytevector-copy out 0 (foreign-ref 'unsigned-long len 0)))))

    ;; The `size` bytes that `bytes` (made by deflate) holds.
    (define (inflate bytes size)
      (let ((out (make-bytevector size 0))
            (len (foreign-alloc 'unsigned-long)))
        (foreign-set! 'unsigned-long len 0 size)
        (let ((status (uncompress out len bytes (bytevector-length bytes))))
          (unless (= status 0) (error "inflate: uncompress failed" status))
          (bytevector-copy out 0 (foreign-ref 'unsigned-long len 0)))))

    (define (crc32 bytes) (zlib-crc32 0 bytes (bytevector-length bytes)))))
