//! Running the digest: one profile (collect, diff against the last stored snapshot, save,
//! render), every profile at once (concurrently, one line each, a failing tenant shown on its
//! line), and offline reads of the last stored snapshot.

use chrono::{DateTime, Duration, Utc};
use futures::future::join_all;

use super::collect::collect;
use super::model::{ListName, Snapshot, fmt_num};
use super::render::{DigestFormat, render, when};
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::store::{SnapshotStore, StoreError};

/// The snapshot a run at `now` compares with: the newest one not after `now` (a re-run at the
/// same instant compares with the run it repeats).
fn previous(
    store: &SnapshotStore,
    profile: &str,
    now: DateTime<Utc>,
) -> Result<Option<Snapshot>, StoreError> {
    match store.latest::<Snapshot>(profile)? {
        Some(s) if s.taken_at <= now => Ok(Some(s)),
        Some(_) => store.previous_before(profile, now),
        None => Ok(None),
    }
}

/// Collect `profile`'s tenant at `now`, compare with its last stored snapshot, store the new
/// one, and render it. Store problems are reported inside the digest, not as failures.
pub async fn run_digest(
    client: &Client,
    store: &SnapshotStore,
    profile: &str,
    tenant: &str,
    now: DateTime<Utc>,
    format: DigestFormat,
) -> Result<String, ApiError> {
    let mut snap = collect(client, profile, tenant, now).await?;
    let prev = match previous(store, profile, now) {
        Ok(p) => p,
        Err(e) => {
            snap.errors.push(format!("previous digest: {e}"));
            None
        }
    };
    if let Err(e) = store.save(profile, &snap) {
        snap.errors.push(format!("saving this digest: {e}"));
    }
    Ok(render(prev.as_ref(), &snap, format))
}

/// One line of the all-profiles view.
pub fn summary_line(s: &Snapshot) -> String {
    format!(
        "{} ({}): {}",
        s.profile,
        s.tenant,
        summary_parts(s).join(" | ")
    )
}

/// The figures of a summary line, one string each (the console's All tenants view too).
pub fn summary_parts(s: &Snapshot) -> Vec<String> {
    let mut parts = Vec::new();
    parts.push(match &s.exposure_score {
        Some(e) => format!("exposure {} {}", fmt_num(e.score), e.level),
        None => "exposure ?".to_string(),
    });
    parts.push(match &s.secure_score {
        Some(x) => format!("Secure Score {}%", fmt_num(x.percent)),
        None => "Secure Score ?".to_string(),
    });
    // A list cut at the digest's cap counts "500+": the tenant has more.
    let count = |list: ListName| {
        let plus = if s.truncated(list).is_some() { "+" } else { "" };
        format!("{}{plus}", s.len_of(list))
    };
    let mut pending = format!("pending {}", count(ListName::PendingActions));
    if !s.pending_investigations.is_empty() {
        pending.push_str(&format!(
            " + {} approval",
            count(ListName::PendingInvestigations)
        ));
    }
    parts.push(pending);
    let [h, m, l, i, o] = s.open_incidents_by_severity();
    let mut inc = format!("incidents H{h} M{m} L{l}");
    if i + o > 0 {
        inc.push_str(&format!(" I{}", i + o));
    }
    if s.truncated(ListName::Incidents).is_some() {
        inc.push_str(&format!(" (of the first {})", s.incidents.len()));
    }
    parts.push(inc);
    parts.push(format!("at risk {}", count(ListName::DevicesAtRisk)));
    if !s.errors.is_empty() {
        parts.push(format!("{} read(s) failed", s.errors.len()));
    }
    parts
}

/// How long one tenant of `digest --all-profiles` may take: a stalled tenant is given up
/// after this, on its own, while the others answer (every request also has its own 30 s
/// timeout; sign-in, ten reads at once and a retry fit well inside).
pub const TENANT_DEADLINE: std::time::Duration = std::time::Duration::from_secs(90);

/// The all-profiles run: one line per tenant (after a header line) and how many failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllRun {
    pub text: String,
    pub failed: usize,
}

/// Query every `(profile, tenant label, client)` concurrently at `now`, each within its own
/// `deadline`, store each snapshot, and return one line per tenant in the order given; a
/// failing or stalled tenant's line shows why and is counted.
pub async fn run_all(
    profiles: Vec<(String, String, Client)>,
    store: &SnapshotStore,
    now: DateTime<Utc>,
    deadline: std::time::Duration,
) -> AllRun {
    let runs = profiles.iter().map(|(profile, tenant, client)| async move {
        match collect_within(client, profile, tenant, now, deadline).await {
            Ok(snap) => {
                let mut line = summary_line(&snap);
                if let Err(e) = store.save(profile, &snap) {
                    line.push_str(&format!(" (not saved: {e})"));
                }
                (line, false)
            }
            Err(e) => (format!("{profile} ({tenant}): FAILED: {e}"), true),
        }
    });
    let lines = join_all(runs).await;
    let mut text = format!("socops digest, {} profile(s), {}\n", lines.len(), when(now));
    let mut failed = 0;
    for (l, f) in lines {
        failed += usize::from(f);
        text.push_str(&l);
        text.push('\n');
    }
    AllRun { text, failed }
}

/// [`collect`] given up after `deadline`: the error says so, naming the wait.
pub async fn collect_within(
    client: &Client,
    profile: &str,
    tenant: &str,
    now: DateTime<Utc>,
    deadline: std::time::Duration,
) -> Result<Snapshot, String> {
    match tokio::time::timeout(deadline, collect(client, profile, tenant, now)).await {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(_) => Err(format!(
            "no answer within {}; gave up on this tenant",
            wait_text(deadline)
        )),
    }
}

fn wait_text(d: std::time::Duration) -> String {
    if d.as_secs() >= 1 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The last stored snapshot of `profile` and its age at `now`.
pub fn offline_snapshot(
    store: &SnapshotStore,
    profile: &str,
    now: DateTime<Utc>,
) -> Result<(Snapshot, Duration), StoreError> {
    match store.latest::<Snapshot>(profile)? {
        Some(s) => {
            let age = now - s.taken_at;
            Ok((s, age))
        }
        None => Err(StoreError::NoSnapshot {
            profile: profile.to_string(),
        }),
    }
}

/// `3d 4h`, `2h 5m`, `7m`.
pub fn age_text(age: Duration) -> String {
    let m = age.num_minutes().max(0);
    let (d, h, m) = (m / 1440, (m / 60) % 24, m % 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else {
        format!("{m}m")
    }
}

/// Render the last stored digest of `profile` without reaching the tenant, compared with the
/// snapshot before it. Text and Markdown start with a line saying how old it is.
pub fn offline_digest(
    store: &SnapshotStore,
    profile: &str,
    now: DateTime<Utc>,
    format: DigestFormat,
) -> Result<String, StoreError> {
    let (snap, age) = offline_snapshot(store, profile, now)?;
    let prev = store.previous_before(profile, snap.taken_at)?;
    let body = render(prev.as_ref(), &snap, format);
    let note = format!(
        "Offline: the digest of {} ({} ago); nothing was read from the tenant.",
        when(snap.taken_at),
        age_text(age)
    );
    Ok(match format {
        DigestFormat::Json => body,
        DigestFormat::Text => format!("{note}\n\n{body}"),
        DigestFormat::Markdown => format!("_{note}_\n\n{body}"),
    })
}
