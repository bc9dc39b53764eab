//! A TVM security recommendation (`/api/recommendations`): software updates and
//! configuration changes, with their exposure impact and the devices they concern.

use serde::{Deserialize, Serialize};

use super::de;

/// A security recommendation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Recommendation {
    /// `va-_-{vendor}-_-{product}` (software) or `sca-_-scid-{n}` (configuration).
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    pub product_name: Option<String>,
    pub recommendation_name: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub weaknesses: Option<i64>,
    pub vendor: Option<String>,
    pub recommended_version: Option<String>,
    pub recommended_program: Option<String>,
    pub recommended_vendor: Option<String>,
    /// `Accounts`, `Application`, `Network`, `OS`, `SecurityControls`.
    pub recommendation_category: Option<String>,
    pub sub_category: Option<String>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub severity_score: Option<f64>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub public_exploit: Option<bool>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub active_alert: Option<bool>,
    /// Threat-analytics report GUIDs.
    #[serde(deserialize_with = "de::vec")]
    pub associated_threats: Vec<String>,
    /// `ConfigurationChange`, `Update`, `Upgrade`, `Uninstall`.
    pub remediation_type: Option<String>,
    /// `Active`, `Exception`.
    pub status: Option<String>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub config_score_impact: Option<f64>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub exposure_impact: Option<f64>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub total_machine_count: Option<i64>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub exposed_machines_count: Option<i64>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub non_productivity_impacted_assets: Option<i64>,
    pub related_component: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub exposed_critical_devices: Option<i64>,
}

impl Recommendation {
    /// A configuration (SCA) recommendation rather than a software one.
    pub fn is_configuration(&self) -> bool {
        self.id.starts_with("sca-")
    }

    /// The Secure Score control id this configuration recommendation matches
    /// (`sca-_-scid-2500` -> `scid_2500`).
    pub fn secure_score_control(&self) -> Option<String> {
        let n = self.id.strip_prefix("sca-_-scid-")?;
        Some(format!("scid_{n}"))
    }

    /// Whether it still applies (not an exception).
    pub fn is_active(&self) -> bool {
        self.status
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("Active"))
    }

    /// Name for display: the recommendation name, else the id.
    pub fn display_name(&self) -> &str {
        self.recommendation_name.as_deref().unwrap_or(&self.id)
    }

    /// The impact socops shows and ranks by, everywhere (console, digest, CLI): how much the
    /// exposure score drops when the recommendation is done (`exposureImpact`) — the number
    /// the portal's Impact column leads with. `configScoreImpact` is on another scale (Secure
    /// Score for Devices points) and is shown beside it, never added to it.
    pub fn impact(&self) -> f64 {
        self.exposure_impact.unwrap_or(0.0)
    }

    /// Highest impact first; ties by configuration score impact, then id.
    pub fn by_impact(a: &Recommendation, b: &Recommendation) -> std::cmp::Ordering {
        b.impact()
            .total_cmp(&a.impact())
            .then_with(|| {
                b.config_score_impact
                    .unwrap_or(0.0)
                    .total_cmp(&a.config_score_impact.unwrap_or(0.0))
            })
            .then_with(|| a.id.cmp(&b.id))
    }

    /// The severity as a band of `severityScore` (a CVSS-like 0–10), e.g. `High (8.8)`.
    /// Software recommendations come with `severityScore: 0` (Microsoft's own example,
    /// learn.microsoft.com/defender-endpoint/api/get-security-recommendations): that is "not
    /// scored", not a severity, so it is `None`.
    pub fn severity_text(&self) -> Option<String> {
        let s = self.severity_score.filter(|s| *s > 0.0)?;
        let band = if s >= 9.0 {
            "Critical"
        } else if s >= 7.0 {
            "High"
        } else if s >= 4.0 {
            "Medium"
        } else {
            "Low"
        };
        Some(format!("{band} ({})", (s * 10.0).round() / 10.0))
    }
}

/// An impact as socops prints it everywhere: two decimals.
pub fn impact_text(x: f64) -> String {
    format!("{x:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, exposure: f64, config: f64, severity: f64) -> Recommendation {
        Recommendation {
            id: id.into(),
            exposure_impact: Some(exposure),
            config_score_impact: Some(config),
            severity_score: Some(severity),
            ..Default::default()
        }
    }

    #[test]
    fn impact_is_the_exposure_impact_and_never_a_sum() {
        // 7.4 exposure + 2.22 config used to show as 9.62 in the console, 7.4 in the digest.
        let r = rec("sca-_-scid-2010", 7.4, 2.22, 6.4);
        assert_eq!(r.impact(), 7.4);
        assert_eq!(impact_text(r.impact()), "7.40");
    }

    #[test]
    fn ranks_by_impact_then_config_impact() {
        let mut v = [
            rec("a", 1.0, 0.0, 0.0),
            rec("b", 7.0, 0.5, 0.0),
            rec("c", 7.0, 2.0, 0.0),
        ];
        v.sort_by(Recommendation::by_impact);
        let ids: Vec<&str> = v.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["c", "b", "a"]);
    }

    #[test]
    fn severity_zero_is_not_scored() {
        assert_eq!(rec("va", 1.0, 0.0, 0.0).severity_text(), None);
        assert_eq!(
            rec("sca", 1.0, 0.0, 8.8).severity_text().as_deref(),
            Some("High (8.8)")
        );
        assert_eq!(
            rec("sca", 1.0, 0.0, 9.1).severity_text().as_deref(),
            Some("Critical (9.1)")
        );
    }
}
