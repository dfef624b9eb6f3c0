(raise (%make-error 'memory-limit "x" '()))
