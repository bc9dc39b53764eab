//! Clouds and endpoints: where tokens come from, where the MDE and Graph APIs live, and which
//! token audience each API family needs.

use std::str::FromStr;

/// A Microsoft cloud. Explicit URLs (`--authority-url`, `--mde-url`, `--graph-url`) override
/// the hosts; the token scopes stay those of the chosen cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    #[default]
    Global,
    Gcc,
    GccHigh,
    Dod,
}

impl FromStr for Cloud {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace(['-', '_', ' '], "").as_str() {
            "global" | "public" | "commercial" => Ok(Cloud::Global),
            "gcc" => Ok(Cloud::Gcc),
            "gcchigh" => Ok(Cloud::GccHigh),
            "dod" => Ok(Cloud::Dod),
            _ => Err(format!(
                "unknown cloud '{s}': use global, gcc, gcc-high or dod"
            )),
        }
    }
}

impl Cloud {
    pub fn authority(self) -> &'static str {
        match self {
            Cloud::Global | Cloud::Gcc => "https://login.microsoftonline.com",
            Cloud::GccHigh | Cloud::Dod => "https://login.microsoftonline.us",
        }
    }

    pub fn mde_url(self) -> &'static str {
        match self {
            Cloud::Global => "https://api.securitycenter.microsoft.com",
            Cloud::Gcc => "https://api-gcc.securitycenter.microsoft.us",
            Cloud::GccHigh | Cloud::Dod => "https://api-gov.securitycenter.microsoft.us",
        }
    }

    pub fn graph_url(self) -> &'static str {
        match self {
            Cloud::Global | Cloud::Gcc => "https://graph.microsoft.com",
            Cloud::GccHigh => "https://graph.microsoft.us",
            Cloud::Dod => "https://dod-graph.microsoft.us",
        }
    }

    /// The MDE token scope. Global uses the legacy securitycenter resource, which every MDE
    /// endpoint accepts; gov clouds use the gov API host as the resource.
    pub(crate) fn mde_scope(self) -> String {
        format!("{}/.default", self.mde_url())
    }

    pub(crate) fn graph_scope(self) -> String {
        format!("{}/.default", self.graph_url())
    }

    /// The security portal host, for deep links.
    pub fn portal(self) -> &'static str {
        match self {
            Cloud::Global | Cloud::Gcc => "https://security.microsoft.com",
            Cloud::GccHigh => "https://security.microsoft.us",
            Cloud::Dod => "https://security.apps.mil",
        }
    }
}

/// The API family of a call: decides the base URL and which token is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Mde,
    Graph,
}

/// Resolved endpoints of one session. Built once; every URL of the session derives from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub cloud: Cloud,
    /// e.g. `https://login.microsoftonline.com` (no trailing slash, no tenant).
    pub authority: String,
    /// e.g. `https://api.securitycenter.microsoft.com` (paths are `{mde}/api/...`).
    pub mde: String,
    /// e.g. `https://graph.microsoft.com` (paths are `{graph}/v1.0/...`).
    pub graph: String,
    pub tenant_id: String,
}

impl Endpoints {
    pub fn for_cloud(cloud: Cloud, tenant_id: impl Into<String>) -> Self {
        Endpoints {
            cloud,
            authority: cloud.authority().to_string(),
            mde: cloud.mde_url().to_string(),
            graph: cloud.graph_url().to_string(),
            tenant_id: tenant_id.into(),
        }
    }

    /// Override hosts; `None` keeps the cloud's default. Trailing slashes are dropped.
    pub fn with_overrides(
        mut self,
        authority: Option<&str>,
        mde: Option<&str>,
        graph: Option<&str>,
    ) -> Self {
        if let Some(a) = authority {
            self.authority = a.trim_end_matches('/').to_string();
        }
        if let Some(m) = mde {
            self.mde = m.trim_end_matches('/').to_string();
        }
        if let Some(g) = graph {
            self.graph = g.trim_end_matches('/').to_string();
        }
        self
    }

    /// Absolute URL of an API path. `path` starts after the family prefix, e.g.
    /// `machines?$top=10` for MDE or `security/incidents` for Graph.
    pub fn url(&self, resource: Resource, path: &str) -> String {
        let path = path.trim_start_matches('/');
        match resource {
            Resource::Mde => format!("{}/api/{}", self.mde, path),
            Resource::Graph => format!("{}/v1.0/{}", self.graph, path),
        }
    }

    pub(crate) fn token_url(&self) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.authority, self.tenant_id)
    }

    pub(crate) fn device_code_url(&self) -> String {
        format!(
            "{}/{}/oauth2/v2.0/devicecode",
            self.authority, self.tenant_id
        )
    }

    pub fn scope(&self, resource: Resource) -> String {
        match resource {
            Resource::Mde => self.cloud.mde_scope(),
            Resource::Graph => self.cloud.graph_scope(),
        }
    }

    pub fn portal(&self) -> &'static str {
        self.cloud.portal()
    }

    /// Check every URL and the tenant id before anything is sent: a secret or a token must
    /// never go over plain http to another machine, and a tenant id becomes a path segment
    /// of the token URL (`../../x?y#` must never become a request path).
    pub fn validate(&self) -> Result<(), String> {
        for (what, u) in [
            ("authority URL", &self.authority),
            ("Defender API URL", &self.mde),
            ("Graph URL", &self.graph),
        ] {
            check_base_url(u).map_err(|e| format!("{what} '{u}': {e}"))?;
        }
        check_tenant_id(&self.tenant_id)
    }
}

/// A base URL socops may send credentials to: `https://host[:port][/path]`, or `http://` on a
/// loopback address (the simulator, tests). No user info, query or fragment.
pub(crate) fn check_base_url(u: &str) -> Result<(), String> {
    let p = url::Url::parse(u).map_err(|e| format!("not a URL ({e})"))?;
    if !p.username().is_empty() || p.password().is_some() {
        return Err(String::from("user info in a URL is not allowed"));
    }
    if p.query().is_some() || p.fragment().is_some() {
        return Err(String::from(
            "a base URL cannot carry a query or a fragment",
        ));
    }
    check_request_url(&p)
}

/// The transport's rule for any URL a request goes to: https with a host, or http to a
/// loopback address only.
pub(crate) fn check_request_url(p: &url::Url) -> Result<(), String> {
    if p.host().is_none() {
        return Err(String::from("no host"));
    }
    match p.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(p) => Ok(()),
        "http" => Err(String::from(
            "http:// is only allowed for loopback addresses (127.0.0.1, ::1, localhost); use https://",
        )),
        other => Err(format!("unsupported scheme '{other}'")),
    }
}

fn is_loopback(p: &url::Url) -> bool {
    match p.host() {
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// A tenant id is a GUID, a DNS domain (`contoso.onmicrosoft.com`) or one of Entra's
/// multi-tenant names (`organizations`, `common`).
pub(crate) fn check_tenant_id(t: &str) -> Result<(), String> {
    let bad = || {
        Err(format!(
            "tenant id '{}' is neither a GUID nor a domain name",
            t.escape_default()
        ))
    };
    if uuid::Uuid::try_parse(t).is_ok() && t.len() == 36 {
        return Ok(());
    }
    if matches!(t, "organizations" | "common") {
        return Ok(());
    }
    let labels: Vec<&str> = t.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if t.len() <= 253 && labels.len() >= 2 && labels.iter().all(label_ok) {
        Ok(())
    } else {
        bad()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_keep_cloud_scopes() {
        let e = Endpoints::for_cloud(Cloud::GccHigh, "t1").with_overrides(
            Some("http://127.0.0.1:9/"),
            Some("http://127.0.0.1:9"),
            None,
        );
        assert_eq!(e.token_url(), "http://127.0.0.1:9/t1/oauth2/v2.0/token");
        assert_eq!(
            e.url(Resource::Mde, "/machines"),
            "http://127.0.0.1:9/api/machines"
        );
        assert_eq!(
            e.url(Resource::Graph, "security/incidents"),
            "https://graph.microsoft.us/v1.0/security/incidents"
        );
        assert_eq!(
            e.scope(Resource::Mde),
            "https://api-gov.securitycenter.microsoft.us/.default"
        );
    }

    #[test]
    fn urls_are_https_or_loopback_http() {
        assert!(check_base_url("https://api.securitycenter.microsoft.com").is_ok());
        assert!(check_base_url("https://proxy.contoso.com:8443/mde").is_ok());
        assert!(check_base_url("http://127.0.0.1:9").is_ok());
        assert!(check_base_url("http://[::1]:9").is_ok());
        assert!(check_base_url("http://localhost:9").is_ok());
        for bad in [
            "http://api.securitycenter.microsoft.com",
            "http://10.0.0.1",
            "http://127.0.0.1.evil.com",
            "ftp://127.0.0.1",
            "https://user:pw@api.securitycenter.microsoft.com",
            "https://api.securitycenter.microsoft.com?x=1",
            "not a url",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tenant_ids_are_guids_or_domains() {
        for good in [
            "8f5a3c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b",
            "contoso.onmicrosoft.com",
            "fabrikam.com",
            "organizations",
        ] {
            assert!(check_tenant_id(good).is_ok(), "{good}");
        }
        for bad in [
            "../../x?y#",
            "",
            "t",
            "contoso.com/../x",
            "-bad.com",
            "a b.com",
            "8f5a3c2e1b4d4e6f9a7b0c1d2e3f4a5b",
        ] {
            assert!(check_tenant_id(bad).is_err(), "{bad}");
        }
        let e = Endpoints::for_cloud(Cloud::Global, "../../x?y#");
        assert!(e.validate().is_err());
    }

    #[test]
    fn parses_cloud_names() {
        assert_eq!("gcc-high".parse::<Cloud>(), Ok(Cloud::GccHigh));
        assert_eq!("DoD".parse::<Cloud>(), Ok(Cloud::Dod));
        assert!("mars".parse::<Cloud>().is_err());
    }
}
