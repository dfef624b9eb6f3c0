//! The C FFI, `(seam ffi)`: runs the example scripts in `examples/ffi/`, and calls
//! `tests/ffi/testlib.c` (compiled once per test process with the system C compiler). The
//! tests are grouped by concern: `calls` (values, structs, unions and arrays across the
//! border, errno), `callbacks` (on the calling thread, from other threads, blocking calls
//! and tasks), `errors` (the exact messages of misuse, checked memory access included) and
//! `memory` (garbage foreign memory freed by the collector, finalizers).

mod callbacks;
mod calls;
mod errors;
mod libc;
mod memory;

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
    // SAFETY: the tests' own C code and the C library, called with their real signatures.
    unsafe { engine.enable_ffi() };
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
pub fn testlib() -> &'static Path {
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
pub fn engine() -> Engine {
    let mut engine = Engine::new();
    // SAFETY: the tests' own C code and the C library, called with their real signatures.
    unsafe { engine.enable_ffi() };
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
pub fn fails(e: &mut Engine, source: &str, kind: &str, message: &str) {
    match e.eval::<()>(source) {
        Ok(()) => panic!("{source} succeeded; expected the {kind} error {message:?}"),
        Err(err) => {
            assert_eq!((err.kind(), err.message().as_str()), (kind, message), "{source}");
        }
    }
    assert_eq!(e.eval::<i64>("(add 40 2)").unwrap(), 42, "the engine is usable after {source}");
}
