//! The columns of the record lists that both the headless lists and the console's export
//! write, declared once. A column is a header and a function of the typed record; the
//! services' quirks are handled in `api::model`, once.

use crate::api::model::{
    GraphAlert, Incident, Indicator, Machine, Recommendation, RemediationTask, impact_text,
};
use crate::listing::{Cell, Column, opt, text};

/// Devices (`devices list`; the console's Devices, Devices at risk and Exposure devices
/// views). The name comes first and the 40-hex id last, shortened in a table (whole in CSV and
/// JSON) so a 120-column terminal fits a row.
pub const DEVICES: &[Column<Machine>] = &[
    ("NAME", |m| m.display_name().into()),
    ("OS", |m| text(m.os_platform.as_deref())),
    ("HEALTH", |m| opt(m.health_status.as_ref())),
    ("RISK", |m| opt(m.risk_score.as_ref())),
    ("EXPOSURE", |m| opt(m.exposure_level.as_ref())),
    ("AV", |m| opt(m.defender_av_status.as_ref())),
    ("SEEN", |m| Cell::Age(m.last_seen)),
    ("IP", |m| text(m.last_ip_address.as_deref())),
    ("ID", |m| Cell::short_id(&m.id, 8)),
];

/// Incidents (`incidents list`; the console's Incidents view).
pub const INCIDENTS: &[Column<Incident>] = &[
    ("ID", |i| i.id.as_str().into()),
    ("SEVERITY", |i| opt(i.severity.as_ref())),
    ("STATUS", |i| opt(i.status.as_ref())),
    ("NAME", |i| text(i.display_name.as_deref())),
    ("ASSIGNED", |i| text(i.assigned_to.as_deref())),
    ("UPDATED", |i| Cell::Age(i.last_update_date_time)),
];

/// Graph alerts (`alerts list`; the console's Alerts view holds the MDE alerts, another list).
pub const ALERTS: &[Column<GraphAlert>] = &[
    ("ID", |a| a.id.as_str().into()),
    ("SEVERITY", |a| opt(a.severity.as_ref())),
    ("STATUS", |a| opt(a.status.as_ref())),
    ("TITLE", |a| text(a.title.as_deref())),
    ("INCIDENT", |a| text(a.incident_id.as_deref())),
    ("SOURCE", |a| text(a.service_source.as_deref())),
    ("CREATED", |a| Cell::Time(a.created_date_time)),
];

/// Indicators (`indicators list`; the console's Indicators view).
pub const INDICATORS: &[Column<Indicator>] = &[
    ("ID", |i| i.id.as_str().into()),
    ("TYPE", |i| opt(i.indicator_type.as_ref())),
    ("VALUE", |i| text(i.indicator_value.as_deref())),
    ("ACTION", |i| opt(i.action.as_ref())),
    ("SEVERITY", |i| opt(i.severity.as_ref())),
    ("TITLE", |i| text(i.title.as_deref())),
    ("CREATED", |i| Cell::Time(i.creation_time_date_time_utc)),
];

/// Security recommendations (`recommendations list`; the console's Recommendations view).
pub const RECOMMENDATIONS: &[Column<Recommendation>] = &[
    ("ID", |r| r.id.as_str().into()),
    ("IMPACT", |r| impact_text(r.impact()).into()),
    ("CONFIG", |r| {
        r.config_score_impact
            .filter(|c| *c > 0.0)
            .map_or(Cell::Text(String::new()), |c| {
                format!("+{}", impact_text(c)).into()
            })
    }),
    ("RECOMMENDATION", |r| r.display_name().into()),
    ("CATEGORY", |r| text(r.recommendation_category.as_deref())),
    ("SEVERITY", |r| text(r.severity_text().as_deref())),
    ("EXPOSED", |r| opt(r.exposed_machines_count)),
    ("STATUS", |r| text(r.status.as_deref())),
];

/// Remediation activities in a table (`remediation list`): narrow enough for a terminal. Their
/// CSV is [`REMEDIATION_EXPORT`].
pub const REMEDIATION: &[Column<RemediationTask>] = &[
    ("ID", |r| r.id.as_str().into()),
    ("TITLE", |r| text(r.title.as_deref())),
    ("STATUS", |r| text(r.status.as_deref())),
    ("PRIORITY", |r| text(r.priority.as_deref())),
    ("DUE", |r| Cell::Time(r.due_on)),
    ("TARGET", |r| opt(r.target_devices)),
    ("FIXED", |r| opt(r.fixed_devices)),
];

/// Remediation activities exported (`remediation list --csv`; the console's `e` on the
/// Remediation view), with the columns of the portal's "Export" of Remediation › Activities,
/// in its order. The exact portal header set is INFERRED (Microsoft documents no export
/// format; the fields are the API's, research §4.9): readable headers first, then the device
/// groups and the activity id so a row can be traced back to the API.
pub const REMEDIATION_EXPORT: &[Column<RemediationTask>] = &[
    ("Remediation activity", |r| text(r.title.as_deref())),
    ("Status", |r| text(r.status.as_deref())),
    ("Priority", |r| text(r.priority.as_deref())),
    ("Created by", |r| {
        text(r.requester_email.as_deref().or(r.requester_id.as_deref()))
    }),
    ("Created on", |r| Cell::Time(r.created_on)),
    ("Due date", |r| Cell::Time(r.due_on)),
    ("Category", |r| text(r.category.as_deref())),
    ("Remediation type", |r| text(r.task_type.as_deref())),
    ("Related component", |r| {
        text(r.related_component.as_deref())
    }),
    ("Remediation options", |r| {
        text(r.productivity_impact_remediation_type.as_deref())
    }),
    ("Exposed devices", |r| opt(r.target_devices)),
    ("Completed devices", |r| opt(r.fixed_devices)),
    ("Completed by", |r| {
        text(r.completer_email.as_deref().or(r.completer_id.as_deref()))
    }),
    ("Completion method", |r| {
        text(r.completion_method.as_deref())
    }),
    ("Requester notes", |r| text(r.requester_notes.as_deref())),
    ("Description", |r| text(r.description.as_deref())),
    ("Status last modified on", |r| {
        Cell::Time(r.status_last_modified_on)
    }),
    ("Device groups", |r| r.rbac_group_names.join("; ").into()),
    ("Activity ID", |r| r.id.as_str().into()),
];
