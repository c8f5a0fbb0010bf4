//! Daily reconciliation reports: the transactions they list, the files
//! generated from them, and the job leases and settings that keep that work
//! on one node.

use async_trait::async_trait;

use super::StoreResult;

#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Every PAYMENT, CANCEL and REFUND transaction of a merchant whose
    /// transaction time lies in `[from, to)`, ordered by time.
    async fn report_transactions(
        &self,
        client_id: &str,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<ReportTxn>>;
    /// Stores a generated report file; false if it already exists.
    async fn insert_report(
        &self,
        client_id: &str,
        date: &str,
        kind: &str,
        file_name: &str,
        content: &str,
        at: i64,
    ) -> StoreResult<bool>;
    /// Generated report files for a merchant and day: (kind, file name, content).
    async fn reports(
        &self,
        client_id: &str,
        date: &str,
    ) -> StoreResult<Vec<(String, String, String)>>;
    /// Replaces every stored file of one kind for a merchant and day with
    /// `files` (file name, content), in one transaction: regeneration.
    async fn replace_reports(
        &self,
        client_id: &str,
        date: &str,
        kind: &str,
        files: &[(String, String)],
        at: i64,
    ) -> StoreResult<()>;
    /// The days (`YYYY-MM-DD`, from `since` on) for which a merchant has a
    /// stored report file of `kind`. Reads only the primary-key index.
    async fn report_dates(
        &self,
        client_id: &str,
        kind: &str,
        since: &str,
    ) -> StoreResult<Vec<String>>;

    /// Stores `value` under `name` unless a value is already there, and
    /// returns the stored value (the first writer wins).
    async fn setting_or_insert(&self, name: &str, value: &str) -> StoreResult<String>;

    /// Takes (or renews) the named lease `name` for `holder` until
    /// `until_ms`, if it is free, expired by `now_ms`, or already held by
    /// `holder`; true if `holder` now holds it. For work that must run on
    /// one node at a time across many (e.g. a day's reports): each node
    /// passes its own holder id, and a dead holder's lease simply runs out.
    async fn try_lock_job(
        &self,
        name: &str,
        holder: &str,
        until_ms: i64,
        now_ms: i64,
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
    pub transaction_time: i64,
    pub currency: String,
    pub amount_minor: i64,
    /// The payment's settlement currency; `None`: `currency`.
    pub settlement_currency: Option<String>,
    /// The payment's recorded rate into it; `None`: no conversion.
    pub settlement_rate: Option<String>,
}
