//! What finished actions produce and the other action reads: the investigation package and
//! live-response files saved under `<data dir>/downloads` by the one export writer (0600,
//! never through a link, never over an earlier file: a taken name becomes `name-2`…), a
//! script's output shown (and saved), the live-response library, the audit log view and
//! portal hand-over records.

use std::path::PathBuf;

use chrono::Utc;

use crate::api::calls::{
    library_files, live_response_link, machine_action, package_uri, script_output,
};
use crate::api::model::{Indicator, LibraryFile};
use crate::app::Msg;
use crate::app::actions::ResultKind;
use crate::runtime::actions::ActionRunner;
use crate::runtime::files::write_export_in;
use crate::store::audit::{AuditEntry, AuditHandover, AuditLog, read_entries};
use crate::store::paths::safe_segment;
use crate::text;

impl ActionRunner {
    /// Fetch and save (or show) what action `id` produced.
    pub fn fetch_result(&self, id: String, what: ResultKind, device: String) {
        let r = self.clone();
        tokio::spawn(async move {
            let short = device.split('.').next().unwrap_or(&device).to_string();
            let msg = match r.fetch(&id, what, &short).await {
                Ok(msg) => msg,
                Err(e) => Msg::Toast(format!("could not fetch the result of {id}: {e}")),
            };
            let _ = r.tx.send(msg);
        });
    }

    async fn fetch(&self, id: &str, what: ResultKind, short: &str) -> anyhow::Result<Msg> {
        let dir = self.ctx.downloads();
        Ok(match what {
            ResultKind::None => Msg::Toast(String::new()),
            ResultKind::Package => {
                let url = package_uri(&self.client, id).await?;
                let bytes = self.client.download(&url).await?;
                let path = save(dir, package_name(short, id), bytes).await?;
                Msg::Toast(format!("investigation package saved to {path}"))
            }
            ResultKind::File => {
                // The requested path names the saved file; the action record carries it
                // (also after a restart, when only the id was kept).
                let requested = machine_action(&self.client, id)
                    .await
                    .ok()
                    .and_then(|a| {
                        a.commands.iter().find_map(|c| {
                            let spec = c.command.as_ref()?;
                            let get = spec
                                .command_type
                                .as_deref()
                                .is_some_and(|t| t.eq_ignore_ascii_case("GetFile"));
                            get.then(|| spec.param("Path").map(str::to_string))?
                        })
                    })
                    .unwrap_or_default();
                let url = live_response_link(&self.client, id, 0).await?;
                let bytes = self.client.download(&url).await?;
                let path = save(dir, getfile_name(&requested, short), bytes).await?;
                Msg::Toast(format!("file saved to {path}"))
            }
            ResultKind::Script => {
                let url = live_response_link(&self.client, id, 0).await?;
                let out = script_output(&self.client, &url).await?;
                let mut lines = vec![format!(
                    "script {} · exit code {}",
                    out.script_name.as_deref().unwrap_or("?"),
                    out.exit_code.map_or("?".into(), |c| c.to_string())
                )];
                lines.push(String::new());
                lines.extend(out.clean_output().lines().map(str::to_string));
                let errors = out.clean_errors();
                if !errors.trim().is_empty() {
                    lines.push(String::new());
                    lines.push("errors:".into());
                    lines.extend(errors.lines().map(str::to_string));
                }
                let saved = lines.join("\n").into_bytes();
                let path = save(dir, script_file_name(short, id), saved).await?;
                lines.push(String::new());
                lines.push(format!("saved to {path}"));
                Msg::ShowText {
                    title: format!("Script output · {short}"),
                    lines,
                }
            }
        })
    }

    /// Load the live-response library names.
    pub(crate) fn load_library(&self) {
        let r = self.clone();
        tokio::spawn(async move {
            if let Ok(files) = library_files()
                .fetch::<LibraryFile>(&r.client, Some(500))
                .await
            {
                let names = files.into_iter().map(|f| f.file_name).collect();
                let _ = r.tx.send(Msg::LibraryFiles(names));
            }
        });
    }

    /// Read the indicators the API has for `value` now, for the console's replace step (the
    /// same read `indicators add` makes before it adds).
    pub fn check_indicator(&self, value: String) {
        let r = self.clone();
        tokio::spawn(async move {
            let filter = crate::api::calls::odata::eq("indicatorValue", value.trim());
            let result = crate::api::resources::ListResource::Indicators
                .request(Some(filter))
                .fetch::<Indicator>(&r.client, Some(100))
                .await
                .map_err(|e| e.to_string());
            let _ = r.tx.send(Msg::IndicatorChecked { value, result });
        });
    }

    /// Show the audit log, newest first (read off the UI loop).
    pub fn show_audit(&self) {
        let path = self.ctx.data_dir.join("audit.jsonl");
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let msg = match read_entries(&path) {
                Ok(entries) => Msg::ShowText {
                    title: format!("Audit log · {}", path.display()),
                    lines: audit_lines(&entries),
                },
                Err(e) => Msg::Toast(format!("cannot read the audit log: {e}")),
            };
            let _ = tx.send(msg);
        });
    }

    /// Record that the operator was handed over to the portal.
    pub fn handover(&self, action: String, url: String, targets: Vec<String>) {
        let h = AuditHandover {
            profile: self.ctx.profile.clone(),
            tenant: self.ctx.tenant.clone(),
            operator: self.client.operator(),
            action,
            url,
            targets,
            comment: String::new(),
        };
        // Opened, appended and fsynced off the UI loop.
        let (dir, tx) = (self.ctx.data_dir.clone(), self.tx.clone());
        tokio::task::spawn_blocking(move || {
            let r = AuditLog::open(&dir).and_then(|a| a.record_handover(&h, Utc::now()));
            if let Err(e) = r {
                let _ = tx.send(Msg::Toast(format!("cannot write the audit log: {e}")));
            }
        });
    }
}

/// Save a download in `dir` by the one export writer (numbered when the name is taken), off
/// the runtime's workers; returns the path written, ready to show (`text::line`).
async fn save(dir: PathBuf, name: String, bytes: Vec<u8>) -> anyhow::Result<String> {
    let path = tokio::task::spawn_blocking(move || write_export_in(&dir, &name, &bytes)).await??;
    Ok(text::line(&path.display().to_string()).into_owned())
}

/// One line per record, newest first: time, action, targets, comment, outcome.
pub(crate) fn audit_lines(entries: &[AuditEntry]) -> Vec<String> {
    let outcome = |id: &str| {
        entries.iter().find_map(|e| match e {
            AuditEntry::Outcome { id: o, outcome, .. } if o == id => Some(if outcome.ok {
                format!("ok {}", outcome.final_status.as_deref().unwrap_or_default())
            } else {
                format!("FAILED {}", outcome.error.as_deref().unwrap_or_default())
            }),
            _ => None,
        })
    };
    let mut lines: Vec<String> = entries
        .iter()
        .filter_map(|e| match e {
            AuditEntry::Intent { id, time, intent } => Some(format!(
                "{}  {}{}  {}  \"{}\"  → {}",
                time.format("%Y-%m-%d %H:%M"),
                intent.action,
                if intent.dry_run { " (dry run)" } else { "" },
                // [device id, device name]: the name says more.
                match intent.targets.as_slice() {
                    [_, name] => name.clone(),
                    all => all.join(" "),
                },
                intent.comment,
                if intent.dry_run {
                    "not sent".to_string()
                } else {
                    outcome(id).unwrap_or_else(|| "no outcome recorded".into())
                }
            )),
            AuditEntry::Handover { time, handover, .. } => Some(format!(
                "{}  {}  {}  → handed over to {}",
                time.format("%Y-%m-%d %H:%M"),
                handover.action,
                handover.targets.join(" "),
                handover.url
            )),
            AuditEntry::Outcome { .. } => None,
        })
        .collect();
    lines.reverse();
    if lines.is_empty() {
        lines.push("no actions recorded yet".into());
    }
    lines
}

/// The saved name of a GetFile result: `<device>-<file name of the requested path>`, the
/// name reduced to `[A-Za-z0-9._-]` (no leading dot, at most 100 characters; `file` when
/// nothing is left). A taken name is numbered by the writer (`pc-01-report-2.pdf`).
pub(crate) fn getfile_name(requested: &str, device: &str) -> String {
    let base = requested.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut name = safe_segment(base);
    if name == "_" {
        name = "file".into();
    }
    format!("{}-{name}", safe_segment(device))
}

/// `investigation-package-{device}-{id}.zip`, one path segment whatever the API sent.
pub(crate) fn package_name(device: &str, id: &str) -> String {
    format!(
        "investigation-package-{}-{}.zip",
        safe_segment(device),
        safe_segment(id)
    )
}

/// `script-{device}-{id}.txt`, one path segment whatever the API sent.
pub(crate) fn script_file_name(device: &str, id: &str) -> String {
    format!("script-{}-{}.txt", safe_segment(device), safe_segment(id))
}

#[cfg(test)]
mod tests {
    use super::{getfile_name, package_name, script_file_name};

    #[test]
    fn downloads_never_leave_the_downloads_dir() {
        let dir = std::path::Path::new("/data/downloads");
        for id in ["../../..", "a/../../b", "..", "/etc/cron.d/x"] {
            for name in [
                package_name("../pc", id),
                script_file_name("pc/..", id),
                getfile_name(id, ".."),
            ] {
                let p = dir.join(&name);
                assert_eq!(p.parent(), Some(dir), "{id}: {name}");
                assert!(!name.contains('/') && !name.starts_with('.'), "{name}");
            }
        }
        assert_eq!(
            package_name("pc-01", "../../.."),
            "investigation-package-pc-01-_.zip"
        );
    }

    #[test]
    fn getfile_results_are_named_after_the_requested_file() {
        assert_eq!(
            getfile_name(r"C:\Users\ana\Downloads\invoice.pdf.exe", "pc-01"),
            "pc-01-invoice.pdf.exe"
        );
        assert_eq!(getfile_name("/tmp/../etc/passwd", "srv"), "srv-passwd");
        assert_eq!(getfile_name(r"C:\x\..", "pc"), "pc-file");
        assert_eq!(getfile_name("", "pc"), "pc-file");
        assert_eq!(getfile_name(r"C:\a\r p*t?.log", "pc"), "pc-r_p_t_.log");
        assert!(!getfile_name("notes.txt", "pc").ends_with(".zip"));
    }
}
