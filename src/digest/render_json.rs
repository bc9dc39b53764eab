//! The JSON digest. Its top-level keys are a contract for scripts and are exactly:
//! `profile, generatedAt, exposureScore, configurationScore, secureScore, pendingActions,
//! devicesAtRisk, incidents, changes, truncated`. `truncated` lists the lists the digest cut
//! at its cap while the tenant has more (`[]` when every list is whole), e.g.
//! `{"list": "devicesAtRisk", "shown": 500}`: `devicesAtRisk` then holds 500 of more, never
//! the tenant's count.

use serde_json::{Value, json};

use super::diff::Change;
use super::model::Snapshot;
use super::outline::recent_incidents;

fn delta(prev: Option<f64>, cur: f64) -> Value {
    match prev {
        Some(p) => json!(((cur - p) * 100.0).round() / 100.0),
        None => Value::Null,
    }
}

/// Render the JSON digest (pretty, newline-terminated).
pub(crate) fn render_json(prev: Option<&Snapshot>, cur: &Snapshot, changes: &[Change]) -> String {
    let exposure = cur.exposure_score.as_ref().map(|e| {
        let p = prev
            .and_then(|p| p.exposure_score.as_ref())
            .map(|e| e.score);
        json!({"score": e.score, "level": e.level, "change": delta(p, e.score)})
    });
    let config = cur
        .configuration_score
        .map(|c| json!({"score": c, "change": delta(prev.and_then(|p| p.configuration_score), c)}));
    let secure = cur.secure_score.as_ref().map(|s| {
        let p = prev.and_then(|p| p.secure_score.as_ref()).map(|s| s.percent);
        json!({"current": s.current, "max": s.max, "percent": s.percent, "change": delta(p, s.percent)})
    });
    // Investigations awaiting approval are pending actions too (the Action center shows both).
    let mut pending: Vec<Value> = cur
        .pending_actions
        .iter()
        .map(|a| json!({"id": a.id, "type": a.action_type, "device": a.device, "status": a.status, "created": a.created}))
        .collect();
    pending.extend(cur.pending_investigations.iter().map(|i| {
        json!({"id": i.id, "type": "AutomatedInvestigation", "device": i.device, "status": "PendingApproval", "created": i.start})
    }));
    let doc = json!({
        "profile": cur.profile,
        "generatedAt": cur.taken_at,
        "exposureScore": exposure,
        "configurationScore": config,
        "secureScore": secure,
        "pendingActions": pending,
        "devicesAtRisk": cur.devices_at_risk,
        "incidents": recent_incidents(prev, cur),
        "changes": changes,
        "truncated": cur.truncated,
    });
    let out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    // serde writes C1, bidi and zero-width characters raw; escape them (lossless).
    let mut out = crate::text::json(&out).into_owned();
    out.push('\n');
    out
}
