//! SAS-style downloads under `/sim-blob/...` (no bearer needed, like Azure blob SAS URLs):
//! live-response script output, GetFile bytes and investigation packages.

use super::reply::{Family, Reply, mde_error};
use super::{Req, SimState};
use serde_json::json;

/// A tiny zip-like blob: a real local-file header signature followed by text.
fn zip_like(name: &str, body: &str) -> Vec<u8> {
    let mut out = b"PK\x03\x04".to_vec();
    out.extend_from_slice(format!("{name}\n{body}\n").as_bytes());
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    out
}

/// Serves a blob.
pub fn handle(st: &SimState, req: &Req) -> Reply {
    if req.q("sig").is_none() {
        return Reply::bytes(Family::Blob, b"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code></Error>".to_vec(), "application/xml")
            .with_status(403);
    }
    let Ok(t) = st.tenant.read() else {
        return mde_error(500, "InternalServerError", "state lock poisoned");
    };
    let segs: Vec<&str> = req.segs.iter().skip(1).map(String::as_str).collect();
    match segs.as_slice() {
        ["package", file] => {
            let id = file.trim_end_matches(".zip");
            match t.actions.iter().find(|a| a.id == id) {
                Some(a) => {
                    let d = &t.devices[a.device as usize];
                    Reply::bytes(
                        Family::Blob,
                        zip_like(
                            "WDATP_Investigation_Package.zip",
                            &format!("Investigation package for {}", d.name),
                        ),
                        "application/zip",
                    )
                }
                None => not_found(),
            }
        }
        ["lr", id, index] => {
            let Some(a) = t.actions.iter().find(|a| a.id == *id) else {
                return not_found();
            };
            let Some(c) = index.parse::<usize>().ok().and_then(|i| a.commands.get(i)) else {
                return not_found();
            };
            let param = |k: &str| {
                c.params
                    .iter()
                    .find(|(pk, _)| pk == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            if c.kind == "RunScript" {
                let script = param("ScriptName");
                let out = json!({
                    "script_name": script,
                    "exit_code": 0,
                    "script_output": format!("Transcript started, output file is C:\\ProgramData\\Microsoft\\Windows Defender Advanced Threat Protection\\Temp\\PSScriptOutputs\\PSScript_Transcript_{id}.txt\nRunning {script} {}\nCompleted on {}\n\u{0}\u{0}", param("Args"), t.devices[a.device as usize].name),
                    "script_errors": "",
                });
                Reply::bytes(
                    Family::Blob,
                    serde_json::to_vec(&out).unwrap_or_default(),
                    "application/json",
                )
            } else {
                let path = param("Path");
                Reply::bytes(
                    Family::Blob,
                    zip_like(&path, "collected file contents"),
                    "application/octet-stream",
                )
            }
        }
        _ => not_found(),
    }
}

fn not_found() -> Reply {
    Reply::bytes(
        Family::Blob,
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>BlobNotFound</Code></Error>"
            .to_vec(),
        "application/xml",
    )
    .with_status(404)
}

impl Reply {
    /// Sets the status code.
    pub(crate) fn with_status(mut self, status: u16) -> Reply {
        self.status = axum::http::StatusCode::from_u16(status).unwrap_or(self.status);
        self
    }
}
