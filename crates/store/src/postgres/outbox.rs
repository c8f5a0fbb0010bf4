//! [`OutboxStore`] on PostgreSQL: the shared statements (`store/outbox.rs`);
//! claims take rows with `FOR UPDATE SKIP LOCKED`.

use super::*;
use crate::outbox::{
    outbox_store, outcome, INSERT_DELIVERY_ATTEMPT, INSERT_NOTIFICATION, RECORD_OUTCOME,
};
use crate::time::Timestamp;

const NOTIFICATIONS_FOR: &str =
    "SELECT * FROM notifications WHERE subject_id = $1 ORDER BY created_at, notification_id";

const DELIVERY_ATTEMPTS: &str =
    "SELECT * FROM notification_attempts WHERE notification_id = $1 ORDER BY attempt_no, id";

outbox_store! {
    impl OutboxStore for PostgresStore {
        async fn claim_due_notifications_except(
            &self,
            now: Timestamp,
            lease_until: Timestamp,
            limit: u32,
            busy_clients: &[ClientId],
        ) -> StoreResult<Vec<Notification>> {
            // SKIP LOCKED: a row another node is claiming right now is left to
            // it. A row claimed and committed since this statement's snapshot is
            // re-checked on its newest version when locked (READ COMMITTED), so
            // its fresh lease excludes it. Refund notifications wait until the
            // payment's own notification has been attempted once (as in SQLite).
            let offset = self
                .merchant_clocks
                .then(|| offset_of_client("n.client_id"));
            let due = due_sql("n.next_attempt_at", "$2", offset.as_deref());
            let sql = format!(
                "UPDATE notifications SET lease_until = $1
                 WHERE notification_id IN (
                    SELECT n.notification_id FROM notifications n
                    WHERE n.status = 'PENDING' AND {due}
                      AND (n.lease_until IS NULL OR n.lease_until <= $2)
                      AND NOT (n.kind <> 'PAYMENT_RESULT' AND EXISTS (
                          SELECT 1 FROM notifications p WHERE p.kind = 'PAYMENT_RESULT' AND p.subject_id = n.payment_id
                            AND p.status = 'PENDING' AND p.attempts = 0))
                      AND n.client_id <> ALL($4)
                    ORDER BY n.next_attempt_at LIMIT $3
                    FOR UPDATE OF n SKIP LOCKED)
                 RETURNING *"
            );
            let rows = sqlx::query(&sql)
                .bind(lease_until)
                .bind(now)
                .bind(i64::from(limit))
                .bind(busy_clients)
                .fetch_all(&self.pool)
                .await?;
            let mut claimed = rows
                .iter()
                .map(notification_from)
                .collect::<StoreResult<Vec<_>>>()?;
            claimed.sort_by_key(|n| n.next_attempt_at);
            Ok(claimed)
        }

        async fn record_claimed_delivery(
            &self,
            a: &DeliveryAttempt,
            next: DeliveryNext,
            lease_until: Timestamp,
        ) -> StoreResult<bool> {
            // The update comes first and, under READ COMMITTED, waits for a
            // claim of the row in progress and re-checks the lease on the
            // version it committed.
            let (status, next_at, delivered_at) = outcome(a, next);
            let mut tx = self.pool.begin().await?;
            let updated = sqlx::query(RECORD_OUTCOME)
                .bind(status)
                .bind(i64::from(a.attempt_no))
                .bind(next_at)
                .bind(delivered_at)
                .bind(&a.notification_id)
                .bind(lease_until)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if updated == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(INSERT_DELIVERY_ATTEMPT)
                .bind(&a.notification_id)
                .bind(i64::from(a.attempt_no))
                .bind(a.attempted_at)
                .bind(a.http_status.map(i64::from))
                .bind(a.latency_ms)
                .bind(&a.response_excerpt)
                .bind(&a.error)
                .bind(a.acknowledged)
                .bind(&a.request_time)
                .bind(&a.signature)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        }
    }
}

/// Inserts an outbox row inside a transaction.
pub(super) async fn insert_notification(
    tx: &mut sqlx::PgConnection,
    n: &NewNotification,
    at: Timestamp,
) -> StoreResult<()> {
    sqlx::query(INSERT_NOTIFICATION)
        .bind(&n.notification_id)
        .bind(&n.client_id)
        .bind(&n.kind)
        .bind(&n.subject_id)
        .bind(&n.payment_id)
        .bind(&n.url)
        .bind(&n.body)
        .bind(at)
        .execute(tx)
        .await?;
    Ok(())
}
