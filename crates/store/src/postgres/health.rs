//! [`StoreHealth`] on PostgreSQL: the shared statements (`store/health.rs`).

use super::*;
use crate::health::store_health;
use crate::time::Timestamp;

store_health! {
    impl StoreHealth for PostgresStore {
        fn pool_stats(&self) -> PoolStats {
            PoolStats::of("postgres", &self.pool, None)
        }
    }
}
