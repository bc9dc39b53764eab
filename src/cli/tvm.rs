//! `recommendations list`, `vulnerabilities list`, `remediation list`: vulnerability
//! management lists.

use crate::api::calls;
use crate::api::model::{Recommendation, RemediationTask, Vulnerability};
use crate::cli::args::ListOnly;
use crate::cli::exit::CliResult;
use crate::cli::output::{Cell, Column, opt, run_list, text};
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

/// Which TVM list.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Recommendations,
    Vulnerabilities,
    Remediation,
}

/// Run one of the TVM lists.
pub async fn run(s: &Session, kind: Kind, cmd: ListOnly) -> CliResult {
    let ListOnly::List { limit } = cmd;
    let (c, f, n) = (&s.client, s.format, limit.limit);
    match kind {
        Kind::Recommendations => {
            run_list(c, f, &calls::recommendations(None), RECOMMENDATIONS, n).await?
        }
        Kind::Vulnerabilities => {
            run_list(c, f, &calls::vulnerabilities(None), VULNERABILITIES, n).await?
        }
        Kind::Remediation => {
            run_list(c, f, &calls::remediation_tasks(None), REMEDIATION, n).await?
        }
    };
    Ok(())
}
