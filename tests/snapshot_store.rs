//! The snapshot store: layout, modes, retention, lookups and refusal of readable files.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::os::unix::fs::PermissionsExt;

use chrono::{DateTime, Duration, Utc};
use socops::digest::Snapshot;
use socops::store::{SnapshotStore, StoreError, digest_history::KEEP};

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T07:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn saves_private_files_and_keeps_the_newest() {
    let tmp = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(tmp.path());
    assert!(store.latest::<Snapshot>("p1").unwrap().is_none());
    for i in 0..(KEEP + 5) {
        let s = Snapshot::empty("p1", "T", t0() + Duration::hours(i as i64));
        let path = store.save("p1", &s).unwrap();
        assert_eq!(mode(&path), 0o600);
    }
    let dir = tmp.path().join("snapshots/p1");
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&tmp.path().join("snapshots")), 0o700);
    let list = store.list("p1").unwrap();
    assert_eq!(list.len(), KEEP);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), KEEP);
    let newest = t0() + Duration::hours((KEEP + 4) as i64);
    assert_eq!(list[0].taken_at, newest);
    assert_eq!(list[KEEP - 1].taken_at, t0() + Duration::hours(5));
    assert_eq!(
        store.latest::<Snapshot>("p1").unwrap().unwrap().taken_at,
        newest
    );
    let before = store
        .previous_before::<Snapshot>("p1", newest)
        .unwrap()
        .unwrap();
    assert_eq!(before.taken_at, newest - Duration::hours(1));
    assert!(
        store
            .previous_before::<Snapshot>("p1", t0() + Duration::hours(5))
            .unwrap()
            .is_none()
    );
    // Profiles are kept apart.
    assert!(store.list("p2").unwrap().is_empty());
}

#[test]
fn file_names_sort_in_time_and_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(tmp.path());
    let mut s = Snapshot::empty("p", "T", t0() + Duration::milliseconds(250));
    s.errors.push("x".into());
    let path = store.save("p", &s).unwrap();
    assert!(
        path.ends_with("snapshots/p/20260301T070000.250Z.json"),
        "{}",
        path.display()
    );
    assert_eq!(store.latest::<Snapshot>("p").unwrap().unwrap(), s);
}

#[test]
fn refuses_readable_snapshot_and_bad_profile_names() {
    let tmp = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(tmp.path());
    let path = store.save("p", &Snapshot::empty("p", "T", t0())).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = store.latest::<Snapshot>("p").unwrap_err();
    assert!(matches!(err, StoreError::NotPrivate { .. }));
    assert!(err.to_string().contains("chmod 600"), "{err}");
    assert!(matches!(
        store.save("../x", &Snapshot::default()),
        Err(StoreError::BadProfileName(_))
    ));
}
