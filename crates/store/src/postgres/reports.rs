//! [`ReportStore`] on PostgreSQL: the shared statements (`store/reports.rs`),
//! and the job lease as one statement.

use super::*;
use crate::reports::{report_store, TRY_LOCK_JOB};
use crate::time::Timestamp;

/// A regenerated report's file. ON CONFLICT: a regeneration racing on
/// another node wrote the same file name since our DELETE; the last
/// writer's content wins.
const INSERT_REGENERATED_REPORT: &str =
    "INSERT INTO reports (client_id, report_date, kind, file_name, content, generated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (client_id, report_date, kind, file_name)
     DO UPDATE SET content = EXCLUDED.content, generated_at = EXCLUDED.generated_at";

report_store! {
    impl ReportStore for PostgresStore {
        async fn try_lock_job(
            &self,
            name: &str,
            holder: &str,
            until: Timestamp,
            now: Timestamp,
        ) -> StoreResult<bool> {
            // One statement: concurrent callers serialise on the row (or on
            // the unique index for the first insert), and the condition is
            // evaluated on the newest version.
            let done = sqlx::query(TRY_LOCK_JOB)
                .bind(name)
                .bind(holder)
                .bind(until)
                .bind(now)
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() == 1)
        }
    }
}
