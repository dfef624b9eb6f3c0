//! Arbitrary text evaluated in an engine with no capabilities (no files, processes,
//! environment or clock). Scheme errors are fine; panics and crashes are bugs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    // A fresh engine per input (about 13 ms under the sanitizer, so some 75 inputs a
    // second): one engine reused across inputs would be faster, but what one input defined
    // would change how the next runs, and crashes would not reproduce from their input.
    let mut engine = seam::Engine::new();
    engine.set_top_level_capabilities([]);
    // LIMITS: until the engine has fuel, memory and depth limits, an infinite loop or a
    // runaway allocation shows up as a timeout or an out-of-memory report. When they land:
    //     engine.set_fuel(Some(100_000));
    //     engine.set_memory_limit(Some(64 << 20));
    //     engine.set_max_depth(Some(10_000));
    let _ = engine.eval_named(source, "<fuzz>");
});
