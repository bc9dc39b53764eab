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
use super::secure_file::private_options;

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

/// An export being written: a private temp file beside its final name. Dropped without
/// [`ExportFile::place`], the temp file is removed.
#[derive(Debug)]
pub struct ExportFile {
    path: PathBuf,
    tmp: PathBuf,
    file: File,
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
        let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
        let file = private_options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| StoreError::io("write", path, e))?;
        Ok(ExportFile {
            path: path.to_path_buf(),
            tmp,
            file,
            clash,
        })
    }

    /// The name the export is meant to have.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file to write the export into.
    pub fn file(&self) -> &File {
        &self.file
    }

    /// The export is complete: flush it to disk and put it in place by the [`Clash`] policy.
    /// Returns where it went.
    pub fn place(self) -> Result<PathBuf, StoreError> {
        let result = self.put();
        // The temp name is gone either way (a hard link leaves the new name behind).
        let _ = std::fs::remove_file(&self.tmp);
        result
    }

    fn put(&self) -> Result<PathBuf, StoreError> {
        self.file
            .sync_all()
            .map_err(|e| StoreError::io("write", &self.path, e))?;
        match self.clash {
            Clash::Replace => {
                super::secure_file::replace(&self.tmp, &self.path)?;
                Ok(self.path.clone())
            }
            // A hard link fails when the name appeared meanwhile: never replaced by accident.
            Clash::Refuse => link_new(&self.tmp, &self.path).map(|()| self.path.clone()),
            Clash::Number => {
                for n in 1..=MAX_NUMBERED {
                    let candidate = numbered(&self.path, n);
                    match link_new(&self.tmp, &candidate) {
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

impl Drop for ExportFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
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
