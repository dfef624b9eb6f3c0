//! `seam-peers`: runs W1–W10 for each engine in a child process of its own (so each peak RSS
//! is that engine's alone) and prints the table, also written to the repository's
//! `BENCHMARKS.md`. W9 and W10 call C: the runner builds the small C library they use
//! (`crates/seam/benches/ffi/bench.c`) with `cc` and gives each child its path.

mod bench;
mod engines;
mod report;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use report::Row;

/// Engines in table order; `luajit` runs in the separately built `peers-luajit` binary.
const ENGINES: [&str; 7] = ["seam", "lua54", "luajit", "rhai", "rune", "steel", "rust"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(engine) = flag_value(&args, "--engine") {
        return run_child(&engine);
    }
    let only: Option<Vec<String>> =
        flag_value(&args, "--only").map(|list| list.split(',').map(str::to_string).collect());
    let with_luajit = !args.iter().any(|a| a == "--no-luajit");
    match run_parent(only, with_luajit) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("seam-peers: {message}");
            ExitCode::FAILURE
        }
    }
}

fn flag_value(args: &[String], flag: &str) -> Option<String> {
    let at = args.iter().position(|a| a == flag)?;
    args.get(at + 1).cloned()
}

/// The child side: run one engine's workloads and print one JSON line.
fn run_child(engine: &str) -> ExitCode {
    let results = match engine {
        "seam" => engines::seam::run(),
        "lua54" => engines::lua::run("lua54"),
        "rhai" => engines::rhai::run(),
        "rune" => engines::rune::run(),
        "steel" => engines::steel::run(),
        "rust" => engines::rust::run(),
        other => {
            eprintln!("seam-peers: unknown engine {other:?} (luajit runs in the peers-luajit binary)");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", results.to_json());
    ExitCode::SUCCESS
}

fn run_parent(only: Option<Vec<String>>, with_luajit: bool) -> Result<(), String> {
    let peers_dir = Path::new(env!("CARGO_MANIFEST_DIR")).parent().ok_or("no workspace dir")?.to_path_buf();
    let repo_root = peers_dir.parent().and_then(Path::parent).ok_or("no repository root")?.to_path_buf();
    let this_exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let luajit_exe = this_exe.with_file_name("peers-luajit");

    let wanted = |engine: &str| only.as_ref().is_none_or(|list| list.iter().any(|e| e == engine));
    let luajit_build = if !with_luajit {
        Err("skipped (--no-luajit)".to_string())
    } else if wanted("luajit") {
        build_luajit(&peers_dir)
    } else {
        Err("not selected".to_string())
    };

    let library = build_ffi_library(&repo_root, &this_exe);
    if let Err(reason) = &library {
        eprintln!("seam-peers: W9 and W10 will be n/a: {reason}");
    }

    let mut rows = Vec::new();
    for engine in ENGINES.iter().copied().filter(|e| wanted(e)) {
        eprintln!("seam-peers: running {engine} ...");
        let library = library.as_ref().ok();
        let row = match (engine, &luajit_build) {
            ("luajit", Err(reason)) => Row::failed(engine, reason),
            ("luajit", Ok(())) => run_engine(engine, &luajit_exe, library),
            _ => run_engine(engine, &this_exe, library),
        };
        rows.push(row);
    }

    let markdown = report::render(&rows, &peers_dir.join("Cargo.lock"));
    println!("{markdown}");
    if only.is_none() {
        let path = repo_root.join("BENCHMARKS.md");
        std::fs::write(&path, &markdown).map_err(|e| format!("writing {}: {e}", path.display()))?;
        eprintln!("seam-peers: wrote {}", path.display());
    }
    Ok(())
}

/// Builds the LuaJIT binary in its own cargo invocation: mlua's `lua54` and `luajit` features
/// exclude each other, so the two must never be resolved together.
fn build_luajit(peers_dir: &Path) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("seam-peers: building peers-luajit ...");
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "peers-luajit", "--manifest-path"])
        .arg(peers_dir.join("Cargo.toml"))
        .status()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo build -p peers-luajit` failed ({status})"))
    }
}

/// Compiles the C library of W9 and W10 next to the runner's executable.
fn build_ffi_library(repo_root: &Path, this_exe: &Path) -> Result<PathBuf, String> {
    let source = repo_root.join("crates/seam/benches/ffi/bench.c");
    let out = this_exe.with_file_name("libseam_peers_ffi.so");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(&cc)
        .args(["-shared", "-fPIC", "-O2", "-o"])
        .arg(&out)
        .arg(&source)
        .status()
        .map_err(|e| format!("could not run {cc}: {e}"))?;
    if status.success() {
        Ok(out)
    } else {
        Err(format!("{cc} failed to build {} ({status})", source.display()))
    }
}

fn run_engine(engine: &str, exe: &PathBuf, library: Option<&PathBuf>) -> Row {
    let mut command = Command::new(exe);
    command.args(["--engine", engine]);
    if let Some(library) = library {
        command.env(bench::FFI_LIBRARY_VAR, library);
    }
    let output = match command.output() {
        Ok(output) => output,
        Err(e) => return Row::failed(engine, &format!("could not start {}: {e}", exe.display())),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stderr.trim().is_empty() {
        eprintln!("{stderr}");
    }
    match stdout.lines().rev().find(|l| l.starts_with('{')) {
        Some(line) if output.status.success() => Row::from_json(engine, line),
        _ => {
            let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no output");
            Row::failed(engine, &format!("child failed ({}): {last}", output.status))
        }
    }
}
