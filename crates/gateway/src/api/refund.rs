//! `refund` (docs/protocol.md §3.7): partial and multiple refunds up to the paid
//! amount, idempotent on `refundRequestId`. A repeat replays the stored
//! outcome: `S` once succeeded, `U REFUND_IN_PROCESS` while processing, the
//! stored `F` after a failure.

use crate::clock::format_timestamp;
use cashier_protocol::validate::{parse_json, validate_refund};
use cashier_protocol::wire::{RefundRequest, RefundResponse};
use cashier_protocol::{ResultCode, WireResult};

use super::ApiState;
use super::{success_body, Answer, Authenticated};
use crate::error::ApiError;
use crate::payments::after;
use crate::store::Refund;

#[tracing::instrument(skip_all, fields(client_id = %auth.merchant.client_id, refund_request_id))]
pub async fn handle(svc: &ApiState, auth: &Authenticated) -> Result<Answer, ApiError> {
    let request: RefundRequest = parse_json(&auth.body)?;
    let valid = validate_refund(&request)?;
    tracing::Span::current().record("refund_request_id", valid.refund_request_id.as_str());
    let refund = after::refund(&svc.payments, &auth.merchant, valid).await?;
    Ok(success_body(&response(&refund)))
}

/// The refund response for a stored refund, whatever its status.
pub fn response(r: &Refund) -> RefundResponse {
    let code = ResultCode::parse(&r.result_code).unwrap_or(ResultCode::PROCESS_FAIL);
    RefundResponse {
        result: WireResult::new(code, r.result_message.clone()),
        refund_request_id: Some(r.refund_request_id.to_string()),
        refund_id: Some(r.refund_id.to_string()),
        payment_id: Some(r.payment_id.to_string()),
        refund_amount: Some(r.amount.to_wire()),
        refund_time: r.refund_time.map(format_timestamp),
    }
}
