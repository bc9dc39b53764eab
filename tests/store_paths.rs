//! The env overrides of the config and data dirs. The variables are set on a child process
//! (this test binary run again for one test), never with `set_var` in a running test: the
//! crate forbids unsafe code, and changing the environment of a threaded process is unsafe.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::process::Command;

use socops::store::paths;

/// Set on the child run; the child's check does nothing without it.
const CHILD: &str = "SOCOPS_TEST_PATHS_CHILD";

#[test]
fn env_overrides_config_and_data_dirs() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("cfg");
    let data = tmp.path().join("data");
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_reads_the_overrides", "--nocapture"])
        .env(CHILD, "1")
        .env(paths::CONFIG_DIR_ENV, &cfg)
        .env(paths::DATA_DIR_ENV, &data)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    // The child really ran the check (and was not filtered away).
    assert!(text.contains("1 passed"), "{text}");
}

#[test]
fn child_reads_the_overrides() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let cfg = std::path::PathBuf::from(std::env::var_os(paths::CONFIG_DIR_ENV).unwrap());
    let data = std::path::PathBuf::from(std::env::var_os(paths::DATA_DIR_ENV).unwrap());
    assert_eq!(paths::config_dir().unwrap(), cfg);
    assert_eq!(paths::data_dir().unwrap(), data);
    assert_eq!(paths::config_file().unwrap(), cfg.join("config.toml"));
}
