//! After the payment: cancel (docs/protocol.md §3.6, §5.3) and refunds (§3.7,
//! §3.8, §5.10).
//!
//! Both are atomic in the store: a cancel is a compare-and-set that also
//! requires nothing refunded; a refund reserves its amount with one
//! conditional update in the transaction that records it, so concurrent
//! refunds can never add up to more than was paid.

use crate::clock::format_timestamp;
use cashier_protocol::time::antom_offset;
use cashier_protocol::validate::ValidRefund;
use cashier_protocol::wire::RefundNotification;
use cashier_protocol::{ResultCode, WireResult};
use chrono::{DateTime, Duration, TimeZone, Utc};

use super::expire_if_due;
use super::state::PaymentStatus;
use super::PaymentError;
use super::Ports;
use crate::ids;
use crate::processor::methods;
use crate::processor::RefundOutcome;
use crate::store::{
    Merchant, NewNotification, Payment, PaymentId, Refund, RefundInsert, RefundRequestId,
    RefundStatus, StoreResult, Timestamp,
};

/// `notifyType` of refund notifications.
pub const REFUND_RESULT: &str = "REFUND_RESULT";

/// How long after payment a refund is allowed (docs/protocol.md §5.10).
pub const REFUND_WINDOW_DAYS: i64 = 365;

/// The cancel-window rule family of a payment method (§5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelRule {
    /// Until 00:15 UTC+8 on the day after the transaction day.
    NextDay0015,
    /// Up to 7 days after payment (cards).
    SevenDays,
    /// A paid transaction cannot be cancelled (Indonesia-based methods).
    NotAfterPayment,
}

pub fn cancel_rule(method: Option<&str>) -> CancelRule {
    match method {
        Some("CARD") | Some("APPLEPAY") | Some("GOOGLEPAY") => CancelRule::SevenDays,
        Some(code) if methods::method(code).is_some_and(|m| m.region == "ID") => {
            CancelRule::NotAfterPayment
        }
        _ => CancelRule::NextDay0015,
    }
}

/// The first instant a paid payment can no longer be cancelled, or `None`
/// when it never can.
pub fn cancel_deadline(method: Option<&str>, paid_at: Timestamp) -> Option<DateTime<Utc>> {
    let paid = DateTime::<Utc>::from_timestamp_millis(paid_at.millis())?;
    match cancel_rule(method) {
        CancelRule::SevenDays => Some(paid + Duration::days(7)),
        CancelRule::NotAfterPayment => None,
        CancelRule::NextDay0015 => {
            let day = paid.with_timezone(&antom_offset()).date_naive();
            let next = day.succ_opt()?.and_hms_opt(0, 15, 0)?;
            Some(
                antom_offset()
                    .from_local_datetime(&next)
                    .single()?
                    .with_timezone(&Utc),
            )
        }
    }
}

const CANCELLED_MESSAGE: &str = "order is closed: cancelled by the merchant.";

/// Cancels a payment; a repeat returns the already-cancelled payment.
pub async fn cancel(
    ports: &Ports,
    merchant: &Merchant,
    payment: Payment,
) -> Result<Payment, PaymentError> {
    // Two rounds: if the payment changes under us (a buyer pays at that
    // moment), decide again on its new state.
    let mut payment = expire_if_due(ports, merchant, payment).await?;
    for _ in 0..2 {
        let now = ports.clocks.now_for(&payment.client_id).await?;
        let sources: &[PaymentStatus] = match payment.status {
            PaymentStatus::Cancelled => return Ok(payment),
            PaymentStatus::Fail => return Err(PaymentError::CancelClosed),
            PaymentStatus::Processing | PaymentStatus::Pending => {
                &[PaymentStatus::Processing, PaymentStatus::Pending]
            }
            PaymentStatus::Success => {
                if payment.refunded_minor > 0 {
                    return Err(PaymentError::CancelRefunded);
                }
                let paid_at = payment.paid_at.unwrap_or(payment.updated_at);
                match cancel_deadline(payment.payment_method_type.as_deref(), paid_at) {
                    None => return Err(PaymentError::CancelNeverAllowed),
                    Some(deadline) if now.to_datetime() >= deadline => {
                        return Err(PaymentError::CancelWindowPassed {
                            closed_at: deadline,
                        })
                    }
                    Some(_) => &[PaymentStatus::Success],
                }
            }
        };
        let at = now;
        if ports
            .store
            .cancel_payment(
                &payment.payment_id,
                sources,
                at,
                ResultCode::ORDER_IS_CLOSED.as_str(),
                CANCELLED_MESSAGE,
            )
            .await?
        {
            ports.metrics.payment_final("CANCELLED");
            tracing::info!(payment_id = %payment.payment_id, was = %payment.status, "payment cancelled");
            return Ok(ports
                .store
                .payment(&payment.payment_id)
                .await?
                .unwrap_or(payment));
        }
        payment = ports
            .store
            .payment(&payment.payment_id)
            .await?
            .ok_or(PaymentError::NotFound { payment_id: None })?;
    }
    Err(PaymentError::CancelRaced)
}

fn refund_notification(refund: &Refund, url: String, at: Timestamp) -> NewNotification {
    let result = WireResult::new(
        ResultCode::parse(&refund.result_code).unwrap_or(ResultCode::PROCESS_FAIL),
        refund.result_message.clone(),
    );
    let body = RefundNotification {
        notify_type: REFUND_RESULT.to_string(),
        result,
        refund_status: refund.status.as_str().to_string(),
        refund_request_id: refund.refund_request_id.to_string(),
        refund_id: refund.refund_id.to_string(),
        payment_id: Some(refund.payment_id.to_string()),
        refund_amount: refund.amount.to_wire(),
        refund_time: refund.refund_time.map(format_timestamp),
        refund_reason: refund.reason.clone(),
    };
    NewNotification {
        notification_id: ids::numeric_id(at.to_datetime()).into(),
        client_id: refund.client_id.clone(),
        kind: REFUND_RESULT.to_string(),
        subject_id: refund.refund_id.to_string(),
        payment_id: refund.payment_id.clone(),
        url,
        body: serde_json::to_string(&body).expect("notifications serialise"),
    }
}

/// Where a refund's notification goes: the request's URL, else the
/// merchant's refund URL, else its payment URL. `None`: nothing is sent.
fn refund_notify_url(refund: &Refund, merchant: &Merchant) -> Option<String> {
    refund
        .notify_url
        .clone()
        .or_else(|| merchant.refund_notify_url.clone())
        .or_else(|| merchant.notify_url.clone())
}

/// The refund API: idempotent on refundRequestId.
pub async fn refund(
    ports: &Ports,
    merchant: &Merchant,
    req: ValidRefund,
) -> Result<Refund, PaymentError> {
    let fingerprint = req.fingerprint();
    let inconsistent = |r: &Refund| PaymentError::RefundReused {
        refund_request_id: r.refund_request_id.to_string(),
    };
    if let Some(existing) = ports
        .store
        .refund_by_request_id(
            &merchant.client_id,
            &RefundRequestId::from(&req.refund_request_id),
        )
        .await?
    {
        return if existing.fingerprint == fingerprint {
            Ok(existing)
        } else {
            Err(inconsistent(&existing))
        };
    }
    // The same SSRF rule as paymentNotifyUrl, when the refund is asked for
    // rather than only at delivery: a refused target is a clear PARAM_ILLEGAL
    // now, not a string of failed deliveries later.
    if let Some(url) = &req.notify_url {
        ports
            .check_notify_target(url)
            .map_err(PaymentError::NotifyUrlRefused)?;
    }
    let payment = ports
        .store
        .payment(&PaymentId::from(&req.payment_id))
        .await?
        .filter(|p| p.client_id == merchant.client_id)
        .ok_or_else(|| PaymentError::NotFound {
            payment_id: Some(req.payment_id.clone()),
        })?;
    let payment = expire_if_due(ports, merchant, payment).await?;
    if payment.status != PaymentStatus::Success {
        return Err(PaymentError::NotRefundable(payment.status));
    }
    if req.amount.currency() != payment.amount.currency() {
        return Err(PaymentError::RefundCurrency(
            payment.amount.currency().code().to_string(),
        ));
    }
    let now = ports.clocks.now_for(&payment.client_id).await?;
    let paid_at = payment.paid_at.unwrap_or(payment.updated_at);
    if now > paid_at + Duration::days(REFUND_WINDOW_DAYS) {
        return Err(PaymentError::RefundWindowPassed);
    }
    // Checked before the processor is asked (the store checks again,
    // atomically, for refunds that reserve): a refund the payment cannot
    // cover is REFUND_AMOUNT_EXCEED, never a processor failure.
    if i128::from(payment.refunded_minor) + i128::from(req.amount.minor())
        > i128::from(payment.amount.minor())
    {
        return Err(PaymentError::RefundExceeds {
            asked: req.amount.minor(),
            refunded_minor: payment.refunded_minor,
            // At most 16 digits: decoded so by the store.
            amount_minor: payment.amount.minor() as i64,
        });
    }
    let at = now;
    let (status, code, message, refund_time, settle_at) =
        match ports.processor.refund(req.amount, req.reason.as_deref()) {
            RefundOutcome::Succeeded => (
                RefundStatus::Success,
                ResultCode::SUCCESS,
                "success.".to_string(),
                Some(at),
                None,
            ),
            RefundOutcome::Failed(code, msg) => {
                (RefundStatus::Fail, code, msg.to_string(), Some(at), None)
            }
            RefundOutcome::Async => {
                let delay = Duration::from_std(ports.async_delay).unwrap_or(Duration::seconds(10));
                (
                    RefundStatus::Processing,
                    ResultCode::REFUND_IN_PROCESS,
                    ResultCode::REFUND_IN_PROCESS.default_message().to_string(),
                    None,
                    Some(at + delay),
                )
            }
        };
    let refund = Refund {
        refund_id: ids::numeric_id(now.to_datetime()).into(),
        client_id: merchant.client_id.clone(),
        refund_request_id: req.refund_request_id.into(),
        payment_id: payment.payment_id.clone(),
        reference_refund_id: req.reference_refund_id.clone(),
        fingerprint,
        // The payment's currency: checked equal above.
        amount: req.amount,
        reason: req.reason.clone(),
        notify_url: req.notify_url.clone(),
        status,
        result_code: code.as_str().to_string(),
        result_message: message,
        created_at: at,
        refund_time,
        settle_at,
        updated_at: at,
    };
    let notification = match status {
        RefundStatus::Processing => None,
        _ => refund_notify_url(&refund, merchant).map(|url| refund_notification(&refund, url, at)),
    };
    match ports
        .store
        .insert_refund(&refund, notification.as_ref())
        .await?
    {
        RefundInsert::Created(r) => {
            tracing::info!(refund_id = %r.refund_id, payment_id = %r.payment_id, status = r.status.as_str(), "refund recorded");
            if notification.is_some() {
                ports.outbox.notify_one();
            }
            Ok(r)
        }
        RefundInsert::Existing(r) if r.fingerprint == refund.fingerprint => Ok(r),
        RefundInsert::Existing(r) => Err(inconsistent(&r)),
        RefundInsert::NotRefundable(status) => Err(PaymentError::NotRefundable(status)),
        RefundInsert::Exceeds {
            refunded_minor,
            amount_minor,
        } => Err(PaymentError::RefundExceeds {
            asked: req.amount.minor(),
            refunded_minor,
            amount_minor,
        }),
    }
}

/// Settles an asynchronous (sandbox) refund, at its settle time (see
/// `payments::finalize_at`). `merchant` is the refund's.
pub async fn settle_refund(
    ports: &Ports,
    merchant: &Merchant,
    refund: &Refund,
) -> StoreResult<bool> {
    // The sweep returns refunds due on the merchant's clock.
    let at = match refund.settle_at {
        Some(due) => due,
        None => ports.clocks.now_for(&refund.client_id).await?,
    };
    let mut done = refund.clone();
    done.status = RefundStatus::Success;
    done.result_code = ResultCode::SUCCESS.as_str().to_string();
    done.result_message = "success.".into();
    done.refund_time = Some(at);
    let notification =
        refund_notify_url(&done, merchant).map(|url| refund_notification(&done, url, at));
    let applied = ports
        .store
        .finish_refund(
            &refund.refund_id,
            RefundStatus::Success,
            &done.result_code,
            &done.result_message,
            at,
            notification.as_ref(),
        )
        .await?;
    if applied && notification.is_some() {
        ports.outbox.notify_one();
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc8(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        antom_offset()
            .with_ymd_and_hms(y, m, d, h, min, s)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn wallet_payments_can_be_cancelled_until_0015_utc8_the_next_day() {
        let paid: Timestamp = utc8(2025, 3, 10, 23, 59, 0).into();
        assert_eq!(
            cancel_deadline(Some("ALIPAY_CN"), paid),
            Some(utc8(2025, 3, 11, 0, 15, 0))
        );
        let early: Timestamp = utc8(2025, 3, 10, 0, 0, 1).into();
        assert_eq!(
            cancel_deadline(Some("GCASH"), early),
            Some(utc8(2025, 3, 11, 0, 15, 0))
        );
        // The day is the UTC+8 day, not the UTC one: 17:00 UTC is already the 11th in UTC+8.
        let late_utc: Timestamp = Utc.with_ymd_and_hms(2025, 3, 10, 17, 0, 0).unwrap().into();
        assert_eq!(
            cancel_deadline(None, late_utc),
            Some(utc8(2025, 3, 12, 0, 15, 0))
        );
    }

    #[test]
    fn cards_have_seven_days_and_indonesian_wallets_none() {
        let paid = utc8(2025, 3, 10, 12, 0, 0);
        assert_eq!(
            cancel_deadline(Some("CARD"), paid.into()),
            Some(paid + Duration::days(7))
        );
        assert_eq!(cancel_deadline(Some("DANA"), paid.into()), None);
        assert_eq!(cancel_rule(Some("TRUEMONEY")), CancelRule::NextDay0015);
    }
}
