//! [`RefundStore`] on PostgreSQL: the shared statements (`store/refunds.rs`),
//! and the writes, each one transaction.

use super::outbox::insert_notification;
use super::*;
use crate::refunds::{
    refund_store, FINISH_REFUND, INSERT_REFUND, REFUNDABLE, REFUNDS_FOR_PAYMENT,
    REFUND_BY_REQUEST_ID, RELEASE_REFUND, RESERVE_REFUND,
};
use crate::time::Timestamp;

refund_store! {
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
            let inserted = sqlx::query(INSERT_REFUND)
                .bind(&r.refund_id)
                .bind(&r.client_id)
                .bind(&r.refund_request_id)
                .bind(&r.payment_id)
                .bind(&r.reference_refund_id)
                .bind(&r.fingerprint)
                .bind(r.amount.currency().code())
                .bind(crate::rows::amount_minor(&r.amount))
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
                let row = sqlx::query(REFUND_BY_REQUEST_ID)
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
                let reserved = sqlx::query(&RESERVE_REFUND)
                    .bind(crate::rows::amount_minor(&r.amount))
                    .bind(r.created_at)
                    .bind(&r.payment_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if reserved != 1 {
                    let row = sqlx::query(REFUNDABLE)
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
            refund_id: &RefundId,
            to: RefundStatus,
            result_code: &str,
            result_message: &str,
            at: Timestamp,
            notification: Option<&NewNotification>,
        ) -> StoreResult<bool> {
            let mut tx = self.pool.begin().await?;
            let row = sqlx::query(FINISH_REFUND)
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
                let payment_id: PaymentId = row.try_get("payment_id")?;
                let amount: i64 = row.try_get("amount_minor")?;
                sqlx::query(RELEASE_REFUND)
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

        async fn refunds_for_payment(&self, payment_id: &PaymentId) -> StoreResult<Vec<Refund>> {
            sqlx::query(REFUNDS_FOR_PAYMENT)
                .bind(payment_id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(refund_from)
                .collect()
        }
    }
}
