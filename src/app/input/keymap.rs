//! The keymap: every console action, its default keys, overrides from the `[keys]` table of
//! the config, and the hint bar and help text generated from it (so they never disagree).

use std::collections::BTreeMap;

pub use crate::app::input::key::{Key, KeyCode};

/// The pattern of the actions that change the tenant: one list for `Action::is_write` and for
/// the arm of `perform` that leaves them to `actions::on_key` (a pattern, so that match stays
/// exhaustive).
macro_rules! write_actions {
    () => {
        $crate::app::input::keymap::Action::DeviceMenu
            | $crate::app::input::keymap::Action::Scan
            | $crate::app::input::keymap::Action::Isolate
            | $crate::app::input::keymap::Action::Investigate
            | $crate::app::input::keymap::Action::MarkAll
            | $crate::app::input::keymap::Action::CancelActions
            | $crate::app::input::keymap::Action::Triage
            | $crate::app::input::keymap::Action::AssignMe
            | $crate::app::input::keymap::Action::Comment
            | $crate::app::input::keymap::Action::NewIndicator
            | $crate::app::input::keymap::Action::DeleteIndicator
            | $crate::app::input::keymap::Action::Block
            | $crate::app::input::keymap::Action::QuarantineFile
    };
}
pub(crate) use write_actions;

/// Everything a key can do. The names (`as_str`) are what `[keys]` in the config uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    Help,
    Cadence1,
    Cadence2,
    Cadence3,
    Cadence4,
    NextView,
    PrevView,
    Up,
    Down,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    Left,
    Right,
    Open,
    Back,
    Filter,
    Sort,
    SortReverse,
    Palette,
    Refresh,
    Copy,
    CopyLink,
    OpenPortal,
    ToggleDone,
    DeviceMenu,
    Scan,
    Isolate,
    Investigate,
    MarkAll,
    CancelActions,
    Export,
    Triage,
    AssignMe,
    Comment,
    AllIncidents,
    NewIndicator,
    DeleteIndicator,
    Block,
    QuarantineFile,
}

impl Action {
    /// Every action, in help order.
    pub const ALL: [Action; 44] = [
        Action::Cadence1,
        Action::Cadence2,
        Action::Cadence3,
        Action::Cadence4,
        Action::NextView,
        Action::PrevView,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::HalfPageUp,
        Action::HalfPageDown,
        Action::Top,
        Action::Bottom,
        Action::Left,
        Action::Right,
        Action::Open,
        Action::Back,
        Action::ToggleDone,
        Action::Filter,
        Action::Sort,
        Action::SortReverse,
        Action::Palette,
        Action::Refresh,
        Action::Copy,
        Action::CopyLink,
        Action::OpenPortal,
        Action::DeviceMenu,
        Action::Scan,
        Action::Isolate,
        Action::Investigate,
        Action::MarkAll,
        Action::CancelActions,
        Action::Triage,
        Action::AssignMe,
        Action::Comment,
        Action::AllIncidents,
        Action::NewIndicator,
        Action::DeleteIndicator,
        Action::Block,
        Action::QuarantineFile,
        Action::Export,
        Action::Help,
        Action::Quit,
    ];

    /// Actions that change the tenant: hidden and refused on a read-only profile.
    pub(crate) fn is_write(self) -> bool {
        matches!(self, write_actions!())
    }

    /// Keys that work on every screen (moving, opening, filtering, copying, leaving), as
    /// against those of some views only (the device actions, triage, indicators).
    pub(crate) fn is_global(self) -> bool {
        !self.is_write() && !matches!(self, Action::ToggleDone | Action::AllIncidents)
    }

    /// The config name of the action.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Cadence1 => "daily",
            Action::Cadence2 => "weekly",
            Action::Cadence3 => "monthly",
            Action::Cadence4 => "as_needed",
            Action::NextView => "next_view",
            Action::PrevView => "prev_view",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::HalfPageUp => "half_page_up",
            Action::HalfPageDown => "half_page_down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Left => "left",
            Action::Right => "right",
            Action::Open => "open",
            Action::Back => "back",
            Action::Filter => "filter",
            Action::Sort => "sort",
            Action::SortReverse => "sort_reverse",
            Action::Palette => "command",
            Action::Refresh => "refresh",
            Action::Copy => "copy",
            Action::CopyLink => "copy_link",
            Action::OpenPortal => "open_portal",
            Action::ToggleDone => "done",
            Action::DeviceMenu => "device_actions",
            Action::Scan => "antivirus_scan",
            Action::Isolate => "isolate",
            Action::Investigate => "investigate",
            Action::MarkAll => "mark_all",
            Action::CancelActions => "cancel_actions",
            Action::Export => "export",
            Action::Triage => "triage",
            Action::AssignMe => "assign_to_me",
            Action::Comment => "comment",
            Action::AllIncidents => "all_incidents",
            Action::NewIndicator => "new_indicator",
            Action::DeleteIndicator => "delete_indicator",
            Action::Block => "block_file",
            Action::QuarantineFile => "quarantine_file",
        }
    }

    /// What the action does, for the help overlay and the hint bar.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Cadence1 => "daily tasks",
            Action::Cadence2 => "weekly tasks",
            Action::Cadence3 => "monthly tasks",
            Action::Cadence4 => "as-needed tasks",
            Action::NextView => "next view",
            Action::PrevView => "previous view",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::HalfPageUp => "half page up",
            Action::HalfPageDown => "half page down",
            Action::Top => "first row",
            Action::Bottom => "last row",
            Action::Left => "previous pane",
            Action::Right => "next pane",
            Action::Open => "open",
            Action::Back => "back / close",
            Action::Filter => "filter",
            Action::Sort => "sort column",
            Action::SortReverse => "reverse sort",
            Action::Palette => "command",
            Action::Refresh => "refresh",
            Action::Copy => "copy id",
            Action::CopyLink => "copy portal link",
            Action::OpenPortal => "open in portal",
            Action::ToggleDone => "done / mark",
            Action::DeviceMenu => "device actions",
            Action::Scan => "antivirus scan",
            Action::Isolate => "isolate device",
            Action::Investigate => "full antivirus scan",
            Action::MarkAll => "mark all (actions)",
            Action::CancelActions => "cancel marked",
            Action::Export => "export CSV/JSON",
            Action::Triage => "triage form",
            Action::AssignMe => "assign to me",
            Action::Comment => "comment",
            Action::AllIncidents => "all/unresolved",
            Action::NewIndicator => "add indicator",
            Action::DeleteIndicator => "delete indicator",
            Action::Block => "block file",
            Action::QuarantineFile => "quarantine file",
        }
    }

    fn defaults(self) -> &'static [&'static str] {
        match self {
            Action::Quit => &["q", "ctrl-c"],
            // f1 also opens the help from a dialog's text field, where `?` is typed.
            Action::Help => &["?", "f1"],
            Action::Cadence1 => &["1"],
            Action::Cadence2 => &["2"],
            Action::Cadence3 => &["3"],
            Action::Cadence4 => &["4"],
            Action::NextView => &["tab"],
            Action::PrevView => &["shift-tab"],
            Action::Up => &["k", "up"],
            Action::Down => &["j", "down"],
            Action::PageUp => &["pgup"],
            Action::PageDown => &["pgdn"],
            Action::HalfPageUp => &["ctrl-u"],
            Action::HalfPageDown => &["ctrl-d"],
            Action::Top => &["g", "home"],
            Action::Bottom => &["G", "end"],
            Action::Left => &["h", "left"],
            Action::Right => &["l", "right"],
            Action::Open => &["enter"],
            Action::Back => &["esc"],
            Action::Filter => &["/"],
            Action::Sort => &["s"],
            Action::SortReverse => &["S"],
            Action::Palette => &[":"],
            Action::Refresh => &["r", "f5"],
            Action::Copy => &["y"],
            Action::CopyLink => &["Y"],
            Action::OpenPortal => &["o"],
            Action::ToggleDone => &["space"],
            Action::DeviceMenu => &["."],
            Action::Scan => &["V"],
            Action::Isolate => &["i"],
            Action::Investigate => &["I"],
            Action::MarkAll => &["A"],
            Action::CancelActions => &["x"],
            Action::Export => &["e"],
            Action::Triage => &["t"],
            Action::AssignMe => &["a"],
            Action::Comment => &["c"],
            Action::AllIncidents => &["u"],
            Action::NewIndicator => &["n"],
            Action::DeleteIndicator => &["d"],
            Action::Block => &["b"],
            Action::QuarantineFile => &["Q"],
        }
    }
}

/// Keys bound to actions.
#[derive(Debug, Clone)]
pub struct Keymap {
    by_key: BTreeMap<Key, Action>,
    by_action: BTreeMap<Action, Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        // The defaults are constants that parse; an empty override map cannot fail.
        Self::with_overrides(&BTreeMap::new()).unwrap_or_else(|_| Keymap {
            by_key: BTreeMap::new(),
            by_action: BTreeMap::new(),
        })
    }
}

impl Keymap {
    /// Defaults, with each action named in `overrides` rebound to the given keys
    /// (comma-separated specs, e.g. `refresh = "ctrl-r, f5"`). Ctrl-C always quits.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> Result<Keymap, String> {
        for name in overrides.keys() {
            if !Action::ALL.iter().any(|a| a.as_str() == name) {
                return Err(format!("[keys]: unknown action `{name}`"));
            }
        }
        // A key given in `[keys]` wins over another action's default key (a config written
        // before that default existed keeps working); two overrides still clash.
        let claimed: Vec<Key> = overrides
            .values()
            .flat_map(|specs| specs.split(','))
            .filter_map(|s| Key::parse(if s == " " { "space" } else { s.trim() }).ok())
            .collect();
        let mut by_action = BTreeMap::new();
        for action in Action::ALL {
            let keys = match overrides.get(action.as_str()) {
                Some(specs) => specs
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| Key::parse(if s == " " { "space" } else { s.trim() }))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("[keys] {}: {e}", action.as_str()))?,
                None => action
                    .defaults()
                    .iter()
                    .map(|s| Key::parse(s))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .filter(|k| !claimed.contains(k))
                    .collect(),
            };
            by_action.insert(action, keys);
        }
        let mut by_key = BTreeMap::new();
        for (action, keys) in &by_action {
            for key in keys {
                if let Some(other) = by_key.insert(*key, *action) {
                    return Err(format!(
                        "[keys]: `{}` is bound to both {} and {}",
                        key.label(),
                        other.as_str(),
                        action.as_str()
                    ));
                }
            }
        }
        by_key.insert(Key::ctrl('c'), Action::Quit);
        Ok(Keymap { by_key, by_action })
    }

    /// The action bound to a key.
    pub fn action(&self, key: Key) -> Option<Action> {
        self.by_key.get(&key).copied()
    }

    /// The keys of an action.
    pub fn keys(&self, action: Action) -> &[Key] {
        self.by_action
            .get(&action)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first key of an action, as a label (empty when unbound).
    pub fn label(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map(Key::label)
            .unwrap_or_default()
    }

    /// All keys of an action, as `j/↓`.
    pub fn labels(&self, action: Action) -> String {
        self.keys(action)
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join("/")
    }

    /// `key label` pairs for a hint bar, skipping unbound actions.
    pub fn hints(&self, actions: &[(Action, &'static str)]) -> Vec<(String, &'static str)> {
        actions
            .iter()
            .filter_map(|(a, text)| {
                let l = self.label(*a);
                (!l.is_empty()).then_some((l, *text))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        assert_eq!(Key::parse("ctrl-r"), Ok(Key::ctrl('r')));
        assert_eq!(Key::parse("S"), Ok(Key::ch('S')));
        assert_eq!(Key::parse("shift-s"), Ok(Key::ch('S')));
        assert_eq!(Key::parse("f5"), Ok(Key::plain(KeyCode::F(5))));
        assert_eq!(Key::parse("shift-tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert!(Key::parse("hyper-x").is_err());
    }

    #[test]
    fn overrides_rebind_and_detect_clashes() {
        let mut o = BTreeMap::new();
        o.insert("refresh".to_string(), "ctrl-r".to_string());
        let km = Keymap::with_overrides(&o).unwrap();
        assert_eq!(km.action(Key::ctrl('r')), Some(Action::Refresh));
        assert_eq!(km.action(Key::ch('r')), None);
        o.insert("quit".to_string(), "ctrl-r".to_string());
        assert!(Keymap::with_overrides(&o).is_err());
        let mut bad = BTreeMap::new();
        bad.insert("fly".to_string(), "x".to_string());
        assert!(Keymap::with_overrides(&bad).is_err());
    }
}
