//! Builtins: the system interface (R7RS 6.14): environment variables and time.
//! `exit`, `emergency-exit` and `command-line` are in `lib/base.scm` over `%exit` and the
//! `%command-line` global the host sets.

use std::sync::LazyLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::sequence::{items_arg, Strings};
use super::{simple, Builtin};
use crate::value::Value;

/// Jiffies are microseconds.
const JIFFIES_PER_SECOND: i64 = 1_000_000;

/// The origin of `current-jiffy`: the first time anything asks for it.
static JIFFY_EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

pub const BUILTINS: &[Builtin] = &[
    simple("get-environment-variable", 1, 1, |h, a| {
        let name: String = items_arg::<Strings>(h, "get-environment-variable", 1, a[0])?.iter().collect();
        // `var_os` rather than `var`: an invalid name (empty, with `=` or NUL) is just unset.
        match (!name.is_empty() && !name.contains(['=', '\0'])).then(|| std::env::var_os(&name)).flatten() {
            Some(value) => Ok(h.string(&value.to_string_lossy())),
            None => Ok(Value::FALSE),
        }
    }),
    simple("get-environment-variables", 0, 0, |h, _| {
        let mut pairs = Vec::new();
        for (name, value) in std::env::vars_os() {
            let name = h.string(&name.to_string_lossy());
            let value = h.string(&value.to_string_lossy());
            pairs.push(h.cons(name, value));
        }
        Ok(h.list(&pairs))
    }),
    simple("current-second", 0, 0, |_, _| {
        let since = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        Ok(Value::Flonum(since))
    }),
    simple("current-jiffy", 0, 0, |_, _| {
        let micros = JIFFY_EPOCH.elapsed().as_micros();
        Ok(Value::Fixnum(i64::try_from(micros).unwrap_or(i64::MAX)))
    }),
    simple("jiffies-per-second", 0, 0, |_, _| Ok(Value::Fixnum(JIFFIES_PER_SECOND))),
];

#[cfg(test)]
mod tests {
    use super::super::test_support::{call, ok};
    use crate::heap::Heap;
    use crate::value::Value;

    #[test]
    fn time() {
        let h = &mut Heap::new();
        assert_eq!(ok(h, "jiffies-per-second", &[]), "1000000");
        let (Ok(Value::Fixnum(a)), Ok(Value::Fixnum(b))) =
            (call(h, "current-jiffy", &[]), call(h, "current-jiffy", &[]))
        else {
            panic!("current-jiffy is not a fixnum")
        };
        assert!(0 <= a && a <= b);
        assert!(matches!(call(h, "current-second", &[]), Ok(Value::Flonum(s)) if s > 1.5e9));
    }

    #[test]
    fn environment() {
        let h = &mut Heap::new();
        let unset = h.string("SEAM_SURELY_UNSET_VARIABLE");
        assert_eq!(ok(h, "get-environment-variable", &[unset]), "#f");
        let bad = h.string("A=B");
        assert_eq!(ok(h, "get-environment-variable", &[bad]), "#f");
        let all = call(h, "get-environment-variables", &[]).expect("variables");
        let pairs = h.list_to_vec(all).expect("a list");
        assert_eq!(pairs.len(), std::env::vars_os().count());
        assert!(call(h, "get-environment-variable", &[Value::Fixnum(1)]).is_err());
    }
}
