//! [`PaymentStore`] on SQLite: the shared statements (`store/payments.rs`);
//! every write of a payment's life goes through the group-commit writer, and
//! the API's point lookups run inline on `direct`'s read connections.

use rusqlite::{params, Connection, ToSql};

use super::direct::{self, among, execute_with_list, one, prepare};
use super::outbox::insert_notification_on;
use super::*;
use crate::payments::{
    cancel_sql, final_times, finalize_sql, payment_store, update_attempt_sql, ATTEMPT_BY_NONCE,
    CLOSE_ATTEMPT, INSERT_ATTEMPT, INSERT_PAYMENT, MARK_ATTEMPT_ASYNC, MARK_PAYMENT_PENDING,
    PAYMENT, PAYMENT_BY_REQUEST_ID, PAYMENT_BY_TOKEN, SET_ATTEMPT_CARD_DETAILS,
};
use crate::time::Timestamp;

payment_store! {
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
                    .write_statement(move |conn| insert_payment_on(conn, p))
                    .await;
            }
            let warnings = warnings.to_vec();
            self.writer
                .write(move |conn| {
                    let inserted = insert_payment_on(conn, p)?;
                    if let Inserted::New(p) = &inserted {
                        insert_warnings_on(conn, p, &warnings)?;
                    }
                    Ok(inserted)
                })
                .await
        }

        async fn warnings_for_payments(
            &self,
            payment_ids: &[PaymentId],
        ) -> StoreResult<Vec<PaymentWarning>> {
            let mut out = Vec::new();
            // SQLite allows 32766 parameters; batches stay far below.
            for ids in payment_ids.chunks(500) {
                let sql = format!(
                    "SELECT * FROM payment_warnings WHERE payment_id {} ORDER BY payment_id, seq",
                    among(1, ids.len())
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

        async fn payment(&self, payment_id: &PaymentId) -> StoreResult<Option<Payment>> {
            self.readers
                .read(|c| one(c, PAYMENT, [payment_id], direct::payment_from))
        }

        async fn payment_by_request_id(
            &self,
            client_id: &ClientId,
            request_id: &PaymentRequestId,
        ) -> StoreResult<Option<Payment>> {
            self.readers
                .read(|c| payment_by_request_id_on(c, client_id, request_id))
        }

        async fn payment_by_token(&self, token: &str) -> StoreResult<Option<Payment>> {
            self.readers
                .read(|c| one(c, PAYMENT_BY_TOKEN, [token], direct::payment_from))
        }

        async fn insert_attempt(&self, a: &Attempt) -> StoreResult<Inserted<Attempt>> {
            let a = a.clone();
            self.writer
                .write_statement(move |conn| insert_attempt_on(conn, a))
                .await
        }

        async fn set_attempt_card_details(&self, attempt_id: &AttemptId, details: &str) -> StoreResult<()> {
            let (attempt_id, details) = (attempt_id.to_string(), details.to_string());
            self.writer
                .write_statement(move |conn| {
                    prepare(conn, SET_ATTEMPT_CARD_DETAILS)?.execute([details, attempt_id])?;
                    Ok(())
                })
                .await
        }

        async fn update_attempt(
            &self,
            attempt_id: &AttemptId,
            from: &[AttemptState],
            to: AttemptState,
            result: Option<(&str, &str)>,
            settle_at: Option<Timestamp>,
            at: Timestamp,
        ) -> StoreResult<bool> {
            let update = AttemptUpdate {
                attempt_id: attempt_id.clone(),
                from: from.iter().map(|s| s.as_str()).collect(),
                to_state: to.as_str(),
                result_code: result.map(|r| r.0.to_string()),
                result_message: result.map(|r| r.1.to_string()),
                settle_at,
                at,
            };
            self.writer
                .write_statement(move |conn| update_attempt_on(conn, &update))
                .await
        }

        async fn finalize_payment(&self, f: &Finalize) -> StoreResult<bool> {
            let f = f.clone();
            self.writer
                .write_or_undo(move |conn| finalize_payment_on(conn, &f))
                .await
        }

        async fn mark_pending(
            &self,
            payment_id: &PaymentId,
            attempt_id: &AttemptId,
            method: &str,
            at: Timestamp,
        ) -> StoreResult<bool> {
            let (payment_id, attempt_id, method) = (
                payment_id.clone(),
                attempt_id.clone(),
                method.to_string(),
            );
            self.writer
                .write_or_undo(move |conn| {
                    mark_pending_on(conn, &payment_id, &attempt_id, &method, at)
                })
                .await
        }

        async fn cancel_payment(
            &self,
            payment_id: &PaymentId,
            from: &[PaymentStatus],
            at: Timestamp,
            result_code: &str,
            result_message: &str,
        ) -> StoreResult<bool> {
            let (payment_id, from) = (payment_id.clone(), from.to_vec());
            let (code, message) = (result_code.to_string(), result_message.to_string());
            self.writer
                .write_statement(move |conn| {
                    cancel_payment_on(conn, &payment_id, &from, at, &code, &message)
                })
                .await
        }
    }
}

fn payment_by_request_id_on(
    conn: &Connection,
    client_id: &ClientId,
    request_id: &PaymentRequestId,
) -> StoreResult<Option<Payment>> {
    one(
        conn,
        PAYMENT_BY_REQUEST_ID,
        params![client_id, request_id],
        direct::payment_from,
    )
}

/// Inserts a payment inside a group-commit batch; an existing payment with
/// the same (clientId, paymentRequestId) is returned instead.
fn insert_payment_on(conn: &Connection, p: Payment) -> StoreResult<Inserted<Payment>> {
    let changed = prepare(conn, INSERT_PAYMENT)?.execute(params![
        p.payment_id,
        p.client_id,
        p.payment_request_id,
        p.fingerprint,
        p.status.as_str(),
        p.result_code,
        p.result_message,
        p.amount.currency().code(),
        crate::rows::amount_minor(&p.amount),
        p.reference_order_id,
        p.order_description,
        crate::rows::encode_goods(&p.goods),
        p.buyer_reference_id,
        p.redirect_url,
        p.notify_url,
        p.locale,
        p.terminal_type,
        crate::rows::encode_methods(&p.methods),
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
        p.refunded_minor,
        p.cancel_time,
        p.settlement_currency.map(|c| c.code()),
        p.settlement_rate,
        p.settlement_rate_at,
    ])?;
    if changed == 1 {
        return Ok(Inserted::New(p));
    }
    payment_by_request_id_on(conn, &p.client_id, &p.payment_request_id)?
        .map(Inserted::Existing)
        .ok_or(StoreError::NotFound("payment"))
}

/// Inserts a new payment's integration warnings inside the batch (and
/// savepoint) that inserted the payment.
fn insert_warnings_on(
    conn: &Connection,
    p: &Payment,
    warnings: &[IntegrationWarning],
) -> StoreResult<()> {
    let mut insert = prepare(
        conn,
        "INSERT INTO payment_warnings (payment_id, seq, client_id, rule, field, message, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
fn insert_attempt_on(conn: &Connection, a: Attempt) -> StoreResult<Inserted<Attempt>> {
    let changed = prepare(conn, INSERT_ATTEMPT)?.execute(params![
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
        ATTEMPT_BY_NONCE,
        rusqlite::params![a.payment_id, a.nonce],
        direct::attempt_from,
    )?
    .map(Inserted::Existing)
    .ok_or(StoreError::NotFound("payment attempt"))
}

/// An attempt move, owned so that it can travel to the writer thread.
struct AttemptUpdate {
    attempt_id: AttemptId,
    from: Vec<&'static str>,
    to_state: &'static str,
    result_code: Option<String>,
    result_message: Option<String>,
    settle_at: Option<Timestamp>,
    at: Timestamp,
}

/// Moves an attempt to `to` if it is in one of `from` (one statement).
fn update_attempt_on(conn: &Connection, u: &AttemptUpdate) -> StoreResult<bool> {
    let sql = update_attempt_sql(&among(7, u.from.len()));
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

/// Finalizes a payment (see [`PaymentStore::finalize_payment`]): `false`,
/// with nothing changed, when the payment is no longer in a state that may
/// move to `f.to` or the attempt is no longer open. Run with
/// `GroupCommit::write_or_undo`, which undoes the payment's update when
/// the attempt's fails.
fn finalize_payment_on(conn: &Connection, f: &Finalize) -> StoreResult<bool> {
    let sources = PaymentStatus::sources_of(f.to);
    let (paid_at, closed_at) = final_times(f);
    let sql = finalize_sql(&among(13, sources.len()));
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
        let moved = prepare(conn, &CLOSE_ATTEMPT)?.execute(params![
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
        insert_notification_on(conn, n, f.at)?;
    }
    Ok(true)
}

/// Moves a processing payment and its attempt to PENDING / ASYNC (an
/// asynchronous method); `false` when the payment is no longer processing.
fn mark_pending_on(
    conn: &Connection,
    payment_id: &PaymentId,
    attempt_id: &AttemptId,
    method: &str,
    at: Timestamp,
) -> StoreResult<bool> {
    let moved = prepare(conn, &MARK_PAYMENT_PENDING)?.execute(params![method, at, payment_id])?;
    if moved != 1 {
        return Ok(false);
    }
    prepare(conn, MARK_ATTEMPT_ASYNC)?.execute(params![at, attempt_id])?;
    Ok(true)
}

/// Cancels a payment in one of `from` that has nothing refunded (one statement).
fn cancel_payment_on(
    conn: &Connection,
    payment_id: &PaymentId,
    from: &[PaymentStatus],
    at: Timestamp,
    result_code: &str,
    result_message: &str,
) -> StoreResult<bool> {
    let sql = cancel_sql(&among(5, from.len()));
    let fixed: [&dyn ToSql; 4] = [&at, &result_code, &result_message, &payment_id];
    let names: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    Ok(execute_with_list(conn, &sql, &fixed, &names)? == 1)
}
