//! The Rust embedding API end to end: host functions of every arity with optional and rest
//! parameters, re-entrancy, errors and panics crossing the boundary, handles and the GC,
//! host state, and `Engine: Send`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use seam::{Ctx, Engine, Error, Function, Procedure, Rest, Value};

fn engine() -> Engine {
    Engine::new()
}

#[test]
fn engine_is_send() {
    fn assert_send<T: Send + 'static>() {}
    assert_send::<Engine>();
    assert_send::<Value>();
    assert_send::<Function<(i64,), i64>>();
    assert_send::<Error>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
    // And it really moves: run it on another thread.
    let mut e = engine();
    e.eval::<()>("(define x 41)").unwrap();
    let handle = std::thread::spawn(move || e.eval::<i64>("(+ x 1)").unwrap());
    assert_eq!(handle.join().unwrap(), 42);
}

#[test]
fn host_functions_of_every_arity() {
    let mut e = engine();
    e.define_fn("zero", || 0i64);
    e.define_fn("one", |a: i64| a);
    e.define_fn("two", |a: i64, b: i64| a + b);
    e.define_fn("eight", |a: i64, b: i64, c: i64, d: i64, e: i64, f: i64, g: i64, h: i64| {
        a + b + c + d + e + f + g + h
    });
    #[allow(clippy::too_many_arguments)]
    fn sixteen(
        a: i64,
        b: i64,
        c: i64,
        d: i64,
        e: i64,
        f: i64,
        g: i64,
        h: i64,
        i: i64,
        j: i64,
        k: i64,
        l: i64,
        m: i64,
        n: i64,
        o: i64,
        p: i64,
    ) -> i64 {
        a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p
    }
    e.define_fn("sixteen", sixteen);
    assert_eq!(e.eval::<i64>("(zero)").unwrap(), 0);
    assert_eq!(e.eval::<i64>("(one 7)").unwrap(), 7);
    assert_eq!(e.eval::<i64>("(two 7 8)").unwrap(), 15);
    assert_eq!(e.eval::<i64>("(eight 1 2 3 4 5 6 7 8)").unwrap(), 36);
    assert_eq!(e.eval::<i64>("(sixteen 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)").unwrap(), 136);
    assert_eq!(e.eval::<i64>("(apply sixteen (list 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1))").unwrap(), 16);
    // Host functions are procedures: map, apply, procedure? all work.
    assert_eq!(e.eval::<Vec<i64>>("(map two '(1 2) '(10 20))").unwrap(), [11, 22]);
    assert!(e.eval::<bool>("(procedure? two)").unwrap());
    assert_eq!(e.eval_to_string("two").unwrap(), "#<procedure two>");
}

#[test]
fn wrong_argument_counts_name_the_function_and_its_arity() {
    let mut e = engine();
    e.define_fn("two", |a: i64, b: i64| a + b);
    e.define_fn("greet", |name: String, greeting: Option<String>| {
        format!("{}, {name}", greeting.unwrap_or_else(|| "hi".into()))
    });
    e.define_fn("sum", |first: i64, rest: Rest<i64>| first + rest.iter().sum::<i64>());
    let err = e.eval::<i64>("(two 1)").unwrap_err();
    assert_eq!(err.kind(), "arity");
    assert_eq!(err.message(), "two: expected 2 arguments, got 1");
    assert_eq!(e.eval::<i64>("(two 1 2 3)").unwrap_err().message(), "two: expected 2 arguments, got 3");
    assert_eq!(e.eval::<String>("(greet)").unwrap_err().message(), "greet: expected 1 to 2 arguments, got 0");
    assert_eq!(
        e.eval::<String>("(greet 1 2 3)").unwrap_err().message(),
        "greet: expected 1 to 2 arguments, got 3"
    );
    assert_eq!(e.eval::<i64>("(sum)").unwrap_err().message(), "sum: expected at least 1 argument, got 0");
    // The engine is still fine afterwards.
    assert_eq!(e.eval::<i64>("(two 1 2)").unwrap(), 3);
}

#[test]
fn optional_and_rest_parameters() {
    let mut e = engine();
    e.define_fn("greet", |name: String, greeting: Option<String>| {
        format!("{}, {name}!", greeting.unwrap_or_else(|| "Hello".into()))
    });
    e.define_fn("opt2", |a: i64, b: Option<i64>, c: Option<i64>| a + b.unwrap_or(10) + c.unwrap_or(100));
    e.define_fn("sum", |first: i64, rest: Rest<i64>| first + rest.iter().sum::<i64>());
    e.define_fn("count-rest", |rest: Rest<seam::Value>| rest.len());
    assert_eq!(e.eval::<String>("(greet \"Ada\")").unwrap(), "Hello, Ada!");
    assert_eq!(e.eval::<String>("(greet \"Ada\" \"Hi\")").unwrap(), "Hi, Ada!");
    // #f passed explicitly is None too.
    assert_eq!(e.eval::<String>("(greet \"Ada\" #f)").unwrap(), "Hello, Ada!");
    assert_eq!(e.eval::<i64>("(opt2 1)").unwrap(), 111);
    assert_eq!(e.eval::<i64>("(opt2 1 2)").unwrap(), 103);
    assert_eq!(e.eval::<i64>("(opt2 1 2 3)").unwrap(), 6);
    assert_eq!(e.eval::<i64>("(sum 1)").unwrap(), 1);
    assert_eq!(e.eval::<i64>("(sum 1 2 3 4)").unwrap(), 10);
    assert_eq!(e.eval::<usize>("(count-rest)").unwrap(), 0);
    assert_eq!(e.eval::<usize>("(count-rest 'a \"b\" 3)").unwrap(), 3);
    let err = e.eval::<i64>("(sum 1 2 \"three\")").unwrap_err();
    assert_eq!(err.kind(), "invalid-type");
    assert!(err.message().ends_with("argument 3: expected i64, got string \"three\""), "{}", err.message());
}

#[test]
fn conversion_failures_say_which_argument_and_what_was_expected() {
    let mut e = engine();
    e.define_fn("my-ff", |a: u32, b: u32| a + b);
    e.define_fn("small", |a: u8| a);
    let err = e.eval::<u32>("(my-ff 1 \"x\")").unwrap_err();
    assert_eq!(err.kind(), "invalid-type");
    assert_eq!(
        err.message(),
        "error in my-ff (arity 2) called with (1 \"x\"): argument 2: expected u32, got string \"x\""
    );
    let err = e.eval::<u8>("(small 300)").unwrap_err();
    assert_eq!(err.kind(), "out-of-range");
    assert_eq!(
        err.message(),
        "error in small (arity 1) called with (300): argument 1: 300 is out of range for u8"
    );
    assert_eq!(e.eval::<u8>("(small -1)").unwrap_err().kind(), "out-of-range");
    assert_eq!(e.eval::<u8>("(small 1.5)").unwrap_err().kind(), "invalid-type");
    // Scheme code can catch them, with the kind, message and irritants.
    let caught: (String, String, Vec<i64>) = e
        .eval(
            "(guard (e ((error-object? e)
                        (list (symbol->string (error-object-kind e))
                              (error-object-message e)
                              (error-object-irritants e))))
               (small 300))",
        )
        .unwrap();
    assert_eq!(caught.0, "out-of-range");
    assert!(caught.1.contains("300 is out of range for u8"));
    assert_eq!(caught.2, [300]);
    // The ConversionError is the source of the engine error.
    let err = e.eval::<u8>("(small 'x)").unwrap_err();
    let source = std::error::Error::source(&err).and_then(|s| s.source()).expect("a source");
    assert_eq!(source.to_string(), "expected u8, got symbol x");
}

#[derive(Debug)]
struct ParseFailure(String);

impl std::fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot parse {:?}", self.0)
    }
}

impl std::error::Error for ParseFailure {}

#[test]
fn result_errors_become_catchable_scheme_errors_with_their_source() {
    let mut e = engine();
    e.define_fn("parse", |s: String| -> Result<i64, std::num::ParseIntError> { s.parse() });
    e.define_fn("strict", |s: String| -> Result<i64, ParseFailure> { Err(ParseFailure(s)) });
    e.define_fn("tagged", |_x: i64| -> Result<i64, Error> {
        Err(Error::tagged("invalid-type", "expected Counter"))
    });
    assert_eq!(e.eval::<i64>("(parse \"42\")").unwrap(), 42);
    let err = e.eval::<i64>("(parse \"x\")").unwrap_err();
    assert_eq!(err.kind(), "host");
    assert_eq!(err.message(), "error in parse (arity 1) called with (\"x\"): invalid digit found in string");
    let source = std::error::Error::source(&err).and_then(|s| s.source()).expect("source");
    assert!(source.downcast_ref::<std::num::ParseIntError>().is_some());
    let caught: String =
        e.eval("(guard (e ((error-object? e) (error-object-message e))) (strict \"abc\"))").unwrap();
    assert!(caught.ends_with("cannot parse \"abc\""));
    let err = e.eval::<i64>("(tagged 1)").unwrap_err();
    assert_eq!(err.kind(), "invalid-type");
    assert!(err.message().ends_with("expected Counter"));
    let kind: String = e.eval("(guard (e (#t (symbol->string (error-object-kind e)))) (tagged 1))").unwrap();
    assert_eq!(kind, "invalid-type");
}

#[test]
fn errors_carry_the_scheme_backtrace_and_display_forms() {
    let mut e = engine();
    e.define_fn("parse", |s: String| -> Result<i64, std::num::ParseIntError> { s.parse() });
    let err = e
        .eval_file_named::<i64>(
            "(define (outer s) (+ 1 (inner s)))\n(define (inner s) (+ 1 (parse s)))\n(outer \"q\")",
            "app.scm",
        )
        .unwrap_err();
    let one_line = err.to_string();
    assert!(!one_line.contains('\n'), "{one_line}");
    assert!(one_line.starts_with("app.scm:2:"), "{one_line}");
    let full = format!("{err:#}");
    assert!(full.contains("backtrace:"), "{full}");
    assert!(full.contains("inner at app.scm:2:"), "{full}");
    assert!(full.contains("outer at app.scm:1:"), "{full}");
    assert!(full.contains("caused by: invalid digit found in string"), "{full}");
}

#[test]
fn panics_in_host_functions_become_scheme_errors() {
    let mut e = engine();
    e.define_fn("boom", |x: i64| -> i64 {
        if x > 0 {
            panic!("exploded with {x}");
        }
        x
    });
    let err = e.eval::<i64>("(boom 3)").unwrap_err();
    assert_eq!(err.kind(), "host");
    assert_eq!(err.message(), "host function boom panicked: exploded with 3");
    let caught: String = e.eval("(guard (e ((error-object? e) (error-object-message e))) (boom 1))").unwrap();
    assert_eq!(caught, "host function boom panicked: exploded with 1");
    assert_eq!(e.eval::<i64>("(boom 0)").unwrap(), 0);
    // Not in tail position (the interpreter's fast path for host calls).
    let caught: String =
        e.eval("(guard (e ((error-object? e) (error-object-message e))) (list (boom 2) 'after))").unwrap();
    assert_eq!(caught, "host function boom panicked: exploded with 2");
    assert_eq!(e.eval::<i64>("(+ 1 (boom 0))").unwrap(), 1);
    // A panic inside a nested call back into Scheme leaves the engine usable too.
    e.define_fn("call-then-panic", |ctx: &mut Ctx, f: Function<(), i64>| -> i64 {
        let _ = f.call(ctx, ());
        panic!("after the callback")
    });
    let err = e.eval::<i64>("(call-then-panic (lambda () (boom 5)))").unwrap_err();
    assert!(err.message().contains("after the callback"));
    assert_eq!(e.eval::<i64>("(+ 1 2)").unwrap(), 3);
}

#[test]
fn re_entrant_calls_scheme_rust_scheme_rust() {
    let mut e = engine();
    e.define_fn("apply-twice", |ctx: &mut Ctx, f: Function<(i64,), i64>, x: i64| -> Result<i64, Error> {
        let y = f.call(ctx, (x,))?;
        f.call(ctx, (y,))
    });
    e.define_fn("add1", |x: i64| x + 1);
    assert_eq!(e.eval::<i64>("(apply-twice add1 5)").unwrap(), 7);
    assert_eq!(e.eval::<i64>("(apply-twice (lambda (n) (apply-twice add1 n)) 0)").unwrap(), 4);
    // Deep nesting: Scheme -> Rust -> Scheme ... 200 levels.
    e.eval::<()>("(define (nest n) (if (= n 0) 0 (+ 1 (apply-twice (lambda (m) m) (nest (- n 1))))))")
        .unwrap();
    assert_eq!(e.eval::<i64>("(nest 200)").unwrap(), 200);
    // Errors raised in the inner Scheme code keep their kind and can be caught outside.
    let err = e.eval::<i64>("(apply-twice (lambda (n) (car n)) 1)").unwrap_err();
    assert_eq!(err.kind(), "type");
    let caught: String = e
        .eval("(guard (e ((error-object? e) \"caught\")) (apply-twice (lambda (n) (error \"inner\" n)) 1))")
        .unwrap();
    assert_eq!(caught, "caught");
    // Errors inside can be caught inside, too.
    assert_eq!(e.eval::<i64>("(apply-twice (lambda (n) (guard (e (#t 100)) (car n))) 1)").unwrap(), 100);
}

#[test]
fn functions_looked_up_once_and_called_many_times() {
    let mut e = engine();
    e.eval::<()>(
        "(define (mult a b) (* a b)) (define (pair a b) (list a b)) (define (no-result) (if #f #f))",
    )
    .unwrap();
    let mult: Function<(i64, i64), i64> = e.function("mult").unwrap();
    for i in 0..1000 {
        assert_eq!(mult.call(&mut e, (i, 2)).unwrap(), i * 2);
        if i % 100 == 0 {
            e.collect_garbage();
        }
    }
    let pair: Function<(String, f64), (String, f64)> = e.function("pair").unwrap();
    assert_eq!(pair.call(&mut e, ("a".into(), 1.5)).unwrap(), ("a".to_string(), 1.5));
    let unit: Function<(), ()> = e.function("no-result").unwrap();
    unit.call(&mut e, ()).unwrap();
    // Wrong types and arities are errors, not panics.
    let wrong: Function<(i64,), i64> = e.function("mult").unwrap();
    assert_eq!(wrong.call(&mut e, (1,)).unwrap_err().kind(), "arity");
    let wrong_result: Function<(i64, i64), String> = e.function("mult").unwrap();
    let err = wrong_result.call(&mut e, (2, 3)).unwrap_err();
    assert_eq!(err.to_string(), "result: expected string, got integer 6");
    assert_eq!(e.function::<(), ()>("no-such").unwrap_err().kind(), "unbound");
    e.eval::<()>("(define not-proc 5)").unwrap();
    assert_eq!(e.function::<(), ()>("not-proc").unwrap_err().kind(), "invalid-type");
    // An untyped Procedure works too, and a Function can be passed back to Scheme.
    let any: Procedure = e.get("pair").unwrap();
    let v: Vec<i64> = any.call(&mut e, (1, 2)).unwrap();
    assert_eq!(v, [1, 2]);
    e.set("stored-mult", mult.clone()).unwrap();
    assert_eq!(e.eval::<i64>("(stored-mult 6 7)").unwrap(), 42);
}

#[test]
fn handles_keep_values_alive_and_release_them_when_dropped() {
    let mut e = engine();
    let v: Value = e.eval("(list (make-string 3 #\\a) (vector 1 2))").unwrap();
    e.eval::<()>("(define junk (make-vector 100000 0)) (set! junk #f)").unwrap();
    e.collect_garbage();
    assert_eq!(e.write(&v), "(\"aaa\" #(1 2))");
    let before = e.collect_garbage();
    let many: Vec<Value> = (0..1000).map(|i| e.value(vec![i; 100]).unwrap()).collect();
    let with = e.collect_garbage();
    assert!(with > before, "{with} > {before}");
    drop(many);
    let after = e.collect_garbage();
    assert!(after <= before + 4096, "{after} <= {before}");
    // Clones share one root; a handle from another engine is refused.
    let clone = v.clone();
    drop(v);
    e.collect_garbage();
    assert_eq!(e.write(&clone), "(\"aaa\" #(1 2))");
    let mut other = engine();
    let err = other.convert::<Vec<Value>>(&clone).unwrap_err();
    assert!(err.to_string().contains("another engine"), "{err}");
}

#[test]
fn host_state_is_reachable_from_host_functions() {
    struct Counter(u64);
    let mut e = engine();
    e.set_state(Counter(0));
    e.define_fn("bump!", |ctx: &mut Ctx, by: Option<u64>| -> Result<u64, Error> {
        let counter = ctx.state_mut::<Counter>().ok_or_else(|| Error::tagged("host", "no counter"))?;
        counter.0 += by.unwrap_or(1);
        Ok(counter.0)
    });
    e.define_fn("peek", |ctx: &mut Ctx| ctx.state::<Counter>().map(|c| c.0));
    assert_eq!(e.eval::<u64>("(bump!) (bump! 10)").unwrap(), 11);
    assert_eq!(e.eval::<Option<u64>>("(peek)").unwrap(), Some(11));
    assert_eq!(e.state::<Counter>().unwrap().0, 11);
    e.state_mut::<Counter>().unwrap().0 = 0;
    assert_eq!(e.eval::<u64>("(bump!)").unwrap(), 1);
    assert_eq!(e.take_state::<Counter>().map(|c| c.0), Some(1));
    assert_eq!(e.eval::<Option<u64>>("(peek)").unwrap(), None);
    assert_eq!(
        e.eval::<u64>("(bump!)").unwrap_err().message(),
        "error in bump! (arity 0 to 1) called with (): no counter"
    );
}

#[test]
fn closures_capture_send_state() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let mut e = engine();
    e.define_fn("tick", move || seen.fetch_add(1, Ordering::SeqCst) + 1);
    assert_eq!(e.eval::<usize>("(tick) (tick) (tick)").unwrap(), 3);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    // A closure that is Send but not Sync (a Cell) is accepted.
    let cell = std::cell::Cell::new(0);
    e.define_fn("cell-inc", move || {
        cell.set(cell.get() + 1);
        cell.get()
    });
    assert_eq!(e.eval::<i32>("(cell-inc) (cell-inc)").unwrap(), 2);
}

#[test]
fn globals_set_and_get() {
    let mut e = engine();
    e.set("limit", 10).unwrap();
    e.set("name", "seam").unwrap();
    e.set("items", vec![1i64, 2, 3]).unwrap();
    e.eval::<()>("(define some-list (map (lambda (x) (* x limit)) (vector->list items)))").unwrap();
    let v: Vec<i64> = e.get("some-list").unwrap();
    assert_eq!(v, [10, 20, 30]);
    assert_eq!(e.get::<String>("name").unwrap(), "seam");
    assert_eq!(e.get::<i64>("nothing-here").unwrap_err().kind(), "unbound");
    let err = e.get::<i64>("name").unwrap_err();
    assert_eq!(err.to_string(), "name: expected i64, got string \"seam\"");
}

#[test]
fn continuations_escape_through_host_functions() {
    let mut e = engine();
    e.define_fn("call-it", |ctx: &mut Ctx, f: Function<(), Value>| -> Result<Value, Error> {
        f.call(ctx, ())
    });
    e.define_fn("swallow", |ctx: &mut Ctx, f: Function<(), i64>| -> i64 {
        match f.call(ctx, ()) {
            Ok(_) => 1,
            Err(_) => 0,
        }
    });
    assert_eq!(
        e.eval_to_string("(call/cc (lambda (k) (call-it (lambda () (k 'escaped)))))").unwrap(),
        "escaped"
    );
    // Through two host functions at once.
    assert_eq!(
        e.eval_to_string("(+ 1 (call/cc (lambda (k) (call-it (lambda () (call-it (lambda () (k 41))))))))")
            .unwrap(),
        "42"
    );
    // Even if the host function ignores the error, the escape happens when it returns.
    assert_eq!(e.eval_to_string("(call/cc (lambda (k) (swallow (lambda () (k 'out)))))").unwrap(), "out");
    // dynamic-wind afters run on the way out; guard outside a host call catches errors inside.
    assert_eq!(
        e.eval_to_string(
            "(let ((log '()))
               (call/cc (lambda (k)
                 (dynamic-wind (lambda () (set! log (cons 'in log)))
                               (lambda () (call-it (lambda () (k 'x))))
                               (lambda () (set! log (cons 'out log))))))
               (reverse log))"
        )
        .unwrap(),
        "(in out)"
    );
    assert_eq!(
        e.eval_to_string("(guard (e (#t (list 'caught e))) (call-it (lambda () (raise 'oops))))").unwrap(),
        "(caught oops)"
    );
    // The same with the host calls not in tail position (the interpreter's fast path).
    assert_eq!(
        e.eval_to_string("(call/cc (lambda (k) (list (call-it (lambda () (k 'escaped))))))").unwrap(),
        "escaped"
    );
    assert_eq!(
        e.eval_to_string("(list 1 (call/cc (lambda (k) (list (swallow (lambda () (k 'out)))))))").unwrap(),
        "(1 out)"
    );
    assert_eq!(
        e.eval_to_string("(guard (e (#t (list 'caught e))) (list (call-it (lambda () (raise 'oops)))))")
            .unwrap(),
        "(caught oops)"
    );
    // Escapes inside the callback's own run stay inside it.
    assert_eq!(e.eval_to_string("(call-it (lambda () (call/cc (lambda (k) (k 'inner)))))").unwrap(), "inner");
    assert_eq!(e.eval::<i64>("(+ 1 2)").unwrap(), 3);
}

#[test]
fn host_calls_are_gc_safe_under_stress() {
    let mut e = engine();
    e.define_fn("make-strings", |n: usize| (0..n).map(|i| format!("s{i}")).collect::<Vec<String>>());
    e.define_fn("apply-twice", |ctx: &mut Ctx, f: Function<(Vec<String>,), Vec<String>>, x: Vec<String>| {
        let y = f.call(ctx, (x,))?;
        f.call(ctx, (y,))
    });
    e.eval::<()>("(define (grow v) (vector-map (lambda (s) (string-append s \"!\")) v))").unwrap();
    e.set_gc_stress(true);
    let out: Vec<String> = e.eval("(apply-twice grow (make-strings 50))").unwrap();
    assert_eq!(out.len(), 50);
    assert_eq!(out[49], "s49!!");
    let held: Value = e.eval("(list (make-strings 3) (make-vector 3 'x))").unwrap();
    let grow: Function<(Vec<String>,), Vec<String>> = e.function("grow").unwrap();
    for _ in 0..20 {
        assert_eq!(grow.call(&mut e, (vec!["a".into()],)).unwrap(), ["a!"]);
    }
    e.set_gc_stress(false);
    assert_eq!(e.write(&held), "(#(\"s0\" \"s1\" \"s2\") #(x x x))");
}
