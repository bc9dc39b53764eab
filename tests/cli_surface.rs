//! The command line as a user meets it: help text on every argument, global flags under their
//! own heading, completions and the manual page, full ids when piped, exit codes (2 usage, 1
//! Microsoft said no, 3 socops refused), the run-script library check, `action ID output --out
//! FILE`, device names in `actions list`, the exposure band in `score`, `--demo login`, and no
//! progress line when stderr is not a terminal.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::process::{Command, Output, Stdio};

use clap::CommandFactory;
use serde_json::json;
use socops::cli::args::Cli;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn socops(dir: &std::path::Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_socops"));
    for k in [
        "SOCOPS_PROFILE",
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
    ] {
        cmd.env_remove(k);
    }
    cmd.env("SOCOPS_CONFIG_DIR", dir.join("config"))
        .env("SOCOPS_DATA_DIR", dir.join("data"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_argument_and_flag_has_help_text() {
    fn walk(cmd: &clap::Command, path: String, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&Cli::command(), "socops".into(), &mut missing);
    assert!(missing.is_empty(), "no help text: {missing:?}");
}

/// A flag whose values form a closed set lists them in `--help` (a clap value enum or a
/// possible-values parser), so a typo is refused with the list; only free-form values (ids,
/// names, numbers, text, paths, URLs) are left without one.
#[test]
fn every_closed_set_flag_lists_its_values() {
    const FREE_FORM: &[&str] = &[
        // `sim --roles`: a comma list of Microsoft permission names.
        "roles",
        "seed",
        "devices",
        "profile",
        "authority_url",
        "mde_url",
        "graph_url",
        "tenant_id",
        "client_id",
        "out",
        "filter",
        "limit",
        "device",
        "sha256",
        "sha1",
        "ip",
        "url",
        "domain",
        "title",
        "description",
        "id",
        "tags",
        "assign",
        "comment",
        "text",
        "name",
        "args",
        "path",
        "timeout",
        "index",
        "port",
    ];
    fn walk(cmd: &clap::Command, path: String, found: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.get_action().takes_values()
                && arg.get_possible_values().is_empty()
                && !FREE_FORM.contains(&id)
            {
                found.push(format!("{path} --{id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, format!("{path} {}", sub.get_name()), found);
        }
    }
    let mut found = Vec::new();
    walk(&Cli::command(), "socops".into(), &mut found);
    assert!(found.is_empty(), "no possible values: {found:?}");
    let dir = tempfile::tempdir().unwrap();
    let help = out(&socops(dir.path(), &["devices", "list", "--help"]));
    for shown in ["business, p1, p2", "global, gcc, gcc-high, dod", "high"] {
        assert!(help.contains(shown), "{shown}: {help}");
    }
}

#[test]
fn subcommand_help_lists_its_own_options_before_the_global_ones() {
    let dir = tempfile::tempdir().unwrap();
    let o = socops(dir.path(), &["devices", "list", "--help"]);
    let help = out(&o);
    let own = help.find("--risk").expect("own option");
    let heading = help.find("Global options:").expect("global heading");
    assert!(own < heading, "{help}");
    assert!(help[heading..].contains("--demo"), "{help}");
    assert!(!help[..heading].contains("--demo"), "{help}");
}

#[test]
fn completions_and_manual_page() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, mark) in [
        ("bash", "_socops()"),
        ("zsh", "#compdef socops"),
        ("fish", "complete -c socops"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = socops(dir.path(), &["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", err(&o));
        assert!(out(&o).contains(mark), "{shell}");
        assert!(out(&o).contains("devices"), "{shell}");
    }
    let o = socops(dir.path(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    let o = socops(dir.path(), &["man"]);
    assert!(o.status.success());
    let page = out(&o);
    assert!(page.contains(".TH socops 1"), "{page}");
    assert!(page.contains("completions"), "{page}");
}

#[test]
fn piped_tables_print_full_ids() {
    let dir = tempfile::tempdir().unwrap();
    let o = socops(dir.path(), &["--demo", "actions", "list"]);
    assert!(o.status.success(), "{}", err(&o));
    let table = out(&o);
    assert!(!table.contains('…'), "{table}");
    let ids: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(!ids.is_empty());
    assert!(ids.iter().all(|id| id.len() == 36), "{ids:?}");
    let o = socops(dir.path(), &["--demo", "devices", "list"]);
    assert!(!out(&o).contains('…'));
}

#[test]
fn actions_list_names_every_device() {
    let dir = tempfile::tempdir().unwrap();
    // The demo history has an action whose record carries no computerDnsName.
    let json = out(&socops(
        dir.path(),
        &["--demo", "actions", "list", "--json"],
    ));
    let raw: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let unnamed: Vec<&serde_json::Value> = raw
        .iter()
        .filter(|a| a["computerDnsName"].is_null())
        .collect();
    assert!(!unnamed.is_empty(), "the demo keeps one unnamed action");
    let table = out(&socops(dir.path(), &["--demo", "actions", "list"]));
    for a in unnamed {
        let id = a["id"].as_str().unwrap();
        let machine = a["machineId"].as_str().unwrap();
        let line = table.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(!line.contains(machine), "named by id: {line}");
    }
}

#[test]
fn score_has_the_exposure_band_and_demo_login_needs_no_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let o = socops(dir.path(), &["--demo", "score"]);
    let text = out(&o);
    let line = text
        .lines()
        .find(|l| l.starts_with("Exposure level"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        ["Low", "Medium", "High"]
            .iter()
            .any(|b| line.split_whitespace().nth(2) == Some(b)),
        "{line}"
    );
    let o = socops(dir.path(), &["--demo", "login"]);
    assert!(o.status.success());
    assert!(out(&o).contains("needs no sign-in"), "{}", out(&o));
}

#[test]
fn run_script_checks_the_library_first() {
    let dir = tempfile::tempdir().unwrap();
    let name = out(&socops(
        dir.path(),
        &["--demo", "devices", "list", "--json"],
    ));
    let devices: Vec<serde_json::Value> = serde_json::from_str(&name).unwrap();
    let device = devices[0]["computerDnsName"].as_str().unwrap();
    let o = socops(
        dir.path(),
        &[
            "--demo",
            "--plan",
            "p2",
            "device",
            device,
            "run-script",
            "Nope.ps1",
            "--comment",
            "c",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("Nope.ps1"), "{}", err(&o));
    assert!(err(&o).contains("Collect-Triage.ps1"), "{}", err(&o));
    // Nothing was sent, so nothing was audited.
    let audit = out(&socops(dir.path(), &["audit", "list", "--json"]));
    assert_eq!(audit.trim(), "[]");
}

#[test]
fn out_onto_an_existing_file_is_a_usage_problem() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("devices.csv");
    std::fs::write(&file, "keep").unwrap();
    let f = file.to_str().unwrap();
    let o = socops(dir.path(), &["--demo", "devices", "list", "--out", f]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let o = socops(dir.path(), &["--demo", "devices", "list"]);
    assert!(o.status.success());
    assert!(!err(&o).contains("page"), "{}", err(&o));
}

const ACTION: &str = "7d1f0a3e-2b4c-4d5e-8f6a-0b1c2d3e4f5a";

async fn run(s: &MockServer, dir: &std::path::Path, args: &[&str]) -> Output {
    let mut all: Vec<String> = vec!["--demo".into(), "--mde-url".into(), s.uri()];
    all.extend(args.iter().map(|a| a.to_string()));
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        socops(&dir, &refs)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn action_output_writes_the_file_named_by_out() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/machineactions/{ACTION}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": ACTION, "type": "LiveResponse", "status": "Succeeded",
            "commands": [{"index": 0, "commandStatus": "Completed",
                          "command": {"type": "RunScript"}}]
        })))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/machineactions/{ACTION}/GetLiveResponseResultDownloadLink(index=0)"
        )))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": format!("{}/blob/result.json", s.uri())})),
        )
        .mount(&s)
        .await;
    let body = r#"{"script_name":"Collect-Triage.ps1","exit_code":0,"script_output":"ok","script_errors":""}"#;
    Mock::given(method("GET"))
        .and(path("/blob/result.json"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("result.json");
    let f = file.to_str().unwrap();
    let o = run(&s, dir.path(), &["action", ACTION, "output", "--out", f]).await;
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), body);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Again onto the file: a usage problem without --force, replaced with it.
    let o = run(&s, dir.path(), &["action", ACTION, "output", "--out", f]).await;
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let o = run(
        &s,
        dir.path(),
        &["action", ACTION, "output", "--out", f, "--force"],
    )
    .await;
    assert!(o.status.success(), "{}", err(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_a_finished_action_is_microsofts_no_exit_1() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/machineactions/{ACTION}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": ACTION, "type": "Isolate", "status": "Succeeded",
            "machineId": "4b7e3c2a9f1d6e08b5a2c7d4e9f0a1b2c3d4e5f6",
            "computerDnsName": "fin-lt-0142"
        })))
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/api/machineactions/{ACTION}/cancel")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {"code": "InvalidRequestBody",
                      "message": "Action is already in Succeeded status and cannot be cancelled"}
        })))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        &s,
        dir.path(),
        &["action", ACTION, "cancel", "--comment", "c", "--yes"],
    )
    .await;
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        err(&o).contains("already in Succeeded status"),
        "{}",
        err(&o)
    );
}

#[test]
fn a_duplicate_is_exit_3_only_when_socops_saw_it() {
    use socops::api::dispatch::{DispatchError, DuplicateSeen};
    let dup = |seen| DispatchError::Duplicate {
        id: "a1".into(),
        action_type: "Isolate".into(),
        status: "Pending".into(),
        seen,
    };
    let code = |seen| socops::cli::send::cli_error(dup(seen), "Isolate x").code();
    assert_eq!(code(DuplicateSeen::Guard), 3);
    assert_eq!(code(DuplicateSeen::Refused), 1);
    assert_eq!(code(DuplicateSeen::Returned), 1);
}
