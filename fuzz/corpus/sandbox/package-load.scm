(|load\x1f;[package keeper]| "/tmp/seam-fuzz-sandbox/secret.txt")
(eval '(call-with-input-file "/tmp/seam-fuzz-sandbox/secret.txt" read-line) (|environment\x1f;[package keeper]| '(scheme base) '(scheme file)))
