//! Confirmation before an action: a typed `yes` on a terminal, the device name on a
//! protected profile for destructive actions, and `--yes` when there is no terminal.

use std::io::{BufRead, IsTerminal, Write};

use crate::cli::exit::{CliError, CliResult};

/// What must be confirmed.
pub struct Ask<'a> {
    /// e.g. `Isolate fin-lt-0142.fabrikam.local (id 4b7e…)`.
    pub what: String,
    /// The device name to type instead of `yes` (protected profile, destructive action).
    pub type_name: Option<&'a str>,
    /// `--yes` was given.
    pub yes: bool,
}

/// Ask, or refuse (exit 3) when the answer is not the expected one.
pub fn confirm(ask: &Ask<'_>) -> CliResult {
    let tty = std::io::stdin().is_terminal();
    if ask.yes && ask.type_name.is_none() {
        return Ok(());
    }
    if !tty {
        return Err(CliError::Refused(match ask.type_name {
            Some(_) => format!(
                "{}: this profile is protected and the device name must be typed on a terminal",
                ask.what
            ),
            None => format!(
                "{}: no terminal to confirm on; pass --yes to proceed",
                ask.what
            ),
        }));
    }
    let expected = ask.type_name.unwrap_or("yes");
    let prompt = match ask.type_name {
        Some(_) => format!(
            "{}? Type the device name ({expected}) to confirm: ",
            ask.what
        ),
        None => format!("{}? Type yes: ", ask.what),
    };
    let mut err = std::io::stderr().lock();
    err.write_all(prompt.as_bytes())?;
    err.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    if answer_matches(&line, expected) {
        Ok(())
    } else {
        Err(CliError::Refused(format!("{}: not confirmed", ask.what)))
    }
}

fn answer_matches(line: &str, expected: &str) -> bool {
    line.trim().eq_ignore_ascii_case(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        assert!(answer_matches("yes\n", "yes"));
        assert!(answer_matches(" YES ", "yes"));
        assert!(!answer_matches("y", "yes"));
        assert!(answer_matches(
            "fin-lt-0142.fabrikam.local\n",
            "fin-lt-0142.fabrikam.local"
        ));
    }
}
