//! One payment: what happened to it (timeline), every notification with
//! every delivery attempt, and the actions — resend a notification, refund
//! (partial), cancel. Actions go through the same domain functions as the
//! API (`payments::after::refund`, `payments::after::cancel`), so the rules,
//! the idempotency on `refundRequestId` and the notifications are the same.
//! A refund form carries a `refundRequestId` minted when the page rendered,
//! so a double submit is one refund.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect};
use axum::Form;
use cashier_protocol::validate::ValidRefund;
use cashier_protocol::wire::PaymentResultInfo;
use cashier_protocol::{Amount, Currency};
use serde::Deserialize;

use super::auth::{CsrfForm, Viewer};
use super::i18n::yes_no;
use super::DashboardState;
use super::{fmt_time, iso_time, money, strings, DashError, DashResult, DashStrings, Nav};
use crate::error::ApiError;
use crate::payments::state::PaymentStatus;
use crate::payments::{self, after, PaymentError};
use crate::processor::journeys;
use crate::processor::methods::{self, MethodKind};
use crate::store::Timestamp;
use crate::store::{Merchant, NotificationId, Payment, PaymentId, RefundStatus};

pub struct Facts {
    pub payment_id: String,
    pub request_id: String,
    pub client_id: String,
    pub status: String,
    pub result_code: String,
    pub amount: String,
    pub refunded: String,
    pub currency: String,
    pub reference_order_id: String,
    pub description: String,
    pub method: String,
    /// The settlement currency and, when converted, the amount, rate and
    /// time of the rate.
    pub settlement: String,
}

pub struct Event {
    pub t: Timestamp,
    pub at: String,
    pub iso: String,
    pub text: String,
}

pub struct Delivery {
    pub no: u32,
    pub at: String,
    pub http: String,
    pub latency_ms: i64,
    pub acknowledged: bool,
    pub excerpt: String,
}

/// One integration warning as the detail page shows it.
pub struct WarningView {
    pub rule: String,
    pub field: String,
    pub message: String,
    /// What the rule asks for; empty for a code this build does not know.
    pub summary: &'static str,
}

impl WarningView {
    pub fn of(w: crate::store::PaymentWarning) -> WarningView {
        WarningView {
            summary: cashier_protocol::WarningRule::from_code(&w.rule)
                .map(|r| r.summary())
                .unwrap_or(""),
            rule: w.rule,
            field: w.field,
            message: w.message,
        }
    }
}

pub struct NotificationView {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub url: String,
    pub attempts: u32,
    pub deliveries: Vec<Delivery>,
}

#[derive(Template)]
#[template(path = "dashboard/payment.html")]
struct DetailPage {
    t: &'static DashStrings,
    title: String,
    nav: Option<Nav>,
    csrf: String,
    p: Facts,
    timeline: Vec<Event>,
    notifications: Vec<NotificationView>,
    warnings: Vec<WarningView>,
    can_refund: bool,
    can_cancel: bool,
    refundable: String,
    example_amount: String,
    refund_request_id: String,
    done: Option<&'static str>,
    error: Option<String>,
}

/// The payment, with its merchant, if this viewer may see it; another
/// merchant's is "not found".
async fn load(
    svc: &DashboardState,
    viewer: &Viewer,
    payment_id: &str,
) -> DashResult<(Payment, Merchant)> {
    let p = svc
        .store
        .payment(&PaymentId::from(payment_id))
        .await?
        .filter(|p| viewer.may_see(&p.client_id))
        .ok_or(DashError::NotFound)?;
    let m = svc
        .store
        .merchant(&p.client_id)
        .await?
        .ok_or(DashError::NotFound)?;
    // Same lazy expiry as inquiryPayment: an expired session reads as closed.
    let p = crate::payments::expire_if_due(&svc.payments, &m, p)
        .await
        .map_err(|_| DashError::Internal)?;
    Ok((p, m))
}

fn event(t: Timestamp, text: String) -> Event {
    Event {
        t,
        at: fmt_time(t),
        iso: iso_time(t),
        text,
    }
}

async fn render(
    svc: &DashboardState,
    viewer: &Viewer,
    p: Payment,
    done: Option<&'static str>,
    error: Option<String>,
) -> DashResult {
    let t = strings();
    let attempts = svc.store.attempts(&p.payment_id).await?;
    let refunds = svc.store.refunds_for_payment(&p.payment_id).await?;
    let warnings = svc
        .store
        .payment_warnings(&p.payment_id)
        .await?
        .into_iter()
        .map(WarningView::of)
        .collect();
    let mut timeline = vec![event(
        p.created_at,
        t.event_created(&money(p.amount.currency().code(), p.amount.minor())),
    )];
    for a in &attempts {
        let details = payments::CardSeen::of_attempt(a).and_then(|c| c.details);
        let card = match (&a.card_brand, &a.card_last4, &a.card_masked) {
            (Some(b), _, Some(m)) => format!(" ({b} {m}{})", card_facts(details.as_ref())),
            (Some(b), Some(l), None) => format!(" ({b} •••• {l})"),
            _ => journey_facts(t, a),
        };
        timeline.push(event(a.created_at, t.event_attempt(&a.method, &card)));
        if a.updated_at > a.created_at || a.result_code.is_some() {
            let details = format!(
                "{}{}",
                a.result_code
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default(),
                card_verdict(t, details.as_ref()),
            );
            timeline.push(event(
                a.updated_at,
                t.event_attempt_state(&a.method, a.state.as_str(), &details),
            ));
        }
    }
    if let Some(at) = p.paid_at {
        timeline.push(event(at, t.event_paid("SUCCESS", &p.result_code)));
    }
    if let Some(at) = p.closed_at.filter(|_| p.status != PaymentStatus::Success) {
        timeline.push(event(at, t.event_closed(p.status.as_str(), &p.result_code)));
    }
    if let Some(at) = p.cancel_time {
        timeline.push(event(at, t.event_cancelled.to_string()));
    }
    for r in &refunds {
        timeline.push(event(
            r.created_at,
            t.event_refund_requested(
                &r.refund_request_id,
                &money(r.amount.currency().code(), r.amount.minor()),
                r.status.as_str(),
            ),
        ));
        if let Some(at) = r
            .refund_time
            .filter(|_| r.status != RefundStatus::Processing)
        {
            timeline.push(event(
                at,
                t.event_refund(&r.refund_request_id, r.status.as_str()),
            ));
        }
    }
    timeline.sort_by_key(|e| e.t);

    let mut notes = svc.store.notifications_for(&p.payment_id).await?;
    for r in &refunds {
        notes.extend(svc.store.notifications_for(&r.refund_id).await?);
    }
    let mut notifications = Vec::new();
    for n in notes.into_iter().filter(|n| n.client_id == p.client_id) {
        let deliveries = svc
            .store
            .delivery_attempts(&n.notification_id)
            .await?
            .into_iter()
            .map(|d| Delivery {
                no: d.attempt_no,
                at: fmt_time(d.attempted_at),
                http: d
                    .http_status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "—".into()),
                latency_ms: d.latency_ms,
                acknowledged: d.acknowledged,
                excerpt: d
                    .response_excerpt
                    .or(d.error)
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect(),
            })
            .collect();
        notifications.push(NotificationView {
            id: n.notification_id.to_string(),
            kind: n.kind,
            status: n.status,
            url: n.url,
            attempts: n.attempts,
            deliveries,
        });
    }
    let currency = p.amount.currency();
    let refundable_minor = i128::from(p.amount.minor()) - i128::from(p.refunded_minor);
    let example = Amount::new(currency, 10u64.pow(u32::from(currency.exponent()))).major_string();
    let status = if error.is_some() {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    };
    let view = DetailPage {
        t,
        title: t.payment_title(&p.payment_request_id),
        nav: Some(viewer.nav("payments")),
        csrf: viewer.session.csrf_token.clone(),
        can_refund: p.status == PaymentStatus::Success && refundable_minor > 0,
        can_cancel: matches!(
            p.status,
            PaymentStatus::Processing | PaymentStatus::Pending | PaymentStatus::Success
        ) && p.refunded_minor == 0,
        refundable: money(currency.code(), refundable_minor),
        example_amount: example,
        refund_request_id: format!("dash-{}", crate::ids::token(12)),
        p: Facts {
            payment_id: p.payment_id.to_string(),
            request_id: p.payment_request_id.to_string(),
            client_id: p.client_id.to_string(),
            status: p.status.as_str().to_string(),
            result_code: p.result_code.clone(),
            amount: money(currency.code(), p.amount.minor()),
            refunded: money(currency.code(), p.refunded_minor),
            currency: currency.code().to_string(),
            reference_order_id: p.reference_order_id.clone(),
            description: p.order_description.clone(),
            method: p
                .payment_method_type
                .as_deref()
                .map(|code| match methods::method(code) {
                    Some(m) => format!("{code} ({})", m.category),
                    None => code.to_string(),
                })
                .unwrap_or_default(),
            settlement: settlement_fact(t, &p),
        },
        timeline,
        notifications,
        warnings,
        done,
        error,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// `USD 31.11 at 0.74074074 SGD/USD (rate of 2026-12-04 10:00 UTC)`, or
/// the payment currency when nothing is converted.
fn settlement_fact(t: &DashStrings, p: &Payment) -> String {
    let from = p.amount.currency();
    let own = from.code();
    let to = p.settlement_currency.unwrap_or(from);
    let target = to.code();
    let rate: Option<cashier_protocol::fx::Rate> =
        p.settlement_rate.as_deref().and_then(|r| r.parse().ok());
    match rate {
        Some(rate) if to != from => {
            // At most 16 digits: decoded so by the store.
            let minor = rate.convert(p.amount.minor() as i64, from, to);
            let (amount, rate) = (money(target, minor), rate.to_string());
            match p.settlement_rate_at {
                Some(at) => {
                    t.payment_settlement_converted_at(&amount, &rate, own, target, &fmt_time(at))
                }
                None => t.payment_settlement_converted(&amount, &rate, own, target),
            }
        }
        _ => t.payment_settlement_own(target),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DetailQuery {
    done: String,
}

pub async fn show(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Path(payment_id): Path<String>,
    Query(q): Query<DetailQuery>,
) -> DashResult {
    let (p, _) = load(&svc, &viewer, &payment_id).await?;
    // Only fixed messages: the query string cannot put text on the page.
    let t = strings();
    let done = match q.done.as_str() {
        "refund" => Some(t.payment_refund_done),
        "cancel" => Some(t.payment_cancel_done),
        "resend" => Some(t.payment_resend_done),
        _ => None,
    };
    render(&svc, &viewer, p, done, None).await
}

/// `12.34` in the currency's major unit → an [`Amount`], in integers only;
/// else the message to show.
pub fn parse_major(t: &DashStrings, currency: &str, input: &str) -> Result<Amount, String> {
    let c = Currency::from_code(currency).ok_or(t.payment_currency_unsupported)?;
    let exp = usize::from(c.exponent());
    let s = input.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) || frac.len() > exp {
        let example = Amount::new(c, 10u64.pow(exp as u32)).major_string();
        return Err(t.payment_amount_invalid(currency, exp, &example));
    }
    let mut minor = format!("{int}{frac:0<exp$}");
    let trimmed = minor.trim_start_matches('0');
    minor = if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.to_string()
    };
    Amount::parse_positive(currency, &minor).map_err(|e| e.to_string())
}

#[derive(Deserialize)]
pub struct RefundForm {
    csrf: Option<String>,
    #[serde(default)]
    refund_request_id: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

/// A refusal of the domain as the API answers it: the reader is the merchant.
fn api_message(e: PaymentError) -> String {
    let e = ApiError::from(e);
    format!("{}: {}", e.code.as_str(), e.message)
}

pub async fn refund(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Path(payment_id): Path<String>,
    Form(form): Form<RefundForm>,
) -> DashResult {
    viewer.check_csrf(form.csrf.as_deref())?;
    let (p, merchant) = load(&svc, &viewer, &payment_id).await?;
    let t = strings();
    let request_id = form.refund_request_id.trim().to_string();
    if request_id.is_empty() || request_id.len() > 64 {
        return Err(DashError::BadRequest(t.payment_reload.into()));
    }
    let amount = match parse_major(t, p.amount.currency().code(), &form.amount) {
        Ok(a) => a,
        Err(e) => return render(&svc, &viewer, p, None, Some(e)).await,
    };
    let reason = Some(form.reason.trim().to_string()).filter(|r| !r.is_empty());
    let valid = ValidRefund {
        refund_request_id: request_id,
        payment_id: p.payment_id.to_string(),
        reference_refund_id: None,
        amount,
        reason,
        notify_url: None,
    };
    match after::refund(&svc.payments, &merchant, valid).await {
        Ok(r) if r.status == RefundStatus::Fail => {
            render(
                &svc,
                &viewer,
                p,
                None,
                Some(t.payment_refund_failed(&r.result_message)),
            )
            .await
        }
        Ok(_) => {
            svc.notify_wake.notify_one();
            tracing::info!(user = %viewer.user.user_id, payment_id = %p.payment_id, "dashboard refund");
            Ok(
                Redirect::to(&format!("/dashboard/payments/{}?done=refund", p.payment_id))
                    .into_response(),
            )
        }
        Err(e) => render(&svc, &viewer, p, None, Some(api_message(e))).await,
    }
}

pub async fn cancel(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Path(payment_id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> DashResult {
    viewer.check_csrf(form.csrf.as_deref())?;
    let (p, m) = load(&svc, &viewer, &payment_id).await?;
    match after::cancel(&svc.payments, &m, p.clone()).await {
        Ok(_) => {
            svc.notify_wake.notify_one();
            tracing::info!(user = %viewer.user.user_id, payment_id = %p.payment_id, "dashboard cancel");
            Ok(
                Redirect::to(&format!("/dashboard/payments/{}?done=cancel", p.payment_id))
                    .into_response(),
            )
        }
        Err(e) => render(&svc, &viewer, p, None, Some(api_message(e))).await,
    }
}

pub async fn resend(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Path((payment_id, notification_id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> DashResult {
    viewer.check_csrf(form.csrf.as_deref())?;
    let (p, _) = load(&svc, &viewer, &payment_id).await?;
    // The notification must be this payment's (or one of its refunds').
    let mut subjects = vec![p.payment_id.to_string()];
    subjects.extend(
        svc.store
            .refunds_for_payment(&p.payment_id)
            .await?
            .into_iter()
            .map(|r| r.refund_id.into_string()),
    );
    let mut found = false;
    for s in &subjects {
        found |= svc
            .store
            .notifications_for(s)
            .await?
            .iter()
            .any(|n| n.notification_id == notification_id && n.client_id == p.client_id);
    }
    if !found {
        return Err(DashError::NotFound);
    }
    svc.store
        .requeue_notification(
            &NotificationId::from(&notification_id),
            svc.clocks.now_for(&p.client_id).await?,
        )
        .await?;
    svc.notify_wake.notify_one();
    tracing::info!(user = %viewer.user.user_id, %notification_id, "dashboard resend");
    Ok(Redirect::to(&format!("/dashboard/payments/{}?done=resend", p.payment_id)).into_response())
}

/// A card's funding and issuing country, as the processor reported them
/// (", CREDIT, US"), or nothing.
fn card_facts(details: Option<&PaymentResultInfo>) -> String {
    let Some(d) = details else {
        return String::new();
    };
    [&d.funding, &d.issuing_country]
        .into_iter()
        .flatten()
        .map(|f| format!(", {f}"))
        .collect()
}

/// What the issuer and 3-D Secure said of an attempt: "; 3-D Secure
/// challenged, authenticated (ECI 05); issuer refusal 54 Expired card".
fn card_verdict(t: &DashStrings, details: Option<&PaymentResultInfo>) -> String {
    let Some(d) = details else {
        return String::new();
    };
    let mut out = String::new();
    if let Some(three_ds) = &d.three_ds_result {
        let challenged = three_ds.challenged == Some(true);
        let authenticated = matches!(three_ds.eci.as_deref(), Some("05" | "02"));
        out.push_str("; ");
        out.push_str(&t.event_three_ds(
            yes_no(challenged),
            yes_no(authenticated),
            three_ds.eci.as_deref().unwrap_or("-"),
        ));
    }
    if let (Some(code), Some(reason)) = (&d.refusal_code_raw, &d.refusal_reason_raw) {
        out.push_str("; ");
        out.push_str(&t.event_issuer_refusal(code, reason));
    }
    out
}

/// A non-card attempt's family, and the number the buyer was given to pay
/// (a virtual account, a store's payment code), for support questions.
fn journey_facts(t: &DashStrings, a: &crate::store::Attempt) -> String {
    let Some(m) = methods::method(&a.method).filter(|m| m.kind.is_journey()) else {
        return String::new();
    };
    let token = a.wallet_token.as_deref().unwrap_or_default();
    match m.kind {
        MethodKind::BankTransfer if !token.is_empty() => {
            let (bank, account) = journeys::virtual_account(&a.method, token);
            let facts = t.event_virtual_account(bank, &account);
            format!(" ({}, {facts})", m.category)
        }
        MethodKind::Otc if !token.is_empty() => {
            let facts = t.event_payment_code(&journeys::payment_code(token));
            format!(" ({}, {facts})", m.category)
        }
        _ => format!(" ({})", m.category),
    }
}
