//! Indicators: the list (`/api/indicators`), and the body and checks of a new indicator.
//! Creating and deleting are [`super::ActionRequest`]s because they change the tenant.

use chrono::SecondsFormat;
use serde_json::{Map, Value, json};

use super::{ListRequest, MDE_PAGE};
use crate::api::cloud::Resource;
use crate::api::model::NewIndicator;

/// `GET /api/indicators?$filter=…`.
pub fn indicators(filter: Option<String>) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "indicators",
        &[("$filter", filter)],
        MDE_PAGE,
    )
}

/// Whether an indicator of type `kind` may carry `action`, by the Indicator resource type page
/// (<https://learn.microsoft.com/defender-endpoint/api/ti-indicator>): `Warn` is for Defender
/// for Cloud Apps indicators only (socops does not create those), and `BlockAndRemediate`
/// remediates a file, so it applies to file hashes (and certificates, which block files).
pub(crate) fn type_fits_action(kind: &str, action: &str) -> Result<(), String> {
    match action {
        "Warn" => Err(format!(
            "the Warn action is for Defender for Cloud Apps indicators only; use Block or Audit for a {kind} indicator"
        )),
        "BlockAndRemediate"
            if !matches!(
                kind,
                "FileSha1" | "FileSha256" | "FileMd5" | "CertificateThumbprint"
            ) =>
        {
            Err(format!(
                "BlockAndRemediate is for file hashes; use Block for a {kind} indicator"
            ))
        }
        _ => Ok(()),
    }
}

pub(crate) fn validate_indicator(i: &NewIndicator) -> Result<(), String> {
    i.indicator_type.validate_value(&i.indicator_value)?;
    type_fits_action(i.indicator_type.as_str(), i.action.as_str())?;
    if !i.action.is_known() || i.action.is_legacy() {
        return Err(format!(
            "indicator action '{}' cannot be sent (use Allowed, Audit, Warn, Block or BlockAndRemediate)",
            i.action
        ));
    }
    if i.title.trim().is_empty() {
        return Err("an indicator needs a title".into());
    }
    if i.description.trim().is_empty() {
        return Err("an indicator needs a description".into());
    }
    Ok(())
}

/// `POST /api/indicators` body: camelCase keys; optional keys only when set.
pub(crate) fn indicator_body(i: &NewIndicator) -> Value {
    let mut m = Map::new();
    m.insert("indicatorValue".into(), json!(i.indicator_value.trim()));
    m.insert("indicatorType".into(), json!(i.indicator_type.as_str()));
    m.insert("action".into(), json!(i.action.as_str()));
    m.insert("title".into(), json!(i.title));
    m.insert("description".into(), json!(i.description));
    m.insert("generateAlert".into(), json!(i.effective_generate_alert()));
    if let Some(s) = &i.severity {
        m.insert("severity".into(), json!(s.as_str()));
    }
    if let Some(t) = i.expiration_time {
        m.insert(
            "expirationTime".into(),
            json!(t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        );
    }
    if let Some(a) = &i.application {
        m.insert("application".into(), json!(a));
    }
    if let Some(r) = &i.recommended_actions {
        m.insert("recommendedActions".into(), json!(r));
    }
    if !i.rbac_group_names.is_empty() {
        m.insert("rbacGroupNames".into(), json!(i.rbac_group_names));
    }
    Value::Object(m)
}
