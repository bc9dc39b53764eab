//! Rebuilding what the views show from the data: table rows, checklist figures and summaries.
//! Runs in `update` when a resource loads, never per frame.

use crate::app::state::{AppState, TableId};
use crate::app::tables::table::Row;
use crate::app::view::{ResourceKind, View};

/// Curated Learn items: (title, what it is, portal path).
pub(crate) const LEARN: [(&str, &str, &str); 6] = [
    (
        "Evaluation & tutorials",
        "Guided tutorials that walk through Defender features",
        "/tutorials/all",
    ),
    (
        "Attack simulations",
        "Run a simulated attack on a test device and follow the alerts",
        "/tutorials/simulations",
    ),
    (
        "Learning hub",
        "Microsoft's training paths for the Defender portal",
        "/learning-hub",
    ),
    (
        "Threat analytics",
        "Microsoft's reports on active threats and your exposure to them",
        "/threatanalytics3",
    ),
    (
        "Security reports",
        "The portal's report pages (device health, threat protection)",
        "/securityreports",
    ),
    (
        "Vulnerability dashboard",
        "Defender Vulnerability Management overview",
        "/tvm_dashboard",
    ),
];

/// Tables that do not depend on loaded data.
pub(crate) fn rebuild_static(s: &mut AppState) {
    let portal = s.settings.portal.trim_end_matches('/').to_string();
    let rows = LEARN
        .iter()
        .map(|(title, what, path)| {
            let link = format!("{portal}{path}");
            Row::new(link.clone(), vec![title.to_string(), what.to_string()]).link(Some(link))
        })
        .collect();
    set(s, TableId::Learn, rows);
    rebuild_errors(s);
}

/// The `:errors` table, newest first: when each happened (the clock time in the profile's
/// zone; for a repeated error the first and the latest time, and how often).
pub(crate) fn rebuild_errors(s: &mut AppState) {
    let clock = |t| crate::app::tables::since::clock(t, s.now, s.settings.offset);
    let rows = s
        .errors
        .iter()
        .enumerate()
        .rev()
        .map(|(i, e)| {
            Row::new(
                e.error
                    .correlation_id
                    .clone()
                    .unwrap_or_else(|| format!("error-{i}")),
                vec![
                    if e.count > 1 && e.first < e.at {
                        // The first and the latest time of a repeated error.
                        let day = |t: chrono::DateTime<chrono::Utc>| {
                            t.with_timezone(&s.settings.offset).date_naive()
                        };
                        let to = if day(e.first) == day(e.at) {
                            e.at.with_timezone(&s.settings.offset)
                                .format("%H:%M:%S")
                                .to_string()
                        } else {
                            clock(e.at)
                        };
                        format!("{}–{to}", clock(e.first))
                    } else {
                        clock(e.at)
                    },
                    if e.count > 1 {
                        format!("{} ×{}", e.what, e.count)
                    } else {
                        e.what.clone()
                    },
                    e.error.code.clone().unwrap_or_default(),
                    e.error.text.clone(),
                    e.error.correlation_id.clone().unwrap_or_else(|| "—".into()),
                ],
            )
            .rank(0, e.at.timestamp())
        })
        .collect();
    set(s, TableId::Errors, rows);
}

/// Replace a table's rows.
pub fn set(s: &mut AppState, id: TableId, rows: Vec<Row>) {
    set_with(s, id, |_, push| rows.into_iter().for_each(push));
}

/// Replace a table's rows with those `fill` makes from the state and hands to `push`, one
/// at a time (a table of 100,000 devices is never held twice, as built rows and as stored
/// ones).
pub(crate) fn set_with(
    s: &mut AppState,
    id: TableId,
    fill: impl FnOnce(&AppState, &mut dyn FnMut(Row)),
) {
    let Some(mut t) = s.tables.remove(&id) else {
        return;
    };
    let mut b = t.builder();
    {
        let s: &AppState = s;
        let marked = !s.since.marks.is_empty();
        fill(s, &mut |mut r: Row| {
            if marked {
                r.mark = s.since.mark(&r.id);
            }
            b.push(r);
        });
    }
    t.set_built(b.finish());
    s.tables.insert(id, t);
}

/// Rebuild whatever depends on a resource that just loaded.
pub fn rebuild(s: &mut AppState, kind: ResourceKind) {
    // Marks first: the rows built next carry them.
    if s.since.enabled && crate::app::data::session_digest::RESOURCES.contains(&kind) {
        crate::app::tables::since::recompute(s);
    }
    crate::app::tables::rows::rebuild(s, kind);
    crate::app::data::figures::compute(s);
}

/// The portal page of the view on screen (for `o` when no row has a link).
pub(crate) fn view_link(s: &AppState) -> String {
    let portal = s.settings.portal.trim_end_matches('/');
    let path = match s.view {
        View::Exposure => "/tvm_dashboard",
        View::ActionCenter if s.pane() == 1 => "/action-center/history",
        View::ActionCenter => "/action-center/pending",
        View::DevicesAtRisk | View::Devices => "/machines",
        View::Incidents => "/incidents",
        View::Alerts => "/alerts",
        View::SecureScore => "/securescore",
        View::DeviceScore if s.pane() == 1 => "/remediation",
        View::DeviceScore => "/security-recommendations",
        View::Reports => "/securityreports",
        View::Learn => "/learning-hub",
        View::Threats => "/threatanalytics3",
        View::Indicators => "/preferences2/custom_ti_indicators",
        View::Checklist(_) | View::Errors | View::Tenants => "/homepage",
    };
    format!("{portal}{path}")
}
