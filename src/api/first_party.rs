//! Names of well-known Microsoft first-party application ids, for a machine action whose
//! `requestor` is an app id rather than a person. Ids from Microsoft's own pages (the
//! "Verify first-party Microsoft applications in sign-in reports" list and the Defender API
//! permission pages, where WindowsDefenderATP and Microsoft Threat Protection are named).

/// The app's name for a first-party id (case-insensitive), `None` when it is not one we know.
pub(crate) fn app_name(id: &str) -> Option<&'static str> {
    const APPS: &[(&str, &str)] = &[
        ("fc780465-2017-40d4-a0c5-307022471b92", "WindowsDefenderATP"),
        (
            "8ee8fdad-f234-4243-8f3b-15c294843740",
            "Microsoft Threat Protection",
        ),
        ("00000003-0000-0000-c000-000000000000", "Microsoft Graph"),
        ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal"),
        (
            "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
            "Microsoft Azure CLI",
        ),
        (
            "1950a258-227b-4e31-a9cf-717495945fc2",
            "Microsoft Azure PowerShell",
        ),
        (
            "14d82eec-204b-4c2f-b7e8-296a70dab67e",
            "Microsoft Graph Command Line Tools",
        ),
        ("0000000a-0000-0000-c000-000000000000", "Microsoft Intune"),
    ];
    let id = id.trim();
    APPS.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(id))
        .map(|(_, name)| *name)
}

/// Whether `s` has the shape of an app id (a GUID).
pub(crate) fn is_app_id(s: &str) -> bool {
    let s = s.trim();
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_party_ids_have_names_and_others_do_not() {
        assert_eq!(
            app_name("FC780465-2017-40D4-A0C5-307022471B92"),
            Some("WindowsDefenderATP")
        );
        assert_eq!(app_name("8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"), None);
        assert!(is_app_id("8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"));
        assert!(!is_app_id("ana@fabrikam.com"));
    }
}
