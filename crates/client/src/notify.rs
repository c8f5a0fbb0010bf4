//! Verifying the notifications the gateway posts to you (PROTOCOL.md §2.7,
//! §3.9–§3.12).
//!
//! A notification is a `POST` to your notify URL signed with the gateway's
//! key over `POST <path>\n<client-id>.<request-time>.<body>`, where `path`
//! is the path of your notify URL (no scheme, host or query). Verify it
//! over the **raw body bytes** before parsing, then answer with
//! [`ACK_BODY`] and HTTP 200 — anything else makes the gateway send it
//! again later. Notifications are at-least-once: deduplicate on
//! `paymentId`/`refundId` + `notifyType`.
//!
//! With the `axum` feature, `cashier_client::axum::VerifiedNotification` does all
//! of this as an extractor.

use cashier_protocol::signing::{content_to_sign, PublicKey, SignatureHeader};
use cashier_protocol::wire::{PaymentNotification, RefundNotification};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::Error;

pub use cashier_protocol::wire::{ack_body, ACK_BODY};

/// A verified notification: notifyPayment or notifyRefund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notification {
    /// notifyPayment (`notifyType` `PAYMENT_RESULT` or `PAYMENT_PENDING`).
    Payment(PaymentNotification),
    /// notifyRefund (`notifyType` `REFUND_RESULT`).
    Refund(RefundNotification),
}

impl Notification {
    /// Parses a body already verified, by its `notifyType`.
    pub fn parse(body: &[u8]) -> Result<Notification, Error> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Kind {
            notify_type: String,
        }
        let kind: Kind = decode(body)?;
        match kind.notify_type.as_str() {
            "PAYMENT_RESULT" | "PAYMENT_PENDING" => decode(body).map(Notification::Payment),
            "REFUND_RESULT" => decode(body).map(Notification::Refund),
            other => Err(Error::Decode(format!("unsupported notifyType {other:?}"))),
        }
    }

    /// The `notifyType`.
    pub fn notify_type(&self) -> &str {
        match self {
            Notification::Payment(n) => &n.notify_type,
            Notification::Refund(n) => &n.notify_type,
        }
    }

    /// Whether it reports success: a paid payment (`PAYMENT_RESULT` with
    /// `S`) or a refund with `refundStatus` `SUCCESS`.
    pub fn is_success(&self) -> bool {
        use cashier_protocol::ResultStatus;
        match self {
            Notification::Payment(n) => {
                n.notify_type == "PAYMENT_RESULT" && n.result.result_status == ResultStatus::S
            }
            Notification::Refund(n) => n.refund_status == "SUCCESS",
        }
    }
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| Error::Decode(e.to_string()))
}

/// Checks a `signature` header value against
/// `POST <path>\n<client_id>.<time>.<body>` with the gateway public key.
/// `time` is the raw `request-time` (notifications) or `response-time`
/// (responses) header value.
pub fn verify_signature(
    gateway_public_key: &PublicKey,
    path: &str,
    client_id: &str,
    time: &str,
    signature: &str,
    body: &[u8],
) -> Result<(), Error> {
    let parsed = SignatureHeader::parse(signature).map_err(|_| Error::BadSignature)?;
    let content = content_to_sign("POST", path, client_id, time, body);
    gateway_public_key
        .verify(&content, &parsed.signature)
        .map_err(|_| Error::BadSignature)
}

/// Verifies a notifyPayment from the raw request parts and parses it.
///
/// `path` is the path of your notify URL as the request arrived (e.g.
/// `/antom/notify`), `client_id`, `request_time` and `signature` the header
/// values, `body` the raw body bytes.
pub fn verify_notification(
    gateway_public_key: &PublicKey,
    path: &str,
    client_id: &str,
    request_time: &str,
    signature: &str,
    body: &[u8],
) -> Result<PaymentNotification, Error> {
    verify_webhook(
        gateway_public_key,
        path,
        client_id,
        request_time,
        signature,
        body,
    )
}

/// Verifies a notifyRefund from the raw request parts and parses it (the
/// same arguments as [`verify_notification`]).
pub fn verify_refund_notification(
    gateway_public_key: &PublicKey,
    path: &str,
    client_id: &str,
    request_time: &str,
    signature: &str,
    body: &[u8],
) -> Result<RefundNotification, Error> {
    verify_webhook(
        gateway_public_key,
        path,
        client_id,
        request_time,
        signature,
        body,
    )
}

/// Verifies any notification's signature, then parses its body as `T`.
pub fn verify_webhook<T: DeserializeOwned>(
    gateway_public_key: &PublicKey,
    path: &str,
    client_id: &str,
    request_time: &str,
    signature: &str,
    body: &[u8],
) -> Result<T, Error> {
    verify_signature(
        gateway_public_key,
        path,
        client_id,
        request_time,
        signature,
        body,
    )?;
    decode(body)
}

/// Verifies a notification from its request path, headers (looked up
/// case-insensitively: `client-id`, `request-time`, `signature`) and raw
/// body, and parses it as notifyPayment or notifyRefund.
///
/// ```
/// use cashier_client::{verify_notification_request, Notification, PrivateKey};
/// use cashier_client::cashier_protocol::signing::sign_message;
/// use reqwest::header::HeaderMap;
///
/// // What the gateway does: sign the body for your notify path.
/// let gateway = PrivateKey::generate()?;
/// let body = br#"{"notifyType":"PAYMENT_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentRequestId":"PAY-42","paymentId":"P1","paymentAmount":{"currency":"SGD","value":"6000"},"paymentCreateTime":"2025-01-01T12:00:00+08:00"}"#;
/// let time = "2025-01-01T12:00:05+08:00";
/// let mut headers = HeaderMap::new();
/// headers.insert("client-id", "SANDBOX_SHOP".parse()?);
/// headers.insert("request-time", time.parse()?);
/// headers.insert("signature", sign_message(&gateway, 1, "/antom/notify", "SANDBOX_SHOP", time, body)?.parse()?);
///
/// // What you do with the gateway's public key:
/// let n = verify_notification_request(&gateway.public_key(), "/antom/notify", &headers, body)?;
/// assert!(matches!(&n, Notification::Payment(p) if p.payment_request_id == "PAY-42"));
/// assert!(n.is_success());
/// // The same bytes at another path, or altered bytes, do not verify.
/// assert!(verify_notification_request(&gateway.public_key(), "/other", &headers, body).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_notification_request(
    gateway_public_key: &PublicKey,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Notification, Error> {
    let get = |name: &'static str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or(Error::MissingHeader(name))
    };
    verify_signature(
        gateway_public_key,
        path,
        get("client-id")?,
        get("request-time")?,
        get("signature")?,
        body,
    )?;
    Notification::parse(body)
}
