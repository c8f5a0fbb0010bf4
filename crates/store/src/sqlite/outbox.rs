//! [`OutboxStore`] on SQLite: the shared statements (`store/outbox.rs`);
//! claims and the recording of attempts go through the group-commit writer.

use rusqlite::{params, Connection};

use super::direct::{self, prepare};
use super::*;
use crate::outbox::{
    outbox_store, outcome, INSERT_DELIVERY_ATTEMPT, INSERT_NOTIFICATION, RECORD_OUTCOME,
};
use crate::time::Timestamp;

const NOTIFICATIONS_FOR: &str =
    "SELECT * FROM notifications WHERE subject_id = $1 ORDER BY created_at";

const DELIVERY_ATTEMPTS: &str =
    "SELECT * FROM notification_attempts WHERE notification_id = $1 ORDER BY attempt_no";

outbox_store! {
    impl OutboxStore for SqliteStore {
        async fn claim_due_notifications_except(
            &self,
            now: Timestamp,
            lease_until: Timestamp,
            limit: u32,
            busy_clients: &[ClientId],
        ) -> StoreResult<Vec<Notification>> {
            let busy = serde_json::to_string(busy_clients).expect("strings serialise");
            let clocks = self.merchant_clocks;
            // Through the group-commit writer: a claim is a write, and as its own
            // transaction it took the write lock and an fsync of its own between
            // the batches recording the previous deliveries' outcomes, which
            // capped delivery at about one claim per two fsyncs.
            self.writer
                .write_statement(move |conn| claim_on(conn, now, lease_until, limit, &busy, clocks))
                .await
        }

        async fn record_claimed_delivery(
            &self,
            a: &DeliveryAttempt,
            next: DeliveryNext,
            lease_until: Timestamp,
        ) -> StoreResult<bool> {
            let a = a.clone();
            self.writer
                .write(move |conn| record_claimed_delivery_on(conn, &a, next, lease_until))
                .await
        }
    }
}

/// Inserts an outbox row (inside the caller's group-commit write).
pub(super) fn insert_notification_on(
    conn: &Connection,
    n: &NewNotification,
    at: Timestamp,
) -> StoreResult<()> {
    prepare(conn, INSERT_NOTIFICATION)?.execute(params![
        n.notification_id,
        n.client_id,
        n.kind,
        n.subject_id,
        n.payment_id,
        n.url,
        n.body,
        at
    ])?;
    Ok(())
}

/// Leases up to `limit` due notifications (see
/// [`OutboxStore::claim_due_notifications_except`]); `busy_clients_json` is
/// the merchants to skip, as a JSON array.
fn claim_on(
    conn: &Connection,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
    busy_clients_json: &str,
    merchant_clocks: bool,
) -> StoreResult<Vec<Notification>> {
    let offset = merchant_clocks.then(|| offset_of_client("notifications.client_id"));
    let due = due_sql("next_attempt_at", "?2", offset.as_deref());
    direct::all(
        conn,
        &format!("UPDATE notifications SET lease_until = ?1
         WHERE notification_id IN (
            SELECT notification_id FROM notifications
            WHERE status = 'PENDING' AND {due} AND (lease_until IS NULL OR lease_until <= ?2)
              AND NOT (kind <> 'PAYMENT_RESULT' AND EXISTS (
                  SELECT 1 FROM notifications p WHERE p.kind = 'PAYMENT_RESULT' AND p.subject_id = notifications.payment_id
                    AND p.status = 'PENDING' AND p.attempts = 0))
              AND client_id NOT IN (SELECT value FROM json_each(?3))
            ORDER BY next_attempt_at LIMIT ?4)
         RETURNING *"),
        params![lease_until, now, busy_clients_json, i64::from(limit)],
        direct::notification_from,
    )
}

/// Records one delivery attempt and the notification's next state inside a
/// group-commit batch (two statements: the caller wraps it in a savepoint),
/// only while the claim that set `lease_until` holds the notification; false,
/// with nothing written, otherwise (see
/// [`OutboxStore::record_claimed_delivery`]).
fn record_claimed_delivery_on(
    conn: &Connection,
    a: &DeliveryAttempt,
    next: DeliveryNext,
    lease_until: Timestamp,
) -> StoreResult<bool> {
    let (status, next_at, delivered_at) = outcome(a, next);
    let updated = prepare(conn, RECORD_OUTCOME)?.execute(params![
        status,
        i64::from(a.attempt_no),
        next_at,
        delivered_at,
        a.notification_id,
        lease_until,
    ])?;
    if updated == 0 {
        return Ok(false);
    }
    prepare(conn, INSERT_DELIVERY_ATTEMPT)?.execute(params![
        a.notification_id,
        i64::from(a.attempt_no),
        a.attempted_at,
        a.http_status.map(i64::from),
        a.latency_ms,
        a.response_excerpt,
        a.error,
        a.acknowledged,
        a.request_time,
        a.signature,
    ])?;
    Ok(true)
}
