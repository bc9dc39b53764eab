//! A security recommendation's page: what it asks for and why (the API has no free-text
//! description, so its name, product, weaknesses and threats say it), how it is remediated,
//! its scores, the portal link to that recommendation, and the devices it exposes, read with
//! `machineReferences` when the page opens (see `pages::extra`). Exposed devices are rows:
//! Enter opens the device's page, the device keys act on the selected one.

use crate::api::model::{Machine, Recommendation, impact_text};
use crate::app::pages::extra::Fetched;
use crate::app::pages::working::{Subject, Target};
use crate::app::state::{AppState, Detail};
use crate::app::tables::rows::or_dash;
use crate::app::tables::rows::pages::Page;

/// The portal's page of one recommendation. The `recommendationId` query opens it on the
/// Security recommendations list (the form real-world integrations link with; Microsoft
/// documents no other deep link).
pub fn portal_link(portal: &str, id: &str) -> String {
    format!(
        "{}/security-recommendations?recommendationId={}",
        portal.trim_end_matches('/'),
        crate::api::calls::encode_segment(id)
    )
}

/// "Update Google Chrome to version 134 on 20 of 40 devices: 12 weaknesses, a public
/// exploit, an active alert".
fn description(r: &Recommendation) -> String {
    let mut why = Vec::new();
    if let Some(w) = r.weaknesses.filter(|w| *w > 0) {
        why.push(format!("{w} weaknesses"));
    }
    if r.public_exploit == Some(true) {
        why.push("a public exploit".into());
    }
    if r.active_alert == Some(true) {
        why.push("an active alert".into());
    }
    if !r.associated_threats.is_empty() {
        why.push(format!(
            "{} threat analytics report(s)",
            r.associated_threats.len()
        ));
    }
    let on = match (r.exposed_machines_count, r.total_machine_count) {
        (Some(e), Some(t)) => format!(" on {e} of {t} devices"),
        (Some(e), None) => format!(" on {e} devices"),
        _ => String::new(),
    };
    let why = if why.is_empty() {
        String::new()
    } else {
        format!(": {}", why.join(", "))
    };
    format!("{}{on}{why}", r.display_name())
}

fn exposed_row(s: &AppState, m: &Machine) -> (String, Target) {
    // The reference's own name, else the inventory's.
    let name = m
        .computer_dns_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| s.device_name(Some(&m.id)).map(str::to_string));
    (
        format!(
            "  {:<32} {:<10} {}",
            name.as_deref().unwrap_or(&m.id),
            or_dash(m.os_platform.as_deref()),
            or_dash(m.rbac_group_name.as_deref())
        ),
        Target::Device(m.id.clone(), name),
    )
}

fn exposed(s: &AppState, p: &mut Page, id: &str) {
    match s.extras.exposed.get(id) {
        Some(Fetched::Ready(devices)) => {
            p.heading("Exposed devices", devices.len());
            for m in devices {
                let (text, target) = exposed_row(s, m);
                p.item(text, target);
            }
        }
        Some(Fetched::Loading(_)) | None => {
            p.line(String::new());
            p.line("Exposed devices: reading them from the service…".into());
        }
        Some(Fetched::Failed(why)) => {
            p.line(String::new());
            p.line(format!("Exposed devices could not be read: {why}"));
            p.line("  (Esc and Enter again to retry)".into());
        }
        Some(Fetched::Offline) => {
            p.line(String::new());
            p.line(
                "Exposed devices: offline, nothing is sent (they are read from the service \
                 when socops is online)"
                    .into(),
            );
        }
    }
}

/// The recommendation page, or `None` when it is not among the loaded recommendations.
pub fn recommendation_page(s: &AppState, id: &str) -> Option<Detail> {
    let r = s.data.recommendations.data()?.iter().find(|r| r.id == id)?;
    let mut p = Page::default();
    p.line(description(r));
    p.line(String::new());
    p.line(format!("id          {}", r.id));
    p.line(format!(
        "product     {} {}   vendor {}",
        or_dash(r.product_name.as_deref()),
        r.recommended_version
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .map_or(String::new(), |v| format!("→ {v}")),
        or_dash(r.vendor.as_deref())
    ));
    p.line(format!(
        "category    {} / {}",
        or_dash(r.recommendation_category.as_deref()),
        or_dash(r.sub_category.as_deref())
    ));
    p.line(format!(
        "remediation {}   status {}",
        or_dash(r.remediation_type.as_deref()),
        or_dash(r.status.as_deref())
    ));
    p.line(format!(
        "severity    {}   exposure impact {}   config score impact {}",
        r.severity_text().unwrap_or_else(|| "—".into()),
        impact_text(r.exposure_impact.unwrap_or(0.0)),
        impact_text(r.config_score_impact.unwrap_or(0.0))
    ));
    p.line(format!(
        "exploit     {}   active alert {}   critical devices exposed {}",
        if r.public_exploit == Some(true) {
            "public"
        } else {
            "none known"
        },
        if r.active_alert == Some(true) {
            "yes"
        } else {
            "no"
        },
        r.exposed_critical_devices
            .map_or("—".into(), |n| n.to_string())
    ));
    if let Some(c) = r
        .related_component
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        p.line(format!("component   {c}"));
    }
    exposed(s, &mut p, id);
    Some(p.done(
        r.display_name().to_string(),
        Some(portal_link(&s.settings.portal, &r.id)),
        Subject::Recommendation(r.id.clone()),
    ))
}
