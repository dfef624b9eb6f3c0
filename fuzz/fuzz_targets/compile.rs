//! Expansion and compilation of arbitrary text, without running it: each datum is expanded
//! at the top level, compiled, disassembled, and loaded into a VM (which verifies the
//! bytecode) but never called. `Engine::disassemble` would also run every form, so this
//! target drives the pipeline itself.
//!
//! Expansion and compile errors are fine; panics, stack overflows and hangs are bugs, and so
//! is bytecode the compiler produced that the verifier rejects.
#![no_main]

use libfuzzer_sys::fuzz_target;
use seam_expand::{Capabilities, Environment};
use seam_syntax::Reader;
use seam_vm::Vm;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let mut vm = Vm::new();
    // No capabilities: `include` and friends must not read the fuzzing machine's files.
    vm.expander.set_top_capabilities(Capabilities::default());
    let mut reader = Reader::new(source, "<fuzz>");
    while let Ok(Some(datum)) = reader.next_datum() {
        let Ok(expr) = vm.expander.expand_toplevel_in(&datum, Environment::INTERACTION) else {
            continue;
        };
        let Ok(proto) = seam_compile::compile(&expr, &mut vm) else { continue };
        let _ = seam_compile::disassemble(&proto, &|slot| vm.global_name(slot));
        if let Err(e) = vm.load(&proto) {
            panic!("the verifier rejected compiled code: {e}");
        }
    }
});
