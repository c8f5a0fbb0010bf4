//! Synchronous SQLite connections (rusqlite) for the hot paths: the
//! group-commit writer's own connection, and a small pool of read
//! connections used inline by the API's point lookups.
//!
//! Why not sqlx here: sqlx runs each SQLite connection on a thread of its
//! own and every statement is a message to it and a wake-up back, two
//! context switches per statement. Profiles of inquiryPayment showed that
//! thread and the switches at about a fifth of the gateway's CPU, and the
//! group-commit writer, a task on the same two Tokio workers that sign
//! responses, waited behind RSA work between each of its statements. A point
//! lookup by a unique index takes a few microseconds when SQLite runs it on
//! the calling thread — less than the hand-off did — so reads run inline on
//! the Tokio worker (as the RSA signing does), and writes run on a dedicated
//! OS thread that owns its connection (`group_commit`).
//!
//! Both libraries link the same SQLite build (one `libsqlite3-sys`), so
//! SQLite's per-process file-lock bookkeeping is shared and the connections
//! coordinate exactly as sqlx's own pool connections do. The schema and
//! migrations stay with sqlx; these connections only run statements.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::types::FromSql;
use rusqlite::{params, Connection, OpenFlags, ToSql};

use super::super::*;
use crate::status::PaymentStatus;
use cashier_protocol::IntegrationWarning;

/// Read connections kept open between lookups.
const IDLE_READERS: usize = 8;

/// Opens a connection with the store's settings: WAL (already set on the
/// file by the migrating pool), `synchronous=FULL` so a COMMIT returns only
/// once it is on disk, foreign keys, and a lock wait of up to about 30 s
/// that polls ([`wait_for_lock`]) instead of backing off. A
/// reader is opened read-write (a read-only open would use SQLite's slower
/// read-only shared-memory mode) and made `query_only`.
pub fn open(path: &Path, reader: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_handler(Some(wait_for_lock))?;
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    if reader {
        conn.execute_batch("PRAGMA query_only = ON;")?;
    }
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

/// Busy handler: called with the number of earlier calls for this lock
/// wait; `true` tries again. SQLite's own `busy_timeout` handler sleeps
/// 1, 2, 5, 10 … 100 ms between tries, so a writer that finds another
/// connection's short transaction in the way slept through up to 228 ms of
/// back-off after the lock had long been free (seen as create latency spikes
/// whenever the API log was flushed). Polling every 100 µs for the first
/// 2 ms, then every millisecond, takes the lock within that much of its
/// release; the wait still ends after about 30 s, as before. (Polling at
/// 100 µs for the first 100 ms cost the full payment path 14% of its
/// throughput: sqlx writers waiting on the group-commit writer woke
/// thousands of times a second on the same two cores.)
fn wait_for_lock(calls: i32) -> bool {
    const FAST: i32 = 20;
    let pause = if calls < FAST {
        Duration::from_micros(100)
    } else {
        Duration::from_millis(1)
    };
    if calls >= FAST + 30_000 {
        return false;
    }
    std::thread::sleep(pause);
    true
}

/// [`wait_for_lock`] in the shape SQLite's C API calls.
extern "C" fn wait_for_lock_c(
    _: *mut std::os::raw::c_void,
    calls: std::os::raw::c_int,
) -> std::os::raw::c_int {
    std::os::raw::c_int::from(wait_for_lock(calls))
}

/// Gives a sqlx pool connection the same polling lock wait as the direct
/// connections (sqlx can only set SQLite's back-off `busy_timeout`, which
/// made payment-path writes meeting the group-commit writer sleep through
/// up to 100 ms per try, and a merchant-cache refresh that met a WAL reset
/// stall every request behind it for 228 ms).
pub async fn poll_when_busy(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: sqlx has no busy-handler setter, so this goes through the C
    // API. `db` is the live connection handle, and holding `handle` (sqlx's
    // lock on its worker) guarantees no other call runs on it meanwhile;
    // the handler is a plain function that touches no SQLite state, and the
    // null argument is never read. sqlx and rusqlite link one and the same
    // `libsqlite3-sys`, so the types are the same. This replaces the
    // `busy_timeout` handler set at connect, as SQLite documents.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_busy_handler(db, Some(wait_for_lock_c), std::ptr::null_mut())
    };
    drop(handle);
    if rc == rusqlite::ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!(
            "sqlite3_busy_handler failed: {rc}"
        )))
    }
}

/// Read connections, used on the calling thread.
pub struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    pub fn new(path: &Path) -> Readers {
        Readers {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on an idle read connection (opening one if none is idle).
    /// Meant for lookups by key that take microseconds; anything that scans
    /// belongs on the sqlx pool.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let idle = self.lock().pop();
        let conn = match idle {
            Some(c) => c,
            None => open(&self.path, true)?,
        };
        let out = f(&conn);
        let mut idle = self.lock();
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        out
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // A panic while holding this lock cannot leave the Vec inconsistent.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A rusqlite row with the `try_get(name)` of sqlx's rows, so the shared
/// row mappers serve it too.
pub struct Row<'a, 'b>(&'a rusqlite::Row<'b>);

impl Row<'_, '_> {
    fn try_get<T: FromSql>(&self, col: &str) -> rusqlite::Result<T> {
        self.0.get(col)
    }
}

// The shared mappers; only some are used on these connections.
#[allow(dead_code)]
mod mappers {
    use std::str::FromStr;

    use super::super::super::*;
    use super::Row;

    super::super::super::rows::row_mappers!(Row<'_, '_>);
}
use mappers::{attempt_from, notification_from, parse, payment_from, refund_from};

/// Runs a query expected to return at most one row.
fn one<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl FnOnce(&Row) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    match rows.next()? {
        Some(r) => map(&Row(r)).map(Some),
        None => Ok(None),
    }
}

/// Runs a query and maps every row.
fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(map(&Row(r))?);
    }
    Ok(out)
}

pub fn payment(conn: &Connection, payment_id: &str) -> StoreResult<Option<Payment>> {
    one(
        conn,
        "SELECT * FROM payments WHERE payment_id = ?",
        [payment_id],
        payment_from,
    )
}

pub fn payment_by_request_id(
    conn: &Connection,
    client_id: &str,
    request_id: &str,
) -> StoreResult<Option<Payment>> {
    one(
        conn,
        "SELECT * FROM payments WHERE client_id = ? AND payment_request_id = ?",
        [client_id, request_id],
        payment_from,
    )
}

pub fn payment_by_token(conn: &Connection, token: &str) -> StoreResult<Option<Payment>> {
    one(
        conn,
        "SELECT * FROM payments WHERE checkout_token = ?",
        [token],
        payment_from,
    )
}

pub fn refunds_for_payment(conn: &Connection, payment_id: &str) -> StoreResult<Vec<Refund>> {
    all(
        conn,
        "SELECT * FROM refunds WHERE payment_id = ? ORDER BY created_at, refund_id",
        [payment_id],
        refund_from,
    )
}

/// Inserts a payment inside a group-commit batch; an existing payment with
/// the same (clientId, paymentRequestId) is returned instead.
pub fn insert_payment(conn: &Connection, p: Payment) -> StoreResult<Inserted<Payment>> {
    let changed = conn
        .prepare_cached(
            "INSERT INTO payments (payment_id, client_id, payment_request_id, fingerprint, status, result_code,
                result_message, currency, amount_minor, reference_order_id, order_description, goods_json,
                buyer_reference_id, redirect_url, notify_url, locale, terminal_type, methods_json,
                preselected_method, session_id, session_data, checkout_token, session_expires_at,
                payment_method_type, card_brand, card_last4, created_at, paid_at, closed_at, updated_at,
                settlement_currency, settlement_rate, settlement_rate_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?, ?, ?)
             ON CONFLICT (client_id, payment_request_id) DO NOTHING",
        )?
        .execute(params![
            p.payment_id,
            p.client_id,
            p.payment_request_id,
            p.fingerprint,
            p.status.as_str(),
            p.result_code,
            p.result_message,
            p.currency,
            p.amount_minor,
            p.reference_order_id,
            p.order_description,
            p.goods_json,
            p.buyer_reference_id,
            p.redirect_url,
            p.notify_url,
            p.locale,
            p.terminal_type,
            p.methods_json,
            p.preselected_method,
            p.session_id,
            p.session_data,
            p.checkout_token,
            p.session_expires_at,
            p.payment_method_type,
            p.card_brand,
            p.card_last4,
            p.created_at,
            p.paid_at,
            p.closed_at,
            p.updated_at,
            p.settlement_currency,
            p.settlement_rate,
            p.settlement_rate_at,
        ])?;
    if changed == 1 {
        return Ok(Inserted::New(p));
    }
    payment_by_request_id(conn, &p.client_id, &p.payment_request_id)?
        .map(Inserted::Existing)
        .ok_or(StoreError::NotFound("payment"))
}

/// Inserts a new payment's integration warnings inside the batch (and
/// savepoint) that inserted the payment.
pub fn insert_warnings(
    conn: &Connection,
    p: &Payment,
    warnings: &[IntegrationWarning],
) -> StoreResult<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO payment_warnings (payment_id, seq, client_id, rule, field, message, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )?;
    for (seq, w) in warnings.iter().enumerate() {
        insert.execute(params![
            p.payment_id,
            seq as i64,
            p.client_id,
            w.rule.code(),
            w.field,
            w.message,
            p.created_at,
        ])?;
    }
    Ok(())
}

/// Inserts a payment attempt inside a group-commit batch; an existing
/// attempt with the same (paymentId, nonce) — a resubmitted form — is
/// returned instead.
pub fn insert_attempt(conn: &Connection, a: Attempt) -> StoreResult<Inserted<Attempt>> {
    let changed = conn
        .prepare_cached(
            "INSERT INTO payment_attempts (attempt_id, payment_id, nonce, method, state, result_code, result_message,
                card_brand, card_last4, card_masked, card_details, wallet_token, settle_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (payment_id, nonce) DO NOTHING",
        )?
        .execute(params![
            a.attempt_id,
            a.payment_id,
            a.nonce,
            a.method,
            a.state.as_str(),
            a.result_code,
            a.result_message,
            a.card_brand,
            a.card_last4,
            a.card_masked,
            a.card_details,
            a.wallet_token,
            a.settle_at,
            a.created_at,
            a.updated_at,
        ])?;
    if changed == 1 {
        return Ok(Inserted::New(a));
    }
    one(
        conn,
        "SELECT * FROM payment_attempts WHERE payment_id = ? AND nonce = ?",
        [&a.payment_id, &a.nonce],
        attempt_from,
    )?
    .map(Inserted::Existing)
    .ok_or(StoreError::NotFound("payment attempt"))
}

/// Moves an attempt to `to` if it is in one of `from` (one statement).
pub fn update_attempt(conn: &Connection, u: &AttemptUpdate) -> StoreResult<bool> {
    let sql = format!(
        "UPDATE payment_attempts SET state = ?, result_code = COALESCE(?, result_code),
            result_message = COALESCE(?, result_message), settle_at = ?, updated_at = ?
         WHERE attempt_id = ? AND state IN ({})",
        placeholders(u.from.len())
    );
    let fixed: [&dyn ToSql; 6] = [
        &u.to_state,
        &u.result_code,
        &u.result_message,
        &u.settle_at,
        &u.at,
        &u.attempt_id,
    ];
    Ok(execute_with_list(conn, &sql, &fixed, &u.from)? == 1)
}

/// Records an attempt's card details (see `Store::set_attempt_card_details`).
pub fn set_attempt_card_details(
    conn: &Connection,
    attempt_id: &str,
    details: &str,
) -> StoreResult<()> {
    conn.prepare_cached("UPDATE payment_attempts SET card_details = ? WHERE attempt_id = ?")?
        .execute([details, attempt_id])?;
    Ok(())
}

/// An attempt move, owned so that it can travel to the writer thread.
pub struct AttemptUpdate {
    pub attempt_id: String,
    pub from: Vec<&'static str>,
    pub to_state: &'static str,
    pub result_code: Option<String>,
    pub result_message: Option<String>,
    pub settle_at: Option<i64>,
    pub at: i64,
}

/// Finalizes a payment (see `Store::finalize_payment`): `false`, with
/// nothing changed, when the payment is no longer in a state that may move
/// to `f.to` or the attempt is no longer open. Run with
/// `GroupCommit::write_or_undo`, which undoes the payment's update when
/// the attempt's fails.
pub fn finalize_payment(conn: &Connection, f: &Finalize) -> StoreResult<bool> {
    let sources = PaymentStatus::sources_of(f.to);
    let (paid_at, closed_at) = match f.to {
        PaymentStatus::Success => (Some(f.at), None),
        _ => (None, Some(f.at)),
    };
    let sql = format!(
        "UPDATE payments SET status = ?, result_code = ?, result_message = ?,
            payment_method_type = COALESCE(?, payment_method_type),
            card_brand = COALESCE(?, card_brand), card_last4 = COALESCE(?, card_last4),
            card_masked = COALESCE(?, card_masked), card_details = COALESCE(?, card_details),
            paid_at = COALESCE(?, paid_at), closed_at = COALESCE(?, closed_at), updated_at = ?
         WHERE payment_id = ? AND status IN ({})",
        placeholders(sources.len())
    );
    let to = f.to.as_str();
    let fixed: [&dyn ToSql; 12] = [
        &to,
        &f.result_code,
        &f.result_message,
        &f.method,
        &f.card_brand,
        &f.card_last4,
        &f.card_masked,
        &f.card_details,
        &paid_at,
        &closed_at,
        &f.at,
        &f.payment_id,
    ];
    let source_names: Vec<&str> = sources.iter().map(|s| s.as_str()).collect();
    if execute_with_list(conn, &sql, &fixed, &source_names)? != 1 {
        return Ok(false);
    }
    if let Some((attempt_id, state)) = &f.attempt {
        // The attempt must still be open too: a wallet approved and
        // declined at once cannot both take effect.
        let moved = conn
            .prepare_cached(
                "UPDATE payment_attempts SET state = ?, result_code = ?, result_message = ?, updated_at = ?
                 WHERE attempt_id = ? AND state IN ('SUBMITTED', 'CHALLENGE', 'WALLET', 'ASYNC')",
            )?
            .execute(params![
                state.as_str(),
                f.result_code,
                f.result_message,
                f.at,
                attempt_id
            ])?;
        if moved != 1 {
            return Ok(false);
        }
    }
    if let Some(n) = &f.notification {
        insert_notification(conn, n, f.at)?;
    }
    Ok(true)
}

/// Moves a processing payment and its attempt to PENDING / ASYNC (an
/// asynchronous method); `false` when the payment is no longer processing.
pub fn mark_pending(
    conn: &Connection,
    payment_id: &str,
    attempt_id: &str,
    method: &str,
    at: i64,
) -> StoreResult<bool> {
    let moved = conn
        .prepare_cached(
            "UPDATE payments SET status = 'PENDING', payment_method_type = ?, updated_at = ?
             WHERE payment_id = ? AND status = 'PROCESSING'",
        )?
        .execute(params![method, at, payment_id])?;
    if moved != 1 {
        return Ok(false);
    }
    conn.prepare_cached(
        "UPDATE payment_attempts SET state = 'ASYNC', settle_at = NULL, updated_at = ? WHERE attempt_id = ?",
    )?
    .execute(params![at, attempt_id])?;
    Ok(true)
}

/// Cancels a payment in one of `from` that has nothing refunded (one statement).
pub fn cancel_payment(
    conn: &Connection,
    payment_id: &str,
    from: &[PaymentStatus],
    at: i64,
    result_code: &str,
    result_message: &str,
) -> StoreResult<bool> {
    let sql = format!(
        "UPDATE payments SET status = 'CANCELLED', cancel_time = ?, closed_at = COALESCE(closed_at, ?),
            result_code = ?, result_message = ?, updated_at = ?
         WHERE payment_id = ? AND refunded_minor = 0 AND status IN ({})",
        placeholders(from.len())
    );
    let fixed: [&dyn ToSql; 6] = [&at, &at, &result_code, &result_message, &at, &payment_id];
    let names: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    Ok(execute_with_list(conn, &sql, &fixed, &names)? == 1)
}

/// Records a refund and reserves its amount on the payment (see
/// `Store::insert_refund`). Every check reads inside the writer's
/// transaction, so two refunds of one payment cannot both pass them.
pub fn insert_refund(
    conn: &Connection,
    r: &Refund,
    notification: Option<&NewNotification>,
) -> StoreResult<RefundInsert> {
    if let Some(existing) = one(
        conn,
        "SELECT * FROM refunds WHERE client_id = ? AND refund_request_id = ?",
        [&r.client_id, &r.refund_request_id],
        refund_from,
    )? {
        return Ok(RefundInsert::Existing(existing));
    }
    if r.status != RefundStatus::Fail {
        let reserved = conn
            .prepare_cached(
                "UPDATE payments SET refunded_minor = refunded_minor + ?, updated_at = ?
                 WHERE payment_id = ? AND status = 'SUCCESS' AND refunded_minor + ? <= amount_minor",
            )?
            .execute(params![
                r.amount_minor,
                r.created_at,
                r.payment_id,
                r.amount_minor
            ])?;
        if reserved != 1 {
            let (status, refunded_minor, amount_minor) = one(
                conn,
                "SELECT status, refunded_minor, amount_minor FROM payments WHERE payment_id = ?",
                [&r.payment_id],
                |row| {
                    Ok((
                        parse::<PaymentStatus>(row, "status")?,
                        row.try_get::<i64>("refunded_minor")?,
                        row.try_get::<i64>("amount_minor")?,
                    ))
                },
            )?
            .ok_or(StoreError::NotFound("payment"))?;
            if status != PaymentStatus::Success {
                return Ok(RefundInsert::NotRefundable(status));
            }
            return Ok(RefundInsert::Exceeds {
                refunded_minor,
                amount_minor,
            });
        }
    }
    conn.prepare_cached(
        "INSERT INTO refunds (refund_id, client_id, refund_request_id, payment_id, reference_refund_id, fingerprint,
            currency, amount_minor, reason, notify_url, status, result_code, result_message, created_at,
            refund_time, settle_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        r.refund_id,
        r.client_id,
        r.refund_request_id,
        r.payment_id,
        r.reference_refund_id,
        r.fingerprint,
        r.currency,
        r.amount_minor,
        r.reason,
        r.notify_url,
        r.status.as_str(),
        r.result_code,
        r.result_message,
        r.created_at,
        r.refund_time,
        r.settle_at,
        r.updated_at,
    ])?;
    if let Some(n) = notification {
        insert_notification(conn, n, r.created_at)?;
    }
    Ok(RefundInsert::Created(r.clone()))
}

/// Settles a processing refund (see `Store::finish_refund`); a failed one
/// gives its reserved amount back to the payment.
pub fn finish_refund(
    conn: &Connection,
    refund_id: &str,
    to: RefundStatus,
    result_code: &str,
    result_message: &str,
    at: i64,
    notification: Option<&NewNotification>,
) -> StoreResult<bool> {
    let moved = one(
        conn,
        "UPDATE refunds SET status = ?, result_code = ?, result_message = ?, refund_time = ?, settle_at = NULL, updated_at = ?
         WHERE refund_id = ? AND status = 'PROCESSING' RETURNING payment_id, amount_minor",
        params![to.as_str(), result_code, result_message, at, at, refund_id],
        |row| {
            Ok((
                row.try_get::<String>("payment_id")?,
                row.try_get::<i64>("amount_minor")?,
            ))
        },
    )?;
    let Some((payment_id, amount)) = moved else {
        return Ok(false);
    };
    if to == RefundStatus::Fail {
        conn.prepare_cached(
            "UPDATE payments SET refunded_minor = refunded_minor - ?, updated_at = ? WHERE payment_id = ?",
        )?
        .execute(params![amount, at, payment_id])?;
    }
    if let Some(n) = notification {
        insert_notification(conn, n, at)?;
    }
    Ok(true)
}

/// Inserts an outbox row (inside the caller's transaction).
fn insert_notification(conn: &Connection, n: &NewNotification, at: i64) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO notifications (notification_id, client_id, kind, subject_id, payment_id, url, body, status,
            attempts, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)",
    )?
    .execute(params![
        n.notification_id,
        n.client_id,
        n.kind,
        n.subject_id,
        n.payment_id,
        n.url,
        n.body,
        at,
        at
    ])?;
    Ok(())
}

/// Executes `sql`, whose parameters are `fixed` followed by an IN list
/// (built with [`placeholders`]) of `list`; returns the rows changed.
fn execute_with_list(
    conn: &Connection,
    sql: &str,
    fixed: &[&dyn ToSql],
    list: &[&str],
) -> StoreResult<usize> {
    let mut values = fixed.to_vec();
    values.extend(list.iter().map(|s| s as &dyn ToSql));
    Ok(conn.prepare_cached(sql)?.execute(&values[..])?)
}

/// `?, ?, ?` for an IN list of `n` placeholders.
fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Leases up to `limit` due notifications (see `Store::claim_due_notifications_except`).
pub fn claim_due_notifications(
    conn: &Connection,
    now: i64,
    lease_until: i64,
    limit: u32,
    busy_clients_json: &str,
    merchant_clocks: bool,
) -> StoreResult<Vec<Notification>> {
    let offset = merchant_clocks.then(|| super::super::offset_of_client("notifications.client_id"));
    let due = super::super::due_sql("next_attempt_at", "?2", offset.as_deref());
    all(
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
        notification_from,
    )
}

/// Records one delivery attempt and the notification's next state inside a
/// group-commit batch (two statements: the caller wraps it in a savepoint).
/// With `claim` (the `lease_until` the attempt's claim set), only while that
/// claim holds — the notification PENDING with that lease — and false,
/// with nothing written, otherwise (see `Store::record_claimed_delivery`).
pub fn record_delivery(
    conn: &Connection,
    a: &DeliveryAttempt,
    next: DeliveryNext,
    claim: Option<i64>,
) -> StoreResult<bool> {
    let (status, next_at, delivered_at) = match next {
        DeliveryNext::Delivered => ("DELIVERED", None, Some(a.attempted_at)),
        DeliveryNext::RetryAt(t) => ("PENDING", Some(t), None),
        DeliveryNext::GiveUp => ("FAILED", None, None),
    };
    let updated = conn
        .prepare_cached(
            "UPDATE notifications SET status = ?1, attempts = ?2, next_attempt_at = COALESCE(?3, next_attempt_at),
                delivered_at = COALESCE(?4, delivered_at), lease_until = NULL
             WHERE notification_id = ?5 AND (?6 IS NULL OR (status = 'PENDING' AND lease_until = ?6))",
        )?
        .execute(params![
            status,
            i64::from(a.attempt_no),
            next_at,
            delivered_at,
            a.notification_id,
            claim,
        ])?;
    if claim.is_some() && updated == 0 {
        return Ok(false);
    }
    conn.prepare_cached(
        "INSERT INTO notification_attempts (notification_id, attempt_no, attempted_at, http_status, latency_ms,
            response_excerpt, error, acknowledged, request_time, signature)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        a.notification_id,
        i64::from(a.attempt_no),
        a.attempted_at,
        a.http_status.map(i64::from),
        a.latency_ms,
        a.response_excerpt,
        a.error,
        i64::from(a.acknowledged),
        a.request_time,
        a.signature,
    ])?;
    Ok(true)
}

/// Appends API log rows inside a group-commit batch (one statement per
/// row, so the caller wraps it in a savepoint).
pub fn insert_api_requests(conn: &Connection, rows: &[ApiRequestRecord]) -> StoreResult<()> {
    let mut insert = conn.prepare_cached(
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

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::open;
    use crate::store::ReportStore;

    /// A connection that finds the write lock taken waits for it (polling)
    /// and gets it once the other transaction ends, instead of failing.
    #[test]
    fn a_writer_waits_for_the_lock_and_then_gets_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock.sqlite3");
        // The store's migrating pool creates the file; here, plain rusqlite.
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER);")
            .unwrap();
        let holder = open(&path, false).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        holder.execute("INSERT INTO t VALUES (1)", []).unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            holder.execute_batch("COMMIT").unwrap();
        });
        let waiter = open(&path, false).unwrap();
        let started = Instant::now();
        waiter.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert!(started.elapsed() >= Duration::from_millis(40));
        waiter.execute("INSERT INTO t VALUES (2)", []).unwrap();
        waiter.execute_batch("COMMIT").unwrap();
        release.join().unwrap();
        let n: i64 = waiter
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        // A reader cannot write.
        let reader = open(&path, true).unwrap();
        assert!(reader.execute("INSERT INTO t VALUES (3)", []).is_err());
    }

    /// The report's range queries still use the time indexes after they
    /// became partial (migration 0009): a comparison implies IS NOT NULL.
    #[tokio::test]
    async fn report_range_queries_use_the_partial_time_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.sqlite3");
        let _store = crate::store::SqliteStore::open(&path).await.unwrap();
        let conn = open(&path, true).unwrap();
        for (col, index) in [
            ("paid_at", "payments_by_paid"),
            ("closed_at", "payments_by_closed"),
            ("cancel_time", "payments_by_cancel"),
        ] {
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT payment_id FROM payments
                 WHERE client_id = ?1 AND {col} >= ?2 AND {col} < ?3"
            );
            let plan: Vec<String> = conn
                .prepare(&sql)
                .unwrap()
                .query_map(["C", "1", "2"], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert!(plan.iter().any(|d| d.contains(index)), "{col}: {plan:?}");
        }
    }

    /// The sqlx pool's connections wait for a busy lock by polling too:
    /// SQLite's back-off would have slept from 178 ms to 228 ms and taken
    /// the lock released at 180 ms only then.
    #[tokio::test]
    async fn pool_connections_poll_for_the_lock_instead_of_backing_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pool.sqlite3");
        let store = crate::store::SqliteStore::open(&path).await.unwrap();
        let holder = open(&path, false).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        holder
            .execute(
                "INSERT INTO settings (name, value) VALUES ('held', '1')",
                [],
            )
            .unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(180));
            holder.execute_batch("COMMIT").unwrap();
        });
        let started = Instant::now();
        let value = store.setting_or_insert("waited", "2").await.unwrap();
        let waited = started.elapsed();
        release.join().unwrap();
        assert_eq!(value, "2");
        assert!(waited >= Duration::from_millis(170), "{waited:?}");
        assert!(
            waited < Duration::from_millis(215),
            "backed off: {waited:?}"
        );
    }
}
