//! The notification endpoint: notifyPayment and notifyRefund.
//!
//! Like a real merchant the shop trusts a notification only after its
//! signature verifies with the gateway's public key over exactly the path it
//! was posted to and the raw body (docs/protocol.md §2.7), and only when it is
//! addressed to its own client id (the gateway signs every merchant's
//! notifications with the same key) — the client's [`VerifiedNotification`]
//! extractor does both, answering 401 (bad signature, another client id) or
//! 400 (not a notification) itself, which the gateway retries. It then
//! records the outcome and answers [`Acknowledge`] (§3.12), also for
//! notification types it does not handle. Notifications are at-least-once:
//! applying one twice is harmless.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use cashier_client::axum::{Acknowledge, NotificationRejection, VerifiedNotification};
use cashier_client::cashier_protocol::wire::{PaymentNotification, RefundNotification};
use cashier_client::{Notification, PaymentStatus};

use crate::catalogue;
use crate::state::{Payment, RefundState, Source};
use crate::Shop;

/// Where the shop receives notifications.
pub const NOTIFY_PATH: &str = "/payments/notify";

pub async fn receive(
    State(shop): State<Shop>,
    notification: Result<VerifiedNotification, NotificationRejection>,
) -> Response {
    let notification = match notification {
        Ok(VerifiedNotification(n)) => n,
        Err(refused) => {
            tracing::warn!(reason = ?refused, "notification refused");
            return refused.into_response();
        }
    };
    match &notification {
        Notification::Payment(n) => on_payment(&shop, &notification, n),
        Notification::Refund(n) => on_refund(&shop, &notification, n),
        // Verified and ours, but nothing the shop acts on: acknowledge, or
        // the gateway sends it again for a day.
        other => tracing::info!(notify_type = other.notify_type(), "notification ignored"),
    }
    Acknowledge.into_response()
}

fn on_payment(shop: &Shop, notification: &Notification, n: &PaymentNotification) {
    let mut data = shop.data();
    let Some(order) = data.orders.get_mut(&n.payment_request_id) else {
        // E.g. an order from before a restart: nothing to update, but
        // acknowledge it or it is retried for a day.
        tracing::warn!(order = %n.payment_request_id, "notification for an unknown order");
        return;
    };
    // Trust the amount only if it is the order's: a merchant ships what was paid for.
    if notification.amount() != Some(catalogue::amount(order.total_minor)) {
        tracing::error!(order = %order.id, amount = ?n.payment_amount, "notified amount differs from the order");
        return;
    }
    order.payment_id = Some(n.payment_id.clone());
    order.payment = match notification.payment_status() {
        Some(PaymentStatus::Success) => Payment::Paid,
        Some(PaymentStatus::Fail) => Payment::Failed {
            code: n.result.result_code.clone(),
            message: n.result.result_message.clone().unwrap_or_default(),
        },
        // PAYMENT_PENDING (or a U result): not final, keep waiting.
        _ => return,
    };
    order.payment_method = n
        .payment_method_type
        .clone()
        .or(order.payment_method.take());
    order.source = Source::Notification;
    tracing::info!(order = %order.id, status = ?order.payment, "payment notification applied");
}

fn on_refund(shop: &Shop, notification: &Notification, n: &RefundNotification) {
    let mut data = shop.data();
    let Some(refund) = data.order_with_refund(&n.refund_request_id).and_then(|o| {
        o.refunds
            .iter_mut()
            .find(|r| r.request_id == n.refund_request_id)
    }) else {
        tracing::warn!(refund = %n.refund_request_id, "refund notification for an unknown refund");
        return;
    };
    refund.state = if notification.is_success() {
        RefundState::Succeeded
    } else if notification.is_failure() {
        RefundState::Failed {
            code: n.result.result_code.clone(),
            message: n.result.result_message.clone().unwrap_or_default(),
        }
    } else {
        // PROCESSING: the final notifyRefund follows.
        return;
    };
    refund.refund_id = Some(n.refund_id.clone());
    refund.notified = true;
    tracing::info!(refund = %refund.request_id, state = ?refund.state, "refund notification applied");
}
