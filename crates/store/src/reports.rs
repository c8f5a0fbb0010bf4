//! Daily reconciliation reports: the transactions they list, the files
//! generated from them, and the job leases and settings that keep that work
//! on one node.

use async_trait::async_trait;
use cashier_protocol::{Amount, Currency};

use super::StoreResult;
use crate::ids::ClientId;
use crate::time::Timestamp;

#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Every PAYMENT, CANCEL and REFUND transaction of a merchant whose
    /// transaction time lies in `[from, to)`, ordered by time.
    async fn report_transactions(
        &self,
        client_id: &ClientId,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<Vec<ReportTxn>>;
    /// Stores a generated report file; false if it already exists.
    async fn insert_report(
        &self,
        client_id: &ClientId,
        date: &str,
        kind: &str,
        file_name: &str,
        content: &str,
        at: Timestamp,
    ) -> StoreResult<bool>;
    /// Generated report files for a merchant and day: (kind, file name, content).
    async fn reports(
        &self,
        client_id: &ClientId,
        date: &str,
    ) -> StoreResult<Vec<(String, String, String)>>;
    /// Replaces every stored file of one kind for a merchant and day with
    /// `files` (file name, content), in one transaction: regeneration.
    async fn replace_reports(
        &self,
        client_id: &ClientId,
        date: &str,
        kind: &str,
        files: &[(String, String)],
        at: Timestamp,
    ) -> StoreResult<()>;
    /// The days (`YYYY-MM-DD`, from `since` on) for which a merchant has a
    /// stored report file of `kind`. Reads only the primary-key index.
    async fn report_dates(
        &self,
        client_id: &ClientId,
        kind: &str,
        since: &str,
    ) -> StoreResult<Vec<String>>;

    /// Stores `value` under `name` unless a value is already there, and
    /// returns the stored value (the first writer wins).
    async fn setting_or_insert(&self, name: &str, value: &str) -> StoreResult<String>;

    /// Takes (or renews) the named lease `name` for `holder` until
    /// `until`, if it is free, expired by `now`, or already held by
    /// `holder`; true if `holder` now holds it. For work that must run on
    /// one node at a time across many (e.g. a day's reports): each node
    /// passes its own holder id, and a dead holder's lease simply runs out.
    async fn try_lock_job(
        &self,
        name: &str,
        holder: &str,
        until: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool>;
}

/// One line of a reconciliation report, as the store sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTxn {
    /// `paymentId` (PAYMENT, CANCEL) or `refundId` (REFUND).
    pub transaction_id: String,
    /// The original `paymentId` for REFUND and CANCEL.
    pub original_transaction_id: Option<String>,
    /// `paymentRequestId` or `refundRequestId`.
    pub transaction_request_id: String,
    /// `referenceOrderId` or `referenceRefundId`.
    pub reference_transaction_id: Option<String>,
    pub payment_method_type: Option<String>,
    /// `PAYMENT`, `REFUND`, `CANCEL`.
    pub transaction_type: String,
    pub transaction_status: String,
    pub transaction_time: Timestamp,
    /// Columns `currency` and `amount_minor`: the refund's for a REFUND
    /// line, else the payment's.
    pub amount: Amount,
    /// The payment's settlement currency; `None`: `currency`.
    pub settlement_currency: Option<Currency>,
    /// The payment's recorded rate into it; `None`: no conversion.
    pub settlement_rate: Option<String>,
}

/// [`ReportStore::try_lock_job`]'s one statement: it takes the lease if it
/// is free, expired by `$4`, or held by `$2` already.
pub(super) const TRY_LOCK_JOB: &str =
    "INSERT INTO job_leases (name, holder, lease_until, acquired_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE
        SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until,
            acquired_at = CASE WHEN job_leases.holder = EXCLUDED.holder
                               THEN job_leases.acquired_at ELSE EXCLUDED.acquired_at END
      WHERE job_leases.lease_until <= $4 OR job_leases.holder = $2";

/// Implements [`ReportStore`] for a backend (`sqlite/reports.rs`,
/// `postgres/reports.rs`), which passes in `try_lock_job`: the other
/// statements run as written on both (sqlx numbers `$n` parameters on
/// SQLite too). The backend brings `self.pool`, `begin_write`, the row
/// mappers and `INSERT_REGENERATED_REPORT`, the statement that stores a
/// regenerated file.
macro_rules! report_store {
    (impl ReportStore for $store:ident { $($own:tt)* }) => {
        #[async_trait::async_trait]
        impl ReportStore for $store {
            $($own)*

            async fn report_transactions(
                &self,
                client_id: &ClientId,
                from: Timestamp,
                to: Timestamp,
            ) -> StoreResult<Vec<ReportTxn>> {
                sqlx::query(
                    "SELECT payment_id AS transaction_id, CAST(NULL AS TEXT) AS original_transaction_id,
                            payment_request_id AS transaction_request_id, reference_order_id AS reference_transaction_id,
                            payment_method_type, CAST('PAYMENT' AS TEXT) AS transaction_type, CAST('SUCCESS' AS TEXT) AS transaction_status,
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
                client_id: &ClientId,
                date: &str,
                kind: &str,
                file_name: &str,
                content: &str,
                at: Timestamp,
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
                client_id: &ClientId,
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
                client_id: &ClientId,
                date: &str,
                kind: &str,
                files: &[(String, String)],
                at: Timestamp,
            ) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query("DELETE FROM reports WHERE client_id = $1 AND report_date = $2 AND kind = $3")
                    .bind(client_id)
                    .bind(date)
                    .bind(kind)
                    .execute(&mut *tx)
                    .await?;
                for (file_name, content) in files {
                    sqlx::query(INSERT_REGENERATED_REPORT)
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
                client_id: &ClientId,
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
        }
    };
}
pub(super) use report_store;
