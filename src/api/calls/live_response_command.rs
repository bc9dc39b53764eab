//! One command of a live-response request (`RunScript`, `GetFile`, `PutFile`) and its body
//! with the lowercase inner keys (`type`, `params`, `key`, `value`) the service requires.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One live-response command. Documented order: PutFile, RunScript, GetFile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum LiveResponseCommandRequest {
    /// Run a script from the library, with optional arguments.
    RunScript {
        script_name: String,
        #[serde(default)]
        args: Option<String>,
    },
    /// Collect a file from the device.
    GetFile { path: String },
    /// Put a library file on the device.
    PutFile { file_name: String },
}

impl LiveResponseCommandRequest {
    /// `{"type": …, "params": [{"key": …, "value": …}]}` (lowercase inner keys).
    pub(crate) fn body(&self) -> Value {
        let (kind, params) = match self {
            LiveResponseCommandRequest::RunScript { script_name, args } => {
                let mut p = vec![json!({"key": "ScriptName", "value": script_name})];
                if let Some(a) = args.as_deref().filter(|a| !a.trim().is_empty()) {
                    p.push(json!({"key": "Args", "value": a}));
                }
                ("RunScript", p)
            }
            LiveResponseCommandRequest::GetFile { path } => {
                ("GetFile", vec![json!({"key": "Path", "value": path})])
            }
            LiveResponseCommandRequest::PutFile { file_name } => (
                "PutFile",
                vec![json!({"key": "FileName", "value": file_name})],
            ),
        };
        json!({"type": kind, "params": params})
    }

    pub(crate) fn validate(&self) -> Result<(), String> {
        let (what, v) = match self {
            LiveResponseCommandRequest::RunScript { script_name, .. } => {
                ("script name", script_name)
            }
            LiveResponseCommandRequest::GetFile { path } => ("file path", path),
            LiveResponseCommandRequest::PutFile { file_name } => ("file name", file_name),
        };
        if v.trim().is_empty() {
            Err(format!("the {what} is empty"))
        } else {
            Ok(())
        }
    }
}
