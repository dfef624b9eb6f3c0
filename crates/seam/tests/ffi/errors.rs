//! Misuse of the FFI is a Scheme error with an exact message, and the engine stays usable:
//! bad arguments, missing symbols and libraries, bad types, and checked foreign memory.

use crate::{engine, fails, testlib};

#[test]
fn misuse_is_a_scheme_error_with_a_precise_message() {
    let mut e = engine();
    let lib = testlib().display().to_string();
    fails(&mut e, "(add 1 \"x\")", "type", "add: argument 2: expected an exact integer for int, got \"x\"");
    fails(&mut e, "(add 1 2.5)", "type", "add: argument 2: expected an exact integer for int, got 2.5");
    fails(&mut e, "(add-u8 300 1)", "range", "add_u8: argument 1: 300 is out of range for uint8 (0 to 255)");
    fails(
        &mut e,
        "(add-unsigned -1 0)",
        "range",
        "add: argument 1: -1 is out of range for unsigned (0 to 4294967295)",
    );
    fails(
        &mut e,
        "(add (expt 2 100) 0)",
        "range",
        "add: argument 1: 1267650600228229401496703205376 is out of range for int (-2147483648 to 2147483647)",
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
        "(foreign-ref 'point (make-bytevector 8 0) 0)",
        "ffi",
        "foreign-ref: cannot make a pointer into a bytevector (for point): use memory from foreign-alloc",
    );
    fails(
        &mut e,
        "(vec3-v (make-bytevector 24 0))",
        "ffi",
        "vec3-v: cannot make a pointer into a bytevector (for (array double 3)): use memory from foreign-alloc",
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

#[test]
fn an_engine_has_no_ffi_until_the_host_enables_it() {
    let mut plain = seam::Engine::new();
    let err = plain.eval::<()>("(import (seam ffi))").unwrap_err().to_string();
    assert!(err.contains("unknown library (seam ffi)"), "{err}");
    let err = plain.eval::<()>("(import (seam ffi primitives))").unwrap_err().to_string();
    assert!(err.contains("unknown library (seam ffi primitives)"), "{err}");
    // SAFETY: nothing below calls C.
    unsafe { plain.enable_ffi() };
    unsafe { plain.enable_ffi() }; // a second time changes nothing
    assert!(plain.eval::<bool>("(import (seam ffi)) (pointer? null-pointer)").unwrap());
}
