//! `(seam ffi)` calls into the C library the process already has (`#f` as the library):
//! argument and result conversions, range and type errors, `errno`, strings and
//! bytevectors, doubles, and a callback — each through the direct path and, declared with
//! the `libffi` option, through libffi, which must agree.

use seam::Engine;

/// An engine with `(seam ffi)` imported and each C function declared twice: `name` (direct
/// path where the signature allows) and `name/ffi` (always libffi).
fn engine() -> Engine {
    let mut engine = Engine::new();
    // SAFETY: the tests' own C code and the C library, called with their real signatures.
    unsafe { engine.enable_ffi() };
    let mut source = String::from("(import (seam ffi))\n");
    let declarations: &[(&str, &str, &str, &str)] = &[
        ("abs", "abs", "(int)", "int"),
        ("labs", "labs", "(long)", "long"),
        ("toupper", "toupper", "(int)", "int"),
        ("abs-short", "abs", "(int)", "short"),
        ("abs-u8", "abs", "(int)", "unsigned-8"),
        ("abs-unsigned", "abs", "(unsigned)", "unsigned"),
        ("abs-i8", "abs", "(int8)", "int8"),
        ("labs-size", "labs", "(long)", "size_t"),
        ("strlen", "strlen", "(string)", "size_t"),
        ("strlen-bv", "strlen", "(bytevector)", "size_t"),
        ("strlen-ptr", "strlen", "(void*)", "size_t"),
        ("strcmp", "strcmp", "(string string)", "int"),
        ("strtoul", "strtoul", "(string void* int)", "unsigned-long"),
        ("getenv", "getenv", "(string)", "string"),
        ("sqrt", "sqrt", "(double)", "double"),
        ("pow", "pow", "(double double)", "double"),
        ("fabsf", "fabsf", "(float)", "float"),
    ];
    for (name, c_name, args, ret) in declarations {
        source.push_str(&format!("(define {name} (foreign-procedure #f \"{c_name}\" {args} {ret}))\n"));
        source.push_str(&format!(
            "(define {name}/ffi (foreign-procedure #f \"{c_name}\" {args} {ret} libffi))\n"
        ));
    }
    source.push_str("(define (kind thunk) (guard (e (#t (error-object-kind e))) (thunk)))\n");
    engine.eval_to_string(&source).expect("declarations load");
    engine
}

/// Evaluates `expr` with each function name `f` in it as `f` and as `f/ffi`: both must
/// print `want`.
fn check(engine: &mut Engine, expr: &str, names: &[&str], want: &str) {
    let direct = engine.eval_to_string(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
    assert_eq!(direct, want, "{expr} (direct path)");
    let mut through_libffi = expr.to_string();
    for name in names {
        through_libffi = through_libffi.replace(&format!("({name} "), &format!("({name}/ffi "));
    }
    let got = engine.eval_to_string(&through_libffi).unwrap_or_else(|e| panic!("{through_libffi}: {e}"));
    assert_eq!(got, want, "{through_libffi} (libffi)");
}

#[test]
fn integers_cross_sign_and_width_extended() {
    let mut e = engine();
    check(&mut e, "(abs -5)", &["abs"], "5");
    check(&mut e, "(abs 2147483647)", &["abs"], "2147483647");
    check(&mut e, "(abs -2147483647)", &["abs"], "2147483647");
    check(&mut e, "(labs -4611686018427387904)", &["labs"], "4611686018427387904");
    check(&mut e, "(labs -9223372036854775807)", &["labs"], "9223372036854775807");
    // Results narrowed to the declared type.
    check(&mut e, "(abs-short 70000)", &["abs-short"], "4464");
    check(&mut e, "(abs-short -40000)", &["abs-short"], "-25536");
    check(&mut e, "(abs-u8 300)", &["abs-u8"], "44");
    check(&mut e, "(abs-i8 -128)", &["abs-i8"], "-128");
    check(&mut e, "(abs-unsigned 4294967295)", &["abs-unsigned"], "1");
    // A size_t beyond the fixnum range.
    check(&mut e, "(labs-size -9223372036854775807)", &["labs-size"], "9223372036854775807");
    check(&mut e, "(strtoul \"18446744073709551615\" #f 10)", &["strtoul"], "18446744073709551615");
    // Characters pass as their code points.
    check(&mut e, "(toupper #\\a)", &["toupper"], "65");
    // Bignums that fit pass too.
    check(&mut e, "(labs (- (expt 2 62) (expt 2 63)))", &["labs"], "4611686018427387904");
}

#[test]
fn arguments_out_of_range_or_of_the_wrong_type_are_errors() {
    let mut e = engine();
    for name in ["abs", "abs/ffi"] {
        check(&mut e, &format!("(kind (lambda () ({name} 2147483648)))"), &[], "range");
        check(&mut e, &format!("(kind (lambda () ({name} -2147483649)))"), &[], "range");
        check(&mut e, &format!("(kind (lambda () ({name} \"5\")))"), &[], "type");
        check(&mut e, &format!("(kind (lambda () ({name} 1.5)))"), &[], "type");
        check(&mut e, &format!("(kind (lambda () ({name} (expt 10 30))))"), &[], "range");
    }
    for name in ["abs-unsigned", "abs-unsigned/ffi"] {
        check(&mut e, &format!("(kind (lambda () ({name} -1)))"), &[], "range");
        check(&mut e, &format!("(kind (lambda () ({name} 4294967296)))"), &[], "range");
    }
    for name in ["abs-i8", "abs-i8/ffi"] {
        check(&mut e, &format!("(kind (lambda () ({name} 128)))"), &[], "range");
    }
    for name in ["strlen", "strlen/ffi"] {
        check(&mut e, &format!("(kind (lambda () ({name} 5)))"), &[], "type");
        check(&mut e, &format!("(kind (lambda () ({name} (string #\\a #\\null))))"), &[], "range");
    }
    for name in ["strlen-bv", "strlen-bv/ffi"] {
        check(&mut e, &format!("(kind (lambda () ({name} \"abc\")))"), &[], "type");
    }
    for name in ["sqrt", "sqrt/ffi"] {
        check(&mut e, &format!("(kind (lambda () ({name} \"2\")))"), &[], "type");
    }
    // The engine is still usable after the errors.
    check(&mut e, "(abs -3)", &["abs"], "3");
}

#[test]
fn strings_bytevectors_and_pointers() {
    let mut e = engine();
    check(&mut e, "(strlen \"hello world\")", &["strlen"], "11");
    check(&mut e, "(strlen \"\")", &["strlen"], "0");
    check(&mut e, "(strlen \"h\u{e9}llo \u{1F600}\")", &["strlen"], "11");
    check(&mut e, "(strlen-bv (bytevector 104 105 0 106))", &["strlen-bv"], "2");
    check(&mut e, "(strlen-ptr (bytevector 104 105 106 0))", &["strlen-ptr"], "3");
    check(&mut e, "(< (strcmp \"abc\" \"abd\") 0)", &["strcmp"], "#t");
    check(&mut e, "(strcmp \"same\" \"same\")", &["strcmp"], "0");
    check(&mut e, "(getenv \"SEAM_FFI_TEST_SURELY_UNSET\")", &["getenv"], "#f");
    std::env::set_var("SEAM_FFI_TEST_VALUE", "v\u{e9}rit\u{e9}");
    check(&mut e, "(getenv \"SEAM_FFI_TEST_VALUE\")", &["getenv"], "\"v\u{e9}rit\u{e9}\"");
}

#[test]
fn doubles_and_floats() {
    let mut e = engine();
    check(&mut e, "(sqrt 2.25)", &["sqrt"], "1.5");
    check(&mut e, "(sqrt 16)", &["sqrt"], "4.0");
    check(&mut e, "(sqrt 1/4)", &["sqrt"], "0.5");
    check(&mut e, "(pow 2.0 10)", &["pow"], "1024.0");
    check(&mut e, "(pow 2 0.5)", &["pow"], "1.4142135623730951");
    check(&mut e, "(fabsf -2.5)", &["fabsf"], "2.5");
}

#[test]
fn errno_is_recorded_after_each_call() {
    let mut e = engine();
    for name in ["strtoul", "strtoul/ffi"] {
        check(&mut e, &format!("({name} \"99999999999999999999999\" #f 10)"), &[], "18446744073709551615");
        check(&mut e, "(foreign-errno)", &[], "34");
    }
}

#[test]
fn callbacks_run_during_a_direct_call() {
    let mut e = engine();
    let program = "
      (define qsort (foreign-procedure #f \"qsort\" (void* size_t size_t (callback (void* void*) int)) void))
      (define qsort/ffi
        (foreign-procedure #f \"qsort\" (void* size_t size_t (callback (void* void*) int)) void libffi))
      (define (compare a b) (- (foreign-ref 'int a 0) (foreign-ref 'int b 0)))
      (define (sorted sort)
        (let ((block (foreign-alloc 16)))
          (for-each (lambda (i v) (foreign-set! 'int block (* 4 i) v)) '(0 1 2 3) '(3 -1 2 0))
          (sort block 4 4 compare)
          (let ((out (map (lambda (i) (foreign-ref 'int block (* 4 i))) '(0 1 2 3))))
            (foreign-free block)
            out)))
      (define (failing sort)
        (let ((block (foreign-alloc 8)))
          (guard (e (#t (foreign-free block) (error-object-message e)))
            (sort block 2 4 (lambda (a b) (error \"no comparing today\"))))))";
    e.eval_to_string(program).expect("program loads");
    check(&mut e, "(sorted qsort)", &[], "(-1 0 2 3)");
    check(&mut e, "(sorted qsort/ffi)", &[], "(-1 0 2 3)");
    check(&mut e, "(failing qsort)", &[], "\"no comparing today\"");
    check(&mut e, "(failing qsort/ffi)", &[], "\"no comparing today\"");
    // A continuation escaping from a callback leaves through the foreign call once C
    // returns, in tail position or not.
    let escape = |sort: &str, tail: bool| {
        let call = format!("({sort} block 2 4 (lambda (a b) (k 'escaped)))");
        let call = if tail { call } else { format!("(list {call})") };
        format!(
            "(let* ((block (foreign-alloc 8))
                    (result (call/cc (lambda (k) {call}))))
               (foreign-free block)
               result)"
        )
    };
    for sort in ["qsort", "qsort/ffi"] {
        check(&mut e, &escape(sort, true), &[], "escaped");
        check(&mut e, &escape(sort, false), &[], "escaped");
    }
    check(&mut e, "(sorted qsort)", &[], "(-1 0 2 3)");
}

#[test]
fn many_calls_in_a_loop() {
    let mut e = engine();
    let program = "
      (let loop ((i 0) (acc 0))
        (if (= i 100000) acc (loop (+ i 1) (+ acc (abs (- i)) (strlen \"ab\")))))";
    let want = (0..100_000i64).map(|i| i + 2).sum::<i64>().to_string();
    check(&mut e, program, &["abs", "strlen"], &want);
}
