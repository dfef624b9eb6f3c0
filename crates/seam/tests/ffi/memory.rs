//! Foreign memory and the collector: garbage blocks are freed as a program goes,
//! finalizers run when their pointers become garbage, and callbacks and structs survive
//! collection at every check point.

use crate::engine;

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
