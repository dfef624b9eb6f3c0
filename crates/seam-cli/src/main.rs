//! The `seam` command: run a file, evaluate an expression, disassemble, or start the REPL.

mod repl;

use std::process::ExitCode;

use seam::{Capability, Engine};

const USAGE: &str = "\
usage: seam [OPTIONS] [FILE [ARGS...]]  run FILE (no FILE: start the REPL)
       seam [OPTIONS] run DIR [ARGS...] run the package in DIR (its seam.toml and main.scm)
       seam [OPTIONS] -e EXPR           evaluate EXPR and print its value
       seam [OPTIONS] --disasm FILE     print the bytecode of FILE
       seam --help                      show this help
options:
       -I DIR              look for libraries in DIR: (import (foo bar)) loads DIR/foo/bar.sld
                           (the directory of FILE is searched after every -I DIR)
       -P DIR              look for packages in DIR: (import (foo ...)) loads the package DIR/foo
       --allow PKG=CAP,... grant package PKG capabilities (native, ffi, fs-read, fs-write,
                           net, process, env, time, eval); a package gets nothing else
       --plugin NAME=FILE  load native module NAME from plugin shared library FILE
       --sandbox           the program gets no capability: no files, environment, clock,
                           exit or eval, and the engine has no C FFI at all (packages
                           still get what --allow grants, but not ffi)
       --fuel N            stop an evaluation after N calls and loop iterations
       --memory-limit SIZE stop an evaluation needing more than SIZE bytes (suffix K, M, G)
       --max-depth N       stop an evaluation nesting more than N calls
       --time-limit SECS   stop an evaluation running longer than SECS seconds";

/// What the options before the command say.
#[derive(Default)]
struct Options {
    library_paths: Vec<String>,
    package_paths: Vec<String>,
    grants: Vec<(String, Vec<Capability>)>,
    plugins: Vec<(String, String)>,
    sandbox: bool,
    fuel: Option<u64>,
    memory_limit: Option<usize>,
    max_depth: Option<usize>,
    time_limit: Option<std::time::Duration>,
}

/// Long options that take a value (also as `--name=value`).
const VALUE_OPTIONS: &[&str] =
    &["--allow", "--plugin", "--fuel", "--memory-limit", "--max-depth", "--time-limit"];

/// Takes the options off the front of `args`.
fn parse_options(args: &mut Vec<String>) -> Result<Options, String> {
    let mut options = Options::default();
    while let Some(first) = args.first().cloned() {
        if first == "--sandbox" {
            options.sandbox = true;
            args.remove(0);
            continue;
        }
        let (flag, attached) = match first.as_str() {
            "-I" | "-P" => (first.clone(), None),
            s if VALUE_OPTIONS.contains(&s) => (first.clone(), None),
            s if s.starts_with("-I") || s.starts_with("-P") => (s[..2].to_string(), Some(s[2..].to_string())),
            s => match s.split_once('=') {
                Some((name, value)) if VALUE_OPTIONS.contains(&name) => {
                    (name.to_string(), Some(value.to_string()))
                }
                _ => break,
            },
        };
        let value = match attached {
            Some(value) => {
                args.remove(0);
                value
            }
            None if args.len() >= 2 => args.drain(..2).nth(1).unwrap_or_default(),
            None => return Err(format!("{flag} needs a value")),
        };
        match flag.as_str() {
            "-I" => options.library_paths.push(value),
            "-P" => options.package_paths.push(value),
            "--plugin" => match value.split_once('=') {
                Some((name, file)) if !name.is_empty() && !file.is_empty() => {
                    options.plugins.push((name.to_string(), file.to_string()))
                }
                _ => return Err(format!("--plugin expects NAME=FILE, got {value:?}")),
            },
            "--fuel" => options.fuel = Some(parse_number(&flag, &value)?),
            "--max-depth" => options.max_depth = Some(parse_number(&flag, &value)?),
            "--memory-limit" => options.memory_limit = Some(parse_size(&value)?),
            "--time-limit" => {
                match value.parse::<f64>().ok().and_then(|s| std::time::Duration::try_from_secs_f64(s).ok()) {
                    Some(limit) => options.time_limit = Some(limit),
                    None => return Err(format!("--time-limit expects seconds, got {value:?}")),
                }
            }
            _ => options.grants.push(parse_grant(&value)?),
        }
    }
    Ok(options)
}

fn parse_number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value.parse().map_err(|_| format!("{flag} expects a whole number, got {value:?}"))
}

/// `SIZE` in bytes, with an optional suffix K, M or G (powers of 1024).
fn parse_size(value: &str) -> Result<usize, String> {
    let (digits, unit) = match value.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&value[..i], &value[i..]),
        _ => (value, ""),
    };
    let shift = match unit {
        "" => 0,
        "k" | "K" => 10,
        "m" | "M" => 20,
        "g" | "G" => 30,
        _ => return Err(format!("--memory-limit: unknown unit {unit:?} (use K, M or G)")),
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("--memory-limit expects a size such as 64M, got {value:?}"))
}

/// `PKG=CAP,CAP`.
fn parse_grant(text: &str) -> Result<(String, Vec<Capability>), String> {
    let Some((package, caps)) = text.split_once('=') else {
        return Err(format!("--allow expects PKG=CAP[,CAP...], got {text:?}"));
    };
    let mut granted = Vec::new();
    for name in caps.split(',').filter(|c| !c.is_empty()) {
        match Capability::from_name(name) {
            Some(c) => granted.push(c),
            None => {
                let known: Vec<&str> = Capability::ALL.iter().map(|c| c.name()).collect();
                return Err(format!(
                    "--allow {text}: unknown capability {name:?} (known: {})",
                    known.join(", ")
                ));
            }
        }
    }
    if package.is_empty() || granted.is_empty() {
        return Err(format!("--allow expects PKG=CAP[,CAP...], got {text:?}"));
    }
    Ok((package.to_string(), granted))
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_options(&mut args) {
        Ok(options) => options,
        Err(message) => return usage_error(&message),
    };
    let command = match args.first().map(String::as_str) {
        None => Command::Repl,
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("-e") => match args.get(1) {
            Some(expr) => Command::Eval(expr.clone()),
            None => return usage_error("-e needs an expression"),
        },
        Some("--disasm") => match args.get(1) {
            Some(file) => Command::Disasm(file.clone()),
            None => return usage_error("--disasm needs a file"),
        },
        Some("run") => match args.get(1) {
            Some(dir) => Command::Package(dir.clone()),
            None => return usage_error("run needs a package directory"),
        },
        Some(flag) if flag.starts_with('-') && flag.len() > 1 => {
            return usage_error(&format!("unknown option {flag}"))
        }
        Some(file) => Command::File(file.to_string()),
    };
    let engine = match make_engine(&options) {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("seam: {e}");
            return ExitCode::from(1);
        }
    };
    match command {
        Command::Repl => repl::run(engine),
        Command::Eval(expr) => eval_expression(engine, &expr),
        Command::Disasm(file) => disassemble(engine, &file),
        Command::Package(dir) => run_package(engine, &dir, &args[1..]),
        Command::File(file) => run_file(engine, &file, &args),
    }
}

/// What the command line asks for.
enum Command {
    Repl,
    Eval(String),
    Disasm(String),
    Package(String),
    File(String),
}

/// An engine set up as the options say.
fn make_engine(options: &Options) -> Result<Engine, seam::Error> {
    let mut engine = Engine::new();
    if !options.sandbox {
        // SAFETY: the `seam` command runs the programs its user gives it, with the user's
        // own rights: as trusted as any program they run. Packages get the FFI only when
        // granted `ffi` (--allow PKG=ffi). A sandboxed run has no FFI at all.
        unsafe { engine.enable_ffi() };
    }
    for dir in &options.library_paths {
        engine.add_library_path(dir);
    }
    for dir in &options.package_paths {
        engine.add_package_path(dir);
    }
    for (package, capabilities) in &options.grants {
        engine.grant(package, capabilities.iter().copied());
    }
    for (name, file) in &options.plugins {
        engine.native_plugin(name, file)?;
    }
    if options.sandbox {
        engine.set_top_level_capabilities([]);
    }
    engine.set_fuel(options.fuel);
    engine.set_memory_limit(options.memory_limit);
    engine.set_max_depth(options.max_depth);
    engine.set_time_limit(options.time_limit);
    Ok(engine)
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("seam: {message}\n{USAGE}");
    ExitCode::from(2)
}

/// Reports `error` on stderr and returns the exit status for it.
fn fail(engine: &Engine, error: &seam::Error) -> ExitCode {
    if let Some(code) = error.exit_code() {
        return ExitCode::from(code as u8);
    }
    eprint!("{}", engine.render_error(error));
    ExitCode::from(1)
}

fn run_file(mut engine: Engine, file: &str, args: &[String]) -> ExitCode {
    engine.set_command_line(args);
    let dir = std::path::Path::new(file).parent().filter(|d| !d.as_os_str().is_empty());
    engine.add_library_path(dir.unwrap_or(std::path::Path::new(".")));
    match engine.run_file(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&engine, &e),
    }
}

fn run_package(mut engine: Engine, dir: &str, args: &[String]) -> ExitCode {
    engine.set_command_line(args);
    match engine.run_package::<()>(dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&engine, &e),
    }
}

fn eval_expression(mut engine: Engine, expr: &str) -> ExitCode {
    engine.set_command_line(&["seam".to_string()]);
    match engine.eval_named(expr, "<command line>") {
        Ok(text) => {
            if !text.is_empty() {
                println!("{text}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&engine, &e),
    }
}

fn disassemble(mut engine: Engine, file: &str) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("seam: {file}: {e}");
            return ExitCode::from(1);
        }
    };
    match engine.disassemble(&text, file) {
        Ok(listing) => {
            print!("{listing}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&engine, &e),
    }
}
