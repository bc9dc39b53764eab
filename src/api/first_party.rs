//! Names of well-known Microsoft first-party application ids, for a machine action whose
//! `requestor` is an app id rather than a person. Ids from Microsoft's own pages (the
//! "Verify first-party Microsoft applications in sign-in reports" list and the Defender API
//! permission pages, where WindowsDefenderATP and Microsoft Threat Protection are named).
//!
//! [`requestor_text`] and [`requestor_cell`] are the one rule for naming who asked for a
//! machine action: the console's action and device pages, its action tables and the CLI's
//! `action ID show` and `actions list` all call them.

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

/// The app id a client signs in as, from its operator label (`app {client id}` for an
/// application's token); `None` for a signed-in person or the demo.
pub(crate) fn own_app_of(operator: &str) -> Option<String> {
    operator
        .strip_prefix("app ")
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

/// Whether `requestor` is this profile's own app.
fn is_own(own_app: Option<&str>, requestor: &str) -> bool {
    own_app.is_some_and(|own| own.trim().eq_ignore_ascii_case(requestor))
}

/// Who asked, as a person reads it: a UPN or a display name as sent; an app id named when it
/// is this profile's own app (`own_app`) or a well-known Microsoft one, and said to be an app
/// when not; `—` when the record names nobody. The text is the tenant's: callers pass it
/// through `crate::text` before it reaches a terminal or a file.
pub(crate) fn requestor_text(own_app: Option<&str>, requestor: Option<&str>) -> String {
    let Some(r) = requestor.map(str::trim).filter(|r| !r.is_empty()) else {
        return "—".into();
    };
    if is_own(own_app, r) {
        return format!("socops, this profile's app ({r})");
    }
    if let Some(name) = app_name(r) {
        return format!("{name} (Microsoft app {r})");
    }
    if is_app_id(r) {
        return format!("app {r} (not a known app)");
    }
    r.to_string()
}

/// The short form for a table cell: the app's name alone when it is known, else the value as
/// sent (`—` when empty).
pub(crate) fn requestor_cell(own_app: Option<&str>, requestor: Option<&str>) -> String {
    let r = requestor.map(str::trim).unwrap_or("");
    if r.is_empty() {
        return "—".into();
    }
    if is_own(own_app, r) {
        return "socops (this profile)".into();
    }
    app_name(r).map_or_else(|| r.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "5e1d0c0a-50c0-4f5a-9d3e-000000000001";

    #[test]
    fn requestors_are_named_the_same_everywhere() {
        let own = Some(OWN);
        assert_eq!(
            requestor_text(own, Some(&OWN.to_uppercase())),
            format!("socops, this profile's app ({})", OWN.to_uppercase())
        );
        assert_eq!(
            requestor_text(own, Some("fc780465-2017-40d4-a0c5-307022471b92")),
            "WindowsDefenderATP (Microsoft app fc780465-2017-40d4-a0c5-307022471b92)"
        );
        assert_eq!(
            requestor_text(own, Some("8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")),
            "app 8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b (not a known app)"
        );
        assert_eq!(
            requestor_text(own, Some(" ana@fabrikam.com ")),
            "ana@fabrikam.com"
        );
        assert_eq!(requestor_text(own, None), "—");
        assert_eq!(requestor_cell(own, Some(OWN)), "socops (this profile)");
        assert_eq!(
            requestor_cell(None, Some("fc780465-2017-40d4-a0c5-307022471b92")),
            "WindowsDefenderATP"
        );
        assert_eq!(
            requestor_cell(None, Some(OWN)),
            OWN,
            "not ours without a profile app"
        );
        assert_eq!(requestor_cell(None, Some("  ")), "—");
    }

    #[test]
    fn the_own_app_comes_from_an_application_operator_only() {
        assert_eq!(own_app_of(&format!("app {OWN}")).as_deref(), Some(OWN));
        assert_eq!(own_app_of("ana@fabrikam.com"), None);
        assert_eq!(own_app_of("app "), None);
    }

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
