//! The console the benches measure: 100,000 devices from the simulator's generator, loaded the
//! way the runtime loads them (a `Loaded` message through `update`), on the Devices view.

use chrono::{DateTime, TimeZone, Utc};
use socops::api::model::Machine;
use socops::app::data::checklist::Marks;
use socops::app::data::devices::{Devices, DevicesBuilder};
use socops::app::{
    AppState, Keymap, Msg, Payload, ResourceKind, Settings, TableId, View, start, update,
};
use socops::sim::tenant::{Ctx, devices};

/// Devices in the benches' tenant.
pub const DEVICES: usize = 100_000;

/// The fixed clock of the fixture (reproducible ages).
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

/// Records per page, as the service pages `machines`.
const PAGE: usize = 10_000;

/// `n` devices as the console's worker reads them: the simulator's devices as pages of JSON
/// text, each page split into its raw records, each record typed on its own (a record that
/// does not fit would be skipped) and packed, one page at a time.
pub fn machines(n: usize) -> Devices {
    #[derive(serde::Deserialize)]
    struct Page {
        value: Vec<Box<serde_json::value::RawValue>>,
    }
    let ctx = Ctx {
        seed: 42,
        now: now(),
    };
    let devices = devices::generate(&ctx, n);
    let mut out = DevicesBuilder::default();
    for chunk in devices.chunks(PAGE) {
        let records: Vec<serde_json::Value> = chunk.iter().map(|d| d.to_json()).collect();
        let body = serde_json::json!({ "value": records }).to_string();
        drop(records);
        let page: Page = serde_json::from_str(&body).unwrap();
        drop(body);
        for r in &page.value {
            if let Ok(m) = serde_json::from_str::<Machine>(r.get()) {
                out.push(&m);
            }
        }
    }
    out.finish()
}

/// A console of `size` (columns, rows) on the Devices view with `n` machines loaded.
pub fn console(n: usize, size: (u16, u16)) -> AppState {
    let settings = Settings {
        tenant_label: "Fabrikam".into(),
        demo: true,
        ..Settings::default()
    };
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now());
    s.size = size;
    start(&mut s);
    let id = s.data.pending(ResourceKind::Machines).unwrap_or_default();
    update(
        &mut s,
        Msg::Loaded {
            id,
            at: now(),
            payload: Box::new(Payload::Machines(machines(n))),
        },
    );
    s.view = View::Devices;
    let rows = s.table(TableId::Devices).map_or(0, |t| t.rows.len());
    eprintln!("fixture: {rows} device rows on the Devices view");
    s
}
