//! Where the analyst is and how they got there: the back stack `Esc` pops, the breadcrumb
//! the titles show (`Daily › Devices at risk › srv-sql-02`), and the moves between views
//! (open pushes, a cadence key starts over, tab moves sideways).

use crate::app::msg::Command;
use crate::app::state::AppState;
use crate::app::steps::show;
use crate::app::view::{Cadence, View};

/// How many places `Esc` can go back through.
const DEPTH: usize = 32;

/// Open `view` from the current one: the current view goes on the back stack. Opening a
/// view already on the stack returns to it (the stack never loops).
pub(crate) fn go(s: &mut AppState, view: View) -> Vec<Command> {
    if view != s.view {
        match s.back.iter().position(|v| *v == view) {
            Some(i) => s.back.truncate(i),
            None => {
                s.back.push(s.view);
                if s.back.len() > DEPTH {
                    s.back.remove(0);
                }
            }
        }
    }
    show(s, view)
}

/// A cadence key: that routine's checklist, with an empty back stack.
pub(crate) fn home(s: &mut AppState, cadence: Cadence) -> Vec<Command> {
    s.back.clear();
    show(s, View::Checklist(cadence))
}

/// Tab / shift-tab: the next view of the tab in place of this one (the stack is unchanged,
/// so `Esc` still returns to where the analyst came from).
pub(crate) fn sideways(s: &mut AppState, view: View) -> Vec<Command> {
    if s.back.last() == Some(&view) {
        s.back.pop();
    }
    show(s, view)
}

/// `Esc` in a view: back to the previous place; with an empty stack, the tab's checklist.
/// Returns `None` when there is nowhere to go (already on a checklist home).
pub(crate) fn back(s: &mut AppState) -> Option<Vec<Command>> {
    if let Some(prev) = s.back.pop() {
        return Some(show(s, prev));
    }
    match s.view {
        View::Checklist(_) => None,
        v => Some(show(s, View::Checklist(v.cadence()))),
    }
}

/// The names of the places on the path to here, the root cadence first and the open
/// detail last (`["Daily", "Devices at risk", "srv-sql-02"]`).
pub fn breadcrumb(s: &AppState) -> Vec<String> {
    let root = s.back.first().copied().unwrap_or(s.view).cadence();
    let mut out = vec![root.title().to_string()];
    for v in s.back.iter().chain(std::iter::once(&s.view)) {
        let name = match v {
            View::Checklist(c) if *c == root => continue,
            View::Checklist(c) => c.title(),
            other => other.title(),
        };
        if out.last().map(String::as_str) != Some(name) {
            out.push(name.to_string());
        }
    }
    for (d, _) in &s.detail_back {
        out.push(d.title.clone());
    }
    if let Some(d) = &s.detail {
        out.push(d.title.clone());
    }
    out
}

/// The crumbs before the view on screen, as a title prefix (`Daily › `), at most `max`
/// characters (older crumbs give way to `… › `). Empty on a checklist home.
pub fn prefix(s: &AppState, max: usize) -> String {
    let mut crumbs = breadcrumb(s);
    if s.detail.is_some() {
        crumbs.pop();
    }
    // The last crumb is the view on screen: its own title follows the prefix.
    crumbs.pop();
    fit(crumbs, max, true)
}

/// The whole breadcrumb as one title of at most `max` characters, the oldest crumbs giving
/// way first (`… › Devices at risk › srv-sql-02`).
pub fn title(s: &AppState, max: usize) -> String {
    fit(breadcrumb(s), max, false)
}

fn fit(mut crumbs: Vec<String>, max: usize, trailing: bool) -> String {
    let join = |c: &[String], cut: bool| {
        let mut t = if cut {
            "… › ".to_string()
        } else {
            String::new()
        };
        t.push_str(&c.join(" › "));
        if trailing && !c.is_empty() {
            t.push_str(" › ");
        }
        t
    };
    let mut cut = false;
    let mut text = join(&crumbs, cut);
    while text.chars().count() > max && crumbs.len() > 1 {
        crumbs.remove(0);
        cut = true;
        text = join(&crumbs, cut);
    }
    if text.chars().count() > max && trailing {
        return String::new();
    }
    text
}
