//! Delegated sign-in for SSH boxes: the OAuth device code flow. `start_device_code` asks Entra
//! for a user code to show; `poll_device_code` waits for the user to finish in a browser
//! elsewhere and returns the refresh token that `DelegatedCredential` redeems afterwards.

use std::future::Future;
use std::time::Duration;

use oauth2::{DeviceAuthorizationUrl, ExtraDeviceAuthorizationFields, Scope, TokenResponse};
use serde::{Deserialize, Serialize};

use super::entra::{self, Captured};
use super::secret::Secret;
use crate::api::cloud::{Endpoints, Resource};
use crate::api::error::{ApiError, Service};

/// The `message` Entra adds to the device authorization answer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct EntraDeviceFields {
    #[serde(default)]
    message: Option<String>,
}
impl ExtraDeviceAuthorizationFields for EntraDeviceFields {}

type DeviceResponse = oauth2::DeviceAuthorizationResponse<EntraDeviceFields>;

/// What to show the user, and what polling needs. `Debug` hides the device code.
#[derive(Debug, Clone)]
pub struct DeviceCodeDetails {
    pub user_code: String,
    pub verification_uri: String,
    /// Entra's ready-made sentence ("To sign in, use a web browser to open …").
    pub message: String,
    /// Seconds the code stays valid.
    pub expires_in: u64,
    /// Seconds between polls.
    pub interval: u64,
    pub device_code: Secret,
}

/// The result of a completed device sign-in. `Debug` hides the refresh token.
#[derive(Debug, Clone)]
pub struct DeviceCodeToken {
    pub refresh_token: Secret,
    /// The signed-in user's UPN, when the tokens say it.
    pub username: Option<String>,
}

fn scopes(endpoints: &Endpoints) -> Vec<Scope> {
    [
        endpoints.scope(Resource::Mde),
        "offline_access".into(),
        "openid".into(),
        "profile".into(),
    ]
    .into_iter()
    .map(Scope::new)
    .collect()
}

/// Ask Entra for a device code (MDE `.default` + `offline_access openid profile`).
pub async fn start_device_code(
    endpoints: &Endpoints,
    client_id: &str,
) -> Result<DeviceCodeDetails, ApiError> {
    let url = DeviceAuthorizationUrl::new(endpoints.device_code_url())
        .map_err(|e| ApiError::Auth(format!("invalid device code URL: {e}")))?;
    let client = entra::client(endpoints, client_id)?.set_device_authorization_url(url);
    let captured = Captured::default();
    let http = entra::oauth_http(captured.clone());
    let resp: DeviceResponse = client
        .exchange_device_code()
        .add_scopes(scopes(endpoints))
        .request_async(&http)
        .await
        .map_err(|e| explain(entra::map_error(e, &captured)))?;
    let verification_uri = resp.verification_uri().to_string();
    let user_code = resp.user_code().secret().clone();
    Ok(DeviceCodeDetails {
        message: resp.extra_fields().message.clone().unwrap_or_else(|| {
            format!("To sign in, open {verification_uri} and enter the code {user_code}.")
        }),
        user_code,
        verification_uri,
        expires_in: resp.expires_in().as_secs(),
        interval: resp.interval().as_secs(),
        device_code: Secret::new(resp.device_code().secret().clone()),
    })
}

/// Poll until the user finishes, declines, or the code expires (sleeping with tokio).
pub async fn poll_device_code(
    endpoints: &Endpoints,
    client_id: &str,
    details: &DeviceCodeDetails,
) -> Result<DeviceCodeToken, ApiError> {
    poll_device_code_with(endpoints, client_id, details, tokio::time::sleep).await
}

/// [`poll_device_code`] with the sleep supplied (tests pass one that records and returns).
/// `authorization_pending` keeps polling, `slow_down` adds 5 s to the interval; any other
/// answer ends the wait with an error that says what to do.
pub async fn poll_device_code_with<S, SF>(
    endpoints: &Endpoints,
    client_id: &str,
    details: &DeviceCodeDetails,
    sleep: S,
) -> Result<DeviceCodeToken, ApiError>
where
    S: Fn(Duration) -> SF,
    SF: Future<Output = ()>,
{
    let resp: DeviceResponse = serde_json::from_value(serde_json::json!({
        "device_code": details.device_code.expose(),
        "user_code": details.user_code,
        "verification_uri": details.verification_uri,
        "expires_in": details.expires_in,
        "interval": details.interval,
    }))
    .map_err(|_| ApiError::Auth(String::from("invalid device code details")))?;
    let client = entra::client(endpoints, client_id)?;
    let captured = Captured::default();
    let http = entra::oauth_http(captured.clone());
    let token = client
        .exchange_device_access_token(&resp)
        .request_async(&http, sleep, None)
        .await
        .map_err(|e| explain(entra::map_error(e, &captured)))?;
    let refresh_token = token.refresh_token().ok_or_else(|| {
        ApiError::Auth(String::from(
            "Entra ID returned no refresh token: the app registration must allow offline_access",
        ))
    })?;
    let username = token
        .extra_fields()
        .id_token
        .as_deref()
        .and_then(entra::jwt_username)
        .or_else(|| entra::jwt_username(token.access_token().secret()));
    Ok(DeviceCodeToken {
        refresh_token: Secret::new(refresh_token.secret().clone()),
        username,
    })
}

/// Prefix Entra's answer with what the user should do next.
fn explain(err: ApiError) -> ApiError {
    let ApiError::Service(mut e) = err else {
        return err;
    };
    if e.service != Service::Entra {
        return ApiError::Service(e);
    }
    // AADSTS7000218: the app is a confidential client, so Entra wants a secret or an
    // assertion with the device code. Device code sign-in needs "Allow public client flows"
    // (learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code).
    if e.aadsts.as_deref() == Some("AADSTS7000218") {
        let hint = "device code sign-in needs the app registration to allow public client \
                    flows: Entra admin center > App registrations > this app > Authentication \
                    > Advanced settings > Allow public client flows = Yes";
        e.message = if e.message.is_empty() {
            hint.to_string()
        } else {
            format!("{hint} ({})", e.message)
        };
        return ApiError::Service(e);
    }
    let hint = match e.code.as_str() {
        "authorization_declined" | "access_denied" => "sign-in was declined",
        "expired_token" | "code_expired" => {
            "the code expired before sign-in finished: run `socops login` again"
        }
        "bad_verification_code" => {
            "Entra ID did not recognise the device code: run `socops login` again"
        }
        // Still pending when oauth2 gave up: the code's lifetime ran out locally.
        "authorization_pending" | "slow_down" => {
            e.code = String::from("expired_token");
            "the code expired before sign-in finished: run `socops login` again"
        }
        _ => return ApiError::Service(e),
    };
    e.message = if e.message.is_empty() {
        hint.to_string()
    } else {
        format!("{hint} ({})", e.message)
    };
    ApiError::Service(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::error::decode_error;

    #[test]
    fn a_confidential_app_is_told_to_allow_public_client_flows() {
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.","error_codes":[7000218]}"#;
        let e = explain(ApiError::Service(Box::new(decode_error(
            Service::Entra,
            401,
            body,
            None,
        ))));
        let text = e.to_string();
        assert!(text.contains("Allow public client flows"), "{text}");
        assert!(text.contains("AADSTS7000218"), "{text}");
    }
}
