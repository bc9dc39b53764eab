//! Running the socops binary in a test: its config and data under a directory of the test's,
//! the environment that could point it at another tenant or profile removed, stdin closed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Variables of the developer's or CI's shell that would change what the binary talks to.
pub const FOREIGN_ENV: [&str; 10] = [
    "SOCOPS_PROFILE",
    "SOCOPS_CLOUD",
    "SOCOPS_AUTHORITY_URL",
    "SOCOPS_MDE_URL",
    "SOCOPS_GRAPH_URL",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_AUTHORITY_HOST",
];

/// The binary, configured under `home` (`config/`, `data/`), nothing inherited that matters.
pub fn command(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_socops"));
    for k in FOREIGN_ENV {
        cmd.env_remove(k);
    }
    cmd.env("SOCOPS_CONFIG_DIR", home.join("config"))
        .env("SOCOPS_DATA_DIR", home.join("data"))
        .stdin(Stdio::null());
    cmd
}

/// Run the binary under `home` with `args`.
pub fn socops(home: &Path, args: &[&str]) -> Output {
    command(home).args(args).output().unwrap()
}

/// `socops`, awaited from an async test without blocking its runtime.
pub async fn socops_async(home: &Path, args: Vec<String>) -> Output {
    let home: PathBuf = home.to_path_buf();
    tokio::task::spawn_blocking(move || command(&home).args(&args).output().unwrap())
        .await
        .unwrap()
}

/// `socops --demo [before…] --mde-url URL args…` under `home`: the demo session pointed at a
/// simulator or wiremock.
pub async fn demo_at(url: &str, home: &Path, before: &[&str], args: &[&str]) -> Output {
    let mut all: Vec<String> = vec!["--demo".into()];
    all.extend(before.iter().map(|a| a.to_string()));
    all.extend(["--mde-url".to_string(), url.to_string()]);
    all.extend(args.iter().map(|a| a.to_string()));
    socops_async(home, all).await
}

/// The temp files (`*.tmp`) in `dir`: an export or download that ended, however it ended,
/// leaves none.
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}
