//! The bytecode verifier: every proto is checked when it is loaded, so the interpreter can
//! trust its operands. After verification, for every instruction of a `Code`:
//! - register operands (and the register ranges of calls and closures) are below
//!   `frame_size`;
//! - constant, child-proto, global and free-variable indices are in range;
//! - jump targets are instruction indices of the same code;
//! - the last instruction does not fall through (`Return`, `TailCall` or `Jump`), so `pc`
//!   stays in bounds.
//!
//! Together with the frame invariant (a running frame's stack is `base + frame_size` long)
//! this is what makes the interpreter's unchecked register and instruction accesses sound.

use seam_compile::{Op, Proto};

/// Why a proto was rejected (a compiler bug or a hand-made proto).
#[derive(Debug, Clone, thiserror::Error)]
#[error("invalid bytecode in {name} at instruction {pc}: {problem}")]
pub struct VerifyError {
    pub name: String,
    pub pc: usize,
    pub problem: String,
}

/// Checks `proto` (not its children: the loader checks each proto it loads). `globals` is
/// the number of global slots.
pub fn verify(proto: &Proto, globals: usize) -> Result<(), VerifyError> {
    let size = proto.frame_size as usize;
    let fail = |pc: usize, problem: String| VerifyError {
        name: proto.name.as_deref().unwrap_or("<toplevel>").to_string(),
        pc,
        problem,
    };
    if size < proto.required as usize + usize::from(proto.rest) {
        return Err(fail(0, format!("frame of {size} registers cannot hold the parameters")));
    }
    match proto.code.last() {
        Some(Op::Return(_) | Op::TailCall { .. } | Op::Jump(_)) => {}
        _ => return Err(fail(proto.code.len(), "code may run past its end".into())),
    }
    for (pc, op) in proto.code.iter().enumerate() {
        let reg = |r: u16| -> Result<(), VerifyError> {
            if (r as usize) < size {
                Ok(())
            } else {
                Err(fail(pc, format!("register {r} outside a frame of {size}")))
            }
        };
        let range = |first: u16, count: usize| -> Result<(), VerifyError> {
            if first as usize + count < size || (count == 0 && (first as usize) < size) {
                Ok(())
            } else {
                Err(fail(
                    pc,
                    format!("registers {first}..={} outside a frame of {size}", first as usize + count),
                ))
            }
        };
        let target = |t: u32| -> Result<(), VerifyError> {
            if (t as usize) < proto.code.len() {
                Ok(())
            } else {
                Err(fail(pc, format!("jump target {t} outside the code")))
            }
        };
        // The fused increments (`IncJumpIfLt`, ...) may skip the instruction after them.
        if matches!(
            op,
            Op::IncJumpIfLt { .. }
                | Op::IncJumpIfEq { .. }
                | Op::IncJumpIfGt { .. }
                | Op::IncJumpIfLtImm { .. }
                | Op::IncJumpIfEqImm { .. }
                | Op::IncJumpIfGtImm { .. }
                | Op::IncJumpUnlessLt { .. }
                | Op::IncJumpUnlessEq { .. }
                | Op::IncJumpUnlessGt { .. }
                | Op::IncJumpUnlessLtImm { .. }
                | Op::IncJumpUnlessEqImm { .. }
                | Op::IncJumpUnlessGtImm { .. }
        ) && pc + 2 >= proto.code.len()
        {
            return Err(fail(pc, "skips past the end of the code".into()));
        }
        let free = |i: u16| -> Result<(), VerifyError> {
            if u32::from(i) < proto.free_count {
                Ok(())
            } else {
                Err(fail(pc, format!("free variable {i} of {}", proto.free_count)))
            }
        };
        let global = |slot: u32| -> Result<(), VerifyError> {
            if (slot as usize) < globals {
                Ok(())
            } else {
                Err(fail(pc, format!("global slot {slot} does not exist")))
            }
        };
        match *op {
            Op::Const { dst, index } => {
                reg(dst)?;
                if index as usize >= proto.constants.len() {
                    return Err(fail(pc, format!("constant {index} does not exist")));
                }
            }
            Op::Fixnum { dst, .. } => reg(dst)?,
            Op::True(r) | Op::False(r) | Op::Null(r) | Op::Unspecified(r) | Op::Undefined(r) => reg(r)?,
            Op::MakeBox(r) | Op::Return(r) => reg(r)?,
            Op::Move { dst, src } | Op::LoadBox { dst, src } => {
                reg(dst)?;
                reg(src)?;
            }
            Op::StoreBox { boxed, src } => {
                reg(boxed)?;
                reg(src)?;
            }
            Op::Free { dst, index } | Op::FreeBox { dst, index } => {
                reg(dst)?;
                free(index)?;
            }
            Op::StoreFreeBox { index, src } => {
                reg(src)?;
                free(index)?;
            }
            Op::Global { dst: r, slot }
            | Op::SetGlobal { src: r, slot }
            | Op::DefineGlobal { src: r, slot } => {
                reg(r)?;
                global(slot)?;
            }
            Op::Jump(t) => target(t)?,
            Op::JumpIfFalse { src, target: t } => {
                reg(src)?;
                target(t)?;
            }
            Op::JumpUnlessNull { a, target: t }
            | Op::JumpUnlessPair { a, target: t }
            | Op::JumpUnlessZero { a, target: t }
            | Op::JumpIfZero { a, target: t }
            | Op::JumpIfNull { a, target: t }
            | Op::JumpIfPair { a, target: t } => {
                reg(a)?;
                target(t)?;
            }
            Op::JumpUnlessLtImm { a, target: t, .. }
            | Op::JumpUnlessEqImm { a, target: t, .. }
            | Op::JumpIfLtImm { a, target: t, .. }
            | Op::JumpIfEqImm { a, target: t, .. }
            | Op::JumpUnlessGtImm { a, target: t, .. }
            | Op::JumpIfGtImm { a, target: t, .. }
            | Op::IncJumpIfLtImm { a, target: t, .. }
            | Op::IncJumpIfEqImm { a, target: t, .. }
            | Op::IncJumpIfGtImm { a, target: t, .. }
            | Op::IncJumpUnlessLtImm { a, target: t, .. }
            | Op::IncJumpUnlessEqImm { a, target: t, .. }
            | Op::IncJumpUnlessGtImm { a, target: t, .. } => {
                reg(a)?;
                target(u32::from(t))?;
            }
            Op::JumpUnlessLt { a, b, target: t }
            | Op::JumpUnlessEq { a, b, target: t }
            | Op::JumpIfLt { a, b, target: t }
            | Op::IncJumpIfLt { a, b, target: t, .. }
            | Op::IncJumpIfEq { a, b, target: t, .. }
            | Op::IncJumpIfGt { a, b, target: t, .. }
            | Op::IncJumpUnlessLt { a, b, target: t, .. }
            | Op::IncJumpUnlessEq { a, b, target: t, .. }
            | Op::IncJumpUnlessGt { a, b, target: t, .. }
            | Op::JumpUnlessGt { a, b, target: t }
            | Op::JumpIfGt { a, b, target: t }
            | Op::JumpIfEq { a, b, target: t } => {
                reg(a)?;
                reg(b)?;
                target(u32::from(t))?;
            }
            Op::MakeClosure { dst, proto: child } => {
                let Some(c) = proto.protos.get(child as usize) else {
                    return Err(fail(pc, format!("child procedure {child} does not exist")));
                };
                range(dst, c.free_count as usize)?;
            }
            Op::MakeCaseLambda { dst, first, count } => {
                reg(dst)?;
                if count == 0 {
                    return Err(fail(pc, "case-lambda without clauses".into()));
                }
                range(first, count as usize - 1)?;
            }
            Op::FixClosure { closure, value, .. } => {
                reg(closure)?;
                reg(value)?;
            }
            Op::Call { func, argc } | Op::TailCall { func, argc } => range(func, argc as usize)?,
            Op::CallBuiltin { first, builtin, argc } => {
                range(first, usize::from(argc).saturating_sub(1))?;
                match crate::builtins::BUILTINS.get(usize::from(builtin)) {
                    Some(b)
                        if matches!(b.kind, crate::builtins::Kind::Simple(_))
                            && b.accepts(usize::from(argc)) => {}
                    _ => {
                        return Err(fail(
                            pc,
                            format!("builtin {builtin} is not a plain builtin taking {argc} arguments"),
                        ))
                    }
                }
            }
            Op::Add { dst, a, b }
            | Op::Sub { dst, a, b }
            | Op::Mul { dst, a, b }
            | Op::NumEq { dst, a, b }
            | Op::Lt { dst, a, b }
            | Op::Le { dst, a, b }
            | Op::Gt { dst, a, b }
            | Op::Ge { dst, a, b }
            | Op::Cons { dst, a, b }
            | Op::IsEq { dst, a, b }
            | Op::VectorRef { dst, a, b }
            | Op::Divide { dst, a, b, .. } => {
                reg(dst)?;
                reg(a)?;
                reg(b)?;
            }
            Op::AddImm { dst, a, .. }
            | Op::Car { dst, a }
            | Op::Cdr { dst, a }
            | Op::IsNull { dst, a }
            | Op::IsPair { dst, a }
            | Op::Not { dst, a }
            | Op::IsZero { dst, a } => {
                reg(dst)?;
                reg(a)?;
            }
            Op::VectorSet { a, b, c } => {
                reg(a)?;
                reg(b)?;
                reg(c)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::verify;
    use crate::builtins::{Kind, BUILTINS};
    use seam_compile::{Constant, Division, Op, Proto};
    use seam_syntax::Span;

    /// A proto of `frame_size` registers (one required parameter) running `code`.
    fn proto(frame_size: u32, code: Vec<Op>) -> Proto {
        Proto {
            name: Some("test".into()),
            required: 1,
            rest: false,
            frame_size,
            free_count: 1,
            code,
            constants: vec![Constant::Symbol("k".into())],
            protos: Vec::new(),
            spans: Vec::new(),
            span: Span::synthetic(),
            local_names: Vec::new(),
        }
    }

    /// Why `code` (followed by `Return(0)`) is refused in a frame of 4 registers and 2
    /// globals; empty when it is accepted.
    fn problem(code: &[Op]) -> String {
        let mut code = code.to_vec();
        code.push(Op::Return(0));
        match verify(&proto(4, code), 2) {
            Ok(()) => String::new(),
            Err(e) => e.problem,
        }
    }

    fn builtin(name: &str) -> u16 {
        BUILTINS.iter().position(|b| b.name == name).and_then(|i| u16::try_from(i).ok()).unwrap()
    }

    #[test]
    fn well_formed_code_is_accepted() {
        let car = builtin("car");
        for op in [
            Op::Move { dst: 3, src: 0 },
            Op::Const { dst: 1, index: 0 },
            Op::Global { dst: 2, slot: 1 },
            Op::Free { dst: 0, index: 0 },
            Op::Jump(1),
            Op::Call { func: 1, argc: 2 },
            Op::CallBuiltin { first: 3, builtin: car, argc: 1 },
            Op::Divide { kind: Division::Modulo, dst: 0, a: 1, b: 2 },
        ] {
            assert_eq!(problem(&[op]), "", "{op:?}");
        }
    }

    /// Each check the verifier makes, with an instruction that fails it.
    #[test]
    fn every_check_refuses_what_it_checks() {
        let vm_builtin = BUILTINS.iter().position(|b| matches!(b.kind, Kind::Vm(_))).unwrap() as u16;
        let car = builtin("car");
        let cases: &[(Op, &str)] = &[
            (Op::Move { dst: 4, src: 0 }, "register 4 outside a frame of 4"),
            (Op::Move { dst: 0, src: 9 }, "register 9 outside a frame of 4"),
            (Op::Call { func: 2, argc: 2 }, "registers 2..=4 outside a frame of 4"),
            (Op::Const { dst: 0, index: 1 }, "constant 1 does not exist"),
            (Op::Global { dst: 0, slot: 2 }, "global slot 2 does not exist"),
            (Op::Free { dst: 0, index: 1 }, "free variable 1 of 1"),
            (Op::Jump(7), "jump target 7 outside the code"),
            (Op::JumpIfFalse { src: 0, target: 2 }, "jump target 2 outside the code"),
            (Op::JumpIfZero { a: 6, target: 0 }, "register 6 outside a frame of 4"),
            (Op::JumpUnlessZero { a: 0, target: 3 }, "jump target 3 outside the code"),
            (Op::JumpUnlessGtImm { a: 0, imm: 1, target: 5 }, "jump target 5 outside the code"),
            (Op::JumpIfGt { a: 0, b: 7, target: 0 }, "register 7 outside a frame of 4"),
            (Op::MakeClosure { dst: 0, proto: 0 }, "child procedure 0 does not exist"),
            (Op::MakeCaseLambda { dst: 0, first: 1, count: 0 }, "case-lambda without clauses"),
            (Op::Divide { kind: Division::Quotient, dst: 0, a: 1, b: 5 }, "register 5 outside a frame of 4"),
            (Op::CallBuiltin { first: 3, builtin: car, argc: 2 }, "registers 3..=4 outside a frame of 4"),
            (
                Op::CallBuiltin { first: 0, builtin: car, argc: 2 },
                "is not a plain builtin taking 2 arguments",
            ),
            (Op::CallBuiltin { first: 0, builtin: vm_builtin, argc: 1 }, "is not a plain builtin"),
            (Op::CallBuiltin { first: 0, builtin: u16::MAX, argc: 1 }, "is not a plain builtin"),
        ];
        for (op, expected) in cases {
            let got = problem(&[*op]);
            assert!(got.contains(expected), "{op:?}: expected {expected:?}, got {got:?}");
        }
    }

    /// A fused increment-and-test is checked like the test, and may skip the instruction
    /// after it, so two must follow it.
    #[test]
    fn fused_increments_are_checked() {
        let ending = [Op::JumpIfLt { a: 0, b: 1, target: 0 }, Op::Return(0)];
        let check = |op: Op, after: &[Op]| {
            let code = [&[op][..], after].concat();
            verify(&proto(4, code), 2).err().map(|e| e.problem).unwrap_or_default()
        };
        assert_eq!(check(Op::IncJumpIfLt { a: 0, inc: 1, b: 1, target: 0 }, &ending), "");
        assert_eq!(check(Op::IncJumpUnlessEqImm { a: 0, inc: -1, imm: 3, target: 2 }, &ending), "");
        let cases: &[(Op, &str)] = &[
            (Op::IncJumpIfLt { a: 0, inc: 1, b: 4, target: 0 }, "register 4 outside a frame of 4"),
            (Op::IncJumpUnlessGt { a: 5, inc: 1, b: 0, target: 0 }, "register 5 outside a frame of 4"),
            (Op::IncJumpIfEqImm { a: 0, inc: 1, imm: 3, target: 9 }, "jump target 9 outside the code"),
        ];
        for (op, expected) in cases {
            let got = check(*op, &ending);
            assert!(got.contains(expected), "{op:?}: expected {expected:?}, got {got:?}");
        }
        let got = check(Op::IncJumpIfGtImm { a: 0, inc: 1, imm: 3, target: 0 }, &[Op::Return(0)]);
        assert!(got.contains("skips past the end of the code"), "{got}");
    }

    #[test]
    fn frames_and_endings_are_checked() {
        let small = verify(&proto(0, vec![Op::Return(0)]), 0).unwrap_err();
        assert!(small.problem.contains("cannot hold the parameters"), "{}", small.problem);
        let falls_through = verify(&proto(2, vec![Op::Move { dst: 0, src: 1 }]), 0).unwrap_err();
        assert!(falls_through.problem.contains("run past its end"), "{}", falls_through.problem);
        let empty = verify(&proto(2, Vec::new()), 0).unwrap_err();
        assert!(empty.problem.contains("run past its end"), "{}", empty.problem);
    }
}
