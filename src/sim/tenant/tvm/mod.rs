//! Vulnerability management: exposure and configuration scores, security recommendations,
//! vulnerabilities and remediation activities, scaled to the device count.

mod recs;
mod tasks;

use super::Ctx;
use super::devices::{Device, GROUPS};
use crate::sim::clock::ts;
use crate::sim::rng::{Rng, mix};
use chrono::{DateTime, Duration, Utc};
use recs::RECS;
use serde_json::{Value, json};

/// One recommendation (software or configuration).
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub id: String,
    pub product: &'static str,
    pub vendor: &'static str,
    pub name: String,
    pub category: &'static str,
    pub sub_category: &'static str,
    pub remediation: &'static str,
    pub version: &'static str,
    pub component: &'static str,
    pub weaknesses: u32,
    pub severity_score: f64,
    pub public_exploit: bool,
    pub active_alert: bool,
    pub threats: Vec<String>,
    pub status: &'static str,
    pub config_impact: f64,
    pub exposure_impact: f64,
    pub total: u32,
    pub exposed: u32,
    /// Percent of devices exposed, used to pick machine references by hash.
    pub pct: u64,
}

/// One vulnerability.
#[derive(Debug, Clone)]
pub struct Vulnerability {
    pub id: String,
    pub description: String,
    pub severity: &'static str,
    pub cvss: Option<f64>,
    pub exposed: u32,
    pub published: DateTime<Utc>,
    pub public_exploit: bool,
    pub verified: bool,
    pub in_kit: bool,
    pub epss: Option<f64>,
}

/// All TVM data.
#[derive(Debug, Clone)]
pub struct Tvm {
    pub exposure: f64,
    pub config_score: u32,
    pub recommendations: Vec<Recommendation>,
    pub vulnerabilities: Vec<Vulnerability>,
    pub tasks: Vec<Value>,
    pub group_scores: Vec<(String, f64)>,
}

/// Whether device `d` is exposed to recommendation number `r` (of `product`): the one rule
/// behind the recommendation's `exposedMachinesCount`, its `machineReferences` and the
/// device's own recommendation list, so the three agree as the service's do.
pub fn exposed(d: &Device, r: usize, product: &str, pct: u64) -> bool {
    applies(d, product) && mix(d.h ^ (r as u64 + 1)) % 100 < pct
}

/// Windows-only recommendations (OS updates, security controls) skip macOS and Linux.
fn applies(d: &Device, product: &str) -> bool {
    d.os.is_windows() || !product.starts_with("windows")
}

/// Whether device `d` is exposed to vulnerability number `v` of a tenant of `total` devices:
/// the same hash rule as recommendations, at the vulnerability's exposed share.
pub(crate) fn vulnerable(d: &Device, v: usize, vuln: &Vulnerability, total: usize) -> bool {
    let pct = (vuln.exposed as u64 * 100).div_ceil(total.max(1) as u64);
    mix(d.h ^ (0x7675_6c6e_0000 + v as u64)) % 100 < pct
}

/// The tenant's threat analytics reports. One report covers a campaign or an exploited
/// vulnerability and is associated with every recommendation that mitigates it, so several
/// recommendations name the same report (as the service's `associatedThreats` do).
const THREAT_REPORTS: [&str; 4] = [
    "3f1b2a9c-5d4e-4c8b-9a71-2e6f0d8c4b13",
    "7a9e4c21-0b3d-4f5a-8e62-91c7d5f3a208",
    "b42d8e60-9f1a-4c37-b5e8-06a3c7d9e1f4",
    "e5c07f3b-2a8d-4e91-a6f4-8b1d3c5e7a92",
];

/// The report a random draw picks (the draw keeps the generator's sequence unchanged).
fn threat_report(draw: &str) -> &'static str {
    let n = draw
        .bytes()
        .fold(0usize, |a, b| a.wrapping_mul(31) + b as usize);
    THREAT_REPORTS[n % THREAT_REPORTS.len()]
}

/// Generates TVM data.
pub fn generate(ctx: &Ctx, devices: &[Device]) -> Tvm {
    let mut rng = Rng::stream(ctx.seed, 4);
    let total = devices.len() as u32;
    let recommendations: Vec<Recommendation> = RECS
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let exposed = devices.iter().filter(|d| exposed(d, i, r.1, r.11)).count() as u32;
            let config = r.0.starts_with("sca");
            Recommendation {
                id: r.0.into(),
                product: r.1,
                vendor: r.2,
                name: r.3.into(),
                category: r.4,
                sub_category: r.5,
                remediation: r.6,
                version: r.7,
                component: r.8,
                weaknesses: r.9,
                severity_score: if config {
                    (40 + rng.below(50)) as f64 / 10.0
                } else {
                    0.0
                },
                public_exploit: r.10,
                active_alert: i % 5 == 1,
                threats: if r.10 {
                    let mut t: Vec<String> = (0..1 + rng.below(2))
                        .map(|_| threat_report(&rng.uuid()).to_string())
                        .collect();
                    t.dedup();
                    t
                } else {
                    vec![]
                },
                status: if i == 2 { "Exception" } else { "Active" },
                config_impact: if config {
                    (rng.below(30_000) as f64) / 10_000.0
                } else {
                    0.0
                },
                exposure_impact: rng.unit() * 8.0,
                total,
                exposed,
                pct: r.11,
            }
        })
        .collect();
    let products = [
        "Google Chrome",
        "Windows",
        "Adobe Acrobat Reader",
        "Mozilla Firefox",
        "Oracle Java",
        "7-Zip",
        ".NET Framework",
    ];
    let kinds = [
        "remote code execution",
        "elevation of privilege",
        "information disclosure",
        "security feature bypass",
        "denial of service",
    ];
    let n_vuln = 60;
    let vulnerabilities = (0..n_vuln)
        .map(|i| {
            let cvss = (40 + rng.below(59)) as f64 / 10.0;
            let severity = match cvss {
                c if c >= 9.0 => "Critical",
                c if c >= 7.0 => "High",
                c if c >= 4.0 => "Medium",
                _ => "Low",
            };
            let product = rng.pick(&products);
            Vulnerability {
                id: if i == n_vuln - 1 {
                    "TVM-2024-0007".into()
                } else {
                    format!("CVE-{}-{}", 2023 + rng.below(3), 20000 + rng.below(40000))
                },
                description: format!(
                    "A {} vulnerability exists in {}.",
                    rng.pick(&kinds),
                    product
                ),
                severity: if i == n_vuln - 1 { "Medium" } else { severity },
                cvss: (i != n_vuln - 1).then_some(cvss),
                exposed: ((total as u64 * rng.below(40)) / 100).max(1) as u32,
                published: ctx.now - Duration::days(rng.range(5, 700)),
                public_exploit: rng.chance(30),
                verified: rng.chance(15),
                in_kit: rng.chance(5),
                epss: (i != n_vuln - 1).then(|| (rng.below(90_000) as f64) / 100_000.0),
            }
        })
        .collect();
    let tasks = tasks::generate(ctx, &mut rng, &recommendations);
    let exposure = 25.0 + rng.unit() * 25.0;
    Tvm {
        exposure,
        config_score: 380 + rng.below(120) as u32,
        recommendations,
        vulnerabilities,
        tasks,
        group_scores: GROUPS
            .iter()
            .map(|(_, n)| (n.to_string(), exposure + (rng.unit() - 0.5) * 20.0))
            .collect(),
    }
}

impl Recommendation {
    /// The MDE recommendation entity.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "productName": self.product, "recommendationName": self.name, "weaknesses": self.weaknesses,
            "vendor": self.vendor, "recommendedVersion": self.version, "recommendedProgram": null, "recommendedVendor": null,
            "recommendationCategory": self.category, "subCategory": self.sub_category, "severityScore": self.severity_score,
            "publicExploit": self.public_exploit, "activeAlert": self.active_alert, "associatedThreats": self.threats,
            "remediationType": self.remediation, "status": self.status, "configScoreImpact": self.config_impact,
            "exposureImpact": self.exposure_impact, "totalMachineCount": self.total, "exposedMachinesCount": self.exposed,
            "nonProductivityImpactedAssets": 0, "relatedComponent": self.component, "exposedCriticalDevices": self.exposed / 20,
        })
    }
}

impl Vulnerability {
    /// The MDE vulnerability entity.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "name": self.id, "description": self.description, "severity": self.severity,
            "cvssV3": self.cvss,
            "cvssVector": self.cvss.map(|_| "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C"),
            "exposedMachines": self.exposed, "publishedOn": ts(self.published.date_naive().and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or(self.published)),
            "updatedOn": ts(self.published + Duration::days(7)), "firstDetected": ts(self.published + Duration::days(1)),
            "patchFirstAvailable": ts(self.published), "publicExploit": self.public_exploit, "exploitVerified": self.verified,
            "exploitInKit": self.in_kit,
            "exploitTypes": if self.public_exploit { vec!["Remote code execution"] } else { vec![] },
            "exploitUris": [], "cveSupportability": "Supported", "epss": self.epss,
        })
    }
}
