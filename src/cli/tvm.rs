//! `recommendations list`, `vulnerabilities list`, `remediation list`: vulnerability
//! management lists.

use serde_json::Value;

use crate::api::calls;
use crate::cli::args::ListOnly;
use crate::cli::exit::CliResult;
use crate::cli::output::{Column, cell, run_list};
use crate::cli::session::Session;

/// Columns of the recommendation table and CSV.
pub const RECOMMENDATIONS: &[Column<Value>] = &[
    ("ID", |v| cell(v, "id")),
    ("RECOMMENDATION", |v| cell(v, "recommendationName")),
    ("CATEGORY", |v| cell(v, "recommendationCategory")),
    ("SEVERITY", |v| cell(v, "severityScore")),
    ("EXPOSED", |v| cell(v, "exposedMachinesCount")),
    ("STATUS", |v| cell(v, "status")),
];

/// Columns of the vulnerability table and CSV.
pub const VULNERABILITIES: &[Column<Value>] = &[
    ("ID", |v| cell(v, "id")),
    ("SEVERITY", |v| cell(v, "severity")),
    ("CVSS", |v| cell(v, "cvssV3")),
    ("EXPOSED", |v| cell(v, "exposedMachines")),
    ("EXPLOIT", |v| cell(v, "publicExploit")),
    ("PUBLISHED", |v| cell(v, "publishedOn")),
    ("NAME", |v| cell(v, "name")),
];

/// Columns of the remediation activity table and CSV.
pub const REMEDIATION: &[Column<Value>] = &[
    ("ID", |v| cell(v, "id")),
    ("TITLE", |v| cell(v, "title")),
    ("STATUS", |v| cell(v, "status")),
    ("PRIORITY", |v| cell(v, "priority")),
    ("DUE", |v| cell(v, "dueOn")),
    ("TARGET", |v| cell(v, "targetDevices")),
    ("FIXED", |v| cell(v, "fixedDevices")),
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
    let (req, cols) = match kind {
        Kind::Recommendations => (calls::recommendations(None), RECOMMENDATIONS),
        Kind::Vulnerabilities => (calls::vulnerabilities(None), VULNERABILITIES),
        Kind::Remediation => (calls::remediation_tasks(None), REMEDIATION),
    };
    run_list(&s.client, s.format, &req, cols, limit.limit).await?;
    Ok(())
}
