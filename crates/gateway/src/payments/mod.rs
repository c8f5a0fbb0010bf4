//! The payment domain: sessions, attempts and final outcomes.
//!
//! Handlers (API, hosted page, sandbox simulation) and workers (expiry,
//! asynchronous settlement) call these functions; none of them changes a
//! payment by itself. Every final outcome goes through [`finalize`], which
//! builds the notification and hands both to the store's one atomic
//! compare-and-set, so a payment can never succeed twice and a final outcome
//! is never committed without its notification.

pub mod after;
pub mod card;
mod error;
/// The state table, re-exported here where the domain's callers look for it.
pub use crate::status as state;

pub use card::{card_result_info, CardSeen};
#[cfg(test)]
pub(crate) use error::one_of_each;
pub use error::PaymentError;

use std::sync::Arc;

use crate::clock::format_timestamp;
use cashier_protocol::validate::ValidSession;
use cashier_protocol::warnings::strict_refusal;
use cashier_protocol::wire::PaymentNotification;
use cashier_protocol::{ResultCode, WireAmount, WireResult};
use chrono::Duration;
use tokio::sync::Notify;

use crate::ids;
use crate::merchant_cache::MerchantClocks;
use crate::metrics::Metrics;
use crate::processor::methods::{self, MethodRequest};
use crate::processor::{Authorization, CardInput, CardOutcome, Processor, WalletDecision};
use crate::store::{
    Attempt, AttemptId, Finalize, GoodsRecord, Inserted, Merchant, NewNotification, OfferedMethods,
    Payment, Store, StoreResult, Timestamp,
};
use state::{AttemptState, PaymentStatus};

/// What the payments domain needs from the rest of the gateway, and nothing
/// else: its store, the merchants' clocks, the processor, the outbox's wake
/// signal, the outcome metrics and three settings. The web layers and the
/// workers hold one and call the domain with it; the domain calls nothing
/// above it.
pub struct Ports {
    pub store: Arc<dyn Store>,
    pub clocks: MerchantClocks,
    pub processor: Arc<dyn Processor>,
    /// Wakes the notification dispatcher when a notification is queued.
    pub outbox: Arc<Notify>,
    pub metrics: Arc<Metrics>,
    /// Base URL of the hosted pages, without trailing slash.
    pub public_url: String,
    /// `--allow-private-notify`: notification targets may be private addresses.
    pub allow_private_notify: bool,
    /// How long an asynchronous sandbox payment or refund stays processing.
    pub async_delay: std::time::Duration,
}

impl Ports {
    /// The hosted checkout page of `token` (`normalUrl`).
    pub fn checkout_url(&self, token: &str) -> String {
        format!("{}/checkout/{token}", self.public_url)
    }

    /// [`crate::notify::check_target`] with this gateway's setting.
    pub fn check_notify_target(&self, url: &str) -> Result<(), String> {
        crate::notify::check_target(self.allow_private_notify, url)
    }
}

/// `notifyType` of payment notifications.
pub const PAYMENT_RESULT: &str = "PAYMENT_RESULT";

/// The result of createPaymentSession, before it is put on the wire.
#[derive(Debug, Clone)]
pub struct SessionCreated {
    pub payment: Payment,
    pub normal_url: String,
}

/// createPaymentSession: validated request in, session out, idempotent on
/// (clientId, paymentRequestId) per docs/protocol.md §5.1.
///
/// The request's integration warnings (§5.7) are stored with a new
/// payment, or refuse the request when the merchant is in strict mode.
pub async fn create_session(
    ports: &Ports,
    merchant: &Merchant,
    req: ValidSession,
) -> Result<SessionCreated, PaymentError> {
    let now = ports.clocks.merchant_now(merchant);
    let now_at = now.to_datetime();
    let amount = req.amount;
    let method_request = MethodRequest {
        filter: req.method_filter.as_deref(),
        allowed_regions: req.allowed_regions.as_deref(),
        has_buyer_id: req.buyer_reference_id.is_some(),
        preselected: req.preselected_method.as_deref(),
    };
    let offered = methods::offered(amount, &method_request);
    // A pre-selected method is honoured or refused, never dropped.
    if let Some(code) = req.preselected_method.as_deref() {
        match methods::method(code) {
            None => {
                return Err(PaymentError::UnknownMethod {
                    method: code.to_string(),
                })
            }
            Some(m) if !offered.iter().any(|o| o.code == m.code) => {
                return Err(PaymentError::MethodCannotPay {
                    method: code.to_string(),
                    amount: amount.display(),
                    reason: methods::unavailable_reason(m, amount, &method_request),
                })
            }
            Some(_) => {}
        }
    }
    if offered.is_empty() {
        return Err(PaymentError::NoMethodAvailable {
            amount: amount.display(),
        });
    }
    if let Some(url) = &req.notify_url {
        ports
            .check_notify_target(url)
            .map_err(PaymentError::NotifyUrlRefused)?;
    }
    let settlement =
        crate::settlement::decide(merchant, amount, req.settlement_currency.as_deref())?;
    let mut warnings = req.warnings.clone();
    warnings.extend(settlement.warning.clone());
    if offered.iter().any(|m| m.kind == methods::MethodKind::Card) {
        warnings.extend(req.card_risk_warning());
    }
    if merchant.strict {
        if let Some(message) = strict_refusal(&warnings) {
            for w in &warnings {
                ports.metrics.integration_warning(w.rule, true);
            }
            return Err(PaymentError::StrictRefusal(message));
        }
    }
    let goods: Vec<GoodsRecord> = req
        .goods
        .iter()
        .map(|g| GoodsRecord {
            reference_goods_id: g.reference_goods_id.clone(),
            name: g.name.clone(),
            quantity: g.quantity,
            unit_minor: g.unit.minor(),
            line_minor: g.line_total.minor(),
        })
        .collect();
    let session_id = ids::ordered_secret_token(now_at);
    let codes: Vec<String> = offered.iter().map(|m| m.code.to_string()).collect();
    // Apple Pay and Google Pay are always express; any other method the
    // request marks so becomes a button too, except cards, whose form is
    // the form (docs/protocol.md §9.1).
    let express: Vec<String> = offered
        .iter()
        .filter(|m| {
            m.kind == methods::MethodKind::Sheet
                || (m.kind != methods::MethodKind::Card
                    && req.express_methods.iter().any(|c| c == m.code))
        })
        .map(|m| m.code.to_string())
        .collect();
    // Checked above: a pre-selected method is one of the offered ones.
    let preselected = req.preselected_method.clone();
    let candidate = Payment {
        payment_id: ids::numeric_id(now_at).into(),
        client_id: merchant.client_id.clone(),
        payment_request_id: req.payment_request_id.as_str().into(),
        fingerprint: req.fingerprint(),
        status: PaymentStatus::Processing,
        result_code: ResultCode::PAYMENT_IN_PROCESS.as_str().to_string(),
        result_message: ResultCode::PAYMENT_IN_PROCESS.default_message().to_string(),
        amount,
        reference_order_id: req.reference_order_id.clone().unwrap_or_default(),
        order_description: req.order_description.clone(),
        goods,
        buyer_reference_id: req.buyer_reference_id.clone(),
        redirect_url: req.redirect_url.clone(),
        notify_url: req.notify_url.clone(),
        locale: req.locale.clone(),
        terminal_type: req.terminal_type.clone(),
        methods: OfferedMethods { codes, express },
        preselected_method: preselected,
        session_data: format!("{session_id}&&CASHIER&&1"),
        session_id,
        checkout_token: ids::ordered_secret_token(now_at),
        session_expires_at: req.session_expires_at.into(),
        payment_method_type: None,
        card_brand: None,
        card_last4: None,
        card_masked: None,
        card_details: None,
        created_at: now,
        paid_at: None,
        closed_at: None,
        updated_at: now,
        refunded_minor: 0,
        cancel_time: None,
        settlement_currency: Some(settlement.currency),
        settlement_rate: settlement.rate.map(|r| r.to_string()),
        settlement_rate_at: settlement.rate.map(|_| now),
    };
    let payment = match ports
        .store
        .insert_payment_with_warnings(&candidate, &warnings)
        .await?
    {
        Inserted::New(p) => {
            for w in &warnings {
                ports.metrics.integration_warning(w.rule, false);
            }
            p
        }
        Inserted::Existing(existing) => {
            if existing.fingerprint != candidate.fingerprint {
                return Err(PaymentError::SessionReused {
                    payment_request_id: existing.payment_request_id.to_string(),
                });
            }
            let existing = expire_if_due(ports, merchant, existing).await?;
            match existing.status {
                PaymentStatus::Processing | PaymentStatus::Pending => existing,
                PaymentStatus::Success => return Err(PaymentError::SessionPaid),
                PaymentStatus::Fail | PaymentStatus::Cancelled => {
                    return Err(PaymentError::SessionClosed)
                }
            }
        }
    };
    let normal_url = ports.checkout_url(&payment.checkout_token);
    Ok(SessionCreated {
        payment,
        normal_url,
    })
}

/// Closes an unpaid payment whose session has expired (lazily, on read; the
/// expiry worker does the same for payments nobody looks at). The payment
/// closes at its expiry time, also when that is noticed later (a sandbox
/// clock moved past it).
pub async fn expire_if_due(
    ports: &Ports,
    merchant: &Merchant,
    payment: Payment,
) -> StoreResult<Payment> {
    let now = ports.clocks.now_for(&payment.client_id).await?;
    if payment.status != PaymentStatus::Processing || now < payment.session_expires_at {
        return Ok(payment);
    }
    let attempts = ports.store.attempts(&payment.payment_id).await?;
    if attempts.iter().any(|a| a.state == AttemptState::Async) {
        return Ok(payment);
    }
    let id = payment.payment_id.clone();
    let closed_at = payment.session_expires_at;
    // A buyer still on a method's journey (a virtual account or store code
    // not paid, a wallet not approved): the close names that method and
    // ends its attempt.
    let waiting = attempts
        .iter()
        .rev()
        .find(|a| a.state == AttemptState::Wallet);
    finalize_at(
        ports,
        merchant,
        &payment,
        Outcome {
            to: PaymentStatus::Fail,
            code: ResultCode::ORDER_IS_CLOSED,
            message: "order is closed.".into(),
            attempt: waiting.map(|a| (a.attempt_id.clone(), AttemptState::NotCharged)),
            method: waiting.map(|a| a.method.clone()),
            card: None,
        },
        closed_at,
    )
    .await?;
    Ok(ports.store.payment(&id).await?.unwrap_or(payment))
}

impl Outcome {
    /// The attempt succeeded: the payment succeeds with its method and card.
    pub fn success_of(attempt: &Attempt) -> Outcome {
        Outcome {
            to: PaymentStatus::Success,
            code: ResultCode::SUCCESS,
            message: "success.".into(),
            attempt: Some((attempt.attempt_id.clone(), AttemptState::Succeeded)),
            method: Some(attempt.method.clone()),
            card: CardSeen::of_attempt(attempt),
        }
    }
}

/// A final outcome to apply.
pub struct Outcome {
    pub to: PaymentStatus,
    pub code: ResultCode,
    pub message: String,
    pub attempt: Option<(AttemptId, AttemptState)>,
    pub method: Option<String>,
    pub card: Option<CardSeen>,
}

/// Applies a final outcome with its notification, atomically, now on the
/// merchant's clock. Returns false if the payment had already left the
/// states the outcome may come from. `merchant` is the payment's, as the
/// caller holds it: its notify URL serves a payment created without one.
pub async fn finalize(
    ports: &Ports,
    merchant: &Merchant,
    payment: &Payment,
    outcome: Outcome,
) -> StoreResult<bool> {
    let now = ports.clocks.now_for(&payment.client_id).await?;
    finalize_at(ports, merchant, payment, outcome, now).await
}

/// As [`finalize`], for an outcome that happened at `at` (merchant clock,
/// not after now): a session's expiry, an asynchronous settlement's due
/// time. A sandbox clock moved past such a time records the outcome when it
/// was due, not when the sweep noticed it.
pub async fn finalize_at(
    ports: &Ports,
    merchant: &Merchant,
    payment: &Payment,
    outcome: Outcome,
    at: Timestamp,
) -> StoreResult<bool> {
    let at_time = at.to_datetime();
    let method = outcome
        .method
        .clone()
        .or_else(|| payment.payment_method_type.clone());
    debug_assert_eq!(merchant.client_id, payment.client_id);
    let notification = payment
        .notify_url
        .clone()
        .or_else(|| merchant.notify_url.clone())
        .map(|url| NewNotification {
            notification_id: ids::numeric_id(at_time).into(),
            client_id: payment.client_id.clone(),
            kind: PAYMENT_RESULT.to_string(),
            subject_id: payment.payment_id.to_string(),
            payment_id: payment.payment_id.clone(),
            url,
            body: payment_notification_body(payment, &outcome, method.as_deref(), at),
        });
    let queued = notification.is_some();
    let applied = ports
        .store
        .finalize_payment(&Finalize {
            payment_id: payment.payment_id.clone(),
            to: outcome.to,
            result_code: outcome.code.as_str().to_string(),
            result_message: outcome.message.clone(),
            at,
            method,
            card_brand: outcome.card.as_ref().map(|c| c.brand.clone()),
            card_last4: outcome.card.as_ref().map(|c| c.last4.clone()),
            card_masked: outcome.card.as_ref().and_then(|c| c.masked.clone()),
            card_details: outcome.card.as_ref().and_then(CardSeen::details_json),
            attempt: outcome.attempt.clone(),
            notification,
        })
        .await?;
    if applied {
        ports.metrics.payment_final(outcome.to.as_str());
        tracing::info!(payment_id = %payment.payment_id, status = %outcome.to, code = outcome.code.as_str(), "payment final");
        if queued {
            ports.outbox.notify_one();
        }
    }
    Ok(applied)
}

/// The notifyPayment body (docs/protocol.md §3.9).
fn payment_notification_body(
    payment: &Payment,
    outcome: &Outcome,
    method: Option<&str>,
    at: Timestamp,
) -> String {
    let paid = outcome.to == PaymentStatus::Success;
    let body = PaymentNotification {
        notify_type: PAYMENT_RESULT.to_string(),
        result: WireResult::new(outcome.code, outcome.message.clone()),
        payment_request_id: payment.payment_request_id.to_string(),
        payment_id: payment.payment_id.to_string(),
        payment_amount: payment.amount.to_wire(),
        payment_create_time: format_timestamp(payment.created_at),
        payment_time: paid.then(|| format_timestamp(at)),
        payment_method_type: method.map(str::to_string),
        actual_payment_amount: paid.then(|| payment.amount.to_wire()),
        // A card's details whenever a card decided the payment: paid, or
        // refused for good (risk), so the merchant sees why.
        payment_result_info: outcome.card.as_ref().map(|c| Box::new(card_result_info(c))),
    };
    serde_json::to_string(&body).expect("notifications serialise")
}

/// What the hosted page should show after the buyer acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayResult {
    Succeeded,
    /// The payment was already final when this attempt arrived; nothing was charged.
    AlreadyFinal(PaymentStatus),
    /// The attempt failed; the buyer may try again.
    Declined(String),
    /// The payment failed for good.
    Rejected(String),
    Challenge(String),
    /// Waiting for an asynchronous result (attempt id).
    Processing(String),
    /// Waiting for the buyer in the wallet (attempt id).
    Wallet(String),
}

fn new_attempt(
    payment: &Payment,
    nonce: &str,
    method: &str,
    state: AttemptState,
    now: Timestamp,
) -> Attempt {
    Attempt {
        attempt_id: ids::numeric_id(now.to_datetime()).into(),
        payment_id: payment.payment_id.clone(),
        nonce: nonce.to_string(),
        method: method.to_string(),
        state,
        result_code: None,
        result_message: None,
        card_brand: None,
        card_last4: None,
        card_masked: None,
        card_details: None,
        wallet_token: None,
        settle_at: None,
        created_at: now,
        updated_at: now,
    }
}

/// What an already-recorded attempt means for the page (a resubmitted form).
fn result_of_attempt(a: &Attempt) -> PayResult {
    let msg = || a.result_message.clone().unwrap_or_default();
    match a.state {
        AttemptState::Succeeded => PayResult::Succeeded,
        AttemptState::Declined => PayResult::Declined(msg()),
        AttemptState::Rejected => PayResult::Rejected(msg()),
        AttemptState::NotCharged => PayResult::AlreadyFinal(PaymentStatus::Success),
        AttemptState::Challenge => PayResult::Challenge(a.attempt_id.to_string()),
        AttemptState::Wallet => PayResult::Wallet(a.attempt_id.to_string()),
        AttemptState::Submitted | AttemptState::Async => {
            PayResult::Processing(a.attempt_id.to_string())
        }
    }
}

/// A card payment attempt from the hosted page.
pub async fn pay_card(
    ports: &Ports,
    merchant: &Merchant,
    payment: Payment,
    nonce: &str,
    card: &CardInput,
) -> Result<PayResult, PaymentError> {
    let payment = expire_if_due(ports, merchant, payment).await?;
    if !payment.status.is_open() {
        return Ok(PayResult::AlreadyFinal(payment.status));
    }
    let now = ports.clocks.now_for(&payment.client_id).await?;
    let mut attempt = new_attempt(&payment, nonce, "CARD", AttemptState::Submitted, now);
    attempt.card_brand = Some(card.brand().to_string());
    attempt.card_last4 = Some(card.last4().to_string());
    attempt.card_masked = Some(card.masked());
    let attempt = match ports.store.insert_attempt(&attempt).await? {
        Inserted::New(a) => a,
        Inserted::Existing(a) => return Ok(result_of_attempt(&a)),
    };
    let authorization = ports.processor.authorize_card(card, payment.amount);
    let details = card::details_of(card, &authorization.report);
    apply_authorization(ports, merchant, &payment, attempt, details, authorization).await
}

/// Keeps what the processor reported of the card with the attempt, then
/// applies its outcome.
async fn apply_authorization(
    ports: &Ports,
    merchant: &Merchant,
    payment: &Payment,
    mut attempt: Attempt,
    details: cashier_protocol::wire::PaymentResultInfo,
    authorization: Authorization,
) -> Result<PayResult, PaymentError> {
    let json = serde_json::to_string(&details).expect("paymentResultInfo serialises");
    ports
        .store
        .set_attempt_card_details(&attempt.attempt_id, &json)
        .await?;
    attempt.card_details = Some(json);
    apply_card_outcome(ports, merchant, payment, &attempt, authorization.outcome).await
}

async fn apply_card_outcome(
    ports: &Ports,
    merchant: &Merchant,
    payment: &Payment,
    attempt: &Attempt,
    outcome: CardOutcome,
) -> Result<PayResult, PaymentError> {
    let now = ports.clocks.now_for(&payment.client_id).await?;
    let card = CardSeen::of_attempt(attempt);
    let open = &AttemptState::OPEN;
    Ok(match outcome {
        CardOutcome::Approved => {
            let applied = finalize(ports, merchant, payment, Outcome::success_of(attempt)).await?;
            if applied {
                PayResult::Succeeded
            } else {
                not_charged(ports, payment, attempt).await?
            }
        }
        CardOutcome::Rejected(code, message) => {
            let applied = finalize(
                ports,
                merchant,
                payment,
                Outcome {
                    to: PaymentStatus::Fail,
                    code,
                    message: message.into(),
                    attempt: Some((attempt.attempt_id.clone(), AttemptState::Rejected)),
                    method: Some(attempt.method.clone()),
                    card,
                },
            )
            .await?;
            if applied {
                PayResult::Rejected(message.into())
            } else {
                not_charged(ports, payment, attempt).await?
            }
        }
        CardOutcome::Declined(code, message) => {
            ports
                .store
                .update_attempt(
                    &attempt.attempt_id,
                    open,
                    AttemptState::Declined,
                    Some((code.as_str(), message)),
                    None,
                    now,
                )
                .await?;
            PayResult::Declined(message.into())
        }
        CardOutcome::Challenge => {
            ports
                .store
                .update_attempt(
                    &attempt.attempt_id,
                    open,
                    AttemptState::Challenge,
                    None,
                    None,
                    now,
                )
                .await?;
            PayResult::Challenge(attempt.attempt_id.to_string())
        }
        CardOutcome::Async => {
            let delay = Duration::from_std(ports.async_delay).unwrap_or(Duration::seconds(10));
            let settle_at = now + delay;
            ports
                .store
                .update_attempt(
                    &attempt.attempt_id,
                    open,
                    AttemptState::Async,
                    None,
                    Some(settle_at),
                    now,
                )
                .await?;
            PayResult::Processing(attempt.attempt_id.to_string())
        }
    })
}

/// The processor said yes but the payment was already final: record that
/// nothing was charged and report the payment's real state.
async fn not_charged(
    ports: &Ports,
    payment: &Payment,
    attempt: &Attempt,
) -> Result<PayResult, PaymentError> {
    ports
        .store
        .update_attempt(
            &attempt.attempt_id,
            &AttemptState::OPEN,
            AttemptState::NotCharged,
            Some((
                "ORDER_STATUS_INVALID",
                "the payment was already final; nothing was charged.",
            )),
            None,
            ports.clocks.now_for(&payment.client_id).await?,
        )
        .await?;
    let current = ports
        .store
        .payment(&payment.payment_id)
        .await?
        .map(|p| p.status)
        .unwrap_or(payment.status);
    Ok(PayResult::AlreadyFinal(current))
}

/// The buyer finished (or failed) the 3-D Secure challenge.
pub async fn complete_challenge(
    ports: &Ports,
    merchant: &Merchant,
    payment: Payment,
    attempt: &Attempt,
    passed: bool,
) -> Result<PayResult, PaymentError> {
    if attempt.state != AttemptState::Challenge {
        return Ok(result_of_attempt(attempt));
    }
    let payment = expire_if_due(ports, merchant, payment).await?;
    if !payment.status.is_open() {
        return not_charged(ports, &payment, attempt).await;
    }
    let authorization = ports.processor.complete_challenge(passed);
    // The authentication joins what the first authorisation reported.
    let mut details = CardSeen::of_attempt(attempt)
        .map(|c| card_result_info(&c))
        .unwrap_or_default();
    card::apply_report(&mut details, &authorization.report);
    apply_authorization(
        ports,
        merchant,
        &payment,
        attempt.clone(),
        details,
        authorization,
    )
    .await
}

/// The buyer chose a wallet on the page: start an attempt that the wallet
/// page (opened by QR code or link) completes.
pub async fn start_wallet(
    ports: &Ports,
    merchant: &Merchant,
    payment: Payment,
    nonce: &str,
    method: &str,
) -> Result<PayResult, PaymentError> {
    let payment = expire_if_due(ports, merchant, payment).await?;
    if !payment.status.is_open() {
        return Ok(PayResult::AlreadyFinal(payment.status));
    }
    let now = ports.clocks.now_for(&payment.client_id).await?;
    let mut attempt = new_attempt(&payment, nonce, method, AttemptState::Wallet, now);
    attempt.wallet_token = Some(ids::secret_token());
    Ok(match ports.store.insert_attempt(&attempt).await? {
        Inserted::New(a) => PayResult::Wallet(a.attempt_id.to_string()),
        Inserted::Existing(a) => result_of_attempt(&a),
    })
}

/// The buyer acted in the sandbox wallet.
pub async fn wallet_decision(
    ports: &Ports,
    merchant: &Merchant,
    attempt: &Attempt,
    decision: WalletDecision,
) -> Result<PayResult, PaymentError> {
    let payment = ports
        .store
        .payment(&attempt.payment_id)
        .await?
        .ok_or(PaymentError::NotFound { payment_id: None })?;
    if attempt.state != AttemptState::Wallet {
        return Ok(result_of_attempt(attempt));
    }
    let payment = expire_if_due(ports, merchant, payment).await?;
    if !payment.status.is_open() {
        return not_charged(ports, &payment, attempt).await;
    }
    let now = ports.clocks.now_for(&payment.client_id).await?;
    match decision {
        WalletDecision::Approve => {
            let applied = finalize(ports, merchant, &payment, Outcome::success_of(attempt)).await?;
            if applied {
                Ok(PayResult::Succeeded)
            } else {
                not_charged(ports, &payment, attempt).await
            }
        }
        WalletDecision::Decline => {
            let msg = match methods::method(&attempt.method).map(|m| m.kind) {
                Some(methods::MethodKind::OnlineBanking) => "The payment was declined by the bank.",
                Some(methods::MethodKind::PayLater) => "The payment was declined by the lender.",
                Some(methods::MethodKind::Sheet) => "The buyer closed the payment sheet.",
                _ => "The payment was declined in the wallet.",
            };
            ports
                .store
                .update_attempt(
                    &attempt.attempt_id,
                    &[AttemptState::Wallet],
                    AttemptState::Declined,
                    Some((ResultCode::USER_BALANCE_NOT_ENOUGH.as_str(), msg)),
                    None,
                    now,
                )
                .await?;
            Ok(PayResult::Declined(msg.into()))
        }
        WalletDecision::LeavePending => {
            if ports
                .store
                .mark_pending(
                    &payment.payment_id,
                    &attempt.attempt_id,
                    &attempt.method,
                    now,
                )
                .await?
            {
                Ok(PayResult::Processing(attempt.attempt_id.to_string()))
            } else {
                let current = ports
                    .store
                    .payment(&payment.payment_id)
                    .await?
                    .map(|p| p.status)
                    .unwrap_or(payment.status);
                Ok(PayResult::AlreadyFinal(current))
            }
        }
    }
}

/// Settles an asynchronous attempt of `payment` (the sandbox's delayed
/// card success), at its settle time.
pub async fn settle_async(
    ports: &Ports,
    merchant: &Merchant,
    payment: &Payment,
    attempt: &Attempt,
) -> StoreResult<bool> {
    debug_assert_eq!(attempt.payment_id, payment.payment_id);
    // The sweep returns attempts due on the merchant's clock.
    let at = match attempt.settle_at {
        Some(due) => due,
        None => ports.clocks.now_for(&payment.client_id).await?,
    };
    let applied = finalize_at(ports, merchant, payment, Outcome::success_of(attempt), at).await?;
    if !applied {
        // The payment became final some other way: this attempt charges nothing.
        ports
            .store
            .update_attempt(
                &attempt.attempt_id,
                &[AttemptState::Async],
                AttemptState::NotCharged,
                Some((
                    "ORDER_STATUS_INVALID",
                    "the payment was already final; nothing was charged.",
                )),
                None,
                at,
            )
            .await?;
    }
    Ok(applied)
}

/// `POST /sandbox/simulate/pay`: completes a payment without a browser.
pub async fn simulate(
    ports: &Ports,
    merchant: &Merchant,
    payment: Payment,
    success: bool,
    code: Option<ResultCode>,
    method: &str,
) -> Result<Payment, PaymentError> {
    let payment = expire_if_due(ports, merchant, payment).await?;
    if payment.status.is_final() {
        return Err(PaymentError::AlreadyFinal(payment.status));
    }
    // Settle the open attempt if there is one (a pending wallet, a virtual
    // account or store code waiting for its money), else record one.
    let attempts = ports.store.attempts(&payment.payment_id).await?;
    let attempt = match attempts
        .into_iter()
        .rev()
        .find(|a| matches!(a.state, AttemptState::Async | AttemptState::Wallet))
    {
        Some(a) => a,
        None => {
            let a = new_attempt(
                &payment,
                &ids::secret_token(),
                method,
                AttemptState::Submitted,
                ports.clocks.now_for(&payment.client_id).await?,
            );
            match ports.store.insert_attempt(&a).await? {
                Inserted::New(a) | Inserted::Existing(a) => a,
            }
        }
    };
    let (to, code, final_state) = if success {
        (
            PaymentStatus::Success,
            ResultCode::SUCCESS,
            AttemptState::Succeeded,
        )
    } else {
        (
            PaymentStatus::Fail,
            code.unwrap_or(ResultCode::PROCESS_FAIL),
            AttemptState::Rejected,
        )
    };
    let applied = finalize(
        ports,
        merchant,
        &payment,
        Outcome {
            to,
            code,
            message: code.default_message().into(),
            attempt: Some((attempt.attempt_id.clone(), final_state)),
            method: Some(attempt.method.clone()),
            card: None,
        },
    )
    .await?;
    let current = ports
        .store
        .payment(&payment.payment_id)
        .await?
        .ok_or(PaymentError::NotFound { payment_id: None })?;
    if !applied {
        return Err(PaymentError::AlreadyFinal(current.status));
    }
    Ok(current)
}

/// The `paymentAmount` wire object of a payment.
pub fn wire_amount(p: &Payment) -> WireAmount {
    p.amount.to_wire()
}
