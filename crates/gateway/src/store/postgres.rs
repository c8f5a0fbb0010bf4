//! The PostgreSQL store, for running several stateless `cashier serve` nodes
//! in front of one database (README.md, "Scaling out").
//!
//! Same tables and columns as the SQLite store, and the same rules, enforced
//! by the database at its default isolation (READ COMMITTED):
//!
//! - uniqueness (clientId + paymentRequestId, clientId + refundRequestId,
//!   paymentId + form nonce) is decided by unique constraints, with
//!   `INSERT … ON CONFLICT DO NOTHING` (a racing insert of the same key waits
//!   for the first one and then does nothing);
//! - every state change is one conditional `UPDATE … WHERE status = ANY(…)`:
//!   the row lock serialises racers, and PostgreSQL re-evaluates the
//!   condition on the newest row version, so exactly one wins;
//! - a refund reserves its amount with one conditional `UPDATE` of the
//!   payment (`refunded + amount <= amount`), in the transaction that inserts
//!   the refund row and its notification;
//! - notifications are claimed with leases: `FOR UPDATE SKIP LOCKED` lets
//!   many dispatchers (one per node) take disjoint batches, and a dead node's
//!   leases simply run out.
//!
//! Migrations (`migrations/postgres`) run on open; sqlx's migrator holds a
//! PostgreSQL advisory lock while it works, so N nodes starting at once
//! migrate the schema once and the others wait for it.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{ConnectOptions, Connection, Executor, PgPool, Row};

use super::*;
use crate::status::{AttemptState, PaymentStatus};
use cashier_protocol::IntegrationWarning;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a pooled connection (or for a new one to
/// connect) before it fails with a retryable `U` result. Short, so that while
/// the database is down callers get an answer well within their timeouts
/// instead of a hung request.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections per node unless the URL says `?max_connections=N`.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 16;

/// The URL query parameter (read by Cashier, not passed to the driver) that
/// sizes the connection pool.
pub const MAX_CONNECTIONS_PARAM: &str = "max_connections";

#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
    /// Sweeps compare with each merchant's sandbox clock (`--sandbox-clocks`).
    merchant_clocks: bool,
}

/// Is this a URL for [`PostgresStore`]?
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Splits Cashier's own parameters off a database URL: the driver's options
/// and the pool size.
fn parse_url(url: &str) -> StoreResult<(PgConnectOptions, u32)> {
    let mut parsed = url::Url::parse(url)
        .map_err(|e| StoreError::Database(sqlx::Error::Configuration(Box::new(e))))?;
    let mut max = DEFAULT_MAX_CONNECTIONS;
    let mut rest = Vec::new();
    for (k, v) in parsed.query_pairs() {
        if k == MAX_CONNECTIONS_PARAM {
            max = v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                StoreError::Database(sqlx::Error::Configuration(
                    format!("{MAX_CONNECTIONS_PARAM} must be a positive integer, not {v:?}").into(),
                ))
            })?;
        } else {
            rest.push((k.into_owned(), v.into_owned()));
        }
    }
    if rest.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(rest);
    }
    let options = PgConnectOptions::from_str(parsed.as_str())?.application_name("cashier");
    Ok((options, max))
}

impl PostgresStore {
    /// Connects (pool sized by `?max_connections=`, default
    /// [`DEFAULT_MAX_CONNECTIONS`]) and migrates the schema.
    pub async fn open(url: &str) -> StoreResult<PostgresStore> {
        let (options, max) = parse_url(url)?;
        migrate_with(&options).await?;
        let pool = PgPoolOptions::new()
            .max_connections(max)
            .min_connections(0)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .idle_timeout(Duration::from_secs(300))
            .connect_with(options)
            .await?;
        Ok(PostgresStore {
            pool,
            merchant_clocks: false,
        })
    }

    /// Sweeps compare each row with its merchant's sandbox clock
    /// (`--sandbox-clocks`) instead of real time.
    pub fn with_merchant_clocks(mut self, on: bool) -> PostgresStore {
        self.merchant_clocks = on;
        self
    }

    /// Applies pending migrations and returns (`cashier migrate`). Safe to
    /// run while nodes are up and from several places at once.
    pub async fn migrate(url: &str) -> StoreResult<()> {
        let (options, _) = parse_url(url)?;
        migrate_with(&options).await
    }

    /// The pool, for tests and tools.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// `Store::record_delivery`, and with `claim` (the `lease_until` the
    /// attempt's claim set) `Store::record_claimed_delivery`: the update
    /// comes first and, under READ COMMITTED, waits for a claim of the row
    /// in progress and re-checks the lease on the version it committed.
    async fn record_delivery_on(
        &self,
        a: &DeliveryAttempt,
        next: DeliveryNext,
        claim: Option<i64>,
    ) -> StoreResult<bool> {
        let (status, next_at, delivered_at) = match next {
            DeliveryNext::Delivered => ("DELIVERED", None, Some(a.attempted_at)),
            DeliveryNext::RetryAt(t) => ("PENDING", Some(t), None),
            DeliveryNext::GiveUp => ("FAILED", None, None),
        };
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE notifications SET status = $1, attempts = $2, next_attempt_at = COALESCE($3, next_attempt_at),
                delivered_at = COALESCE($4, delivered_at), lease_until = NULL
             WHERE notification_id = $5
               AND ($6::BIGINT IS NULL OR (status = 'PENDING' AND lease_until = $6))",
        )
        .bind(status)
        .bind(i64::from(a.attempt_no))
        .bind(next_at)
        .bind(delivered_at)
        .bind(&a.notification_id)
        .bind(claim)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claim.is_some() && updated == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO notification_attempts (notification_id, attempt_no, attempted_at, http_status, latency_ms,
                response_excerpt, error, acknowledged, request_time, signature)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
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

/// Runs the migrator on a connection of its own, closed afterwards: the
/// migrator's session-level advisory lock can never stay behind in a pool.
async fn migrate_with(options: &PgConnectOptions) -> StoreResult<()> {
    let mut conn = options.connect().await?;
    let result = run_migrations(&MIGRATOR, &mut conn).await;
    let _ = conn.close().await;
    result
}

/// Creating and dropping databases: for tests that want a fresh database
/// per run, and for `cashier migrate --create-database`.
pub mod admin {
    use super::*;

    fn check_name(name: &str) -> StoreResult<()> {
        let ok = !name.is_empty()
            && name.len() <= 63
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit();
        if ok {
            Ok(())
        } else {
            Err(StoreError::Database(sqlx::Error::Configuration(
                format!("database name {name:?} must be [a-z_][a-z0-9_]*").into(),
            )))
        }
    }

    /// `url` with its database replaced by `name` (query kept).
    pub fn with_database(url: &str, name: &str) -> StoreResult<String> {
        let mut parsed = url::Url::parse(url)
            .map_err(|e| StoreError::Database(sqlx::Error::Configuration(Box::new(e))))?;
        parsed.set_path(&format!("/{name}"));
        Ok(parsed.into())
    }

    /// The database a URL names.
    pub fn database_name(url: &str) -> StoreResult<String> {
        let (options, _) = parse_url(url)?;
        options.get_database().map(str::to_string).ok_or_else(|| {
            StoreError::Database(sqlx::Error::Configuration(
                "the URL names no database".into(),
            ))
        })
    }

    async fn admin_connection(admin_url: &str) -> StoreResult<sqlx::PgConnection> {
        let (options, _) = parse_url(admin_url)?;
        Ok(options.connect().await?)
    }

    /// Creates database `name` through a connection to `admin_url` (any
    /// database on the server); returns `admin_url` pointed at it. False in
    /// the second position if it already existed.
    pub async fn create_database(admin_url: &str, name: &str) -> StoreResult<(String, bool)> {
        check_name(name)?;
        let mut conn = admin_connection(admin_url).await?;
        let created = match conn.execute(&*format!("CREATE DATABASE \"{name}\"")).await {
            Ok(_) => true,
            // 42P04 duplicate_database
            Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("42P04") => false,
            Err(e) => return Err(e.into()),
        };
        let _ = conn.close().await;
        Ok((with_database(admin_url, name)?, created))
    }

    /// Creates `cashier_t_<random>` next to `admin_url`'s database and
    /// returns its name and URL.
    pub async fn create_scratch_database(admin_url: &str) -> StoreResult<(String, String)> {
        let name = format!("cashier_t_{:016x}", rand::random::<u64>());
        let (url, _) = create_database(admin_url, &name).await?;
        Ok((name, url))
    }

    /// A database that exists for the life of this value: created fresh
    /// (`cashier_t_<random>`) next to an admin URL's database, dropped on
    /// drop — also when a test panics. For test harnesses.
    pub struct ScratchDatabase {
        pub name: String,
        /// Connection URL of the scratch database.
        pub url: String,
        admin_url: String,
    }

    impl ScratchDatabase {
        pub async fn create(admin_url: &str) -> StoreResult<ScratchDatabase> {
            let (name, url) = create_scratch_database(admin_url).await?;
            Ok(ScratchDatabase {
                name,
                url,
                admin_url: admin_url.to_string(),
            })
        }
    }

    impl Drop for ScratchDatabase {
        fn drop(&mut self) {
            let (url, name) = (self.admin_url.clone(), self.name.clone());
            // A thread and runtime of its own: drop may run inside a runtime
            // (where blocking on one is not allowed), during a panic, or
            // after the test's runtime is gone.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    if let Err(e) = rt.block_on(drop_database(&url, &name)) {
                        eprintln!("could not drop scratch database {name}: {e}");
                    }
                }
            })
            .join();
        }
    }

    /// Drops database `name`, disconnecting its sessions first.
    pub async fn drop_database(admin_url: &str, name: &str) -> StoreResult<()> {
        check_name(name)?;
        let mut conn = admin_connection(admin_url).await?;
        conn.execute(&*format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await?;
        let _ = conn.close().await;
        Ok(())
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

super::rows::row_mappers!(PgRow);

fn delivery_from(row: &PgRow) -> StoreResult<DeliveryAttempt> {
    Ok(DeliveryAttempt {
        notification_id: row.try_get("notification_id")?,
        attempt_no: u32_col(row, "attempt_no")?,
        attempted_at: row.try_get("attempted_at")?,
        http_status: row
            .try_get::<Option<i64>, _>("http_status")?
            .map(|s| s as u16),
        latency_ms: row.try_get("latency_ms")?,
        response_excerpt: row.try_get("response_excerpt")?,
        error: row.try_get("error")?,
        acknowledged: row.try_get("acknowledged")?,
        request_time: row.try_get("request_time")?,
        signature: row.try_get("signature")?,
    })
}

/// Inserts an outbox row inside a transaction.
async fn insert_notification(
    tx: &mut sqlx::PgConnection,
    n: &NewNotification,
    at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO notifications (notification_id, client_id, kind, subject_id, payment_id, url, body, status,
            attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', 0, $8, $8)",
    )
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

fn strs<T>(items: &[T], f: impl Fn(&T) -> &'static str) -> Vec<String> {
    items.iter().map(|i| f(i).to_string()).collect()
}

#[async_trait]
impl StoreHealth for PostgresStore {
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
            "SELECT (SELECT COUNT(*) FROM notifications WHERE status = 'PENDING' AND next_attempt_at <= $1) AS due,
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
            backend: "postgres",
            size: self.pool.size(),
            idle: self.pool.num_idle() as u32,
            max: self.pool.options().get_max_connections(),
            writer: None,
        }
    }
}

#[async_trait]
impl MerchantStore for PostgresStore {
    async fn insert_merchant(&self, m: &Merchant) -> StoreResult<()> {
        let r = sqlx::query(
            "INSERT INTO merchants (client_id, name, brand_name, logo_file, notify_url, refund_notify_url, status, fee_bps, created_at,
                accent_color, strict, settlement_currencies)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
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
        sqlx::query("SELECT * FROM merchants WHERE client_id = $1")
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
            "UPDATE merchants SET clock_offset_ms = clock_offset_ms + $1
             WHERE client_id = $2 AND $1 > 0 AND clock_offset_ms + $1 <= $3
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
            "UPDATE merchants SET brand_name = $1, logo_file = $2, accent_color = $3, notify_url = $4, strict = $5,
                settlement_currencies = $6
             WHERE client_id = $7",
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
            "INSERT INTO merchant_keys (client_id, key_version, public_key, created_at) VALUES ($1, $2, $3, $4)",
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
        sqlx::query("SELECT * FROM merchant_keys WHERE client_id = $1 AND key_version = $2")
            .bind(client_id)
            .bind(i64::from(version))
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(key_from)
            .transpose()
    }

    async fn merchant_keys(&self, client_id: &str) -> StoreResult<Vec<MerchantKey>> {
        sqlx::query("SELECT * FROM merchant_keys WHERE client_id = $1 ORDER BY key_version")
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
        let mut tx = self.pool.begin().await?;
        // Locks the merchant row: retirements of one merchant's keys take
        // turns, so two of them racing on the last two active keys cannot
        // both see two. (NO KEY UPDATE: new payments and new keys, which
        // only take KEY SHARE through their foreign keys, are not held up.)
        let merchant =
            sqlx::query("SELECT 1 FROM merchants WHERE client_id = $1 FOR NO KEY UPDATE")
                .bind(client_id)
                .fetch_optional(&mut *tx)
                .await?;
        if merchant.is_none() {
            tx.rollback().await?;
            return Ok(RetireKey::NotFound);
        }
        let row = sqlx::query(
            "SELECT retired_at FROM merchant_keys WHERE client_id = $1 AND key_version = $2",
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
            "SELECT COUNT(*) AS n FROM merchant_keys WHERE client_id = $1 AND retired_at IS NULL",
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
            "UPDATE merchant_keys SET retired_at = $1 WHERE client_id = $2 AND key_version = $3 AND retired_at IS NULL",
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
impl PaymentStore for PostgresStore {
    async fn insert_payment_with_warnings(
        &self,
        p: &Payment,
        warnings: &[IntegrationWarning],
    ) -> StoreResult<Inserted<Payment>> {
        // A racing insert of the same (client_id, payment_request_id) waits
        // for the first transaction, then does nothing; the SELECT after it
        // (a new statement, so a new READ COMMITTED snapshot) sees the winner.
        let insert = sqlx::query(
            "INSERT INTO payments (payment_id, client_id, payment_request_id, fingerprint, status, result_code,
                result_message, currency, amount_minor, reference_order_id, order_description, goods_json,
                buyer_reference_id, redirect_url, notify_url, locale, terminal_type, methods_json,
                preselected_method, session_id, session_data, checkout_token, session_expires_at,
                payment_method_type, card_brand, card_last4, created_at, paid_at, closed_at, updated_at,
                refunded_minor, cancel_time, settlement_currency, settlement_rate, settlement_rate_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35)
             ON CONFLICT (client_id, payment_request_id) DO NOTHING",
        )
        .bind(&p.payment_id)
        .bind(&p.client_id)
        .bind(&p.payment_request_id)
        .bind(&p.fingerprint)
        .bind(p.status.as_str())
        .bind(&p.result_code)
        .bind(&p.result_message)
        .bind(&p.currency)
        .bind(p.amount_minor)
        .bind(&p.reference_order_id)
        .bind(&p.order_description)
        .bind(&p.goods_json)
        .bind(&p.buyer_reference_id)
        .bind(&p.redirect_url)
        .bind(&p.notify_url)
        .bind(&p.locale)
        .bind(&p.terminal_type)
        .bind(&p.methods_json)
        .bind(&p.preselected_method)
        .bind(&p.session_id)
        .bind(&p.session_data)
        .bind(&p.checkout_token)
        .bind(p.session_expires_at)
        .bind(&p.payment_method_type)
        .bind(&p.card_brand)
        .bind(&p.card_last4)
        .bind(p.created_at)
        .bind(p.paid_at)
        .bind(p.closed_at)
        .bind(p.updated_at)
        .bind(p.refunded_minor)
        .bind(p.cancel_time)
        .bind(&p.settlement_currency)
        .bind(&p.settlement_rate)
        .bind(p.settlement_rate_at);
        let done = if warnings.is_empty() {
            insert.execute(&self.pool).await?
        } else {
            // The payment and its warnings commit together; a repeat that
            // finds the payment there writes nothing.
            let mut tx = self.pool.begin().await?;
            let done = insert.execute(&mut *tx).await?;
            if done.rows_affected() == 1 {
                let mut rows = sqlx::QueryBuilder::new(
                    "INSERT INTO payment_warnings (payment_id, seq, client_id, rule, field, message, created_at) ",
                );
                rows.push_values(warnings.iter().enumerate(), |mut row, (seq, w)| {
                    row.push_bind(&p.payment_id)
                        .push_bind(seq as i64)
                        .push_bind(&p.client_id)
                        .push_bind(w.rule.code())
                        .push_bind(&w.field)
                        .push_bind(&w.message)
                        .push_bind(p.created_at);
                });
                rows.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            done
        };
        if done.rows_affected() == 1 {
            return Ok(Inserted::New(p.clone()));
        }
        let existing = self
            .payment_by_request_id(&p.client_id, &p.payment_request_id)
            .await?
            .ok_or(StoreError::NotFound("payment"))?;
        Ok(Inserted::Existing(existing))
    }

    async fn payment_warnings(&self, payment_id: &str) -> StoreResult<Vec<PaymentWarning>> {
        sqlx::query("SELECT * FROM payment_warnings WHERE payment_id = $1 ORDER BY seq")
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
        sqlx::query(
            "SELECT * FROM payment_warnings WHERE payment_id = ANY($1) ORDER BY payment_id, seq",
        )
        .bind(payment_ids)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(warning_from)
        .collect()
    }

    async fn warning_counts(&self, client_id: &str, since: i64) -> StoreResult<Vec<WarningCount>> {
        sqlx::query(
            "SELECT rule, COUNT(DISTINCT payment_id) AS payments, MAX(created_at) AS last_at
             FROM payment_warnings WHERE client_id = $1 AND created_at >= $2
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
            "SELECT * FROM payment_warnings WHERE client_id = $1
             ORDER BY created_at DESC, payment_id DESC, seq LIMIT $2",
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
        sqlx::query("SELECT * FROM payments WHERE payment_id = $1")
            .bind(payment_id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(payment_from)
            .transpose()
    }

    async fn payment_by_request_id(
        &self,
        client_id: &str,
        request_id: &str,
    ) -> StoreResult<Option<Payment>> {
        sqlx::query("SELECT * FROM payments WHERE client_id = $1 AND payment_request_id = $2")
            .bind(client_id)
            .bind(request_id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(payment_from)
            .transpose()
    }

    async fn payment_by_token(&self, token: &str) -> StoreResult<Option<Payment>> {
        sqlx::query("SELECT * FROM payments WHERE checkout_token = $1")
            .bind(token)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(payment_from)
            .transpose()
    }

    async fn insert_attempt(&self, a: &Attempt) -> StoreResult<Inserted<Attempt>> {
        let done = sqlx::query(
            "INSERT INTO payment_attempts (attempt_id, payment_id, nonce, method, state, result_code, result_message,
                card_brand, card_last4, card_masked, wallet_token, settle_at, created_at, updated_at,
                card_details)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             ON CONFLICT (payment_id, nonce) DO NOTHING",
        )
        .bind(&a.attempt_id)
        .bind(&a.payment_id)
        .bind(&a.nonce)
        .bind(&a.method)
        .bind(a.state.as_str())
        .bind(&a.result_code)
        .bind(&a.result_message)
        .bind(&a.card_brand)
        .bind(&a.card_last4)
        .bind(&a.card_masked)
        .bind(&a.wallet_token)
        .bind(a.settle_at)
        .bind(a.created_at)
        .bind(a.updated_at)
        .bind(&a.card_details)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(Inserted::New(a.clone()));
        }
        let row =
            sqlx::query("SELECT * FROM payment_attempts WHERE payment_id = $1 AND nonce = $2")
                .bind(&a.payment_id)
                .bind(&a.nonce)
                .fetch_one(&self.pool)
                .await?;
        Ok(Inserted::Existing(attempt_from(&row)?))
    }

    async fn attempt(&self, attempt_id: &str) -> StoreResult<Option<Attempt>> {
        sqlx::query("SELECT * FROM payment_attempts WHERE attempt_id = $1")
            .bind(attempt_id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(attempt_from)
            .transpose()
    }

    async fn attempt_by_wallet_token(&self, token: &str) -> StoreResult<Option<Attempt>> {
        sqlx::query("SELECT * FROM payment_attempts WHERE wallet_token = $1")
            .bind(token)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(attempt_from)
            .transpose()
    }

    async fn attempts(&self, payment_id: &str) -> StoreResult<Vec<Attempt>> {
        sqlx::query(
            "SELECT * FROM payment_attempts WHERE payment_id = $1 ORDER BY created_at, attempt_id",
        )
        .bind(payment_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(attempt_from)
        .collect()
    }

    async fn set_attempt_card_details(&self, attempt_id: &str, details: &str) -> StoreResult<()> {
        sqlx::query("UPDATE payment_attempts SET card_details = $1 WHERE attempt_id = $2")
            .bind(details)
            .bind(attempt_id)
            .execute(&self.pool)
            .await?;
        Ok(())
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
        let done = sqlx::query(
            "UPDATE payment_attempts SET state = $1, result_code = COALESCE($2, result_code),
                result_message = COALESCE($3, result_message), settle_at = $4, updated_at = $5
             WHERE attempt_id = $6 AND state = ANY($7)",
        )
        .bind(to.as_str())
        .bind(result.map(|r| r.0))
        .bind(result.map(|r| r.1))
        .bind(settle_at)
        .bind(at)
        .bind(attempt_id)
        .bind(strs(from, |s| s.as_str()))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn finalize_payment(&self, f: &Finalize) -> StoreResult<bool> {
        let sources = PaymentStatus::sources_of(f.to);
        let (paid_at, closed_at) = match f.to {
            PaymentStatus::Success => (Some(f.at), None),
            _ => (None, Some(f.at)),
        };
        let mut tx = self.pool.begin().await?;
        // The row lock serialises concurrent finalizers; the loser re-reads
        // the committed status, no longer a source, and changes nothing.
        let moved = sqlx::query(
            "UPDATE payments SET status = $1, result_code = $2, result_message = $3,
                payment_method_type = COALESCE($4, payment_method_type),
                card_brand = COALESCE($5, card_brand), card_last4 = COALESCE($6, card_last4),
                card_masked = COALESCE($12, card_masked), card_details = COALESCE($13, card_details),
                paid_at = COALESCE($7, paid_at), closed_at = COALESCE($8, closed_at), updated_at = $9
             WHERE payment_id = $10 AND status = ANY($11)",
        )
        .bind(f.to.as_str())
        .bind(&f.result_code)
        .bind(&f.result_message)
        .bind(&f.method)
        .bind(&f.card_brand)
        .bind(&f.card_last4)
        .bind(paid_at)
        .bind(closed_at)
        .bind(f.at)
        .bind(&f.payment_id)
        .bind(strs(&sources, |s| s.as_str()))
        .bind(&f.card_masked)
        .bind(&f.card_details)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some((attempt_id, state)) = &f.attempt {
            // The attempt must still be open too: a wallet approved and
            // declined at once cannot both take effect.
            let moved = sqlx::query(
                "UPDATE payment_attempts SET state = $1, result_code = $2, result_message = $3, updated_at = $4
                 WHERE attempt_id = $5 AND state IN ('SUBMITTED', 'CHALLENGE', 'WALLET', 'ASYNC')",
            )
            .bind(state.as_str())
            .bind(&f.result_code)
            .bind(&f.result_message)
            .bind(f.at)
            .bind(attempt_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        if let Some(n) = &f.notification {
            insert_notification(&mut tx, n, f.at).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn mark_pending(
        &self,
        payment_id: &str,
        attempt_id: &str,
        method: &str,
        at: i64,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let moved = sqlx::query(
            "UPDATE payments SET status = 'PENDING', payment_method_type = $1, updated_at = $2
             WHERE payment_id = $3 AND status = 'PROCESSING'",
        )
        .bind(method)
        .bind(at)
        .bind(payment_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !moved {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "UPDATE payment_attempts SET state = 'ASYNC', settle_at = NULL, updated_at = $1 WHERE attempt_id = $2",
        )
        .bind(at)
        .bind(attempt_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn cancel_payment(
        &self,
        payment_id: &str,
        from: &[PaymentStatus],
        at: i64,
        result_code: &str,
        result_message: &str,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE payments SET status = 'CANCELLED', cancel_time = $1, closed_at = COALESCE(closed_at, $1),
                result_code = $2, result_message = $3, updated_at = $1
             WHERE payment_id = $4 AND refunded_minor = 0 AND status = ANY($5)",
        )
        .bind(at)
        .bind(result_code)
        .bind(result_message)
        .bind(payment_id)
        .bind(strs(from, |s| s.as_str()))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn expired_open_payments(&self, now: i64, limit: u32) -> StoreResult<Vec<Payment>> {
        let offset = self
            .merchant_clocks
            .then(|| offset_of_client("p.client_id"));
        let sql = format!(
            "SELECT * FROM payments p WHERE p.status = 'PROCESSING' AND {}
               AND NOT EXISTS (SELECT 1 FROM payment_attempts a WHERE a.payment_id = p.payment_id AND a.state = 'ASYNC')
             ORDER BY p.session_expires_at LIMIT $2",
            due_sql("p.session_expires_at", "$1", offset.as_deref())
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
             ORDER BY settle_at LIMIT $2",
            due_sql("settle_at", "$1", offset.as_deref())
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
impl RefundStore for PostgresStore {
    async fn insert_refund(
        &self,
        r: &Refund,
        notification: Option<&NewNotification>,
    ) -> StoreResult<RefundInsert> {
        let mut tx = self.pool.begin().await?;
        // The unique constraint on (client_id, refund_request_id) decides
        // first: a racing insert of the same request id waits for the other
        // transaction and then does nothing, and the SELECT after it (a new
        // READ COMMITTED snapshot) sees the winner's row.
        let inserted = sqlx::query(
            "INSERT INTO refunds (refund_id, client_id, refund_request_id, payment_id, reference_refund_id, fingerprint,
                currency, amount_minor, reason, notify_url, status, result_code, result_message, created_at,
                refund_time, settle_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
             ON CONFLICT (client_id, refund_request_id) DO NOTHING",
        )
        .bind(&r.refund_id)
        .bind(&r.client_id)
        .bind(&r.refund_request_id)
        .bind(&r.payment_id)
        .bind(&r.reference_refund_id)
        .bind(&r.fingerprint)
        .bind(&r.currency)
        .bind(r.amount_minor)
        .bind(&r.reason)
        .bind(&r.notify_url)
        .bind(r.status.as_str())
        .bind(&r.result_code)
        .bind(&r.result_message)
        .bind(r.created_at)
        .bind(r.refund_time)
        .bind(r.settle_at)
        .bind(r.updated_at)
        .execute(&mut *tx)
        .await;
        let inserted = match inserted {
            Ok(done) => done.rows_affected() == 1,
            Err(sqlx::Error::Database(db)) if db.is_foreign_key_violation() => {
                return Err(StoreError::NotFound("payment"));
            }
            Err(e) => return Err(e.into()),
        };
        if !inserted {
            let row = sqlx::query(
                "SELECT * FROM refunds WHERE client_id = $1 AND refund_request_id = $2",
            )
            .bind(&r.client_id)
            .bind(&r.refund_request_id)
            .fetch_one(&mut *tx)
            .await?;
            tx.rollback().await?;
            return Ok(RefundInsert::Existing(refund_from(&row)?));
        }
        if r.status != RefundStatus::Fail {
            // One conditional UPDATE reserves the amount: concurrent refunds
            // queue on the payment's row lock and each re-checks the sum on
            // the newest version, so together they never exceed the payment.
            let reserved = sqlx::query(
                "UPDATE payments SET refunded_minor = refunded_minor + $1, updated_at = $2
                 WHERE payment_id = $3 AND status = 'SUCCESS' AND refunded_minor + $1 <= amount_minor",
            )
            .bind(r.amount_minor)
            .bind(r.created_at)
            .bind(&r.payment_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if reserved != 1 {
                let row = sqlx::query(
                    "SELECT status, refunded_minor, amount_minor FROM payments WHERE payment_id = $1",
                )
                .bind(&r.payment_id)
                .fetch_one(&mut *tx)
                .await?;
                tx.rollback().await?;
                let status: PaymentStatus = parse(&row, "status")?;
                if status != PaymentStatus::Success {
                    return Ok(RefundInsert::NotRefundable(status));
                }
                return Ok(RefundInsert::Exceeds {
                    refunded_minor: row.try_get("refunded_minor")?,
                    amount_minor: row.try_get("amount_minor")?,
                });
            }
        }
        if let Some(n) = notification {
            insert_notification(&mut tx, n, r.created_at).await?;
        }
        tx.commit().await?;
        Ok(RefundInsert::Created(r.clone()))
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
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE refunds SET status = $1, result_code = $2, result_message = $3, refund_time = $4,
                settle_at = NULL, updated_at = $4
             WHERE refund_id = $5 AND status = 'PROCESSING' RETURNING payment_id, amount_minor",
        )
        .bind(to.as_str())
        .bind(result_code)
        .bind(result_message)
        .bind(at)
        .bind(refund_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(false);
        };
        if to == RefundStatus::Fail {
            let payment_id: String = row.try_get("payment_id")?;
            let amount: i64 = row.try_get("amount_minor")?;
            sqlx::query(
                "UPDATE payments SET refunded_minor = refunded_minor - $1, updated_at = $2 WHERE payment_id = $3",
            )
            .bind(amount)
            .bind(at)
            .bind(payment_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(n) = notification {
            insert_notification(&mut tx, n, at).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn refund(&self, refund_id: &str) -> StoreResult<Option<Refund>> {
        sqlx::query("SELECT * FROM refunds WHERE refund_id = $1")
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
        sqlx::query("SELECT * FROM refunds WHERE client_id = $1 AND refund_request_id = $2")
            .bind(client_id)
            .bind(request_id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(refund_from)
            .transpose()
    }

    async fn refunds_for_payment(&self, payment_id: &str) -> StoreResult<Vec<Refund>> {
        sqlx::query("SELECT * FROM refunds WHERE payment_id = $1 ORDER BY created_at, refund_id")
            .bind(payment_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(refund_from)
            .collect()
    }

    async fn due_async_refunds(&self, now: i64, limit: u32) -> StoreResult<Vec<Refund>> {
        let offset = self
            .merchant_clocks
            .then(|| offset_of_client("refunds.client_id"));
        let sql = format!(
            "SELECT * FROM refunds WHERE status = 'PROCESSING' AND settle_at IS NOT NULL AND {}
             ORDER BY settle_at LIMIT $2",
            due_sql("settle_at", "$1", offset.as_deref())
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
impl OutboxStore for PostgresStore {
    async fn claim_due_notifications_except(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
        busy_clients: &[String],
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
        lease_until: i64,
    ) -> StoreResult<bool> {
        self.record_delivery_on(a, next, Some(lease_until)).await
    }

    async fn requeue_notification(&self, notification_id: &str, now: i64) -> StoreResult<bool> {
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
        sqlx::query(
            "SELECT * FROM notifications WHERE subject_id = $1 ORDER BY created_at, notification_id",
        )
        .bind(subject_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(notification_from)
        .collect()
    }

    async fn delivery_attempts(&self, notification_id: &str) -> StoreResult<Vec<DeliveryAttempt>> {
        sqlx::query(
            "SELECT * FROM notification_attempts WHERE notification_id = $1 ORDER BY attempt_no, id",
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
        sqlx::query(&super::listen_attempts_sql("$1", "$2", "$3"))
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
impl ReportStore for PostgresStore {
    async fn report_transactions(
        &self,
        client_id: &str,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<ReportTxn>> {
        sqlx::query(
            "SELECT payment_id AS transaction_id, NULL::TEXT AS original_transaction_id,
                    payment_request_id AS transaction_request_id, reference_order_id AS reference_transaction_id,
                    payment_method_type, 'PAYMENT'::TEXT AS transaction_type, 'SUCCESS'::TEXT AS transaction_status,
                    paid_at AS transaction_time, currency, amount_minor, settlement_currency, settlement_rate
               FROM payments WHERE client_id = $1 AND paid_at >= $2 AND paid_at < $3
             UNION ALL
             SELECT payment_id, NULL, payment_request_id, reference_order_id, payment_method_type, 'PAYMENT',
                    status, closed_at, currency, amount_minor, settlement_currency, settlement_rate
               FROM payments WHERE client_id = $1 AND paid_at IS NULL AND status IN ('FAIL', 'CANCELLED')
                AND closed_at >= $2 AND closed_at < $3
             UNION ALL
             SELECT payment_id, payment_id, payment_request_id, reference_order_id, payment_method_type, 'CANCEL',
                    'SUCCESS', cancel_time, currency, amount_minor, settlement_currency, settlement_rate
               FROM payments WHERE client_id = $1 AND paid_at IS NOT NULL AND cancel_time >= $2 AND cancel_time < $3
             UNION ALL
             SELECT r.refund_id, r.payment_id, r.refund_request_id, r.reference_refund_id, p.payment_method_type, 'REFUND',
                    r.status, r.refund_time, r.currency, r.amount_minor, p.settlement_currency, p.settlement_rate
               FROM refunds r JOIN payments p ON p.payment_id = r.payment_id
              WHERE r.client_id = $1 AND r.status IN ('SUCCESS', 'FAIL') AND r.refund_time >= $2 AND r.refund_time < $3
             UNION ALL
             -- A refund still processing when the window closed is listed as PROCESSING on its creation
             -- day, whenever the report is (re)generated; it appears again, final, on the day it settles.
             SELECT r.refund_id, r.payment_id, r.refund_request_id, r.reference_refund_id, p.payment_method_type, 'REFUND',
                    'PROCESSING', r.created_at, r.currency, r.amount_minor, p.settlement_currency, p.settlement_rate
               FROM refunds r JOIN payments p ON p.payment_id = r.payment_id
              WHERE r.client_id = $1 AND r.created_at >= $2 AND r.created_at < $3
                AND (r.refund_time IS NULL OR r.refund_time >= $3)
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
            "INSERT INTO reports (client_id, report_date, kind, file_name, content, generated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
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
        let rows = sqlx::query(
            "SELECT kind, file_name, content FROM reports WHERE client_id = $1 AND report_date = $2
             ORDER BY kind, file_name",
        )
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
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM reports WHERE client_id = $1 AND report_date = $2 AND kind = $3")
            .bind(client_id)
            .bind(date)
            .bind(kind)
            .execute(&mut *tx)
            .await?;
        for (file_name, content) in files {
            // ON CONFLICT: a regeneration racing on another node wrote the
            // same file name since our DELETE; the last writer's content wins.
            sqlx::query(
                "INSERT INTO reports (client_id, report_date, kind, file_name, content, generated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (client_id, report_date, kind, file_name)
                 DO UPDATE SET content = EXCLUDED.content, generated_at = EXCLUDED.generated_at",
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
            "SELECT DISTINCT report_date FROM reports WHERE client_id = $1 AND report_date >= $2 AND kind = $3
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
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(value)
        .execute(&self.pool)
        .await?;
        let row = sqlx::query("SELECT value FROM settings WHERE name = $1")
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
        // One statement: concurrent callers serialise on the row (or on the
        // unique index for the first insert), and the condition is evaluated
        // on the newest version.
        let done = sqlx::query(
            "INSERT INTO job_leases (name, holder, lease_until, acquired_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO UPDATE
                SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until,
                    acquired_at = CASE WHEN job_leases.holder = EXCLUDED.holder
                                       THEN job_leases.acquired_at ELSE EXCLUDED.acquired_at END
              WHERE job_leases.lease_until <= $4 OR job_leases.holder = $2",
        )
        .bind(name)
        .bind(holder)
        .bind(until_ms)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[async_trait]
impl DashboardStore for PostgresStore {
    async fn insert_dashboard_user(&self, u: &DashboardUser) -> StoreResult<()> {
        let done = sqlx::query(
            "INSERT INTO dashboard_users (user_id, email, role, client_id, password_hash,
                setup_token_hash, setup_expires_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
        sqlx::query("SELECT * FROM dashboard_users WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(dashboard_user_from)
            .transpose()
    }

    async fn dashboard_user_by_email(&self, email: &str) -> StoreResult<Option<DashboardUser>> {
        sqlx::query("SELECT * FROM dashboard_users WHERE email = $1")
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
            "SELECT * FROM dashboard_users WHERE setup_token_hash = $1 AND setup_expires_at > $2",
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
            "UPDATE dashboard_users SET password_hash = $1, setup_token_hash = NULL, setup_expires_at = NULL
             WHERE user_id = $2",
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
             VALUES ($1, $2, $3, $4, $5)",
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
        sqlx::query("SELECT * FROM dashboard_sessions WHERE session_hash = $1 AND expires_at > $2")
            .bind(session_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(dashboard_session_from)
            .transpose()
    }

    async fn delete_dashboard_session(&self, session_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM dashboard_sessions WHERE session_hash = $1")
            .bind(session_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn login_failures(&self, key: &str, since: i64) -> StoreResult<u32> {
        let row = sqlx::query(
            "SELECT failures FROM login_failures WHERE throttle_key = $1 AND window_start >= $2",
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
        // The upsert locks each key's row until the commit, so another node's
        // attempt waits and then sees this one counted. A key at its limit
        // updates no row and returns none: the whole step is undone. Callers
        // name keys in one fixed order (email, then address): no deadlock.
        let mut tx = self.pool.begin().await?;
        for (key, limit) in keys {
            let counted = sqlx::query(
                "INSERT INTO login_failures (throttle_key, failures, window_start) VALUES ($1, 1, $2)
             ON CONFLICT (throttle_key) DO UPDATE SET
                failures = CASE WHEN login_failures.window_start < $3 THEN 1 ELSE login_failures.failures + 1 END,
                window_start = CASE WHEN login_failures.window_start < $4 THEN $5 ELSE login_failures.window_start END
             WHERE login_failures.window_start < $6 OR login_failures.failures < $7
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
        sqlx::query("UPDATE login_failures SET failures = failures - 1 WHERE throttle_key = $1 AND failures > 0")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
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
                    CAST(SUM(amount_minor / 1000000000) AS BIGINT) AS amount_high,
                    CAST(SUM(amount_minor % 1000000000) AS BIGINT) AS amount_low
             FROM payments WHERE ($1::TEXT IS NULL OR client_id = $1) AND created_at >= $2 AND created_at < $3
             GROUP BY day, currency, status ORDER BY day, currency, status",
        )
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
impl ApiLogStore for PostgresStore {
    async fn insert_api_requests(&self, rows: &[ApiRequestRecord]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut q = sqlx::QueryBuilder::<sqlx::Postgres>::new(
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

    async fn recent_api_requests(
        &self,
        client_id: &str,
        authenticated: bool,
        limit: u32,
    ) -> StoreResult<Vec<ApiRequestRecord>> {
        sqlx::query(
            "SELECT * FROM api_requests WHERE client_id = $1 AND authenticated = $2
             ORDER BY at DESC, id DESC LIMIT $3",
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
            "SELECT * FROM api_requests WHERE client_id = $1 AND authenticated AND id > $2
             ORDER BY id LIMIT $3",
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
        let Some(row) = sqlx::query("SELECT at FROM api_requests WHERE client_id = $1 AND authenticated = $2 ORDER BY at DESC, id DESC LIMIT 1 OFFSET $3")
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
            let n = sqlx::query("DELETE FROM api_requests WHERE id IN (SELECT id FROM api_requests WHERE client_id = $1 AND authenticated = $2 AND at < $3 LIMIT $4)")
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
            "INSERT INTO merchant_logos (name, client_id, content_type, sha256, bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6)
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
        sqlx::query("SELECT * FROM merchant_logos WHERE name = $1 ORDER BY created_at LIMIT 1")
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
