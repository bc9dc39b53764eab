//! The `?` help overlay's content and layout: this screen's keys, every key of the keymap in
//! two columns and every `:` command, flowed to the box width. The layout lives here (not in
//! the renderer) so `update` can bound the scroll offset the renderer will show.

use crate::app::input::keymap::Action;
use crate::app::input::palette;
use crate::app::state::AppState;
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
pub fn box_size(screen: (u16, u16), lines: usize) -> (u16, u16) {
    let w = screen.0.min(76);
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
pub fn max_scroll(s: &AppState) -> usize {
    let (shown, total) = visible(s);
    total.saturating_sub(shown)
}

/// Text width inside the box.
pub fn inner_width(screen: (u16, u16)) -> usize {
    usize::from(box_size(screen, 0).0.saturating_sub(2))
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

/// Every help line for a box `width` columns wide inside.
pub fn lines(s: &AppState, width: usize) -> Vec<Vec<Seg>> {
    let mut here: Vec<Vec<Seg>> = Vec::new();
    for (key, text) in s.keymap.hints(&hint_actions(s)) {
        here.push(vec![Seg::Key(key), Seg::Text(format!(" {text}"))]);
    }
    // The heading stays on the first hint's line.
    let head = Seg::Head(format!("{}: ", s.view.title()));
    match here.first_mut() {
        Some(first) => first.insert(0, head),
        None => here.push(vec![head]),
    }
    let mut out = flow(here, " · ", width);
    out.push(Vec::new());
    let all: Vec<(String, &str)> = Action::ALL
        .iter()
        .filter(|a| !(s.settings.read_only && a.is_write()))
        .map(|a| (s.keymap.labels(*a), a.describe()))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    // Two columns: the whole map in 17 lines.
    let half = all.len().div_ceil(2);
    for i in 0..half {
        let mut segs = Vec::new();
        for (key, text) in [all.get(i), all.get(i + half)].into_iter().flatten() {
            segs.push(Seg::Key(format!("  {key:<12}")));
            segs.push(Seg::Text(format!("{text:<20}")));
        }
        out.push(segs);
    }
    let mut cmds = vec![vec![Seg::Head("Commands:".into())]];
    cmds.extend(
        palette::entries()
            .iter()
            .map(|(n, _)| vec![Seg::Dim(format!(":{n}"))]),
    );
    out.extend(flow(cmds, " ", width));
    out
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
