//! The native module `counter` of `examples/packages/counter`, as a plugin: the same
//! functions as the Rust module `examples/counter_host.rs` registers, built as a shared
//! library that the host loads at run time through Seam's C plugin ABI.
//!
//! ```text
//! cargo build -p seam-counter-plugin
//! seam --plugin counter=target/debug/libcounter.so --allow counter=native run examples/packages/counter
//! ```

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use seam_plugin::{Arg, Module, ObjectType, Ret};

/// A counter. Objects are shared with Scheme, which may move between threads: atomics.
struct Counter(AtomicI64);

/// Counters alive (made and not yet freed by the host's collector): `counter.live`.
static LIVE: AtomicUsize = AtomicUsize::new(0);

impl Drop for Counter {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::Relaxed);
    }
}

fn counter<'a>(ty: &ObjectType<Counter>, arg: &Arg<'a>) -> Result<&'a Counter, String> {
    arg.object(ty).ok_or_else(|| format!("expected a counter, got {}", arg.describe()))
}

fn init(m: &mut Module) -> Result<(), String> {
    let ty = m.define_type::<Counter>("counter")?;
    m.define_fn("counter.new", 0, Some(1), move |args| {
        let start = match args.first() {
            None => 0,
            Some(arg) => {
                arg.as_int().ok_or_else(|| format!("expected an integer, got {}", arg.describe()))?
            }
        };
        LIVE.fetch_add(1, Ordering::Relaxed);
        Ok(Ret::object(&ty, Counter(AtomicI64::new(start))))
    })?;
    m.define_fn("counter.next", 1, Some(1), move |args| {
        let c = counter(&ty, &args[0])?;
        let next = c.0.load(Ordering::Relaxed).checked_add(1).ok_or("the counter overflowed")?;
        c.0.store(next, Ordering::Relaxed);
        Ok(Ret::Int(next))
    })?;
    m.define_fn("counter.value", 1, Some(1), move |args| {
        Ok(Ret::Int(counter(&ty, &args[0])?.0.load(Ordering::Relaxed)))
    })?;
    m.define_fn("counter.live", 0, Some(0), |_| Ok(Ret::Int(LIVE.load(Ordering::Relaxed) as i64)))?;
    Ok(())
}

seam_plugin::export!(init);
