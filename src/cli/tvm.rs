//! `recommendations list | devices REC_ID`, `vulnerabilities list`, `remediation list`:
//! vulnerability management lists.

use crate::api::calls;
use crate::api::model::{Machine, Recommendation, Vulnerability};
use crate::api::resources::ListResource;
use crate::cli::args::{ListOnly, RecommendationsCmd};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::export::Destination;
use crate::cli::list::{ListQuery, list, list_ordered};
use crate::cli::output::{Cell, Column, Format, ListSink, opt, text};
use crate::cli::session::Session;
use crate::listing::columns::{RECOMMENDATIONS, REMEDIATION, REMEDIATION_EXPORT};

/// Columns of a recommendation's exposed devices: what `machineReferences` returns (id,
/// computerDnsName, osPlatform, rbacGroupName) and the recommendation page in the console
/// shows; the id is whole when stdout is not a terminal, in CSV and in JSON.
pub(crate) const EXPOSED_DEVICES: &[Column<Machine>] = &[
    ("NAME", |m| m.display_name().into()),
    ("OS", |m| text(m.os_platform.as_deref())),
    ("GROUP", |m| text(m.rbac_group_name.as_deref())),
    ("ID", |m| Cell::short_id(&m.id, 8)),
];

/// Columns of the vulnerability table and CSV.
pub(crate) const VULNERABILITIES: &[Column<Vulnerability>] = &[
    ("ID", |v| v.id.as_str().into()),
    ("SEVERITY", |v| opt(v.severity.as_ref())),
    ("CVSS", |v| opt(v.cvss_v3)),
    ("EXPOSED", |v| opt(v.exposed_machines)),
    ("EXPLOIT", |v| opt(v.public_exploit)),
    ("PUBLISHED", |v| Cell::Time(v.published_on)),
    ("NAME", |v| text(v.name.as_deref())),
];

/// Which TVM list.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Recommendations,
    Vulnerabilities,
    Remediation,
}

fn query<'a, T>(
    resource: ListResource,
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

/// Run `recommendations …`.
pub async fn run_recommendations(s: &Session, cmd: RecommendationsCmd) -> CliResult {
    match cmd {
        RecommendationsCmd::List { limit } => {
            run(s, Kind::Recommendations, ListOnly::List { limit }).await
        }
        RecommendationsCmd::Devices { id, limit } => exposed_devices(s, &id, limit.limit).await,
    }
}

/// `recommendations devices REC_ID`: the devices the recommendation exposes, read with the
/// same `machineReferences` call as its console page
/// (https://learn.microsoft.com/en-us/defender-endpoint/api/get-recommendation-machines:
/// each row is `{id, computerDnsName, osPlatform, rbacGroupName, rbacGroupId}`). An unknown
/// id is the service's 404, reported with Microsoft's message (exit 1). Not cached: the
/// response cache holds whole lists by resource name, and this list is one recommendation's.
async fn exposed_devices(s: &Session, id: &str, limit: Option<usize>) -> CliResult {
    let id = id.trim();
    if id.is_empty() || id.contains('/') {
        return Err(CliError::Usage(format!(
            "'{}' is not a recommendation id (`socops recommendations list` shows them)",
            crate::text::line(id)
        )));
    }
    let dest = Destination::open(s.out.as_ref())?;
    let result = async {
        let mut sink = ListSink::to_writer(
            s.format,
            EXPOSED_DEVICES,
            dest.writer()?,
            dest.on_terminal(),
        );
        let mut progress = crate::cli::progress::Progress::new("exposed devices");
        let walked = calls::recommendation_machines(id)
            .for_each_raw(&s.client, limit, |page| {
                progress.page(page.len());
                sink.page(page)
            })
            .await;
        drop(progress);
        match walked {
            Ok(_) => sink.finish(),
            // A failure of the sink (a closed pipe) wins over the paging error.
            Err(e) => Err(sink.take_failure().unwrap_or(e.into())),
        }
    }
    .await;
    dest.finish(result)
}

/// Run one of the TVM lists.
pub async fn run(s: &Session, kind: Kind, cmd: ListOnly) -> CliResult {
    let ListOnly::List { limit } = cmd;
    let n = limit.limit;
    match kind {
        Kind::Recommendations => {
            // Highest impact first, as the console and the digest rank them.
            let q = query(ListResource::Recommendations, RECOMMENDATIONS, n);
            list_ordered(s, q, Some(Recommendation::by_impact)).await
        }
        Kind::Vulnerabilities => {
            let q = query(ListResource::Vulnerabilities, VULNERABILITIES, n);
            list(s, q).await
        }
        Kind::Remediation => {
            // The CSV is the export: the portal-style columns; the table stays narrow.
            let columns = if s.format == Format::Csv {
                REMEDIATION_EXPORT
            } else {
                REMEDIATION
            };
            list(s, query(ListResource::Remediation, columns, n)).await
        }
    }
}
