//! Client configuration: where the gateway is, who you are, which keys.

use std::sync::Arc;
use std::time::Duration;

use cashier_protocol::signing::{PrivateKey, PublicKey};
use chrono::{DateTime, Utc};

use crate::Error;

/// Returns the current time; replaceable so tests can sign "in the future"
/// (the `Request-Time` header is taken from it).
pub type TimeSource = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Total time one HTTP exchange may take by default (the Go SDK uses 30 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Time to establish a connection by default (the Go SDK uses 15 s).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Everything a [`crate::Client`] needs.
///
/// Build it with [`ClientConfig::new`] and adjust with the `with_*` methods:
///
/// ```
/// use std::time::Duration;
/// use cashier_client::{ClientConfig, PrivateKey};
///
/// // Yours come from `cashier merchant create` (or the Antom dashboard) as text:
/// // use ClientConfig::new(base_url, client_id, private_key_text, gateway_public_key_text).
/// let merchant_key = PrivateKey::generate()?;
/// let gateway_key = PrivateKey::generate()?.public_key();
/// let config = ClientConfig::from_keys("https://pay.example.com", "SANDBOX_MYSHOP", merchant_key, gateway_key)
///     .with_timeout(Duration::from_secs(10))
///     .with_connect_timeout(Duration::from_secs(3));
/// assert!(config.sandbox_paths); // SANDBOX_ client id → /ams/sandbox/api/... paths
/// # Ok::<(), cashier_client::cashier_protocol::signing::KeyError>(())
/// ```
pub struct ClientConfig {
    /// Scheme, host and port of the gateway, without a trailing slash
    /// (e.g. `https://pay.example.com`, or an Antom host such as
    /// `https://open-sea-global.alipay.com`).
    pub base_url: String,
    /// Your client id (`SANDBOX_...` for test mode).
    pub client_id: String,
    /// Your private key; every request is signed with it.
    pub private_key: PrivateKey,
    /// The gateway's public key ("Antom public key"); every response and
    /// notification is verified with it. Shared (`Arc`) so a
    /// [`crate::notify::NotificationVerifier`] can hold it too.
    pub gateway_public_key: Arc<PublicKey>,
    /// The `keyVersion` sent in the `Signature` header (default 1).
    pub key_version: u32,
    /// Use `/ams/sandbox/api/...` paths; defaults to true for `SANDBOX_`
    /// client ids, as the official SDKs do (docs/protocol.md §1.3).
    pub sandbox_paths: bool,
    /// Total timeout of one HTTP exchange (default [`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
    /// Connect timeout (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub connect_timeout: Duration,
    /// Where `Request-Time` comes from (default: the system clock).
    pub time_source: TimeSource,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("private_key", &self.private_key)
            .field("key_version", &self.key_version)
            .field("sandbox_paths", &self.sandbox_paths)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// A configuration from the four things a merchant is given.
    ///
    /// * `private_key`: your RSA private key as base64 DER or PEM, in PKCS#8
    ///   (what the Java/Go/.NET SDKs take) or PKCS#1 (Python/PHP).
    /// * `gateway_public_key`: base64 SPKI DER (as `cashier merchant create`
    ///   and the Antom dashboard print it), or PEM (`PUBLIC KEY` or
    ///   `RSA PUBLIC KEY`).
    pub fn new(
        base_url: &str,
        client_id: &str,
        private_key: &str,
        gateway_public_key: &str,
    ) -> Result<ClientConfig, Error> {
        Ok(ClientConfig::from_keys(
            base_url,
            client_id,
            PrivateKey::from_text(private_key)?,
            PublicKey::from_text(gateway_public_key)?,
        ))
    }

    /// Like [`ClientConfig::new`], with keys already parsed.
    pub fn from_keys(
        base_url: &str,
        client_id: &str,
        private_key: PrivateKey,
        gateway_public_key: PublicKey,
    ) -> ClientConfig {
        ClientConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            client_id: client_id.to_string(),
            private_key,
            gateway_public_key: Arc::new(gateway_public_key),
            key_version: 1,
            sandbox_paths: client_id.starts_with("SANDBOX_"),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            time_source: Arc::new(Utc::now),
        }
    }

    /// Sets the total timeout of one HTTP exchange.
    pub fn with_timeout(mut self, timeout: Duration) -> ClientConfig {
        self.timeout = timeout;
        self
    }

    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> ClientConfig {
        self.connect_timeout = timeout;
        self
    }

    /// Overrides the `SANDBOX_` path switch (true: `/ams/sandbox/api/...`).
    pub fn with_sandbox_paths(mut self, sandbox: bool) -> ClientConfig {
        self.sandbox_paths = sandbox;
        self
    }

    /// Sets the `keyVersion` of your key (after a key rotation).
    pub fn with_key_version(mut self, key_version: u32) -> ClientConfig {
        self.key_version = key_version;
        self
    }

    /// Replaces the clock `Request-Time` is read from.
    pub fn with_time_source(mut self, time_source: TimeSource) -> ClientConfig {
        self.time_source = time_source;
        self
    }
}
