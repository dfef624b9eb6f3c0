(import (holder private))
(run)
(import (keeper private))
(slurp "/tmp/seam-fuzz-sandbox/secret.txt")
