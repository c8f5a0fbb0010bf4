//! [`ApiLogStore`] on PostgreSQL: the shared statements (`store/api_log.rs`),
//! and new rows in one multi-row `INSERT`.

use super::*;
use crate::api_log::api_log_store;

api_log_store! {
    impl ApiLogStore for PostgresStore {
        async fn insert_api_requests(&self, rows: &[ApiRequestRecord]) -> StoreResult<()> {
            if rows.is_empty() {
                return Ok(());
            }
            let mut q = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO api_requests (client_id, at, api, result_code, result_status, latency_us, request_id, authenticated) ",
            );
            q.push_values(rows, |mut b, r| {
                b.push_bind(&r.client_id)
                    .push_bind(r.at)
                    .push_bind(&r.api)
                    .push_bind(&r.result_code)
                    .push_bind(&r.result_status)
                    .push_bind(r.latency_us)
                    .push_bind(&r.request_id)
                    .push_bind(r.authenticated);
            });
            q.build().execute(&self.pool).await?;
            Ok(())
        }
    }
}
