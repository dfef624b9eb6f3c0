//! The typed embedding API on [`Engine`]: evaluate to Rust types, define host functions,
//! look up procedures as [`Function`]s, read and write globals, host state.

use std::any::Any;
use std::sync::Arc;

use seam_vm::Vm;

use crate::convert::{Convert, FromValue, IntoValue, ValueRef};
use crate::ctx::Context;
use crate::engine::Engine;
use crate::error::Error;
use crate::handle::{Function, IntoArgs, Value};
use crate::host_fn::IntoHostFn;

impl Engine {
    /// Evaluates every form of `source` and converts the last value to `T` (`()` accepts
    /// anything).
    ///
    /// ```
    /// let mut engine = seam::Engine::new();
    /// let n: u32 = engine.eval("(define x 20) (+ x 22)").unwrap();
    /// assert_eq!(n, 42);
    /// let v: Vec<String> = engine.eval("'(\"a\" \"b\")").unwrap();
    /// assert_eq!(v, ["a", "b"]);
    /// let err = engine.eval::<u8>("300").unwrap_err();
    /// assert_eq!(err.to_string(), "result: 300 is out of range for u8");
    /// ```
    pub fn eval<T: FromValue>(&mut self, source: &str) -> Result<T, Error> {
        let last = self.eval_rooted(source, "<eval>")?;
        self.convert_rooted(last, "result")
    }

    /// Like [`Engine::eval`], naming the source `file` in errors.
    pub fn eval_file_named<T: FromValue>(&mut self, source: &str, file: &str) -> Result<T, Error> {
        let last = self.eval_rooted(source, file)?;
        self.convert_rooted(last, "result")
    }

    /// Converts the last value of a run (see [`Engine::eval`]).
    pub(crate) fn convert_last<T: FromValue>(&mut self, value: Option<Value>) -> Result<T, Error> {
        self.convert_rooted(value, "result")
    }

    fn convert_rooted<T: FromValue>(&mut self, value: Option<Value>, context: &str) -> Result<T, Error> {
        let vm = self.vm_mut();
        let raw = match &value {
            Some(v) => v.get(vm).map_err(|e| Error::conversion(context, e))?,
            None => ValueRef(seam_vm::Value::Unspecified),
        };
        T::from_value(raw, &mut Convert::new(vm)).map_err(|e| Error::conversion(context, e))
    }

    /// Defines a Scheme procedure `name` that runs `f`, a Rust closure whose parameters and
    /// result convert automatically ([`FromValue`], [`IntoValue`]). A first `&mut Ctx`
    /// parameter gives access to the engine; trailing `Option<T>` parameters are optional;
    /// a final `Rest<T>` takes the remaining arguments. Calling it with a wrong number of
    /// arguments or with an argument that does not convert raises a Scheme error naming the
    /// function, its arity, the arguments, and which one failed. A panic inside `f` becomes a
    /// Scheme error too.
    ///
    /// ```
    /// let mut engine = seam::Engine::new();
    /// engine.define_fn("my-ff", |a: u32, b: u32| a + b);
    /// engine.define_fn("greet", |name: String, greeting: Option<String>| {
    ///     format!("{}, {name}!", greeting.unwrap_or_else(|| "Hello".into()))
    /// });
    /// assert_eq!(engine.eval::<u32>("(my-ff 1 2)").unwrap(), 3);
    /// assert_eq!(engine.eval::<String>("(greet \"Ada\")").unwrap(), "Hello, Ada!");
    /// let err = engine.eval::<u32>("(my-ff 1 \"x\")").unwrap_err();
    /// assert!(err.to_string().ends_with(
    ///     "error in my-ff (arity 2) called with (1 \"x\"): argument 2: expected u32, got string \"x\""
    /// ));
    /// ```
    pub fn define_fn<Marker>(&mut self, name: &str, f: impl IntoHostFn<Marker>) {
        let parts = f.into_host_fn(Arc::from(name));
        let vm = self.vm_mut();
        let function = vm.host_function(name, parts.min, parts.max, parts.body);
        vm.define_top_level(name, function);
    }

    /// The procedure bound to global `name`, typed and rooted: look it up once, call it
    /// many times.
    pub fn function<Args: IntoArgs, Ret: FromValue>(
        &mut self,
        name: &str,
    ) -> Result<Function<Args, Ret>, Error> {
        let raw = self.global(name)?;
        Function::from_value(raw, &mut Convert::new(self.vm_mut())).map_err(|e| Error::conversion(name, e))
    }

    /// Defines (or redefines) global `name` as `value`.
    ///
    /// ```
    /// let mut engine = seam::Engine::new();
    /// engine.set("limit", 10).unwrap();
    /// engine.set("names", vec!["a", "b"]).unwrap(); // a Vec is a vector
    /// assert_eq!(engine.eval::<i64>("(+ limit (vector-length names))").unwrap(), 12);
    /// let names: Vec<String> = engine.get("names").unwrap();
    /// assert_eq!(names, ["a", "b"]);
    /// ```
    pub fn set<T: IntoValue>(&mut self, name: &str, value: T) -> Result<(), Error> {
        let vm = self.vm_mut();
        let raw = value.into_value(&mut Convert::new(vm)).map_err(|e| Error::conversion(name, e))?;
        vm.define_top_level(name, raw.0);
        Ok(())
    }

    /// The value of global `name`, converted to `T`.
    pub fn get<T: FromValue>(&mut self, name: &str) -> Result<T, Error> {
        let raw = self.global(name)?;
        T::from_value(raw, &mut Convert::new(self.vm_mut())).map_err(|e| Error::conversion(name, e))
    }

    fn global(&mut self, name: &str) -> Result<ValueRef, Error> {
        match self.vm_mut().lookup_top_level(name) {
            Some(v) => Ok(ValueRef(v)),
            None => Err(Error::tagged("unbound", format!("unbound variable: {name}"))),
        }
    }

    /// Converts a rooted value to a Rust type.
    pub fn convert<T: FromValue>(&mut self, value: &Value) -> Result<T, Error> {
        self.convert_rooted(Some(value.clone()), "value")
    }

    /// Makes a rooted Scheme value from a Rust value.
    pub fn value<T: IntoValue>(&mut self, value: T) -> Result<Value, Error> {
        let vm = self.vm_mut();
        let raw = value.into_value(&mut Convert::new(vm)).map_err(|e| Error::conversion("value", e))?;
        Ok(Value::root(vm, raw))
    }

    /// `value` as `write` shows it.
    pub fn write(&mut self, value: &Value) -> String {
        let vm = self.vm_mut();
        match value.get(vm) {
            Ok(v) => seam_vm::printer::to_string(&vm.heap, v.0, seam_vm::printer::Mode::Write),
            Err(e) => format!("#<{e}>"),
        }
    }

    /// Stores host state of type `T` (replacing any earlier `T`); host functions reach it
    /// with [`Ctx::state`](crate::Ctx::state).
    pub fn set_state<T: Any + Send>(&mut self, state: T) {
        self.vm_mut().state.set(state);
    }

    /// The host state of type `T`.
    pub fn state<T: Any + Send>(&self) -> Option<&T> {
        self.vm_ref().state.get()
    }

    /// The host state of type `T`, mutably.
    pub fn state_mut<T: Any + Send>(&mut self) -> Option<&mut T> {
        self.vm_mut().state.get_mut()
    }

    /// Takes the host state of type `T` out of the engine.
    pub fn take_state<T: Any + Send>(&mut self) -> Option<T> {
        self.vm_mut().state.remove()
    }
}

impl Context for Engine {
    fn vm(&mut self) -> &mut Vm {
        self.vm_mut()
    }
    fn vm_ref(&self) -> &Vm {
        Engine::vm_ref(self)
    }
}
