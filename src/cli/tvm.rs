//! `recommendations list`, `vulnerabilities list`, `remediation list`: vulnerability
//! management lists.

use crate::api::calls;
use crate::api::model::{Recommendation, RemediationTask, Vulnerability};
use crate::cli::args::ListOnly;
use crate::cli::exit::CliResult;
use crate::cli::list::{ListQuery, list};
use crate::cli::output::{Cell, Column, Format, opt, text};
use crate::cli::session::Session;

/// Columns of the recommendation table and CSV.
pub const RECOMMENDATIONS: &[Column<Recommendation>] = &[
    ("ID", |r| r.id.as_str().into()),
    ("RECOMMENDATION", |r| r.display_name().into()),
    ("CATEGORY", |r| text(r.recommendation_category.as_deref())),
    ("SEVERITY", |r| opt(r.severity_score)),
    ("EXPOSED", |r| opt(r.exposed_machines_count)),
    ("STATUS", |r| text(r.status.as_deref())),
];

/// Columns of the vulnerability table and CSV.
pub const VULNERABILITIES: &[Column<Vulnerability>] = &[
    ("ID", |v| v.id.as_str().into()),
    ("SEVERITY", |v| opt(v.severity.as_ref())),
    ("CVSS", |v| opt(v.cvss_v3)),
    ("EXPOSED", |v| opt(v.exposed_machines)),
    ("EXPLOIT", |v| opt(v.public_exploit)),
    ("PUBLISHED", |v| Cell::Time(v.published_on)),
    ("NAME", |v| text(v.name.as_deref())),
];

/// Columns of the remediation activity table and CSV.
pub const REMEDIATION: &[Column<RemediationTask>] = &[
    ("ID", |r| r.id.as_str().into()),
    ("TITLE", |r| text(r.title.as_deref())),
    ("STATUS", |r| text(r.status.as_deref())),
    ("PRIORITY", |r| text(r.priority.as_deref())),
    ("DUE", |r| Cell::Time(r.due_on)),
    ("TARGET", |r| opt(r.target_devices)),
    ("FIXED", |r| opt(r.fixed_devices)),
];

/// Columns of the remediation activity CSV export (`remediation list --csv`), in the style of
/// the portal's "Export" of remediation activities. The exact portal header set is INFERRED
/// (Microsoft documents no export format; the fields are the API's, research §4.9): readable
/// headers first in the portal's order, then the device groups and the activity id so a row
/// can be traced back to the API.
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

/// Which TVM list.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Recommendations,
    Vulnerabilities,
    Remediation,
}

fn query<'a, T>(
    resource: &'static str,
    columns: &'a [Column<T>],
    limit: Option<usize>,
) -> ListQuery<'a, T> {
    ListQuery {
        resource,
        columns,
        fields: Vec::new(),
        raw_filter: None,
        limit,
    }
}

/// Run one of the TVM lists.
pub async fn run(s: &Session, kind: Kind, cmd: ListOnly) -> CliResult {
    let ListOnly::List { limit } = cmd;
    let n = limit.limit;
    match kind {
        Kind::Recommendations => {
            let q = query("recommendations", RECOMMENDATIONS, n);
            list(s, q, calls::recommendations).await
        }
        Kind::Vulnerabilities => {
            let q = query("vulnerabilities", VULNERABILITIES, n);
            list(s, q, calls::vulnerabilities).await
        }
        Kind::Remediation => {
            // The CSV is the export: the portal-style columns; the table stays narrow.
            let columns = if s.format == Format::Csv {
                REMEDIATION_EXPORT
            } else {
                REMEDIATION
            };
            list(
                s,
                query("remediation", columns, n),
                calls::remediation_tasks,
            )
            .await
        }
    }
}
