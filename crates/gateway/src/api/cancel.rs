//! `cancel` (docs/protocol.md §3.6): closes an unpaid payment, or voids a paid
//! one inside its cancellation window. Repeats answer with the original
//! `cancelTime`.

use crate::clock::format_timestamp;
use cashier_protocol::validate::{parse_json, validate_cancel};
use cashier_protocol::wire::{CancelRequest, CancelResponse};

use super::inquiry_payment::find_payment;
use super::ApiState;
use super::{success_body, success_result, Answer, Authenticated};
use crate::error::ApiError;
use crate::payments::after;

#[tracing::instrument(skip_all, fields(client_id = %auth.merchant.client_id))]
pub async fn handle(svc: &ApiState, auth: &Authenticated) -> Result<Answer, ApiError> {
    let request: CancelRequest = parse_json(&auth.body)?;
    let reference = validate_cancel(&request)?;
    let payment = find_payment(svc, &auth.merchant.client_id, &reference).await?;
    let p = after::cancel(&svc.payments, &auth.merchant, payment).await?;
    Ok(success_body(&CancelResponse {
        result: success_result(),
        payment_id: Some(p.payment_id.to_string()),
        payment_request_id: Some(p.payment_request_id.to_string()),
        cancel_time: p.cancel_time.map(format_timestamp),
    }))
}
