//! The layers of ARCHITECTURE.md, checked on the source: a `use` that crosses a layer the
//! wrong way fails here, not in a review. Paths are matched as written (`crate::x::…`), which
//! is how the crate names its own modules.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read src dir") {
            let p = entry.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The `crate::…` paths a file names outside comments, with their line numbers.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let tail = &rest[i + "crate::".len()..];
            let end = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            out.push((n + 1, tail[..end].trim_end_matches(':').to_string()));
            rest = &tail[end..];
        }
    }
    out
}

/// Files of `layer` that name a path starting with one of `forbidden` (and not with one of
/// `allowed`, which carves exceptions out of a forbidden prefix).
fn violations(layer: &str, forbidden: &[&str], allowed: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let mut out = Vec::new();
    for file in sources(&root) {
        let text = fs::read_to_string(&file).expect("read source");
        for (line, path) in crate_paths(&text) {
            let hit = |p: &&str| path == *p || path.starts_with(&format!("{p}::"));
            if forbidden.iter().any(hit) && !allowed.iter().any(hit) {
                out.push(format!("{}:{line}: crate::{path}", file.display()));
            }
        }
    }
    out
}

#[test]
fn the_crate_path_scanner_sees_uses_and_skips_comments() {
    let found = crate_paths(
        "use crate::app::msg::{Command, Msg};\n// crate::ui::x\nlet a = crate::store::team::types::X; // crate::cli",
    );
    let paths: Vec<&str> = found.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(paths, ["app::msg", "store::team::types::X"]);
}

#[test]
fn api_knows_nothing_above_it() {
    let v = violations(
        "api",
        &["app", "ui", "runtime", "cli", "store", "digest", "sim"],
        &[],
    );
    assert!(
        v.is_empty(),
        "api imports a layer above it:\n{}",
        v.join("\n")
    );
}

#[test]
fn app_is_pure_and_knows_no_io_layer() {
    // The team store's plain row types are data the queue pane shows; the rest of `store`
    // does IO and stays out.
    let v = violations(
        "app",
        &["ui", "runtime", "cli", "sim", "store"],
        &["store::team::types"],
    );
    assert!(v.is_empty(), "app imports an IO layer:\n{}", v.join("\n"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    for file in sources(&root) {
        let text = fs::read_to_string(&file).expect("read source");
        for io in [
            "std::fs",
            "tokio::",
            "reqwest::",
            "std::net",
            "std::process",
        ] {
            assert!(
                !text.contains(io),
                "{} uses {io}: app is pure",
                file.display()
            );
        }
    }
}

#[test]
fn ui_only_draws() {
    let v = violations("ui", &["runtime", "cli", "store", "sim", "digest"], &[]);
    assert!(v.is_empty(), "ui imports beyond app:\n{}", v.join("\n"));
}

#[test]
fn store_and_digest_know_no_console() {
    for layer in ["store", "digest"] {
        let v = violations(layer, &["app", "ui", "runtime", "cli", "sim"], &[]);
        assert!(
            v.is_empty(),
            "{layer} imports the console:\n{}",
            v.join("\n")
        );
    }
}

#[test]
fn messages_depend_only_on_basic_types() {
    // `msg` sits under every part of `app`; what it names must not depend back on it.
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let msg = fs::read_to_string(base.join("msg.rs")).expect("read msg.rs");
    let allowed = [
        "app::basic",
        "app::input::key",
        "app::view",
        "app::data::store",
        "app::data::checklist",
    ];
    for (line, path) in crate_paths(&msg) {
        if path.starts_with("app::") {
            assert!(
                allowed.iter().any(|a| path.starts_with(a)),
                "msg.rs:{line} names crate::{path}; move the type to app/basic.rs"
            );
        }
    }
    for file in [
        "basic.rs",
        "input/key.rs",
        "view.rs",
        "data/store.rs",
        "data/checklist.rs",
    ] {
        let text = fs::read_to_string(base.join(file)).expect("read source");
        for (line, path) in crate_paths(&text) {
            assert!(
                !path.starts_with("app::msg") && !path.starts_with("app::state"),
                "{file}:{line} names crate::{path}: a type msg carries depends back on it"
            );
        }
    }
}
