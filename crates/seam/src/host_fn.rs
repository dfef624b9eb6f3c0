//! Host functions: Rust closures with typed parameters, registered with
//! [`Engine::define_fn`](crate::Engine::define_fn). One recursive macro implements
//! [`IntoHostFn`] for closures of 0 to 16 parameters, with or without a leading `&mut Ctx`.
//!
//! Parameters convert with [`FromValue`]; trailing `Option<T>` parameters are optional and a
//! final [`Rest<T>`] takes the remaining arguments, so the accepted argument counts follow
//! from the signature. Results convert with [`IntoValue`]; a `Result`'s error becomes a
//! Scheme error object (`guard` catches it) that keeps the Rust error as its source.

use std::any::Any;
use std::sync::Arc;

use seam_vm::host::{HostArgs, HostBody, HostFailure};
use seam_vm::printer::write_limited;
use seam_vm::{Value as Raw, Vm};

use crate::convert::{ConversionError, Convert, FromValue, IntoValue, ParamKind, ValueRef};
use crate::ctx::Ctx;
use crate::error::Error;
use crate::host_object::{borrowed_cell, unavailable_failure, HostType};

/// The remaining arguments of a variadic host function.
///
/// ```
/// let mut engine = seam::Engine::new();
/// engine.define_fn("sum", |first: i64, rest: seam::Rest<i64>| first + rest.iter().sum::<i64>());
/// assert_eq!(engine.eval::<i64>("(sum 1 2 3 4)").unwrap(), 10);
/// assert_eq!(engine.eval::<i64>("(sum 5)").unwrap(), 5);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rest<T>(pub Vec<T>);

impl<T> std::ops::Deref for Rest<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> IntoIterator for Rest<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<T: FromValue> FromValue for Rest<T> {
    /// From a list (the rest arguments as Scheme would pass them).
    fn from_value(value: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        Vec::from_value(value, cx).map(Rest)
    }

    const PARAM: ParamKind = ParamKind::Rest;

    fn from_rest(items: &[ValueRef], cx: &mut Convert) -> Result<Self, (usize, ConversionError)> {
        let mut out = Vec::with_capacity(items.len());
        for (i, &item) in items.iter().enumerate() {
            out.push(T::from_value(item, cx).map_err(|e| (i, e))?);
        }
        Ok(Rest(out))
    }
}

/// The parts of a registered host function.
#[doc(hidden)]
pub struct HostFnParts {
    pub min: u16,
    pub max: u16,
    pub body: Box<HostBody>,
}

/// A Rust closure usable as a Scheme procedure. Implemented for `Fn` closures whose
/// parameters are [`FromValue`] (optionally after a first `&mut Ctx`) and whose result is
/// a [`HostResult`]; `Marker` only tells the implementations apart.
pub trait IntoHostFn<Marker>: Send + 'static {
    #[doc(hidden)]
    fn into_host_fn(self, name: Arc<str>) -> HostFnParts;
}

/// What a host function may return: any [`IntoValue`], or a `Result` of one whose error is
/// a `std::error::Error` (use [`Error::tagged`] to choose the Scheme error kind).
pub trait HostResult {
    #[doc(hidden)]
    fn into_raw(self, vm: &mut Vm, call: &CallInfo<'_>) -> Result<Raw, HostFailure>;
}

impl<T: IntoValue> HostResult for T {
    fn into_raw(self, vm: &mut Vm, call: &CallInfo<'_>) -> Result<Raw, HostFailure> {
        self.into_value(&mut Convert::new(vm))
            .map(|v| v.0)
            .map_err(|e| call.conversion_failure(vm, "result", e))
    }
}

impl<T: IntoValue, E: std::error::Error + Send + Sync + 'static> HostResult for Result<T, E> {
    fn into_raw(self, vm: &mut Vm, call: &CallInfo<'_>) -> Result<Raw, HostFailure> {
        match self {
            Ok(value) => value.into_raw(vm, call),
            Err(error) => Err(call.error_failure(vm, error)),
        }
    }
}

/// Who was called with what, for error messages.
#[doc(hidden)]
pub struct CallInfo<'a> {
    pub(crate) name: &'a str,
    pub(crate) min: u16,
    pub(crate) max: u16,
    pub(crate) args: HostArgs,
    /// Set once the call's arguments are gone (an async function's result): messages leave
    /// them out.
    pub(crate) finished: bool,
}

impl CallInfo<'_> {
    /// `error in NAME (arity N) called with (ARGS)`.
    fn prefix(&self, vm: &Vm) -> String {
        let arity = match (self.min, self.max) {
            (min, max) if min == max => format!("{min}"),
            (min, u16::MAX) => format!("at least {min}"),
            (min, max) => format!("{min} to {max}"),
        };
        let args: Vec<String> = (0..self.args.len())
            .filter_map(|i| self.args.get(vm, i))
            .map(|v| write_limited(&vm.heap, v, 40))
            .collect();
        if self.finished {
            return format!("error in {} (arity {arity})", self.name);
        }
        format!("error in {} (arity {arity}) called with ({})", self.name, args.join(" "))
    }

    fn conversion_failure(&self, vm: &Vm, what: &str, e: ConversionError) -> HostFailure {
        let message = format!("{}: {what}: {e}", self.prefix(vm));
        HostFailure {
            kind: Arc::from(e.scheme_kind()),
            message,
            irritants: Vec::new(),
            source: Some(Arc::new(e)),
            raise: None,
        }
    }

    /// A host object parameter in use by another borrow, or taken.
    fn borrow_failure(&self, vm: &Vm, name: &'static str, mutable: bool, taken: bool) -> HostFailure {
        let mut failure = unavailable_failure(name, mutable, taken);
        failure.message = format!("{}: argument 1: {}", self.prefix(vm), failure.message);
        failure.irritants = self.args.get(vm, 0).into_iter().collect();
        failure
    }

    fn argument_failure(&self, vm: &Vm, index: usize, e: ConversionError) -> HostFailure {
        let mut failure = self.conversion_failure(vm, &format!("argument {}", index + 1), e);
        failure.irritants = self.args.get(vm, index).into_iter().collect();
        failure
    }

    fn error_failure<E: std::error::Error + Send + Sync + 'static>(&self, vm: &Vm, error: E) -> HostFailure {
        let kind = match (&error as &dyn Any).downcast_ref::<Error>() {
            Some(e) => e.kind().to_string(),
            None => "host".to_string(),
        };
        let message = match (&error as &dyn Any).downcast_ref::<Error>() {
            Some(e) => format!("{}: {}", self.prefix(vm), e.message()),
            None => format!("{}: {error}", self.prefix(vm)),
        };
        HostFailure {
            kind: Arc::from(kind),
            message,
            irritants: Vec::new(),
            source: Some(Arc::new(error)),
            raise: None,
        }
    }
}

/// Marks host functions without a `&mut Ctx` parameter.
#[doc(hidden)]
pub struct Plain;

/// Marks host functions whose first parameter is `&mut Ctx`.
#[doc(hidden)]
pub struct WithCtx;

/// The accepted argument counts of a parameter list.
pub(crate) fn arity(kinds: &[ParamKind]) -> (u16, u16) {
    let min = kinds.iter().rposition(|k| *k == ParamKind::Required).map_or(0, |i| i + 1);
    let max = match kinds.last() {
        Some(ParamKind::Rest) => u16::MAX,
        _ => kinds.len() as u16,
    };
    (min as u16, max)
}

/// Converts parameter `index` from the call's arguments.
#[doc(hidden)]
pub fn param<T: FromValue>(vm: &mut Vm, call: &CallInfo<'_>, index: usize) -> Result<T, HostFailure> {
    if T::PARAM == ParamKind::Rest {
        let items: Vec<ValueRef> =
            (index..call.args.len()).filter_map(|i| call.args.get(vm, i)).map(ValueRef).collect();
        return T::from_rest(&items, &mut Convert::new(vm))
            .map_err(|(i, e)| call.argument_failure(vm, index + i, e));
    }
    match call.args.get(vm, index) {
        Some(v) => {
            T::from_value(ValueRef(v), &mut Convert::new(vm)).map_err(|e| call.argument_failure(vm, index, e))
        }
        None => T::from_missing().ok_or_else(|| {
            HostFailure::new("arity", format!("{}: argument {} is missing", call.prefix(vm), index + 1))
        }),
    }
}

/// Implements `IntoHostFn` for closures whose first parameter (after an optional
/// `&mut Ctx`) borrows a host object: the object is borrowed for the call through its
/// `RefCell`, so a conflicting use from inside the call is a `borrow` error.
macro_rules! object_method_impls {
    ($marker:ident, $borrow:ident, $as:ident, $mutable:expr, ($($object:tt)*), ($($ctx:tt)*), $($param:ident)*) => {
        impl<F, R, T, $($param,)*> IntoHostFn<($marker, T, R, $($param,)*)> for F
        where
            F: for<'a, 'b> Fn($($ctx)* $($object)*, $($param),*) -> R + Send + 'static,
            R: HostResult,
            T: HostType,
            $($param: FromValue,)*
        {
            #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
            fn into_host_fn(self, name: Arc<str>) -> HostFnParts {
                let (min, max) = arity(&[ParamKind::Required, $($param::PARAM),*]);
                let body = move |vm: &mut Vm, args: HostArgs| -> Result<Raw, HostFailure> {
                    let call = CallInfo { name: &name, min, max, args, finished: false };
                    let cell = borrowed_cell::<T>(vm, args.get(vm, 0)).map_err(|e| call.argument_failure(vm, 0, e))?;
                    let mut index = 1;
                    $(let $param: $param = param(vm, &call, index)?; index += 1;)*
                    let mut guard = cell.$borrow().map_err(|_| call.borrow_failure(vm, T::NAME, $mutable, false))?;
                    let Some(object) = guard.$as() else {
                        return Err(call.borrow_failure(vm, T::NAME, $mutable, true));
                    };
                    let result = object_method_impls!(@call self, vm, ($($ctx)*), object, $($param)*);
                    drop(guard);
                    result.into_raw(vm, &call)
                };
                HostFnParts { min, max, body: Box::new(body) }
            }
        }
    };
    (@call $f:ident, $vm:ident, (), $object:ident, $($param:ident)*) => {
        ($f)($object, $($param),*)
    };
    (@call $f:ident, $vm:ident, ($($ctx:tt)+), $object:ident, $($param:ident)*) => {
        ($f)(&mut Ctx::new($vm), $object, $($param),*)
    };
}

/// Marks host functions whose first parameter borrows a host object (`&T`).
#[doc(hidden)]
pub struct WithRef;

/// Marks host functions whose first parameter borrows a host object mutably (`&mut T`).
#[doc(hidden)]
pub struct WithMut;

/// Marks host functions taking `&mut Ctx`, then `&T`.
#[doc(hidden)]
pub struct WithCtxRef;

/// Marks host functions taking `&mut Ctx`, then `&mut T`.
#[doc(hidden)]
pub struct WithCtxMut;

/// Implements `IntoHostFn` for closures of the given parameters, then for one fewer.
macro_rules! host_fn_impls {
    ($($param:ident)*) => {
        impl<F, R, $($param,)*> IntoHostFn<(Plain, R, $($param,)*)> for F
        where
            F: Fn($($param),*) -> R + Send + 'static,
            R: HostResult,
            $($param: FromValue,)*
        {
            #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
            fn into_host_fn(self, name: Arc<str>) -> HostFnParts {
                let (min, max) = arity(&[$($param::PARAM),*]);
                let body = move |vm: &mut Vm, args: HostArgs| -> Result<Raw, HostFailure> {
                    let call = CallInfo { name: &name, min, max, args, finished: false };
                    let mut index = 0;
                    $(let $param: $param = param(vm, &call, index)?; index += 1;)*
                    (self)($($param),*).into_raw(vm, &call)
                };
                HostFnParts { min, max, body: Box::new(body) }
            }
        }

        impl<F, R, $($param,)*> IntoHostFn<(WithCtx, R, $($param,)*)> for F
        where
            F: for<'a> Fn(&mut Ctx<'a>, $($param),*) -> R + Send + 'static,
            R: HostResult,
            $($param: FromValue,)*
        {
            #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
            fn into_host_fn(self, name: Arc<str>) -> HostFnParts {
                let (min, max) = arity(&[$($param::PARAM),*]);
                let body = move |vm: &mut Vm, args: HostArgs| -> Result<Raw, HostFailure> {
                    let call = CallInfo { name: &name, min, max, args, finished: false };
                    let mut index = 0;
                    $(let $param: $param = param(vm, &call, index)?; index += 1;)*
                    let result = (self)(&mut Ctx::new(vm), $($param),*);
                    result.into_raw(vm, &call)
                };
                HostFnParts { min, max, body: Box::new(body) }
            }
        }

        object_method_impls!(WithRef, try_borrow, as_ref, false, (&'b T), (), $($param)*);
        object_method_impls!(WithMut, try_borrow_mut, as_mut, true, (&'b mut T), (), $($param)*);
        object_method_impls!(WithCtxRef, try_borrow, as_ref, false, (&'b T), (&mut Ctx<'a>,), $($param)*);
        object_method_impls!(WithCtxMut, try_borrow_mut, as_mut, true, (&'b mut T), (&mut Ctx<'a>,), $($param)*);

        host_fn_impls!(@fewer $($param)*);
    };
    (@fewer) => {};
    (@fewer $first:ident $($rest:ident)*) => {
        host_fn_impls!($($rest)*);
    };
}

host_fn_impls!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15 A16);
