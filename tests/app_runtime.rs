//! The runtime refuses a bad `[keys]` table before it touches the terminal.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use socops::api::auth::StaticToken;
use socops::api::{Client, Cloud, Endpoints};
use socops::runtime::{ConsoleOptions, run_console};

#[tokio::test]
async fn bad_keymap_is_an_error_before_the_terminal() {
    let client = Client::new(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(
            Some("http://127.0.0.1:9"),
            Some("http://127.0.0.1:9"),
            Some("http://127.0.0.1:9"),
        ),
        Arc::new(StaticToken::new("tok", "test")),
    );
    let mut keys = BTreeMap::new();
    keys.insert("fly".to_string(), "x".to_string());
    let opts = ConsoleOptions {
        tenant_label: "t".into(),
        demo: true,
        read_only: false,
        no_color: true,
        refresh_interval: Duration::from_secs(60),
        keys,
        mouse: false,
        checklist_path: std::env::temp_dir().join("socops-never-written.json"),
        portal: "https://security.microsoft.com".into(),
        protected: false,
        plan: socops::api::plan::Plan::P2,
        data_dir: std::env::temp_dir().join("socops-never-written"),
        export_dir: None,
        profile: "t".into(),
        tenants: Vec::new(),
        offline: false,
        analyst: None,
    };
    let err = run_console(client, opts).await.unwrap_err();
    assert!(err.to_string().contains("unknown action `fly`"), "{err}");
}
