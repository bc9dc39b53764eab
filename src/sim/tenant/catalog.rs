//! Static catalogues the generator draws from: alert kinds with their evidence recipes, people.

/// Evidence entity kinds an alert kind produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ev {
    File,
    Process,
    User,
    Ip,
    Url,
}

/// A kind of alert: the text and classification fields shared by all alerts of that kind.
pub struct Kind {
    pub title: &'static str,
    pub description: &'static str,
    pub incident: &'static str,
    pub category: &'static str,
    /// MDE `detectionSource`.
    pub source: &'static str,
    pub family: Option<&'static str>,
    pub threat: Option<&'static str>,
    pub mitre: &'static [&'static str],
    /// 0 Informational .. 3 High.
    pub severity: u8,
    pub evidence: &'static [Ev],
    pub file: (&'static str, &'static str),
    pub url: &'static str,
    pub determination: &'static str,
    pub recommended: &'static str,
}

macro_rules! kind {
    ($t:expr, $d:expr, $i:expr, $c:expr, $s:expr, $f:expr, $th:expr, $m:expr, $sev:expr, $ev:expr, $file:expr, $url:expr, $det:expr, $rec:expr) => {
        Kind {
            title: $t,
            description: $d,
            incident: $i,
            category: $c,
            source: $s,
            family: $f,
            threat: $th,
            mitre: $m,
            severity: $sev,
            evidence: $ev,
            file: $file,
            url: $url,
            determination: $det,
            recommended: $rec,
        }
    };
}

use Ev::*;

/// Alert kinds, grouped by severity (3 High .. 0 Informational).
pub(crate) static KINDS: &[Kind] = &[
    kind!(
        "Ransomware behavior detected in the file system",
        "A process modified a large number of files and appended an unusual extension. This is typical of ransomware encrypting user data.",
        "Ransomware activity",
        "Ransomware",
        "WindowsDefenderAtp",
        None,
        None,
        &["T1486", "T1490"],
        3,
        &[Process, File, User],
        ("invoice_viewer.exe", "AppData\\Local\\Temp"),
        "",
        "MultiStagedAttack",
        "Isolate the device, collect an investigation package, and check backups."
    ),
    kind!(
        "Suspicious credential dump from LSASS memory",
        "A process accessed the memory of the Local Security Authority Subsystem Service in a way typical of credential theft tools.",
        "Credential theft",
        "CredentialAccess",
        "WindowsDefenderAtp",
        None,
        None,
        &["T1003.001"],
        3,
        &[Process, User],
        ("procdump64.exe", "AppData\\Local\\Temp"),
        "",
        "MaliciousUserActivity",
        "Reset the credentials of users who signed in to this device."
    ),
    kind!(
        "Cobalt Strike command and control detected",
        "A process established a beacon-style connection to a known Cobalt Strike team server.",
        "Hands-on-keyboard attack",
        "CommandAndControl",
        "WindowsDefenderAtp",
        Some("CobaltStrike"),
        Some("Backdoor:Win64/CobaltStrike.NP!dha"),
        &["T1071.001", "T1055"],
        3,
        &[Process, Ip, Url],
        ("rundll32.exe", "Windows\\System32"),
        "https://cdn-update-check.net/pixel.gif",
        "MultiStagedAttack",
        "Isolate the device and block the remote address."
    ),
    kind!(
        "Suspicious PowerShell command line",
        "A PowerShell process ran an encoded command that downloads and runs content from the internet.",
        "Suspicious execution",
        "Execution",
        "WindowsDefenderAtp",
        None,
        None,
        &["T1059.001", "T1027"],
        2,
        &[Process, User, Url],
        (
            "powershell.exe",
            "Windows\\System32\\WindowsPowerShell\\v1.0"
        ),
        "http://185.220.101.7/a.ps1",
        "MaliciousUserActivity",
        "Review the command line and the user's recent activity."
    ),
    kind!(
        "'Mimikatz' credential theft tool",
        "A credential theft tool was detected on the device.",
        "Credential theft tool",
        "Malware",
        "WindowsDefenderAv",
        Some("Mimikatz"),
        Some("HackTool:Win32/Mimikatz.D"),
        &["T1003"],
        2,
        &[File, User],
        ("mimi.exe", "Users\\Public"),
        "",
        "Malware",
        "Confirm the file was quarantined and reset exposed credentials."
    ),
    kind!(
        "Connection to a known malicious IP address",
        "A process connected to an IP address that Microsoft threat intelligence associates with malware distribution.",
        "Malicious network activity",
        "CommandAndControl",
        "WindowsDefenderAtp",
        None,
        None,
        &["T1071"],
        2,
        &[Process, Ip],
        ("chrome.exe", "Program Files\\Google\\Chrome\\Application"),
        "",
        "Malware",
        "Block the address with an indicator."
    ),
    kind!(
        "'Wacatac' malware was prevented",
        "Malware and unwanted software are undesirable applications that perform annoying, disruptive, or harmful actions on affected machines.",
        "Malware detections",
        "Malware",
        "WindowsDefenderAv",
        Some("Wacatac"),
        Some("Trojan:Script/Wacatac.B!ml"),
        &[],
        1,
        &[File],
        ("setup_update.js", "Downloads"),
        "",
        "Malware",
        ""
    ),
    kind!(
        "Potentially unwanted application detected",
        "An application that may degrade device performance or show unwanted ads was detected.",
        "Unwanted software",
        "UnwantedSoftware",
        "WindowsDefenderAv",
        Some("InstallCore"),
        Some("PUA:Win32/InstallCore"),
        &[],
        1,
        &[File],
        ("free_pdf_setup.exe", "Downloads"),
        "",
        "UnwantedSoftware",
        "Uninstall the application."
    ),
    kind!(
        "Phishing site blocked by SmartScreen",
        "A user opened a link to a known phishing site; SmartScreen blocked the page.",
        "Phishing attempt",
        "InitialAccess",
        "SmartScreen",
        None,
        None,
        &["T1566.002"],
        1,
        &[Url, User],
        (
            "msedge.exe",
            "Program Files (x86)\\Microsoft\\Edge\\Application"
        ),
        "https://fabrikam-sso.login-verify.co/owa",
        "Phishing",
        "Reset the user's password if they entered credentials."
    ),
    kind!(
        "Connection to a custom network indicator",
        "A device connected to a domain that matches a custom indicator.",
        "Custom indicator match",
        "SuspiciousActivity",
        "CustomerTI",
        None,
        None,
        &[],
        0,
        &[Url],
        (
            "msedge.exe",
            "Program Files (x86)\\Microsoft\\Edge\\Application"
        ),
        "http://bad-updates.example/download",
        "Other",
        ""
    ),
    kind!(
        "An active 'EICAR_Test_File' malware was detected",
        "The EICAR antivirus test file was detected.",
        "Antivirus test",
        "Malware",
        "WindowsDefenderAv",
        Some("EICAR_Test_File"),
        Some("Virus:DOS/EICAR_Test_File"),
        &[],
        0,
        &[File],
        ("eicar.com", "Users\\Public\\Downloads"),
        "",
        "SecurityTesting",
        ""
    ),
    kind!(
        "Automated investigation started manually",
        "An automated investigation was started on this device from the API or the portal.",
        "Manual investigation",
        "SuspiciousActivity",
        "AutomatedInvestigation",
        None,
        None,
        &[],
        0,
        &[User],
        ("", ""),
        "",
        "Other",
        ""
    ),
];

/// People in the tenant: (account name, display name).
pub(crate) const PEOPLE: &[(&str, &str)] = &[
    ("jdoe", "Jane Doe"),
    ("amiller", "Adam Miller"),
    ("kwong", "Karen Wong"),
    ("rpatel", "Ravi Patel"),
    ("lgarcia", "Lucia Garcia"),
    ("tnguyen", "Tuan Nguyen"),
    ("mschmidt", "Marta Schmidt"),
    ("okoh", "Obi Okoh"),
    ("sjohansson", "Sara Johansson"),
    ("dkim", "Daniel Kim"),
    ("fbianchi", "Franco Bianchi"),
    ("hsato", "Hana Sato"),
    ("pmartin", "Pierre Martin"),
    ("eevans", "Emma Evans"),
    ("asilva", "Ana Silva"),
    ("bjones", "Ben Jones"),
];

/// SOC analysts who own incidents and request actions.
pub(crate) const ANALYSTS: &[&str] = &[
    "analyst@fabrikam.com",
    "lead@fabrikam.com",
    "soc-tier2@fabrikam.com",
];

/// Requestors seen on machine actions: analysts, an app by display name, an app by GUID.
pub(crate) const REQUESTORS: &[&str] = &[
    "analyst@fabrikam.com",
    "lead@fabrikam.com",
    "itadmin@fabrikam.com",
    "socops (Fabrikam SecOps)",
    "8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
];

/// Severity names, MDE spelling, by rank.
pub const SEVERITY: [&str; 4] = ["Informational", "Low", "Medium", "High"];
/// MDE alert status names.
pub(crate) const ALERT_STATUS: [&str; 3] = ["New", "InProgress", "Resolved"];
/// Graph incident status names.
pub(crate) const INCIDENT_STATUS: [&str; 4] = ["active", "inProgress", "resolved", "redirected"];
