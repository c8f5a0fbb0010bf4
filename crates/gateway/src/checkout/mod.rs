//! The hosted checkout page: HTTP handlers around `cashier-pages`.
//!
//! URL map (the token is the session's unguessable checkout token; nothing
//! here accepts an internal id without it):
//!
//! | route | what |
//! |---|---|
//! | `GET  /checkout/{token}` | the page, or the final state of the payment |
//! | `POST /checkout/{token}/pay` | a card or wallet attempt; answers 303 to the attempt page |
//! | `GET  /checkout/{token}/attempts/{id}` | one attempt: result, 3-D Secure challenge, wallet QR, or processing |
//! | `POST /checkout/{token}/attempts/{id}/challenge` | 3-D Secure outcome |
//! | `GET  /checkout/{token}/status`, `.../attempts/{id}/status` | JSON polled by the page |
//! | `GET/POST /sandbox/wallet/{wallet_token}` | the sandbox wallet (the buyer's phone: no cookies) |
//! | `GET  /logos/{name}` | merchant logos, from the store ([`logos`]) |
//!
//! Forms carry a CSRF token that is an HMAC of the checkout (or wallet)
//! token under a secret derived from the gateway key: it needs no cookie,
//! so the wallet page works in another browser, and any node can check it.
//! Every POST follows Post/Redirect/Get, and attempts are keyed by a
//! per-render nonce, so a double click or a reload never pays twice.

use std::collections::HashMap;
use std::sync::Arc;

use crate::clock::format_timestamp;
use aws_lc_rs::{constant_time, hmac};
use axum::extract::{FromRef, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use cashier_pages as pages;
use cashier_pages::{Brand, Locale, ResultKind};
use cashier_protocol::{Amount, ResultCode};

use crate::ids;
use crate::merchant_cache::MerchantClocks;
use crate::metrics::Metrics;
use crate::payments::state::{AttemptState, PaymentStatus};
use crate::payments::{self, PayResult, PaymentError};
use crate::processor::methods::{self, MethodKind};
use crate::processor::CardError;
use crate::processor::{journeys, WalletDecision};
use crate::ratelimit::RateLimits;
use crate::store::{Attempt, AttemptId, Merchant, Payment, Store};

pub mod logos;
pub mod throttle;

/// Reading the page's forms: pure functions of the decoded fields, kept apart
/// from the handlers so that `fuzz/fuzz_targets/checkout_form.rs` can drive
/// them with arbitrary bytes (decoded as axum's `Form` does).
pub mod form {
    use std::collections::HashMap;

    use chrono::{DateTime, Utc};

    use crate::processor::{CardError, CardInput, WalletDecision};

    /// The decoded fields of a form body.
    pub type Fields = HashMap<String, String>;

    /// A field's value, or `""` when absent.
    pub fn field<'a>(form: &'a Fields, name: &str) -> &'a str {
        form.get(name).map(String::as_str).unwrap_or("")
    }

    /// The per-render nonce that keys an attempt, if present and sane.
    pub fn attempt_nonce(form: &Fields) -> Option<&str> {
        form.get("attempt_nonce")
            .map(String::as_str)
            .filter(|n| !n.is_empty() && n.len() <= 64)
    }

    /// The card fields of the pay form, validated at `now`.
    pub fn card(form: &Fields, now: DateTime<Utc>) -> Result<CardInput, CardError> {
        CardInput::parse(
            field(form, "card_number"),
            field(form, "card_expiry"),
            field(form, "card_cvc"),
            field(form, "card_name"),
            now,
        )
    }

    /// The 3-D Secure form's outcome: passed or failed; `None` if unknown.
    pub fn challenge_passed(form: &Fields) -> Option<bool> {
        match form.get("outcome").map(String::as_str) {
            Some("complete") => Some(true),
            Some("fail") => Some(false),
            _ => None,
        }
    }

    /// The sandbox wallet's decision; `None` if unknown.
    pub fn wallet_decision(form: &Fields) -> Option<WalletDecision> {
        match form.get("decision").map(String::as_str) {
            Some("approve") => Some(WalletDecision::Approve),
            Some("decline") => Some(WalletDecision::Decline),
            Some("pending") => Some(WalletDecision::LeavePending),
            _ => None,
        }
    }
}

/// What the hosted pages use, and nothing else: built once per node by
/// `app::WebState::new`.
#[derive(Clone)]
pub struct CheckoutState {
    /// The payments domain: sessions, attempts, wallet decisions.
    pub payments: Arc<payments::Ports>,
    /// Reads of payments, attempts and logos.
    pub store: Arc<dyn Store>,
    /// Each merchant's clock (what a page shows as "now").
    pub clocks: MerchantClocks,
    /// The key of the pages' CSRF tokens (HMACs of the checkout token),
    /// derived from the gateway key.
    pub csrf_key: hmac::Key,
    /// The token-guessing guard ([`throttle`]).
    pub limits: Arc<RateLimits>,
    pub metrics: Arc<Metrics>,
    /// Logos this node served (they never change under a name).
    pub logos: Arc<logos::LogoCache>,
    pub settings: CheckoutSettings,
}

/// The configuration the hosted pages read.
#[derive(Clone, Debug)]
pub struct CheckoutSettings {
    /// Base URL without trailing slash (the sandbox wallet's QR link).
    pub public_url: Arc<str>,
    /// Seconds before a result page sends the buyer back to the merchant.
    pub redirect_delay_secs: u32,
}

pub fn routes<S>() -> Router<S>
where
    Arc<CheckoutState>: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/checkout/{token}", get(show_checkout))
        .route("/checkout/{token}/pay", post(pay).get(pay_by_get))
        .route("/checkout/{token}/status", get(payment_status))
        .route("/checkout/{token}/attempts/{attempt}", get(show_attempt))
        .route(
            "/checkout/{token}/attempts/{attempt}/status",
            get(attempt_status),
        )
        .route(
            "/checkout/{token}/attempts/{attempt}/challenge",
            post(challenge),
        )
        .route(
            "/sandbox/wallet/{wallet}",
            get(show_wallet).post(wallet_decide),
        )
        .route("/assets/checkout.css", get(css))
        .route("/assets/checkout.js", get(js))
        .route("/logos/{file}", get(logos::logo))
        .route("/assets/accent/{file}", get(accent_css))
        .layer(axum::middleware::from_fn(remember_locale))
}

/// `GET /checkout/<token>/pay`: the address of a page that answered the card form (a
/// refused card, a finished payment), opened again — a reload, or a link of the
/// language list (`?locale=`) — goes to the checkout, with the same query.
async fn pay_by_get(uri: axum::http::Uri) -> Response {
    // The raw (still percent-encoded) path and query: valid in a Location header.
    let checkout = uri.path().strip_suffix("/pay").unwrap_or("/");
    let to = match uri.query() {
        Some(q) => format!("{checkout}?{q}"),
        None => checkout.to_owned(),
    };
    Redirect::to(&to).into_response()
}

/// The cookie that keeps a buyer's choice from the language list for one checkout.
const LOCALE_COOKIE: &str = "cashier_locale";

/// A page opened with a supported `?locale=` (the language list's links) under
/// `/checkout/<token>` sets a cookie scoped to that checkout's path, so the pages after
/// it (the card form's answer, an attempt, the result) keep the buyer's language
/// without carrying the parameter. Session-only, `HttpOnly`, `SameSite=Lax`.
async fn remember_locale(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let chosen = query_locale(req.uri()).and_then(|v| Locale::parse(&v));
    let scope = req
        .uri()
        .path()
        .strip_prefix("/checkout/")
        .and_then(|rest| rest.split('/').next())
        .filter(|token| {
            !token.is_empty()
                && token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(|token| format!("/checkout/{token}"));
    let mut response = next.run(req).await;
    if let (Some(locale), Some(path)) = (chosen, scope) {
        let cookie = format!(
            "{LOCALE_COOKIE}={}; Path={path}; HttpOnly; SameSite=Lax",
            locale.code()
        );
        if let Ok(v) = header::HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// The `locale` parameter of a page address, as given (not yet parsed).
pub fn query_locale(uri: &axum::http::Uri) -> Option<String> {
    let q = uri.query()?;
    url::form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == "locale")
        .map(|(_, v)| v.into_owned())
}

/// The locale kept by [`remember_locale`], from the `Cookie` header.
fn remembered_locale(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == LOCALE_COOKIE).then_some(value)
        })
}

/// Failures of page handlers: rendered as readable pages, never as JSON.
enum PageError {
    NotFound(Locale),
    BadRequest(Locale, String),
    Internal(Locale),
}

impl PageError {
    /// A form that names an outcome, decision or plan the page never offered
    /// (only a tampered or stale form does): the generic 400 in `locale`.
    fn unknown_choice(locale: Locale) -> PageError {
        PageError::BadRequest(
            locale,
            pages::strings(locale).error_bad_request_message.into(),
        )
    }

    /// The one mapping of the domain's errors to the buyer: a sentence of the
    /// page's catalogue in `locale` (the language the page was rendered in),
    /// never the merchant-facing text. Status codes: 400, or 503 when the
    /// outcome is unknown (a store failure, a cancel that raced).
    fn payment(locale: Locale, e: PaymentError) -> PageError {
        use PaymentError as E;
        let t = pages::strings(locale);
        let message = match e {
            E::Store(e) => return PageError::store(locale, e),
            E::CancelRaced => return PageError::Internal(locale),
            E::NotFound { .. } => t.error_not_found_message,
            E::SessionPaid | E::AlreadyFinal(PaymentStatus::Success) => t.msg_already_paid,
            E::SessionClosed | E::AlreadyFinal(_) => t.msg_payment_closed,
            E::MethodCannotPay { .. } | E::NoMethodAvailable { .. } => t.msg_method_unavailable,
            // The merchant's integration and the merchant's own operations
            // (cancel, refund): nothing the buyer can change.
            E::UnknownMethod { .. }
            | E::NotifyUrlRefused(_)
            | E::StrictRefusal(_)
            | E::Settlement(_)
            | E::SessionReused { .. }
            | E::RefundReused { .. }
            | E::CancelClosed
            | E::CancelRefunded
            | E::CancelNeverAllowed
            | E::CancelWindowPassed { .. }
            | E::NotRefundable(_)
            | E::RefundCurrency(_)
            | E::RefundWindowPassed
            | E::RefundExceeds { .. } => t.error_bad_request_message,
        };
        PageError::BadRequest(locale, message.into())
    }

    /// A store failure, logged, as the internal-error page in `locale`.
    fn store(locale: Locale, e: crate::store::StoreError) -> PageError {
        tracing::error!(error = %e, "store failure on the hosted page");
        PageError::Internal(locale)
    }
}

impl From<crate::store::StoreError> for PageError {
    fn from(e: crate::store::StoreError) -> PageError {
        PageError::store(Locale::default(), e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, view) = match self {
            PageError::NotFound(l) => (StatusCode::NOT_FOUND, pages::ErrorView::not_found(l)),
            PageError::BadRequest(l, m) => (
                StatusCode::BAD_REQUEST,
                pages::ErrorView::bad_request(l, Some(m)),
            ),
            PageError::Internal(l) => (
                StatusCode::SERVICE_UNAVAILABLE,
                pages::ErrorView::unavailable(l),
            ),
        };
        (status, Html(pages::render_error(&view))).into_response()
    }
}

type PageResult = Result<Response, PageError>;

fn csrf_token(svc: &CheckoutState, purpose: &str, token: &str) -> String {
    let tag = hmac::sign(&svc.csrf_key, format!("{purpose}|{token}").as_bytes());
    hex::encode(&tag.as_ref()[..16])
}

fn csrf_ok(svc: &CheckoutState, purpose: &str, token: &str, presented: Option<&String>) -> bool {
    let expected = csrf_token(svc, purpose, token);
    presented.is_some_and(|p| {
        constant_time::verify_slices_are_equal(p.as_bytes(), expected.as_bytes()).is_ok()
    })
}

fn locale_for(
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    session: Option<&str>,
) -> Locale {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    // The buyer's own choice (this request's `?locale=`, else the one kept for this
    // checkout) outranks the merchant's `locale`, which outranks the browser's.
    let explicit = query
        .get("locale")
        .map(String::as_str)
        .filter(|l| Locale::parse(l).is_some())
        .or_else(|| remembered_locale(headers));
    Locale::negotiate(explicit, session, accept)
}

async fn load(svc: &CheckoutState, token: &str) -> Result<(Payment, Merchant), PageError> {
    let payment = svc
        .store
        .payment_by_token(token)
        .await?
        .ok_or(PageError::NotFound(Locale::default()))?;
    let merchant = svc
        .store
        .merchant(&payment.client_id)
        .await?
        .ok_or(PageError::NotFound(Locale::default()))?;
    let payment = payments::expire_if_due(&svc.payments, &merchant, payment).await?;
    Ok((payment, merchant))
}

fn brand(merchant: &Merchant) -> Brand {
    Brand {
        name: merchant.brand_name.clone(),
        logo_url: merchant.logo_file.as_ref().map(|f| format!("/logos/{f}")),
        accent_color: merchant.accent_color.clone(),
    }
}

/// A method's name on the page: brand names as they are, the generic ones ("Card",
/// "FPX online banking") in the page's language.
fn method_label(locale: Locale, mi: &methods::MethodInfo) -> &'static str {
    let t = pages::strings(locale);
    match mi.code {
        "CARD" => t.method_card,
        "ONLINEBANKING_FPX" => t.method_onlinebanking_fpx,
        _ => mi.display_name,
    }
}

/// `a` written the way `locale` writes money (CLDR).
fn local_amount(locale: Locale, a: Amount) -> String {
    let c = a.currency();
    pages::money::format(locale, c.code(), c.exponent(), i128::from(a.minor()))
}

fn checkout_view(
    svc: &CheckoutState,
    p: &Payment,
    m: &Merchant,
    locale: Locale,
    error: Option<String>,
    name: &str,
    expiry: &str,
) -> pages::CheckoutView {
    let token = &p.checkout_token;
    let codes = &p.methods.codes;
    let express = &p.methods.express;
    let selected = p
        .preselected_method
        .clone()
        .or_else(|| codes.first().cloned())
        .unwrap_or_default();
    pages::CheckoutView {
        locale,
        brand: brand(m),
        order_description: p.order_description.clone(),
        goods: p
            .goods
            .iter()
            .map(|g| pages::GoodsLine {
                // An item without a goodsName (an integration warning) is
                // shown by its id, else by the order's description.
                name: [&g.name, &g.reference_goods_id]
                    .into_iter()
                    .find(|n| !n.is_empty())
                    .unwrap_or(&p.order_description)
                    .clone(),
                quantity: g.quantity,
                unit_price: local_amount(locale, Amount::new(p.amount.currency(), g.unit_minor)),
                line_total: local_amount(locale, Amount::new(p.amount.currency(), g.line_minor)),
            })
            .collect(),
        total: local_amount(locale, p.amount),
        expires_at_iso: format_timestamp(p.session_expires_at),
        // The countdown runs on the buyer's (real) clock: the expiry as a
        // real instant, whatever the merchant's sandbox clock says.
        expires_at_epoch_ms: p.session_expires_at.millis() - svc.clocks.offset_of(m),
        methods: codes
            .iter()
            .filter(|c| !express.contains(c))
            .filter_map(|c| methods::method(c))
            .map(|mi| pages::MethodOption {
                code: mi.code.into(),
                display_name: method_label(locale, mi).into(),
                is_card: mi.kind == MethodKind::Card,
                selected: mi.code == selected,
            })
            .collect(),
        express: express
            .iter()
            .filter_map(|c| methods::method(c))
            .map(|mi| pages::MethodOption {
                code: mi.code.into(),
                display_name: method_label(locale, mi).into(),
                ..Default::default()
            })
            .collect(),
        pay_action: format!("/checkout/{token}/pay"),
        status_url: format!("/checkout/{token}/status"),
        csrf_token: csrf_token(svc, "checkout", token),
        attempt_nonce: ids::token(16),
        error,
        card_name_value: name.into(),
        card_expiry_value: expiry.into(),
        card_brand: String::new(),
    }
}

/// The brand of a typed card number, once four digits tell it; empty for
/// fewer digits or a number of no known brand.
fn card_brand_hint(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    match crate::processor::card::brand_of(&digits) {
        "Card" => String::new(),
        _ if digits.len() < 4 => String::new(),
        brand => brand.to_string(),
    }
}

fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

/// The page for a payment that is no longer payable.
fn final_page(
    svc: &CheckoutState,
    p: &Payment,
    m: &Merchant,
    locale: Locale,
    detail: Option<String>,
) -> Response {
    let (kind, status) = match p.status {
        PaymentStatus::Success => (ResultKind::Success, StatusCode::OK),
        PaymentStatus::Cancelled => (ResultKind::Cancelled, StatusCode::GONE),
        PaymentStatus::Fail if p.result_code == ResultCode::ORDER_IS_CLOSED.as_str() => {
            (ResultKind::Expired, StatusCode::GONE)
        }
        PaymentStatus::Fail => (ResultKind::Failed, StatusCode::OK),
        PaymentStatus::Pending | PaymentStatus::Processing => {
            (ResultKind::Processing, StatusCode::OK)
        }
    };
    let detail =
        detail.or_else(|| (kind == ResultKind::Failed).then(|| payment_failure_message(locale, p)));
    let processing = kind == ResultKind::Processing;
    let view = pages::ResultView {
        locale,
        brand: brand(m),
        kind,
        detail,
        total: local_amount(locale, p.amount),
        redirect_url: Some(p.redirect_url.clone()),
        redirect_after_secs: if processing {
            0
        } else {
            svc.settings.redirect_delay_secs.max(3)
        },
        try_again_url: None,
        status_url: processing.then(|| format!("/checkout/{}/status", p.checkout_token)),
    };
    html(status, pages::render_result(&view))
}

async fn show_checkout(
    State(svc): State<Arc<CheckoutState>>,
    Path(token): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> PageResult {
    let (p, m) = load(&svc, &token).await?;
    let locale = locale_for(&headers, &query, p.locale.as_deref());
    if !p.status.is_open() {
        return Ok(final_page(&svc, &p, &m, locale, None));
    }
    Ok(html(
        StatusCode::OK,
        pages::render_checkout(&checkout_view(&svc, &p, &m, locale, None, "", "")),
    ))
}

async fn pay(
    State(svc): State<Arc<CheckoutState>>,
    Path(token): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let (p, m) = load(&svc, &token).await?;
    let locale = locale_for(&headers, &query, p.locale.as_deref());
    if !csrf_ok(&svc, "checkout", &token, form.get("csrf_token")) {
        return Err(PageError::BadRequest(
            locale,
            pages::strings(locale).msg_form_stale.into(),
        ));
    }
    let nonce = form::attempt_nonce(&form)
        .map(str::to_string)
        .unwrap_or_else(ids::secret_token);
    // A resubmitted form (double click, reload) lands on its own attempt,
    // whatever happened to the payment since.
    if let Some(existing) = form_attempt(&svc, &p, &nonce).await? {
        return Ok(Redirect::to(&format!("/checkout/{token}/attempts/{existing}")).into_response());
    }
    if !p.status.is_open() {
        let detail = (p.status == PaymentStatus::Success)
            .then(|| pages::strings(locale).msg_already_paid.to_string());
        return Ok(final_page(&svc, &p, &m, locale, detail));
    }
    // An express button names its method in `express`; the list in `method`.
    let method = form
        .get("express")
        .or_else(|| form.get("method"))
        .map(String::as_str)
        .unwrap_or("");
    let Some(info) =
        methods::method(method).filter(|mi| p.methods.codes.iter().any(|c| c == mi.code))
    else {
        let view = checkout_view(
            &svc,
            &p,
            &m,
            locale,
            Some(pages::strings(locale).msg_choose_method.into()),
            "",
            "",
        );
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::render_checkout(&view),
        ));
    };
    let field = |k: &str| form::field(&form, k);
    let result = match info.kind {
        MethodKind::Card => {
            let today = svc.clocks.merchant_now(&m).to_datetime();
            let card = match form::card(&form, today) {
                Ok(card) => card,
                Err(e) => {
                    let mut view = checkout_view(
                        &svc,
                        &p,
                        &m,
                        locale,
                        Some(card_error_message(locale, e)),
                        field("card_name"),
                        field("card_expiry"),
                    );
                    // The number is not re-filled, but its brand is shown,
                    // as the script shows it while the buyer types.
                    view.card_brand = card_brand_hint(field("card_number"));
                    return Ok(html(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        pages::render_checkout(&view),
                    ));
                }
            };
            payments::pay_card(&svc.payments, &m, p.clone(), &nonce, &card)
                .await
                .map_err(|e| PageError::payment(locale, e))?
        }
        // Every other family completes away from the page.
        MethodKind::Wallet
        | MethodKind::OnlineBanking
        | MethodKind::BankTransfer
        | MethodKind::Otc
        | MethodKind::PayLater
        | MethodKind::Sheet => {
            payments::start_wallet(&svc.payments, &m, p.clone(), &nonce, info.code)
                .await
                .map_err(|e| PageError::payment(locale, e))?
        }
    };
    let attempt_id = form_attempt(&svc, &p, &nonce).await?;
    after_attempt(&svc, &p, &m, locale, result, attempt_id).await
}

/// The attempt a form created, if any: attempts are unique per (payment, nonce).
async fn form_attempt(
    svc: &CheckoutState,
    p: &Payment,
    nonce: &str,
) -> Result<Option<AttemptId>, PageError> {
    Ok(svc
        .store
        .attempts(&p.payment_id)
        .await?
        .into_iter()
        .find(|a| a.nonce == nonce)
        .map(|a| a.attempt_id))
}

/// Where the buyer goes after acting: the attempt's own page (PRG).
/// `attempt_id` is the attempt this action created or resumed, if any.
async fn after_attempt(
    svc: &CheckoutState,
    p: &Payment,
    m: &Merchant,
    locale: Locale,
    result: PayResult,
    attempt_id: Option<AttemptId>,
) -> Result<Response, PageError> {
    let token = &p.checkout_token;
    Ok(match (result, attempt_id) {
        (PayResult::AlreadyFinal(_), _) => {
            let current = svc
                .store
                .payment(&p.payment_id)
                .await?
                .unwrap_or_else(|| p.clone());
            let detail = (current.status == PaymentStatus::Success)
                .then(|| pages::strings(locale).msg_already_paid.to_string());
            final_page(svc, &current, m, locale, detail)
        }
        (_, Some(id)) => Redirect::to(&format!("/checkout/{token}/attempts/{id}")).into_response(),
        (_, None) => Redirect::to(&format!("/checkout/{token}")).into_response(),
    })
}

async fn load_attempt(
    svc: &CheckoutState,
    p: &Payment,
    attempt_id: &str,
) -> Result<Attempt, PageError> {
    svc.store
        .attempt(&AttemptId::from(attempt_id))
        .await?
        .filter(|a| a.payment_id == p.payment_id)
        .ok_or(PageError::NotFound(Locale::default()))
}

async fn show_attempt(
    State(svc): State<Arc<CheckoutState>>,
    Path((token, attempt_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> PageResult {
    let (p, m) = load(&svc, &token).await?;
    let a = load_attempt(&svc, &p, &attempt_id).await?;
    let locale = locale_for(&headers, &query, p.locale.as_deref());
    let method_name = methods::method(&a.method)
        .map(|mi| method_label(locale, mi))
        .unwrap_or(a.method.as_str());
    let view = |kind, detail: Option<String>, try_again: bool, poll: bool| pages::ResultView {
        locale,
        brand: brand(&m),
        kind,
        detail,
        total: local_amount(locale, p.amount),
        redirect_url: Some(p.redirect_url.clone()),
        redirect_after_secs: if try_again || poll {
            0
        } else {
            svc.settings.redirect_delay_secs.max(3)
        },
        try_again_url: try_again.then(|| format!("/checkout/{token}")),
        status_url: poll.then(|| format!("/checkout/{token}/attempts/{attempt_id}/status")),
    };
    let page = match a.state {
        AttemptState::Succeeded => {
            pages::render_result(&view(ResultKind::Success, None, false, false))
        }
        AttemptState::NotCharged | AttemptState::Rejected => {
            return Ok(final_page(
                &svc,
                &p,
                &m,
                locale,
                (p.status == PaymentStatus::Success)
                    .then(|| pages::strings(locale).msg_already_paid.to_string()),
            ))
        }
        AttemptState::Declined if p.status.is_open() => pages::render_result(&view(
            ResultKind::Failed,
            Some(decline_message(locale, &a)),
            true,
            false,
        )),
        _ if !p.status.is_open() && p.status != PaymentStatus::Pending => {
            return Ok(final_page(&svc, &p, &m, locale, None))
        }
        AttemptState::Declined => return Ok(final_page(&svc, &p, &m, locale, None)),
        AttemptState::Challenge => pages::render_challenge(&pages::ChallengeView {
            locale,
            brand: brand(&m),
            total: local_amount(locale, p.amount),
            card_label: format!(
                "{} •••• {}",
                a.card_brand.as_deref().unwrap_or("Card"),
                a.card_last4.as_deref().unwrap_or("")
            ),
            action: format!("/checkout/{token}/attempts/{attempt_id}/challenge"),
            csrf_token: csrf_token(&svc, "checkout", &token),
        }),
        // An express wallet's attempt is its payment sheet.
        AttemptState::Wallet
            if methods::method(&a.method).is_some_and(|mi| mi.kind == MethodKind::Sheet)
                && p.status.is_open() =>
        {
            let wallet_token = a.wallet_token.as_deref().unwrap_or("");
            return Ok(Redirect::to(&format!("/sandbox/wallet/{wallet_token}")).into_response());
        }
        AttemptState::Wallet => {
            let wallet_token = a.wallet_token.as_deref().unwrap_or("");
            let wallet_url = format!("{}/sandbox/wallet/{wallet_token}", svc.settings.public_url);
            let journey = page_journey(&a.method, wallet_token, &wallet_url);
            pages::render_wallet(&pages::WalletView {
                locale,
                brand: brand(&m),
                method_display_name: method_name.into(),
                total: local_amount(locale, p.amount),
                // Drawn by the template from wallet_url, labelled in the page's language.
                qr_svg: String::new(),
                wallet_url,
                status_url: format!("/checkout/{token}/attempts/{attempt_id}/status"),
                checkout_url: format!("/checkout/{token}"),
                expires_at_iso: format_timestamp(p.session_expires_at),
                expires_at_epoch_ms: p.session_expires_at.millis() - svc.clocks.offset_of(&m),
                mobile: is_mobile(&p),
                returned: query.contains_key("returned"),
                returned_url: format!("/checkout/{token}/attempts/{attempt_id}?returned=1"),
                journey,
            })
        }
        AttemptState::Submitted | AttemptState::Async => {
            pages::render_result(&view(ResultKind::Processing, None, false, true))
        }
    };
    Ok(html(StatusCode::OK, page))
}

async fn challenge(
    State(svc): State<Arc<CheckoutState>>,
    Path((token, attempt_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let (p, m) = load(&svc, &token).await?;
    let locale = locale_for(&headers, &query, p.locale.as_deref());
    if !csrf_ok(&svc, "checkout", &token, form.get("csrf_token")) {
        return Err(PageError::BadRequest(
            locale,
            pages::strings(locale).msg_form_stale.into(),
        ));
    }
    let a = load_attempt(&svc, &p, &attempt_id).await?;
    let Some(passed) = form::challenge_passed(&form) else {
        return Err(PageError::unknown_choice(locale));
    };
    let result = payments::complete_challenge(&svc.payments, &m, p.clone(), &a, passed)
        .await
        .map_err(|e| PageError::payment(locale, e))?;
    if let PayResult::AlreadyFinal(_) = result {
        return after_attempt(&svc, &p, &m, locale, result, None).await;
    }
    Ok(Redirect::to(&format!("/checkout/{token}/attempts/{attempt_id}")).into_response())
}

#[derive(serde::Serialize)]
struct StatusBody {
    state: &'static str,
    redirect: String,
}

/// JSON for the page's polling; with `?html=1` (the no-JavaScript "I have
/// paid" link) a redirect to the page that shows the current state.
fn status_answer(waiting: bool, redirect: String, query: &HashMap<String, String>) -> Response {
    if query.contains_key("html") {
        return Redirect::to(&redirect).into_response();
    }
    let state = if waiting { "pending" } else { "final" };
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(StatusBody { state, redirect }),
    )
        .into_response()
}

async fn payment_status(
    State(svc): State<Arc<CheckoutState>>,
    Path(token): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let (p, _) = load(&svc, &token).await?;
    Ok(status_answer(
        !p.status.is_final(),
        format!("/checkout/{token}"),
        &query,
    ))
}

async fn attempt_status(
    State(svc): State<Arc<CheckoutState>>,
    Path((token, attempt_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let (p, _) = load(&svc, &token).await?;
    let a = load_attempt(&svc, &p, &attempt_id).await?;
    let waiting = a.state.is_open() && !p.status.is_final();
    // A mobile buyer who checks too early stays on the status check rather
    // than being sent back to "Open the app".
    let returned = if waiting && a.state == AttemptState::Wallet && is_mobile(&p) {
        "?returned=1"
    } else {
        ""
    };
    Ok(status_answer(
        waiting,
        format!("/checkout/{token}/attempts/{attempt_id}{returned}"),
        &query,
    ))
}

async fn wallet_context(
    svc: &CheckoutState,
    wallet: &str,
) -> Result<(Attempt, Payment, Merchant), PageError> {
    let a = svc
        .store
        .attempt_by_wallet_token(wallet)
        .await?
        .ok_or(PageError::NotFound(Locale::default()))?;
    let p = svc
        .store
        .payment(&a.payment_id)
        .await?
        .ok_or(PageError::NotFound(Locale::default()))?;
    let m = svc
        .store
        .merchant(&p.client_id)
        .await?
        .ok_or(PageError::NotFound(Locale::default()))?;
    let p = payments::expire_if_due(&svc.payments, &m, p).await?;
    Ok((a, p, m))
}

/// What the wallet page asks of the buyer, by the method's family.
fn page_journey(method: &str, wallet_token: &str, wallet_url: &str) -> pages::Journey {
    match methods::method(method).map(|m| m.kind) {
        Some(MethodKind::OnlineBanking) => pages::Journey::Bank {
            banks: journeys::FPX_BANKS
                .iter()
                .map(|(code, name)| (name.to_string(), format!("{wallet_url}?bank={code}")))
                .collect(),
        },
        Some(MethodKind::BankTransfer) => {
            let (bank, account) = journeys::virtual_account(method, wallet_token);
            pages::Journey::Transfer {
                bank: bank.into(),
                account,
            }
        }
        Some(MethodKind::Otc) => pages::Journey::Store {
            code: journeys::payment_code(wallet_token),
        },
        Some(MethodKind::PayLater) => pages::Journey::PayLater,
        Some(MethodKind::Sheet) => pages::Journey::Sheet,
        Some(MethodKind::Wallet | MethodKind::Card) | None => pages::Journey::Wallet,
    }
}

/// What the sandbox page stands in for, by the method's family; `bank` is
/// the FPX bank the buyer picked (`?bank=`).
fn sandbox_journey(a: &Attempt, wallet: &str, bank: Option<&str>) -> pages::SandboxJourney {
    match methods::method(&a.method).map(|m| m.kind) {
        Some(MethodKind::OnlineBanking) => pages::SandboxJourney::Bank {
            bank: bank.and_then(journeys::fpx_bank).unwrap_or_default().into(),
        },
        Some(MethodKind::BankTransfer) => pages::SandboxJourney::Transfer {
            account: journeys::virtual_account(&a.method, wallet).1,
        },
        Some(MethodKind::Otc) => pages::SandboxJourney::Store {
            code: journeys::payment_code(wallet),
        },
        Some(MethodKind::PayLater) => pages::SandboxJourney::PayLater {
            plans: journeys::INSTALMENT_PLANS.to_vec(),
        },
        Some(MethodKind::Sheet) => pages::SandboxJourney::Sheet,
        Some(MethodKind::Wallet | MethodKind::Card) | None => pages::SandboxJourney::Wallet,
    }
}

/// Whether the sandbox page of this attempt offers `decision`: a transfer
/// or a store payment can only be made (or not made, by closing the page).
fn decision_offered(a: &Attempt, decision: WalletDecision) -> bool {
    match methods::method(&a.method).map(|m| m.kind) {
        Some(MethodKind::BankTransfer | MethodKind::Otc) => decision == WalletDecision::Approve,
        Some(MethodKind::OnlineBanking | MethodKind::PayLater | MethodKind::Sheet) => {
            decision != WalletDecision::LeavePending
        }
        _ => true,
    }
}

#[allow(clippy::too_many_arguments)]
fn wallet_view(
    svc: &CheckoutState,
    wallet: &str,
    a: &Attempt,
    p: &Payment,
    m: &Merchant,
    locale: Locale,
    done: Option<String>,
    bank: Option<&str>,
) -> pages::SandboxWalletView {
    let action = match bank.filter(|b| journeys::fpx_bank(b).is_some()) {
        Some(b) => format!("/sandbox/wallet/{wallet}?bank={b}"),
        None => format!("/sandbox/wallet/{wallet}"),
    };
    pages::SandboxWalletView {
        journey: sandbox_journey(a, wallet, bank),
        locale,
        merchant_name: m.brand_name.clone(),
        method_display_name: methods::method(&a.method)
            .map(|mi| method_label(locale, mi))
            .unwrap_or(a.method.as_str())
            .into(),
        total: local_amount(locale, p.amount),
        order_description: p.order_description.clone(),
        action,
        csrf_token: csrf_token(svc, "wallet", wallet),
        done,
        checkout_url: format!("/checkout/{}", p.checkout_token),
        // Standing in for the wallet app on a phone: the buyer can go back
        // to the merchant's page without deciding.
        return_url: if is_mobile(p) && a.state == AttemptState::Wallet && p.status.is_open() {
            format!(
                "/checkout/{}/attempts/{}?returned=1",
                p.checkout_token, a.attempt_id
            )
        } else {
            String::new()
        },
    }
}

/// A mobile journey: the session's `env.terminalType` is `WAP` (mobile
/// browser) or `APP` (the merchant's app). Wallets open their app instead of
/// showing a QR code.
fn is_mobile(p: &Payment) -> bool {
    matches!(p.terminal_type.as_deref(), Some("WAP" | "APP"))
}

fn wallet_state_message(locale: Locale, a: &Attempt, p: &Payment) -> Option<String> {
    let t = pages::strings(locale);
    match a.state {
        AttemptState::Wallet if p.status.is_open() => None,
        AttemptState::Succeeded => Some(t.msg_wallet_approved_done.into()),
        AttemptState::Declined => Some(t.msg_wallet_declined_done.into()),
        AttemptState::Async => Some(t.msg_wallet_pending_done.into()),
        _ if p.status == PaymentStatus::Success => Some(t.msg_already_paid.into()),
        _ => Some(t.result_expired.into()),
    }
}

/// The buyer-facing reason for a card input error, in the page's language.
fn card_error_message(locale: Locale, e: CardError) -> String {
    let t = pages::strings(locale);
    match e {
        CardError::MissingNumber | CardError::InvalidNumber => t.msg_card_number_invalid,
        CardError::InvalidExpiry => t.msg_card_expiry_invalid,
        CardError::Expired => t.msg_card_expired,
        CardError::InvalidCvc => t.msg_card_cvc_invalid,
        CardError::CvcLength(4) => t.msg_card_cvc_four,
        CardError::CvcLength(_) => t.msg_card_cvc_three,
        CardError::MissingName => t.msg_card_name_missing,
    }
    .to_string()
}

/// Why an attempt was declined, in the page's language (the stored result
/// message is the merchant-facing English one).
fn decline_message(locale: Locale, a: &Attempt) -> String {
    failure_message(
        locale,
        Some(&a.method),
        a.result_code.as_deref(),
        a.result_message.as_deref(),
        payments::CardSeen::of_attempt(a),
    )
}

/// Why a payment failed, in the page's language: what [`decline_message`]
/// says of the attempt that decided it, whose method, result and card the
/// payment keeps. Never the stored result message, the processor's English
/// for the merchant.
fn payment_failure_message(locale: Locale, p: &Payment) -> String {
    failure_message(
        locale,
        p.payment_method_type.as_deref(),
        Some(&p.result_code),
        Some(&p.result_message),
        payments::CardSeen::of_payment(p),
    )
}

/// The buyer-facing reason for a failure with `method`, `result_code` and
/// `result_message` (read only to tell a failed 3-D Secure authentication)
/// and what the issuer reported of the card, in the page's language.
fn failure_message(
    locale: Locale,
    method: Option<&str>,
    result_code: Option<&str>,
    result_message: Option<&str>,
    card: Option<payments::CardSeen>,
) -> String {
    let t = pages::strings(locale);
    let wallet = method
        .and_then(methods::method)
        .is_some_and(|m| m.kind.is_journey());
    let refusal = card
        .and_then(|c| c.details)
        .and_then(|d| d.refusal_code_raw);
    match result_code {
        _ if wallet => t.msg_wallet_declined,
        // The issuer's refusal says more than the result code.
        _ if refusal.as_deref() == Some("54") => t.msg_card_expired,
        _ if refusal.as_deref() == Some("N7") => t.msg_card_cvc_incorrect,
        Some("USER_BALANCE_NOT_ENOUGH") => t.msg_insufficient_funds,
        Some("RISK_REJECT") => t.msg_risk_rejected,
        _ if result_message == Some(crate::processor::THREE_DS_FAILED) => {
            t.msg_authentication_failed
        }
        _ => t.msg_declined,
    }
    .to_string()
}

async fn show_wallet(
    State(svc): State<Arc<CheckoutState>>,
    Path(wallet): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> PageResult {
    let (a, p, m) = wallet_context(&svc, &wallet).await?;
    let locale = locale_for(&headers, &query, p.locale.as_deref());
    let done = wallet_state_message(locale, &a, &p);
    let bank = query.get("bank").map(String::as_str);
    Ok(html(
        StatusCode::OK,
        pages::render_sandbox_wallet(&wallet_view(&svc, &wallet, &a, &p, &m, locale, done, bank)),
    ))
}

async fn wallet_decide(
    State(svc): State<Arc<CheckoutState>>,
    Path(wallet): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let (a, p, m) = wallet_context(&svc, &wallet).await?;
    let locale = locale_for(&headers, &query, p.locale.as_deref());
    if !csrf_ok(&svc, "wallet", &wallet, form.get("csrf_token")) {
        return Err(PageError::BadRequest(
            locale,
            pages::strings(locale).msg_form_stale.into(),
        ));
    }
    let Some(decision) = form::wallet_decision(&form).filter(|d| decision_offered(&a, *d)) else {
        return Err(PageError::unknown_choice(locale));
    };
    // A lender's plan: one it offers, the shortest when none is named.
    let plan = match form.get("plan") {
        None => journeys::INSTALMENT_PLANS[0],
        Some(p) => match p
            .parse()
            .ok()
            .filter(|m| journeys::INSTALMENT_PLANS.contains(m))
        {
            Some(months) => months,
            None => return Err(PageError::unknown_choice(locale)),
        },
    };
    payments::wallet_decision(&svc.payments, &m, &a, decision)
        .await
        .map_err(|e| PageError::payment(locale, e))?;
    let (a, p, m) = wallet_context(&svc, &wallet).await?;
    // A payment sheet closes back onto the page: paid, to the outcome;
    // cancelled, to the methods.
    if methods::method(&a.method).is_some_and(|mi| mi.kind == MethodKind::Sheet) {
        let to = match a.state {
            AttemptState::Declined if p.status.is_open() => {
                format!("/checkout/{}", p.checkout_token)
            }
            _ => format!("/checkout/{}/attempts/{}", p.checkout_token, a.attempt_id),
        };
        return Ok(Redirect::to(&to).into_response());
    }
    let pay_later = methods::method(&a.method).is_some_and(|m| m.kind == MethodKind::PayLater);
    let done = if pay_later && a.state == AttemptState::Succeeded {
        Some(pages::strings(locale).msg_paylater_approved_done(plan))
    } else {
        wallet_state_message(locale, &a, &p)
    };
    let bank = query.get("bank").map(String::as_str);
    Ok(html(
        StatusCode::OK,
        pages::render_sandbox_wallet(&wallet_view(&svc, &wallet, &a, &p, &m, locale, done, bank)),
    ))
}

fn asset(
    content_type: &'static str,
    etag: &'static str,
    body: &'static str,
    headers: &HeaderMap,
) -> Response {
    let quoted = format!("\"{etag}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(quoted.as_str())
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, quoted)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_string(),
            ),
            (header::ETAG, quoted),
        ],
        body,
    )
        .into_response()
}

async fn css(headers: HeaderMap) -> Response {
    asset(
        "text/css; charset=utf-8",
        pages::assets::css_etag(),
        pages::assets::CHECKOUT_CSS,
        &headers,
    )
}

async fn js(headers: HeaderMap) -> Response {
    asset(
        "text/javascript; charset=utf-8",
        pages::assets::js_etag(),
        pages::assets::CHECKOUT_JS,
        &headers,
    )
}

/// The merchant accent stylesheet (`--accent` as a CSS custom property):
/// a URL-keyed file, so the page's `style-src 'self'` CSP needs no inline style.
async fn accent_css(Path(file): Path<String>) -> Response {
    match pages::assets::accent_css_for_file(&file) {
        Some(css) => (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=86400, immutable"),
            ],
            css,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each domain error becomes a page in the buyer's language with a
    /// sentence of the catalogue, never the merchant-facing English; the
    /// status codes are the ones the pages always answered (400, 503).
    #[test]
    fn payment_errors_speak_to_the_buyer_in_the_pages_language() {
        let locale = Locale::ThTh;
        let t = pages::strings(locale);
        let bad = t.error_bad_request_message;
        let expected: [Option<&str>; 24] = [
            Some(t.error_not_found_message),
            Some(t.error_not_found_message),
            Some(bad),
            Some(t.msg_method_unavailable),
            Some(t.msg_method_unavailable),
            Some(bad),
            Some(bad),
            Some(bad),
            Some(bad),
            Some(bad),
            Some(t.msg_already_paid),
            Some(t.msg_payment_closed),
            Some(t.msg_payment_closed),
            Some(t.msg_already_paid),
            Some(bad),
            Some(bad),
            Some(bad),
            Some(bad),
            None,
            Some(bad),
            Some(bad),
            Some(bad),
            Some(bad),
            None,
        ];
        let errors = payments::one_of_each();
        assert_eq!(errors.len(), expected.len());
        for (e, want) in errors.into_iter().zip(expected) {
            let merchant_text = e.to_string();
            let page = PageError::payment(locale, e);
            let status = match (&page, want) {
                (PageError::BadRequest(l, message), Some(want)) => {
                    assert_eq!((*l, message.as_str()), (locale, want), "{merchant_text}");
                    assert_ne!(message, &merchant_text);
                    StatusCode::BAD_REQUEST
                }
                (PageError::Internal(l), None) => {
                    assert_eq!(*l, locale, "{merchant_text}");
                    StatusCode::SERVICE_UNAVAILABLE
                }
                _ => panic!("{merchant_text}: unexpected page"),
            };
            assert_eq!(page.into_response().status(), status, "{merchant_text}");
        }
    }
}
