//! The one error type of the SDK.
//!
//! Every failure is an [`Error`]: transport problems, responses that are not
//! signed by the gateway, and — the case callers care about most — a
//! well-formed answer whose `result.resultStatus` is `F` or `U`, which comes
//! back as [`Error::Api`] carrying the gateway's `resultCode`,
//! `resultStatus` and `resultMessage`. An `S` result is never an error.

use cashier_protocol::signing::KeyError;
use cashier_protocol::{ResultCode, ResultStatus, WireResult};

/// Everything that can go wrong when calling the gateway or verifying a
/// notification.
///
/// Match on [`Error::code`] (or the raw [`Error::result_code`]) for business
/// outcomes, and use [`Error::is_retryable`] to decide whether sending the
/// *same* request again is safe and useful (docs/protocol.md §5.1; see
/// [`crate::retry`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A key given to [`crate::ClientConfig::new`] could not be parsed.
    #[error("invalid key: {0}")]
    Key(#[from] KeyError),
    /// The request never got an answer: connection refused or reset, DNS,
    /// TLS, or a timeout ([`Error::is_timeout`]). Retry with the same
    /// request id.
    #[error("HTTP transport error: {0}")]
    Http(#[from] reqwest::Error),
    /// The gateway (or a proxy in front of it) answered with an HTTP status
    /// other than 200. Antom-compatible gateways answer every API outcome
    /// with 200, so this is infrastructure trouble.
    #[error("unexpected HTTP status {0}")]
    Status(u16),
    /// A response or notification lacks a header needed to verify it
    /// (`signature`, `response-time`/`request-time` or `client-id`).
    #[error("header {0} is missing")]
    MissingHeader(&'static str),
    /// The signature of a response or notification does not verify with the
    /// gateway public key: it was not sent by your gateway, or it was
    /// altered on the way. Never act on such a message.
    #[error("the signature does not verify")]
    BadSignature,
    /// A notification whose signature verifies but whose `client-id` is not
    /// yours. The gateway signs every merchant's notifications with the same
    /// key, so this is a notification meant for another merchant (replayed
    /// or misrouted to you). Never act on it.
    #[error("the notification is for client id {got:?}, not {expected:?}")]
    ClientIdMismatch {
        /// Your client id.
        expected: String,
        /// The `client-id` header of the notification.
        got: String,
    },
    /// A verified body could not be parsed (or a request could not be
    /// serialised).
    #[error("cannot decode the message: {0}")]
    Decode(String),
    /// A request was refused before sending (e.g. an order whose goods
    /// are in two currencies).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The gateway answered with `resultStatus` `F` (final failure) or `U`
    /// (unknown: retry with the same request id, or query).
    #[error("{result_code} ({result_status:?}): {result_message}")]
    Api {
        /// `result.resultCode`, e.g. `ORDER_NOT_EXIST`.
        result_code: String,
        /// `result.resultStatus`: `F` or `U`.
        result_status: ResultStatus,
        /// `result.resultMessage` (empty when the gateway sent none).
        result_message: String,
    },
}

impl Error {
    /// The error for a non-`S` result block.
    pub fn from_result(result: WireResult) -> Error {
        Error::Api {
            result_code: result.result_code,
            result_status: result.result_status,
            result_message: result.result_message.unwrap_or_default(),
        }
    }

    /// The protocol result code as sent, for [`Error::Api`]; `None` for
    /// every other kind of error.
    pub fn result_code(&self) -> Option<&str> {
        match self {
            Error::Api { result_code, .. } => Some(result_code),
            _ => None,
        }
    }

    /// The result code as a [`ResultCode`], for [`Error::Api`] errors whose
    /// code Cashier knows; `None` otherwise (a transport error, or a code
    /// only Antom sends — read [`Error::result_code`] for those).
    ///
    /// ```
    /// use cashier_client::{Error, ResultCode};
    /// use cashier_client::cashier_protocol::WireResult;
    ///
    /// let err = Error::from_result(WireResult::of(ResultCode::ORDER_NOT_EXIST));
    /// assert_eq!(err.code(), Some(ResultCode::ORDER_NOT_EXIST));
    /// assert_eq!(err.result_code(), Some("ORDER_NOT_EXIST"));
    /// assert!(!err.is_retryable());
    /// ```
    pub fn code(&self) -> Option<ResultCode> {
        self.result_code().and_then(ResultCode::parse)
    }

    /// `result.resultStatus` (`F` or `U`) for [`Error::Api`].
    pub fn result_status(&self) -> Option<ResultStatus> {
        match self {
            Error::Api { result_status, .. } => Some(*result_status),
            _ => None,
        }
    }

    /// `result.resultMessage` for [`Error::Api`].
    pub fn result_message(&self) -> Option<&str> {
        match self {
            Error::Api { result_message, .. } => Some(result_message),
            _ => None,
        }
    }

    /// Whether the request timed out (connect or total timeout of
    /// [`crate::ClientConfig`]).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Http(e) if e.is_timeout())
    }

    /// Whether sending the **same** request again (same request id, same
    /// content) is the right move: a `U` result, a transport error
    /// (including timeouts: the gateway may or may not have acted, and the
    /// idempotency key makes a repeat safe), or a 408/429/5xx from a proxy.
    ///
    /// `F` results, signature failures and decoding errors are not
    /// retryable: repeating them gives the same answer.
    pub fn is_retryable(&self) -> bool {
        match self {
            // Not a builder error (a malformed base URL stays malformed).
            Error::Http(e) => !e.is_builder(),
            Error::Status(s) => *s == 408 || *s == 429 || *s >= 500,
            Error::Api { result_status, .. } => *result_status == ResultStatus::U,
            _ => false,
        }
    }
}
