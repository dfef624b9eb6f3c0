//! The interactive REPL: line editing and history (rustyline), multi-line input (an
//! unfinished expression continues on the next line), `,q` to quit.

use std::process::ExitCode;

use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;
use seam::Engine;

pub fn run(mut engine: Engine) -> ExitCode {
    engine.set_command_line(&["seam".to_string()]);
    let mut editor = match DefaultEditor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("seam: cannot start the line editor: {e}");
            return ExitCode::from(1);
        }
    };
    let history = std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".seam_history"));
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    println!("Seam {} — R7RS Scheme. ,q quits.", env!("CARGO_PKG_VERSION"));
    let mut pending = String::new();
    let mut entry = 0usize;
    loop {
        let prompt = if pending.is_empty() { "> " } else { "… " };
        match editor.readline(prompt) {
            Ok(line) => {
                if pending.is_empty() && matches!(line.trim(), ",q" | ",quit") {
                    break;
                }
                pending.push_str(&line);
                pending.push('\n');
                if seam::is_incomplete(&pending) {
                    continue;
                }
                let _ = editor.add_history_entry(pending.trim_end());
                entry += 1;
                let source = std::mem::take(&mut pending);
                let result =
                    engine.eval_each(&source, &format!("<repl {entry}>"), &mut |value| println!("{value}"));
                if let Err(e) = result {
                    if let Some(code) = e.exit_code() {
                        return ExitCode::from(code as u8);
                    }
                    eprint!("{}", engine.render_error(&e));
                }
            }
            Err(ReadlineError::Interrupted) => pending.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("seam: {e}");
                break;
            }
        }
    }
    if let Some(path) = &history {
        let _ = editor.save_history(path);
    }
    ExitCode::SUCCESS
}
