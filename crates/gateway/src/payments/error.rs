//! What can go wrong in the payments domain, said in the domain's terms.
//!
//! The domain decides *what* went wrong; each caller decides how to say it:
//! `crate::error` maps a [`PaymentError`] once to the API's result code and
//! merchant-facing message (its `Display`, the text merchants have always
//! read), and the hosted pages map it once to a sentence in the buyer's
//! language. The domain itself names neither.

use cashier_protocol::ResultCode;
use chrono::{DateTime, Utc};

use super::after::REFUND_WINDOW_DAYS;
use super::state::PaymentStatus;
use crate::settlement::SettlementError;
use crate::store::StoreError;

/// A refusal or failure of the payments domain. `Display` is the
/// merchant-facing English explanation.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    /// No such payment (of this merchant); `payment_id` when the merchant
    /// named one.
    #[error("{}", not_found(.payment_id.as_deref()))]
    NotFound { payment_id: Option<String> },
    /// The request pre-selects a method that does not exist.
    #[error("paymentMethod.paymentMethodType {method} is not a payment method Cashier offers (see the README's sandbox methods)")]
    UnknownMethod { method: String },
    /// The pre-selected method cannot pay this amount (currency, range,
    /// filters): `reason` says why.
    #[error("paymentMethod.paymentMethodType {method} cannot pay {amount}: {reason}.")]
    MethodCannotPay {
        method: String,
        amount: String,
        reason: String,
    },
    /// No method can pay this amount with the request's filters.
    #[error("no payment method is available for {amount} with the requested filters.")]
    NoMethodAvailable { amount: String },
    /// The notification URL is refused (a private target): why.
    #[error("{0}")]
    NotifyUrlRefused(String),
    /// A strict-mode merchant's request carried integration warnings: the
    /// refusal that lists them.
    #[error("{0}")]
    StrictRefusal(String),
    /// The settlement currency asked for is outside the merchant's contract.
    #[error(transparent)]
    Settlement(#[from] SettlementError),
    /// A paymentRequestId used again with other content.
    #[error("paymentRequestId {payment_request_id} was used before with different content (amount, currency, product or method).")]
    SessionReused { payment_request_id: String },
    /// A refundRequestId used again for another payment or amount.
    #[error("refundRequestId {refund_request_id} was used before for another payment or amount.")]
    RefundReused { refund_request_id: String },
    /// A session asked for again after its payment succeeded.
    #[error("the payment for this paymentRequestId has already succeeded.")]
    SessionPaid,
    /// A session asked for again after its payment failed, expired or was
    /// cancelled.
    #[error("the payment for this paymentRequestId is closed; use a new paymentRequestId.")]
    SessionClosed,
    /// The payment is final already (it was in this state).
    #[error("the payment is already {0}.")]
    AlreadyFinal(PaymentStatus),
    /// Cancel: the payment failed or expired.
    #[error("the payment has already failed or expired; nothing to cancel.")]
    CancelClosed,
    /// Cancel: the payment has refunds.
    #[error("the payment has refunds; a refunded payment cannot be cancelled.")]
    CancelRefunded,
    /// Cancel: the method never allows cancelling a paid transaction.
    #[error("this payment method does not allow cancelling a paid transaction; refund instead.")]
    CancelNeverAllowed,
    /// Cancel: the cancellation window closed at `closed_at`.
    #[error("the cancellation window closed at {}; refund instead.", cashier_protocol::time::format_datetime(*.closed_at))]
    CancelWindowPassed { closed_at: DateTime<Utc> },
    /// Cancel: the payment kept changing under the cancel; retry.
    #[error("the payment changed while cancelling; retry.")]
    CancelRaced,
    /// Refund: only a successful payment can be refunded; it is in this state.
    #[error("only successful payments can be refunded; this payment is {0}.")]
    NotRefundable(PaymentStatus),
    /// Refund: in another currency than the payment's (this one).
    #[error("refundAmount.currency must be the payment currency {0}.")]
    RefundCurrency(String),
    /// Refund: asked for after the refund window.
    #[error("refunds are accepted for {REFUND_WINDOW_DAYS} days after payment.")]
    RefundWindowPassed,
    /// Refund: more than is left of the payment (minor units).
    #[error("refunding {asked} would exceed the payment: {refunded_minor} of {amount_minor} already refunded or in process.")]
    RefundExceeds {
        asked: u64,
        refunded_minor: i64,
        amount_minor: i64,
    },
    /// The store failed: whether the action happened is unknown.
    #[error("store failure: {0}")]
    Store(#[from] StoreError),
}

fn not_found(payment_id: Option<&str>) -> String {
    match payment_id {
        Some(id) => format!("no payment with paymentId {id}."),
        None => ResultCode::ORDER_NOT_EXIST.default_message().to_string(),
    }
}

/// One error of each kind, for the tests of the mappings (`crate::error`,
/// `crate::checkout`); [`kind`] keeps it complete.
#[cfg(test)]
pub(crate) fn one_of_each() -> Vec<PaymentError> {
    use chrono::TimeZone;
    let examples = vec![
        PaymentError::NotFound { payment_id: None },
        PaymentError::NotFound {
            payment_id: Some("2025031000000001".into()),
        },
        PaymentError::UnknownMethod {
            method: "NOPE".into(),
        },
        PaymentError::MethodCannotPay {
            method: "GCASH".into(),
            amount: "SGD 42.00".into(),
            reason: "it takes PHP only".into(),
        },
        PaymentError::NoMethodAvailable {
            amount: "SGD 42.00".into(),
        },
        PaymentError::NotifyUrlRefused("paymentNotifyUrl points at a private address".into()),
        PaymentError::StrictRefusal("strict mode: 1 integration warning".into()),
        PaymentError::Settlement(SettlementError::Unsupported("XYZ".into())),
        PaymentError::SessionReused {
            payment_request_id: "PR-1".into(),
        },
        PaymentError::RefundReused {
            refund_request_id: "RF-1".into(),
        },
        PaymentError::SessionPaid,
        PaymentError::SessionClosed,
        PaymentError::AlreadyFinal(PaymentStatus::Fail),
        PaymentError::AlreadyFinal(PaymentStatus::Success),
        PaymentError::CancelClosed,
        PaymentError::CancelRefunded,
        PaymentError::CancelNeverAllowed,
        PaymentError::CancelWindowPassed {
            closed_at: Utc.with_ymd_and_hms(2025, 3, 10, 16, 15, 0).unwrap(),
        },
        PaymentError::CancelRaced,
        PaymentError::NotRefundable(PaymentStatus::Processing),
        PaymentError::RefundCurrency("SGD".into()),
        PaymentError::RefundWindowPassed,
        PaymentError::RefundExceeds {
            asked: 500,
            refunded_minor: 4000,
            amount_minor: 4200,
        },
        PaymentError::Store(StoreError::Corrupt("payments row".into())),
    ];
    let kinds: std::collections::BTreeSet<u8> = examples.iter().map(kind).collect();
    assert_eq!(kinds, (0..KINDS).collect(), "one example of each variant");
    examples
}

/// How many variants [`PaymentError`] has.
#[cfg(test)]
const KINDS: u8 = 22;

/// The variant's position: a new variant fails to compile here until it has
/// an example in [`one_of_each`] (and [`KINDS`] counts it).
#[cfg(test)]
fn kind(e: &PaymentError) -> u8 {
    use PaymentError as E;
    match e {
        E::NotFound { .. } => 0,
        E::UnknownMethod { .. } => 1,
        E::MethodCannotPay { .. } => 2,
        E::NoMethodAvailable { .. } => 3,
        E::NotifyUrlRefused(_) => 4,
        E::StrictRefusal(_) => 5,
        E::Settlement(_) => 6,
        E::SessionReused { .. } => 7,
        E::RefundReused { .. } => 8,
        E::SessionPaid => 9,
        E::SessionClosed => 10,
        E::AlreadyFinal(_) => 11,
        E::CancelClosed => 12,
        E::CancelRefunded => 13,
        E::CancelNeverAllowed => 14,
        E::CancelWindowPassed { .. } => 15,
        E::NotRefundable(_) => 16,
        E::RefundCurrency(_) => 17,
        E::RefundWindowPassed => 18,
        E::RefundExceeds { .. } => 19,
        E::Store(_) => 20,
        E::CancelRaced => 21,
    }
}
