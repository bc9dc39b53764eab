//! The terminal guard: raw mode and the alternate screen on the way in; restored exactly once
//! on the way out, whether by `Drop`, by a panic (chained hook, which then prints the panic
//! message on a sane terminal) or by SIGTERM / SIGHUP (an SSH session dropping) / SIGINT /
//! SIGQUIT (`kill -INT`, `kill -QUIT`: in raw mode ctrl-c and ctrl-\ are keys, not signals,
//! but another process can still send them).

use std::io::{Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The console took the mouse (config `mouse = true`): give it back on the way out.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Report wheel and clicks to the console (restored with the rest of the terminal).
pub(crate) fn capture_mouse() -> std::io::Result<()> {
    MOUSE.store(true, Ordering::SeqCst);
    crossterm::execute!(stdout(), crossterm::event::EnableMouseCapture)
}

/// Holds the terminal in console mode while alive.
pub(crate) struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    /// Enter raw mode and the alternate screen, and install the panic hook.
    pub(crate) fn enter() -> std::io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = stdout();
        if let Err(e) = crossterm::execute!(out, EnterAlternateScreen, EnableBracketedPaste) {
            restore();
            return Err(e);
        }
        Ok(TerminalGuard { _private: () })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Put the terminal back. Safe to call any number of times from anywhere.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = stdout();
        if MOUSE.swap(false, Ordering::SeqCst) {
            let _ = crossterm::execute!(out, crossterm::event::DisableMouseCapture);
        }
        let _ = crossterm::execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show);
        let _ = disable_raw_mode();
        let _ = out.flush();
    }
}

fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A supervised task's panic is caught and shown as an error in the console, which
        // keeps running: leave the terminal (and the screen) alone.
        if crate::runtime::supervise::is_supervised() {
            return;
        }
        // Restore first so the message lands on a normal screen.
        restore();
        previous(info);
    }));
}

/// Restore the terminal and exit (128 + the signal's number) when SIGTERM, SIGHUP, SIGINT or
/// SIGQUIT arrives, after removing unfinished temp files (`runtime::signals`).
pub(crate) fn spawn_signal_restorer() {
    crate::runtime::signals::exit_on_signal(restore);
}
