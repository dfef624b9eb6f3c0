//! `eval`, `environment` and `load`: running data as code. The VM owns the expander, so a
//! running program can expand, compile and load new code; `eval` then calls the result in
//! tail position (`Control::Eval` in `call.rs`).

use std::sync::Arc;

use seam_expand::Environment;
use seam_syntax::{Datum, DatumKind, Reader, Span};

use crate::builtins::{simple, with_vm, Builtin};
use crate::error::Condition;
use crate::heap::Heap;
use crate::num::to_number;
use crate::object::Object;
use crate::value::Value;
use crate::vm::Vm;

/// Pairs and vector elements `eval` converts before giving up (a cyclic datum is an error,
/// not a hang). Nesting has no limit of its own: the conversion grows the stack as it
/// recurses.
const MAX_NODES: usize = 10_000_000;

pub(crate) const BUILTINS: &[Builtin] = &[
    with_vm("%environment", 1, 1, |vm, a| vm.make_environment(a[0], None)),
    with_vm("%package-environment", 2, 2, |vm, a| {
        let package = package_name(vm, a[0])?;
        vm.make_environment(a[1], Some(&package))
    }),
    with_vm("%package-interaction-environment", 1, 1, |vm, a| {
        let package = package_name(vm, a[0])?;
        let (env, code) = vm.expander.package_interaction_environment(&package).map_err(syntax_condition)?;
        let init = match code.kind {
            seam_expand::ExprKind::Unspecified => Value::Bool(false),
            _ => vm.compile_thunk(&code, "interaction-environment")?,
        };
        let env = vm.heap.alloc(Object::Environment(env));
        Ok(vm.heap.cons(env, init))
    }),
    with_vm("interaction-environment", 0, 0, |vm, _| Ok(vm.environment_value(Environment::INTERACTION))),
    with_vm("environment?", 1, 1, |vm, a| {
        Ok(Value::Bool(matches!(vm.heap.object(a[0]), Some(Object::Environment(_)))))
    }),
    with_vm("%read-forms", 1, 1, |vm, a| vm.read_forms(a[0])),
    simple("features", 0, 0, |heap, _| {
        let names: Vec<Value> = seam_expand::FEATURES.iter().map(|f| heap.intern(f)).collect();
        Ok(heap.list(&names))
    }),
];

impl Vm {
    /// Compiles `code` (a datum, or a form `load` read) in environment `env` into a thunk.
    pub(crate) fn compile_for_eval(&mut self, code: Value, env: Value) -> Result<Value, Condition> {
        let env = match self.heap.object(env) {
            Some(Object::Environment(env)) => *env,
            _ => return Err(Condition::wrong_type(&self.heap, "eval", 2, "environment", env)),
        };
        let datum = match self.heap.object(code) {
            Some(Object::Syntax(datum)) => (**datum).clone(),
            _ => value_to_datum(&self.heap, code, &Span::synthetic())
                .map_err(|message| Condition::new("type", format!("eval: {message}")).with_irritant(code))?,
        };
        let expr = self.expander.expand_toplevel_in(&datum, env).map_err(syntax_condition)?;
        self.compile_thunk(&expr, "eval")
    }

    /// Compiles and loads an expanded expression as a procedure of no arguments.
    fn compile_thunk(&mut self, expr: &seam_expand::Expr, who: &str) -> Result<Value, Condition> {
        let proto =
            seam_compile::compile(expr, self).map_err(|e| Condition::new("syntax", format!("{who}: {e}")))?;
        self.load(&proto).map_err(|e| Condition::new("error", format!("{who}: {e}")))
    }

    /// `(%environment import-sets)`: a pair of the new environment and a thunk that runs
    /// the bodies of libraries loaded for it. Environments with the same import sets are
    /// made once and shared (so a loop calling `environment` does not grow the expander).
    /// Made for code of `package`, the imports get that package's capabilities.
    pub(crate) fn make_environment(
        &mut self,
        sets: Value,
        package: Option<&str>,
    ) -> Result<Value, Condition> {
        let Some(items) = self.heap.list_to_vec(sets) else {
            return Err(Condition::wrong_type(&self.heap, "environment", 1, "list of import sets", sets));
        };
        let mut datums = Vec::with_capacity(items.len());
        for item in items {
            let datum = value_to_datum(&self.heap, item, &Span::synthetic())
                .map_err(|m| Condition::new("type", format!("environment: {m}")).with_irritant(item))?;
            datums.push(datum);
        }
        let mut key = datums.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(" ");
        if let Some(package) = package {
            key = format!("[package {package}] {key}");
        }
        let (env, init) = match self.environments.get(&key) {
            Some(env) => (*env, Value::Bool(false)),
            None => {
                let made = match package {
                    Some(package) => self.expander.package_environment(&datums, package),
                    None => self.expander.environment(&datums),
                };
                let (env, code) = made.map_err(syntax_condition)?;
                // Kept for the VM's life: counted in the memory limit.
                self.heap.pin_bytes(self.expander.environment_bytes(env) + 2 * key.len() + 64);
                self.environments.insert(key, env);
                (env, self.compile_thunk(&code, "environment")?)
            }
        };
        let env = self.heap.alloc(Object::Environment(env));
        Ok(self.heap.cons(env, init))
    }

    /// `(%read-forms path)`: the forms of a source file, as values `eval` runs with their
    /// spans intact (what `load` evaluates one by one).
    pub(crate) fn read_forms(&mut self, path: Value) -> Result<Value, Condition> {
        let Some(name) = self.heap.string_value(path) else {
            return Err(Condition::wrong_type(&self.heap, "load", 1, "string", path));
        };
        let text = std::fs::read_to_string(&name).map_err(|e| {
            Condition::new("file", format!("load: cannot read {name}: {e}")).with_irritant(path)
        })?;
        let mut reader = Reader::new(&text, &name);
        let mut forms = Vec::new();
        loop {
            match reader.next_datum() {
                Ok(Some(datum)) => forms.push(self.heap.alloc(Object::Syntax(Box::new(datum)))),
                Ok(None) => break,
                Err(e) => return Err(Condition::new("read", format!("load: {e}"))),
            }
        }
        self.expander.note_file_read(Arc::from(name.as_str()), Arc::from(text.as_str()));
        Ok(self.heap.list(&forms))
    }

    pub(crate) fn environment_value(&mut self, env: Environment) -> Value {
        self.heap.alloc(Object::Environment(env))
    }
}

fn package_name(vm: &Vm, name: Value) -> Result<String, Condition> {
    vm.heap
        .string_value(name)
        .ok_or_else(|| Condition::wrong_type(&vm.heap, "environment", 1, "string", name))
}

/// An expansion error as a Scheme condition; the position is left out for code that has
/// none (data built at run time).
fn syntax_condition(e: seam_expand::ExpandError) -> Condition {
    match e.span.line {
        0 => Condition::new("syntax", e.message),
        _ => Condition::new("syntax", e.to_string()),
    }
}

/// A value as the datum it writes as, for `eval`. Fails on values that have no written
/// form as code (procedures, ports, ...) and on cyclic or absurdly large data.
pub fn value_to_datum(heap: &Heap, value: Value, span: &Span) -> Result<Datum, String> {
    let mut budget = MAX_NODES;
    convert(heap, value, span, &mut budget)
}

/// [`value_to_datum`] for one value and, recursively, its elements.
fn convert(heap: &Heap, value: Value, span: &Span, budget: &mut usize) -> Result<Datum, String> {
    seam_syntax::grow_stack(|| convert_one(heap, value, span, budget))
}

/// [`convert`] for one level.
fn convert_one(heap: &Heap, value: Value, span: &Span, budget: &mut usize) -> Result<Datum, String> {
    let kind = match value {
        Value::Null => DatumKind::List(Vec::new(), None),
        Value::Bool(b) => DatumKind::Bool(b),
        Value::Char(c) => DatumKind::Char(c),
        Value::Symbol(id) => DatumKind::Symbol(heap.symbol_name(id).to_string()),
        Value::Pair(_) => {
            let mut items = Vec::new();
            let mut rest = value;
            while let Value::Pair(p) = rest {
                *budget = budget.checked_sub(1).ok_or("the code is cyclic or too large")?;
                items.push(convert(heap, heap.car(p), span, budget)?);
                rest = heap.cdr(p);
            }
            let tail = match rest {
                Value::Null => None,
                other => Some(Box::new(convert(heap, other, span, budget)?)),
            };
            DatumKind::List(items, tail)
        }
        _ => match heap.object(value) {
            Some(Object::String(chars)) => DatumKind::String(chars.iter().collect()),
            Some(Object::Bytevector(bytes)) => DatumKind::Bytevector(bytes.clone()),
            Some(Object::Vector(items)) => {
                *budget = budget.checked_sub(items.len()).ok_or("the code is cyclic or too large")?;
                let items =
                    items.iter().map(|v| convert(heap, v.get(), span, budget)).collect::<Result<_, _>>()?;
                DatumKind::Vector(items)
            }
            Some(Object::Syntax(datum)) => return Ok((**datum).clone()),
            _ => match to_number(heap, value) {
                Some(n) => DatumKind::Number(n),
                None => {
                    let shown = crate::printer::write_limited(heap, value, 60);
                    return Err(format!("{shown} cannot appear in code (it has no literal form)"));
                }
            },
        },
    };
    Ok(Datum::new(kind, span.clone()))
}
