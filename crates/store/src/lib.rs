//! # cashier-store
//!
//! The Cashier gateway's persistence behind one trait per concern: the
//! traits, the SQLite and PostgreSQL implementations, their migrations
//! (`migrations/`) and the payment state machine table ([`status`]) they
//! keep to. A crate of its own (issue #19), so the compiler holds the seam —
//! nothing here can name the gateway — and a change in the gateway does not
//! recompile the SQL layer. The gateway re-exports it as `store` (and
//! [`status`] as `status` and `payments::state`).
//!
//! The store speaks in whole business operations, each one atomic
//! ("finalize this payment if it is still open, and queue its notification"),
//! rather than in rows and transactions. That keeps the rules that protect
//! money — compare-and-set state changes, uniqueness of request ids, the
//! transactional outbox — inside the store implementations, where the
//! database enforces them, and lets SQLite (embedded default) and PostgreSQL
//! (multi-node) implement the same contract.
//!
//! The contract is split by concern, one module each with its trait and
//! records: [`PaymentStore`] (payments, attempts, warnings), [`RefundStore`],
//! [`OutboxStore`] (notifications and their deliveries), [`MerchantStore`]
//! (merchants and keys), [`ReportStore`] (reports, settings, job leases),
//! [`DashboardStore`] (dashboard users, sessions, login throttle, its
//! payment views), [`ApiLogStore`] (API request log, logos) and
//! [`StoreHealth`]. [`Store`] is all of them: `Arc<dyn Store>` is what the
//! gateway passes around (its methods need no import), and code that holds
//! a concrete store names the concern traits whose methods it calls.
//!
//! Each backend implements each concern in a file named after it
//! (`sqlite/outbox.rs` beside `postgres/outbox.rs`). What the two run alike
//! is written once, in the concern's module: its statements as constants,
//! and a macro (`outbox_store!` and the like) that implements the trait for
//! a backend from the methods the backend runs its own way plus the shared
//! ones. The SQL has `$n` parameters, which PostgreSQL takes and sqlx
//! numbers alike on SQLite; rusqlite (SQLite's group-commit writer and
//! read connections) binds by position, so a statement it runs names `$1`,
//! `$2`, … in the order they first appear. The macros' methods use what the
//! backend's module has in scope: `self.pool`, `begin_write`, the row
//! mappers of `rows`.

mod api_log;
#[cfg(test)]
mod architecture;
mod dashboard;
mod health;
pub mod ids;
mod merchants;
mod outbox;
mod payments;
pub mod postgres;
mod refunds;
mod reports;
mod rows;
pub mod sqlite;
pub mod status;
pub mod time;

pub use api_log::{
    ApiLogStore, ApiRequestRecord, ListenedRequest, MerchantLogo, API_LOG_PRUNE_BATCH,
};
pub(crate) use dashboard::{payments_list_query, Arg};
pub use dashboard::{
    split_sum, DailyStat, DashboardSession, DashboardStore, DashboardUser, PaymentFilter,
    ANTOM_DAY_OFFSET_MS, ROLE_ADMIN, ROLE_MERCHANT, SPLIT,
};
pub use health::{PoolStats, StoreCounts, StoreHealth, WriterStats};
pub use ids::{
    AttemptId, ClientId, NotificationId, PaymentId, PaymentRequestId, RefundId, RefundRequestId,
};
pub use merchants::{Merchant, MerchantKey, MerchantStore, RetireKey, MAX_CLOCK_OFFSET_MS};
pub use outbox::{
    DeliveryAttempt, DeliveryNext, ListenedAttempt, NewNotification, Notification, OutboxStore,
};
pub use payments::{
    Attempt, Finalize, GoodsRecord, Inserted, OfferedMethods, Payment, PaymentStore,
    PaymentWarning, WarningCount,
};
pub use postgres::PostgresStore;
pub use refunds::{Refund, RefundInsert, RefundStatus, RefundStore};
pub use reports::{ReportStore, ReportTxn};
pub use sqlite::SqliteStore;
pub use time::Timestamp;

/// Every concern of the store: what each backend implements, and what the
/// gateway holds (`Arc<dyn Store>`; upcast to `Arc<dyn PaymentStore>` and
/// the like where one concern is enough).
pub trait Store:
    PaymentStore
    + RefundStore
    + OutboxStore
    + MerchantStore
    + ReportStore
    + DashboardStore
    + ApiLogStore
    + StoreHealth
    + 'static
{
}

impl<T> Store for T where
    T: PaymentStore
        + RefundStore
        + OutboxStore
        + MerchantStore
        + ReportStore
        + DashboardStore
        + ApiLogStore
        + StoreHealth
        + 'static
{
}

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
    /// A stored value that does not decode into its record's type: an
    /// unknown currency, an amount that does not fit, goods or offered
    /// methods that are not their JSON. Read as this error instead of a
    /// panic or empty data.
    #[error("corrupt {table} row {id}: {what}")]
    CorruptRow {
        table: &'static str,
        id: String,
        what: String,
    },
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

/// Is `e` a unique constraint refusing a row (on either backend)?
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// The SQL condition "`col` is due by `now`", where `now` is the SQL of the
/// real time. Without sandbox clocks that is `col <= now`; with them each
/// row is due on its merchant's clock (`now` plus the merchant's offset,
/// `offset_of_row`), and a first bound by the largest offset of any merchant
/// keeps the condition an index range.
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// What the gateway holds can be handed on as any one of its concerns.
    #[tokio::test]
    async fn a_store_upcasts_to_each_concern() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("upcast.sqlite3");
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).await.unwrap());
        let health: Arc<dyn StoreHealth> = store.clone();
        health.ping().await.unwrap();
        let merchants: Arc<dyn MerchantStore> = store.clone();
        assert!(merchants.merchants().await.unwrap().is_empty());
        let _: Arc<dyn PaymentStore> = store.clone();
        let _: Arc<dyn RefundStore> = store.clone();
        let _: Arc<dyn OutboxStore> = store.clone();
        let _: Arc<dyn ReportStore> = store.clone();
        let _: Arc<dyn DashboardStore> = store.clone();
        let _: Arc<dyn ApiLogStore> = store;
    }
}
