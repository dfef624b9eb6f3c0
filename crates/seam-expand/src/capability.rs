//! Capabilities: the kinds of authority outside the process that the host grants to each
//! package (reading files, the environment, the clock, native code, ...), and which
//! standard names need which.
//!
//! Checks are static: a library sees only what it imports, so what a package can reach is
//! decided when its libraries are expanded. A standard name whose capability the importing
//! package lacks is bound to a denial, and using it is an expansion error naming the
//! package and the capability; a library all of whose names are denied (and `(seam ffi)`,
//! a package's native library, or a library the host marked) cannot be imported at all.

use std::fmt;

/// One kind of authority a package can be granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    /// Native modules: Rust registered by the host, or plugin shared libraries.
    Native,
    /// The C FFI, `(seam ffi)`: any C function, any memory.
    Ffi,
    /// Reading files: `open-input-file`, `file-exists?`, `load`, `include` outside the
    /// package's own directory.
    FsRead,
    /// Writing and deleting files: `open-output-file`, `delete-file`.
    FsWrite,
    /// The network (no standard procedure reaches it; host libraries can require it).
    Net,
    /// Ending or controlling the process: `exit`, `emergency-exit`.
    Process,
    /// The process environment: `get-environment-variable(s)`, `command-line`.
    Env,
    /// The clock: `current-second`, `current-jiffy`, `jiffies-per-second`.
    Time,
    /// Running code made at run time: `eval`, `environment`, `load`.
    Eval,
}

impl Capability {
    /// Every capability, in declaration order.
    pub const ALL: [Capability; 9] = [
        Capability::Native,
        Capability::Ffi,
        Capability::FsRead,
        Capability::FsWrite,
        Capability::Net,
        Capability::Process,
        Capability::Env,
        Capability::Time,
        Capability::Eval,
    ];

    /// The name used in manifests and on the command line (`fs-read`).
    pub fn name(self) -> &'static str {
        match self {
            Capability::Native => "native",
            Capability::Ffi => "ffi",
            Capability::FsRead => "fs-read",
            Capability::FsWrite => "fs-write",
            Capability::Net => "net",
            Capability::Process => "process",
            Capability::Env => "env",
            Capability::Time => "time",
            Capability::Eval => "eval",
        }
    }

    /// The capability called `name` (`"fs-read"`), if there is one.
    pub fn from_name(name: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|c| c.name() == name)
    }

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of capabilities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Capabilities(u16);

impl Capabilities {
    /// No capability: pure computation only.
    pub const NONE: Capabilities = Capabilities(0);

    /// Every capability.
    pub fn all() -> Capabilities {
        Capabilities::from_iter(Capability::ALL)
    }

    /// Whether `capability` is in the set.
    pub fn has(self, capability: Capability) -> bool {
        self.0 & capability.bit() != 0
    }

    /// Adds `capability`.
    pub fn insert(&mut self, capability: Capability) {
        self.0 |= capability.bit();
    }

    /// The capabilities in both sets.
    pub fn intersection(self, other: Capabilities) -> Capabilities {
        Capabilities(self.0 & other.0)
    }

    /// The members, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Capability> {
        Capability::ALL.into_iter().filter(move |c| self.has(*c))
    }

    /// The first of `needed` not in the set.
    pub fn missing(self, needed: &[Capability]) -> Option<Capability> {
        needed.iter().copied().find(|c| !self.has(*c))
    }
}

impl FromIterator<Capability> for Capabilities {
    fn from_iter<I: IntoIterator<Item = Capability>>(iter: I) -> Self {
        let mut set = Capabilities::NONE;
        for c in iter {
            set.insert(c);
        }
        set
    }
}

impl fmt::Display for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Capability::name).collect();
        match names.is_empty() {
            true => f.write_str("none"),
            false => f.write_str(&names.join(", ")),
        }
    }
}

use Capability::*;

/// The standard names that reach outside the process, and what each needs.
pub(crate) const NAME_CAPABILITIES: &[(&str, &[Capability])] = &[
    ("call-with-input-file", &[FsRead]),
    ("file-exists?", &[FsRead]),
    ("open-binary-input-file", &[FsRead]),
    ("open-input-file", &[FsRead]),
    ("with-input-from-file", &[FsRead]),
    ("call-with-output-file", &[FsWrite]),
    ("delete-file", &[FsWrite]),
    ("open-binary-output-file", &[FsWrite]),
    ("open-output-file", &[FsWrite]),
    ("with-output-to-file", &[FsWrite]),
    ("exit", &[Process]),
    ("emergency-exit", &[Process]),
    ("command-line", &[Env]),
    ("get-environment-variable", &[Env]),
    ("get-environment-variables", &[Env]),
    ("current-jiffy", &[Time]),
    ("current-second", &[Time]),
    ("jiffies-per-second", &[Time]),
    ("eval", &[Eval]),
    ("environment", &[Eval]),
    ("interaction-environment", &[Eval]),
    ("scheme-report-environment", &[Eval]),
    ("null-environment", &[Eval]),
    ("load", &[Eval, FsRead]),
];

/// The capabilities the standard library export `name` needs, if any. (What they are built
/// from, the `%` internals, no library exports: no code but the system's reaches them.)
pub(crate) fn needed_by(name: &str) -> Option<&'static [Capability]> {
    NAME_CAPABILITIES.iter().find(|(n, _)| *n == name).map(|(_, caps)| *caps)
}

/// Standard names that make environments (and so reach other libraries) at run time: in a
/// package they are bound to package-specific procedures, whose environments import with
/// the package's capabilities (see `Expander::package_environment`).
pub const PACKAGE_SCOPED_NAMES: &[&str] =
    &["environment", "interaction-environment", "scheme-report-environment", "null-environment", "load"];
