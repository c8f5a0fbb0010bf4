//! `createPaymentSession` (docs/protocol.md §3.2): validate, create (or replay)
//! the session, answer with `normalUrl`.

use crate::clock::format_timestamp;
use cashier_protocol::validate::{parse_json, validate_create_session};
use cashier_protocol::wire::{CreatePaymentSessionRequest, CreatePaymentSessionResponse};

use super::ApiState;
use super::{success_body, success_result, Answer, Authenticated};
use crate::error::ApiError;
use crate::payments;

#[tracing::instrument(skip_all, fields(client_id = %auth.merchant.client_id, payment_request_id))]
pub async fn handle(svc: &ApiState, auth: &Authenticated) -> Result<Answer, ApiError> {
    let request: CreatePaymentSessionRequest = parse_json(&auth.body)?;
    if let Some(id) = &request.payment_request_id {
        tracing::Span::current().record("payment_request_id", id.as_str());
    }
    // Defaults and checks of times are on the merchant's clock.
    let now = svc.clocks.merchant_now(&auth.merchant).to_datetime();
    let valid = validate_create_session(&request, now)?;
    let created = payments::create_session(&svc.payments, &auth.merchant, valid).await?;
    let p = &created.payment;
    Ok(success_body(&CreatePaymentSessionResponse {
        result: success_result(),
        payment_session_data: Some(p.session_data.clone()),
        payment_session_expiry_time: Some(format_timestamp(p.session_expires_at)),
        payment_session_id: Some(p.session_id.clone()),
        normal_url: Some(created.normal_url.clone()),
        url: Some(created.normal_url),
    }))
}
