//! The console keeps a large device inventory and builds a new one on every refresh. glibc's
//! malloc, left to its dynamic thresholds, keeps what each refresh frees: after a large block
//! (a page of the service's JSON, a growing buffer) is freed, its mmap threshold rises to that
//! block's size, so the next ones are carved from the heap and are not given back to the
//! system. Measured on the console binary at 100,000 devices (`benches/console_rss.sh`,
//! figures in benches/README.md): 169–206 MB after the load and 220–270 MB over refreshes with
//! the defaults; 122 MB and flat (122 → 129 MB over six refreshes) with both thresholds fixed
//! at glibc's initial 128 KiB.
//!
//! Those thresholds can only be fixed before the process starts: `GLIBC_TUNABLES` is read once
//! at start-up, and `mallopt` would need unsafe code, which this crate forbids. So the console
//! executes itself again, once, with them set (the same binary, arguments and process id).
//! An operator's own malloc tunables are kept as they are, and nothing changes where the C
//! library is not glibc.

/// glibc's tunables for the console: both thresholds fixed at their initial 128 KiB.
const OURS: &str = "glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072";

/// The `GLIBC_TUNABLES` the console should run with, or `None` to leave the process as it is:
/// malloc already tuned (by this function's earlier run or by the operator, through
/// `GLIBC_TUNABLES` or glibc's older `MALLOC_*_` variables), or a value that is not text.
pub(crate) fn tunables_for(current: Option<&std::ffi::OsStr>, legacy_set: bool) -> Option<String> {
    if legacy_set {
        return None;
    }
    match current.map(|v| v.to_str()) {
        None => Some(OURS.to_string()),
        Some(None) => None,
        Some(Some(v)) if v.contains("glibc.malloc.") => None,
        Some(Some("")) => Some(OURS.to_string()),
        Some(Some(v)) => Some(format!("{v}:{OURS}")),
    }
}

/// Execute this binary again with [`OURS`] in `GLIBC_TUNABLES`, unless [`tunables_for`] says
/// to leave it. Returns only when nothing was done or the exec failed (the console then runs
/// with glibc's defaults: more memory, nothing else differs).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn reexec_with_malloc_tunables() {
    use std::os::unix::process::CommandExt;
    let legacy = [
        "MALLOC_MMAP_THRESHOLD_",
        "MALLOC_TRIM_THRESHOLD_",
        "MALLOC_ARENA_MAX",
    ]
    .iter()
    .any(|v| std::env::var_os(v).is_some());
    let Some(tunables) = tunables_for(std::env::var_os("GLIBC_TUNABLES").as_deref(), legacy) else {
        return;
    };
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut args = std::env::args_os();
    let mut cmd = std::process::Command::new(exe);
    if let Some(arg0) = args.next() {
        cmd.arg0(arg0);
    }
    // `exec` returns only on failure; the console then goes on untuned.
    let _failed = cmd.args(args).env("GLIBC_TUNABLES", tunables).exec();
}

/// Elsewhere the C library's allocator is not glibc's: nothing to tune.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn reexec_with_malloc_tunables() {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn the_thresholds_are_added_once_and_an_operators_malloc_tunables_win() {
        assert_eq!(tunables_for(None, false).as_deref(), Some(OURS));
        assert_eq!(
            tunables_for(Some(OsStr::new("")), false).as_deref(),
            Some(OURS)
        );
        // Other tunables are kept, ours appended.
        assert_eq!(
            tunables_for(Some(OsStr::new("glibc.pthread.rseq=0")), false),
            Some(format!("glibc.pthread.rseq=0:{OURS}"))
        );
        // Already tuned: by the first run (no second exec) or by the operator.
        assert_eq!(tunables_for(Some(OsStr::new(OURS)), false), None);
        assert_eq!(
            tunables_for(Some(OsStr::new("glibc.malloc.arena_max=2")), false),
            None
        );
        assert_eq!(tunables_for(None, true), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_text_is_left_alone() {
        use std::os::unix::ffi::OsStrExt;
        assert_eq!(tunables_for(Some(OsStr::from_bytes(b"\xff")), false), None);
    }
}
