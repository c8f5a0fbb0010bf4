//! Health and operations: the readiness ping, row counts and the figures
//! `/metrics` reads from the store at scrape time.

use async_trait::async_trait;

use super::StoreResult;

#[async_trait]
pub trait StoreHealth: Send + Sync {
    /// Cheap round trip for `/readyz`.
    async fn ping(&self) -> StoreResult<()>;

    async fn counts(&self) -> StoreResult<StoreCounts>;
    /// Undelivered notifications: (due at `now`, all pending). For metrics;
    /// two index-range counts.
    async fn notification_backlog(&self, now: i64) -> StoreResult<(u64, u64)>;
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
