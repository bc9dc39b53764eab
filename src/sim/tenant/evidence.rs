//! Alert evidence: the entity kinds an alert carries and their generation from the alert
//! kind's catalog entry (files, processes, users, IPs, URLs).

use super::catalog::{Ev, Kind, PEOPLE};
use super::devices::Device;
use crate::sim::rng::Rng;
use chrono::{DateTime, Duration, Utc};

/// One evidence entity of an alert.
#[derive(Debug, Clone)]
pub enum Evidence {
    File {
        sha1: String,
        sha256: String,
        name: &'static str,
        path: String,
        size: u32,
        status: &'static str,
    },
    Process {
        sha1: String,
        sha256: String,
        name: &'static str,
        path: String,
        pid: u32,
        ppid: u32,
        cmd: String,
        parent: &'static str,
        started: DateTime<Utc>,
    },
    User {
        person: usize,
    },
    Ip {
        ip: String,
    },
    Url {
        url: &'static str,
    },
}

fn file_path(d: &Device, rel: &str, person: usize) -> String {
    let user = PEOPLE[person].0;
    match d.os.platform() {
        "macOS" => format!("/Users/{user}/{}", rel.rsplit('\\').next().unwrap_or(rel)),
        "Linux" => "/tmp".to_string(),
        _ if rel.starts_with("Windows") || rel.starts_with("Program") => format!("C:\\{rel}"),
        _ => format!("C:\\Users\\{user}\\{rel}"),
    }
}

const PARENTS: [&str; 4] = ["OUTLOOK.EXE", "explorer.exe", "cmd.exe", "WINWORD.EXE"];

/// The evidence of one alert of kind `kd` on device `d`.
pub(crate) fn make_evidence(
    rng: &mut Rng,
    kinds: &[Ev],
    kd: &Kind,
    d: &Device,
    person: usize,
    t: DateTime<Utc>,
) -> Vec<Evidence> {
    let status = if kd.source == "WindowsDefenderAv" {
        "Prevented"
    } else {
        "Detected"
    };
    kinds
        .iter()
        .map(|k| match k {
            Ev::File => Evidence::File {
                sha1: rng.hex(40),
                sha256: rng.hex(64),
                name: kd.file.0,
                path: file_path(d, kd.file.1, person),
                size: rng.range(2_000, 4_000_000) as u32,
                status,
            },
            Ev::Process => Evidence::Process {
                sha1: rng.hex(40),
                sha256: rng.hex(64),
                name: kd.file.0,
                path: file_path(d, kd.file.1, person),
                pid: rng.range(1000, 20000) as u32,
                ppid: rng.range(500, 9000) as u32,
                cmd: format!(
                    "{} {}",
                    kd.file.0,
                    rng.pick(&[
                        "--silent",
                        "-enc SQBFAFgA",
                        "-accepteula -ma lsass.exe out.dmp",
                        "/c start"
                    ])
                ),
                parent: PARENTS[rng.below(4) as usize],
                started: t - Duration::seconds(rng.range(1, 40)),
            },
            Ev::User => Evidence::User { person },
            Ev::Ip => Evidence::Ip {
                ip: format!("185.220.{}.{}", rng.range(1, 254), rng.range(1, 254)),
            },
            Ev::Url => Evidence::Url {
                url: if kd.url.is_empty() {
                    "http://malicious.example/x"
                } else {
                    kd.url
                },
            },
        })
        .collect()
}
