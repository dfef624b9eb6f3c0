//! Arbitrary text evaluated in `Engine::sandboxed()` (under the limits of the `eval`
//! target) after the host set up things the script must never reach: functions of a
//! package's private native module (each sets a flag when called), the FFI enabled in the
//! engine with `(seam ffi)` gated as the CLI does, packages granted `eval`, `fs-read` and
//! `fs-write`, and a file with secret contents. A finding is a panic: a flag set, the
//! secret in the result or the error, or the secret file read into the output, changed,
//! deleted, a file created next to it, or an exit. Errors are fine.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use seam::Capability;

/// Set by any native module function.
static CALLED: AtomicBool = AtomicBool::new(false);

const SECRET: &str = "FUZZ-SECRET-5e4m";

/// Whether `text` holds the secret, found by comparing hashes of every window of its length
/// (a plain substring search hands the secret to libFuzzer's comparison tracing, which
/// then writes it into inputs, and an input that spells the secret is no leak).
fn holds_secret(text: &str) -> bool {
    fn hash(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
    }
    let secret = hash(SECRET.as_bytes());
    text.as_bytes().windows(SECRET.len()).any(|w| hash(w) == secret)
}

struct Fixture {
    dir: PathBuf,
    secret: PathBuf,
    holder: PathBuf,
    keeper: PathBuf,
}

/// A fixed directory (so the seed corpus can name its files):
/// `$TMPDIR/seam-fuzz-sandbox/{secret.txt, holder/, keeper/}`.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = std::env::temp_dir().join("seam-fuzz-sandbox");
        let write = |path: &Path, text: &str| {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let secret = dir.join("secret.txt");
        write(&secret, SECRET);
        // `holder` uses native module `m` (functions `f`, `m.run`) privately and provides
        // only `(holder)`, whose procedure never calls them.
        let holder = dir.join("holder");
        write(
            &holder.join("seam.toml"),
            "[package]\nname = \"holder\"\nversion = \"0.1.0\"\ncapabilities = [\"native\"]\n\
             libraries = [\"(holder)\"]\n[native]\nmodules = [\"m\"]\n",
        );
        write(
            &holder.join("holder.sld"),
            "(define-library (holder) (export safe) (import (scheme base) (holder native))\n\
             (begin (define (safe) (procedure? f))))\n",
        );
        write(
            &holder.join("holder/private.sld"),
            "(define-library (holder private) (export run) (import (scheme base) (holder native))\n\
             (begin (define (run) (m.run)) (f)))\n",
        );
        // `keeper` is granted eval, fs-read and fs-write (so its package-scoped `load`,
        // `environment` ... exist) and provides a library that uses none of them.
        let keeper = dir.join("keeper");
        write(
            &keeper.join("seam.toml"),
            "[package]\nname = \"keeper\"\nversion = \"0.1.0\"\n\
             capabilities = [\"eval\", \"fs-read\", \"fs-write\"]\nlibraries = [\"(keeper)\"]\n",
        );
        write(
            &keeper.join("keeper.sld"),
            "(define-library (keeper) (export twice) (import (scheme base))\n\
             (begin (define (twice x) (* 2 x))))\n",
        );
        write(
            &keeper.join("keeper/private.sld"),
            "(define-library (keeper private) (export slurp) (import (scheme base) (scheme file))\n\
             (begin (define (slurp f) (call-with-input-file f read-line))))\n",
        );
        Fixture { dir, secret, holder, keeper }
    })
}

/// Files in the fixture directory (top level only).
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    names.sort();
    names
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let fx = fixture();
    let before = listing(&fx.dir);
    CALLED.store(false, Ordering::SeqCst);
    let mut engine = seam::Engine::sandboxed();
    // SAFETY: as the CLI does; the sandboxed top level is not granted `ffi`, so (seam ffi)
    // is refused to it. Reaching it anyway is what this target looks for.
    unsafe { engine.enable_ffi() };
    engine.native_module("m", |m| {
        m.define_fn("f", || CALLED.store(true, Ordering::SeqCst));
        m.define_fn("m.run", |_x: Option<seam::Value>| CALLED.store(true, Ordering::SeqCst));
    });
    engine.grant("holder", [Capability::Native]);
    engine.grant("keeper", [Capability::Eval, Capability::FsRead, Capability::FsWrite]);
    engine.load_package(&fx.holder).expect("load holder");
    engine.load_package(&fx.keeper).expect("load keeper");
    engine.set_fuel(Some(100_000));
    engine.set_memory_limit(Some(64 << 20));
    engine.set_max_depth(Some(10_000));
    engine.set_time_limit(Some(std::time::Duration::from_secs(2)));
    let text = match engine.eval_named(source, "<fuzz>") {
        Ok(text) => text,
        Err(e) => {
            // `exit` needs capability process, which the sandbox lacks.
            assert_eq!(e.exit_code(), None, "the sandboxed script exited: {e}");
            e.to_string()
        }
    };
    assert!(!CALLED.load(Ordering::SeqCst), "the sandboxed script called a private native function");
    assert!(
        holds_secret(source) || !holds_secret(&text),
        "the sandboxed script read the secret file: {text}"
    );
    match std::fs::read_to_string(&fx.secret) {
        Ok(contents) => assert!(
            contents.len() == SECRET.len() && holds_secret(&contents),
            "the sandboxed script changed the secret file"
        ),
        Err(e) => panic!("the sandboxed script deleted the secret file: {e}"),
    }
    assert_eq!(listing(&fx.dir), before, "the sandboxed script created or deleted a file");
});
