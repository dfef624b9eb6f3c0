//! The `seam` command: run a file, evaluate an expression, disassemble, or start the REPL.

mod repl;

use std::process::ExitCode;

use seam::Engine;

const USAGE: &str = "\
usage: seam [FILE [ARGS...]]     run FILE (no FILE: start the REPL)
       seam -e EXPR              evaluate EXPR and print its value
       seam --disasm FILE        print the bytecode of FILE
       seam --help               show this help";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => repl::run(),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-e") => match args.get(1) {
            Some(expr) => eval_expression(expr),
            None => usage_error("-e needs an expression"),
        },
        Some("--disasm") => match args.get(1) {
            Some(file) => disassemble(file),
            None => usage_error("--disasm needs a file"),
        },
        Some(flag) if flag.starts_with('-') && flag.len() > 1 => {
            usage_error(&format!("unknown option {flag}"))
        }
        Some(file) => run_file(file, &args),
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

fn run_file(file: &str, args: &[String]) -> ExitCode {
    let mut engine = Engine::new();
    engine.set_command_line(args);
    match engine.load_file(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&engine, &e),
    }
}

fn eval_expression(expr: &str) -> ExitCode {
    let mut engine = Engine::new();
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

fn disassemble(file: &str) -> ExitCode {
    let mut engine = Engine::new();
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
