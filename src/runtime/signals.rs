//! How socops ends on SIGTERM, SIGHUP (an SSH session dropping), SIGINT (ctrl-c in a headless
//! command) or SIGQUIT: the process exits without running destructors, so first every
//! unfinished temp file is removed (an interrupted `--out` export or download must not stay
//! on disk, `store::temp_file`), then the caller's own step (the console restores the
//! terminal), then exit with 128 + the signal's number, as a shell reports a signal.

/// Listen for the ending signals from now on (the handlers are installed before this
/// returns); must be called within a tokio runtime. Elsewhere than Unix, ctrl-c.
pub fn exit_on_signal(before_exit: fn()) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup), Ok(mut int), Ok(mut quit)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
            signal(SignalKind::quit()),
        ) else {
            return;
        };
        tokio::spawn(async move {
            let code = tokio::select! {
                _ = term.recv() => 143,
                _ = hup.recv() => 129,
                _ = int.recv() => 130,
                _ = quit.recv() => 131,
            };
            end(before_exit, code);
        });
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            end(before_exit, 130);
        }
    });
}

fn end(before_exit: fn(), code: i32) {
    crate::store::temp_file::remove_unfinished();
    before_exit();
    std::process::exit(code);
}
