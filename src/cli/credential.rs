//! Choosing the credential of a session: the Azure SDK environment variables first
//! (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET` or
//! `AZURE_CLIENT_CERTIFICATE_PATH`), else the profile's settings. It lives with the CLI's
//! session, not in `api`: the api layer knows no profiles and no files.

use std::path::Path;
use std::sync::Arc;

use crate::api::auth::{
    ClientCertificateCredential, ClientSecretCredential, DelegatedCredential, Secret, TokenSource,
};
use crate::api::cloud::{Cloud, Endpoints};
use crate::api::error::ApiError;
use crate::store::{AuthMethod, Profile, ProfileTokenStore, TokenCache};

/// Which kind of credential was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    Secret,
    Certificate,
    DeviceCode,
}

/// The chosen credential and the endpoints it signs in to.
#[derive(Clone)]
pub struct Credential {
    pub source: Arc<dyn TokenSource>,
    pub endpoints: Endpoints,
    pub kind: CredentialKind,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("operator", &self.source.operator())
            .field("endpoints", &self.endpoints)
            .field("kind", &self.kind)
            .finish()
    }
}

/// Choose the credential from the process environment and `profile` (name, settings).
pub(crate) fn from_env_or_profile(
    profile: Option<(&str, &Profile)>,
    tokens: &TokenCache,
) -> Result<Credential, ApiError> {
    from_lookup(
        &|k| std::env::var(k).ok().filter(|v| !v.is_empty()),
        profile,
        tokens,
    )
}

/// [`from_env_or_profile`] with the environment given as a lookup (tests).
pub fn from_lookup(
    env: &dyn Fn(&str) -> Option<String>,
    profile: Option<(&str, &Profile)>,
    tokens: &TokenCache,
) -> Result<Credential, ApiError> {
    if let (Some(tenant), Some(client_id)) = (env("AZURE_TENANT_ID"), env("AZURE_CLIENT_ID")) {
        // Left-over Azure SDK variables on a jump box must never silently act on another
        // tenant than the profile the prompt, the audit log and the approval policy name.
        if let Some((name, p)) = profile {
            refuse_disagreeing_env(name, p, &tenant, &client_id)?;
        }
        // The profile (when given) still decides the cloud and URLs.
        let mut endpoints = match profile {
            Some((_, p)) => p.endpoints(),
            None => Endpoints::for_cloud(Cloud::Global, tenant.clone()),
        };
        endpoints.tenant_id = tenant;
        // An authority the profile names explicitly (the CLI puts --authority-url there)
        // wins over the Azure SDK's AZURE_AUTHORITY_HOST.
        let explicit = profile.is_some_and(|(_, p)| p.authority_url.is_some());
        if let Some(host) = env("AZURE_AUTHORITY_HOST").filter(|_| !explicit) {
            endpoints = endpoints.with_overrides(Some(&host), None, None);
        }
        if let Some(secret) = env("AZURE_CLIENT_SECRET") {
            return Ok(secret_credential(endpoints, client_id, Secret::new(secret)));
        }
        if let Some(path) = env("AZURE_CLIENT_CERTIFICATE_PATH") {
            return cert_credential(endpoints, client_id, Path::new(&path));
        }
        if profile.is_none() {
            return Err(ApiError::Auth(String::from(
                "AZURE_TENANT_ID and AZURE_CLIENT_ID are set but neither AZURE_CLIENT_SECRET nor \
                 AZURE_CLIENT_CERTIFICATE_PATH is",
            )));
        }
    }
    let Some((name, p)) = profile else {
        return Err(ApiError::Auth(String::from(
            "no credentials: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or \
             AZURE_CLIENT_CERTIFICATE_PATH), or configure a profile with `socops config init`",
        )));
    };
    let endpoints = p.endpoints();
    match p.auth_method() {
        AuthMethod::Secret => {
            let var = p.client_secret_env.as_deref().ok_or_else(|| {
                ApiError::Auth(format!(
                    "profile '{name}': auth = \"secret\" needs client_secret_env = \"VAR\" naming \
                     the environment variable that holds the secret"
                ))
            })?;
            let secret = env(var).ok_or_else(|| {
                ApiError::Auth(format!(
                    "profile '{name}': environment variable {var} (the client secret) is not set"
                ))
            })?;
            Ok(secret_credential(
                endpoints,
                p.client_id.clone(),
                Secret::new(secret),
            ))
        }
        AuthMethod::Certificate => {
            let path = p.certificate_path.as_deref().ok_or_else(|| {
                ApiError::Auth(format!(
                    "profile '{name}': auth = \"certificate\" needs certificate_path"
                ))
            })?;
            cert_credential(endpoints, p.client_id.clone(), Path::new(path))
        }
        AuthMethod::DeviceCode => {
            let not_signed_in = || {
                ApiError::Auth(format!(
                    "not signed in: run `socops login --profile {name}`"
                ))
            };
            let cached = tokens
                .load(name)
                .map_err(|e| ApiError::Auth(e.to_string()))?
                .filter(|c| c.tenant_id == p.tenant_id && c.client_id == p.client_id)
                .ok_or_else(not_signed_in)?;
            let store = ProfileTokenStore {
                cache: tokens.clone(),
                profile: name.to_string(),
                tenant_id: p.tenant_id.clone(),
                client_id: p.client_id.clone(),
            };
            Ok(Credential {
                source: Arc::new(DelegatedCredential::new(
                    endpoints.clone(),
                    p.client_id.clone(),
                    Arc::new(store),
                    cached.username,
                )),
                endpoints,
                kind: CredentialKind::DeviceCode,
            })
        }
    }
}

/// A profile that names its tenant or app is not overridden by different values in
/// `AZURE_TENANT_ID` / `AZURE_CLIENT_ID`: the session would act on another tenant than the one
/// it shows.
fn refuse_disagreeing_env(
    name: &str,
    p: &Profile,
    tenant: &str,
    client_id: &str,
) -> Result<(), ApiError> {
    let differs = |set: &str, env: &str| !set.is_empty() && !set.eq_ignore_ascii_case(env);
    if differs(&p.tenant_id, tenant) || differs(&p.client_id, client_id) {
        return Err(ApiError::Auth(format!(
            "AZURE_TENANT_ID/AZURE_CLIENT_ID in the environment (tenant {}, app {}) disagree \
             with profile {} (tenant {}, app {}): unset them, or choose the profile they belong to",
            crate::text::line(tenant),
            crate::text::line(client_id),
            crate::text::line(name),
            crate::text::line(&p.tenant_id),
            crate::text::line(&p.client_id),
        )));
    }
    Ok(())
}

fn secret_credential(endpoints: Endpoints, client_id: String, secret: Secret) -> Credential {
    Credential {
        source: Arc::new(ClientSecretCredential::new(
            endpoints.clone(),
            client_id,
            secret,
        )),
        endpoints,
        kind: CredentialKind::Secret,
    }
}

fn cert_credential(
    endpoints: Endpoints,
    client_id: String,
    path: &Path,
) -> Result<Credential, ApiError> {
    let cred = certificate_from_pem_file(endpoints.clone(), client_id, path)?;
    Ok(Credential {
        source: Arc::new(cred),
        endpoints,
        kind: CredentialKind::Certificate,
    })
}

/// Read a PEM file holding the certificate and its PKCS#8 private key. The file holds a
/// private key, so it is refused when group or others can read it.
pub fn certificate_from_pem_file(
    endpoints: Endpoints,
    client_id: impl Into<String>,
    path: &Path,
) -> Result<ClientCertificateCredential, ApiError> {
    let pem = crate::store::secure_file::read_private(path)
        .map_err(|e| ApiError::Auth(format!("certificate: {e}")))?;
    ClientCertificateCredential::from_pem(endpoints, client_id, &pem)
        .map_err(|e| ApiError::Auth(format!("{} ({})", e, path.display())))
}
