//! Everything `app` builds once per node; `app::WebState` hands each web
//! layer only its own part of it, and the domain takes narrow ports.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::api_log::ApiLog;
use crate::config::Config;
use crate::keys::GatewayKey;
use crate::merchant_cache::{MerchantCache, MerchantClocks};
use crate::metrics::Metrics;
use crate::notify::Dispatcher;
use crate::payments::Ports;
use crate::store::Store;
use crate::workers::Workers;

pub type AppState = Arc<Services>;

pub struct Services {
    pub config: Config,
    /// Base URL without trailing slash, e.g. `https://pay.example.com`.
    pub public_url: String,
    pub store: Arc<dyn Store>,
    pub gateway_key: Arc<GatewayKey>,
    /// The payments domain's ports; handlers call `payments::*` with it.
    pub payments: Arc<Ports>,
    /// The notification dispatcher's ports.
    pub dispatcher: Arc<Dispatcher>,
    /// The sweeps' ports.
    pub workers: Arc<Workers>,
    /// Each merchant's clock.
    pub clocks: MerchantClocks,
    /// Wakes the notification dispatcher when a new notification is queued.
    pub notify_wake: Arc<Notify>,
    /// This process's identity for job leases shared with other nodes.
    pub node_id: String,
    /// Prometheus metrics (`GET /metrics`).
    pub metrics: Arc<Metrics>,
    /// Per-client and token-guessing rate limits.
    pub limits: Arc<crate::ratelimit::RateLimits>,
    /// The buffer of the dashboard's API request log, written to the store
    /// by a background task.
    pub api_log: Arc<ApiLog>,
    /// Merchants and public keys for signature checks, cached for a second.
    pub merchant_cache: Arc<MerchantCache>,
}

impl Services {
    /// Real time: leases, dashboard logins, request freshness, the
    /// `request-time` headers, caches. What Cashier decides or writes about
    /// a merchant's payments uses that merchant's clock instead
    /// ([`MerchantClocks`]).
    pub fn now_ts(&self) -> crate::store::Timestamp {
        self.clocks.now_ts()
    }
}
