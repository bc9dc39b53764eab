//! Where each console resource comes from, online and offline: one entry per `ResourceKind`,
//! an exhaustive match, so a new resource does not compile until it says how it is read,
//! whether the console files it in the response cache and what `--offline` serves.
//!
//! The lists themselves (request, page cap, cache name, the command that fills the cache)
//! are `api::resources::ListResource`, shared with the headless lists: a console read and a
//! CLI read of the same list write the same cache entry in the same shape.

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::api::ApiError;
use crate::api::calls::{Skipped, type_leniently};
use crate::api::model::{Alert, GraphAlert, Machine};
use crate::api::resources::ListResource;
use crate::app::{Payload, ResourceKind};

/// How the console reads a resource online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Online {
    /// The whole list, up to its console cap: a complete read is filed in the cache.
    Whole(ListResource),
    /// A read of its own (a time window, a score), never cached.
    Live(LiveRead),
}

/// The console's reads that are not a whole list (`runtime/fetch.rs` carries them out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveRead {
    /// Machine actions of the last 30 days plus older Isolate/Unisolate records.
    RecentActions,
    /// MDE alerts created in the last 30 days.
    RecentAlerts,
    ExposureScore,
    GroupExposure,
    ConfigurationScore,
    /// 90 days of Secure Score.
    SecureScores,
    ControlProfiles,
}

/// What `--offline` serves for a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offline {
    /// The list's cache entry (filled by a whole read, the console's or the CLI's).
    Cache(ListResource),
    /// The score kept in the last digest snapshot.
    Snapshot(SnapshotScore),
    /// Nothing: the resource is not kept.
    NotKept,
}

/// The scores a digest snapshot keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotScore {
    Exposure,
    Configuration,
    Secure,
}

/// One resource's entry: how it is read online and what is served offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub online: Online,
    pub offline: Offline,
}

impl Entry {
    /// A whole list: read, cached and served offline under the same entry.
    const fn whole(list: ListResource) -> Entry {
        Entry {
            online: Online::Whole(list),
            offline: Offline::Cache(list),
        }
    }

    const fn live(read: LiveRead, offline: Offline) -> Entry {
        Entry {
            online: Online::Live(read),
            offline,
        }
    }
}

/// The catalogue entry of `kind`.
///
/// The console's actions and alerts are 30-day windows (and the alerts are MDE's, the cache
/// holds Graph alerts_v2), never whole lists, so only `socops actions list` and `socops alerts
/// list` fill those entries; the console reads them offline.
pub fn entry(kind: ResourceKind) -> Entry {
    use ListResource as L;
    use ResourceKind as R;
    match kind {
        R::Machines => Entry::whole(L::Devices),
        R::MachineActions => Entry::live(LiveRead::RecentActions, Offline::Cache(L::Actions)),
        R::Investigations => Entry::whole(L::Investigations),
        R::Alerts => Entry::live(LiveRead::RecentAlerts, Offline::Cache(L::Alerts)),
        R::Incidents => Entry::whole(L::Incidents),
        R::ExposureScore => Entry::live(
            LiveRead::ExposureScore,
            Offline::Snapshot(SnapshotScore::Exposure),
        ),
        R::GroupExposure => Entry::live(LiveRead::GroupExposure, Offline::NotKept),
        R::ConfigurationScore => Entry::live(
            LiveRead::ConfigurationScore,
            Offline::Snapshot(SnapshotScore::Configuration),
        ),
        R::Recommendations => Entry::whole(L::Recommendations),
        R::RemediationTasks => Entry::whole(L::Remediation),
        R::Vulnerabilities => Entry::whole(L::Vulnerabilities),
        R::Indicators => Entry::whole(L::Indicators),
        R::AvInfo => Entry::whole(L::AvHealth),
        R::SecureScores => Entry::live(
            LiveRead::SecureScores,
            Offline::Snapshot(SnapshotScore::Secure),
        ),
        R::ControlProfiles => Entry::live(LiveRead::ControlProfiles, Offline::NotKept),
    }
}

/// The console's payload from the raw records of `list` (a whole read or its cache entry).
/// A record that does not fit its model is skipped and counted; the rest are kept.
pub(crate) fn payload_of(
    list: ListResource,
    records: &[Box<RawValue>],
) -> Result<(Payload, Skipped), ApiError> {
    fn typed<T: DeserializeOwned>(
        list: ListResource,
        records: &[Box<RawValue>],
        skipped: &mut Skipped,
    ) -> Result<Vec<T>, ApiError> {
        let (items, s) = type_leniently(&list.request(None), records)?;
        skipped.merge(s);
        Ok(items)
    }
    let mut s = Skipped::default();
    use ListResource as L;
    let payload = match list {
        L::Devices => Payload::Machines(typed::<Machine>(list, records, &mut s)?.into()),
        L::Actions => Payload::MachineActions(typed(list, records, &mut s)?),
        L::Investigations => Payload::Investigations(typed(list, records, &mut s)?),
        // The cache holds Graph alerts_v2 (`socops alerts list`); the console shows MDE alerts.
        L::Alerts => Payload::Alerts(
            typed::<GraphAlert>(list, records, &mut s)?
                .into_iter()
                .map(mde_alert)
                .collect(),
        ),
        L::Incidents => Payload::Incidents(typed(list, records, &mut s)?),
        L::Recommendations => Payload::Recommendations(typed(list, records, &mut s)?),
        L::Remediation => Payload::RemediationTasks(typed(list, records, &mut s)?),
        L::Vulnerabilities => Payload::Vulnerabilities(typed(list, records, &mut s)?),
        L::Indicators => Payload::Indicators(typed(list, records, &mut s)?),
        L::AvHealth => Payload::AvInfo(typed(list, records, &mut s)?),
    };
    Ok((payload, s))
}

/// A Graph alert in the shape of the console's MDE alert (the fields both carry).
fn mde_alert(g: GraphAlert) -> Alert {
    let machine_id = g.device_ids().first().map(|s| s.to_string());
    Alert {
        id: g.provider_alert_id.clone().unwrap_or(g.id),
        incident_id: g.incident_id,
        assigned_to: g.assigned_to,
        severity: g.severity,
        status: g.status,
        classification: g.classification,
        determination: g.determination,
        detection_source: g.detection_source,
        detector_id: g.detector_id,
        category: g.category,
        threat_family_name: g.threat_family_name,
        title: g.title,
        description: g.description,
        alert_creation_time: g.created_date_time,
        first_event_time: g.first_activity_date_time,
        last_event_time: g.last_activity_date_time,
        last_update_time: g.last_update_date_time,
        resolved_time: g.resolved_date_time,
        machine_id,
        aad_tenant_id: g.tenant_id,
        threat_name: g.threat_display_name,
        mitre_techniques: g.mitre_techniques,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every resource's cache entry, when it has one, turns into that resource's payload:
    /// the console files and reads each entry as the kind it belongs to.
    #[test]
    fn each_cache_entry_gives_its_resources_payload() {
        for kind in ResourceKind::ALL {
            let e = entry(kind);
            if let Online::Whole(list) = e.online {
                assert_eq!(e.offline, Offline::Cache(list), "{kind:?}");
            }
            if let Offline::Cache(list) = e.offline {
                let (p, _) = payload_of(list, &[]).unwrap();
                assert_eq!(p.kind(), kind, "{list:?}");
            }
        }
    }

    /// No two resources file under the same cache entry.
    #[test]
    fn one_resource_per_cache_entry() {
        let mut lists: Vec<ListResource> = ResourceKind::ALL
            .into_iter()
            .filter_map(|k| match entry(k).offline {
                Offline::Cache(l) => Some(l),
                _ => None,
            })
            .collect();
        let n = lists.len();
        lists.sort();
        lists.dedup();
        assert_eq!(lists.len(), n);
        assert_eq!(n, ListResource::ALL.len(), "every list serves the console");
    }
}
