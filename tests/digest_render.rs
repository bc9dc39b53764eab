//! Golden renderings of hand-built snapshots: text, Markdown and JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod digest_common;

use digest_common::{cur, prev};
use socops::digest::{DigestFormat, render};

#[test]
fn text_digest_golden() {
    let out = render(Some(&prev()), &cur(), DigestFormat::Text);
    // Mail/chat friendly: short lines, no box drawing, no escape sequences.
    assert!(out.lines().all(|l| l.chars().count() <= 120), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('│') && !out.contains('─'));
    insta::assert_snapshot!("text_with_previous", out);
}

#[test]
fn first_text_digest_golden() {
    insta::assert_snapshot!("text_first", render(None, &cur(), DigestFormat::Text));
}

#[test]
fn markdown_digest_golden() {
    insta::assert_snapshot!(
        "markdown_with_previous",
        render(Some(&prev()), &cur(), DigestFormat::Markdown)
    );
}

#[test]
fn json_digest_has_exactly_the_contract_keys() {
    let out = render(Some(&prev()), &cur(), DigestFormat::Json);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    let mut want = vec![
        "profile",
        "generatedAt",
        "exposureScore",
        "configurationScore",
        "secureScore",
        "pendingActions",
        "devicesAtRisk",
        "incidents",
        "changes",
        "truncated",
    ];
    want.sort();
    assert_eq!(keys, want);
    assert_eq!(v["profile"], "contoso");
    assert_eq!(v["exposureScore"]["score"], 41.0);
    assert_eq!(v["exposureScore"]["change"], 7.0);
    assert!(v["secureScore"].is_null());
    assert_eq!(v["pendingActions"].as_array().unwrap().len(), 3);
    let first = &v["changes"][0];
    assert_eq!(first["kind"], "exposureChange");
    assert_eq!(first["id"], "exposureScore");
    assert!(first["summary"].as_str().unwrap().contains("34 -> 41"));
    insta::assert_snapshot!("json_with_previous", out);
}

#[test]
fn the_approvals_section_is_dropped_when_nothing_awaits_approval() {
    // Automated investigation was retired on 2026-09-01: no approvals, no section.
    let with = render(None, &cur(), DigestFormat::Text);
    assert!(
        with.contains("Investigations awaiting approval (1)"),
        "{with}"
    );
    let mut none = cur();
    none.pending_investigations.clear();
    for f in [DigestFormat::Text, DigestFormat::Markdown] {
        let out = render(None, &none, f);
        assert!(!out.contains("awaiting approval"), "{out}");
    }
}
