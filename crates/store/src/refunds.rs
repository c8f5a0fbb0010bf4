//! Refunds: each reserves its amount against its payment when created, and
//! gives it back if it fails.

use std::sync::LazyLock;

use async_trait::async_trait;
use cashier_protocol::Amount;

use super::{NewNotification, StoreResult};
use crate::ids::{ClientId, PaymentId, RefundId, RefundRequestId};
use crate::status::{sql_list, PaymentStatus};
use crate::time::Timestamp;

#[async_trait]
pub trait RefundStore: Send + Sync {
    /// Creates a refund atomically: an existing refund request id wins;
    /// otherwise the amount is reserved against the payment by one
    /// conditional update (`SUCCESS` and `refunded + amount <= amount`) and
    /// the refund row (and, for a final refund, its notification) inserted.
    /// A `FAIL` refund reserves nothing.
    async fn insert_refund(
        &self,
        refund: &Refund,
        notification: Option<&NewNotification>,
    ) -> StoreResult<RefundInsert>;
    /// `PROCESSING` → `SUCCESS`/`FAIL` with its notification; a failure
    /// releases the reserved amount. True if applied.
    async fn finish_refund(
        &self,
        refund_id: &RefundId,
        to: RefundStatus,
        result_code: &str,
        result_message: &str,
        at: Timestamp,
        notification: Option<&NewNotification>,
    ) -> StoreResult<bool>;
    async fn refund(&self, refund_id: &RefundId) -> StoreResult<Option<Refund>>;
    async fn refund_by_request_id(
        &self,
        client_id: &ClientId,
        request_id: &RefundRequestId,
    ) -> StoreResult<Option<Refund>>;
    async fn refunds_for_payment(&self, payment_id: &PaymentId) -> StoreResult<Vec<Refund>>;
    /// Asynchronous (sandbox) refunds whose settle time has come (a sweep:
    /// see [`PaymentStore::expired_open_payments`](super::PaymentStore::expired_open_payments)).
    async fn due_async_refunds(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Refund>>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefundStatus {
    Processing,
    Success,
    Fail,
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Processing => "PROCESSING",
            RefundStatus::Success => "SUCCESS",
            RefundStatus::Fail => "FAIL",
        }
    }
}

impl std::str::FromStr for RefundStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "PROCESSING" => Ok(RefundStatus::Processing),
            "SUCCESS" => Ok(RefundStatus::Success),
            "FAIL" => Ok(RefundStatus::Fail),
            other => Err(format!("unknown refund status {other:?}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub refund_id: RefundId,
    pub client_id: ClientId,
    pub refund_request_id: RefundRequestId,
    pub payment_id: PaymentId,
    pub reference_refund_id: Option<String>,
    /// `paymentId|currency|value`: a repeat with another fingerprint is inconsistent.
    pub fingerprint: String,
    /// Columns `currency` and `amount_minor`.
    pub amount: Amount,
    pub reason: Option<String>,
    pub notify_url: Option<String>,
    pub status: RefundStatus,
    pub result_code: String,
    pub result_message: String,
    pub created_at: Timestamp,
    pub refund_time: Option<Timestamp>,
    /// When an asynchronous (sandbox) refund settles.
    pub settle_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

/// Outcome of [`RefundStore::insert_refund`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundInsert {
    Created(Refund),
    /// The refund request id was used before; nothing changed.
    Existing(Refund),
    /// The payment is not in `SUCCESS`.
    NotRefundable(PaymentStatus),
    /// Cumulative refunds would exceed the payment amount.
    Exceeds {
        refunded_minor: i64,
        amount_minor: i64,
    },
}

// Statements both backends run, on sqlx or (SQLite's writer and readers)
// rusqlite, which binds by position: each names `$1`, `$2`, … in the order
// they first appear.

pub(super) const REFUND_BY_REQUEST_ID: &str =
    "SELECT * FROM refunds WHERE client_id = $1 AND refund_request_id = $2";

pub(super) const REFUNDS_FOR_PAYMENT: &str =
    "SELECT * FROM refunds WHERE payment_id = $1 ORDER BY created_at, refund_id";

/// A new refund; a row with its (client id, refund request id) already
/// there wins (SQLite's writer has looked for one first, so there never is).
pub(super) const INSERT_REFUND: &str =
    "INSERT INTO refunds (refund_id, client_id, refund_request_id, payment_id, reference_refund_id, fingerprint,
        currency, amount_minor, reason, notify_url, status, result_code, result_message, created_at,
        refund_time, settle_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (client_id, refund_request_id) DO NOTHING";

/// Reserves the refund's amount (`$1`) on a successful payment, unless the
/// payment's refunds would then exceed it: one conditional update.
pub(super) static RESERVE_REFUND: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE payments SET refunded_minor = refunded_minor + $1, updated_at = $2
         WHERE payment_id = $3 AND status IN ({}) AND refunded_minor + $1 <= amount_minor",
        sql_list(PaymentStatus::REFUNDABLE.map(PaymentStatus::as_str))
    )
});

/// Why a reservation failed: the payment's status and sums.
pub(super) const REFUNDABLE: &str =
    "SELECT status, refunded_minor, amount_minor FROM payments WHERE payment_id = $1";

/// Settles a processing refund; returns its payment and amount.
pub(super) const FINISH_REFUND: &str =
    "UPDATE refunds SET status = $1, result_code = $2, result_message = $3, refund_time = $4,
        settle_at = NULL, updated_at = $4
     WHERE refund_id = $5 AND status = 'PROCESSING' RETURNING payment_id, amount_minor";

/// Gives a failed refund's reserved amount back to its payment.
pub(super) const RELEASE_REFUND: &str =
    "UPDATE payments SET refunded_minor = refunded_minor - $1, updated_at = $2 WHERE payment_id = $3";

/// Implements [`RefundStore`] for a backend (`sqlite/refunds.rs`,
/// `postgres/refunds.rs`), which passes in the writes and
/// `refunds_for_payment`: the other statements run as written on both (sqlx
/// numbers `$n` parameters on SQLite too). The backend brings `self.pool`,
/// `self.merchant_clocks` and the row mappers.
macro_rules! refund_store {
    (impl RefundStore for $store:ident { $($own:tt)* }) => {
        #[async_trait::async_trait]
        impl RefundStore for $store {
            $($own)*

            async fn refund(&self, refund_id: &RefundId) -> StoreResult<Option<Refund>> {
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
                client_id: &ClientId,
                request_id: &RefundRequestId,
            ) -> StoreResult<Option<Refund>> {
                sqlx::query(REFUND_BY_REQUEST_ID)
                    .bind(client_id)
                    .bind(request_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(refund_from)
                    .transpose()
            }

            async fn due_async_refunds(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Refund>> {
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
    };
}
pub(super) use refund_store;
