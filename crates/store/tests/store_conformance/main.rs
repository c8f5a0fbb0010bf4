//! The store conformance suite (README.md, "The two commands"): one set of
//! checks of each concern's contract — uniqueness, compare-and-set, the
//! transactional outbox, notification leases, refund accounting, job leases
//! — run against every backend. SQLite always; PostgreSQL when
//! `CASHIER_TEST_POSTGRES_URL` is set (a fresh `cashier_t_*` database per
//! test, dropped afterwards); without it the PostgreSQL tests are reported as
//! ignored, with the reason (see `build.rs`). If the variable is set and the
//! server cannot be reached, the PostgreSQL tests fail rather than skip.
//!
//! One module per concern trait (`payments.rs`, `outbox.rs`, …), next to
//! the builders they share here. Each check is one async function taking
//! `Arc<dyn Store>`; the `conformance!` macro turns each into a `sqlite` and
//! a `postgres` test
//! (`cargo test -p cashier-store --test store_conformance refund`).

use std::collections::HashSet;
use std::sync::Arc;

use cashier_protocol::{Amount, Currency, IntegrationWarning, WarningRule};
use cashier_store::postgres::admin::ScratchDatabase;
use cashier_store::status::{AttemptState, PaymentStatus};
use cashier_store::*;
use tokio::task::JoinSet;

const T0: Timestamp = Timestamp::from_millis(1_750_000_000_000);

/// `n` milliseconds, to move from [`T0`].
fn ms(n: i64) -> chrono::Duration {
    chrono::Duration::milliseconds(n)
}
const PAYMENT_RESULT: &str = "PAYMENT_RESULT";
const REFUND_RESULT: &str = "REFUND_RESULT";

/// Turns each check of a concern's module into a `sqlite` and a
/// `postgres` test.
macro_rules! conformance {
    ($($check:ident),* $(,)?) => {$(
        mod $check {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let backend = crate::sqlite().await;
                super::$check(backend.store.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(
                not(postgres_tests),
                ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
            )]
            async fn postgres() {
                let backend = crate::postgres().await;
                super::$check(backend.store.clone()).await;
            }
        }
    )*};
}

mod api_log;
mod dashboard;
mod health;
mod merchants;
mod outbox;
mod payments;
mod refunds;
mod reports;

// ------------------------------------------------------------------ backends

/// A store under test and what must be cleaned up after it (the store
/// first: its pool closes before the scratch database is dropped).
struct Backend {
    store: Arc<dyn Store>,
    dir: Option<tempfile::TempDir>,
    db: Option<ScratchDatabase>,
}

impl Backend {
    /// Runs `sql` on the backend's database past the store, as a damaged
    /// or hand-edited database would read.
    async fn execute_raw(&self, sql: &str) {
        match (&self.dir, &self.db) {
            (Some(dir), _) => {
                let conn = rusqlite::Connection::open(dir.path().join(SQLITE_FILE))
                    .expect("open the SQLite file");
                conn.busy_timeout(std::time::Duration::from_secs(10))
                    .expect("busy timeout");
                conn.execute_batch(sql).expect("raw SQL runs");
            }
            (None, Some(db)) => {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&db.url)
                    .await
                    .expect("connect to the scratch database");
                sqlx::raw_sql(sql)
                    .execute(&mut conn)
                    .await
                    .expect("raw SQL runs");
            }
            (None, None) => unreachable!("a backend has a file or a database"),
        }
    }
}

const SQLITE_FILE: &str = "conformance.sqlite3";

async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join(SQLITE_FILE))
        .await
        .expect("SQLite store opens");
    Backend {
        store: Arc::new(store),
        dir: Some(dir),
        db: None,
    }
}

/// Only called by the `postgres` tests, which are ignored unless
/// `CASHIER_TEST_POSTGRES_URL` is set.
async fn postgres() -> Backend {
    let admin_url = std::env::var("CASHIER_TEST_POSTGRES_URL").expect("CASHIER_TEST_POSTGRES_URL");
    let db = ScratchDatabase::create(&admin_url)
        .await
        .unwrap_or_else(|e| {
            panic!("CASHIER_TEST_POSTGRES_URL is set but unusable ({admin_url}): {e}")
        });
    let store = PostgresStore::open(&db.url)
        .await
        .expect("PostgreSQL store opens and migrates");
    Backend {
        store: Arc::new(store),
        dir: None,
        db: Some(db),
    }
}

// ------------------------------------------------------------------ builders

fn merchant(client_id: &str) -> Merchant {
    Merchant {
        client_id: client_id.into(),
        name: format!("{client_id} Pte Ltd"),
        brand_name: format!("{client_id} Brand"),
        logo_file: Some("logo.png".into()),
        notify_url: Some("https://m.example.com/notify".into()),
        refund_notify_url: None,
        status: "ACTIVE".into(),
        fee_bps: 250,
        created_at: T0,
        accent_color: Some("#0a7c3e".into()),
        strict: false,
        settlement_currencies: Some("SGD,USD".into()),
        clock_offset_ms: 0,
    }
}

/// `minor` units of the currency `code`.
fn money(code: &str, minor: i64) -> Amount {
    Amount::new(
        Currency::from_code(code).expect("a supported currency"),
        u64::try_from(minor).expect("a non-negative amount"),
    )
}

/// `amount` in the currency `code` instead.
fn with_currency(amount: Amount, code: &str) -> Amount {
    Amount::new(
        Currency::from_code(code).expect("a supported currency"),
        amount.minor(),
    )
}

fn payment(client_id: &str, request_id: &str, amount: i64) -> Payment {
    let unique = format!("{:016x}", rand::random::<u64>());
    Payment {
        payment_id: format!("PAY{unique}").into(),
        client_id: client_id.into(),
        payment_request_id: request_id.into(),
        fingerprint: format!("fp-{request_id}-{amount}"),
        status: PaymentStatus::Processing,
        result_code: "PAYMENT_IN_PROCESS".into(),
        result_message: "payment in process".into(),
        amount: money("SGD", amount),
        reference_order_id: format!("ORDER-{request_id}"),
        order_description: "Kopi — 咖啡".into(),
        goods: Vec::new(),
        buyer_reference_id: Some("BUYER-1".into()),
        redirect_url: "https://m.example.com/return".into(),
        notify_url: Some("https://m.example.com/notify".into()),
        locale: Some("en_US".into()),
        terminal_type: Some("WEB".into()),
        methods: OfferedMethods {
            codes: vec!["CARD".into()],
            express: Vec::new(),
        },
        preselected_method: None,
        session_id: format!("SES{unique}"),
        session_data: format!("data{unique}"),
        checkout_token: format!("tok{unique}"),
        session_expires_at: T0 + ms(3_600_000),
        payment_method_type: None,
        card_brand: None,
        card_last4: None,
        card_masked: None,
        card_details: None,
        created_at: T0,
        paid_at: None,
        closed_at: None,
        updated_at: T0,
        refunded_minor: 0,
        cancel_time: None,
        settlement_currency: Currency::from_code("SGD"),
        settlement_rate: None,
        settlement_rate_at: None,
    }
}

fn attempt(payment_id: &str, nonce: &str, state: AttemptState) -> Attempt {
    Attempt {
        attempt_id: format!("ATT{:016x}", rand::random::<u64>()).into(),
        payment_id: payment_id.into(),
        nonce: nonce.into(),
        method: "CARD".into(),
        state,
        result_code: None,
        result_message: None,
        card_brand: Some("VISA".into()),
        card_last4: Some("4242".into()),
        card_masked: Some("424242******4242".into()),
        card_details: None,
        wallet_token: None,
        settle_at: None,
        created_at: T0,
        updated_at: T0,
    }
}

fn note(kind: &str, subject_id: &str, payment_id: &str) -> NewNotification {
    NewNotification {
        notification_id: format!("NTF{:016x}", rand::random::<u64>()).into(),
        client_id: "M1".into(),
        kind: kind.into(),
        subject_id: subject_id.into(),
        payment_id: payment_id.into(),
        url: "https://m.example.com/notify".into(),
        body: format!("{{\"subject\":\"{subject_id}\"}}"),
    }
}

fn finalize(payment_id: &str, to: PaymentStatus, at: Timestamp) -> Finalize {
    Finalize {
        payment_id: payment_id.into(),
        to,
        result_code: if to == PaymentStatus::Success {
            "SUCCESS".into()
        } else {
            "ORDER_IS_CLOSED".into()
        },
        result_message: "done".into(),
        at,
        method: Some("CARD".into()),
        card_brand: Some("VISA".into()),
        card_last4: Some("4242".into()),
        card_masked: Some("424242******4242".into()),
        card_details: None,
        attempt: None,
        notification: Some(note(PAYMENT_RESULT, payment_id, payment_id)),
    }
}

fn refund(p: &Payment, request_id: &str, amount: i64, status: RefundStatus) -> Refund {
    Refund {
        refund_id: format!("REF{:016x}", rand::random::<u64>()).into(),
        client_id: p.client_id.clone(),
        refund_request_id: request_id.into(),
        payment_id: p.payment_id.clone(),
        reference_refund_id: Some(format!("RR-{request_id}")),
        fingerprint: format!("{}|SGD|{amount}", p.payment_id),
        amount: money("SGD", amount),
        reason: None,
        notify_url: None,
        status,
        result_code: match status {
            RefundStatus::Processing => "REFUND_IN_PROCESS".into(),
            RefundStatus::Success => "SUCCESS".into(),
            RefundStatus::Fail => "REFUND_AMOUNT_EXCEED".into(),
        },
        result_message: "refund".into(),
        created_at: T0 + ms(10_000),
        refund_time: (status != RefundStatus::Processing).then_some(T0 + ms(10_000)),
        settle_at: (status == RefundStatus::Processing).then_some(T0 + ms(20_000)),
        updated_at: T0 + ms(10_000),
    }
}

/// A merchant "M1" and a payment in `SUCCESS` of `amount`.
async fn paid(store: &dyn Store, request_id: &str, amount: i64) -> Payment {
    ensure_merchant(store, "M1").await;
    let p = payment("M1", request_id, amount);
    store.insert_payment(&p).await.unwrap();
    let mut f = finalize(&p.payment_id, PaymentStatus::Success, T0 + ms(1_000));
    f.notification = None;
    assert!(store.finalize_payment(&f).await.unwrap());
    store.payment(&p.payment_id).await.unwrap().unwrap()
}

async fn ensure_merchant(store: &dyn Store, client_id: &str) {
    match store.insert_merchant(&merchant(client_id)).await {
        Ok(()) | Err(StoreError::Conflict(_)) => {}
        Err(e) => panic!("insert merchant: {e}"),
    }
}

fn api_row(client_id: &str, at: Timestamp, code: &str) -> ApiRequestRecord {
    ApiRequestRecord {
        client_id: client_id.into(),
        at,
        api: "inquiryPayment".into(),
        result_code: code.into(),
        result_status: if code == "SUCCESS" { "S" } else { "F" }.into(),
        latency_us: 1234,
        request_id: (at.millis() % 2 == 0).then(|| format!("PR-{}", at.millis())),
        authenticated: code != "INVALID_SIGNATURE",
    }
}
