; checks: runtime error for applying a non-procedure (a string) to an argument
(define x 1)

("not a proc" 1)
