//! The device inventory as the console holds it: every device packed (see `pack.rs`) as the
//! worker reads the pages, an index by machine id, and [`Device`], a borrowed view with the
//! fields the views read (`Device::machine` decodes the whole record for the device page and
//! the JSON export). At 100,000 devices this is ~40 MB where a `Vec<Machine>` was ~170 MB.

mod pack;

use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::api::model::{HealthStatus, Machine, RiskScore};
use crate::predicates::DeviceFacts;
use pack::{F, Packed, Store};

/// The loaded devices, in the order the service listed them.
#[derive(Clone, Default)]
pub struct Devices {
    store: Store,
    /// `(hash of the id, position)`, sorted: a device by machine id in a few probes.
    by_id: Vec<(u64, u32)>,
}

/// Packs devices one at a time (a page's typed records can be dropped once pushed).
#[derive(Default)]
pub struct DevicesBuilder {
    store: Store,
}

fn hash(id: &str) -> u64 {
    // `DefaultHasher::new()` has fixed keys: the same id always has the same hash.
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl DevicesBuilder {
    /// Add one device.
    pub fn push(&mut self, m: &Machine) {
        self.store.push(m);
    }

    /// How many devices so far.
    pub fn len(&self) -> usize {
        self.store.records.len()
    }

    /// Whether none yet.
    pub fn is_empty(&self) -> bool {
        self.store.records.is_empty()
    }

    /// The inventory, indexed by machine id.
    pub fn finish(mut self) -> Devices {
        self.store.finish();
        let store = self.store;
        let mut by_id: Vec<(u64, u32)> = store
            .records
            .iter()
            .enumerate()
            .map(|(i, p)| (hash(store.field(p, F::Id).unwrap_or_default()), i as u32))
            .collect();
        by_id.sort_unstable();
        Devices { store, by_id }
    }
}

impl Devices {
    /// How many devices.
    pub fn len(&self) -> usize {
        self.store.records.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.store.records.is_empty()
    }

    /// Device `i` in list order.
    pub fn get(&self, i: usize) -> Option<Device<'_>> {
        self.store
            .records
            .get(i)
            .map(|p| Device { all: self, p, i })
    }

    /// Every device, in list order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Device<'_>> + '_ {
        self.store
            .records
            .iter()
            .enumerate()
            .map(move |(i, p)| Device { all: self, p, i })
    }

    /// The device with machine id `id`.
    pub fn find(&self, id: &str) -> Option<Device<'_>> {
        let h = hash(id);
        let from = self.by_id.partition_point(|&(x, _)| x < h);
        self.by_id[from..]
            .iter()
            .take_while(|&&(x, _)| x == h)
            .filter_map(|&(_, i)| self.get(i as usize))
            .find(|d| d.id() == id)
    }

    /// Every device as the service sent it (the JSON export; tests).
    pub fn to_machines(&self) -> Vec<Machine> {
        self.iter().map(|d| d.machine()).collect()
    }

    /// Bytes held (the memory bench's account).
    pub fn bytes(&self) -> usize {
        self.store.bytes() + self.by_id.capacity() * 16
    }
}

impl std::fmt::Debug for Devices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Devices({})", self.len())
    }
}

impl FromIterator<Machine> for Devices {
    fn from_iter<I: IntoIterator<Item = Machine>>(iter: I) -> Self {
        let mut b = DevicesBuilder::default();
        for m in iter {
            b.push(&m);
        }
        b.finish()
    }
}

impl From<Vec<Machine>> for Devices {
    fn from(ms: Vec<Machine>) -> Self {
        ms.into_iter().collect()
    }
}

/// A list of machines in the API's JSON (fixtures and tests build a payload this way).
impl<'de> Deserialize<'de> for Devices {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<Machine>::deserialize(d).map(Devices::from)
    }
}

/// The list in the API's JSON, one record decoded at a time.
impl Serialize for Devices {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(|d| d.machine()))
    }
}

/// One device of [`Devices`], borrowed: the fields the views read, each without a copy.
#[derive(Clone, Copy)]
pub struct Device<'a> {
    all: &'a Devices,
    p: &'a Packed,
    i: usize,
}

impl<'a> Device<'a> {
    fn text(&self, f: F) -> Option<&'a str> {
        self.all.store.field(self.p, f)
    }

    /// The 40-hex machine id.
    pub fn id(&self) -> &'a str {
        self.text(F::Id).unwrap_or_default()
    }

    /// Position in the list.
    pub fn index(&self) -> usize {
        self.i
    }

    pub fn computer_dns_name(&self) -> Option<&'a str> {
        self.text(F::DnsName)
    }

    /// The host name: `computerDnsName` before the first dot, else the device id (as
    /// `Machine::short_name`).
    pub fn short_name(&self) -> &'a str {
        match self.computer_dns_name().map(str::trim) {
            Some(n) if !n.is_empty() => n.split('.').next().unwrap_or(n),
            _ => self.id(),
        }
    }

    /// The full DNS name, else the device id (as `Machine::display_name`).
    pub fn display_name(&self) -> &'a str {
        match self.computer_dns_name() {
            Some(n) if !n.trim().is_empty() => n,
            _ => self.id(),
        }
    }

    pub fn os_platform(&self) -> Option<&'a str> {
        self.text(F::OsPlatform)
    }

    /// Whether the OS is a Windows flavour (some actions are Windows-only).
    pub fn is_windows(&self) -> bool {
        self.os_platform()
            .is_some_and(|p| p.to_ascii_lowercase().starts_with("windows"))
    }

    pub fn rbac_group_name(&self) -> Option<&'a str> {
        self.text(F::GroupName)
    }

    /// The risk score's text (`High`, …; an unknown value as received).
    pub fn risk_text(&self) -> Option<&'a str> {
        self.text(F::Risk)
    }

    pub fn risk_score(&self) -> Option<RiskScore> {
        self.risk_text().map(RiskScore::parse)
    }

    /// Risk rank for sorting (0 when unknown; `RiskScore::rank`).
    pub fn risk_rank(&self) -> u8 {
        self.p.risk_rank
    }

    /// The exposure level's text.
    pub fn exposure_text(&self) -> Option<&'a str> {
        self.text(F::Exposure)
    }

    /// Exposure rank for sorting (0 when unknown; `ExposureLevel::rank`).
    pub fn exposure_rank(&self) -> u8 {
        self.p.exposure_rank
    }

    /// The sensor health's text.
    pub fn health_text(&self) -> Option<&'a str> {
        self.text(F::Health)
    }

    pub fn health_status(&self) -> Option<HealthStatus> {
        self.health_text().map(HealthStatus::parse)
    }

    /// The Defender Antivirus state's text.
    pub fn av_status_text(&self) -> Option<&'a str> {
        self.text(F::AvStatus)
    }

    /// Last full device report.
    pub fn last_seen(&self) -> Option<DateTime<Utc>> {
        self.p.seen.get(pack::LAST_SEEN)
    }

    /// The whole record, as the service sent it.
    pub fn machine(&self) -> Machine {
        self.all.store.machine(self.p)
    }
}

/// The shared device rules (`crate::predicates`) read the packed fields.
impl DeviceFacts for Device<'_> {
    fn id(&self) -> &str {
        Device::id(self)
    }
    fn short_name(&self) -> &str {
        Device::short_name(self)
    }
    fn risk_score(&self) -> Option<RiskScore> {
        Device::risk_score(self)
    }
    fn risk_rank(&self) -> u8 {
        Device::risk_rank(self)
    }
    fn exposure_rank(&self) -> u8 {
        Device::exposure_rank(self)
    }
    fn health_status(&self) -> Option<HealthStatus> {
        Device::health_status(self)
    }
    fn last_seen(&self) -> Option<DateTime<Utc>> {
        Device::last_seen(self)
    }
    fn risk_text(&self) -> Option<&str> {
        Device::risk_text(self)
    }
    fn exposure_text(&self) -> Option<&str> {
        Device::exposure_text(self)
    }
    fn health_text(&self) -> Option<&str> {
        Device::health_text(self)
    }
}

#[cfg(test)]
mod tests;
