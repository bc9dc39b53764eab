//! Headless output and error paths of the binary against wiremock: typed rows (the models'
//! quirks), times per format, the env-only credential with overridden endpoints, and the
//! one-line errors (Entra 401 with its AADSTS code, a 429 beyond the retry policy).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;
use std::process::{Output, Stdio};

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TENANT: &str = "11111111-2222-3333-4444-555555555555";

/// Run the binary with a clean environment plus `envs`.
async fn run(envs: &[(&str, &str)], args: Vec<String>) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let envs: Vec<(String, String)> = envs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_socops"));
        for k in bin_common::FOREIGN_ENV {
            cmd.env_remove(k);
        }
        let out = cmd
            .env("SOCOPS_CONFIG_DIR", dir.path().join("config"))
            .env("SOCOPS_DATA_DIR", dir.path().join("data"))
            .envs(envs)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        drop(dir);
        out
    })
    .await
    .unwrap()
}

/// `--demo --mde-url URI ARGS`.
async fn demo(s: &MockServer, args: &[&str]) -> Output {
    let mut all = vec!["--demo".to_string(), "--mde-url".into(), s.uri()];
    all.extend(args.iter().map(|a| a.to_string()));
    run(&[], all).await
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

async fn serve(s: &MockServer, p: &str, body: Value) {
    Mock::given(method("GET"))
        .and(path(p))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(s)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_come_from_the_typed_models() {
    let s = MockServer::start().await;
    let quirky = json!({"id": "aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd",
        "computerDnsName": "fin-lt-0142.fabrikam.local", "riskScore": "None",
        "lastSeen": "0001-01-01T00:00:00Z", "osBuild": "22631", "rbacGroupId": "0",
        "healthStatus": "Active"});
    // `machineTags` must be a list: this record does not fit the model.
    let bad = json!({"id": "bad", "computerDnsName": "odd.fabrikam.local", "machineTags": 5});
    let fine = json!({"id": "eeeeeeeeeeffffffffff0000000000111111111", "computerDnsName": "srv-01",
        "lastSeen": "2026-11-29T23:44:17.1234567Z", "riskScore": "High"});
    serve(&s, "/api/machines", json!({"value": [quirky, bad, fine]})).await;
    serve(
        &s,
        "/api/machineactions",
        json!({"value": [{"id": "5f2a9c7e-1b3d-4e6f-8a0b-c2d4e6f8a1b3", "type": "Isolate",
            "status": "Succeeded", "creationDateTimeUtc": "2026-11-29T23:44:17.57Z",
            "lastUpdateTimeUtc": "2026-11-30T01:02:03Z"}]}),
    )
    .await;

    let csv = demo(&s, &["devices", "list", "--csv"]).await;
    assert!(csv.status.success(), "{}", err(&csv));
    let text = out(&csv);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("NAME,"), "{text}");
    // riskScore "None" is a value, the 0001 sentinel is no time, the id is whole in CSV.
    assert!(
        lines[1].starts_with("fin-lt-0142.fabrikam.local,,Active,None,"),
        "{text}"
    );
    assert!(!lines[1].contains("0001"), "{text}");
    assert!(lines[1].ends_with(",aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd"));
    assert!(
        lines[2].contains(",2026-11-29T23:44:17.123456700Z,"),
        "{text}"
    );
    assert!(
        err(&csv).contains("record 2 skipped"),
        "the odd record is reported: {}",
        err(&csv)
    );
    // --json still streams all three records verbatim.
    let json = demo(&s, &["devices", "list", "--json"]).await;
    let arr: Vec<Value> = serde_json::from_str(&out(&json)).unwrap();
    assert_eq!(arr.len(), 3);
    assert_eq!(arr[1]["machineTags"], 5);
    assert_eq!(arr[0]["lastSeen"], "0001-01-01T00:00:00Z");

    // A machine action with only `lastUpdateTimeUtc`; table times at minute precision.
    let csv = demo(&s, &["actions", "list", "--csv"]).await;
    assert!(
        out(&csv).contains(",2026-11-30T01:02:03Z,"),
        "{}",
        out(&csv)
    );
    let table = demo(&s, &["actions", "list"]).await;
    let t = out(&table);
    assert!(t.contains("2026-11-29 23:44Z"), "{t}");
    assert!(!t.contains("23:44:17"), "{t}");
}

fn one_line(o: &Output) -> String {
    let e = err(o);
    assert_eq!(e.lines().count(), 1, "exactly one line: {e}");
    assert!(e.starts_with("socops: "), "{e}");
    e
}

async fn token_ok(s: &MockServer) {
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "tok-from-mock", "token_type": "Bearer", "expires_in": 3600
        })))
        .expect(1..)
        .mount(s)
        .await;
}

/// Env-only credentials (no profile) with every endpoint overridden.
async fn env_run(s: &MockServer, args: &[&str]) -> Output {
    let mut all: Vec<String> = ["--authority-url", "--mde-url", "--graph-url"]
        .iter()
        .flat_map(|f| [f.to_string(), s.uri()])
        .collect();
    all.extend(args.iter().map(|a| a.to_string()));
    let envs = [
        ("AZURE_TENANT_ID", TENANT),
        ("AZURE_CLIENT_ID", "22222222-0000-0000-0000-000000000000"),
        ("AZURE_CLIENT_SECRET", "not-a-real-secret"),
    ];
    run(&envs, all).await
}

#[tokio::test(flavor = "multi_thread")]
async fn env_credential_uses_the_overridden_authority() {
    let s = MockServer::start().await;
    token_ok(&s).await;
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .and(header("authorization", "Bearer tok-from-mock"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [{"id": "abc", "computerDnsName": "x"}]})),
        )
        .mount(&s)
        .await;
    let o = env_run(&s, &["devices", "list", "--json"]).await;
    assert!(o.status.success(), "{}", err(&o));
    let arr: Vec<Value> = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(arr[0]["id"], "abc");
    assert!(!err(&o).contains("not-a-real-secret"));
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_one_line_with_code_and_correlation() {
    // Entra refuses the secret: the AADSTS code and correlation id are on the line.
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t\r\nCorrelation ID: c",
            "error_codes": [7000215],
            "correlation_id": "corr-entra-1"
        })))
        .mount(&s)
        .await;
    let o = env_run(&s, &["devices", "list"]).await;
    assert_eq!(o.status.code(), Some(1));
    let e = one_line(&o);
    assert!(e.contains("AADSTS7000215"), "{e}");
    assert!(e.contains("corr-entra-1"), "{e}");
    assert!(!e.contains("not-a-real-secret"), "{e}");

    // A 429 asking for longer than the retry policy waits: reported at once, with the code.
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "3600")
                .set_body_json(json!({"error": {"code": "TooManyRequests",
                    "message": "Rate limit is exceeded.", "target": "corr-429-1"}})),
        )
        .mount(&s)
        .await;
    let o = demo(&s, &["devices", "list"]).await;
    assert_eq!(o.status.code(), Some(1));
    let e = one_line(&o);
    assert!(e.contains("retry after 3600s"), "{e}");
    assert!(
        e.contains("TooManyRequests") && e.contains("corr-429-1"),
        "{e}"
    );

    // A plain service error on a list, an action lookup and the score.
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"error": {
            "code": "Forbidden", "message": "Missing application roles.\nRoles: x",
            "target": "corr-403-1"}})))
        .mount(&s)
        .await;
    for args in [
        &["incidents", "list"][..],
        &["device", "fin-lt-0142", "scan", "--comment", "c", "--yes"],
        &["score"],
        &["action", "5f2a9c7e-1b3d-4e6f-8a0b-c2d4e6f8a1b3", "show"],
    ] {
        let mut all: Vec<String> = ["--demo", "--graph-url", &s.uri(), "--mde-url", &s.uri()]
            .iter()
            .map(|x| x.to_string())
            .collect();
        all.extend(args.iter().map(|a| a.to_string()));
        let o = run(&[], all).await;
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", err(&o));
        let e = one_line(&o);
        assert!(
            e.contains("Forbidden") && e.contains("corr-403-1"),
            "{args:?}: {e}"
        );
    }
}
