//! The digest's triage sections: open incidents assigned to the reader ("me") and open
//! high-severity incidents nobody owns; and what it says when socops cannot know "me".
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{TimeZone, Utc};
use socops::digest::model::IncidentItem;
use socops::digest::{DigestFormat, Snapshot, render};

fn item(id: &str, sev: &str, status: &str, owner: Option<&str>) -> IncidentItem {
    IncidentItem {
        id: id.into(),
        title: format!("incident {id}"),
        severity: sev.into(),
        status: status.into(),
        last_update_date_time: Some(Utc.with_ymd_and_hms(2026, 11, 30, 6, 0, 0).unwrap()),
        created_date_time: Some(Utc.with_ymd_and_hms(2026, 11, 29, 6, 0, 0).unwrap()),
        assigned_to: owner.map(str::to_string),
        ..Default::default()
    }
}

fn snapshot(me: Option<&str>) -> Snapshot {
    let mut s = Snapshot::empty(
        "contoso",
        "Contoso",
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
    );
    s.me = me.map(str::to_string);
    s.incidents = vec![
        item("1", "high", "active", Some("Ana@contoso.com")),
        item("2", "low", "inProgress", Some("ana@contoso.com")),
        item("3", "high", "resolved", Some("ana@contoso.com")),
        item("4", "high", "active", None),
        item("5", "medium", "active", None),
        item("6", "high", "active", Some("bob@contoso.com")),
        item("7", "high", "redirected", None),
    ];
    s
}

fn section<'a>(text: &'a str, title: &str) -> Vec<&'a str> {
    let mut lines = text.lines().skip_while(|l| !l.contains(title));
    let _header = lines.next();
    lines.take_while(|l| !l.trim().is_empty()).collect()
}

#[test]
fn assigned_to_me_and_unassigned_high_severity_sections() {
    let text = render(None, &snapshot(Some("ana@contoso.com")), DigestFormat::Text);
    assert!(
        text.contains("Assigned to me, ana@contoso.com (2)"),
        "{text}"
    );
    let mine = section(&text, "Assigned to me");
    assert!(mine[0].contains("[high] 1 "), "{mine:?}");
    assert!(mine[1].contains("[low] 2 "), "{mine:?}");
    assert!(
        text.contains("Unassigned high-severity incidents (1)"),
        "{text}"
    );
    let free = section(&text, "Unassigned high-severity");
    assert_eq!(free.len(), 1, "{free:?}");
    assert!(free[0].contains("[high] 4 "), "{free:?}");
}

#[test]
fn without_me_the_digest_says_how_to_set_it() {
    let text = render(None, &snapshot(None), DigestFormat::Markdown);
    assert!(text.contains("analyst = \"name@domain\""), "{text}");
}
