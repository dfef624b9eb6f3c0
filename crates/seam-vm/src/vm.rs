//! The `Vm`: heap, value stack, frame stack and globals, plus loading compiled protos and the
//! entry points the host uses to run code.

use std::collections::HashMap;

use seam_compile::{Constant, Linker, Proto};
use seam_expand::{Global, Namespace};
use seam_syntax::{Datum, DatumKind, Number};

use crate::builtins::{self, BUILTINS};
use crate::error::{SchemeError, TraceFrame};
use crate::heap::Heap;
use crate::num::from_number;
use crate::object::{Closure, Code, CodePtr, Frame, Object};
use crate::port::{Port, PortKind};
use crate::value::{Value, Word};
use crate::verify::{verify, VerifyError};

/// Well-known values the runtime needs (all treated as GC roots).
#[derive(Debug, Clone, Copy)]
pub struct Roots {
    pub current_output: Value,
    pub current_error: Value,
    pub current_input: Value,
}

pub struct Vm {
    pub heap: Heap,
    pub(crate) stack: Vec<Word>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) globals: Vec<Word>,
    /// Which global each slot holds: a name in a namespace. Slots are made only for
    /// globals the expander resolved (or the host named with a `Global`), so no string a
    /// script builds reaches a slot of another namespace.
    pub(crate) global_names: Vec<Global>,
    global_slots: rustc_hash::FxHashMap<Global, u32>,
    pub roots: Roots,
    /// Slot of the Scheme-level `raise` that runtime errors are passed to.
    pub(crate) raise_slot: u32,
    /// Counter giving each host entry (`call`) a distinct id, stored in its HOST frame.
    pub(crate) next_run_id: u32,
    /// Whether code being loaded is the built-in library (hidden from backtraces).
    pub loading_system: bool,
    /// The expander: macros, libraries and top-level environments (the VM owns it so
    /// `eval`, `environment` and `load` can turn data into code while running).
    pub expander: seam_expand::Expander,
    /// Environments `environment` made, by their import sets (made once, then shared).
    pub(crate) environments: HashMap<String, seam_expand::Environment>,
    /// Values the host holds through rooted handles.
    pub handles: crate::host::HandleTable,
    /// Host state by type, reachable from host functions.
    pub state: crate::host::HostState,
    /// A continuation invoked inside a host function's call back into Scheme that belongs
    /// to an outer run: (continuation, value, number of host frames of its run).
    pub(crate) pending_escape: Option<(Value, Value, usize)>,
    /// Whether the running code may suspend on an async host function (a run started by
    /// `call_resumable`, and no synchronous host function in the middle of a call).
    pub(crate) suspendable: bool,
    /// The future an async host call just started; the run is ending to wait for it.
    pub(crate) pending_future: Option<(crate::suspend::HostFuture, usize)>,
    /// A run waiting for a host future.
    pub(crate) suspended: Option<crate::suspend::Suspended>,
    /// Spawned tasks that are not running, and finished tasks' results.
    pub(crate) tasks: crate::tasks::Tasks,
    /// The object of the last uncaught raise (a failed task keeps it as its error). Not a
    /// GC root: taken right after the run ends, before anything can collect.
    pub(crate) last_raised: Option<Value>,
    /// Global slots of `%handlers` and `%winders`, swapped per task.
    pub(crate) dynamic_state_slots: (u32, u32),
    /// Fuel, memory, depth, deadline and interrupts (`limits.rs`).
    pub(crate) limits: crate::limits::Limits,
}

impl Default for Vm {
    fn default() -> Self {
        Vm::new()
    }
}

impl Vm {
    /// A VM with every builtin procedure bound (but no Scheme library loaded).
    pub fn new() -> Vm {
        let mut heap = Heap::new();
        let port = |heap: &mut Heap, kind| heap.alloc(Object::Port(Box::new(Port::new(kind))));
        let roots = Roots {
            current_output: port(&mut heap, PortKind::Stdout),
            current_error: port(&mut heap, PortKind::Stderr),
            current_input: port(&mut heap, PortKind::Stdin { pending: Default::default() }),
        };
        let mut vm = Vm {
            heap,
            stack: Vec::with_capacity(1024),
            frames: Vec::with_capacity(256),
            globals: Vec::new(),
            global_names: Vec::new(),
            global_slots: Default::default(),
            roots,
            raise_slot: 0,
            next_run_id: 0,
            loading_system: false,
            expander: seam_expand::Expander::new(),
            environments: HashMap::new(),
            handles: Default::default(),
            state: Default::default(),
            pending_escape: None,
            suspendable: false,
            pending_future: None,
            suspended: None,
            tasks: Default::default(),
            last_raised: None,
            dynamic_state_slots: (0, 0),
            limits: Default::default(),
        };
        for (i, b) in BUILTINS.iter().enumerate() {
            let slot = vm.system_slot(b.name);
            vm.set_global(slot, Value::Primitive(i as u32));
        }
        vm.raise_slot = vm.system_slot("raise");
        builtins::install_parameters(&mut vm);
        vm.install_task_functions();
        vm
    }

    /// The slot of `global`, creating it unbound if needed.
    pub fn global_slot(&mut self, global: &Global) -> u32 {
        if let Some(&slot) = self.global_slots.get(global) {
            return slot;
        }
        // A global lives as long as the VM: its slot, name and map entry count for good.
        self.heap.pin_bytes(64 + global.name.len());
        let slot = self.globals.len() as u32;
        self.globals.push(Word::UNDEFINED);
        self.global_names.push(global.clone());
        self.global_slots.insert(global.clone(), slot);
        slot
    }

    /// The slot of the system namespace's global `name` (a builtin, or a definition of
    /// `lib/base.scm`).
    pub(crate) fn system_slot(&mut self, name: &str) -> u32 {
        self.global_slot(&Global::system(name))
    }

    /// The name of global `slot` as a user would write it: `helper (in (util math))` for a
    /// library's or an `eval` environment's own global.
    pub fn global_name(&self, slot: u32) -> String {
        let Some(global) = self.global_names.get(slot as usize) else { return format!("#{slot}") };
        match global.namespace {
            Namespace::SYSTEM | Namespace::TOP => global.name.to_string(),
            namespace => format!("{} (in {})", global.name, self.expander.describe_namespace(namespace)),
        }
    }

    /// The value of `global`, if bound.
    pub fn lookup_global(&self, global: &Global) -> Option<Value> {
        let slot = *self.global_slots.get(global)?;
        match self.global_value(slot) {
            Value::Undefined => None,
            v => Some(v),
        }
    }

    /// The value in global `slot`.
    pub(crate) fn global_value(&self, slot: u32) -> Value {
        self.globals[slot as usize].get()
    }

    /// Stores `value` in global `slot`.
    pub(crate) fn set_global(&mut self, slot: u32, value: Value) {
        let w = self.heap.word(value);
        self.globals[slot as usize] = w;
    }

    /// Binds `global` to `value`.
    pub fn define_global(&mut self, global: &Global, value: Value) {
        let slot = self.global_slot(global);
        self.set_global(slot, value);
    }

    /// Binds the system namespace's `name` to `value` (what the runtime itself provides).
    pub(crate) fn define_system(&mut self, name: &str, value: Value) {
        self.define_global(&Global::system(name), value);
    }

    /// Defines `name` at the top level (the interaction environment) as `value`, as a
    /// top-level `define` would: it shadows an imported standard name there, and only there.
    pub fn define_top_level(&mut self, name: &str, value: Value) {
        let global = self.expander.bind_top_level(name);
        self.define_global(&global, value);
    }

    /// What `name` means at the top level, if it is a variable: the top level's own
    /// definition or the standard binding it imported.
    pub fn lookup_top_level(&self, name: &str) -> Option<Value> {
        self.lookup_global(&self.expander.top_level_global(name)?)
    }

    /// Loads a compiled top-level proto as a closure of no arguments.
    /// Every proto is verified first (see `verify.rs`); a proto that fails is rejected.
    pub fn load(&mut self, proto: &Proto) -> Result<Value, VerifyError> {
        self.verify_tree(proto)?;
        let code = self.load_code(proto);
        let ptr = CodePtr(self.heap.code(code));
        Ok(self.heap.alloc(Object::Closure(Closure { ptr, free: Default::default() })))
    }

    fn verify_tree(&self, proto: &Proto) -> Result<(), VerifyError> {
        verify(proto, self.globals.len())?;
        proto.protos.iter().try_for_each(|p| self.verify_tree(p))
    }

    fn load_code(&mut self, proto: &Proto) -> u32 {
        let children: Vec<u32> = proto.protos.iter().map(|p| self.load_code(p)).collect();
        let constants: Vec<Word> = proto
            .constants
            .iter()
            .map(|c| {
                let v = match c {
                    Constant::Datum(d) => self.constant_value(d),
                    Constant::Symbol(s) => self.heap.intern(s),
                };
                self.heap.word(v)
            })
            .collect();
        let code = Code {
            index: 0,
            name: proto.name.clone(),
            required: proto.required,
            rest: proto.rest,
            frame_size: proto.frame_size,
            free_count: proto.free_count,
            ops: proto.code.clone().into_boxed_slice(),
            constants: constants.into_boxed_slice(),
            children: children.into_boxed_slice(),
            spans: proto.spans.clone(),
            span: proto.span.clone(),
            local_names: proto.local_names.clone(),
            system: self.loading_system,
        };
        let Value::Object(index) = self.heap.alloc(Object::Code(Box::new(code))) else {
            unreachable!("alloc returns an object")
        };
        if let Object::Code(code) = self.heap.get_mut(index) {
            code.index = index;
        }
        index
    }

    /// A program's literal as a heap value: [`Vm::datum_to_value`], marked as a constant
    /// that the mutators refuse to change (R7RS 3.4).
    pub fn constant_value(&mut self, d: &Datum) -> Value {
        let value = self.datum_to_value(d);
        self.heap.make_constant(value);
        value
    }

    /// Converts a datum into a fresh, mutable heap value (what `read` returns), building
    /// cycles for datum labels.
    pub fn datum_to_value(&mut self, d: &Datum) -> Value {
        let mut labels = HashMap::new();
        let mut fixups = Vec::new();
        let v = self.datum_value(d, &mut labels, &mut fixups);
        // Patch references to labels whose datum was still being built (cycles).
        for (target, slot, label) in fixups {
            let value = labels.get(&label).copied().unwrap_or(Value::Unspecified);
            match (target, slot) {
                (Value::Pair(p), 0) => self.heap.set_car(p, value),
                (Value::Pair(p), 1) => self.heap.set_cdr(p, value),
                (Value::Object(o), i) => {
                    let value = self.heap.word(value);
                    if let Object::Vector(items) = self.heap.get_mut(o) {
                        items[i - 2] = value;
                    }
                }
                _ => {}
            }
        }
        v
    }

    fn datum_value(
        &mut self,
        d: &Datum,
        labels: &mut HashMap<u32, Value>,
        fixups: &mut Vec<(Value, usize, u32)>,
    ) -> Value {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match &d.kind {
            DatumKind::Bool(b) => Value::Bool(*b),
            DatumKind::Number(n) => from_number(&mut self.heap, n.clone()),
            DatumKind::Char(c) => Value::Char(*c),
            DatumKind::String(s) => self.heap.string(s),
            DatumKind::Symbol(s) => self.heap.intern(s),
            DatumKind::Bytevector(b) => self.heap.alloc(Object::Bytevector(b.clone())),
            DatumKind::Vector(items) => {
                let v = self.heap.alloc(Object::Vector(smallvec::smallvec![Word::UNSPECIFIED; items.len()]));
                for (i, item) in items.iter().enumerate() {
                    let x = match &item.kind {
                        DatumKind::LabelRef(n) if !labels.contains_key(n) => {
                            fixups.push((v, i + 2, *n));
                            Value::Unspecified
                        }
                        _ => self.datum_value(item, labels, fixups),
                    };
                    let x = self.heap.word(x);
                    if let Some(Object::Vector(items)) = self.heap.object_mut(v) {
                        items[i] = x;
                    }
                }
                v
            }
            DatumKind::List(items, tail) => {
                // Build front to back so labels on this list are visible to its elements.
                let mut first = Value::Null;
                let mut last: Option<u32> = None;
                for item in items {
                    let cell = self.heap.cons(Value::Unspecified, Value::Null);
                    let Value::Pair(p) = cell else { unreachable!() };
                    match last {
                        Some(prev) => self.heap.set_cdr(prev, cell),
                        None => first = cell,
                    }
                    last = Some(p);
                    let x = self.item_value(item, cell, 0, labels, fixups);
                    self.heap.set_car(p, x);
                }
                if let (Some(tail), Some(p)) = (tail, last) {
                    let x = self.item_value(tail, Value::Pair(p), 1, labels, fixups);
                    self.heap.set_cdr(p, x);
                }
                first
            }
            DatumKind::Label(n, inner) => {
                // A label on a list or vector must be visible while building it: pre-register
                // a placeholder by building, then record. Cycles through this label are fixed
                // up after construction.
                let v = self.datum_value(inner, labels, fixups);
                labels.insert(*n, v);
                v
            }
            DatumKind::LabelRef(n) => labels.get(n).copied().unwrap_or(Value::Unspecified),
        })
    }

    fn item_value(
        &mut self,
        item: &Datum,
        holder: Value,
        slot: usize,
        labels: &mut HashMap<u32, Value>,
        fixups: &mut Vec<(Value, usize, u32)>,
    ) -> Value {
        match &item.kind {
            DatumKind::LabelRef(n) if !labels.contains_key(n) => {
                fixups.push((holder, slot, *n));
                Value::Unspecified
            }
            _ => self.datum_value(item, labels, fixups),
        }
    }

    /// A backtrace of the current frames, innermost first, skipping library code.
    pub(crate) fn backtrace(&self, code: u32, pc: u32) -> Vec<TraceFrame> {
        let mut out = Vec::new();
        let current = std::iter::once((code, pc));
        let saved = self.frames.iter().rev().map(|f| (f.code, f.pc));
        for (code, pc) in current.chain(saved) {
            if code == Frame::HOST {
                continue;
            }
            let c = self.heap.code(code);
            if c.system {
                continue;
            }
            out.push(TraceFrame { name: c.name.clone(), span: c.span_at(pc.saturating_sub(1)).clone() });
            if out.len() >= 64 {
                break;
            }
        }
        out
    }

    /// The object whose uncaught raise ended the last failed [`Vm::call`], if it was one (not
    /// rooted: root it before the next allocation to keep it).
    pub fn take_last_raised(&mut self) -> Option<Value> {
        self.last_raised.take()
    }

    /// Whether a continuation invoked inside a nested run is waiting to escape past the host
    /// function that started that run (which should return as soon as it can).
    pub fn escape_pending(&self) -> bool {
        self.pending_escape.is_some()
    }

    /// Turns the raised `payload` into the error the host sees.
    pub(crate) fn uncaught(&mut self, payload: Value, code: u32, pc: u32) -> SchemeError {
        self.last_raised = Some(payload);
        let backtrace = self.backtrace(code, pc);
        let (kind, message) = builtins::describe_condition(&self.heap, payload);
        SchemeError {
            kind,
            message,
            source: self.error_source(payload),
            // Code `eval` built from data has no source position; report the nearest caller's.
            location: backtrace.iter().find(|f| f.span.line > 0).map(|f| f.span.clone()),
            backtrace,
            exit_code: None,
        }
    }

    /// Resets the stacks after an evaluation ended with an error.
    pub(crate) fn unwind_to(&mut self, stack_len: usize, frames_len: usize) {
        self.stack.truncate(stack_len);
        self.frames.truncate(frames_len);
    }

    /// Runs the collector now, with the VM's stacks and globals as roots.
    pub fn collect_garbage(&mut self, extra: &[Value]) {
        let roots = [self.roots.current_output, self.roots.current_error, self.roots.current_input];
        let handles = self.handles.roots();
        let mut all = Vec::with_capacity(handles.len() + extra.len() + 3);
        all.extend_from_slice(handles);
        all.extend_from_slice(extra);
        all.extend_from_slice(&roots);
        if let Some((k, value, _)) = self.pending_escape {
            all.extend([k, value]);
        }
        let (task_values, task_frames) = self.tasks.roots();
        all.extend(task_values);
        if task_frames.is_empty() {
            self.heap.collect(&all, &self.frames, &[&self.stack, &self.globals]);
        } else {
            let mut frames = self.frames.clone();
            frames.extend(task_frames);
            self.heap.collect(&all, &frames, &[&self.stack, &self.globals]);
        }
    }

    pub fn number_value(&mut self, n: Number) -> Value {
        from_number(&mut self.heap, n)
    }
}

impl Linker for Vm {
    fn global(&mut self, global: &Global) -> u32 {
        self.global_slot(global)
    }

    /// A system binding (immutable to every program) of a `Simple` builtin that takes
    /// `argc` arguments.
    fn builtin(&mut self, global: &Global, argc: usize) -> Option<u16> {
        if global.namespace != seam_expand::Namespace::SYSTEM {
            return None;
        }
        let slot = self.global_slot(global);
        let Value::Primitive(p) = self.global_value(slot) else { return None };
        let b = crate::builtins::BUILTINS.get(p as usize)?;
        (matches!(b.kind, crate::builtins::Kind::Simple(_)) && b.accepts(argc))
            .then_some(u16::try_from(p).ok()?)
    }
}
