//! "Since last run": the previous session's snapshot (read by the runtime at start), the
//! snapshot of this session built from loaded data, the row marks (`+` new, `~` changed) and
//! the lines of the Daily checklist's panel. Saved once per session, when its data is in.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};

use crate::api::model::ActionStatus;
use crate::app::data::session_digest;
use crate::app::msg::Command;
use crate::app::state::AppState;
use crate::digest::model::fmt_num;
use crate::digest::{RowMark, Snapshot, changes, row_marks};

/// The since-last-run state of a session.
#[derive(Debug, Clone, Default)]
pub struct Since {
    /// Snapshots are kept (a profile and data dir are known); off in tests unless set.
    pub enabled: bool,
    /// Profile the snapshots are filed under.
    pub profile: String,
    /// The newest snapshot before this session.
    pub previous: Option<Snapshot>,
    /// This session's snapshot, rebuilt as data loads.
    pub current: Option<Snapshot>,
    /// Row id -> mark.
    pub marks: HashMap<String, RowMark>,
    /// Lines of the panel.
    pub lines: Vec<String>,
    /// This session's snapshot was handed to the runtime to save.
    pub saved: bool,
    /// Rows opened this session (id -> the incident's last update then): their `+`/`~`
    /// mark is spent until the record changes again.
    pub seen: HashMap<String, Option<DateTime<Utc>>>,
}

impl Since {
    /// The character a row gets: `+` new, `~` changed, space otherwise.
    pub fn mark(&self, id: &str) -> char {
        match self.marks.get(id) {
            Some(RowMark::New) => '+',
            Some(RowMark::Changed) => '~',
            None => ' ',
        }
    }
}

/// The panel title: `Since last run (yesterday 07:58)`, or since yesterday on a first run.
pub fn title(s: &AppState) -> String {
    match &s.since.previous {
        Some(p) => format!(
            "Since last run ({})",
            when(p.taken_at, s.now, s.settings.offset)
        ),
        None => "Since yesterday (first run)".to_string(),
    }
}

/// `07:58` today, `yesterday 07:58`, else `Mon 23 Nov 07:58`.
pub fn when(t: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset) -> String {
    let (lt, ln) = (t.with_timezone(&offset), now.with_timezone(&offset));
    let days = (ln.date_naive() - lt.date_naive()).num_days();
    match days {
        0 => format!("today {}", lt.format("%H:%M")),
        1 => format!("yesterday {}", lt.format("%H:%M")),
        _ => lt.format("%a %d %b %H:%M").to_string(),
    }
}

/// A time to the second in `offset`: `08:12:05` today, `yesterday 08:12:05`, else
/// `Mon 23 Nov 08:12:05` (the `:errors` view says when each error happened).
pub fn clock(t: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset) -> String {
    let (lt, ln) = (t.with_timezone(&offset), now.with_timezone(&offset));
    match (ln.date_naive() - lt.date_naive()).num_days() {
        0 => lt.format("%H:%M:%S").to_string(),
        1 => format!("yesterday {}", lt.format("%H:%M:%S")),
        _ => lt.format("%a %d %b %H:%M:%S").to_string(),
    }
}

/// Rebuild this session's snapshot, the marks and the panel from the loaded data.
pub(crate) fn recompute(s: &mut AppState) {
    let cur = session_digest::from_state(s, &s.since.profile.clone(), s.now);
    s.since.marks = row_marks(s.since.previous.as_ref(), &cur);
    forget_seen_marks(s);
    s.since.lines = lines(s, s.since.previous.as_ref(), &cur);
    s.since.current = Some(cur);
}

/// The incident's last update, the version a seen mark is kept for.
fn version(s: &AppState, id: &str) -> Option<DateTime<Utc>> {
    s.data
        .incidents
        .data()?
        .iter()
        .find(|i| i.id == id)?
        .last_update_date_time
}

/// Opened rows lose their mark; one that changed since it was opened gets it back, unless
/// the change is this console's own triage (its re-read is on the way).
fn forget_seen_marks(s: &mut AppState) {
    let ids: Vec<String> = s.since.seen.keys().cloned().collect();
    for id in ids {
        let now = version(s, &id);
        let then = s.since.seen.get(&id).copied().flatten();
        if now.is_some() && then.is_some() && now != then {
            if s.actions.triage_pending.contains(&id) {
                s.since.seen.insert(id.clone(), now);
            } else {
                s.since.seen.remove(&id);
                continue;
            }
        }
        s.since.marks.remove(&id);
    }
}

/// Enter opened the row `id`: its new/changed mark goes until the record changes again.
pub fn opened(s: &mut AppState, id: &str) {
    let v = version(s, id);
    s.since.seen.insert(id.to_string(), v);
    s.since.marks.remove(id);
    for t in s.tables.values_mut() {
        let hit: Vec<usize> = (0..t.rows.len()).filter(|&i| t.rows.id(i) == id).collect();
        for i in hit {
            t.rows.set_mark(i, ' ');
        }
    }
}

/// After a load: the save command once the snapshot's data is all in (once per session).
pub(crate) fn after_load(s: &mut AppState) -> Vec<Command> {
    if !s.since.enabled || s.since.saved || !session_digest::ready(s) {
        return Vec::new();
    }
    s.since.saved = true;
    // Rebuilt now so load errors that arrived last are in the saved snapshot.
    recompute(s);
    match &s.since.current {
        Some(snap) => vec![Command::SaveSnapshot(Box::new(snap.clone()))],
        None => Vec::new(),
    }
}

/// The panel's lines: new incidents, devices newly at high risk, actions that finished,
/// score moves.
pub fn lines(s: &AppState, prev: Option<&Snapshot>, cur: &Snapshot) -> Vec<String> {
    use crate::digest::ChangeKind as K;
    let ch = changes(prev, cur);
    let mut out = Vec::new();
    let new_inc: Vec<_> = ch.iter().filter(|c| c.kind == K::NewIncident).collect();
    let high = new_inc
        .iter()
        .filter(|c| c.severity.as_deref() == Some("high"))
        .count();
    let incidents = &s.data.incidents;
    out.push(match new_inc.len() {
        _ if incidents.error().is_some() => format!(
            "! incidents unavailable: {}",
            incidents
                .error()
                .map(|e| e.text.as_str())
                .unwrap_or_default()
        ),
        0 if incidents.data().is_none() => "  incidents loading…".to_string(),
        0 => "  no new incidents".to_string(),
        n => format!(
            "+ {n} incident{} ({high} High)",
            if n == 1 { "" } else { "s" }
        ),
    });
    if let Some(p) = prev {
        let newly: Vec<&str> = cur
            .devices_at_risk
            .iter()
            .filter(|d| d.risk_score == "High")
            .filter(|d| {
                !p.devices_at_risk
                    .iter()
                    .any(|o| o.id == d.id && o.risk_score == "High")
            })
            .map(|d| d.name.as_str())
            .collect();
        if !newly.is_empty() {
            out.push(format!(
                "+ {} device{} at high risk: {}",
                newly.len(),
                if newly.len() == 1 { "" } else { "s" },
                newly.join(", ")
            ));
        }
        // Score moves, with the direction of the figure (exposure: lower is better).
        if let (Some(a), Some(b)) = (&p.secure_score, &cur.secure_score) {
            out.push(arrow(
                "Secure Score",
                b.percent - a.percent,
                format!("{}%", fmt_num(b.percent)),
            ));
        }
        if let (Some(a), Some(b)) = (&p.exposure_score, &cur.exposure_score) {
            out.push(arrow(
                "Exposure",
                b.score - a.score,
                format!("{} {}", fmt_num(b.score), b.level),
            ));
        }
        // Actions pending last time that have ended since, with how they ended.
        let all: HashMap<&str, _> = s
            .data
            .machine_actions
            .data()
            .map(|v| v.iter().map(|a| (a.id.as_str(), a)).collect())
            .unwrap_or_default();
        for old in &p.pending_actions {
            if cur.pending_actions.iter().any(|a| a.id == old.id) {
                continue;
            }
            let Some(a) = all.get(old.id.as_str()) else {
                continue;
            };
            let who = a
                .requestor
                .as_deref()
                .map(|r| r.split('@').next().unwrap_or(r));
            let at = a.last_update().map(|t| {
                t.with_timezone(&s.settings.offset)
                    .format("%H:%M")
                    .to_string()
            });
            let by = match (who, at) {
                (Some(w), Some(t)) => format!(" ({w}, {t})"),
                (None, Some(t)) => format!(" ({t})"),
                _ => String::new(),
            };
            let (sym, word) = match a.status {
                Some(ActionStatus::Succeeded) => ('✓', "succeeded"),
                Some(ActionStatus::Failed) => ('✗', "failed"),
                Some(ActionStatus::TimeOut) => ('✗', "timed out"),
                Some(ActionStatus::Cancelled) => ('✗', "was cancelled"),
                _ => continue,
            };
            out.push(format!(
                "{sym} {} {} {word}{by}",
                old.action_type, old.device
            ));
        }
    }
    // Failed actions not already listed above, on one line (they can be many).
    let failed: Vec<String> = cur
        .failed_actions
        .iter()
        .filter(|a| ch.iter().any(|c| c.kind == K::ActionFailed && c.id == a.id))
        .filter(|a| !p_listed(prev, &a.id))
        .map(|a| format!("{} {} ({})", a.action_type, a.device, a.status))
        .collect();
    match failed.len() {
        0 => {}
        1 => out.push(format!("✗ {} failed", failed[0])),
        n => out.push(format!("✗ {n} actions failed: {}", failed.join(", "))),
    }
    out
}

/// Whether an action was pending in the previous snapshot (then it has its own line).
fn p_listed(prev: Option<&Snapshot>, id: &str) -> bool {
    prev.is_some_and(|p| p.pending_actions.iter().any(|a| a.id == id))
}

fn arrow(label: &str, delta: f64, now: String) -> String {
    if delta.abs() < 0.05 {
        format!("= {label} {now} (no change)")
    } else if delta > 0.0 {
        format!("▲ {label} {now} (+{})", fmt_num(delta))
    } else {
        format!("▼ {label} {now} (-{})", fmt_num(-delta))
    }
}
