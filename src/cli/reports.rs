//! `report av-health`: Defender Antivirus health per device (`deviceavinfo`).

use serde_json::Value;

use crate::api::calls;
use crate::cli::args::ReportCmd;
use crate::cli::exit::CliResult;
use crate::cli::output::{Column, cell, run_list};
use crate::cli::session::Session;

/// avMode codes as the API sends them (strings).
fn av_mode(v: &Value) -> String {
    let code = cell(v, "avMode");
    let name = match code.as_str() {
        "0" => "Active",
        "1" => "Passive",
        "2" => "Disabled",
        "4" => "EDRBlocked",
        "5" => "PassiveAudit",
        _ => "Other",
    };
    name.to_string()
}

/// Columns of the AV health table and CSV.
pub const COLUMNS: &[Column<Value>] = &[
    ("DEVICE", |v| cell(v, "computerDnsName")),
    ("MODE", av_mode),
    ("SIGNATURE", |v| cell(v, "avSignatureVersion")),
    ("SIG UP TO DATE", |v| cell(v, "avIsSignatureUpToDate")),
    ("ENGINE UP TO DATE", |v| cell(v, "avIsEngineUpToDate")),
    ("QUICK SCAN", |v| cell(v, "quickScanResult")),
    ("QUICK SCAN TIME", |v| cell(v, "quickScanTime")),
    ("FULL SCAN", |v| cell(v, "fullScanResult")),
];

/// Run `report …`.
pub async fn run(s: &Session, cmd: ReportCmd) -> CliResult {
    let ReportCmd::AvHealth { limit } = cmd;
    run_list(
        &s.client,
        s.format,
        &calls::device_av_info(None),
        COLUMNS,
        limit.limit,
    )
    .await?;
    Ok(())
}
