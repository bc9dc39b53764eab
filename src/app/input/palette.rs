//! The `:` command palette: its entries and their completion.

use crate::app::view::View;

/// What a palette entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaletteAction {
    Go(View),
    Refresh,
    Help,
    Quit,
    /// Show the audit log.
    Audit,
    /// `ctx NAME`: switch to another tenant.
    Ctx,
    /// The Action center's Team approvals pane.
    Approvals,
    /// `find NAME`: open a device by computer name or id (a picker when several match).
    Device,
}

/// Every palette entry, sorted by name.
pub fn entries() -> Vec<(&'static str, PaletteAction)> {
    let mut v: Vec<(&'static str, PaletteAction)> = View::COMMANDS
        .iter()
        .map(|(n, view)| (*n, PaletteAction::Go(*view)))
        .collect();
    v.push(("approvals", PaletteAction::Approvals));
    v.push(("audit", PaletteAction::Audit));
    v.push(("ctx", PaletteAction::Ctx));
    v.push(("find", PaletteAction::Device));
    v.push(("help", PaletteAction::Help));
    v.push(("quit", PaletteAction::Quit));
    v.push(("refresh", PaletteAction::Refresh));
    v.sort_by_key(|(n, _)| *n);
    v
}

/// Entries whose name starts with the input (then those that contain it).
pub fn candidates(input: &str) -> Vec<(&'static str, PaletteAction)> {
    let needle = input.trim().trim_start_matches(':').to_lowercase();
    let all = entries();
    let mut out: Vec<_> = all
        .iter()
        .filter(|(n, _)| n.starts_with(&needle))
        .copied()
        .collect();
    out.extend(
        all.iter()
            .filter(|(n, _)| !n.starts_with(&needle) && n.contains(&needle))
            .copied(),
    );
    out
}

/// Tab completion: the single candidate, else the longest common prefix of the prefix matches.
pub fn complete(input: &str) -> String {
    let needle = input.trim().trim_start_matches(':').to_lowercase();
    let names: Vec<&str> = entries()
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| n.starts_with(&needle))
        .collect();
    match names.as_slice() {
        [] => input.to_string(),
        [one] => (*one).to_string(),
        [first, rest @ ..] => {
            let mut prefix = first.to_string();
            for n in rest {
                while !n.starts_with(&prefix) {
                    prefix.pop();
                }
            }
            if prefix.len() < needle.len() {
                needle
            } else {
                prefix
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes() {
        assert_eq!(complete("dev"), "devices");
        assert_eq!(complete("in"), "in");
        assert_eq!(complete("inc"), "incidents");
        assert_eq!(complete("re"), "re");
        assert_eq!(complete("rec"), "recommendations");
        assert_eq!(candidates("in")[0].0, "incidents");
    }
}
