//! The embedded SQLite store: one file, WAL mode, `synchronous=FULL` so a
//! committed state change survives power loss before any `S` is answered.
//!
//! SQLite allows one writer at a time. Every write transaction starts with
//! `BEGIN IMMEDIATE`, taking the write lock up front, so two transactions can
//! never deadlock on a lock upgrade; waiters poll for the lock
//! (`direct::wait_for_lock`, on every connection) for up to about 30 s.
//!
//! The writes of a payment's life (new payments, attempts, finalize,
//! pending, cancel, refunds and their settlement) and the notification
//! claims, attempts and API-log rows share fsyncs through `group_commit`:
//! every such write waiting at one moment commits in one transaction, and
//! none is answered before that commit is durable. (They used to be sqlx
//! transactions of their own, one fsync each, which took turns with the
//! writer for the lock: the full payment path on SQLite did 201/s at 128 in
//! flight against 593/s through the writer.) The API's point lookups run
//! inline on `direct`'s read connections; everything else (schema,
//! migrations, the other statements) runs on the sqlx pool.
//!
//! Each concern's part of the store is in the file named after it
//! (`payments.rs`, `outbox.rs`, …), beside the PostgreSQL store's file of the
//! same name; the statements both run alike are written once, in the
//! concern's module of `store` (see there).

mod api_log;
mod dashboard;
mod direct;
mod group_commit;
mod health;
mod merchants;
mod outbox;
mod payments;
mod refunds;
mod reports;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqlitePool};

use crate::status::{AttemptState, PaymentStatus};
use crate::*;
use cashier_protocol::IntegrationWarning;

/// The backend's sqlx database, named alike by both backends for the
/// statements they share.
type Db = sqlx::Sqlite;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    writer: group_commit::GroupCommit,
    /// Inline point lookups for the API's hot reads (see `direct`).
    readers: Arc<direct::Readers>,
    /// Sweeps compare with each merchant's sandbox clock (`--sandbox-clocks`).
    merchant_clocks: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and migrates it.
    pub async fn open(path: &Path) -> StoreResult<SqliteStore> {
        SqliteStore::connect(SqliteConnectOptions::new().filename(path)).await
    }

    /// Opens from a `sqlite://` URL.
    pub async fn open_url(url: &str) -> StoreResult<SqliteStore> {
        // Payments must survive a restart, and the store opens several
        // connections to one file (the pool, the writer, the readers): an
        // in-memory database would be a different, empty one for each.
        if url.contains(":memory:") || url.contains("mode=memory") {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                "an in-memory SQLite database cannot hold payments; give a file, e.g. sqlite://cashier.db"
                    .into(),
            )));
        }
        SqliteStore::connect(SqliteConnectOptions::from_str(url)?).await
    }

    /// Sweeps compare each row with its merchant's sandbox clock
    /// (`--sandbox-clocks`) instead of real time.
    pub fn with_merchant_clocks(mut self, on: bool) -> SqliteStore {
        self.merchant_clocks = on;
        self
    }

    /// Opens the file `options` name with the store's settings (created if
    /// missing, WAL, `synchronous=FULL`, foreign keys).
    async fn connect(options: SqliteConnectOptions) -> StoreResult<SqliteStore> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        let path = options.get_filename().to_path_buf();
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            // A local file cannot drop a connection the way a server can, and
            // the default ping before each acquire cost every query a second
            // round trip to the connection's thread (seen in profiles).
            .test_before_acquire(false)
            .after_connect(|conn, _| Box::pin(async move { direct::poll_when_busy(conn).await }))
            .connect_with(options)
            .await?;
        run_migrations(&MIGRATOR, &pool).await?;
        // After the migrations: the direct connections only run statements.
        let writer = group_commit::GroupCommit::start(&path)?;
        let readers = Arc::new(direct::Readers::new(&path));
        Ok(SqliteStore {
            pool,
            writer,
            readers,
            merchant_clocks: false,
        })
    }

    /// A write transaction: `BEGIN IMMEDIATE`, so it holds the write lock
    /// from its first statement on.
    async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, Db>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

crate::rows::row_mappers!(SqliteRow);

#[cfg(test)]
mod tests {
    use super::SqliteStore;

    #[tokio::test]
    async fn an_in_memory_url_is_refused_with_a_reason() {
        for url in ["sqlite::memory:", "sqlite://file?mode=memory"] {
            let e = SqliteStore::open_url(url).await.err().expect("refused");
            assert!(e.to_string().contains("in-memory"), "{url}: {e}");
        }
    }
}
