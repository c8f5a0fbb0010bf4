//! `inquiryPayment` (docs/protocol.md §3.5): the payment's current state. An
//! expired unpaid session is closed on the spot, so the answer never lags
//! behind the clock.

use crate::clock::format_timestamp;
use cashier_protocol::validate::{parse_json, validate_inquiry, PaymentRef};
use cashier_protocol::wire::{InquiryPaymentRequest, InquiryPaymentResponse, Transaction};
use cashier_protocol::{ResultCode, WireResult};

use super::ApiState;
use super::{success_body, success_result, Answer, Authenticated};
use crate::error::ApiError;
use crate::payments::{self, state::PaymentStatus, wire_amount};
use crate::store::{ClientId, Payment, PaymentId, PaymentRequestId};

#[tracing::instrument(skip_all, fields(client_id = %auth.merchant.client_id))]
pub async fn handle(svc: &ApiState, auth: &Authenticated) -> Result<Answer, ApiError> {
    let request: InquiryPaymentRequest = parse_json(&auth.body)?;
    let reference = validate_inquiry(&request)?;
    let payment = find_payment(svc, &auth.merchant.client_id, &reference).await?;
    let p = payments::expire_if_due(&svc.payments, &auth.merchant, payment).await?;
    // Paid: SUCCESS, or CANCELLED after it (the charge happened).
    let paid = p.paid_at.is_some();
    Ok(success_body(&InquiryPaymentResponse {
        result: success_result(),
        payment_status: Some(p.status.as_str().to_string()),
        payment_result_code: Some(p.result_code.clone()),
        payment_result_message: Some(p.result_message.clone()),
        payment_request_id: Some(p.payment_request_id.to_string()),
        payment_id: Some(p.payment_id.to_string()),
        payment_amount: Some(wire_amount(&p)),
        payment_create_time: Some(format_timestamp(p.created_at)),
        payment_time: p
            .paid_at
            .filter(|_| p.status == PaymentStatus::Success)
            .map(format_timestamp),
        payment_method_type: p.payment_method_type.clone(),
        actual_payment_amount: paid.then(|| wire_amount(&p)),
        payment_redirect_url: Some(p.redirect_url.clone()),
        // Kept only when a card decided the payment (paid, or refused for good).
        payment_result_info: payments::CardSeen::of_payment(&p)
            .map(|card| payments::card_result_info(&card)),
        transactions: transactions(svc, &p).await?,
    }))
}

/// One entry per refund, and one for the cancel of a paid payment.
async fn transactions(svc: &ApiState, p: &Payment) -> Result<Option<Vec<Transaction>>, ApiError> {
    // Only a payment that succeeded can have refunds or a paid cancel:
    // SUCCESS, or CANCELLED (which SUCCESS may become). Every other state
    // never was SUCCESS (`PaymentStatus::may_become`), so the polling of an
    // open session skips the store round trip.
    if !matches!(p.status, PaymentStatus::Success | PaymentStatus::Cancelled) {
        return Ok(None);
    }
    let mut out: Vec<Transaction> = svc
        .store
        .refunds_for_payment(&p.payment_id)
        .await?
        .into_iter()
        .map(|r| Transaction {
            transaction_result: Some(WireResult::new(
                ResultCode::parse(&r.result_code).unwrap_or(ResultCode::PROCESS_FAIL),
                r.result_message.clone(),
            )),
            transaction_id: Some(r.refund_id.to_string()),
            transaction_type: Some("REFUND".into()),
            transaction_status: Some(r.status.as_str().into()),
            transaction_amount: Some(r.amount.to_wire()),
            transaction_request_id: Some(r.refund_request_id.to_string()),
            transaction_time: Some(format_timestamp(r.refund_time.unwrap_or(r.created_at))),
        })
        .collect();
    if let (Some(cancel_time), Some(_)) = (p.cancel_time, p.paid_at) {
        out.push(Transaction {
            transaction_result: Some(WireResult::success()),
            transaction_id: Some(p.payment_id.to_string()),
            transaction_type: Some("CANCEL".into()),
            transaction_status: Some("SUCCESS".into()),
            transaction_amount: Some(wire_amount(p)),
            transaction_request_id: Some(p.payment_request_id.to_string()),
            transaction_time: Some(format_timestamp(cancel_time)),
        });
    }
    Ok((!out.is_empty()).then_some(out))
}

/// Looks a payment up by `paymentId` or `paymentRequestId`, only among the
/// calling merchant's payments.
pub async fn find_payment(
    svc: &ApiState,
    client_id: &ClientId,
    reference: &PaymentRef,
) -> Result<Payment, ApiError> {
    let found = match reference {
        PaymentRef::PaymentId(id) => svc
            .store
            .payment(&PaymentId::from(id))
            .await?
            .filter(|p| &p.client_id == client_id),
        PaymentRef::PaymentRequestId(id) => {
            svc.store
                .payment_by_request_id(client_id, &PaymentRequestId::from(id))
                .await?
        }
    };
    found.ok_or_else(|| ApiError::new(ResultCode::ORDER_NOT_EXIST, "order does not exist."))
}
