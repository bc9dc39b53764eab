//! Which links the console may hand to the desktop's opener (`xdg-open`, `open`). Portal
//! links partly come from the tenant (an incident's `incidentWebUrl`, a Secure Score control's
//! `actionUrl`), so they are checked before a program that understands `file:`, `smb:` or
//! custom schemes is asked to open them: https, no credentials, and a Microsoft portal host of
//! one of the clouds socops knows (commercial, GCC/GCC High `.microsoft.us`, DoD `.apps.mil`).

/// True when `link` may be opened: https to a Microsoft portal or documentation host.
pub(crate) fn may_open(link: &str) -> bool {
    let Ok(url) = url::Url::parse(link) else {
        return false;
    };
    if url.scheme() != "https" || !url.username().is_empty() || url.password().is_some() {
        return false;
    }
    let Some(url::Host::Domain(host)) = url.host() else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    ["microsoft.com", "microsoft.us", "apps.mil"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

#[cfg(test)]
mod tests {
    use super::may_open;

    #[test]
    fn only_https_microsoft_portal_links_open() {
        assert!(may_open(
            "https://security.microsoft.com/incidents/42?tid=t"
        ));
        assert!(may_open(
            "https://learn.microsoft.com/en-us/defender-business/"
        ));
        assert!(may_open("https://security.microsoft.us/"));
        assert!(may_open("https://security.apps.mil/"));
        assert!(!may_open("http://security.microsoft.com/"));
        assert!(!may_open("file:///etc/passwd"));
        assert!(!may_open("smb://attacker.example/share"));
        assert!(!may_open(
            "https://security.microsoft.com.attacker.example/"
        ));
        assert!(!may_open("https://evilmicrosoft.com/"));
        assert!(!may_open("https://user:pw@security.microsoft.com/"));
        assert!(!may_open("https://127.0.0.1/"));
        assert!(!may_open("--help"));
    }
}
