//! The columns of the record lists that both the headless lists and the console's export
//! write, declared once. A column is a header and a function of the typed record; the
//! services' quirks are handled in `api::model`, once.

use crate::api::model::{GraphAlert, Incident, Indicator, Machine};
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
