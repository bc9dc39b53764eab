//! Pure diff tests on hand-built snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod digest_common;

use digest_common::{cur, prev, t};
use socops::digest::{ChangeKind, RowMark, changes, row_marks};

#[test]
fn changes_since_previous_snapshot() {
    let (p, c) = (prev(), cur());
    let ch = changes(Some(&p), &c);
    let kinds: Vec<(ChangeKind, &str)> = ch.iter().map(|c| (c.kind, c.id.as_str())).collect();
    use ChangeKind::*;
    assert_eq!(
        kinds,
        vec![
            (ExposureChange, "exposureScore"),
            (DeviceScoreChange, "configurationScore"),
            (UpdatedIncident, "12"),
            (NewIncident, "13"),
            (NewPendingAction, "a-2"),
            (NewPendingApproval, "77"),
            (DeviceRiskChange, "d1"),
            (NewDeviceAtRisk, "d2"),
            (DeviceNowInactive, "d8"),
            (ActionFailed, "a-0"),
            (NewRecommendation, "sca-_-scid-2010"),
        ]
    );
    assert_eq!(ch[0].summary, "Exposure score 34 -> 41 (+7)");
    assert_eq!(
        ch[1].summary,
        "Secure Score for devices 610 -> 612.5 (+2.5)"
    );
    assert_eq!(ch[3].severity.as_deref(), Some("medium"));
    // Nothing changes against itself.
    assert!(changes(Some(&c), &c).is_empty());
}

#[test]
fn without_previous_new_means_last_24h() {
    let c = cur();
    let ch = changes(None, &c);
    let ids: Vec<(ChangeKind, &str)> = ch.iter().map(|c| (c.kind, c.id.as_str())).collect();
    use ChangeKind::*;
    // Incident 12 updated 11 h ago, 13 created 6 h ago; action a-1 (created 25 h ago) is old.
    assert_eq!(
        ids,
        vec![
            (UpdatedIncident, "12"),
            (NewIncident, "13"),
            (NewPendingAction, "a-2"),
            (NewPendingApproval, "77"),
            (ActionFailed, "a-0"),
        ]
    );
}

#[test]
fn row_marks_flag_new_and_changed_rows() {
    let (p, c) = (prev(), cur());
    let m = row_marks(Some(&p), &c);
    assert_eq!(m.get("13"), Some(&RowMark::New));
    assert_eq!(m.get("12"), Some(&RowMark::Changed));
    assert_eq!(m.get("11"), None);
    assert_eq!(m.get("a-2"), Some(&RowMark::New));
    assert_eq!(m.get("a-1"), None);
    assert_eq!(m.get("d1"), Some(&RowMark::Changed));
    assert_eq!(m.get("d2"), Some(&RowMark::New));
    assert_eq!(m.get("d8"), Some(&RowMark::New));
    assert_eq!(m.get("d9"), None);

    let first = row_marks(None, &c);
    assert_eq!(first.get("13"), Some(&RowMark::New));
    assert_eq!(first.get("12"), Some(&RowMark::Changed));
    assert_eq!(first.get("d2"), None);
    assert!(t("2026-03-02T06:30:00Z") > t("2026-03-01T07:00:00Z"));
}

#[test]
fn row_marks_ignore_fields_an_analyst_does_not_care_about() {
    let p = prev();
    let mut c = prev();
    c.taken_at = t("2026-03-02T07:00:00Z");
    // Same records, other timestamps (before the previous run) and titles: no marks.
    c.incidents[0].created_date_time = Some(t("2026-02-20T00:10:00Z"));
    c.incidents[0].title = "Old phishing (renamed)".into();
    c.devices_at_risk[0].name = "pc-01.contoso.local".into();
    assert!(
        row_marks(Some(&p), &c).is_empty(),
        "{:?}",
        row_marks(Some(&p), &c)
    );
    // An assignee, a classification, a health change: marked.
    c.incidents[0].assigned_to = Some("ana@contoso.com".into());
    c.incidents[1].classification = Some("truePositive".into());
    c.devices_at_risk[0].health_status = "Inactive".into();
    let m = row_marks(Some(&p), &c);
    assert_eq!(m.get("11"), Some(&RowMark::Changed));
    assert_eq!(m.get("12"), Some(&RowMark::Changed));
    assert_eq!(m.get("d1"), Some(&RowMark::Changed));
}
