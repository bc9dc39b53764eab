//! The embedded simulated tenant: an axum HTTP server on one loopback address that speaks the
//! Defender for Endpoint (`/api/...`), Microsoft Graph security (`/v1.0/...`) and Entra ID token
//! APIs, backed by deterministic seeded data, lazily time-driven, with fault injection and the
//! documented rate limits. Used by the demo mode, `socops sim` and tests — never by `api/`.

pub mod clock;
pub mod demo_tokens;
pub mod rng;
pub mod server;
pub mod tenant;

pub use demo_tokens::DemoTokens;
pub use server::faults::{FaultRequest, Faults};

use chrono::{DateTime, Utc};
use server::SimState;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The simulated tenant's Entra tenant id.
pub const DEMO_TENANT_ID: &str = "2b4f6a8c-1d3e-4f50-a6b7-c8d9e0f1a2b3";
/// The simulated organisation's name.
pub(crate) const DEMO_TENANT_NAME: &str = "Fabrikam";

/// The most devices a simulated tenant has (`--devices`): the size the benches measure.
pub(crate) const MAX_DEVICES: usize = 100_000;

/// How to build and run the simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Seed of the generated tenant; the same seed always gives the same tenant.
    pub seed: u64,
    /// Number of devices.
    pub devices: usize,
    /// A fixed start time (reproducible timestamps); `None` uses the real clock, with the
    /// generated data anchored to the start of the current UTC hour.
    pub now: Option<DateTime<Utc>>,
    /// Enforce the documented per-family rate limits (429 + `Retry-After`).
    pub rate_limits: bool,
    /// How much faster than real time the simulated clock runs (actions progress with it);
    /// 0 stands still until [`RunningSim::advance`] moves it.
    pub time_scale: f64,
    /// The tenant's licence: actions outside it are refused as the service refuses them.
    pub plan: crate::api::plan::Plan,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            devices: 48,
            now: None,
            rate_limits: true,
            time_scale: 1.0,
            plan: crate::api::plan::Plan::P2,
        }
    }
}

/// A simulator running on the current tokio runtime.
pub struct RunningSim {
    /// The bound loopback address.
    pub addr: SocketAddr,
    /// Fault switches for tests.
    pub faults: Arc<Faults>,
    clock: clock::Clock,
    state: Arc<SimState>,
    stop: Option<oneshot::Sender<()>>,
}

impl RunningSim {
    /// `http://127.0.0.1:PORT` — authority, MDE and Graph base URL alike.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Moves the simulated clock forward by `secs` seconds (actions and investigations
    /// progress with it), so tests need not sleep.
    pub fn advance(&self, secs: f64) {
        self.clock.advance(clock::secs(secs));
    }

    /// Changes the generated tenant in place, for tests that need data the generator does
    /// not make (a device name crafted by an attacker, an empty table).
    pub fn edit_tenant(&self, f: impl FnOnce(&mut tenant::Tenant)) {
        let mut t = self
            .state
            .tenant
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut t);
    }

    /// Grants the simulated app only these application permissions (`None`: all of them, the
    /// default): a request whose endpoint needs another is refused with the service's 403.
    pub fn grant_roles(&self, roles: Option<Vec<String>>) {
        self.state.grant_roles(roles);
    }

    /// Stops the server (in-flight requests finish).
    pub fn shutdown(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

fn state(config: &SimConfig, addr: SocketAddr) -> Arc<SimState> {
    let clock = clock::Clock::new(config.now, config.time_scale);
    let tenant = tenant::Tenant::generate(config.seed, config.devices, clock.anchor());
    Arc::new(SimState {
        tenant: RwLock::new(tenant),
        clock,
        faults: Arc::new(Faults::default()),
        limits: Mutex::new(server::limits::Limits::default()),
        rate_limits: config.rate_limits,
        base_url: format!("http://{addr}"),
        tenant_id: DEMO_TENANT_ID.to_string(),
        seed: config.seed,
        plan: config.plan,
        device_codes: Mutex::new(HashMap::new()),
        counter: Mutex::new(0),
        roles: RwLock::new(None),
    })
}

/// Starts the simulator on `127.0.0.1:0` (a free port), spawned on the current runtime.
pub async fn start(config: SimConfig) -> std::io::Result<RunningSim> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let st = state(&config, addr);
    let faults = st.faults.clone();
    let clock = st.clock.clone();
    let (tx, rx) = oneshot::channel::<()>();
    let app = server::router(st.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(RunningSim {
        addr,
        faults,
        clock,
        state: st,
        stop: Some(tx),
    })
}

/// Serves the simulator on `127.0.0.1:port` until ctrl-c (for `socops sim --port P`), its
/// app granted `roles` (`None`: every permission).
pub async fn serve(
    config: SimConfig,
    port: u16,
    roles: Option<Vec<String>>,
) -> std::io::Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let st = state(&config, addr);
    st.grant_roles(roles);
    let app = server::router(st);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
