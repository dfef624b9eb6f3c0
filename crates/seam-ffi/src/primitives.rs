//! The Rust procedures of `(seam ffi primitives)`: shared objects, foreign procedures and
//! callbacks, foreign memory and pointers, struct types and their accessors. `ffi.sld`
//! builds the `(seam ffi)` syntax on them.

use std::sync::Arc;

use seam_vm::host::{HostArgs, HostFailure};
use seam_vm::host_object::HostTypeInfo;
use seam_vm::printer::write_limited;
use seam_vm::{Object, Value, Vm};

use crate::call::{self, ForeignProc};
use crate::callback::{self, Callback, CALLBACK_INFO};
use crate::convert::{self, Temps};
use crate::library::{self, SharedObject, SHARED_OBJECT_INFO};
use crate::pointer::{self, Block, Pointer, Release};
use crate::types::{Aggregate, CType};

type Prim = fn(&mut Vm, HostArgs) -> Result<Value, HostFailure>;

/// Every primitive: name, fewest and most arguments, body.
const PRIMITIVES: &[(&str, u16, u16, Prim)] = &[
    ("load-shared-object", 1, 1, load_shared_object),
    ("foreign-symbol", 2, 2, foreign_symbol),
    ("%foreign-procedure", 5, 5, foreign_procedure),
    ("%foreign-callable", 3, 3, foreign_callable),
    ("free-callback", 1, 1, free_callback),
    ("foreign-callback?", 1, 1, is_callback),
    ("foreign-errno", 0, 0, foreign_errno),
    ("foreign-run-callbacks", 0, 0, run_callbacks),
    ("foreign-type", 1, 1, foreign_type),
    ("%define-foreign-type", 3, 3, define_foreign_type),
    ("%foreign-struct-maker", 1, 1, struct_maker),
    ("%foreign-field-getter", 2, 2, field_getter),
    ("%foreign-field-setter", 2, 2, field_setter),
    ("foreign-sizeof", 1, 1, sizeof),
    ("foreign-alignof", 1, 1, alignof),
    ("foreign-offsetof", 2, 2, offsetof),
    ("foreign-alloc", 1, 1, foreign_alloc),
    ("foreign-free", 1, 1, foreign_free),
    ("foreign-ref", 3, 3, foreign_ref),
    ("foreign-set!", 4, 4, foreign_set),
    ("pointer?", 1, 1, is_pointer),
    ("null-pointer?", 1, 1, is_null_pointer),
    ("pointer+", 2, 2, pointer_add),
    ("pointer-address", 1, 1, pointer_address),
    ("integer->pointer", 1, 1, integer_to_pointer),
    ("pointer=?", 2, 2, pointer_eq),
    ("pointer->string", 1, 2, pointer_to_string),
    ("string->pointer", 1, 1, string_to_pointer),
    ("pointer->bytevector", 2, 2, pointer_to_bytevector),
    ("set-foreign-finalizer!", 2, 2, set_finalizer),
];

/// Defines every primitive as a global of `library` and returns (name, global) pairs.
pub fn define_all(vm: &mut Vm, library: &str) -> Vec<(&'static str, seam_expand::Global)> {
    PRIMITIVES
        .iter()
        .map(|&(name, min, max, body)| {
            let global = vm.expander.library_global(library, name);
            let function = vm.host_function(name, min, max, Box::new(body));
            vm.define_global(&global, function);
            (name, global)
        })
        .collect()
}

fn arg(vm: &Vm, args: HostArgs, i: usize) -> Value {
    args.get(vm, i).unwrap_or(Value::Unspecified)
}

fn failure(kind: &str, proc: &str, message: impl std::fmt::Display) -> HostFailure {
    HostFailure::new(kind, format!("{proc}: {message}"))
}

fn wrong_type(vm: &Vm, proc: &str, i: usize, expected: &str, got: Value) -> HostFailure {
    let got = write_limited(&vm.heap, got, 60);
    HostFailure::new("type", format!("{proc}: argument {}: expected {expected}, got {got}", i + 1))
}

fn string_arg(vm: &Vm, args: HostArgs, proc: &str, i: usize) -> Result<String, HostFailure> {
    let v = arg(vm, args, i);
    vm.heap.string_value(v).ok_or_else(|| wrong_type(vm, proc, i, "a string", v))
}

fn integer_arg(vm: &Vm, args: HostArgs, proc: &str, i: usize) -> Result<i128, HostFailure> {
    let v = arg(vm, args, i);
    match convert::exact_integer(vm, v) {
        Some(Ok(n)) => Ok(n),
        Some(Err(())) => Err(HostFailure::new(
            "range",
            format!("{proc}: argument {}: {} is out of range", i + 1, write_limited(&vm.heap, v, 60)),
        )),
        None => Err(wrong_type(vm, proc, i, "an exact integer", v)),
    }
}

fn size_arg(vm: &Vm, args: HostArgs, proc: &str, i: usize) -> Result<usize, HostFailure> {
    let n = integer_arg(vm, args, proc, i)?;
    usize::try_from(n).ok().filter(|n| *n <= isize::MAX as usize).ok_or_else(|| {
        HostFailure::new("range", format!("{proc}: argument {}: {n} is not a valid size", i + 1))
    })
}

fn pointer_arg(vm: &Vm, args: HostArgs, proc: &str, i: usize) -> Result<Pointer, HostFailure> {
    let v = arg(vm, args, i);
    pointer::get(vm, v).ok_or_else(|| wrong_type(vm, proc, i, "a foreign pointer", v))
}

/// A pointer or a bytevector (whose bytes are the memory).
fn memory_arg(vm: &Vm, args: HostArgs, proc: &str, i: usize) -> Result<Pointer, HostFailure> {
    let v = arg(vm, args, i);
    convert::pointer_or_bytes(vm, v)
        .ok_or_else(|| wrong_type(vm, proc, i, "a foreign pointer or a bytevector", v))
}

// ---- types ----

/// A C type as a Scheme value (what `define-foreign-struct` binds its name to).
struct ForeignType(CType);

fn type_name() -> &'static str {
    "foreign-type"
}

fn write_type(cell: &dyn std::any::Any, out: &mut String) {
    let Some(cell) = cell.downcast_ref::<std::cell::RefCell<Option<ForeignType>>>() else { return };
    if let Some(Some(t)) = cell.try_borrow().ok().as_deref() {
        out.push(' ');
        out.push_str(&t.0.describe());
    }
}

static TYPE_INFO: HostTypeInfo = HostTypeInfo { name: type_name, write: write_type };

/// The C type argument `i` names: a type object, or a type datum (`'int`, `'(* char)`).
fn type_arg(vm: &mut Vm, args: HostArgs, proc: &str, i: usize) -> Result<CType, HostFailure> {
    let v = arg(vm, args, i);
    type_of(vm, v).map_err(|e| failure("ffi", proc, format!("argument {}: {e}", i + 1)))
}

fn type_of(vm: &mut Vm, v: Value) -> Result<CType, String> {
    if let Some(Object::HostObject(h)) = vm.heap.object(v) {
        if let Some(Some(t)) = h.cell::<ForeignType>().and_then(|c| c.try_borrow().ok()).as_deref() {
            return Ok(t.0.clone());
        }
    }
    crate::registry(vm)?.parse(&vm.heap, v)
}

fn foreign_type(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let ty = type_arg(vm, args, "foreign-type", 0)?;
    Ok(vm.host_object(ForeignType(ty), &TYPE_INFO))
}

fn sizeof(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    Ok(Value::Fixnum(type_arg(vm, args, "foreign-sizeof", 0)?.size() as i64))
}

fn alignof(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    Ok(Value::Fixnum(type_arg(vm, args, "foreign-alignof", 0)?.align() as i64))
}

fn aggregate_arg(vm: &mut Vm, args: HostArgs, proc: &str, i: usize) -> Result<Arc<Aggregate>, HostFailure> {
    match type_arg(vm, args, proc, i)? {
        CType::Aggregate(a) => Ok(a),
        other => Err(failure(
            "type",
            proc,
            format!("argument {}: expected a struct or union type, got {}", i + 1, other.describe()),
        )),
    }
}

fn field_index(vm: &Vm, aggregate: &Aggregate, v: Value, proc: &str) -> Result<usize, HostFailure> {
    let Value::Symbol(id) = v else { return Err(wrong_type(vm, proc, 1, "a field name (symbol)", v)) };
    let name = vm.heap.symbol_name(id);
    aggregate
        .fields
        .iter()
        .position(|f| f.name == *name)
        .ok_or_else(|| failure("ffi", proc, format!("{} has no field {name}", aggregate.name)))
}

fn offsetof(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let aggregate = aggregate_arg(vm, args, "foreign-offsetof", 0)?;
    let field = field_index(vm, &aggregate, arg(vm, args, 1), "foreign-offsetof")?;
    Ok(Value::Fixnum(aggregate.fields[field].offset as i64))
}

/// `(%define-foreign-type 'name union? '((field type) ...))`: defines and returns the type.
fn define_foreign_type(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    const PROC: &str = "define-foreign-struct";
    let name = match arg(vm, args, 0) {
        Value::Symbol(id) => vm.heap.symbol_name(id).clone(),
        other => return Err(wrong_type(vm, PROC, 0, "a symbol", other)),
    };
    let union = arg(vm, args, 1).is_true();
    let specs = arg(vm, args, 2);
    let items =
        vm.heap.list_to_vec(specs).ok_or_else(|| wrong_type(vm, PROC, 2, "a list of fields", specs))?;
    let fields = crate::registry(vm).and_then(|types| types.fields(&vm.heap, &items));
    let fields = fields.map_err(|e| failure("ffi", &name, e))?;
    let aggregate = Aggregate::new(name.clone(), union, fields).map_err(|e| failure("ffi", PROC, e))?;
    let ty = CType::Aggregate(Arc::new(aggregate));
    crate::state(vm).types.define(name.clone(), ty.clone()).map_err(|e| failure("ffi", PROC, e))?;
    Ok(vm.host_object(ForeignType(ty), &TYPE_INFO))
}

/// A struct type and one of its fields, owned by a generated accessor.
struct FieldAccess {
    aggregate: Arc<Aggregate>,
    field: usize,
    name: Arc<str>,
}

fn accessor(vm: &mut Vm, args: HostArgs, setter: bool) -> Result<Value, HostFailure> {
    let proc = if setter { "%foreign-field-setter" } else { "%foreign-field-getter" };
    let aggregate = aggregate_arg(vm, args, proc, 0)?;
    let field = field_index(vm, &aggregate, arg(vm, args, 1), proc)?;
    let name: Arc<str> = Arc::from(format!(
        "{}-{}{}",
        aggregate.name,
        aggregate.fields[field].name,
        if setter { "-set!" } else { "" }
    ));
    let data = Box::new(FieldAccess { aggregate, field, name: name.clone() });
    let (arity, body): ((u16, u16), seam_vm::host::DirectFn) = match setter {
        true => ((2, 2), set_field),
        false => ((1, 1), get_field),
    };
    Ok(vm.direct_host_function(&name, arity, body, None, data))
}

fn field_getter(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    accessor(vm, args, false)
}

fn field_setter(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    accessor(vm, args, true)
}

/// The address of `access`'s field in the struct argument 0 points to.
fn field_address(vm: &Vm, args: HostArgs, access: &FieldAccess) -> Result<(usize, Pointer), HostFailure> {
    let target = memory_arg(vm, args, &access.name, 0)?;
    let field = &access.aggregate.fields[access.field];
    // Check the whole struct is there, then point at the field.
    target.checked(0, access.aggregate.size).map_err(|e| failure("ffi", &access.name, e))?;
    let address = target
        .checked(field.offset as isize, field.ty.size())
        .map_err(|e| failure("ffi", &access.name, e))?;
    Ok((address, target))
}

fn get_field(vm: &mut Vm, args: HostArgs, data: &(dyn std::any::Any + Send)) -> Result<Value, HostFailure> {
    let Some(access) = data.downcast_ref::<FieldAccess>() else {
        return Err(HostFailure::new("ffi", "bad accessor"));
    };
    let (address, target) = field_address(vm, args, access)?;
    let ty = &access.aggregate.fields[access.field].ty;
    target.check_escape(ty).map_err(|e| failure("ffi", &access.name, e))?;
    // SAFETY: `field_address` checked the field lies in live memory (as far as Seam knows).
    Ok(unsafe { convert::read(vm, ty, address as *const u8, target.block.as_ref()) })
}

fn set_field(vm: &mut Vm, args: HostArgs, data: &(dyn std::any::Any + Send)) -> Result<Value, HostFailure> {
    let Some(access) = data.downcast_ref::<FieldAccess>() else {
        return Err(HostFailure::new("ffi", "bad accessor"));
    };
    let (address, _) = field_address(vm, args, access)?;
    let ty = access.aggregate.fields[access.field].ty.clone();
    store(vm, &ty, address, arg(vm, args, 1), &access.name, 2)?;
    Ok(Value::Unspecified)
}

/// Writes `v` as a `ty` at `address` (checked to hold `ty.size()` bytes).
fn store(
    vm: &mut Vm,
    ty: &CType,
    address: usize,
    v: Value,
    proc: &str,
    position: usize,
) -> Result<(), HostFailure> {
    if matches!(ty, CType::String) && vm.heap.as_str(v).is_some() {
        return Err(failure(
            "ffi",
            proc,
            "cannot store a Scheme string in foreign memory (it would be freed): use (string->pointer s)",
        ));
    }
    if matches!(ty, CType::Callback(_)) && seam_vm::builtins::is_procedure(&vm.heap, v) {
        return Err(failure(
            "ffi",
            proc,
            "cannot store a procedure in foreign memory: make a callback with foreign-callable and keep it",
        ));
    }
    let mut word = [0u8; 16];
    let size = ty.size();
    let mut temps = Temps::default();
    let mut buffer;
    let slot: *mut u8 = if size > 8 {
        buffer = vec![0u8; size];
        buffer.as_mut_ptr()
    } else {
        word.as_mut_ptr()
    };
    // SAFETY: `slot` has room for the type and a word.
    unsafe { convert::write(vm, ty, v, slot, &mut temps) }
        .map_err(|e| HostFailure::new(e.kind, format!("{proc}: argument {position}: {}", e.message)))?;
    // SAFETY: the caller checked `address` holds `size` bytes; `slot` holds the value.
    unsafe { std::ptr::copy(slot, address as *mut u8, size) };
    Ok(())
}

fn struct_maker(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let aggregate = aggregate_arg(vm, args, "%foreign-struct-maker", 0)?;
    let name: Arc<str> = Arc::from(format!("make-{}", aggregate.name));
    let fields = aggregate.fields.len() as u16;
    let max = if aggregate.union { 1.min(fields) } else { fields };
    let data = Box::new(FieldAccess { aggregate, field: 0, name: name.clone() });
    Ok(vm.direct_host_function(&name, (0, max), make_struct, None, data))
}

/// `(make-NAME [field-value ...])`: fresh zeroed memory for the struct, fields set in order
/// (for a union, the first field).
fn make_struct(vm: &mut Vm, args: HostArgs, data: &(dyn std::any::Any + Send)) -> Result<Value, HostFailure> {
    let Some(access) = data.downcast_ref::<FieldAccess>() else {
        return Err(HostFailure::new("ffi", "bad maker"));
    };
    let block = pointer::allocate(access.aggregate.size).map_err(|e| failure("ffi", &access.name, e))?;
    for (i, field) in access.aggregate.fields.iter().enumerate().take(args.len()) {
        let ty = field.ty.clone();
        store(vm, &ty, block.addr + field.offset, arg(vm, args, i), &access.name, i + 1)?;
    }
    Ok(pointer::make_owner(vm, block))
}

// ---- shared objects and foreign procedures ----

fn load_shared_object(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let v = arg(vm, args, 0);
    let object = match v {
        Value::Bool(false) => crate::state(vm).process(),
        _ => match vm.heap.string_value(v) {
            Some(name) => SharedObject::open(Some(&name)).map(Arc::new),
            None => return Err(wrong_type(vm, "load-shared-object", 0, "a file name (string) or #f", v)),
        },
    }
    .map_err(|e| failure("ffi", "load-shared-object", e))?;
    Ok(vm.host_object(object, &SHARED_OBJECT_INFO))
}

fn shared_object_arg(
    vm: &mut Vm,
    args: HostArgs,
    proc: &str,
    i: usize,
) -> Result<Arc<SharedObject>, HostFailure> {
    let v = arg(vm, args, i);
    match library::get(vm, v) {
        Some(found) => found.map_err(|e| failure("ffi", proc, e)),
        None => Err(wrong_type(vm, proc, i, "a shared object (from load-shared-object) or #f", v)),
    }
}

fn foreign_symbol(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let object = shared_object_arg(vm, args, "foreign-symbol", 0)?;
    let name = string_arg(vm, args, "foreign-symbol", 1)?;
    let address = object.symbol(&name).map_err(|e| failure("ffi", "foreign-symbol", e))?;
    // The pointer keeps the library loaded: calling or reading through it after a
    // `dlclose` would touch unmapped memory.
    let block = Block::in_library(address, None, Release::None, Some(object));
    Ok(pointer::make(vm, address, Some(block)))
}

/// `(%foreign-procedure target name '(arg-type ...) 'result-type '(option ...))`: target is
/// a shared object or `#f` with a symbol name, or a function pointer with name `#f`.
fn foreign_procedure(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    const PROC: &str = "foreign-procedure";
    let (target, name_value) = (arg(vm, args, 0), arg(vm, args, 1));
    let (name, code, library): (Arc<str>, usize, Option<Arc<SharedObject>>) = match name_value {
        Value::Bool(false) => match pointer::get(vm, target) {
            Some(Pointer { addr: 0, .. }) => {
                return Err(failure("ffi", PROC, "the function pointer is null"))
            }
            Some(Pointer { addr, block }) => {
                let library = block.and_then(|b| b.library().cloned());
                (Arc::from(format!("foreign function at {addr:#x}")), addr, library)
            }
            None => return Err(wrong_type(vm, PROC, 0, "a function pointer", target)),
        },
        _ => {
            let object = shared_object_arg(vm, args, PROC, 0)?;
            let name = string_arg(vm, args, PROC, 1)?;
            let code = object.symbol(&name).map_err(|e| failure("ffi", PROC, e))?;
            (Arc::from(name), code, Some(object))
        }
    };
    let (arg_types, ret_type) = (arg(vm, args, 2), arg(vm, args, 3));
    let signature = crate::registry(vm).and_then(|types| types.signature(&vm.heap, arg_types, ret_type));
    let signature = signature.map_err(|e| failure("ffi", &name, e))?;
    let options = vm.heap.list_to_vec(arg(vm, args, 4)).unwrap_or_default();
    let (mut blocking, mut through_libffi) = (false, false);
    for option in options {
        match option {
            Value::Symbol(id) if &**vm.heap.symbol_name(id) == "blocking" => blocking = true,
            Value::Symbol(id) if &**vm.heap.symbol_name(id) == "libffi" => through_libffi = true,
            other => {
                return Err(failure(
                    "ffi",
                    &name,
                    format!("unknown option {}", write_limited(&vm.heap, other, 40)),
                ))
            }
        }
    }
    let link = crate::state(vm).link.clone();
    let proc = ForeignProc::new(name.clone(), code, signature, link, blocking, library, through_libffi)
        .map_err(|e| failure("ffi", PROC, e))?;
    let arity = proc.arity();
    let start = blocking.then_some(crate::blocking::start as seam_vm::host::DirectAsyncFn);
    Ok(vm.direct_host_function(&name, arity, call::call, start, Box::new(proc)))
}

fn foreign_callable(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    const PROC: &str = "foreign-callable";
    let procedure = arg(vm, args, 0);
    if !seam_vm::builtins::is_procedure(&vm.heap, procedure) {
        return Err(wrong_type(vm, PROC, 0, "a procedure", procedure));
    }
    let (arg_types, ret_type) = (arg(vm, args, 1), arg(vm, args, 2));
    let signature = crate::registry(vm).and_then(|types| types.signature(&vm.heap, arg_types, ret_type));
    let signature = signature.map_err(|e| failure("ffi", PROC, e))?;
    let callback = Callback::new(vm, procedure, Arc::new(signature)).map_err(|e| failure("ffi", PROC, e))?;
    Ok(vm.host_object(callback, &CALLBACK_INFO))
}

fn free_callback(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let v = arg(vm, args, 0);
    match callback::free(vm, v) {
        Some(_) => Ok(Value::Unspecified),
        None => Err(wrong_type(vm, "free-callback", 0, "a callback (from foreign-callable)", v)),
    }
}

fn is_callback(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let v = arg(vm, args, 0);
    let is = matches!(vm.heap.object(v), Some(Object::HostObject(h)) if h.is::<Callback>());
    Ok(Value::Bool(is))
}

fn foreign_errno(vm: &mut Vm, _args: HostArgs) -> Result<Value, HostFailure> {
    let errno = crate::state(vm).link.errno.load(std::sync::atomic::Ordering::Relaxed);
    Ok(Value::Fixnum(errno as i64))
}

fn run_callbacks(vm: &mut Vm, _args: HostArgs) -> Result<Value, HostFailure> {
    let link = crate::state(vm).link.clone();
    call::finish(vm, &link, "foreign-run-callbacks", Value::Unspecified)
}

// ---- memory ----

fn foreign_alloc(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let size = match arg(vm, args, 0) {
        Value::Fixnum(_) | Value::Object(_) if convert::exact_integer(vm, arg(vm, args, 0)).is_some() => {
            size_arg(vm, args, "foreign-alloc", 0)?
        }
        _ => type_arg(vm, args, "foreign-alloc", 0)?.size(),
    };
    let block = pointer::allocate(size).map_err(|e| failure("ffi", "foreign-alloc", e))?;
    Ok(pointer::make_owner(vm, block))
}

fn foreign_free(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let p = pointer_arg(vm, args, "foreign-free", 0)?;
    match &p.block {
        Some(block)
            if block.base == p.addr
                && !matches!(block.release_kind(), Release::None | Release::Bytevector) =>
        {
            if block.release() {
                Ok(Value::Unspecified)
            } else {
                Err(failure("ffi", "foreign-free", format!("the memory at {:#x} was already freed", p.addr)))
            }
        }
        _ => Err(failure(
            "ffi",
            "foreign-free",
            format!("{:#x} is not the start of memory from foreign-alloc (or with a finalizer)", p.addr),
        )),
    }
}

fn offset_arg(vm: &Vm, args: HostArgs, proc: &str, i: usize) -> Result<isize, HostFailure> {
    let n = integer_arg(vm, args, proc, i)?;
    isize::try_from(n).map_err(|_| {
        HostFailure::new("range", format!("{proc}: argument {}: offset {n} is out of range", i + 1))
    })
}

fn foreign_ref(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    const PROC: &str = "foreign-ref";
    let ty = type_arg(vm, args, PROC, 0)?;
    if matches!(ty, CType::Void) {
        return Err(failure("ffi", PROC, "cannot read a void"));
    }
    let target = memory_arg(vm, args, PROC, 1)?;
    let offset = offset_arg(vm, args, PROC, 2)?;
    let address = target.checked(offset, ty.size()).map_err(|e| failure("ffi", PROC, e))?;
    target.check_escape(&ty).map_err(|e| failure("ffi", PROC, e))?;
    // SAFETY: `checked` found `ty.size()` bytes of live memory there (as far as Seam knows).
    Ok(unsafe { convert::read(vm, &ty, address as *const u8, target.block.as_ref()) })
}

fn foreign_set(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    const PROC: &str = "foreign-set!";
    let ty = type_arg(vm, args, PROC, 0)?;
    if matches!(ty, CType::Void) {
        return Err(failure("ffi", PROC, "cannot write a void"));
    }
    let target = memory_arg(vm, args, PROC, 1)?;
    // A bytevector literal is a constant like any other (foreign calls that are given one
    // are trusted only to read it: the C side is beyond checking).
    if let Err(e) = vm.heap.check_mutable(PROC, arg(vm, args, 1)) {
        return Err(HostFailure::new(e.kind, e.message));
    }
    let offset = offset_arg(vm, args, PROC, 2)?;
    let address = target.checked(offset, ty.size()).map_err(|e| failure("ffi", PROC, e))?;
    store(vm, &ty, address, arg(vm, args, 3), PROC, 4)?;
    Ok(Value::Unspecified)
}

// ---- pointers ----

fn is_pointer(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    Ok(Value::Bool(pointer::address(vm, arg(vm, args, 0)).is_some()))
}

fn is_null_pointer(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    Ok(Value::Bool(pointer_arg(vm, args, "null-pointer?", 0)?.addr == 0))
}

fn pointer_add(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let p = pointer_arg(vm, args, "pointer+", 0)?;
    let offset = offset_arg(vm, args, "pointer+", 1)?;
    let moved = p.offset(offset).map_err(|e| failure("range", "pointer+", e))?;
    Ok(pointer::make(vm, moved.addr, moved.block))
}

fn pointer_address(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let p = pointer_arg(vm, args, "pointer-address", 0)?;
    Ok(convert::integer(vm, p.addr as i128))
}

fn integer_to_pointer(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let n = integer_arg(vm, args, "integer->pointer", 0)?;
    let address = usize::try_from(n).map_err(|_| {
        HostFailure::new("range", format!("integer->pointer: argument 1: {n} is not an address"))
    })?;
    Ok(pointer::make(vm, address, None))
}

fn pointer_eq(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let a = pointer_arg(vm, args, "pointer=?", 0)?;
    let b = pointer_arg(vm, args, "pointer=?", 1)?;
    Ok(Value::Bool(a.addr == b.addr))
}

fn pointer_to_string(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    const PROC: &str = "pointer->string";
    let p = pointer_arg(vm, args, PROC, 0)?;
    let len = match args.len() {
        2 => Some(size_arg(vm, args, PROC, 1)?),
        _ => None,
    };
    let address = match len {
        Some(len) => p.checked(0, len),
        None => p.checked(0, 1),
    }
    .map_err(|e| failure("ffi", PROC, e))?;
    if len.is_none() {
        if let Some(Block { size: Some(size), base, .. }) = p.block.as_deref() {
            // Known extent: insist on a NUL inside it.
            // SAFETY: the block's bytes from `address` to its end are live.
            let bytes = unsafe { std::slice::from_raw_parts(address as *const u8, base + size - address) };
            if !bytes.contains(&0) {
                return Err(failure("ffi", PROC, "no NUL terminator inside the block of foreign memory"));
            }
        }
    }
    // SAFETY: the address was checked; without a length the program promises a
    // NUL-terminated C string, as `strlen` does in C.
    Ok(unsafe { convert::c_string(vm, address, len) })
}

fn string_to_pointer(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    let s = string_arg(vm, args, "string->pointer", 0)?;
    if s.contains('\0') {
        return Err(failure("range", "string->pointer", "string contains a NUL character"));
    }
    let block = pointer::allocate(s.len() + 1).map_err(|e| failure("ffi", "string->pointer", e))?;
    // SAFETY: the block has `s.len() + 1` zeroed bytes.
    unsafe { std::ptr::copy_nonoverlapping(s.as_ptr(), block.addr as *mut u8, s.len()) };
    Ok(pointer::make_owner(vm, block))
}

fn pointer_to_bytevector(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    const PROC: &str = "pointer->bytevector";
    let p = pointer_arg(vm, args, PROC, 0)?;
    let len = size_arg(vm, args, PROC, 1)?;
    let address = if len == 0 { p.addr } else { p.checked(0, len).map_err(|e| failure("ffi", PROC, e))? };
    let bytes = match len {
        0 => Vec::new(),
        // SAFETY: `checked` found `len` bytes there.
        _ => unsafe { std::slice::from_raw_parts(address as *const u8, len) }.to_vec(),
    };
    Ok(vm.heap.alloc(Object::Bytevector(bytes)))
}

fn set_finalizer(vm: &mut Vm, args: HostArgs) -> Result<Value, HostFailure> {
    const PROC: &str = "set-foreign-finalizer!";
    let target = arg(vm, args, 0);
    let p = pointer_arg(vm, args, PROC, 0)?;
    let finalizer = pointer_arg(vm, args, PROC, 1)?;
    if p.addr == 0 || finalizer.addr == 0 {
        return Err(failure("ffi", PROC, "null pointer"));
    }
    if p.block.as_ref().is_some_and(|b| !matches!(b.release_kind(), Release::None | Release::Bytevector)) {
        return Err(failure(
            "ffi",
            PROC,
            "this memory is already freed by Seam (foreign-alloc or a finalizer)",
        ));
    }
    let size = p.block.as_ref().and_then(|b| b.size);
    // Keep the finalizer's library (or else the memory's) loaded until the finalizer ran.
    let library = [&finalizer, &p].iter().find_map(|q| q.block.as_ref().and_then(|b| b.library().cloned()));
    let block = Block::in_library(p.addr, size, Release::Finalizer(finalizer.addr), library);
    pointer::set_block(vm, target, block);
    Ok(Value::Unspecified)
}
