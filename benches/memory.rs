//! Memory of the console at 100,000 devices: resident set size after the Devices view has
//! loaded, and after many refreshes (each one a fresh `Loaded` of all devices through
//! `update`, as the runtime delivers a refresh). Targets: ≤ 150 MB after the load, and flat
//! over the refreshes (the last figure within 10 % of the first). Run with
//! `cargo bench --bench memory [-- REFRESHES]` (default 60: 30 minutes at the 30 s refresh).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

// Only the fixture: this bench measures memory, not time, so it needs no timing harness.
#[path = "support/fixture.rs"]
mod fixture;

use fixture::{DEVICES, console, machines, now};
use socops::app::{Command, Key, Msg, Payload, ResourceKind, update};

const TARGET_MB: f64 = 150.0;

/// Resident set size of this process in MB (Linux: `/proc/self/status`), `NaN` elsewhere.
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let refreshes: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(60);
    let before = rss_mb();
    let mut s = console(DEVICES, (200, 50));
    let loaded = rss_mb();
    println!("# Memory of the console at {DEVICES} devices\n");
    println!("| when | RSS |\n|---|---|");
    println!("| before the load | {before:.0} MB |");
    println!("| after the Devices view has loaded | {loaded:.0} MB |");
    let mut first_refresh = f64::NAN;
    let mut last = loaded;
    for i in 1..=refreshes {
        // What a refresh delivers: the whole list again, parsed from the service's JSON.
        let fresh = machines(DEVICES);
        // `r` on the Devices view asks for the devices again, as the scheduler's refresh does.
        let id = update(&mut s, Msg::Key(Key::ch('r')))
            .into_iter()
            .find_map(|c| match c {
                Command::Load(ResourceKind::Machines, id) => Some(id),
                _ => None,
            })
            .unwrap_or_default();
        update(
            &mut s,
            Msg::Loaded {
                id,
                at: now(),
                payload: Box::new(Payload::Machines(fresh)),
            },
        );
        last = rss_mb();
        if i == 1 {
            first_refresh = last;
        }
        if i == 1 || i % 10 == 0 || i == refreshes {
            println!("| after refresh {i} | {last:.0} MB |");
        }
    }
    // What the process keeps once the console is gone: memory the allocator holds on to
    // (freed but not returned), which RSS counts as well as live data.
    drop(s);
    let dropped = rss_mb();
    println!("| after the console is dropped (kept by the allocator) | {dropped:.0} MB |");
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!(
        "\nafter load {loaded:.0} MB (target ≤ {TARGET_MB:.0} MB: {}); growth over {refreshes} \
         refreshes {:.0} MB (flat within 10 %: {})",
        verdict(loaded <= TARGET_MB),
        last - first_refresh,
        verdict(last <= first_refresh * 1.1)
    );
}
