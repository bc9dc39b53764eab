//! The load state of one resource: a refresh or an error never blanks what is on screen.

use chrono::{DateTime, Utc};

use crate::app::msg::{LoadError, RequestId};

/// Data and when it arrived.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub data: T,
    pub at: DateTime<Utc>,
}

/// Not loaded / loading (with previous data) / loaded at T / failed (with previous data).
#[derive(Debug, Clone, Default)]
pub enum Load<T> {
    #[default]
    NotLoaded,
    Loading {
        id: RequestId,
        prev: Option<Loaded<T>>,
    },
    Loaded(Loaded<T>),
    Failed {
        error: LoadError,
        prev: Option<Loaded<T>>,
    },
}

impl<T> Load<T> {
    /// The data on screen, current or previous.
    pub fn data(&self) -> Option<&T> {
        self.loaded().map(|l| &l.data)
    }

    /// The data with its time.
    pub fn loaded(&self) -> Option<&Loaded<T>> {
        match self {
            Load::NotLoaded => None,
            Load::Loading { prev, .. } | Load::Failed { prev, .. } => prev.as_ref(),
            Load::Loaded(l) => Some(l),
        }
    }

    /// The data on screen, to change in place (an optimistic update after a write, until
    /// the re-read lands).
    pub(crate) fn data_mut(&mut self) -> Option<&mut T> {
        match self {
            Load::NotLoaded => None,
            Load::Loading { prev, .. } | Load::Failed { prev, .. } => {
                prev.as_mut().map(|l| &mut l.data)
            }
            Load::Loaded(l) => Some(&mut l.data),
        }
    }

    /// When the data on screen arrived.
    pub fn at(&self) -> Option<DateTime<Utc>> {
        self.loaded().map(|l| l.at)
    }

    /// The request in flight.
    pub fn pending(&self) -> Option<RequestId> {
        match self {
            Load::Loading { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// The last error, while it is current.
    pub fn error(&self) -> Option<&LoadError> {
        match self {
            Load::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Start a request, keeping what is on screen.
    pub fn start(&mut self, id: RequestId) {
        let prev = self.take_loaded();
        *self = Load::Loading { id, prev };
    }

    /// Accept data for request `id`; false (and no change) when the request is stale.
    pub fn finish(&mut self, id: RequestId, data: T, at: DateTime<Utc>) -> bool {
        if self.pending() != Some(id) {
            return false;
        }
        *self = Load::Loaded(Loaded { data, at });
        true
    }

    /// Record a failure of request `id`; false when stale.
    pub fn fail(&mut self, id: RequestId, error: LoadError) -> bool {
        if self.pending() != Some(id) {
            return false;
        }
        let prev = self.take_loaded();
        *self = Load::Failed { error, prev };
        true
    }

    fn take_loaded(&mut self) -> Option<Loaded<T>> {
        match std::mem::take(self) {
            Load::NotLoaded => None,
            Load::Loading { prev, .. } | Load::Failed { prev, .. } => prev,
            Load::Loaded(l) => Some(l),
        }
    }
}
