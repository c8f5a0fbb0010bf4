//! # cashier-client
//!
//! A Rust merchant SDK for Antom-compatible gateways — Cashier, or Antom
//! itself (the wire protocol is the same; only the base URL and keys
//! differ). It signs every request with your private key, verifies every
//! response with the gateway's public key (always: an unsigned or tampered
//! response is an [`Error::BadSignature`], never a result), and verifies the
//! notifications the gateway posts to you.
//!
//! ## The whole integration
//!
//! 1. Create a payment session and redirect the buyer to its `normal_url`.
//! 2. Receive the signed notifyPayment at your notify URL, verify it,
//!    fulfil the order, acknowledge.
//! 3. When in doubt (no notification yet, the buyer came back), ask with
//!    inquiryPayment.
//!
//! ```no_run
//! use cashier_client::{
//!     Amount, Buyer, Client, ClientConfig, CreatePaymentSession, Currency,
//!     Goods, InquiryPayment, Notification, Order, PaymentStatus, ACK_BODY,
//! };
//!
//! # async fn demo(headers: cashier_client::HeaderMap, body: Vec<u8>) -> Result<(), cashier_client::Error> {
//! // What `cashier merchant create` printed (or the Antom dashboard shows).
//! let config = ClientConfig::new(
//!     "https://pay.example.com",
//!     "SANDBOX_MYSHOP",
//!     "MIIEvAIBADANBgkqhkiG9w0BAQEFAASC...", // your private key: PKCS#8 or PKCS#1, base64 or PEM
//!     "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A...", // the gateway public key: SPKI base64 or PEM
//! )?;
//! let client = Client::new(config)?;
//!
//! // 1. Create the session (amounts are integer minor units: SGD 60.00 = 6000).
//! let sgd = Currency::from_code("SGD").expect("a supported currency");
//! let order = Order::with_goods("ORDER-42", "Kopi and kaya toast", [
//!     Goods::new("KOPI", "Kopi", Amount::new(sgd, 1500), 2),
//!     Goods::new("TOAST", "Kaya toast", Amount::new(sgd, 3000), 1),
//! ])? // SGD 60.00 in total
//! .buyer(Buyer::new("BUYER-7", "Tan Ah Kow"));
//! let request = CreatePaymentSession::new("PAY-42", order, "https://shop.example.com/orders/42")
//!     .notify_url("https://shop.example.com/antom/notify");
//! let session = client.send(&request).await?;
//! println!("redirect the buyer to {}", session.normal_url); // e.g. HTTP 303 + Location
//!
//! // 2. In your notify handler (POST /antom/notify): verify over the raw body
//! //    (signature, and that the notification is for your client id).
//! let verifier = client.notification_verifier();
//! let n = verifier.verify_request("/antom/notify", &headers, &body)?;
//! match &n {
//!     Notification::Payment(p) if n.is_success() => {
//!         println!("order of {} is paid: {:?}", p.payment_request_id, n.amount());
//!     }
//!     // Acknowledge what you do not handle (including unknown types).
//!     other => println!("{} for {:?}", other.notify_type(), other),
//! }
//! let _answer = (200, ACK_BODY); // answer exactly this, or the gateway sends it again
//!
//! // 3. Or ask.
//! let payment = client.send(&InquiryPayment::by_request_id("PAY-42")).await?;
//! assert_eq!(payment.status, PaymentStatus::Success);
//! # Ok(()) }
//! ```
//!
//! With the `axum` feature, `axum::VerifiedNotification` is an extractor
//! that does step 2 for you and `axum::Acknowledge` is the answer.
//!
//! ## Errors
//!
//! A `resultStatus` of `F` or `U` comes back as [`Error::Api`] carrying the
//! code, status and message, so callers can match on them:
//!
//! ```no_run
//! # async fn demo(client: cashier_client::Client) {
//! use cashier_client::{InquiryPayment, ResultCode};
//!
//! match client.send(&InquiryPayment::by_request_id("PAY-404")).await {
//!     Ok(payment) => println!("{}", payment.status),
//!     Err(e) if e.code() == Some(ResultCode::ORDER_NOT_EXIST) => println!("no such payment"),
//!     Err(e) if e.is_retryable() => println!("try again with the same request: {e}"),
//!     Err(e) => println!("failed: {e}"),
//! }
//! # }
//! ```
//!
//! On `U` (or no answer at all) retry with the same request id — see
//! [`retry`] and [`Client::send_with_retry`].
//!
//! ## Modules
//!
//! * [`api`] — typed requests (`CreatePaymentSession`, `InquiryPayment`,
//!   `CancelPayment`, `RefundPayment`, `InquiryRefund`) and responses;
//! * [`Client`] / [`ClientConfig`] — signing, transport, verification,
//!   timeouts, base URL and the `SANDBOX_` path switch;
//! * [`notify`] — notification verification;
//! * [`retry`] — docs/protocol.md's retry rules as a helper;
//! * `axum` (feature `axum`) — notification extractor and acknowledgement.
//!
//! Keys are accepted as base64 DER or PEM, PKCS#8 or PKCS#1 (private) and
//! SPKI or PKCS#1 (public). The wire structs of `cashier_protocol::wire`
//! remain available through the per-API methods
//! ([`Client::create_payment_session`], ...) for fields the typed requests
//! do not cover.

#![deny(missing_docs)]

pub mod api;
#[cfg(feature = "axum")]
pub mod axum;
mod client;
mod config;
mod error;
pub mod notify;
pub mod retry;

use chrono::Utc;

pub use api::paths::{
    ADVANCE_CLOCK, CANCEL, CREATE_PAYMENT_SESSION, INQUIRY_CLOCK, INQUIRY_PAYMENT, INQUIRY_REFUND,
    REFUND,
};
pub use api::{
    AdvanceClock, ApiRequest, Buyer, CancelPayment, Cancellation, Clock, CreatePaymentSession,
    Goods, InquiryClock, InquiryPayment, InquiryRefund, Order, Payment, PaymentSession,
    PaymentStatus, Refund, RefundDetails, RefundPayment, RefundStatus, TerminalType, Transaction,
    TransactionType,
};
pub use cashier_protocol;
pub use cashier_protocol::signing::{PrivateKey, PublicKey};
pub use cashier_protocol::{Amount, Currency, ResultCode, ResultStatus};
pub use client::{Client, RawResponse, SignedRequest};
pub use config::{ClientConfig, TimeSource, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use error::Error;
pub use notify::{
    ack_body, verify_notification, verify_notification_request, verify_refund_notification,
    verify_signature, verify_webhook, Notification, NotificationVerifier, ACK_BODY,
};
pub use reqwest::header::HeaderMap;
pub use retry::RetryPolicy;

/// The current time formatted as Antom does (`2025-01-01T08:00:00+08:00`),
/// for callers building headers.
pub fn now_antom() -> String {
    cashier_protocol::time::format_datetime(Utc::now())
}
