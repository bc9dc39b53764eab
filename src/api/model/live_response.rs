//! Live response artefacts: the library of scripts (`/api/libraryfiles`) and the JSON result
//! a `RunScript` command leaves behind its download link.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de;

/// A file in the live response library.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LibraryFile {
    #[serde(deserialize_with = "de::id")]
    pub file_name: String,
    pub sha256: Option<String>,
    pub description: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub creation_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub last_updated_time: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub has_parameters: Option<bool>,
    pub parameters_description: Option<String>,
}

/// The result of a live response `RunScript` command (snake_case keys, as sent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScriptOutput {
    pub script_name: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub exit_code: Option<i64>,
    pub script_output: Option<String>,
    pub script_errors: Option<String>,
}

impl ScriptOutput {
    /// The output without the NUL characters the service pads it with.
    pub fn clean_output(&self) -> String {
        strip_nul(self.script_output.as_deref().unwrap_or(""))
    }

    /// The errors without NUL characters.
    pub(crate) fn clean_errors(&self) -> String {
        strip_nul(self.script_errors.as_deref().unwrap_or(""))
    }

    /// Exit code 0 and no error text.
    pub fn succeeded(&self) -> bool {
        self.exit_code == Some(0) && self.clean_errors().trim().is_empty()
    }
}

fn strip_nul(s: &str) -> String {
    s.replace('\0', "")
}
