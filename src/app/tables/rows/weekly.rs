//! Weekly views: Microsoft Secure Score (with its trend and controls) and Secure Score for
//! devices (configuration score, recommendations, remediation activities).

use std::collections::BTreeMap;

use crate::api::model::{ControlScore, ControlStatus};

use crate::app::state::{AppState, Panel, TableId};
use crate::app::tables::rows::{or_dash, points, portal, set, ts};
use crate::app::tables::table::Row;
use crate::app::view::View;

/// Secure Score summary, 90-day trend and the controls by gap.
pub(super) fn secure_score(s: &mut AppState) {
    let Some(scores) = s.data.secure_scores.data() else {
        return;
    };
    let mut scores: Vec<_> = scores.iter().collect();
    scores.sort_by_key(|x| x.created_date_time);
    s.trend = scores
        .iter()
        .filter_map(|x| x.percent())
        .map(|p| (p * 10.0).round() as u64)
        .collect();
    let Some(latest) = scores.last().copied() else {
        return;
    };
    let mut lines = Vec::new();
    if let (Some(c), Some(m)) = (latest.current_score, latest.max_score) {
        let pct = latest
            .percent()
            .map_or(String::new(), |p| format!("  ({p:.1} %)"));
        lines.push(format!("{} / {}{pct}", points(c), points(m)));
    }
    if scores.len() >= 2
        && let (Some(now), Some(first)) = (latest.percent(), scores[0].percent())
    {
        let arrow = if now >= first { "▲" } else { "▼" };
        lines.push(format!(
            "{arrow} {:.1} % in {} days",
            (now - first).abs(),
            scores.len()
        ));
    }
    let avgs: Vec<String> = latest
        .average_comparative_scores
        .iter()
        .filter_map(|a| {
            let name = match a.basis.as_deref()? {
                "AllTenants" => "all tenants",
                "TotalSeats" => "similar size",
                "IndustryTypes" => "same industry",
                other => other,
            };
            Some(format!("{name} {:.1} %", a.average_score?))
        })
        .collect();
    if !avgs.is_empty() {
        // Items wrap whole on a narrow box ("same industry 52.1 %" is never cut).
        lines.push(format!("average: {}", avgs.join(" · ")));
    }
    s.panels.insert(
        View::SecureScore,
        vec![Panel {
            title: "Microsoft Secure Score".into(),
            lines,
        }],
    );

    let profiles: BTreeMap<&str, _> = s
        .data
        .control_profiles
        .data()
        .map(|ps| ps.iter().map(|p| (p.id.as_str(), p)).collect())
        .unwrap_or_default();
    let base = portal(s);
    // Every control the snapshot scores, then the profiles it does not (their gap is
    // unknown): the same join as `socops controls list`.
    let scored: Vec<(Option<&str>, Option<&ControlScore>)> = latest
        .control_scores
        .iter()
        .map(|c| (c.control_name.as_deref(), Some(c)))
        .collect();
    let unscored = profiles
        .keys()
        .copied()
        .filter(|id| {
            !latest
                .control_scores
                .iter()
                .any(|c| c.control_name.as_deref() == Some(*id))
        })
        .map(|id| (Some(id), None));
    let mut rows: Vec<(ControlStatus, String, Row)> = scored
        .into_iter()
        .chain(unscored)
        .map(|(name, c)| {
            let name = name.unwrap_or_default().to_string();
            let p = profiles.get(name.as_str()).copied();
            let status = ControlStatus::of(p, c);
            let max = status.max;
            let score = status.score.unwrap_or(0.0);
            let gap = status.gap;
            let title = p
                .and_then(|p| p.title.clone())
                .or_else(|| c.and_then(|c| c.description.clone()))
                .unwrap_or(name.clone());
            let category = p
                .and_then(|p| p.control_category.as_deref())
                .or_else(|| c.and_then(|c| c.control_category.as_deref()));
            let row = Row::new(
                name.clone(),
                vec![
                    or_dash(category),
                    title.clone(),
                    status.score.map_or("—".into(), points),
                    max.map_or("—".into(), points),
                    match gap {
                        Some(g) if g > 0.0 => points(g),
                        Some(_) => "done".into(),
                        None => "—".into(),
                    },
                    or_dash(status.state.as_deref()),
                ],
            )
            .rank(2, (score * 100.0) as i64)
            .rank(3, (max.unwrap_or(0.0) * 100.0) as i64)
            .rank(4, (gap.unwrap_or(-1.0) * 100.0) as i64)
            .link(
                p.and_then(|p| p.action_url.clone())
                    .or(Some(format!("{base}/securescore"))),
            );
            (status, title, row)
        })
        .collect();
    rows.sort_by(|a, b| ControlStatus::by_gap(&a.0, &b.0).then_with(|| a.1.cmp(&b.1)));
    set(
        s,
        TableId::Controls,
        rows.into_iter().map(|(_, _, r)| r).collect(),
    );
}

/// Device configuration score, recommendations by impact, remediation activities.
pub(super) fn device_score(s: &mut AppState) {
    let base = portal(s);
    let mut panels = Vec::new();
    let mut lines = Vec::new();
    if let Some(c) = s.data.configuration_score.data().and_then(|c| c.score) {
        lines.push(format!("configuration score {}", points(c)));
    }
    if let Some(recs) = s.data.recommendations.data() {
        let active = recs.iter().filter(|r| r.is_active()).count();
        let exploit = recs
            .iter()
            .filter(|r| r.public_exploit == Some(true))
            .count();
        lines.push(format!(
            "{active} active recommendations · {exploit} with public exploits"
        ));
    }
    if let Some(tasks) = s.data.remediation_tasks.data() {
        let active = tasks.iter().filter(|t| t.is_active()).count();
        let overdue = tasks
            .iter()
            .filter(|t| t.is_active() && t.due_on.is_some_and(|d| d < s.now))
            .count();
        lines.push(format!(
            "remediation: {active} active activities · {overdue} past due"
        ));
    }
    if !lines.is_empty() {
        panels.push(Panel {
            title: "Secure Score for devices".into(),
            lines,
        });
    }
    if let Some(recs) = s.data.recommendations.data() {
        panels.push(Panel {
            title: "By category".into(),
            lines: categories(recs),
        });
    }
    if !panels.is_empty() {
        s.panels.insert(View::DeviceScore, panels);
    }
    if let Some(recs) = s.data.recommendations.data() {
        let mut recs: Vec<_> = recs.iter().collect();
        recs.sort_by(|a, b| crate::api::model::Recommendation::by_impact(a, b));
        let rows = recs
            .iter()
            .map(|r| {
                let impact = r.impact();
                let exposed = r.exposed_machines_count.unwrap_or(0);
                Row::new(
                    r.id.clone(),
                    vec![
                        crate::api::model::impact_text(impact),
                        r.display_name().to_string(),
                        exposed.to_string(),
                        if r.public_exploit == Some(true) {
                            "yes".into()
                        } else {
                            "no".into()
                        },
                        or_dash(r.recommendation_category.as_deref()),
                        or_dash(r.status.as_deref()),
                    ],
                )
                .rank(0, (impact * 100.0) as i64)
                .rank(2, exposed)
                .link(Some(crate::app::tables::rows::recommendation_link(
                    &base, &r.id,
                )))
            })
            .collect();
        set(s, TableId::Recommendations, rows);
    }
    if let Some(tasks) = s.data.remediation_tasks.data() {
        let rows = tasks
            .iter()
            .map(|t| {
                let pct = t.progress_percent();
                Row::new(
                    t.id.clone(),
                    vec![
                        or_dash(t.title.as_deref()),
                        or_dash(t.status.as_deref()),
                        or_dash(t.priority.as_deref()),
                        match (t.fixed_devices, t.target_devices) {
                            (Some(f), Some(n)) => format!("{f}/{n}"),
                            _ => pct.map_or("—".into(), |p| format!("{p:.0} %")),
                        },
                        t.due_on
                            .map_or("—".into(), |d| d.format("%Y-%m-%d").to_string()),
                        String::new(),
                    ],
                )
                .rank(3, pct.map_or(0, |p| (p * 10.0) as i64))
                .rank(5, ts(t.created_on))
                .link(Some(format!("{base}/remediation")))
            })
            .collect();
        set(s, TableId::Remediation, rows);
    }
}

/// The portal's categories of Secure Score for devices (Application, OS, Network, Accounts,
/// Security controls), derived from the recommendations: `GET /api/configurationScore`
/// answers only `{time, score}`, no breakdown
/// (https://learn.microsoft.com/en-us/defender-endpoint/api/get-device-secure-score), so each
/// category shows its active recommendations and how many have public exploits, most first.
fn categories(recs: &[crate::api::model::Recommendation]) -> Vec<String> {
    let mut by: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in recs.iter().filter(|r| r.is_active()) {
        let c = r.recommendation_category.as_deref().unwrap_or("Other");
        let e = by.entry(c).or_default();
        e.0 += 1;
        e.1 += usize::from(r.public_exploit == Some(true));
    }
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    if v.is_empty() {
        return vec!["no active recommendations".into()];
    }
    v.into_iter()
        .map(|(c, (n, e))| {
            let name = match c {
                "SecurityControls" => "Security controls",
                other => other,
            };
            if e > 0 {
                format!("{name}: {n} active · {e} with exploits")
            } else {
                format!("{name}: {n} active")
            }
        })
        .collect()
}
