//! The C FFI, `(seam ffi)`: runs the example scripts in `examples/ffi/`, and calls
//! `tests/ffi/testlib.c` (compiled once per test process with the system C compiler) to
//! check structs and unions by value, arrays, callbacks on the calling thread and on
//! others, errno, blocking calls under `eval_async`, the exact error messages of misuse,
//! and that garbage foreign memory is freed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use seam::Engine;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

// ---- the example scripts ----

fn run_example(name: &str) {
    let path = repo_root().join("examples/ffi").join(name);
    let mut engine = Engine::new();
    if let Err(e) = engine.load_file(&path) {
        panic!("{} failed:\n{}", path.display(), engine.render_error(&e));
    }
}

#[test]
fn example_libc() {
    run_example("libc.scm");
}

#[test]
fn example_libm() {
    run_example("libm.scm");
}

#[test]
fn example_zlib() {
    run_example("zlib.scm");
}

#[test]
fn example_sqlite3() {
    run_example("sqlite3.scm");
}

// ---- the test library ----

/// The path of the compiled `tests/ffi/testlib.c`, built on first use.
fn testlib() -> &'static Path {
    static LIBRARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match LIBRARY.get_or_init(build_testlib) {
        Ok(path) => path,
        Err(message) => panic!("{message}"),
    }
}

/// Compiles the test library into a directory of this process's own (so concurrent test
/// runs never load a file another is rewriting), removing those of processes that are gone.
fn build_testlib() -> Result<PathBuf, String> {
    let source = repo_root().join("tests/ffi/testlib.c");
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ffi-testlib");
    if Path::new("/proc/self").exists() {
        for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let gone = name.to_str().and_then(|n| n.parse::<u32>().ok()).is_some_and(|pid| {
                pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists()
            });
            if gone {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = root.join(std::process::id().to_string());
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let output_path = dir.join("libseamtest.so");
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let output = Command::new(&compiler)
        .args(["-shared", "-fPIC", "-O2", "-pthread", "-Wall", "-o"])
        .arg(&output_path)
        .arg(&source)
        .output()
        .map_err(|e| {
            format!(
                "cannot run the C compiler `{compiler}` ({e}): the FFI tests compile {} with it \
                 (install gcc, or set CC)",
                source.display()
            )
        })?;
    if !output.status.success() {
        return Err(format!(
            "`{compiler}` failed to compile {} ({}):\n{}",
            source.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output_path)
}

/// Declarations of the test library's functions, after `(define lib ...)`.
const DECLARATIONS: &str = r#"
(define add (foreign-procedure lib "add" (int int) int))
(define add-u8 (foreign-procedure lib "add_u8" (uint8 uint8) uint8))
(define add-unsigned (foreign-procedure lib "add" (unsigned unsigned) unsigned))
(define mul-i64 (foreign-procedure lib "mul_i64" (int64 int64) int64))
(define scale (foreign-procedure lib "scale" (double float) double))
(define sum8
  (foreign-procedure lib "sum8" (double double double double double double double double) double))

(define-foreign-struct point (x int) (y int))
(define c-make-point (foreign-procedure lib "make_point" (int int) point))
(define point-sum (foreign-procedure lib "point_sum" (point) int))
(define point-add (foreign-procedure lib "point_add" (point point) point))
(define point-swap (foreign-procedure lib "point_swap" ((* point)) void))

(define-foreign-struct mixed (d double) (c char) (i int))
(define c-make-mixed (foreign-procedure lib "make_mixed" (double char int) mixed))
(define mixed-total (foreign-procedure lib "mixed_total" (mixed) double))
(define mixed-bump (foreign-procedure lib "mixed_bump" (mixed) mixed))

(define-foreign-struct big (a long) (b long) (c long) (d double) (tag (array char 8)))
(define c-make-big (foreign-procedure lib "make_big" (long long long double) big))
(define big-sum (foreign-procedure lib "big_sum" (big) double))

(define-foreign-struct vec3 (v (array double 3)))
(define vec3-dot (foreign-procedure lib "vec3_dot" (vec3 vec3) double))
(define vec3-cross (foreign-procedure lib "vec3_cross" (vec3 vec3) vec3))
(define (vec3 x y z)
  (let ((v (make-vec3)))
    (foreign-set! 'double v 0 x) (foreign-set! 'double v 8 y) (foreign-set! 'double v 16 z)
    v))
(define (vec3->list v)
  (list (foreign-ref 'double v 0) (foreign-ref 'double v 8) (foreign-ref 'double v 16)))

(define-foreign-union number (i int64) (d double))
(define number-from-double (foreign-procedure lib "number_from_double" (double) number))
(define number-bits (foreign-procedure lib "number_bits" (number) int64))
(define number-set-int (foreign-procedure lib "number_set_int" ((* number) int64) void))

(define sum-ints (foreign-procedure lib "sum_ints" ((* int) int) int))
(define fill-squares (foreign-procedure lib "fill_squares" ((* int) int) void))
(define identity (foreign-procedure lib "identity" (void*) void*))
(define greeting (foreign-procedure lib "greeting" () string))
(define null-string (foreign-procedure lib "null_string" () string))
(define set-errno (foreign-procedure lib "set_errno" (int) int))
(define set-errno-blocking (foreign-procedure lib "set_errno" (int) int blocking))

(define apply-twice (foreign-procedure lib "apply_twice" ((callback (int) int) int) int))
(define apply-double
  (foreign-procedure lib "apply_double" ((callback (double double) double) double double) double))
(define point-apply (foreign-procedure lib "point_apply" ((callback (point) int) int int) int))
(define sum-calls (foreign-procedure lib "sum_calls" ((callback (int) int) int) int))
(define call-on-thread
  (foreign-procedure lib "call_on_thread" ((callback (int) int) int) int blocking))
(define notify-on-thread
  (foreign-procedure lib "notify_on_thread" ((callback (int) void) int) void))

(define wait-for-flag (foreign-procedure lib "wait_for_flag" () int blocking))
(define set-flag (foreign-procedure lib "set_flag" (int) void))
(define usleep (foreign-procedure #f "usleep" (unsigned-int) int blocking))

(define buffer-new (foreign-procedure lib "buffer_new" (size_t) void*))
(define buffer-release (foreign-symbol lib "buffer_release"))
(define buffers-live (foreign-procedure lib "buffers_live" () long))
"#;

/// An engine with `(seam ffi)` imported, the test library loaded as `lib` and its functions
/// declared.
fn engine() -> Engine {
    let mut engine = Engine::new();
    let path = testlib().to_str().expect("the target directory's path is UTF-8");
    let prelude = format!(
        "(import (scheme base) (scheme write) (seam ffi))\n(define lib (load-shared-object {path:?}))\n{DECLARATIONS}"
    );
    if let Err(e) = engine.eval::<()>(&prelude) {
        panic!("the test prelude failed: {}", engine.render_error(&e));
    }
    engine
}

/// Evaluates `source`, which must fail with an error of `kind` and exactly `message`; then
/// checks the engine still runs code.
#[track_caller]
fn fails(e: &mut Engine, source: &str, kind: &str, message: &str) {
    match e.eval::<()>(source) {
        Ok(()) => panic!("{source} succeeded; expected the {kind} error {message:?}"),
        Err(err) => {
            assert_eq!((err.kind(), err.message().as_str()), (kind, message), "{source}");
        }
    }
    assert_eq!(e.eval::<i64>("(add 40 2)").unwrap(), 42, "the engine is usable after {source}");
}

// ---- calls ----

#[test]
fn integers_and_floats_cross_at_their_c_widths() {
    let mut e = engine();
    assert_eq!(e.eval::<i64>("(add 2 3)").unwrap(), 5);
    assert_eq!(e.eval::<i64>("(add 2000000000 2000000000)").unwrap(), -294_967_296, "C int wraps");
    assert_eq!(e.eval::<i64>("(add-u8 200 100)").unwrap(), 44, "uint8_t wraps");
    assert_eq!(e.eval::<u64>("(add-unsigned 4294967295 0)").unwrap(), 4_294_967_295);
    assert_eq!(e.eval::<i64>("(mul-i64 3037000499 3037000499)").unwrap(), 9_223_372_030_926_249_001);
    assert_eq!(e.eval::<i64>("(add #\\A 1)").unwrap(), 66, "a character passes as its code point");
    assert_eq!(e.eval::<f64>("(scale 3.0 0.5)").unwrap(), 1.5);
    assert_eq!(e.eval::<f64>("(scale 1 1/4)").unwrap(), 0.25, "exact numbers convert to floating point");
    assert_eq!(e.eval::<f64>("(sum8 1 2 3 4 5 6 7 8.5)").unwrap(), 36.5);
    // The same signatures forced through libffi give the same answers as the direct paths.
    let through_libffi: (i64, f64) = e
        .eval(
            r#"(list ((foreign-procedure lib "add" (int int) int libffi) -7 3)
                     ((foreign-procedure #f "sqrt" (double) double libffi) 2.25))"#,
        )
        .unwrap();
    assert_eq!(through_libffi, (-4, 1.5));
}

#[test]
fn strings_and_pointers() {
    let mut e = engine();
    assert_eq!(e.eval::<String>("(greeting)").unwrap(), "hello from C");
    assert!(!e.eval::<bool>("(null-string)").unwrap(), "a NULL char* is #f");
    assert_eq!(
        e.eval::<String>("(pointer->string (identity (string->pointer \"round trip\")))").unwrap(),
        "round trip"
    );
    assert!(e.eval::<bool>("(null-pointer? (identity #f))").unwrap());
    assert!(e.eval::<bool>("(let ((p (foreign-alloc 16))) (pointer=? p (identity p)))").unwrap());
    let offsets: (i64, i64) = e
        .eval("(let* ((p (foreign-alloc 16)) (q (pointer+ p 12))) (list (- (pointer-address q) (pointer-address p)) (begin (foreign-set! 'int q 0 9) (foreign-ref 'int p 12))))")
        .unwrap();
    assert_eq!(offsets, (12, 9));
}

#[test]
fn structs_pass_and_return_by_value() {
    let mut e = engine();
    let point: (i64, i64, i64) =
        e.eval("(let ((p (c-make-point 3 4))) (list (point-x p) (point-y p) (point-sum p)))").unwrap();
    assert_eq!(point, (3, 4, 7));
    let sum: (i64, i64) = e
        .eval("(let ((p (point-add (make-point 1 2) (c-make-point 10 20)))) (list (point-x p) (point-y p)))")
        .unwrap();
    assert_eq!(sum, (11, 22));
    // A bytevector holding the struct's bytes works as a struct argument too.
    assert_eq!(
        e.eval::<i64>("(let ((b (make-bytevector 8 0))) (foreign-set! 'int b 0 5) (foreign-set! 'int b 4 6) (point-sum b))")
            .unwrap(),
        11
    );
    // Through a pointer: the callee changes the caller's struct.
    let swapped: (i64, i64) =
        e.eval("(let ((p (make-point 1 2))) (point-swap p) (list (point-x p) (point-y p)))").unwrap();
    assert_eq!(swapped, (2, 1));

    // Padding: the layout is C's.
    let layout: Vec<i64> = e
        .eval("(list (foreign-sizeof 'mixed) (foreign-alignof 'mixed) (foreign-offsetof 'mixed 'c) (foreign-offsetof 'mixed 'i))")
        .unwrap();
    assert_eq!(layout, [16, 8, 8, 12]);
    let mixed: (f64, i64, i64, f64) = e
        .eval(
            "(let ((m (c-make-mixed 1.5 65 7))) (list (mixed-d m) (mixed-c m) (mixed-i m) (mixed-total m)))",
        )
        .unwrap();
    assert_eq!(mixed, (1.5, 65, 7, 73.5));
    let bumped: (f64, i64, i64) = e
        .eval("(let ((m (mixed-bump (make-mixed 2.5 #\\a -1)))) (list (mixed-d m) (mixed-c m) (mixed-i m)))")
        .unwrap();
    assert_eq!(bumped, (3.5, 98, 0));

    // Larger than 16 bytes: passed and returned in memory.
    assert_eq!(e.eval::<i64>("(foreign-sizeof 'big)").unwrap(), 40);
    let big: (i64, i64, i64, f64, String, f64) = e
        .eval("(let ((b (c-make-big 1 2 3 0.5))) (list (big-a b) (big-b b) (big-c b) (big-d b) (pointer->string (big-tag b)) (big-sum b)))")
        .unwrap();
    assert_eq!(big, (1, 2, 3, 0.5, "big".to_string(), 9.5));
    assert_eq!(e.eval::<f64>("(big-sum (make-big 10 20 30 0.25))").unwrap(), 60.25, "an empty tag counts 0");

    // A struct of an array of doubles, in and out.
    assert_eq!(e.eval::<f64>("(vec3-dot (vec3 1 2 3) (vec3 4 5 6))").unwrap(), 32.0);
    assert_eq!(
        e.eval::<Vec<f64>>("(vec3->list (vec3-cross (vec3 1 0 0) (vec3 0 1 0)))").unwrap(),
        [0.0, 0.0, 1.0]
    );
}

#[test]
fn unions_share_their_bytes_and_pass_by_value() {
    let mut e = engine();
    assert_eq!(
        e.eval::<Vec<i64>>("(list (foreign-sizeof 'number) (foreign-alignof 'number))").unwrap(),
        [8, 8]
    );
    let one = 1.0f64.to_bits() as i64;
    // Returned by value (an integer-class union: C returns it in an integer register).
    let returned: (i64, f64) =
        e.eval("(let ((n (number-from-double 1.0))) (list (number-i n) (number-d n)))").unwrap();
    assert_eq!(returned, (one, 1.0));
    // Passed by value, from a union Seam made.
    assert_eq!(
        e.eval::<i64>("(let ((n (make-number 0))) (number-d-set! n 1.0) (number-bits n))").unwrap(),
        one
    );
    assert_eq!(e.eval::<i64>("(number-bits (make-number -5))").unwrap(), -5);
    // Through a pointer.
    assert_eq!(e.eval::<f64>("(let ((n (make-number))) (number-set-int n 0) (number-d n))").unwrap(), 0.0);
    // An anonymous union type written inline.
    assert_eq!(e.eval::<i64>("(foreign-sizeof '(union (c char) (s (array short 3))))").unwrap(), 6);
}

#[test]
fn arrays_in_foreign_memory_and_bytevectors() {
    let mut e = engine();
    assert_eq!(e.eval::<i64>("(foreign-sizeof '(array int 5))").unwrap(), 20);
    let sum: i64 = e
        .eval(
            "(let ((xs (foreign-alloc '(array int 5))))
               (do ((i 0 (+ i 1))) ((= i 5)) (foreign-set! 'int xs (* i 4) (* i 10)))
               (sum-ints xs 5))",
        )
        .unwrap();
    assert_eq!(sum, 100);
    let squares: Vec<i64> = e
        .eval(
            "(let ((out (make-bytevector (* 6 4) 0)))
               (fill-squares out 6)
               (let loop ((i 5) (acc '()))
                 (if (< i 0) acc (loop (- i 1) (cons (foreign-ref 'int out (* i 4)) acc)))))",
        )
        .unwrap();
    assert_eq!(squares, [0, 1, 4, 9, 16, 25]);
    // An array inside a struct reads as a pointer into the struct's memory.
    assert_eq!(
        e.eval::<String>(
            "(let ((b (make-big))) (foreign-set! 'char (big-tag b) 0 #\\z) (pointer->string (big-tag b)))"
        )
        .unwrap(),
        "z"
    );
}

#[test]
fn errno_is_kept_per_call() {
    let mut e = engine();
    assert_eq!(e.eval::<Vec<i64>>("(list (set-errno 34) (foreign-errno))").unwrap(), [-1, 34]);
    assert_eq!(e.eval::<Vec<i64>>("(list (set-errno 2) (foreign-errno))").unwrap(), [-1, 2]);
    // A blocking call's errno comes from the thread that made it.
    assert_eq!(e.eval::<Vec<i64>>("(list (set-errno-blocking 11) (foreign-errno))").unwrap(), [-1, 11]);
}

// ---- callbacks ----

#[test]
fn callbacks_on_the_calling_thread() {
    let mut e = engine();
    assert_eq!(e.eval::<i64>("(apply-twice (lambda (x) (* x 3)) 2)").unwrap(), 18);
    assert_eq!(e.eval::<f64>("(apply-double (lambda (a b) (/ a b)) 1 4)").unwrap(), 0.25);
    assert_eq!(e.eval::<i64>("(point-apply (lambda (p) (* (point-x p) (point-y p))) 6 7)").unwrap(), 42);
    assert_eq!(
        e.eval::<i64>("(let ((n 0)) (+ (sum-calls (lambda (i) (set! n (+ n 1)) i) 10) (* 1000 n)))").unwrap(),
        10_045
    );
    // A long-lived callback, used by several calls, then freed.
    e.eval::<()>("(define triple (foreign-callable (lambda (x) (* 3 x)) (int) int))").unwrap();
    assert!(e.eval::<bool>("(foreign-callback? triple)").unwrap());
    assert_eq!(e.eval::<Vec<i64>>("(list (apply-twice triple 1) (apply-twice triple 2))").unwrap(), [9, 18]);
    e.eval::<()>("(free-callback triple)").unwrap();
    fails(
        &mut e,
        "(apply-twice triple 1)",
        "type",
        "apply_twice: argument 1: expected a procedure, a callback or a foreign pointer, got #<foreign-callback (freed)>",
    );
}

#[test]
fn a_raise_in_a_callback_reaches_the_guard_outside_the_c_call() {
    let mut e = engine();
    // The very object raised, after the C function returned.
    assert!(e
        .eval::<bool>(
            "(define thrown (list 'my 'object))
             (eq? thrown (guard (caught (#t caught)) (apply-twice (lambda (x) (raise thrown)) 1)))"
        )
        .unwrap());
    let message: (String, Vec<i64>) = e
        .eval(
            "(guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
               (apply-twice (lambda (x) (error \"callback failed\" x)) 5))",
        )
        .unwrap();
    assert_eq!(message, ("callback failed".to_string(), vec![5]));
    // Once a callback raised, later calls of callbacks in the same C call run no Scheme.
    let calls: i64 = e
        .eval(
            "(define calls 0)
             (guard (e ((eq? e 'three) calls))
               (sum-calls (lambda (i) (set! calls (+ calls 1)) (if (= i 3) (raise 'three) i)) 10))",
        )
        .unwrap();
    assert_eq!(calls, 4);
    // Uncaught, it ends the evaluation as the raise it is.
    fails(&mut e, "(apply-twice (lambda (x) (error \"from a callback\" x)) 7)", "error", "from a callback 7");
    assert_eq!(e.eval::<i64>("(apply-twice (lambda (x) (+ x 1)) 0)").unwrap(), 2);
}

#[test]
fn a_callback_result_that_does_not_convert_is_an_error_of_the_call() {
    let mut e = engine();
    fails(
        &mut e,
        "(apply-twice (lambda (x) \"text\") 1)",
        "type",
        "apply_twice: callback result: expected an exact integer for int32, got \"text\"",
    );
    fails(
        &mut e,
        "(apply-twice (lambda (x) (expt 2 40)) 1)",
        "range",
        "apply_twice: callback result: 1099511627776 is out of range for int32 (-2147483648 to 2147483647)",
    );
    fails(&mut e, "(apply-twice (lambda (x y) x) 1)", "arity", "#<procedure>: expected 2 arguments, got 1");
    let caught: String = e
        .eval(
            "(guard (e ((error-object? e) (error-object-message e))) (apply-double (lambda (a b) 'nan) 1 2))",
        )
        .unwrap();
    assert_eq!(caught, "apply_double: callback result: expected a real number for double, got nan");
}

#[test]
fn callbacks_from_other_threads() {
    let mut e = engine();
    // A blocking call: the engine thread runs the callback while it waits.
    assert_eq!(e.eval::<i64>("(call-on-thread (lambda (x) (+ x 100)) 5)").unwrap(), 105);
    assert_eq!(
        e.eval::<Vec<i64>>("(map (lambda (n) (call-on-thread (lambda (x) (* x x)) n)) '(1 2 3))").unwrap(),
        [1, 4, 9]
    );
    assert_eq!(
        e.eval::<String>(
            "(guard (e ((symbol? e) (symbol->string e))) (call-on-thread (lambda (x) (raise 'far-away)) 1))"
        )
        .unwrap(),
        "far-away"
    );
    // A void callback from another thread is queued and runs once the C call returned.
    let log: Vec<i64> = e
        .eval(
            "(define log '())
             (notify-on-thread (lambda (x) (set! log (cons x log))) 7)
             log",
        )
        .unwrap();
    assert_eq!(log, [7]);

    // With no foreign call running, a queued callback waits for (foreign-run-callbacks).
    e.eval::<()>("(define logger (foreign-callable (lambda (x) (set! log (cons x log))) (int) void))")
        .unwrap();
    let address: usize = e.eval("(pointer-address (identity logger))").unwrap();
    // SAFETY: `address` is the code of the live callback `logger`, a C function taking an
    // int and returning nothing; it stays alive (a global holds it) while the thread runs.
    let logger = unsafe { std::mem::transmute::<usize, extern "C" fn(i32)>(address) };
    std::thread::spawn(move || logger(8)).join().expect("the calling thread");
    assert_eq!(e.eval::<Vec<i64>>("log").unwrap(), [7], "queued, not run yet");
    assert_eq!(e.eval::<Vec<i64>>("(foreign-run-callbacks) log").unwrap(), [8, 7]);
}

// ---- blocking calls and tasks ----

#[test]
fn a_blocking_call_in_synchronous_code_waits_for_the_result() {
    let mut e = engine();
    assert_eq!(e.eval::<i64>("(usleep 1000)").unwrap(), 0);
}

#[tokio::test]
async fn blocking_calls_let_other_tasks_run() {
    let mut e = engine();
    // wait_for_flag returns only once another task has called set_flag (or, after 30 s,
    // -1): while the first task waits in a blocking call, the second runs 100 scheduler
    // rounds and then sets the flag.
    let results: (i64, i64) = e
        .eval_async(
            "(define waiter (spawn (lambda () (wait-for-flag))))
             (define rounds 0)
             (define setter
               (spawn (lambda ()
                        (let loop ()
                          (when (< rounds 100) (set! rounds (+ rounds 1)) (sleep 0) (loop)))
                        (set-flag rounds)
                        rounds)))
             (list (await waiter) (await setter))",
        )
        .await
        .unwrap();
    assert_eq!(results, (100, 100));

    // A task runs while another sleeps in a blocking usleep (on its own thread).
    let log: Vec<String> = e
        .eval_async(
            "(define log '())
             (define (note! what) (set! log (cons what log)))
             (define sleeper (spawn (lambda () (note! \"sleep\") (usleep 200000) (note! \"woke\"))))
             (define worker (spawn (lambda () (note! \"work\") (sleep 0) (note! \"more work\"))))
             (await sleeper)
             (await worker)
             (reverse log)",
        )
        .await
        .unwrap();
    assert_eq!(log, ["sleep", "work", "more work", "woke"]);

    // A callback from another thread during a blocking call under eval_async: the driver
    // runs it (a callback that returns a value blocks its thread until it has run).
    assert_eq!(e.eval_async::<i64>("(call-on-thread (lambda (x) (* x 2)) 21)").await.unwrap(), 42);
    let both: Vec<i64> = e
        .eval_async(
            "(define a (spawn (lambda () (call-on-thread (lambda (x) (+ x 1)) 1))))
             (define b (spawn (lambda () (call-on-thread (lambda (x) (+ x 2)) 2))))
             (list (await a) (await b))",
        )
        .await
        .unwrap();
    assert_eq!(both, [2, 4]);
}

// ---- errors ----

#[test]
fn misuse_is_a_scheme_error_with_a_precise_message() {
    let mut e = engine();
    let lib = testlib().display().to_string();
    fails(&mut e, "(add 1 \"x\")", "type", "add: argument 2: expected an exact integer for int32, got \"x\"");
    fails(&mut e, "(add 1 2.5)", "type", "add: argument 2: expected an exact integer for int32, got 2.5");
    fails(&mut e, "(add-u8 300 1)", "range", "add_u8: argument 1: 300 is out of range for uint8 (0 to 255)");
    fails(
        &mut e,
        "(add-unsigned -1 0)",
        "range",
        "add: argument 1: -1 is out of range for uint32 (0 to 4294967295)",
    );
    fails(
        &mut e,
        "(add (expt 2 100) 0)",
        "range",
        "add: argument 1: 1267650600228229401496703205376 is out of range for int32 (-2147483648 to 2147483647)",
    );
    fails(&mut e, "(scale 'x 1.0)", "type", "scale: argument 1: expected a real number for double, got x");
    fails(
        &mut e,
        "((foreign-procedure #f \"strlen\" (string) size_t) \"a\\x0;b\")",
        "range",
        "strlen: argument 1: string contains a NUL character, which C would take for its end",
    );
    fails(
        &mut e,
        "(foreign-procedure lib \"no_such_function\" () int)",
        "ffi",
        &format!("foreign-procedure: cannot find symbol no_such_function in {lib}: {lib}: undefined symbol: no_such_function"),
    );
    fails(
        &mut e,
        "(load-shared-object \"libseam-no-such-library.so.9\")",
        "ffi",
        "load-shared-object: cannot load shared object libseam-no-such-library.so.9: \
         libseam-no-such-library.so.9: cannot open shared object file: No such file or directory",
    );
    fails(&mut e, "(add 1)", "arity", "add: expected 2 arguments, got 1");
    fails(&mut e, "(add 1 2 3)", "arity", "add: expected 2 arguments, got 3");
    fails(&mut e, "(foreign-procedure lib \"add\" (int integer) int)", "ffi", "add: unknown C type integer");
    fails(
        &mut e,
        "(foreign-sizeof 'no-such-type)",
        "ffi",
        "foreign-sizeof: argument 1: unknown C type no-such-type",
    );
    fails(
        &mut e,
        "(foreign-procedure lib \"add\" (int (* int int)) int)",
        "ffi",
        "add: malformed C type (* int int): expected a type name, (* T), (& struct), (array T n), \
         (callback (T ...) T), (struct (field T) ...) or (union (field T) ...)",
    );
    fails(&mut e, "(foreign-procedure lib \"add\" (int 5) int)", "ffi", "add: malformed C type 5");
    fails(
        &mut e,
        "(foreign-procedure lib \"add\" (int ... int) int)",
        "ffi",
        "add: ... must be the last argument type",
    );
    fails(
        &mut e,
        "(foreign-procedure lib \"add\" (int void) int)",
        "ffi",
        "add: void is not an argument type",
    );
    fails(
        &mut e,
        "(foreign-procedure lib \"add\" (int int) int fast)",
        "syntax",
        "no rule of macro `foreign-procedure` matches (foreign-procedure lib \"add\" (int int) int fast)",
    );
}

#[test]
fn foreign_memory_is_checked() {
    let mut e = engine();
    fails(&mut e, "(foreign-ref 'int null-pointer 0)", "ffi", "foreign-ref: null pointer dereference");
    fails(&mut e, "(point-x (identity #f))", "ffi", "point-x: null pointer dereference");
    e.eval::<()>("(define block (foreign-alloc 8))").unwrap();
    fails(
        &mut e,
        "(foreign-ref 'int block 8)",
        "ffi",
        "foreign-ref: access of 4 bytes at offset 8 is outside a 8-byte block of foreign memory",
    );
    fails(
        &mut e,
        "(foreign-ref 'int64 block 4)",
        "ffi",
        "foreign-ref: access of 8 bytes at offset 4 is outside a 8-byte block of foreign memory",
    );
    fails(
        &mut e,
        "(foreign-ref 'int (pointer+ block -4) 0)",
        "ffi",
        "foreign-ref: access of 4 bytes at offset -4 is outside a 8-byte block of foreign memory",
    );
    fails(
        &mut e,
        "(foreign-set! 'int block 6 1)",
        "ffi",
        "foreign-set!: access of 4 bytes at offset 6 is outside a 8-byte block of foreign memory",
    );
    fails(
        &mut e,
        "(foreign-ref 'int (make-bytevector 3 0) 0)",
        "ffi",
        "foreign-ref: access of 4 bytes at offset 0 is outside a 3-byte block of foreign memory",
    );
    fails(
        &mut e,
        "(foreign-set! 'uint8 block 0 256)",
        "range",
        "foreign-set!: argument 4: 256 is out of range for uint8 (0 to 255)",
    );
    let address: usize = e.eval("(pointer-address block)").unwrap();
    e.eval::<()>("(foreign-set! 'int block 0 7) (foreign-free block)").unwrap();
    fails(
        &mut e,
        "(foreign-ref 'int block 0)",
        "ffi",
        &format!("foreign-ref: use of foreign memory at {address:#x} after it was freed"),
    );
    fails(
        &mut e,
        "(foreign-free block)",
        "ffi",
        &format!("foreign-free: the memory at {address:#x} was already freed"),
    );
    let symbol: usize = e.eval("(pointer-address (foreign-symbol lib \"add\"))").unwrap();
    fails(
        &mut e,
        "(foreign-free (foreign-symbol lib \"add\"))",
        "ffi",
        &format!(
            "foreign-free: {symbol:#x} is not the start of memory from foreign-alloc (or with a finalizer)"
        ),
    );
    fails(
        &mut e,
        "(foreign-set! 'string (foreign-alloc 8) 0 \"text\")",
        "ffi",
        "foreign-set!: cannot store a Scheme string in foreign memory (it would be freed): use (string->pointer s)",
    );
}

// ---- memory ----

/// Bytes the C allocator has handed out and not had back (glibc's `mallinfo2`, all arenas).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn malloc_in_use() -> usize {
    #[repr(C)]
    struct Mallinfo2 {
        arena: usize,
        ordblks: usize,
        smblks: usize,
        hblks: usize,
        hblkhd: usize,
        usmblks: usize,
        fsmblks: usize,
        uordblks: usize,
        fordblks: usize,
        keepcost: usize,
    }
    extern "C" {
        fn mallinfo2() -> Mallinfo2;
    }
    // SAFETY: mallinfo2 takes nothing and returns a struct of ten size_t, as declared.
    let info = unsafe { mallinfo2() };
    info.uordblks + info.hblkhd
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn garbage_foreign_memory_is_freed_as_it_goes() {
    let mut e = engine();
    e.define_fn("malloc-in-use", malloc_in_use);
    let heap_before = e.collect_garbage();
    // 100,000 blocks of 4 KiB (400 MB in all), none freed by the program: the collector
    // frees them as their pointers become garbage, so the C heap never holds more than a
    // few collections' worth.
    let growth: i64 = e
        .eval(
            "(define start (malloc-in-use))
             (define most 0)
             (do ((i 0 (+ i 1))) ((= i 100000))
               (foreign-alloc 4096)
               (when (= 0 (remainder i 1000))
                 (set! most (max most (- (malloc-in-use) start)))))
             most",
        )
        .unwrap();
    assert!(growth < 64 << 20, "foreign memory in use grew by {growth} bytes");
    let heap_after = e.collect_garbage();
    assert!(
        heap_after < heap_before + (1 << 20),
        "the Scheme heap grew from {heap_before} to {heap_after} bytes"
    );
}

#[test]
fn finalizers_run_when_pointers_become_garbage() {
    let mut e = engine();
    e.eval::<()>(
        "(do ((i 0 (+ i 1))) ((= i 1000))
           (set-foreign-finalizer! (buffer-new 64) buffer-release))",
    )
    .unwrap();
    e.collect_garbage();
    assert_eq!(e.eval::<i64>("(buffers-live)").unwrap(), 0);
    // A finalized pointer still reachable keeps its buffer.
    e.eval::<()>("(define kept (buffer-new 64)) (set-foreign-finalizer! kept buffer-release)").unwrap();
    e.collect_garbage();
    assert_eq!(e.eval::<i64>("(buffers-live)").unwrap(), 1);
    e.eval::<()>("(set! kept #f)").unwrap();
    e.collect_garbage();
    assert_eq!(e.eval::<i64>("(buffers-live)").unwrap(), 0);
}

#[test]
fn callbacks_and_structs_survive_collection_at_every_check_point() {
    let mut e = engine();
    e.set_gc_stress(true);
    let result: (i64, i64, i64) = e
        .eval(
            "(let* ((p (c-make-point 3 4))
                    (n (apply-twice (lambda (x) (let ((l (list x x))) (+ (car l) (cadr l)))) 5))
                    (q (point-add p (make-point n n))))
               (list n (point-x q) (point-y q)))",
        )
        .unwrap();
    e.set_gc_stress(false);
    assert_eq!(result, (20, 23, 24));
}
