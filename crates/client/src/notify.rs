//! Verifying the notifications the gateway posts to you (docs/protocol.md §2.7,
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
//! **Check the `client-id` too.** The gateway signs every merchant's
//! notifications with the same key, so a valid signature only proves the
//! gateway sent it — not that it is for you. Every function here that
//! verifies a notification therefore takes your own client id and refuses
//! ([`Error::ClientIdMismatch`]) a notification whose `client-id` header is
//! another's. [`NotificationVerifier`] bundles the key and client id, built
//! from the [`ClientConfig`] you already have.
//!
//! With the `axum` feature, `cashier_client::axum::VerifiedNotification` does all
//! of this as an extractor.

use std::sync::Arc;

use cashier_protocol::signing::{content_to_sign, PublicKey, SignatureHeader};
use cashier_protocol::wire::{PaymentNotification, RefundNotification};
use cashier_protocol::{Amount, ResultStatus};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::api::{PaymentStatus, RefundStatus};
use crate::{ClientConfig, Error};

pub use cashier_protocol::wire::{ack_body, ACK_BODY};

/// A verified notification: notifyPayment, notifyRefund, or a type this SDK
/// does not know.
///
/// The variants keep the wire structs, so every field stays reachable; the
/// methods give the typed view ([`Notification::amount`],
/// [`Notification::is_success`], [`Notification::payment_status`], ...).
///
/// The enum is `#[non_exhaustive]`: match with a catch-all arm and
/// **acknowledge** what you do not handle. A notification only reaches you
/// after its signature and client id verified, so an unknown `notifyType` is
/// genuinely from your gateway and for you; answering it with an error would
/// only make the gateway send it again, unchanged, for a day.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Notification {
    /// notifyPayment (`notifyType` `PAYMENT_RESULT` or `PAYMENT_PENDING`).
    Payment(PaymentNotification),
    /// notifyRefund (`notifyType` `REFUND_RESULT`).
    Refund(RefundNotification),
    /// A verified notification of a `notifyType` this SDK does not parse
    /// (e.g. one a newer gateway or Antom sends). Acknowledge it unless you
    /// handle it from `raw`.
    Other {
        /// The `notifyType` as sent.
        notify_type: String,
        /// The whole body as JSON.
        raw: serde_json::Value,
    },
}

impl Notification {
    /// Parses a body already verified, by its `notifyType`. An unknown
    /// `notifyType` is [`Notification::Other`]; a body that is not a JSON
    /// object with a string `notifyType`, or a known type missing its
    /// fields, is an [`Error::Decode`].
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
            _ => Ok(Notification::Other {
                notify_type: kind.notify_type,
                raw: decode(body)?,
            }),
        }
    }

    /// The `notifyType`.
    pub fn notify_type(&self) -> &str {
        match self {
            Notification::Payment(n) => &n.notify_type,
            Notification::Refund(n) => &n.notify_type,
            Notification::Other { notify_type, .. } => notify_type,
        }
    }

    /// The payment's status: `Success`/`Fail` for a `PAYMENT_RESULT` with
    /// `resultStatus` `S`/`F`, `Pending` for `PAYMENT_PENDING` (the buyer
    /// finished, the result is awaited) or a `U` result; `None` for other
    /// notifications.
    pub fn payment_status(&self) -> Option<PaymentStatus> {
        let Notification::Payment(n) = self else {
            return None;
        };
        Some(match (n.notify_type.as_str(), n.result.result_status) {
            ("PAYMENT_RESULT", ResultStatus::S) => PaymentStatus::Success,
            ("PAYMENT_RESULT", ResultStatus::F) => PaymentStatus::Fail,
            _ => PaymentStatus::Pending,
        })
    }

    /// The refund's `refundStatus`; `None` for other notifications.
    pub fn refund_status(&self) -> Option<RefundStatus> {
        match self {
            Notification::Refund(n) => Some(RefundStatus::parse(&n.refund_status)),
            _ => None,
        }
    }

    /// Whether it reports success: a paid payment (`PAYMENT_RESULT` with
    /// `S`) or a refund with `refundStatus` `SUCCESS`.
    pub fn is_success(&self) -> bool {
        self.payment_status() == Some(PaymentStatus::Success)
            || self.refund_status() == Some(RefundStatus::Success)
    }

    /// Whether it reports a final failure: a `PAYMENT_RESULT` with `F`, or
    /// a refund with `refundStatus` `FAIL`.
    pub fn is_failure(&self) -> bool {
        self.payment_status() == Some(PaymentStatus::Fail)
            || self.refund_status() == Some(RefundStatus::Fail)
    }

    /// Whether the outcome is not final yet: `PAYMENT_PENDING` (or a `U`
    /// payment result), or a refund `PROCESSING`. Wait for the next
    /// notification or ask with an inquiry.
    pub fn is_pending(&self) -> bool {
        self.payment_status() == Some(PaymentStatus::Pending)
            || self.refund_status() == Some(RefundStatus::Processing)
    }

    /// The payment amount (notifyPayment) or refund amount (notifyRefund) in
    /// integer minor units; `None` for [`Notification::Other`] or an amount
    /// whose currency or value does not parse. Compare it with your order
    /// before shipping.
    pub fn amount(&self) -> Option<Amount> {
        let a = match self {
            Notification::Payment(n) => &n.payment_amount,
            Notification::Refund(n) => &n.refund_amount,
            Notification::Other { .. } => return None,
        };
        Amount::parse(&a.currency, &a.value).ok()
    }
}

/// What verifying a notification needs: the gateway public key and **your**
/// client id. Cheap to clone (the key is shared).
///
/// ```
/// use cashier_client::{ClientConfig, PrivateKey};
/// use cashier_client::notify::NotificationVerifier;
///
/// let config = ClientConfig::from_keys(
///     "https://pay.example.com", "SANDBOX_MYSHOP",
///     PrivateKey::generate()?, PrivateKey::generate()?.public_key(),
/// );
/// let verifier = NotificationVerifier::from_config(&config);
/// assert_eq!(verifier.client_id(), "SANDBOX_MYSHOP");
/// # Ok::<(), cashier_client::cashier_protocol::signing::KeyError>(())
/// ```
#[derive(Debug, Clone)]
pub struct NotificationVerifier {
    gateway_public_key: Arc<PublicKey>,
    client_id: String,
}

impl NotificationVerifier {
    /// A verifier for notifications to `client_id` signed with
    /// `gateway_public_key`.
    pub fn new(
        gateway_public_key: impl Into<Arc<PublicKey>>,
        client_id: impl Into<String>,
    ) -> NotificationVerifier {
        NotificationVerifier {
            gateway_public_key: gateway_public_key.into(),
            client_id: client_id.into(),
        }
    }

    /// The verifier for the merchant `config` is for (its gateway public
    /// key and client id).
    pub fn from_config(config: &ClientConfig) -> NotificationVerifier {
        NotificationVerifier::new(config.gateway_public_key.clone(), config.client_id.clone())
    }

    /// The client id notifications must be addressed to.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The gateway public key.
    pub fn gateway_public_key(&self) -> &PublicKey {
        &self.gateway_public_key
    }

    /// [`verify_notification_request`] with this key and client id.
    pub fn verify_request(
        &self,
        path: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Notification, Error> {
        verify_notification_request(
            &self.gateway_public_key,
            &self.client_id,
            path,
            headers,
            body,
        )
    }

    /// Verifies a notification from its parts (the `client-id`,
    /// `request-time` and `signature` header values, the raw body) and
    /// parses it.
    pub fn verify(
        &self,
        path: &str,
        client_id: &str,
        request_time: &str,
        signature: &str,
        body: &[u8],
    ) -> Result<Notification, Error> {
        verify_parts(
            &self.gateway_public_key,
            &self.client_id,
            path,
            client_id,
            request_time,
            signature,
            body,
        )?;
        Notification::parse(body)
    }
}

impl From<&ClientConfig> for NotificationVerifier {
    fn from(config: &ClientConfig) -> NotificationVerifier {
        NotificationVerifier::from_config(config)
    }
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| Error::Decode(e.to_string()))
}

/// Checks a `signature` header value against
/// `POST <path>\n<client_id>.<time>.<body>` with the gateway public key.
/// `time` is the raw `request-time` (notifications) or `response-time`
/// (responses) header value.
///
/// This is the bare signature check: it does **not** check that
/// `client_id` is yours. For notifications use the functions below (or
/// [`NotificationVerifier`]), which do.
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

/// The signature, then that the notification is addressed to
/// `expected_client_id` — in that order, so a [`Error::ClientIdMismatch`]
/// always means "genuinely from the gateway, but for another merchant".
fn verify_parts(
    gateway_public_key: &PublicKey,
    expected_client_id: &str,
    path: &str,
    client_id: &str,
    request_time: &str,
    signature: &str,
    body: &[u8],
) -> Result<(), Error> {
    verify_signature(
        gateway_public_key,
        path,
        client_id,
        request_time,
        signature,
        body,
    )?;
    if client_id != expected_client_id {
        return Err(Error::ClientIdMismatch {
            expected: expected_client_id.to_string(),
            got: client_id.to_string(),
        });
    }
    Ok(())
}

/// Verifies a notifyPayment from the raw request parts and parses it.
///
/// `expected_client_id` is **your** client id (from your
/// [`ClientConfig`]); `path` is the path of your notify URL as the request
/// arrived (e.g. `/antom/notify`); `client_id`, `request_time` and
/// `signature` are the request's header values and `body` the raw body
/// bytes. A notification whose `client-id` is not `expected_client_id` is
/// refused with [`Error::ClientIdMismatch`] even though its signature
/// verifies.
pub fn verify_notification(
    gateway_public_key: &PublicKey,
    expected_client_id: &str,
    path: &str,
    client_id: &str,
    request_time: &str,
    signature: &str,
    body: &[u8],
) -> Result<PaymentNotification, Error> {
    verify_webhook(
        gateway_public_key,
        expected_client_id,
        path,
        client_id,
        request_time,
        signature,
        body,
    )
}

/// Verifies a notifyRefund from the raw request parts and parses it (the
/// same arguments and client-id check as [`verify_notification`]).
pub fn verify_refund_notification(
    gateway_public_key: &PublicKey,
    expected_client_id: &str,
    path: &str,
    client_id: &str,
    request_time: &str,
    signature: &str,
    body: &[u8],
) -> Result<RefundNotification, Error> {
    verify_webhook(
        gateway_public_key,
        expected_client_id,
        path,
        client_id,
        request_time,
        signature,
        body,
    )
}

/// Verifies any notification's signature and that it is addressed to
/// `expected_client_id` (as [`verify_notification`]), then parses its body
/// as `T`.
pub fn verify_webhook<T: DeserializeOwned>(
    gateway_public_key: &PublicKey,
    expected_client_id: &str,
    path: &str,
    client_id: &str,
    request_time: &str,
    signature: &str,
    body: &[u8],
) -> Result<T, Error> {
    verify_parts(
        gateway_public_key,
        expected_client_id,
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
/// body — signature first, then that `client-id` is `expected_client_id`
/// (yours) — and parses it ([`Notification::parse`]).
///
/// ```
/// use cashier_client::{verify_notification_request, Error, Notification, PrivateKey};
/// use cashier_client::cashier_protocol::signing::sign_message;
/// use reqwest::header::HeaderMap;
///
/// // What the gateway does: sign the body for your notify path and client id.
/// let gateway = PrivateKey::generate()?;
/// let body = br#"{"notifyType":"PAYMENT_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentRequestId":"PAY-42","paymentId":"P1","paymentAmount":{"currency":"SGD","value":"6000"},"paymentCreateTime":"2025-01-01T12:00:00+08:00"}"#;
/// let time = "2025-01-01T12:00:05+08:00";
/// let signed_for = |client_id: &str| -> Result<HeaderMap, Box<dyn std::error::Error>> {
///     let mut headers = HeaderMap::new();
///     headers.insert("client-id", client_id.parse()?);
///     headers.insert("request-time", time.parse()?);
///     headers.insert("signature", sign_message(&gateway, 1, "/antom/notify", client_id, time, body)?.parse()?);
///     Ok(headers)
/// };
/// let headers = signed_for("SANDBOX_SHOP")?;
///
/// // What you do with the gateway's public key and your client id:
/// let key = gateway.public_key();
/// let n = verify_notification_request(&key, "SANDBOX_SHOP", "/antom/notify", &headers, body)?;
/// assert!(matches!(&n, Notification::Payment(p) if p.payment_request_id == "PAY-42"));
/// assert!(n.is_success());
/// assert_eq!(n.amount().map(|a| a.minor()), Some(6000));
/// // The same bytes at another path do not verify...
/// assert!(verify_notification_request(&key, "SANDBOX_SHOP", "/other", &headers, body).is_err());
/// // ...and a genuine notification for another merchant is not yours.
/// let theirs = signed_for("SANDBOX_OTHER")?;
/// let err = verify_notification_request(&key, "SANDBOX_SHOP", "/antom/notify", &theirs, body);
/// assert!(matches!(err, Err(Error::ClientIdMismatch { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_notification_request(
    gateway_public_key: &PublicKey,
    expected_client_id: &str,
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
    verify_parts(
        gateway_public_key,
        expected_client_id,
        path,
        get("client-id")?,
        get("request-time")?,
        get("signature")?,
        body,
    )?;
    Notification::parse(body)
}
