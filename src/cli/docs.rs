//! `completions SHELL` and `man`: generated from the clap definitions, so they never disagree
//! with the parser.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::args::{Cli, CompletionShell};
use crate::cli::exit::{CliError, CliResult};

/// Print the completion script of `shell` on stdout.
pub fn completions(shell: CompletionShell) -> CliResult {
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
    };
    // Generated into memory first: clap_complete panics when its writer fails (`| head`).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "socops", &mut script);
    emit(&script, "completion script")
}

/// Print the manual page (roff) on stdout.
pub fn man() -> CliResult {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| CliError::Runtime(format!("cannot render the manual page: {e}")))?;
    emit(&page, "manual page")
}

/// Write to stdout; a reader that went away early (`| head`) is not an error.
fn emit(bytes: &[u8], what: &str) -> CliResult {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Runtime(format!("cannot write the {what}: {e}"))),
        Ok(()) => Ok(()),
    }
}
