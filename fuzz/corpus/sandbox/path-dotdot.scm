(import (|..| holder holder private))
(run)
