//! Supervised background work: a task that panics (a bug, say in a decoder) must end in a
//! visible error, never in an endless "loading" or a terminal left in raw mode. [`catch`] and
//! [`catch_blocking`] turn a panic into `Err(text)`; while supervised code runs, the terminal
//! guard's panic hook neither restores the terminal nor prints over the console (the caller
//! reports the panic as an error instead).

use std::cell::Cell;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::FutureExt;

thread_local! {
    /// How many supervised polls or calls are running on this thread.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// True while supervised code runs on this thread (read by the panic hook).
pub(crate) fn is_supervised() -> bool {
    DEPTH.with(Cell::get) > 0
}

/// Marks this thread supervised until dropped (also when unwinding).
struct Enter;

impl Enter {
    fn new() -> Self {
        DEPTH.with(|d| d.set(d.get() + 1));
        Enter
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// A future whose every poll runs supervised.
struct Supervised<F> {
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for Supervised<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let _enter = Enter::new();
        self.inner.as_mut().poll(cx)
    }
}

/// Run `fut`; a panic inside it becomes `Err` with the panic's message.
pub(crate) async fn catch<F: Future>(fut: F) -> Result<F::Output, String> {
    AssertUnwindSafe(Supervised {
        inner: Box::pin(fut),
    })
    .catch_unwind()
    .await
    .map_err(|p| panic_text(p.as_ref()))
}

/// Run `f` (on a blocking thread, say); a panic inside it becomes `Err` with its message.
pub(crate) fn catch_blocking<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let _enter = Enter::new();
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|p| panic_text(p.as_ref()))
}

/// The message of a panic payload.
fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    let what = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string());
    format!("internal error ({what}); this is a bug in socops, please report it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_task_becomes_an_error_and_the_thread_is_unsupervised_after() {
        let r: Result<(), String> = catch(async { panic!("decoder exploded") }).await;
        let e = r.unwrap_err();
        assert!(e.contains("decoder exploded") && e.contains("bug"), "{e}");
        assert!(!is_supervised());
        assert_eq!(catch(async { 7 }).await, Ok(7));
    }

    #[test]
    fn a_panicking_blocking_call_becomes_an_error() {
        let e =
            catch_blocking(|| -> u8 { panic!("{}", String::from("bad cache file")) }).unwrap_err();
        assert!(e.contains("bad cache file"), "{e}");
        assert!(!is_supervised());
        assert_eq!(catch_blocking(|| 3), Ok(3));
    }

    #[test]
    fn supervised_code_sees_the_flag() {
        assert_eq!(catch_blocking(is_supervised), Ok(true));
    }
}
