//! Persistence behind one trait.
//!
//! The [`Store`] trait speaks in whole business operations, each one atomic
//! ("finalize this payment if it is still open, and queue its notification"),
//! rather than in rows and transactions. That keeps the rules that protect
//! money — compare-and-set state changes, uniqueness of request ids, the
//! transactional outbox — inside the store implementations, where the
//! database enforces them, and lets SQLite (embedded default) and PostgreSQL
//! (multi-node) implement the same contract.

use async_trait::async_trait;

use crate::payments::state::{AttemptState, PaymentStatus};
use cashier_protocol::IntegrationWarning;

pub mod postgres;
mod rows;
pub mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// From the SQLite store's direct (rusqlite) connections.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "the database was upgraded by a newer Cashier: it has schema migration {found}, and this build knows migrations up to {known}. \
         Run that newer version (a database is never downgraded), or restore a backup made before the upgrade"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Runs `migrator`'s pending migrations; a database with a migration this
/// build does not know (made by a newer Cashier) is refused with
/// [`StoreError::SchemaTooNew`] before anything changes.
pub(crate) async fn run_migrations<'a, A>(
    migrator: &sqlx::migrate::Migrator,
    to: A,
) -> StoreResult<()>
where
    A: sqlx::Acquire<'a>,
    <A::Connection as std::ops::Deref>::Target: sqlx::migrate::Migrate,
{
    migrator.run(to).await.map_err(|e| match e {
        sqlx::migrate::MigrateError::VersionMissing(found) => StoreError::SchemaTooNew {
            found,
            known: migrator.iter().map(|m| m.version).max().unwrap_or(0),
        },
        other => StoreError::Migrate(other),
    })
}

/// The largest total a merchant's sandbox clock may be ahead of real time:
/// ten years, far more than any test needs, and far from where a
/// millisecond timestamp or a formatted date could overflow.
pub const MAX_CLOCK_OFFSET_MS: i64 = 10 * 366 * 86_400_000;

/// The SQL condition "`col` is due by `now`", where `now` is the SQL of the
/// real time. Without sandbox clocks that is `col <= now`; with them each
/// row is due on its merchant's clock (`now` plus the merchant's offset,
/// `offset_of_row`), and a first bound by the largest offset of any merchant
/// keeps the condition an index range.
/// The query of [`Store::delivery_attempts_after`] with the backend's
/// parameter markers: attempts joined with their notification, the
/// attempt's row id as `attempt_row_id`.
pub(crate) fn listen_attempts_sql(client: &str, after: &str, limit: &str) -> String {
    format!(
        "SELECT a.id AS attempt_row_id, a.notification_id, a.attempt_no, a.attempted_at,
                a.http_status, a.latency_ms, a.response_excerpt, a.error, a.acknowledged,
                a.request_time, a.signature,
                n.client_id, n.kind, n.subject_id, n.url, n.body, n.status, n.attempts,
                n.next_attempt_at, n.created_at, n.delivered_at
         FROM notification_attempts a
         JOIN notifications n ON n.notification_id = a.notification_id
         WHERE n.client_id = {client} AND a.id > {after}
         ORDER BY a.id LIMIT {limit}"
    )
}

pub(crate) fn due_sql(col: &str, now: &str, offset_of_row: Option<&str>) -> String {
    match offset_of_row {
        None => format!("{col} <= {now}"),
        Some(offset) => format!(
            "{col} <= {now} + (SELECT COALESCE(MAX(clock_offset_ms), 0) FROM merchants) \
             AND {col} <= {now} + COALESCE(({offset}), 0)"
        ),
    }
}

/// The SQL of a row's merchant offset for [`due_sql`], given the SQL of its
/// `client_id`.
pub(crate) fn offset_of_client(client_id: &str) -> String {
    format!("SELECT mc.clock_offset_ms FROM merchants mc WHERE mc.client_id = {client_id}")
}

/// As [`offset_of_client`], for a row that only names its payment.
pub(crate) fn offset_of_payment(payment_id: &str) -> String {
    format!(
        "SELECT mc.clock_offset_ms FROM merchants mc JOIN payments pc ON pc.client_id = mc.client_id \
         WHERE pc.payment_id = {payment_id}"
    )
}

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

/// Outcome of [`Store::retire_merchant_key`].
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

/// A payment together with its hosted-page session (they are 1:1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub payment_id: String,
    pub client_id: String,
    pub payment_request_id: String,
    pub fingerprint: String,
    pub status: PaymentStatus,
    pub result_code: String,
    pub result_message: String,
    pub currency: String,
    pub amount_minor: i64,
    pub reference_order_id: String,
    pub order_description: String,
    /// JSON array of [`GoodsRecord`].
    pub goods_json: String,
    pub buyer_reference_id: Option<String>,
    pub redirect_url: String,
    pub notify_url: Option<String>,
    pub locale: Option<String>,
    pub terminal_type: Option<String>,
    /// JSON array of the method codes offered on the page, in display order.
    pub methods_json: String,
    pub preselected_method: Option<String>,
    pub session_id: String,
    pub session_data: String,
    pub checkout_token: String,
    pub session_expires_at: i64,
    pub payment_method_type: Option<String>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    /// The masked number (first six and last four digits, e.g.
    /// `424242******4242`); `None` for payments from before it was kept.
    pub card_masked: Option<String>,
    /// `paymentResultInfo` of the attempt that decided the payment, as
    /// JSON (see [`Attempt::card_details`]).
    pub card_details: Option<String>,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub updated_at: i64,
    /// Refunds that succeeded or are processing, in minor units.
    pub refunded_minor: i64,
    pub cancel_time: Option<i64>,
    /// The currency the payment settles in; `None` (older payments): its
    /// own currency.
    pub settlement_currency: Option<String>,
    /// The sandbox rate from the payment currency to the settlement
    /// currency (`protocol::fx::Rate` text); `None`: no conversion.
    pub settlement_rate: Option<String>,
    /// When that rate was taken (the payment's creation), epoch ms.
    pub settlement_rate_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GoodsRecord {
    pub reference_goods_id: String,
    pub name: String,
    pub quantity: u64,
    pub unit_minor: u64,
    pub line_minor: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub attempt_id: String,
    pub payment_id: String,
    pub nonce: String,
    pub method: String,
    pub state: AttemptState,
    pub result_code: Option<String>,
    pub result_message: Option<String>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    /// See [`Payment::card_masked`].
    pub card_masked: Option<String>,
    /// What the issuer and the 3-D Secure server reported of the card:
    /// the attempt's `paymentResultInfo` as JSON, never the full number.
    /// `None` before authorisation, for other methods, and for attempts
    /// from before it was kept.
    pub card_details: Option<String>,
    pub wallet_token: Option<String>,
    pub settle_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Outcome of inserting a payment keyed by (client_id, payment_request_id).
#[derive(Debug)]
pub enum Inserted<T> {
    New(T),
    Existing(T),
}

/// A notification to queue in the outbox, in the same transaction as the
/// state change that causes it.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub notification_id: String,
    pub client_id: String,
    pub kind: String,
    pub subject_id: String,
    /// The payment concerned (the subject itself for payment notifications).
    pub payment_id: String,
    pub url: String,
    pub body: String,
}

/// A final outcome for a payment, applied as a compare-and-set.
#[derive(Debug, Clone)]
pub struct Finalize {
    pub payment_id: String,
    pub to: PaymentStatus,
    pub result_code: String,
    pub result_message: String,
    pub at: i64,
    pub method: Option<String>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    pub card_masked: Option<String>,
    pub card_details: Option<String>,
    /// The attempt that produced the outcome and the state it moves to.
    pub attempt: Option<(String, AttemptState)>,
    /// Queued in the same transaction; `None` when no notify URL is known.
    pub notification: Option<NewNotification>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub notification_id: String,
    pub client_id: String,
    pub kind: String,
    pub subject_id: String,
    pub url: String,
    pub body: String,
    pub status: String,
    pub attempts: u32,
    pub next_attempt_at: i64,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    pub notification_id: String,
    pub attempt_no: u32,
    pub attempted_at: i64,
    pub http_status: Option<u16>,
    pub latency_ms: i64,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
    pub acknowledged: bool,
    /// The `request-time` and `signature` headers the attempt was sent with
    /// (`None` when it failed before signing, or was made before they were
    /// recorded), so the exact request can be replayed (`cashier listen`).
    pub request_time: Option<String>,
    pub signature: Option<String>,
}

/// A delivery attempt as `cashier listen` follows it: the row id (the
/// cursor), the notification and the attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenedAttempt {
    pub id: i64,
    pub notification: Notification,
    pub attempt: DeliveryAttempt,
}

/// An API log row as `cashier listen` follows it: the row id (the cursor)
/// and the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenedRequest {
    pub id: i64,
    pub request: ApiRequestRecord,
}

/// What happens to a notification after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryNext {
    Delivered,
    RetryAt(i64),
    GiveUp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefundStatus {
    Processing,
    Success,
    Fail,
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Processing => "PROCESSING",
            RefundStatus::Success => "SUCCESS",
            RefundStatus::Fail => "FAIL",
        }
    }
}

impl std::str::FromStr for RefundStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "PROCESSING" => Ok(RefundStatus::Processing),
            "SUCCESS" => Ok(RefundStatus::Success),
            "FAIL" => Ok(RefundStatus::Fail),
            other => Err(format!("unknown refund status {other:?}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub refund_id: String,
    pub client_id: String,
    pub refund_request_id: String,
    pub payment_id: String,
    pub reference_refund_id: Option<String>,
    /// `paymentId|currency|value`: a repeat with another fingerprint is inconsistent.
    pub fingerprint: String,
    pub currency: String,
    pub amount_minor: i64,
    pub reason: Option<String>,
    pub notify_url: Option<String>,
    pub status: RefundStatus,
    pub result_code: String,
    pub result_message: String,
    pub created_at: i64,
    pub refund_time: Option<i64>,
    /// When an asynchronous (sandbox) refund settles.
    pub settle_at: Option<i64>,
    pub updated_at: i64,
}

/// Outcome of [`Store::insert_refund`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundInsert {
    Created(Refund),
    /// The refund request id was used before; nothing changed.
    Existing(Refund),
    /// The payment is not in `SUCCESS`.
    NotRefundable(PaymentStatus),
    /// Cumulative refunds would exceed the payment amount.
    Exceeds {
        refunded_minor: i64,
        amount_minor: i64,
    },
}

/// One line of a reconciliation report, as the store sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTxn {
    /// `paymentId` (PAYMENT, CANCEL) or `refundId` (REFUND).
    pub transaction_id: String,
    /// The original `paymentId` for REFUND and CANCEL.
    pub original_transaction_id: Option<String>,
    /// `paymentRequestId` or `refundRequestId`.
    pub transaction_request_id: String,
    /// `referenceOrderId` or `referenceRefundId`.
    pub reference_transaction_id: Option<String>,
    pub payment_method_type: Option<String>,
    /// `PAYMENT`, `REFUND`, `CANCEL`.
    pub transaction_type: String,
    pub transaction_status: String,
    pub transaction_time: i64,
    pub currency: String,
    pub amount_minor: i64,
    /// The payment's settlement currency; `None`: `currency`.
    pub settlement_currency: Option<String>,
    /// The payment's recorded rate into it; `None`: no conversion.
    pub settlement_rate: Option<String>,
}

/// Connection pool figures for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub backend: &'static str,
    pub size: u32,
    pub idle: u32,
    pub max: u32,
    /// SQLite's group-commit writer (None on PostgreSQL).
    pub writer: Option<WriterStats>,
}

/// The SQLite group-commit writer's work: `writes / batches` is the mean
/// batch, `busy_seconds / batches` the mean time from BEGIN to the durable
/// COMMIT (mostly the fsync).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WriterStats {
    pub batches: u64,
    pub writes: u64,
    pub busy_seconds: f64,
    /// The slowest batch since the previous reading.
    pub slowest_batch_seconds: f64,
}

/// Row counts, for metrics and for tests that assert nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreCounts {
    pub merchants: u64,
    pub payments: u64,
    pub attempts: u64,
    pub notifications: u64,
    pub pending_notifications: u64,
}

/// A dashboard login (`cashier user create`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardUser {
    pub user_id: String,
    /// Lower-case; unique.
    pub email: String,
    /// [`ROLE_ADMIN`] (every merchant) or [`ROLE_MERCHANT`] (`client_id` only).
    pub role: String,
    pub client_id: Option<String>,
    /// argon2id PHC string; `None` until the setup link has been used.
    pub password_hash: Option<String>,
    /// SHA-256 (hex) of the one-time setup token.
    pub setup_token_hash: Option<String>,
    pub setup_expires_at: Option<i64>,
    pub created_at: i64,
}

pub const ROLE_ADMIN: &str = "ADMIN";
pub const ROLE_MERCHANT: &str = "MERCHANT";

/// A logged-in dashboard session. The cookie holds a random token; the
/// store keeps only its SHA-256, so a database read does not yield cookies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardSession {
    pub session_hash: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Filters of the dashboard's payments list. Results are newest first,
/// ordered by (`created_at`, `payment_id`) descending; `before` is the
/// keyset cursor (the last row of the previous page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentFilter {
    /// `None`: every merchant (admins only).
    pub client_id: Option<String>,
    pub status: Option<PaymentStatus>,
    pub method: Option<String>,
    pub currency: Option<String>,
    /// `created_at >= from`.
    pub created_from: Option<i64>,
    /// `created_at < to`.
    pub created_to: Option<i64>,
    /// Exact `paymentId` or `paymentRequestId`.
    pub search: Option<String>,
    pub before: Option<(i64, String)>,
}

/// The offset of Antom's day (UTC+8) in milliseconds: days in the store's
/// daily statistics are UTC+8 calendar days, like the reports' days.
pub const ANTOM_DAY_OFFSET_MS: i64 = 8 * 3_600_000;

/// Payments of one UTC+8 day, currency and status (dashboard overview).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyStat {
    /// Days since 1970-01-01, counted in UTC+8: `(created_at + 8 h) / 24 h`.
    pub day: i64,
    pub currency: String,
    pub status: String,
    pub count: i64,
    /// The sum, exact: `i128` holds any number of 16-digit amounts (the SQL
    /// sums the high and low parts apart, [`split_sum`]).
    pub amount_minor: i128,
}

/// Sums of amounts in SQL never overflow: `SUM(amount)` over `BIGINT`s
/// fails on SQLite ("integer overflow") and in a cast on PostgreSQL once the
/// total passes 2^63 (923 payments of the largest amount do it). The
/// queries sum `amount / SPLIT` and `amount % SPLIT` instead: with amounts
/// of at most 16 digits those sums stay below 2^63 for up to 9 × 10^11
/// and 9 × 10^9 rows, and this joins them as `i128`.
pub const SPLIT: i64 = 1_000_000_000;

/// The exact sum from the two partial sums of a split `SUM`.
pub fn split_sum(high: i64, low: i64) -> i128 {
    i128::from(high) * i128::from(SPLIT) + i128::from(low)
}

/// One answered API request in the Developers page's log: never a body,
/// header, key or signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequestRecord {
    pub client_id: String,
    /// Epoch milliseconds (the injected clock) of the answer.
    pub at: i64,
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

/// An integration warning recorded on a payment (docs/protocol.md §5.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentWarning {
    pub payment_id: String,
    /// Position in the payment's list, from 0, in the order the checks met
    /// the gaps.
    pub seq: u32,
    /// The rule's stable code, e.g. `BUYER_NAME_MISSING` (text, so a code
    /// written by a newer node still shows).
    pub rule: String,
    pub field: String,
    pub message: String,
    /// The payment's creation time, epoch milliseconds.
    pub created_at: i64,
}

/// How often one rule was broken by a merchant's payments since a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningCount {
    pub rule: String,
    /// Payments created since the time asked that carry the rule (once per
    /// payment, however many fields broke it).
    pub payments: u64,
    /// The newest such payment's creation time.
    pub last_at: i64,
}

/// A merchant logo as stored and served (`/logos/{name}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantLogo {
    /// The public name, also in [`Merchant::logo_file`].
    pub name: String,
    /// The merchant that uploaded it.
    pub client_id: String,
    /// `image/png`, `image/jpeg` or `image/webp`, from the bytes.
    pub content_type: String,
    /// SHA-256 (hex) of the bytes: the ETag.
    pub sha256: String,
    pub bytes: Vec<u8>,
    pub created_at: i64,
}

/// Rows deleted per statement when pruning the API request log, so a big
/// prune never holds SQLite's write lock for long.
pub const API_LOG_PRUNE_BATCH: i64 = 2_000;

/// A bind value of a query built at run time.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
}

/// The payments-list query with `?` placeholders (PostgreSQL numbers
/// them) and its arguments, in order. Every filter is an equality or a
/// range on the keyset, so `payments_list*` indexes (migration 0005) serve it.
pub(crate) fn payments_list_query(f: &PaymentFilter, limit: u32) -> (String, Vec<Arg>) {
    let mut sql = String::from("SELECT * FROM payments WHERE 1 = 1");
    let mut args = Vec::new();
    if let Some(c) = &f.client_id {
        sql.push_str(" AND client_id = ?");
        args.push(Arg::Text(c.clone()));
    }
    if let Some(s) = f.status {
        sql.push_str(" AND status = ?");
        args.push(Arg::Text(s.as_str().to_string()));
    }
    if let Some(m) = &f.method {
        sql.push_str(" AND payment_method_type = ?");
        args.push(Arg::Text(m.clone()));
    }
    if let Some(c) = &f.currency {
        sql.push_str(" AND currency = ?");
        args.push(Arg::Text(c.clone()));
    }
    if let Some(t) = f.created_from {
        sql.push_str(" AND created_at >= ?");
        args.push(Arg::Int(t));
    }
    if let Some(t) = f.created_to {
        sql.push_str(" AND created_at < ?");
        args.push(Arg::Int(t));
    }
    if let Some(q) = &f.search {
        sql.push_str(" AND (payment_id = ? OR payment_request_id = ?)");
        args.push(Arg::Text(q.clone()));
        args.push(Arg::Text(q.clone()));
    }
    if let Some((at, id)) = &f.before {
        // The plain upper bound lets SQLite start the index range at the
        // cursor (an OR of two ranges made it scan from the newest row);
        // the row value then skips ties already shown.
        sql.push_str(" AND created_at <= ? AND (created_at, payment_id) < (?, ?)");
        args.push(Arg::Int(*at));
        args.push(Arg::Int(*at));
        args.push(Arg::Text(id.clone()));
    }
    sql.push_str(" ORDER BY created_at DESC, payment_id DESC LIMIT ?");
    args.push(Arg::Int(i64::from(limit)));
    (sql, args)
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Cheap round trip for `/readyz`.
    async fn ping(&self) -> StoreResult<()>;

    async fn counts(&self) -> StoreResult<StoreCounts>;
    /// Undelivered notifications: (due at `now`, all pending). For metrics;
    /// two index-range counts.
    async fn notification_backlog(&self, now: i64) -> StoreResult<(u64, u64)>;
    /// The connection pool, for metrics.
    fn pool_stats(&self) -> PoolStats;

    async fn insert_merchant(&self, merchant: &Merchant) -> StoreResult<()>;
    async fn merchant(&self, client_id: &str) -> StoreResult<Option<Merchant>>;
    async fn merchants(&self) -> StoreResult<Vec<Merchant>>;
    /// Moves the merchant's sandbox clock `by_ms` forward, in one statement
    /// (a crash leaves the old or the new offset). Returns the new offset;
    /// `None` if the merchant does not exist or the total would pass
    /// [`MAX_CLOCK_OFFSET_MS`] (then nothing changes).
    async fn advance_clock(&self, client_id: &str, by_ms: i64) -> StoreResult<Option<i64>>;
    /// Fails with [`StoreError::Conflict`] if the version exists.
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

    /// Inserts unless (client_id, payment_request_id) exists, in which case
    /// the existing payment is returned untouched. Safe under concurrency:
    /// the database's unique constraint decides.
    /// Inserts a payment with no warnings; see [`Store::insert_payment_with_warnings`].
    async fn insert_payment(&self, payment: &Payment) -> StoreResult<Inserted<Payment>> {
        self.insert_payment_with_warnings(payment, &[]).await
    }
    /// Inserts a payment keyed by (client id, payment request id) together
    /// with its integration warnings, in one transaction; an existing
    /// payment with the same key is returned instead and nothing is written.
    async fn insert_payment_with_warnings(
        &self,
        payment: &Payment,
        warnings: &[IntegrationWarning],
    ) -> StoreResult<Inserted<Payment>>;
    /// A payment's integration warnings, in order.
    async fn payment_warnings(&self, payment_id: &str) -> StoreResult<Vec<PaymentWarning>>;
    /// The warnings of several payments (a CSV export batch), in payment
    /// then warning order.
    async fn warnings_for_payments(
        &self,
        payment_ids: &[String],
    ) -> StoreResult<Vec<PaymentWarning>>;
    /// Per rule, how many of a merchant's payments created at or after
    /// `since` broke it, most frequent first.
    async fn warning_counts(&self, client_id: &str, since: i64) -> StoreResult<Vec<WarningCount>>;
    /// A merchant's newest `limit` warnings, newest first.
    async fn recent_warnings(
        &self,
        client_id: &str,
        limit: u32,
    ) -> StoreResult<Vec<PaymentWarning>>;
    async fn payment(&self, payment_id: &str) -> StoreResult<Option<Payment>>;
    async fn payment_by_request_id(
        &self,
        client_id: &str,
        request_id: &str,
    ) -> StoreResult<Option<Payment>>;
    async fn payment_by_token(&self, token: &str) -> StoreResult<Option<Payment>>;

    /// Inserts an attempt unless (payment_id, nonce) exists; a resubmitted
    /// form therefore returns the first attempt instead of paying twice.
    async fn insert_attempt(&self, attempt: &Attempt) -> StoreResult<Inserted<Attempt>>;
    async fn attempt(&self, attempt_id: &str) -> StoreResult<Option<Attempt>>;
    async fn attempt_by_wallet_token(&self, token: &str) -> StoreResult<Option<Attempt>>;
    async fn attempts(&self, payment_id: &str) -> StoreResult<Vec<Attempt>>;
    /// Compare-and-set of an attempt's state; true if applied.
    /// Records what the processor reported of an attempt's card
    /// ([`Attempt::card_details`]), replacing what an earlier step (the
    /// authorisation before a 3-D Secure challenge) recorded.
    async fn set_attempt_card_details(&self, attempt_id: &str, details: &str) -> StoreResult<()>;

    async fn update_attempt(
        &self,
        attempt_id: &str,
        from: &[AttemptState],
        to: AttemptState,
        result: Option<(&str, &str)>,
        settle_at: Option<i64>,
        at: i64,
    ) -> StoreResult<bool>;

    /// Moves the payment to `f.to` if its status is one of the table's
    /// sources for that state, updates the attempt, and queues the
    /// notification — all in one transaction. Returns false (and changes
    /// nothing) if the payment was no longer in a source state.
    async fn finalize_payment(&self, f: &Finalize) -> StoreResult<bool>;
    /// PROCESSING → PENDING (no notification), with the attempt to Async.
    async fn mark_pending(
        &self,
        payment_id: &str,
        attempt_id: &str,
        method: &str,
        at: i64,
    ) -> StoreResult<bool>;

    /// Open (PROCESSING) payments whose session expired by `now`, with no
    /// attempt still waiting for an asynchronous result.
    ///
    /// This and the other sweeps (`due_async_attempts`, `due_async_refunds`,
    /// `claim_due_notifications*`) take `now` as real time; a store opened
    /// with merchant clocks on (`--sandbox-clocks`) compares each row with
    /// its merchant's clock instead. Leases stay on real time.
    async fn expired_open_payments(&self, now: i64, limit: u32) -> StoreResult<Vec<Payment>>;
    /// Async attempts whose settle time has come.
    async fn due_async_attempts(&self, now: i64, limit: u32) -> StoreResult<Vec<Attempt>>;

    /// Claims up to `limit` due notifications by setting a lease, so that no
    /// other dispatcher (in this or another process) attempts them until
    /// `lease_until`. A crashed dispatcher's leases simply run out.
    async fn claim_due_notifications(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
    ) -> StoreResult<Vec<Notification>> {
        self.claim_due_notifications_except(now, lease_until, limit, &[])
            .await
    }
    /// As [`Store::claim_due_notifications`], skipping the notifications of
    /// `busy_clients` (merchants that already have their share of
    /// deliveries in flight on this node).
    async fn claim_due_notifications_except(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
        busy_clients: &[String],
    ) -> StoreResult<Vec<Notification>>;
    /// Records an attempt and the notification's next step atomically,
    /// whoever holds the notification's claim (tools and tests; the
    /// dispatcher uses [`Store::record_claimed_delivery`]).
    async fn record_delivery(
        &self,
        attempt: &DeliveryAttempt,
        next: DeliveryNext,
    ) -> StoreResult<()>;
    /// As [`Store::record_delivery`], only while the claim the attempt was
    /// made on still holds: the notification is PENDING with the
    /// `lease_until` that claim set. Each claim sets a later `lease_until`
    /// than the one it took over (it takes a row only once `now` has
    /// reached the old one, and leases are longer than 0), so the value is
    /// the claim's fencing token. False, and nothing recorded, when the
    /// lease ran out and the notification was claimed again (or its outcome
    /// recorded) meanwhile: the attempt was made — the merchant may get the
    /// notification twice, as with any at-least-once delivery — but the
    /// notification's state and log are the newer claim's, so a late
    /// acknowledgement is not a second acknowledged attempt and a late
    /// failure does not set an acknowledged notification back to pending.
    async fn record_claimed_delivery(
        &self,
        attempt: &DeliveryAttempt,
        next: DeliveryNext,
        lease_until: i64,
    ) -> StoreResult<bool>;
    async fn notifications_for(&self, subject_id: &str) -> StoreResult<Vec<Notification>>;
    async fn delivery_attempts(&self, notification_id: &str) -> StoreResult<Vec<DeliveryAttempt>>;
    /// `cashier listen`: a merchant's delivery attempts whose row id is
    /// above `after`, oldest first, each with its notification.
    async fn delivery_attempts_after(
        &self,
        client_id: &str,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ListenedAttempt>>;
    /// The earliest `next_attempt_at` of a pending notification, for sleeping.
    async fn next_notification_due(&self) -> StoreResult<Option<i64>>;

    /// Cancels a payment (compare-and-set from `from`), only while nothing
    /// has been refunded; records `cancel_time`. True if applied.
    async fn cancel_payment(
        &self,
        payment_id: &str,
        from: &[PaymentStatus],
        at: i64,
        result_code: &str,
        result_message: &str,
    ) -> StoreResult<bool>;

    /// Creates a refund atomically: an existing refund request id wins;
    /// otherwise the amount is reserved against the payment by one
    /// conditional update (`SUCCESS` and `refunded + amount <= amount`) and
    /// the refund row (and, for a final refund, its notification) inserted.
    /// A `FAIL` refund reserves nothing.
    async fn insert_refund(
        &self,
        refund: &Refund,
        notification: Option<&NewNotification>,
    ) -> StoreResult<RefundInsert>;
    /// `PROCESSING` → `SUCCESS`/`FAIL` with its notification; a failure
    /// releases the reserved amount. True if applied.
    async fn finish_refund(
        &self,
        refund_id: &str,
        to: RefundStatus,
        result_code: &str,
        result_message: &str,
        at: i64,
        notification: Option<&NewNotification>,
    ) -> StoreResult<bool>;
    async fn refund(&self, refund_id: &str) -> StoreResult<Option<Refund>>;
    async fn refund_by_request_id(
        &self,
        client_id: &str,
        request_id: &str,
    ) -> StoreResult<Option<Refund>>;
    async fn refunds_for_payment(&self, payment_id: &str) -> StoreResult<Vec<Refund>>;
    async fn due_async_refunds(&self, now: i64, limit: u32) -> StoreResult<Vec<Refund>>;

    /// Every PAYMENT, CANCEL and REFUND transaction of a merchant whose
    /// transaction time lies in `[from, to)`, ordered by time.
    async fn report_transactions(
        &self,
        client_id: &str,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<ReportTxn>>;
    /// Stores a generated report file; false if it already exists.
    async fn insert_report(
        &self,
        client_id: &str,
        date: &str,
        kind: &str,
        file_name: &str,
        content: &str,
        at: i64,
    ) -> StoreResult<bool>;
    /// Generated report files for a merchant and day: (kind, file name, content).
    async fn reports(
        &self,
        client_id: &str,
        date: &str,
    ) -> StoreResult<Vec<(String, String, String)>>;
    /// Replaces every stored file of one kind for a merchant and day with
    /// `files` (file name, content), in one transaction: regeneration.
    async fn replace_reports(
        &self,
        client_id: &str,
        date: &str,
        kind: &str,
        files: &[(String, String)],
        at: i64,
    ) -> StoreResult<()>;
    /// The days (`YYYY-MM-DD`, from `since` on) for which a merchant has a
    /// stored report file of `kind`. Reads only the primary-key index.
    async fn report_dates(
        &self,
        client_id: &str,
        kind: &str,
        since: &str,
    ) -> StoreResult<Vec<String>>;

    /// Stores `value` under `name` unless a value is already there, and
    /// returns the stored value (the first writer wins).
    async fn setting_or_insert(&self, name: &str, value: &str) -> StoreResult<String>;

    /// Takes (or renews) the named lease `name` for `holder` until
    /// `until_ms`, if it is free, expired by `now_ms`, or already held by
    /// `holder`; true if `holder` now holds it. For work that must run on
    /// one node at a time across many (e.g. a day's reports): each node
    /// passes its own holder id, and a dead holder's lease simply runs out.
    async fn try_lock_job(
        &self,
        name: &str,
        holder: &str,
        until_ms: i64,
        now_ms: i64,
    ) -> StoreResult<bool>;
    // ------------------------------------------------------------ dashboard

    /// Fails with [`StoreError::Conflict`] if the email is taken.
    async fn insert_dashboard_user(&self, user: &DashboardUser) -> StoreResult<()>;
    async fn dashboard_user(&self, user_id: &str) -> StoreResult<Option<DashboardUser>>;
    async fn dashboard_user_by_email(&self, email: &str) -> StoreResult<Option<DashboardUser>>;
    /// The user whose unexpired setup token hashes to `token_hash`.
    async fn dashboard_user_by_setup_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<Option<DashboardUser>>;
    /// Sets the password hash and consumes any setup token.
    async fn set_dashboard_password(&self, user_id: &str, password_hash: &str)
        -> StoreResult<bool>;
    async fn insert_dashboard_session(&self, session: &DashboardSession) -> StoreResult<()>;
    /// The session if it exists and has not expired by `now`.
    async fn dashboard_session(
        &self,
        session_hash: &str,
        now: i64,
    ) -> StoreResult<Option<DashboardSession>>;
    async fn delete_dashboard_session(&self, session_hash: &str) -> StoreResult<()>;
    /// Failed logins recorded for `key` in the window that started at or
    /// after `since` (0 if none or older).
    async fn login_failures(&self, key: &str, since: i64) -> StoreResult<u32>;
    /// Reserves one login attempt against every `(key, limit)` of `keys`
    /// as one atomic step, shared by all nodes: each key's count in its
    /// window (a window that started before `since` restarts at `now`)
    /// goes up by one if it is below its limit. Either every key is counted
    /// and the answer is true, or none is and it is false. A reserved
    /// attempt counts as a failure until [`Store::release_login_attempt`]
    /// or [`Store::clear_login_failures`] gives it back, so parallel
    /// attempts can never check more passwords than the limits allow.
    async fn reserve_login_attempt(
        &self,
        keys: &[(&str, u32)],
        since: i64,
        now: i64,
    ) -> StoreResult<bool>;
    /// Gives back one attempt reserved for `key` (the login succeeded, or
    /// no password was checked).
    async fn release_login_attempt(&self, key: &str) -> StoreResult<()>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    /// Dashboard settings: brand name, logo file, accent colour and default
    /// notify URL, all replaced at once. True if the merchant exists.
    async fn update_merchant_settings(&self, m: &Merchant) -> StoreResult<bool>;
    /// Manual resend: makes the notification due again at `now` (status
    /// `PENDING`), whatever its state, so the dispatcher of any node
    /// delivers it once more. Attempts already recorded stay. True if it exists.
    async fn requeue_notification(&self, notification_id: &str, now: i64) -> StoreResult<bool>;
    /// Payments created in `[from, to)` grouped by UTC+8 day (Antom's day,
    /// as in reports), currency and status; `client_id` `None` for every
    /// merchant.
    async fn daily_stats(
        &self,
        client_id: Option<&str>,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<DailyStat>>;
    /// One page of the payments list (see [`PaymentFilter`]).
    async fn list_payments(&self, filter: &PaymentFilter, limit: u32) -> StoreResult<Vec<Payment>>;

    // ------------------------------------------------------------ logos

    /// Stores a logo; a row with the same name and merchant already there
    /// is kept (names are content hashes, so it holds the same bytes).
    async fn insert_logo(&self, logo: &MerchantLogo) -> StoreResult<()>;
    /// The logo with this public name.
    async fn logo(&self, name: &str) -> StoreResult<Option<MerchantLogo>>;
    /// (client id, logo name) of merchants whose `logo_file` names no stored
    /// logo: files of installs from before logos moved into the database.
    async fn merchants_missing_logos(&self) -> StoreResult<Vec<(String, String)>>;

    // ------------------------------------------------------------ API request log

    /// Appends API request log rows in one multi-row `INSERT`.
    async fn insert_api_requests(&self, rows: &[ApiRequestRecord]) -> StoreResult<()>;
    /// A merchant's newest `limit` rows of one list (authenticated or
    /// not), newest first.
    async fn recent_api_requests(
        &self,
        client_id: &str,
        authenticated: bool,
        limit: u32,
    ) -> StoreResult<Vec<ApiRequestRecord>>;
    /// `cashier listen`: a merchant's authenticated API log rows whose row
    /// id is above `after`, oldest first.
    async fn api_requests_after(
        &self,
        client_id: &str,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ListenedRequest>>;
    /// Deletes a merchant's rows of one list older than its newest `keep`
    /// (in batches of [`API_LOG_PRUNE_BATCH`]); returns how many went.
    async fn prune_api_requests(
        &self,
        client_id: &str,
        authenticated: bool,
        keep: u32,
    ) -> StoreResult<u64>;
}

/// A processing payment for store tests: `payment_id` names its session and
/// token too; times are 1 ms after the epoch.
#[cfg(test)]
pub(crate) fn test_payment(payment_id: &str, client_id: &str, request_id: &str) -> Payment {
    Payment {
        payment_id: payment_id.into(),
        client_id: client_id.into(),
        payment_request_id: request_id.into(),
        fingerprint: "fp".into(),
        status: PaymentStatus::Processing,
        result_code: "PAYMENT_IN_PROCESS".into(),
        result_message: "payment in process".into(),
        currency: "SGD".into(),
        amount_minor: 100,
        reference_order_id: "O".into(),
        order_description: "d".into(),
        goods_json: "[]".into(),
        buyer_reference_id: None,
        redirect_url: "https://m.example.com/r".into(),
        notify_url: None,
        locale: None,
        terminal_type: None,
        methods_json: "[]".into(),
        preselected_method: None,
        session_id: format!("SES{payment_id}"),
        session_data: "x".into(),
        checkout_token: format!("tok{payment_id}"),
        session_expires_at: 1,
        payment_method_type: None,
        card_brand: None,
        card_last4: None,
        card_masked: None,
        card_details: None,
        created_at: 1,
        paid_at: None,
        closed_at: None,
        updated_at: 1,
        refunded_minor: 0,
        cancel_time: None,
        settlement_currency: None,
        settlement_rate: None,
        settlement_rate_at: None,
    }
}

/// [`Store::record_claimed_delivery`] on both backends: an outcome is
/// recorded only on the claim that holds the notification.
#[cfg(test)]
mod claimed_delivery_tests {
    use super::*;

    const T0: i64 = 1_700_000_000_000;
    const CLIENT: &str = "SANDBOX_FENCE";

    fn payment(n: u32) -> Payment {
        Payment {
            notify_url: Some("https://m.example.com/notify".into()),
            session_expires_at: T0 + 3_600_000,
            created_at: T0,
            updated_at: T0,
            ..test_payment(&format!("PAYFENCE{n}"), CLIENT, &format!("PR-FENCE-{n}"))
        }
    }

    /// A paid payment with its notification, due at T0.
    async fn notified(store: &dyn Store, n: u32) -> String {
        let p = payment(n);
        store.insert_payment(&p).await.unwrap();
        let id = format!("NFENCE{n}");
        let f = Finalize {
            payment_id: p.payment_id.clone(),
            to: PaymentStatus::Success,
            result_code: "SUCCESS".into(),
            result_message: "success.".into(),
            at: T0,
            method: Some("CARD".into()),
            card_brand: None,
            card_last4: None,
            card_masked: None,
            card_details: None,
            attempt: None,
            notification: Some(NewNotification {
                notification_id: id.clone(),
                client_id: CLIENT.into(),
                kind: "PAYMENT_RESULT".into(),
                subject_id: p.payment_id.clone(),
                payment_id: p.payment_id.clone(),
                url: "https://m.example.com/notify".into(),
                body: "{}".into(),
            }),
        };
        assert!(store.finalize_payment(&f).await.unwrap());
        id
    }

    fn attempt(n: &Notification, at: i64, acknowledged: bool) -> DeliveryAttempt {
        DeliveryAttempt {
            notification_id: n.notification_id.clone(),
            attempt_no: n.attempts + 1,
            attempted_at: at,
            http_status: Some(if acknowledged { 200 } else { 500 }),
            latency_ms: 1,
            response_excerpt: None,
            error: None,
            acknowledged,
            request_time: None,
            signature: None,
        }
    }

    fn next(acknowledged: bool, at: i64) -> DeliveryNext {
        if acknowledged {
            DeliveryNext::Delivered
        } else {
            DeliveryNext::RetryAt(at)
        }
    }

    async fn claim_one(store: &dyn Store, now: i64, lease_until: i64) -> Notification {
        let mut claimed = store
            .claim_due_notifications(now, lease_until, 10)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1, "{claimed:?}");
        claimed.pop().unwrap()
    }

    async fn check(store: &dyn Store, n: &Notification, delivered_at: i64) {
        let rows = store.notifications_for(&n.subject_id).await.unwrap();
        assert_eq!(
            (
                rows[0].status.as_str(),
                rows[0].attempts,
                rows[0].delivered_at
            ),
            ("DELIVERED", 1, Some(delivered_at)),
        );
        let log = store.delivery_attempts(&n.notification_id).await.unwrap();
        assert_eq!(log, [attempt(n, delivered_at, true)]);
    }

    async fn an_expired_claims_outcome_is_not_recorded(store: &dyn Store) {
        store
            .insert_merchant(&Merchant::for_tests(CLIENT, "Fence"))
            .await
            .unwrap();
        // The claim's lease (T0 + 60 s) runs out before its outcome comes
        // back; a second claim delivers and records first, then the late
        // outcome comes: an acknowledgement, or a failure.
        for (n, late_ack) in [(1, true), (2, false)] {
            notified(store, n).await;
            let first = claim_one(store, T0, T0 + 60_000).await;
            let second = claim_one(store, T0 + 60_000, T0 + 120_000).await;
            assert!(store
                .record_claimed_delivery(
                    &attempt(&second, T0 + 60_500, true),
                    DeliveryNext::Delivered,
                    T0 + 120_000
                )
                .await
                .unwrap());
            assert!(
                !store
                    .record_claimed_delivery(
                        &attempt(&first, T0 + 61_000, late_ack),
                        next(late_ack, T0 + 61_000),
                        T0 + 60_000
                    )
                    .await
                    .unwrap(),
                "a late outcome on a claim taken over is refused"
            );
            check(store, &second, T0 + 60_500).await;
        }
        // The late outcome comes back while the second claim is in flight:
        // refused, and the second claim still records its own.
        for (n, late_ack) in [(3, true), (4, false)] {
            notified(store, n).await;
            let first = claim_one(store, T0, T0 + 60_000).await;
            let second = claim_one(store, T0 + 60_000, T0 + 120_000).await;
            assert!(!store
                .record_claimed_delivery(
                    &attempt(&first, T0 + 61_000, late_ack),
                    next(late_ack, T0 + 61_000),
                    T0 + 60_000
                )
                .await
                .unwrap());
            assert!(store
                .record_claimed_delivery(
                    &attempt(&second, T0 + 60_500, true),
                    DeliveryNext::Delivered,
                    T0 + 120_000
                )
                .await
                .unwrap());
            check(store, &second, T0 + 60_500).await;
        }
        // A claim whose lease ran out but that nobody took over still
        // records its outcome, once.
        notified(store, 5).await;
        let only = claim_one(store, T0, T0 + 60_000).await;
        let a = attempt(&only, T0 + 90_000, true);
        assert!(store
            .record_claimed_delivery(&a, DeliveryNext::Delivered, T0 + 60_000)
            .await
            .unwrap());
        assert!(!store
            .record_claimed_delivery(&a, DeliveryNext::Delivered, T0 + 60_000)
            .await
            .unwrap());
        check(store, &only, T0 + 90_000).await;
        // Nothing left to deliver.
        assert!(store
            .claim_due_notifications(T0 + 10_000_000, T0 + 10_060_000, 10)
            .await
            .unwrap()
            .is_empty());
    }

    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("fence.sqlite3"))
            .await
            .unwrap();
        an_expired_claims_outcome_is_not_recorded(&store).await;
    }

    #[tokio::test]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
    )]
    async fn postgres() {
        let admin = std::env::var("CASHIER_TEST_POSTGRES_URL").expect("CASHIER_TEST_POSTGRES_URL");
        let db = postgres::admin::ScratchDatabase::create(&admin)
            .await
            .unwrap();
        let store = PostgresStore::open(&db.url).await.unwrap();
        an_expired_claims_outcome_is_not_recorded(&store).await;
    }
}
