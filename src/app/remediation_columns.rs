//! The columns of an exported remediation activity list, as the portal's "Export" of
//! Remediation › Activities names them. Defined once here (not in the UI) so the console's
//! export and any headless export agree.

use chrono::{DateTime, Utc};

use crate::api::model::RemediationTask;

/// A column: portal header and the cell text of one activity.
pub type PortalColumn = (&'static str, fn(&RemediationTask) -> String);

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

/// Portal CSV columns of remediation activities, in the portal's order.
pub const PORTAL_COLUMNS: &[PortalColumn] = &[
    ("Remediation activity", |r| t(r.title.as_deref())),
    ("Status", |r| t(r.status.as_deref())),
    ("Priority", |r| t(r.priority.as_deref())),
    ("Category", |r| t(r.category.as_deref())),
    ("Remediation type", |r| t(r.task_type.as_deref())),
    ("Related component", |r| t(r.related_component.as_deref())),
    ("Remediation options", |r| {
        t(r.productivity_impact_remediation_type.as_deref())
    }),
    ("Device groups", |r| r.rbac_group_names.join("; ")),
    ("Completed devices", |r| n(r.fixed_devices)),
    ("Total devices", |r| n(r.target_devices)),
    ("Created by", |r| t(r.requester_email.as_deref())),
    ("Created on", |r| time(r.created_on)),
    ("Due date", |r| time(r.due_on)),
    ("Status last modified", |r| time(r.status_last_modified_on)),
    ("Completed by", |r| t(r.completer_email.as_deref())),
    ("Completion method", |r| t(r.completion_method.as_deref())),
    ("Notes", |r| t(r.requester_notes.as_deref())),
    ("Description", |r| t(r.description.as_deref())),
    ("ID", |r| r.id.clone()),
];
