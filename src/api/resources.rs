//! The catalogue of the lists socops reads whole and keeps in the response cache: for each
//! one, its request (path, `$expand`, page size), the most records the console holds of it,
//! and the command that fills its cache entry. The console's fetch (`runtime/fetch.rs`),
//! offline mode (`runtime/offline.rs`) and the headless lists (`cli/list.rs`) all read this
//! table, so a cache entry has one shape whoever wrote it.
//!
//! The cache entry of a list (its name and file) is `store/cache.rs`'s; which console
//! resource reads which list is `runtime/catalogue.rs`'s.

use super::calls::{self, ListRequest};

/// A list read whole and cached as one entry. One shape per entry: every reader that writes
/// it sends the same [`ListResource::request`] for a full read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListResource {
    /// `GET /api/machines` (MDE).
    Devices,
    /// `GET /api/machineactions` (MDE), every action the service keeps.
    Actions,
    /// `GET /api/investigations` (MDE).
    Investigations,
    /// `GET /v1.0/security/alerts_v2` (Graph, every Defender product).
    Alerts,
    /// `GET /v1.0/security/incidents` (Graph), with their alerts on a full read.
    Incidents,
    /// `GET /api/recommendations` (MDE vulnerability management).
    Recommendations,
    /// `GET /api/remediationTasks` (MDE vulnerability management).
    Remediation,
    /// `GET /api/vulnerabilities` (MDE vulnerability management).
    Vulnerabilities,
    /// `GET /api/indicators` (MDE).
    Indicators,
    /// `GET /api/deviceavinfo` (MDE antivirus health).
    AvHealth,
}

/// Most records the console holds of a list (the device inventory is not capped); also the
/// cap of the console's reads that are not in this catalogue (windows, pages).
pub const CONSOLE_CAP: usize = 10_000;

/// Most incidents the console holds: each comes with its alerts, so a page is heavy.
const CONSOLE_INCIDENTS_CAP: usize = 500;

impl ListResource {
    /// Every list of the catalogue, each once.
    pub const ALL: [ListResource; 10] = [
        ListResource::Devices,
        ListResource::Actions,
        ListResource::Investigations,
        ListResource::Alerts,
        ListResource::Incidents,
        ListResource::Recommendations,
        ListResource::Remediation,
        ListResource::Vulnerabilities,
        ListResource::Indicators,
        ListResource::AvHealth,
    ];

    /// The headless command whose full read fills the cache entry (the hint offline).
    pub fn fill_command(self) -> &'static str {
        match self {
            ListResource::Devices => "socops devices list",
            ListResource::Actions => "socops actions list",
            ListResource::Investigations => "socops investigations list",
            ListResource::Alerts => "socops alerts list",
            ListResource::Incidents => "socops incidents list",
            ListResource::Recommendations => "socops recommendations list",
            ListResource::Remediation => "socops remediation list",
            ListResource::Vulnerabilities => "socops vulnerabilities list",
            ListResource::Indicators => "socops indicators list",
            ListResource::AvHealth => "socops report av-health",
        }
    }

    /// The request for the list with an optional `$filter`; `None` is the full read, the
    /// only one that is cached.
    ///
    /// Incidents expand their alerts on a full read only: the console's details need them,
    /// and `$expand=alerts` next to a `$filter` has failed with persistent 500s on large
    /// tenants, so a filtered read (never cached) leaves them out. `$expand=alerts` is
    /// documented at https://learn.microsoft.com/en-us/graph/api/security-list-incidents.
    pub fn request(self, filter: Option<String>) -> ListRequest {
        match self {
            ListResource::Devices => calls::machines(filter),
            ListResource::Actions => calls::machine_actions(filter),
            ListResource::Investigations => calls::investigations(filter),
            ListResource::Alerts => calls::graph_alerts(filter),
            ListResource::Incidents => {
                let expand_alerts = filter.is_none();
                calls::incidents(filter, expand_alerts)
            }
            ListResource::Recommendations => calls::recommendations(filter),
            ListResource::Remediation => calls::remediation_tasks(filter),
            ListResource::Vulnerabilities => calls::vulnerabilities(filter),
            ListResource::Indicators => calls::indicators(filter),
            ListResource::AvHealth => calls::device_av_info(filter),
        }
    }

    /// Most records the console reads of the list; a read that reaches the cap is not
    /// cached (the cache holds whole lists). The headless lists read to the end, or to
    /// `--limit`.
    pub fn console_cap(self) -> Option<usize> {
        match self {
            ListResource::Devices => None,
            ListResource::Incidents => Some(CONSOLE_INCIDENTS_CAP),
            ListResource::Actions
            | ListResource::Investigations
            | ListResource::Alerts
            | ListResource::Recommendations
            | ListResource::Remediation
            | ListResource::Vulnerabilities
            | ListResource::Indicators
            | ListResource::AvHealth => Some(CONSOLE_CAP),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ALL` holds every variant: the match fails to compile when one is added, and the
    /// position check fails when `ALL` is not updated with it.
    #[test]
    fn all_lists_every_resource_once() {
        let position = |r: ListResource| match r {
            ListResource::Devices => 0,
            ListResource::Actions => 1,
            ListResource::Investigations => 2,
            ListResource::Alerts => 3,
            ListResource::Incidents => 4,
            ListResource::Recommendations => 5,
            ListResource::Remediation => 6,
            ListResource::Vulnerabilities => 7,
            ListResource::Indicators => 8,
            ListResource::AvHealth => 9,
        };
        for (i, r) in ListResource::ALL.into_iter().enumerate() {
            assert_eq!(position(r), i, "{r:?}");
        }
    }

    /// One shape per cache entry: a full read of incidents always expands the alerts, a
    /// filtered one never does.
    #[test]
    fn incidents_expand_alerts_on_the_full_read_only() {
        let full = ListResource::Incidents.request(None);
        assert!(full.path.contains("expand=alerts"), "{}", full.path);
        let filtered = ListResource::Incidents.request(Some("status eq 'active'".into()));
        assert!(!filtered.path.contains("expand"), "{}", filtered.path);
        assert!(filtered.path.contains("filter"), "{}", filtered.path);
    }
}
