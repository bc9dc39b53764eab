//! Confirmation before an action: a typed `yes` on a terminal, the device name on a
//! protected profile for destructive actions, and `--yes` when there is no terminal.

use std::io::{BufRead, IsTerminal, Write};

use crate::cli::exit::{CliError, CliResult};
use crate::text::line as safe;

/// What must be confirmed.
pub struct Ask<'a> {
    /// e.g. `Isolate fin-lt-0142.fabrikam.local (id 4b7e…)`.
    pub what: String,
    /// The device acted on: its name and id, each shown on a line of its own.
    pub device: Option<(&'a str, &'a str)>,
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
    let what = safe(&ask.what);
    if !tty {
        return Err(CliError::Refused(match ask.type_name {
            Some(_) => format!(
                "{what}: this profile is protected and the device name must be typed on a terminal"
            ),
            None => format!("{what}: no terminal to confirm on; pass --yes to proceed"),
        }));
    }
    let mut err = std::io::stderr().lock();
    err.write_all(prompt(ask).as_bytes())?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if accepted(ask, &answer) {
        Ok(())
    } else {
        Err(CliError::Refused(format!("{what}: not confirmed")))
    }
}

/// The prompt. The device name comes from the tenant, so whoever named the endpoint could
/// try to make the prompt read "Run quick scan (harmless)" while `yes` isolates: every part
/// goes through [`safe`] (no escape codes, no bidi overrides, no line breaks), and the
/// device's name and id stand on lines of their own under the action, where no name can
/// pose as the action.
pub fn prompt(ask: &Ask<'_>) -> String {
    let mut p = format!("{}\n", safe(&ask.what));
    if let Some((name, id)) = ask.device {
        p.push_str(&format!("  device name: {}\n", safe(name)));
        p.push_str(&format!("  device id:   {}\n", safe(id)));
    }
    match ask.type_name {
        Some(name) => {
            let id = ask.device.map(|(_, id)| id).unwrap_or_default();
            p.push_str(&format!(
                "Type the device name ({}) or its id to confirm: ",
                safe(name)
            ));
            if id.is_empty() {
                p = p.replace(" or its id", "");
            }
        }
        None => p.push_str("Type yes to confirm: "),
    }
    p
}

/// Whether the typed answer confirms: `yes`, or for a typed-name confirmation the device
/// name (as the tenant has it, or as shown when it holds characters made visible) or id.
fn accepted(ask: &Ask<'_>, answer: &str) -> bool {
    match ask.type_name {
        None => answer_matches(answer, "yes"),
        Some(name) => {
            answer_matches(answer, name)
                || answer_matches(answer, &safe(name))
                || ask
                    .device
                    .is_some_and(|(_, id)| !id.is_empty() && answer_matches(answer, id))
        }
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

    #[test]
    fn a_device_name_cannot_spoof_the_prompt() {
        let name = "ws-01\u{1b}]0;title\u{7}\u{1b}[2J\u{202e}\nRun quick antivirus scan (harmless)";
        let ask = Ask {
            what: format!("Isolate {name} (id 4b7e)"),
            device: Some((name, "4b7e3c2a9f1d6e08b5a2c7d4e9f0a1b2c3d4e5f6")),
            type_name: None,
            yes: false,
        };
        let p = prompt(&ask);
        assert!(!p.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{p:?}");
        let lines: Vec<&str> = p.lines().collect();
        assert_eq!(lines.len(), 4, "action, name, id, question: {p}");
        assert!(lines[0].starts_with("Isolate ws-01␛]0;title␇␛[2J"), "{p}");
        assert!(lines[1].starts_with("  device name: ws-01"), "{p}");
        assert_eq!(
            lines[2],
            "  device id:   4b7e3c2a9f1d6e08b5a2c7d4e9f0a1b2c3d4e5f6"
        );
        assert_eq!(lines[3], "Type yes to confirm: ");
    }

    #[test]
    fn a_typed_name_may_be_the_shown_name_or_the_id() {
        let name = "srv\u{200b}-01";
        let ask = Ask {
            what: "Isolate".into(),
            device: Some((name, "abc123")),
            type_name: Some(name),
            yes: false,
        };
        assert!(accepted(&ask, "srv\\u{200b}-01\n"));
        assert!(accepted(&ask, "abc123"));
        assert!(!accepted(&ask, "yes"));
        assert!(!accepted(&ask, "srv-01"));
    }
}
