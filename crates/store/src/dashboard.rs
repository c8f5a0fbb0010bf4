//! The dashboard's identity (users, sessions, the login throttle shared by
//! all nodes) and its views over payments (daily statistics, the payments
//! list).

use async_trait::async_trait;
use cashier_protocol::Currency;

use super::{Payment, StoreResult};
use crate::ids::{ClientId, PaymentId};
use crate::status::PaymentStatus;
use crate::time::Timestamp;

#[async_trait]
pub trait DashboardStore: Send + Sync {
    /// Fails with [`StoreError::Conflict`](super::StoreError::Conflict) if
    /// the email is taken.
    async fn insert_dashboard_user(&self, user: &DashboardUser) -> StoreResult<()>;
    async fn dashboard_user(&self, user_id: &str) -> StoreResult<Option<DashboardUser>>;
    async fn dashboard_user_by_email(&self, email: &str) -> StoreResult<Option<DashboardUser>>;
    /// The user whose unexpired setup token hashes to `token_hash`.
    async fn dashboard_user_by_setup_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<DashboardUser>>;
    /// Sets the password hash and consumes any setup token.
    async fn set_dashboard_password(&self, user_id: &str, password_hash: &str)
        -> StoreResult<bool>;
    async fn insert_dashboard_session(&self, session: &DashboardSession) -> StoreResult<()>;
    /// The session if it exists and has not expired by `now`.
    async fn dashboard_session(
        &self,
        session_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<DashboardSession>>;
    async fn delete_dashboard_session(&self, session_hash: &str) -> StoreResult<()>;
    /// Failed logins recorded for `key` in the window that started at or
    /// after `since` (0 if none or older).
    async fn login_failures(&self, key: &str, since: Timestamp) -> StoreResult<u32>;
    /// Reserves one login attempt against every `(key, limit)` of `keys`
    /// as one atomic step, shared by all nodes: each key's count in its
    /// window (a window that started before `since` restarts at `now`)
    /// goes up by one if it is below its limit. Either every key is counted
    /// and the answer is true, or none is and it is false. A reserved
    /// attempt counts as a failure until
    /// [`DashboardStore::release_login_attempt`] or
    /// [`DashboardStore::clear_login_failures`] gives it back, so parallel
    /// attempts can never check more passwords than the limits allow.
    async fn reserve_login_attempt(
        &self,
        keys: &[(&str, u32)],
        since: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Gives back one attempt reserved for `key` (the login succeeded, or
    /// no password was checked).
    async fn release_login_attempt(&self, key: &str) -> StoreResult<()>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    /// Payments created in `[from, to)` grouped by UTC+8 day (Antom's day,
    /// as in reports), currency and status; `client_id` `None` for every
    /// merchant.
    async fn daily_stats(
        &self,
        client_id: Option<&ClientId>,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<Vec<DailyStat>>;
    /// One page of the payments list (see [`PaymentFilter`]).
    async fn list_payments(&self, filter: &PaymentFilter, limit: u32) -> StoreResult<Vec<Payment>>;
}

/// A dashboard login (`cashier user create`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardUser {
    pub user_id: String,
    /// Lower-case; unique.
    pub email: String,
    /// [`ROLE_ADMIN`] (every merchant) or [`ROLE_MERCHANT`] (`client_id` only).
    pub role: String,
    pub client_id: Option<ClientId>,
    /// argon2id PHC string; `None` until the setup link has been used.
    pub password_hash: Option<String>,
    /// SHA-256 (hex) of the one-time setup token.
    pub setup_token_hash: Option<String>,
    pub setup_expires_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

pub const ROLE_ADMIN: &str = "ADMIN";
pub const ROLE_MERCHANT: &str = "MERCHANT";

/// A logged-in dashboard session. The cookie holds a random token; the
/// store keeps only its SHA-256, so a database read does not yield cookies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardSession {
    pub session_hash: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Filters of the dashboard's payments list. Results are newest first,
/// ordered by (`created_at`, `payment_id`) descending; `before` is the
/// keyset cursor (the last row of the previous page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentFilter {
    /// `None`: every merchant (admins only).
    pub client_id: Option<ClientId>,
    pub status: Option<PaymentStatus>,
    pub method: Option<String>,
    pub currency: Option<String>,
    /// `created_at >= from`.
    pub created_from: Option<Timestamp>,
    /// `created_at < to`.
    pub created_to: Option<Timestamp>,
    /// Exact `paymentId` or `paymentRequestId`.
    pub search: Option<String>,
    pub before: Option<(Timestamp, PaymentId)>,
}

/// The offset of Antom's day (UTC+8) in milliseconds: days in the store's
/// daily statistics are UTC+8 calendar days, like the reports' days.
pub const ANTOM_DAY_OFFSET_MS: i64 = 8 * 3_600_000;

/// Payments of one UTC+8 day, currency and status (dashboard overview).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyStat {
    /// Days since 1970-01-01, counted in UTC+8: `(created_at + 8 h) / 24 h`.
    pub day: i64,
    pub currency: Currency,
    pub status: String,
    pub count: i64,
    /// The sum, exact: `i128` holds any number of 16-digit amounts (the SQL
    /// sums the high and low parts apart, [`split_sum`]).
    pub amount_minor: i128,
}

/// Sums of amounts in SQL never overflow: `SUM(amount)` over `BIGINT`s
/// fails on SQLite ("integer overflow") and in a cast on PostgreSQL once the
/// total passes 2^63 (923 payments of the largest amount do it). The
/// queries sum `amount / SPLIT` and `amount % SPLIT` instead: with amounts
/// of at most 16 digits those sums stay below 2^63 for up to 9 × 10^11
/// and 9 × 10^9 rows, and this joins them as `i128`.
pub const SPLIT: i64 = 1_000_000_000;

/// The exact sum from the two partial sums of a split `SUM`.
pub fn split_sum(high: i64, low: i64) -> i128 {
    i128::from(high) * i128::from(SPLIT) + i128::from(low)
}

/// A bind value of a query built at run time.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
}

/// The payments-list query with `$n` parameters (both backends number
/// them so) and its arguments, in order. Every filter is an equality or a
/// range on the keyset, so `payments_list*` indexes (migration 0005) serve it.
pub(crate) fn payments_list_query(f: &PaymentFilter, limit: u32) -> (String, Vec<Arg>) {
    /// Adds `a` to the arguments; its parameter.
    fn param(args: &mut Vec<Arg>, a: Arg) -> String {
        args.push(a);
        format!("${}", args.len())
    }
    let mut sql = String::from("SELECT * FROM payments WHERE 1 = 1");
    let mut args = Vec::new();
    if let Some(c) = &f.client_id {
        sql += &format!(
            " AND client_id = {}",
            param(&mut args, Arg::Text(c.to_string()))
        );
    }
    if let Some(s) = f.status {
        let p = param(&mut args, Arg::Text(s.as_str().to_string()));
        sql += &format!(" AND status = {p}");
    }
    if let Some(m) = &f.method {
        let p = param(&mut args, Arg::Text(m.clone()));
        sql += &format!(" AND payment_method_type = {p}");
    }
    if let Some(c) = &f.currency {
        sql += &format!(
            " AND currency = {}",
            param(&mut args, Arg::Text(c.to_string()))
        );
    }
    if let Some(t) = f.created_from {
        sql += &format!(
            " AND created_at >= {}",
            param(&mut args, Arg::Int(t.millis()))
        );
    }
    if let Some(t) = f.created_to {
        sql += &format!(
            " AND created_at < {}",
            param(&mut args, Arg::Int(t.millis()))
        );
    }
    if let Some(q) = &f.search {
        let p = param(&mut args, Arg::Text(q.clone()));
        sql += &format!(" AND (payment_id = {p} OR payment_request_id = {p})");
    }
    if let Some((at, id)) = &f.before {
        // The plain upper bound lets SQLite start the index range at the
        // cursor (an OR of two ranges made it scan from the newest row);
        // the row value then skips ties already shown.
        let at = param(&mut args, Arg::Int(at.millis()));
        let id = param(&mut args, Arg::Text(id.to_string()));
        sql += &format!(" AND created_at <= {at} AND (created_at, payment_id) < ({at}, {id})");
    }
    sql += &format!(
        " ORDER BY created_at DESC, payment_id DESC LIMIT {}",
        param(&mut args, Arg::Int(i64::from(limit)))
    );
    (sql, args)
}

/// Implements [`DashboardStore`] for a backend (`sqlite/dashboard.rs`,
/// `postgres/dashboard.rs`): every statement runs as written on both, since
/// sqlx numbers `$n` parameters on SQLite too. The backend brings
/// `self.pool`, `begin_write` and the row mappers.
macro_rules! dashboard_store {
    (impl DashboardStore for $store:ident { $($own:tt)* }) => {
        #[async_trait::async_trait]
        impl DashboardStore for $store {
            $($own)*

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
                now: Timestamp,
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
                now: Timestamp,
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

            async fn login_failures(&self, key: &str, since: Timestamp) -> StoreResult<u32> {
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
                since: Timestamp,
                now: Timestamp,
            ) -> StoreResult<bool> {
                // No other attempt counts in between: SQLite's write transaction
                // holds the write lock from its first statement, and on PostgreSQL
                // the upsert locks each key's row until the commit, so another
                // node's attempt waits and then sees this one counted. A key at its
                // limit updates no row and returns none: the whole step is undone.
                // Callers name keys in one fixed order (email, then address): no
                // deadlock.
                let mut tx = self.begin_write().await?;
                for (key, limit) in keys {
                    let counted = sqlx::query(
                        "INSERT INTO login_failures (throttle_key, failures, window_start) VALUES ($1, 1, $2)
                     ON CONFLICT (throttle_key) DO UPDATE SET
                        failures = CASE WHEN login_failures.window_start < $3 THEN 1 ELSE login_failures.failures + 1 END,
                        window_start = CASE WHEN login_failures.window_start < $3 THEN $2 ELSE login_failures.window_start END
                     WHERE login_failures.window_start < $3 OR login_failures.failures < $4
                     RETURNING failures",
                    )
                    .bind(key)
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
                client_id: Option<&ClientId>,
                from: Timestamp,
                to: Timestamp,
            ) -> StoreResult<Vec<DailyStat>> {
                let rows = sqlx::query(
                    "SELECT (created_at + 28800000) / 86400000 AS day, currency, status, COUNT(*) AS n,
                            CAST(SUM(amount_minor / 1000000000) AS BIGINT) AS amount_high,
                            CAST(SUM(amount_minor % 1000000000) AS BIGINT) AS amount_low
                     FROM payments WHERE (CAST($1 AS TEXT) IS NULL OR client_id = $1) AND created_at >= $2 AND created_at < $3
                     GROUP BY day, currency, status ORDER BY day, currency, status",
                )
                .bind(client_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let day: i64 = r.try_get("day")?;
                        let currency: String = r.try_get("currency")?;
                        Ok(DailyStat {
                            // A group has no id: the error names its day.
                            currency: crate::rows::decode_currency(
                                "payments",
                                &format!("of day {day}"),
                                "currency",
                                &currency,
                            )?,
                            day,
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
    };
}
pub(super) use dashboard_store;
