//! Payments (each with its hosted-page session), their attempts, their
//! integration warnings, and the compare-and-set moves of a payment's life.

use std::sync::LazyLock;

use async_trait::async_trait;
use cashier_protocol::{Amount, Currency, IntegrationWarning};

use super::StoreResult;
use crate::ids::{AttemptId, ClientId, PaymentId, PaymentRequestId};
use crate::status::{sql_list, AttemptState, PaymentStatus};
use crate::time::Timestamp;

#[async_trait]
pub trait PaymentStore: Send + Sync {
    /// Inserts unless (client_id, payment_request_id) exists, in which case
    /// the existing payment is returned untouched. Safe under concurrency:
    /// the database's unique constraint decides.
    /// Inserts a payment with no warnings; see [`PaymentStore::insert_payment_with_warnings`].
    async fn insert_payment(&self, payment: &Payment) -> StoreResult<Inserted<Payment>> {
        self.insert_payment_with_warnings(payment, &[]).await
    }
    /// Inserts a payment keyed by (client id, payment request id) together
    /// with its integration warnings, in one transaction; an existing
    /// payment with the same key is returned instead and nothing is written.
    async fn insert_payment_with_warnings(
        &self,
        payment: &Payment,
        warnings: &[IntegrationWarning],
    ) -> StoreResult<Inserted<Payment>>;
    /// A payment's integration warnings, in order.
    async fn payment_warnings(&self, payment_id: &PaymentId) -> StoreResult<Vec<PaymentWarning>>;
    /// The warnings of several payments (a CSV export batch), in payment
    /// then warning order.
    async fn warnings_for_payments(
        &self,
        payment_ids: &[PaymentId],
    ) -> StoreResult<Vec<PaymentWarning>>;
    /// Per rule, how many of a merchant's payments created at or after
    /// `since` broke it, most frequent first.
    async fn warning_counts(
        &self,
        client_id: &ClientId,
        since: Timestamp,
    ) -> StoreResult<Vec<WarningCount>>;
    /// A merchant's newest `limit` warnings, newest first.
    async fn recent_warnings(
        &self,
        client_id: &ClientId,
        limit: u32,
    ) -> StoreResult<Vec<PaymentWarning>>;
    async fn payment(&self, payment_id: &PaymentId) -> StoreResult<Option<Payment>>;
    async fn payment_by_request_id(
        &self,
        client_id: &ClientId,
        request_id: &PaymentRequestId,
    ) -> StoreResult<Option<Payment>>;
    async fn payment_by_token(&self, token: &str) -> StoreResult<Option<Payment>>;

    /// Inserts an attempt unless (payment_id, nonce) exists; a resubmitted
    /// form therefore returns the first attempt instead of paying twice.
    async fn insert_attempt(&self, attempt: &Attempt) -> StoreResult<Inserted<Attempt>>;
    async fn attempt(&self, attempt_id: &AttemptId) -> StoreResult<Option<Attempt>>;
    async fn attempt_by_wallet_token(&self, token: &str) -> StoreResult<Option<Attempt>>;
    async fn attempts(&self, payment_id: &PaymentId) -> StoreResult<Vec<Attempt>>;
    /// Records what the processor reported of an attempt's card
    /// ([`Attempt::card_details`]), replacing what an earlier step (the
    /// authorisation before a 3-D Secure challenge) recorded.
    async fn set_attempt_card_details(
        &self,
        attempt_id: &AttemptId,
        details: &str,
    ) -> StoreResult<()>;
    /// Compare-and-set of an attempt's state; true if applied.
    async fn update_attempt(
        &self,
        attempt_id: &AttemptId,
        from: &[AttemptState],
        to: AttemptState,
        result: Option<(&str, &str)>,
        settle_at: Option<Timestamp>,
        at: Timestamp,
    ) -> StoreResult<bool>;

    /// Moves the payment to `f.to` if its status is one of the table's
    /// sources for that state, updates the attempt, and queues the
    /// notification — all in one transaction. Returns false (and changes
    /// nothing) if the payment was no longer in a source state.
    async fn finalize_payment(&self, f: &Finalize) -> StoreResult<bool>;
    /// PROCESSING → PENDING (no notification), with the attempt to Async.
    async fn mark_pending(
        &self,
        payment_id: &PaymentId,
        attempt_id: &AttemptId,
        method: &str,
        at: Timestamp,
    ) -> StoreResult<bool>;
    /// Cancels a payment (compare-and-set from `from`), only while nothing
    /// has been refunded; records `cancel_time`. True if applied.
    async fn cancel_payment(
        &self,
        payment_id: &PaymentId,
        from: &[PaymentStatus],
        at: Timestamp,
        result_code: &str,
        result_message: &str,
    ) -> StoreResult<bool>;

    /// Open (PROCESSING) payments whose session expired by `now`, with no
    /// attempt still waiting for an asynchronous result.
    ///
    /// This and the other sweeps (`due_async_attempts`, `due_async_refunds`,
    /// `claim_due_notifications*`) take `now` as real time; a store opened
    /// with merchant clocks on (`--sandbox-clocks`) compares each row with
    /// its merchant's clock instead. Leases stay on real time.
    async fn expired_open_payments(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Payment>>;
    /// Async attempts whose settle time has come.
    async fn due_async_attempts(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Attempt>>;
}

/// A payment together with its hosted-page session (they are 1:1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub payment_id: PaymentId,
    pub client_id: ClientId,
    pub payment_request_id: PaymentRequestId,
    pub fingerprint: String,
    pub status: PaymentStatus,
    pub result_code: String,
    pub result_message: String,
    /// Columns `currency` and `amount_minor`.
    pub amount: Amount,
    pub reference_order_id: String,
    pub order_description: String,
    /// Column `goods_json`, a JSON array of these.
    pub goods: Vec<GoodsRecord>,
    pub buyer_reference_id: Option<String>,
    pub redirect_url: String,
    pub notify_url: Option<String>,
    pub locale: Option<String>,
    pub terminal_type: Option<String>,
    /// Column `methods_json`: the methods offered on the page (see
    /// [`OfferedMethods`]).
    pub methods: OfferedMethods,
    pub preselected_method: Option<String>,
    pub session_id: String,
    pub session_data: String,
    pub checkout_token: String,
    pub session_expires_at: Timestamp,
    pub payment_method_type: Option<String>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    /// The masked number (first six and last four digits, e.g.
    /// `424242******4242`); `None` for payments from before it was kept.
    pub card_masked: Option<String>,
    /// `paymentResultInfo` of the attempt that decided the payment, as
    /// JSON (see [`Attempt::card_details`]).
    pub card_details: Option<String>,
    pub created_at: Timestamp,
    pub paid_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub updated_at: Timestamp,
    /// Refunds that succeeded or are processing, in minor units.
    pub refunded_minor: i64,
    pub cancel_time: Option<Timestamp>,
    /// The currency the payment settles in; `None` (older payments): its
    /// own currency.
    pub settlement_currency: Option<Currency>,
    /// The sandbox rate from the payment currency to the settlement
    /// currency (`protocol::fx::Rate` text); `None`: no conversion.
    pub settlement_rate: Option<String>,
    /// When that rate was taken (the payment's creation), epoch ms.
    pub settlement_rate_at: Option<Timestamp>,
}

/// The methods a payment's page offers: column `payments.methods_json`, a
/// JSON array of the codes when none is express (every payment created
/// before express checkout existed, too), else `{"codes":…,"express":…}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OfferedMethods {
    /// The method codes, in display order.
    pub codes: Vec<String>,
    /// Those of `codes` shown as express buttons.
    pub express: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GoodsRecord {
    pub reference_goods_id: String,
    pub name: String,
    pub quantity: u64,
    pub unit_minor: u64,
    pub line_minor: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub attempt_id: AttemptId,
    pub payment_id: PaymentId,
    pub nonce: String,
    pub method: String,
    pub state: AttemptState,
    pub result_code: Option<String>,
    pub result_message: Option<String>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    /// See [`Payment::card_masked`].
    pub card_masked: Option<String>,
    /// What the issuer and the 3-D Secure server reported of the card:
    /// the attempt's `paymentResultInfo` as JSON, never the full number.
    /// `None` before authorisation, for other methods, and for attempts
    /// from before it was kept.
    pub card_details: Option<String>,
    pub wallet_token: Option<String>,
    pub settle_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Outcome of inserting a payment keyed by (client_id, payment_request_id).
#[derive(Debug)]
pub enum Inserted<T> {
    New(T),
    Existing(T),
}

/// A final outcome for a payment, applied as a compare-and-set.
#[derive(Debug, Clone)]
pub struct Finalize {
    pub payment_id: PaymentId,
    pub to: PaymentStatus,
    pub result_code: String,
    pub result_message: String,
    pub at: Timestamp,
    pub method: Option<String>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    pub card_masked: Option<String>,
    pub card_details: Option<String>,
    /// The attempt that produced the outcome and the state it moves to.
    pub attempt: Option<(AttemptId, AttemptState)>,
    /// Queued in the same transaction; `None` when no notify URL is known.
    pub notification: Option<super::NewNotification>,
}

/// An integration warning recorded on a payment (docs/protocol.md §5.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentWarning {
    pub payment_id: PaymentId,
    /// Position in the payment's list, from 0, in the order the checks met
    /// the gaps.
    pub seq: u32,
    /// The rule's stable code, e.g. `BUYER_NAME_MISSING` (text, so a code
    /// written by a newer node still shows).
    pub rule: String,
    pub field: String,
    pub message: String,
    /// The payment's creation time.
    pub created_at: Timestamp,
}

/// How often one rule was broken by a merchant's payments since a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningCount {
    pub rule: String,
    /// Payments created since the time asked that carry the rule (once per
    /// payment, however many fields broke it).
    pub payments: u64,
    /// The newest such payment's creation time.
    pub last_at: Timestamp,
}

// Statements both backends run, on sqlx or (SQLite's group-commit writer
// and readers) rusqlite, which binds by position: each names `$1`, `$2`, …
// in the order they first appear.

/// A new payment; one with its (client id, payment request id) already
/// there wins, and this does nothing.
pub(super) const INSERT_PAYMENT: &str =
    "INSERT INTO payments (payment_id, client_id, payment_request_id, fingerprint, status, result_code,
        result_message, currency, amount_minor, reference_order_id, order_description, goods_json,
        buyer_reference_id, redirect_url, notify_url, locale, terminal_type, methods_json,
        preselected_method, session_id, session_data, checkout_token, session_expires_at,
        payment_method_type, card_brand, card_last4, created_at, paid_at, closed_at, updated_at,
        refunded_minor, cancel_time, settlement_currency, settlement_rate, settlement_rate_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
        $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35)
     ON CONFLICT (client_id, payment_request_id) DO NOTHING";

pub(super) const PAYMENT: &str = "SELECT * FROM payments WHERE payment_id = $1";

pub(super) const PAYMENT_BY_REQUEST_ID: &str =
    "SELECT * FROM payments WHERE client_id = $1 AND payment_request_id = $2";

pub(super) const PAYMENT_BY_TOKEN: &str = "SELECT * FROM payments WHERE checkout_token = $1";

/// A new attempt; one with its (payment id, nonce) already there — a
/// resubmitted form — wins, and this does nothing.
pub(super) const INSERT_ATTEMPT: &str =
    "INSERT INTO payment_attempts (attempt_id, payment_id, nonce, method, state, result_code, result_message,
        card_brand, card_last4, card_masked, card_details, wallet_token, settle_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (payment_id, nonce) DO NOTHING";

pub(super) const ATTEMPT_BY_NONCE: &str =
    "SELECT * FROM payment_attempts WHERE payment_id = $1 AND nonce = $2";

pub(super) const SET_ATTEMPT_CARD_DETAILS: &str =
    "UPDATE payment_attempts SET card_details = $1 WHERE attempt_id = $2";

/// Closes a finalized payment's attempt, only while it is open: a wallet
/// approved and declined at once cannot both take effect.
pub(super) static CLOSE_ATTEMPT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE payment_attempts SET state = $1, result_code = $2, result_message = $3, updated_at = $4
         WHERE attempt_id = $5 AND state IN ({})",
        sql_list(AttemptState::OPEN.map(AttemptState::as_str))
    )
});

pub(super) static MARK_PAYMENT_PENDING: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE payments SET status = 'PENDING', payment_method_type = $1, updated_at = $2
         WHERE payment_id = $3 AND status IN ({})",
        sql_list(
            PaymentStatus::sources_of(PaymentStatus::Pending)
                .into_iter()
                .map(PaymentStatus::as_str)
        )
    )
});

pub(super) const MARK_ATTEMPT_ASYNC: &str =
    "UPDATE payment_attempts SET state = 'ASYNC', settle_at = NULL, updated_at = $1 WHERE attempt_id = $2";

// Compare-and-set statements whose allowed states, `$n` on, come as a list:
// the backend passes the SQL that checks the column against it (PostgreSQL
// binds one array, SQLite one parameter per state).

/// [`PaymentStore::update_attempt`]: the states from `$7` on.
pub(super) fn update_attempt_sql(state_among: &str) -> String {
    format!(
        "UPDATE payment_attempts SET state = $1, result_code = COALESCE($2, result_code),
            result_message = COALESCE($3, result_message), settle_at = $4, updated_at = $5
         WHERE attempt_id = $6 AND state {state_among}"
    )
}

/// [`PaymentStore::finalize_payment`]'s move of the payment: the source
/// states from `$13` on.
pub(super) fn finalize_sql(status_among: &str) -> String {
    format!(
        "UPDATE payments SET status = $1, result_code = $2, result_message = $3,
            payment_method_type = COALESCE($4, payment_method_type),
            card_brand = COALESCE($5, card_brand), card_last4 = COALESCE($6, card_last4),
            card_masked = COALESCE($7, card_masked), card_details = COALESCE($8, card_details),
            paid_at = COALESCE($9, paid_at), closed_at = COALESCE($10, closed_at), updated_at = $11
         WHERE payment_id = $12 AND status {status_among}"
    )
}

/// [`PaymentStore::cancel_payment`]: the source states from `$5` on.
pub(super) fn cancel_sql(status_among: &str) -> String {
    format!(
        "UPDATE payments SET status = 'CANCELLED', cancel_time = $1, closed_at = COALESCE(closed_at, $1),
            result_code = $2, result_message = $3, updated_at = $1
         WHERE payment_id = $4 AND refunded_minor = 0 AND status {status_among}"
    )
}

/// The times a final state sets: `paid_at` for `SUCCESS`, `closed_at`
/// otherwise.
pub(super) fn final_times(f: &Finalize) -> (Option<Timestamp>, Option<Timestamp>) {
    match f.to {
        PaymentStatus::Success => (Some(f.at), None),
        _ => (None, Some(f.at)),
    }
}

/// Implements [`PaymentStore`] for a backend (`sqlite/payments.rs`,
/// `postgres/payments.rs`), which passes in the writes and the point
/// lookups: the other statements run as written on both (sqlx numbers `$n`
/// parameters on SQLite too). The backend brings `self.pool`,
/// `self.merchant_clocks` and the row mappers.
macro_rules! payment_store {
    (impl PaymentStore for $store:ident { $($own:tt)* }) => {
        #[async_trait::async_trait]
        impl PaymentStore for $store {
            $($own)*

            async fn payment_warnings(&self, payment_id: &PaymentId) -> StoreResult<Vec<PaymentWarning>> {
                sqlx::query("SELECT * FROM payment_warnings WHERE payment_id = $1 ORDER BY seq")
                    .bind(payment_id)
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(warning_from)
                    .collect()
            }

            async fn warning_counts(&self, client_id: &ClientId, since: Timestamp) -> StoreResult<Vec<WarningCount>> {
                sqlx::query(
                    "SELECT rule, COUNT(DISTINCT payment_id) AS payments, MAX(created_at) AS last_at
                     FROM payment_warnings WHERE client_id = $1 AND created_at >= $2
                     GROUP BY rule ORDER BY payments DESC, rule",
                )
                .bind(client_id)
                .bind(since)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(warning_count_from)
                .collect()
            }

            async fn recent_warnings(
                &self,
                client_id: &ClientId,
                limit: u32,
            ) -> StoreResult<Vec<PaymentWarning>> {
                sqlx::query(
                    "SELECT * FROM payment_warnings WHERE client_id = $1
                     ORDER BY created_at DESC, payment_id DESC, seq LIMIT $2",
                )
                .bind(client_id)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(warning_from)
                .collect()
            }

            async fn attempt(&self, attempt_id: &AttemptId) -> StoreResult<Option<Attempt>> {
                sqlx::query("SELECT * FROM payment_attempts WHERE attempt_id = $1")
                    .bind(attempt_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(attempt_from)
                    .transpose()
            }

            async fn attempt_by_wallet_token(&self, token: &str) -> StoreResult<Option<Attempt>> {
                sqlx::query("SELECT * FROM payment_attempts WHERE wallet_token = $1")
                    .bind(token)
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(attempt_from)
                    .transpose()
            }

            async fn attempts(&self, payment_id: &PaymentId) -> StoreResult<Vec<Attempt>> {
                sqlx::query(
                    "SELECT * FROM payment_attempts WHERE payment_id = $1 ORDER BY created_at, attempt_id",
                )
                .bind(payment_id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(attempt_from)
                .collect()
            }

            async fn expired_open_payments(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Payment>> {
                let offset = self
                    .merchant_clocks
                    .then(|| offset_of_client("p.client_id"));
                let sql = format!(
                    "SELECT * FROM payments p WHERE p.status IN ({}) AND {}
                       AND NOT EXISTS (SELECT 1 FROM payment_attempts a WHERE a.payment_id = p.payment_id AND a.state = 'ASYNC')
                     ORDER BY p.session_expires_at LIMIT $2",
                    $crate::status::sql_list($crate::status::PaymentStatus::OPEN.map($crate::status::PaymentStatus::as_str)),
                    due_sql("p.session_expires_at", "$1", offset.as_deref())
                );
                sqlx::query(&sql)
                    .bind(now)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(payment_from)
                    .collect()
            }

            async fn due_async_attempts(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Attempt>> {
                let offset = self
                    .merchant_clocks
                    .then(|| offset_of_payment("payment_attempts.payment_id"));
                let sql = format!(
                    "SELECT * FROM payment_attempts WHERE state = 'ASYNC' AND settle_at IS NOT NULL AND {}
                     ORDER BY settle_at LIMIT $2",
                    due_sql("settle_at", "$1", offset.as_deref())
                );
                sqlx::query(&sql)
                    .bind(now)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(attempt_from)
                    .collect()
            }
        }
    };
}
pub(super) use payment_store;

/// A processing payment for store tests: `payment_id` names its session and
/// token too; times are 1 ms after the epoch.
#[cfg(test)]
pub(crate) fn test_payment(payment_id: &str, client_id: &str, request_id: &str) -> Payment {
    Payment {
        payment_id: payment_id.into(),
        client_id: client_id.into(),
        payment_request_id: request_id.into(),
        fingerprint: "fp".into(),
        status: PaymentStatus::Processing,
        result_code: "PAYMENT_IN_PROCESS".into(),
        result_message: "payment in process".into(),
        amount: Amount::new(
            cashier_protocol::Currency::from_code("SGD").expect("SGD"),
            100,
        ),
        reference_order_id: "O".into(),
        order_description: "d".into(),
        goods: Vec::new(),
        buyer_reference_id: None,
        redirect_url: "https://m.example.com/r".into(),
        notify_url: None,
        locale: None,
        terminal_type: None,
        methods: OfferedMethods::default(),
        preselected_method: None,
        session_id: format!("SES{payment_id}"),
        session_data: "x".into(),
        checkout_token: format!("tok{payment_id}"),
        session_expires_at: Timestamp::from_millis(1),
        payment_method_type: None,
        card_brand: None,
        card_last4: None,
        card_masked: None,
        card_details: None,
        created_at: Timestamp::from_millis(1),
        paid_at: None,
        closed_at: None,
        updated_at: Timestamp::from_millis(1),
        refunded_minor: 0,
        cancel_time: None,
        settlement_currency: None,
        settlement_rate: None,
        settlement_rate_at: None,
    }
}
