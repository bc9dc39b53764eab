//! Private files: directories created 0700, files created and atomically replaced 0600, an
//! append-only opener for logs, and `check_private`, which refuses files that group or others
//! can read. A file that is a symbolic link is refused, never followed (`O_NOFOLLOW` on
//! Unix): a link planted in the data directory must not send a token or the audit log
//! elsewhere. On non-Unix platforms the permission parts are no-ops.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use super::error::StoreError;
use super::temp_file::TempFile;

#[cfg(unix)]
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};

/// Create `dir` (and parents) if missing, and make `dir` itself 0700.
pub(crate) fn ensure_private_dir(dir: &Path) -> Result<(), StoreError> {
    if !dir.is_dir() {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create directory", dir, e))?;
        #[cfg(unix)]
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| StoreError::io("set permissions on", dir, e))?;
    }
    Ok(())
}

/// Refuse `path` when group or others have any access to it (mode & 0o077 != 0).
pub(crate) fn check_private(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        let meta = std::fs::metadata(path).map_err(|e| StoreError::io("read", path, e))?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(StoreError::NotPrivate {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Options creating 0600 files that refuse to open a symbolic link (`O_NOFOLLOW`).
pub(crate) fn private_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    o
}

/// Refuse `path` when it is a symbolic link (a missing file is fine).
pub(crate) fn refuse_symlink(path: &Path) -> Result<(), StoreError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(StoreError::Symlink {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// An open error, with a link named as such (`O_NOFOLLOW` answers ELOOP).
fn open_error(action: &'static str, path: &Path, e: std::io::Error) -> StoreError {
    if refuse_symlink(path).is_err() {
        return StoreError::Symlink {
            path: path.to_path_buf(),
        };
    }
    StoreError::io(action, path, e)
}

/// Move a finished temp file onto `path`, refusing when `path` is a symbolic link (the rename
/// would replace the link, but a link there means somebody expected socops to follow it).
pub fn replace(tmp: &Path, path: &Path) -> Result<(), StoreError> {
    refuse_symlink(path)?;
    std::fs::rename(tmp, path).map_err(|e| StoreError::io("replace", path, e))
}

/// Write `bytes` to `path` atomically: a 0600 temp file in the same directory, fsync, rename.
/// A reader never sees a half-written file, and the secret is never in a wider-mode file.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    refuse_symlink(path)?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    ensure_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| String::from("file"));
    let tmp = TempFile::create(dir, &name).map_err(|e| StoreError::io("create", path, e))?;
    let mut f = tmp.file();
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| StoreError::io("write", path, e))?;
    // On any error above or here the temp file is removed when `tmp` drops.
    replace(tmp.path(), path)?;
    tmp.renamed();
    Ok(())
}

/// Open `path` for appending (created 0600 if missing, never truncated) and check that it is
/// private.
pub(crate) fn open_append_private(path: &Path) -> Result<File, StoreError> {
    if let Some(dir) = path.parent() {
        ensure_private_dir(dir)?;
    }
    let f = private_options()
        .append(true)
        .create(true)
        .read(true)
        .open(path)
        .map_err(|e| open_error("open", path, e))?;
    check_private(path)?;
    Ok(f)
}

/// Read a private file: refused when group or others can read it.
pub(crate) fn read_private(path: &Path) -> Result<Vec<u8>, StoreError> {
    use std::io::Read;
    refuse_symlink(path)?;
    check_private(path)?;
    let mut o = OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    o.custom_flags(libc::O_NOFOLLOW);
    let mut f = o.open(path).map_err(|e| open_error("read", path, e))?;
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)
        .map_err(|e| StoreError::io("read", path, e))?;
    Ok(bytes)
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn write_private_is_0600_in_0700_dir() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        let f = dir.join("secret.json");
        write_private(&f, b"one").unwrap();
        write_private(&f, b"two").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"two");
        assert_eq!(mode(&f), 0o600);
        assert_eq!(mode(&dir), 0o700);
        // no temp files left behind
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[test]
    fn check_private_refuses_group_readable_with_chmod_hint() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("config.toml");
        std::fs::write(&f, "x").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
        let msg = check_private(&f).unwrap_err().to_string();
        assert!(msg.contains(&format!("chmod 600 {}", f.display())), "{msg}");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        check_private(&f).unwrap();
    }

    #[test]
    fn links_are_refused_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("elsewhere");
        std::fs::write(&target, "untouched").unwrap();
        let link = tmp.path().join("audit.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = write_private(&link, b"secret").unwrap_err();
        assert!(matches!(e, StoreError::Symlink { .. }), "{e}");
        let e = open_append_private(&link).unwrap_err();
        assert!(matches!(e, StoreError::Symlink { .. }), "{e}");
        let e = read_private(&link).unwrap_err();
        assert!(matches!(e, StoreError::Symlink { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
