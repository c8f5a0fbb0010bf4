//! `createPaymentSession` (PROTOCOL.md §3.2): validate, create (or replay)
//! the session, answer with `normalUrl`.

use cashier_protocol::time::format_millis;
use cashier_protocol::validate::{parse_json, validate_create_session};
use cashier_protocol::wire::{CreatePaymentSessionRequest, CreatePaymentSessionResponse};

use super::{success_body, success_result, Authenticated, Signed, Signer};
use crate::error::ApiError;
use crate::payments::{self, SessionCreated};

/// Answers the request. The answer a new session gets is signed while its
/// write waits for the group commit and handed to [`super::entry`] through
/// `presigned` (see [`Signed`]); a repeat's answer is signed by `entry`.
#[tracing::instrument(skip_all, fields(client_id = %auth.merchant.client_id, payment_request_id))]
pub async fn handle(
    signer: &Signer<'_>,
    auth: &Authenticated,
    presigned: &mut Option<Signed>,
) -> Result<String, ApiError> {
    let svc = signer.svc;
    let request: CreatePaymentSessionRequest = parse_json(&auth.body)?;
    if let Some(id) = &request.payment_request_id {
        tracing::Span::current().record("payment_request_id", id.as_str());
    }
    let valid = validate_create_session(&request, svc.clock.now())?;
    let new = payments::new_session(svc, &auth.merchant, valid)?;
    let expected = body(&new);
    // `join!` polls the store first: the write is queued for the writer
    // thread before this worker spends its time on RSA.
    let (stored, signed) = tokio::join!(payments::store_session(svc, new), async {
        signer.sign(expected)
    });
    *presigned = signed.ok();
    Ok(body(&stored?))
}

fn body(created: &SessionCreated) -> String {
    let p = &created.payment;
    success_body(&CreatePaymentSessionResponse {
        result: success_result(),
        payment_session_data: Some(p.session_data.clone()),
        payment_session_expiry_time: Some(format_millis(p.session_expires_at)),
        payment_session_id: Some(p.session_id.clone()),
        normal_url: Some(created.normal_url.clone()),
        url: Some(created.normal_url.clone()),
    })
}
