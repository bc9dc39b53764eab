//! Short forms of the enumeration words the API returns (risk, health, antivirus status, OS
//! platform, action types), used in narrow columns instead of cutting a word mid-way:
//! "Informational" reads as "Info", never as "Informatio".

/// Known long words and the short form a narrow column shows.
const KNOWN: &[(&str, &str)] = &[
    ("Informational", "Info"),
    ("Medium", "Med"),
    ("NotReporting", "NoReport"),
    ("NoSensorDataImpairedCommunication", "Impaired"),
    ("ImpairedCommunication", "Impaired"),
    ("NoSensorData", "NoSensor"),
    ("NotUpdated", "Outdated"),
    ("InProgress", "InProg"),
    ("SuccessfullyRemediated", "Remediated"),
    ("PartiallyRemediated", "PartRemed"),
    ("PartiallyInvestigated", "PartInvest"),
    ("TerminatedByUser", "Terminated"),
    ("TerminatedBySystem", "Terminated"),
    ("PendingResource", "Waiting"),
    ("PendingApproval", "Approval"),
    ("Implemented", "Impl."),
    ("Partially implemented", "Partial"),
    ("Not implemented", "Not impl."),
    ("Unavailable", "Unavail"),
    ("RunAntiVirusScan", "AV scan"),
    ("CollectInvestigationPackage", "Collect"),
    ("RestrictCodeExecution", "Restrict"),
    ("UnrestrictCodeExecution", "Unrestrict"),
    ("StopAndQuarantineFile", "Quarantine"),
    ("Investigation", "Investig."),
    ("LiveResponse", "LiveResp"),
    ("AutomatedInvestigation", "AutoInv"),
    ("MicrosoftDefenderForEndpoint", "MDE"),
    ("WindowsDefenderAv", "DefenderAV"),
    ("BlockAndRemediate", "Block+Remed"),
    ("WindowsDefenderAtp", "DefenderATP"),
];

/// The short form of `word`, when one is known and shorter ("WindowsServer2019" →
/// "WinSrv2019", "Windows11" → "Win11").
pub(crate) fn short_form(word: &str) -> Option<String> {
    if let Some((_, s)) = KNOWN.iter().find(|(w, _)| *w == word) {
        return Some((*s).to_string());
    }
    // Platforms: every Windows flavour keeps its version.
    if let Some(rest) = word.strip_prefix("WindowsServer") {
        return Some(format!("WinSrv{rest}"));
    }
    if let Some(rest) = word.strip_prefix("Windows")
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Some(format!("Win{rest}"));
    }
    None
}

/// State markers after a device name and their short forms: the state outlives the name's
/// tail ("fin-ws-0104 [iso]", not "fin-ws-0104 [isola…").
const MARKERS: &[(&str, &str)] = &[
    (" [isolated]", " [iso]"),
    (" [isolating]", " [iso…]"),
    (" [releasing]", " [rel…]"),
];

/// `text` as it fits in `width` cells: whole when it fits, else its short form when that
/// fits, else cut with an ellipsis so a cut never passes for a whole word. Widths are
/// terminal cells (a CJK character is two). The one rule for every table cell: two tables
/// laid out alike (Pending and History) say a word alike.
pub(crate) fn fit_cell(text: &str, width: usize) -> String {
    if crate::text::width(text) <= width {
        return text.to_string();
    }
    if let Some(s) = short_form(text)
        && crate::text::width(&s) <= width
    {
        return s;
    }
    for (long, short) in MARKERS {
        if let Some(name) = text.strip_suffix(long) {
            let keep = width.saturating_sub(short.chars().count());
            return format!("{}{short}", fit_cell(name, keep));
        }
    }
    crate::text::truncate(text, width).into_owned()
}

/// Width of the widest short form (or whole word when none) among `words`.
pub(crate) fn short_width<'a>(words: impl Iterator<Item = &'a str>) -> u16 {
    words
        .map(|w| {
            let n = short_form(w).map_or_else(|| w.chars().count(), |s| s.chars().count());
            u16::try_from(n).unwrap_or(u16::MAX)
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_words_shorten_to_readable_forms() {
        assert_eq!(short_form("Informational").as_deref(), Some("Info"));
        assert_eq!(short_form("NotReporting").as_deref(), Some("NoReport"));
        assert_eq!(
            short_form("ImpairedCommunication").as_deref(),
            Some("Impaired")
        );
        assert_eq!(
            short_form("WindowsServer2019").as_deref(),
            Some("WinSrv2019")
        );
        assert_eq!(short_form("Windows11").as_deref(), Some("Win11"));
        assert_eq!(short_form("Linux"), None);
    }

    #[test]
    fn cells_keep_whole_words_when_there_is_room() {
        assert_eq!(fit_cell("Informational", 13), "Informational");
        assert_eq!(fit_cell("Informational", 10), "Info");
        assert_eq!(fit_cell("NotReporting", 10), "NoReport");
        assert_eq!(fit_cell("Credential theft on host", 10), "Credentia…");
        assert_eq!(fit_cell("abc", 0), "");
        assert_eq!(fit_cell("fin-ws-0104 [isolated]", 20), "fin-ws-0104 [iso]");
        assert_eq!(short_width(["Low", "Informational"].into_iter()), 4);
    }

    #[test]
    fn cuts_count_terminal_cells_and_end_in_an_ellipsis() {
        assert_eq!(fit_cell("漢字漢字", 5), "漢字…");
        assert_eq!(crate::text::width(&fit_cell("漢字漢字", 5)), 5);
        assert_eq!(fit_cell("abcdef", 1), "…");
    }
}
