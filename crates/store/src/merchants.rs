//! Merchants, their signing keys, settings and sandbox clocks.

use async_trait::async_trait;

use super::StoreResult;
use crate::ids::ClientId;
use crate::time::Timestamp;

#[async_trait]
pub trait MerchantStore: Send + Sync {
    async fn insert_merchant(&self, merchant: &Merchant) -> StoreResult<()>;
    async fn merchant(&self, client_id: &ClientId) -> StoreResult<Option<Merchant>>;
    async fn merchants(&self) -> StoreResult<Vec<Merchant>>;
    /// Moves the merchant's sandbox clock `by_ms` forward, in one statement
    /// (a crash leaves the old or the new offset). Returns the new offset;
    /// `None` if the merchant does not exist or the total would pass
    /// [`MAX_CLOCK_OFFSET_MS`] (then nothing changes).
    async fn advance_clock(&self, client_id: &ClientId, by_ms: i64) -> StoreResult<Option<i64>>;
    /// Dashboard settings: brand name, logo file, accent colour and default
    /// notify URL, all replaced at once. True if the merchant exists.
    async fn update_merchant_settings(&self, m: &Merchant) -> StoreResult<bool>;
    /// Fails with [`StoreError::Conflict`](super::StoreError::Conflict) if
    /// the version exists.
    async fn insert_merchant_key(&self, key: &MerchantKey) -> StoreResult<()>;
    async fn merchant_key(
        &self,
        client_id: &ClientId,
        version: u32,
    ) -> StoreResult<Option<MerchantKey>>;
    /// Every key version, retired ones included, by version.
    async fn merchant_keys(&self, client_id: &ClientId) -> StoreResult<Vec<MerchantKey>>;
    /// Marks a key version retired at `at`, unless it is the merchant's last
    /// active key. Atomic per merchant: two retirements racing on the last
    /// two active keys cannot both succeed.
    async fn retire_merchant_key(
        &self,
        client_id: &ClientId,
        version: u32,
        at: Timestamp,
    ) -> StoreResult<RetireKey>;
}

/// The largest total a merchant's sandbox clock may be ahead of real time:
/// ten years, far more than any test needs, and far from where a
/// millisecond timestamp or a formatted date could overflow.
pub const MAX_CLOCK_OFFSET_MS: i64 = 10 * 366 * 86_400_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    pub client_id: ClientId,
    pub name: String,
    pub brand_name: String,
    pub logo_file: Option<String>,
    pub notify_url: Option<String>,
    pub refund_notify_url: Option<String>,
    pub status: String,
    /// Settlement fee in basis points of each successful payment.
    pub fee_bps: u32,
    pub created_at: Timestamp,
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

impl Merchant {
    /// An active merchant with no optional settings, for unit tests (the
    /// gateway's too, which is why it is public and always compiled).
    pub fn for_tests(client_id: &ClientId, brand: &str) -> Merchant {
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
            created_at: Timestamp::from_millis(1),
            strict: false,
            settlement_currencies: None,
            clock_offset_ms: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantKey {
    pub client_id: ClientId,
    pub key_version: u32,
    /// SubjectPublicKeyInfo DER.
    pub public_key: Vec<u8>,
    pub created_at: Timestamp,
    /// When the key was retired; `None` while it is active. A retired key
    /// verifies nothing: requests signed with it get `KEY_NOT_FOUND`.
    pub retired_at: Option<Timestamp>,
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
    AlreadyRetired(Timestamp),
    /// It is the merchant's only active key: retiring it would lock the
    /// merchant out of the API. Nothing changed.
    LastActive,
}

/// Implements [`MerchantStore`] for a backend (`sqlite/merchants.rs`,
/// `postgres/merchants.rs`): every statement runs as written on both, since
/// sqlx numbers `$n` parameters on SQLite too. The backend brings
/// `self.pool`, `begin_write`, the row mappers and `lock_merchant`, which
/// keeps other retirements of the merchant's keys out of the transaction.
macro_rules! merchant_store {
    (impl MerchantStore for $store:ident { $($own:tt)* }) => {
        #[async_trait::async_trait]
        impl MerchantStore for $store {
            $($own)*

            async fn insert_merchant(&self, m: &Merchant) -> StoreResult<()> {
                let r = sqlx::query(
                    "INSERT INTO merchants (client_id, name, brand_name, logo_file, notify_url, refund_notify_url, status, fee_bps, created_at,
                        accent_color, strict, settlement_currencies)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(&m.client_id)
                .bind(&m.name)
                .bind(&m.brand_name)
                .bind(&m.logo_file)
                .bind(&m.notify_url)
                .bind(&m.refund_notify_url)
                .bind(&m.status)
                .bind(i64::from(m.fee_bps))
                .bind(m.created_at)
                .bind(&m.accent_color)
                .bind(m.strict)
                .bind(&m.settlement_currencies)
                .execute(&self.pool)
                .await;
                match r {
                    Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict("merchant")),
                    r => r.map(|_| ()).map_err(Into::into),
                }
            }

            async fn merchant(&self, client_id: &ClientId) -> StoreResult<Option<Merchant>> {
                sqlx::query("SELECT * FROM merchants WHERE client_id = $1")
                    .bind(client_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(merchant_from)
                    .transpose()
            }

            async fn merchants(&self) -> StoreResult<Vec<Merchant>> {
                sqlx::query("SELECT * FROM merchants ORDER BY created_at, client_id")
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(merchant_from)
                    .collect()
            }

            async fn advance_clock(&self, client_id: &ClientId, by_ms: i64) -> StoreResult<Option<i64>> {
                let row = sqlx::query(
                    "UPDATE merchants SET clock_offset_ms = clock_offset_ms + $1
                     WHERE client_id = $2 AND $1 > 0 AND clock_offset_ms + $1 <= $3
                     RETURNING clock_offset_ms",
                )
                .bind(by_ms)
                .bind(client_id)
                .bind(MAX_CLOCK_OFFSET_MS)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|r| r.try_get("clock_offset_ms")).transpose()?)
            }

            async fn update_merchant_settings(&self, m: &Merchant) -> StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE merchants SET brand_name = $1, logo_file = $2, accent_color = $3, notify_url = $4, strict = $5,
                        settlement_currencies = $6
                     WHERE client_id = $7",
                )
                .bind(&m.brand_name)
                .bind(&m.logo_file)
                .bind(&m.accent_color)
                .bind(&m.notify_url)
                .bind(m.strict)
                .bind(&m.settlement_currencies)
                .bind(&m.client_id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn insert_merchant_key(&self, k: &MerchantKey) -> StoreResult<()> {
                let r = sqlx::query(
                    "INSERT INTO merchant_keys (client_id, key_version, public_key, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(&k.client_id)
                .bind(i64::from(k.key_version))
                .bind(&k.public_key)
                .bind(k.created_at)
                .execute(&self.pool)
                .await;
                match r {
                    Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict("key version")),
                    Err(sqlx::Error::Database(db)) if db.is_foreign_key_violation() => {
                        Err(StoreError::NotFound("merchant"))
                    }
                    r => r.map(|_| ()).map_err(Into::into),
                }
            }

            async fn merchant_key(
                &self,
                client_id: &ClientId,
                version: u32,
            ) -> StoreResult<Option<MerchantKey>> {
                sqlx::query("SELECT * FROM merchant_keys WHERE client_id = $1 AND key_version = $2")
                    .bind(client_id)
                    .bind(i64::from(version))
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(key_from)
                    .transpose()
            }

            async fn merchant_keys(&self, client_id: &ClientId) -> StoreResult<Vec<MerchantKey>> {
                sqlx::query("SELECT * FROM merchant_keys WHERE client_id = $1 ORDER BY key_version")
                    .bind(client_id)
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(key_from)
                    .collect()
            }

            async fn retire_merchant_key(
                &self,
                client_id: &ClientId,
                version: u32,
                at: Timestamp,
            ) -> StoreResult<RetireKey> {
                // The count and the update see no other retirement of the
                // merchant's keys (see each backend's `lock_merchant`).
                let mut tx = self.begin_write().await?;
                if !Self::lock_merchant(&mut tx, client_id).await? {
                    tx.rollback().await?;
                    return Ok(RetireKey::NotFound);
                }
                let row = sqlx::query(
                    "SELECT retired_at FROM merchant_keys WHERE client_id = $1 AND key_version = $2",
                )
                .bind(client_id)
                .bind(i64::from(version))
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    tx.rollback().await?;
                    return Ok(RetireKey::NotFound);
                };
                if let Some(t) = row.try_get::<Option<Timestamp>, _>("retired_at")? {
                    tx.rollback().await?;
                    return Ok(RetireKey::AlreadyRetired(t));
                }
                let active: i64 = sqlx::query(
                    "SELECT COUNT(*) AS n FROM merchant_keys WHERE client_id = $1 AND retired_at IS NULL",
                )
                .bind(client_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
                if active <= 1 {
                    tx.rollback().await?;
                    return Ok(RetireKey::LastActive);
                }
                sqlx::query(
                    "UPDATE merchant_keys SET retired_at = $1 WHERE client_id = $2 AND key_version = $3 AND retired_at IS NULL",
                )
                .bind(at)
                .bind(client_id)
                .bind(i64::from(version))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(RetireKey::Retired)
            }
        }
    };
}
pub(super) use merchant_store;
