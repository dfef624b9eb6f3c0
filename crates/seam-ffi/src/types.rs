//! C types as the FFI sees them: parsed from Scheme data (`int`, `(* double)`,
//! `(array char 16)`, `(callback (int) void)`, a `define-foreign-struct` name), with their C
//! size and alignment and the `libffi` description used to call functions taking them.

use std::ffi::c_char;
use std::sync::Arc;

use libffi::middle::Type;
use rustc_hash::FxHashMap;
use seam_vm::{printer::write_limited, Heap, Value};

/// A C type.
#[derive(Clone, Debug)]
pub enum CType {
    Void,
    /// C's `_Bool` (one byte); `boolean` is an `int` used as a truth value.
    Bool,
    Boolean,
    Int(IntType),
    Float,
    Double,
    /// `void*` (no pointee) or `(* T)`.
    Pointer(Option<Arc<CType>>),
    /// `char*` holding UTF-8: a Scheme string on the way in (copied, NUL-terminated, freed
    /// after the call), a Scheme string on the way out.
    String,
    /// `uint8_t*` to a bytevector's own bytes, pinned for the call.
    Bytevector,
    /// A struct or union by value.
    Aggregate(Arc<Aggregate>),
    /// A fixed-size array: inline in structs, a pointer to its first element as an argument.
    Array(Arc<CType>, usize),
    /// A pointer to a C function with this signature: a Scheme procedure becomes one.
    Callback(Arc<Signature>),
}

/// A C integer type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntType {
    pub size: u8,
    pub signed: bool,
    /// The name it was declared with (for messages).
    pub name: &'static str,
}

impl IntType {
    pub const fn new(name: &'static str, size: usize, signed: bool) -> IntType {
        IntType { size: size as u8, signed, name }
    }

    /// The smallest and largest value (as i128, which holds both ends of every width).
    pub fn range(self) -> (i128, i128) {
        let bits = self.size as u32 * 8;
        match self.signed {
            true => (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1),
            false => (0, (1i128 << bits) - 1),
        }
    }
}

/// A function's C signature.
#[derive(Clone, Debug)]
pub struct Signature {
    pub args: Vec<CType>,
    pub ret: CType,
    /// Declared with a final `...`: more arguments may follow `args`.
    pub varargs: bool,
}

/// A struct or union type with its C layout.
#[derive(Debug)]
pub struct Aggregate {
    pub name: Arc<str>,
    pub union: bool,
    pub fields: Vec<Field>,
    pub size: usize,
    pub align: usize,
}

#[derive(Debug)]
pub struct Field {
    pub name: Arc<str>,
    pub ty: CType,
    pub offset: usize,
}

impl Aggregate {
    /// Lays out `fields` as C does: each at the next multiple of its alignment (all at 0 in
    /// a union), the whole padded to the largest alignment.
    pub fn new(name: Arc<str>, union: bool, fields: Vec<(Arc<str>, CType)>) -> Result<Aggregate, String> {
        let (mut size, mut align) = (0usize, 1usize);
        let mut laid = Vec::with_capacity(fields.len());
        for (field, ty) in fields {
            if laid.iter().any(|f: &Field| f.name == field) {
                return Err(format!("{name} has two fields named {field}"));
            }
            if matches!(ty, CType::Void) {
                return Err(format!("field {field} of {name} cannot be void"));
            }
            let (fsize, falign) = (ty.size(), ty.align());
            align = align.max(falign);
            let offset = if union { 0 } else { size.next_multiple_of(falign) };
            size = if union { size.max(fsize) } else { offset + fsize };
            laid.push(Field { name: field, ty, offset });
        }
        Ok(Aggregate { name, union, fields: laid, size: size.next_multiple_of(align), align })
    }
}

impl CType {
    pub fn size(&self) -> usize {
        match self {
            CType::Void => 0,
            CType::Bool => 1,
            CType::Boolean => 4,
            CType::Int(i) => i.size as usize,
            CType::Float => 4,
            CType::Double => 8,
            CType::Pointer(_) | CType::String | CType::Bytevector | CType::Callback(_) => {
                std::mem::size_of::<usize>()
            }
            CType::Aggregate(a) => a.size,
            CType::Array(t, n) => t.size() * n,
        }
    }

    pub fn align(&self) -> usize {
        match self {
            CType::Aggregate(a) => a.align,
            CType::Array(t, _) => t.align(),
            CType::Void => 1,
            // Scalars are aligned to their size on every platform Seam supports.
            other => other.size(),
        }
    }

    /// Whether a value of this type is passed in an integer register (integers, pointers,
    /// strings, bytevectors, callbacks): the FFI's fast path calls such functions directly.
    pub fn is_integer_class(&self) -> bool {
        matches!(
            self,
            CType::Bool
                | CType::Boolean
                | CType::Int(_)
                | CType::Pointer(_)
                | CType::String
                | CType::Bytevector
                | CType::Callback(_)
                | CType::Array(..)
        )
    }

    /// The libffi description of this type (as an argument: arrays decay to pointers).
    pub fn ffi_type(&self) -> Type {
        match self {
            CType::Void => Type::void(),
            CType::Bool => Type::u8(),
            CType::Boolean => Type::c_int(),
            CType::Int(i) => match (i.size, i.signed) {
                (1, true) => Type::i8(),
                (1, false) => Type::u8(),
                (2, true) => Type::i16(),
                (2, false) => Type::u16(),
                (4, true) => Type::i32(),
                (4, false) => Type::u32(),
                (_, true) => Type::i64(),
                (_, false) => Type::u64(),
            },
            CType::Float => Type::f32(),
            CType::Double => Type::f64(),
            CType::Pointer(_) | CType::String | CType::Bytevector | CType::Callback(_) | CType::Array(..) => {
                Type::pointer()
            }
            CType::Aggregate(a) => Type::structure(aggregate_elements(a)),
        }
    }

    /// How a user would write this type.
    pub fn describe(&self) -> String {
        match self {
            CType::Void => "void".into(),
            CType::Bool => "bool".into(),
            CType::Boolean => "boolean".into(),
            CType::Int(i) => i.name.to_string(),
            CType::Float => "float".into(),
            CType::Double => "double".into(),
            CType::Pointer(None) => "void*".into(),
            CType::Pointer(Some(t)) => format!("(* {})", t.describe()),
            CType::String => "string".into(),
            CType::Bytevector => "bytevector".into(),
            CType::Aggregate(a) => a.name.to_string(),
            CType::Array(t, n) => format!("(array {} {n})", t.describe()),
            CType::Callback(_) => "callback".into(),
        }
    }
}

/// The elements libffi sees for a struct: its fields in order, arrays spelled out element by
/// element. A union (which libffi cannot describe) is given as a run of units of its
/// alignment, each a floating-point type where the C ABI would pass those bytes in a
/// floating-point register and an integer type otherwise, so libffi classifies it as C
/// does (see `union_unit_is_float`).
fn aggregate_elements(a: &Aggregate) -> Vec<Type> {
    if a.union {
        let unit = a.align.max(1);
        let mut scalars = Vec::new();
        for field in &a.fields {
            flatten_scalars(&field.ty, field.offset, &mut scalars);
        }
        if a.size == 0 {
            return vec![Type::u8()];
        }
        return (0..a.size / unit)
            .map(|i| {
                let (start, end) = (i * unit, (i + 1) * unit);
                let overlapping = scalars.iter().filter(|s| s.offset < end && s.offset + s.size > start);
                match (unit, union_unit_is_float(overlapping, unit)) {
                    (4, true) => Type::f32(),
                    (8, true) => Type::f64(),
                    (1, _) => Type::u8(),
                    (2, _) => Type::u16(),
                    (4, _) => Type::u32(),
                    _ => Type::u64(),
                }
            })
            .collect();
    }
    let mut out = Vec::new();
    for field in &a.fields {
        push_elements(&field.ty, &mut out);
    }
    if out.is_empty() {
        out.push(Type::u8());
    }
    out
}

/// A scalar inside an aggregate: where it lives and whether it is a `float` or `double`.
struct Scalar {
    offset: usize,
    size: usize,
    float: bool,
}

fn flatten_scalars(ty: &CType, offset: usize, out: &mut Vec<Scalar>) {
    match ty {
        CType::Array(element, n) => {
            (0..*n).for_each(|i| flatten_scalars(element, offset + i * element.size(), out))
        }
        CType::Aggregate(a) => a.fields.iter().for_each(|f| flatten_scalars(&f.ty, offset + f.offset, out)),
        other => out.push(Scalar {
            offset,
            size: other.size(),
            float: matches!(other, CType::Float | CType::Double),
        }),
    }
}

/// Whether a union's `unit`-byte piece travels in a floating-point register. On x86-64 (the
/// System V classification) that is when every member overlapping it is floating-point; on
/// other ABIs (AArch64's homogeneous aggregates) when every such member is the floating-point
/// type of the unit's size.
fn union_unit_is_float<'a>(mut overlapping: impl Iterator<Item = &'a Scalar>, unit: usize) -> bool {
    let mut any = false;
    let all = overlapping.all(|s| {
        any = true;
        s.float && (cfg!(target_arch = "x86_64") || s.size == unit)
    });
    any && all && (unit == 4 || unit == 8)
}

fn push_elements(ty: &CType, out: &mut Vec<Type>) {
    match ty {
        CType::Array(element, n) => (0..*n).for_each(|_| push_elements(element, out)),
        other => out.push(other.ffi_type()),
    }
}

/// Named C types: built-in names and the structs and unions programs define.
pub struct TypeRegistry {
    named: FxHashMap<Arc<str>, CType>,
}

/// The built-in type names (Chez Scheme's spellings and C's).
fn builtin_types() -> Vec<(&'static str, CType)> {
    use std::mem::size_of;
    let int = |name: &'static str, size: usize, signed: bool| CType::Int(IntType::new(name, size, signed));
    let long = size_of::<std::ffi::c_long>();
    let char_signed = c_char::MIN != 0;
    vec![
        ("void", CType::Void),
        ("bool", CType::Bool),
        ("boolean", CType::Boolean),
        ("char", int("char", 1, char_signed)),
        ("signed-char", int("signed-char", 1, true)),
        ("unsigned-char", int("unsigned-char", 1, false)),
        ("short", int("short", 2, true)),
        ("unsigned-short", int("unsigned-short", 2, false)),
        ("int", int("int", 4, true)),
        ("unsigned", int("unsigned", 4, false)),
        ("unsigned-int", int("unsigned-int", 4, false)),
        ("long", int("long", long, true)),
        ("unsigned-long", int("unsigned-long", long, false)),
        ("long-long", int("long-long", 8, true)),
        ("unsigned-long-long", int("unsigned-long-long", 8, false)),
        ("int8", int("int8", 1, true)),
        ("int16", int("int16", 2, true)),
        ("int32", int("int32", 4, true)),
        ("int64", int("int64", 8, true)),
        ("uint8", int("uint8", 1, false)),
        ("uint16", int("uint16", 2, false)),
        ("uint32", int("uint32", 4, false)),
        ("uint64", int("uint64", 8, false)),
        ("integer-8", int("integer-8", 1, true)),
        ("integer-16", int("integer-16", 2, true)),
        ("integer-32", int("integer-32", 4, true)),
        ("integer-64", int("integer-64", 8, true)),
        ("unsigned-8", int("unsigned-8", 1, false)),
        ("unsigned-16", int("unsigned-16", 2, false)),
        ("unsigned-32", int("unsigned-32", 4, false)),
        ("unsigned-64", int("unsigned-64", 8, false)),
        ("size_t", int("size_t", size_of::<usize>(), false)),
        ("ssize_t", int("ssize_t", size_of::<isize>(), true)),
        ("ptrdiff_t", int("ptrdiff_t", size_of::<isize>(), true)),
        ("intptr_t", int("intptr_t", size_of::<isize>(), true)),
        ("uintptr_t", int("uintptr_t", size_of::<usize>(), false)),
        ("iptr", int("iptr", size_of::<isize>(), true)),
        ("uptr", int("uptr", size_of::<usize>(), false)),
        ("wchar_t", int("wchar_t", size_of::<libc_wchar>(), true)),
        ("float", CType::Float),
        ("double", CType::Double),
        ("single-float", CType::Float),
        ("double-float", CType::Double),
        ("void*", CType::Pointer(None)),
        ("pointer", CType::Pointer(None)),
        ("string", CType::String),
        ("utf-8", CType::String),
        ("bytevector", CType::Bytevector),
        ("u8*", CType::Bytevector),
    ]
}

#[cfg(windows)]
type libc_wchar = u16;
#[cfg(not(windows))]
#[allow(non_camel_case_types)]
type libc_wchar = i32;

impl Default for TypeRegistry {
    fn default() -> Self {
        TypeRegistry { named: builtin_types().into_iter().map(|(n, t)| (Arc::from(n), t)).collect() }
    }
}

impl TypeRegistry {
    /// Defines (or redefines) a named struct or union.
    pub fn define(&mut self, name: Arc<str>, ty: CType) -> Result<(), String> {
        if builtin_types().iter().any(|(n, _)| **n == *name) {
            return Err(format!("{name} is a built-in C type and cannot be redefined"));
        }
        self.named.insert(name, ty);
        Ok(())
    }

    /// Parses a type datum.
    pub fn parse(&self, heap: &Heap, spec: Value) -> Result<CType, String> {
        self.parse_at(heap, spec, 0)
    }

    fn parse_at(&self, heap: &Heap, spec: Value, depth: usize) -> Result<CType, String> {
        if depth > 64 {
            return Err("C type nested too deeply".into());
        }
        let show = || write_limited(heap, spec, 60);
        match spec {
            Value::Symbol(id) => {
                let name = heap.symbol_name(id);
                self.named.get(&**name).cloned().ok_or_else(|| format!("unknown C type {name}"))
            }
            Value::Pair(_) => {
                let items = heap.list_to_vec(spec).ok_or_else(|| format!("malformed C type {}", show()))?;
                let head = match items[0] {
                    Value::Symbol(id) => heap.symbol_name(id).clone(),
                    _ => return Err(format!("malformed C type {}", show())),
                };
                match (&*head, &items[1..]) {
                    ("*", [pointee]) => match self.parse_at(heap, *pointee, depth + 1)? {
                        CType::Void => Ok(CType::Pointer(None)),
                        t => Ok(CType::Pointer(Some(Arc::new(t)))),
                    },
                    ("&", [target]) => match self.parse_at(heap, *target, depth + 1)? {
                        t @ CType::Aggregate(_) => Ok(t),
                        t => Err(format!("(& T) needs a struct or union type, got {}", t.describe())),
                    },
                    ("array", [element, Value::Fixnum(n)]) if *n >= 0 => {
                        match self.parse_at(heap, *element, depth + 1)? {
                            CType::Void => Err("array of void".into()),
                            t => Ok(CType::Array(Arc::new(t), *n as usize)),
                        }
                    }
                    ("callback" | "function", [args, ret]) => {
                        Ok(CType::Callback(Arc::new(self.signature_at(heap, *args, *ret, depth + 1)?)))
                    }
                    ("struct" | "union", fields) => {
                        let union = &*head == "union";
                        let fields = self.fields_at(heap, fields, depth + 1)?;
                        let name: Arc<str> = Arc::from(show());
                        Ok(CType::Aggregate(Arc::new(Aggregate::new(name, union, fields)?)))
                    }
                    _ => Err(format!(
                        "malformed C type {}: expected a type name, (* T), (& struct), (array T n), \
                         (callback (T ...) T), (struct (field T) ...) or (union (field T) ...)",
                        show()
                    )),
                }
            }
            _ => Err(format!("malformed C type {}", show())),
        }
    }

    /// Parses `((field type) ...)` items.
    pub fn fields(&self, heap: &Heap, items: &[Value]) -> Result<Vec<(Arc<str>, CType)>, String> {
        self.fields_at(heap, items, 0)
    }

    fn fields_at(
        &self,
        heap: &Heap,
        items: &[Value],
        depth: usize,
    ) -> Result<Vec<(Arc<str>, CType)>, String> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match heap.list_to_vec(*item).as_deref() {
                Some([Value::Symbol(name), ty]) => {
                    out.push((heap.symbol_name(*name).clone(), self.parse_at(heap, *ty, depth)?))
                }
                _ => {
                    return Err(format!(
                        "malformed field {}: expected (name type)",
                        write_limited(heap, *item, 60)
                    ))
                }
            }
        }
        Ok(out)
    }

    /// Parses an argument list (possibly ending in `...`) and a return type.
    pub fn signature(&self, heap: &Heap, args: Value, ret: Value) -> Result<Signature, String> {
        self.signature_at(heap, args, ret, 0)
    }

    fn signature_at(&self, heap: &Heap, args: Value, ret: Value, depth: usize) -> Result<Signature, String> {
        let items = heap
            .list_to_vec(args)
            .ok_or_else(|| format!("argument types must be a list, got {}", write_limited(heap, args, 60)))?;
        let mut sig = Signature { args: Vec::with_capacity(items.len()), ret: CType::Void, varargs: false };
        for (i, item) in items.iter().enumerate() {
            if matches!(item, Value::Symbol(id) if &**heap.symbol_name(*id) == "...") {
                if i + 1 != items.len() {
                    return Err("... must be the last argument type".into());
                }
                sig.varargs = true;
                continue;
            }
            match self.parse_at(heap, *item, depth)? {
                CType::Void => return Err("void is not an argument type".into()),
                t => sig.args.push(t),
            }
        }
        sig.ret = match self.parse_at(heap, ret, depth)? {
            CType::Array(..) => return Err("a C function cannot return an array".into()),
            t => t,
        };
        Ok(sig)
    }
}
