//! A tiny test-only s-expression reader producing `seam_syntax::Datum`s with spans.

use std::sync::Arc;

use seam_syntax::{Datum, DatumKind, Number, Span};

pub struct Reader<'a> {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    column: u32,
    file: Arc<str>,
    _src: &'a str,
}

impl<'a> Reader<'a> {
    pub fn new(src: &'a str) -> Self {
        Reader {
            chars: src.chars().collect(),
            pos: 0,
            line: 1,
            column: 1,
            file: Arc::from("test"),
            _src: src,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if c == ';' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c.is_whitespace() {
                self.bump();
            } else {
                break;
            }
        }
    }

    fn span(&self) -> Span {
        Span::new(self.file.clone(), self.line, self.column)
    }

    pub fn read(&mut self) -> Option<Datum> {
        self.skip_space();
        let span = self.span();
        let c = self.peek()?;
        let kind = match c {
            '(' | '[' => {
                self.bump();
                let mut items = Vec::new();
                let mut tail = None;
                loop {
                    self.skip_space();
                    match self.peek() {
                        Some(')') | Some(']') => {
                            self.bump();
                            break;
                        }
                        Some('.') if self.chars.get(self.pos + 1).is_some_and(|c| c.is_whitespace()) => {
                            self.bump();
                            tail = Some(Box::new(self.read().expect("tail")));
                        }
                        None => panic!("unterminated list"),
                        _ => items.push(self.read().expect("item")),
                    }
                }
                match tail.map(|t| *t) {
                    Some(Datum { kind: DatumKind::List(more, more_tail), .. }) => {
                        items.extend(more);
                        DatumKind::List(items, more_tail)
                    }
                    Some(t) => DatumKind::List(items, Some(Box::new(t))),
                    None => DatumKind::List(items, None),
                }
            }
            '\'' | '`' | ',' => {
                self.bump();
                let name = match c {
                    '\'' => "quote",
                    '`' => "quasiquote",
                    _ if self.peek() == Some('@') => {
                        self.bump();
                        "unquote-splicing"
                    }
                    _ => "unquote",
                };
                let head = Datum::new(DatumKind::Symbol(name.into()), span.clone());
                DatumKind::List(vec![head, self.read().expect("quoted")], None)
            }
            '"' => {
                self.bump();
                let mut s = String::new();
                while let Some(c) = self.bump() {
                    match c {
                        '"' => break,
                        '\\' => s.push(self.bump().unwrap_or('\\')),
                        c => s.push(c),
                    }
                }
                DatumKind::String(s)
            }
            '#' => {
                self.bump();
                match self.peek() {
                    Some('(') => match self.read().map(|d| d.kind) {
                        Some(DatumKind::List(items, None)) => DatumKind::Vector(items),
                        _ => panic!("bad vector"),
                    },
                    Some('\\') => {
                        self.bump();
                        DatumKind::Char(self.bump().expect("char"))
                    }
                    Some(d) if d.is_ascii_digit() => {
                        let mut n = 0u32;
                        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
                            n = n * 10 + d;
                            self.bump();
                        }
                        match self.bump() {
                            Some('=') => DatumKind::Label(n, Box::new(self.read().expect("labelled"))),
                            _ => DatumKind::LabelRef(n),
                        }
                    }
                    _ => {
                        let word = self.token();
                        match word.as_str() {
                            "t" | "true" => DatumKind::Bool(true),
                            "f" | "false" => DatumKind::Bool(false),
                            _ => panic!("bad # syntax {word}"),
                        }
                    }
                }
            }
            _ => {
                let word = self.token();
                match word.parse::<i64>() {
                    Ok(n) => DatumKind::Number(Number::Fixnum(n)),
                    Err(_) => match word.parse::<f64>() {
                        Ok(f) if word.contains('.') => DatumKind::Number(Number::Flonum(f)),
                        _ => DatumKind::Symbol(word),
                    },
                }
            }
        };
        Some(Datum::new(kind, span))
    }

    fn token(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || "()[]\";'`,".contains(c) {
                break;
            }
            s.push(c);
            self.bump();
        }
        s
    }
}

pub fn read_all(src: &str) -> Vec<Datum> {
    let mut reader = Reader::new(src);
    let mut out = Vec::new();
    while let Some(d) = reader.read() {
        out.push(d);
    }
    out
}
