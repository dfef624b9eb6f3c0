(import (|/tmp/seam-fuzz-sandbox/holder/holder| private))
(run)
