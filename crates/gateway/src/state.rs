//! The shared state every handler and worker receives.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::Config;
use crate::keys::GatewayKey;
use crate::processor::Processor;
use crate::store::{Merchant, Store, StoreResult};

pub type AppState = Arc<Services>;

pub struct Services {
    pub config: Config,
    /// Base URL without trailing slash, e.g. `https://pay.example.com`.
    pub public_url: String,
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub processor: Arc<dyn Processor>,
    pub gateway_key: Arc<GatewayKey>,
    /// Wakes the notification dispatcher when a new notification is queued.
    pub notify_wake: Notify,
    /// This process's identity for job leases shared with other nodes.
    pub node_id: String,
    /// Outbound HTTP for notifications: no redirects, bounded timeouts.
    pub http: reqwest::Client,
    /// Prometheus metrics (`GET /metrics`).
    pub metrics: crate::telemetry::Metrics,
    /// Per-client and token-guessing rate limits.
    pub limits: crate::ratelimit::RateLimits,
    /// The buffer of the dashboard's API request log, written to the store
    /// by a background task.
    pub api_log: crate::dashboard::ApiLog,
    /// Merchants and public keys for signature checks, cached for a second.
    pub merchant_cache: crate::merchant_cache::MerchantCache,
    /// Logos this node served (they never change under a name).
    pub logo_cache: crate::checkout::logos::LogoCache,
    /// Signatures of answers to requests that failed authentication, reused
    /// within their second.
    pub signed_failures: crate::api::SignedFailures,
    /// Dashboard password checks: bounded, and timed for unknown emails.
    pub password_checks: crate::dashboard::auth::PasswordChecks,
}

impl Services {
    /// Real time (ms): leases, dashboard logins, request freshness, the
    /// `request-time` headers, caches. What Cashier decides or writes about
    /// a merchant's payments uses that merchant's clock instead
    /// ([`Services::merchant_now`], [`Services::now_for`]).
    pub fn now_ms(&self) -> i64 {
        self.clock.now_millis()
    }

    /// How far `merchant`'s sandbox clock is ahead of real time: its stored
    /// offset with `--sandbox-clocks`, otherwise 0.
    pub fn offset_of(&self, merchant: &Merchant) -> i64 {
        if self.config.sandbox_clocks {
            merchant.clock_offset_ms
        } else {
            0
        }
    }

    /// Now on `merchant`'s clock (ms).
    pub fn merchant_now(&self, merchant: &Merchant) -> i64 {
        self.now_ms() + self.offset_of(merchant)
    }

    /// [`Services::offset_of`] by client id, through the merchant cache
    /// (so another node's advance is seen within its TTL); 0 without
    /// sandbox clocks, and for an unknown merchant.
    pub async fn offset_for(&self, client_id: &str) -> StoreResult<i64> {
        if !self.config.sandbox_clocks {
            return Ok(0);
        }
        Ok(self
            .merchant_cache
            .merchant(self.store.as_ref(), client_id, self.now_ms())
            .await?
            .map_or(0, |m| m.clock_offset_ms))
    }

    /// Now on the clock of merchant `client_id` (ms).
    pub async fn now_for(&self, client_id: &str) -> StoreResult<i64> {
        Ok(self.now_ms() + self.offset_for(client_id).await?)
    }

    pub fn checkout_url(&self, token: &str) -> String {
        format!("{}/checkout/{token}", self.public_url)
    }
}
