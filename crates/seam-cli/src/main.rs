//! The `seam` command: run a file, evaluate an expression, disassemble, or start the REPL.

mod repl;

use std::process::ExitCode;

use seam::Engine;

const USAGE: &str = "\
usage: seam [-I DIR]... [FILE [ARGS...]]  run FILE (no FILE: start the REPL)
       seam [-I DIR]... -e EXPR           evaluate EXPR and print its value
       seam [-I DIR]... --disasm FILE     print the bytecode of FILE
       seam --help                        show this help
options:
       -I DIR   look for libraries in DIR: (import (foo bar)) loads DIR/foo/bar.sld
                (the directory of FILE is searched after every -I DIR)";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut library_paths = Vec::new();
    while let Some(first) = args.first() {
        if first == "-I" {
            if args.len() < 2 {
                return usage_error("-I needs a directory");
            }
            library_paths.push(args[1].clone());
            args.drain(..2);
        } else if let Some(dir) = first.strip_prefix("-I") {
            library_paths.push(dir.to_string());
            args.remove(0);
        } else {
            break;
        }
    }
    let engine = || {
        let mut engine = Engine::new();
        // SAFETY: the `seam` command runs the programs its user gives it, with the user's
        // own rights: as trusted as any program they run.
        unsafe { engine.enable_ffi() };
        for dir in &library_paths {
            engine.add_library_path(dir);
        }
        engine
    };
    match args.first().map(String::as_str) {
        None => repl::run(engine()),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-e") => match args.get(1) {
            Some(expr) => eval_expression(engine(), expr),
            None => usage_error("-e needs an expression"),
        },
        Some("--disasm") => match args.get(1) {
            Some(file) => disassemble(engine(), file),
            None => usage_error("--disasm needs a file"),
        },
        Some(flag) if flag.starts_with('-') && flag.len() > 1 => {
            usage_error(&format!("unknown option {flag}"))
        }
        Some(file) => run_file(engine(), file, &args),
    }
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
    match engine.load_file(file) {
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
