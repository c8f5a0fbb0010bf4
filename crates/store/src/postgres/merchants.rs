//! [`MerchantStore`] on PostgreSQL: the shared statements
//! (`store/merchants.rs`).

use super::*;
use crate::merchants::merchant_store;
use crate::time::Timestamp;

merchant_store! {
    impl MerchantStore for PostgresStore {}
}

impl PostgresStore {
    /// Locks the merchant row: retirements of one merchant's keys take
    /// turns, so two of them racing on the last two active keys cannot
    /// both see two. (NO KEY UPDATE: new payments and new keys, which
    /// only take KEY SHARE through their foreign keys, are not held up.)
    /// False if there is no such merchant.
    async fn lock_merchant(
        tx: &mut sqlx::Transaction<'static, Db>,
        client_id: &ClientId,
    ) -> StoreResult<bool> {
        let merchant =
            sqlx::query("SELECT 1 FROM merchants WHERE client_id = $1 FOR NO KEY UPDATE")
                .bind(client_id)
                .fetch_optional(&mut **tx)
                .await?;
        Ok(merchant.is_some())
    }
}
