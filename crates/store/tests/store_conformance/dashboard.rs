//! [`DashboardStore`]: dashboard users, sessions, the login throttle and the
//! payment views.

use super::*;

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
        setup_expires_at: Some(T0 + ms(1_000)),
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
            st.reserve_login_attempt(&[(&email, 5), ("ip:1", 20)], T0 - ms(100), T0)
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
        .dashboard_user_by_setup_token(tok, T0 + ms(1_000))
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
        expires_at: T0 + ms(10),
    };
    store.insert_dashboard_session(&s).await.unwrap();
    assert_eq!(
        store.dashboard_session("h1", T0 + ms(9)).await.unwrap(),
        Some(s.clone())
    );
    assert_eq!(
        store.dashboard_session("h1", T0 + ms(10)).await.unwrap(),
        None
    );
    store.delete_dashboard_session("h1").await.unwrap();
    assert_eq!(store.dashboard_session("h1", T0).await.unwrap(), None);

    // Throttle reservations: of 40 concurrent attempts against a limit of
    // 5 per email and 20 per address, exactly 5 are reserved; a refused
    // step counts on neither key.
    let reserved = reserve_at_once(&store, 40, |_| "email:a".into()).await;
    assert_eq!(reserved, 5);
    assert_eq!(
        store.login_failures("email:a", T0 - ms(100)).await.unwrap(),
        5
    );
    assert_eq!(store.login_failures("ip:1", T0 - ms(100)).await.unwrap(), 5);
    // Other emails from the address fill it up to its own limit, 20.
    let reserved = reserve_at_once(&store, 30, |i| format!("email:b{i}")).await;
    assert_eq!(reserved, 15);
    assert_eq!(
        store.login_failures("ip:1", T0 - ms(100)).await.unwrap(),
        20
    );
    // A released attempt frees one place.
    store.release_login_attempt("ip:1").await.unwrap();
    assert_eq!(
        store.login_failures("ip:1", T0 - ms(100)).await.unwrap(),
        19
    );
    assert!(store
        .reserve_login_attempt(&[("email:c", 5), ("ip:1", 20)], T0 - ms(100), T0)
        .await
        .unwrap());
    assert!(!store
        .reserve_login_attempt(&[("email:d", 5), ("ip:1", 20)], T0 - ms(100), T0)
        .await
        .unwrap());
    assert_eq!(
        store.login_failures("email:d", T0 - ms(100)).await.unwrap(),
        0
    );
    // Seen from later: the window started before `since`, so it is over,
    // and the next reservation opens a new one.
    assert_eq!(store.login_failures("ip:1", T0 + ms(1)).await.unwrap(), 0);
    assert!(store
        .reserve_login_attempt(&[("ip:1", 20)], T0 + ms(1), T0 + ms(50))
        .await
        .unwrap());
    assert_eq!(store.login_failures("ip:1", T0 + ms(1)).await.unwrap(), 1);
    store.clear_login_failures("ip:1").await.unwrap();
    assert_eq!(
        store
            .login_failures("ip:1", Timestamp::from_millis(0))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .login_failures("never", Timestamp::from_millis(0))
            .await
            .unwrap(),
        0
    );
    // Releasing what was never reserved does nothing.
    store.release_login_attempt("never").await.unwrap();
    assert_eq!(
        store
            .login_failures("never", Timestamp::from_millis(0))
            .await
            .unwrap(),
        0
    );
}

async fn payments_list_is_scoped_filtered_and_keyset_paged(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    ensure_merchant(store.as_ref(), "M2").await;
    let mut mine = Vec::new();
    for i in 0..25 {
        let mut p = payment("M1", &format!("L{i:02}"), 100 + i);
        // Ties on created_at: pages must still neither skip nor repeat.
        p.created_at = T0 + ms((i / 5) * 1_000);
        if i % 5 == 0 {
            p.amount = with_currency(p.amount, "JPY");
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
        search: Some(mine[3].payment_id.to_string()),
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
        created_from: Some(T0 + ms(1_000)),
        created_to: Some(T0 + ms(3_000)),
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

async fn daily_stats_group_by_day_currency_and_status(store: Arc<dyn Store>) {
    ensure_merchant(store.as_ref(), "M1").await;
    ensure_merchant(store.as_ref(), "M2").await;
    // Days are UTC+8 days: day0 starts at 16:00 UTC the evening before.
    let offset = ANTOM_DAY_OFFSET_MS;
    let day0 = (T0 + ms(offset)).millis().div_euclid(86_400_000);
    let start0 = Timestamp::from_millis(day0 * 86_400_000 - offset);
    for (i, (client, currency, at, amount)) in [
        ("M1", "SGD", start0 + ms(1_000), 100),
        // 23:59:59 UTC+8: still day0, although 15:59:59 UTC.
        ("M1", "SGD", start0 + ms(86_399_000), 250),
        // 00:00 UTC+8 of the next day is 16:00 UTC of the same UTC day.
        ("M1", "JPY", start0 + ms(86_400_000), 700),
        ("M2", "SGD", start0 + ms(1_000), 999),
    ]
    .into_iter()
    .enumerate()
    {
        let mut p = payment(client, &format!("DS{i}"), amount);
        p.amount = with_currency(p.amount, currency);
        p.created_at = at;
        store.insert_payment(&p).await.unwrap();
    }
    let paid = paid(store.as_ref(), "DS-PAID", 40).await; // M1, SGD, created at T0
    let from = start0;
    let to = from + ms(2 * 86_400_000);
    let mut got = store
        .daily_stats(Some(&"M1".into()), from, to)
        .await
        .unwrap();
    got.sort_by(|a, b| {
        (a.day, a.currency.code(), &a.status).cmp(&(b.day, b.currency.code(), &b.status))
    });
    let row = |day: i64, currency: &str, status: &str, count: i64, amount_minor: i128| DailyStat {
        day,
        currency: Currency::from_code(currency).unwrap(),
        status: status.into(),
        count,
        amount_minor,
    };
    let paid_day = (paid.created_at + ms(offset))
        .millis()
        .div_euclid(86_400_000);
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
            p.amount = with_currency(p.amount, "USD");
            p.created_at = Timestamp::from_millis(day0 * 86_400_000 + 5_000);
            st.insert_payment(&p).await.unwrap();
        });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap();
    }
    let big = store
        .daily_stats(Some(&"M3".into()), from, to)
        .await
        .unwrap();
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
        .daily_stats(Some(&"M1".into()), to, to + ms(1))
        .await
        .unwrap()
        .is_empty());
}

conformance!(
    dashboard_users_sessions_and_throttle,
    payments_list_is_scoped_filtered_and_keyset_paged,
    daily_stats_group_by_day_currency_and_status,
);
