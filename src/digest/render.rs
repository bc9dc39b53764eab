//! Render a digest: plain text (short lines, no box drawing or colour, readable in a mail or
//! a chat), Markdown, or JSON. Text and Markdown share one outline of sections ([`super::outline`]);
//! the JSON shape lives in [`super::render_json`].

use chrono::{DateTime, Utc};

use super::diff::changes;
use super::model::Snapshot;
use super::outline::{Outline, outline};
use super::render_json;
use crate::text::line as safe;

/// Output form of a digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DigestFormat {
    #[default]
    Text,
    Markdown,
    Json,
}

/// Render `cur` against `prev` (the last digest of the profile, if any).
pub fn render(prev: Option<&Snapshot>, cur: &Snapshot, format: DigestFormat) -> String {
    let changes = changes(prev, cur);
    match format {
        DigestFormat::Json => render_json::render_json(prev, cur, &changes),
        DigestFormat::Text => to_text(&outline(prev, cur, &changes)),
        DigestFormat::Markdown => to_markdown(&outline(prev, cur, &changes)),
    }
}

/// `2026-03-01 07:00 UTC`.
pub fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn to_text(o: &Outline) -> String {
    // Every outline line can carry tenant text (incident titles, device names): one line
    // each, through the terminal-safe filter, so a title cannot add lines or escape codes.
    let mut out = format!("{}\n", safe(&o.title));
    for l in &o.lead {
        out.push_str(&format!("{}\n", safe(l)));
    }
    for (title, items) in &o.sections {
        out.push_str(&format!("\n{}:\n", safe(title)));
        if items.is_empty() {
            out.push_str("  none\n");
        }
        for i in items {
            out.push_str(&format!("- {}\n", safe(i)));
        }
    }
    out
}

/// Markdown text that cannot start markup by accident (titles come from the tenant), on one
/// terminal-safe line.
fn md_escape(s: &str) -> String {
    let s = safe(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn to_markdown(o: &Outline) -> String {
    let mut out = format!("# {}\n\n", md_escape(&o.title));
    for l in &o.lead {
        out.push_str(&format!("{}  \n", md_escape(l)));
    }
    for (title, items) in &o.sections {
        out.push_str(&format!("\n## {}\n\n", md_escape(title)));
        if items.is_empty() {
            out.push_str("_none_\n");
        }
        for i in items {
            out.push_str(&format!("- {}\n", md_escape(i)));
        }
    }
    out
}
