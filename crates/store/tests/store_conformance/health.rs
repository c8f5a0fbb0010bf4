//! [`StoreHealth`]: row counts.

use super::*;

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

conformance!(counts_follow_the_rows,);
