//! An unknown profile name is refused before anything is sent, listing the real ones (exit 2).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::process::{Command, Stdio};

#[test]
fn an_unknown_profile_lists_the_configured_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    let mut text = String::new();
    for name in ["contoso", "fabrikam"] {
        text.push_str(&format!(
            "[profiles.{name}]\ntenant_id = \"11111111-0000-0000-0000-000000000001\"\n\
             client_id = \"22222222-0000-0000-0000-000000000000\"\n\
             client_secret_env = \"UNKNOWN_PROFILE_TEST_SECRET\"\n\
             authority_url = \"http://127.0.0.1:9\"\nmde_url = \"http://127.0.0.1:9\"\n\
             graph_url = \"http://127.0.0.1:9\"\n\n"
        ));
    }
    let file = cfg.join("config.toml");
    std::fs::write(&file, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_socops"));
    for k in [
        "SOCOPS_PROFILE",
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
    ] {
        cmd.env_remove(k);
    }
    let out = cmd
        .env("SOCOPS_CONFIG_DIR", &cfg)
        .env("SOCOPS_DATA_DIR", tmp.path().join("data"))
        .env("UNKNOWN_PROFILE_TEST_SECRET", "x")
        .args(["--profile", "contsoo", "devices", "list"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("'contsoo'"), "{err}");
    assert!(err.contains("contoso") && err.contains("fabrikam"), "{err}");
    assert!(out.stdout.is_empty());
}
