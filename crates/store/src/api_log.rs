//! The dashboard's API request log (Developers page, `cashier listen`) and
//! merchant logos.

use async_trait::async_trait;

use super::StoreResult;
use crate::ids::ClientId;
use crate::time::Timestamp;

#[async_trait]
pub trait ApiLogStore: Send + Sync {
    /// Appends API request log rows, all in one write.
    async fn insert_api_requests(&self, rows: &[ApiRequestRecord]) -> StoreResult<()>;
    /// A merchant's newest `limit` rows of one list (authenticated or
    /// not), newest first.
    async fn recent_api_requests(
        &self,
        client_id: &ClientId,
        authenticated: bool,
        limit: u32,
    ) -> StoreResult<Vec<ApiRequestRecord>>;
    /// `cashier listen`: a merchant's authenticated API log rows whose row
    /// id is above `after`, oldest first.
    async fn api_requests_after(
        &self,
        client_id: &ClientId,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ListenedRequest>>;
    /// Deletes a merchant's rows of one list older than its newest `keep`
    /// (in batches of [`API_LOG_PRUNE_BATCH`]); returns how many went.
    async fn prune_api_requests(
        &self,
        client_id: &ClientId,
        authenticated: bool,
        keep: u32,
    ) -> StoreResult<u64>;

    /// Stores a logo; a row with the same name and merchant already there
    /// is kept (names are content hashes, so it holds the same bytes).
    async fn insert_logo(&self, logo: &MerchantLogo) -> StoreResult<()>;
    /// The logo with this public name.
    async fn logo(&self, name: &str) -> StoreResult<Option<MerchantLogo>>;
    /// (client id, logo name) of merchants whose `logo_file` names no stored
    /// logo: files of installs from before logos moved into the database.
    async fn merchants_missing_logos(&self) -> StoreResult<Vec<(String, String)>>;
}

/// One answered API request in the Developers page's log: never a body,
/// header, key or signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequestRecord {
    pub client_id: ClientId,
    /// Epoch milliseconds (the injected clock) of the answer.
    pub at: Timestamp,
    /// The operation's name, e.g. `createPaymentSession`.
    pub api: String,
    pub result_code: String,
    /// `S`, `F` or `U`.
    pub result_status: String,
    pub latency_us: i64,
    /// The body's `paymentRequestId`, when it has one.
    pub request_id: Option<String>,
    /// The request's signature verified. Rows that did not (a known client
    /// id with a bad signature or key version) form a list of their own,
    /// so forgeries cannot push the merchant's requests out of the log.
    pub authenticated: bool,
}

/// An API log row as `cashier listen` follows it: the row id (the cursor)
/// and the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenedRequest {
    pub id: i64,
    pub request: ApiRequestRecord,
}

/// Rows deleted per statement when pruning the API request log, so a big
/// prune never holds SQLite's write lock for long.
pub const API_LOG_PRUNE_BATCH: i64 = 2_000;

/// A merchant logo as stored and served (`/logos/{name}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantLogo {
    /// The public name, also in [`Merchant::logo_file`](super::Merchant::logo_file).
    pub name: String,
    /// The merchant that uploaded it.
    pub client_id: ClientId,
    /// `image/png`, `image/jpeg` or `image/webp`, from the bytes.
    pub content_type: String,
    /// SHA-256 (hex) of the bytes: the ETag.
    pub sha256: String,
    pub bytes: Vec<u8>,
    pub created_at: Timestamp,
}

/// Implements [`ApiLogStore`] for a backend (`sqlite/api_log.rs`,
/// `postgres/api_log.rs`), which passes in `insert_api_requests`: the other
/// statements run as written on both (sqlx numbers `$n` parameters on
/// SQLite too). The backend brings `self.pool` and the row mappers.
macro_rules! api_log_store {
    (impl ApiLogStore for $store:ident { $($own:tt)* }) => {
        #[async_trait::async_trait]
        impl ApiLogStore for $store {
            $($own)*

            async fn recent_api_requests(
                &self,
                client_id: &ClientId,
                authenticated: bool,
                limit: u32,
            ) -> StoreResult<Vec<ApiRequestRecord>> {
                sqlx::query(
                    "SELECT * FROM api_requests WHERE client_id = $1 AND authenticated = $2
                     ORDER BY at DESC, id DESC LIMIT $3",
                )
                .bind(client_id)
                .bind(authenticated)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(api_request_from)
                .collect()
            }

            async fn api_requests_after(
                &self,
                client_id: &ClientId,
                after: i64,
                limit: u32,
            ) -> StoreResult<Vec<ListenedRequest>> {
                sqlx::query(
                    "SELECT * FROM api_requests WHERE client_id = $1 AND authenticated AND id > $2
                     ORDER BY id LIMIT $3",
                )
                .bind(client_id)
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|row| {
                    Ok(ListenedRequest {
                        id: row.try_get("id")?,
                        request: api_request_from(row)?,
                    })
                })
                .collect()
            }

            async fn prune_api_requests(
                &self,
                client_id: &ClientId,
                authenticated: bool,
                keep: u32,
            ) -> StoreResult<u64> {
                // The time of the newest row to drop's successor: everything older
                // goes (rows sharing that millisecond stay — a few more than `keep`).
                let Some(row) = sqlx::query("SELECT at FROM api_requests WHERE client_id = $1 AND authenticated = $2 ORDER BY at DESC, id DESC LIMIT 1 OFFSET $3")
                    .bind(client_id)
                    .bind(authenticated)
                    .bind(i64::from(keep.max(1)) - 1)
                    .fetch_optional(&self.pool)
                    .await?
                else {
                    return Ok(0);
                };
                let oldest_kept: Timestamp = row.try_get("at")?;
                let mut deleted = 0;
                loop {
                    let n = sqlx::query("DELETE FROM api_requests WHERE id IN (SELECT id FROM api_requests WHERE client_id = $1 AND authenticated = $2 AND at < $3 LIMIT $4)")
                        .bind(client_id)
                        .bind(authenticated)
                        .bind(oldest_kept)
                        .bind(API_LOG_PRUNE_BATCH)
                        .execute(&self.pool)
                        .await?
                        .rows_affected();
                    deleted += n;
                    if n < API_LOG_PRUNE_BATCH as u64 {
                        return Ok(deleted);
                    }
                }
            }

            async fn insert_logo(&self, l: &MerchantLogo) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO merchant_logos (name, client_id, content_type, sha256, bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (name, client_id) DO NOTHING",
                )
                .bind(&l.name)
                .bind(&l.client_id)
                .bind(&l.content_type)
                .bind(&l.sha256)
                .bind(&l.bytes)
                .bind(l.created_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn logo(&self, name: &str) -> StoreResult<Option<MerchantLogo>> {
                sqlx::query("SELECT * FROM merchant_logos WHERE name = $1 ORDER BY created_at LIMIT 1")
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(logo_from)
                    .transpose()
            }

            async fn merchants_missing_logos(&self) -> StoreResult<Vec<(String, String)>> {
                let rows = sqlx::query(
                    "SELECT m.client_id, m.logo_file FROM merchants m
                     WHERE m.logo_file IS NOT NULL AND NOT EXISTS (SELECT 1 FROM merchant_logos l WHERE l.name = m.logo_file)
                     ORDER BY m.client_id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| Ok((r.try_get("client_id")?, r.try_get("logo_file")?)))
                    .collect()
            }
        }
    };
}
pub(super) use api_log_store;
