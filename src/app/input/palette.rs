//! The `:` command palette: its entries, the suggestions shown while typing (ranked by the
//! nucleo fuzzy matcher), the nearest command for a typo, and the session's history.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

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
    /// `device NAME` (or `find NAME`): open a device by computer name or id (a picker when
    /// several match).
    Device,
    /// `incident ID`: open an incident's page.
    Incident,
    /// `alert ID`: open an alert's page.
    Alert,
}

impl PaletteAction {
    /// What the argument is, for commands that take one.
    pub fn arg(self) -> Option<&'static str> {
        match self {
            PaletteAction::Ctx | PaletteAction::Device => Some("NAME"),
            PaletteAction::Incident | PaletteAction::Alert => Some("ID"),
            _ => None,
        }
    }

    /// What the entry does, for the suggestions and the help.
    pub(crate) fn describe(self) -> String {
        match self {
            PaletteAction::Go(v) => v.title().to_string(),
            PaletteAction::Refresh => "reload this view".into(),
            PaletteAction::Help => "keys".into(),
            PaletteAction::Quit => "leave socops".into(),
            PaletteAction::Audit => "audit log of actions".into(),
            PaletteAction::Ctx => "switch tenant".into(),
            PaletteAction::Approvals => "team approvals (four eyes)".into(),
            PaletteAction::Device => "open a device".into(),
            PaletteAction::Incident => "open an incident".into(),
            PaletteAction::Alert => "open an alert".into(),
        }
    }
}

/// Every palette entry, sorted by name.
pub fn entries() -> Vec<(&'static str, PaletteAction)> {
    let mut v: Vec<(&'static str, PaletteAction)> = View::COMMANDS
        .iter()
        .map(|(n, view)| (*n, PaletteAction::Go(*view)))
        .collect();
    v.extend([
        ("alert", PaletteAction::Alert),
        ("approvals", PaletteAction::Approvals),
        ("audit", PaletteAction::Audit),
        ("ctx", PaletteAction::Ctx),
        ("device", PaletteAction::Device),
        ("find", PaletteAction::Device),
        ("help", PaletteAction::Help),
        ("incident", PaletteAction::Incident),
        ("quit", PaletteAction::Quit),
        ("refresh", PaletteAction::Refresh),
    ]);
    v.sort_by_key(|(n, _)| *n);
    v
}

/// The entry named exactly `name` (case-insensitive).
pub fn entry(name: &str) -> Option<(&'static str, PaletteAction)> {
    entries()
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
}

/// One suggestion under the palette line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// What Tab puts on the palette line.
    pub input: String,
    /// The suggestion as shown (`:device NAME`, or an argument's value).
    pub label: String,
    /// What it is (a view's title, a device's OS and risk), terminal-safe.
    pub what: String,
}

/// A fuzzy ranking of `items` by `needle` with the nucleo matcher, best first; ties keep
/// the order of `items`. An empty needle keeps every item, in order.
pub fn rank<T>(needle: &str, items: Vec<(String, T)>) -> Vec<T> {
    let needle = needle.trim();
    if needle.is_empty() {
        return items.into_iter().map(|(_, t)| t).collect();
    }
    let mut config = Config::DEFAULT;
    // Completion: the analyst types the start of what they want.
    config.prefer_prefix = true;
    let mut matcher = Matcher::new(config);
    let pattern = Pattern::new(
        needle,
        CaseMatching::Ignore,
        Normalization::Smart,
        AtomKind::Fuzzy,
    );
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize, T)> = items
        .into_iter()
        .enumerate()
        .filter_map(|(i, (text, t))| {
            pattern
                .score(Utf32Str::new(&text, &mut buf), &mut matcher)
                .map(|score| (score, i, t))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, t)| t).collect()
}

/// The commands matching `needle`, best first: an exact name, then the fuzzy ranking, where
/// among equals a command without an argument comes first (`dev` suggests `devices` before
/// `device NAME`).
pub fn candidates(needle: &str) -> Vec<(&'static str, PaletteAction)> {
    let needle = needle.trim().trim_start_matches(':').to_lowercase();
    let mut all = entries();
    all.sort_by_key(|(n, a)| (a.arg().is_some(), *n));
    let items = all.into_iter().map(|e| (e.0.to_string(), e)).collect();
    let mut out = rank(&needle, items);
    if let Some(i) = out.iter().position(|(n, _)| *n == needle) {
        let exact = out.remove(i);
        out.insert(0, exact);
    }
    out
}

/// The command suggestions for the text typed so far.
pub(crate) fn command_suggestions(needle: &str) -> Vec<Suggestion> {
    candidates(needle)
        .into_iter()
        .map(|(name, action)| Suggestion {
            input: name.to_string(),
            label: match action.arg() {
                Some(arg) => format!(":{name} {arg}"),
                None => format!(":{name}"),
            },
            what: action.describe(),
        })
        .collect()
}

/// The command nearest to a mistyped `word` (at most a third of its letters wrong, one
/// at least), for "did you mean".
pub fn nearest(word: &str) -> Option<&'static str> {
    let word = word.trim().to_lowercase();
    let allowed = (word.chars().count() / 3).max(1);
    entries()
        .into_iter()
        .map(|(n, _)| (distance(&word, n), n))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, n)| (*d, n.len()))
        .map(|(_, n)| n)
}

/// Edit distance with adjacent transpositions counted once (`devcies` is one from
/// `devices`).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// How many commands the session history keeps.
const HISTORY: usize = 50;

/// The palette's memory for the session: commands run (most recent first) and where ↑/↓
/// are in them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaletteState {
    /// Commands run, most recent first, each once.
    pub history: Vec<String>,
    /// The history entry on the palette line (↑/↓), if any.
    pub recall: Option<usize>,
    /// What was typed before ↑ reached into the history (↓ past the newest brings it back).
    pub stash: String,
    /// The suggestions for `for_input` (computed on each key, not on each frame).
    pub suggestions: Vec<Suggestion>,
    pub for_input: Option<String>,
}

impl PaletteState {
    /// Remember a command that ran.
    pub(crate) fn remember(&mut self, command: &str) {
        let command = command.trim();
        if command.is_empty() {
            return;
        }
        self.history.retain(|h| h != command);
        self.history.insert(0, command.to_string());
        self.history.truncate(HISTORY);
        self.recall = None;
    }

    /// ↑: the next older history entry in place of `input`; `None` when there is none.
    pub fn older(&mut self, input: &str) -> Option<String> {
        let next = match self.recall {
            None => {
                self.stash = input.to_string();
                0
            }
            Some(i) => i + 1,
        };
        let entry = self.history.get(next)?.clone();
        self.recall = Some(next);
        Some(entry)
    }

    /// ↓ while recalling: the next newer entry, or what was typed before.
    pub fn newer(&mut self) -> Option<String> {
        match self.recall? {
            0 => {
                self.recall = None;
                Some(std::mem::take(&mut self.stash))
            }
            i => {
                self.recall = Some(i - 1);
                self.history.get(i - 1).cloned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_candidates_prefer_exact_then_prefix_then_no_argument() {
        assert_eq!(candidates("dev")[0].0, "devices");
        assert_eq!(candidates("dev")[1].0, "device");
        assert_eq!(candidates("device")[0].0, "device");
        assert_eq!(candidates("in")[0].0, "incidents");
        assert_eq!(candidates("ct")[0].0, "ctx");
        // Fuzzy: letters in order, not necessarily together.
        assert_eq!(candidates("rcmd")[0].0, "recommendations");
        assert!(candidates("zzz").is_empty());
        assert_eq!(candidates("").len(), entries().len());
    }

    #[test]
    fn typos_find_the_nearest_command() {
        assert_eq!(nearest("devcies"), Some("devices"));
        assert_eq!(nearest("incidnets"), Some("incidents"));
        assert_eq!(nearest("quti"), Some("quit"));
        assert_eq!(nearest("zzzzzz"), None);
        assert_eq!(distance("ab", "ba"), 1);
    }

    #[test]
    fn history_is_most_recent_first_once_each() {
        let mut p = PaletteState::default();
        for c in ["devices", "incident 4031", "devices"] {
            p.remember(c);
        }
        assert_eq!(p.history, ["devices", "incident 4031"]);
        assert_eq!(p.older("inc").as_deref(), Some("devices"));
        assert_eq!(p.older("").as_deref(), Some("incident 4031"));
        assert_eq!(p.older(""), None);
        assert_eq!(p.newer().as_deref(), Some("devices"));
        assert_eq!(p.newer().as_deref(), Some("inc"));
        assert_eq!(p.newer(), None);
    }
}
