//! Rooted handles: how Rust holds Scheme values. A [`Value`] keeps its Scheme value alive
//! across collections until the last clone is dropped; [`Procedure`] is a value known to be
//! callable, and [`Function`] a procedure with a Rust signature.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use seam_vm::Vm;

use crate::convert::{ConversionError, Convert, FromValue, IntoValue, ValueKind, ValueRef};
use crate::ctx::Context;
use crate::error::Error;

/// A Scheme value held by Rust: rooted, so the collector keeps it (and everything it
/// references) alive until the last clone of the handle is dropped.
///
/// ```
/// let mut engine = seam::Engine::new();
/// let v: seam::Value = engine.eval("(vector 1 \"a\" #\\b)").unwrap();
/// engine.collect_garbage();
/// assert_eq!(engine.write(&v), "#(1 \"a\" #\\b)");
/// let items: Vec<seam::Value> = engine.convert(&v).unwrap();
/// assert_eq!(engine.convert::<i64>(&items[0]).unwrap(), 1);
/// ```
#[derive(Clone)]
pub struct Value {
    root: Arc<Root>,
}

struct Root {
    slot: u32,
    engine: u64,
    queue: Arc<Mutex<Vec<u32>>>,
}

impl Drop for Root {
    fn drop(&mut self) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.push(self.slot);
        }
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Value(#{})", self.root.slot)
    }
}

impl Value {
    pub(crate) fn root(vm: &mut Vm, v: ValueRef) -> Value {
        let slot = vm.handles.root(v.0);
        Value {
            root: Arc::new(Root { slot, engine: vm.handles.engine_id(), queue: vm.handles.drop_queue() }),
        }
    }

    /// The value, checked to belong to `vm`'s engine.
    pub(crate) fn get(&self, vm: &Vm) -> Result<ValueRef, ConversionError> {
        if self.root.engine != vm.handles.engine_id() {
            return Err(ConversionError {
                kind: crate::convert::ConversionErrorKind::InvalidType,
                expected: "a value of this engine".into(),
                got: "a value from another engine".to_string(),
            });
        }
        Ok(ValueRef(vm.handles.get(self.root.slot)))
    }
}

impl FromValue for Value {
    fn from_value(value: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        Ok(Value::root(cx.vm, value))
    }
}

impl IntoValue for Value {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        self.get(cx.vm)
    }
}

impl IntoValue for &Value {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        self.get(cx.vm)
    }
}

/// Any Scheme procedure, rooted.
#[derive(Clone, Debug)]
pub struct Procedure {
    value: Value,
}

impl Procedure {
    /// Calls the procedure with `args` (any tuple of [`IntoValue`]s) and converts the result.
    pub fn call<R: FromValue>(&self, cx: &mut impl Context, args: impl IntoArgs) -> Result<R, Error> {
        let vm = cx.vm();
        // An async evaluation dropped while it waited left its run behind.
        // (checked below only when a run is suspended)
        if vm.is_suspended() {
            vm.abandon_suspended();
        }
        vm.begin_evaluation();
        let f = self.value.get(vm).map_err(|e| Error::conversion("procedure", e))?;
        let mut buffer = ArgBuffer::new();
        args.push_args(&mut Convert::new(vm), &mut buffer).map_err(|e| Error::conversion("argument", e))?;
        let result = vm.call(f.0, &buffer.items[..buffer.len])?;
        R::from_value(ValueRef(result), &mut Convert::new(vm)).map_err(|e| Error::conversion("result", e))
    }

    /// The procedure as a rooted value.
    pub fn value(&self) -> &Value {
        &self.value
    }
}

impl FromValue for Procedure {
    fn from_value(value: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match cx.kind(value) {
            ValueKind::Procedure => Ok(Procedure { value: Value::root(cx.vm, value) }),
            _ => Err(cx.invalid_type("procedure", value)),
        }
    }
}

impl IntoValue for Procedure {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        self.value.get(cx.vm)
    }
}

/// A Scheme procedure with a Rust signature: called with a tuple `Args`, returning `Ret`.
///
/// ```
/// use seam::{Engine, Function};
/// let mut engine = Engine::new();
/// engine.eval::<()>("(define (mult a b) (* a b))").unwrap();
/// let mult: Function<(i64, i64), i64> = engine.function("mult").unwrap();
/// assert_eq!(mult.call(&mut engine, (6, 7)).unwrap(), 42);
/// ```
pub struct Function<Args, Ret> {
    procedure: Procedure,
    signature: PhantomData<fn(Args) -> Ret>,
}

impl<Args, Ret> Clone for Function<Args, Ret> {
    fn clone(&self) -> Self {
        Function { procedure: self.procedure.clone(), signature: PhantomData }
    }
}

impl<Args, Ret> std::fmt::Debug for Function<Args, Ret> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Function({:?})", self.procedure.value)
    }
}

impl<Args: IntoArgs, Ret: FromValue> Function<Args, Ret> {
    /// Calls the procedure. Works from the host (`&mut Engine`) and from inside a host
    /// function (`&mut Ctx`), re-entering the engine.
    pub fn call(&self, cx: &mut impl Context, args: Args) -> Result<Ret, Error> {
        self.procedure.call(cx, args)
    }

    /// Calls the procedure from async code, waiting for the async host functions it calls
    /// (see [`Engine::eval_async`](crate::Engine::eval_async)).
    pub async fn call_async(&self, engine: &mut crate::Engine, args: Args) -> Result<Ret, Error> {
        engine.call_async_raw(&self.procedure.value, args).await
    }

    /// The untyped procedure.
    pub fn procedure(&self) -> &Procedure {
        &self.procedure
    }
}

impl<Args, Ret> FromValue for Function<Args, Ret> {
    fn from_value(value: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        Ok(Function { procedure: Procedure::from_value(value, cx)?, signature: PhantomData })
    }
}

impl<Args, Ret> IntoValue for Function<Args, Ret> {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        self.procedure.into_value(cx)
    }
}

/// Most arguments a call from Rust passes (the longest tuple [`IntoArgs`] covers).
pub(crate) const MAX_ARGS: usize = 16;

/// Converted arguments, on the Rust stack (a call allocates nothing for them).
#[doc(hidden)]
pub struct ArgBuffer {
    items: [seam_vm::Value; MAX_ARGS],
    len: usize,
}

impl ArgBuffer {
    #[inline(always)]
    pub(crate) fn new() -> ArgBuffer {
        ArgBuffer { items: [seam_vm::Value::Null; MAX_ARGS], len: 0 }
    }

    pub(crate) fn items(&self) -> &[seam_vm::Value; MAX_ARGS] {
        &self.items
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn push(&mut self, v: ValueRef) {
        self.items[self.len] = v.0;
        self.len += 1;
    }
}

/// The arguments of a call into Scheme: a tuple of up to 16 [`IntoValue`]s (`()` for none).
pub trait IntoArgs {
    #[doc(hidden)]
    fn push_args(self, cx: &mut Convert, out: &mut ArgBuffer) -> Result<(), ConversionError>;
}

macro_rules! into_args_for_tuples {
    () => {
        impl IntoArgs for () {
            fn push_args(self, _cx: &mut Convert, _out: &mut ArgBuffer) -> Result<(), ConversionError> {
                Ok(())
            }
        }
    };
    ($first:ident $($rest:ident)*) => {
        impl<$first: IntoValue, $($rest: IntoValue),*> IntoArgs for ($first, $($rest,)*) {
            #[allow(non_snake_case)]
            fn push_args(self, cx: &mut Convert, out: &mut ArgBuffer) -> Result<(), ConversionError> {
                let ($first, $($rest,)*) = self;
                out.push($first.into_value(cx)?);
                $(out.push($rest.into_value(cx)?);)*
                Ok(())
            }
        }
        into_args_for_tuples!($($rest)*);
    };
}

into_args_for_tuples!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15 A16);
