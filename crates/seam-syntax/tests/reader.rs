//! Reading well-formed input: every datum shape, comments, directives and spans.

use seam_syntax::{read_all, Datum, DatumKind, Number, Reader};

fn read(source: &str) -> Vec<Datum> {
    match read_all(source, "test.scm") {
        Ok(datums) => datums,
        Err(e) => panic!("reading {source:?} failed: {e}"),
    }
}

fn read_one(source: &str) -> Datum {
    let mut datums = read(source);
    assert_eq!(datums.len(), 1, "expected one datum in {source:?}");
    datums.remove(0)
}

/// The datums of `source`, written back and joined by spaces.
fn show(source: &str) -> String {
    read(source).iter().map(|d| d.to_string()).collect::<Vec<_>>().join(" ")
}

fn symbol(source: &str) -> String {
    match read_one(source).into_kind() {
        DatumKind::Symbol(s) => s,
        other => panic!("{source:?} read as {other:?}, not a symbol"),
    }
}

fn string(source: &str) -> String {
    match read_one(source).into_kind() {
        DatumKind::String(s) => s,
        other => panic!("{source:?} read as {other:?}, not a string"),
    }
}

fn character(source: &str) -> char {
    match read_one(source).into_kind() {
        DatumKind::Char(c) => c,
        other => panic!("{source:?} read as {other:?}, not a char"),
    }
}

fn position(datum: &Datum) -> (u32, u32) {
    (datum.span.line, datum.span.column)
}

#[test]
fn identifiers() {
    for name in [
        "foo",
        "lambda",
        "string->number",
        "+",
        "-",
        "...",
        "..",
        "->x",
        "+a",
        ".foo",
        "<=?",
        "a.b",
        "!$%&*/:<=>?^_~",
        "x+-.@",
        "+.a",
        "-@",
        "λ",
        "日本",
    ] {
        assert_eq!(symbol(name), name);
    }
    // Not R7RS identifiers, but accepted as symbols like most Schemes do.
    for name in ["1+", "-1+", "@x", "a'b", "1.2.3", "+j", "2i", "a#b"] {
        assert_eq!(symbol(name), name);
    }
    // `+i` and `-i` are numbers (R7RS 7.1.1); the symbols need bars.
    assert_eq!(symbol("|+i|"), "+i");
    assert_eq!(
        read_all("+i -i", "t").unwrap().iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        ["+i", "-i"]
    );
    assert_eq!(symbol("FooBar"), "FooBar");
}

#[test]
fn bar_symbols() {
    assert_eq!(symbol("|hello world|"), "hello world");
    assert_eq!(symbol("||"), "");
    assert_eq!(symbol(r"|a\x41;b|"), "aAb");
    assert_eq!(symbol(r"|a\|b|"), "a|b");
    assert_eq!(symbol(r"|\t\n\a\b\r|"), "\t\n\u{7}\u{8}\r");
    assert_eq!(symbol("|(x)|"), "(x)");
    assert_eq!(symbol("|123|"), "123");
    // `|` is a delimiter: `a|b|` is two symbols.
    assert_eq!(show("a|b c|"), "a |b c|");
}

#[test]
fn booleans() {
    assert_eq!(show("#t #f #true #false #T #FALSE"), "#t #f #t #f #t #f");
    assert_eq!(show("(#t)"), "(#t)");
}

#[test]
fn characters() {
    assert_eq!(character(r"#\a"), 'a');
    assert_eq!(character(r"#\A"), 'A');
    assert_eq!(character(r"#\space"), ' ');
    assert_eq!(character(r"#\newline"), '\n');
    assert_eq!(character(r"#\alarm"), '\u{7}');
    assert_eq!(character(r"#\backspace"), '\u{8}');
    assert_eq!(character(r"#\delete"), '\u{7f}');
    assert_eq!(character(r"#\escape"), '\u{1b}');
    assert_eq!(character(r"#\null"), '\0');
    assert_eq!(character(r"#\return"), '\r');
    assert_eq!(character(r"#\tab"), '\t');
    assert_eq!(character(r"#\x"), 'x');
    assert_eq!(character(r"#\X"), 'X');
    assert_eq!(character(r"#\x41"), 'A');
    assert_eq!(character(r"#\x3bb"), 'λ');
    assert_eq!(character(r"#\λ"), 'λ');
    assert_eq!(character(r"#\("), '(');
    assert_eq!(character(r"#\)"), ')');
    assert_eq!(character(r"#\;"), ';');
    assert_eq!(character(r"#\ "), ' ');
    assert_eq!(character(r"#\#"), '#');
    assert_eq!(character("#\\\""), '"');
    assert_eq!(show(r"(#\a #\) #\()"), r"(#\a #\) #\()");
    assert_eq!(show(r"(#\x)"), r"(#\x)");
}

#[test]
fn strings() {
    assert_eq!(string(r#""hello""#), "hello");
    assert_eq!(string(r#""""#), "");
    assert_eq!(string(r#""a\x41;b""#), "aAb");
    assert_eq!(string(r#""\x3bb;""#), "λ");
    assert_eq!(string(r#""\a\b\t\n\r\"\\\|""#), "\u{7}\u{8}\t\n\r\"\\|");
    assert_eq!(string("\"line\nbreak\""), "line\nbreak");
    assert_eq!(string("\"; not a comment #| either\""), "; not a comment #| either");
    // Line continuations: `\`, intraline whitespace, line ending, leading whitespace.
    assert_eq!(string("\"abc\\\n   def\""), "abcdef");
    assert_eq!(string("\"abc\\  \t\n \tdef\""), "abcdef");
    assert_eq!(string("\"abc\\\r\n  def\""), "abcdef");
    assert_eq!(string("\"abc\\\n\n def\""), "abc\n def");
}

#[test]
fn comments() {
    assert_eq!(show("a ; comment\nb"), "a b");
    assert_eq!(show("a #| block |# b"), "a b");
    assert_eq!(show("a #| outer #| inner |# still outer |# b"), "a b");
    assert_eq!(show("#|#||#|#x"), "x");
    assert_eq!(show("(a #;b c)"), "(a c)");
    assert_eq!(show("#; #; a b c"), "c");
    assert_eq!(show("#;(a (b)) d"), "d");
    assert_eq!(show("(a . #;b c)"), "(a . c)");
    assert_eq!(show("(a . b #;c)"), "(a . b)");
    assert_eq!(show("#;a"), "");
    assert_eq!(show("; only a comment"), "");
    assert_eq!(show("#;'a b"), "b");
}

#[test]
fn vectors_and_bytevectors() {
    assert_eq!(show("#(1 #(2) \"x\")"), "#(1 #(2) \"x\")");
    assert_eq!(show("#()"), "#()");
    match read_one("#u8(0 1 255)").into_kind() {
        DatumKind::Bytevector(bytes) => assert_eq!(bytes, vec![0, 1, 255]),
        other => panic!("{other:?}"),
    }
    assert_eq!(show("#u8()"), "#u8()");
    assert_eq!(show("#U8(#xff)"), "#u8(255)");
}

#[test]
fn lists_and_pairs() {
    assert_eq!(show("()"), "()");
    assert_eq!(show("(a b c)"), "(a b c)");
    assert_eq!(show("(a . b)"), "(a . b)");
    assert_eq!(show("(a b . c)"), "(a b . c)");
    assert_eq!(show("(a . (b c))"), "(a b c)");
    assert_eq!(show("(a . (b . c))"), "(a b . c)");
    assert_eq!(show("(a . ())"), "(a)");
    assert_eq!(show("((a) (b . c))"), "((a) (b . c))");
    assert_eq!(show("(a .b)"), "(a .b)");
    match read_one("(a . (b . c))").into_kind() {
        DatumKind::List(items, Some(tail)) => {
            assert_eq!(items.len(), 2);
            assert_eq!(tail.as_symbol(), Some("c"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn abbreviations() {
    for (source, head) in
        [("'x", "quote"), ("`x", "quasiquote"), (",x", "unquote"), (",@x", "unquote-splicing")]
    {
        let datum = read_one(&format!("\n  {source}"));
        assert_eq!(position(&datum), (2, 3));
        match datum.into_kind() {
            DatumKind::List(items, None) => {
                assert_eq!(items.len(), 2);
                assert_eq!(items[0].as_symbol(), Some(head));
                assert_eq!(position(&items[0]), (2, 3));
                assert_eq!(items[1].as_symbol(), Some("x"));
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(show("'(a 'b)"), "'(a 'b)");
    assert_eq!(show("`(a ,b ,@c)"), "`(a ,b ,@c)");
    assert_eq!(show("' x"), "'x");
    assert_eq!(show("(quote)"), "(quote)");
}

#[test]
fn numbers() {
    let number = |source: &str| match read_one(source).into_kind() {
        DatumKind::Number(n) => n,
        other => panic!("{source:?} read as {other:?}"),
    };
    assert!(matches!(number("42"), Number::Fixnum(42)));
    assert!(matches!(number("#x1F"), Number::Fixnum(31)));
    assert!(matches!(number("#b-101"), Number::Fixnum(-5)));
    assert!(matches!(number("-2.5e10"), Number::Flonum(x) if x == -2.5e10));
    assert!(matches!(number("+inf.0"), Number::Flonum(x) if x == f64::INFINITY));
    assert!(matches!(number("-inf.0"), Number::Flonum(x) if x == f64::NEG_INFINITY));
    assert!(matches!(number("+nan.0"), Number::Flonum(x) if x.is_nan()));
    assert!(matches!(number("#i3"), Number::Flonum(x) if x == 3.0));
    assert!(matches!(number("123456789012345678901234567890"), Number::Big(_)));
    assert_eq!(show("#e1.5 1/3 -7/2 .5 5. 1E3 #e#x10 #x#e10"), "3/2 1/3 -7/2 0.5 5.0 1000.0 16 16");
    assert_eq!(show("(1 . 2)"), "(1 . 2)");
    assert_eq!(show("(1 .5)"), "(1 0.5)");
}

#[test]
fn datum_labels() {
    match read_one("#0=(a . #0#)").into_kind() {
        DatumKind::Label(0, inner) => match inner.into_kind() {
            DatumKind::List(items, Some(tail)) => {
                assert_eq!(items.len(), 1);
                assert_eq!(items[0].as_symbol(), Some("a"));
                assert!(matches!(tail.kind, DatumKind::LabelRef(0)));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(show("(#1=(x) #1# #2=y #2#)"), "(#1=(x) #1# #2=y #2#)");
    assert_eq!(show("#0='#0#"), "#0='#0#");
    // Labels are scoped to one top-level datum: the same number can be reused.
    assert_eq!(show("#0=a #0=b"), "#0=a #0=b");
}

#[test]
fn fold_case() {
    assert_eq!(show("Foo #!fold-case Foo BAR #\\SPACE #!no-fold-case Foo"), "Foo foo bar #\\space Foo");
    assert_eq!(show("#!fold-case #\\A |Foo|"), "#\\A Foo");
    // Written with bars: the symbol has non-ASCII characters.
    assert_eq!(show("#!FOLD-CASE ΑΒΓ"), "|αβγ|");
    // The directive persists across `next_datum` calls.
    let mut reader = Reader::new("#!fold-case A B", "t");
    let a = reader.next_datum().ok().flatten().map(|d| d.to_string());
    let b = reader.next_datum().ok().flatten().map(|d| d.to_string());
    assert_eq!((a.as_deref(), b.as_deref()), (Some("a"), Some("b")));
    assert!(reader.fold_case());
    // A port hands the state from one reader to the next.
    let mut reader = Reader::new("X #!no-fold-case", "t").with_fold_case(true);
    let x = reader.next_datum().ok().flatten().map(|d| d.to_string());
    assert_eq!(x.as_deref(), Some("x"));
    assert!(reader.next_datum().ok().flatten().is_none());
    assert!(!reader.fold_case());
}

#[test]
fn shebang_line_is_skipped() {
    assert_eq!(show("#!/usr/bin/env seam\n(display 1)"), "(display 1)");
}

#[test]
fn spans() {
    let datums = read("(define (f x)\n  (+ x 1))\n\n  \"two\" #\\a\r\nλ b");
    assert_eq!(datums.len(), 5);
    assert_eq!(&*datums[0].span.file, "test.scm");
    assert_eq!(position(&datums[0]), (1, 1));
    assert_eq!(position(&datums[1]), (4, 3));
    assert_eq!(position(&datums[2]), (4, 9));
    assert_eq!(position(&datums[3]), (5, 1));
    assert_eq!(position(&datums[4]), (5, 3));
    let DatumKind::List(items, _) = &datums[0].kind else { panic!() };
    assert_eq!(position(&items[0]), (1, 2));
    assert_eq!(position(&items[1]), (1, 9));
    let DatumKind::List(inner, _) = &items[2].kind else { panic!() };
    assert_eq!(position(&items[2]), (2, 3));
    assert_eq!(position(&inner[2]), (2, 8));
    // Columns count characters, not bytes.
    let datums = read("λλ b\n#(x y)");
    assert_eq!(position(&datums[1]), (1, 4));
    let DatumKind::Vector(items) = &datums[2].kind else { panic!() };
    assert_eq!(position(&datums[2]), (2, 1));
    assert_eq!(position(&items[1]), (2, 5));
    // A lone carriage return ends a line too.
    assert_eq!(position(&read("a\rb")[1]), (2, 1));
}

#[test]
fn streaming_reader() {
    let mut reader = Reader::new("1 (2 3)\n'4", "repl");
    let mut shown = Vec::new();
    while let Ok(Some(datum)) = reader.next_datum() {
        shown.push(datum.to_string());
    }
    assert_eq!(shown, ["1", "(2 3)", "'4"]);
    assert!(matches!(reader.next_datum(), Ok(None)));
}

#[test]
fn deep_nesting_reads_without_a_limit() {
    let depth = 100_000;
    let source = format!("{}{}", "(".repeat(depth), ")".repeat(depth));
    let datums = read(&source);
    assert_eq!(datums.len(), 1);
    let quoted = format!("{}x", "'".repeat(depth));
    assert_eq!(read(&quoted).len(), 1);
    // A host can set a limit.
    let mut reader = Reader::new(&source, "t").with_max_nesting(depth);
    assert!(reader.next_datum().is_ok_and(|d| d.is_some()));
    let mut reader = Reader::new(&source, "t").with_max_nesting(depth - 1);
    assert!(reader.next_datum().is_err());
}
