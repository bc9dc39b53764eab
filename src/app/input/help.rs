//! The `?` help overlay's content and layout, generated from the keymap: the open dialog's
//! keys, this screen's keys, then the keys that work everywhere (two columns), those of
//! other views and every `:` command, flowed to the box width. The layout lives here (not in
//! the renderer) so `update` can bound the scroll offset the renderer will show.

use crate::app::input::keymap::{Action, Key, KeyCode};
use crate::app::input::palette;
use crate::app::msg::Command;
use crate::app::state::{AppState, Mode};
use crate::app::{View, tables::columns};

/// One piece of a help line; the renderer picks its style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A section heading (`Devices:`).
    Head(String),
    /// A key label.
    Key(String),
    /// Plain text.
    Text(String),
    /// Secondary text (separators, command names).
    Dim(String),
}

/// The help box's outer width and height in a `w`×`h` screen, given its line count.
pub(crate) fn box_size(screen: (u16, u16), lines: usize) -> (u16, u16) {
    // On a screen of 80 columns or fewer the box takes the whole width: a narrower one would
    // leave slivers of the frames beneath beside it.
    let w = if screen.0 <= 80 { screen.0 } else { 76 };
    let h = (lines as u16).saturating_add(2).min(screen.1);
    (w, h)
}

/// Lines visible at once (the last one of an overflowing box is the "more" hint).
pub fn visible(s: &AppState) -> (usize, usize) {
    let lines = lines(s, inner_width(s.size)).len();
    let (_, h) = box_size(s.size, lines);
    let inner = usize::from(h.saturating_sub(2));
    if lines > inner {
        (inner.saturating_sub(1).max(1), lines)
    } else {
        (inner, lines)
    }
}

/// The largest useful scroll offset.
pub(crate) fn max_scroll(s: &AppState) -> usize {
    let (shown, total) = visible(s);
    total.saturating_sub(shown)
}

/// Text width inside the box.
pub(crate) fn inner_width(screen: (u16, u16)) -> usize {
    // Borders and a cell of padding inside each (the box is drawn padded).
    usize::from(box_size(screen, 0).0.saturating_sub(4))
}

/// Flow items (each a group of segments that stays together) into lines of `width`.
fn flow(items: Vec<Vec<Seg>>, sep: &str, width: usize) -> Vec<Vec<Seg>> {
    let len = |segs: &[Seg]| -> usize {
        segs.iter()
            .map(|s| match s {
                Seg::Head(t) | Seg::Key(t) | Seg::Text(t) | Seg::Dim(t) => t.chars().count(),
            })
            .sum()
    };
    let mut out: Vec<Vec<Seg>> = Vec::new();
    let mut line: Vec<Seg> = Vec::new();
    let mut used = 0;
    for item in items {
        let n = len(&item);
        if !line.is_empty() && used + sep.chars().count() + n > width {
            out.push(std::mem::take(&mut line));
            used = 0;
        }
        if !line.is_empty() {
            line.push(Seg::Dim(sep.to_string()));
            used += sep.chars().count();
        }
        used += n;
        line.extend(item);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

/// The keys of the open dialog (the dry run's among them), as the hint bar shows them: one
/// list, so the hint bar and the help never disagree.
pub(crate) fn dialog_keys(s: &AppState) -> Option<Vec<(String, &'static str)>> {
    let d = s.actions.dialog.as_ref()?;
    let typing = d
        .dialog
        .fields
        .get(d.dialog.focus)
        .is_some_and(|f| f.is_text());
    // `d` types into a text field; ctrl-d is the dry run everywhere.
    let dry = if typing { "ctrl-d" } else { "d/ctrl-d" };
    Some(vec![
        ("enter".into(), "confirm"),
        ("tab".into(), "next field"),
        ("←/→".into(), "choose"),
        (dry.into(), "dry run"),
        ("esc".into(), "cancel"),
    ])
}

/// A key that opens or drives the help: the help's own keys while it is open (over a dialog
/// too), and the help key over an open dialog (a letter only when it would not be typed
/// into a text field; `f1` always). `None` lets the key go on.
pub(crate) fn on_key(s: &mut AppState, key: Key) -> Option<Vec<Command>> {
    if s.mode == Mode::Help {
        let max = max_scroll(s);
        match s.keymap.action(key) {
            Some(Action::Help | Action::Back | Action::Quit) => s.mode = Mode::Normal,
            Some(Action::Down) => s.help_scroll = (s.help_scroll + 1).min(max),
            Some(Action::Up) => s.help_scroll = s.help_scroll.saturating_sub(1),
            Some(Action::PageDown | Action::Bottom) => s.help_scroll = max,
            Some(Action::PageUp | Action::Top) => s.help_scroll = 0,
            _ => {}
        }
        return Some(Vec::new());
    }
    let d = s.actions.dialog.as_ref()?;
    if s.keymap.action(key) != Some(Action::Help) {
        return None;
    }
    let typing = d
        .dialog
        .fields
        .get(d.dialog.focus)
        .is_some_and(|f| f.is_text());
    if typing && matches!(key.code, KeyCode::Char(_)) && !key.ctrl && !key.alt {
        return None;
    }
    s.mode = Mode::Help;
    s.help_scroll = 0;
    Some(Vec::new())
}

/// Every help line for a box `width` columns wide inside: the open dialog's keys, this
/// screen's keys, then the keys that work everywhere, the keys of other views and the `:`
/// commands.
pub fn lines(s: &AppState, width: usize) -> Vec<Vec<Seg>> {
    let mut out = Vec::new();
    if let Some(keys) = dialog_keys(s) {
        let title = s
            .actions
            .dialog
            .as_ref()
            .map(|d| crate::text::line(&d.dialog.title).into_owned())
            .unwrap_or_default();
        out.extend(section(format!("{title}: "), keys, width));
    }
    let here_actions = hint_actions(s);
    let here: Vec<(String, &str)> = here_actions
        .iter()
        .map(|(a, text)| (s.keymap.labels(*a), *text))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    out.extend(section(format!("{}: ", s.view.title()), here, width));
    let shown = |a: &Action| here_actions.iter().any(|(h, _)| h == a);
    let usable = |a: &Action| !(s.settings.read_only && a.is_write());
    let global: Vec<(String, &str)> = Action::ALL
        .iter()
        .filter(|a| a.is_global() && !shown(a) && usable(a))
        .map(|a| (s.keymap.labels(*a), a.describe()))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    out.push(vec![Seg::Head("Everywhere:".into())]);
    // Two columns keep the global keys short.
    let half = global.len().div_ceil(2);
    for i in 0..half {
        let mut segs = Vec::new();
        for (key, text) in [global.get(i), global.get(i + half)].into_iter().flatten() {
            segs.push(Seg::Key(format!("  {key:<12}")));
            segs.push(Seg::Text(format!("{text:<20}")));
        }
        out.push(segs);
    }
    let elsewhere: Vec<(String, &str)> = Action::ALL
        .iter()
        .filter(|a| !a.is_global() && !shown(a) && usable(a))
        .map(|a| (s.keymap.labels(*a), a.describe()))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    if !elsewhere.is_empty() {
        out.extend(section("Other views: ".into(), elsewhere, width));
    }
    let mut cmds = vec![vec![Seg::Head("Commands:".into())]];
    cmds.extend(palette::entries().iter().map(|(n, a)| {
        vec![Seg::Dim(match a.arg() {
            Some(arg) => format!(":{n} {arg}"),
            None => format!(":{n}"),
        })]
    }));
    out.extend(flow(cmds, " ", width));
    out
}

/// A heading and `key text` items flowed to `width`, the heading on the first item's line.
fn section(head: String, keys: Vec<(String, &str)>, width: usize) -> Vec<Vec<Seg>> {
    let mut items: Vec<Vec<Seg>> = keys
        .into_iter()
        .map(|(key, text)| vec![Seg::Key(key), Seg::Text(format!(" {text}"))])
        .collect();
    let head = Seg::Head(head);
    match items.first_mut() {
        Some(first) => first.insert(0, head),
        None => items.push(vec![head]),
    }
    flow(items, " · ", width)
}

/// The actions hinted in the current context (hint bar and help), most useful first.
pub fn hint_actions(s: &AppState) -> Vec<(Action, &'static str)> {
    if crate::app::actions::form::waiting(s) {
        return vec![
            (Action::Open, "send"),
            (Action::Back, "edit"),
            (Action::Down, "scroll"),
            (Action::Copy, "copy text"),
            (Action::Help, "help"),
        ];
    }
    if s.detail.as_ref().is_some_and(|d| d.subject.is_some()) {
        return crate::app::pages::working::hints(s);
    }
    if let Some(d) = &s.detail {
        let mut v = vec![(Action::Down, "scroll")];
        v.push((
            Action::Copy,
            if s.detail_id.is_some() {
                "copy id"
            } else {
                "copy text"
            },
        ));
        if d.link.is_some() {
            v.push((Action::CopyLink, "copy link"));
            v.push((Action::OpenPortal, "portal"));
        }
        v.extend([(Action::Back, "close"), (Action::Help, "help")]);
        return v;
    }
    let mut v = Vec::new();
    if matches!(s.view, View::Checklist(_)) {
        v.push((Action::ToggleDone, "done"));
        v.push((Action::Open, "open"));
    } else if s.focused_table().is_some() {
        v.push((Action::Open, "open"));
        v.extend(crate::app::actions::hints(s));
        if columns::panes(s.view) > 1 {
            v.push((Action::Right, "pane"));
        }
        v.push((Action::Filter, "filter"));
        v.push((Action::Sort, "sort"));
        v.push((Action::Copy, "copy id"));
        v.push((Action::OpenPortal, "portal"));
        v.push((Action::Export, "export"));
        v.push((Action::CopyLink, "copy link"));
    } else {
        v.push((Action::OpenPortal, "portal"));
    }
    v.push((Action::NextView, "next view"));
    v.push((Action::Palette, "command"));
    v.push((Action::Refresh, "refresh"));
    v.push((Action::Help, "help"));
    v.push((Action::Quit, "quit"));
    v
}
