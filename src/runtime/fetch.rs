//! Turning a `ResourceKind` into typed API calls and a `Payload`. Windows of time (alerts and
//! actions of the last 30 days, plus older Isolate/Unisolate records for isolation state; 90
//! days of Secure Score) are chosen here.

use chrono::{DateTime, Duration, Utc};

use crate::api::calls::{self, ListRequest, Skipped, odata};
use crate::api::model::MachineAction;
use crate::api::{ApiError, Client};
use crate::app::{Payload, ResourceKind};

/// Most records of a list the console holds (the inventory is not capped).
const LIST_LIMIT: usize = 10_000;

/// Most Isolate/Unisolate records kept from before the 30-day window (newest first).
const ISOLATION_LIMIT: usize = 500;

/// How far back the older Isolate/Unisolate records are read.
const ISOLATION_LOOKBACK_DAYS: i64 = 180;

/// Most older records read (one page at the documented maximum page size).
const ISOLATION_READ: usize = 10_000;

/// Isolate/Unisolate actions created in the `ISOLATION_LOOKBACK_DAYS` before `t`.
///
/// `$orderby` is not documented for machineactions (only `$filter` on id, status, machineId,
/// type, requestor and creationDateTimeUtc, `$top` up to 10,000 and `$skip`:
/// https://learn.microsoft.com/en-us/defender-endpoint/api/get-machineactions-collection),
/// so the read is bounded by a `creationDateTimeUtc` window and sorted here.
fn isolation_before(t: DateTime<Utc>) -> ListRequest {
    let kinds = odata::or([odata::eq("type", "Isolate"), odata::eq("type", "Unisolate")]);
    let filter = odata::and([
        kinds,
        odata::ge_time(
            "creationDateTimeUtc",
            t - Duration::days(ISOLATION_LOOKBACK_DAYS),
        ),
        odata::lt_time("creationDateTimeUtc", t),
    ]);
    calls::machine_actions(Some(filter))
}

/// The newest `ISOLATION_LIMIT` of `older`, newest first (sorted client-side).
fn newest_isolation(mut older: Vec<MachineAction>) -> Vec<MachineAction> {
    older.sort_by_key(|a| std::cmp::Reverse(a.creation_date_time_utc));
    older.truncate(ISOLATION_LIMIT);
    older
}

/// Fetch one resource; `now` anchors the time windows. A record that does not fit its model
/// is skipped and counted in `skipped` (the view keeps the rest and `:errors` says how many
/// could not be read).
pub(crate) async fn read_resource(
    client: &Client,
    kind: ResourceKind,
    now: DateTime<Utc>,
    skipped: &mut Skipped,
) -> Result<Payload, ApiError> {
    let month_ago = now - Duration::days(30);
    let cap = Some(LIST_LIMIT);
    Ok(match kind {
        ResourceKind::Machines => {
            Payload::Machines(calls::machines(None).read(client, None, skipped).await?)
        }
        ResourceKind::MachineActions => {
            let filter = odata::ge_time("creationDateTimeUtc", month_ago);
            let mut recent: Vec<MachineAction> = calls::machine_actions(Some(filter))
                .read(client, cap, skipped)
                .await?;
            // A device isolated before the window and never released is still isolated: the
            // newest older Isolate/Unisolate records join the list so the state is right.
            let older: Vec<MachineAction> = newest_isolation(
                isolation_before(month_ago)
                    .read(client, Some(ISOLATION_READ), skipped)
                    .await?,
            );
            recent.extend(
                older
                    .into_iter()
                    .filter(|o| o.creation_date_time_utc < Some(month_ago)),
            );
            Payload::MachineActions(recent)
        }
        ResourceKind::Investigations => Payload::Investigations(
            calls::investigations(None)
                .read(client, cap, skipped)
                .await?,
        ),
        ResourceKind::Alerts => {
            let filter = odata::ge_time("alertCreationTime", month_ago);
            Payload::Alerts(
                calls::alerts(Some(filter), false)
                    .read(client, cap, skipped)
                    .await?,
            )
        }
        ResourceKind::Incidents => {
            // Expanding alerts gives the details view its evidence without a second call.
            Payload::Incidents(
                calls::incidents(None, true)
                    .read(client, Some(500), skipped)
                    .await?,
            )
        }
        ResourceKind::ExposureScore => Payload::ExposureScore(calls::exposure_score(client).await?),
        ResourceKind::GroupExposure => Payload::GroupExposure(
            calls::exposure_by_group()
                .read(client, cap, skipped)
                .await?,
        ),
        ResourceKind::ConfigurationScore => {
            Payload::ConfigurationScore(calls::configuration_score(client).await?)
        }
        ResourceKind::Recommendations => Payload::Recommendations(
            calls::recommendations(None)
                .read(client, cap, skipped)
                .await?,
        ),
        ResourceKind::RemediationTasks => Payload::RemediationTasks(
            calls::remediation_tasks(None)
                .read(client, cap, skipped)
                .await?,
        ),
        ResourceKind::Vulnerabilities => Payload::Vulnerabilities(
            calls::vulnerabilities(None)
                .read(client, cap, skipped)
                .await?,
        ),
        ResourceKind::Indicators => {
            Payload::Indicators(calls::indicators(None).read(client, cap, skipped).await?)
        }
        ResourceKind::AvInfo => Payload::AvInfo(
            calls::device_av_info(None)
                .read(client, cap, skipped)
                .await?,
        ),
        ResourceKind::SecureScores => {
            Payload::SecureScores(calls::secure_scores(90).read(client, None, skipped).await?)
        }
        ResourceKind::ControlProfiles => Payload::ControlProfiles(
            calls::control_profiles()
                .read(client, None, skipped)
                .await?,
        ),
    })
}

/// [`read_resource`] for callers that show no count of skipped records (each is logged).
pub async fn fetch(
    client: &Client,
    kind: ResourceKind,
    now: DateTime<Utc>,
) -> Result<Payload, ApiError> {
    read_resource(client, kind, now, &mut Skipped::default()).await
}

/// Raw records of a full read, for the response cache: `(cache name, records)`.
pub(crate) type RawList = (&'static str, Vec<Box<serde_json::value::RawValue>>);

/// Like [`read_resource`], and for the full, unfiltered lists also the raw records (for the response
/// cache, named like the headless lists'). Filtered loads (alerts and actions of 30 days) and
/// capped reads that hit their cap return no records: the cache must hold a whole list.
pub(crate) async fn read_for_cache(
    client: &Client,
    kind: ResourceKind,
    now: DateTime<Utc>,
    skipped: &mut Skipped,
) -> Result<(Payload, Option<RawList>), ApiError> {
    use crate::runtime::offline::{cache_name, fetch_keeping_raw as raw};
    let cap = Some(LIST_LIMIT);
    let name = cache_name(kind).map(|(n, _)| n);
    let (payload, records) = match kind {
        ResourceKind::Machines => {
            let (v, r) = raw(client, &calls::machines(None), None, skipped).await?;
            (Payload::Machines(v), r)
        }
        ResourceKind::Investigations => {
            let (v, r) = raw(client, &calls::investigations(None), cap, skipped).await?;
            (Payload::Investigations(v), r)
        }
        ResourceKind::Incidents => {
            let (v, r) = raw(client, &calls::incidents(None, true), Some(500), skipped).await?;
            (Payload::Incidents(v), r)
        }
        ResourceKind::Recommendations => {
            let (v, r) = raw(client, &calls::recommendations(None), cap, skipped).await?;
            (Payload::Recommendations(v), r)
        }
        ResourceKind::RemediationTasks => {
            let (v, r) = raw(client, &calls::remediation_tasks(None), cap, skipped).await?;
            (Payload::RemediationTasks(v), r)
        }
        ResourceKind::Vulnerabilities => {
            let (v, r) = raw(client, &calls::vulnerabilities(None), cap, skipped).await?;
            (Payload::Vulnerabilities(v), r)
        }
        ResourceKind::Indicators => {
            let (v, r) = raw(client, &calls::indicators(None), cap, skipped).await?;
            (Payload::Indicators(v), r)
        }
        ResourceKind::AvInfo => {
            let (v, r) = raw(client, &calls::device_av_info(None), cap, skipped).await?;
            (Payload::AvInfo(v), r)
        }
        other => return Ok((read_resource(client, other, now, skipped).await?, None)),
    };
    Ok((payload, name.zip(records)))
}

/// [`read_for_cache`] for callers that show no count of skipped records (each is logged).
pub async fn fetch_for_cache(
    client: &Client,
    kind: ResourceKind,
    now: DateTime<Utc>,
) -> Result<(Payload, Option<RawList>), ApiError> {
    read_for_cache(client, kind, now, &mut Skipped::default()).await
}

/// Read what a page asked for (`Command::LoadPage`). An unreadable record is skipped and
/// counted in `skipped`, as for the lists.
///
/// `machineReferences`: https://learn.microsoft.com/en-us/defender-endpoint/api/get-recommendation-machines
/// (an unknown recommendation id is the service's 404, reported as it is).
pub async fn read_page(
    client: &Client,
    fetch: &crate::app::pages::extra::PageFetch,
    skipped: &mut Skipped,
) -> Result<crate::app::pages::extra::PageData, ApiError> {
    use crate::app::pages::extra::{PageData, PageFetch};
    Ok(match fetch {
        PageFetch::ExposedDevices(id) => PageData::ExposedDevices(
            calls::recommendation_machines(id)
                .read(client, Some(LIST_LIMIT), skipped)
                .await?,
        ),
    })
}
