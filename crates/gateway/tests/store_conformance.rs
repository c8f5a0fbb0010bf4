//! The `Store` conformance suite (README.md, "The two commands"): one set of checks
//! of the trait's contract — uniqueness, compare-and-set, the transactional
//! outbox, notification leases, refund accounting, job leases — run against
//! every backend. SQLite always; PostgreSQL when `CASHIER_TEST_POSTGRES_URL`
//! is set (a fresh `cashier_t_*` database per test, dropped afterwards);
//! without it the PostgreSQL tests are reported as ignored, with the reason
//! (see `build.rs`). If the variable is set and the server cannot be
//! reached, the PostgreSQL tests fail rather than skip.
//!
//! Each check is one async function taking `Arc<dyn Store>`; the
//! `conformance!` macro at the bottom turns each into a `sqlite` and a
//! `postgres` test (`cargo test --test store_conformance refund`).

use std::collections::HashSet;
use std::sync::Arc;

use cashier_gateway::payments::state::{AttemptState, PaymentStatus};
use cashier_gateway::store::postgres::admin::ScratchDatabase;
use cashier_gateway::store::*;
use cashier_protocol::{IntegrationWarning, WarningRule};
use tokio::task::JoinSet;

const T0: i64 = 1_750_000_000_000;
const PAYMENT_RESULT: &str = "PAYMENT_RESULT";
const REFUND_RESULT: &str = "REFUND_RESULT";

// ------------------------------------------------------------------ backends

/// A store under test and what must be cleaned up after it (the store
/// first: its pool closes before the scratch database is dropped).
struct Backend {
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
    _db: Option<ScratchDatabase>,
}

async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("conformance.sqlite3"))
        .await
        .expect("SQLite store opens");
    Backend {
        store: Arc::new(store),
        _dir: Some(dir),
        _db: None,
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
        _dir: None,
        _db: Some(db),
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

fn payment(client_id: &str, request_id: &str, amount: i64) -> Payment {
    let unique = format!("{:016x}", rand::random::<u64>());
    Payment {
        payment_id: format!("PAY{unique}"),
        client_id: client_id.into(),
        payment_request_id: request_id.into(),
        fingerprint: format!("fp-{request_id}-{amount}"),
        status: PaymentStatus::Processing,
        result_code: "PAYMENT_IN_PROCESS".into(),
        result_message: "payment in process".into(),
        currency: "SGD".into(),
        amount_minor: amount,
        reference_order_id: format!("ORDER-{request_id}"),
        order_description: "Kopi — 咖啡".into(),
        goods_json: "[]".into(),
        buyer_reference_id: Some("BUYER-1".into()),
        redirect_url: "https://m.example.com/return".into(),
        notify_url: Some("https://m.example.com/notify".into()),
        locale: Some("en_US".into()),
        terminal_type: Some("WEB".into()),
        methods_json: "[\"CARD\"]".into(),
        preselected_method: None,
        session_id: format!("SES{unique}"),
        session_data: format!("data{unique}"),
        checkout_token: format!("tok{unique}"),
        session_expires_at: T0 + 3_600_000,
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
        settlement_currency: Some("SGD".into()),
        settlement_rate: None,
        settlement_rate_at: None,
    }
}

fn attempt(payment_id: &str, nonce: &str, state: AttemptState) -> Attempt {
    Attempt {
        attempt_id: format!("ATT{:016x}", rand::random::<u64>()),
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
        notification_id: format!("NTF{:016x}", rand::random::<u64>()),
        client_id: "M1".into(),
        kind: kind.into(),
        subject_id: subject_id.into(),
        payment_id: payment_id.into(),
        url: "https://m.example.com/notify".into(),
        body: format!("{{\"subject\":\"{subject_id}\"}}"),
    }
}

fn finalize(payment_id: &str, to: PaymentStatus, at: i64) -> Finalize {
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
        refund_id: format!("REF{:016x}", rand::random::<u64>()),
        client_id: p.client_id.clone(),
        refund_request_id: request_id.into(),
        payment_id: p.payment_id.clone(),
        reference_refund_id: Some(format!("RR-{request_id}")),
        fingerprint: format!("{}|SGD|{amount}", p.payment_id),
        currency: "SGD".into(),
        amount_minor: amount,
        reason: None,
        notify_url: None,
        status,
        result_code: match status {
            RefundStatus::Processing => "REFUND_IN_PROCESS".into(),
            RefundStatus::Success => "SUCCESS".into(),
            RefundStatus::Fail => "REFUND_AMOUNT_EXCEED".into(),
        },
        result_message: "refund".into(),
        created_at: T0 + 10_000,
        refund_time: (status != RefundStatus::Processing).then_some(T0 + 10_000),
        settle_at: (status == RefundStatus::Processing).then_some(T0 + 20_000),
        updated_at: T0 + 10_000,
    }
}

/// A merchant "M1" and a payment in `SUCCESS` of `amount`.
async fn paid(store: &dyn Store, request_id: &str, amount: i64) -> Payment {
    ensure_merchant(store, "M1").await;
    let p = payment("M1", request_id, amount);
    store.insert_payment(&p).await.unwrap();
    let mut f = finalize(&p.payment_id, PaymentStatus::Success, T0 + 1_000);
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

// ------------------------------------------------------------------ checks

async fn merchants_and_keys(store: Arc<dyn Store>) {
    store.ping().await.unwrap();
    assert_eq!(store.counts().await.unwrap(), StoreCounts::default());
    let mut b = merchant("M-B");
    b.created_at = T0 + 5;
    b.fee_bps = 0;
    b.logo_file = None;
    store.insert_merchant(&b).await.unwrap();
    store.insert_merchant(&merchant("M-A")).await.unwrap();
    assert!(matches!(
        store.insert_merchant(&merchant("M-A")).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.merchant("M-A").await.unwrap(),
        Some(merchant("M-A")),
        "round trip"
    );
    assert_eq!(store.merchant("nobody").await.unwrap(), None);
    let all: Vec<_> = store
        .merchants()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.client_id)
        .collect();
    assert_eq!(all, ["M-A", "M-B"], "ordered by creation");

    let key = |v: u32| MerchantKey {
        client_id: "M-A".into(),
        key_version: v,
        public_key: vec![0, 1, 2, 0xff, v as u8],
        created_at: T0 + i64::from(v),
        retired_at: None,
    };
    store.insert_merchant_key(&key(2)).await.unwrap();
    store.insert_merchant_key(&key(1)).await.unwrap();
    assert!(matches!(
        store.insert_merchant_key(&key(1)).await,
        Err(StoreError::Conflict(_))
    ));
    let mut orphan = key(1);
    orphan.client_id = "nobody".into();
    assert!(matches!(
        store.insert_merchant_key(&orphan).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.merchant_key("M-A", 2).await.unwrap(), Some(key(2)));
    assert_eq!(store.merchant_key("M-A", 3).await.unwrap(), None);
    let versions: Vec<_> = store
        .merchant_keys("M-A")
        .await
        .unwrap()
        .iter()
        .map(|k| k.key_version)
        .collect();
    assert_eq!(versions, [1, 2]);
    assert_eq!(store.counts().await.unwrap().merchants, 2);
}

async fn payment_insert_is_idempotent_under_50_concurrent_inserts(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let mut tasks = JoinSet::new();
    for _ in 0..50 {
        let store = store.clone();
        tasks.spawn(async move {
            let p = payment("M1", "PR-RACE", 6000);
            (p.clone(), store.insert_payment(&p).await.unwrap())
        });
    }
    let mut new = Vec::new();
    let mut seen_ids = HashSet::new();
    while let Some(r) = tasks.join_next().await {
        let (sent, got) = r.unwrap();
        match got {
            Inserted::New(p) => {
                assert_eq!(p, sent);
                seen_ids.insert(p.payment_id.clone());
                new.push(p);
            }
            Inserted::Existing(p) => {
                seen_ids.insert(p.payment_id);
            }
        }
    }
    assert_eq!(new.len(), 1, "exactly one insert wins");
    assert_eq!(seen_ids.len(), 1, "every caller sees the winner");
    let winner = &new[0];
    assert_eq!(store.counts().await.unwrap().payments, 1);
    let stored = store.payment(&winner.payment_id).await.unwrap().unwrap();
    assert_eq!(&stored, winner, "every field round-trips");
    assert_eq!(
        store.payment_by_request_id("M1", "PR-RACE").await.unwrap(),
        Some(stored.clone())
    );
    assert_eq!(
        store
            .payment_by_token(&winner.checkout_token)
            .await
            .unwrap(),
        Some(stored)
    );
    assert_eq!(
        store.payment_by_request_id("M2", "PR-RACE").await.unwrap(),
        None
    );
    assert_eq!(store.payment_by_token("nope").await.unwrap(), None);
    // Another merchant may reuse the request id.
    ensure_merchant(store.as_ref(), "M2").await;
    assert!(matches!(
        store
            .insert_payment(&payment("M2", "PR-RACE", 6000))
            .await
            .unwrap(),
        Inserted::New(_)
    ));
}

async fn attempts_are_unique_per_nonce(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let p = payment("M1", "PR-ATT", 100);
    store.insert_payment(&p).await.unwrap();
    let mut tasks = JoinSet::new();
    for _ in 0..20 {
        let (store, pid) = (store.clone(), p.payment_id.clone());
        tasks.spawn(async move {
            let a = attempt(&pid, "nonce-1", AttemptState::Submitted);
            store.insert_attempt(&a).await.unwrap()
        });
    }
    let mut new = 0;
    let mut ids = HashSet::new();
    while let Some(r) = tasks.join_next().await {
        match r.unwrap() {
            Inserted::New(a) => {
                new += 1;
                ids.insert(a.attempt_id);
            }
            Inserted::Existing(a) => {
                ids.insert(a.attempt_id);
            }
        }
    }
    assert_eq!((new, ids.len()), (1, 1), "one attempt per form nonce");
    let mut second = attempt(&p.payment_id, "nonce-2", AttemptState::Wallet);
    second.wallet_token = Some("wallet-tok".into());
    second.created_at = T0 + 1;
    assert!(matches!(
        store.insert_attempt(&second).await.unwrap(),
        Inserted::New(_)
    ));
    let list = store.attempts(&p.payment_id).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1], second, "round trip, in creation order");
    assert_eq!(
        store.attempt_by_wallet_token("wallet-tok").await.unwrap(),
        Some(second.clone())
    );
    assert_eq!(
        store.attempt(&second.attempt_id).await.unwrap(),
        Some(second.clone())
    );

    // update_attempt is a compare-and-set on the state.
    let first = list[0].attempt_id.clone();
    assert!(!store
        .update_attempt(
            &first,
            &[AttemptState::Challenge],
            AttemptState::Declined,
            None,
            None,
            T0 + 5
        )
        .await
        .unwrap());
    assert!(store
        .update_attempt(
            &first,
            &[AttemptState::Submitted, AttemptState::Challenge],
            AttemptState::Async,
            Some(("PAYMENT_IN_PROCESS", "later")),
            Some(T0 + 100),
            T0 + 5
        )
        .await
        .unwrap());
    let a = store.attempt(&first).await.unwrap().unwrap();
    assert_eq!(a.state, AttemptState::Async);
    assert_eq!(a.result_code.as_deref(), Some("PAYMENT_IN_PROCESS"));
    assert_eq!((a.settle_at, a.updated_at), (Some(T0 + 100), T0 + 5));
    // A None result keeps the previous one.
    assert!(store
        .update_attempt(
            &first,
            &[AttemptState::Async],
            AttemptState::Declined,
            None,
            None,
            T0 + 6
        )
        .await
        .unwrap());
    let a = store.attempt(&first).await.unwrap().unwrap();
    assert_eq!(
        (a.state, a.result_code.as_deref(), a.settle_at),
        (AttemptState::Declined, Some("PAYMENT_IN_PROCESS"), None)
    );

    // Only the settle time of ASYNC attempts counts.
    let due = store.due_async_attempts(T0 + 1_000, 10).await.unwrap();
    assert!(due.is_empty(), "{due:?}");
}

async fn finalize_is_compare_and_set_under_two_concurrent_finalizers(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    for round in 0..10 {
        let p = payment("M1", &format!("PR-FIN-{round}"), 500);
        store.insert_payment(&p).await.unwrap();
        let a = attempt(&p.payment_id, "n", AttemptState::Submitted);
        store.insert_attempt(&a).await.unwrap();
        let mut success = finalize(&p.payment_id, PaymentStatus::Success, T0 + 10);
        success.attempt = Some((a.attempt_id.clone(), AttemptState::Succeeded));
        let expire = finalize(&p.payment_id, PaymentStatus::Fail, T0 + 11);
        let (s1, s2) = (store.clone(), store.clone());
        let (f1, f2) = (success.clone(), expire.clone());
        let t1 = tokio::spawn(async move { s1.finalize_payment(&f1).await.unwrap() });
        let t2 = tokio::spawn(async move { s2.finalize_payment(&f2).await.unwrap() });
        let (r1, r2) = (t1.await.unwrap(), t2.await.unwrap());
        assert!(r1 ^ r2, "exactly one finalizer wins (round {round})");
        let now = store.payment(&p.payment_id).await.unwrap().unwrap();
        let notes = store.notifications_for(&p.payment_id).await.unwrap();
        assert_eq!(notes.len(), 1, "one notification, from the winner");
        let att = store.attempt(&a.attempt_id).await.unwrap().unwrap();
        if r1 {
            assert_eq!(now.status, PaymentStatus::Success);
            assert_eq!((now.paid_at, now.closed_at), (Some(T0 + 10), None));
            assert_eq!(now.card_last4.as_deref(), Some("4242"));
            assert_eq!(
                notes[0].notification_id,
                success.notification.as_ref().unwrap().notification_id
            );
            assert_eq!(att.state, AttemptState::Succeeded);
        } else {
            assert_eq!(now.status, PaymentStatus::Fail);
            assert_eq!((now.paid_at, now.closed_at), (None, Some(T0 + 11)));
            assert_eq!(
                notes[0].notification_id,
                expire.notification.as_ref().unwrap().notification_id
            );
            assert_eq!(att.state, AttemptState::Submitted, "loser changed nothing");
        }
    }
}

async fn card_details_follow_the_attempt_to_the_payment(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let p = payment("M1", "PR-CARD-DETAILS", 700);
    store.insert_payment(&p).await.unwrap();
    let a = attempt(&p.payment_id, "n1", AttemptState::Submitted);
    store.insert_attempt(&a).await.unwrap();
    let first = r#"{"cardNo":"400000******3220","funding":"CREDIT"}"#;
    let second = r#"{"cardNo":"400000******3220","funding":"CREDIT","threeDSResult":{"eci":"05"}}"#;
    store
        .set_attempt_card_details(&a.attempt_id, first)
        .await
        .unwrap();
    // A later step (the 3-D Secure challenge) replaces what the first wrote.
    store
        .set_attempt_card_details(&a.attempt_id, second)
        .await
        .unwrap();
    let kept = store.attempts(&p.payment_id).await.unwrap();
    assert_eq!(kept[0].card_details.as_deref(), Some(second));
    let mut f = finalize(&p.payment_id, PaymentStatus::Success, T0 + 50);
    f.attempt = Some((a.attempt_id.clone(), AttemptState::Succeeded));
    f.card_details = Some(second.into());
    assert!(store.finalize_payment(&f).await.unwrap());
    let paid = store.payment(&p.payment_id).await.unwrap().unwrap();
    assert_eq!(paid.card_details.as_deref(), Some(second));
    assert_eq!(paid.card_masked.as_deref(), Some("424242******4242"));
}

async fn finalize_commits_the_outbox_row_with_the_state(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let p = payment("M1", "PR-OUTBOX", 700);
    store.insert_payment(&p).await.unwrap();
    let a = attempt(&p.payment_id, "n1", AttemptState::Submitted);
    store.insert_attempt(&a).await.unwrap();
    // The attempt is closed already: the whole finalize rolls back,
    // payment and outbox included.
    store
        .update_attempt(
            &a.attempt_id,
            &[AttemptState::Submitted],
            AttemptState::Declined,
            None,
            None,
            T0,
        )
        .await
        .unwrap();
    let mut f = finalize(&p.payment_id, PaymentStatus::Success, T0 + 50);
    f.attempt = Some((a.attempt_id.clone(), AttemptState::Succeeded));
    assert!(!store.finalize_payment(&f).await.unwrap());
    assert_eq!(
        store.payment(&p.payment_id).await.unwrap().unwrap().status,
        PaymentStatus::Processing,
        "rolled back"
    );
    assert!(store
        .notifications_for(&p.payment_id)
        .await
        .unwrap()
        .is_empty());

    // A fresh attempt: state, attempt and notification commit together.
    let b = attempt(&p.payment_id, "n2", AttemptState::Submitted);
    store.insert_attempt(&b).await.unwrap();
    f.attempt = Some((b.attempt_id.clone(), AttemptState::Succeeded));
    assert!(store.finalize_payment(&f).await.unwrap());
    let notes = store.notifications_for(&p.payment_id).await.unwrap();
    assert_eq!(notes.len(), 1);
    let n = &notes[0];
    let sent = f.notification.as_ref().unwrap();
    assert_eq!(
        (
            n.notification_id.as_str(),
            n.kind.as_str(),
            n.body.as_str(),
            n.status.as_str()
        ),
        (
            sent.notification_id.as_str(),
            PAYMENT_RESULT,
            sent.body.as_str(),
            "PENDING"
        )
    );
    assert_eq!(
        (n.attempts, n.next_attempt_at, n.created_at, n.delivered_at),
        (0, T0 + 50, T0 + 50, None)
    );
    let c = store.counts().await.unwrap();
    assert_eq!((c.notifications, c.pending_notifications), (1, 1));
    assert_eq!(store.next_notification_due().await.unwrap(), Some(T0 + 50));

    // FAIL never changes; a second success is refused and queues nothing.
    let mut again = finalize(&p.payment_id, PaymentStatus::Success, T0 + 60);
    again.notification.as_mut().unwrap().kind = "OTHER".into();
    assert!(!store.finalize_payment(&again).await.unwrap());
    assert!(!store
        .finalize_payment(&finalize(&p.payment_id, PaymentStatus::Fail, T0 + 60))
        .await
        .unwrap());
    assert_eq!(store.counts().await.unwrap().notifications, 1);
    assert!(!store
        .finalize_payment(&finalize("PAY-unknown", PaymentStatus::Success, T0))
        .await
        .unwrap());

    // mark_pending: PROCESSING → PENDING only, with the attempt to ASYNC.
    let q = payment("M1", "PR-PENDING", 100);
    store.insert_payment(&q).await.unwrap();
    let w = attempt(&q.payment_id, "w", AttemptState::Wallet);
    store.insert_attempt(&w).await.unwrap();
    assert!(store
        .mark_pending(&q.payment_id, &w.attempt_id, "ALIPAY_CN", T0 + 5)
        .await
        .unwrap());
    assert!(!store
        .mark_pending(&q.payment_id, &w.attempt_id, "ALIPAY_CN", T0 + 6)
        .await
        .unwrap());
    let q2 = store.payment(&q.payment_id).await.unwrap().unwrap();
    assert_eq!(
        (q2.status, q2.payment_method_type.as_deref()),
        (PaymentStatus::Pending, Some("ALIPAY_CN"))
    );
    assert_eq!(
        store.attempt(&w.attempt_id).await.unwrap().unwrap().state,
        AttemptState::Async
    );
    let mut settle = finalize(&q.payment_id, PaymentStatus::Success, T0 + 7);
    settle.attempt = Some((w.attempt_id.clone(), AttemptState::Succeeded));
    assert!(store.finalize_payment(&settle).await.unwrap());
}

async fn expiry_and_settlement_queries(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let mut expired = payment("M1", "PR-EXP", 100);
    expired.session_expires_at = T0 + 10;
    let mut waiting = payment("M1", "PR-EXP-ASYNC", 100);
    waiting.session_expires_at = T0 + 5;
    let mut open = payment("M1", "PR-OPEN", 100);
    open.session_expires_at = T0 + 1_000;
    for p in [&expired, &waiting, &open] {
        store.insert_payment(p).await.unwrap();
    }
    let mut a = attempt(&waiting.payment_id, "n", AttemptState::Async);
    a.settle_at = Some(T0 + 20);
    store.insert_attempt(&a).await.unwrap();
    let ids = |v: Vec<Payment>| v.into_iter().map(|p| p.payment_id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.expired_open_payments(T0 + 100, 10).await.unwrap()),
        [expired.payment_id.clone()],
        "a payment waiting for an async result is not expired"
    );
    assert!(store
        .expired_open_payments(T0 + 9, 10)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .due_async_attempts(T0 + 19, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.due_async_attempts(T0 + 20, 10).await.unwrap(),
        [a.clone()]
    );
}

/// Inserts `n` notifications due at T0 through finalized payments.
async fn queue(store: &dyn Store, n: usize, prefix: &str) -> Vec<String> {
    ensure_merchant(store, "M1").await;
    let mut ids = Vec::new();
    for i in 0..n {
        let p = payment("M1", &format!("{prefix}-{i}"), 100);
        store.insert_payment(&p).await.unwrap();
        let f = finalize(&p.payment_id, PaymentStatus::Success, T0);
        ids.push(f.notification.as_ref().unwrap().notification_id.clone());
        assert!(store.finalize_payment(&f).await.unwrap());
    }
    ids
}

fn delivery(n: &Notification, at: i64, acknowledged: bool) -> DeliveryAttempt {
    DeliveryAttempt {
        notification_id: n.notification_id.clone(),
        attempt_no: n.attempts + 1,
        attempted_at: at,
        http_status: Some(if acknowledged { 200 } else { 500 }),
        latency_ms: 12,
        response_excerpt: Some("ok".into()),
        error: None,
        acknowledged,
        request_time: Some("2025-01-01T00:00:00+08:00".into()),
        signature: Some("algorithm=RSA256,keyVersion=1,signature=x".into()),
    }
}

async fn notification_claims_are_leases(store: Arc<dyn Store>) {
    let all: HashSet<String> = queue(store.as_ref(), 30, "PR-LEASE")
        .await
        .into_iter()
        .collect();
    // Two dispatchers claim at once: disjoint batches, nothing left over.
    let (s1, s2) = (store.clone(), store.clone());
    let c1 = tokio::spawn(async move { s1.claim_due_notifications(T0, T0 + 60_000, 20).await });
    let c2 = tokio::spawn(async move { s2.claim_due_notifications(T0, T0 + 60_000, 20).await });
    let (b1, b2) = (c1.await.unwrap().unwrap(), c2.await.unwrap().unwrap());
    let set1: HashSet<_> = b1.iter().map(|n| n.notification_id.clone()).collect();
    let set2: HashSet<_> = b2.iter().map(|n| n.notification_id.clone()).collect();
    assert_eq!(set1.len(), b1.len());
    assert!(set1.is_disjoint(&set2), "no row claimed twice");
    assert!(b1.len() <= 20 && b2.len() <= 20);
    let union: HashSet<_> = set1.union(&set2).cloned().collect();
    assert_eq!(union, all, "every due row claimed by one of them");

    // Leased rows are not claimable until the lease runs out...
    assert!(store
        .claim_due_notifications(T0 + 59_999, T0 + 120_000, 100)
        .await
        .unwrap()
        .is_empty());
    // ...then another dispatcher takes them over (a dead node's claims).
    let reclaimed = store
        .claim_due_notifications(T0 + 60_000, T0 + 120_000, 100)
        .await
        .unwrap();
    assert_eq!(reclaimed.len(), 30);

    // Delivered, retried and given-up rows.
    let mut by_id: Vec<Notification> = reclaimed;
    by_id.sort_by(|a, b| a.notification_id.cmp(&b.notification_id));
    let (delivered, retried, failed) = (&by_id[0], &by_id[1], &by_id[2]);
    // On the claim that holds them (its lease runs to T0 + 120 s).
    for (n, ack, next) in [
        (delivered, true, DeliveryNext::Delivered),
        (retried, false, DeliveryNext::RetryAt(T0 + 500_000)),
        (failed, false, DeliveryNext::GiveUp),
    ] {
        assert!(store
            .record_claimed_delivery(&delivery(n, T0 + 61_000, ack), next, T0 + 120_000)
            .await
            .unwrap());
    }
    let later = store
        .claim_due_notifications(T0 + 200_000, T0 + 1_000_000, 100)
        .await
        .unwrap();
    let later_ids: HashSet<_> = later.iter().map(|n| n.notification_id.clone()).collect();
    assert_eq!(later.len(), 27, "the other 27 leases expired");
    for n in [delivered, retried, failed] {
        assert!(!later_ids.contains(&n.notification_id));
    }
    let at_retry = store
        .claim_due_notifications(T0 + 500_000, T0 + 560_000, 100)
        .await
        .unwrap();
    assert_eq!(
        at_retry
            .iter()
            .map(|n| (n.notification_id.clone(), n.attempts))
            .collect::<Vec<_>>(),
        [(retried.notification_id.clone(), 1)],
        "the retry is due at its time; a delivered or failed row never again"
    );

    let d = store
        .notifications_for(&delivered.subject_id)
        .await
        .unwrap();
    assert_eq!(
        (d[0].status.as_str(), d[0].attempts, d[0].delivered_at),
        ("DELIVERED", 1, Some(T0 + 61_000))
    );
    let f = store.notifications_for(&failed.subject_id).await.unwrap();
    assert_eq!((f[0].status.as_str(), f[0].delivered_at), ("FAILED", None));
    let log = store
        .delivery_attempts(&delivered.notification_id)
        .await
        .unwrap();
    assert_eq!(log, [delivery(delivered, T0 + 61_000, true)]);
    let c = store.counts().await.unwrap();
    assert_eq!((c.notifications, c.pending_notifications), (30, 28));
    assert_eq!(store.next_notification_due().await.unwrap(), Some(T0));
}

async fn concurrent_claimers_never_share_a_row(store: Arc<dyn Store>) {
    let all = queue(store.as_ref(), 60, "PR-CLAIMERS").await;
    // Eight dispatchers claim small batches until nothing is left; every
    // row is handed out exactly once.
    let mut tasks = JoinSet::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = store
                    .claim_due_notifications(T0, T0 + 60_000, 3)
                    .await
                    .unwrap();
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|n| n.notification_id));
            }
        });
    }
    let mut seen = Vec::new();
    while let Some(r) = tasks.join_next().await {
        seen.extend(r.unwrap());
    }
    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(seen.len(), unique.len(), "a row was claimed twice");
    assert_eq!(unique, all.into_iter().collect::<HashSet<_>>());
}

async fn refund_notifications_wait_for_the_payment_notification(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let p = payment("M1", "PR-ORDER", 1000);
    store.insert_payment(&p).await.unwrap();
    assert!(store
        .finalize_payment(&finalize(&p.payment_id, PaymentStatus::Success, T0))
        .await
        .unwrap());
    let r = refund(&p, "RR-ORDER", 100, RefundStatus::Success);
    let rn = note(REFUND_RESULT, &r.refund_id, &p.payment_id);
    assert!(matches!(
        store.insert_refund(&r, Some(&rn)).await.unwrap(),
        RefundInsert::Created(_)
    ));
    let first = store
        .claim_due_notifications(T0 + 20_000, T0 + 30_000, 10)
        .await
        .unwrap();
    assert_eq!(
        first.iter().map(|n| n.kind.as_str()).collect::<Vec<_>>(),
        [PAYMENT_RESULT],
        "the refund's notification waits for the payment's first attempt"
    );
    assert!(store
        .record_claimed_delivery(
            &delivery(&first[0], T0 + 20_000, false),
            DeliveryNext::RetryAt(T0 + 40_000),
            T0 + 30_000,
        )
        .await
        .unwrap());
    let second = store
        .claim_due_notifications(T0 + 20_001, T0 + 30_000, 10)
        .await
        .unwrap();
    assert_eq!(
        second
            .iter()
            .map(|n| n.notification_id.as_str())
            .collect::<Vec<_>>(),
        [rn.notification_id.as_str()]
    );
}

async fn refund_reservation_under_20_concurrent_refunds(store: Arc<dyn Store>) {
    let p = paid(store.as_ref(), "PR-REFUND", 1000).await;
    let mut tasks = JoinSet::new();
    for i in 0..20 {
        let (store, p) = (store.clone(), p.clone());
        tasks.spawn(async move {
            let r = refund(&p, &format!("RR-{i}"), 100, RefundStatus::Processing);
            store.insert_refund(&r, None).await.unwrap()
        });
    }
    let (mut created, mut exceeded) = (0, 0);
    while let Some(r) = tasks.join_next().await {
        match r.unwrap() {
            RefundInsert::Created(_) => created += 1,
            RefundInsert::Exceeds {
                refunded_minor,
                amount_minor,
            } => {
                assert_eq!(amount_minor, 1000);
                assert!(refunded_minor + 100 > 1000, "refused while room was left");
                exceeded += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((created, exceeded), (10, 10));
    let after = store.payment(&p.payment_id).await.unwrap().unwrap();
    assert_eq!(after.refunded_minor, 1000);
    let refunds = store.refunds_for_payment(&p.payment_id).await.unwrap();
    assert_eq!(refunds.iter().map(|r| r.amount_minor).sum::<i64>(), 1000);
    assert_eq!(refunds.len(), 10);

    // A failed refund releases its reservation; a second finish is refused.
    let first = &refunds[0];
    let fail_note = note(REFUND_RESULT, &first.refund_id, &p.payment_id);
    assert!(store
        .finish_refund(
            &first.refund_id,
            RefundStatus::Fail,
            "PROCESS_FAIL",
            "declined",
            T0 + 30_000,
            Some(&fail_note)
        )
        .await
        .unwrap());
    assert!(!store
        .finish_refund(
            &first.refund_id,
            RefundStatus::Success,
            "SUCCESS",
            "ok",
            T0 + 30_001,
            None
        )
        .await
        .unwrap());
    let f = store.refund(&first.refund_id).await.unwrap().unwrap();
    assert_eq!(
        (f.status, f.refund_time, f.settle_at),
        (RefundStatus::Fail, Some(T0 + 30_000), None)
    );
    assert_eq!(
        store.notifications_for(&first.refund_id).await.unwrap()[0].notification_id,
        fail_note.notification_id
    );
    assert_eq!(
        store
            .payment(&p.payment_id)
            .await
            .unwrap()
            .unwrap()
            .refunded_minor,
        900
    );
    let second = &refunds[1];
    assert!(store
        .finish_refund(
            &second.refund_id,
            RefundStatus::Success,
            "SUCCESS",
            "ok",
            T0 + 30_000,
            None
        )
        .await
        .unwrap());
    assert_eq!(
        store
            .payment(&p.payment_id)
            .await
            .unwrap()
            .unwrap()
            .refunded_minor,
        900,
        "a successful refund keeps its reservation"
    );
    // The released 100 can be refunded again; then it is full.
    let again = refund(&p, "RR-again", 100, RefundStatus::Success);
    assert!(matches!(
        store.insert_refund(&again, None).await.unwrap(),
        RefundInsert::Created(_)
    ));
    assert!(matches!(
        store
            .insert_refund(&refund(&p, "RR-one-more", 1, RefundStatus::Success), None)
            .await
            .unwrap(),
        RefundInsert::Exceeds {
            refunded_minor: 1000,
            amount_minor: 1000
        }
    ));
    // due_async_refunds: the PROCESSING ones whose settle time has come.
    let due = store.due_async_refunds(T0 + 20_000, 100).await.unwrap();
    assert_eq!(due.len(), 8);
    assert!(store
        .due_async_refunds(T0 + 19_999, 100)
        .await
        .unwrap()
        .is_empty());
}

async fn refund_request_ids_are_unique_under_concurrency(store: Arc<dyn Store>) {
    let p = paid(store.as_ref(), "PR-REFUND-SAME", 1000).await;
    // The same refundRequestId, for the whole amount, 20 times at once:
    // one refund, and every other caller gets it back (not "exceeds").
    let mut tasks = JoinSet::new();
    for _ in 0..20 {
        let (store, p) = (store.clone(), p.clone());
        tasks.spawn(async move {
            let r = refund(&p, "RR-SAME", 1000, RefundStatus::Success);
            let n = note(REFUND_RESULT, &r.refund_id, &p.payment_id);
            store.insert_refund(&r, Some(&n)).await.unwrap()
        });
    }
    let mut created = Vec::new();
    let mut existing = HashSet::new();
    while let Some(r) = tasks.join_next().await {
        match r.unwrap() {
            RefundInsert::Created(r) => created.push(r),
            RefundInsert::Existing(r) => {
                existing.insert(r.refund_id);
            }
            other => panic!("a repeated refund request must return the first: {other:?}"),
        }
    }
    assert_eq!(created.len(), 1);
    assert!(existing.len() <= 1 && existing.iter().all(|id| *id == created[0].refund_id));
    assert_eq!(
        store
            .refund_by_request_id(&p.client_id, "RR-SAME")
            .await
            .unwrap(),
        Some(created[0].clone()),
        "round trip"
    );
    assert_eq!(
        store.refund(&created[0].refund_id).await.unwrap(),
        Some(created[0].clone())
    );
    assert_eq!(
        store
            .payment(&p.payment_id)
            .await
            .unwrap()
            .unwrap()
            .refunded_minor,
        1000
    );
    assert_eq!(
        store
            .notifications_for(&created[0].refund_id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store
            .refund_by_request_id(&p.client_id, "RR-none")
            .await
            .unwrap(),
        None
    );
}

async fn refunds_need_a_successful_payment(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let open = payment("M1", "PR-UNPAID", 500);
    store.insert_payment(&open).await.unwrap();
    assert_eq!(
        store
            .insert_refund(&refund(&open, "RR-U", 100, RefundStatus::Success), None)
            .await
            .unwrap(),
        RefundInsert::NotRefundable(PaymentStatus::Processing)
    );
    assert!(store
        .refund_by_request_id("M1", "RR-U")
        .await
        .unwrap()
        .is_none());
    // A FAIL refund is recorded but reserves nothing, whatever the payment.
    let failed = refund(&open, "RR-F", 100, RefundStatus::Fail);
    assert!(matches!(
        store.insert_refund(&failed, None).await.unwrap(),
        RefundInsert::Created(_)
    ));
    assert_eq!(
        store
            .payment(&open.payment_id)
            .await
            .unwrap()
            .unwrap()
            .refunded_minor,
        0
    );
    // An earlier request id wins even when the payment is no longer refundable.
    assert!(matches!(
        store
            .insert_refund(&refund(&open, "RR-F", 100, RefundStatus::Success), None)
            .await
            .unwrap(),
        RefundInsert::Existing(r) if r.refund_id == failed.refund_id
    ));
}

async fn cancel_is_compare_and_set(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let unpaid = [PaymentStatus::Processing, PaymentStatus::Pending];
    let open = payment("M1", "PR-CANCEL", 500);
    store.insert_payment(&open).await.unwrap();
    assert!(store
        .cancel_payment(&open.payment_id, &unpaid, T0 + 5, "SUCCESS", "cancelled")
        .await
        .unwrap());
    let c = store.payment(&open.payment_id).await.unwrap().unwrap();
    assert_eq!(
        (c.status, c.cancel_time, c.closed_at),
        (PaymentStatus::Cancelled, Some(T0 + 5), Some(T0 + 5))
    );
    assert!(
        !store
            .cancel_payment(&open.payment_id, &unpaid, T0 + 6, "SUCCESS", "again")
            .await
            .unwrap(),
        "CANCELLED never changes"
    );
    assert!(!store
        .finalize_payment(&finalize(&open.payment_id, PaymentStatus::Success, T0 + 7))
        .await
        .unwrap());

    // SUCCESS may be cancelled only when asked from SUCCESS and nothing is refunded.
    let p = paid(store.as_ref(), "PR-CANCEL-PAID", 500).await;
    assert!(!store
        .cancel_payment(&p.payment_id, &unpaid, T0 + 5, "SUCCESS", "x")
        .await
        .unwrap());
    let r = refund(&p, "RR-C", 1, RefundStatus::Success);
    store.insert_refund(&r, None).await.unwrap();
    assert!(!store
        .cancel_payment(
            &p.payment_id,
            &[PaymentStatus::Success],
            T0 + 5,
            "SUCCESS",
            "x"
        )
        .await
        .unwrap());
    let q = paid(store.as_ref(), "PR-CANCEL-PAID-2", 500).await;
    assert!(store
        .cancel_payment(
            &q.payment_id,
            &[PaymentStatus::Success],
            T0 + 5,
            "SUCCESS",
            "x"
        )
        .await
        .unwrap());
    let q = store.payment(&q.payment_id).await.unwrap().unwrap();
    assert_eq!(
        (q.status, q.paid_at, q.closed_at),
        (PaymentStatus::Cancelled, Some(T0 + 1_000), Some(T0 + 5)),
        "closed_at is set once"
    );

    // Cancel racing a refund: never both.
    for round in 0..10 {
        let p = paid(store.as_ref(), &format!("PR-RACE-CR-{round}"), 500).await;
        let (s1, s2) = (store.clone(), store.clone());
        let (p1, p2) = (p.clone(), p.clone());
        let cancel = tokio::spawn(async move {
            s1.cancel_payment(
                &p1.payment_id,
                &[PaymentStatus::Success],
                T0 + 9,
                "SUCCESS",
                "x",
            )
            .await
            .unwrap()
        });
        let refunding = tokio::spawn(async move {
            s2.insert_refund(&refund(&p2, "RR-RACE", 200, RefundStatus::Success), None)
                .await
                .unwrap()
        });
        let (cancelled, refunded) = (cancel.await.unwrap(), refunding.await.unwrap());
        let refunded = matches!(refunded, RefundInsert::Created(_));
        assert!(cancelled ^ refunded, "round {round}: exactly one applies");
        let after = store.payment(&p.payment_id).await.unwrap().unwrap();
        if cancelled {
            assert_eq!(
                (after.status, after.refunded_minor),
                (PaymentStatus::Cancelled, 0)
            );
        } else {
            assert_eq!(
                (after.status, after.refunded_minor),
                (PaymentStatus::Success, 200)
            );
        }
    }
}

async fn counts_follow_the_rows(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    ensure_merchant(store.as_ref(), "M2").await;
    let mut pids = Vec::new();
    for i in 0..3 {
        let p = payment("M1", &format!("PR-COUNT-{i}"), 10);
        store.insert_payment(&p).await.unwrap();
        store
            .insert_attempt(&attempt(&p.payment_id, "a", AttemptState::Submitted))
            .await
            .unwrap();
        store
            .insert_attempt(&attempt(&p.payment_id, "b", AttemptState::Submitted))
            .await
            .unwrap();
        pids.push(p.payment_id);
    }
    assert!(store
        .finalize_payment(&finalize(&pids[0], PaymentStatus::Fail, T0))
        .await
        .unwrap());
    let c = store.counts().await.unwrap();
    assert_eq!(
        c,
        StoreCounts {
            merchants: 2,
            payments: 3,
            attempts: 6,
            notifications: 1,
            pending_notifications: 1,
        }
    );
}

async fn reports_are_stored_once(store: Arc<dyn Store>) {
    let p = paid(store.as_ref(), "PR-REPORT", 1234).await;
    store
        .insert_refund(&refund(&p, "RR-REP", 234, RefundStatus::Success), None)
        .await
        .unwrap();
    let rows = store
        .report_transactions("M1", T0, T0 + 86_400_000)
        .await
        .unwrap();
    let kinds: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.transaction_type.as_str(),
                r.transaction_status.as_str(),
                r.amount_minor,
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [("PAYMENT", "SUCCESS", 1234), ("REFUND", "SUCCESS", 234)]
    );
    assert_eq!(
        rows[1].original_transaction_id.as_deref(),
        Some(p.payment_id.as_str())
    );
    assert_eq!(rows[0].original_transaction_id, None);
    assert!(store
        .report_transactions("M1", T0 + 86_400_000, T0 + 2 * 86_400_000)
        .await
        .unwrap()
        .is_empty());

    assert!(store
        .insert_report("M1", "2025-06-15", "TRANSACTION", "t.csv", "a,b\n", T0)
        .await
        .unwrap());
    assert!(!store
        .insert_report("M1", "2025-06-15", "TRANSACTION", "t.csv", "other", T0)
        .await
        .unwrap());
    store
        .insert_report("M1", "2025-06-15", "SETTLEMENT", "s_SGD.csv", "s", T0)
        .await
        .unwrap();
    store
        .insert_report("M1", "2025-06-17", "TRANSACTION", "t.csv", "x", T0)
        .await
        .unwrap();
    assert_eq!(
        store.reports("M1", "2025-06-15").await.unwrap(),
        [
            ("SETTLEMENT".into(), "s_SGD.csv".into(), "s".into()),
            ("TRANSACTION".into(), "t.csv".into(), "a,b\n".into())
        ]
    );
    store
        .replace_reports(
            "M1",
            "2025-06-15",
            "SETTLEMENT",
            &[("s_USD.csv".into(), "u".into())],
            T0 + 1,
        )
        .await
        .unwrap();
    assert_eq!(
        store.reports("M1", "2025-06-15").await.unwrap(),
        [
            ("SETTLEMENT".into(), "s_USD.csv".into(), "u".into()),
            ("TRANSACTION".into(), "t.csv".into(), "a,b\n".into())
        ]
    );
    assert_eq!(
        store
            .report_dates("M1", "TRANSACTION", "2025-06-15")
            .await
            .unwrap(),
        ["2025-06-15", "2025-06-17"]
    );
    assert_eq!(
        store
            .report_dates("M1", "TRANSACTION", "2025-06-16")
            .await
            .unwrap(),
        ["2025-06-17"]
    );
    assert!(store
        .report_dates("M2", "TRANSACTION", "2025-01-01")
        .await
        .unwrap()
        .is_empty());
}

async fn job_leases_have_one_holder(store: Arc<dyn Store>) {
    assert!(store
        .try_lock_job("reports", "node-a", T0 + 60_000, T0)
        .await
        .unwrap());
    assert!(!store
        .try_lock_job("reports", "node-b", T0 + 60_000, T0 + 1)
        .await
        .unwrap());
    assert!(
        store
            .try_lock_job("reports", "node-a", T0 + 120_000, T0 + 2)
            .await
            .unwrap(),
        "the holder renews"
    );
    assert!(
        !store
            .try_lock_job("reports", "node-b", T0 + 200_000, T0 + 60_000)
            .await
            .unwrap(),
        "renewed until T0+120s"
    );
    assert!(
        store
            .try_lock_job("reports", "node-b", T0 + 200_000, T0 + 120_000)
            .await
            .unwrap(),
        "an expired lease is taken over"
    );
    assert!(store
        .try_lock_job("other-job", "node-a", T0 + 1, T0)
        .await
        .unwrap());

    // Ten nodes at once on a new job: exactly one wins.
    let mut tasks = JoinSet::new();
    for i in 0..10 {
        let store = store.clone();
        tasks.spawn(async move {
            store
                .try_lock_job("report:M1:2025-06-15", &format!("node-{i}"), T0 + 10, T0)
                .await
                .unwrap()
        });
    }
    let mut winners = 0;
    while let Some(r) = tasks.join_next().await {
        winners += usize::from(r.unwrap());
    }
    assert_eq!(winners, 1);
}

fn dashboard_user(email: &str, client_id: Option<&str>) -> DashboardUser {
    DashboardUser {
        user_id: format!("u-{email}"),
        email: email.into(),
        role: if client_id.is_some() {
            ROLE_MERCHANT
        } else {
            ROLE_ADMIN
        }
        .into(),
        client_id: client_id.map(Into::into),
        password_hash: None,
        setup_token_hash: Some(format!("setup-{email}")),
        setup_expires_at: Some(T0 + 1_000),
        created_at: T0,
    }
}

/// `n` login attempts at once from address `ip:1` (limit 20), the i-th for
/// `email(i)` (limit 5): how many were reserved.
async fn reserve_at_once(
    store: &Arc<dyn Store>,
    n: usize,
    email: impl Fn(usize) -> String,
) -> usize {
    let mut set = JoinSet::new();
    for i in 0..n {
        let (st, email) = (store.clone(), email(i));
        set.spawn(async move {
            st.reserve_login_attempt(&[(&email, 5), ("ip:1", 20)], T0 - 100, T0)
                .await
                .unwrap()
        });
    }
    let mut reserved = 0;
    while let Some(r) = set.join_next().await {
        reserved += usize::from(r.unwrap());
    }
    reserved
}

async fn dashboard_users_sessions_and_throttle(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let u = dashboard_user("a@m1.example", Some("M1"));
    store.insert_dashboard_user(&u).await.unwrap();
    store
        .insert_dashboard_user(&dashboard_user("ops@example", None))
        .await
        .unwrap();
    let dup = DashboardUser {
        user_id: "u-other".into(),
        ..dashboard_user("a@m1.example", None)
    };
    assert!(matches!(
        store.insert_dashboard_user(&dup).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.dashboard_user(&u.user_id).await.unwrap(),
        Some(u.clone())
    );
    assert_eq!(
        store.dashboard_user_by_email("a@m1.example").await.unwrap(),
        Some(u.clone())
    );
    assert_eq!(
        store.dashboard_user_by_email("b@m1.example").await.unwrap(),
        None
    );

    // Setup tokens expire and are consumed by setting the password.
    let tok = "setup-a@m1.example";
    assert!(store
        .dashboard_user_by_setup_token(tok, T0)
        .await
        .unwrap()
        .is_some());
    assert!(store
        .dashboard_user_by_setup_token(tok, T0 + 1_000)
        .await
        .unwrap()
        .is_none());
    assert!(store
        .set_dashboard_password(&u.user_id, "$argon2id$x")
        .await
        .unwrap());
    assert!(store
        .dashboard_user_by_setup_token(tok, T0)
        .await
        .unwrap()
        .is_none());
    let after = store.dashboard_user(&u.user_id).await.unwrap().unwrap();
    assert_eq!(after.password_hash.as_deref(), Some("$argon2id$x"));
    assert_eq!(
        (after.setup_token_hash, after.setup_expires_at),
        (None, None)
    );

    // Sessions: visible until they expire, gone once deleted.
    let s = DashboardSession {
        session_hash: "h1".into(),
        user_id: u.user_id.clone(),
        csrf_token: "c1".into(),
        created_at: T0,
        expires_at: T0 + 10,
    };
    store.insert_dashboard_session(&s).await.unwrap();
    assert_eq!(
        store.dashboard_session("h1", T0 + 9).await.unwrap(),
        Some(s.clone())
    );
    assert_eq!(store.dashboard_session("h1", T0 + 10).await.unwrap(), None);
    store.delete_dashboard_session("h1").await.unwrap();
    assert_eq!(store.dashboard_session("h1", T0).await.unwrap(), None);

    // Throttle reservations: of 40 concurrent attempts against a limit of
    // 5 per email and 20 per address, exactly 5 are reserved; a refused
    // step counts on neither key.
    let reserved = reserve_at_once(&store, 40, |_| "email:a".into()).await;
    assert_eq!(reserved, 5);
    assert_eq!(store.login_failures("email:a", T0 - 100).await.unwrap(), 5);
    assert_eq!(store.login_failures("ip:1", T0 - 100).await.unwrap(), 5);
    // Other emails from the address fill it up to its own limit, 20.
    let reserved = reserve_at_once(&store, 30, |i| format!("email:b{i}")).await;
    assert_eq!(reserved, 15);
    assert_eq!(store.login_failures("ip:1", T0 - 100).await.unwrap(), 20);
    // A released attempt frees one place.
    store.release_login_attempt("ip:1").await.unwrap();
    assert_eq!(store.login_failures("ip:1", T0 - 100).await.unwrap(), 19);
    assert!(store
        .reserve_login_attempt(&[("email:c", 5), ("ip:1", 20)], T0 - 100, T0)
        .await
        .unwrap());
    assert!(!store
        .reserve_login_attempt(&[("email:d", 5), ("ip:1", 20)], T0 - 100, T0)
        .await
        .unwrap());
    assert_eq!(store.login_failures("email:d", T0 - 100).await.unwrap(), 0);
    // Seen from later: the window started before `since`, so it is over,
    // and the next reservation opens a new one.
    assert_eq!(store.login_failures("ip:1", T0 + 1).await.unwrap(), 0);
    assert!(store
        .reserve_login_attempt(&[("ip:1", 20)], T0 + 1, T0 + 50)
        .await
        .unwrap());
    assert_eq!(store.login_failures("ip:1", T0 + 1).await.unwrap(), 1);
    store.clear_login_failures("ip:1").await.unwrap();
    assert_eq!(store.login_failures("ip:1", 0).await.unwrap(), 0);
    assert_eq!(store.login_failures("never", 0).await.unwrap(), 0);
    // Releasing what was never reserved does nothing.
    store.release_login_attempt("never").await.unwrap();
    assert_eq!(store.login_failures("never", 0).await.unwrap(), 0);
}

async fn payments_list_is_scoped_filtered_and_keyset_paged(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    ensure_merchant(store.as_ref(), "M2").await;
    let mut mine = Vec::new();
    for i in 0..25 {
        let mut p = payment("M1", &format!("L{i:02}"), 100 + i);
        // Ties on created_at: pages must still neither skip nor repeat.
        p.created_at = T0 + (i / 5) * 1_000;
        if i % 5 == 0 {
            p.currency = "JPY".into();
        }
        store.insert_payment(&p).await.unwrap();
        mine.push(p);
    }
    store
        .insert_payment(&payment("M2", "THEIRS", 5))
        .await
        .unwrap();
    let paid = paid(store.as_ref(), "PAID", 700).await;

    let mut expected: Vec<_> = mine
        .iter()
        .map(|p| (p.created_at, p.payment_id.clone()))
        .collect();
    expected.push((paid.created_at, paid.payment_id.clone()));
    expected.sort();
    expected.reverse();

    let mut f = PaymentFilter {
        client_id: Some("M1".into()),
        ..Default::default()
    };
    let mut got = Vec::new();
    loop {
        let page = store.list_payments(&f, 7).await.unwrap();
        assert!(page.len() <= 7);
        assert!(page.iter().all(|p| p.client_id == "M1"));
        got.extend(page.iter().map(|p| (p.created_at, p.payment_id.clone())));
        match page.last() {
            Some(last) if page.len() == 7 => {
                f.before = Some((last.created_at, last.payment_id.clone()))
            }
            _ => break,
        }
    }
    assert_eq!(got, expected);

    let all = store
        .list_payments(&PaymentFilter::default(), 100)
        .await
        .unwrap();
    assert_eq!(all.len(), 27, "no client filter: every merchant");
    let q = |f: PaymentFilter| {
        let st = store.clone();
        async move { st.list_payments(&f, 100).await.unwrap() }
    };
    let m1 = || PaymentFilter {
        client_id: Some("M1".into()),
        ..Default::default()
    };
    assert_eq!(
        q(PaymentFilter {
            currency: Some("JPY".into()),
            ..m1()
        })
        .await
        .len(),
        5
    );
    let s = q(PaymentFilter {
        status: Some(PaymentStatus::Success),
        ..m1()
    })
    .await;
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].payment_id, paid.payment_id);
    let r = q(PaymentFilter {
        search: Some("L07".into()),
        ..m1()
    })
    .await;
    assert_eq!(r.len(), 1);
    let r = q(PaymentFilter {
        search: Some(mine[3].payment_id.clone()),
        ..m1()
    })
    .await;
    assert_eq!(r[0].payment_request_id, "L03");
    let r = q(PaymentFilter {
        search: Some("THEIRS".into()),
        ..m1()
    })
    .await;
    assert!(r.is_empty(), "another merchant's request id");
    let r = q(PaymentFilter {
        created_from: Some(T0 + 1_000),
        created_to: Some(T0 + 3_000),
        ..m1()
    })
    .await;
    assert_eq!(r.len(), 10);
    let r = q(PaymentFilter {
        method: Some("CARD".into()),
        ..m1()
    })
    .await;
    assert_eq!(r.len(), 1, "only the paid one has a method");
}

async fn notifications_can_be_requeued_for_resend(store: Arc<dyn Store>) {
    let q = queue(store.as_ref(), 1, "RQ").await;
    let claimed = store
        .claim_due_notifications(T0 + 10, T0 + 60_000, 10)
        .await
        .unwrap();
    let mine = claimed
        .iter()
        .find(|c| c.notification_id == q[0])
        .unwrap()
        .clone();
    assert!(store
        .record_claimed_delivery(
            &delivery(&mine, T0 + 10, true),
            DeliveryNext::Delivered,
            T0 + 60_000,
        )
        .await
        .unwrap());
    assert!(store
        .claim_due_notifications(T0 + 20, T0 + 60_000, 10)
        .await
        .unwrap()
        .is_empty());
    assert!(store.requeue_notification(&q[0], T0 + 30).await.unwrap());
    assert!(!store.requeue_notification("nope", T0 + 30).await.unwrap());
    let again = store
        .claim_due_notifications(T0 + 30, T0 + 60_000, 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].notification_id, q[0]);
    assert_eq!(again[0].attempts, 1, "earlier attempts are kept");
    assert_eq!(store.delivery_attempts(&q[0]).await.unwrap().len(), 1);
}

/// `cashier listen` follows a merchant's attempts and authenticated API
/// log rows by row id, oldest first.
async fn listen_follows_rows_by_id(store: Arc<dyn Store>) {
    let q = queue(store.as_ref(), 2, "LS").await;
    let claimed = store
        .claim_due_notifications(T0 + 10, T0 + 60_000, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    for (n, ack) in claimed.iter().zip([false, true]) {
        let next = if ack {
            DeliveryNext::Delivered
        } else {
            DeliveryNext::RetryAt(T0 + 120_000)
        };
        assert!(store
            .record_claimed_delivery(&delivery(n, T0 + 10, ack), next, T0 + 60_000)
            .await
            .unwrap());
    }
    let all = store.delivery_attempts_after("M1", 0, 10).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].id < all[1].id, "oldest first");
    let ids: Vec<&str> = all
        .iter()
        .map(|a| a.notification.notification_id.as_str())
        .collect();
    assert!(ids.contains(&q[0].as_str()) && ids.contains(&q[1].as_str()));
    for a in &all {
        assert_eq!(a.attempt.notification_id, a.notification.notification_id);
        assert_eq!(a.notification.client_id, "M1");
        assert_eq!(
            a.attempt.signature.as_deref(),
            Some("algorithm=RSA256,keyVersion=1,signature=x")
        );
        assert_eq!(
            a.attempt.request_time.as_deref(),
            Some("2025-01-01T00:00:00+08:00")
        );
    }
    assert_eq!(a_status(&all, true), "DELIVERED");
    assert_eq!(a_status(&all, false), "PENDING");
    let later = store
        .delivery_attempts_after("M1", all[0].id, 10)
        .await
        .unwrap();
    assert_eq!(later, all[1..]);
    let first = store.delivery_attempts_after("M1", 0, 1).await.unwrap();
    assert_eq!(first, all[..1]);
    assert!(store
        .delivery_attempts_after("M2", 0, 10)
        .await
        .unwrap()
        .is_empty());

    let rows = [
        api_row("M-L", T0 + 2, "SUCCESS"),
        api_row("M-L", T0 + 1, "INVALID_SIGNATURE"),
        api_row("M-OTHER", T0 + 3, "SUCCESS"),
        api_row("M-L", T0 + 4, "ORDER_NOT_EXIST"),
    ];
    store.insert_api_requests(&rows).await.unwrap();
    let mine = store.api_requests_after("M-L", 0, 10).await.unwrap();
    let codes: Vec<&str> = mine
        .iter()
        .map(|r| r.request.result_code.as_str())
        .collect();
    assert_eq!(
        codes,
        ["SUCCESS", "ORDER_NOT_EXIST"],
        "authenticated rows only, in id order"
    );
    assert!(mine[0].id < mine[1].id);
    assert_eq!(
        store
            .api_requests_after("M-L", mine[0].id, 10)
            .await
            .unwrap(),
        mine[1..]
    );
    assert!(store
        .api_requests_after("M-L", mine[1].id, 10)
        .await
        .unwrap()
        .is_empty());
}

/// The status of the notification whose attempt was (or not) acknowledged.
fn a_status(all: &[cashier_gateway::store::ListenedAttempt], acknowledged: bool) -> String {
    let a = all
        .iter()
        .find(|a| a.attempt.acknowledged == acknowledged)
        .unwrap();
    a.notification.status.clone()
}

async fn merchant_settings_are_updated_together(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let before = store.merchant("M1").await.unwrap().unwrap();
    let after = Merchant {
        brand_name: "New Brand".into(),
        logo_file: None,
        accent_color: Some("#123456".into()),
        notify_url: Some("https://new.example.com/n".into()),
        strict: true,
        ..before.clone()
    };
    assert!(store.update_merchant_settings(&after).await.unwrap());
    assert_eq!(store.merchant("M1").await.unwrap().unwrap(), after);
    let ghost = Merchant {
        client_id: "GHOST".into(),
        ..after
    };
    assert!(!store.update_merchant_settings(&ghost).await.unwrap());
}

async fn daily_stats_group_by_day_currency_and_status(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    ensure_merchant(store.as_ref(), "M2").await;
    // Days are UTC+8 days: day0 starts at 16:00 UTC the evening before.
    let offset = ANTOM_DAY_OFFSET_MS;
    let day0 = (T0 + offset).div_euclid(86_400_000);
    let start0 = day0 * 86_400_000 - offset;
    for (i, (client, currency, at, amount)) in [
        ("M1", "SGD", start0 + 1_000, 100),
        // 23:59:59 UTC+8: still day0, although 15:59:59 UTC.
        ("M1", "SGD", start0 + 86_399_000, 250),
        // 00:00 UTC+8 of the next day is 16:00 UTC of the same UTC day.
        ("M1", "JPY", start0 + 86_400_000, 700),
        ("M2", "SGD", start0 + 1_000, 999),
    ]
    .into_iter()
    .enumerate()
    {
        let mut p = payment(client, &format!("DS{i}"), amount);
        p.currency = currency.into();
        p.created_at = at;
        store.insert_payment(&p).await.unwrap();
    }
    let paid = paid(store.as_ref(), "DS-PAID", 40).await; // M1, SGD, created at T0
    let from = start0;
    let to = from + 2 * 86_400_000;
    let mut got = store.daily_stats(Some("M1"), from, to).await.unwrap();
    got.sort_by(|a, b| (a.day, &a.currency, &a.status).cmp(&(b.day, &b.currency, &b.status)));
    let row = |day: i64, currency: &str, status: &str, count: i64, amount_minor: i128| DailyStat {
        day,
        currency: currency.into(),
        status: status.into(),
        count,
        amount_minor,
    };
    let paid_day = (paid.created_at + offset).div_euclid(86_400_000);
    assert_eq!(paid_day, day0);
    assert_eq!(
        got,
        vec![
            row(day0, "SGD", "PROCESSING", 2, 350),
            row(day0, "SGD", "SUCCESS", 1, 40),
            row(day0 + 1, "JPY", "PROCESSING", 1, 700),
        ]
    );
    let all = store.daily_stats(None, from, to).await.unwrap();
    assert_eq!(all.iter().map(|s| s.count).sum::<i64>(), 5);

    // 1,000 payments of the largest amount (16 digits) sum past i64::MAX:
    // the total is exact, not an error or a wrapped number.
    ensure_merchant(store.as_ref(), "M3").await;
    const LARGEST: i64 = 9_999_999_999_999_999;
    let mut set = JoinSet::new();
    for i in 0..1_000 {
        let st = store.clone();
        set.spawn(async move {
            let mut p = payment("M3", &format!("BIG{i}"), LARGEST);
            p.currency = "USD".into();
            p.created_at = day0 * 86_400_000 + 5_000;
            st.insert_payment(&p).await.unwrap();
        });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap();
    }
    let big = store.daily_stats(Some("M3"), from, to).await.unwrap();
    assert_eq!(
        big,
        vec![row(
            day0,
            "USD",
            "PROCESSING",
            1_000,
            1_000 * i128::from(LARGEST)
        )]
    );
    assert!(big[0].amount_minor > i128::from(i64::MAX));
    assert!(store
        .daily_stats(Some("M1"), to, to + 1)
        .await
        .unwrap()
        .is_empty());
}

// ------------------------------------------------------------------ tests

/// Metrics read the backlog; the dispatcher skips merchants that already
/// have their share of deliveries in flight.
async fn backlog_and_claims_skipping_busy_merchants(store: Arc<dyn Store>) {
    let m1: HashSet<String> = queue(store.as_ref(), 3, "PR-BUSY")
        .await
        .into_iter()
        .collect();
    ensure_merchant(store.as_ref(), "M2").await;
    let p = payment("M2", "PR-OTHER", 100);
    store.insert_payment(&p).await.unwrap();
    let mut f = finalize(&p.payment_id, PaymentStatus::Success, T0);
    f.notification.as_mut().unwrap().client_id = "M2".into();
    assert!(store.finalize_payment(&f).await.unwrap());
    assert_eq!(store.notification_backlog(T0).await.unwrap(), (4, 4));
    assert_eq!(store.notification_backlog(T0 - 1).await.unwrap(), (0, 4));

    let other = store
        .claim_due_notifications_except(T0, T0 + 60_000, 100, &["M1".to_string()])
        .await
        .unwrap();
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].client_id, "M2");
    let rest: HashSet<String> = store
        .claim_due_notifications_except(T0, T0 + 60_000, 100, &[])
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.notification_id)
        .collect();
    assert_eq!(rest, m1);
    // Claimed rows are still undelivered: pending, and due.
    assert_eq!(store.notification_backlog(T0).await.unwrap(), (4, 4));

    let pool = store.pool_stats();
    assert!(
        pool.max >= 1 && pool.size <= pool.max && pool.idle <= pool.size,
        "{pool:?}"
    );
}

async fn keys_retire_but_never_the_last_active_one(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M-K").await;
    let key = |v: u32| MerchantKey {
        client_id: "M-K".into(),
        key_version: v,
        public_key: vec![7, v as u8],
        created_at: T0,
        retired_at: None,
    };
    for v in 1..=3 {
        store.insert_merchant_key(&key(v)).await.unwrap();
    }
    assert_eq!(
        store.retire_merchant_key("M-K", 9, T0 + 1).await.unwrap(),
        RetireKey::NotFound
    );
    assert_eq!(
        store
            .retire_merchant_key("nobody", 1, T0 + 1)
            .await
            .unwrap(),
        RetireKey::NotFound
    );
    assert_eq!(
        store.retire_merchant_key("M-K", 1, T0 + 5).await.unwrap(),
        RetireKey::Retired
    );
    let k1 = store.merchant_key("M-K", 1).await.unwrap().unwrap();
    assert_eq!(
        k1.retired_at,
        Some(T0 + 5),
        "kept, with its retirement time"
    );
    assert!(!k1.is_active());
    assert_eq!(
        store.retire_merchant_key("M-K", 1, T0 + 6).await.unwrap(),
        RetireKey::AlreadyRetired(T0 + 5),
        "the first retirement time stays"
    );
    // Two retirements race for the last two active keys: exactly one wins.
    let mut tasks = JoinSet::new();
    for v in [2, 3] {
        let store = store.clone();
        tasks.spawn(async move { store.retire_merchant_key("M-K", v, T0 + 7).await.unwrap() });
    }
    let mut outcomes = Vec::new();
    while let Some(r) = tasks.join_next().await {
        outcomes.push(r.unwrap());
    }
    outcomes.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(outcomes, [RetireKey::LastActive, RetireKey::Retired]);
    let active: Vec<_> = store
        .merchant_keys("M-K")
        .await
        .unwrap()
        .into_iter()
        .filter(|k| k.is_active())
        .collect();
    assert_eq!(active.len(), 1, "one key stays active");
    let last = active[0].key_version;
    assert_eq!(
        store
            .retire_merchant_key("M-K", last, T0 + 8)
            .await
            .unwrap(),
        RetireKey::LastActive
    );
    assert!(store
        .merchant_key("M-K", last)
        .await
        .unwrap()
        .unwrap()
        .is_active());
    // A retired version cannot come back as a new key.
    assert!(matches!(
        store.insert_merchant_key(&key(1)).await,
        Err(StoreError::Conflict(_))
    ));
}

fn api_row(client_id: &str, at: i64, code: &str) -> ApiRequestRecord {
    ApiRequestRecord {
        client_id: client_id.into(),
        at,
        api: "inquiryPayment".into(),
        result_code: code.into(),
        result_status: if code == "SUCCESS" { "S" } else { "F" }.into(),
        latency_us: 1234,
        request_id: (at % 2 == 0).then(|| format!("PR-{at}")),
        authenticated: code != "INVALID_SIGNATURE",
    }
}

async fn api_request_log_is_batched_newest_first_and_pruned_per_merchant(store: Arc<dyn Store>) {
    store.insert_api_requests(&[]).await.unwrap();
    // One multi-row insert of 500 rows across two merchants, out of order.
    let rows: Vec<_> = (0..500)
        .map(|i| {
            let at = T0 + (i * 7919) % 500;
            api_row(if i % 5 == 0 { "M-B" } else { "M-A" }, at, "SUCCESS")
        })
        .collect();
    store.insert_api_requests(&rows).await.unwrap();
    let a = store.recent_api_requests("M-A", true, 1_000).await.unwrap();
    assert_eq!(a.len(), 400);
    assert!(a.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    let newest_a = rows
        .iter()
        .filter(|r| r.client_id == "M-A")
        .max_by_key(|r| r.at)
        .unwrap();
    assert_eq!(&a[0], newest_a, "round trip");
    assert_eq!(
        store
            .recent_api_requests("M-A", true, 3)
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(store
        .recent_api_requests("nobody", true, 10)
        .await
        .unwrap()
        .is_empty());

    // Pruning keeps a merchant's newest rows and leaves the other merchant alone.
    let later: Vec<_> = (0..5000)
        .map(|i| api_row("M-A", T0 + 1_000 + i, "PARAM_ILLEGAL"))
        .collect();
    for chunk in later.chunks(500) {
        store.insert_api_requests(chunk).await.unwrap();
    }
    let deleted = store.prune_api_requests("M-A", true, 100).await.unwrap();
    assert_eq!(
        deleted,
        5400 - 100,
        "older than the 100th newest: batches of {API_LOG_PRUNE_BATCH}"
    );
    let kept = store.recent_api_requests("M-A", true, 1_000).await.unwrap();
    assert_eq!(kept.len(), 100);
    assert_eq!(kept[0].at, T0 + 1_000 + 4_999);
    assert_eq!(kept[99].at, T0 + 1_000 + 4_900);
    assert_eq!(
        store
            .recent_api_requests("M-B", true, 1_000)
            .await
            .unwrap()
            .len(),
        100
    );
    assert_eq!(store.prune_api_requests("M-A", true, 100).await.unwrap(), 0);
    assert_eq!(
        store.prune_api_requests("nobody", true, 100).await.unwrap(),
        0
    );

    // Requests that failed authentication are a list of their own: 300 of
    // them, newer than everything else, neither show among nor prune away
    // the merchant's own rows, and are pruned to their own count.
    let forged: Vec<_> = (0..300)
        .map(|i| api_row("M-A", T0 + 10_000 + i, "INVALID_SIGNATURE"))
        .collect();
    store.insert_api_requests(&forged).await.unwrap();
    let own = store.recent_api_requests("M-A", true, 1_000).await.unwrap();
    assert_eq!(own, kept);
    let failed = store.recent_api_requests("M-A", false, 20).await.unwrap();
    assert_eq!(failed.len(), 20);
    assert!(failed.iter().all(|r| !r.authenticated));
    assert_eq!(failed[0], forged[299], "round trip");
    assert_eq!(store.prune_api_requests("M-A", true, 100).await.unwrap(), 0);
    assert_eq!(
        store.prune_api_requests("M-A", false, 50).await.unwrap(),
        250
    );
    assert_eq!(
        store
            .recent_api_requests("M-A", false, 1_000)
            .await
            .unwrap()
            .len(),
        50
    );
    assert_eq!(
        store.recent_api_requests("M-A", true, 1_000).await.unwrap(),
        kept
    );
}

async fn logos_are_stored_by_name_and_old_file_names_are_found(store: Arc<dyn Store>) {
    let logo = |name: &str, client_id: &str, bytes: &[u8]| MerchantLogo {
        name: name.into(),
        client_id: client_id.into(),
        content_type: "image/png".into(),
        sha256: format!("sha-of-{name}"),
        bytes: bytes.to_vec(),
        created_at: T0,
    };
    let a = logo("aaa.png", "M-A", &[0x89, 0, 0xff, 1]);
    store.insert_logo(&a).await.unwrap();
    store.insert_logo(&a).await.unwrap(); // the same again: kept once
    let mut same_bytes = a.clone();
    same_bytes.client_id = "M-B".into();
    same_bytes.created_at = T0 + 1;
    store.insert_logo(&same_bytes).await.unwrap();
    assert_eq!(
        store.logo("aaa.png").await.unwrap(),
        Some(a.clone()),
        "round trip, bytes intact; the first upload answers"
    );
    assert_eq!(store.logo("nope.png").await.unwrap(), None);

    // Merchants whose logo_file names no stored logo (older installs' files).
    for (id, file) in [
        ("M-A", Some("aaa.png")),
        ("M-B", Some("old-b.png")),
        ("M-C", None),
    ] {
        let mut m = merchant(id);
        m.logo_file = file.map(str::to_string);
        store.insert_merchant(&m).await.unwrap();
    }
    assert_eq!(
        store.merchants_missing_logos().await.unwrap(),
        [("M-B".to_string(), "old-b.png".to_string())]
    );
    store
        .insert_logo(&logo("old-b.png", "M-B", b"legacy"))
        .await
        .unwrap();
    assert!(store.merchants_missing_logos().await.unwrap().is_empty());
}

fn warning(rule: WarningRule, field: &str) -> IntegrationWarning {
    IntegrationWarning::missing(rule, field)
}

async fn warnings_commit_with_their_payment_once(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    ensure_merchant(store.as_ref(), "M2").await;
    let warnings = vec![
        warning(
            WarningRule::BuyerNameMissing,
            "order.buyer.buyerName.fullName",
        ),
        warning(WarningRule::GoodsNameMissing, "order.goods[0].goodsName"),
        warning(WarningRule::GoodsNameMissing, "order.goods[1].goodsName"),
    ];
    // 20 racing inserts of one request: the winner's warnings, once.
    let mut tasks = JoinSet::new();
    for _ in 0..20 {
        let store = store.clone();
        let warnings = warnings.clone();
        tasks.spawn(async move {
            let p = payment("M1", "PR-WARN", 500);
            store
                .insert_payment_with_warnings(&p, &warnings)
                .await
                .unwrap()
        });
    }
    let mut winner = None;
    while let Some(r) = tasks.join_next().await {
        if let Inserted::New(p) = r.unwrap() {
            assert!(winner.replace(p).is_none(), "one insert wins");
        }
    }
    let winner = winner.expect("one insert wins");
    let stored = store.payment_warnings(&winner.payment_id).await.unwrap();
    assert_eq!(
        stored
            .iter()
            .map(|w| (w.seq, w.rule.as_str(), w.field.as_str(), w.created_at))
            .collect::<Vec<_>>(),
        vec![
            (
                0,
                "BUYER_NAME_MISSING",
                "order.buyer.buyerName.fullName",
                T0
            ),
            (1, "GOODS_NAME_MISSING", "order.goods[0].goodsName", T0),
            (2, "GOODS_NAME_MISSING", "order.goods[1].goodsName", T0),
        ]
    );
    assert_eq!(
        stored[0].message,
        "order.buyer.buyerName.fullName is missing"
    );

    // A clean payment and another merchant's warned one, later.
    let clean = payment("M1", "PR-CLEAN", 500);
    store.insert_payment(&clean).await.unwrap();
    assert!(store
        .payment_warnings(&clean.payment_id)
        .await
        .unwrap()
        .is_empty());
    let mut later = payment("M1", "PR-LATER", 700);
    later.created_at = T0 + 5_000;
    store
        .insert_payment_with_warnings(&later, &warnings[..1])
        .await
        .unwrap();
    let mut other = payment("M2", "PR-OTHER", 700);
    other.created_at = T0 + 9_000;
    store
        .insert_payment_with_warnings(&other, &warnings[1..2])
        .await
        .unwrap();

    let counts = store.warning_counts("M1", T0).await.unwrap();
    assert_eq!(
        counts
            .iter()
            .map(|c| (c.rule.as_str(), c.payments, c.last_at))
            .collect::<Vec<_>>(),
        vec![
            ("BUYER_NAME_MISSING", 2, T0 + 5_000),
            ("GOODS_NAME_MISSING", 1, T0),
        ],
        "per rule, payments not fields, this merchant only"
    );
    let since_later = store.warning_counts("M1", T0 + 1).await.unwrap();
    assert_eq!(since_later.len(), 1);
    assert_eq!(since_later[0].payments, 1);

    let recent = store.recent_warnings("M1", 2).await.unwrap();
    assert_eq!(
        recent
            .iter()
            .map(|w| (w.payment_id.as_str(), w.seq))
            .collect::<Vec<_>>(),
        vec![
            (later.payment_id.as_str(), 0),
            (winner.payment_id.as_str(), 0)
        ]
    );

    let ids = vec![
        winner.payment_id.clone(),
        clean.payment_id.clone(),
        other.payment_id.clone(),
        "NOPE".to_string(),
    ];
    let batch = store.warnings_for_payments(&ids).await.unwrap();
    assert_eq!(batch.len(), 4);
    assert!(batch
        .iter()
        .all(|w| w.payment_id == winner.payment_id || w.payment_id == other.payment_id));
    assert!(store.warnings_for_payments(&[]).await.unwrap().is_empty());
}

macro_rules! conformance {
    ($($check:ident),* $(,)?) => {$(
        mod $check {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let backend = super::sqlite().await;
                super::$check(backend.store.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(
                not(postgres_tests),
                ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
            )]
            async fn postgres() {
                let backend = super::postgres().await;
                super::$check(backend.store.clone()).await;
            }
        }
    )*};
}

conformance!(
    merchants_and_keys,
    keys_retire_but_never_the_last_active_one,
    api_request_log_is_batched_newest_first_and_pruned_per_merchant,
    logos_are_stored_by_name_and_old_file_names_are_found,
    payment_insert_is_idempotent_under_50_concurrent_inserts,
    attempts_are_unique_per_nonce,
    finalize_is_compare_and_set_under_two_concurrent_finalizers,
    finalize_commits_the_outbox_row_with_the_state,
    card_details_follow_the_attempt_to_the_payment,
    expiry_and_settlement_queries,
    notification_claims_are_leases,
    concurrent_claimers_never_share_a_row,
    refund_notifications_wait_for_the_payment_notification,
    refund_reservation_under_20_concurrent_refunds,
    refund_request_ids_are_unique_under_concurrency,
    refunds_need_a_successful_payment,
    cancel_is_compare_and_set,
    counts_follow_the_rows,
    reports_are_stored_once,
    job_leases_have_one_holder,
    backlog_and_claims_skipping_busy_merchants,
    dashboard_users_sessions_and_throttle,
    payments_list_is_scoped_filtered_and_keyset_paged,
    notifications_can_be_requeued_for_resend,
    listen_follows_rows_by_id,
    merchant_settings_are_updated_together,
    daily_stats_group_by_day_currency_and_status,
    warnings_commit_with_their_payment_once,
);
