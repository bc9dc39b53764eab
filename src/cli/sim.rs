//! `sim`: serve the simulated tenant on 127.0.0.1 until Ctrl-C.

use crate::cli::args::{GlobalArgs, SimArgs};
use crate::cli::exit::{CliError, CliResult};
use crate::sim;

/// Run `sim`.
pub async fn run(g: &GlobalArgs, a: SimArgs) -> CliResult {
    let config = sim_config(g);
    let roles = if a.roles.is_empty() {
        None
    } else {
        Some(known_roles(&a.roles)?)
    };
    eprintln!(
        "socops sim: {} ({} devices, seed {}, plan {}) on http://127.0.0.1:{}; Ctrl-C stops it",
        sim::DEMO_TENANT_NAME,
        config.devices,
        config.seed,
        config.plan,
        a.port
    );
    if let Some(r) = &roles {
        eprintln!("the simulated app is granted only: {}", r.join(", "));
    }
    eprintln!(
        "point a client at it: socops --demo --mde-url http://127.0.0.1:{} devices list",
        a.port
    );
    sim::serve(config, a.port, roles)
        .await
        .map_err(|e| CliError::Runtime(format!("cannot serve on 127.0.0.1:{}: {e}", a.port)))
}

/// The roles of `--roles`, spelled as the service spells them; an unknown one is exit 2
/// with the list.
fn known_roles(asked: &[String]) -> CliResult<Vec<String>> {
    let all = sim::server::auth::ALL_ROLES;
    asked
        .iter()
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
        .map(|r| {
            all.iter()
                .find(|k| k.eq_ignore_ascii_case(r))
                .map(|k| k.to_string())
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "unknown role '{}'; the simulator knows: {}",
                        crate::text::line(r),
                        all.join(", ")
                    ))
                })
        })
        .collect()
}

/// The simulator settings of `--demo` and `sim`: defaults, with `--seed` and `--devices`.
pub fn sim_config(g: &GlobalArgs) -> sim::SimConfig {
    let mut c = sim::SimConfig::default();
    if let Some(seed) = g.seed {
        c.seed = seed;
    }
    if let Some(n) = g.devices {
        c.devices = n;
    }
    c.plan = demo_plan(g);
    c
}

/// The licence of the demo tenant: Fabrikam is a Defender for Business tenant, so the demo
/// shows the gating; `--plan` picks another.
pub fn demo_plan(g: &GlobalArgs) -> crate::api::plan::Plan {
    g.plan.unwrap_or(crate::api::plan::Plan::Business)
}
