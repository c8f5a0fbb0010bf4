//! Merchants, their signing keys, settings and sandbox clocks.

use async_trait::async_trait;

use super::StoreResult;

#[async_trait]
pub trait MerchantStore: Send + Sync {
    async fn insert_merchant(&self, merchant: &Merchant) -> StoreResult<()>;
    async fn merchant(&self, client_id: &str) -> StoreResult<Option<Merchant>>;
    async fn merchants(&self) -> StoreResult<Vec<Merchant>>;
    /// Moves the merchant's sandbox clock `by_ms` forward, in one statement
    /// (a crash leaves the old or the new offset). Returns the new offset;
    /// `None` if the merchant does not exist or the total would pass
    /// [`MAX_CLOCK_OFFSET_MS`] (then nothing changes).
    async fn advance_clock(&self, client_id: &str, by_ms: i64) -> StoreResult<Option<i64>>;
    /// Dashboard settings: brand name, logo file, accent colour and default
    /// notify URL, all replaced at once. True if the merchant exists.
    async fn update_merchant_settings(&self, m: &Merchant) -> StoreResult<bool>;
    /// Fails with [`StoreError::Conflict`](super::StoreError::Conflict) if
    /// the version exists.
    async fn insert_merchant_key(&self, key: &MerchantKey) -> StoreResult<()>;
    async fn merchant_key(&self, client_id: &str, version: u32)
        -> StoreResult<Option<MerchantKey>>;
    /// Every key version, retired ones included, by version.
    async fn merchant_keys(&self, client_id: &str) -> StoreResult<Vec<MerchantKey>>;
    /// Marks a key version retired at `at`, unless it is the merchant's last
    /// active key. Atomic per merchant: two retirements racing on the last
    /// two active keys cannot both succeed.
    async fn retire_merchant_key(
        &self,
        client_id: &str,
        version: u32,
        at: i64,
    ) -> StoreResult<RetireKey>;
}

/// The largest total a merchant's sandbox clock may be ahead of real time:
/// ten years, far more than any test needs, and far from where a
/// millisecond timestamp or a formatted date could overflow.
pub const MAX_CLOCK_OFFSET_MS: i64 = 10 * 366 * 86_400_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    pub client_id: String,
    pub name: String,
    pub brand_name: String,
    pub logo_file: Option<String>,
    pub notify_url: Option<String>,
    pub refund_notify_url: Option<String>,
    pub status: String,
    /// Settlement fee in basis points of each successful payment.
    pub fee_bps: u32,
    pub created_at: i64,
    /// Hosted-page accent colour `#rrggbb` (dashboard settings).
    pub accent_color: Option<String>,
    /// Strict mode: integration warnings are refused as `PARAM_ILLEGAL`
    /// instead of recorded (docs/protocol.md §5.7).
    pub strict: bool,
    /// Contracted settlement currencies, comma-separated (`USD,SGD`);
    /// `None`: each payment settles in its own currency.
    pub settlement_currencies: Option<String>,
    /// How far the merchant's sandbox clock is ahead of real time (ms, never
    /// negative). Read only by gateways started with `--sandbox-clocks`.
    pub clock_offset_ms: i64,
}

#[cfg(test)]
impl Merchant {
    /// An active merchant with no optional settings, for unit tests.
    pub(crate) fn for_tests(client_id: &str, brand: &str) -> Merchant {
        Merchant {
            client_id: client_id.into(),
            name: brand.into(),
            brand_name: brand.into(),
            logo_file: None,
            accent_color: None,
            notify_url: None,
            refund_notify_url: None,
            status: "ACTIVE".into(),
            fee_bps: 0,
            created_at: 1,
            strict: false,
            settlement_currencies: None,
            clock_offset_ms: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantKey {
    pub client_id: String,
    pub key_version: u32,
    /// SubjectPublicKeyInfo DER.
    pub public_key: Vec<u8>,
    pub created_at: i64,
    /// When the key was retired; `None` while it is active. A retired key
    /// verifies nothing: requests signed with it get `KEY_NOT_FOUND`.
    pub retired_at: Option<i64>,
}

impl MerchantKey {
    pub fn is_active(&self) -> bool {
        self.retired_at.is_none()
    }
}

/// Outcome of [`MerchantStore::retire_merchant_key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetireKey {
    /// Retired now.
    Retired,
    /// No such key version for this merchant.
    NotFound,
    /// Retired before, at this time; nothing changed.
    AlreadyRetired(i64),
    /// It is the merchant's only active key: retiring it would lock the
    /// merchant out of the API. Nothing changed.
    LastActive,
}
