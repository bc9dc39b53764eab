//! The runtime: terminal guard, the event loop, the IO worker and the scheduler. It owns the
//! effects (`Command`s) and holds no business rules.

pub mod actions;
mod audit_sink;
pub mod catalogue;
pub mod effects;
pub mod fetch;
pub mod files;
pub mod input;
pub(crate) mod inventory;
pub mod links;
pub mod malloc_tuning;
pub mod offline;
pub mod results;
pub mod signals;
pub mod supervise;
pub mod team;
pub mod team_poll;
pub mod tenants;
pub mod terminal;
pub mod tracker;
pub mod worker;

use std::collections::BTreeMap;
use std::io::stdout;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{Local, Offset, Utc};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc;

use crate::api::Client;
use crate::app::data::checklist::Marks;
use crate::app::{self, AppState, Command, Keymap, Msg, Settings};
use crate::ui::{self, Theme};

/// Options of the console, from flags and the profile's config.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    /// Shown in the header (tenant or profile name).
    pub tenant_label: String,
    /// Running on the simulated tenant.
    pub demo: bool,
    /// The profile refuses actions.
    pub read_only: bool,
    /// Monochrome (also when NO_COLOR is set).
    pub no_color: bool,
    /// Refresh of the visible view.
    pub refresh_interval: Duration,
    /// `[keys]` overrides: action name -> key specs.
    pub keys: BTreeMap<String, String>,
    /// The wheel scrolls and a click selects (config `mouse = true`).
    pub mouse: bool,
    /// Where the checklist's done marks live (one file per profile).
    pub checklist_path: PathBuf,
    /// Portal base URL, e.g. `https://security.microsoft.com`.
    pub portal: String,
    /// Destructive actions also require typing the device name.
    pub protected: bool,
    /// The tenant's licence: menus offer only what it includes.
    pub plan: crate::api::plan::Plan,
    /// Data dir: audit log, tracked actions, downloads.
    pub data_dir: PathBuf,
    /// Where `e` writes exports (config `export_dir`; none: the current directory).
    pub export_dir: Option<PathBuf>,
    /// Profile name (audit records, `tracked-<profile>.json`).
    pub profile: String,
    /// Every tenant `:ctx` can open, the current one first (empty: only `client`).
    pub tenants: Vec<tenants::TenantHandle>,
    /// `--offline`: the response cache and the last snapshot instead of the tenant.
    pub offline: bool,
    /// The profile's `analyst`: who "me" is when socops signs in as an app.
    pub analyst: Option<String>,
}

/// Frames are at least this far apart.
const FRAME: Duration = Duration::from_millis(33);

/// Run the full-screen console until the user quits.
pub async fn run_console(client: Client, opts: ConsoleOptions) -> anyhow::Result<()> {
    // Everything that can fail for a bad config fails before the terminal is touched.
    let keymap = Keymap::with_overrides(&opts.keys).map_err(anyhow::Error::msg)?;
    let marks = match tokio::fs::read_to_string(&opts.checklist_path).await {
        Ok(text) => Marks::from_json(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Marks::default(),
        Err(e) => {
            return Err(e).with_context(|| format!("reading {}", opts.checklist_path.display()));
        }
    };
    let settings = Settings {
        tenant_label: opts.tenant_label.clone(),
        demo: opts.demo,
        read_only: opts.read_only,
        protected: opts.protected,
        plan: opts.plan,
        portal: opts.portal.clone(),
        refresh_interval: opts.refresh_interval.max(Duration::from_secs(5)),
        offline: opts.offline,
        offset: Local::now().offset().fix(),
        mouse: opts.mouse,
        me: crate::api::calls::triage::me(&client.operator(), opts.analyst.as_deref()),
        own_app: crate::api::first_party::own_app_of(&client.operator()),
    };
    let no_color = opts.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::pick(no_color);
    let mut state = AppState::new(settings, keymap, marks, Utc::now());
    // The previous session's snapshot, for "since last run" (an unreadable one is skipped).
    // Offline, the data is the cache's: no snapshot is taken from it.
    state.since.enabled = !opts.offline;
    state.since.profile = opts.profile.clone();
    state.since.previous = crate::store::digest_history::SnapshotStore::new(&opts.data_dir)
        .latest(&opts.profile)
        .ok()
        .flatten();

    let guard = terminal::TerminalGuard::enter().context("entering the terminal")?;
    terminal::spawn_signal_restorer();
    if opts.mouse {
        terminal::capture_mouse().context("turning on the mouse")?;
    }
    let mut terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    // Clear without ratatui's `clear`, which asks the terminal for the cursor position (a
    // round trip that can time out over a slow SSH link).
    crossterm::execute!(
        stdout(),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    let size = terminal.size()?;
    state.size = (size.width, size.height);

    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    input::spawn_input(tx.clone());
    spawn_scheduler(tx.clone(), state.settings.refresh_interval);
    let ctx = actions::ActionContext::new(
        opts.data_dir.clone(),
        opts.profile.clone(),
        opts.tenant_label.clone(),
    );
    let resumed = tracker::load_tracked(&ctx.tracked_path());
    let set = tenant_set(client, &opts, tx.clone());
    // The team queue of the session's tenant, polled every few seconds.
    if let Some(h) = set.handles.first()
        && let (Some(gate), Ok(c)) = (h.team.clone(), h.client.clone())
    {
        team_poll::spawn_poller(gate, c, tx.clone());
    }
    app::data::tenants::init(&mut state, set.infos());
    let Some(mut fx) = set.effects(0) else {
        anyhow::bail!("the current tenant has no client");
    };

    // First frame before any network answer.
    draw(&mut terminal, &state, &theme)?;
    let mut last_draw = Instant::now();
    for cmd in app::start(&mut state) {
        fx.run(cmd);
    }
    for cmd in app::actions::resume(&mut state, resumed) {
        fx.run(cmd);
    }
    'run: while let Some(first) = rx.recv().await {
        // Apply each message as soon as it arrives; only the draw waits for the frame cap,
        // so a key never sits in the queue for a frame before it takes effect.
        app::update(&mut state, Msg::Tick(Utc::now()));
        if apply(&mut state, first, &set, &mut fx)? {
            break 'run;
        }
        let next_draw = tokio::time::Instant::from_std(last_draw + FRAME);
        loop {
            while let Ok(m) = rx.try_recv() {
                if apply(&mut state, m, &set, &mut fx)? {
                    break 'run;
                }
            }
            match tokio::time::timeout_at(next_draw, rx.recv()).await {
                Ok(Some(m)) => {
                    if apply(&mut state, m, &set, &mut fx)? {
                        break 'run;
                    }
                }
                Ok(None) => break 'run,
                Err(_) => break,
            }
        }
        if state.quit {
            break;
        }
        // The meter is read at every frame, so tracking and retries show as they happen (not
        // only when a view finishes loading).
        if let Some(u) = fx.budget_usage() {
            app::update(
                &mut state,
                Msg::Budget {
                    used: u.used_last_minute,
                    per_minute: u.per_minute,
                },
            );
        }
        draw(&mut terminal, &state, &theme)?;
        last_draw = Instant::now();
        // What the draw laid out goes back through `update` (the renderer cannot write to
        // the state): the focused table's real rows area, for scrolling and mouse clicks.
        app::update(&mut state, Msg::Drawn(drawn_rows()));
    }
    drop(terminal);
    drop(guard);
    Ok(())
}

/// The console's tenants: the options' list, or the one session client.
fn tenant_set(
    client: Client,
    opts: &ConsoleOptions,
    tx: mpsc::UnboundedSender<Msg>,
) -> tenants::TenantSet {
    let handles = if opts.tenants.is_empty() {
        vec![tenants::TenantHandle {
            name: opts.profile.clone(),
            label: opts.tenant_label.clone(),
            color: None,
            read_only: opts.read_only,
            protected: opts.protected,
            plan: opts.plan,
            client: Ok(client),
            team: None,
            analyst: opts.analyst.clone(),
        }]
    } else {
        opts.tenants.clone()
    };
    tenants::TenantSet {
        handles,
        data_dir: opts.data_dir.clone(),
        checklist_dir: opts
            .checklist_path
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| opts.data_dir.join("checklist")),
        export_dir: opts.export_dir.clone(),
        offline: opts.offline,
        tx,
    }
}

fn draw(
    terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
    state: &AppState,
    theme: &Theme,
) -> anyhow::Result<()> {
    crossterm::execute!(stdout(), BeginSynchronizedUpdate)?;
    let r = terminal.draw(|f| ui::render(f, state, theme));
    crossterm::execute!(stdout(), EndSynchronizedUpdate)?;
    r?;
    Ok(())
}

/// Apply one message and carry out its commands; `Ok(true)` when the console must quit, an
/// error when the terminal's input is lost.
fn apply(
    state: &mut AppState,
    msg: Msg,
    set: &tenants::TenantSet,
    fx: &mut effects::Effects,
) -> anyhow::Result<bool> {
    if let Msg::InputLost(cause) = &msg {
        anyhow::bail!("the console stopped: {cause}");
    }
    for cmd in app::update(state, msg) {
        if cmd == Command::Quit {
            return Ok(true);
        }
        if !set.run(&cmd, fx) {
            fx.run(cmd);
        }
    }
    Ok(state.quit)
}

/// Where the last frame drew the focused table's rows, and the first row shown there.
fn drawn_rows() -> Option<app::input::mouse::RowsArea> {
    ui::table::focused_rows().map(|(r, first)| app::input::mouse::RowsArea {
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
        first,
    })
}

/// Send `RefreshDue` every interval (the only periodic timer besides toast expiry).
fn spawn_scheduler(tx: mpsc::UnboundedSender<Msg>, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if tx.send(Msg::RefreshDue).is_err() {
                break;
            }
        }
    });
}
