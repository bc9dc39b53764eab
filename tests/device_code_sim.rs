//! The device-code sign-in of the real client against the simulator, which hands out Entra's
//! 5-second interval and answers `slow_down` to a client that polls sooner: the client waits
//! the interval and adds 5 s after a `slow_down`. Time is the simulator's clock, moved by the
//! sleep the client asks for (no wall-clock waiting).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use roundtrip_common::{endpoints, frozen};
use socops::api::auth::device_code::{poll_device_code_with, start_device_code};

#[tokio::test]
async fn the_client_keeps_the_interval_and_slows_down_when_told() {
    let s = Arc::new(frozen(2).await);
    let ep = endpoints(&s);
    let d = start_device_code(&ep, "public-client").await.unwrap();
    assert_eq!(d.interval, 5);

    // A clock that runs slow on 5-second sleeps, so the second poll comes too early.
    let slept: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let (rec, sim) = (slept.clone(), s.clone());
    let sleep = move |t: Duration| {
        rec.lock().unwrap().push(t);
        sim.advance(if t <= Duration::from_secs(5) {
            1.0
        } else {
            t.as_secs_f64()
        });
        async {}
    };
    let tok = poll_device_code_with(&ep, "public-client", &d, sleep)
        .await
        .expect("signed in after slowing down");
    assert!(!tok.refresh_token.expose().is_empty());
    let slept = slept.lock().unwrap().clone();
    assert!(
        slept.iter().all(|t| *t >= Duration::from_secs(5)),
        "never sooner than the interval: {slept:?}"
    );
    assert!(
        slept.contains(&Duration::from_secs(10)),
        "5 s more after slow_down: {slept:?}"
    );
}
