//! Turning a `ResourceKind` into API calls and a `Payload`, as its catalogue entry
//! (`runtime/catalogue.rs`) says: whole lists through their `ListResource` request and cap,
//! the rest as live reads whose windows of time (alerts and actions of the last 30 days, plus
//! older Isolate/Unisolate records for isolation state; 90 days of Secure Score) are chosen
//! here.

use chrono::{DateTime, Duration, Utc};

use crate::api::calls::{self, ListRequest, Skipped, odata};
use crate::api::model::MachineAction;
use crate::api::resources::{CONSOLE_CAP, ListResource};
use crate::api::{ApiError, Client};
use crate::app::{Payload, ResourceKind};
use crate::runtime::catalogue::{LiveRead, Online, entry, payload_of};

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
    ListResource::Actions.request(Some(filter))
}

/// The newest `ISOLATION_LIMIT` of `older`, newest first (sorted client-side).
fn newest_isolation(mut older: Vec<MachineAction>) -> Vec<MachineAction> {
    older.sort_by_key(|a| std::cmp::Reverse(a.creation_date_time_utc));
    older.truncate(ISOLATION_LIMIT);
    older
}

/// Fetch one resource as the catalogue says (`runtime/catalogue.rs`); `now` anchors the time
/// windows. A record that does not fit its model is skipped and counted in `skipped` (the
/// view keeps the rest and `:errors` says how many could not be read).
pub(crate) async fn read_resource(
    client: &Client,
    kind: ResourceKind,
    now: DateTime<Utc>,
    skipped: &mut Skipped,
) -> Result<Payload, ApiError> {
    Ok(read_for_cache(client, kind, now, skipped).await?.0)
}

/// [`read_resource`] for callers that show no count of skipped records (each is logged).
pub async fn fetch(
    client: &Client,
    kind: ResourceKind,
    now: DateTime<Utc>,
) -> Result<Payload, ApiError> {
    read_resource(client, kind, now, &mut Skipped::default()).await
}

/// Raw records of a whole list, for the response cache: the list (its cache entry) and its
/// records.
pub(crate) type RawList = (ListResource, Vec<Box<serde_json::value::RawValue>>);

/// Like [`read_resource`], and for the whole lists also their raw records, to be filed under
/// the list's cache entry (the same entry and shape as the headless list's). Live reads (30-day
/// windows, scores) and whole reads that reached their cap return no records: the cache must
/// hold a whole list.
pub(crate) async fn read_for_cache(
    client: &Client,
    kind: ResourceKind,
    now: DateTime<Utc>,
    skipped: &mut Skipped,
) -> Result<(Payload, Option<RawList>), ApiError> {
    match entry(kind).online {
        Online::Whole(list) => read_whole(client, list, skipped).await,
        Online::Live(read) => Ok((read_live(client, read, now, skipped).await?, None)),
    }
}

/// [`read_for_cache`] for callers that show no count of skipped records (each is logged).
pub async fn fetch_for_cache(
    client: &Client,
    kind: ResourceKind,
    now: DateTime<Utc>,
) -> Result<(Payload, Option<RawList>), ApiError> {
    read_for_cache(client, kind, now, &mut Skipped::default()).await
}

/// A whole list up to its console cap, with its raw records when the read was complete.
async fn read_whole(
    client: &Client,
    list: ListResource,
    skipped: &mut Skipped,
) -> Result<(Payload, Option<RawList>), ApiError> {
    let cap = list.console_cap();
    let mut raw: Vec<Box<serde_json::value::RawValue>> = Vec::new();
    list.request(None)
        .for_each_raw(client, cap, |page| {
            raw.extend(page);
            Ok(())
        })
        .await?;
    // One record that does not fit is skipped and counted, not the whole list lost.
    let (payload, s) = payload_of(list, &raw)?;
    skipped.merge(s);
    let complete = cap.is_none_or(|c| raw.len() < c);
    Ok((payload, complete.then_some((list, raw))))
}

/// The console's reads that are not whole lists.
async fn read_live(
    client: &Client,
    read: LiveRead,
    now: DateTime<Utc>,
    skipped: &mut Skipped,
) -> Result<Payload, ApiError> {
    let month_ago = now - Duration::days(30);
    let cap = Some(CONSOLE_CAP);
    Ok(match read {
        LiveRead::RecentActions => {
            let filter = odata::ge_time("creationDateTimeUtc", month_ago);
            let mut recent: Vec<MachineAction> = ListResource::Actions
                .request(Some(filter))
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
        LiveRead::RecentAlerts => {
            // MDE's own alerts (`/api/alerts`, with their device), not the catalogue's Graph
            // `alerts_v2` list: the console's device rows count them by machine id.
            let filter = odata::ge_time("alertCreationTime", month_ago);
            Payload::Alerts(
                calls::alerts(Some(filter), false)
                    .read(client, cap, skipped)
                    .await?,
            )
        }
        LiveRead::ExposureScore => Payload::ExposureScore(calls::exposure_score(client).await?),
        LiveRead::GroupExposure => Payload::GroupExposure(
            calls::exposure_by_group()
                .read(client, cap, skipped)
                .await?,
        ),
        LiveRead::ConfigurationScore => {
            Payload::ConfigurationScore(calls::configuration_score(client).await?)
        }
        LiveRead::SecureScores => {
            Payload::SecureScores(calls::secure_scores(90).read(client, None, skipped).await?)
        }
        LiveRead::ControlProfiles => Payload::ControlProfiles(
            calls::control_profiles()
                .read(client, None, skipped)
                .await?,
        ),
    })
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
                .read(client, Some(CONSOLE_CAP), skipped)
                .await?,
        ),
    })
}
