//! The notification endpoint: notifyPayment and notifyRefund.
//!
//! Like a real merchant the shop trusts a notification only after its
//! signature verifies with the gateway's public key over exactly the path it
//! was posted to and the raw body (PROTOCOL.md §2.7) — the client's
//! [`VerifiedNotification`] extractor does that, answering 401 (bad
//! signature) or 400 (not a notification) itself, which the gateway retries —
//! and only from its own client id. It then records the outcome and answers
//! [`Acknowledge`] (§3.12). Notifications are at-least-once: applying one
//! twice is harmless.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cashier_client::axum::{Acknowledge, NotificationRejection, VerifiedNotification};
use cashier_client::cashier_protocol::wire::{PaymentNotification, RefundNotification};
use cashier_client::{Amount, Notification, ResultStatus};

use crate::catalogue;
use crate::state::{Payment, RefundState, Source};
use crate::Shop;

/// Where the shop receives notifications.
pub const NOTIFY_PATH: &str = "/payments/notify";

pub async fn receive(
    State(shop): State<Shop>,
    headers: HeaderMap,
    notification: Result<VerifiedNotification, NotificationRejection>,
) -> Response {
    let notification = match notification {
        Ok(VerifiedNotification(n)) => n,
        Err(refused) => {
            tracing::warn!(reason = ?refused, "notification refused");
            return refused.into_response();
        }
    };
    // The signature covers the client-id header; make sure it is ours.
    let client_id = headers.get("client-id").and_then(|v| v.to_str().ok());
    if client_id != Some(shop.client().config().client_id.as_str()) {
        tracing::warn!(?client_id, "notification for another client id refused");
        return (StatusCode::UNAUTHORIZED, "unknown client-id").into_response();
    }
    match notification {
        Notification::Payment(n) => on_payment(&shop, n),
        Notification::Refund(n) => on_refund(&shop, n),
    }
    Acknowledge.into_response()
}

fn on_payment(shop: &Shop, n: PaymentNotification) {
    let mut data = shop.data();
    let Some(order) = data.orders.get_mut(&n.payment_request_id) else {
        // E.g. an order from before a restart: nothing to update, but
        // acknowledge it or it is retried for a day.
        tracing::warn!(order = %n.payment_request_id, "notification for an unknown order");
        return;
    };
    // Trust the amount only if it is the order's: a merchant ships what was paid for.
    let amount = Amount::parse(&n.payment_amount.currency, &n.payment_amount.value);
    if amount != Ok(catalogue::amount(order.total_minor)) {
        tracing::error!(order = %order.id, amount = ?n.payment_amount, "notified amount differs from the order");
        return;
    }
    order.payment_id = Some(n.payment_id);
    if n.notify_type == "PAYMENT_PENDING" {
        return;
    }
    order.payment = match n.result.result_status {
        ResultStatus::S => Payment::Paid,
        _ => Payment::Failed {
            code: n.result.result_code,
            message: n.result.result_message.unwrap_or_default(),
        },
    };
    order.payment_method = n.payment_method_type.or(order.payment_method.take());
    order.source = Source::Notification;
    tracing::info!(order = %order.id, status = ?order.payment, "payment notification applied");
}

fn on_refund(shop: &Shop, n: RefundNotification) {
    let mut data = shop.data();
    let Some(refund) = data.order_with_refund(&n.refund_request_id).and_then(|o| {
        o.refunds
            .iter_mut()
            .find(|r| r.request_id == n.refund_request_id)
    }) else {
        tracing::warn!(refund = %n.refund_request_id, "refund notification for an unknown refund");
        return;
    };
    refund.state = if n.refund_status == "SUCCESS" {
        RefundState::Succeeded
    } else {
        RefundState::Failed {
            code: n.result.result_code,
            message: n.result.result_message.unwrap_or_default(),
        }
    };
    refund.refund_id = Some(n.refund_id);
    refund.notified = true;
    tracing::info!(refund = %refund.request_id, state = ?refund.state, "refund notification applied");
}
