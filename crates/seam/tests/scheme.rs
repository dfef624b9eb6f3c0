//! Runs every self-checking Scheme test in `tests/scheme/` (each in a fresh engine, after
//! `check.scm`), a subset of them again with the collector running at every check point, and
//! the error golden files in `tests/errors/`.

use std::path::{Path, PathBuf};

use seam::Engine;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Files run a second time with GC stress (kept small: every check point collects). Files
/// that write temporary files are left out: both runs would share the file names.
const STRESS: &[&str] = &[
    "call_cc.scm",
    "dynamic_wind.scm",
    "hygiene.scm",
    "records.scm",
    "exceptions.scm",
    "6.10-control.scm",
    "6.11-exceptions.scm",
    "6.7-strings.scm",
    "6.8-vectors.scm",
    "6.9-bytevectors.scm",
    "5.6-libraries.scm",
    "6.12-environments-and-evaluation.scm",
    "2-lexical-conventions.scm",
    "complex.scm",
    "literal_constants.scm",
    "wide_fixnums.scm",
];

fn run_file(path: &Path, stress: bool) -> Result<String, String> {
    let check = std::fs::read_to_string(root().join("tests/scheme/check.scm")).map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let name = path.strip_prefix(root()).unwrap_or(path).display().to_string();
    let mut engine = Engine::new();
    engine.add_library_path(root().join("tests/scheme/libs"));
    let dir = root().join("tests/scheme").display().to_string();
    engine.eval_to_string(&format!("(define test-directory {dir:?})")).map_err(|e| e.to_string())?;
    engine.eval_named(&check, "tests/scheme/check.scm").map_err(|e| engine.render_error(&e))?;
    engine.set_gc_stress(stress);
    engine.eval_named(&text, &name).map_err(|e| engine.render_error(&e))?;
    engine.set_gc_stress(false);
    let failures = engine.eval_to_string("(check-report)").map_err(|e| engine.render_error(&e))?;
    if failures == "0" {
        Ok(name)
    } else {
        Err(format!("{name}: {failures} failed checks (see output above)"))
    }
}

/// `tests/scheme/*.scm` and the R7RS conformance files in `tests/scheme/r7rs/`.
fn scheme_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["tests/scheme", "tests/scheme/r7rs"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(root().join(dir)).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scm") && !p.ends_with("check.scm"))
        .collect();
    files.sort();
    files
}

/// Runs `jobs` on two threads with large stacks and collects the failures.
fn run_all(jobs: Vec<(PathBuf, bool)>) -> Vec<String> {
    let jobs = std::sync::Mutex::new(jobs);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            std::thread::Builder::new()
                .stack_size(64 << 20)
                .spawn_scoped(scope, || {
                    while let Some((path, stress)) = jobs.lock().map(|mut j| j.pop()).ok().flatten() {
                        let label = if stress { " (gc stress)" } else { "" };
                        match run_file(&path, stress) {
                            Ok(name) => eprintln!("ok   {name}{label}"),
                            Err(e) => {
                                eprintln!("FAIL {}{label}\n{e}", path.display());
                                if let Ok(mut f) = failures.lock() {
                                    f.push(format!("{}{label}", path.display()));
                                }
                            }
                        }
                    }
                })
                .expect("spawn test thread");
        }
    });
    failures.into_inner().unwrap_or_default()
}

#[test]
fn scheme_test_files() {
    let files = scheme_files();
    assert!(!files.is_empty(), "no Scheme test files found");
    let jobs: Vec<(PathBuf, bool)> = files.iter().map(|f| (f.clone(), false)).collect();
    let failures = run_all(jobs);
    assert!(failures.is_empty(), "failing Scheme test files: {failures:#?}");
}

#[test]
fn scheme_test_files_under_gc_stress() {
    let jobs: Vec<(PathBuf, bool)> = scheme_files()
        .into_iter()
        .filter(|f| STRESS.iter().any(|s| f.ends_with(s)))
        .map(|f| (f, true))
        .collect();
    let failures = run_all(jobs);
    assert!(failures.is_empty(), "failing under GC stress: {failures:#?}");
}

/// Each `tests/errors/NAME.scm` must fail with exactly the report in `NAME.out`.
/// `UPDATE_GOLDEN=1 cargo test` rewrites the `.out` files.
#[test]
fn error_reports_match_golden_files() {
    let dir = root().join("tests/errors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/errors exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scm"))
        .collect();
    files.sort();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable test file");
        let name = format!("tests/errors/{}", path.file_name().unwrap_or_default().to_string_lossy());
        let mut engine = Engine::new();
        let report = match engine.eval_named(&text, &name) {
            Ok(v) => format!("no error; value {v}\n"),
            Err(e) => engine.render_error(&e),
        };
        let golden = path.with_extension("out");
        if update {
            std::fs::write(&golden, &report).expect("write golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if expected != report {
            mismatches.push(format!("{name}:\n--- expected\n{expected}--- got\n{report}"));
        }
    }
    assert!(mismatches.is_empty(), "error reports differ:\n{}", mismatches.join("\n"));
}
