//! The read-through response cache behind `--offline`: the raw records of the last full,
//! unfiltered read of each list, per profile, in `<data>/cache/<profile>/<resource>.json`
//! (directories 0700, files 0600: tenant data is sensitive). A file is one JSON document,
//! `{"fetchedAt": "...", "records": [...]}`, written while the pages stream in (to a temp file,
//! renamed when the read completes, so a failed or partial read never replaces good data).
//! Reads above [`MAX_BYTES`] are not cached, which keeps disk use and `load_raw` bounded.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::StoreError;
use super::paths::checked_segment;
use super::secure_file;
use super::temp_file::TempFile;
use crate::api::resources::ListResource;

/// Largest cached read; a bigger one is dropped (not an error) and the old file is kept.
pub(crate) const MAX_BYTES: u64 = 200 * 1024 * 1024;

/// The name of a list's cache entry (its file name without `.json`): one entry per list, so
/// the console and the headless lists read and write the same file.
pub fn entry_name(list: ListResource) -> &'static str {
    match list {
        ListResource::Devices => "devices",
        ListResource::Actions => "actions",
        ListResource::Investigations => "investigations",
        ListResource::Alerts => "alerts",
        ListResource::Incidents => "incidents",
        ListResource::Recommendations => "recommendations",
        ListResource::Remediation => "remediation",
        ListResource::Vulnerabilities => "vulnerabilities",
        ListResource::Indicators => "indicators",
        ListResource::AvHealth => "av-health",
    }
}

/// The cache of every profile under one data dir.
#[derive(Debug, Clone)]
pub struct ResponseCache {
    dir: PathBuf,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CacheFile {
    fetched_at: DateTime<Utc>,
    records: Vec<Box<RawValue>>,
}

impl ResponseCache {
    /// The cache under `data_dir` (`<data_dir>/cache`).
    pub fn new(data_dir: &Path) -> Self {
        ResponseCache {
            dir: data_dir.join("cache"),
        }
    }

    /// The file of one profile's list (the profile name is checked: it becomes a path).
    pub fn path(&self, profile: &str, list: ListResource) -> Result<PathBuf, StoreError> {
        let resource = entry_name(list);
        let (profile, resource) = (checked_segment(profile)?, checked_segment(resource)?);
        Ok(self.dir.join(profile).join(format!("{resource}.json")))
    }

    /// Start writing `list` of `profile` fetched at `fetched_at`; push pages, then
    /// [`CacheWriter::commit`]. Dropped without commit, it leaves the old file in place.
    pub(crate) fn writer(
        &self,
        profile: &str,
        list: ListResource,
        fetched_at: DateTime<Utc>,
    ) -> Result<CacheWriter, StoreError> {
        let path = self.path(profile, list)?;
        let resource = entry_name(list);
        secure_file::ensure_private_dir(&self.dir)?;
        let dir = path.parent().unwrap_or(&self.dir).to_path_buf();
        secure_file::ensure_private_dir(&dir)?;
        let tmp = TempFile::create(&dir, &format!("{resource}.json"))
            .map_err(|e| StoreError::io("create", &path, e))?;
        let file = tmp
            .file()
            .try_clone()
            .map_err(|e| StoreError::io("create", &path, e))?;
        let mut w = CacheWriter {
            out: Some((BufWriter::new(file), tmp)),
            path,
            count: 0,
            bytes: 0,
        };
        let head = format!(
            "{{\"fetchedAt\":\"{}\",\"records\":[",
            fetched_at.to_rfc3339_opts(SecondsFormat::Millis, true)
        );
        w.write(head.as_bytes())?;
        Ok(w)
    }

    /// Save a whole list at once (the console's reads). Returns whether it was stored
    /// (false when above [`MAX_BYTES`]).
    pub fn save_raw(
        &self,
        profile: &str,
        list: ListResource,
        records: &[Box<RawValue>],
        fetched_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut w = self.writer(profile, list, fetched_at)?;
        w.push(records)?;
        w.commit()
    }

    /// The last stored records of `list` and when they were fetched; `None` when never
    /// stored. A file group or others can read, or a damaged one, is an error.
    #[allow(clippy::type_complexity)]
    pub fn load_raw(
        &self,
        profile: &str,
        list: ListResource,
    ) -> Result<Option<(Vec<Box<RawValue>>, DateTime<Utc>)>, StoreError> {
        let path = self.path(profile, list)?;
        if !path.exists() {
            return Ok(None);
        }
        let bytes = secure_file::read_private(&path)?;
        let file: CacheFile = serde_json::from_slice(&bytes).map_err(|e| StoreError::Json {
            path: path.clone(),
            message: format!("{e}; delete it and read the list online again"),
        })?;
        Ok(Some((file.records, file.fetched_at)))
    }
}

/// A cache file being written page by page. Memory stays at one buffer whatever the size.
pub struct CacheWriter {
    /// The buffered temp file; `None` once abandoned (the temp file is removed on drop).
    out: Option<(BufWriter<File>, TempFile)>,
    path: PathBuf,
    count: usize,
    bytes: u64,
}

impl CacheWriter {
    fn write(&mut self, b: &[u8]) -> Result<(), StoreError> {
        self.bytes += b.len() as u64;
        if self.bytes > MAX_BYTES {
            // Too big to keep: drop it now (stop writing) and keep the previous file.
            self.abandon();
        }
        match &mut self.out {
            Some((out, _)) => out
                .write_all(b)
                .map_err(|e| StoreError::io("write", &self.path, e)),
            None => Ok(()),
        }
    }

    /// Stop writing; the temp file is removed as it drops.
    fn abandon(&mut self) {
        self.out = None;
    }

    /// Append one page of raw records.
    pub fn push(&mut self, records: &[Box<RawValue>]) -> Result<(), StoreError> {
        for r in records {
            if self.count > 0 {
                self.write(b",")?;
            }
            self.write(r.get().as_bytes())?;
            self.count += 1;
        }
        Ok(())
    }

    /// Close the document and replace the old file. Returns false when the read was too big
    /// to cache (nothing was replaced).
    pub fn commit(mut self) -> Result<bool, StoreError> {
        self.write(b"]}")?;
        let Some((out, tmp)) = self.out.take() else {
            return Ok(false);
        };
        // On an error the temp file is removed as `tmp` drops; the old file stays.
        let file = out
            .into_inner()
            .map_err(|e| StoreError::io("write", &self.path, e.into_error()))?;
        file.sync_all()
            .map_err(|e| StoreError::io("write", &self.path, e))?;
        secure_file::replace(tmp.path(), &self.path)?;
        tmp.renamed();
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: ListResource = ListResource::Devices;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.to_string()).unwrap()
    }

    #[test]
    fn round_trip_private_and_atomic() {
        let tmp = tempfile::tempdir().unwrap();
        let c = ResponseCache::new(tmp.path());
        assert!(c.load_raw("p", D).unwrap().is_none());
        let t = Utc::now();
        let recs = vec![raw(r#"{"id":"a"}"#), raw("{\n \"id\": \"b\"\n}")];
        assert!(c.save_raw("p", D, &recs, t).unwrap());
        let (back, at) = c.load_raw("p", D).unwrap().unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].get(), "{\n \"id\": \"b\"\n}");
        assert_eq!(at.timestamp_millis(), t.timestamp_millis());
        // An uncommitted writer leaves the old file and no temp file.
        let mut w = c.writer("p", D, t).unwrap();
        w.push(&[raw("{}")]).unwrap();
        drop(w);
        assert_eq!(c.load_raw("p", D).unwrap().unwrap().0.len(), 2);
        let dir = tmp.path().join("cache/p");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir.join("devices.json")), 0o600);
            assert_eq!(mode(&dir), 0o700);
        }
        assert!(c.path("../x", D).is_err());
    }

    #[test]
    fn entry_names_are_distinct_file_names() {
        let mut names: Vec<&str> = ListResource::ALL.iter().map(|l| entry_name(*l)).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ListResource::ALL.len());
        for n in names {
            assert!(checked_segment(n).is_ok(), "{n}");
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{n}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_cache_file_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let c = ResponseCache::new(tmp.path());
        let t = Utc::now();
        assert!(c.save_raw("p", D, &[raw("{}")], t).unwrap());
        let file = tmp.path().join("cache/p/devices.json");
        let target = tmp.path().join("elsewhere");
        std::fs::write(&target, "untouched").unwrap();
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(&target, &file).unwrap();
        let e = c.save_raw("p", D, &[raw("{}")], t).unwrap_err();
        assert!(matches!(e, StoreError::Symlink { .. }), "{e}");
        assert!(c.load_raw("p", D).is_err(), "nor read through it");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched");
    }
}
