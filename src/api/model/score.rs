//! TVM scores: the organisation exposure score, its split by device group, and the
//! configuration score (Microsoft Secure Score for Devices).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de;

/// `GET /api/exposureScore`: 0–100, lower is better.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExposureScore {
    #[serde(deserialize_with = "de::datetime")]
    pub time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub score: Option<f64>,
}

/// One row of `GET /api/exposureScore/ByMachineGroups`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GroupExposureScore {
    #[serde(deserialize_with = "de::datetime")]
    pub time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub score: Option<f64>,
    pub rbac_group_name: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub rbac_group_id: Option<i64>,
}

/// `GET /api/configurationScore`: points (unit undocumented; the portal shows a share of a
/// maximum the API does not give).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ConfigurationScore {
    #[serde(deserialize_with = "de::datetime")]
    pub time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub score: Option<f64>,
}
