//! Values across the border: integers at their C widths, floating point, strings and
//! pointers, structs and unions by value and through pointers, arrays, errno.

use crate::engine;

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
