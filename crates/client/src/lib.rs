//! # cashier-client
//!
//! A Rust merchant SDK for Antom-compatible gateways — Cashier, or Antom
//! itself. It signs requests with the merchant's private key, verifies every
//! response with the gateway's public key (on by default: an unsigned or
//! tampered response is an error, never a result), and verifies incoming
//! notifications.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cashier_client::Error> {
//! use cashier_client::{Client, ClientConfig};
//! use cashier_protocol::wire::InquiryPaymentRequest;
//!
//! let client = Client::new(ClientConfig::new(
//!     "https://cashier.example.com",
//!     "SANDBOX_MYSHOP",
//!     "MIIEvAIBADANBgkqhkiG9w0BAQEFAASC...", // merchant private key (PKCS#8 or PKCS#1, base64 or PEM)
//!     "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A...", // gateway public key (SPKI base64 or PEM)
//! )?)?;
//! let payment = client
//!     .inquiry_payment(&InquiryPaymentRequest {
//!         payment_request_id: Some("order-42".into()),
//!         ..Default::default()
//!     })
//!     .await?;
//! println!("{:?}", payment.payment_status);
//! # Ok(()) }
//! ```
//!
//! A `resultStatus` of `F` or `U` comes back as [`Error::Api`] carrying the
//! code, status and message, so callers can match on them; on `U` retry with
//! the same request id (PROTOCOL.md §5.1).

use std::sync::Arc;
use std::time::Duration;

use cashier_protocol::signing::{
    content_to_sign, sign_message, KeyError, PrivateKey, PublicKey, SignatureHeader,
};
use cashier_protocol::time::format_datetime;
use cashier_protocol::wire::{
    CancelRequest, CancelResponse, CreatePaymentSessionRequest, CreatePaymentSessionResponse,
    InquiryPaymentRequest, InquiryPaymentResponse, InquiryRefundRequest, InquiryRefundResponse,
    PaymentNotification, RefundNotification, RefundRequest, RefundResponse,
};
use cashier_protocol::{ResultStatus, WireResult};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use cashier_protocol;

pub const CREATE_PAYMENT_SESSION: &str = "/ams/api/v1/payments/createPaymentSession";
pub const INQUIRY_PAYMENT: &str = "/ams/api/v1/payments/inquiryPayment";
pub const CANCEL: &str = "/ams/api/v1/payments/cancel";
pub const REFUND: &str = "/ams/api/v1/payments/refund";
pub const INQUIRY_REFUND: &str = "/ams/api/v1/payments/inquiryRefund";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid key: {0}")]
    Key(#[from] KeyError),
    #[error("HTTP transport error: {0}")]
    Http(#[from] reqwest::Error),
    #[error("unexpected HTTP status {0}")]
    Status(u16),
    #[error("response header {0} is missing")]
    MissingHeader(&'static str),
    #[error("the response signature does not verify")]
    BadSignature,
    #[error("cannot decode the response: {0}")]
    Decode(String),
    #[error("{result_code} ({result_status:?}): {result_message}")]
    Api {
        result_code: String,
        result_status: ResultStatus,
        result_message: String,
    },
}

impl Error {
    /// The protocol result code, for [`Error::Api`].
    pub fn result_code(&self) -> Option<&str> {
        match self {
            Error::Api { result_code, .. } => Some(result_code),
            _ => None,
        }
    }

    /// Whether retrying the same request (same request id) is the right move.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Http(_) | Error::Status(_))
            || matches!(
                self,
                Error::Api {
                    result_status: ResultStatus::U,
                    ..
                }
            )
    }
}

/// Returns the current time; replaceable so tests can sign "in the future".
pub type TimeSource = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub struct ClientConfig {
    pub base_url: String,
    pub client_id: String,
    pub private_key: PrivateKey,
    pub gateway_public_key: PublicKey,
    pub key_version: u32,
    /// Use `/ams/sandbox/api/...` paths; defaults to true for `SANDBOX_` client ids, as the official SDKs do.
    pub sandbox_paths: bool,
    pub timeout: Duration,
    pub time_source: TimeSource,
}

impl ClientConfig {
    pub fn new(
        base_url: &str,
        client_id: &str,
        private_key: &str,
        gateway_public_key: &str,
    ) -> Result<ClientConfig, Error> {
        Ok(ClientConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            client_id: client_id.to_string(),
            private_key: PrivateKey::from_text(private_key)?,
            gateway_public_key: PublicKey::from_text(gateway_public_key)?,
            key_version: 1,
            sandbox_paths: client_id.starts_with("SANDBOX_"),
            timeout: Duration::from_secs(30),
            time_source: Arc::new(Utc::now),
        })
    }
}

/// A response as received, after signature verification.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub http_status: u16,
    pub body: String,
    pub result: Option<WireResult>,
}

pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let http = reqwest::Client::builder().timeout(config.timeout).build()?;
        Ok(Client { http, config })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The path actually requested (and signed) for an API path.
    pub fn path_for(&self, path: &str) -> String {
        if self.config.sandbox_paths {
            path.replacen("/ams/api", "/ams/sandbox/api", 1)
        } else {
            path.to_string()
        }
    }

    /// createPaymentSession.
    pub async fn create_payment_session(
        &self,
        req: &CreatePaymentSessionRequest,
    ) -> Result<CreatePaymentSessionResponse, Error> {
        self.execute(CREATE_PAYMENT_SESSION, req).await
    }

    /// inquiryPayment.
    pub async fn inquiry_payment(
        &self,
        req: &InquiryPaymentRequest,
    ) -> Result<InquiryPaymentResponse, Error> {
        self.execute(INQUIRY_PAYMENT, req).await
    }

    /// cancel: by paymentId or paymentRequestId.
    pub async fn cancel(&self, req: &CancelRequest) -> Result<CancelResponse, Error> {
        self.execute(CANCEL, req).await
    }

    /// refund. `U REFUND_IN_PROCESS` comes back as [`Error::Api`]; retry
    /// with the same refundRequestId or call [`Client::inquiry_refund`].
    pub async fn refund(&self, req: &RefundRequest) -> Result<RefundResponse, Error> {
        self.execute(REFUND, req).await
    }

    /// inquiryRefund: by refundId or refundRequestId.
    pub async fn inquiry_refund(
        &self,
        req: &InquiryRefundRequest,
    ) -> Result<InquiryRefundResponse, Error> {
        self.execute(INQUIRY_REFUND, req).await
    }

    /// Sends any request and parses an `S` response into `T`.
    pub async fn execute<Q: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        request: &Q,
    ) -> Result<T, Error> {
        let body = serde_json::to_vec(request).map_err(|e| Error::Decode(e.to_string()))?;
        let raw = self.send_raw(path, &body).await?;
        match raw.result {
            Some(r) if r.result_status == ResultStatus::S => {
                serde_json::from_str(&raw.body).map_err(|e| Error::Decode(e.to_string()))
            }
            Some(r) => Err(Error::Api {
                result_code: r.result_code,
                result_status: r.result_status,
                result_message: r.result_message.unwrap_or_default(),
            }),
            None => Err(Error::Decode("the response has no result object".into())),
        }
    }

    /// Signs and posts raw body bytes (exactly as given) to an API path, and
    /// verifies the response signature.
    pub async fn send_raw(&self, path: &str, body: &[u8]) -> Result<RawResponse, Error> {
        let path = self.path_for(path);
        let time = (self.config.time_source)().timestamp_millis().to_string();
        let signature = sign_message(
            &self.config.private_key,
            self.config.key_version,
            &path,
            &self.config.client_id,
            &time,
            body,
        )
        .map_err(|e| Error::Decode(e.to_string()))?;
        let response = self
            .http
            .post(format!("{}{}", self.config.base_url, path))
            .header("content-type", "application/json; charset=UTF-8")
            .header("client-id", &self.config.client_id)
            .header("request-time", &time)
            .header("signature", signature)
            .body(body.to_vec())
            .send()
            .await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await?;
        if status != 200 {
            return Err(Error::Status(status));
        }
        let get = |name: &'static str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .ok_or(Error::MissingHeader(name))
        };
        let response_time = get("response-time")?;
        let signature = get("signature")?;
        let client_id = get("client-id")?;
        let parsed = SignatureHeader::parse(signature).map_err(|_| Error::BadSignature)?;
        let content = content_to_sign("POST", &path, client_id, response_time, text.as_bytes());
        self.config
            .gateway_public_key
            .verify(&content, &parsed.signature)
            .map_err(|_| Error::BadSignature)?;
        let result = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("result").cloned())
            .and_then(|r| serde_json::from_value::<WireResult>(r).ok());
        Ok(RawResponse {
            http_status: status,
            body: text,
            result,
        })
    }
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
    let parsed = SignatureHeader::parse(signature).map_err(|_| Error::BadSignature)?;
    let content = content_to_sign("POST", path, client_id, request_time, body);
    gateway_public_key
        .verify(&content, &parsed.signature)
        .map_err(|_| Error::BadSignature)?;
    serde_json::from_slice(body).map_err(|e| Error::Decode(e.to_string()))
}

/// The current time formatted as Antom does, for callers building headers.
pub fn now_antom() -> String {
    format_datetime(Utc::now())
}
