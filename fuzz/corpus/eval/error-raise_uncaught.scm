; checks: uncaught (raise obj) of a non-error-object
(define x 1)

(raise 'some-symbol)
