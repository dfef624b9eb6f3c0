;; Round-trips text through zlib: cargo run --release -- run examples/packages/deflate --allow deflate=ffi
(import (scheme base) (scheme write) (deflate))

(define text
  (let loop ((i 0) (acc ""))
    (if (= i 50) acc (loop (+ i 1) (string-append acc "the quick brown fox jumps over the lazy dog\n")))))
(define bytes (string->utf8 text))
(define packed (deflate bytes))
(define unpacked (inflate packed (bytevector-length bytes)))

(display "text: ") (display (bytevector-length bytes)) (display " bytes, deflated: ")
(display (bytevector-length packed)) (display " bytes, crc32: ") (display (crc32 bytes)) (newline)
(unless (equal? unpacked bytes) (error "the round trip changed the text"))
(display "round trip ok") (newline)
(bytevector-length packed)
