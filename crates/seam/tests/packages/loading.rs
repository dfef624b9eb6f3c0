//! Loading packages: the examples, dependencies, the package search path, manifest and
//! dependency errors, native modules.

use seam::{Capability, Engine};

use crate::{engine_with_counter, error_of, examples, scratch, write_package};

#[test]
fn the_counter_example_runs_with_its_native_module_and_dependency() {
    let mut engine = engine_with_counter();
    engine.grant("counter", [Capability::Native]);
    let misses: i64 = engine.run_package(examples().join("counter")).unwrap();
    assert_eq!(misses, 42);
    // The top level can use the package's public library once it is loaded.
    let report: String =
        engine.eval("(import (counter)) (define c (make-counter 7)) (counter-report \"c\" c)").unwrap();
    assert_eq!(report, "c: 00007");
    let info = engine.load_package(examples().join("counter")).unwrap();
    assert_eq!((info.name.as_str(), info.version.as_str()), ("counter", "0.1.0"));
    assert_eq!(info.description.as_deref(), Some("Counters kept in Rust, used from Scheme."));
    assert!(info.capabilities.has(Capability::Native));
    assert!(info.main.ends_with("main.scm"));
}

#[test]
fn the_deflate_example_calls_zlib_through_the_ffi() {
    let mut engine = Engine::new();
    // SAFETY: the example package is part of this repository.
    unsafe { engine.enable_ffi() };
    engine.grant("deflate", [Capability::Ffi]);
    let packed: usize = engine.run_package(examples().join("deflate")).unwrap();
    assert!(packed > 0 && packed < 200, "2,200 repetitive bytes deflate to {packed}");
}

#[test]
fn a_package_without_its_capability_does_not_load() {
    let mut engine = engine_with_counter();
    let e = error_of(engine.run_package::<i64>(examples().join("counter")));
    assert_eq!(e.kind(), "package");
    assert_eq!(
        e.to_string(),
        "package counter requires capability native, which the host did not grant it \
         (Engine::grant(\"counter\", [Capability::Native]), or seam's --allow counter=native)"
    );
    // Granting a different capability is not enough; the engine stays usable.
    engine.grant("counter", [Capability::FsRead]);
    assert!(engine.run_package::<i64>(examples().join("counter")).is_err());
    assert_eq!(engine.eval::<i64>("(+ 1 2)").unwrap(), 3);
    engine.grant("counter", [Capability::Native]);
    assert_eq!(engine.run_package::<i64>(examples().join("counter")).unwrap(), 42);
}

#[test]
fn the_deflate_example_needs_ffi_granted_and_enabled() {
    let mut engine = Engine::new();
    let e = error_of(engine.run_package::<usize>(examples().join("deflate")));
    assert!(
        e.to_string().starts_with("package deflate requires capability ffi, which the host did not grant it"),
        "{e}"
    );
    // Granted, but the engine has no FFI: the library does not exist.
    engine.grant("deflate", [Capability::Ffi]);
    let e = error_of(engine.run_package::<usize>(examples().join("deflate")));
    assert!(e.to_string().contains("unknown library (seam ffi)"), "{e}");
}

#[test]
fn packages_on_the_search_path_load_when_imported() {
    let mut engine = Engine::new();
    engine.add_package_path(examples());
    let joined: String = engine.eval("(import (util text)) (join '(\"a\" \"b\" \"c\") \"-\")").unwrap();
    assert_eq!(joined, "a-b-c");
    let e = error_of(engine.eval::<()>("(import (nothing here))"));
    assert!(e.to_string().contains("unknown library (nothing here)"), "{e}");
}

#[test]
fn a_missing_native_module_is_an_error() {
    let mut engine = Engine::new();
    engine.grant("counter", [Capability::Native]);
    let e = error_of(engine.load_package(examples().join("counter")));
    assert_eq!(
        e.to_string(),
        "package counter needs native module counter, which the host did not register \
         (Engine::native_module or Engine::native_plugin) and its seam.toml names no plugin for \
         ([native.plugins] counter = \"path\")"
    );
}

#[test]
fn a_missing_plugin_file_is_an_error() {
    let dir = scratch("missing-plugin");
    let root = write_package(
        &dir,
        "plugged",
        "capabilities = [\"native\"]\n[native]\nmodules = [\"gadget\"]\nplugins = { gadget = \"plugins/gadget\" }\n",
        &[("main.scm", "(import (scheme base) (plugged native)) 1")],
    );
    let mut engine = Engine::new();
    engine.grant("plugged", [Capability::Native]);
    let e = error_of(engine.run_package::<i64>(&root));
    assert_eq!(e.kind(), "package");
    let file = root.join("plugins").join(libloading_name("gadget"));
    assert!(e.to_string().starts_with(&format!("cannot load plugin {}", file.display())), "{e}");
}

fn libloading_name(name: &str) -> String {
    format!("{}{name}{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX)
}

#[test]
fn a_native_module_needing_a_capability_needs_the_package_to_require_it() {
    let dir = scratch("module-needs");
    let root = write_package(
        &dir,
        "fetcher",
        "capabilities = [\"native\"]\n[native]\nmodules = [\"http\"]\n",
        &[("main.scm", "(import (scheme base) (fetcher native)) (http.get \"x\")")],
    );
    let mut engine = Engine::new();
    engine.native_module("http", |m| {
        m.requires(Capability::Net).define_fn("http.get", |url: String| format!("GET {url}"));
    });
    engine.grant("fetcher", [Capability::Native, Capability::Net]);
    let e = error_of(engine.run_package::<String>(&root));
    assert_eq!(
        e.to_string(),
        "package fetcher uses native module http, which needs capability net; add \"net\" to package.capabilities in its seam.toml"
    );
    let fixed = "[package]\nname = \"fetcher\"\nversion = \"0.1.0\"\ncapabilities = [\"native\", \"net\"]\n[native]\nmodules = [\"http\"]\n";
    std::fs::write(root.join("seam.toml"), fixed).unwrap();
    assert_eq!(engine.run_package::<String>(&root).unwrap(), "GET x");
    // Requiring net without the grant fails to load.
    let mut engine = Engine::new();
    engine.grant("fetcher", [Capability::Native]);
    engine.native_module("http", |m| {
        m.requires(Capability::Net).define_fn("http.get", |url: String| url);
    });
    let e = error_of(engine.run_package::<String>(&root));
    assert!(
        e.to_string().starts_with("package fetcher requires capability net, which the host did not grant it"),
        "{e}"
    );
}

#[test]
fn manifest_errors_name_the_file_line_and_field() {
    let dir = scratch("manifest");
    let root = write_package(&dir, "bad", "capabilities = [\"native\", \"disk\"]\n", &[]);
    let mut engine = Engine::new();
    let e = error_of(engine.load_package(&root));
    assert_eq!(e.kind(), "package");
    let file = root.canonicalize().unwrap().join("seam.toml");
    assert_eq!(
        e.to_string(),
        format!(
            "{}:4:27: package.capabilities[1]: unknown capability \"disk\" (known: native, ffi, fs-read, fs-write, net, process, env, time, eval)",
            file.display()
        )
    );
    // The report quotes the manifest's line.
    let report = engine.render_error(&e);
    assert!(report.contains("4 | capabilities = [\"native\", \"disk\"]"), "{report}");
    std::fs::write(root.join("seam.toml"), "[package]\nname = \"bad\"\nversion = 0.1\n").unwrap();
    let e = error_of(engine.load_package(&root));
    assert_eq!(
        e.to_string(),
        format!(
            "{}:3:11: package.version: invalid type: floating point `0.1`, expected a string",
            file.display()
        )
    );
    std::fs::write(root.join("seam.toml"), "[package\n").unwrap();
    let e = error_of(engine.load_package(&root));
    assert!(e.to_string().contains("seam.toml:1:9: malformed seam.toml"), "{e}");
    // Not a package at all.
    let e = error_of(engine.load_package(dir.join("nowhere")));
    assert!(e.to_string().starts_with("no package at "), "{e}");
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let e = error_of(engine.load_package(dir.join("empty")));
    assert!(e.to_string().contains("is not a package: cannot read"), "{e}");
    assert_eq!(engine.eval::<i64>("(* 6 7)").unwrap(), 42);
}

#[test]
fn dependency_errors() {
    let dir = scratch("deps");
    let a = write_package(&dir, "a", "[dependencies]\nb = { path = \"../b\" }\n", &[]);
    write_package(&dir, "b", "[dependencies]\na = { path = \"../a\" }\n", &[]);
    let mut engine = Engine::new();
    let e = error_of(engine.load_package(&a));
    assert!(e.to_string().ends_with("dependency cycle: a -> b -> a"), "{e}");

    let c = write_package(&dir, "c", "[dependencies]\nmissing = { path = \"../missing\" }\n", &[]);
    let e = error_of(engine.load_package(&c));
    assert!(e.to_string().contains("seam.toml:5:11: dependencies.missing: no package at "), "{e}");

    write_package(&dir, "plain", "", &[]);
    let d = write_package(&dir, "d", "[dependencies]\nutil = { path = \"../plain\" }\n", &[]);
    let e = error_of(engine.load_package(&d));
    assert!(e.to_string().contains("seam.toml:5:8: dependencies.util: "), "{e}");
    assert!(e.to_string().ends_with("holds package plain, not util"), "{e}");
}

#[test]
fn the_main_program_is_an_r7rs_program_with_a_custom_file() {
    let dir = scratch("program");
    let root = write_package(
        &dir,
        "prog",
        "main = \"bin/start.scm\"\n",
        &[("bin/start.scm", "(import (scheme base)) (define x 20) (+ x 1)")],
    );
    let mut engine = Engine::new();
    assert_eq!(engine.run_package::<i64>(&root).unwrap(), 21);
    // Nothing is bound before the program's imports.
    std::fs::write(root.join("bin/start.scm"), "(car '(1 2))").unwrap();
    let e = error_of(engine.run_package::<i64>(&root));
    assert!(e.to_string().contains("start.scm:1:2: unbound variable: car"), "{e}");
}
