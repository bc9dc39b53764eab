//! Monthly and as-needed views: reports (AV health, alerts, incidents, actions), derived
//! threats and indicators.

use std::collections::BTreeMap;

use crate::app::state::{AppState, Panel, TableId};
use crate::app::tables::rows::{or_dash, portal, set, severity, ts};
use crate::app::tables::table::Row;
use crate::app::view::View;

/// Each distinct value with how often it occurs, most frequent first (ties by name).
fn counts<'a>(items: impl Iterator<Item = &'a str>) -> Vec<(&'a str, usize)> {
    let mut m: BTreeMap<&str, usize> = BTreeMap::new();
    for i in items {
        *m.entry(i).or_default() += 1;
    }
    let mut v: Vec<_> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}

/// `7 High · 13 Medium`: the counts as one line of items (they wrap whole).
fn items(counts: Vec<(&str, usize)>) -> String {
    counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.trim()))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn joined<'a>(values: impl Iterator<Item = &'a str>) -> String {
    items(counts(values))
}

/// Severities from the most to the least severe, whatever their spelling (Graph writes
/// `high`, Defender `High`); any other value after them.
const SEVERITY_ORDER: [&str; 4] = ["high", "medium", "low", "informational"];

fn severity_rank(s: &str) -> usize {
    SEVERITY_ORDER
        .iter()
        .position(|x| x.eq_ignore_ascii_case(s))
        .unwrap_or(SEVERITY_ORDER.len())
}

/// Counts of severities in severity order (High, Medium, Low, Informational), not by count.
fn by_severity<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut c = counts(values);
    c.sort_by_key(|(k, _)| severity_rank(k));
    items(c)
}

/// The report panels, from whatever has loaded.
pub(super) fn reports(s: &mut AppState) {
    let mut panels = Vec::new();
    if let Some(av) = s.data.av_info.data() {
        let out = av.iter().filter(|a| a.is_out_of_date()).count();
        let mut lines = vec![format!(
            "{} devices, {out} with out-of-date signatures",
            av.len()
        )];
        lines.push(format!(
            "modes: {}",
            joined(av.iter().map(|a| a.av_mode_name()))
        ));
        lines.push(format!(
            "last quick scan: {}",
            joined(
                av.iter()
                    .map(|a| a.quick_scan_result.as_deref().unwrap_or("none"))
            )
        ));
        lines.push(format!(
            "last full scan: {}",
            joined(
                av.iter()
                    .map(|a| a.full_scan_result.as_deref().unwrap_or("none"))
            )
        ));
        panels.push(Panel {
            title: "Antivirus health".into(),
            lines,
        });
    }
    if let Some(alerts) = s.data.alerts.data() {
        let lines = vec![
            format!("{} alerts", alerts.len()),
            format!(
                "severity: {}",
                by_severity(
                    alerts
                        .iter()
                        .map(|a| a.severity.as_ref().map_or("—", |x| x.as_str()))
                )
            ),
            format!(
                "status: {}",
                joined(
                    alerts
                        .iter()
                        .map(|a| a.status.as_ref().map_or("—", |x| x.as_str()))
                )
            ),
            format!(
                "source: {}",
                joined(
                    alerts
                        .iter()
                        .map(|a| a.detection_source.as_deref().unwrap_or("—"))
                )
            ),
        ];
        panels.push(Panel {
            title: "Alerts, 30 days".into(),
            lines,
        });
    }
    if let Some(incs) = s.data.incidents.data() {
        let month_ago = s.now - chrono::Duration::days(30);
        let recent: Vec<_> = incs
            .iter()
            .filter(|i| i.created_date_time.is_none_or(|t| t >= month_ago))
            .collect();
        let lines = vec![
            format!("{} incidents", recent.len()),
            format!(
                "severity: {}",
                by_severity(
                    recent
                        .iter()
                        .map(|i| i.severity.as_ref().map_or("—", |x| x.as_str()))
                )
            ),
            format!(
                "status: {}",
                joined(
                    recent
                        .iter()
                        .map(|i| i.status.as_ref().map_or("—", |x| x.as_str()))
                )
            ),
        ];
        panels.push(Panel {
            title: "Incidents, 30 days".into(),
            lines,
        });
    }
    if let Some(actions) = s.data.machine_actions.data() {
        let mut lines = vec![format!("{} machine actions", actions.len())];
        let mut by_type: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        for a in actions {
            let t = a.action_type.as_ref().map_or("—", |x| x.as_str());
            let st = a.status.as_ref().map_or("—", |x| x.as_str());
            *by_type.entry(t).or_default().entry(st).or_default() += 1;
        }
        for (t, m) in by_type {
            let outcomes: Vec<String> = m.iter().map(|(k, n)| format!("{n} {k}")).collect();
            lines.push(format!("{t}: {}", outcomes.join(" · ")));
        }
        panels.push(Panel {
            title: "Machine actions, 30 days".into(),
            lines,
        });
    }
    s.panels.insert(View::Reports, panels);
}

/// Threats derived from recommendations' associated threats and exploitable vulnerabilities.
pub(super) fn threats(s: &mut AppState) {
    let base = portal(s);
    let mut rows = Vec::new();
    if let Some(recs) = s.data.recommendations.data() {
        // One row per threat analytics report, however many recommendations name it (ids
        // compared without case), with what it affects.
        let mut by_threat: BTreeMap<String, Threat> = BTreeMap::new();
        for r in recs {
            for t in &r.associated_threats {
                let e = by_threat.entry(t.trim().to_lowercase()).or_default();
                e.id.get_or_insert_with(|| t.trim().to_string());
                // Devices exposed through several recommendations would count twice in a sum:
                // the largest recommendation's count is what is known for sure.
                e.exposed = e.exposed.max(r.exposed_machines_count.unwrap_or(0));
                e.exploit |= r.public_exploit == Some(true);
                let product = affected(r);
                if !e.affects.contains(&product) {
                    e.affects.push(product);
                }
                e.recommendations += 1;
            }
        }
        for t in by_threat.into_values() {
            let Some(id) = t.id else { continue };
            let (sev, rank) = if t.exploit {
                ("High", 4)
            } else {
                ("Medium", 3)
            };
            rows.push(
                Row::new(
                    id.clone(),
                    vec![
                        format!("threat report {} · {}", short(&id), t.affects.join(", ")),
                        format!("≥{}", t.exposed),
                        if t.exploit { "yes".into() } else { "no".into() },
                        sev.to_string(),
                        format!("{} recommendation(s)", t.recommendations),
                    ],
                )
                .rank(1, t.exposed)
                .rank(3, rank)
                .link(Some(format!(
                    "{base}/threatanalytics3/{}/overview",
                    crate::api::calls::encode_segment(&id)
                ))),
            );
        }
    }
    if let Some(vulns) = s.data.vulnerabilities.data() {
        for v in vulns
            .iter()
            .filter(|v| v.public_exploit == Some(true) && v.exposed_machines.unwrap_or(0) > 0)
        {
            let sev = v.severity.as_ref().map_or("—", |x| x.as_str());
            rows.push(
                Row::new(
                    v.id.clone(),
                    vec![
                        format!("vulnerability {} · {}", v.id, vuln_text(v)),
                        v.exposed_machines.unwrap_or(0).to_string(),
                        if v.exploit_verified == Some(true) {
                            "verified".into()
                        } else {
                            "yes".into()
                        },
                        sev.to_string(),
                        if v.exploit_in_kit == Some(true) {
                            "in exploit kit".into()
                        } else {
                            "—".into()
                        },
                    ],
                )
                .rank(1, v.exposed_machines.unwrap_or(0))
                .rank(3, i64::from(v.severity_rank()))
                .link(Some(format!(
                    "{base}/vulnerabilities/vulnerability/{}/overview",
                    v.id
                ))),
            );
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse((r.ranks[3], r.ranks[1])));
    set(s, TableId::Threats, rows);
}

/// A threat report's row, gathered from the recommendations that name it.
#[derive(Default)]
struct Threat {
    /// The id as the service spells it (first seen).
    id: Option<String>,
    exposed: i64,
    exploit: bool,
    /// What it affects: the products of its recommendations, each once.
    affects: Vec<String>,
    recommendations: usize,
}

/// The product a recommendation is about, as a person names it ("Chrome", "Windows 11").
fn affected(r: &crate::api::model::Recommendation) -> String {
    r.related_component
        .clone()
        .or(r.product_name.clone())
        .filter(|x| !x.trim().is_empty())
        .unwrap_or_else(|| r.display_name().to_string())
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// Indicators, newest first.
pub(super) fn indicators(s: &mut AppState) {
    let Some(inds) = s.data.indicators.data() else {
        return;
    };
    let mut inds: Vec<_> = inds.iter().collect();
    inds.sort_by_key(|i| std::cmp::Reverse(i.creation_time_date_time_utc));
    let rows = inds
        .iter()
        .map(|i| {
            let (sev, rank) = severity(i.severity.as_ref());
            Row::new(
                i.id.clone(),
                vec![
                    or_dash(i.indicator_type.as_ref().map(|t| t.as_str())),
                    or_dash(i.indicator_value.as_deref()),
                    or_dash(i.action.as_ref().map(|t| t.as_str())),
                    sev,
                    or_dash(i.title.as_deref()),
                    String::new(),
                ],
            )
            .rank(3, rank)
            .rank(5, ts(i.creation_time_date_time_utc))
        })
        .collect();
    set(s, TableId::Indicators, rows);
}

/// What to call a vulnerability beside its id: its name when it differs, else its description.
fn vuln_text(v: &crate::api::model::Vulnerability) -> &str {
    match v.name.as_deref() {
        Some(n) if n != v.id => n,
        _ => v.description.as_deref().unwrap_or(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_read_in_severity_order_not_by_count() {
        let v = [
            "Low",
            "Low",
            "Informational",
            "High",
            "Medium",
            "Low",
            "Medium",
            "UnknownFutureValue",
        ];
        assert_eq!(
            by_severity(v.into_iter()),
            "1 High · 2 Medium · 3 Low · 1 Informational · 1 UnknownFutureValue"
        );
        // Graph's lower-case spellings take the same places.
        assert_eq!(
            by_severity(["low", "high", "informational"].into_iter()),
            "1 high · 1 low · 1 informational"
        );
        // Other counts stay most frequent first.
        assert_eq!(
            joined(["New", "Resolved", "Resolved"].into_iter()),
            "2 Resolved · 1 New"
        );
    }
}
