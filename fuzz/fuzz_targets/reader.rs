//! The reader on arbitrary text: every datum is read (and printed back) until the end of
//! the input or the first error. Errors are fine; panics and stack overflows are bugs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use seam_syntax::Reader;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let mut reader = Reader::new(source, "<fuzz>");
    while let Ok(Some(datum)) = reader.next_datum() {
        let _ = datum.to_string();
    }
});
