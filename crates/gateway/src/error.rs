//! The one error type at the API edge.
//!
//! Every failure of an API request ends as an [`ApiError`]: a protocol result
//! code and a message fit to show the merchant. Internal causes (database
//! errors and the like) are logged here, once, and surface only as
//! `UNKNOWN_EXCEPTION` (status `U`: retry with the same request), which is
//! the protocol's honest answer when we do not know whether the action
//! happened.
//!
//! The payments domain speaks its own [`PaymentError`]; its one mapping to
//! the API is here (`From<PaymentError>`), and the dashboard and the sandbox
//! simulation, whose readers are merchants too, use the same one.

use cashier_protocol::result::clamp_message;
use cashier_protocol::validate::Rejection;
use cashier_protocol::{ResultCode, WireResult};

use crate::payments::PaymentError;
use crate::store::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct ApiError {
    pub code: ResultCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ResultCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: clamp_message(&message.into()),
        }
    }

    pub fn of(code: ResultCode) -> ApiError {
        ApiError::new(code, code.default_message())
    }

    pub fn param(message: impl Into<String>) -> ApiError {
        ApiError::new(ResultCode::PARAM_ILLEGAL, message)
    }

    pub fn to_result(&self) -> WireResult {
        WireResult::new(self.code, self.message.clone())
    }
}

impl From<Rejection> for ApiError {
    fn from(r: Rejection) -> ApiError {
        ApiError::new(r.code, r.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        tracing::error!(error = %e, "store failure");
        ApiError::new(
            ResultCode::UNKNOWN_EXCEPTION,
            "temporary failure; retry with the same request.",
        )
    }
}

impl From<PaymentError> for ApiError {
    /// The result code of each domain error, with its `Display` as the
    /// message; a store failure is logged and answered as any other
    /// (`UNKNOWN_EXCEPTION`).
    fn from(e: PaymentError) -> ApiError {
        use PaymentError as E;
        let code = match e {
            E::Store(store) => return ApiError::from(store),
            E::NotFound { .. } => ResultCode::ORDER_NOT_EXIST,
            E::UnknownMethod { .. } | E::NotifyUrlRefused(_) | E::StrictRefusal(_) => {
                ResultCode::PARAM_ILLEGAL
            }
            E::MethodCannotPay { .. } | E::NoMethodAvailable { .. } => ResultCode::NO_PAY_OPTIONS,
            E::Settlement(_) => ResultCode::SETTLE_CONTRACT_NOT_MATCH,
            E::SessionReused { .. } | E::RefundReused { .. } => ResultCode::REPEAT_REQ_INCONSISTENT,
            E::SessionClosed | E::CancelClosed => ResultCode::ORDER_IS_CLOSED,
            E::SessionPaid | E::AlreadyFinal(_) | E::CancelRefunded | E::NotRefundable(_) => {
                ResultCode::ORDER_STATUS_INVALID
            }
            E::CancelNeverAllowed | E::CancelWindowPassed { .. } => {
                ResultCode::CANCEL_WINDOW_EXCEED
            }
            E::CancelRaced => ResultCode::UNKNOWN_EXCEPTION,
            E::RefundCurrency(_) => ResultCode::CURRENCY_NOT_SUPPORT,
            E::RefundWindowPassed => ResultCode::REFUND_WINDOW_EXCEED,
            E::RefundExceeds { .. } => ResultCode::REFUND_AMOUNT_EXCEED,
        };
        ApiError::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each domain error answers the API with today's result code and
    /// message (the API suites compare many of these on the wire too).
    #[test]
    fn every_payment_error_has_its_result_code_and_message() {
        use ResultCode as C;
        let expected = [
            (C::ORDER_NOT_EXIST, "order does not exist."),
            (C::ORDER_NOT_EXIST, "no payment with paymentId 2025031000000001."),
            (C::PARAM_ILLEGAL, "paymentMethod.paymentMethodType NOPE is not a payment method Cashier offers (see the README's sandbox methods)"),
            (C::NO_PAY_OPTIONS, "paymentMethod.paymentMethodType GCASH cannot pay SGD 42.00: it takes PHP only."),
            (C::NO_PAY_OPTIONS, "no payment method is available for SGD 42.00 with the requested filters."),
            (C::PARAM_ILLEGAL, "paymentNotifyUrl points at a private address"),
            (C::PARAM_ILLEGAL, "strict mode: 1 integration warning"),
            (C::SETTLE_CONTRACT_NOT_MATCH, "settlementStrategy.settlementCurrency XYZ is not a supported currency."),
            (C::REPEAT_REQ_INCONSISTENT, "paymentRequestId PR-1 was used before with different content (amount, currency, product or method)."),
            (C::REPEAT_REQ_INCONSISTENT, "refundRequestId RF-1 was used before for another payment or amount."),
            (C::ORDER_STATUS_INVALID, "the payment for this paymentRequestId has already succeeded."),
            (C::ORDER_IS_CLOSED, "the payment for this paymentRequestId is closed; use a new paymentRequestId."),
            (C::ORDER_STATUS_INVALID, "the payment is already FAIL."),
            (C::ORDER_STATUS_INVALID, "the payment is already SUCCESS."),
            (C::ORDER_IS_CLOSED, "the payment has already failed or expired; nothing to cancel."),
            (C::ORDER_STATUS_INVALID, "the payment has refunds; a refunded payment cannot be cancelled."),
            (C::CANCEL_WINDOW_EXCEED, "this payment method does not allow cancelling a paid transaction; refund instead."),
            (C::CANCEL_WINDOW_EXCEED, "the cancellation window closed at 2025-03-11T00:15:00+08:00; refund instead."),
            (C::UNKNOWN_EXCEPTION, "the payment changed while cancelling; retry."),
            (C::ORDER_STATUS_INVALID, "only successful payments can be refunded; this payment is PROCESSING."),
            (C::CURRENCY_NOT_SUPPORT, "refundAmount.currency must be the payment currency SGD."),
            (C::REFUND_WINDOW_EXCEED, "refunds are accepted for 365 days after payment."),
            (C::REFUND_AMOUNT_EXCEED, "refunding 500 would exceed the payment: 4000 of 4200 already refunded or in process."),
            (C::UNKNOWN_EXCEPTION, "temporary failure; retry with the same request."),
        ];
        let errors = crate::payments::one_of_each();
        assert_eq!(errors.len(), expected.len());
        for (e, (code, message)) in errors.into_iter().zip(expected) {
            let seen = format!("{e:?}");
            let api = ApiError::from(e);
            assert_eq!((api.code, api.message.as_str()), (code, message), "{seen}");
        }
    }

    #[test]
    fn settlement_refusals_are_settle_contract_not_match() {
        let e = crate::settlement::SettlementError::NotContracted {
            requested: "USD".into(),
            terms: "contracted: SGD".into(),
        };
        let api = ApiError::from(PaymentError::from(e));
        assert_eq!(api.code, ResultCode::SETTLE_CONTRACT_NOT_MATCH);
        assert_eq!(
            api.message,
            "settlementStrategy.settlementCurrency USD is not contracted; contracted: SGD."
        );
    }
}
