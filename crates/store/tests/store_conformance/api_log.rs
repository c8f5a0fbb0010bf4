//! [`ApiLogStore`]: the API request log and logos.

use super::*;

/// The merchant's newest logged requests (`authenticated` or the failed ones).
async fn recent(
    store: &dyn Store,
    client_id: &str,
    authenticated: bool,
    limit: u32,
) -> Vec<ApiRequestRecord> {
    store
        .recent_api_requests(&client_id.into(), authenticated, limit)
        .await
        .unwrap()
}

/// Prunes the merchant's list to its `keep` newest; how many went.
async fn prune(store: &dyn Store, client_id: &str, authenticated: bool, keep: u32) -> u64 {
    store
        .prune_api_requests(&client_id.into(), authenticated, keep)
        .await
        .unwrap()
}

async fn api_request_log_is_batched_newest_first_and_pruned_per_merchant(store: Arc<dyn Store>) {
    store.insert_api_requests(&[]).await.unwrap();
    // One multi-row insert of 500 rows across two merchants, out of order.
    let rows: Vec<_> = (0..500)
        .map(|i| {
            let at = T0 + ms((i * 7919) % 500);
            api_row(if i % 5 == 0 { "M-B" } else { "M-A" }, at, "SUCCESS")
        })
        .collect();
    store.insert_api_requests(&rows).await.unwrap();
    let a = recent(&*store, "M-A", true, 1_000).await;
    assert_eq!(a.len(), 400);
    assert!(a.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    let newest_a = rows
        .iter()
        .filter(|r| r.client_id == "M-A")
        .max_by_key(|r| r.at)
        .unwrap();
    assert_eq!(&a[0], newest_a, "round trip");
    assert_eq!(recent(&*store, "M-A", true, 3).await.len(), 3);
    assert!(recent(&*store, "nobody", true, 10).await.is_empty());

    // Pruning keeps a merchant's newest rows and leaves the other merchant alone.
    let later: Vec<_> = (0..5000)
        .map(|i| api_row("M-A", T0 + ms(1_000 + i), "PARAM_ILLEGAL"))
        .collect();
    for chunk in later.chunks(500) {
        store.insert_api_requests(chunk).await.unwrap();
    }
    let deleted = prune(&*store, "M-A", true, 100).await;
    assert_eq!(
        deleted,
        5400 - 100,
        "older than the 100th newest: batches of {API_LOG_PRUNE_BATCH}"
    );
    let kept = recent(&*store, "M-A", true, 1_000).await;
    assert_eq!(kept.len(), 100);
    assert_eq!(kept[0].at, T0 + ms(1_000 + 4_999));
    assert_eq!(kept[99].at, T0 + ms(1_000 + 4_900));
    assert_eq!(recent(&*store, "M-B", true, 1_000).await.len(), 100);
    assert_eq!(prune(&*store, "M-A", true, 100).await, 0);
    assert_eq!(prune(&*store, "nobody", true, 100).await, 0);

    // Requests that failed authentication are a list of their own: 300 of
    // them, newer than everything else, neither show among nor prune away
    // the merchant's own rows, and are pruned to their own count.
    let forged: Vec<_> = (0..300)
        .map(|i| api_row("M-A", T0 + ms(10_000 + i), "INVALID_SIGNATURE"))
        .collect();
    store.insert_api_requests(&forged).await.unwrap();
    let own = recent(&*store, "M-A", true, 1_000).await;
    assert_eq!(own, kept);
    let failed = recent(&*store, "M-A", false, 20).await;
    assert_eq!(failed.len(), 20);
    assert!(failed.iter().all(|r| !r.authenticated));
    assert_eq!(failed[0], forged[299], "round trip");
    assert_eq!(prune(&*store, "M-A", true, 100).await, 0);
    assert_eq!(prune(&*store, "M-A", false, 50).await, 250);
    assert_eq!(recent(&*store, "M-A", false, 1_000).await.len(), 50);
    assert_eq!(recent(&*store, "M-A", true, 1_000).await, kept);
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
    same_bytes.created_at = T0 + ms(1);
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

conformance!(
    api_request_log_is_batched_newest_first_and_pruned_per_merchant,
    logos_are_stored_by_name_and_old_file_names_are_found,
);
