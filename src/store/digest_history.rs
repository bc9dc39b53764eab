//! Digest snapshots on disk: `<data dir>/snapshots/<profile>/<timestamp>.json`, one file per
//! run, directories 0700 and files 0600, the newest [`KEEP`] per profile kept. File names sort
//! in time order, so listing needs no reads; files group or others can read are refused.
//! The store keeps any serializable record that knows when it was taken ([`Stamped`]); the
//! digest's `Snapshot` is the one it holds, but the store does not depend on the digest.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::StoreError;
use super::paths::checked_segment;
use super::secure_file;

/// A record that knows when it was taken: its file name is that time.
pub trait Stamped {
    fn taken_at(&self) -> DateTime<Utc>;
}

/// Snapshots kept per profile; older ones are deleted on save.
pub const KEEP: usize = 30;

/// File-name form of a snapshot time (sorts lexicographically in time order).
const NAME_FORMAT: &str = "%Y%m%dT%H%M%S%.3fZ";

/// One stored snapshot, known from its file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotEntry {
    pub taken_at: DateTime<Utc>,
    pub path: PathBuf,
}

/// The snapshot directory of every profile under one data dir.
#[derive(Debug, Clone)]
pub struct SnapshotStore {
    dir: PathBuf,
}

impl SnapshotStore {
    /// The store under `data_dir` (`<data_dir>/snapshots`).
    pub fn new(data_dir: &Path) -> Self {
        SnapshotStore {
            dir: data_dir.join("snapshots"),
        }
    }

    /// Directory of one profile's snapshots (the name is checked: it becomes a path).
    pub(crate) fn profile_dir(&self, profile: &str) -> Result<PathBuf, StoreError> {
        let profile = checked_segment(profile)?;
        Ok(self.dir.join(profile))
    }

    /// Write `snapshot` (0600, atomically) and delete all but the newest [`KEEP`].
    /// A second save at the same instant replaces the first.
    pub fn save<T: Serialize + Stamped>(
        &self,
        profile: &str,
        snapshot: &T,
    ) -> Result<PathBuf, StoreError> {
        let dir = self.profile_dir(profile)?;
        secure_file::ensure_private_dir(&self.dir)?;
        secure_file::ensure_private_dir(&dir)?;
        let path = dir.join(format!("{}.json", snapshot.taken_at().format(NAME_FORMAT)));
        let bytes = serde_json::to_vec_pretty(snapshot).map_err(|e| StoreError::Json {
            path: path.clone(),
            message: e.to_string(),
        })?;
        secure_file::write_private(&path, &bytes)?;
        let entries = self.list(profile)?;
        for old in entries.iter().skip(KEEP) {
            std::fs::remove_file(&old.path).map_err(|e| StoreError::io("delete", &old.path, e))?;
        }
        Ok(path)
    }

    /// Stored snapshots of `profile`, newest first (empty when there are none).
    pub fn list(&self, profile: &str) -> Result<Vec<SnapshotEntry>, StoreError> {
        let dir = self.profile_dir(profile)?;
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let read = std::fs::read_dir(&dir).map_err(|e| StoreError::io("list", &dir, e))?;
        let mut out: Vec<SnapshotEntry> = read
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                // Temp files of an interrupted write start with '.' and are skipped here.
                let stem = name.strip_suffix(".json")?;
                let t = NaiveDateTime::parse_from_str(stem, NAME_FORMAT).ok()?;
                Some(SnapshotEntry {
                    taken_at: t.and_utc(),
                    path: e.path(),
                })
            })
            .collect();
        out.sort_by_key(|x| std::cmp::Reverse(x.taken_at));
        Ok(out)
    }

    /// The newest snapshot of `profile`, if any.
    pub fn latest<T: DeserializeOwned>(&self, profile: &str) -> Result<Option<T>, StoreError> {
        match self.list(profile)?.first() {
            Some(e) => read(&e.path).map(Some),
            None => Ok(None),
        }
    }

    /// The newest snapshot taken strictly before `time`, if any.
    pub fn previous_before<T: DeserializeOwned>(
        &self,
        profile: &str,
        time: DateTime<Utc>,
    ) -> Result<Option<T>, StoreError> {
        match self.list(profile)?.iter().find(|e| e.taken_at < time) {
            Some(e) => read(&e.path).map(Some),
            None => Ok(None),
        }
    }
}

/// Read one snapshot file, refusing it when group or others can read it.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<T, StoreError> {
    let bytes = secure_file::read_private(path)?;
    serde_json::from_slice(&bytes).map_err(|e| StoreError::Json {
        path: path.to_path_buf(),
        message: format!("{e}; delete it and run the digest again"),
    })
}
