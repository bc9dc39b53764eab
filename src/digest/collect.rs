//! Collect one tenant's [`Snapshot`]: every read runs concurrently, with the filters done
//! server-side where the API has them. A failing read is noted in `Snapshot.errors` and the
//! digest goes on; only a sign-in failure, or every read failing, is an error.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use futures::join;

use super::model::{ActionItem, ExposureFigure, ListName, SecureScoreFigure, Snapshot, Truncated};
use super::sections;
use crate::api::calls::{self, Skipped};
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::model::{Incident, Investigation, Machine, MachineAction, Recommendation};
use crate::api::resources::ListResource;
use crate::predicates;

/// Records kept at most in each device, action and investigation list of the snapshot.
///
/// Why 500: a snapshot is kept on disk (thirty per tenant) and read back and diffed on every
/// run, and a digest is read in a mail or a chat, where a section shows 15 lines and counts
/// the rest. 500 entries keep each list one request (`$top` ≤ 10,000) and the snapshot file
/// in the hundreds of KB on a large tenant, while on a healthy tenant no list comes near it.
/// A list that reaches it is never passed off as the tenant's whole list: the read asks for
/// one record more, and when that record exists the snapshot marks the list truncated
/// ([`Snapshot::truncated`]) and every format says "500 shown; more exist".
pub(crate) const MAX_ROWS: usize = 500;

/// Number of reads a digest makes (all failing means there is no digest).
const READS: usize = 10;

/// Read everything the digest shows for one tenant at `now`.
pub async fn collect(
    client: &Client,
    profile: &str,
    tenant: &str,
    now: DateTime<Utc>,
) -> Result<Snapshot, ApiError> {
    let me = crate::api::calls::triage::me(&client.operator(), None);
    // One record past the cap tells whether the service has more than the digest keeps.
    let limit = Some(MAX_ROWS + 1);

    // The service filters by the same rules the snapshot's lists apply (crate::predicates);
    // each list's path, `$expand` and page size are the resource catalogue's (a filtered read
    // of incidents leaves their alerts out, as every filtered read of them does).
    let filtered = |list: ListResource, filter: String| list.request(Some(filter));
    let pending_req = filtered(ListResource::Actions, predicates::waiting_filter());
    let failed_req = filtered(
        ListResource::Actions,
        predicates::failed_recently_filter(now),
    );
    let inv_req = filtered(
        ListResource::Investigations,
        predicates::awaits_approval_filter(),
    );
    let risk_req = filtered(ListResource::Devices, predicates::at_risk_filter());
    let inactive_req = filtered(ListResource::Devices, predicates::inactive_filter());
    let incident_req = filtered(
        ListResource::Incidents,
        predicates::updated_recently_filter(now),
    );
    let rec_req = filtered(
        ListResource::Recommendations,
        predicates::worth_fixing_filter(),
    );

    let (exposure, config, secure, pending, failed, invs, risky, inactive, incidents, recs) = join!(
        calls::exposure_score(client),
        calls::configuration_score(client),
        calls::latest_secure_score(client),
        pending_req.fetch_lenient::<MachineAction>(client, limit),
        failed_req.fetch_lenient::<MachineAction>(client, limit),
        inv_req.fetch_lenient::<Investigation>(client, limit),
        risk_req.fetch_lenient::<Machine>(client, limit),
        inactive_req.fetch_lenient::<Machine>(client, limit),
        incident_req.fetch_lenient::<Incident>(client, Some(sections::MAX_INCIDENTS + 1)),
        rec_req.fetch_lenient::<Recommendation>(client, None),
    );

    let mut snap = Snapshot::empty(profile, tenant, now);
    snap.me = me;
    let mut failures: Vec<ApiError> = Vec::new();
    let mut note = |what: &str, e: ApiError, snap: &mut Snapshot| {
        snap.errors.push(format!("{what}: {e}"));
        failures.push(e);
    };

    match exposure {
        Ok(e) => snap.exposure_score = e.score.map(ExposureFigure::from_score),
        Err(e) => note("exposure score", e, &mut snap),
    }
    match config {
        Ok(c) => snap.configuration_score = c.score,
        Err(e) => note("secure score for devices", e, &mut snap),
    }
    match secure {
        Ok(s) => {
            snap.secure_score = s.and_then(|s| {
                let (current, max) = (s.current_score?, s.max_score?);
                Some(SecureScoreFigure {
                    current,
                    max,
                    percent: s.percent().unwrap_or(0.0),
                })
            })
        }
        Err(e) => note("Microsoft Secure Score", e, &mut snap),
    }
    match pending {
        Ok((a, skipped)) => {
            let a = cut(ListName::PendingActions, a, &skipped, MAX_ROWS, &mut snap);
            snap.pending_actions = sections::pending_actions(&a, &own_name);
            skipped_note("pending actions", &skipped, &mut snap);
        }
        Err(e) => note("pending actions", e, &mut snap),
    }
    match failed {
        Ok((a, skipped)) => {
            let a = cut(ListName::FailedActions, a, &skipped, MAX_ROWS, &mut snap);
            snap.failed_actions = sections::failed_actions(&a, now, &own_name);
            skipped_note("failed actions", &skipped, &mut snap);
        }
        Err(e) => note("failed actions", e, &mut snap),
    }
    match invs {
        Ok((v, skipped)) => {
            let v = cut(
                ListName::PendingInvestigations,
                v,
                &skipped,
                MAX_ROWS,
                &mut snap,
            );
            snap.pending_investigations =
                sections::pending_investigations(&v, &|i| i.device_label().to_string());
            skipped_note("investigations awaiting approval", &skipped, &mut snap);
        }
        // Automated investigation was retired on 2026-09-01: a tenant that no longer answers
        // has nothing awaiting approval, which is not an error of the digest.
        // An unreachable tenant is still an error.
        Err(e) if e.status().is_some() => {
            tracing::info!("investigations not available (retired service): {e}")
        }
        Err(e) => note("investigations awaiting approval", e, &mut snap),
    }
    match risky {
        Ok((v, skipped)) => {
            let v = cut(ListName::DevicesAtRisk, v, &skipped, MAX_ROWS, &mut snap);
            snap.devices_at_risk = sections::devices_at_risk(&v);
            skipped_note("devices at risk", &skipped, &mut snap);
        }
        Err(e) => note("devices at risk", e, &mut snap),
    }
    match inactive {
        Ok((v, skipped)) => {
            let v = cut(ListName::InactiveDevices, v, &skipped, MAX_ROWS, &mut snap);
            snap.inactive_devices = sections::inactive_devices(&v);
            skipped_note("inactive devices", &skipped, &mut snap);
        }
        Err(e) => note("inactive devices", e, &mut snap),
    }
    match incidents {
        Ok((v, skipped)) => {
            let v = cut(
                ListName::Incidents,
                v,
                &skipped,
                sections::MAX_INCIDENTS,
                &mut snap,
            );
            snap.incidents = sections::incidents(&v, now);
            skipped_note("incidents", &skipped, &mut snap);
        }
        Err(e) => note("incidents", e, &mut snap),
    }
    match recs {
        Ok((v, skipped)) => {
            snap.recommendations = sections::recommendations(&v);
            // Read whole and ranked: the digest keeps the top few and knows how many there are.
            let total = v.iter().filter(|r| predicates::worth_fixing(r)).count();
            if total > snap.recommendations.len() {
                snap.truncated.push(Truncated {
                    list: ListName::Recommendations,
                    shown: snap.recommendations.len(),
                    total: Some(total),
                });
            }
            skipped_note("recommendations", &skipped, &mut snap);
        }
        Err(e) => note("recommendations", e, &mut snap),
    }

    // A pending action's computerDnsName may be null: name it from the devices read here.
    let names: HashMap<&str, &str> = snap
        .devices_at_risk
        .iter()
        .map(|d| (d.id.as_str(), d.name.as_str()))
        .chain(
            snap.inactive_devices
                .iter()
                .map(|d| (d.id.as_str(), d.name.as_str())),
        )
        .collect();
    let renamed = |list: &[ActionItem]| -> Vec<ActionItem> {
        list.iter()
            .map(|a| ActionItem {
                device: names
                    .get(a.device.as_str())
                    .map_or_else(|| a.device.clone(), |n| n.to_string()),
                ..a.clone()
            })
            .collect()
    };
    let (pending, failed) = (
        renamed(&snap.pending_actions),
        renamed(&snap.failed_actions),
    );
    snap.pending_actions = pending;
    snap.failed_actions = failed;

    // A cut list shows what its section kept of the records read.
    let shown: Vec<usize> = snap.truncated.iter().map(|t| snap.len_of(t.list)).collect();
    for (t, n) in snap.truncated.iter_mut().zip(shown) {
        t.shown = n;
    }

    // A sign-in failure is the same for every read; with nothing read there is no digest.
    if let Some(auth) = failures.iter().find(|e| matches!(e, ApiError::Auth(_))) {
        return Err(auth.clone());
    }
    if failures.len() == READS {
        return Err(failures.swap_remove(0));
    }
    Ok(snap)
}

/// The first `cap` records of a read that asked for `cap + 1`. When the service had more
/// (the extra record came, or one of the records read was skipped as unreadable), the list is
/// marked truncated, so no count of it is passed off as the tenant's.
fn cut<T>(
    list: ListName,
    mut records: Vec<T>,
    skipped: &Skipped,
    cap: usize,
    snap: &mut Snapshot,
) -> Vec<T> {
    if records.len() + skipped.count > cap {
        records.truncate(cap);
        snap.truncated.push(Truncated {
            list,
            shown: cap,
            total: None,
        });
    }
    records
}

/// A section that lost records it could not read says so in the digest's notes (the rest of
/// the section is kept).
fn skipped_note(what: &str, skipped: &Skipped, snap: &mut Snapshot) {
    if !skipped.is_empty() {
        snap.notes.push(format!("{what}: {}", skipped.summary()));
    }
}

/// An action's device as the record names it (host name, else machine id).
fn own_name(a: &MachineAction) -> String {
    a.device_label().to_string()
}
