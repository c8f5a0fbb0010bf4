//! Health and operations: the readiness ping, row counts and the figures
//! `/metrics` reads from the store at scrape time.

use async_trait::async_trait;

use super::StoreResult;
use crate::time::Timestamp;

#[async_trait]
pub trait StoreHealth: Send + Sync {
    /// Cheap round trip for `/readyz`.
    async fn ping(&self) -> StoreResult<()>;

    async fn counts(&self) -> StoreResult<StoreCounts>;
    /// Undelivered notifications: (due at `now`, all pending). For metrics;
    /// two index-range counts.
    async fn notification_backlog(&self, now: Timestamp) -> StoreResult<(u64, u64)>;
    /// The connection pool, for metrics.
    fn pool_stats(&self) -> PoolStats;
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

impl PoolStats {
    /// The figures of a backend's sqlx pool, and of its writer if it has one.
    pub(crate) fn of<DB: sqlx::Database>(
        backend: &'static str,
        pool: &sqlx::Pool<DB>,
        writer: Option<WriterStats>,
    ) -> PoolStats {
        PoolStats {
            backend,
            size: pool.size(),
            idle: pool.num_idle() as u32,
            max: pool.options().get_max_connections(),
            writer,
        }
    }
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

/// Implements [`StoreHealth`] for a backend (`sqlite/health.rs`,
/// `postgres/health.rs`), which passes in `pool_stats`; the statements run
/// as written on both.
macro_rules! store_health {
    (impl StoreHealth for $store:ident { $($own:tt)* }) => {
        #[async_trait::async_trait]
        impl StoreHealth for $store {
            $($own)*

            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn counts(&self) -> StoreResult<StoreCounts> {
                let row = sqlx::query(
                    "SELECT (SELECT COUNT(*) FROM merchants) AS m, (SELECT COUNT(*) FROM payments) AS p,
                            (SELECT COUNT(*) FROM payment_attempts) AS a, (SELECT COUNT(*) FROM notifications) AS n,
                            (SELECT COUNT(*) FROM notifications WHERE status = 'PENDING') AS q",
                )
                .fetch_one(&self.pool)
                .await?;
                let get = |c: &str| -> StoreResult<u64> { Ok(row.try_get::<i64, _>(c)? as u64) };
                Ok(StoreCounts {
                    merchants: get("m")?,
                    payments: get("p")?,
                    attempts: get("a")?,
                    notifications: get("n")?,
                    pending_notifications: get("q")?,
                })
            }

            async fn notification_backlog(&self, now: Timestamp) -> StoreResult<(u64, u64)> {
                let row = sqlx::query(
                    "SELECT (SELECT COUNT(*) FROM notifications WHERE status = 'PENDING' AND next_attempt_at <= $1) AS due,
                            (SELECT COUNT(*) FROM notifications WHERE status = 'PENDING') AS pending",
                )
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                Ok((
                    row.try_get::<i64, _>("due")? as u64,
                    row.try_get::<i64, _>("pending")? as u64,
                ))
            }
        }
    };
}
pub(super) use store_health;
