//! The `result` envelope every response carries, and the result codes of
//! docs/protocol.md §4.
//!
//! Codes are an enum so that a misspelt code cannot be sent; each code knows
//! its status (`S`/`F`/`U`) and a default message. Handlers may override the
//! message with a more specific one (e.g. naming the offending field).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `S` success, `F` final failure, `U` unknown: retry with the same request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ResultStatus {
    S,
    F,
    U,
}

macro_rules! result_codes {
    ($($name:ident => $status:ident, $msg:literal;)*) => {
        /// Every result code Cashier emits (docs/protocol.md §4).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types)]
        pub enum ResultCode { $($name,)* }

        impl ResultCode {
            pub const ALL: &'static [ResultCode] = &[$(ResultCode::$name,)*];

            /// The code as it appears on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $(ResultCode::$name => stringify!($name),)* }
            }

            /// The status the protocol pairs with this code.
            pub fn status(self) -> ResultStatus {
                match self { $(ResultCode::$name => ResultStatus::$status,)* }
            }

            /// A short, generic message; handlers usually give a specific one.
            pub fn default_message(self) -> &'static str {
                match self { $(ResultCode::$name => $msg,)* }
            }

            pub fn parse(code: &str) -> Option<ResultCode> {
                match code { $(stringify!($name) => Some(ResultCode::$name),)* _ => None }
            }
        }
    };
}

result_codes! {
    SUCCESS => S, "success.";
    ACCESS_DENIED => F, "access denied.";
    INVALID_API => F, "the API is not available to this client.";
    INVALID_CLIENT => F, "the client id is unknown.";
    INVALID_CLIENT_STATUS => F, "the client is not active.";
    INVALID_SIGNATURE => F, "the signature does not verify.";
    KEY_NOT_FOUND => F, "no public key is registered for this client and key version.";
    NO_INTERFACE_DEF => F, "unknown API path.";
    METHOD_NOT_SUPPORTED => F, "only POST is supported.";
    MEDIA_TYPE_NOT_ACCEPTABLE => F, "the request content type must be application/json.";
    PARAM_ILLEGAL => F, "illegal parameters.";
    PROCESS_FAIL => F, "processing failed.";
    REQUEST_TRAFFIC_EXCEED_LIMIT => U, "request traffic exceeds the limit, retry later.";
    UNKNOWN_EXCEPTION => U, "unknown exception, retry with the same request.";
    REPEAT_REQ_INCONSISTENT => F, "the request id was used before with different content.";
    CURRENCY_NOT_SUPPORT => F, "the currency is not supported.";
    SETTLE_CONTRACT_NOT_MATCH => F, "no settlement contract for this settlement currency.";
    INVALID_CONTRACT => F, "the request does not match the merchant contract.";
    PAYMENT_AMOUNT_EXCEED_LIMIT => F, "the payment amount exceeds the limit.";
    NO_PAY_OPTIONS => F, "no payment method is available for this request.";
    ORDER_IS_CLOSED => F, "order is closed.";
    ORDER_STATUS_INVALID => F, "the order status does not allow this operation.";
    ORDER_NOT_EXIST => F, "order does not exist.";
    RISK_REJECT => F, "rejected by risk control.";
    PAYMENT_IN_PROCESS => U, "payment in process.";
    USER_BALANCE_NOT_ENOUGH => F, "insufficient balance.";
    CARD_NOT_SUPPORTED => F, "the card is not supported.";
    INVALID_CARD_NUMBER => F, "the card number is invalid.";
    ISSUER_REJECTS_TRANSACTION => F, "the issuer declined the transaction.";
    USER_AMOUNT_EXCEED_LIMIT => F, "the buyer's payment limit is exceeded.";
    CANCEL_WINDOW_EXCEED => F, "the cancellation window has passed; refund instead.";
    REFUND_IN_PROCESS => U, "refund in process.";
    REFUND_AMOUNT_EXCEED => F, "the total refunded amount would exceed the payment amount.";
    REFUND_WINDOW_EXCEED => F, "the refund window has passed.";
    MULTIPLE_REFUNDS_NOT_SUPPORTED => F, "this payment method allows only one refund.";
    PARTIAL_REFUND_NOT_SUPPORTED => F, "this payment method does not allow partial refunds.";
    REFUND_NOT_EXIST => F, "refund does not exist.";
    REPORT_NOT_READY => F, "the reports of this day have not been generated yet.";
}

/// The `result` object of every response, notification and acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WireResult {
    pub result_code: String,
    pub result_status: ResultStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_message: Option<String>,
}

impl WireResult {
    pub fn new(code: ResultCode, message: impl Into<String>) -> WireResult {
        WireResult {
            result_code: code.as_str().to_string(),
            result_status: code.status(),
            result_message: Some(message.into()),
        }
    }

    pub fn of(code: ResultCode) -> WireResult {
        WireResult::new(code, code.default_message())
    }

    pub fn success() -> WireResult {
        WireResult::of(ResultCode::SUCCESS)
    }
}

/// Longest `resultMessage` the protocol allows (docs/protocol.md §1.5).
pub const MAX_RESULT_MESSAGE: usize = 256;

/// Truncates a message to the protocol limit on a character boundary.
pub fn clamp_message(message: &str) -> String {
    message.chars().take(MAX_RESULT_MESSAGE).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_has_a_short_message() {
        for code in ResultCode::ALL {
            assert_eq!(ResultCode::parse(code.as_str()), Some(*code));
            assert!(code.as_str().len() <= 64);
            assert!(code.default_message().len() <= MAX_RESULT_MESSAGE);
        }
    }

    #[test]
    fn statuses_match_the_protocol() {
        assert_eq!(ResultCode::SUCCESS.status(), ResultStatus::S);
        assert_eq!(ResultCode::PARAM_ILLEGAL.status(), ResultStatus::F);
        assert_eq!(ResultCode::UNKNOWN_EXCEPTION.status(), ResultStatus::U);
        assert_eq!(
            ResultCode::REQUEST_TRAFFIC_EXCEED_LIMIT.status(),
            ResultStatus::U
        );
    }

    #[test]
    fn serialises_in_the_wire_shape() {
        let json = serde_json::to_string(&WireResult::success()).unwrap();
        assert_eq!(
            json,
            r#"{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."}"#
        );
    }
}
