//! The DEVICE argument of `device DEVICE VERB`: a 40-hex machine id or a computer name, checked
//! before anything is sent. It becomes part of a request path (`machines/{DEVICE}`), so a
//! `/`, `?`, `#`, `..`, a space or a control character is refused with exit 2 instead of
//! being sent as some other request.

use crate::cli::exit::{CliError, CliResult};

/// The longest computer name accepted (a DNS name is at most 253 characters).
pub(crate) const MAX_NAME: usize = 253;

/// Check DEVICE: a machine id (40 hexadecimal characters) or a computer name (letters,
/// digits, `-`, `_` and `.`, not starting with `.` or `-`, no `..`).
pub fn check(device: &str) -> CliResult<&str> {
    let d = device.trim();
    let is_id = d.len() == 40 && d.bytes().all(|b| b.is_ascii_hexdigit());
    let is_name = !d.is_empty()
        && d.len() <= MAX_NAME
        && !d.starts_with(['.', '-'])
        && !d.contains("..")
        && d.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if is_id || is_name {
        Ok(d)
    } else {
        Err(CliError::Usage(format!(
            "'{}' is not a device: give its machine id (40 hexadecimal characters) or its \
             computer name (letters, digits, '-', '_' and '.')",
            crate::text::line(device)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_pass_paths_do_not() {
        assert!(check("4b7e3c2a9f1d6e08b5a2c7d4e9f0a1b2c3d4e5f6").is_ok());
        assert!(check("fin-lt-0142.fabrikam.local").is_ok());
        assert!(check("FIN_LT_0142").is_ok());
        for bad in [
            "",
            "../machines",
            "a/b",
            "x?$top=1",
            "x#y",
            "..",
            "a..b",
            ".hidden",
            "pc 01",
            "pc\u{1b}[2J",
            "pc%2F..",
            "pc\\x",
        ] {
            let e = check(bad).unwrap_err();
            assert_eq!(e.code(), crate::cli::exit::USAGE, "{bad:?}");
        }
        assert!(check(&"a".repeat(254)).is_err());
    }
}
