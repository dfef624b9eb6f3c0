//! A host that gives the example package `examples/packages/counter` its native module.
//!
//! The package's manifest lists the native module "counter" and requires the capability
//! `native`; this host registers the module (Rust closures over a `Counter` host object),
//! grants the capability, and runs the package's main program.
//!
//! Run it with `cargo run --example counter_host`.

use std::path::Path;

use seam::{Capability, Engine, HostType};

/// The state a Scheme counter object holds.
#[derive(Debug, Default)]
struct Counter {
    value: i64,
}

impl HostType for Counter {
    const NAME: &'static str = "counter";
}

fn main() -> Result<(), seam::Error> {
    let mut engine = Engine::new();
    engine.native_module("counter", |m| {
        m.define_fn("counter.new", |start: Option<i64>| Counter { value: start.unwrap_or(0) });
        m.define_fn("counter.next", |c: &mut Counter| {
            c.value += 1;
            c.value
        });
        m.define_fn("counter.value", |c: &Counter| c.value);
    });
    engine.grant("counter", [Capability::Native]);
    let package = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/packages/counter");
    match engine.run_package::<i64>(&package) {
        Ok(misses) => {
            assert_eq!(misses, 42, "the program's last value");
            Ok(())
        }
        Err(e) => {
            eprint!("{}", engine.render_error(&e));
            Err(e)
        }
    }
}
