//! Access tokens as the simulated Entra issues them and as the simulated APIs check them:
//! JWT-shaped (unsigned claims a client may read, like Entra's), with the audience of the
//! one resource the token was asked for, and the app's permissions — `roles` for an app
//! (client credentials), `scp` for a signed-in user (delegated names). Each API refuses a
//! token of another audience with 401 and a token without a role the endpoint needs with
//! 403, in the service's own words, so socops' permission hints run end to end.
//!
//! A bearer that is not JWT-shaped is a test harness's stand-in (wiremock-style tests and
//! older simulator tests send `"t"`): its audience cannot be known, so it is taken as a token
//! of the API it is sent to with the app's configured roles. Every token the simulator
//! issues, and the demo's, is a JWT and is checked in full.

use super::reply::{Family, Reply, graph_error, mde_error};
use super::{Req, SimState};
use base64::Engine;
use serde_json::{Value, json};

/// Every application permission the simulated APIs check: the default role set of the
/// simulated app ("everything").
pub(crate) const ALL_ROLES: &[&str] = &[
    "Machine.Read.All",
    "Machine.ReadWrite.All",
    "Machine.Scan",
    "Machine.Isolate",
    "Machine.RestrictExecution",
    "Machine.CollectForensics",
    "Machine.StopAndQuarantine",
    "Machine.Offboard",
    "Machine.LiveResponse",
    "Alert.Read.All",
    "Alert.ReadWrite.All",
    "Ti.ReadWrite.All",
    "Score.Read.All",
    "SecurityRecommendation.Read.All",
    "Vulnerability.Read.All",
    "Software.Read.All",
    "RemediationTasks.Read.All",
    "SecurityConfiguration.Read.All",
    "Library.Manage",
    "User.Read.All",
    "File.Read.All",
    "Ip.Read.All",
    "URL.Read.All",
    "SecurityIncident.Read.All",
    "SecurityIncident.ReadWrite.All",
    "SecurityAlert.Read.All",
    "SecurityAlert.ReadWrite.All",
    "SecurityEvents.Read.All",
    "SecurityEvents.ReadWrite.All",
    "AdvancedQuery.Read.All",
    "Incident.Read.All",
    "Incident.ReadWrite.All",
    "ThreatHunting.Read.All",
    "ThreatIntelligence.Read.All",
];

/// Which API a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Mde,
    Graph,
}

impl Audience {
    /// The audience of a scope's resource (`https://api.securitycenter.microsoft.com/.default`
    /// → MDE). Loopback resources (a simulator's own URL) are taken as MDE.
    pub(crate) fn of_scope(scope: &str) -> Audience {
        let s = scope.to_ascii_lowercase();
        if s.contains("graph.microsoft") || s.contains("00000003-0000-0000-c000-000000000000") {
            Audience::Graph
        } else {
            Audience::Mde
        }
    }

    /// The `aud` claim Entra puts in such a token.
    pub(crate) fn claim(self) -> &'static str {
        match self {
            Audience::Mde => "https://api.securitycenter.microsoft.com",
            Audience::Graph => "https://graph.microsoft.com",
        }
    }

    fn of_claim(aud: &str) -> Option<Audience> {
        let a = aud.to_ascii_lowercase();
        if a.contains("graph.microsoft") || a == "00000003-0000-0000-c000-000000000000" {
            Some(Audience::Graph)
        } else if a.contains("securitycenter")
            || a.contains("windowsatpservice")
            || a == "fc780465-2017-40d4-a0c5-307022471b92"
        {
            Some(Audience::Mde)
        } else {
            None
        }
    }
}

fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

/// A token for `aud` issued in `tenant_id` at `now`: the app's `roles`, or for a signed-in
/// user (`upn` given) the delegated names of those roles in `scp`.
pub(crate) fn mint(
    tenant_id: &str,
    now: chrono::DateTime<chrono::Utc>,
    aud: Audience,
    roles: &[String],
    upn: Option<&str>,
    client_id: &str,
) -> String {
    let now = now.timestamp();
    let mut claims = json!({
        "aud": aud.claim(),
        "iss": format!("https://sts.windows.net/{tenant_id}/"),
        "tid": tenant_id,
        "appid": client_id,
        "iat": now, "nbf": now, "exp": now + 3599,
        "uti": uuid::Uuid::new_v4().simple().to_string(),
    });
    if let Some(m) = claims.as_object_mut() {
        match upn {
            Some(u) => {
                let scp: Vec<String> = roles.iter().map(|r| delegated(r)).collect();
                m.insert("scp".into(), scp.join(" ").into());
                m.insert("upn".into(), u.into());
            }
            None => {
                m.insert("roles".into(), roles.to_vec().into());
            }
        }
    }
    let header = json!({"typ": "JWT", "alg": "RS256", "kid": "socops-sim"});
    format!(
        "{}.{}.{}",
        b64(&header),
        b64(&claims),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b"simulated-signature")
    )
}

/// The delegated name of an application permission (`Machine.Read.All` → `Machine.Read`);
/// a name the simulator does not know stays as it is.
fn delegated(role: &str) -> String {
    match ALL_ROLES.iter().find(|k| k.eq_ignore_ascii_case(role)) {
        Some(k) => crate::api::permissions::delegated_name(k).to_string(),
        None => role.to_string(),
    }
}

/// The roles the simulated app has been granted in this tenant.
pub fn granted(st: &SimState) -> Vec<String> {
    match st.roles.read().ok().and_then(|r| r.clone()) {
        Some(r) => r,
        None => ALL_ROLES.iter().map(|s| s.to_string()).collect(),
    }
}

/// What a bearer token says.
struct Claims {
    aud: Option<Audience>,
    /// Roles (app) or scopes (delegated), as the token lists them.
    perms: Vec<String>,
    delegated: bool,
}

fn claims(bearer: &str) -> Option<Result<Claims, ()>> {
    let mut parts = bearer.split('.');
    let (Some(_), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let parsed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    let Some(v) = parsed else {
        return Some(Err(()));
    };
    let aud = v["aud"].as_str().and_then(Audience::of_claim);
    let (perms, delegated) = match v["scp"].as_str() {
        Some(scp) => (scp.split_whitespace().map(str::to_string).collect(), true),
        None => (
            v["roles"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect(),
            false,
        ),
    };
    Some(Ok(Claims {
        aud,
        perms,
        delegated,
    }))
}

/// The permissions that satisfy `required`: itself, and the read-write permission where a
/// read one is asked (`Machine.Read.All` is satisfied by `Machine.ReadWrite.All`), as the
/// API pages list them.
fn accepted(required: &str) -> Vec<String> {
    let mut v = vec![required.to_string()];
    if required.contains(".Read.") || required.ends_with(".Read") {
        v.push(required.replacen(".Read", ".ReadWrite", 1));
    }
    v
}

/// Checks the bearer of an API request: its audience, then the role the endpoint needs.
pub fn check(st: &SimState, req: &Req, family: Family, bearer: &str) -> Result<(), Reply> {
    let want = if family == Family::Graph {
        Audience::Graph
    } else {
        Audience::Mde
    };
    let (perms, delegated) = match claims(bearer) {
        None => (granted(st), false),
        Some(Err(())) => return Err(invalid_token(family)),
        Some(Ok(c)) => {
            if c.aud != Some(want) {
                return Err(wrong_audience(family));
            }
            // The token lists what Entra granted; the tenant's app registration is the
            // simulator's configured set, so a token minted elsewhere gains nothing more.
            let granted = granted(st);
            let perms = c
                .perms
                .into_iter()
                .filter(|p| {
                    granted
                        .iter()
                        .any(|g| g.eq_ignore_ascii_case(p) || delegated(g).eq_ignore_ascii_case(p))
                })
                .collect();
            (perms, c.delegated)
        }
    };
    let path = req
        .segs
        .iter()
        .skip(1)
        .cloned()
        .collect::<Vec<_>>()
        .join("/");
    let method = req.method.as_str();
    let Some(required) = crate::api::permissions::required_permission_for(method, &path, delegated)
    else {
        return Ok(());
    };
    // Graph's write permissions carry a note for people after a `;`: the name is before.
    let required = required.split(';').next().unwrap_or(required).trim();
    let ok = accepted(required)
        .iter()
        .any(|a| perms.iter().any(|p| p.eq_ignore_ascii_case(a)));
    if ok {
        return Ok(());
    }
    Err(forbidden(family, &accepted(required), &perms))
}

fn invalid_token(family: Family) -> Reply {
    match family {
        Family::Graph => graph_error(
            401,
            "InvalidAuthenticationToken",
            "IDX14100: JWT is not well formed.",
        ),
        _ => mde_error(401, "Unauthorized", "Invalid Authorization token."),
    }
}

/// A token for another API. Graph's answer is its well-known "Invalid audience"; the MDE API
/// answers 401 `Unauthorized` with its own message.
fn wrong_audience(family: Family) -> Reply {
    match family {
        Family::Graph => graph_error(
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure. Invalid audience.",
        ),
        _ => mde_error(
            401,
            "Unauthorized",
            "Invalid Authorization payload: the token audience is not the Defender for Endpoint API.",
        ),
    }
}

/// A token without the role the endpoint needs. The MDE API names the roles it wanted and
/// the ones the token had ("Missing application roles. API required roles: Ti.ReadWrite.All,
/// Ti.ReadWrite, application roles: .", as quoted in
/// https://learn.microsoft.com/en-us/answers/questions/5662693/not-getting-scp-calims-in-access-token);
/// Graph security answers "Auth token does not contain valid permissions or user does not
/// have valid roles" (https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/users-groups-entra-apis/403-error-when-calling-microsoft-graph-security-api).
fn forbidden(family: Family, required: &[String], had: &[String]) -> Reply {
    match family {
        Family::Graph => graph_error(
            403,
            "Forbidden",
            "Auth token does not contain valid permissions or user does not have valid roles.",
        ),
        _ => mde_error(
            403,
            "Forbidden",
            &format!(
                "Missing application roles. API required roles: {}, application roles: {}.",
                required.join(","),
                had.join(",")
            ),
        ),
    }
}
