//! The columns of an exported remediation activity list, as the portal's "Export" of
//! Remediation › Activities names them. Defined once here (not in the UI) so the console's
//! export and any headless export agree.

use chrono::{DateTime, Utc};

use crate::api::model::RemediationTask;

/// A column: portal header and the cell text of one activity.
pub(crate) type PortalColumn = (&'static str, fn(&RemediationTask) -> String);

fn t(v: Option<&str>) -> String {
    v.unwrap_or("").to_string()
}

fn time(v: Option<DateTime<Utc>>) -> String {
    v.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn n(v: Option<i64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Portal CSV columns of remediation activities, in the portal's order. The exact portal
/// header set is INFERRED (Microsoft documents no export format; the fields are the API's,
/// research §4.9): readable headers first in the portal's order, then the device groups and
/// the activity id so a row can be traced back to the API. The console's `e` export and the
/// headless `remediation list --csv` both use this list.
pub(crate) const PORTAL_COLUMNS: &[PortalColumn] = &[
    ("Remediation activity", |r| t(r.title.as_deref())),
    ("Status", |r| t(r.status.as_deref())),
    ("Priority", |r| t(r.priority.as_deref())),
    ("Created by", |r| {
        t(r.requester_email.as_deref().or(r.requester_id.as_deref()))
    }),
    ("Created on", |r| time(r.created_on)),
    ("Due date", |r| time(r.due_on)),
    ("Category", |r| t(r.category.as_deref())),
    ("Remediation type", |r| t(r.task_type.as_deref())),
    ("Related component", |r| t(r.related_component.as_deref())),
    ("Remediation options", |r| {
        t(r.productivity_impact_remediation_type.as_deref())
    }),
    ("Exposed devices", |r| n(r.target_devices)),
    ("Completed devices", |r| n(r.fixed_devices)),
    ("Completed by", |r| {
        t(r.completer_email.as_deref().or(r.completer_id.as_deref()))
    }),
    ("Completion method", |r| t(r.completion_method.as_deref())),
    ("Requester notes", |r| t(r.requester_notes.as_deref())),
    ("Description", |r| t(r.description.as_deref())),
    ("Status last modified on", |r| {
        time(r.status_last_modified_on)
    }),
    ("Device groups", |r| r.rbac_group_names.join("; ")),
    ("Activity ID", |r| r.id.clone()),
];
