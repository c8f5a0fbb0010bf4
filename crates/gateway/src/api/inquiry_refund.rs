//! `inquiryRefund` (docs/protocol.md §3.8): a refund's current status.

use crate::clock::format_timestamp;
use cashier_protocol::validate::{parse_json, validate_inquiry_refund, RefundRef};
use cashier_protocol::wire::{InquiryRefundRequest, InquiryRefundResponse};
use cashier_protocol::ResultCode;

use super::ApiState;
use super::{success_body, success_result, Answer, Authenticated};
use crate::error::ApiError;
use crate::store::{RefundId, RefundRequestId, RefundStatus};

#[tracing::instrument(skip_all, fields(client_id = %auth.merchant.client_id))]
pub async fn handle(svc: &ApiState, auth: &Authenticated) -> Result<Answer, ApiError> {
    let request: InquiryRefundRequest = parse_json(&auth.body)?;
    let client_id = &auth.merchant.client_id;
    let found = match validate_inquiry_refund(&request)? {
        RefundRef::RefundId(id) => svc
            .store
            .refund(&RefundId::from(&id))
            .await?
            .filter(|r| &r.client_id == client_id),
        RefundRef::RefundRequestId(id) => {
            svc.store
                .refund_by_request_id(client_id, &RefundRequestId::from(id))
                .await?
        }
    };
    let r = found
        .ok_or_else(|| ApiError::new(ResultCode::REFUND_NOT_EXIST, "refund does not exist."))?;
    Ok(success_body(&InquiryRefundResponse {
        result: success_result(),
        refund_id: Some(r.refund_id.to_string()),
        refund_request_id: Some(r.refund_request_id.to_string()),
        refund_amount: Some(r.amount.to_wire()),
        refund_status: Some(r.status.as_str().to_string()),
        refund_time: r
            .refund_time
            .filter(|_| r.status == RefundStatus::Success)
            .map(format_timestamp),
    }))
}
