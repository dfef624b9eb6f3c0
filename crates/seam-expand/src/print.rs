//! Writing syntax back as text, for error messages (long forms are cut short).

use std::fmt::Write;

use seam_syntax::{DatumKind, Number};

use crate::syntax::{Stx, StxKind};
use crate::Expander;

/// Error messages quote forms up to about this many characters.
const MAX_SHOWN: usize = 200;

impl Expander {
    /// The form as Scheme text, with aliases shown as their original names.
    pub(crate) fn show(&self, stx: &Stx) -> String {
        let mut out = String::new();
        self.write_stx(stx, &mut out);
        if out.len() > MAX_SHOWN {
            let mut cut = MAX_SHOWN;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push_str(" ...");
        }
        out
    }

    /// Writes `stx` to `out`, up to about [`MAX_SHOWN`] bytes.
    fn write_stx(&self, stx: &Stx, out: &mut String) {
        seam_syntax::grow_stack(|| self.write_stx_level(stx, out))
    }

    /// [`Expander::write_stx`] for one level.
    fn write_stx_level(&self, stx: &Stx, out: &mut String) {
        if out.len() > MAX_SHOWN {
            return;
        }
        match &stx.kind {
            StxKind::Ident(id) => {
                let _ = seam_syntax::write_symbol(&self.base_name(id), out);
            }
            StxKind::Atom(atom) => write_atom(atom, out),
            StxKind::List(items, tail) => {
                out.push('(');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    self.write_stx(item, out);
                }
                if let Some(tail) = tail {
                    out.push_str(" . ");
                    self.write_stx(tail, out);
                }
                out.push(')');
            }
            StxKind::Vector(items) => {
                out.push_str("#(");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    self.write_stx(item, out);
                }
                out.push(')');
            }
            StxKind::Label(n, d) => {
                let _ = write!(out, "#{n}=");
                self.write_stx(d, out);
            }
            StxKind::LabelRef(n) => {
                let _ = write!(out, "#{n}#");
            }
        }
    }
}

fn write_atom(atom: &DatumKind, out: &mut String) {
    match atom {
        DatumKind::Bool(b) => out.push_str(if *b { "#t" } else { "#f" }),
        DatumKind::Number(n) => write_number(n, out),
        DatumKind::Char(c) => {
            let _ = match c {
                ' ' => write!(out, "#\\space"),
                '\n' => write!(out, "#\\newline"),
                '\t' => write!(out, "#\\tab"),
                c => write!(out, "#\\{c}"),
            };
        }
        DatumKind::String(s) => {
            let _ = write!(out, "{s:?}");
        }
        DatumKind::Bytevector(bytes) => {
            out.push_str("#u8(");
            let parts: Vec<String> = bytes.iter().map(|b| b.to_string()).collect();
            out.push_str(&parts.join(" "));
            out.push(')');
        }
        _ => out.push_str("#<datum>"),
    }
}

fn write_number(n: &Number, out: &mut String) {
    let _ = write!(out, "{n}");
}
