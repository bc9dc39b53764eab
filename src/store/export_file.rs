//! The one writer of export files, for the CLI's `--out FILE` and the console's `e`. An export
//! holds tenant data (device names, addresses, who is investigating what), so it is created
//! 0600 and never through a symbolic link (`secure_file::private_options`). It is written to
//! a temp file beside its name and put in place only when complete, so a failed read never
//! leaves half a file. What happens when the name is taken is the caller's policy
//! ([`Clash`]); the way the file is made is the same for all of them.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::StoreError;
use super::temp_file::TempFile;

/// What to do when the export's name is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    /// Refuse ([`StoreError::Exists`]): the CLI's `--out FILE` without `--force`.
    Refuse,
    /// Replace the file (never a symbolic link): the CLI's `--out FILE --force`.
    Replace,
    /// Take the first free `stem-2.ext`, `stem-3.ext`…: the console, which never replaces an
    /// earlier export.
    Number,
}

/// Numbered names tried before giving up.
const MAX_NUMBERED: usize = 999;

/// An export being written: a private temp file beside its final name ([`TempFile`]: removed
/// when dropped, an error, a panic or a dropped future alike, and by a signal's
/// [`super::temp_file::remove_unfinished`]). Only [`ExportFile::place`] gives it its name.
#[derive(Debug)]
pub struct ExportFile {
    path: PathBuf,
    tmp: TempFile,
    clash: Clash,
}

impl ExportFile {
    /// Start an export to `path`. With [`Clash::Refuse`] an existing `path` is refused now,
    /// before anything is read.
    pub fn create(path: &Path, clash: Clash) -> Result<ExportFile, StoreError> {
        if clash == Clash::Refuse && std::fs::symlink_metadata(path).is_ok() {
            return Err(StoreError::Exists {
                path: path.to_path_buf(),
            });
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| {
                StoreError::io(
                    "write",
                    path,
                    std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
                )
            })?
            .to_string_lossy()
            .into_owned();
        let tmp = TempFile::create(&dir, &name).map_err(|e| StoreError::io("write", path, e))?;
        Ok(ExportFile {
            path: path.to_path_buf(),
            tmp,
            clash,
        })
    }

    /// The name the export is meant to have.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file to write the export into.
    pub fn file(&self) -> &File {
        self.tmp.file()
    }

    /// The export is complete: flush it to disk and put it in place by the [`Clash`] policy.
    /// Returns where it went. The temp name is gone either way.
    pub fn place(self) -> Result<PathBuf, StoreError> {
        self.file()
            .sync_all()
            .map_err(|e| StoreError::io("write", &self.path, e))?;
        let tmp = self.tmp.path();
        match self.clash {
            Clash::Replace => {
                super::secure_file::replace(tmp, &self.path)?;
                self.tmp.renamed();
                Ok(self.path)
            }
            // A hard link fails when the name appeared meanwhile: never replaced by accident.
            // The temp name is removed when `self.tmp` drops (the new name stays).
            Clash::Refuse => link_new(tmp, &self.path).map(|()| self.path.clone()),
            Clash::Number => {
                for n in 1..=MAX_NUMBERED {
                    let candidate = numbered(&self.path, n);
                    match link_new(tmp, &candidate) {
                        Ok(()) => return Ok(candidate),
                        Err(StoreError::Exists { .. }) => continue,
                        Err(e) => return Err(e),
                    }
                }
                Err(StoreError::io(
                    "write",
                    &self.path,
                    std::io::Error::new(
                        std::io::ErrorKind::AlreadyExists,
                        format!("it and {} numbered copies exist", MAX_NUMBERED - 1),
                    ),
                ))
            }
        }
    }
}

/// Give the finished temp file its name, refusing a name that is taken (by anything, a
/// symbolic link included: `link(2)` never follows its new name).
fn link_new(tmp: &Path, path: &Path) -> Result<(), StoreError> {
    std::fs::hard_link(tmp, path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            StoreError::Exists {
                path: path.to_path_buf(),
            }
        } else {
            StoreError::io("write", path, e)
        }
    })
}

/// `path` itself for `n == 1`, else `stem-N.ext` beside it.
fn numbered(path: &Path, n: usize) -> PathBuf {
    if n == 1 {
        return path.to_path_buf();
    }
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}-{n}.{ext}"),
        _ => format!("{name}-{n}"),
    };
    path.with_file_name(file)
}

/// Write a whole export (`content`) to `path` by the `clash` policy; returns where it went.
pub fn write_export(path: &Path, content: &[u8], clash: Clash) -> Result<PathBuf, StoreError> {
    let export = ExportFile::create(path, clash)?;
    export
        .file()
        .write_all(content)
        .map_err(|e| StoreError::io("write", path, e))?;
    export.place()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(p).unwrap().permissions().mode() & 0o777
        }
        #[cfg(not(unix))]
        {
            let _ = p;
            0o600
        }
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn each_policy_on_a_taken_name() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("devices.csv");
        assert_eq!(write_export(&p, b"one\n", Clash::Refuse).unwrap(), p);
        assert_eq!(mode(&p), 0o600);
        // Refuse: the earlier file stays, the error names it.
        let e = write_export(&p, b"two\n", Clash::Refuse).unwrap_err();
        assert!(matches!(e, StoreError::Exists { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one\n");
        // Number: a new name beside it.
        let n = write_export(&p, b"two\n", Clash::Number).unwrap();
        assert_eq!(n, d.path().join("devices-2.csv"));
        assert_eq!(mode(&n), 0o600);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one\n");
        // Replace: the same name, new content, still private.
        assert_eq!(write_export(&p, b"three\n", Clash::Replace).unwrap(), p);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "three\n");
        assert_eq!(mode(&p), 0o600);
        assert!(leftovers(d.path()).is_empty());
    }

    #[test]
    fn a_name_taken_while_writing_is_not_replaced() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.json");
        let export = ExportFile::create(&p, Clash::Refuse).unwrap();
        export.file().write_all(b"[]\n").unwrap();
        std::fs::write(&p, "theirs").unwrap();
        assert!(matches!(export.place(), Err(StoreError::Exists { .. })));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "theirs");
        assert!(leftovers(d.path()).is_empty());
    }

    #[test]
    fn an_unfinished_export_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.csv");
        let export = ExportFile::create(&p, Clash::Number).unwrap();
        export.file().write_all(b"half").unwrap();
        drop(export);
        assert!(!p.exists());
        assert!(leftovers(d.path()).is_empty());
    }

    /// An export that fails half way, as a list read or a full disk ends it: the error
    /// returns before `place`.
    fn export_failing_half_way(p: &Path) -> Result<PathBuf, StoreError> {
        let export = ExportFile::create(p, Clash::Replace)?;
        export.file().write_all(b"id,name\n1,pc-01\n").unwrap();
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        Err(StoreError::io("write", p, full))?;
        export.place()
    }

    #[test]
    fn an_error_half_way_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("devices.csv");
        assert!(export_failing_half_way(&p).is_err());
        assert!(!p.exists());
        assert!(leftovers(d.path()).is_empty());
    }

    #[test]
    fn a_panic_half_way_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("devices.csv");
        let r = std::panic::catch_unwind(|| {
            let export = ExportFile::create(&p, Clash::Number).unwrap();
            export.file().write_all(b"id,name\n").unwrap();
            assert!(
                !leftovers(d.path()).is_empty(),
                "the temp file is there meanwhile"
            );
            panic!("a bug while writing");
        });
        assert!(r.is_err());
        assert!(!p.exists());
        assert!(leftovers(d.path()).is_empty());
    }

    #[tokio::test]
    async fn a_dropped_future_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("devices.csv");
        let (started, mut wrote) = tokio::sync::mpsc::unbounded_channel();
        let task = tokio::spawn({
            let p = p.clone();
            async move {
                let export = ExportFile::create(&p, Clash::Refuse).unwrap();
                export.file().write_all(b"id,name\n").unwrap();
                let _ = started.send(());
                // The next page never comes: the command is cancelled meanwhile.
                std::future::pending::<()>().await;
                export.place()
            }
        });
        tokio::time::timeout(std::time::Duration::from_secs(10), wrote.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(leftovers(d.path()).len(), 1);
        task.abort();
        let ended = tokio::time::timeout(std::time::Duration::from_secs(10), task).await;
        assert!(ended.unwrap().unwrap_err().is_cancelled());
        assert!(!p.exists());
        assert!(leftovers(d.path()).is_empty());
    }

    #[test]
    fn a_name_as_long_as_a_file_name_can_be_is_written() {
        let d = tempfile::tempdir().unwrap();
        // 255 bytes, the longest name most file systems allow: the temp name beside it must
        // not be longer than that.
        let name = format!("{}.csv", "d".repeat(251));
        let p = d.path().join(&name);
        assert_eq!(write_export(&p, b"x\n", Clash::Refuse).unwrap(), p);
        assert!(leftovers(d.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_name_is_never_followed() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("target");
        std::fs::write(&target, "keep").unwrap();
        let p = d.path().join("x.csv");
        std::os::unix::fs::symlink(&target, &p).unwrap();
        for clash in [Clash::Refuse, Clash::Replace] {
            assert!(write_export(&p, b"data", clash).is_err(), "{clash:?}");
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        // Numbered: the link's name is skipped, never written through.
        let n = write_export(&p, b"data", Clash::Number).unwrap();
        assert_eq!(n, d.path().join("x-2.csv"));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }
}
