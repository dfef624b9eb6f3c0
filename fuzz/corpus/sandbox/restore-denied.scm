(define open-input-file open-input-file)
(read-line (open-input-file "/tmp/seam-fuzz-sandbox/secret.txt"))
(define delete-file delete-file)
(delete-file "/tmp/seam-fuzz-sandbox/secret.txt")
