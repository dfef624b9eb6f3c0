;; Using SQLite through (seam ffi): open an in-memory database (an out pointer), create a
;; table and insert rows with sqlite3_exec, read rows back through a Scheme callback, run
;; prepared statements with bound parameters, report SQL errors, and close.
;; Run it with: cargo run --release -- examples/ffi/sqlite3.scm (needs libsqlite3.so.0)
;; Every result is checked; a wrong one is an error, so the script exits non-zero.

(import (scheme base) (scheme write) (seam ffi))

(define (check what got expected)
  (display what) (display " => ") (write got) (newline)
  (unless (equal? got expected)
    (error "wrong result" what 'got got 'expected expected)))

(define sqlite (load-shared-object "libsqlite3.so.0"))

(define SQLITE_OK 0)
(define SQLITE_ERROR 1)
(define SQLITE_ROW 100)
(define SQLITE_DONE 101)
;; The destructor argument of sqlite3_bind_text: SQLITE_TRANSIENT, ((void(*)(void*)) -1),
;; tells SQLite to copy the text (the C string made from a Scheme string lives only for
;; the call). Declared intptr_t so -1 can be passed as it is.
(define SQLITE_TRANSIENT -1)

(define sqlite3-open (foreign-procedure sqlite "sqlite3_open" (string (* void*)) int))
(define sqlite3-close (foreign-procedure sqlite "sqlite3_close" (void*) int))
(define sqlite3-errmsg (foreign-procedure sqlite "sqlite3_errmsg" (void*) string))
(define sqlite3-free (foreign-symbol sqlite "sqlite3_free"))
;; int sqlite3_exec(sqlite3*, const char *sql,
;;                  int (*callback)(void*, int, char**, char**), void*, char **errmsg)
(define sqlite3-exec
  (foreign-procedure sqlite "sqlite3_exec"
                     (void* string (callback (void* int (* string) (* string)) int) void* (* void*))
                     int))
(define sqlite3-prepare
  (foreign-procedure sqlite "sqlite3_prepare_v2" (void* string int (* void*) void*) int))
(define sqlite3-bind-int (foreign-procedure sqlite "sqlite3_bind_int" (void* int int) int))
(define sqlite3-bind-text
  (foreign-procedure sqlite "sqlite3_bind_text" (void* int string int intptr_t) int))
(define sqlite3-step (foreign-procedure sqlite "sqlite3_step" (void*) int))
(define sqlite3-reset (foreign-procedure sqlite "sqlite3_reset" (void*) int))
(define sqlite3-column-int (foreign-procedure sqlite "sqlite3_column_int" (void* int) int))
(define sqlite3-column-text (foreign-procedure sqlite "sqlite3_column_text" (void* int) string))
(define sqlite3-finalize (foreign-procedure sqlite "sqlite3_finalize" (void*) int))
(define sqlite3-changes (foreign-procedure sqlite "sqlite3_changes" (void*) int))

(define pointer-size (foreign-sizeof 'void*))

;; sqlite3_open writes the connection handle through a sqlite3** out pointer.
(define db
  (let ((out (foreign-alloc 'void*)))
    (unless (= (sqlite3-open ":memory:" out) SQLITE_OK)
      (error "sqlite3_open failed"))
    (foreign-ref 'void* out 0)))
(display "opened ") (write db) (newline)
(when (null-pointer? db) (error "sqlite3_open gave a null handle"))

(define (ok what code)
  (unless (= code SQLITE_OK)
    (error "SQLite call failed" what code (sqlite3-errmsg db))))

;; sqlite3_exec without a callback (#f is NULL for any pointer type).
(define (exec sql) (ok sql (sqlite3-exec db sql #f #f #f)))
(exec "create table fruit (id integer primary key, name text not null, stock integer)")
(exec "insert into fruit (name, stock) values ('apple', 12), ('banana', 0), ('cherry', 250)")
(check "rows inserted" (sqlite3-changes db) 3)

;; sqlite3_exec with a Scheme procedure as the row callback. argv and names are char**:
;; column i is the char* at offset i * sizeof(void*), read with foreign-ref 'string
;; (NULL reads as #f). Returning 0 asks for more rows.
(define (query sql)
  (let ((rows '()))
    (ok sql
        (sqlite3-exec db sql
                      (lambda (context columns values names)
                        (let loop ((i (- columns 1)) (row '()))
                          (if (< i 0)
                              (set! rows (cons row rows))
                              (loop (- i 1)
                                    (cons (cons (foreign-ref 'string names (* i pointer-size))
                                                (foreign-ref 'string values (* i pointer-size)))
                                          row))))
                        0)
                      #f #f))
    (reverse rows)))
(check "select through a callback"
       (query "select name, stock from fruit order by id")
       '((("name" . "apple") ("stock" . "12"))
         (("name" . "banana") ("stock" . "0"))
         (("name" . "cherry") ("stock" . "250"))))
(check "NULL columns read as #f" (query "select null as empty") (quote ((("empty" . #f)))))

;; A callback returning non-zero stops the query: sqlite3_exec reports SQLITE_ABORT (4).
(define seen 0)
(check "a callback stopping after the first row"
       (sqlite3-exec db "select * from fruit" (lambda (c n v k) (set! seen (+ seen 1)) 1) #f #f)
       4)
(check "rows the stopping callback saw" seen 1)

;; Prepared statements: sqlite3_stmt* comes back through an out pointer too.
(define (prepare sql)
  (let ((out (foreign-alloc 'void*)))
    (ok sql (sqlite3-prepare db sql -1 out #f))
    (foreign-ref 'void* out 0)))

(define insert (prepare "insert into fruit (name, stock) values (?1, ?2)"))
(for-each (lambda (name stock)
            (ok "bind_text" (sqlite3-bind-text insert 1 name -1 SQLITE_TRANSIENT))
            (ok "bind_int" (sqlite3-bind-int insert 2 stock))
            (check (string-append "insert " name) (sqlite3-step insert) SQLITE_DONE)
            (ok "reset" (sqlite3-reset insert)))
          '("durian" "elderberry" "fig ✓") '(3 -40 7))
(ok "finalize insert" (sqlite3-finalize insert))

(define select (prepare "select name, stock from fruit where stock > ?1 order by stock desc"))
(define (rows-above n)
  (ok "bind_int" (sqlite3-bind-int select 1 n))
  (let loop ((rows '()))
    (let ((code (sqlite3-step select)))
      (cond ((= code SQLITE_ROW)
             (loop (cons (list (sqlite3-column-text select 0) (sqlite3-column-int select 1)) rows)))
            ((= code SQLITE_DONE)
             (ok "reset" (sqlite3-reset select))
             (reverse rows))
            (else (error "sqlite3_step failed" code (sqlite3-errmsg db)))))))
(check "stock above 5" (rows-above 5) '(("cherry" 250) ("apple" 12) ("fig ✓" 7)))
(check "stock above 100" (rows-above 100) '(("cherry" 250)))
(check "stock above -100" (length (rows-above -100)) 6)
(ok "finalize select" (sqlite3-finalize select))

;; An SQL error: sqlite3_exec stores a message from sqlite3_malloc through the last
;; argument. set-foreign-finalizer! hands it to sqlite3_free once it is garbage.
(define error-out (foreign-alloc 'void*))
(check "a bad statement" (sqlite3-exec db "select * from no_such_table" #f #f error-out) SQLITE_ERROR)
(define message (foreign-ref 'void* error-out 0))
(set-foreign-finalizer! message sqlite3-free)
(check "its message" (pointer->string message) "no such table: no_such_table")

(check "sqlite3_close" (sqlite3-close db) SQLITE_OK)
(display "sqlite3.scm: all checks passed") (newline)
