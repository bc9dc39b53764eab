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
    pub fn mde_scope(self) -> String {
        format!("{}/.default", self.mde_url())
    }

    pub fn graph_scope(self) -> String {
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

    pub fn token_url(&self) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.authority, self.tenant_id)
    }

    pub fn device_code_url(&self) -> String {
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
    fn parses_cloud_names() {
        assert_eq!("gcc-high".parse::<Cloud>(), Ok(Cloud::GccHigh));
        assert_eq!("DoD".parse::<Cloud>(), Ok(Cloud::Dod));
        assert!("mars".parse::<Cloud>().is_err());
    }
}
