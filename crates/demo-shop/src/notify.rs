//! The notification endpoint: notifyPayment and notifyRefund.
//!
//! Like a real merchant the shop trusts a notification only after its
//! signature verifies with the gateway's public key over exactly the path it
//! was posted to and the raw body (PROTOCOL.md §2.7), and only from its own
//! client id. It then records the outcome and answers the acknowledgement
//! body (§3.12); anything it refuses is answered 401/400, which the gateway
//! retries. Notifications are at-least-once: applying one twice is harmless.

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cashier_client::cashier_protocol::wire::{ack_body, PaymentNotification, RefundNotification};
use cashier_client::cashier_protocol::ResultStatus;
use cashier_client::verify_webhook;

use crate::catalogue;
use crate::state::{Payment, RefundState, Source};
use crate::Shop;

/// Where the shop receives notifications.
pub const NOTIFY_PATH: &str = "/payments/notify";

pub async fn receive(
    State(shop): State<Shop>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    let config = shop.client().config();
    if h("client-id") != config.client_id {
        tracing::warn!(
            client_id = h("client-id"),
            "notification for another client id refused"
        );
        return (StatusCode::UNAUTHORIZED, "unknown client-id").into_response();
    }
    let verified: serde_json::Value = match verify_webhook(
        &config.gateway_public_key,
        uri.path(),
        h("client-id"),
        h("request-time"),
        h("signature"),
        &body,
    ) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "notification refused");
            return (StatusCode::UNAUTHORIZED, "signature does not verify").into_response();
        }
    };
    let applied = match verified.get("notifyType").and_then(|t| t.as_str()) {
        Some("PAYMENT_RESULT") | Some("PAYMENT_PENDING") => {
            serde_json::from_value(verified).map(|n| on_payment(&shop, n))
        }
        Some("REFUND_RESULT") => serde_json::from_value(verified).map(|n| on_refund(&shop, n)),
        other => {
            tracing::info!(notify_type = ?other, "notification type not used by the shop");
            Ok(())
        }
    };
    match applied {
        Ok(()) => ([(header::CONTENT_TYPE, "application/json")], ack_body()).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "malformed notification");
            (StatusCode::BAD_REQUEST, "malformed notification").into_response()
        }
    }
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
    if n.payment_amount.currency != catalogue::CURRENCY
        || n.payment_amount.value != order.total_minor.to_string()
    {
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
