//! The notification outbox: rows queued with the state changes that cause
//! them, claimed with leases by the dispatchers of every node, and the log of
//! their delivery attempts.

use async_trait::async_trait;

use super::StoreResult;
use crate::ids::{ClientId, NotificationId, PaymentId};
use crate::time::Timestamp;

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` due notifications by setting a lease, so that no
    /// other dispatcher (in this or another process) attempts them until
    /// `lease_until`. A crashed dispatcher's leases simply run out.
    async fn claim_due_notifications(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<Notification>> {
        self.claim_due_notifications_except(now, lease_until, limit, &[])
            .await
    }
    /// As [`OutboxStore::claim_due_notifications`], skipping the
    /// notifications of `busy_clients` (merchants that already have their
    /// share of deliveries in flight on this node).
    async fn claim_due_notifications_except(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
        busy_clients: &[ClientId],
    ) -> StoreResult<Vec<Notification>>;
    /// Records an attempt and the notification's next step atomically, only
    /// while the claim the attempt was made on still holds: the
    /// notification is PENDING with the `lease_until` that claim set. Each
    /// claim sets a later `lease_until` than the one it took over (it takes
    /// a row only once `now` has reached the old one, and leases are longer
    /// than 0), so the value is the claim's fencing token. False, and
    /// nothing recorded, when the lease ran out and the notification was
    /// claimed again (or its outcome recorded) meanwhile: the attempt was
    /// made — the merchant may get the notification twice, as with any
    /// at-least-once delivery — but the notification's state and log are
    /// the newer claim's, so a late acknowledgement is not a second
    /// acknowledged attempt and a late failure does not set an acknowledged
    /// notification back to pending.
    async fn record_claimed_delivery(
        &self,
        attempt: &DeliveryAttempt,
        next: DeliveryNext,
        lease_until: Timestamp,
    ) -> StoreResult<bool>;
    /// Manual resend: makes the notification due again at `now` (status
    /// `PENDING`), whatever its state, so the dispatcher of any node
    /// delivers it once more. Attempts already recorded stay. True if it exists.
    async fn requeue_notification(
        &self,
        notification_id: &NotificationId,
        now: Timestamp,
    ) -> StoreResult<bool>;
    async fn notifications_for(&self, subject_id: &str) -> StoreResult<Vec<Notification>>;
    async fn delivery_attempts(
        &self,
        notification_id: &NotificationId,
    ) -> StoreResult<Vec<DeliveryAttempt>>;
    /// `cashier listen`: a merchant's delivery attempts whose row id is
    /// above `after`, oldest first, each with its notification.
    async fn delivery_attempts_after(
        &self,
        client_id: &ClientId,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ListenedAttempt>>;
    /// The earliest `next_attempt_at` of a pending notification, for sleeping.
    async fn next_notification_due(&self) -> StoreResult<Option<Timestamp>>;
}

/// A notification to queue in the outbox, in the same transaction as the
/// state change that causes it.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub notification_id: NotificationId,
    pub client_id: ClientId,
    pub kind: String,
    pub subject_id: String,
    /// The payment concerned (the subject itself for payment notifications).
    pub payment_id: PaymentId,
    pub url: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub notification_id: NotificationId,
    pub client_id: ClientId,
    pub kind: String,
    pub subject_id: String,
    pub url: String,
    pub body: String,
    pub status: String,
    pub attempts: u32,
    pub next_attempt_at: Timestamp,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    pub notification_id: NotificationId,
    pub attempt_no: u32,
    pub attempted_at: Timestamp,
    pub http_status: Option<u16>,
    pub latency_ms: i64,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
    pub acknowledged: bool,
    /// The `request-time` and `signature` headers the attempt was sent with
    /// (`None` when it failed before signing, or was made before they were
    /// recorded), so the exact request can be replayed (`cashier listen`).
    pub request_time: Option<String>,
    pub signature: Option<String>,
}

/// A delivery attempt as `cashier listen` follows it: the row id (the
/// cursor), the notification and the attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenedAttempt {
    pub id: i64,
    pub notification: Notification,
    pub attempt: DeliveryAttempt,
}

/// What happens to a notification after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryNext {
    Delivered,
    RetryAt(Timestamp),
    GiveUp,
}

// Statements both backends run, on sqlx or (SQLite's group-commit writer)
// rusqlite, which binds by position: each names `$1`, `$2`, … in the order
// they first appear.

/// Queues an outbox row, due at once (`$8`), in the transaction of the
/// state change that causes it.
pub(super) const INSERT_NOTIFICATION: &str =
    "INSERT INTO notifications (notification_id, client_id, kind, subject_id, payment_id, url, body, status,
        attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', 0, $8, $8)";

/// An attempt's outcome, only while the claim it was made on (its
/// `lease_until`, `$6`) still holds the notification.
pub(super) const RECORD_OUTCOME: &str =
    "UPDATE notifications SET status = $1, attempts = $2, next_attempt_at = COALESCE($3, next_attempt_at),
        delivered_at = COALESCE($4, delivered_at), lease_until = NULL
     WHERE notification_id = $5 AND status = 'PENDING' AND lease_until = $6";

pub(super) const INSERT_DELIVERY_ATTEMPT: &str =
    "INSERT INTO notification_attempts (notification_id, attempt_no, attempted_at, http_status, latency_ms,
        response_excerpt, error, acknowledged, request_time, signature)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// The notification's columns after an attempt that led to `next`:
/// (status, next attempt time to set, delivery time to set).
pub(super) fn outcome(
    a: &DeliveryAttempt,
    next: DeliveryNext,
) -> (&'static str, Option<Timestamp>, Option<Timestamp>) {
    match next {
        DeliveryNext::Delivered => ("DELIVERED", None, Some(a.attempted_at)),
        DeliveryNext::RetryAt(t) => ("PENDING", Some(t), None),
        DeliveryNext::GiveUp => ("FAILED", None, None),
    }
}

/// Implements [`OutboxStore`] for a backend (`sqlite/outbox.rs`,
/// `postgres/outbox.rs`), which passes in the claims and the recording of
/// attempts: the other statements run as written on both (sqlx numbers `$n`
/// parameters on SQLite too). The backend brings `self.pool`, the row
/// mappers, and the two reads whose ties each orders its own way:
/// `NOTIFICATIONS_FOR` and `DELIVERY_ATTEMPTS`.
macro_rules! outbox_store {
    (impl OutboxStore for $store:ident { $($own:tt)* }) => {
        #[async_trait::async_trait]
        impl OutboxStore for $store {
            $($own)*

            async fn requeue_notification(&self, notification_id: &NotificationId, now: Timestamp) -> StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE notifications SET status = 'PENDING', next_attempt_at = $1 WHERE notification_id = $2",
                )
                .bind(now)
                .bind(notification_id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn notifications_for(&self, subject_id: &str) -> StoreResult<Vec<Notification>> {
                sqlx::query(NOTIFICATIONS_FOR)
                    .bind(subject_id)
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(notification_from)
                    .collect()
            }

            async fn delivery_attempts(&self, notification_id: &NotificationId) -> StoreResult<Vec<DeliveryAttempt>> {
                sqlx::query(DELIVERY_ATTEMPTS)
                    .bind(notification_id)
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(delivery_from)
                    .collect()
            }

            async fn delivery_attempts_after(
                &self,
                client_id: &ClientId,
                after: i64,
                limit: u32,
            ) -> StoreResult<Vec<ListenedAttempt>> {
                // The attempts joined with their notification; the
                // attempt's row id is `attempt_row_id`.
                sqlx::query(
                    "SELECT a.id AS attempt_row_id, a.notification_id, a.attempt_no, a.attempted_at,
                            a.http_status, a.latency_ms, a.response_excerpt, a.error, a.acknowledged,
                            a.request_time, a.signature,
                            n.client_id, n.kind, n.subject_id, n.url, n.body, n.status, n.attempts,
                            n.next_attempt_at, n.created_at, n.delivered_at
                     FROM notification_attempts a
                     JOIN notifications n ON n.notification_id = a.notification_id
                     WHERE n.client_id = $1 AND a.id > $2
                     ORDER BY a.id LIMIT $3",
                )
                .bind(client_id)
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|row| {
                    Ok(ListenedAttempt {
                        id: row.try_get("attempt_row_id")?,
                        notification: notification_from(row)?,
                        attempt: delivery_from(row)?,
                    })
                })
                .collect()
            }

            async fn next_notification_due(&self) -> StoreResult<Option<Timestamp>> {
                let row = sqlx::query(
                    "SELECT MIN(next_attempt_at) AS t FROM notifications WHERE status = 'PENDING'",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(row.try_get("t")?)
            }
        }
    };
}
pub(super) use outbox_store;

/// [`OutboxStore::record_claimed_delivery`] on both backends: an outcome is
/// recorded only on the claim that holds the notification.
#[cfg(test)]
mod claimed_delivery_tests {
    use super::*;
    use crate::payments::test_payment;
    use crate::status::PaymentStatus;
    use crate::{postgres, Finalize, Merchant, Payment, PostgresStore, SqliteStore, Store};

    const T0: Timestamp = Timestamp::from_millis(1_700_000_000_000);

    fn ms(n: i64) -> chrono::Duration {
        chrono::Duration::milliseconds(n)
    }
    const CLIENT: &str = "SANDBOX_FENCE";

    fn payment(n: u32) -> Payment {
        Payment {
            notify_url: Some("https://m.example.com/notify".into()),
            session_expires_at: T0 + ms(3_600_000),
            created_at: T0,
            updated_at: T0,
            ..test_payment(&format!("PAYFENCE{n}"), CLIENT, &format!("PR-FENCE-{n}"))
        }
    }

    /// A paid payment with its notification, due at T0.
    async fn notified(store: &dyn Store, n: u32) -> NotificationId {
        let p = payment(n);
        store.insert_payment(&p).await.unwrap();
        let id = NotificationId::from(format!("NFENCE{n}"));
        let f = Finalize {
            payment_id: p.payment_id.clone(),
            to: PaymentStatus::Success,
            result_code: "SUCCESS".into(),
            result_message: "success.".into(),
            at: T0,
            method: Some("CARD".into()),
            card_brand: None,
            card_last4: None,
            card_masked: None,
            card_details: None,
            attempt: None,
            notification: Some(NewNotification {
                notification_id: id.clone(),
                client_id: CLIENT.into(),
                kind: "PAYMENT_RESULT".into(),
                subject_id: p.payment_id.to_string(),
                payment_id: p.payment_id.clone(),
                url: "https://m.example.com/notify".into(),
                body: "{}".into(),
            }),
        };
        assert!(store.finalize_payment(&f).await.unwrap());
        id
    }

    fn attempt(n: &Notification, at: Timestamp, acknowledged: bool) -> DeliveryAttempt {
        DeliveryAttempt {
            notification_id: n.notification_id.clone(),
            attempt_no: n.attempts + 1,
            attempted_at: at,
            http_status: Some(if acknowledged { 200 } else { 500 }),
            latency_ms: 1,
            response_excerpt: None,
            error: None,
            acknowledged,
            request_time: None,
            signature: None,
        }
    }

    fn next(acknowledged: bool, at: Timestamp) -> DeliveryNext {
        if acknowledged {
            DeliveryNext::Delivered
        } else {
            DeliveryNext::RetryAt(at)
        }
    }

    async fn claim_one(store: &dyn Store, now: Timestamp, lease_until: Timestamp) -> Notification {
        let mut claimed = store
            .claim_due_notifications(now, lease_until, 10)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1, "{claimed:?}");
        claimed.pop().unwrap()
    }

    async fn check(store: &dyn Store, n: &Notification, delivered_at: Timestamp) {
        let rows = store.notifications_for(&n.subject_id).await.unwrap();
        assert_eq!(
            (
                rows[0].status.as_str(),
                rows[0].attempts,
                rows[0].delivered_at
            ),
            ("DELIVERED", 1, Some(delivered_at)),
        );
        let log = store.delivery_attempts(&n.notification_id).await.unwrap();
        assert_eq!(log, [attempt(n, delivered_at, true)]);
    }

    async fn an_expired_claims_outcome_is_not_recorded(store: &dyn Store) {
        store
            .insert_merchant(&Merchant::for_tests(&ClientId::from(CLIENT), "Fence"))
            .await
            .unwrap();
        // The claim's lease (T0 + ms(60 s)) runs out before its outcome comes
        // back; a second claim delivers and records first, then the late
        // outcome comes: an acknowledgement, or a failure.
        for (n, late_ack) in [(1, true), (2, false)] {
            notified(store, n).await;
            let first = claim_one(store, T0, T0 + ms(60_000)).await;
            let second = claim_one(store, T0 + ms(60_000), T0 + ms(120_000)).await;
            assert!(store
                .record_claimed_delivery(
                    &attempt(&second, T0 + ms(60_500), true),
                    DeliveryNext::Delivered,
                    T0 + ms(120_000)
                )
                .await
                .unwrap());
            assert!(
                !store
                    .record_claimed_delivery(
                        &attempt(&first, T0 + ms(61_000), late_ack),
                        next(late_ack, T0 + ms(61_000)),
                        T0 + ms(60_000)
                    )
                    .await
                    .unwrap(),
                "a late outcome on a claim taken over is refused"
            );
            check(store, &second, T0 + ms(60_500)).await;
        }
        // The late outcome comes back while the second claim is in flight:
        // refused, and the second claim still records its own.
        for (n, late_ack) in [(3, true), (4, false)] {
            notified(store, n).await;
            let first = claim_one(store, T0, T0 + ms(60_000)).await;
            let second = claim_one(store, T0 + ms(60_000), T0 + ms(120_000)).await;
            assert!(!store
                .record_claimed_delivery(
                    &attempt(&first, T0 + ms(61_000), late_ack),
                    next(late_ack, T0 + ms(61_000)),
                    T0 + ms(60_000)
                )
                .await
                .unwrap());
            assert!(store
                .record_claimed_delivery(
                    &attempt(&second, T0 + ms(60_500), true),
                    DeliveryNext::Delivered,
                    T0 + ms(120_000)
                )
                .await
                .unwrap());
            check(store, &second, T0 + ms(60_500)).await;
        }
        // A claim whose lease ran out but that nobody took over still
        // records its outcome, once.
        notified(store, 5).await;
        let only = claim_one(store, T0, T0 + ms(60_000)).await;
        let a = attempt(&only, T0 + ms(90_000), true);
        assert!(store
            .record_claimed_delivery(&a, DeliveryNext::Delivered, T0 + ms(60_000))
            .await
            .unwrap());
        assert!(!store
            .record_claimed_delivery(&a, DeliveryNext::Delivered, T0 + ms(60_000))
            .await
            .unwrap());
        check(store, &only, T0 + ms(90_000)).await;
        // Nothing left to deliver.
        assert!(store
            .claim_due_notifications(T0 + ms(10_000_000), T0 + ms(10_060_000), 10)
            .await
            .unwrap()
            .is_empty());
    }

    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("fence.sqlite3"))
            .await
            .unwrap();
        an_expired_claims_outcome_is_not_recorded(&store).await;
    }

    #[tokio::test]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
    )]
    async fn postgres() {
        let admin = std::env::var("CASHIER_TEST_POSTGRES_URL").expect("CASHIER_TEST_POSTGRES_URL");
        let db = postgres::admin::ScratchDatabase::create(&admin)
            .await
            .unwrap();
        let store = PostgresStore::open(&db.url).await.unwrap();
        an_expired_claims_outcome_is_not_recorded(&store).await;
    }
}
