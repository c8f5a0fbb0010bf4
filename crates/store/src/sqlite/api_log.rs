//! [`ApiLogStore`] on SQLite: the shared statements (`store/api_log.rs`), and
//! new rows through the group-commit writer.

use rusqlite::{params, Connection};

use super::direct::prepare;
use super::*;
use crate::api_log::api_log_store;

api_log_store! {
    impl ApiLogStore for SqliteStore {
        async fn insert_api_requests(&self, rows: &[ApiRequestRecord]) -> StoreResult<()> {
            if rows.is_empty() {
                return Ok(());
            }
            // Through the group-commit writer: as a transaction of its own, each
            // flush took the write lock and an fsync between the writer's batches.
            let rows = rows.to_vec();
            self.writer
                .write(move |conn| insert_api_requests_on(conn, &rows))
                .await
        }
    }
}

/// Appends API log rows inside a group-commit batch (one statement per
/// row, so the caller wraps it in a savepoint).
fn insert_api_requests_on(conn: &Connection, rows: &[ApiRequestRecord]) -> StoreResult<()> {
    let mut insert = prepare(
        conn,
        "INSERT INTO api_requests (client_id, at, api, result_code, result_status, latency_us, request_id, authenticated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    for r in rows {
        insert.execute(params![
            r.client_id,
            r.at,
            r.api,
            r.result_code,
            r.result_status,
            r.latency_us,
            r.request_id,
            r.authenticated,
        ])?;
    }
    Ok(())
}
