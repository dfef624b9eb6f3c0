//! The disassembler: a readable listing of a [`Proto`] and its nested procedures, used by
//! `seam --disasm` and golden tests.

use std::fmt::Write;

use crate::op::{Constant, Op, Proto};

/// Lists `proto` and its nested procedures. `global_name` turns a global slot into its name.
pub fn disassemble(proto: &Proto, global_name: &dyn Fn(u32) -> String) -> String {
    let mut out = String::new();
    write_proto(&mut out, proto, global_name, "");
    out
}

fn write_proto(out: &mut String, proto: &Proto, global_name: &dyn Fn(u32) -> String, path: &str) {
    let name = proto.name.as_deref().unwrap_or(if path.is_empty() { "<toplevel>" } else { "<lambda>" });
    let _ = writeln!(
        out,
        "proc {name}{path} at {}: {} required{}, {} registers, {} free",
        proto.span,
        proto.required,
        if proto.rest { " + rest" } else { "" },
        proto.frame_size,
        proto.free_count
    );
    let mut span_index = 0;
    for (pc, op) in proto.code.iter().enumerate() {
        let pc = pc as u32;
        let mut line = format!("  {pc:4}  {}", op_text(op));
        let name = |r: &u16| {
            proto.local_names.get(*r as usize).filter(|n| !n.is_empty()).map(|n| format!("r{r}={n}"))
        };
        let comment = match op {
            Op::Const { index, .. } => proto.constants.get(*index as usize).map(|c| match c {
                Constant::Datum(d) => format!("{d}"),
                Constant::Symbol(s) => format!("'{s}"),
            }),
            Op::Global { slot, .. } | Op::SetGlobal { slot, .. } | Op::DefineGlobal { slot, .. } => {
                Some(global_name(*slot))
            }
            Op::Move { src, .. } => name(src),
            Op::MakeBox(r) | Op::Return(r) => name(r),
            _ => None,
        };
        if let Some(c) = comment {
            while line.len() < 32 {
                line.push(' ');
            }
            let _ = write!(line, "; {c}");
        }
        while span_index < proto.spans.len() && proto.spans[span_index].0 <= pc {
            if proto.spans[span_index].0 == pc {
                let (_, span) = &proto.spans[span_index];
                while line.len() < 52 {
                    line.push(' ');
                }
                let _ = write!(line, "  @{}:{}", span.line, span.column);
            }
            span_index += 1;
        }
        let _ = writeln!(out, "{line}");
    }
    for (i, child) in proto.protos.iter().enumerate() {
        let _ = writeln!(out);
        write_proto(out, child, global_name, &format!("{path}/{i}"));
    }
}

fn op_text(op: &Op) -> String {
    // `Move { dst: 1, src: 0 }` reads better as `Move dst=1 src=0`, `Return(3)` as `Return 3`.
    let text = format!("{op:?}");
    let text = text.replace(" { ", " ").replace(" }", "").replace(": ", "=").replace(", ", " ");
    match text.find('(') {
        Some(i) => format!("{} {}", &text[..i], text[i + 1..].trim_end_matches(')')),
        None => text,
    }
}
