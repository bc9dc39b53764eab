//! Data a page reads when it opens, beyond the lists the views load: a recommendation's
//! exposed devices (`machineReferences`). The page asks once per record through the runtime
//! (`Command::LoadPage`), shows "loading" until the answer (`Msg::PageLoaded`) and says why
//! when there is none: the service's refusal, or offline, where nothing is sent. Pure.

use std::collections::BTreeMap;

use crate::api::model::Machine;
use crate::app::basic::{LoadError, RequestId};
pub use crate::app::basic::{PageData, PageFetch};
use crate::app::msg::Command;
use crate::app::pages::working::Subject;
use crate::app::state::AppState;

/// One record's extra data.
#[derive(Debug, Clone)]
pub enum Fetched<T> {
    Loading(RequestId),
    Ready(T),
    /// The read failed: why, as the service said it.
    Failed(String),
    /// Offline: nothing was asked.
    Offline,
}

/// Everything read for pages this session, by record id.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// A recommendation's exposed devices.
    pub exposed: BTreeMap<String, Fetched<Vec<Machine>>>,
}

/// What the page on screen still needs: the read to start (at most one per record; a failed
/// read is tried again when the page is opened again).
pub(crate) fn wanted(s: &mut AppState) -> Vec<Command> {
    let Some(Subject::Recommendation(id)) = s.detail.as_ref().and_then(|d| d.subject.clone())
    else {
        return Vec::new();
    };
    if matches!(
        s.extras.exposed.get(&id),
        Some(Fetched::Loading(_) | Fetched::Ready(_))
    ) {
        return Vec::new();
    }
    if s.settings.offline {
        s.extras.exposed.insert(id, Fetched::Offline);
        crate::app::pages::working::refresh(s);
        return Vec::new();
    }
    let req = s.next_request;
    s.next_request += 1;
    s.extras.exposed.insert(id.clone(), Fetched::Loading(req));
    crate::app::pages::working::refresh(s);
    vec![Command::LoadPage {
        id: req,
        fetch: PageFetch::ExposedDevices(id),
    }]
}

/// An answer: kept when it is the one the record waits for (an older one is dropped), and
/// the page on screen shows it.
pub fn loaded(s: &mut AppState, id: RequestId, result: Result<PageData, LoadError>) {
    let Some((rec, _)) = s
        .extras
        .exposed
        .iter()
        .find(|(_, f)| matches!(f, Fetched::Loading(r) if *r == id))
    else {
        return;
    };
    let rec = rec.clone();
    let value = match result {
        Ok(PageData::ExposedDevices(devices)) => Fetched::Ready(devices),
        Err(e) => Fetched::Failed(e.text),
    };
    s.extras.exposed.insert(rec, value);
    crate::app::pages::working::refresh(s);
}
