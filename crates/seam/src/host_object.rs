//! Opaque host objects: Rust values that live inside Scheme without being converted.
//!
//! A [`HostType`] names its Scheme type and registers methods with a [`TypeBuilder`];
//! [`Engine::register_type`](crate::Engine::register_type) defines `NAME?` and `NAME-METHOD`
//! procedures. Values of the type become host objects when they cross into Scheme (as a
//! host function's result, with `engine.set`, ...). Host functions take them as `&T` or
//! `&mut T` first parameters (borrowed for the call, checked at run time), as rooted
//! [`Handle<T>`]s, or by value, which *takes* the value out of the object: the object stays,
//! empty, and any later use of it is an error naming the type. Any other `Send + 'static`
//! type crosses the same way inside an [`Opaque<T>`].

use std::any::Any;
use std::cell::{Ref, RefCell, RefMut};
use std::fmt::Write;
use std::marker::PhantomData;
use std::rc::Rc;

use seam_vm::host::HostFailure;
use seam_vm::host_object::{HostObject, HostTypeInfo};
use seam_vm::{Object, Value as Raw, Vm};

use crate::convert::{ConversionError, ConversionErrorKind, Convert, FromValue, IntoValue, ValueRef};
use crate::ctx::Context;
use crate::error::Error;
use crate::handle::Value;
use crate::host_fn::{HostFnParts, IntoHostFn};

/// A Rust type whose values live in Scheme as opaque host objects.
///
/// ```
/// use seam::{Engine, HostType, TypeBuilder};
///
/// #[derive(Debug)]
/// struct Counter { value: i64 }
///
/// impl HostType for Counter {
///     const NAME: &'static str = "counter";
///     fn register(t: &mut TypeBuilder<Self>) {
///         t.method("next", |c: &Counter| Counter { value: c.value + 1 });
///         t.method("value", |c: &Counter| c.value);
///         t.method_mut("reset!", |c: &mut Counter| c.value = 0);
///     }
/// }
///
/// let mut engine = Engine::new();
/// engine.register_type::<Counter>();
/// engine.define_fn("make-counter", |v: i64| Counter { value: v });
/// let v: i64 = engine.eval("(define c (make-counter 5)) (counter-value (counter-next c))").unwrap();
/// assert_eq!(v, 6);
/// assert_eq!(engine.eval_to_string("(counter-reset! c) c").unwrap(), "#<counter Counter { value: 0 }>");
/// assert!(engine.eval::<bool>("(counter? c)").unwrap());
/// ```
pub trait HostType: Any + Send + std::fmt::Debug + Sized {
    /// The Scheme name: `NAME?` is the predicate, `NAME-METHOD` the methods, and values
    /// print as `#<NAME ...>`.
    const NAME: &'static str;

    /// Registers the type's methods and functions (none by default).
    fn register(_t: &mut TypeBuilder<Self>) {}

    /// What `write` and `display` show after `#<NAME `; `Debug` by default.
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self:?}");
    }
}

/// Collects a host type's methods for [`Engine::register_type`](crate::Engine::register_type).
pub struct TypeBuilder<T> {
    pub(crate) procedures: Vec<(String, HostFnParts)>,
    marker: PhantomData<fn(T)>,
}

impl<T: HostType> TypeBuilder<T> {
    pub(crate) fn new() -> TypeBuilder<T> {
        TypeBuilder { procedures: Vec::new(), marker: PhantomData }
    }

    /// `NAME-name`: a method taking the object as `&T` first (optionally after `&mut Ctx`).
    pub fn method<Marker>(&mut self, name: &str, f: impl IntoHostFn<Marker>) -> &mut Self {
        self.function(&format!("{}-{name}", T::NAME), f)
    }

    /// `NAME-name`: a method taking the object as `&mut T` first (optionally after
    /// `&mut Ctx`). The object is borrowed exclusively for the call: using it again from
    /// inside the call (through a callback) is a `borrow` error.
    pub fn method_mut<Marker>(&mut self, name: &str, f: impl IntoHostFn<Marker>) -> &mut Self {
        self.method(name, f)
    }

    /// A procedure with exactly this name (a constructor, say), like
    /// [`Engine::define_fn`](crate::Engine::define_fn).
    pub fn function<Marker>(&mut self, name: &str, f: impl IntoHostFn<Marker>) -> &mut Self {
        let parts = f.into_host_fn(std::sync::Arc::from(name));
        self.procedures.push((name.to_string(), parts));
        self
    }
}

/// The VM's description of host type `T`.
struct TypeInfo<T>(PhantomData<T>);

impl<T: HostType> TypeInfo<T> {
    const INFO: HostTypeInfo = HostTypeInfo { name: type_name::<T>, write: write_value::<T> };
}

fn type_name<T: HostType>() -> &'static str {
    T::NAME
}

fn write_value<T: HostType>(cell: &dyn Any, out: &mut String) {
    let Some(cell) = cell.downcast_ref::<RefCell<Option<T>>>() else { return };
    match cell.try_borrow() {
        Ok(value) => match &*value {
            Some(v) => {
                out.push(' ');
                v.write(out);
            }
            None => out.push_str(" (taken)"),
        },
        Err(_) => out.push_str(" (in use)"),
    }
}

impl<T: Send + 'static> TypeInfo<Opaque<T>> {
    const OPAQUE: HostTypeInfo = HostTypeInfo { name: opaque_name, write: write_opaque::<T> };
}

fn opaque_name() -> &'static str {
    "host-object"
}

fn write_opaque<T: 'static>(_cell: &dyn Any, out: &mut String) {
    out.push(' ');
    out.push_str(std::any::type_name::<T>());
}

/// The host object `v` holds as a `T`, or the error naming what was expected.
fn object_of<'v, T: 'static>(
    vm: &'v Vm,
    v: Raw,
    expected: &'static str,
) -> Result<&'v HostObject, ConversionError> {
    match vm.heap.object(v) {
        Some(Object::HostObject(h)) if h.is::<T>() => Ok(h),
        _ => Err(Convert::invalid_type_in(vm, expected, ValueRef(v))),
    }
}

fn unavailable(expected: &'static str, what: &str) -> ConversionError {
    ConversionError {
        kind: ConversionErrorKind::Borrow,
        expected: expected.into(),
        got: format!("{expected} {what}"),
    }
}

/// Takes the value out of a host object (by-value parameters, `Opaque<T>` results).
fn take<T: 'static>(vm: &Vm, v: Raw, expected: &'static str) -> Result<T, ConversionError> {
    let object = object_of::<T>(vm, v, expected)?;
    let cell = object.cell::<T>().ok_or_else(|| unavailable(expected, "has the wrong type"))?;
    let mut slot = cell
        .try_borrow_mut()
        .map_err(|_| unavailable(expected, "is in use (borrowed by a call in progress)"))?;
    slot.take().ok_or_else(|| unavailable(expected, "has been taken (moved into Rust)"))
}

impl<T: HostType> IntoValue for T {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(cx.vm.host_object(self, &TypeInfo::<T>::INFO)))
    }
}

impl<T: HostType> FromValue for T {
    /// Takes the value out of the object: the object stays, empty, and later uses of it
    /// are errors. Borrow it with a `&T`/`&mut T` parameter or a [`Handle<T>`] instead to
    /// leave it in place.
    fn from_value(value: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        take(cx.vm, value.0, T::NAME)
    }
}

/// Any `Send + 'static` Rust value, carried through Scheme as an opaque host object
/// (`(host-object? x)` is true; it prints as `#<host-object TYPE>`). As a parameter it takes
/// the value out of the object, like a by-value [`HostType`] parameter.
///
/// ```
/// use seam::{Engine, Opaque};
/// let mut engine = Engine::new();
/// engine.define_fn("open", |path: String| Opaque(std::path::PathBuf::from(path)));
/// engine.define_fn("close", |p: Opaque<std::path::PathBuf>| p.0.display().to_string());
/// assert!(engine.eval::<bool>("(host-object? (open \"/tmp\"))").unwrap());
/// assert_eq!(engine.eval::<String>("(close (open \"/tmp/x\"))").unwrap(), "/tmp/x");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Opaque<T>(pub T);

impl<T: Send + 'static> IntoValue for Opaque<T> {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        Ok(ValueRef(cx.vm.host_object(self.0, &TypeInfo::<Opaque<T>>::OPAQUE)))
    }
}

impl<T: Send + 'static> FromValue for Opaque<T> {
    fn from_value(value: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        take(cx.vm, value.0, std::any::type_name::<T>()).map(Opaque)
    }
}

/// A rooted handle on a host object holding a `T` (a [`HostType`] or an [`Opaque`]
/// payload): keeps it alive, and lets Rust borrow it.
///
/// ```
/// # use seam::{Engine, Handle, HostType};
/// # #[derive(Debug)] struct Counter { value: i64 }
/// # impl HostType for Counter { const NAME: &'static str = "counter"; }
/// let mut engine = Engine::new();
/// engine.define_fn("make-counter", |v: i64| Counter { value: v });
/// let h: Handle<Counter> = engine.eval("(make-counter 41)").unwrap();
/// engine.collect_garbage();
/// h.borrow_mut(&mut engine).unwrap().value += 1;
/// assert_eq!(h.borrow(&engine).unwrap().value, 42);
/// ```
pub struct Handle<T> {
    value: Value,
    marker: PhantomData<fn() -> T>,
}

impl<T> Clone for Handle<T> {
    fn clone(&self) -> Self {
        Handle { value: self.value.clone(), marker: PhantomData }
    }
}

impl<T> std::fmt::Debug for Handle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Handle<{}>({:?})", std::any::type_name::<T>(), self.value)
    }
}

impl<T: 'static> Handle<T> {
    fn cell<'a>(&self, vm: &'a Vm) -> Result<&'a RefCell<Option<T>>, Error> {
        let v = self.value.get(vm).map_err(|e| Error::conversion("handle", e))?;
        let object = object_of::<T>(vm, v.0, "host object").map_err(|e| Error::conversion("handle", e))?;
        object
            .cell::<T>()
            .ok_or_else(|| Error::conversion("handle", unavailable("host object", "has the wrong type")))
    }

    /// Borrows the value (shared). Fails if it is borrowed mutably or was taken.
    pub fn borrow<'a>(&self, cx: &'a impl Context) -> Result<Ref<'a, T>, Error> {
        let cell = self.cell(cx.vm_ref())?;
        let value = cell
            .try_borrow()
            .map_err(|_| Error::conversion("handle", unavailable("host object", "is in use")))?;
        Ref::filter_map(value, Option::as_ref).map_err(|_| {
            Error::conversion("handle", unavailable("host object", "has been taken (moved into Rust)"))
        })
    }

    /// Borrows the value mutably. Fails if it is borrowed or was taken.
    pub fn borrow_mut<'a>(&self, cx: &'a mut impl Context) -> Result<RefMut<'a, T>, Error> {
        let cell = self.cell(cx.vm())?;
        let value = cell
            .try_borrow_mut()
            .map_err(|_| Error::conversion("handle", unavailable("host object", "is in use")))?;
        RefMut::filter_map(value, Option::as_mut).map_err(|_| {
            Error::conversion("handle", unavailable("host object", "has been taken (moved into Rust)"))
        })
    }

    /// The object as an untyped rooted value.
    pub fn value(&self) -> &Value {
        &self.value
    }
}

impl<T: 'static> FromValue for Handle<T> {
    fn from_value(value: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        object_of::<T>(cx.vm, value.0, host_type_name::<T>())?;
        Ok(Handle { value: Value::root(cx.vm, value), marker: PhantomData })
    }
}

impl<T> IntoValue for Handle<T> {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        self.value.get(cx.vm)
    }
}

/// How errors name the expected type of a handle: the `HostType` name is not reachable
/// without the bound, so the Rust type name is used.
fn host_type_name<T: 'static>() -> &'static str {
    std::any::type_name::<T>()
}

/// A host function's borrowed object parameter: the cell, kept alive for the call. The
/// caller (the host-function body in `host_fn.rs`) drops it before the call returns.
#[doc(hidden)]
pub(crate) fn borrowed_cell<T: HostType>(
    vm: &Vm,
    v: Option<Raw>,
) -> Result<Rc<RefCell<Option<T>>>, ConversionError> {
    let v = v.unwrap_or(Raw::Unspecified);
    let object = object_of::<T>(vm, v, T::NAME)?;
    // SAFETY: only host-function bodies call this, during a call into `vm` (they hold
    // `&mut Vm` until they return), and they drop the clone before returning, so it never
    // outlives the call or leaves the VM's thread.
    unsafe { object.shared_cell::<T>() }.ok_or_else(|| unavailable(T::NAME, "has the wrong type"))
}

/// The error for an object parameter that is in use or taken.
#[doc(hidden)]
pub(crate) fn unavailable_failure(name: &'static str, mutable: bool, taken: bool) -> HostFailure {
    let message = match (taken, mutable) {
        (true, _) => format!("{name} has been taken (moved into Rust)"),
        (false, true) => format!("{name} is already in use: it cannot be borrowed mutably"),
        (false, false) => format!("{name} is borrowed mutably by a call in progress"),
    };
    HostFailure::new("borrow", message)
}

impl crate::Engine {
    /// Defines the Scheme procedures of host type `T`: the predicate `NAME?` and every
    /// method and function `T::register` adds.
    pub fn register_type<T: HostType>(&mut self) {
        let mut builder = TypeBuilder::<T>::new();
        T::register(&mut builder);
        let vm = self.vm_mut();
        let predicate = format!("{}?", T::NAME);
        let body = Box::new(|vm: &mut Vm, args: seam_vm::host::HostArgs| {
            let is = matches!(args.get(vm, 0).and_then(|v| vm.heap.object(v)), Some(Object::HostObject(h)) if h.is::<T>());
            Ok(Raw::Bool(is))
        });
        let function = vm.host_function(&predicate, 1, 1, body);
        vm.define_top_level(&predicate, function);
        for (name, parts) in builder.procedures {
            let function = vm.host_function(&name, parts.min, parts.max, parts.body);
            vm.define_top_level(&name, function);
        }
    }
}
