//! The lexer: characters into tokens, tracking line and column, skipping whitespace,
//! comments and `#!fold-case` directives. Atoms (numbers, strings, characters, symbols,
//! booleans) come out finished; nesting is left to the reader.

use std::sync::Arc;

use crate::error::{ReadError, ReadErrorKind};
use crate::number::{classify_number, NumberError};
use crate::{DatumKind, Span};

/// What opens a compound datum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Open {
    List,
    Vector,
    Bytevector,
}

/// A prefix that applies to the datum after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prefix {
    Quote,
    Quasiquote,
    Unquote,
    UnquoteSplicing,
    /// `#;`: the next datum is skipped.
    DatumComment,
    /// `#n=`: the next datum is labelled `n`.
    Label(u32),
}

impl Prefix {
    /// How the prefix is written, for error messages.
    pub(crate) fn text(self) -> String {
        match self {
            Prefix::Quote => "'".to_string(),
            Prefix::Quasiquote => "`".to_string(),
            Prefix::Unquote => ",".to_string(),
            Prefix::UnquoteSplicing => ",@".to_string(),
            Prefix::DatumComment => "#;".to_string(),
            Prefix::Label(n) => format!("#{n}="),
        }
    }
}

#[derive(Debug)]
pub(crate) enum Token {
    Open(Open),
    Close,
    Dot,
    Prefix(Prefix),
    /// A finished simple datum, or a `LabelRef`.
    Atom(DatumKind),
}

/// Named characters, `#\name`, as R7RS lists them.
pub(crate) const CHAR_NAMES: [(&str, char); 10] = [
    ("alarm", '\u{7}'),
    ("backspace", '\u{8}'),
    ("delete", '\u{7f}'),
    ("escape", '\u{1b}'),
    ("newline", '\n'),
    ("null", '\0'),
    ("return", '\r'),
    ("space", ' '),
    ("tab", '\t'),
    // Not in R7RS's list but widely written; `#\linefeed` is R6RS.
    ("linefeed", '\n'),
];

/// Ends a token. R7RS's delimiters are whitespace, `|`, `(`, `)`, `"` and `;`; brackets
/// and braces are reserved, so they end tokens too (and are then refused).
pub(crate) fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | ';' | '|' | '[' | ']' | '{' | '}')
}

fn is_intraline_whitespace(c: char) -> bool {
    c == ' ' || c == '\t'
}

pub(crate) struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    column: u32,
    file: Arc<str>,
    /// Set by `#!fold-case`, cleared by `#!no-fold-case`.
    pub(crate) fold_case: bool,
    /// The longest number literal converted (see `Reader::with_max_number_length`).
    pub(crate) max_number_length: usize,
}

impl Lexer {
    pub(crate) fn new(source: &str, file: &str) -> Lexer {
        let mut lexer = Lexer {
            chars: source.chars().collect(),
            pos: 0,
            line: 1,
            column: 1,
            file: Arc::from(file),
            fold_case: false,
            max_number_length: usize::MAX,
        };
        // A script's `#!/usr/bin/env seam` (or `#! ...`) first line is not Scheme.
        if lexer.peek() == Some('#')
            && lexer.peek_at(1) == Some('!')
            && matches!(lexer.peek_at(2), Some('/' | ' '))
        {
            lexer.skip_line();
        }
        lexer
    }

    pub(crate) fn span(&self) -> Span {
        Span::new(self.file.clone(), self.line, self.column)
    }

    fn error(&self, span: Span, kind: ReadErrorKind) -> ReadError {
        ReadError::new(span, kind)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        match c {
            '\n' => self.new_line(),
            // `\r\n` is one line ending: the `\n` that follows starts the new line.
            '\r' if self.peek() != Some('\n') => self.new_line(),
            _ => self.column = self.column.saturating_add(1),
        }
        Some(c)
    }

    fn new_line(&mut self) {
        self.line = self.line.saturating_add(1);
        self.column = 1;
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.bump() {
            if c == '\n' {
                break;
            }
        }
    }

    /// The characters from here up to the next delimiter, consumed.
    fn take_until_delimiter(&mut self, into: &mut String) {
        while let Some(c) = self.peek() {
            if is_delimiter(c) {
                break;
            }
            into.push(c);
            self.bump();
        }
    }

    /// Skips whitespace, `;` and `#| |#` comments and `#!` directives.
    fn skip_atmosphere(&mut self) -> Result<(), ReadError> {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some(';'), _) => self.skip_line(),
                (Some('#'), Some('|')) => self.skip_block_comment()?,
                (Some('#'), Some('!')) => self.directive()?,
                _ => return Ok(()),
            }
        }
    }

    fn skip_block_comment(&mut self) -> Result<(), ReadError> {
        let start = self.span();
        self.bump();
        self.bump();
        let mut depth = 1usize;
        while depth > 0 {
            match self.bump() {
                None => return Err(self.error(start, ReadErrorKind::UnterminatedBlockComment)),
                Some('|') if self.peek() == Some('#') => {
                    self.bump();
                    depth -= 1;
                }
                Some('#') if self.peek() == Some('|') => {
                    self.bump();
                    depth += 1;
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn directive(&mut self) -> Result<(), ReadError> {
        let start = self.span();
        let mut text = String::new();
        self.take_until_delimiter(&mut text);
        match text.to_lowercase().as_str() {
            "#!fold-case" => self.fold_case = true,
            "#!no-fold-case" => self.fold_case = false,
            _ => return Err(self.error(start, ReadErrorKind::BadHashSyntax(text))),
        }
        Ok(())
    }

    /// The next token and the span of its first character, or `None` at end of input.
    pub(crate) fn next_token(&mut self) -> Result<Option<(Token, Span)>, ReadError> {
        self.skip_atmosphere()?;
        let span = self.span();
        let Some(c) = self.bump() else {
            return Ok(None);
        };
        let token = match c {
            '(' => Token::Open(Open::List),
            ')' => Token::Close,
            '[' | ']' => return Err(self.error(span, ReadErrorKind::Bracket)),
            '{' | '}' => return Err(self.error(span, ReadErrorKind::Brace)),
            '\'' => Token::Prefix(Prefix::Quote),
            '`' => Token::Prefix(Prefix::Quasiquote),
            ',' if self.peek() == Some('@') => {
                self.bump();
                Token::Prefix(Prefix::UnquoteSplicing)
            }
            ',' => Token::Prefix(Prefix::Unquote),
            '"' => Token::Atom(DatumKind::String(self.delimited('"', &span)?)),
            '|' => Token::Atom(DatumKind::Symbol(self.delimited('|', &span)?)),
            '#' => self.hash(&span)?,
            _ => {
                let mut text = String::from(c);
                self.take_until_delimiter(&mut text);
                self.plain_token(text, &span)?
            }
        };
        Ok(Some((token, span)))
    }

    /// A token that does not start with a special character: `.`, a number or a symbol.
    fn plain_token(&self, text: String, span: &Span) -> Result<Token, ReadError> {
        if text == "." {
            return Ok(Token::Dot);
        }
        self.check_number_length(&text, span)?;
        match classify_number(&text, 10) {
            Ok(number) => Ok(Token::Atom(DatumKind::Number(number))),
            Err(NumberError::Invalid) => Err(self.error(span.clone(), ReadErrorKind::BadNumber(text))),
            // Anything else is a symbol, including forms R7RS does not strictly allow
            // (`1+`, `@x`, `a'b`) but that Schemes commonly accept.
            Err(NumberError::NotNumber) => Ok(Token::Atom(DatumKind::Symbol(self.fold(text)))),
        }
    }

    /// Refuses a token longer than `max_number_length` that starts like a number (a digit,
    /// or a sign or `.` and a digit, or a `#` prefix): converting decimal text to a bignum
    /// takes time superlinear in its length.
    fn check_number_length(&self, text: &str, span: &Span) -> Result<(), ReadError> {
        if text.len() <= self.max_number_length {
            return Ok(());
        }
        let body = text.trim_start_matches(['+', '-', '.']);
        if text.starts_with('#') || body.starts_with(|c: char| c.is_ascii_digit()) {
            let kind = ReadErrorKind::NumberTooLong { length: text.len(), most: self.max_number_length };
            return Err(self.error(span.clone(), kind));
        }
        Ok(())
    }

    /// `#!fold-case`: identifiers are folded as by `string-foldcase` (full case folding,
    /// so `STRAẞE` reads as `strasse`).
    fn fold(&self, text: String) -> String {
        if !self.fold_case {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            let upper = c.to_uppercase();
            if c == '\u{1E9E}' {
                out.push_str("ss");
            } else if upper.len() > 1 {
                out.extend(upper.flat_map(char::to_lowercase));
            } else {
                out.extend(c.to_lowercase());
            }
        }
        out
    }

    /// Everything that starts with `#`, except `#|` and `#!` (atmosphere).
    fn hash(&mut self, span: &Span) -> Result<Token, ReadError> {
        match self.peek() {
            Some('(') => {
                self.bump();
                return Ok(Token::Open(Open::Vector));
            }
            Some(';') => {
                self.bump();
                return Ok(Token::Prefix(Prefix::DatumComment));
            }
            Some('\\') => {
                self.bump();
                return self.character(span).map(|c| Token::Atom(DatumKind::Char(c)));
            }
            Some(c) if c.is_ascii_digit() => return self.label(span),
            _ => {}
        }
        let mut text = String::from('#');
        self.take_until_delimiter(&mut text);
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "#t" | "#true" => return Ok(Token::Atom(DatumKind::Bool(true))),
            "#f" | "#false" => return Ok(Token::Atom(DatumKind::Bool(false))),
            "#u8" if self.peek() == Some('(') => {
                self.bump();
                return Ok(Token::Open(Open::Bytevector));
            }
            _ => {}
        }
        if matches!(lower.chars().nth(1), Some('x' | 'o' | 'b' | 'd' | 'e' | 'i')) {
            self.check_number_length(&text, span)?;
            return match classify_number(&text, 10) {
                Ok(number) => Ok(Token::Atom(DatumKind::Number(number))),
                Err(_) => Err(self.error(span.clone(), ReadErrorKind::BadNumber(text))),
            };
        }
        Err(self.error(span.clone(), ReadErrorKind::BadHashSyntax(text)))
    }

    /// `#n=` or `#n#`, after the `#`.
    fn label(&mut self, span: &Span) -> Result<Token, ReadError> {
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            digits.push(c);
            self.bump();
        }
        let bad = |text: &str| ReadError::new(span.clone(), ReadErrorKind::BadLabel(format!("#{text}")));
        let Ok(number) = digits.parse::<u32>() else {
            return Err(bad(&digits));
        };
        match self.peek() {
            Some('=') => {
                self.bump();
                Ok(Token::Prefix(Prefix::Label(number)))
            }
            Some('#') => {
                self.bump();
                Ok(Token::Atom(DatumKind::LabelRef(number)))
            }
            _ => {
                self.take_until_delimiter(&mut digits);
                Err(bad(&digits))
            }
        }
    }

    /// A character literal, after `#\`.
    fn character(&mut self, span: &Span) -> Result<char, ReadError> {
        let Some(first) = self.bump() else {
            return Err(self.error(span.clone(), ReadErrorKind::EndAfter("#\\".to_string())));
        };
        // `#\(`, `#\ `, `#\;` and friends: a delimiter is the character itself.
        if is_delimiter(first) {
            return Ok(first);
        }
        let mut name = String::from(first);
        self.take_until_delimiter(&mut name);
        if name.chars().count() == 1 {
            return Ok(first);
        }
        let folded = self.fold(name.clone());
        if let Some(&(_, c)) = CHAR_NAMES.iter().find(|(n, _)| *n == folded) {
            return Ok(c);
        }
        if let Some(hex) = name.strip_prefix(['x', 'X']) {
            if hex.chars().all(|c| c.is_ascii_hexdigit()) {
                if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                    return Ok(c);
                }
            }
        }
        Err(self.error(span.clone(), ReadErrorKind::UnknownCharName(name)))
    }

    /// The body of a `"string"` or `|symbol|` (after the opening `close` character),
    /// with escapes resolved.
    fn delimited(&mut self, close: char, span: &Span) -> Result<String, ReadError> {
        let (within, unterminated) = if close == '"' {
            ("string", ReadErrorKind::UnterminatedString)
        } else {
            ("symbol", ReadErrorKind::UnterminatedSymbol)
        };
        let mut text = String::new();
        loop {
            let escape_span = self.span();
            match self.bump() {
                None => return Err(self.error(span.clone(), unterminated)),
                Some(c) if c == close => return Ok(text),
                Some('\\') => {
                    let bad = |escape: String| ReadErrorKind::BadEscape { escape, within };
                    let Some(c) = self.bump() else {
                        return Err(self.error(span.clone(), unterminated));
                    };
                    match c {
                        'a' => text.push('\u{7}'),
                        'b' => text.push('\u{8}'),
                        't' => text.push('\t'),
                        'n' => text.push('\n'),
                        'r' => text.push('\r'),
                        '"' | '\\' | '|' => text.push(c),
                        'x' | 'X' => match self.hex_escape(c) {
                            Ok(decoded) => text.push(decoded),
                            // More input could still finish the escape and the string.
                            Err(_) if self.peek().is_none() => {
                                return Err(self.error(span.clone(), unterminated))
                            }
                            Err(escape) => return Err(self.error(escape_span, bad(escape))),
                        },
                        c if close == '"' && (is_intraline_whitespace(c) || c == '\n' || c == '\r') => {
                            if let Err(escape) = self.line_continuation(c) {
                                if self.peek().is_none() {
                                    return Err(self.error(span.clone(), unterminated));
                                }
                                return Err(self.error(escape_span, bad(escape)));
                            }
                        }
                        c => return Err(self.error(escape_span, bad(format!("\\{c}")))),
                    }
                }
                Some(c) => text.push(c),
            }
        }
    }

    /// `\x41;` after the `\x`: the character, or the escape's text for the error.
    fn hex_escape(&mut self, x: char) -> Result<char, String> {
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_hexdigit) {
            digits.push(c);
            self.bump();
        }
        let escape = format!("\\{x}{digits}");
        if self.peek() != Some(';') {
            return Err(escape);
        }
        self.bump();
        u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32).ok_or(format!("{escape};"))
    }

    /// A `\` then intraline whitespace, a line ending and more intraline whitespace, all
    /// skipped. `first` is the character after the `\`, already consumed. If no line
    /// ending follows the whitespace, the escape's text for the error.
    fn line_continuation(&mut self, first: char) -> Result<(), String> {
        let mut escape = String::from('\\');
        let mut c = first;
        while is_intraline_whitespace(c) {
            escape.push(c);
            match self.bump() {
                Some(next) => c = next,
                None => return Err(escape),
            }
        }
        match c {
            '\n' => {}
            '\r' => {
                if self.peek() == Some('\n') {
                    self.bump();
                }
            }
            _ => {
                escape.push(c);
                return Err(escape);
            }
        }
        while self.peek().is_some_and(is_intraline_whitespace) {
            self.bump();
        }
        Ok(())
    }
}
