//! [`MerchantStore`] on SQLite: the shared statements (`store/merchants.rs`).

use super::*;
use crate::merchants::merchant_store;
use crate::time::Timestamp;

merchant_store! {
    impl MerchantStore for SqliteStore {}
}

impl SqliteStore {
    /// Nothing to lock: the write transaction began `IMMEDIATE`, so no other
    /// writer runs until it ends (and a merchant that does not exist has no
    /// key to retire).
    async fn lock_merchant(_: &mut sqlx::Transaction<'static, Db>, _: &str) -> StoreResult<bool> {
        Ok(true)
    }
}
