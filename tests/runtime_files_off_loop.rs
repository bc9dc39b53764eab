//! The console's loop never waits on a file: the audit log (shown, or appended by a portal
//! hand-over) and a switched-to tenant's files are read and written on the blocking pool, and
//! the write pipeline's audit log never holds a runtime worker. A
//! FIFO with nothing at its other end blocks whoever opens it, so each case puts one where
//! the file should be: a call made on the loop would never return.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use socops::api::auth::StaticToken;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::app::{Command, Msg};
use socops::runtime::actions::{ActionContext, ActionRunner};
use socops::runtime::tenants::{TenantHandle, TenantSet};
use tokio::sync::mpsc;

fn client() -> Client {
    // Never reached: nothing here sends a request.
    let url = "http://127.0.0.1:9";
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(url), Some(url), Some(url)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        RetryPolicy::fast(),
    )
}

fn fifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

/// A runtime that, when the test ends (or fails), leaves its blocked threads behind instead
/// of waiting for them.
struct Rt(Option<tokio::runtime::Runtime>);

impl Drop for Rt {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

fn runtime() -> Rt {
    runtime_with(2)
}

fn runtime_with(workers: usize) -> Rt {
    Rt(Some(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .unwrap(),
    ))
}

/// Call `f` as the loop does (on a thread inside the runtime): did it return within 10 s?
fn returns(rt: &Rt, f: impl FnOnce() + Send + 'static) -> bool {
    let (done, returned) = std::sync::mpsc::channel();
    let handle = rt.0.as_ref().unwrap().handle().clone();
    std::thread::spawn(move || {
        let _in_runtime = handle.enter();
        f();
        let _ = done.send(());
    });
    returned.recv_timeout(Duration::from_secs(10)).is_ok()
}

/// Write `text` into the FIFO once its reader opens it, then close it (the reader gets EOF).
fn feed(path: &Path, text: &'static str) {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        let _ = f.write_all(text.as_bytes());
    });
}

/// Within 10 s, is a thread of this process blocked in `write` on `path` through a descriptor
/// other than `own`? Read from `/proc/self/task/*/syscall`: the call's number, then its
/// first argument (the descriptor).
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn stuck_writing(path: &Path, own: i32) -> bool {
    const WRITE: &str = "1"; // x86_64's write(2)
    let target = path.canonicalize().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        let fds: Vec<String> = std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .flatten()
            .filter(|e| std::fs::read_link(e.path()).is_ok_and(|l| l == target))
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter(|fd| *fd != own)
            .map(|fd| format!("{fd:#x}"))
            .collect();
        let stuck = std::fs::read_dir("/proc/self/task")
            .unwrap()
            .flatten()
            .any(|t| {
                let call = std::fs::read_to_string(t.path().join("syscall")).unwrap_or_default();
                let mut f = call.split_whitespace();
                f.next() == Some(WRITE) && f.next().is_some_and(|fd| fds.iter().any(|x| x == fd))
            });
        if stuck {
            return true;
        }
        std::thread::yield_now();
    }
    false
}

/// Elsewhere the kernel does not say what a thread waits on: give the send a moment.
#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
fn stuck_writing(_path: &Path, _own: i32) -> bool {
    std::thread::sleep(Duration::from_millis(300));
    true
}

#[test]
fn showing_and_appending_the_audit_log_leave_the_loop() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    fifo(&dir.path().join("audit.jsonl"));
    let (tx, _rx) = mpsc::unbounded_channel::<Msg>();
    let ctx = ActionContext::new(dir.path().to_path_buf(), "work".into(), "contoso".into());
    let runner = ActionRunner::new(client(), tx, ctx);
    let r = runner.clone();
    assert!(
        returns(&rt, move || r.show_audit()),
        "showing the audit log blocked the loop"
    );
    let r = runner.clone();
    assert!(
        returns(&rt, move || r.handover(
            "Live response".into(),
            "https://security.microsoft.com/".into(),
            vec!["pc-01".into()],
        )),
        "a hand-over's audit record blocked the loop"
    );
}

#[test]
fn a_tenant_switch_restores_its_files_off_the_loop() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let checklists = dir.path().join("checklist");
    fifo(&checklists.join("other.json"));
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let handle = |name: &str| TenantHandle {
        name: name.into(),
        label: name.into(),
        color: None,
        read_only: false,
        protected: false,
        plan: Default::default(),
        client: Ok(client()),
        team: None,
        analyst: None,
    };
    let set = Arc::new(TenantSet {
        handles: vec![handle("work"), handle("other")],
        data_dir: dir.path().join("data"),
        checklist_dir: checklists.clone(),
        export_dir: None,
        offline: false,
        tx,
    });
    let s = set.clone();
    assert!(
        returns(&rt, move || {
            let mut fx = s.effects(0).unwrap();
            assert!(s.run(&Command::SwitchTenant(1), &mut fx));
        }),
        "restoring the tenant's checklist blocked the loop"
    );
    feed(&checklists.join("other.json"), "{}");
    let msg =
        rt.0.as_ref()
            .unwrap()
            .block_on(async { tokio::time::timeout(Duration::from_secs(10), rx.recv()).await });
    match msg {
        Ok(Some(Msg::TenantRestored { profile, .. })) => assert_eq!(profile, "other"),
        other => panic!("expected the restored files, got {other:?}"),
    }
}

#[test]
fn the_write_pipeline_audits_without_holding_a_runtime_worker() {
    // One worker: if the pipeline opened (or synced) the audit log on it, no other task of
    // the console (loads, tracking, input) could run until the disk answered.
    let rt = runtime_with(1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    fifo(&path);
    // A private FIFO opens at once (read-write) but takes no more once its buffer is full:
    // fill it, so the pipeline's first append waits for good, as on a disk that hangs.
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let full = {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&path)
            .unwrap();
        while f.write(&[b'x'; 4096]).is_ok() {}
        f
    };
    let (tx, _rx) = mpsc::unbounded_channel::<Msg>();
    let ctx = ActionContext::new(dir.path().to_path_buf(), "work".into(), "contoso".into());
    let runner = ActionRunner::new(client(), tx, ctx);
    let req = socops::api::calls::ActionRequest::RunAntiVirusScan {
        machine_id: "m1".into(),
        comment: "weekly".into(),
        full: false,
    };
    let rt_ref = rt.0.as_ref().unwrap();
    {
        let _in = rt_ref.enter();
        runner.send(1, req, vec!["m1 pc-01".into()], true);
    }
    // Wait until the send is stuck in its audit append, then ask the worker for something
    // else (asked earlier, the probe could run before the pipeline takes the worker, and the
    // test would pass whatever the pipeline does); the answer is awaited outside the runtime
    // (its timers need a free worker too).
    assert!(
        stuck_writing(&path, std::os::fd::AsRawFd::as_raw_fd(&full)),
        "the send never reached its audit append"
    );
    let (done, answered) = std::sync::mpsc::channel();
    rt_ref.spawn(async move {
        let _ = done.send(7);
    });
    let other = answered.recv_timeout(Duration::from_secs(10));
    assert!(
        other == Ok(7),
        "a task waited behind the pipeline's audit log: {other:?}"
    );
}
