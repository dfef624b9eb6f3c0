(import (seam ffi))
((foreign-procedure (load-shared-object #f) "remove" (string) int) "/tmp/seam-fuzz-sandbox/secret.txt")
