//! Delegated Entra sign-in against wiremock: device code polling, refresh-token rotation
//! persisted 0600, and the choice of credential from env and profile.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod auth_common;

use std::os::unix::fs::PermissionsExt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth_common::*;
use socops::api::auth::{
    DelegatedCredential, DeviceCodeDetails, Secret, TokenSource, poll_device_code_with,
    start_device_code,
};
use socops::api::{ApiError, Resource, Service};
use socops::cli::credential::{CredentialKind, from_lookup};
use socops::store::{CachedRefreshToken, Profile, ProfileTokenStore, TokenCache};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn details(server_interval: u64) -> DeviceCodeDetails {
    DeviceCodeDetails {
        user_code: "ABC-123".into(),
        verification_uri: "https://microsoft.com/devicelogin".into(),
        message: String::new(),
        expires_in: 900,
        interval: server_interval,
        device_code: Secret::new("dev-code-1"),
    }
}

fn recording_sleep() -> (
    Arc<Mutex<Vec<Duration>>>,
    impl Fn(Duration) -> std::future::Ready<()>,
) {
    let slept = Arc::new(Mutex::new(Vec::new()));
    let s = slept.clone();
    (slept, move |d| {
        s.lock().unwrap().push(d);
        std::future::ready(())
    })
}

fn entra_error(code: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(serde_json::json!({
        "error": code,
        "error_description": format!("AADSTS70016: {code}"),
        "error_codes": [70016],
        "correlation_id": "c-dev"
    }))
}

#[tokio::test]
async fn device_code_start_and_poll_pending_slow_down_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/t1.example.com/oauth2/v2.0/devicecode"))
        .and(form_is(&[
            ("client_id", "pub1"),
            (
                "scope",
                "https://api.securitycenter.microsoft.com/.default offline_access openid profile",
            ),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "user_code": "ABC-123", "device_code": "dev-code-1",
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 900, "interval": 1,
            "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABC-123 to authenticate."
        })))
        .expect(1)
        .mount(&server)
        .await;
    let poll = || {
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .and(form_is(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", "pub1"),
                ("device_code", "dev-code-1"),
            ]))
    };
    poll()
        .respond_with(entra_error("authorization_pending"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    poll()
        .respond_with(entra_error("slow_down"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    let mut ok = token_body("at", 3600);
    ok["refresh_token"] = "rt-1".into();
    ok["id_token"] = id_token("ana@contoso.com").into();
    poll()
        .respond_with(ResponseTemplate::new(200).set_body_json(ok))
        .with_priority(3)
        .mount(&server)
        .await;

    let ep = endpoints(&server);
    let d = start_device_code(&ep, "pub1").await.unwrap();
    assert_eq!(d.user_code, "ABC-123");
    assert_eq!(d.interval, 1);
    assert!(d.message.contains("ABC-123"));
    assert!(!format!("{d:?}").contains("dev-code-1"));
    let (slept, sleep) = recording_sleep();
    let tok = poll_device_code_with(&ep, "pub1", &d, sleep).await.unwrap();
    assert_eq!(tok.refresh_token.expose(), "rt-1");
    assert_eq!(tok.username.as_deref(), Some("ana@contoso.com"));
    assert_eq!(
        *slept.lock().unwrap(),
        vec![Duration::from_secs(1), Duration::from_secs(6)]
    );
    assert!(!format!("{tok:?}").contains("rt-1"));
}

#[tokio::test]
async fn device_code_expired_and_declined_stop_with_clear_errors() {
    // Each code says what happened; a hint shown for the wrong code fails.
    for (code, says) in [
        (
            "expired_token",
            "the code expired before sign-in finished: run `socops login` again",
        ),
        ("authorization_declined", "sign-in was declined"),
        (
            "bad_verification_code",
            "did not recognise the device code: run `socops login` again",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(entra_error(code))
            .expect(1)
            .mount(&server)
            .await;
        let (_, sleep) = recording_sleep();
        let err = poll_device_code_with(&endpoints(&server), "pub1", &details(1), sleep)
            .await
            .unwrap_err();
        let ApiError::Service(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.service, Service::Entra);
        assert_eq!(e.code, code);
        assert_eq!(e.aadsts.as_deref(), Some("AADSTS70016"));
        let shown = err.to_string();
        assert!(shown.contains(says), "{code}: {shown}");
        assert!(!shown.contains("dev-code-1"));
    }
}

fn lab_profile() -> Profile {
    Profile {
        tenant_id: "t1.example.com".into(),
        client_id: "pub1".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn delegated_redeems_and_persists_rotated_refresh_token() {
    let server = MockServer::start().await;
    let mut first = token_body("mde-at", 3600);
    first["refresh_token"] = "rt-2".into();
    first["id_token"] = id_token("ana@contoso.com").into();
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(form_is(&[
            ("grant_type", "refresh_token"),
            ("client_id", "pub1"),
            ("refresh_token", "rt-1"),
            ("scope", &format!("{MDE_SCOPE} offline_access")),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .expect(1)
        .mount(&server)
        .await;
    let mut second = token_body("graph-at", 3600);
    second["refresh_token"] = "rt-3".into();
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(form_is(&[
            ("grant_type", "refresh_token"),
            ("client_id", "pub1"),
            ("refresh_token", "rt-2"),
            ("scope", &format!("{GRAPH_SCOPE} offline_access")),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(second))
        .expect(1)
        .mount(&server)
        .await;

    let tmp = tempfile::tempdir().unwrap();
    let tokens = TokenCache::new(tmp.path());
    tokens
        .save(
            "lab",
            &CachedRefreshToken {
                tenant_id: "t1.example.com".into(),
                client_id: "pub1".into(),
                refresh_token: "rt-1".into(),
                username: None,
                saved_at: chrono::Utc::now(),
            },
        )
        .unwrap();
    let store = ProfileTokenStore {
        cache: tokens.clone(),
        profile: "lab".into(),
        tenant_id: "t1.example.com".into(),
        client_id: "pub1".into(),
    };
    let cred = DelegatedCredential::new(endpoints(&server), "pub1", Arc::new(store), None);
    assert_eq!(cred.operator(), "delegated user");
    assert_eq!(cred.token(Resource::Mde, false).await.unwrap(), "mde-at");
    assert_eq!(cred.operator(), "ana@contoso.com");
    let saved = tokens.load("lab").unwrap().unwrap();
    assert_eq!(saved.refresh_token, "rt-2");
    assert_eq!(saved.username.as_deref(), Some("ana@contoso.com"));
    assert_eq!(
        cred.token(Resource::Graph, false).await.unwrap(),
        "graph-at"
    );
    let path = tokens.path("lab").unwrap();
    assert_eq!(tokens.load("lab").unwrap().unwrap().refresh_token, "rt-3");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let dbg = format!("{cred:?}");
    assert!(!dbg.contains("rt-") && !dbg.contains("-at"), "{dbg}");
}

#[test]
fn selection_env_then_profile() {
    let tmp = tempfile::tempdir().unwrap();
    let tokens = TokenCache::new(tmp.path());
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    };
    // Azure SDK env vars win
    let e = env(&[
        ("AZURE_TENANT_ID", "t-env"),
        ("AZURE_CLIENT_ID", "c-env"),
        ("AZURE_CLIENT_SECRET", "env-secret-value"),
    ]);
    let c = from_lookup(&e, None, &tokens).unwrap();
    assert_eq!(c.kind, CredentialKind::Secret);
    assert_eq!(c.endpoints.tenant_id, "t-env");
    assert_eq!(c.source.operator(), "app c-env");
    assert!(!format!("{c:?}").contains("env-secret-value"));

    // device code profile without a cached token
    let p = lab_profile();
    let none = env(&[]);
    let err = from_lookup(&none, Some(("lab", &p)), &tokens).unwrap_err();
    assert_eq!(
        err.to_string(),
        "sign-in: not signed in: run `socops login --profile lab`"
    );

    // secret profile: the env var named by client_secret_env
    let mut sp = lab_profile();
    sp.client_secret_env = Some("LAB_SECRET".into());
    let err = from_lookup(&none, Some(("lab", &sp)), &tokens)
        .unwrap_err()
        .to_string();
    assert!(err.contains("LAB_SECRET"), "{err}");
    let with = env(&[("LAB_SECRET", "x")]);
    assert_eq!(
        from_lookup(&with, Some(("lab", &sp)), &tokens)
            .unwrap()
            .kind,
        CredentialKind::Secret
    );

    // signed in: delegated with the cached user name
    tokens
        .save(
            "lab",
            &CachedRefreshToken {
                tenant_id: "t1.example.com".into(),
                client_id: "pub1".into(),
                refresh_token: "rt".into(),
                username: Some("bo@contoso.com".into()),
                saved_at: chrono::Utc::now(),
            },
        )
        .unwrap();
    let c = from_lookup(&none, Some(("lab", &p)), &tokens).unwrap();
    assert_eq!(c.kind, CredentialKind::DeviceCode);
    assert_eq!(c.source.operator(), "bo@contoso.com");
    assert!(matches!(
        from_lookup(&none, None, &tokens),
        Err(ApiError::Auth(_))
    ));
}

#[test]
fn azure_variables_never_redirect_a_profile_to_another_tenant() {
    let tmp = tempfile::tempdir().unwrap();
    let tokens = TokenCache::new(tmp.path());
    let vars = [
        ("AZURE_TENANT_ID", "t-other"),
        ("AZURE_CLIENT_ID", "c-env"),
        ("AZURE_CLIENT_SECRET", "s"),
    ];
    let e = |k: &str| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    };
    let p = Profile {
        tenant_id: "t-prod".into(),
        client_id: "c-env".into(),
        ..Profile::default()
    };
    let err = from_lookup(&e, Some(("prod", &p)), &tokens)
        .unwrap_err()
        .to_string();
    assert!(err.contains("disagree with profile prod"), "{err}");
    assert!(err.contains("t-other") && err.contains("t-prod"), "{err}");
    // The same tenant and app (any case): the environment's secret serves the profile.
    let same = Profile {
        tenant_id: "T-OTHER".into(),
        client_id: "c-env".into(),
        ..Profile::default()
    };
    let c = from_lookup(&e, Some(("prod", &same)), &tokens).unwrap();
    assert_eq!(c.kind, CredentialKind::Secret);
}

#[test]
fn explicit_authority_wins_over_azure_authority_host() {
    let tmp = tempfile::tempdir().unwrap();
    let tokens = TokenCache::new(tmp.path());
    let vars = [
        ("AZURE_TENANT_ID", "t-env"),
        ("AZURE_CLIENT_ID", "c-env"),
        ("AZURE_CLIENT_SECRET", "s"),
        ("AZURE_AUTHORITY_HOST", "https://login.example.test"),
    ];
    let e = |k: &str| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    };
    // Without an explicit authority the Azure SDK variable applies…
    let c = from_lookup(&e, None, &tokens).unwrap();
    assert_eq!(c.endpoints.authority, "https://login.example.test");
    // …but an authority the profile (or --authority-url, which the CLI puts there) names wins.
    let p = Profile {
        authority_url: Some("http://127.0.0.1:9".into()),
        ..Profile::default()
    };
    let c = from_lookup(&e, Some(("env", &p)), &tokens).unwrap();
    assert_eq!(c.endpoints.authority, "http://127.0.0.1:9");
}
