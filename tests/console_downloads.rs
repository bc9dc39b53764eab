//! The console's downloads of finished actions (investigation package, GetFile, script output)
//! go through the one export writer: a file already at the name and a symbolic link planted
//! there are neither overwritten nor followed, the download lands at `name-2`, 0600, and the
//! toast names the path actually written.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use socops::api::auth::StaticToken;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::app::Msg;
use socops::app::actions::ResultKind;
use socops::runtime::actions::{ActionContext, ActionRunner};
use tokio::sync::mpsc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn runner(url: &str, data: &Path) -> (ActionRunner, mpsc::UnboundedReceiver<Msg>) {
    let client = Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(url), Some(url), Some(url)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        RetryPolicy::fast(),
    );
    let (tx, rx) = mpsc::unbounded_channel();
    let ctx = ActionContext::new(data.to_path_buf(), "work".into(), "contoso".into());
    (ActionRunner::new(client, tx, ctx), rx)
}

/// The message that answers a fetch, or a failure after 30 s instead of a hang.
async fn answer(rx: &mut mpsc::UnboundedReceiver<Msg>) -> Msg {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("no answer within 30 s")
        .expect("the runner's channel closed")
}

async fn toast(rx: &mut mpsc::UnboundedReceiver<Msg>) -> String {
    match answer(rx).await {
        Msg::Toast(t) => t,
        other => panic!("not a toast: {other:?}"),
    }
}

/// `GET link_path` answers a download link to `/blob/{blob}`, which answers `body`.
async fn mount_download(s: &MockServer, link_path: &str, blob: &str, body: &str) {
    Mock::given(method("GET"))
        .and(path(link_path))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": format!("{}/blob/{blob}", s.uri())})),
        )
        .mount(s)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/blob/{blob}")))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(s)
        .await;
}

fn downloads(data: &Path) -> std::path::PathBuf {
    let dir = data.join("downloads");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn no_temp_files(dir: &Path) {
    assert_eq!(bin_common::temp_files(dir), Vec::<String>::new());
}

#[tokio::test]
async fn a_package_never_replaces_an_earlier_file_and_lands_at_name_2() {
    let s = MockServer::start().await;
    mount_download(
        &s,
        "/api/machineactions/A1/getPackageUri",
        "pkg.zip",
        "PK new",
    )
    .await;
    let data = tempfile::tempdir().unwrap();
    let dir = downloads(data.path());
    let earlier = dir.join("investigation-package-pc-01-A1.zip");
    std::fs::write(&earlier, "PK earlier").unwrap();
    let (r, mut rx) = runner(&s.uri(), data.path());

    r.fetch_result("A1".into(), ResultKind::Package, "pc-01.contoso.com".into());
    let t = toast(&mut rx).await;

    let landed = dir.join("investigation-package-pc-01-A1-2.zip");
    assert_eq!(std::fs::read_to_string(&earlier).unwrap(), "PK earlier");
    assert_eq!(std::fs::read_to_string(&landed).unwrap(), "PK new");
    assert_eq!(
        t,
        format!("investigation package saved to {}", landed.display())
    );
    #[cfg(unix)]
    assert_eq!(mode(&landed), 0o600);
    no_temp_files(&dir);
}

#[cfg(unix)]
#[tokio::test]
async fn a_link_planted_at_a_getfile_name_is_not_followed() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions/A2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "A2", "type": "LiveResponse", "status": "Succeeded",
            "commands": [{"index": 0, "commandStatus": "Completed",
                          "command": {"type": "GetFile",
                                      "params": [{"key": "Path",
                                                  "value": r"C:\Users\ana\report.pdf"}]}}]
        })))
        .mount(&s)
        .await;
    mount_download(
        &s,
        "/api/machineactions/A2/GetLiveResponseResultDownloadLink(index=0)",
        "file.bin",
        "the device's file",
    )
    .await;
    let data = tempfile::tempdir().unwrap();
    let dir = downloads(data.path());
    // Somebody with access to the directory points the expected name elsewhere.
    let elsewhere = data.path().join("authorized_keys");
    std::fs::write(&elsewhere, "keep").unwrap();
    let planted = dir.join("pc-01-report.pdf");
    std::os::unix::fs::symlink(&elsewhere, &planted).unwrap();
    let (r, mut rx) = runner(&s.uri(), data.path());

    r.fetch_result("A2".into(), ResultKind::File, "pc-01.contoso.com".into());
    let t = toast(&mut rx).await;

    let landed = dir.join("pc-01-report-2.pdf");
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep");
    assert!(
        std::fs::symlink_metadata(&planted)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&landed).unwrap(),
        "the device's file"
    );
    assert_eq!(t, format!("file saved to {}", landed.display()));
    assert_eq!(mode(&landed), 0o600);
    no_temp_files(&dir);
}

#[tokio::test]
async fn a_script_output_names_the_file_it_was_saved_to() {
    let s = MockServer::start().await;
    let body =
        r#"{"script_name":"Collect.ps1","exit_code":0,"script_output":"ok","script_errors":""}"#;
    mount_download(
        &s,
        "/api/machineactions/A3/GetLiveResponseResultDownloadLink(index=0)",
        "result.json",
        body,
    )
    .await;
    let data = tempfile::tempdir().unwrap();
    let dir = downloads(data.path());
    let earlier = dir.join("script-pc-01-A3.txt");
    std::fs::write(&earlier, "earlier").unwrap();
    let (r, mut rx) = runner(&s.uri(), data.path());

    r.fetch_result("A3".into(), ResultKind::Script, "pc-01.contoso.com".into());
    let Msg::ShowText { lines, .. } = answer(&mut rx).await else {
        panic!("no script output shown");
    };

    let landed = dir.join("script-pc-01-A3-2.txt");
    assert_eq!(std::fs::read_to_string(&earlier).unwrap(), "earlier");
    assert!(std::fs::read_to_string(&landed).unwrap().contains("ok"));
    assert_eq!(
        lines.last().unwrap(),
        &format!("saved to {}", landed.display())
    );
    no_temp_files(&dir);
}
