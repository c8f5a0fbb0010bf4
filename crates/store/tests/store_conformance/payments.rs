//! [`PaymentStore`]: payments, attempts, warnings and the compare-and-set
//! moves of a payment.

use super::*;

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
        store
            .payment_by_request_id(&"M1".into(), &"PR-RACE".into())
            .await
            .unwrap(),
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
        store
            .payment_by_request_id(&"M2".into(), &"PR-RACE".into())
            .await
            .unwrap(),
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
    second.created_at = T0 + ms(1);
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
            T0 + ms(5)
        )
        .await
        .unwrap());
    assert!(store
        .update_attempt(
            &first,
            &[AttemptState::Submitted, AttemptState::Challenge],
            AttemptState::Async,
            Some(("PAYMENT_IN_PROCESS", "later")),
            Some(T0 + ms(100)),
            T0 + ms(5)
        )
        .await
        .unwrap());
    let a = store.attempt(&first).await.unwrap().unwrap();
    assert_eq!(a.state, AttemptState::Async);
    assert_eq!(a.result_code.as_deref(), Some("PAYMENT_IN_PROCESS"));
    assert_eq!(
        (a.settle_at, a.updated_at),
        (Some(T0 + ms(100)), T0 + ms(5))
    );
    // A None result keeps the previous one.
    assert!(store
        .update_attempt(
            &first,
            &[AttemptState::Async],
            AttemptState::Declined,
            None,
            None,
            T0 + ms(6)
        )
        .await
        .unwrap());
    let a = store.attempt(&first).await.unwrap().unwrap();
    assert_eq!(
        (a.state, a.result_code.as_deref(), a.settle_at),
        (AttemptState::Declined, Some("PAYMENT_IN_PROCESS"), None)
    );

    // Only the settle time of ASYNC attempts counts.
    let due = store.due_async_attempts(T0 + ms(1_000), 10).await.unwrap();
    assert!(due.is_empty(), "{due:?}");
}

async fn finalize_is_compare_and_set_under_two_concurrent_finalizers(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    for round in 0..10 {
        let p = payment("M1", &format!("PR-FIN-{round}"), 500);
        store.insert_payment(&p).await.unwrap();
        let a = attempt(&p.payment_id, "n", AttemptState::Submitted);
        store.insert_attempt(&a).await.unwrap();
        let mut success = finalize(&p.payment_id, PaymentStatus::Success, T0 + ms(10));
        success.attempt = Some((a.attempt_id.clone(), AttemptState::Succeeded));
        let expire = finalize(&p.payment_id, PaymentStatus::Fail, T0 + ms(11));
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
            assert_eq!((now.paid_at, now.closed_at), (Some(T0 + ms(10)), None));
            assert_eq!(now.card_last4.as_deref(), Some("4242"));
            assert_eq!(
                notes[0].notification_id,
                success.notification.as_ref().unwrap().notification_id
            );
            assert_eq!(att.state, AttemptState::Succeeded);
        } else {
            assert_eq!(now.status, PaymentStatus::Fail);
            assert_eq!((now.paid_at, now.closed_at), (None, Some(T0 + ms(11))));
            assert_eq!(
                notes[0].notification_id,
                expire.notification.as_ref().unwrap().notification_id
            );
            assert_eq!(att.state, AttemptState::Submitted, "loser changed nothing");
        }
    }
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
    let mut f = finalize(&p.payment_id, PaymentStatus::Success, T0 + ms(50));
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
        (0, T0 + ms(50), T0 + ms(50), None)
    );
    let c = store.counts().await.unwrap();
    assert_eq!((c.notifications, c.pending_notifications), (1, 1));
    assert_eq!(
        store.next_notification_due().await.unwrap(),
        Some(T0 + ms(50))
    );

    // FAIL never changes; a second success is refused and queues nothing.
    let mut again = finalize(&p.payment_id, PaymentStatus::Success, T0 + ms(60));
    again.notification.as_mut().unwrap().kind = "OTHER".into();
    assert!(!store.finalize_payment(&again).await.unwrap());
    assert!(!store
        .finalize_payment(&finalize(&p.payment_id, PaymentStatus::Fail, T0 + ms(60)))
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
        .mark_pending(&q.payment_id, &w.attempt_id, "ALIPAY_CN", T0 + ms(5))
        .await
        .unwrap());
    assert!(!store
        .mark_pending(&q.payment_id, &w.attempt_id, "ALIPAY_CN", T0 + ms(6))
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
    let mut settle = finalize(&q.payment_id, PaymentStatus::Success, T0 + ms(7));
    settle.attempt = Some((w.attempt_id.clone(), AttemptState::Succeeded));
    assert!(store.finalize_payment(&settle).await.unwrap());
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
    let mut f = finalize(&p.payment_id, PaymentStatus::Success, T0 + ms(50));
    f.attempt = Some((a.attempt_id.clone(), AttemptState::Succeeded));
    f.card_details = Some(second.into());
    assert!(store.finalize_payment(&f).await.unwrap());
    let paid = store.payment(&p.payment_id).await.unwrap().unwrap();
    assert_eq!(paid.card_details.as_deref(), Some(second));
    assert_eq!(paid.card_masked.as_deref(), Some("424242******4242"));
}

async fn expiry_and_settlement_queries(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let mut expired = payment("M1", "PR-EXP", 100);
    expired.session_expires_at = T0 + ms(10);
    let mut waiting = payment("M1", "PR-EXP-ASYNC", 100);
    waiting.session_expires_at = T0 + ms(5);
    let mut open = payment("M1", "PR-OPEN", 100);
    open.session_expires_at = T0 + ms(1_000);
    for p in [&expired, &waiting, &open] {
        store.insert_payment(p).await.unwrap();
    }
    let mut a = attempt(&waiting.payment_id, "n", AttemptState::Async);
    a.settle_at = Some(T0 + ms(20));
    store.insert_attempt(&a).await.unwrap();
    let ids = |v: Vec<Payment>| v.into_iter().map(|p| p.payment_id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.expired_open_payments(T0 + ms(100), 10).await.unwrap()),
        [expired.payment_id.clone()],
        "a payment waiting for an async result is not expired"
    );
    assert!(store
        .expired_open_payments(T0 + ms(9), 10)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .due_async_attempts(T0 + ms(19), 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.due_async_attempts(T0 + ms(20), 10).await.unwrap(),
        [a.clone()]
    );
}

async fn cancel_is_compare_and_set(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let unpaid = [PaymentStatus::Processing, PaymentStatus::Pending];
    let open = payment("M1", "PR-CANCEL", 500);
    store.insert_payment(&open).await.unwrap();
    assert!(store
        .cancel_payment(
            &open.payment_id,
            &unpaid,
            T0 + ms(5),
            "SUCCESS",
            "cancelled"
        )
        .await
        .unwrap());
    let c = store.payment(&open.payment_id).await.unwrap().unwrap();
    assert_eq!(
        (c.status, c.cancel_time, c.closed_at),
        (PaymentStatus::Cancelled, Some(T0 + ms(5)), Some(T0 + ms(5)))
    );
    assert!(
        !store
            .cancel_payment(&open.payment_id, &unpaid, T0 + ms(6), "SUCCESS", "again")
            .await
            .unwrap(),
        "CANCELLED never changes"
    );
    assert!(!store
        .finalize_payment(&finalize(
            &open.payment_id,
            PaymentStatus::Success,
            T0 + ms(7)
        ))
        .await
        .unwrap());

    // SUCCESS may be cancelled only when asked from SUCCESS and nothing is refunded.
    let p = paid(store.as_ref(), "PR-CANCEL-PAID", 500).await;
    assert!(!store
        .cancel_payment(&p.payment_id, &unpaid, T0 + ms(5), "SUCCESS", "x")
        .await
        .unwrap());
    let r = refund(&p, "RR-C", 1, RefundStatus::Success);
    store.insert_refund(&r, None).await.unwrap();
    assert!(!store
        .cancel_payment(
            &p.payment_id,
            &[PaymentStatus::Success],
            T0 + ms(5),
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
            T0 + ms(5),
            "SUCCESS",
            "x"
        )
        .await
        .unwrap());
    let q = store.payment(&q.payment_id).await.unwrap().unwrap();
    assert_eq!(
        (q.status, q.paid_at, q.closed_at),
        (
            PaymentStatus::Cancelled,
            Some(T0 + ms(1_000)),
            Some(T0 + ms(5))
        ),
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
                T0 + ms(9),
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
    later.created_at = T0 + ms(5_000);
    store
        .insert_payment_with_warnings(&later, &warnings[..1])
        .await
        .unwrap();
    let mut other = payment("M2", "PR-OTHER", 700);
    other.created_at = T0 + ms(9_000);
    store
        .insert_payment_with_warnings(&other, &warnings[1..2])
        .await
        .unwrap();

    let counts = store.warning_counts(&"M1".into(), T0).await.unwrap();
    assert_eq!(
        counts
            .iter()
            .map(|c| (c.rule.as_str(), c.payments, c.last_at))
            .collect::<Vec<_>>(),
        vec![
            ("BUYER_NAME_MISSING", 2, T0 + ms(5_000)),
            ("GOODS_NAME_MISSING", 1, T0),
        ],
        "per rule, payments not fields, this merchant only"
    );
    let since_later = store
        .warning_counts(&"M1".into(), T0 + ms(1))
        .await
        .unwrap();
    assert_eq!(since_later.len(), 1);
    assert_eq!(since_later[0].payments, 1);

    let recent = store.recent_warnings(&"M1".into(), 2).await.unwrap();
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
        "NOPE".into(),
    ];
    let batch = store.warnings_for_payments(&ids).await.unwrap();
    assert_eq!(batch.len(), 4);
    assert!(batch
        .iter()
        .all(|w| w.payment_id == winner.payment_id || w.payment_id == other.payment_id));
    assert!(store.warnings_for_payments(&[]).await.unwrap().is_empty());
}

conformance!(
    payment_insert_is_idempotent_under_50_concurrent_inserts,
    attempts_are_unique_per_nonce,
    finalize_is_compare_and_set_under_two_concurrent_finalizers,
    finalize_commits_the_outbox_row_with_the_state,
    card_details_follow_the_attempt_to_the_payment,
    expiry_and_settlement_queries,
    cancel_is_compare_and_set,
    warnings_commit_with_their_payment_once,
);

/// Asserts that `got` is [`StoreError::CorruptRow`] naming the row `id` of
/// `table`, for a reason that mentions `what`.
#[track_caller]
fn assert_corrupt<T: std::fmt::Debug>(got: StoreResult<T>, table: &str, id: &str, what: &str) {
    match got {
        Err(StoreError::CorruptRow {
            table: t,
            id: i,
            what: w,
        }) => {
            assert_eq!((t, i.as_str()), (table, id), "{w}");
            assert!(w.contains(what), "{w:?} names {what}");
        }
        other => panic!("a corrupt {table} row ({what}) read as {other:?}"),
    }
}

/// A stored payment or refund whose values do not decode — goods that are
/// not their JSON, an unknown currency or settlement currency, a negative
/// amount — reads back as [`StoreError::CorruptRow`] naming the row, in
/// the payment, report and daily statistics alike: never a panic, never a
/// payment with no goods. Rows are damaged with raw SQL, past the store.
async fn corrupt_rows_read_as_typed_errors(backend: &Backend) {
    let store = backend.store.as_ref();
    ensure_merchant(store, "M1").await;
    let goods = GoodsRecord {
        reference_goods_id: "G1".into(),
        name: "Kaya toast".into(),
        quantity: 2,
        unit_minor: 300,
        line_minor: 600,
    };
    let mut p = payment("M1", "PR-CORRUPT", 600);
    p.goods = vec![goods.clone()];
    store.insert_payment(&p).await.unwrap();
    let read = store.payment(&p.payment_id).await.unwrap().unwrap();
    assert_eq!((read.amount, read.goods), (p.amount, vec![goods]));

    let expect_corrupt = |got: StoreResult<Option<Payment>>, what: &str| {
        assert_corrupt(got, "payments", &p.payment_id, what)
    };
    for (set, what) in [
        ("goods_json = '[{\"name\": 1'", "goods_json"),
        ("goods_json = '[]', currency = 'XYZ'", "XYZ"),
        ("currency = 'SGD', amount_minor = -1", "amount_minor"),
        (
            "amount_minor = 600, settlement_currency = 'XYZ'",
            "settlement_currency",
        ),
    ] {
        backend
            .execute_raw(&format!(
                "UPDATE payments SET {set} WHERE payment_id = '{}'",
                p.payment_id
            ))
            .await;
        expect_corrupt(store.payment(&p.payment_id).await, what);
        expect_corrupt(store.payment_by_token(&p.checkout_token).await, what);
        expect_corrupt(
            store
                .payment_by_request_id(&"M1".into(), &p.payment_request_id)
                .await,
            what,
        );
    }

    // A refund's amount, likewise.
    let paid = paid(store, "PR-CORRUPT-REFUND", 1000).await;
    let r = refund(&paid, "RR-CORRUPT", 100, RefundStatus::Success);
    assert!(matches!(
        store.insert_refund(&r, None).await.unwrap(),
        RefundInsert::Created(_)
    ));
    backend
        .execute_raw(&format!(
            "UPDATE refunds SET currency = 'XYZ' WHERE refund_id = '{}'",
            r.refund_id
        ))
        .await;
    assert_corrupt(
        store.refunds_for_payment(&paid.payment_id).await,
        "refunds",
        &r.refund_id,
        "XYZ",
    );

    // A report line's settlement currency is its payment's, for the
    // payment's line and its refund's alike.
    backend
        .execute_raw(&format!(
            "UPDATE refunds SET currency = 'SGD' WHERE refund_id = '{}';
             UPDATE payments SET settlement_currency = 'XYZ' WHERE payment_id = '{}'",
            r.refund_id, paid.payment_id
        ))
        .await;
    let m1 = ClientId::from("M1");
    let report = || store.report_transactions(&m1, T0, T0 + ms(86_400_000));
    assert_corrupt(
        report().await,
        "payments",
        &paid.payment_id,
        "settlement_currency",
    );
    // A refund's line has the refund's amount.
    backend
        .execute_raw(&format!(
            "UPDATE payments SET settlement_currency = 'SGD' WHERE payment_id = '{}';
             UPDATE refunds SET currency = 'XYZ' WHERE refund_id = '{}'",
            paid.payment_id, r.refund_id
        ))
        .await;
    assert_corrupt(report().await, "refunds", &r.refund_id, "XYZ");

    // The dashboard's daily statistics group payments by currency.
    backend
        .execute_raw(&format!(
            "UPDATE payments SET currency = 'XYZ' WHERE payment_id = '{}'",
            p.payment_id
        ))
        .await;
    match store
        .daily_stats(Some(&"M1".into()), T0 - ms(86_400_000), T0 + ms(86_400_000))
        .await
    {
        Err(StoreError::CorruptRow { table, what, .. }) => {
            assert_eq!(table, "payments");
            assert!(what.contains("XYZ"), "{what:?}");
        }
        other => panic!("a corrupt currency grouped as {other:?}"),
    }
}

/// Needs the backend itself, to damage rows past the store, so it is not
/// one of [`conformance!`]'s checks.
mod corrupt_rows_read_as_typed_errors {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        super::corrupt_rows_read_as_typed_errors(&crate::sqlite().await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
    )]
    async fn postgres() {
        super::corrupt_rows_read_as_typed_errors(&crate::postgres().await).await;
    }
}

/// `payments.methods_json` reads back as the [`OfferedMethods`] written,
/// stored as before: a plain array of codes when none is express, else
/// `{"codes":…,"express":…}`. A column that is neither reads as
/// [`StoreError::CorruptRow`] naming the row, never as a page with no
/// methods. Rows are checked and damaged with raw SQL, past the store.
async fn methods_json_reads_as_offered_methods_or_a_typed_error(backend: &Backend) {
    let store = backend.store.as_ref();
    ensure_merchant(store, "M1").await;
    let mut plain = payment("M1", "PR-METHODS-PLAIN", 600);
    plain.methods.codes = vec!["CARD".into(), "ALIPAY_CN".into()];
    let mut express = payment("M1", "PR-METHODS-EXPRESS", 600);
    express.methods = OfferedMethods {
        codes: vec!["CARD".into(), "APPLEPAY".into()],
        express: vec!["APPLEPAY".into()],
    };
    // The column as written, byte for byte: a row whose `methods_json` is
    // `json` gets its fingerprint changed to `stored`.
    let mark = |p: &Payment, json: &str| {
        format!(
            "UPDATE payments SET fingerprint = 'stored' WHERE payment_id = '{}' AND methods_json = '{json}'",
            p.payment_id
        )
    };
    for (p, json) in [
        (&plain, r#"["CARD","ALIPAY_CN"]"#),
        (
            &express,
            r#"{"codes":["CARD","APPLEPAY"],"express":["APPLEPAY"]}"#,
        ),
    ] {
        store.insert_payment(p).await.unwrap();
        let read = store.payment(&p.payment_id).await.unwrap().unwrap();
        assert_eq!(read.methods, p.methods);
        backend.execute_raw(&mark(p, json)).await;
        let read = store.payment(&p.payment_id).await.unwrap().unwrap();
        assert_eq!(read.fingerprint, "stored", "{json}");
    }

    for (json, what) in [
        ("[\"CARD\", 1", "methods_json"),
        ("{\"codes\": [\"CARD\"]}", "methods_json"),
        ("", "methods_json"),
    ] {
        backend
            .execute_raw(&format!(
                "UPDATE payments SET methods_json = '{json}' WHERE payment_id = '{}'",
                plain.payment_id
            ))
            .await;
        for got in [
            store.payment(&plain.payment_id).await,
            store.payment_by_token(&plain.checkout_token).await,
            store
                .payment_by_request_id(&"M1".into(), &plain.payment_request_id)
                .await,
        ] {
            assert_corrupt(got, "payments", &plain.payment_id, what);
        }
    }
}

/// Needs the backend itself, to read and damage rows past the store.
mod methods_json_reads_as_offered_methods_or_a_typed_error {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        super::methods_json_reads_as_offered_methods_or_a_typed_error(&crate::sqlite().await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
    )]
    async fn postgres() {
        super::methods_json_reads_as_offered_methods_or_a_typed_error(&crate::postgres().await)
            .await;
    }
}
