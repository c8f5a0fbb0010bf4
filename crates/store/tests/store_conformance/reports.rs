//! [`ReportStore`]: report files and job leases.

use super::*;

async fn reports_are_stored_once(store: Arc<dyn Store>) {
    let p = paid(store.as_ref(), "PR-REPORT", 1234).await;
    store
        .insert_refund(&refund(&p, "RR-REP", 234, RefundStatus::Success), None)
        .await
        .unwrap();
    let rows = store
        .report_transactions(&"M1".into(), T0, T0 + ms(86_400_000))
        .await
        .unwrap();
    let kinds: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.transaction_type.as_str(),
                r.transaction_status.as_str(),
                r.amount.minor(),
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
        .report_transactions(&"M1".into(), T0 + ms(86_400_000), T0 + ms(2 * 86_400_000))
        .await
        .unwrap()
        .is_empty());

    assert!(store
        .insert_report(
            &"M1".into(),
            "2025-06-15",
            "TRANSACTION",
            "t.csv",
            "a,b\n",
            T0
        )
        .await
        .unwrap());
    assert!(!store
        .insert_report(
            &"M1".into(),
            "2025-06-15",
            "TRANSACTION",
            "t.csv",
            "other",
            T0
        )
        .await
        .unwrap());
    store
        .insert_report(
            &"M1".into(),
            "2025-06-15",
            "SETTLEMENT",
            "s_SGD.csv",
            "s",
            T0,
        )
        .await
        .unwrap();
    store
        .insert_report(&"M1".into(), "2025-06-17", "TRANSACTION", "t.csv", "x", T0)
        .await
        .unwrap();
    assert_eq!(
        store.reports(&"M1".into(), "2025-06-15").await.unwrap(),
        [
            ("SETTLEMENT".into(), "s_SGD.csv".into(), "s".into()),
            ("TRANSACTION".into(), "t.csv".into(), "a,b\n".into())
        ]
    );
    store
        .replace_reports(
            &"M1".into(),
            "2025-06-15",
            "SETTLEMENT",
            &[("s_USD.csv".into(), "u".into())],
            T0 + ms(1),
        )
        .await
        .unwrap();
    assert_eq!(
        store.reports(&"M1".into(), "2025-06-15").await.unwrap(),
        [
            ("SETTLEMENT".into(), "s_USD.csv".into(), "u".into()),
            ("TRANSACTION".into(), "t.csv".into(), "a,b\n".into())
        ]
    );
    assert_eq!(
        store
            .report_dates(&"M1".into(), "TRANSACTION", "2025-06-15")
            .await
            .unwrap(),
        ["2025-06-15", "2025-06-17"]
    );
    assert_eq!(
        store
            .report_dates(&"M1".into(), "TRANSACTION", "2025-06-16")
            .await
            .unwrap(),
        ["2025-06-17"]
    );
    assert!(store
        .report_dates(&"M2".into(), "TRANSACTION", "2025-01-01")
        .await
        .unwrap()
        .is_empty());
}

async fn job_leases_have_one_holder(store: Arc<dyn Store>) {
    assert!(store
        .try_lock_job("reports", "node-a", T0 + ms(60_000), T0)
        .await
        .unwrap());
    assert!(!store
        .try_lock_job("reports", "node-b", T0 + ms(60_000), T0 + ms(1))
        .await
        .unwrap());
    assert!(
        store
            .try_lock_job("reports", "node-a", T0 + ms(120_000), T0 + ms(2))
            .await
            .unwrap(),
        "the holder renews"
    );
    assert!(
        !store
            .try_lock_job("reports", "node-b", T0 + ms(200_000), T0 + ms(60_000))
            .await
            .unwrap(),
        "renewed until T0+120s"
    );
    assert!(
        store
            .try_lock_job("reports", "node-b", T0 + ms(200_000), T0 + ms(120_000))
            .await
            .unwrap(),
        "an expired lease is taken over"
    );
    assert!(store
        .try_lock_job("other-job", "node-a", T0 + ms(1), T0)
        .await
        .unwrap());

    // Ten nodes at once on a new job: exactly one wins.
    let mut tasks = JoinSet::new();
    for i in 0..10 {
        let store = store.clone();
        tasks.spawn(async move {
            store
                .try_lock_job(
                    "report:M1:2025-06-15",
                    &format!("node-{i}"),
                    T0 + ms(10),
                    T0,
                )
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

conformance!(reports_are_stored_once, job_leases_have_one_holder,);
