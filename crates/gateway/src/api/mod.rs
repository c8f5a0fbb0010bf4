//! The Antom API: `POST /ams/api/v1/payments/*` and the `/ams/sandbox/api/`
//! aliases.
//!
//! One entry point ([`entry`]) owns the whole protocol envelope, in this
//! order (docs/protocol.md §4.1): route → method → content type → required headers
//! → client → body size → signature (key version, RSA) → `Request-Time`
//! freshness → the operation. Whatever happens, the answer is HTTP 200 with a
//! `result` object, signed with the gateway key and carrying lower-case
//! `client-id`, `response-time` and `signature` headers (§2.5): the official
//! SDKs turn anything else into an exception instead of a result. This is
//! the only place responses are signed.
//!
//! Routing is done here rather than by the router because the signature
//! covers the raw path (`//` and all), which must reach verification
//! untouched, and because unknown paths must still get a signed protocol
//! answer.
//!
//! Requests that fail authentication (nothing verified: a bad signature,
//! an unknown client id or key version, missing headers, an unknown path)
//! can come from anyone, and signing an answer costs an RSA signature, ten
//! times a verification. So their answers are signed through
//! [`SignedFailures`] (an identical answer in the same second reuses the
//! signature, which is deterministic), and an address that sends more than
//! `auth_failure_limit` of them a second gets unsigned HTTP 429s instead
//! (`ratelimit`). Its requests are still verified, so a merchant sharing
//! the address keeps working.

pub mod cancel;
pub mod clock;
pub mod create_payment_session;
pub mod fetch_report;
pub mod inquiry_payment;
pub mod inquiry_refund;
pub mod refund;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use cashier_protocol::signing::SignatureHeader;
use cashier_protocol::time::{format_datetime, parse_request_time};
use cashier_protocol::{ResultCode, WireResult};

use crate::api_log::ApiLog;
use crate::config::Config;
use crate::error::ApiError;
use crate::keys::GatewayKey;
use crate::merchant_cache::{MerchantCache, MerchantClocks};
use crate::metrics::Metrics;
use crate::ratelimit::RateLimits;
use crate::store::{ClientId, Merchant, Store};
use crate::workers::Workers;

/// The operations served, by the last path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    CreatePaymentSession,
    InquiryPayment,
    Cancel,
    Refund,
    InquiryRefund,
    FetchReport,
    AdvanceClock,
    InquiryClock,
}

impl Operation {
    /// The API's name, as in its path (metrics and logs).
    pub fn name(self) -> &'static str {
        match self {
            Operation::CreatePaymentSession => "createPaymentSession",
            Operation::InquiryPayment => "inquiryPayment",
            Operation::Cancel => "cancel",
            Operation::Refund => "refund",
            Operation::InquiryRefund => "inquiryRefund",
            Operation::FetchReport => "fetchReport",
            Operation::AdvanceClock => "advanceClock",
            Operation::InquiryClock => "inquiryClock",
        }
    }
}

/// Maps `/ams/api/v1/payments/X`, `/ams/sandbox/api/v1/payments/X`,
/// `.../v1/reports/fetch`, Cashier's `.../v1/testing/{advance,inquiry}Clock`
/// and the
/// double-slash spelling the SDKs use for some paths to an operation.
pub fn parse_api_path(path: &str) -> Option<Operation> {
    let rest = path
        .strip_prefix("/ams/sandbox/api/")
        .or_else(|| path.strip_prefix("/ams/api/"))?;
    let rest = rest.trim_start_matches('/');
    if rest == "v1/reports/fetch" {
        return Some(Operation::FetchReport);
    }
    if let Some(op) = rest.strip_prefix("v1/testing/") {
        return match op {
            "advanceClock" => Some(Operation::AdvanceClock),
            "inquiryClock" => Some(Operation::InquiryClock),
            _ => None,
        };
    }
    let op = rest.strip_prefix("v1/payments/")?;
    match op {
        "createPaymentSession" => Some(Operation::CreatePaymentSession),
        "inquiryPayment" => Some(Operation::InquiryPayment),
        "cancel" => Some(Operation::Cancel),
        "refund" => Some(Operation::Refund),
        "inquiryRefund" => Some(Operation::InquiryRefund),
        _ => None,
    }
}

/// An authenticated request, ready for an operation.
pub struct Authenticated {
    pub merchant: std::sync::Arc<Merchant>,
    pub body: Bytes,
}

/// What the API uses, and nothing else: built once per node by
/// `app::WebState::new`.
#[derive(Clone)]
pub struct ApiState {
    /// The payments domain: sessions, cancels, refunds, expiry.
    pub payments: Arc<crate::payments::Ports>,
    /// Lookups by reference, reports, merchants' clocks.
    pub store: Arc<dyn Store>,
    /// Merchants and their public keys for the signature checks.
    pub merchant_cache: Arc<MerchantCache>,
    /// Each merchant's clock, and real time for `request-time`.
    pub clocks: MerchantClocks,
    /// Signs every answer.
    pub gateway_key: Arc<GatewayKey>,
    /// Per-client and authentication-failure rate limits.
    pub limits: Arc<RateLimits>,
    pub metrics: Arc<Metrics>,
    /// The Developers page's request log (written here, read by the dashboard).
    pub api_log: Arc<ApiLog>,
    /// What `advanceClock` decides once a merchant's clock moved.
    pub workers: Arc<Workers>,
    pub settings: ApiSettings,
    /// Signatures of answers to requests that failed authentication, reused
    /// within their second.
    pub signed_failures: Arc<SignedFailures>,
}

/// The configuration the API reads.
#[derive(Clone, Copy, Debug)]
pub struct ApiSettings {
    /// Largest request body read.
    pub max_body_bytes: usize,
    /// How far a `request-time` may be from real time.
    pub request_time_window: std::time::Duration,
    /// `--sandbox-clocks`: whether `advanceClock` and `inquiryClock` work.
    pub sandbox_clocks: bool,
}

impl ApiSettings {
    pub fn of(config: &Config) -> ApiSettings {
        ApiSettings {
            max_body_bytes: config.max_body_bytes,
            request_time_window: config.request_time_window,
            sandbox_clocks: config.sandbox_clocks,
        }
    }
}

/// The single entry point for every `/ams/...` request.
pub async fn entry(State(svc): State<Arc<ApiState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    let client_id = header(&parts.headers, "client-id")
        .unwrap_or_default()
        .to_string();
    let started = std::time::Instant::now();
    let mut seen = Seen::default();
    let outcome = handle(&svc, &parts.method, &path, &parts.headers, body, &mut seen).await;
    let (op, body, code) = match outcome {
        Ok((op, answer)) => (Some(op), answer.body, answer.code),
        Err((op, e)) => (op, error_body(&e), e.code),
    };
    let ip = parts
        .extensions
        .get::<crate::client_addr::ClientAddr>()
        .map(|c| c.0);
    let response = if seen.authenticated {
        signed_response(&svc, &path, &client_id, body).await
    } else if ip.is_some_and(|ip| !svc.limits.allow_auth_failure(ip)) {
        svc.metrics.auth_failure("unsigned");
        svc.metrics.rate_limited("auth_failure");
        unsigned_throttled()
    } else {
        failure_response(&svc, &path, &client_id, body)
    };
    let elapsed = started.elapsed();
    let api = op.map_or("unknown", Operation::name);
    svc.metrics.api_request(api, code, elapsed);
    // Into the Developers page's log: a push onto a bounded in-memory
    // buffer that a background task writes to the store (no database write
    // here).
    let recorded = svc.api_log.record(
        &client_id,
        seen.client_known,
        seen.authenticated,
        op.map(Operation::name),
        code,
        elapsed,
        svc.clocks.now_ts(),
        seen.request_id.as_deref(),
    );
    if recorded == crate::api_log::Recorded::Dropped {
        svc.metrics.api_log_dropped("buffer_full", 1);
    }
    tracing::info!(
        api,
        client_id = truncate(&client_id, 64),
        result_code = code.as_str(),
        // Whole microseconds over 1000: prints as at most three decimals
        // (`3.015`), not float noise (`3.0149790000000003`).
        latency_ms = elapsed.as_micros() as f64 / 1000.0,
        payment_request_id = seen.request_id.as_deref(),
        client_ip = ip.map(tracing::field::display),
        "api request"
    );
    response
}

/// What [`entry`] learns about a request on the way, for its logs.
#[derive(Default)]
struct Seen {
    /// The `client-id` header named a registered merchant.
    client_known: bool,
    /// The request's signature verified with that merchant's key.
    authenticated: bool,
    /// The body's `paymentRequestId`, once the request is authenticated.
    request_id: Option<String>,
}

type Failure = (Option<Operation>, ApiError);

async fn handle(
    svc: &ApiState,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: Body,
    seen: &mut Seen,
) -> Result<(Operation, Answer), Failure> {
    let op = parse_api_path(path).ok_or_else(|| {
        (
            None,
            ApiError::new(
                ResultCode::NO_INTERFACE_DEF,
                format!("no API at {}", truncate(path, 200)),
            ),
        )
    })?;
    let fail = |e: ApiError| (Some(op), e);
    let auth = authenticate(svc, method, path, headers, body, seen)
        .await
        .map_err(fail)?;
    seen.request_id = peek_request_id(&auth.body);
    let body = match op {
        Operation::CreatePaymentSession => create_payment_session::handle(svc, &auth).await,
        Operation::InquiryPayment => inquiry_payment::handle(svc, &auth).await,
        Operation::Cancel => cancel::handle(svc, &auth).await,
        Operation::Refund => refund::handle(svc, &auth).await,
        Operation::InquiryRefund => inquiry_refund::handle(svc, &auth).await,
        Operation::FetchReport => fetch_report::handle(svc, &auth).await,
        Operation::AdvanceClock => clock::advance(svc, &auth).await,
        Operation::InquiryClock => clock::inquiry(svc, &auth).await,
    }
    .map_err(fail)?;
    Ok((op, body))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// A header the request must send exactly once. Two copies are refused: a
/// proxy or limiter reading the other copy would see another merchant, time
/// or signature than Cashier does.
fn required_header<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str, ApiError> {
    if headers.get_all(name).iter().nth(1).is_some() {
        return Err(ApiError::param(format!(
            "header {name} is sent more than once; send it once."
        )));
    }
    header(headers, name).ok_or_else(|| ApiError::param(format!("missing header {name}.")))
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Everything between the raw request and a verified merchant.
async fn authenticate(
    svc: &ApiState,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: Body,
    seen: &mut Seen,
) -> Result<Authenticated, ApiError> {
    if method != Method::POST {
        return Err(ApiError::new(
            ResultCode::METHOD_NOT_SUPPORTED,
            format!("{method} is not supported; use POST."),
        ));
    }
    if let Some(ct) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
        let ct = ct.to_ascii_lowercase();
        if ct.starts_with("multipart/") || ct.starts_with("application/x-www-form-urlencoded") {
            return Err(ApiError::new(
                ResultCode::MEDIA_TYPE_NOT_ACCEPTABLE,
                "the request body must be JSON (Content-Type: application/json; charset=UTF-8).",
            ));
        }
    }
    let client_id = ClientId::from(required_header(headers, "client-id")?);
    let request_time = required_header(headers, "request-time")?;
    let signature = required_header(headers, "signature")?;

    let merchant = svc
        .merchant_cache
        .merchant(svc.store.as_ref(), &client_id, svc.clocks.now_ts())
        .await?
        .ok_or_else(|| {
            ApiError::new(
                ResultCode::INVALID_CLIENT,
                format!("client id {} is not registered.", truncate(&client_id, 64)),
            )
        })?;
    seen.client_known = true;
    if merchant.status != "ACTIVE" {
        return Err(ApiError::of(ResultCode::INVALID_CLIENT_STATUS));
    }

    let limit = svc.settings.max_body_bytes;
    let body = to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::param(format!("the request body exceeds {limit} bytes.")))?;

    let parsed = SignatureHeader::parse(signature).map_err(|e| {
        ApiError::new(
            ResultCode::INVALID_SIGNATURE,
            format!("malformed signature header: {e}."),
        )
    })?;
    // A retired key answers exactly like an unknown version: KEY_NOT_FOUND,
    // before any verification, so it proves nothing and changes nothing.
    let key = svc
        .merchant_cache
        .key(
            svc.store.as_ref(),
            &client_id,
            parsed.key_version,
            svc.clocks.now_ts(),
        )
        .await?
        .filter(|k| k.is_active())
        .ok_or_else(|| {
            ApiError::new(
                ResultCode::KEY_NOT_FOUND,
                format!(
                    "no public key with keyVersion {} is registered for this client.",
                    parsed.key_version
                ),
            )
        })?;
    // A key whose bytes do not parse was logged when it was fetched.
    let public = key
        .public
        .as_ref()
        .ok_or_else(|| ApiError::of(ResultCode::KEY_NOT_FOUND))?;
    let content =
        cashier_protocol::signing::content_to_sign("POST", path, &client_id, request_time, &body);
    public.verify(&content, &parsed.signature).map_err(|_| {
        ApiError::new(
            ResultCode::INVALID_SIGNATURE,
            "the signature does not verify with the registered public key.",
        )
    })?;
    seen.authenticated = true;

    if !svc.limits.allow_client(&client_id) {
        svc.metrics.rate_limited("client");
        return Err(ApiError::of(ResultCode::REQUEST_TRAFFIC_EXCEED_LIMIT));
    }

    let window = svc.settings.request_time_window;
    if !window.is_zero() {
        let sent = parse_request_time(request_time).ok_or_else(|| {
            ApiError::param("request-time is not a valid time (epoch milliseconds or ISO-8601).")
        })?;
        let skew = (svc.clocks.now() - sent).num_milliseconds().unsigned_abs();
        if u128::from(skew) > window.as_millis() {
            return Err(ApiError::param(format!(
                "request-time is outside the accepted window of {} seconds.",
                window.as_secs()
            )));
        }
    }
    Ok(Authenticated { merchant, body })
}

/// The `paymentRequestId` of a request body, for the request log.
fn peek_request_id(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Peek<'a> {
        #[serde(rename = "paymentRequestId", borrow)]
        id: Option<std::borrow::Cow<'a, str>>,
    }
    let peek: Peek = serde_json::from_slice(body).ok()?;
    peek.id.map(|id| truncate(&id, 64))
}

fn error_body(e: &ApiError) -> String {
    serde_json::json!({ "result": e.to_result() }).to_string()
}

/// An operation's answer: its body, and the result code that body carries,
/// so the entry point counts and logs the code without reading the body back.
#[derive(Debug)]
pub struct Answer {
    pub body: String,
    pub code: ResultCode,
}

/// A response type with its `result`.
pub trait Answered: serde::Serialize {
    fn result(&self) -> &WireResult;
}

macro_rules! answered {
    ($($t:ty),* $(,)?) => {$(
        impl Answered for $t {
            fn result(&self) -> &WireResult {
                &self.result
            }
        }
    )*};
}

answered!(
    cashier_protocol::wire::CreatePaymentSessionResponse,
    cashier_protocol::wire::InquiryPaymentResponse,
    cashier_protocol::wire::CancelResponse,
    cashier_protocol::wire::RefundResponse,
    cashier_protocol::wire::InquiryRefundResponse,
    cashier_protocol::wire::ClockResponse,
    fetch_report::FetchReportResponse,
);

/// Serialises a response body with its `result`.
pub fn success_body<T: Answered>(value: &T) -> Answer {
    let result = value.result();
    Answer {
        body: serde_json::to_string(value).expect("response types serialise"),
        code: ResultCode::parse(&result.result_code).unwrap_or(ResultCode::UNKNOWN_EXCEPTION),
    }
}

pub fn success_result() -> WireResult {
    WireResult::success()
}

/// Signs and sends a response body: HTTP 200 and the three lower-case headers.
pub async fn signed_response(
    svc: &ApiState,
    path: &str,
    client_id: &str,
    body: String,
) -> Response {
    let response_time = format_datetime(svc.clocks.now());
    match svc
        .gateway_key
        .sign_header(path, client_id, &response_time, body.as_bytes())
    {
        Ok(signature) => respond(body, client_id, &response_time, &signature),
        Err(e) => signing_failed(&e),
    }
}

fn signing_failed(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "response signing failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "signing failed").into_response()
}

/// [`signed_response`] for a request that failed authentication: the
/// signature of an identical answer given in the same second is reused.
fn failure_response(svc: &ApiState, path: &str, client_id: &str, body: String) -> Response {
    let response_time = format_datetime(svc.clocks.now());
    let key = (path.to_string(), client_id.to_string(), body);
    // Only short keys are kept: paths and client ids are the sender's, and
    // the memo must stay small whatever they send.
    let memo = path.len() <= MEMO_KEY_MAX && client_id.len() <= MEMO_KEY_MAX;
    if let Some(signature) = memo
        .then(|| svc.signed_failures.get(&response_time, &key))
        .flatten()
    {
        svc.metrics.auth_failure("reused");
        return respond(key.2, client_id, &response_time, &signature);
    }
    match svc
        .gateway_key
        .sign_header(path, client_id, &response_time, key.2.as_bytes())
    {
        Ok(signature) => {
            svc.metrics.auth_failure("signed");
            if memo {
                svc.signed_failures
                    .put(&response_time, key.clone(), signature.clone());
            }
            respond(key.2, client_id, &response_time, &signature)
        }
        Err(e) => signing_failed(&e),
    }
}

/// The answer to an address over `auth_failure_limit`: HTTP 429 with a
/// protocol `result` (status `U`: slow down and retry) and no signature,
/// which is what the limit saves.
fn unsigned_throttled() -> Response {
    let e = ApiError::new(
        ResultCode::REQUEST_TRAFFIC_EXCEED_LIMIT,
        "too many requests from this address failed authentication; slow down.",
    );
    let mut response = (StatusCode::TOO_MANY_REQUESTS, error_body(&e)).into_response();
    let h = response.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    h.insert("retry-after", HeaderValue::from_static("1"));
    response
}

/// Most distinct failure answers whose signatures are kept for a second.
const SIGNED_FAILURES_KEPT: usize = 1024;
/// Longest path or client id whose answer's signature is kept.
const MEMO_KEY_MAX: usize = 256;

/// (path, client id, body) of an answer.
type AnswerKey = (String, String, String);

/// Signatures of the answers to requests that failed authentication, for
/// the current `response-time` second only: RSA PKCS#1 v1.5 signatures are
/// deterministic, so an identical answer in the same second has the same
/// signature, and a flood of identical forgeries costs one signature a
/// second. At most 1,024 are kept (`SIGNED_FAILURES_KEPT`).
#[derive(Default)]
pub struct SignedFailures {
    memo: Mutex<FailureMemo>,
}

#[derive(Default)]
struct FailureMemo {
    response_time: String,
    signatures: HashMap<AnswerKey, String>,
}

impl SignedFailures {
    fn get(&self, response_time: &str, key: &AnswerKey) -> Option<String> {
        let memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        if memo.response_time != response_time {
            return None;
        }
        memo.signatures.get(key).cloned()
    }

    fn put(&self, response_time: &str, key: AnswerKey, signature: String) {
        let mut memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        if memo.response_time != response_time {
            memo.response_time = response_time.to_string();
            memo.signatures.clear();
        }
        if memo.signatures.len() < SIGNED_FAILURES_KEPT {
            memo.signatures.insert(key, signature);
        }
    }
}

/// HTTP 200 with `body` and the three lower-case protocol headers.
fn respond(body: String, client_id: &str, response_time: &str, signature: &str) -> Response {
    let mut response = Response::new(Body::from(body));
    let h = response.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    // A client id that is not a valid header value cannot have been received.
    h.insert(
        "client-id",
        HeaderValue::from_str(client_id).unwrap_or(HeaderValue::from_static("")),
    );
    h.insert(
        "response-time",
        HeaderValue::from_str(response_time).expect("formatted times are ASCII"),
    );
    h.insert(
        "signature",
        HeaderValue::from_str(signature).expect("signature headers are ASCII"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_production_sandbox_and_double_slash_paths() {
        assert_eq!(
            parse_api_path("/ams/api/v1/payments/createPaymentSession"),
            Some(Operation::CreatePaymentSession)
        );
        assert_eq!(
            parse_api_path("/ams/sandbox/api/v1/payments/inquiryPayment"),
            Some(Operation::InquiryPayment)
        );
        assert_eq!(
            parse_api_path("/ams/api//v1/payments/inquiryPayment"),
            Some(Operation::InquiryPayment)
        );
        assert_eq!(
            parse_api_path("/ams/sandbox/api/v1/reports/fetch"),
            Some(Operation::FetchReport)
        );
        assert_eq!(parse_api_path("/ams/api/v1/reports/nope"), None);
        assert_eq!(parse_api_path("/ams/api/v2/payments/inquiryPayment"), None);
        assert_eq!(parse_api_path("/ams/api/v1/payments/nope"), None);
        assert_eq!(parse_api_path("/api/v1/payments/inquiryPayment"), None);
    }
}
