//! Simulated devices: compact rows generated from the seed, serialised to the MDE machine and
//! deviceavinfo shapes one page at a time.

use super::{Ctx, DOMAIN_SUFFIX};
use crate::sim::clock::{secs, ts};
use crate::sim::rng::{Rng, mix};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// The operating-system family and release of a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Win11,
    Win10,
    Server2019,
    Server2022,
    MacOs,
    Linux,
}

impl Os {
    /// MDE `osPlatform`.
    pub(crate) fn platform(self) -> &'static str {
        match self {
            Os::Win11 => "Windows11",
            Os::Win10 => "Windows10",
            Os::Server2019 => "WindowsServer2019",
            Os::Server2022 => "WindowsServer2022",
            Os::MacOs => "macOS",
            Os::Linux => "Linux",
        }
    }
    /// Whether Windows-only actions (stop & quarantine, restrict, offboard) apply.
    pub(crate) fn is_windows(self) -> bool {
        !matches!(self, Os::MacOs | Os::Linux)
    }
    fn version(self) -> &'static str {
        match self {
            Os::Win11 => "24H2",
            Os::Win10 => "22H2",
            Os::Server2019 => "1809",
            Os::Server2022 => "21H2",
            Os::MacOs => "15.3",
            Os::Linux => "Ubuntu 22.04",
        }
    }
    fn build(self) -> Option<u32> {
        match self {
            Os::Win11 => Some(26100),
            Os::Win10 => Some(19045),
            Os::Server2019 => Some(17763),
            Os::Server2022 => Some(20348),
            Os::MacOs | Os::Linux => None,
        }
    }
    fn agent(self) -> &'static str {
        match self {
            Os::Win11 => "10.8760.26100.3037",
            Os::Win10 => "10.8760.19045.5608",
            Os::Server2019 => "10.8760.17763.6893",
            Os::Server2022 => "10.8760.20348.3328",
            Os::MacOs => "101.25012.0003",
            Os::Linux => "101.25012.0000",
        }
    }
}

/// MDE `healthStatus` values in use.
pub(crate) const HEALTH: [&str; 5] = [
    "Active",
    "Inactive",
    "ImpairedCommunication",
    "NoSensorData",
    "NoSensorDataImpairedCommunication",
];
/// MDE `exposureLevel` values.
pub const EXPOSURE: [&str; 4] = ["None", "Low", "Medium", "High"];
/// MDE `riskScore` values, by rank.
pub const RISK: [&str; 5] = ["None", "Informational", "Low", "Medium", "High"];

/// One simulated device.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub os: Os,
    pub health: u8,
    pub exposure: u8,
    /// Index into `RISK`; raised by open alerts.
    pub risk: u8,
    pub value_high: bool,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub ip: [u8; 4],
    pub tags: Vec<&'static str>,
    pub aad: Option<String>,
    pub rbac: u8,
    /// A stable per-device hash, used to derive fields computed at serialisation time.
    pub h: u64,
}

const DEPTS: [&str; 8] = ["fin", "hr", "mkt", "eng", "ops", "sales", "it", "legal"];
const ROLES: [&str; 8] = ["sql", "file", "dc", "web", "app", "exch", "print", "backup"];
/// Device groups: (id, name). Id 0 is the "no group" case typical of Defender for Business.
pub(crate) const GROUPS: [(u32, &str); 3] =
    [(0, "UnassignedGroup"), (2, "Servers"), (3, "Finance")];

/// Generates `n` devices.
pub fn generate(ctx: &Ctx, n: usize) -> Vec<Device> {
    let mut rng = Rng::stream(ctx.seed, 1);
    let mut counters = [0u32; 16];
    let mut out = Vec::with_capacity(n.min(crate::sim::MAX_DEVICES));
    for i in 0..n {
        let roll = rng.below(100);
        let os = match roll {
            0..55 => Os::Win11,
            55..75 => Os::Win10,
            75..80 => Os::Server2019,
            80..85 => Os::Server2022,
            85..95 => Os::MacOs,
            _ => Os::Linux,
        };
        let dept_i = rng.below(DEPTS.len() as u64) as usize;
        let dept = DEPTS[dept_i];
        let name = match os {
            Os::Win11 | Os::Win10 => {
                let kind = if rng.chance(70) { "lt" } else { "ws" };
                counters[dept_i] += 1;
                format!("{dept}-{kind}-{:04}", counters[dept_i] + 100)
            }
            Os::Server2019 | Os::Server2022 => {
                let r = rng.below(ROLES.len() as u64) as usize;
                counters[8 + r] += 1;
                format!("srv-{}-{:02}", ROLES[r], counters[8 + r])
            }
            Os::MacOs => {
                counters[dept_i] += 1;
                format!("{dept}-mac-{:02}", counters[dept_i])
            }
            Os::Linux => {
                counters[dept_i] += 1;
                let d = if dept_i.is_multiple_of(2) {
                    "dev"
                } else {
                    "build"
                };
                format!("{d}-lnx-{:02}", counters[dept_i])
            }
        };
        let health = match rng.below(100) {
            0..84 => 0,
            84..93 => 1,
            93..96 => 2,
            96..98 => 3,
            _ => 4,
        };
        let exposure = match rng.below(100) {
            0..5 => 0,
            5..45 => 1,
            45..80 => 2,
            _ => 3,
        };
        let server = !matches!(os, Os::Win11 | Os::Win10 | Os::MacOs | Os::Linux);
        let mut tags = Vec::new();
        if server {
            tags.push("Server");
        }
        if dept == "fin" {
            tags.push("Finance");
        }
        if rng.chance(6) {
            tags.push("VIP");
        }
        if rng.chance(8) {
            tags.push("Pilot");
        }
        let first_seen = ctx.now - Duration::days(rng.range(20, 600)) - secs(rng.unit() * 86400.0);
        let last_seen = if health == 1 {
            ctx.now - Duration::days(rng.range(8, 45)) - secs(rng.unit() * 86400.0)
        } else {
            ctx.now - secs(rng.unit() * 20.0 * 3600.0)
        };
        let subnet = if server { 0 } else { 4 + (i / 250) as u8 % 200 };
        let ip = [10, 20, subnet, 10 + (i % 240) as u8];
        let aad = if os.is_windows() && !server && rng.chance(80) {
            Some(rng.uuid())
        } else {
            None
        };
        let rbac = if server {
            1
        } else if dept == "fin" {
            2
        } else {
            0
        };
        out.push(Device {
            id: rng.hex(40),
            name: format!("{name}{DOMAIN_SUFFIX}"),
            os,
            health,
            exposure,
            risk: 0,
            value_high: server && rng.chance(50),
            first_seen,
            last_seen: last_seen.max(first_seen),
            ip,
            tags,
            aad,
            rbac,
            h: mix(ctx.seed ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D)),
        });
    }
    out
}

impl Device {
    /// The dotted IPv4 address.
    pub fn ip(&self) -> String {
        let [a, b, c, d] = self.ip;
        format!("{a}.{b}.{c}.{d}")
    }
    /// The MDE `healthStatus`.
    pub fn health(&self) -> &'static str {
        HEALTH[self.health as usize]
    }
    /// The MDE `riskScore`.
    pub fn risk(&self) -> &'static str {
        RISK[self.risk as usize]
    }
    /// The MDE `exposureLevel`.
    pub fn exposure(&self) -> &'static str {
        EXPOSURE[self.exposure as usize]
    }
    /// The device group (id, name); id 0 means no group.
    pub fn group(&self) -> (u32, &'static str) {
        GROUPS[self.rbac as usize]
    }
    /// The MDE `defenderAvStatus`.
    pub(crate) fn av_status(&self) -> &'static str {
        match (self.health, self.h % 10) {
            (1, _) => "NotReporting",
            (_, 0) => "NotUpdated",
            _ => "Updated",
        }
    }
    fn mac(&self) -> String {
        format!("00155D{:06X}", self.h & 0xFF_FFFF)
    }

    /// The MDE machine entity.
    pub fn to_json(&self) -> Value {
        let (gid, gname) = self.group();
        let vm = (!self.os.is_windows() || self.rbac == 1) && self.h.is_multiple_of(3);
        json!({
            "id": self.id,
            "mergedIntoMachineId": null,
            "isPotentialDuplication": false,
            "isExcluded": false,
            "exclusionReason": null,
            "computerDnsName": self.name,
            "firstSeen": ts(self.first_seen),
            "lastSeen": ts(self.last_seen),
            "osPlatform": self.os.platform(),
            "osVersion": null,
            "osProcessor": "x64",
            "version": self.os.version(),
            "lastIpAddress": self.ip(),
            "lastExternalIpAddress": "203.0.113.58",
            "agentVersion": self.os.agent(),
            "osBuild": self.os.build(),
            "healthStatus": self.health(),
            "deviceValue": if self.value_high { "High" } else { "Normal" },
            "rbacGroupId": gid,
            "rbacGroupName": if gid == 0 { Value::Null } else { gname.into() },
            "riskScore": self.risk(),
            "exposureLevel": self.exposure(),
            "isAadJoined": self.aad.is_some(),
            "aadDeviceId": self.aad,
            "machineTags": self.tags,
            "defenderAvStatus": self.av_status(),
            "onboardingStatus": "Onboarded",
            "osArchitecture": "64-bit",
            "managedBy": if self.os.is_windows() { "Intune" } else { "Unknown" },
            "managedByStatus": if self.os.is_windows() { "Managed" } else { "Unknown" },
            "ipAddresses": [
                {"ipAddress": self.ip(), "macAddress": self.mac(), "type": "Ethernet", "operationalStatus": "Up"},
                {"ipAddress": "127.0.0.1", "macAddress": null, "type": "SoftwareLoopback", "operationalStatus": "Up"}
            ],
            "vmMetadata": if vm { json!({
                "vmId": format!("{:08x}-0000-4000-8000-{:012x}", self.h as u32, self.h >> 16 & 0xFFFF_FFFF_FFFF),
                "cloudProvider": "Azure",
                "resourceId": format!("/subscriptions/1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b/resourceGroups/rg-infra/providers/Microsoft.Compute/virtualMachines/{}", self.short_name()),
                "subscriptionId": "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b"
            }) } else { Value::Null },
        })
    }

    /// The host name without the domain suffix.
    pub fn short_name(&self) -> &str {
        self.name.split('.').next().unwrap_or(&self.name)
    }
}
