//! The one error type at the API edge.
//!
//! Every failure of an API request ends as an [`ApiError`]: a protocol result
//! code and a message fit to show the merchant. Internal causes (database
//! errors and the like) are logged here, once, and surface only as
//! `UNKNOWN_EXCEPTION` (status `U`: retry with the same request), which is
//! the protocol's honest answer when we do not know whether the action
//! happened.

use cashier_protocol::result::clamp_message;
use cashier_protocol::validate::Rejection;
use cashier_protocol::{ResultCode, WireResult};

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
