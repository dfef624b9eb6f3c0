//! Opaque host objects: registered types with methods and predicates, printing, borrows
//! checked at run time, taking by value, wrong-type errors, finalization by the collector,
//! rooted typed handles, identity, and all of it under GC stress.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use num_bigint::BigInt;
use seam::{Ctx, Engine, Error, Function, Handle, HostType, Opaque, TypeBuilder};

#[derive(Debug)]
struct Counter {
    value: BigInt,
}

impl HostType for Counter {
    const NAME: &'static str = "counter";
    fn register(t: &mut TypeBuilder<Self>) {
        t.method("next", |c: &Counter| Counter { value: &c.value + 1 });
        t.method("value", |c: &Counter| c.value.clone());
        t.method_mut("reset!", |c: &mut Counter| c.value = BigInt::from(0));
        t.method_mut("add!", |c: &mut Counter, n: i64| {
            c.value += n;
            c.value.clone()
        });
        // A &mut method that calls back into Scheme with the object still borrowed.
        t.method_mut("update!", |ctx: &mut Ctx, c: &mut Counter, f: Function<(), ()>| -> Result<(), Error> {
            c.value += 1;
            f.call(ctx, ())
        });
        // A shared method that calls back into Scheme: shared borrows may nest.
        t.method("visit", |ctx: &mut Ctx, _c: &Counter, f: Function<(), BigInt>| f.call(ctx, ()));
    }
}

fn engine() -> Engine {
    let mut e = Engine::new();
    e.register_type::<Counter>();
    e.define_fn("make-counter", |v: BigInt| Counter { value: v });
    e
}

#[test]
fn registered_types_have_methods_a_predicate_and_a_printed_form() {
    let mut e = engine();
    e.eval::<()>("(define c (make-counter 5))").unwrap();
    assert_eq!(e.eval::<i64>("(counter-value (counter-next (counter-next c)))").unwrap(), 7);
    assert_eq!(e.eval::<i64>("(counter-value c)").unwrap(), 5);
    e.eval::<()>("(counter-reset! c)").unwrap();
    assert_eq!(e.eval::<i64>("(counter-value c)").unwrap(), 0);
    assert_eq!(e.eval::<i64>("(counter-add! c 40) (counter-add! c 2)").unwrap(), 42);
    assert!(e.eval::<bool>("(counter? c)").unwrap());
    assert!(!e.eval::<bool>("(counter? 5)").unwrap());
    assert!(e.eval::<bool>("(host-object? c)").unwrap());
    assert!(!e.eval::<bool>("(host-object? \"c\")").unwrap());
    assert_eq!(e.eval_to_string("c").unwrap(), "#<counter Counter { value: 42 }>");
    let shown: String =
        e.eval("(let ((p (open-output-string))) (display c p) (get-output-string p))").unwrap();
    assert_eq!(shown, "#<counter Counter { value: 42 }>");
    // Big values stay exact.
    assert_eq!(
        e.eval_to_string("(counter-value (counter-next (make-counter (expt 10 30))))").unwrap(),
        "1000000000000000000000000000001"
    );
}

#[derive(Debug)]
struct Temperature(f64);

impl HostType for Temperature {
    const NAME: &'static str = "temperature";
    fn write(&self, out: &mut String) {
        out.push_str(&format!("{:.1}°C", self.0));
    }
}

#[test]
fn custom_printers_and_opaque_values() {
    let mut e = engine();
    e.define_fn("celsius", |t: f64| Temperature(t));
    assert_eq!(e.eval_to_string("(celsius 21.456)").unwrap(), "#<temperature 21.5°C>");
    e.define_fn("make-path", |s: String| Opaque(std::path::PathBuf::from(s)));
    e.define_fn("path->string", |p: Opaque<std::path::PathBuf>| p.0.display().to_string());
    assert_eq!(e.eval_to_string("(make-path \"/etc\")").unwrap(), "#<host-object std::path::PathBuf>");
    assert!(e.eval::<bool>("(host-object? (make-path \"/etc\"))").unwrap());
    assert!(!e.eval::<bool>("(counter? (make-path \"/etc\"))").unwrap());
    assert_eq!(e.eval::<String>("(path->string (make-path \"/etc\"))").unwrap(), "/etc");
    // An opaque value of another type is refused.
    let err = e.eval::<String>("(path->string (make-counter 1))").unwrap_err();
    assert_eq!(err.kind(), "invalid-type");
}

#[test]
fn wrong_types_name_the_expected_type_the_function_and_the_position() {
    let mut e = engine();
    e.define_fn("celsius", |t: f64| Temperature(t));
    let err = e.eval::<i64>("(counter-value \"five\")").unwrap_err();
    assert_eq!(err.kind(), "invalid-type");
    assert_eq!(
        err.message(),
        "error in counter-value (arity 1) called with (\"five\"): argument 1: expected counter, got string \"five\""
    );
    let err = e.eval::<i64>("(counter-value (celsius 3.0))").unwrap_err();
    assert_eq!(err.kind(), "invalid-type");
    assert!(
        err.message().ends_with("argument 1: expected counter, got value #<temperature 3.0°C>"),
        "{}",
        err.message()
    );
    let err = e.eval::<i64>("(counter-add! (make-counter 1) 'x)").unwrap_err();
    assert!(err.message().ends_with("argument 2: expected i64, got symbol x"), "{}", err.message());
    // Catchable in Scheme with its kind.
    let kind: String = e
        .eval("(guard (e ((error-object? e) (symbol->string (error-object-kind e)))) (counter-next 'nope))")
        .unwrap();
    assert_eq!(kind, "invalid-type");
}

#[test]
fn conflicting_borrows_are_scheme_errors() {
    let mut e = engine();
    e.eval::<()>("(define c (make-counter 1))").unwrap();
    // A &mut method re-entering Scheme, which passes the same object to another &mut method.
    let err = e.eval::<()>("(counter-update! c (lambda () (counter-reset! c)))").unwrap_err();
    assert_eq!(err.kind(), "borrow");
    assert!(
        err.message().contains("counter is already in use: it cannot be borrowed mutably"),
        "{}",
        err.message()
    );
    // ... or to a shared method.
    let err = e.eval::<()>("(counter-update! c (lambda () (counter-value c) #t))").unwrap_err();
    assert_eq!(err.kind(), "borrow");
    // The script can catch it; the object is released afterwards and fully usable.
    let caught: String = e
        .eval("(guard (e ((error-object? e) (symbol->string (error-object-kind e)))) (counter-update! c (lambda () (counter-reset! c))))")
        .unwrap();
    assert_eq!(caught, "borrow");
    assert_eq!(e.eval::<i64>("(counter-value c)").unwrap(), 4);
    // Shared borrows nest: a shared method calling back into a shared method is fine.
    assert_eq!(e.eval::<i64>("(counter-visit c (lambda () (counter-value c)))").unwrap(), 4);
    // Other objects are unaffected while one is borrowed.
    assert_eq!(e.eval::<i64>("(let ((d (make-counter 7))) (counter-update! c (lambda () (counter-reset! d))) (counter-value d))").unwrap(), 0);
}

#[test]
fn taking_by_value_empties_the_object() {
    let mut e = engine();
    e.define_fn("consume", |c: Counter| c.value);
    e.eval::<()>("(define c (make-counter 9))").unwrap();
    assert_eq!(e.eval::<i64>("(consume c)").unwrap(), 9);
    assert_eq!(e.eval_to_string("c").unwrap(), "#<counter (taken)>");
    assert!(e.eval::<bool>("(counter? c)").unwrap());
    let err = e.eval::<i64>("(counter-value c)").unwrap_err();
    assert_eq!(err.kind(), "borrow");
    assert!(
        err.message().ends_with("argument 1: counter has been taken (moved into Rust)"),
        "{}",
        err.message()
    );
    let err = e.eval::<i64>("(consume c)").unwrap_err();
    assert_eq!(err.kind(), "borrow");
    // Taking while borrowed is refused too.
    e.eval::<()>("(define d (make-counter 1))").unwrap();
    let err = e.eval::<()>("(counter-update! d (lambda () (consume d) #t))").unwrap_err();
    assert_eq!(err.kind(), "borrow");
}

#[derive(Debug)]
struct Tracked {
    drops: Arc<AtomicUsize>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

impl HostType for Tracked {
    const NAME: &'static str = "tracked";
}

#[test]
fn the_collector_drops_unreachable_objects_and_the_engine_drops_the_rest() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut e = engine();
    let counter = drops.clone();
    e.define_fn("make-tracked", move || Tracked { drops: counter.clone() });
    e.eval::<()>(
        "(define kept (make-tracked)) (let loop ((i 0)) (when (< i 100) (make-tracked) (loop (+ i 1))))",
    )
    .unwrap();
    e.collect_garbage();
    assert_eq!(drops.load(Ordering::SeqCst), 100);
    e.eval::<()>("(set! kept #f)").unwrap();
    e.collect_garbage();
    assert_eq!(drops.load(Ordering::SeqCst), 101);
    e.eval::<()>("(define a (make-tracked)) (define b (make-tracked))").unwrap();
    drop(e);
    assert_eq!(drops.load(Ordering::SeqCst), 103);
}

#[test]
fn a_million_objects_do_not_grow_the_heap() {
    let mut e = engine();
    e.eval::<()>(
        "(define (churn n) (let loop ((i 0)) (when (< i n) (counter-next (make-counter i)) (loop (+ i 1)))))",
    )
    .unwrap();
    e.eval::<()>("(churn 10000)").unwrap();
    let small = e.collect_garbage();
    e.eval::<()>("(churn 1000000)").unwrap();
    let after = e.collect_garbage();
    assert!(after <= small + 64 * 1024, "live bytes grew from {small} to {after}");
}

#[test]
fn handles_keep_objects_alive_and_lend_them_to_rust() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut e = engine();
    let counter = drops.clone();
    e.define_fn("make-tracked", move || Tracked { drops: counter.clone() });
    let tracked: Handle<Tracked> = e.eval("(make-tracked)").unwrap();
    e.collect_garbage();
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(tracked);
    e.collect_garbage();
    assert_eq!(drops.load(Ordering::SeqCst), 1);

    let h: Handle<Counter> = e.eval("(make-counter 41)").unwrap();
    e.collect_garbage();
    h.borrow_mut(&mut e).unwrap().value += 1;
    assert_eq!(h.borrow(&e).unwrap().value, BigInt::from(42));
    // Back into Scheme: the same object (eq?), visible to Scheme code.
    e.set("h", h.clone()).unwrap();
    assert_eq!(e.eval::<i64>("(counter-value h)").unwrap(), 42);
    let again: Handle<Counter> = e.get("h").unwrap();
    e.set("again", again).unwrap();
    assert!(e.eval::<bool>("(eq? h again)").unwrap());
    // Handles in host function parameters, anywhere in the list.
    e.define_fn("bump-by", |ctx: &mut Ctx, n: i64, c: Handle<Counter>| -> Result<i64, Error> {
        let mut counter = c.borrow_mut(ctx)?;
        counter.value += n;
        Ok(n)
    });
    e.eval::<()>("(bump-by 8 h)").unwrap();
    assert_eq!(h.borrow(&e).unwrap().value, BigInt::from(50));
    // A handle of the wrong type, or used with another engine, is an error.
    assert_eq!(e.eval::<Handle<Counter>>("5").unwrap_err().kind(), "invalid-type");
    let other = engine();
    assert!(h.borrow(&other).is_err());
    // Borrowed by Rust while Scheme tries to take it: refused.
    e.define_fn("consume", |c: Counter| c.value);
    let value = h.borrow(&e).map(|c| c.value.clone()).unwrap();
    assert_eq!(value, BigInt::from(50));
    assert_eq!(e.eval::<i64>("(consume h)").unwrap(), 50);
    assert!(h.borrow(&e).is_err());
}

#[test]
fn identity_survives_crossings() {
    let mut e = engine();
    e.define_fn("same", |c: Handle<Counter>| c);
    assert!(e.eval::<bool>("(let ((c (make-counter 1))) (eq? c (same c)))").unwrap());
    assert!(!e.eval::<bool>("(eq? (make-counter 1) (make-counter 1))").unwrap());
    assert!(e.eval::<bool>("(let ((c (make-counter 1))) (eqv? c (same (same c))))").unwrap());
    assert!(e.eval::<bool>("(let ((c (make-counter 1))) (equal? (list c) (list (same c))))").unwrap());
}

#[test]
fn host_objects_under_gc_stress() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut e = engine();
    let counter = drops.clone();
    e.define_fn("make-tracked", move || Tracked { drops: counter.clone() });
    e.set_gc_stress(true);
    let total: i64 = e
        .eval(
            "(define keep (make-counter 0))
             (let loop ((i 0) (sum 0))
               (if (= i 50)
                   sum
                   (begin (make-tracked)
                          (counter-add! keep 1)
                          (loop (+ i 1) (+ sum (counter-value (counter-next (make-counter i))))))))",
        )
        .unwrap();
    assert_eq!(total, (1..=50).sum::<i64>());
    assert_eq!(e.eval::<i64>("(counter-value keep)").unwrap(), 50);
    e.set_gc_stress(false);
    e.collect_garbage();
    assert_eq!(drops.load(Ordering::SeqCst), 50);
}
