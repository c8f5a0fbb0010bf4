//! [`RefundStore`] on SQLite: the shared statements (`store/refunds.rs`);
//! new refunds and their settlement go through the group-commit writer, and
//! a payment's refunds are read inline (`direct`).

use rusqlite::{params, Connection};

use super::direct::{self, one, prepare};
use super::outbox::insert_notification_on;
use super::*;
use crate::refunds::{
    refund_store, FINISH_REFUND, INSERT_REFUND, REFUNDABLE, REFUNDS_FOR_PAYMENT,
    REFUND_BY_REQUEST_ID, RELEASE_REFUND, RESERVE_REFUND,
};
use crate::time::Timestamp;

refund_store! {
    impl RefundStore for SqliteStore {
        async fn insert_refund(
            &self,
            r: &Refund,
            notification: Option<&NewNotification>,
        ) -> StoreResult<RefundInsert> {
            let (r, notification) = (r.clone(), notification.cloned());
            self.writer
                .write(move |conn| insert_refund_on(conn, &r, notification.as_ref()))
                .await
        }

        async fn finish_refund(
            &self,
            refund_id: &RefundId,
            to: RefundStatus,
            result_code: &str,
            result_message: &str,
            at: Timestamp,
            notification: Option<&NewNotification>,
        ) -> StoreResult<bool> {
            let refund_id = refund_id.clone();
            let (code, message) = (result_code.to_string(), result_message.to_string());
            let notification = notification.cloned();
            self.writer
                .write(move |conn| {
                    finish_refund_on(
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

        async fn refunds_for_payment(&self, payment_id: &PaymentId) -> StoreResult<Vec<Refund>> {
            self.readers.read(|c| {
                direct::all(c, REFUNDS_FOR_PAYMENT, [payment_id], direct::refund_from)
            })
        }
    }
}

/// Records a refund and reserves its amount on the payment (see
/// [`RefundStore::insert_refund`]) inside a group-commit batch. Every check
/// reads inside the writer's transaction, so two refunds of one payment
/// cannot both pass them.
fn insert_refund_on(
    conn: &Connection,
    r: &Refund,
    notification: Option<&NewNotification>,
) -> StoreResult<RefundInsert> {
    if let Some(existing) = one(
        conn,
        REFUND_BY_REQUEST_ID,
        rusqlite::params![r.client_id, r.refund_request_id],
        direct::refund_from,
    )? {
        return Ok(RefundInsert::Existing(existing));
    }
    if r.status != RefundStatus::Fail {
        let reserved = prepare(conn, &RESERVE_REFUND)?.execute(params![
            crate::rows::amount_minor(&r.amount),
            r.created_at,
            r.payment_id
        ])?;
        if reserved != 1 {
            let (status, refunded_minor, amount_minor) =
                one(conn, REFUNDABLE, [&r.payment_id], |row| {
                    Ok((
                        direct::parse::<PaymentStatus>(row, "status")?,
                        row.try_get::<i64>("refunded_minor")?,
                        row.try_get::<i64>("amount_minor")?,
                    ))
                })?
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
    prepare(conn, INSERT_REFUND)?.execute(params![
        r.refund_id,
        r.client_id,
        r.refund_request_id,
        r.payment_id,
        r.reference_refund_id,
        r.fingerprint,
        r.amount.currency().code(),
        crate::rows::amount_minor(&r.amount),
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
        insert_notification_on(conn, n, r.created_at)?;
    }
    Ok(RefundInsert::Created(r.clone()))
}

/// Settles a processing refund (see [`RefundStore::finish_refund`]) inside a
/// group-commit batch; a failed one gives its reserved amount back to the
/// payment.
fn finish_refund_on(
    conn: &Connection,
    refund_id: &RefundId,
    to: RefundStatus,
    result_code: &str,
    result_message: &str,
    at: Timestamp,
    notification: Option<&NewNotification>,
) -> StoreResult<bool> {
    let moved = one(
        conn,
        FINISH_REFUND,
        params![to.as_str(), result_code, result_message, at, refund_id],
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
        prepare(conn, RELEASE_REFUND)?.execute(params![amount, at, payment_id])?;
    }
    if let Some(n) = notification {
        insert_notification_on(conn, n, at)?;
    }
    Ok(true)
}
