//! [`ReportStore`] on SQLite: the shared statements (`store/reports.rs`), and
//! the job lease in a write transaction of its own.

use super::*;
use crate::reports::{report_store, TRY_LOCK_JOB};
use crate::time::Timestamp;

/// A regenerated report's file. A plain insert: the transaction holds the
/// write lock from the DELETE before it on, so nothing else writes there.
const INSERT_REGENERATED_REPORT: &str =
    "INSERT INTO reports (client_id, report_date, kind, file_name, content, generated_at)
     VALUES ($1, $2, $3, $4, $5, $6)";

report_store! {
    impl ReportStore for SqliteStore {
        async fn try_lock_job(
            &self,
            name: &str,
            holder: &str,
            until: Timestamp,
            now: Timestamp,
        ) -> StoreResult<bool> {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(TRY_LOCK_JOB)
                .bind(name)
                .bind(holder)
                .bind(until)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(done.rows_affected() == 1)
        }
    }
}
