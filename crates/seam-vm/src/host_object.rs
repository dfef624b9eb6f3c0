//! Host objects: Rust values that live inside the Scheme heap without being converted (a
//! database connection, a game entity). The VM keeps each in a `RefCell`, so borrows are
//! checked at run time; the collector drops the value when the object becomes garbage, and
//! dropping the VM drops them all.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use crate::builtins::{simple, Builtin};
use crate::object::Object;
use crate::value::Value;

/// What the VM knows about a host type: its Scheme name and how to print a value of it.
/// One `'static` instance per Rust type.
pub struct HostTypeInfo {
    /// The type's Scheme name (`counter`): errors and `write` use it.
    pub name: fn() -> &'static str,
    /// Writes the value (a `&RefCell<Option<T>>`) for `write`/`display`, after `#<name `.
    pub write: fn(&dyn Any, &mut String),
}

/// A host object: the value (in a `RefCell<Option<T>>`, type-erased) and its type.
pub struct HostObject {
    pub info: &'static HostTypeInfo,
    cell: SharedCell,
    /// Approximate size of the value, for the collector's accounting.
    pub size: u32,
}

impl std::fmt::Debug for HostObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HostObject({})", (self.info.name)())
    }
}

/// The cell holding a host object's value, shared with the Rust stack of a host call that
/// borrows it (so the borrow can outlive the heap access that found it).
#[derive(Clone)]
struct SharedCell(Rc<dyn Any>);

// SAFETY: the cell holds a `RefCell<Option<T>>` with `T: Send` (enforced by `Vm::host_object`,
// the only constructor). Every clone of this `Rc` is owned by one `Vm`: by its heap, or by
// the Rust stack of a host call into that `Vm` (which holds `&mut Vm` while the clone
// lives); none is handed to host code outside a call. So the non-atomic count and the
// `RefCell` are only touched by the thread that owns the `Vm` at the moment, and moving the
// `Vm` to another thread moves every clone and the `T: Send` value together.
unsafe impl Send for SharedCell {}

impl HostObject {
    /// The cell, if the object holds a `T` (`RefCell<Option<T>>`: `None` once taken).
    pub fn cell<T: 'static>(&self) -> Option<&RefCell<Option<T>>> {
        self.cell.0.downcast_ref()
    }

    /// A clone of the cell, for a borrow that must outlive access to the heap (a host call
    /// passes the VM on while the object stays borrowed).
    ///
    /// # Safety
    /// The clone must be dropped before the VM that owns this object can move to another
    /// thread: in practice, within the host call that made it (which holds `&mut Vm`).
    /// `SharedCell`'s `Send` rests on every clone staying with its VM.
    pub unsafe fn shared_cell<T: 'static>(&self) -> Option<Rc<RefCell<Option<T>>>> {
        self.cell.0.clone().downcast().ok()
    }

    /// Whether the object holds a value of type `T` (taken or not).
    pub fn is<T: 'static>(&self) -> bool {
        self.cell.0.is::<RefCell<Option<T>>>()
    }

    pub(crate) fn write(&self, out: &mut String) {
        out.push_str("#<");
        out.push_str((self.info.name)());
        (self.info.write)(&*self.cell.0, out);
        out.push('>');
    }
}

impl crate::vm::Vm {
    /// A new host object holding `value`.
    pub fn host_object<T: Any + Send>(&mut self, value: T, info: &'static HostTypeInfo) -> Value {
        self.host_object_owning(value, info, 0)
    }

    /// A new host object holding `value`, which owns `external` bytes outside the heap (a
    /// buffer from `malloc`): they count towards the next collection, so a loop making
    /// such objects and dropping them frees the memory as it goes.
    pub fn host_object_owning<T: Any + Send>(
        &mut self,
        value: T,
        info: &'static HostTypeInfo,
        external: usize,
    ) -> Value {
        let size = std::mem::size_of::<T>().saturating_add(external).min(u32::MAX as usize) as u32;
        let cell = SharedCell(Rc::new(RefCell::new(Some(value))));
        self.heap.alloc(Object::HostObject(HostObject { info, cell, size }))
    }
}

pub(crate) const BUILTINS: &[Builtin] = &[simple("host-object?", 1, 1, |heap, a| {
    Ok(Value::Bool(matches!(heap.object(a[0]), Some(Object::HostObject(_)))))
})];
