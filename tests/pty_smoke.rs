//! Pseudo-terminal smoke test: the real binary starts on the demo tenant in an 80×24 terminal,
//! switches tabs, quits, and restores the terminal. The PTY driving lives in pty_smoke.py
//! (python3's pty module; .ci/run installs python3 where it is missing).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::process::Command;

#[test]
fn console_starts_switches_tabs_and_restores_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pty_smoke.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_socops"))
        .env("SOCOPS_CONFIG_DIR", dir.path().join("config"))
        .env("SOCOPS_DATA_DIR", dir.path().join("data"))
        .env("TERM", "xterm-256color")
        .output()
        .expect("python3 must be installed to run the pseudo-terminal smoke test");
    assert!(
        out.status.success(),
        "pty smoke test failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// SIGINT and SIGQUIT sent to the console restore the terminal like SIGTERM and SIGHUP.
#[test]
fn signals_restore_the_terminal() {
    for sig in ["INT", "QUIT", "TERM"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pty_smoke.py");
        let out = Command::new("python3")
            .arg(script)
            .arg(env!("CARGO_BIN_EXE_socops"))
            .env("SOCOPS_CONFIG_DIR", dir.path().join("config"))
            .env("SOCOPS_DATA_DIR", dir.path().join("data"))
            .env("SOCOPS_PTY_SIGNAL", sig)
            .env("TERM", "xterm-256color")
            .output()
            .expect("python3 must be installed to run the pseudo-terminal smoke test");
        assert!(
            out.status.success(),
            "SIG{sig}:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The console runs with glibc's malloc thresholds fixed (it executes itself again with them:
/// runtime::malloc_tuning), and an operator's own malloc tunables are kept as they are.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_console_runs_with_glibc_malloc_thresholds_fixed_unless_the_operator_tuned_malloc() {
    const OURS: &str = "glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072";
    for (given, expected) in [
        (None, OURS.to_string()),
        (
            Some("glibc.pthread.rseq=1"),
            format!("glibc.pthread.rseq=1:{OURS}"),
        ),
        (
            Some("glibc.malloc.arena_max=2"),
            "glibc.malloc.arena_max=2".into(),
        ),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pty_smoke.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script)
            .arg(env!("CARGO_BIN_EXE_socops"))
            .env("SOCOPS_CONFIG_DIR", dir.path().join("config"))
            .env("SOCOPS_DATA_DIR", dir.path().join("data"))
            .env("SOCOPS_PTY_EXPECT_TUNABLES", &expected)
            .env("TERM", "xterm-256color")
            .env_remove("MALLOC_ARENA_MAX")
            .env_remove("MALLOC_MMAP_THRESHOLD_")
            .env_remove("MALLOC_TRIM_THRESHOLD_");
        match given {
            Some(v) => cmd.env("GLIBC_TUNABLES", v),
            None => cmd.env_remove("GLIBC_TUNABLES"),
        };
        let out = cmd
            .output()
            .expect("python3 must be installed to run the pseudo-terminal smoke test");
        assert!(
            out.status.success(),
            "given {given:?}:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
