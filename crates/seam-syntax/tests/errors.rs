//! Bad input: each error's message, position and whether more input could fix it.

use seam_syntax::{read_all, ReadError, Reader};

fn error(source: &str) -> ReadError {
    match read_all(source, "test.scm") {
        Ok(datums) => panic!("{source:?} read as {} datums, expected an error", datums.len()),
        Err(e) => e,
    }
}

/// Asserts the full `file:line:col: message` text and that the error is not incomplete.
fn check(source: &str, expected: &str) {
    let e = error(source);
    assert_eq!(e.to_string(), expected, "for {source:?}");
    assert!(!e.is_incomplete(), "{source:?} should not be incomplete");
}

/// Asserts the text and that more input could complete the datum.
fn check_incomplete(source: &str, expected: &str) {
    let e = error(source);
    assert_eq!(e.to_string(), expected, "for {source:?}");
    assert!(e.is_incomplete(), "{source:?} should be incomplete");
}

#[test]
fn unbalanced_and_unclosed() {
    check("(a)\n\n  (b))", "test.scm:3:6: unbalanced ')'");
    check(")", "test.scm:1:1: unbalanced ')'");
    check_incomplete("(a\n (b", "test.scm:2:2: unclosed list");
    check_incomplete("#(1 2", "test.scm:1:1: unclosed vector");
    check_incomplete("#u8(1 2", "test.scm:1:1: unclosed bytevector");
    check_incomplete("x \"abc", "test.scm:1:3: unterminated string");
    check_incomplete("\"abc\\", "test.scm:1:1: unterminated string");
    check_incomplete("\"abc\\x4", "test.scm:1:1: unterminated string");
    check_incomplete("\"abc\\  ", "test.scm:1:1: unterminated string");
    check_incomplete("|abc", "test.scm:1:1: unterminated |symbol|");
    check_incomplete("a #| #| |# ", "test.scm:1:3: unterminated block comment");
    check_incomplete("'", "test.scm:1:1: unexpected end of input after '");
    check_incomplete("(a ,@", "test.scm:1:4: unexpected end of input after ,@");
    check_incomplete("#;", "test.scm:1:1: unexpected end of input after #;");
    check_incomplete("#; #; a", "test.scm:1:1: unexpected end of input after #;");
    check_incomplete("#1=", "test.scm:1:1: unexpected end of input after #1=");
    check_incomplete("#\\", "test.scm:1:1: unexpected end of input after #\\");
}

#[test]
fn characters_and_escapes() {
    check("  #\\foo", "test.scm:1:3: unknown character name #\\foo");
    check("#\\Space", "test.scm:1:1: unknown character name #\\Space");
    check("#\\x110000", "test.scm:1:1: unknown character name #\\x110000");
    check("#\\xd800", "test.scm:1:1: unknown character name #\\xd800");
    check("\"ab\\qc\"", "test.scm:1:4: bad escape \\q in string");
    check("\"\\x41\"", "test.scm:1:2: bad escape \\x41 in string");
    check("\"\\x;\"", "test.scm:1:2: bad escape \\x; in string");
    check("\"\\xd800;\"", "test.scm:1:2: bad escape \\xd800; in string");
    check("\"a\\ b\"", "test.scm:1:3: bad escape \\ b in string");
    check("|a\\qb|", "test.scm:1:3: bad escape \\q in symbol");
}

#[test]
fn hash_syntax() {
    check("#z", "test.scm:1:1: bad # syntax #z");
    check("(a #zebra)", "test.scm:1:4: bad # syntax #zebra");
    check("#", "test.scm:1:1: bad # syntax #");
    check("#tru", "test.scm:1:1: bad # syntax #tru");
    check("#t#f", "test.scm:1:1: bad # syntax #t#f");
    check("#u8 (1)", "test.scm:1:1: bad # syntax #u8");
    check("#!foo", "test.scm:1:1: bad # syntax #!foo");
    check("#1x", "test.scm:1:1: bad datum label #1x");
    check("#99999999999=a", "test.scm:1:1: bad datum label #99999999999");
}

#[test]
fn numbers() {
    check("#x1G", "test.scm:1:1: bad number #x1G");
    check("#e1.2.3", "test.scm:1:1: bad number #e1.2.3");
    check("#x1.5", "test.scm:1:1: bad number #x1.5");
    check("1/0", "test.scm:1:1: bad number 1/0");
    check("#e+inf.0", "test.scm:1:1: bad number #e+inf.0");
    // Found with a hand-written input to the reader fuzz target (fuzz/regressions/reader/):
    // a scale of i64::MIN overflowed `abs`, which panicked with overflow checks and without
    // them passed the exponent limit, so 10^(2^63) was computed.
    check("#e1e-9223372036854775808", "test.scm:1:1: bad number #e1e-9223372036854775808");
    check("#e1.5e-9223372036854775807", "test.scm:1:1: bad number #e1.5e-9223372036854775807");
    check("1/0+2i", "test.scm:1:1: bad number 1/0+2i");
    check("#x1@z", "test.scm:1:1: bad number #x1@z");
    check("#e1+inf.0i", "test.scm:1:1: bad number #e1+inf.0i");
}

#[test]
fn bytevectors() {
    check("#u8(1 2 256)", "test.scm:1:9: bytevector element must be an exact integer 0..255, found 256");
    check("#u8(-1)", "test.scm:1:5: bytevector element must be an exact integer 0..255, found -1");
    check("#u8(1.0)", "test.scm:1:5: bytevector element must be an exact integer 0..255, found 1.0");
    check("#u8(a)", "test.scm:1:5: bytevector element must be an exact integer 0..255, found a");
    check("#u8((1))", "test.scm:1:5: bytevector element must be an exact integer 0..255, found (1)");
}

#[test]
fn dots() {
    check("(a . b c)", "test.scm:1:8: expected ')' after the tail of a dotted list");
    check("(. a)", "test.scm:1:2: unexpected '.'");
    check(".", "test.scm:1:1: unexpected '.'");
    check("#(a . b)", "test.scm:1:5: unexpected '.'");
    check("(a . . b)", "test.scm:1:6: unexpected '.'");
    check("(a .)", "test.scm:1:4: expected a datum after .");
    check("(a . #;b)", "test.scm:1:4: expected a datum after .");
    check("('. a)", "test.scm:1:3: expected a datum after '");
    check("(a ')", "test.scm:1:5: expected a datum after '");
    check("(#;)", "test.scm:1:4: expected a datum after #;");
}

#[test]
fn labels() {
    check("(#3# #3=a)", "test.scm:1:2: undefined datum label #3#");
    check("#0=(#0=a)", "test.scm:1:5: duplicate datum label #0=");
    check("#0=#0#", "test.scm:1:1: datum label #0= labels only itself");
    // Labels do not leak from one top-level datum into the next.
    check("#0=a #0#", "test.scm:1:6: undefined datum label #0#");
}

#[test]
fn brackets_and_braces() {
    check("[a]", "test.scm:1:1: brackets are not supported");
    check("(a]", "test.scm:1:3: brackets are not supported");
    check("{a}", "test.scm:1:1: braces are not supported");
}

#[test]
fn nesting_limit_set_by_the_host() {
    let limited = |source: &str| {
        let mut reader = Reader::new(source, "test.scm").with_max_nesting(1_000);
        reader.next_datum().map(|_| ()).map_err(|e| e.to_string())
    };
    let deep = "(".repeat(100_000);
    assert_eq!(limited(&deep), Err("test.scm:1:1001: nesting too deep (more than 1000 levels)".into()));
    let quotes = format!("{}x", "'".repeat(100_000));
    assert!(limited(&quotes).is_err_and(|e| e.contains("nesting too deep")));
    let vectors = format!("{}{}", "#(".repeat(100_000), ")".repeat(100_000));
    assert!(limited(&vectors).is_err_and(|e| e.contains("nesting too deep")));
    assert_eq!(limited(&format!("{}{}", "(".repeat(1_000), ")".repeat(1_000))), Ok(()));
}

#[test]
fn unlimited_nesting_ends_in_ordinary_errors() {
    // Without a host limit, deep unfinished input is just unfinished; none of this may
    // overflow the Rust stack.
    let deep = "(".repeat(100_000);
    check_incomplete(&deep, "test.scm:1:100000: unclosed list");
    let comments = format!("{}x", "#;".repeat(100_000));
    assert!(read_all(&comments, "t").is_err());
    let quotes = "'".repeat(100_000);
    assert!(read_all(&quotes, "t").is_err());
}

#[test]
fn deep_datums_can_be_printed_compared_cloned_and_dropped() {
    const DEPTH: usize = 100_000;
    let source = format!("{}{}", "(".repeat(DEPTH), ")".repeat(DEPTH));
    let vectors = format!("{}{}", "#(".repeat(DEPTH), ")".repeat(DEPTH));
    let quotes = format!("{}x", "'".repeat(DEPTH));
    // Run on a thread with a default-sized (2 MiB) stack, as the test harness does.
    let results = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            [source, vectors, quotes].map(|source| {
                let datums = read_all(&source, "t").map_err(|e| e.to_string())?;
                let printed = datums.iter().map(|d| d.to_string()).collect::<String>();
                let copy = datums[0].clone();
                let same = datums[0].same_as(&copy);
                let debug = format!("{copy:?}");
                Ok::<_, String>((printed == source, same && debug.len() > DEPTH))
            })
        })
        .map(|thread| thread.join());
    assert!(matches!(results, Ok(Ok([Ok((true, true)), Ok((true, true)), Ok((true, true))]))), "{results:?}");
}

#[test]
fn reader_reports_then_stops_at_the_error() {
    let mut reader = Reader::new("a (b", "repl");
    assert!(matches!(reader.next_datum(), Ok(Some(_))));
    match reader.next_datum() {
        Err(e) => {
            assert!(e.is_incomplete());
            assert_eq!(e.message(), "unclosed list");
            assert_eq!((e.span.line, e.span.column), (1, 3));
        }
        other => panic!("{other:?}"),
    }
}
