//! [`OutboxStore`]: notifications, their leases and their delivery attempts.

use super::*;

/// Inserts `n` notifications due at T0 through finalized payments.
async fn queue(store: &dyn Store, n: usize, prefix: &str) -> Vec<NotificationId> {
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

fn delivery(n: &Notification, at: Timestamp, acknowledged: bool) -> DeliveryAttempt {
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
    let all: HashSet<NotificationId> = queue(store.as_ref(), 30, "PR-LEASE")
        .await
        .into_iter()
        .collect();
    // Two dispatchers claim at once: disjoint batches, nothing left over.
    let (s1, s2) = (store.clone(), store.clone());
    let c1 = tokio::spawn(async move { s1.claim_due_notifications(T0, T0 + ms(60_000), 20).await });
    let c2 = tokio::spawn(async move { s2.claim_due_notifications(T0, T0 + ms(60_000), 20).await });
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
        .claim_due_notifications(T0 + ms(59_999), T0 + ms(120_000), 100)
        .await
        .unwrap()
        .is_empty());
    // ...then another dispatcher takes them over (a dead node's claims).
    let reclaimed = store
        .claim_due_notifications(T0 + ms(60_000), T0 + ms(120_000), 100)
        .await
        .unwrap();
    assert_eq!(reclaimed.len(), 30);

    // Delivered, retried and given-up rows.
    let mut by_id: Vec<Notification> = reclaimed;
    by_id.sort_by(|a, b| a.notification_id.cmp(&b.notification_id));
    let (delivered, retried, failed) = (&by_id[0], &by_id[1], &by_id[2]);
    // On the claim that holds them (its lease runs to T0 + ms(120 s)).
    for (n, ack, next) in [
        (delivered, true, DeliveryNext::Delivered),
        (retried, false, DeliveryNext::RetryAt(T0 + ms(500_000))),
        (failed, false, DeliveryNext::GiveUp),
    ] {
        assert!(store
            .record_claimed_delivery(&delivery(n, T0 + ms(61_000), ack), next, T0 + ms(120_000))
            .await
            .unwrap());
    }
    let later = store
        .claim_due_notifications(T0 + ms(200_000), T0 + ms(1_000_000), 100)
        .await
        .unwrap();
    let later_ids: HashSet<_> = later.iter().map(|n| n.notification_id.clone()).collect();
    assert_eq!(later.len(), 27, "the other 27 leases expired");
    for n in [delivered, retried, failed] {
        assert!(!later_ids.contains(&n.notification_id));
    }
    let at_retry = store
        .claim_due_notifications(T0 + ms(500_000), T0 + ms(560_000), 100)
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
        ("DELIVERED", 1, Some(T0 + ms(61_000)))
    );
    let f = store.notifications_for(&failed.subject_id).await.unwrap();
    assert_eq!((f[0].status.as_str(), f[0].delivered_at), ("FAILED", None));
    let log = store
        .delivery_attempts(&delivered.notification_id)
        .await
        .unwrap();
    assert_eq!(log, [delivery(delivered, T0 + ms(61_000), true)]);
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
                    .claim_due_notifications(T0, T0 + ms(60_000), 3)
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
        .claim_due_notifications(T0 + ms(20_000), T0 + ms(30_000), 10)
        .await
        .unwrap();
    assert_eq!(
        first.iter().map(|n| n.kind.as_str()).collect::<Vec<_>>(),
        [PAYMENT_RESULT],
        "the refund's notification waits for the payment's first attempt"
    );
    assert!(store
        .record_claimed_delivery(
            &delivery(&first[0], T0 + ms(20_000), false),
            DeliveryNext::RetryAt(T0 + ms(40_000)),
            T0 + ms(30_000),
        )
        .await
        .unwrap());
    let second = store
        .claim_due_notifications(T0 + ms(20_001), T0 + ms(30_000), 10)
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

/// Metrics read the backlog; the dispatcher skips merchants that already
/// have their share of deliveries in flight.
async fn backlog_and_claims_skipping_busy_merchants(store: Arc<dyn Store>) {
    let m1: HashSet<NotificationId> = queue(store.as_ref(), 3, "PR-BUSY")
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
    assert_eq!(
        store.notification_backlog(T0 - ms(1)).await.unwrap(),
        (0, 4)
    );

    let other = store
        .claim_due_notifications_except(T0, T0 + ms(60_000), 100, &["M1".into()])
        .await
        .unwrap();
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].client_id, "M2");
    let rest: HashSet<NotificationId> = store
        .claim_due_notifications_except(T0, T0 + ms(60_000), 100, &[])
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

async fn notifications_can_be_requeued_for_resend(store: Arc<dyn Store>) {
    let q = queue(store.as_ref(), 1, "RQ").await;
    let claimed = store
        .claim_due_notifications(T0 + ms(10), T0 + ms(60_000), 10)
        .await
        .unwrap();
    let mine = claimed
        .iter()
        .find(|c| c.notification_id == q[0])
        .unwrap()
        .clone();
    assert!(store
        .record_claimed_delivery(
            &delivery(&mine, T0 + ms(10), true),
            DeliveryNext::Delivered,
            T0 + ms(60_000),
        )
        .await
        .unwrap());
    assert!(store
        .claim_due_notifications(T0 + ms(20), T0 + ms(60_000), 10)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .requeue_notification(&q[0], T0 + ms(30))
        .await
        .unwrap());
    assert!(!store
        .requeue_notification(&"nope".into(), T0 + ms(30))
        .await
        .unwrap());
    let again = store
        .claim_due_notifications(T0 + ms(30), T0 + ms(60_000), 10)
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
        .claim_due_notifications(T0 + ms(10), T0 + ms(60_000), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    for (n, ack) in claimed.iter().zip([false, true]) {
        let next = if ack {
            DeliveryNext::Delivered
        } else {
            DeliveryNext::RetryAt(T0 + ms(120_000))
        };
        assert!(store
            .record_claimed_delivery(&delivery(n, T0 + ms(10), ack), next, T0 + ms(60_000))
            .await
            .unwrap());
    }
    let all = store
        .delivery_attempts_after(&"M1".into(), 0, 10)
        .await
        .unwrap();
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
        .delivery_attempts_after(&"M1".into(), all[0].id, 10)
        .await
        .unwrap();
    assert_eq!(later, all[1..]);
    let first = store
        .delivery_attempts_after(&"M1".into(), 0, 1)
        .await
        .unwrap();
    assert_eq!(first, all[..1]);
    assert!(store
        .delivery_attempts_after(&"M2".into(), 0, 10)
        .await
        .unwrap()
        .is_empty());

    let rows = [
        api_row("M-L", T0 + ms(2), "SUCCESS"),
        api_row("M-L", T0 + ms(1), "INVALID_SIGNATURE"),
        api_row("M-OTHER", T0 + ms(3), "SUCCESS"),
        api_row("M-L", T0 + ms(4), "ORDER_NOT_EXIST"),
    ];
    store.insert_api_requests(&rows).await.unwrap();
    let mine = store
        .api_requests_after(&"M-L".into(), 0, 10)
        .await
        .unwrap();
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
            .api_requests_after(&"M-L".into(), mine[0].id, 10)
            .await
            .unwrap(),
        mine[1..]
    );
    assert!(store
        .api_requests_after(&"M-L".into(), mine[1].id, 10)
        .await
        .unwrap()
        .is_empty());
}

/// The status of the notification whose attempt was (or not) acknowledged.
fn a_status(all: &[cashier_store::ListenedAttempt], acknowledged: bool) -> String {
    let a = all
        .iter()
        .find(|a| a.attempt.acknowledged == acknowledged)
        .unwrap();
    a.notification.status.clone()
}

conformance!(
    notification_claims_are_leases,
    concurrent_claimers_never_share_a_row,
    refund_notifications_wait_for_the_payment_notification,
    backlog_and_claims_skipping_busy_merchants,
    notifications_can_be_requeued_for_resend,
    listen_follows_rows_by_id,
);
