//! [`RefundStore`]: refunds and the amounts they reserve.

use super::*;

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
    assert_eq!(refunds.iter().map(|r| r.amount.minor()).sum::<u64>(), 1000);
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
            T0 + ms(30_000),
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
            T0 + ms(30_001),
            None
        )
        .await
        .unwrap());
    let f = store.refund(&first.refund_id).await.unwrap().unwrap();
    assert_eq!(
        (f.status, f.refund_time, f.settle_at),
        (RefundStatus::Fail, Some(T0 + ms(30_000)), None)
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
            T0 + ms(30_000),
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
    let due = store.due_async_refunds(T0 + ms(20_000), 100).await.unwrap();
    assert_eq!(due.len(), 8);
    assert!(store
        .due_async_refunds(T0 + ms(19_999), 100)
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
            .refund_by_request_id(&p.client_id, &"RR-SAME".into())
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
            .refund_by_request_id(&p.client_id, &"RR-none".into())
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
        .refund_by_request_id(&"M1".into(), &"RR-U".into())
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

conformance!(
    refund_reservation_under_20_concurrent_refunds,
    refund_request_ids_are_unique_under_concurrency,
    refunds_need_a_successful_payment,
);
