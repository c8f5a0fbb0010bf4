//! [`MerchantStore`]: merchants, their keys and settings.

use super::*;

async fn merchants_and_keys(store: Arc<dyn Store>) {
    store.ping().await.unwrap();
    assert_eq!(store.counts().await.unwrap(), StoreCounts::default());
    let mut b = merchant("M-B");
    b.created_at = T0 + ms(5);
    b.fee_bps = 0;
    b.logo_file = None;
    store.insert_merchant(&b).await.unwrap();
    store.insert_merchant(&merchant("M-A")).await.unwrap();
    assert!(matches!(
        store.insert_merchant(&merchant("M-A")).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.merchant(&"M-A".into()).await.unwrap(),
        Some(merchant("M-A")),
        "round trip"
    );
    assert_eq!(store.merchant(&"nobody".into()).await.unwrap(), None);
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
        created_at: T0 + ms(i64::from(v)),
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
    assert_eq!(
        store.merchant_key(&"M-A".into(), 2).await.unwrap(),
        Some(key(2))
    );
    assert_eq!(store.merchant_key(&"M-A".into(), 3).await.unwrap(), None);
    let versions: Vec<_> = store
        .merchant_keys(&"M-A".into())
        .await
        .unwrap()
        .iter()
        .map(|k| k.key_version)
        .collect();
    assert_eq!(versions, [1, 2]);
    assert_eq!(store.counts().await.unwrap().merchants, 2);
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
        store
            .retire_merchant_key(&"M-K".into(), 9, T0 + ms(1))
            .await
            .unwrap(),
        RetireKey::NotFound
    );
    assert_eq!(
        store
            .retire_merchant_key(&"nobody".into(), 1, T0 + ms(1))
            .await
            .unwrap(),
        RetireKey::NotFound
    );
    assert_eq!(
        store
            .retire_merchant_key(&"M-K".into(), 1, T0 + ms(5))
            .await
            .unwrap(),
        RetireKey::Retired
    );
    let k1 = store.merchant_key(&"M-K".into(), 1).await.unwrap().unwrap();
    assert_eq!(
        k1.retired_at,
        Some(T0 + ms(5)),
        "kept, with its retirement time"
    );
    assert!(!k1.is_active());
    assert_eq!(
        store
            .retire_merchant_key(&"M-K".into(), 1, T0 + ms(6))
            .await
            .unwrap(),
        RetireKey::AlreadyRetired(T0 + ms(5)),
        "the first retirement time stays"
    );
    // Two retirements race for the last two active keys: exactly one wins.
    let mut tasks = JoinSet::new();
    for v in [2, 3] {
        let store = store.clone();
        tasks.spawn(async move {
            store
                .retire_merchant_key(&"M-K".into(), v, T0 + ms(7))
                .await
                .unwrap()
        });
    }
    let mut outcomes = Vec::new();
    while let Some(r) = tasks.join_next().await {
        outcomes.push(r.unwrap());
    }
    outcomes.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(outcomes, [RetireKey::LastActive, RetireKey::Retired]);
    let active: Vec<_> = store
        .merchant_keys(&"M-K".into())
        .await
        .unwrap()
        .into_iter()
        .filter(|k| k.is_active())
        .collect();
    assert_eq!(active.len(), 1, "one key stays active");
    let last = active[0].key_version;
    assert_eq!(
        store
            .retire_merchant_key(&"M-K".into(), last, T0 + ms(8))
            .await
            .unwrap(),
        RetireKey::LastActive
    );
    assert!(store
        .merchant_key(&"M-K".into(), last)
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

async fn merchant_settings_are_updated_together(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    let before = store.merchant(&"M1".into()).await.unwrap().unwrap();
    let after = Merchant {
        brand_name: "New Brand".into(),
        logo_file: None,
        accent_color: Some("#123456".into()),
        notify_url: Some("https://new.example.com/n".into()),
        strict: true,
        ..before.clone()
    };
    assert!(store.update_merchant_settings(&after).await.unwrap());
    assert_eq!(store.merchant(&"M1".into()).await.unwrap().unwrap(), after);
    let ghost = Merchant {
        client_id: "GHOST".into(),
        ..after
    };
    assert!(!store.update_merchant_settings(&ghost).await.unwrap());
}

conformance!(
    merchants_and_keys,
    keys_retire_but_never_the_last_active_one,
    merchant_settings_are_updated_together,
);
