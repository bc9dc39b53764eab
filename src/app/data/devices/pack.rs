//! One device as the console keeps it: a fixed record of 4-byte text ids into one shared text
//! buffer, with its numbers and times inline, instead of a `Machine` of ~20 separate heap
//! strings and two address records (about 1.7 KB a device). Packing is lossless: a packed
//! device decodes back to the `Machine` it was made from (the device page and the JSON export
//! read the whole record).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::api::model::{
    DefenderAvStatus, DeviceValue, ExposureLevel, HealthStatus, IpAddress, Machine,
    OnboardingStatus, RiskScore, VmMetadata,
};

/// An index into [`Texts`]; [`NONE`] is a missing value (not the empty text).
pub(super) type Text = u32;

/// A missing text, list or record.
pub(super) const NONE: u32 = u32::MAX;

/// Most distinct texts shared through the dedup map while packing. Fields that repeat across
/// devices (OS, versions, groups, tags, states) are looked up; past this many distinct values
/// (a tenant whose "repeating" fields do not repeat) new texts are appended without a lookup,
/// so the map never grows with the tenant.
const SHARED_MAX: usize = 1 << 16;

/// Texts end to end in one buffer.
#[derive(Clone, Default)]
pub(super) struct Texts {
    buf: String,
    /// End of each text in `buf` (its start is the previous end).
    ends: Vec<u32>,
    /// While packing: shared texts by value (dropped by [`Texts::finish`]).
    shared: HashMap<Box<str>, Text>,
}

impl Texts {
    pub(super) fn get(&self, t: Text) -> Option<&str> {
        let i = t as usize;
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.buf.get(start..end)
    }

    /// Append `s` as a text of its own (values unique to a device: ids, names, addresses).
    fn unique(&mut self, s: &str) -> Text {
        self.buf.push_str(s);
        self.ends.push(self.buf.len() as u32);
        (self.ends.len() - 1) as Text
    }

    /// `s`, stored once for every device that has it (see [`SHARED_MAX`]).
    fn shared(&mut self, s: &str) -> Text {
        if let Some(&t) = self.shared.get(s) {
            return t;
        }
        let t = self.unique(s);
        if self.shared.len() < SHARED_MAX {
            self.shared.insert(s.into(), t);
        }
        t
    }

    /// Drop the packing's lookup map and spare capacity.
    pub(super) fn finish(&mut self) {
        self.shared = HashMap::new();
        self.buf.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    pub(super) fn bytes(&self) -> usize {
        self.buf.capacity() + self.ends.capacity() * 4
    }
}

/// The text fields of a device, by position in [`Packed::text`].
#[derive(Clone, Copy)]
pub(super) enum F {
    Id,
    MergedInto,
    ExclusionReason,
    DnsName,
    OsPlatform,
    OsVersion,
    OsProcessor,
    Version,
    LastIp,
    LastExternalIp,
    AgentVersion,
    Health,
    DeviceValue,
    GroupName,
    Risk,
    Exposure,
    AadDeviceId,
    AvStatus,
    Onboarding,
    OsArchitecture,
    ManagedBy,
    ManagedByStatus,
}

const FIELDS: usize = F::ManagedByStatus as usize + 1;

/// Two times (first and last seen) as seconds and nanoseconds, side by side so neither pads
/// (`nanos == NONE`: no time).
#[derive(Clone, Copy)]
pub(super) struct Stamps {
    secs: [i64; 2],
    nanos: [u32; 2],
}

/// Which of [`Stamps`].
pub(super) const FIRST_SEEN: usize = 0;
pub(super) const LAST_SEEN: usize = 1;

impl Stamps {
    fn of(times: [Option<DateTime<Utc>>; 2]) -> Self {
        let mut s = Stamps {
            secs: [0; 2],
            nanos: [NONE; 2],
        };
        for (i, t) in times.into_iter().enumerate() {
            if let Some(t) = t {
                s.secs[i] = t.timestamp();
                s.nanos[i] = t.timestamp_subsec_nanos();
            }
        }
        s
    }

    pub(super) fn get(&self, i: usize) -> Option<DateTime<Utc>> {
        if self.nanos[i] == NONE {
            return None;
        }
        DateTime::from_timestamp(self.secs[i], self.nanos[i])
    }
}

/// `Option<bool>` in a byte.
fn tri(b: Option<bool>) -> u8 {
    match b {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    }
}

fn untri(b: u8) -> Option<bool> {
    match b {
        1 => Some(false),
        2 => Some(true),
        _ => None,
    }
}

/// A run of entries in one of the shared lists (`start`, `len`).
#[derive(Clone, Copy, Default)]
pub(super) struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// One device (about 160 bytes plus its own texts).
#[derive(Clone)]
pub(super) struct Packed {
    pub(super) text: [Text; FIELDS],
    pub(super) seen: Stamps,
    os_build: Option<i64>,
    rbac_group_id: Option<i64>,
    tags: Span,
    ips: Span,
    /// Index into the VM records, or [`NONE`].
    vm: u32,
    /// `is_potential_duplication`, `is_excluded`, `is_aad_joined` (see [`tri`]).
    flags: [u8; 3],
    pub(super) risk_rank: u8,
    pub(super) exposure_rank: u8,
}

/// Every packed device's texts and lists.
#[derive(Clone, Default)]
pub(super) struct Store {
    pub(super) texts: Texts,
    pub(super) records: Vec<Packed>,
    tags: Vec<Text>,
    /// `ipAddress`, `macAddress`, `type`, `operationalStatus`.
    ips: Vec<[Text; 4]>,
    /// `vmId`, `cloudProvider`, `resourceId`, `subscriptionId`.
    vms: Vec<[Text; 4]>,
}

impl Store {
    fn opt(&mut self, v: Option<&str>, shared: bool) -> Text {
        match v {
            None => NONE,
            Some(s) if shared => self.texts.shared(s),
            Some(s) => self.texts.unique(s),
        }
    }

    fn text(&self, t: Text) -> Option<&str> {
        if t == NONE { None } else { self.texts.get(t) }
    }

    /// Pack `m` (its texts are copied; `m` can be dropped at once).
    pub(super) fn push(&mut self, m: &Machine) {
        let mut text = [NONE; FIELDS];
        let mut put = |f: F, v: Option<&str>, shared: bool, st: &mut Store| {
            text[f as usize] = st.opt(v, shared);
        };
        put(F::Id, Some(&m.id), false, self);
        put(
            F::MergedInto,
            m.merged_into_machine_id.as_deref(),
            false,
            self,
        );
        put(
            F::ExclusionReason,
            m.exclusion_reason.as_deref(),
            true,
            self,
        );
        put(F::DnsName, m.computer_dns_name.as_deref(), false, self);
        put(F::OsPlatform, m.os_platform.as_deref(), true, self);
        put(F::OsVersion, m.os_version.as_deref(), true, self);
        put(F::OsProcessor, m.os_processor.as_deref(), true, self);
        put(F::Version, m.version.as_deref(), true, self);
        put(F::LastIp, m.last_ip_address.as_deref(), false, self);
        put(
            F::LastExternalIp,
            m.last_external_ip_address.as_deref(),
            true,
            self,
        );
        put(F::AgentVersion, m.agent_version.as_deref(), true, self);
        put(
            F::Health,
            m.health_status.as_ref().map(|v| v.as_str()),
            true,
            self,
        );
        put(
            F::DeviceValue,
            m.device_value.as_ref().map(|v| v.as_str()),
            true,
            self,
        );
        put(F::GroupName, m.rbac_group_name.as_deref(), true, self);
        put(
            F::Risk,
            m.risk_score.as_ref().map(|v| v.as_str()),
            true,
            self,
        );
        put(
            F::Exposure,
            m.exposure_level.as_ref().map(|v| v.as_str()),
            true,
            self,
        );
        put(F::AadDeviceId, m.aad_device_id.as_deref(), false, self);
        put(
            F::AvStatus,
            m.defender_av_status.as_ref().map(|v| v.as_str()),
            true,
            self,
        );
        put(
            F::Onboarding,
            m.onboarding_status.as_ref().map(|v| v.as_str()),
            true,
            self,
        );
        put(F::OsArchitecture, m.os_architecture.as_deref(), true, self);
        put(F::ManagedBy, m.managed_by.as_deref(), true, self);
        put(
            F::ManagedByStatus,
            m.managed_by_status.as_deref(),
            true,
            self,
        );
        let tags = Span {
            start: self.tags.len() as u32,
            len: m.machine_tags.len() as u32,
        };
        for t in &m.machine_tags {
            let t = self.texts.shared(t);
            self.tags.push(t);
        }
        let ips = Span {
            start: self.ips.len() as u32,
            len: m.ip_addresses.len() as u32,
        };
        for ip in &m.ip_addresses {
            let a = [
                self.opt(ip.ip_address.as_deref(), false),
                self.opt(ip.mac_address.as_deref(), false),
                self.opt(ip.kind.as_deref(), true),
                self.opt(ip.operational_status.as_deref(), true),
            ];
            self.ips.push(a);
        }
        let vm = match &m.vm_metadata {
            None => NONE,
            Some(v) => {
                let a = [
                    self.opt(v.vm_id.as_deref(), false),
                    self.opt(v.cloud_provider.as_deref(), true),
                    self.opt(v.resource_id.as_deref(), false),
                    self.opt(v.subscription_id.as_deref(), true),
                ];
                self.vms.push(a);
                (self.vms.len() - 1) as u32
            }
        };
        self.records.push(Packed {
            text,
            seen: Stamps::of([m.first_seen, m.last_seen]),
            os_build: m.os_build,
            rbac_group_id: m.rbac_group_id,
            tags,
            ips,
            vm,
            flags: [
                tri(m.is_potential_duplication),
                tri(m.is_excluded),
                tri(m.is_aad_joined),
            ],
            risk_rank: m.risk_rank(),
            exposure_rank: m.exposure_rank(),
        });
    }

    /// Drop the packing's lookup map and spare capacity.
    pub(super) fn finish(&mut self) {
        self.texts.finish();
        self.records.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.ips.shrink_to_fit();
        self.vms.shrink_to_fit();
    }

    /// Bytes held (for the benches' account of where memory goes).
    pub(super) fn bytes(&self) -> usize {
        self.texts.bytes()
            + self.records.capacity() * std::mem::size_of::<Packed>()
            + self.tags.capacity() * 4
            + (self.ips.capacity() + self.vms.capacity()) * 16
    }

    /// Text field `f` of `p`.
    pub(super) fn field(&self, p: &Packed, f: F) -> Option<&str> {
        self.text(p.text[f as usize])
    }

    /// The whole record `p` was packed from.
    pub(super) fn machine(&self, p: &Packed) -> Machine {
        let s = |f: F| self.field(p, f).map(str::to_string);
        let o = |t: Text| self.text(t).map(str::to_string);
        Machine {
            id: s(F::Id).unwrap_or_default(),
            merged_into_machine_id: s(F::MergedInto),
            is_potential_duplication: untri(p.flags[0]),
            is_excluded: untri(p.flags[1]),
            exclusion_reason: s(F::ExclusionReason),
            computer_dns_name: s(F::DnsName),
            first_seen: p.seen.get(FIRST_SEEN),
            last_seen: p.seen.get(LAST_SEEN),
            os_platform: s(F::OsPlatform),
            os_version: s(F::OsVersion),
            os_processor: s(F::OsProcessor),
            version: s(F::Version),
            last_ip_address: s(F::LastIp),
            last_external_ip_address: s(F::LastExternalIp),
            agent_version: s(F::AgentVersion),
            os_build: p.os_build,
            health_status: self.field(p, F::Health).map(HealthStatus::parse),
            device_value: self.field(p, F::DeviceValue).map(DeviceValue::parse),
            rbac_group_id: p.rbac_group_id,
            rbac_group_name: s(F::GroupName),
            risk_score: self.field(p, F::Risk).map(RiskScore::parse),
            exposure_level: self.field(p, F::Exposure).map(ExposureLevel::parse),
            is_aad_joined: untri(p.flags[2]),
            aad_device_id: s(F::AadDeviceId),
            machine_tags: self.tags[p.tags.range()]
                .iter()
                .filter_map(|&t| o(t))
                .collect(),
            defender_av_status: self.field(p, F::AvStatus).map(DefenderAvStatus::parse),
            onboarding_status: self.field(p, F::Onboarding).map(OnboardingStatus::parse),
            os_architecture: s(F::OsArchitecture),
            managed_by: s(F::ManagedBy),
            managed_by_status: s(F::ManagedByStatus),
            ip_addresses: self.ips[p.ips.range()]
                .iter()
                .map(|a| IpAddress {
                    ip_address: o(a[0]),
                    mac_address: o(a[1]),
                    kind: o(a[2]),
                    operational_status: o(a[3]),
                })
                .collect(),
            vm_metadata: self.vms.get(p.vm as usize).map(|a| VmMetadata {
                vm_id: o(a[0]),
                cloud_provider: o(a[1]),
                resource_id: o(a[2]),
                subscription_id: o(a[3]),
            }),
        }
    }
}
