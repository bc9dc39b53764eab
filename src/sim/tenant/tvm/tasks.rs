//! Remediation activities: the tickets raised from the top recommendations, in MDE's
//! `remediationTasks` JSON shape.

use super::Recommendation;
use crate::sim::clock::{secs, ts};
use crate::sim::rng::Rng;
use crate::sim::tenant::Ctx;
use chrono::Duration;
use serde_json::{Value, json};

/// One remediation activity per leading recommendation.
pub(super) fn generate(ctx: &Ctx, rng: &mut Rng, recommendations: &[Recommendation]) -> Vec<Value> {
    recommendations
        .iter()
        .take(6)
        .enumerate()
        .map(|(i, r)| {
            let created = ctx.now - Duration::days(3 + 5 * i as i64) - secs(rng.unit() * 80_000.0);
            let done = i % 3 == 2;
            let config = r.id.starts_with("sca");
            json!({
                "id": rng.uuid(), "title": r.name, "createdOn": ts(created),
                "requesterId": "65548a1d-ef00-4a7a-8d19-1b967b5c36f4", "requesterEmail": "itadmin@fabrikam.com",
                "status": if done { "Completed" } else { "Active" }, "statusLastModifiedOn": ts(created + Duration::days(if done { 4 } else { 0 })),
                "description": format!("Remediate {} on exposed devices.", r.component), "relatedComponent": r.component,
                "targetDevices": r.exposed, "rbacGroupNames": ["UnassignedGroup"], "fixedDevices": if done { r.exposed } else { r.exposed / 3 },
                "requesterNotes": if i == 0 { Value::from("Push via Intune ring 1 first") } else { Value::Null },
                "dueOn": ts((created + Duration::days(14)).date_naive().and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or(created)),
                "category": if config { "Security configuration" } else { "Software" },
                "productivityImpactRemediationType": if config { Value::from("AllExposedAssets") } else { Value::Null },
                "priority": (["High", "Medium", "Low"][i % 3]), "completionMethod": if done { Value::from("Automatic") } else { Value::Null },
                "completerId": null, "completerEmail": null,
                "scid": if config { Value::from(r.id.trim_start_matches("sca-_-")) } else { Value::Null },
                "type": r.remediation,
                "productId": if config { Value::Null } else { format!("{}-_-{}", r.vendor, r.product).into() },
                "vendorId": if config { Value::Null } else { r.vendor.into() },
                "nameId": if config { Value::Null } else { r.product.into() },
                "recommendedVersion": if r.version.is_empty() { Value::Null } else { r.version.into() },
                "recommendedVendor": null, "recommendedProgram": null,
            })
        })
        .collect()
}
