//! The embedded SQLite store: one file, WAL mode, `synchronous=FULL` so a
//! committed state change survives power loss before any `S` is answered.
//!
//! SQLite allows one writer at a time. Every write transaction starts with
//! `BEGIN IMMEDIATE`, taking the write lock up front, so two transactions can
//! never deadlock on a lock upgrade; waiters poll for the lock
//! (`direct::wait_for_lock`, on every connection) for up to about 30 s.
//!
//! The writes of a payment's life (new payments, attempts, finalize,
//! pending, cancel, refunds and their settlement) and the notification
//! claims, attempts and API-log rows share fsyncs through `group_commit`:
//! every such write waiting at one moment commits in one transaction, and
//! none is answered before that commit is durable. (They used to be sqlx
//! transactions of their own, one fsync each, which took turns with the
//! writer for the lock: the full payment path on SQLite did 201/s at 128 in
//! flight against 593/s through the writer.) The API's point lookups run
//! inline on `direct`'s read connections; everything else (schema,
//! migrations, the other statements) runs on the sqlx pool.

mod direct;
mod group_commit;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqlitePool};

use super::*;
use crate::status::{AttemptState, PaymentStatus};
use cashier_protocol::IntegrationWarning;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    writer: group_commit::GroupCommit,
    /// Inline point lookups for the API's hot reads (see `direct`).
    readers: Arc<direct::Readers>,
    /// Sweeps compare with each merchant's sandbox clock (`--sandbox-clocks`).
    merchant_clocks: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and migrates it.
    pub async fn open(path: &Path) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        SqliteStore::connect(options).await
    }

    /// Opens from a `sqlite://` URL.
    pub async fn open_url(url: &str) -> StoreResult<SqliteStore> {
        // Payments must survive a restart, and the store opens several
        // connections to one file (the pool, the writer, the readers): an
        // in-memory database would be a different, empty one for each.
        if url.contains(":memory:") || url.contains("mode=memory") {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                "an in-memory SQLite database cannot hold payments; give a file, e.g. sqlite://cashier.db"
                    .into(),
            )));
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        SqliteStore::connect(options).await
    }

    /// Sweeps compare each row with its merchant's sandbox clock
    /// (`--sandbox-clocks`) instead of real time.
    pub fn with_merchant_clocks(mut self, on: bool) -> SqliteStore {
        self.merchant_clocks = on;
        self
    }

    async fn connect(options: SqliteConnectOptions) -> StoreResult<SqliteStore> {
        let path = options.get_filename().to_path_buf();
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            // A local file cannot drop a connection the way a server can, and
            // the default ping before each acquire cost every query a second
            // round trip to the connection's thread (seen in profiles).
            .test_before_acquire(false)
            .after_connect(|conn, _| Box::pin(async move { direct::poll_when_busy(conn).await }))
            .connect_with(options)
            .await?;
        run_migrations(&MIGRATOR, &pool).await?;
        // After the migrations: the direct connections only run statements.
        let writer = group_commit::GroupCommit::start(&path)?;
        let readers = Arc::new(direct::Readers::new(&path));
        Ok(SqliteStore {
            pool,
            writer,
            readers,
            merchant_clocks: false,
        })
    }

    async fn write_tx(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

super::rows::row_mappers!(SqliteRow);

fn delivery_from(row: &SqliteRow) -> StoreResult<DeliveryAttempt> {
    Ok(DeliveryAttempt {
        notification_id: row.try_get("notification_id")?,
        attempt_no: row.try_get::<i64, _>("attempt_no")? as u32,
        attempted_at: row.try_get("attempted_at")?,
        http_status: row
            .try_get::<Option<i64>, _>("http_status")?
            .map(|s| s as u16),
        latency_ms: row.try_get("latency_ms")?,
        response_excerpt: row.try_get("response_excerpt")?,
        error: row.try_get("error")?,
        acknowledged: row.try_get::<i64, _>("acknowledged")? != 0,
        request_time: row.try_get("request_time")?,
        signature: row.try_get("signature")?,
    })
}

#[async_trait]
impl StoreHealth for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn counts(&self) -> StoreResult<StoreCounts> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM merchants) AS m, (SELECT COUNT(*) FROM payments) AS p,
                    (SELECT COUNT(*) FROM payment_attempts) AS a, (SELECT COUNT(*) FROM notifications) AS n,
                    (SELECT COUNT(*) FROM notifications WHERE status = 'PENDING') AS q",
        )
        .fetch_one(&self.pool)
        .await?;
        let get = |c: &str| -> StoreResult<u64> { Ok(row.try_get::<i64, _>(c)? as u64) };
        Ok(StoreCounts {
            merchants: get("m")?,
            payments: get("p")?,
            attempts: get("a")?,
            notifications: get("n")?,
            pending_notifications: get("q")?,
        })
    }

    async fn notification_backlog(&self, now: i64) -> StoreResult<(u64, u64)> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM notifications WHERE status = 'PENDING' AND next_attempt_at <= ?) AS due,
                    (SELECT COUNT(*) FROM notifications WHERE status = 'PENDING') AS pending",
        )
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok((
            row.try_get::<i64, _>("due")? as u64,
            row.try_get::<i64, _>("pending")? as u64,
        ))
    }

    fn pool_stats(&self) -> PoolStats {
        PoolStats {
            backend: "sqlite",
            size: self.pool.size(),
            idle: self.pool.num_idle() as u32,
            max: self.pool.options().get_max_connections(),
            writer: Some(self.writer.stats()),
        }
    }
}

#[async_trait]
impl MerchantStore for SqliteStore {
    async fn insert_merchant(&self, m: &Merchant) -> StoreResult<()> {
        let r = sqlx::query(
            "INSERT INTO merchants (client_id, name, brand_name, logo_file, notify_url, refund_notify_url, status, fee_bps, created_at,
                accent_color, strict, settlement_currencies)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&m.client_id)
        .bind(&m.name)
        .bind(&m.brand_name)
        .bind(&m.logo_file)
        .bind(&m.notify_url)
        .bind(&m.refund_notify_url)
        .bind(&m.status)
        .bind(i64::from(m.fee_bps))
        .bind(m.created_at)
        .bind(&m.accent_color)
        .bind(m.strict)
        .bind(&m.settlement_currencies)
        .execute(&self.pool)
        .await;
        match r {
            Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict("merchant")),
            r => r.map(|_| ()).map_err(Into::into),
        }
    }

    async fn merchant(&self, client_id: &str) -> StoreResult<Option<Merchant>> {
        sqlx::query("SELECT * FROM merchants WHERE client_id = ?")
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(merchant_from)
            .transpose()
    }

    async fn merchants(&self) -> StoreResult<Vec<Merchant>> {
        sqlx::query("SELECT * FROM merchants ORDER BY created_at, client_id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(merchant_from)
            .collect()
    }

    async fn advance_clock(&self, client_id: &str, by_ms: i64) -> StoreResult<Option<i64>> {
        let row = sqlx::query(
            "UPDATE merchants SET clock_offset_ms = clock_offset_ms + ?1
             WHERE client_id = ?2 AND ?1 > 0 AND clock_offset_ms + ?1 <= ?3
             RETURNING clock_offset_ms",
        )
        .bind(by_ms)
        .bind(client_id)
        .bind(MAX_CLOCK_OFFSET_MS)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.try_get("clock_offset_ms")).transpose()?)
    }

    async fn update_merchant_settings(&self, m: &Merchant) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE merchants SET brand_name = ?, logo_file = ?, accent_color = ?, notify_url = ?, strict = ?,
                settlement_currencies = ?
             WHERE client_id = ?",
        )
        .bind(&m.brand_name)
        .bind(&m.logo_file)
        .bind(&m.accent_color)
        .bind(&m.notify_url)
        .bind(m.strict)
        .bind(&m.settlement_currencies)
        .bind(&m.client_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_merchant_key(&self, k: &MerchantKey) -> StoreResult<()> {
        let r = sqlx::query(
            "INSERT INTO merchant_keys (client_id, key_version, public_key, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(&k.client_id)
        .bind(i64::from(k.key_version))
        .bind(&k.public_key)
        .bind(k.created_at)
        .execute(&self.pool)
        .await;
        match r {
            Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict("key version")),
            Err(sqlx::Error::Database(db)) if db.is_foreign_key_violation() => {
                Err(StoreError::NotFound("merchant"))
            }
            r => r.map(|_| ()).map_err(Into::into),
        }
    }

    async fn merchant_key(
        &self,
        client_id: &str,
        version: u32,
    ) -> StoreResult<Option<MerchantKey>> {
        sqlx::query("SELECT * FROM merchant_keys WHERE client_id = ? AND key_version = ?")
            .bind(client_id)
            .bind(i64::from(version))
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(key_from)
            .transpose()
    }

    async fn merchant_keys(&self, client_id: &str) -> StoreResult<Vec<MerchantKey>> {
        sqlx::query("SELECT * FROM merchant_keys WHERE client_id = ? ORDER BY key_version")
            .bind(client_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(key_from)
            .collect()
    }

    async fn retire_merchant_key(
        &self,
        client_id: &str,
        version: u32,
        at: i64,
    ) -> StoreResult<RetireKey> {
        // BEGIN IMMEDIATE: the count and the update see no other writer.
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT retired_at FROM merchant_keys WHERE client_id = ? AND key_version = ?",
        )
        .bind(client_id)
        .bind(i64::from(version))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(RetireKey::NotFound);
        };
        if let Some(t) = row.try_get::<Option<i64>, _>("retired_at")? {
            tx.rollback().await?;
            return Ok(RetireKey::AlreadyRetired(t));
        }
        let active: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM merchant_keys WHERE client_id = ? AND retired_at IS NULL",
        )
        .bind(client_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if active <= 1 {
            tx.rollback().await?;
            return Ok(RetireKey::LastActive);
        }
        sqlx::query(
            "UPDATE merchant_keys SET retired_at = ? WHERE client_id = ? AND key_version = ? AND retired_at IS NULL",
        )
        .bind(at)
        .bind(client_id)
        .bind(i64::from(version))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(RetireKey::Retired)
    }
}

#[async_trait]
impl PaymentStore for SqliteStore {
    async fn insert_payment_with_warnings(
        &self,
        p: &Payment,
        warnings: &[IntegrationWarning],
    ) -> StoreResult<Inserted<Payment>> {
        let p = p.clone();
        if warnings.is_empty() {
            return self
                .writer
                .write_statement(move |conn| direct::insert_payment(conn, p))
                .await;
        }
        let warnings = warnings.to_vec();
        self.writer
            .write(move |conn| {
                let inserted = direct::insert_payment(conn, p)?;
                if let Inserted::New(p) = &inserted {
                    direct::insert_warnings(conn, p, &warnings)?;
                }
                Ok(inserted)
            })
            .await
    }

    async fn payment_warnings(&self, payment_id: &str) -> StoreResult<Vec<PaymentWarning>> {
        sqlx::query("SELECT * FROM payment_warnings WHERE payment_id = ? ORDER BY seq")
            .bind(payment_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(warning_from)
            .collect()
    }

    async fn warnings_for_payments(
        &self,
        payment_ids: &[String],
    ) -> StoreResult<Vec<PaymentWarning>> {
        let mut out = Vec::new();
        // SQLite allows 32766 parameters; batches stay far below.
        for ids in payment_ids.chunks(500) {
            let marks = vec!["?"; ids.len()].join(", ");
            let sql = format!(
                "SELECT * FROM payment_warnings WHERE payment_id IN ({marks}) ORDER BY payment_id, seq"
            );
            let mut query = sqlx::query(&sql);
            for id in ids {
                query = query.bind(id);
            }
            for row in query.fetch_all(&self.pool).await? {
                out.push(warning_from(&row)?);
            }
        }
        Ok(out)
    }

    async fn warning_counts(&self, client_id: &str, since: i64) -> StoreResult<Vec<WarningCount>> {
        sqlx::query(
            "SELECT rule, COUNT(DISTINCT payment_id) AS payments, MAX(created_at) AS last_at
             FROM payment_warnings WHERE client_id = ? AND created_at >= ?
             GROUP BY rule ORDER BY payments DESC, rule",
        )
        .bind(client_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(warning_count_from)
        .collect()
    }

    async fn recent_warnings(
        &self,
        client_id: &str,
        limit: u32,
    ) -> StoreResult<Vec<PaymentWarning>> {
        sqlx::query(
            "SELECT * FROM payment_warnings WHERE client_id = ?
             ORDER BY created_at DESC, payment_id DESC, seq LIMIT ?",
        )
        .bind(client_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(warning_from)
        .collect()
    }

    async fn payment(&self, payment_id: &str) -> StoreResult<Option<Payment>> {
        self.readers.read(|c| direct::payment(c, payment_id))
    }

    async fn payment_by_request_id(
        &self,
        client_id: &str,
        request_id: &str,
    ) -> StoreResult<Option<Payment>> {
        self.readers
            .read(|c| direct::payment_by_request_id(c, client_id, request_id))
    }

    async fn payment_by_token(&self, token: &str) -> StoreResult<Option<Payment>> {
        self.readers.read(|c| direct::payment_by_token(c, token))
    }

    async fn insert_attempt(&self, a: &Attempt) -> StoreResult<Inserted<Attempt>> {
        let a = a.clone();
        self.writer
            .write_statement(move |conn| direct::insert_attempt(conn, a))
            .await
    }

    async fn attempt(&self, attempt_id: &str) -> StoreResult<Option<Attempt>> {
        sqlx::query("SELECT * FROM payment_attempts WHERE attempt_id = ?")
            .bind(attempt_id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(attempt_from)
            .transpose()
    }

    async fn attempt_by_wallet_token(&self, token: &str) -> StoreResult<Option<Attempt>> {
        sqlx::query("SELECT * FROM payment_attempts WHERE wallet_token = ?")
            .bind(token)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(attempt_from)
            .transpose()
    }

    async fn attempts(&self, payment_id: &str) -> StoreResult<Vec<Attempt>> {
        sqlx::query(
            "SELECT * FROM payment_attempts WHERE payment_id = ? ORDER BY created_at, attempt_id",
        )
        .bind(payment_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(attempt_from)
        .collect()
    }

    async fn set_attempt_card_details(&self, attempt_id: &str, details: &str) -> StoreResult<()> {
        let (attempt_id, details) = (attempt_id.to_string(), details.to_string());
        self.writer
            .write_statement(move |conn| {
                direct::set_attempt_card_details(conn, &attempt_id, &details)
            })
            .await
    }

    async fn update_attempt(
        &self,
        attempt_id: &str,
        from: &[AttemptState],
        to: AttemptState,
        result: Option<(&str, &str)>,
        settle_at: Option<i64>,
        at: i64,
    ) -> StoreResult<bool> {
        let update = direct::AttemptUpdate {
            attempt_id: attempt_id.to_string(),
            from: from.iter().map(|s| s.as_str()).collect(),
            to_state: to.as_str(),
            result_code: result.map(|r| r.0.to_string()),
            result_message: result.map(|r| r.1.to_string()),
            settle_at,
            at,
        };
        self.writer
            .write_statement(move |conn| direct::update_attempt(conn, &update))
            .await
    }

    async fn finalize_payment(&self, f: &Finalize) -> StoreResult<bool> {
        let f = f.clone();
        self.writer
            .write_or_undo(move |conn| direct::finalize_payment(conn, &f))
            .await
    }

    async fn mark_pending(
        &self,
        payment_id: &str,
        attempt_id: &str,
        method: &str,
        at: i64,
    ) -> StoreResult<bool> {
        let (payment_id, attempt_id, method) = (
            payment_id.to_string(),
            attempt_id.to_string(),
            method.to_string(),
        );
        self.writer
            .write_or_undo(move |conn| {
                direct::mark_pending(conn, &payment_id, &attempt_id, &method, at)
            })
            .await
    }

    async fn cancel_payment(
        &self,
        payment_id: &str,
        from: &[PaymentStatus],
        at: i64,
        result_code: &str,
        result_message: &str,
    ) -> StoreResult<bool> {
        let (payment_id, from) = (payment_id.to_string(), from.to_vec());
        let (code, message) = (result_code.to_string(), result_message.to_string());
        self.writer
            .write_statement(move |conn| {
                direct::cancel_payment(conn, &payment_id, &from, at, &code, &message)
            })
            .await
    }

    async fn expired_open_payments(&self, now: i64, limit: u32) -> StoreResult<Vec<Payment>> {
        let offset = self
            .merchant_clocks
            .then(|| offset_of_client("p.client_id"));
        let sql = format!(
            "SELECT * FROM payments p WHERE p.status = 'PROCESSING' AND {}
               AND NOT EXISTS (SELECT 1 FROM payment_attempts a WHERE a.payment_id = p.payment_id AND a.state = 'ASYNC')
             ORDER BY p.session_expires_at LIMIT ?2",
            due_sql("p.session_expires_at", "?1", offset.as_deref())
        );
        sqlx::query(&sql)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(payment_from)
            .collect()
    }

    async fn due_async_attempts(&self, now: i64, limit: u32) -> StoreResult<Vec<Attempt>> {
        let offset = self
            .merchant_clocks
            .then(|| offset_of_payment("payment_attempts.payment_id"));
        let sql = format!(
            "SELECT * FROM payment_attempts WHERE state = 'ASYNC' AND settle_at IS NOT NULL AND {}
             ORDER BY settle_at LIMIT ?2",
            due_sql("settle_at", "?1", offset.as_deref())
        );
        sqlx::query(&sql)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(attempt_from)
            .collect()
    }
}

#[async_trait]
impl RefundStore for SqliteStore {
    async fn insert_refund(
        &self,
        r: &Refund,
        notification: Option<&NewNotification>,
    ) -> StoreResult<RefundInsert> {
        let (r, notification) = (r.clone(), notification.cloned());
        self.writer
            .write(move |conn| direct::insert_refund(conn, &r, notification.as_ref()))
            .await
    }

    async fn finish_refund(
        &self,
        refund_id: &str,
        to: RefundStatus,
        result_code: &str,
        result_message: &str,
        at: i64,
        notification: Option<&NewNotification>,
    ) -> StoreResult<bool> {
        let refund_id = refund_id.to_string();
        let (code, message) = (result_code.to_string(), result_message.to_string());
        let notification = notification.cloned();
        self.writer
            .write(move |conn| {
                direct::finish_refund(
                    conn,
                    &refund_id,
                    to,
                    &code,
                    &message,
                    at,
                    notification.as_ref(),
                )
            })
            .await
    }

    async fn refund(&self, refund_id: &str) -> StoreResult<Option<Refund>> {
        sqlx::query("SELECT * FROM refunds WHERE refund_id = ?")
            .bind(refund_id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(refund_from)
            .transpose()
    }

    async fn refund_by_request_id(
        &self,
        client_id: &str,
        request_id: &str,
    ) -> StoreResult<Option<Refund>> {
        sqlx::query("SELECT * FROM refunds WHERE client_id = ? AND refund_request_id = ?")
            .bind(client_id)
            .bind(request_id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(refund_from)
            .transpose()
    }

    async fn refunds_for_payment(&self, payment_id: &str) -> StoreResult<Vec<Refund>> {
        self.readers
            .read(|c| direct::refunds_for_payment(c, payment_id))
    }

    async fn due_async_refunds(&self, now: i64, limit: u32) -> StoreResult<Vec<Refund>> {
        let offset = self
            .merchant_clocks
            .then(|| offset_of_client("refunds.client_id"));
        let sql = format!(
            "SELECT * FROM refunds WHERE status = 'PROCESSING' AND settle_at IS NOT NULL AND {}
             ORDER BY settle_at LIMIT ?2",
            due_sql("settle_at", "?1", offset.as_deref())
        );
        sqlx::query(&sql)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(refund_from)
            .collect()
    }
}

#[async_trait]
impl OutboxStore for SqliteStore {
    async fn claim_due_notifications_except(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
        busy_clients: &[String],
    ) -> StoreResult<Vec<Notification>> {
        let busy = serde_json::to_string(busy_clients).expect("strings serialise");
        let clocks = self.merchant_clocks;
        // Through the group-commit writer: a claim is a write, and as its own
        // transaction it took the write lock and an fsync of its own between
        // the batches recording the previous deliveries' outcomes, which
        // capped delivery at about one claim per two fsyncs.
        self.writer
            .write_statement(move |conn| {
                direct::claim_due_notifications(conn, now, lease_until, limit, &busy, clocks)
            })
            .await
    }

    async fn record_claimed_delivery(
        &self,
        a: &DeliveryAttempt,
        next: DeliveryNext,
        lease_until: i64,
    ) -> StoreResult<bool> {
        let a = a.clone();
        self.writer
            .write(move |conn| direct::record_delivery(conn, &a, next, Some(lease_until)))
            .await
    }

    async fn requeue_notification(&self, notification_id: &str, now: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE notifications SET status = 'PENDING', next_attempt_at = ? WHERE notification_id = ?",
        )
        .bind(now)
        .bind(notification_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn notifications_for(&self, subject_id: &str) -> StoreResult<Vec<Notification>> {
        sqlx::query("SELECT * FROM notifications WHERE subject_id = ? ORDER BY created_at")
            .bind(subject_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(notification_from)
            .collect()
    }

    async fn delivery_attempts(&self, notification_id: &str) -> StoreResult<Vec<DeliveryAttempt>> {
        sqlx::query(
            "SELECT * FROM notification_attempts WHERE notification_id = ? ORDER BY attempt_no",
        )
        .bind(notification_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(delivery_from)
        .collect()
    }

    async fn delivery_attempts_after(
        &self,
        client_id: &str,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ListenedAttempt>> {
        sqlx::query(&super::listen_attempts_sql("?1", "?2", "?3"))
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

    async fn next_notification_due(&self) -> StoreResult<Option<i64>> {
        let row = sqlx::query(
            "SELECT MIN(next_attempt_at) AS t FROM notifications WHERE status = 'PENDING'",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("t")?)
    }
}

#[async_trait]
impl ReportStore for SqliteStore {
    async fn report_transactions(
        &self,
        client_id: &str,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<ReportTxn>> {
        sqlx::query(
            "SELECT payment_id AS transaction_id, NULL AS original_transaction_id,
                    payment_request_id AS transaction_request_id, reference_order_id AS reference_transaction_id,
                    payment_method_type, 'PAYMENT' AS transaction_type, 'SUCCESS' AS transaction_status,
                    paid_at AS transaction_time, currency, amount_minor, settlement_currency, settlement_rate
               FROM payments WHERE client_id = ?1 AND paid_at >= ?2 AND paid_at < ?3
             UNION ALL
             SELECT payment_id, NULL, payment_request_id, reference_order_id, payment_method_type, 'PAYMENT',
                    status, closed_at, currency, amount_minor, settlement_currency, settlement_rate
               FROM payments WHERE client_id = ?1 AND paid_at IS NULL AND status IN ('FAIL', 'CANCELLED')
                AND closed_at >= ?2 AND closed_at < ?3
             UNION ALL
             SELECT payment_id, payment_id, payment_request_id, reference_order_id, payment_method_type, 'CANCEL',
                    'SUCCESS', cancel_time, currency, amount_minor, settlement_currency, settlement_rate
               FROM payments WHERE client_id = ?1 AND paid_at IS NOT NULL AND cancel_time >= ?2 AND cancel_time < ?3
             UNION ALL
             SELECT r.refund_id, r.payment_id, r.refund_request_id, r.reference_refund_id, p.payment_method_type, 'REFUND',
                    r.status, r.refund_time, r.currency, r.amount_minor, p.settlement_currency, p.settlement_rate
               FROM refunds r JOIN payments p ON p.payment_id = r.payment_id
              WHERE r.client_id = ?1 AND r.status IN ('SUCCESS', 'FAIL') AND r.refund_time >= ?2 AND r.refund_time < ?3
             UNION ALL
             -- A refund still processing when the window closed is listed as PROCESSING on its creation
             -- day, whenever the report is (re)generated; it appears again, final, on the day it settles.
             SELECT r.refund_id, r.payment_id, r.refund_request_id, r.reference_refund_id, p.payment_method_type, 'REFUND',
                    'PROCESSING', r.created_at, r.currency, r.amount_minor, p.settlement_currency, p.settlement_rate
               FROM refunds r JOIN payments p ON p.payment_id = r.payment_id
              WHERE r.client_id = ?1 AND r.created_at >= ?2 AND r.created_at < ?3
                AND (r.refund_time IS NULL OR r.refund_time >= ?3)
             ORDER BY transaction_time, transaction_id",
        )
        .bind(client_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(report_from)
        .collect()
    }

    async fn insert_report(
        &self,
        client_id: &str,
        date: &str,
        kind: &str,
        file_name: &str,
        content: &str,
        at: i64,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO reports (client_id, report_date, kind, file_name, content, generated_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT DO NOTHING",
        )
        .bind(client_id)
        .bind(date)
        .bind(kind)
        .bind(file_name)
        .bind(content)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn reports(
        &self,
        client_id: &str,
        date: &str,
    ) -> StoreResult<Vec<(String, String, String)>> {
        let rows = sqlx::query("SELECT kind, file_name, content FROM reports WHERE client_id = ? AND report_date = ? ORDER BY kind, file_name")
            .bind(client_id)
            .bind(date)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("kind")?,
                    r.try_get("file_name")?,
                    r.try_get("content")?,
                ))
            })
            .collect()
    }

    async fn replace_reports(
        &self,
        client_id: &str,
        date: &str,
        kind: &str,
        files: &[(String, String)],
        at: i64,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM reports WHERE client_id = ? AND report_date = ? AND kind = ?")
            .bind(client_id)
            .bind(date)
            .bind(kind)
            .execute(&mut *tx)
            .await?;
        for (file_name, content) in files {
            sqlx::query(
                "INSERT INTO reports (client_id, report_date, kind, file_name, content, generated_at)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(client_id)
            .bind(date)
            .bind(kind)
            .bind(file_name)
            .bind(content)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn report_dates(
        &self,
        client_id: &str,
        kind: &str,
        since: &str,
    ) -> StoreResult<Vec<String>> {
        let rows = sqlx::query(
            "SELECT DISTINCT report_date FROM reports WHERE client_id = ? AND report_date >= ? AND kind = ?
             ORDER BY report_date",
        )
        .bind(client_id)
        .bind(since)
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("report_date")?)).collect()
    }

    async fn setting_or_insert(&self, name: &str, value: &str) -> StoreResult<String> {
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(value)
        .execute(&self.pool)
        .await?;
        let row = sqlx::query("SELECT value FROM settings WHERE name = ?")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("value")?)
    }

    async fn try_lock_job(
        &self,
        name: &str,
        holder: &str,
        until_ms: i64,
        now_ms: i64,
    ) -> StoreResult<bool> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "INSERT INTO job_leases (name, holder, lease_until, acquired_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO UPDATE
                SET holder = excluded.holder, lease_until = excluded.lease_until,
                    acquired_at = CASE WHEN job_leases.holder = excluded.holder
                                       THEN job_leases.acquired_at ELSE excluded.acquired_at END
              WHERE job_leases.lease_until <= ?4 OR job_leases.holder = ?2",
        )
        .bind(name)
        .bind(holder)
        .bind(until_ms)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }
}

#[async_trait]
impl DashboardStore for SqliteStore {
    async fn insert_dashboard_user(&self, u: &DashboardUser) -> StoreResult<()> {
        let done = sqlx::query(
            "INSERT INTO dashboard_users (user_id, email, role, client_id, password_hash,
                setup_token_hash, setup_expires_at, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&u.user_id)
        .bind(&u.email)
        .bind(&u.role)
        .bind(&u.client_id)
        .bind(&u.password_hash)
        .bind(&u.setup_token_hash)
        .bind(u.setup_expires_at)
        .bind(u.created_at)
        .execute(&self.pool)
        .await;
        match done {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict("dashboard user")),
            Err(e) => Err(e.into()),
        }
    }

    async fn dashboard_user(&self, user_id: &str) -> StoreResult<Option<DashboardUser>> {
        sqlx::query("SELECT * FROM dashboard_users WHERE user_id = ?")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(dashboard_user_from)
            .transpose()
    }

    async fn dashboard_user_by_email(&self, email: &str) -> StoreResult<Option<DashboardUser>> {
        sqlx::query("SELECT * FROM dashboard_users WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(dashboard_user_from)
            .transpose()
    }

    async fn dashboard_user_by_setup_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<Option<DashboardUser>> {
        sqlx::query(
            "SELECT * FROM dashboard_users WHERE setup_token_hash = ? AND setup_expires_at > ?",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(dashboard_user_from)
        .transpose()
    }

    async fn set_dashboard_password(
        &self,
        user_id: &str,
        password_hash: &str,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE dashboard_users SET password_hash = ?, setup_token_hash = NULL, setup_expires_at = NULL
             WHERE user_id = ?",
        )
        .bind(password_hash)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_dashboard_session(&self, s: &DashboardSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO dashboard_sessions (session_hash, user_id, csrf_token, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&s.session_hash)
        .bind(&s.user_id)
        .bind(&s.csrf_token)
        .bind(s.created_at)
        .bind(s.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn dashboard_session(
        &self,
        session_hash: &str,
        now: i64,
    ) -> StoreResult<Option<DashboardSession>> {
        sqlx::query("SELECT * FROM dashboard_sessions WHERE session_hash = ? AND expires_at > ?")
            .bind(session_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(dashboard_session_from)
            .transpose()
    }

    async fn delete_dashboard_session(&self, session_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM dashboard_sessions WHERE session_hash = ?")
            .bind(session_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn login_failures(&self, key: &str, since: i64) -> StoreResult<u32> {
        let row = sqlx::query(
            "SELECT failures FROM login_failures WHERE throttle_key = ? AND window_start >= ?",
        )
        .bind(key)
        .bind(since)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| r.try_get::<i64, _>("failures"))
            .transpose()?
            .unwrap_or(0)
            .clamp(0, i64::from(u32::MAX)) as u32)
    }

    async fn reserve_login_attempt(
        &self,
        keys: &[(&str, u32)],
        since: i64,
        now: i64,
    ) -> StoreResult<bool> {
        // BEGIN IMMEDIATE: no other writer between the keys. A key at its
        // limit updates no row and returns none: the whole step is undone.
        let mut tx = self.write_tx().await?;
        for (key, limit) in keys {
            let counted = sqlx::query(
                "INSERT INTO login_failures (throttle_key, failures, window_start) VALUES (?, 1, ?)
             ON CONFLICT (throttle_key) DO UPDATE SET
                failures = CASE WHEN login_failures.window_start < ? THEN 1 ELSE login_failures.failures + 1 END,
                window_start = CASE WHEN login_failures.window_start < ? THEN ? ELSE login_failures.window_start END
             WHERE login_failures.window_start < ? OR login_failures.failures < ?
             RETURNING failures",
            )
            .bind(key)
            .bind(now)
            .bind(since)
            .bind(since)
            .bind(now)
            .bind(since)
            .bind(i64::from(*limit))
            .fetch_optional(&mut *tx)
            .await?;
            if counted.is_none() {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn release_login_attempt(&self, key: &str) -> StoreResult<()> {
        sqlx::query("UPDATE login_failures SET failures = failures - 1 WHERE throttle_key = ? AND failures > 0")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = ?")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn daily_stats(
        &self,
        client_id: Option<&str>,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<DailyStat>> {
        let rows = sqlx::query(
            "SELECT (created_at + 28800000) / 86400000 AS day, currency, status, COUNT(*) AS n,
                    CAST(SUM(amount_minor / 1000000000) AS INTEGER) AS amount_high,
                    CAST(SUM(amount_minor % 1000000000) AS INTEGER) AS amount_low
             FROM payments WHERE (? IS NULL OR client_id = ?) AND created_at >= ? AND created_at < ?
             GROUP BY day, currency, status ORDER BY day, currency, status",
        )
        .bind(client_id)
        .bind(client_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DailyStat {
                    day: r.try_get("day")?,
                    currency: r.try_get("currency")?,
                    status: r.try_get("status")?,
                    count: r.try_get("n")?,
                    amount_minor: split_sum(r.try_get("amount_high")?, r.try_get("amount_low")?),
                })
            })
            .collect()
    }

    async fn list_payments(&self, filter: &PaymentFilter, limit: u32) -> StoreResult<Vec<Payment>> {
        let (sql, args) = payments_list_query(filter, limit);
        let mut q = sqlx::query(&sql);
        for a in args {
            q = match a {
                Arg::Text(s) => q.bind(s),
                Arg::Int(i) => q.bind(i),
            };
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(payment_from)
            .collect()
    }
}

#[async_trait]
impl ApiLogStore for SqliteStore {
    async fn insert_api_requests(&self, rows: &[ApiRequestRecord]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        // Through the group-commit writer: as a transaction of its own, each
        // flush took the write lock and an fsync between the writer's batches.
        let rows = rows.to_vec();
        self.writer
            .write(move |conn| direct::insert_api_requests(conn, &rows))
            .await
    }

    async fn recent_api_requests(
        &self,
        client_id: &str,
        authenticated: bool,
        limit: u32,
    ) -> StoreResult<Vec<ApiRequestRecord>> {
        sqlx::query(
            "SELECT * FROM api_requests WHERE client_id = ? AND authenticated = ?
             ORDER BY at DESC, id DESC LIMIT ?",
        )
        .bind(client_id)
        .bind(authenticated)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(api_request_from)
        .collect()
    }

    async fn api_requests_after(
        &self,
        client_id: &str,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ListenedRequest>> {
        sqlx::query(
            "SELECT * FROM api_requests WHERE client_id = ? AND authenticated AND id > ?
             ORDER BY id LIMIT ?",
        )
        .bind(client_id)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(ListenedRequest {
                id: row.try_get("id")?,
                request: api_request_from(row)?,
            })
        })
        .collect()
    }

    async fn prune_api_requests(
        &self,
        client_id: &str,
        authenticated: bool,
        keep: u32,
    ) -> StoreResult<u64> {
        // The time of the newest row to drop's successor: everything older
        // goes (rows sharing that millisecond stay — a few more than `keep`).
        let Some(row) = sqlx::query("SELECT at FROM api_requests WHERE client_id = ? AND authenticated = ? ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?")
            .bind(client_id)
            .bind(authenticated)
            .bind(i64::from(keep.max(1)) - 1)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(0);
        };
        let oldest_kept: i64 = row.try_get("at")?;
        let mut deleted = 0;
        loop {
            let n = sqlx::query("DELETE FROM api_requests WHERE id IN (SELECT id FROM api_requests WHERE client_id = ? AND authenticated = ? AND at < ? LIMIT ?)")
                .bind(client_id)
                .bind(authenticated)
                .bind(oldest_kept)
                .bind(API_LOG_PRUNE_BATCH)
                .execute(&self.pool)
                .await?
                .rows_affected();
            deleted += n;
            if n < API_LOG_PRUNE_BATCH as u64 {
                return Ok(deleted);
            }
        }
    }

    async fn insert_logo(&self, l: &MerchantLogo) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO merchant_logos (name, client_id, content_type, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (name, client_id) DO NOTHING",
        )
        .bind(&l.name)
        .bind(&l.client_id)
        .bind(&l.content_type)
        .bind(&l.sha256)
        .bind(&l.bytes)
        .bind(l.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn logo(&self, name: &str) -> StoreResult<Option<MerchantLogo>> {
        sqlx::query("SELECT * FROM merchant_logos WHERE name = ? ORDER BY created_at LIMIT 1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(logo_from)
            .transpose()
    }

    async fn merchants_missing_logos(&self) -> StoreResult<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT m.client_id, m.logo_file FROM merchants m
             WHERE m.logo_file IS NOT NULL AND NOT EXISTS (SELECT 1 FROM merchant_logos l WHERE l.name = m.logo_file)
             ORDER BY m.client_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("client_id")?, r.try_get("logo_file")?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::SqliteStore;

    #[tokio::test]
    async fn an_in_memory_url_is_refused_with_a_reason() {
        for url in ["sqlite::memory:", "sqlite://file?mode=memory"] {
            let e = SqliteStore::open_url(url).await.err().expect("refused");
            assert!(e.to_string().contains("in-memory"), "{url}: {e}");
        }
    }
}
