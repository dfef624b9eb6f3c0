//! The benchmark programs of `benches/scheme` run to completion under `seam FILE`, and those
//! that check their own answers (mbrotZ, divisors, strbuild, ...) find them right: a
//! benchmark that stops working (a renamed import, a wrong result after a VM change) fails
//! here rather than in a benchmark run.

use std::path::Path;
use std::process::Command;

#[test]
fn benchmark_programs_run_and_check_their_answers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benches/scheme");
    let mut programs: Vec<_> = std::fs::read_dir(&dir)
        .expect("benches/scheme exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scm"))
        .collect();
    programs.sort();
    assert!(programs.len() >= 15, "benchmark programs found: {programs:?}");
    let mut failures = Vec::new();
    for program in &programs {
        let output = Command::new(env!("CARGO_BIN_EXE_seam")).arg(program).output().expect("run seam");
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() || stdout.trim().is_empty() {
            failures.push(format!(
                "{}: {} {}{}",
                program.display(),
                output.status,
                stdout,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
