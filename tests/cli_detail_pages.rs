//! The CLI counterparts of the console's detail pages, against the simulator
//! (`--demo --mde-url SIM`): `recommendations devices REC_ID` lists what `machineReferences`
//! returns (an unknown id is Microsoft's 404, exit 1; a bad id is exit 2), and `action ID show`
//! names the requestor and decodes `errorHResult` as the action page does. Tenant text
//! written by an attacker reaches neither the terminal nor a CSV cell raw.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;
use std::process::{Output, Stdio};

use serde_json::{Value, json};
use socops::sim::{self, RunningSim, SimConfig};

const HOSTILE: &str =
    "ws-evil\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}\u{1b}[2J\u{9b}1m\u{202e}x\u{200b}\nFAKE: ok";

async fn simulator() -> RunningSim {
    sim::start(SimConfig {
        devices: 30,
        rate_limits: false,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

async fn run(sim: &RunningSim, dir: &tempfile::TempDir, args: &[&str]) -> Output {
    bin_common::demo_at(&sim.base_url(), dir.path(), &["--plan", "p2"], args).await
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Bytes a terminal would act on or reorder must not be there raw; a name must not start a
/// line of its own (a CSV cell may keep its line break: it is quoted data there).
fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
                || matches!(c, '\u{200b}' | '\u{200c}' | '\u{feff}')
        })
        .collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} in {text:?}");
    assert!(
        what.contains("--csv") || !text.lines().any(|l| l.starts_with("FAKE:")),
        "{what}: a name started a line of its own: {text}"
    );
}

/// A recommendation the simulator says exposes devices, with its count.
async fn exposing(sim: &RunningSim, dir: &tempfile::TempDir) -> (String, u64) {
    let o = run(sim, dir, &["recommendations", "list", "--json"]).await;
    assert!(o.status.success(), "{}", err(&o));
    let recs: Vec<Value> = serde_json::from_str(&out(&o)).unwrap();
    recs.iter()
        .find_map(|r| {
            let n = r["exposedMachinesCount"].as_u64().filter(|n| *n > 1)?;
            Some((r["id"].as_str()?.to_string(), n))
        })
        .expect("a recommendation with exposed devices")
}

#[tokio::test(flavor = "multi_thread")]
async fn recommendation_devices_lists_machine_references_in_every_format() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let (id, exposed) = exposing(&sim, &dir).await;

    // --json: the API's records, field names as Microsoft spells them.
    let o = run(&sim, &dir, &["recommendations", "devices", &id, "--json"]).await;
    assert!(o.status.success(), "{}", err(&o));
    let devices: Vec<Value> = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        devices.len() as u64,
        exposed,
        "as many as the recommendation counts"
    );
    for d in &devices {
        for field in ["id", "computerDnsName", "osPlatform", "rbacGroupName"] {
            assert!(d.get(field).is_some(), "{field} in {d}");
        }
    }

    // The table, piped: whole 40-hex ids, never cut.
    let o = run(&sim, &dir, &["recommendations", "devices", &id]).await;
    assert!(o.status.success(), "{}", err(&o));
    let table = out(&o);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("NAME"), "{table}");
    assert!(
        lines[0].contains("OS") && lines[0].contains("GROUP") && lines[0].ends_with("ID"),
        "{table}"
    );
    assert_eq!(lines.len() - 1, devices.len(), "{table}");
    assert!(!table.contains('…'), "{table}");
    for d in &devices {
        let (name, did) = (
            d["computerDnsName"].as_str().unwrap(),
            d["id"].as_str().unwrap(),
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(name) && l.ends_with(did)),
            "{name} {did} in {table}"
        );
    }

    // CSV: the same columns; --limit stops early.
    let o = run(
        &sim,
        &dir,
        &["recommendations", "devices", &id, "--csv", "--limit", "2"],
    )
    .await;
    assert!(o.status.success(), "{}", err(&o));
    let csv = out(&o);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "NAME,OS,GROUP,ID");
    assert_eq!(rows.len(), 3, "{csv}");
}

#[tokio::test(flavor = "multi_thread")]
async fn recommendation_devices_says_no_as_microsoft_does() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    // An unknown recommendation: the service's 404 with its message, exit 1.
    let o = run(
        &sim,
        &dir,
        &["recommendations", "devices", "va-_-nobody-_-nothing"],
    )
    .await;
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("Recommendation va-_-nobody-_-nothing was not found"),
        "{e}"
    );
    assert!(out(&o).is_empty(), "nothing on stdout: {}", out(&o));
    // Usage problems are exit 2: no id, an empty one, a path.
    for args in [
        &["recommendations", "devices"][..],
        &["recommendations", "devices", " "],
        &["recommendations", "devices", "a/b"],
    ] {
        let o = run(&sim, &dir, args).await;
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
    }
    // Offline there is nothing to read it from (exit 1, nothing sent).
    let o = run(
        &sim,
        &dir,
        &["--offline", "recommendations", "devices", "va-_-x-_-y"],
    )
    .await;
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        err(&o).contains("not available with --offline"),
        "{}",
        err(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_device_names_in_exposed_devices_are_shown_not_run() {
    let sim = simulator().await;
    sim.edit_tenant(|t| {
        for (i, d) in t.devices.iter_mut().enumerate() {
            d.name = format!("{HOSTILE}-{i}");
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = exposing(&sim, &dir).await;
    for format in [None, Some("--csv"), Some("--json")] {
        let mut args = vec!["recommendations", "devices", id.as_str()];
        args.extend(format);
        let o = run(&sim, &dir, &args).await;
        assert!(o.status.success(), "{args:?}: {}", err(&o));
        let what = args.join(" ");
        assert_terminal_safe(&format!("{what} (stdout)"), &o.stdout);
        assert_terminal_safe(&format!("{what} (stderr)"), &o.stderr);
        match format {
            Some("--json") => {
                let v: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
                let name = v[0]["computerDnsName"].as_str().unwrap();
                assert!(name.starts_with(HOSTILE), "the JSON escape is lossless");
            }
            _ => assert!(out(&o).contains("ws-evil␛]52;c;"), "{}", out(&o)),
        }
    }
}

/// A failed action requested by WindowsDefenderATP, with a hostile comment and device name.
fn failed_action(t: &mut socops::sim::tenant::Tenant) -> String {
    let now = chrono::Utc::now();
    let a = t
        .actions
        .iter_mut()
        .find(|a| a.commands.is_empty())
        .unwrap();
    a.requestor = "fc780465-2017-40d4-a0c5-307022471b92".into();
    a.comment = HOSTILE.into();
    a.fixed = Some(("Failed", now));
    a.cancel = None;
    let (device, id) = (a.device, a.id.clone());
    t.devices[device as usize].name = HOSTILE.into();
    id
}

#[tokio::test(flavor = "multi_thread")]
async fn action_show_names_the_requestor_and_decodes_the_failure() {
    let sim = simulator().await;
    let mut id = String::new();
    sim.edit_tenant(|t| id = failed_action(t));
    let dir = tempfile::tempdir().unwrap();

    let o = run(&sim, &dir, &["action", &id, "show"]).await;
    assert!(o.status.success(), "{}", err(&o));
    assert_terminal_safe("action show (stdout)", &o.stdout);
    let text = out(&o);
    let field = |name: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .to_string()
    };
    assert!(
        field("requestor")
            .contains("WindowsDefenderATP (Microsoft app fc780465-2017-40d4-a0c5-307022471b92)"),
        "{text}"
    );
    // The simulator's failures carry E_INVALIDARG (-2147024809).
    assert!(
        field("failure").contains("0x80070057 E_INVALIDARG: one or more arguments are not valid"),
        "{text}"
    );
    assert!(field("status").contains("Failed"), "{text}");
    assert!(field("comment").contains("ws-evil␛]52;c;"), "{text}");
    assert!(field("device").contains("ws-evil␛"), "{text}");

    // CSV: the same facts, cells sanitised.
    let o = run(&sim, &dir, &["action", &id, "show", "--csv"]).await;
    assert!(o.status.success(), "{}", err(&o));
    assert_terminal_safe("action show --csv (stdout)", &o.stdout);
    let csv = out(&o);
    assert!(csv.starts_with("FIELD,VALUE\n"), "{csv}");
    assert!(csv.contains("failure,0x80070057 E_INVALIDARG"), "{csv}");

    // --json keeps the API's raw fields.
    let o = run(&sim, &dir, &["action", &id, "show", "--json"]).await;
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["errorHResult"], json!(-2147024809i64));
    assert_eq!(v["requestor"], "fc780465-2017-40d4-a0c5-307022471b92");
    assert_eq!(v["requestorComment"], HOSTILE);
}

#[tokio::test(flavor = "multi_thread")]
async fn action_show_lists_live_response_commands() {
    let sim = simulator().await;
    let mut id = String::new();
    sim.edit_tenant(|t| {
        let a = t
            .actions
            .iter_mut()
            .find(|a| !a.commands.is_empty())
            .expect("a live response action in the history");
        a.fixed = Some(("Succeeded", chrono::Utc::now()));
        a.cancel = None;
        id = a.id.clone();
    });
    let dir = tempfile::tempdir().unwrap();
    let o = run(&sim, &dir, &["action", &id, "show"]).await;
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("\nCommands ("), "{text}");
    assert!(text.contains("[Completed]"), "{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("failure")),
        "a succeeded action has no failure line: {text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn action_show_names_a_pending_actions_device_from_the_inventory() {
    let sim = simulator().await;
    let (mut id, mut name) = (String::new(), String::new());
    sim.edit_tenant(|t| {
        let a = t
            .actions
            .iter_mut()
            .find(|a| a.commands.is_empty())
            .unwrap();
        // A Pending action comes without computerDnsName.
        a.fixed = Some(("Pending", chrono::Utc::now()));
        a.cancel = None;
        id = a.id.clone();
        name = t.devices[a.device as usize].name.clone();
    });
    let dir = tempfile::tempdir().unwrap();
    let o = run(&sim, &dir, &["action", &id, "show", "--json"]).await;
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["computerDnsName"], Value::Null, "the record has no name");
    let o = run(&sim, &dir, &["action", &id, "show"]).await;
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    let device = text
        .lines()
        .find(|l| l.starts_with("device"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(device.contains(&name), "{device}");
}

/// Signed in as an application (env credentials, every endpoint on a mock): the actions it
/// requested are named as this profile's app in `action ID show` and the `actions list`
/// table, a well-known Microsoft app by its name; CSV and JSON keep the value as sent.
#[tokio::test(flavor = "multi_thread")]
async fn the_profiles_own_app_is_named_in_show_and_in_the_list_table() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    const TENANT: &str = "11111111-2222-3333-4444-555555555555";
    const APP: &str = "22222222-0000-0000-0000-000000000000";
    const ACTION: &str = "5f2a9c7e-1b3d-4e6f-8a0b-c2d4e6f8a1b3";
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "tok", "token_type": "Bearer", "expires_in": 3600
        })))
        .mount(&s)
        .await;
    let mine = json!({"id": ACTION, "type": "Isolate", "status": "Succeeded", "requestor": APP,
        "machineId": "m1", "computerDnsName": "fin-lt-0142", "errorHResult": 0,
        "creationDateTimeUtc": "2026-11-30T06:00:00Z"});
    let theirs = json!({"id": "a-2", "type": "RunAntiVirusScan", "status": "Succeeded",
        "requestor": "fc780465-2017-40d4-a0c5-307022471b92", "machineId": "m1",
        "computerDnsName": "fin-lt-0142", "creationDateTimeUtc": "2026-11-30T05:00:00Z"});
    for (p, body) in [
        (format!("/api/machineactions/{ACTION}"), mine.clone()),
        (
            "/api/machineactions".into(),
            json!({"value": [mine, theirs]}),
        ),
        ("/api/machines".into(), json!({"value": []})),
    ] {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&s)
            .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let env_run = |args: &[&str]| {
        let mut all: Vec<String> = ["--authority-url", "--mde-url", "--graph-url"]
            .iter()
            .flat_map(|f| [f.to_string(), s.uri()])
            .collect();
        all.extend(args.iter().map(|a| a.to_string()));
        let data = dir.path().to_path_buf();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_socops"))
                .env_remove("SOCOPS_PROFILE")
                .env("SOCOPS_CONFIG_DIR", data.join("config"))
                .env("SOCOPS_DATA_DIR", data.join("data"))
                .env("AZURE_TENANT_ID", TENANT)
                .env("AZURE_CLIENT_ID", APP)
                .env("AZURE_CLIENT_SECRET", "not-a-real-secret")
                .args(&all)
                .stdin(Stdio::null())
                .output()
                .unwrap()
        })
    };
    let o = env_run(&["action", ACTION, "show"]).await.unwrap();
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains(&format!("socops, this profile's app ({APP})")),
        "{}",
        out(&o)
    );
    let o = env_run(&["actions", "list"]).await.unwrap();
    assert!(o.status.success(), "{}", err(&o));
    let table = out(&o);
    let row = |id: &str| {
        table
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap()
            .to_string()
    };
    assert!(row(ACTION).contains("socops (this profile)"), "{table}");
    assert!(row("a-2").contains("WindowsDefenderATP"), "{table}");
    let o = env_run(&["actions", "list", "--csv"]).await.unwrap();
    assert!(out(&o).contains(APP), "CSV keeps the id: {}", out(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_requestor_is_shown_not_run_in_show_and_in_the_list() {
    let sim = simulator().await;
    let mut id = String::new();
    sim.edit_tenant(|t| {
        let a = t
            .actions
            .iter_mut()
            .find(|a| a.commands.is_empty())
            .unwrap();
        a.requestor = HOSTILE.into();
        a.fixed = Some(("Succeeded", chrono::Utc::now()));
        a.cancel = Some(socops::sim::tenant::actions::Cancel {
            by: HOSTILE.into(),
            comment: HOSTILE.into(),
            at: chrono::Utc::now(),
        });
        id = a.id.clone();
    });
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["action", id.as_str(), "show"][..],
        &["action", id.as_str(), "show", "--csv"],
        &["actions", "list"],
        &["actions", "list", "--csv"],
    ] {
        let o = run(&sim, &dir, args).await;
        assert!(o.status.success(), "{args:?}: {}", err(&o));
        let what = args.join(" ");
        assert_terminal_safe(&format!("{what} (stdout)"), &o.stdout);
        assert_terminal_safe(&format!("{what} (stderr)"), &o.stderr);
        assert!(out(&o).contains("ws-evil␛]52;c;"), "{what}: {}", out(&o));
    }
}
