//! [`PaymentStore`] on PostgreSQL: the shared statements
//! (`store/payments.rs`); each state change is one conditional `UPDATE`
//! (the row lock serialises racers, and the condition is re-evaluated on
//! the newest row version), uniqueness is decided by `ON CONFLICT`.

use std::sync::LazyLock;

use super::outbox::insert_notification;
use super::*;
use crate::payments::{
    cancel_sql, final_times, finalize_sql, payment_store, update_attempt_sql, ATTEMPT_BY_NONCE,
    CLOSE_ATTEMPT, INSERT_ATTEMPT, INSERT_PAYMENT, MARK_ATTEMPT_ASYNC, MARK_PAYMENT_PENDING,
    PAYMENT, PAYMENT_BY_REQUEST_ID, PAYMENT_BY_TOKEN, SET_ATTEMPT_CARD_DETAILS,
};
use crate::time::Timestamp;

// The compare-and-set statements, their allowed states bound as one array.
static UPDATE_ATTEMPT: LazyLock<String> = LazyLock::new(|| update_attempt_sql("= ANY($7)"));
static FINALIZE: LazyLock<String> = LazyLock::new(|| finalize_sql("= ANY($13)"));
static CANCEL: LazyLock<String> = LazyLock::new(|| cancel_sql("= ANY($5)"));

payment_store! {
    impl PaymentStore for PostgresStore {
        async fn insert_payment_with_warnings(
            &self,
            p: &Payment,
            warnings: &[IntegrationWarning],
        ) -> StoreResult<Inserted<Payment>> {
            // A racing insert of the same (client_id, payment_request_id) waits
            // for the first transaction, then does nothing; the SELECT after it
            // (a new statement, so a new READ COMMITTED snapshot) sees the winner.
            let insert = sqlx::query(INSERT_PAYMENT)
                .bind(&p.payment_id)
                .bind(&p.client_id)
                .bind(&p.payment_request_id)
                .bind(&p.fingerprint)
                .bind(p.status.as_str())
                .bind(&p.result_code)
                .bind(&p.result_message)
                .bind(p.amount.currency().code())
                .bind(crate::rows::amount_minor(&p.amount))
                .bind(&p.reference_order_id)
                .bind(&p.order_description)
                .bind(crate::rows::encode_goods(&p.goods))
                .bind(&p.buyer_reference_id)
                .bind(&p.redirect_url)
                .bind(&p.notify_url)
                .bind(&p.locale)
                .bind(&p.terminal_type)
                .bind(crate::rows::encode_methods(&p.methods))
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
                .bind(p.settlement_currency.map(|c| c.code()))
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

        async fn warnings_for_payments(
            &self,
            payment_ids: &[PaymentId],
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

        async fn payment(&self, payment_id: &PaymentId) -> StoreResult<Option<Payment>> {
            sqlx::query(PAYMENT)
                .bind(payment_id)
                .fetch_optional(&self.pool)
                .await?
                .as_ref()
                .map(payment_from)
                .transpose()
        }

        async fn payment_by_request_id(
            &self,
            client_id: &ClientId,
            request_id: &PaymentRequestId,
        ) -> StoreResult<Option<Payment>> {
            sqlx::query(PAYMENT_BY_REQUEST_ID)
                .bind(client_id)
                .bind(request_id)
                .fetch_optional(&self.pool)
                .await?
                .as_ref()
                .map(payment_from)
                .transpose()
        }

        async fn payment_by_token(&self, token: &str) -> StoreResult<Option<Payment>> {
            sqlx::query(PAYMENT_BY_TOKEN)
                .bind(token)
                .fetch_optional(&self.pool)
                .await?
                .as_ref()
                .map(payment_from)
                .transpose()
        }

        async fn insert_attempt(&self, a: &Attempt) -> StoreResult<Inserted<Attempt>> {
            let done = sqlx::query(INSERT_ATTEMPT)
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
                .bind(&a.card_details)
                .bind(&a.wallet_token)
                .bind(a.settle_at)
                .bind(a.created_at)
                .bind(a.updated_at)
                .execute(&self.pool)
                .await?;
            if done.rows_affected() == 1 {
                return Ok(Inserted::New(a.clone()));
            }
            let row = sqlx::query(ATTEMPT_BY_NONCE)
                .bind(&a.payment_id)
                .bind(&a.nonce)
                .fetch_one(&self.pool)
                .await?;
            Ok(Inserted::Existing(attempt_from(&row)?))
        }

        async fn set_attempt_card_details(&self, attempt_id: &AttemptId, details: &str) -> StoreResult<()> {
            sqlx::query(SET_ATTEMPT_CARD_DETAILS)
                .bind(details)
                .bind(attempt_id)
                .execute(&self.pool)
                .await?;
            Ok(())
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
            let done = sqlx::query(&UPDATE_ATTEMPT)
                .bind(to.as_str())
                .bind(result.map(|r| r.0))
                .bind(result.map(|r| r.1))
                .bind(settle_at)
                .bind(at)
                .bind(attempt_id)
                .bind(from.iter().map(|s| s.as_str()).collect::<Vec<_>>())
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() == 1)
        }

        async fn finalize_payment(&self, f: &Finalize) -> StoreResult<bool> {
            let sources = PaymentStatus::sources_of(f.to);
            let (paid_at, closed_at) = final_times(f);
            let mut tx = self.pool.begin().await?;
            // The row lock serialises concurrent finalizers; the loser re-reads
            // the committed status, no longer a source, and changes nothing.
            let moved = sqlx::query(&FINALIZE)
                .bind(f.to.as_str())
                .bind(&f.result_code)
                .bind(&f.result_message)
                .bind(&f.method)
                .bind(&f.card_brand)
                .bind(&f.card_last4)
                .bind(&f.card_masked)
                .bind(&f.card_details)
                .bind(paid_at)
                .bind(closed_at)
                .bind(f.at)
                .bind(&f.payment_id)
                .bind(sources.iter().map(|s| s.as_str()).collect::<Vec<_>>())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if moved != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            if let Some((attempt_id, state)) = &f.attempt {
                let moved = sqlx::query(&CLOSE_ATTEMPT)
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
            payment_id: &PaymentId,
            attempt_id: &AttemptId,
            method: &str,
            at: Timestamp,
        ) -> StoreResult<bool> {
            let mut tx = self.pool.begin().await?;
            let moved = sqlx::query(&MARK_PAYMENT_PENDING)
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
            sqlx::query(MARK_ATTEMPT_ASYNC)
                .bind(at)
                .bind(attempt_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        }

        async fn cancel_payment(
            &self,
            payment_id: &PaymentId,
            from: &[PaymentStatus],
            at: Timestamp,
            result_code: &str,
            result_message: &str,
        ) -> StoreResult<bool> {
            let done = sqlx::query(&CANCEL)
                .bind(at)
                .bind(result_code)
                .bind(result_message)
                .bind(payment_id)
                .bind(from.iter().map(|s| s.as_str()).collect::<Vec<_>>())
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() == 1)
        }
    }
}
