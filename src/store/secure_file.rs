//! Private files: directories created 0700, files created and atomically replaced 0600, an
//! append-only opener for logs, and `check_private`, which refuses files that group or others
//! can read. On non-Unix platforms the permission parts are no-ops.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use super::error::StoreError;

#[cfg(unix)]
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};

/// Create `dir` (and parents) if missing, and make `dir` itself 0700.
pub fn ensure_private_dir(dir: &Path) -> Result<(), StoreError> {
    if !dir.is_dir() {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create directory", dir, e))?;
        #[cfg(unix)]
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| StoreError::io("set permissions on", dir, e))?;
    }
    Ok(())
}

/// Refuse `path` when group or others have any access to it (mode & 0o077 != 0).
pub fn check_private(path: &Path) -> Result<(), StoreError> {
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

fn private_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    o.mode(0o600);
    o
}

/// Write `bytes` to `path` atomically: a 0600 temp file in the same directory, fsync, rename.
/// A reader never sees a half-written file, and the secret is never in a wider-mode file.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    ensure_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| String::from("file"));
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = (|| {
        let mut f = private_options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| StoreError::io("create", &tmp, e))?;
        f.write_all(bytes)
            .and_then(|_| f.sync_all())
            .map_err(|e| StoreError::io("write", &tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| StoreError::io("replace", path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Open `path` for appending (created 0600 if missing, never truncated) and check that it is
/// private.
pub fn open_append_private(path: &Path) -> Result<File, StoreError> {
    if let Some(dir) = path.parent() {
        ensure_private_dir(dir)?;
    }
    let f = private_options()
        .append(true)
        .create(true)
        .read(true)
        .open(path)
        .map_err(|e| StoreError::io("open", path, e))?;
    check_private(path)?;
    Ok(f)
}

/// Read a private file: refused when group or others can read it.
pub fn read_private(path: &Path) -> Result<Vec<u8>, StoreError> {
    check_private(path)?;
    std::fs::read(path).map_err(|e| StoreError::io("read", path, e))
}

#[cfg(all(test, unix))]
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
}
