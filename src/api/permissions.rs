//! Which permission each endpoint needs (research §2.5), so a 403 can name the permission
//! that is probably missing from the app registration: the application permission for an
//! app's token (client secret, certificate), the delegated one for a signed-in user (device
//! code). The two sets differ in name (`Machine.Read.All` vs `Machine.Read`) and, for a few
//! reads, in kind (a package link needs `Machine.CollectForensics` delegated).

/// The application permission an endpoint needs, from its method and its path after
/// `/api/` (MDE) or `/v1.0/` (Graph). A query string is ignored; matching is
/// case-insensitive. `None` when it cannot be known (e.g. cancelling an action needs the
/// permission of the action being cancelled).
pub(crate) fn required_permission(method: &str, path: &str) -> Option<&'static str> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let lower = path.trim_matches('/').to_ascii_lowercase();
    // `/api/v1.0/machines` pins the version; the rest is the same.
    let lower = lower.strip_prefix("v1.0/").unwrap_or(&lower);
    let segs: Vec<&str> = lower.split('/').collect();
    let write = !method.eq_ignore_ascii_case("GET");
    let first = segs.first().copied().unwrap_or("");
    if first == "security" {
        return graph_permission(write, segs.get(1).copied().unwrap_or(""));
    }
    // Collections addressed with OData function syntax: `machines/findbyip(...)`.
    let noun = first.split('(').next().unwrap_or(first);
    let sub = segs.get(2).map(|s| s.split('(').next().unwrap_or(s));
    let second = segs.get(1).map(|s| s.split('(').next().unwrap_or(s));
    match noun {
        "machines" => machine_permission(write, second, sub),
        "machineactions" => match (write, sub) {
            (true, Some("cancel")) => None,
            _ => Some("Machine.Read.All"),
        },
        "alerts" => match sub {
            Some("machine") => Some("Machine.Read.All"),
            Some("user") => Some("User.Read.All"),
            Some("files") => Some("File.Read.All"),
            Some("ips") => Some("Ip.Read.All"),
            Some("domains") => Some("URL.Read.All"),
            _ if write => Some("Alert.ReadWrite.All"),
            _ => Some("Alert.Read.All"),
        },
        "investigations" => Some(if write {
            "Alert.ReadWrite.All"
        } else {
            "Alert.Read.All"
        }),
        "indicators" => Some("Ti.ReadWrite.All"),
        "exposurescore" | "configurationscore" => Some("Score.Read.All"),
        "recommendations" => match sub {
            Some("vulnerabilities") => Some("Vulnerability.Read.All"),
            Some("software") => Some("Software.Read.All"),
            _ => Some("SecurityRecommendation.Read.All"),
        },
        "vulnerabilities" => Some("Vulnerability.Read.All"),
        "remediationtasks" => Some("RemediationTasks.Read.All"),
        "deviceavinfo" => Some("Machine.Read.All"),
        "libraryfiles" => Some("Library.Manage"),
        "advancedqueries" => Some("AdvancedQuery.Read.All"),
        "software" => Some("Software.Read.All"),
        "incidents" => Some(if write {
            "Incident.ReadWrite.All"
        } else {
            "Incident.Read.All"
        }),
        _ => None,
    }
}

/// The permission to name for a 403 on `method path`: the delegated one when a user signed
/// in, the application one otherwise.
pub(crate) fn required_permission_for(
    method: &str,
    path: &str,
    delegated: bool,
) -> Option<&'static str> {
    if !delegated {
        return required_permission(method, path);
    }
    let lower = path
        .split(['?', '#'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    // Reads whose delegated permission is not the application one renamed (research §2.5).
    if lower.contains("getpackageuri") {
        return Some("Machine.CollectForensics");
    }
    if lower.contains("getliveresponseresultdownloadlink") {
        return Some("Machine.LiveResponse");
    }
    required_permission(method, path).map(delegated_name)
}

/// The delegated permission matching an application permission (WindowsDefenderATP's
/// delegated names drop `.All`; `RemediationTasks.Read.All` becomes `RemediationTask.Read`;
/// action permissions and Graph's names are the same in both sets).
pub(crate) fn delegated_name(app: &'static str) -> &'static str {
    match app {
        "Machine.Read.All" => "Machine.Read",
        "Machine.ReadWrite.All" => "Machine.ReadWrite",
        "Alert.Read.All" => "Alert.Read",
        "Alert.ReadWrite.All" => "Alert.ReadWrite",
        "Ti.ReadWrite.All" => "Ti.ReadWrite",
        "Score.Read.All" => "Score.Read",
        "SecurityRecommendation.Read.All" => "SecurityRecommendation.Read",
        "Vulnerability.Read.All" => "Vulnerability.Read",
        "RemediationTasks.Read.All" => "RemediationTask.Read",
        "Software.Read.All" => "Software.Read",
        "SecurityConfiguration.Read.All" => "SecurityConfiguration.Read",
        "AdvancedQuery.Read.All" => "AdvancedQuery.Read",
        "Incident.Read.All" => "Incident.Read",
        "Incident.ReadWrite.All" => "Incident.ReadWrite",
        other => other,
    }
}

fn machine_permission(
    write: bool,
    second: Option<&str>,
    sub: Option<&str>,
) -> Option<&'static str> {
    // Collection-level exports and lookups: `machines/SoftwareVulnerabilitiesByMachine` …
    match second {
        Some("softwarevulnerabilitiesbymachine")
        | Some("softwarevulnerabilitiesexport")
        | Some("infogatheringexport") => return Some("Vulnerability.Read.All"),
        Some("secureconfigurationsassessmentbymachine")
        | Some("secureconfigurationsassessmentexport") => {
            return Some("SecurityConfiguration.Read.All");
        }
        Some("softwareinventorybymachine") | Some("softwareinventoryexport") => {
            return Some("Software.Read.All");
        }
        _ => {}
    }
    let perm = match sub {
        Some("runantivirusscan") => "Machine.Scan",
        Some("isolate") | Some("unisolate") => "Machine.Isolate",
        Some("restrictcodeexecution") | Some("unrestrictcodeexecution") => {
            "Machine.RestrictExecution"
        }
        Some("collectinvestigationpackage") => "Machine.CollectForensics",
        Some("stopandquarantinefile") => "Machine.StopAndQuarantine",
        Some("offboard") => "Machine.Offboard",
        Some("runliveresponse") => "Machine.LiveResponse",
        Some("startinvestigation") => "Alert.ReadWrite.All",
        Some("alerts") => "Alert.Read.All",
        Some("logonusers") => "User.Read.All",
        Some("vulnerabilities") => "Vulnerability.Read.All",
        Some("recommendations") => "SecurityRecommendation.Read.All",
        Some("software") => "Software.Read.All",
        Some("tags") => "Machine.ReadWrite.All",
        _ if write => "Machine.ReadWrite.All",
        _ => "Machine.Read.All",
    };
    Some(perm)
}

fn graph_permission(write: bool, noun: &str) -> Option<&'static str> {
    let noun = noun.split('(').next().unwrap_or(noun);
    let perm = match (noun, write) {
        ("incidents", false) => "SecurityIncident.Read.All",
        // Triage writes (update-incident / update-alert pages): delegated callers also
        // need one of these Entra roles, which a 403 cannot tell apart from the permission.
        ("incidents", true) => {
            "SecurityIncident.ReadWrite.All; a signed-in user also needs the Security Operator or Security Administrator role"
        }
        ("alerts_v2", false) => "SecurityAlert.Read.All",
        ("alerts_v2", true) => {
            "SecurityAlert.ReadWrite.All; a signed-in user also needs the Security Operator or Security Administrator role"
        }
        ("securescores", _) => "SecurityEvents.Read.All",
        ("securescorecontrolprofiles", false) => "SecurityEvents.Read.All",
        ("securescorecontrolprofiles", true) => "SecurityEvents.ReadWrite.All",
        ("runhuntingquery", _) => "ThreatHunting.Read.All",
        ("threatintelligence", _) => "ThreatIntelligence.Read.All",
        _ => return None,
    };
    Some(perm)
}

#[cfg(test)]
mod tests {
    use super::required_permission as p;

    #[test]
    fn maps_endpoints_to_application_permissions() {
        assert_eq!(p("GET", "machines?$top=1"), Some("Machine.Read.All"));
        assert_eq!(p("POST", "machines/abc/isolate"), Some("Machine.Isolate"));
        assert_eq!(
            p("POST", "machines/abc/runAntiVirusScan"),
            Some("Machine.Scan")
        );
        assert_eq!(
            p("POST", "machines/abc/StopAndQuarantineFile"),
            Some("Machine.StopAndQuarantine")
        );
        assert_eq!(p("POST", "machineactions/x/cancel"), None);
        assert_eq!(
            p(
                "GET",
                "machineactions/x/GetLiveResponseResultDownloadLink(index=0)"
            ),
            Some("Machine.Read.All")
        );
        assert_eq!(p("GET", "v1.0/alerts"), Some("Alert.Read.All"));
        assert_eq!(p("DELETE", "indicators/7"), Some("Ti.ReadWrite.All"));
        assert_eq!(
            p("GET", "remediationTasks"),
            Some("RemediationTasks.Read.All")
        );
        assert_eq!(
            p("GET", "security/incidents"),
            Some("SecurityIncident.Read.All")
        );
        assert!(
            p("PATCH", "security/alerts_v2/1")
                .is_some_and(|s| s.starts_with("SecurityAlert.ReadWrite.All;")
                    && s.contains("Security Operator"))
        );
        assert!(
            p("POST", "security/incidents/7/comments")
                .is_some_and(|s| s.starts_with("SecurityIncident.ReadWrite.All;"))
        );
        assert_eq!(
            p("GET", "security/secureScores?$top=1"),
            Some("SecurityEvents.Read.All")
        );
        assert_eq!(p("GET", "nothing/here"), None);
    }

    #[test]
    fn a_signed_in_user_is_told_the_delegated_permission() {
        use super::required_permission_for as f;
        assert_eq!(f("GET", "machines", true), Some("Machine.Read"));
        assert_eq!(f("GET", "machines", false), Some("Machine.Read.All"));
        assert_eq!(
            f("GET", "remediationTasks", true),
            Some("RemediationTask.Read")
        );
        assert_eq!(f("POST", "indicators", true), Some("Ti.ReadWrite"));
        assert_eq!(
            f("POST", "machines/a/isolate", true),
            Some("Machine.Isolate")
        );
        assert_eq!(
            f("GET", "machineactions/x/getPackageUri", true),
            Some("Machine.CollectForensics")
        );
        assert_eq!(
            f("GET", "security/incidents", true),
            Some("SecurityIncident.Read.All")
        );
    }
}
