//! An export interrupted by a signal leaves nothing on disk: `devices list --out FILE` waiting
//! on a service that never answers is ended by SIGINT (ctrl-c) and SIGTERM; neither FILE nor
//! its 0600 temp file beside it (tenant data) may remain, and the exit code says which signal.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;

use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A service that accepts connections and never answers, so the read (and the export) waits
/// until the test ends it.
fn silent_service() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            held.push(conn);
        }
    });
    url
}

fn interrupt_export(signal: &str, code: i32) {
    let home = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("devices.csv");
    let url = silent_service();
    let mut child = bin_common::command(home.path())
        .args(["--demo", "--mde-url", &url, "--out"])
        .arg(&out)
        .args(["devices", "list", "--csv"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The export's temp file exists as soon as the command starts reading.
    let deadline = Instant::now() + Duration::from_secs(60);
    while bin_common::temp_files(out_dir.path()).is_empty() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "socops ended before it started the export"
        );
        assert!(Instant::now() < deadline, "no temp file within 60 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("socops did not end within 30 s of {signal}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(bin_common::temp_files(out_dir.path()), Vec::<String>::new());
    assert!(
        !out.exists(),
        "an interrupted export must not be put in place"
    );
    assert_eq!(status.code(), Some(code), "{status:?}");
}

#[test]
fn ctrl_c_during_an_export_removes_its_temp_file() {
    interrupt_export("-INT", 130);
}

#[test]
fn sigterm_during_an_export_removes_its_temp_file() {
    interrupt_export("-TERM", 143);
}
