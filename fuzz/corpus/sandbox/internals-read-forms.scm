(%read-forms "/tmp/seam-fuzz-sandbox/secret.txt")
