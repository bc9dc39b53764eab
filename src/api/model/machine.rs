//! A device (`GET /api/machines`): inventory, health, risk and exposure as MDE reports them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de;
use crate::open_enum;

open_enum! {
    /// Sensor health of a device.
    pub enum HealthStatus {
        Active = "Active",
        Inactive = "Inactive",
        ImpairedCommunication = "ImpairedCommunication",
        NoSensorData = "NoSensorData",
        NoSensorDataImpairedCommunication = "NoSensorDataImpairedCommunication",
        Unknown = "Unknown",
    }
}

open_enum! {
    /// Device risk. `None` is the service's text "None", not a missing value.
    pub enum RiskScore {
        None = "None",
        Informational = "Informational",
        Low = "Low",
        Medium = "Medium",
        High = "High",
    }
}

open_enum! {
    /// TVM exposure level of a device.
    pub enum ExposureLevel {
        None = "None",
        Low = "Low",
        Medium = "Medium",
        High = "High",
    }
}

open_enum! {
    /// Business value the customer assigned to the device.
    pub enum DeviceValue { Normal = "Normal", Low = "Low", High = "High" }
}

open_enum! {
    /// Onboarding state (real answers are PascalCase; Graph evidence camelCase).
    pub enum OnboardingStatus {
        Onboarded = "Onboarded",
        CanBeOnboarded = "CanBeOnboarded",
        Unsupported = "Unsupported",
        InsufficientInfo = "InsufficientInfo",
    }
}

open_enum! {
    /// Defender Antivirus state of the device.
    pub enum DefenderAvStatus {
        Updated = "Updated",
        NotUpdated = "NotUpdated",
        Disabled = "Disabled",
        NotReporting = "NotReporting",
        NotSupported = "NotSupported",
        Unknown = "Unknown",
    }
}

impl RiskScore {
    /// Ordering for sorting: None 0 … High 4, unknown values 0.
    pub fn rank(&self) -> u8 {
        match self {
            RiskScore::Informational => 1,
            RiskScore::Low => 2,
            RiskScore::Medium => 3,
            RiskScore::High => 4,
            RiskScore::None | RiskScore::Other(_) => 0,
        }
    }
}

impl ExposureLevel {
    /// Ordering for sorting: None 0 … High 3.
    pub fn rank(&self) -> u8 {
        match self {
            ExposureLevel::Low => 1,
            ExposureLevel::Medium => 2,
            ExposureLevel::High => 3,
            ExposureLevel::None | ExposureLevel::Other(_) => 0,
        }
    }
}

/// One network interface address of a device (loopbacks included).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IpAddress {
    #[serde(deserialize_with = "de::opt_id")]
    pub ip_address: Option<String>,
    #[serde(deserialize_with = "de::opt_id")]
    pub mac_address: Option<String>,
    #[serde(rename = "type", deserialize_with = "de::opt_id")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "de::opt_id")]
    pub operational_status: Option<String>,
}

/// Cloud VM details of a device, when it is one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct VmMetadata {
    pub vm_id: Option<String>,
    pub cloud_provider: Option<String>,
    pub resource_id: Option<String>,
    pub subscription_id: Option<String>,
}

/// A device as `GET /api/machines` returns it. Nearly everything is nullable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Machine {
    /// 40-hex device id.
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    pub merged_into_machine_id: Option<String>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub is_potential_duplication: Option<bool>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub is_excluded: Option<bool>,
    pub exclusion_reason: Option<String>,
    pub computer_dns_name: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub first_seen: Option<DateTime<Utc>>,
    /// Last full device report (about daily), not the portal's "last seen".
    #[serde(deserialize_with = "de::datetime")]
    pub last_seen: Option<DateTime<Utc>>,
    pub os_platform: Option<String>,
    pub os_version: Option<String>,
    pub os_processor: Option<String>,
    #[serde(deserialize_with = "de::opt_id")]
    pub version: Option<String>,
    pub last_ip_address: Option<String>,
    pub last_external_ip_address: Option<String>,
    pub agent_version: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub os_build: Option<i64>,
    pub health_status: Option<HealthStatus>,
    pub device_value: Option<DeviceValue>,
    /// `0` when the device is in no device group (typical on Defender for Business).
    #[serde(deserialize_with = "de::opt_i64")]
    pub rbac_group_id: Option<i64>,
    pub rbac_group_name: Option<String>,
    pub risk_score: Option<RiskScore>,
    pub exposure_level: Option<ExposureLevel>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub is_aad_joined: Option<bool>,
    pub aad_device_id: Option<String>,
    #[serde(deserialize_with = "de::vec")]
    pub machine_tags: Vec<String>,
    pub defender_av_status: Option<DefenderAvStatus>,
    pub onboarding_status: Option<OnboardingStatus>,
    pub os_architecture: Option<String>,
    pub managed_by: Option<String>,
    pub managed_by_status: Option<String>,
    #[serde(deserialize_with = "de::vec")]
    pub ip_addresses: Vec<IpAddress>,
    pub vm_metadata: Option<VmMetadata>,
}

impl Machine {
    /// The host name: `computerDnsName` before the first dot, else the device id.
    pub fn short_name(&self) -> &str {
        match self.computer_dns_name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.split('.').next().unwrap_or(n),
            _ => self.id.as_str(),
        }
    }

    /// The full DNS name, else the device id.
    pub fn display_name(&self) -> &str {
        match self.computer_dns_name.as_deref() {
            Some(n) if !n.trim().is_empty() => n,
            _ => self.id.as_str(),
        }
    }

    /// Risk rank for sorting (0 when unknown).
    pub(crate) fn risk_rank(&self) -> u8 {
        self.risk_score.as_ref().map_or(0, RiskScore::rank)
    }

    /// Exposure rank for sorting (0 when unknown).
    pub(crate) fn exposure_rank(&self) -> u8 {
        self.exposure_level.as_ref().map_or(0, ExposureLevel::rank)
    }

    /// Whether the sensor reports as active.
    pub fn is_active(&self) -> bool {
        self.health_status == Some(HealthStatus::Active)
    }

    /// Addresses other than loopbacks.
    pub fn non_loopback_ips(&self) -> impl Iterator<Item = &str> {
        self.ip_addresses
            .iter()
            .filter(|i| {
                !i.kind
                    .as_deref()
                    .is_some_and(|k| k.eq_ignore_ascii_case("SoftwareLoopback"))
            })
            .filter_map(|i| i.ip_address.as_deref())
    }
}
