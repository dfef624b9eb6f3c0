//! `Ctx`: what a host function sees of the engine while it runs: host state, and calls
//! back into Scheme. [`Context`] is anything Scheme can be called through (`Engine` or `Ctx`).

use std::any::Any;

use seam_vm::Vm;

use crate::convert::{Convert, FromValue};
use crate::error::Error;
use crate::handle::Value;

/// The engine, seen from inside a host function that takes `&mut Ctx` as its first
/// parameter: call Scheme procedures ([`Function::call`](crate::Function::call)), reach host
/// state set with [`Engine::set_state`](crate::Engine::set_state).
///
/// ```
/// use seam::{Ctx, Engine, Function};
/// struct Calls(u32);
/// let mut engine = Engine::new();
/// engine.set_state(Calls(0));
/// engine.define_fn("twice", |ctx: &mut Ctx, f: Function<(i64,), i64>, x: i64| {
///     ctx.state_mut::<Calls>().unwrap().0 += 1;
///     let y = f.call(ctx, (x,))?;
///     f.call(ctx, (y,))
/// });
/// assert_eq!(engine.eval::<i64>("(twice (lambda (n) (* n 3)) 2)").unwrap(), 18);
/// assert_eq!(engine.state::<Calls>().unwrap().0, 1);
/// ```
pub struct Ctx<'a> {
    pub(crate) vm: &'a mut Vm,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(vm: &'a mut Vm) -> Ctx<'a> {
        Ctx { vm }
    }

    /// The host state of type `T`, if the host set one.
    pub fn state<T: Any + Send>(&self) -> Option<&T> {
        self.vm.state.get()
    }

    /// The host state of type `T`, mutably.
    pub fn state_mut<T: Any + Send>(&mut self) -> Option<&mut T> {
        self.vm.state.get_mut()
    }

    /// Converts a rooted value to a Rust type.
    pub fn convert<T: FromValue>(&mut self, value: &Value) -> Result<T, Error> {
        let v = value.get(self.vm).map_err(|e| Error::conversion("value", e))?;
        T::from_value(v, &mut Convert::new(self.vm)).map_err(|e| Error::conversion("value", e))
    }
}

/// Something Scheme code can be run through: [`Engine`](crate::Engine) from the host, or
/// [`Ctx`] inside a host function.
pub trait Context {
    #[doc(hidden)]
    fn vm(&mut self) -> &mut Vm;
    #[doc(hidden)]
    fn vm_ref(&self) -> &Vm;
}

impl Context for Ctx<'_> {
    fn vm(&mut self) -> &mut Vm {
        self.vm
    }
    fn vm_ref(&self) -> &Vm {
        self.vm
    }
}
