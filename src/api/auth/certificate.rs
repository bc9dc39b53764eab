//! App-only sign-in with a certificate: a client-assertion JWT (PS256, `x5t#S256` header)
//! signed with ring from the PKCS#8 key in the PEM that `AZURE_CLIENT_CERTIFICATE_PATH` (or the
//! profile's `certificate_path`) names, sent as `client_assertion` through oauth2's extra params.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use ring::signature::RsaKeyPair;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivatePkcs8KeyDer};

use super::cache::{AccessCache, EntraCredential};
use super::entra::{self, Fetched};
use crate::api::cloud::{Endpoints, Resource};
use crate::api::error::ApiError;

/// The `client_assertion_type` of a JWT bearer assertion.
pub(crate) const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Lifetime of one assertion, in seconds.
const ASSERTION_LIFETIME: i64 = 5 * 60;

/// Client credentials with a certificate. `Debug` shows the thumbprint, never the key.
pub struct ClientCertificateCredential {
    pub endpoints: Endpoints,
    pub client_id: String,
    cert_der: Vec<u8>,
    key: RsaKeyPair,
    cache: AccessCache,
}

impl std::fmt::Debug for ClientCertificateCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCertificateCredential")
            .field("endpoints", &self.endpoints)
            .field("client_id", &self.client_id)
            .field("x5t#S256", &self.thumbprint())
            .finish_non_exhaustive()
    }
}

impl ClientCertificateCredential {
    /// Parse PEM bytes holding the certificate and its PKCS#8 private key.
    pub(crate) fn from_pem(
        endpoints: Endpoints,
        client_id: impl Into<String>,
        pem: &[u8],
    ) -> Result<Self, ApiError> {
        // pki-types errors name the PEM problem, never the content.
        let cert = CertificateDer::from_pem_slice(pem).map_err(|_| {
            ApiError::Auth(String::from(
                "no certificate (BEGIN CERTIFICATE) in the PEM",
            ))
        })?;
        let key = PrivatePkcs8KeyDer::from_pem_slice(pem).map_err(|_| {
            ApiError::Auth(String::from(
                "no PKCS#8 private key (BEGIN PRIVATE KEY) in the PEM; convert a PFX with \
                 `openssl pkcs12 -in cert.pfx -nodes` or an RSA key with `openssl pkey`",
            ))
        })?;
        let key = RsaKeyPair::from_pkcs8(key.secret_pkcs8_der()).map_err(|e| {
            ApiError::Auth(format!("the private key is not a usable RSA key ({e})"))
        })?;
        Ok(ClientCertificateCredential {
            endpoints,
            client_id: client_id.into(),
            cert_der: cert.as_ref().to_vec(),
            key,
            cache: AccessCache::default(),
        })
    }

    /// base64url SHA-256 of the certificate DER (the `x5t#S256` header).
    pub(crate) fn thumbprint(&self) -> String {
        B64URL.encode(ring::digest::digest(&ring::digest::SHA256, &self.cert_der))
    }

    /// A signed client assertion valid from `now` (unix seconds) for 5 minutes.
    pub fn assertion(&self, now: i64, jti: &str) -> Result<String, ApiError> {
        let header = serde_json::json!({
            "alg": "PS256",
            "typ": "JWT",
            "x5t#S256": self.thumbprint(),
        });
        let claims = serde_json::json!({
            "aud": self.endpoints.token_url(),
            "iss": self.client_id,
            "sub": self.client_id,
            "jti": jti,
            "nbf": now,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME,
        });
        let input = format!(
            "{}.{}",
            B64URL.encode(header.to_string()),
            B64URL.encode(claims.to_string())
        );
        let mut sig = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &ring::signature::RSA_PSS_SHA256,
                &ring::rand::SystemRandom::new(),
                input.as_bytes(),
                &mut sig,
            )
            .map_err(|_| ApiError::Auth(String::from("cannot sign the client assertion")))?;
        Ok(format!("{input}.{}", B64URL.encode(sig)))
    }

    async fn fetch(&self, resource: Resource) -> Result<Fetched, ApiError> {
        let jwt = self.assertion(
            chrono::Utc::now().timestamp(),
            &uuid::Uuid::new_v4().to_string(),
        )?;
        let assertion = vec![
            ("client_assertion_type", ASSERTION_TYPE.to_string()),
            ("client_assertion", jwt),
        ];
        entra::client_credentials(&self.endpoints, &self.client_id, resource, None, assertion).await
    }
}

impl EntraCredential for ClientCertificateCredential {
    fn access_cache(&self) -> &AccessCache {
        &self.cache
    }

    fn fetch(&self, resource: Resource) -> impl Future<Output = Result<Fetched, ApiError>> + Send {
        ClientCertificateCredential::fetch(self, resource)
    }

    fn acting_as(&self) -> String {
        format!("app {}", self.client_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::cloud::Cloud;

    const PEM: &[u8] = include_bytes!("../../../fixtures/auth/test-client-cert.pem");
    const CERT_DER: &[u8] = include_bytes!("../../../fixtures/auth/test-cert.der");
    const PUBKEY: &[u8] = include_bytes!("../../../fixtures/auth/test-cert-pubkey-pkcs1.der");

    fn part(jwt: &str, i: usize) -> serde_json::Value {
        let seg = jwt.split('.').nth(i).unwrap();
        serde_json::from_slice(&B64URL.decode(seg).unwrap()).unwrap()
    }

    #[test]
    fn assertion_header_claims_and_signature() {
        let ep = Endpoints::for_cloud(Cloud::Global, "tenant-1");
        let cred = ClientCertificateCredential::from_pem(ep.clone(), "app-1", PEM).unwrap();
        let jwt = cred.assertion(1_700_000_000, "jti-1").unwrap();
        let h = part(&jwt, 0);
        assert_eq!(h["alg"], "PS256");
        assert_eq!(h["typ"], "JWT");
        let expected = B64URL.encode(ring::digest::digest(&ring::digest::SHA256, CERT_DER));
        assert_eq!(h["x5t#S256"], expected.as_str());
        let c = part(&jwt, 1);
        assert_eq!(c["aud"], ep.token_url().as_str());
        assert_eq!(
            c["aud"],
            "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token"
        );
        assert_eq!(c["iss"], "app-1");
        assert_eq!(c["sub"], "app-1");
        assert_eq!(c["jti"], "jti-1");
        assert_eq!(c["nbf"], 1_700_000_000);
        assert_eq!(c["iat"], 1_700_000_000);
        assert_eq!(c["exp"], 1_700_000_300);

        let (input, sig) = jwt.rsplit_once('.').unwrap();
        let key = ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PSS_2048_8192_SHA256,
            PUBKEY,
        );
        key.verify(input.as_bytes(), &B64URL.decode(sig).unwrap())
            .unwrap();
        assert!(
            key.verify(b"tampered", &B64URL.decode(sig).unwrap())
                .is_err()
        );
    }

    #[test]
    fn debug_hides_key_and_bad_pem_is_clear() {
        let ep = Endpoints::for_cloud(Cloud::Global, "t");
        let cred = ClientCertificateCredential::from_pem(ep.clone(), "app-1", PEM).unwrap();
        let dbg = format!("{cred:?}");
        assert!(
            !dbg.contains("PRIVATE") && dbg.contains("x5t#S256"),
            "{dbg}"
        );
        let err = ClientCertificateCredential::from_pem(ep, "a", b"nothing")
            .unwrap_err()
            .to_string();
        assert!(err.contains("BEGIN CERTIFICATE"), "{err}");
    }
}
