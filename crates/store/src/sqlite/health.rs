//! [`StoreHealth`] on SQLite: the shared statements (`store/health.rs`).

use super::*;
use crate::health::store_health;
use crate::time::Timestamp;

store_health! {
    impl StoreHealth for SqliteStore {
        fn pool_stats(&self) -> PoolStats {
            PoolStats::of("sqlite", &self.pool, Some(self.writer.stats()))
        }
    }
}
