//! The HTTP client: signs each request, sends it, verifies the answer.

use cashier_protocol::signing::{content_to_sign, sign_message, SignatureHeader};
use cashier_protocol::wire::{
    CancelRequest, CancelResponse, CreatePaymentSessionRequest, CreatePaymentSessionResponse,
    InquiryPaymentRequest, InquiryPaymentResponse, InquiryRefundRequest, InquiryRefundResponse,
    RefundRequest, RefundResponse,
};
use cashier_protocol::{ResultStatus, WireResult};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api::{paths, ApiRequest};
use crate::retry::RetryPolicy;
use crate::{ClientConfig, Error};

/// A response as received, after its signature was verified.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status (always 200: other statuses are [`Error::Status`]).
    pub http_status: u16,
    /// The body, exactly as received.
    pub body: String,
    /// The body's `result` object, when it has one.
    pub result: Option<WireResult>,
}

/// The headers of a signed request, as [`Client::sign_request`] makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The path that was signed and is requested (sandbox-rewritten when
    /// [`ClientConfig::sandbox_paths`] is on).
    pub path: String,
    /// The `client-id` header.
    pub client_id: String,
    /// The `request-time` header: epoch milliseconds, as the Java and Go
    /// SDKs send it.
    pub request_time: String,
    /// The `signature` header: `algorithm=RSA256,keyVersion=N,signature=...`.
    pub signature: String,
}

/// A merchant's connection to an Antom-compatible gateway.
///
/// Cheap to share: wrap it in an `Arc` (or clone the `Arc`) and use it from
/// many tasks; the HTTP connection pool is inside.
///
/// Every call signs the request with your private key and verifies the
/// answer's signature with the gateway public key before looking at it. A
/// `resultStatus` of `S` is `Ok`; `F` and `U` are [`Error::Api`].
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
}

impl Client {
    /// Builds the client (and its HTTP connection pool; TLS by rustls on
    /// aws-lc-rs, gateways verified against the system's CA certificates).
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let builder = || {
            reqwest::Client::builder()
                .timeout(config.timeout)
                .connect_timeout(config.connect_timeout)
        };
        // reqwest builds no client when the system has no CA certificates:
        // build one that trusts none, so an http gateway (a local sandbox)
        // still works and an https one fails each call with a TLS error.
        let http = builder()
            .build()
            .or_else(|_| builder().tls_certs_only([]).build())?;
        Ok(Client { http, config })
    }

    /// The configuration the client was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// What verifies the notifications sent to you: the gateway public key
    /// and your client id, from this client's configuration.
    pub fn notification_verifier(&self) -> crate::notify::NotificationVerifier {
        crate::notify::NotificationVerifier::from_config(&self.config)
    }

    /// The path actually requested (and signed) for an API path: the first
    /// `/ams/api` becomes `/ams/sandbox/api` when
    /// [`ClientConfig::sandbox_paths`] is on, as in the official SDKs.
    pub fn path_for(&self, path: &str) -> String {
        if self.config.sandbox_paths {
            path.replacen("/ams/api", "/ams/sandbox/api", 1)
        } else {
            path.to_string()
        }
    }

    /// Sends a typed request (see [`crate::api`]) and parses the `S`
    /// answer into its typed response.
    ///
    /// ```no_run
    /// # async fn demo(client: cashier_client::Client) -> Result<(), cashier_client::Error> {
    /// use cashier_client::{InquiryPayment, PaymentStatus};
    ///
    /// let payment = client.send(&InquiryPayment::by_request_id("PAY-42")).await?;
    /// if payment.status == PaymentStatus::Success {
    ///     println!("paid {} at {:?}", payment.amount.display(), payment.paid_at);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn send<R: ApiRequest>(&self, request: &R) -> Result<R::Response, Error> {
        let body = request.body()?;
        let raw = self.send_raw(R::PATH, &body).await?;
        match raw.result {
            Some(r) if r.result_status == ResultStatus::S => R::parse(&raw.body),
            Some(r) => Err(Error::from_result(r)),
            None => Err(Error::Decode("the response has no result object".into())),
        }
    }

    /// [`Client::send`], repeated with the *same* request (same request id,
    /// same body) while the error [is retryable](Error::is_retryable), as
    /// docs/protocol.md §5.1 asks. See [`crate::retry`].
    pub async fn send_with_retry<R: ApiRequest>(
        &self,
        request: &R,
        policy: &RetryPolicy,
    ) -> Result<R::Response, Error> {
        policy.run(|_| self.send(request)).await
    }

    /// createPaymentSession with a wire body; see
    /// [`crate::CreatePaymentSession`] for the typed form.
    pub async fn create_payment_session(
        &self,
        req: &CreatePaymentSessionRequest,
    ) -> Result<CreatePaymentSessionResponse, Error> {
        self.execute(paths::CREATE_PAYMENT_SESSION, req).await
    }

    /// inquiryPayment with a wire body; see [`crate::InquiryPayment`].
    pub async fn inquiry_payment(
        &self,
        req: &InquiryPaymentRequest,
    ) -> Result<InquiryPaymentResponse, Error> {
        self.execute(paths::INQUIRY_PAYMENT, req).await
    }

    /// cancel with a wire body (by paymentId or paymentRequestId); see
    /// [`crate::CancelPayment`].
    pub async fn cancel(&self, req: &CancelRequest) -> Result<CancelResponse, Error> {
        self.execute(paths::CANCEL, req).await
    }

    /// refund with a wire body; see [`crate::RefundPayment`].
    /// `U REFUND_IN_PROCESS` comes back as [`Error::Api`]; retry with the
    /// same refundRequestId or call [`Client::inquiry_refund`].
    pub async fn refund(&self, req: &RefundRequest) -> Result<RefundResponse, Error> {
        self.execute(paths::REFUND, req).await
    }

    /// inquiryRefund with a wire body (by refundId or refundRequestId); see
    /// [`crate::InquiryRefund`].
    pub async fn inquiry_refund(
        &self,
        req: &InquiryRefundRequest,
    ) -> Result<InquiryRefundResponse, Error> {
        self.execute(paths::INQUIRY_REFUND, req).await
    }

    /// Sends any serialisable body to an API path and parses an `S`
    /// response into `T` (for APIs this crate has no type for).
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
            Some(r) => Err(Error::from_result(r)),
            None => Err(Error::Decode("the response has no result object".into())),
        }
    }

    /// Signs `body` for `path` (sandbox-rewritten as [`Client::path_for`]
    /// does) at the current time of [`ClientConfig::time_source`].
    ///
    /// ```
    /// use cashier_client::{Client, ClientConfig, PrivateKey};
    ///
    /// let merchant = PrivateKey::generate()?;
    /// let public = merchant.public_key();
    /// let gateway = PrivateKey::generate()?.public_key();
    /// let client = Client::new(ClientConfig::from_keys("http://127.0.0.1:8080", "SANDBOX_SHOP", merchant, gateway))?;
    /// let body = br#"{"paymentRequestId":"PAY-42"}"#;
    /// let signed = client.sign_request("/ams/api/v1/payments/inquiryPayment", body)?;
    /// assert_eq!(signed.path, "/ams/sandbox/api/v1/payments/inquiryPayment");
    /// cashier_client::verify_signature(&public, &signed.path, &signed.client_id, &signed.request_time, &signed.signature, body)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_request(&self, path: &str, body: &[u8]) -> Result<SignedRequest, Error> {
        let path = self.path_for(path);
        let request_time = (self.config.time_source)().timestamp_millis().to_string();
        let signature = sign_message(
            &self.config.private_key,
            self.config.key_version,
            &path,
            &self.config.client_id,
            &request_time,
            body,
        )
        .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(SignedRequest {
            path,
            client_id: self.config.client_id.clone(),
            request_time,
            signature,
        })
    }

    /// Signs and posts raw body bytes (exactly as given) to an API path,
    /// and verifies the response signature. The result is not interpreted:
    /// an `F` answer is an `Ok` here.
    pub async fn send_raw(&self, path: &str, body: &[u8]) -> Result<RawResponse, Error> {
        let signed = self.sign_request(path, body)?;
        let response = self
            .http
            .post(format!("{}{}", self.config.base_url, signed.path))
            .header("content-type", "application/json; charset=UTF-8")
            .header("client-id", &signed.client_id)
            .header("request-time", &signed.request_time)
            .header("signature", &signed.signature)
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
        let content = content_to_sign(
            "POST",
            &signed.path,
            client_id,
            response_time,
            text.as_bytes(),
        );
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
