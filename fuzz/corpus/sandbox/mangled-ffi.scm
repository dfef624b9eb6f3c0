((|%foreign-procedure\x1f;(seam ffi primitives)| (|load-shared-object\x1f;(seam ffi primitives)| #f) "remove" '(string) 'int '()) "/tmp/seam-fuzz-sandbox/secret.txt")
