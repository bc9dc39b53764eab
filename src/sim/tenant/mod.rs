//! The simulated tenant's data: generated deterministically from a seed, held in compact rows,
//! serialised to Microsoft's JSON shapes one page at a time.

pub mod actions;
pub mod alert_graph;
pub mod alert_json;
pub mod alerts;
pub mod avinfo;
pub mod catalog;
pub mod devices;
pub mod evidence;
pub mod incidents;
pub mod indicators;
pub mod scores;
pub mod tvm;

use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The DNS suffix of every device.
pub(crate) const DOMAIN_SUFFIX: &str = ".fabrikam.local";
/// The NetBIOS domain of users.
pub(crate) const NETBIOS: &str = "FABRIKAM";
/// The UPN suffix of users.
pub(crate) const UPN_SUFFIX: &str = "fabrikam.com";

/// What every generator needs.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub seed: u64,
    pub now: DateTime<Utc>,
}

/// All tenant data.
#[derive(Debug)]
pub struct Tenant {
    pub devices: Vec<devices::Device>,
    pub by_id: HashMap<String, u32>,
    pub alerts: Vec<alerts::Alert>,
    pub incidents: Vec<incidents::Incident>,
    pub investigations: Vec<actions::Investigation>,
    pub actions: Vec<actions::Action>,
    pub tvm: tvm::Tvm,
    pub indicators: Vec<indicators::Indicator>,
    pub next_indicator: u64,
    pub next_investigation: u64,
}

impl Tenant {
    /// Generates the whole tenant.
    pub fn generate(seed: u64, n_devices: usize, now: DateTime<Utc>) -> Tenant {
        let ctx = Ctx { seed, now };
        let mut devices = devices::generate(&ctx, n_devices);
        // An empty tenant (`--devices 0`) has no device to raise an alert on or act on.
        let (generated, actions) = if devices.is_empty() {
            (
                alerts::Generated {
                    alerts: Vec::new(),
                    incidents: Vec::new(),
                    investigations: Vec::new(),
                },
                Vec::new(),
            )
        } else {
            let generated = alerts::generate(&ctx, &mut devices);
            let actions = actions::generate(&ctx, &devices);
            (generated, actions)
        };
        let tvm = tvm::generate(&ctx, &devices);
        let indicators = indicators::generate(&ctx);
        let by_id = devices
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i as u32))
            .collect();
        let next_investigation = generated
            .investigations
            .iter()
            .filter_map(|i| i.id.parse::<u64>().ok())
            .max()
            .unwrap_or(1800)
            + 1;
        Tenant {
            devices,
            by_id,
            alerts: generated.alerts,
            incidents: generated.incidents,
            investigations: generated.investigations,
            actions,
            tvm,
            next_indicator: indicators
                .iter()
                .filter_map(|i| i.id.parse::<u64>().ok())
                .max()
                .unwrap_or(0)
                + 1,
            indicators,
            next_investigation,
        }
    }

    /// A device by id or (case-insensitive) computer DNS name / short name.
    pub fn device(&self, key: &str) -> Option<u32> {
        if let Some(i) = self.by_id.get(&key.to_ascii_lowercase()) {
            return Some(*i);
        }
        let key = key.to_ascii_lowercase();
        self.devices
            .iter()
            .position(|d| d.name == key || d.short_name() == key)
            .map(|i| i as u32)
    }

    /// The index of an alert by id.
    pub fn alert(&self, id: &str) -> Option<usize> {
        self.alerts.iter().position(|a| a.id == id)
    }
}

/// The day automated investigation and response was retired (MC1411577): 2026-09-01.
pub(crate) fn air_retired_at() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_788_220_800, 0).unwrap_or_default()
}

/// Whether `now` is after the retirement of automated investigation.
pub(crate) fn air_retired(now: chrono::DateTime<chrono::Utc>) -> bool {
    now >= air_retired_at()
}
