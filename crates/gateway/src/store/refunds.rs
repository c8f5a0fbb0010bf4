//! Refunds: each reserves its amount against its payment when created, and
//! gives it back if it fails.

use async_trait::async_trait;

use super::{NewNotification, StoreResult};
use crate::status::PaymentStatus;

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
        refund_id: &str,
        to: RefundStatus,
        result_code: &str,
        result_message: &str,
        at: i64,
        notification: Option<&NewNotification>,
    ) -> StoreResult<bool>;
    async fn refund(&self, refund_id: &str) -> StoreResult<Option<Refund>>;
    async fn refund_by_request_id(
        &self,
        client_id: &str,
        request_id: &str,
    ) -> StoreResult<Option<Refund>>;
    async fn refunds_for_payment(&self, payment_id: &str) -> StoreResult<Vec<Refund>>;
    /// Asynchronous (sandbox) refunds whose settle time has come (a sweep:
    /// see [`PaymentStore::expired_open_payments`](super::PaymentStore::expired_open_payments)).
    async fn due_async_refunds(&self, now: i64, limit: u32) -> StoreResult<Vec<Refund>>;
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
    pub refund_id: String,
    pub client_id: String,
    pub refund_request_id: String,
    pub payment_id: String,
    pub reference_refund_id: Option<String>,
    /// `paymentId|currency|value`: a repeat with another fingerprint is inconsistent.
    pub fingerprint: String,
    pub currency: String,
    pub amount_minor: i64,
    pub reason: Option<String>,
    pub notify_url: Option<String>,
    pub status: RefundStatus,
    pub result_code: String,
    pub result_message: String,
    pub created_at: i64,
    pub refund_time: Option<i64>,
    /// When an asynchronous (sandbox) refund settles.
    pub settle_at: Option<i64>,
    pub updated_at: i64,
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
