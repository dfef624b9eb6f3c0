;; Compressing with zlib through (seam ffi): compressBound, compress2 and uncompress round
;; trip a few kilobytes of text, and crc32 checksums it.
;; Run it with: cargo run --release -- examples/ffi/zlib.scm (needs libz.so.1)
;; Every result is checked; a wrong one is an error, so the script exits non-zero.

(import (scheme base) (scheme write) (seam ffi))

(define (check what got expected)
  (display what) (display " => ") (write got) (newline)
  (unless (equal? got expected)
    (error "wrong result" what 'got got 'expected expected)))

(define libz (load-shared-object "libz.so.1"))

;; zlib's uLong is C's unsigned long; uLongf* is a pointer to one.
(define compress-bound (foreign-procedure libz "compressBound" (unsigned-long) unsigned-long))
(define compress2
  (foreign-procedure libz "compress2" (bytevector (* unsigned-long) bytevector unsigned-long int) int))
(define uncompress
  (foreign-procedure libz "uncompress" (bytevector (* unsigned-long) bytevector unsigned-long) int))
(define crc32 (foreign-procedure libz "crc32" (unsigned-long bytevector unsigned-int) unsigned-long))
(define Z_OK 0)
(define Z_BUF_ERROR -5)
(define Z_BEST_COMPRESSION 9)

;; A few KB of repetitive text, which compresses well.
(define text
  (let loop ((i 0) (lines '()))
    (if (= i 100)
        (apply string-append (reverse lines))
        (loop (+ i 1)
              (cons (string-append "line " (number->string i)
                                   ": the quick brown fox jumps over the lazy dog\n")
                    lines)))))
(define source (string->utf8 text))
(define source-size (bytevector-length source))
(display "text: ") (display source-size) (display " bytes") (newline)

;; The length in/out parameter: set to the buffer's size before the call, read after.
(define length-cell (foreign-alloc 'unsigned-long))

(define bound (compress-bound source-size))
(unless (>= bound source-size) (error "compressBound is smaller than the input" bound))
(define compressed (make-bytevector bound 0))
(foreign-set! 'unsigned-long length-cell 0 bound)
(check "compress2" (compress2 compressed length-cell source source-size Z_BEST_COMPRESSION) Z_OK)
(define compressed-size (foreign-ref 'unsigned-long length-cell 0))
(display "compressed to ") (display compressed-size) (display " bytes") (newline)
(unless (< compressed-size (quotient source-size 4))
  (error "repetitive text should compress at least fourfold" compressed-size))

(define restored (make-bytevector source-size 0))
(foreign-set! 'unsigned-long length-cell 0 source-size)
(check "uncompress" (uncompress restored length-cell compressed compressed-size) Z_OK)
(check "uncompressed size" (foreign-ref 'unsigned-long length-cell 0) source-size)
(check "round trip gives the text back" (string=? (utf8->string restored) text) #t)

;; A buffer too small is reported by zlib, not by a crash.
(foreign-set! 'unsigned-long length-cell 0 10)
(check "uncompress into 10 bytes" (uncompress restored length-cell compressed compressed-size) Z_BUF_ERROR)
(foreign-free length-cell)

;; crc32: known values, and the checksum of the whole is the checksum of its parts chained.
(define (crc-of bytes) (crc32 0 bytes (bytevector-length bytes)))
(check "crc32 of \"hello\"" (crc-of (string->utf8 "hello")) 907060870)
(check "crc32 of the fox" (crc-of (string->utf8 "The quick brown fox jumps over the lazy dog"))
       #x414FA339)
(define half (quotient source-size 2))
(define first-half (bytevector-copy source 0 half))
(define second-half (bytevector-copy source half))
(check "crc32 chained over two halves equals crc32 of the whole"
       (crc32 (crc-of first-half) second-half (bytevector-length second-half))
       (crc-of source))
(check "crc32 of the round-tripped text" (crc-of restored) (crc-of source))

(display "zlib.scm: all checks passed") (newline)
