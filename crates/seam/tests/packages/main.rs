//! Packages, native modules and capabilities: loading (examples/packages and packages
//! written to a temporary directory), scoping, every capability's denial path, manifest
//! and dependency errors, and plugins.

mod capabilities;
mod loading;
mod plugins;
mod scoping;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use seam::{Capability, Engine, HostType};

/// The repository's `examples/packages`.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/packages")
}

/// A fresh directory for one test's packages.
pub fn scratch(test: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("packages-{test}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes package `name` under `dir`: a manifest with `manifest` after the `[package]`
/// name and version lines, and `files` (path, text).
pub fn write_package(dir: &Path, name: &str, manifest: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = dir.join(name);
    std::fs::create_dir_all(&root).unwrap();
    let text = format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n{manifest}");
    std::fs::write(root.join("seam.toml"), text).unwrap();
    for (path, text) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    root
}

/// The counter of examples/counter_host.rs.
#[derive(Debug, Default)]
pub struct Counter {
    value: i64,
}

impl HostType for Counter {
    const NAME: &'static str = "counter";
}

/// An engine with the Rust native module "counter" registered.
pub fn engine_with_counter() -> Engine {
    let mut engine = Engine::new();
    engine.native_module("counter", |m| {
        m.define_fn("counter.new", |start: Option<i64>| Counter { value: start.unwrap_or(0) });
        m.define_fn("counter.next", |c: &mut Counter| {
            c.value += 1;
            c.value
        });
        m.define_fn("counter.value", |c: &Counter| c.value);
    });
    engine
}

/// The message of the error `result` must be.
pub fn error_of<T: std::fmt::Debug>(result: Result<T, seam::Error>) -> seam::Error {
    result.expect_err("expected an error")
}

/// Runs `program` as the main program of a package `name` requiring `capabilities`
/// (written to a scratch directory), with those capabilities granted.
pub fn run_with(test: &str, capabilities: &[Capability], program: &str) -> Result<String, seam::Error> {
    let dir = scratch(test);
    let names: Vec<String> = capabilities.iter().map(|c| format!("\"{c}\"")).collect();
    let root = write_package(
        &dir,
        "app",
        &format!("capabilities = [{}]\n", names.join(", ")),
        &[("main.scm", program)],
    );
    let mut engine = Engine::new();
    engine.grant("app", capabilities.iter().copied());
    let value: seam::Value = engine.run_package(&root)?;
    Ok(engine.write(&value))
}
