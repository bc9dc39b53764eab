//! Defender for Endpoint indicator writes: create-or-update (camelCase body, per-type value
//! validation) and delete.

use super::body::{REQUESTOR, body, check, is_hex, s};
use super::mde::entity;
use super::reply::{Family, Reply, mde_error};
use super::{Req, SimState};
use crate::sim::tenant::Tenant;
use crate::sim::tenant::indicators::Indicator;
use serde_json::Value;

const INDICATOR_KEYS: &[&str] = &[
    "indicatorValue",
    "indicatorType",
    "action",
    "title",
    "description",
    "application",
    "expirationTime",
    "severity",
    "recommendedActions",
    "rbacGroupNames",
    "educateUrl",
    "generateAlert",
];

/// `POST /api/indicators` → 200 + indicator; the same value and type updates.
pub(crate) fn post_indicator(st: &SimState, req: &Req, t: &mut Tenant) -> Reply {
    let m = match body(req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    if let Err(r) = check(
        &m,
        INDICATOR_KEYS,
        &[
            "indicatorValue",
            "indicatorType",
            "action",
            "title",
            "description",
        ],
    ) {
        return r;
    }
    let value = s(&m, "indicatorValue").unwrap_or_default();
    let kind = s(&m, "indicatorType").unwrap_or_default();
    let action = s(&m, "action").unwrap_or_default();
    let valid = match kind.as_str() {
        "FileSha1" => is_hex(&value, 40).then_some(()).ok_or("InvalidHashValue"),
        "FileSha256" => is_hex(&value, 64).then_some(()).ok_or("InvalidHashValue"),
        "FileMd5" | "CertificateThumbprint" => (is_hex(&value, 32) || is_hex(&value, 40))
            .then_some(())
            .ok_or("InvalidHashValue"),
        "IpAddress" => value
            .parse::<std::net::IpAddr>()
            .map(|_| ())
            .map_err(|_| "InvalidIpAddress"),
        "Url" => (value.contains('.') && !value.contains(' '))
            .then_some(())
            .ok_or("InvalidUrl"),
        "DomainName" => (value.contains('.') && !value.contains('/') && !value.contains(' '))
            .then_some(())
            .ok_or("InvalidDomainName"),
        _ => Err("InvalidRequestBody"),
    };
    if let Err(code) = valid {
        return mde_error(
            400,
            code,
            &format!("'{value}' is not a valid {kind} indicator value"),
        );
    }
    if !matches!(
        action.as_str(),
        "Allowed" | "Audit" | "Warn" | "Block" | "BlockAndRemediate" | "Alert" | "AlertAndBlock"
    ) {
        return mde_error(
            400,
            "InvalidRequestBody",
            &format!("Invalid action '{action}'"),
        );
    }
    // Type x action, as documented on the Indicator resource type page
    // (learn.microsoft.com/defender-endpoint/api/ti-indicator): Warn is for Defender for
    // Cloud Apps indicators only; BlockAndRemediate applies to files.
    if let Err(why) = crate::api::calls::indicators::type_fits_action(&kind, &action) {
        return mde_error(400, "InvalidRequestBody", &why);
    }
    let now = st.clock.now();
    let expiration = s(&m, "expirationTime")
        .and_then(|e| chrono::DateTime::parse_from_rfc3339(&e).ok())
        .map(|d| d.to_utc());
    let existing = t
        .indicators
        .iter()
        .position(|i| i.kind == kind && i.value.eq_ignore_ascii_case(&value));
    let ind = Indicator {
        id: existing
            .map(|i| t.indicators[i].id.clone())
            .unwrap_or_else(|| t.next_indicator.to_string()),
        value,
        kind,
        action: action.clone(),
        title: s(&m, "title").unwrap_or_default(),
        description: s(&m, "description").unwrap_or_default(),
        severity: s(&m, "severity"),
        application: s(&m, "application"),
        expiration,
        recommended: s(&m, "recommendedActions"),
        generate_alert: m
            .get("generateAlert")
            .and_then(Value::as_bool)
            .unwrap_or(action == "Audit"),
        created_by: REQUESTOR.into(),
        created: existing.map(|i| t.indicators[i].created).unwrap_or(now),
        updated: now,
        updated_by: existing.map(|_| REQUESTOR.to_string()),
        source: "PublicApi",
    };
    let v = ind.to_json();
    match existing {
        Some(i) => t.indicators[i] = ind,
        None => {
            t.next_indicator += 1;
            t.indicators.push(ind);
        }
    }
    entity(st, "Indicators", v)
}

/// `DELETE /api/indicators/{id}` → 204, or 404.
pub(crate) fn delete_indicator(st: &SimState, id: &str) -> Reply {
    let Ok(mut t) = st.tenant.write() else {
        return mde_error(500, "InternalServerError", "state lock poisoned");
    };
    match t.indicators.iter().position(|i| i.id == id) {
        Some(i) => {
            t.indicators.remove(i);
            Reply::empty(Family::Mde, 204)
        }
        None => mde_error(
            404,
            "ResourceNotFound",
            &format!("Indicator {id} was not found"),
        ),
    }
}
