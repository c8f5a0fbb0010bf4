//! The merchant dashboard over real HTTP: accounts and sessions, CSRF,
//! login throttling, tenant isolation, the payments list (filters, keyset
//! pages, CSV export). The server is the real one on a loopback port with a
//! manual clock; the "browser" is reqwest with a hand-kept cookie jar.

use std::collections::HashSet;
use std::sync::Arc;

use crate::common::browser::{multipart, user, Browser, PASSWORD};
use crate::common::{b64, eventually, input_value, TestApp};
use cashier_client::{Client, ClientConfig};
use cashier_gateway::dashboard::{auth, create_user, NewUser};
use cashier_gateway::merchants;
use cashier_gateway::store::{ClientId, PaymentId};
use cashier_protocol::time::antom_offset;
use reqwest::StatusCode;

const OTHER: &str = "SANDBOX_OTHER_MERCHANT";

/// A second merchant with its own signing client.
async fn other_merchant(app: &TestApp) -> Client {
    app.add_named_merchant(OTHER, "Other Shop", 0).await
}

async fn create_with(client: &Client, app: &TestApp, request_id: &str) -> String {
    let raw = client
        .send_raw(
            cashier_client::CREATE_PAYMENT_SESSION,
            app.session_request(request_id).to_string().as_bytes(),
        )
        .await
        .expect("signed response");
    let v: serde_json::Value = serde_json::from_str(&raw.body).unwrap();
    assert_eq!(v["result"]["resultStatus"], "S", "{v}");
    payment_id(app, OTHER, request_id).await
}

/// The paymentId the gateway gave a request (createPaymentSession's answer
/// does not carry it).
async fn payment_id(app: &TestApp, client_id: &str, request_id: &str) -> String {
    app.state
        .store
        .payment_by_request_id(&ClientId::from(client_id), &request_id.into())
        .await
        .unwrap()
        .expect("payment stored")
        .payment_id
        .into_string()
}

#[tokio::test]
async fn login_session_cookie_and_logout() {
    let app = TestApp::spawn().await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    let mut b = Browser::new(&app);

    let p = b.get("/dashboard/payments").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location.as_deref(), Some("/dashboard/login"));

    let p = b.login("owner@lion.example", "wrong password!!").await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    assert!(p.body.contains("Wrong email or password"));
    assert!(!b.cookies.contains_key(auth::SESSION_COOKIE));

    // Emails are case-insensitive.
    let p = b.login("Owner@Lion.example", PASSWORD).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let cookie = p
        .set_cookies
        .iter()
        .find(|c| c.starts_with(auth::SESSION_COOKIE))
        .expect("session cookie");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/dashboard"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain-HTTP deployment: {cookie}"
    );

    let p = b.get("/dashboard/payments").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("owner@lion.example"));
    let csp = app
        .buyer
        .get(format!("{}/dashboard/login", app.base_url))
        .send()
        .await
        .unwrap()
        .headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));

    // The session lives in the store: logout deletes it, so the old
    // cookie is worthless even if replayed.
    let old = b.cookies.clone();
    let csrf = input_value(&p.body, "csrf").unwrap();
    let p = b.post("/dashboard/logout", &[("csrf", &csrf)]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert!(!b.cookies.contains_key(auth::SESSION_COOKIE));
    b.cookies = old;
    let p = b.get("/dashboard/payments").await;
    assert_eq!(p.location.as_deref(), Some("/dashboard/login"));
}

#[tokio::test]
async fn secure_cookie_when_the_public_url_is_https() {
    let app = TestApp::spawn_with(|c| c.public_url = Some("https://pay.example.com".into())).await;
    user(&app, "a@lion.example", Some(&app.client_id)).await;
    let mut b = Browser::new(&app);
    let p = b.login("a@lion.example", PASSWORD).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert!(p
        .set_cookies
        .iter()
        .any(|c| c.starts_with(auth::SESSION_COOKIE) && c.contains("; Secure")));
}

#[tokio::test]
async fn every_form_without_a_valid_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;

    // Login: no token, a wrong token, a token for another pre-login cookie.
    let mut b = Browser::new(&app);
    b.get("/dashboard/login").await;
    let form = |csrf: &'static str| {
        [
            ("csrf", csrf),
            ("email", "owner@lion.example"),
            ("password", PASSWORD),
        ]
    };
    let p = b.post("/dashboard/login", &form("")).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = b
        .post(
            "/dashboard/login",
            &form("00112233445566778899aabbccddeeff"),
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let mut other = Browser::new(&app);
    let page = other.get("/dashboard/login").await;
    let foreign = input_value(&page.body, "csrf").unwrap();
    let p = b
        .post(
            "/dashboard/login",
            &[
                ("csrf", &foreign),
                ("email", "owner@lion.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert!(!b.cookies.contains_key(auth::SESSION_COOKIE));

    // Logout without (or with another session's) token: refused, session kept.
    let mut b = Browser::logged_in(&app, "owner@lion.example").await;
    let c = Browser::logged_in(&app, "owner@lion.example").await;
    let p = b.post("/dashboard/logout", &[]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let theirs = c.cookies.clone();
    let mut c = c;
    let their_page = c.get("/dashboard/payments").await;
    let their_csrf = input_value(&their_page.body, "csrf").unwrap();
    let p = b.post("/dashboard/logout", &[("csrf", &their_csrf)]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert_eq!(b.get("/dashboard/payments").await.status, StatusCode::OK);
    drop(theirs);

    // Setup link form.
    let created = create_user(
        app.state.store.as_ref(),
        NewUser {
            email: "new@lion.example",
            client_id: Some(&ClientId::from(&app.client_id)),
            admin: false,
            password: None,
            now: app.state.now_ts(),
        },
    )
    .await
    .unwrap();
    let token = created.setup_token.unwrap();
    let mut n = Browser::new(&app);
    let p = n
        .post(
            &format!("/dashboard/setup/{token}"),
            &[("csrf", "x"), ("password", PASSWORD), ("confirm", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn setup_link_sets_the_password_once() {
    let app = TestApp::spawn().await;
    let created = create_user(
        app.state.store.as_ref(),
        NewUser {
            email: "new@lion.example",
            client_id: Some(&ClientId::from(&app.client_id)),
            admin: false,
            password: None,
            now: app.state.now_ts(),
        },
    )
    .await
    .unwrap();
    assert!(created.user.password_hash.is_none());
    let token = created.setup_token.expect("setup token");
    let path = format!("/dashboard/setup/{token}");
    let mut b = Browser::new(&app);
    // No password yet: login fails.
    assert_eq!(
        b.login("new@lion.example", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = input_value(&page.body, "csrf").unwrap();
    let p = b
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("password", PASSWORD),
                ("confirm", "different one!"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    let p = b
        .post(
            &path,
            &[("csrf", &csrf), ("password", "short"), ("confirm", "short")],
        )
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    let p = b
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get("/dashboard/payments").await.status, StatusCode::OK);
    // The link is spent.
    assert_eq!(
        Browser::new(&app).get(&path).await.status,
        StatusCode::NOT_FOUND
    );
    let stored = app
        .state
        .store
        .dashboard_user_by_email("new@lion.example")
        .await
        .unwrap()
        .unwrap();
    assert!(stored.password_hash.unwrap().starts_with("$argon2id$"));
    assert_eq!(stored.setup_token_hash, None);
    Browser::logged_in(&app, "new@lion.example").await;
}

#[tokio::test]
async fn wrong_passwords_are_throttled_per_email_and_per_ip() {
    let app = TestApp::spawn().await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    user(&app, "clerk@lion.example", Some(&app.client_id)).await;
    let mut b = Browser::new(&app);
    for _ in 0..auth::EMAIL_FAILURE_LIMIT {
        assert_eq!(
            b.login("owner@lion.example", "not the password")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Locked: even the right password is not checked.
    let p = b.login("owner@lion.example", PASSWORD).await;
    assert_eq!(p.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!b.cookies.contains_key(auth::SESSION_COOKIE));
    // Another account from the same address is still fine.
    Browser::logged_in(&app, "clerk@lion.example").await;
    // The window passes (moved on the injected clock).
    app.clock.advance(chrono::Duration::milliseconds(
        auth::THROTTLE_WINDOW_MS + 1_000,
    ));
    Browser::logged_in(&app, "owner@lion.example").await;

    // Per address: many emails guessed from one IP lock that IP out.
    for i in 0..auth::IP_FAILURE_LIMIT {
        let p = Browser::new(&app)
            .login(&format!("guess{i}@lion.example"), "whatever password")
            .await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    }
    let p = Browser::new(&app)
        .login("clerk@lion.example", PASSWORD)
        .await;
    assert_eq!(p.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_merchant_user_sees_only_its_own_payments() {
    let app = TestApp::spawn().await;
    let other = other_merchant(&app).await;
    app.create_session("MINE-1").await;
    let mine = payment_id(&app, &app.client_id, "MINE-1").await;
    let theirs = create_with(&other, &app, "THEIRS-1").await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    user(&app, "ops@cashier.example", None).await;

    let mut b = Browser::logged_in(&app, "owner@lion.example").await;
    let p = b.get("/dashboard/payments").await;
    assert!(p.body.contains("MINE-1"));
    assert!(!p.body.contains("THEIRS-1"));
    assert!(
        !p.body.contains(OTHER),
        "a merchant user is not shown other merchants"
    );
    // Tampering with the query: another client id, their ids as search.
    for q in [
        format!("?client={OTHER}"),
        "?q=THEIRS-1".to_string(),
        format!("?q={theirs}"),
        format!("?q={theirs}&client={OTHER}"),
    ] {
        let p = b.get(&format!("/dashboard/payments{q}")).await;
        assert_eq!(p.status, StatusCode::OK);
        // (The search box echoes the query: look for rows, not text.)
        assert!(
            !p.body.contains(">THEIRS-1<")
                && !p.body.contains(&format!("/dashboard/payments/{theirs}")),
            "{q}"
        );
        assert!(p.body.contains(">MINE-1<") || p.body.contains("No payments match"));
        let csv = b.get(&format!("/dashboard/payments.csv{q}")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(!csv.body.contains("THEIRS-1"), "{q}: {}", csv.body);
    }
    let p = b.get(&format!("/dashboard/payments?q={mine}")).await;
    assert!(p.body.contains("MINE-1"));

    // The admin sees both, and can narrow to one merchant.
    let mut a = Browser::logged_in(&app, "ops@cashier.example").await;
    let p = a.get("/dashboard/payments").await;
    assert!(p.body.contains("MINE-1") && p.body.contains("THEIRS-1"));
    let p = a.get(&format!("/dashboard/payments?client={OTHER}")).await;
    assert!(!p.body.contains("MINE-1") && p.body.contains("THEIRS-1"));
}

#[tokio::test]
async fn payments_list_filters_pages_and_exports() {
    let app = TestApp::spawn().await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    // 60 payments at the same millisecond (keyset ties broken by paymentId),
    // then 5 a day later.
    let mut all = HashSet::new();
    for i in 0..60 {
        let request_id = format!("BULK-{i:03}");
        app.create_session(&request_id).await;
        all.insert(payment_id(&app, &app.client_id, &request_id).await);
    }
    app.clock.advance(chrono::Duration::days(1));
    for i in 0..5 {
        app.create_session(&format!("LATE-{i}")).await;
    }
    // One of them paid by card.
    let paid = app.create_session("PAID-1").await;
    let path = TestApp::page_path(paid["normalUrl"].as_str().unwrap());
    let (s, _) = app.pay_with_card(&path, "4242424242424242").await;
    assert_eq!(s, StatusCode::SEE_OTHER);

    let mut b = Browser::logged_in(&app, "owner@lion.example").await;
    // Walk every page by its "Older" link.
    let mut seen = Vec::new();
    let mut next = Some("/dashboard/payments".to_string());
    let mut pages = 0;
    while let Some(path) = next {
        let p = b.get(&path.replace("&amp;", "&")).await;
        assert_eq!(p.status, StatusCode::OK);
        pages += 1;
        for part in p.body.split("href=\"/dashboard/payments/").skip(1) {
            seen.push(part[..part.find('"').unwrap()].to_string());
        }
        next = p
            .body
            .split("rel=\"next\"")
            .next()
            .and_then(|head| head.rfind("href=\"").map(|i| &head[i + 6..]))
            .and_then(|s| s.find('"').map(|j| s[..j].to_string()))
            .filter(|_| p.body.contains("rel=\"next\""));
    }
    assert_eq!(pages, 2);
    assert_eq!(seen.len(), 66);
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        66,
        "no row twice"
    );
    assert!(all.iter().all(|id| seen.contains(id)));

    let p = b.get("/dashboard/payments?status=SUCCESS").await;
    assert!(p.body.contains("PAID-1") && !p.body.contains("BULK-"));
    let p = b.get("/dashboard/payments?method=CARD").await;
    assert!(p.body.contains("PAID-1") && !p.body.contains("LATE-"));
    let p = b.get("/dashboard/payments?currency=usd").await;
    assert!(p.body.contains("No payments match"));
    let p = b.get("/dashboard/payments?q=BULK-007").await;
    assert!(p.body.contains("BULK-007") && !p.body.contains("BULK-008"));
    // Dates are UTC+8 days, as everywhere in the dashboard.
    let today = app
        .state
        .now_ts()
        .to_datetime()
        .with_timezone(&antom_offset())
        .format("%Y-%m-%d")
        .to_string();
    let p = b
        .get(&format!("/dashboard/payments?from={today}&to={today}"))
        .await;
    assert!(p.body.contains("LATE-0") && !p.body.contains("BULK-"));
    let p = b.get("/dashboard/payments?status=NOPE").await;
    assert!(p.body.contains("unknown status"));

    let csv = b.get("/dashboard/payments.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "paymentId");
    let records: Vec<_> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 66);
    let paid_row = records.iter().find(|r| &r[1] == "PAID-1").unwrap();
    assert_eq!(&paid_row[3], "SUCCESS");
    assert_eq!(&paid_row[6], "6000");
    assert_eq!(&paid_row[8], "CARD");
    let filtered = b.get("/dashboard/payments.csv?status=SUCCESS").await;
    assert_eq!(filtered.body.lines().count(), 2);
}

/// PAYMENT_RESULT deliveries the receiver acknowledged, each verified.
fn verified_payment_notifications(app: &TestApp) -> usize {
    let mut n = 0;
    for r in app.receiver.received().iter().filter(|r| r.acknowledged) {
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        if v["notifyType"] != "PAYMENT_RESULT" {
            continue;
        }
        cashier_client::verify_notification(
            &app.state.gateway_key.public,
            &app.client_id,
            &r.path,
            &r.client_id,
            &r.request_time,
            &r.signature,
            &r.body,
        )
        .expect("every delivery is correctly signed");
        n += 1;
    }
    n
}

async fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let done = eventually(std::time::Duration::from_secs(30), || {
        std::future::ready(f())
    })
    .await;
    assert!(done, "timed out waiting for {what}");
}

async fn paid_payment(app: &TestApp, request_id: &str) -> String {
    let r = app.create_session(request_id).await;
    let path = TestApp::page_path(r["normalUrl"].as_str().unwrap());
    let (s, _) = app.pay_with_card(&path, "4242424242424242").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    payment_id(app, &app.client_id, request_id).await
}

#[tokio::test]
async fn detail_shows_the_timeline_and_deliveries_and_acts_like_the_api() {
    let app = TestApp::spawn().await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    // A declined attempt first (the sandbox's expired card), then paid.
    let r = app.create_session("DETAIL-1").await;
    let path = TestApp::page_path(r["normalUrl"].as_str().unwrap());
    let (s, _) = app.pay_with_card(&path, "4000 0000 0000 0069").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let id = paid_payment(&app, "DETAIL-1").await;
    app.wait_for_notifications(1).await;
    // The attempt is recorded after the acknowledgement arrives: wait for it.
    let store = app.state.store.clone();
    let deliveries = eventually(std::time::Duration::from_secs(30), || async {
        let n = store.notifications_for(&id).await.unwrap();
        let deliveries = store
            .delivery_attempts(&n[0].notification_id)
            .await
            .unwrap()
            .len();
        // Ok ends the wait; Err is the count seen last.
        if deliveries == 1 {
            Ok(deliveries)
        } else {
            Err(deliveries)
        }
    })
    .await
    .unwrap_or_else(|last| last);
    assert_eq!(deliveries, 1);

    let mut b = Browser::logged_in(&app, "owner@lion.example").await;
    let path = format!("/dashboard/payments/{id}");
    let p = b.get(&path).await;
    assert_eq!(p.status, StatusCode::OK);
    for text in [
        "Created: SGD 60.00",
        "Attempt with CARD (Visa 424242******4242, CREDIT, US)",
        "Attempt with CARD (Visa 400000******0069, CREDIT, US)",
        "ISSUER_REJECTS_TRANSACTION); issuer refusal 54 Expired card",
        "Paid: SUCCESS",
        "PAYMENT_RESULT",
        "class=\"delivery\"",
        "<td>200</td>",
        "DETAIL-1",
    ] {
        assert!(p.body.contains(text), "detail lacks {text:?}");
    }
    let csrf = input_value(&p.body, "csrf").unwrap();
    let rid = input_value(&p.body, "refund_request_id").unwrap();

    // Partial refund; a double submit of the same form is one refund.
    for _ in 0..2 {
        let r = b
            .post(
                &format!("{path}/refund"),
                &[
                    ("csrf", &csrf),
                    ("refund_request_id", &rid),
                    ("amount", "10.50"),
                    ("reason", "broken cup"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let refunds = store
        .refunds_for_payment(&PaymentId::from(&id))
        .await
        .unwrap();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].amount.minor(), 1050);
    assert_eq!(
        store
            .payment(&PaymentId::from(&id))
            .await
            .unwrap()
            .unwrap()
            .refunded_minor,
        1050
    );
    let p = b.get(&format!("{path}?done=refund")).await;
    assert!(p.body.contains("Refund submitted") && p.body.contains("SGD 10.50"));

    // The API's rules: no more than what is left, no bad amounts.
    let fresh = input_value(&p.body, "refund_request_id").unwrap();
    for (amount, why) in [
        ("50.00", "REFUND_AMOUNT_EXCEED"),
        ("1.234", "at most 2 decimals"),
        ("0", "greater than zero"),
    ] {
        let r = b
            .post(
                &format!("{path}/refund"),
                &[
                    ("csrf", &csrf),
                    ("refund_request_id", &fresh),
                    ("amount", amount),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{amount}");
        assert!(r.body.contains(why), "{amount}: wanted {why}");
    }
    assert_eq!(
        store
            .refunds_for_payment(&PaymentId::from(&id))
            .await
            .unwrap()
            .len(),
        1
    );

    // Resend: the receiver gets a second, correctly signed delivery.
    assert_eq!(verified_payment_notifications(&app), 1);
    let nid = store.notifications_for(&id).await.unwrap()[0]
        .notification_id
        .clone();
    let r = b
        .post(
            &format!("{path}/notifications/{nid}/resend"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    wait_until("the resent notification", || {
        verified_payment_notifications(&app) == 2
    })
    .await;

    // Cancel is refused once refunded (the API's rule), and works on an open payment.
    let r = b.post(&format!("{path}/cancel"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    app.create_session("OPEN-1").await;
    let open = payment_id(&app, &app.client_id, "OPEN-1").await;
    let r = b
        .post(
            &format!("/dashboard/payments/{open}/cancel"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let p = store
        .payment(&PaymentId::from(&open))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.status.as_str(), "CANCELLED");
    let p = b.get(&format!("/dashboard/payments/{open}")).await;
    assert!(p.body.contains("Cancelled"));

    // Actions without the session's CSRF token are refused.
    for action in ["refund", "cancel", &format!("notifications/{nid}/resend")] {
        let r = b
            .post(
                &format!("{path}/{action}"),
                &[("refund_request_id", "x"), ("amount", "1.00")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}");
    }
}

#[tokio::test]
async fn another_merchants_payment_cannot_be_seen_or_acted_on() {
    let app = TestApp::spawn().await;
    let other = other_merchant(&app).await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    let mine = paid_payment(&app, "MINE-1").await;
    create_with(&other, &app, "THEIRS-1").await;
    let theirs = payment_id(&app, OTHER, "THEIRS-1").await;
    let store = app.state.store.clone();
    // Make theirs refundable and give it a notification to resend.
    store
        .finalize_payment(&cashier_gateway::store::Finalize {
            payment_id: theirs.as_str().into(),
            to: cashier_gateway::payments::state::PaymentStatus::Success,
            result_code: "SUCCESS".into(),
            result_message: "success".into(),
            at: app.state.now_ts(),
            method: Some("CARD".into()),
            card_brand: None,
            card_last4: None,
            card_masked: None,
            card_details: None,
            attempt: None,
            notification: Some(cashier_gateway::store::NewNotification {
                notification_id: "N-THEIRS".into(),
                client_id: OTHER.into(),
                kind: "PAYMENT_RESULT".into(),
                subject_id: theirs.clone(),
                payment_id: theirs.as_str().into(),
                url: app.notify_url(),
                body: "{}".into(),
            }),
        })
        .await
        .unwrap();
    let mine_note = {
        wait_until("my notification", || !app.receiver.received().is_empty()).await;
        store.notifications_for(&mine).await.unwrap()[0]
            .notification_id
            .clone()
    };

    let mut b = Browser::logged_in(&app, "owner@lion.example").await;
    let page = b.get(&format!("/dashboard/payments/{mine}")).await;
    let csrf = input_value(&page.body, "csrf").unwrap();
    // By URL.
    let p = b.get(&format!("/dashboard/payments/{theirs}")).await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(!p.body.contains("THEIRS-1"));
    // By form tampering: their payment id in the action URL, or their
    // notification under my payment.
    let r = b
        .post(
            &format!("/dashboard/payments/{theirs}/refund"),
            &[
                ("csrf", &csrf),
                ("refund_request_id", "tamper-1"),
                ("amount", "1.00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = b
        .post(
            &format!("/dashboard/payments/{theirs}/cancel"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    for url in [
        format!("/dashboard/payments/{theirs}/notifications/N-THEIRS/resend"),
        format!("/dashboard/payments/{mine}/notifications/N-THEIRS/resend"),
        format!("/dashboard/payments/{theirs}/notifications/{mine_note}/resend"),
    ] {
        let r = b.post(&url, &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{url}");
    }
    assert!(store
        .refunds_for_payment(&PaymentId::from(&theirs))
        .await
        .unwrap()
        .is_empty());
    let theirs_now = store
        .payment(&PaymentId::from(&theirs))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(theirs_now.status.as_str(), "SUCCESS");
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[tokio::test]
async fn settings_change_the_hosted_page_and_send_a_test_notification() {
    let app = TestApp::spawn().await;
    let _other = other_merchant(&app).await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    let mut b = Browser::logged_in(&app, "owner@lion.example").await;
    let page = b.get("/dashboard/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Lion City Goods"));
    let csrf = input_value(&page.body, "csrf").unwrap();
    let notify = app.notify_url();
    let form = |csrf: &str, brand: &str, accent: &str| {
        vec![
            ("csrf".to_string(), csrf.to_string()),
            ("brand_name".to_string(), brand.to_string()),
            ("accent_color".to_string(), accent.to_string()),
            ("notify_url".to_string(), notify.clone()),
        ]
    };
    let send = |fields: Vec<(String, String)>, file: Option<&'static [u8]>| {
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        multipart(&refs, file.map(|f| ("logo", "logo.png", f)))
    };

    // Refused: no CSRF token, low-contrast accent, a GIF, an oversized logo.
    let (ct, body) = send(form("", "X", ""), None);
    assert_eq!(
        b.post_multipart("/dashboard/settings", ct, body)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let (ct, body) = send(form(&csrf, "X", "#ffff00"), None);
    let r = b.post_multipart("/dashboard/settings", ct, body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("contrasts only"), "{}", r.body);
    let (ct, body) = send(form(&csrf, "X", ""), Some(b"GIF89a\x01\x00\x01\x00"));
    let r = b.post_multipart("/dashboard/settings", ct, body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("only PNG, JPEG and WebP"));
    let big: &'static [u8] = Box::leak(
        [
            PNG,
            &vec![0u8; cashier_gateway::merchants::MAX_LOGO_BYTES + 10],
        ]
        .concat()
        .into_boxed_slice(),
    );
    let (ct, body) = send(form(&csrf, "X", ""), Some(big));
    let r = b.post_multipart("/dashboard/settings", ct, body).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let m = app
        .state
        .store
        .merchant(&ClientId::from(&app.client_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.brand_name, "Lion City Goods", "nothing changed");

    // Accepted; a merchant user's ?client= cannot point at another merchant.
    let (ct, body) = send(form(&csrf, "Kopi Corner", "#0A7C3E"), Some(PNG));
    let r = b
        .post_multipart(&format!("/dashboard/settings?client={OTHER}"), ct, body)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let other = app
        .state
        .store
        .merchant(&ClientId::from(OTHER))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other.brand_name, "Other Shop");
    let m = app
        .state
        .store
        .merchant(&ClientId::from(&app.client_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.brand_name, "Kopi Corner");
    assert_eq!(m.accent_color.as_deref(), Some("#0a7c3e"));
    assert_eq!(m.notify_url.as_deref(), Some(notify.as_str()));
    let logo = m.logo_file.clone().expect("logo saved");

    // A new checkout page shows them; the accent arrives as a stylesheet.
    let r = app.create_session("BRANDED-1").await;
    let (status, html) = app
        .get_page(&TestApp::page_path(r["normalUrl"].as_str().unwrap()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Kopi Corner"));
    assert!(html.contains(&format!("/logos/{logo}")));
    assert!(html.contains("/assets/accent/0a7c3e.css"));
    assert!(!html.contains("style=\""), "no inline styles under the CSP");
    let css = app.get_page("/assets/accent/0a7c3e.css").await;
    assert_eq!(css.0, StatusCode::OK);
    assert!(css.1.contains("--accent:#0a7c3e"));
    let img = app
        .buyer
        .get(format!("{}/logos/{logo}", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(img.headers()["content-type"], "image/png");
    assert_eq!(img.bytes().await.unwrap().as_ref(), PNG);

    // Test notification: signed, delivered now, result shown.
    let before = app.receiver.received().len();
    let r = b
        .post("/dashboard/settings/test-notification", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("HTTP 200") && r.body.contains("acknowledged"),
        "{}",
        r.body
    );
    let got = app.receiver.received();
    assert_eq!(got.len(), before + 1);
    let n = got.last().unwrap();
    let v = cashier_client::verify_notification(
        &app.state.gateway_key.public,
        &app.client_id,
        &n.path,
        &n.client_id,
        &n.request_time,
        &n.signature,
        &n.body,
    )
    .expect("test notification is signed");
    assert_eq!(v.payment_request_id, "CASHIER_TEST_NOTIFICATION");
    assert_eq!(
        b.post("/dashboard/settings/test-notification", &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn overview_reports_and_developers_pages() {
    let app = TestApp::spawn().await;
    let _other = other_merchant(&app).await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    paid_payment(&app, "OV-1").await;
    paid_payment(&app, "OV-2").await;
    app.create_session("OV-3").await;
    let mut b = Browser::logged_in(&app, "owner@lion.example").await;

    // Overview: SGD 120.00 from two successes; 3 created; rate 100% of finished.
    let p = b.get("/dashboard/overview").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("<h2 id=\"cur-SGD\">SGD</h2>"), "{}", p.body);
    assert!(
        p.body
            .contains("SGD 120.00 · 3 payment(s) · success rate 100%"),
        "{}",
        p.body
    );
    assert!(p.body.contains("<svg class=\"chart\""));
    assert_eq!(p.body.matches("<rect ").count(), 30, "one bar per day");
    assert!(
        p.body.contains("height=\"100\""),
        "today's bar is the tallest"
    );
    // Labelled axes: the highest day's amount, and the first, middle and
    // last dates; and the same figures as a table.
    let day = |offset: i64| {
        chrono::DateTime::from_timestamp_millis(app.state.now_ts().millis() + offset * 86_400_000)
            .unwrap()
            .with_timezone(&antom_offset())
            .format("%Y-%m-%d")
            .to_string()
    };
    for label in ["SGD 120.00", &day(-29), &day(-14), &day(0)] {
        assert!(
            p.body.contains(&format!(">{label}</text>")),
            "axis label {label}: {}",
            p.body
        );
    }
    assert!(p.body.contains("<summary>The chart as a table</summary>"));
    assert!(p.body.contains(&format!(
        "<tr><td>{}</td><td class=\"num\">SGD 120.00</td></tr>",
        day(0)
    )));
    assert_eq!(
        p.body.matches("<td class=\"num\">SGD 0.00</td>").count(),
        29
    );

    // Reports: listed and downloadable; not another merchant's.
    let now = app.state.now_ts();
    let date = now
        .to_datetime()
        .with_timezone(&cashier_protocol::time::antom_offset())
        .date_naive();
    cashier_gateway::reports::generate_and_store(
        app.state.store.as_ref(),
        app.dir.path(),
        &ClientId::from(&app.client_id),
        date,
        &cashier_gateway::reports::ReportKind::ALL,
        cashier_gateway::reports::Mode::Regenerate,
        now,
    )
    .await
    .unwrap();
    let p = b.get("/dashboard/reports").await;
    let date_s = date.format("%Y-%m-%d").to_string();
    assert!(p.body.contains(&date_s), "{}", p.body);
    let start = p
        .body
        .find(&format!("/dashboard/reports/{date_s}/"))
        .unwrap();
    let href = p.body[start..start + p.body[start..].find('"').unwrap()].replace("&amp;", "&");
    let csv = b.get(&href).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("OV-1"), "{}", csv.body);
    let p = b.get(&format!("/dashboard/reports?client={OTHER}")).await;
    assert!(
        p.body.contains(&app.client_id)
            && !p.body.contains(&format!("<span class=\"muted\">{OTHER}"))
    );

    // Developers: client id, gateway key, keys by version; adding a key.
    let p = b.get("/dashboard/developers").await;
    assert!(p.body.contains(&app.state.gateway_key.public.to_base64()));
    assert!(p.body.contains("data-copy=\"gw-key\""));
    assert!(p.body.contains("<td>1</td>"));
    // The API request log: the creates above, newest first; no bodies.
    assert_eq!(
        p.body.matches("class=\"api-request\"").count(),
        3,
        "{}",
        p.body
    );
    assert!(p
        .body
        .contains("<td>createPaymentSession</td><td>SUCCESS</td><td>S</td><td>OV-3</td>"));
    for body_part in ["ORDER-OV-1", "Kopi and kaya toast", "Tan Ah Kow"] {
        assert!(
            !p.body.contains(body_part),
            "request bodies are never logged: {body_part}"
        );
    }
    let csrf = input_value(&p.body, "csrf").unwrap();
    let key = cashier_protocol::signing::PrivateKey::generate().unwrap();
    let pem = key.public_key().to_base64();
    let r = b
        .post(
            "/dashboard/developers/keys",
            &[("csrf", &csrf), ("key_version", "2"), ("public_key", &pem)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(app
        .state
        .store
        .merchant_key(&ClientId::from(&app.client_id), 2)
        .await
        .unwrap()
        .is_some());
    let r = b
        .post(
            "/dashboard/developers/keys",
            &[("csrf", &csrf), ("key_version", "2"), ("public_key", &pem)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a version exists once");
    let r = b
        .post(
            &format!("/dashboard/developers/keys?client={OTHER}"),
            &[("key_version", "3"), ("public_key", &pem)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b
        .post(
            &format!("/dashboard/developers/keys?client={OTHER}"),
            &[("csrf", &csrf), ("key_version", "3"), ("public_key", &pem)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        app.state
            .store
            .merchant_key(&ClientId::from(OTHER), 3)
            .await
            .unwrap()
            .is_none(),
        "scope wins over ?client="
    );
    assert!(app
        .state
        .store
        .merchant_key(&ClientId::from(&app.client_id), 3)
        .await
        .unwrap()
        .is_some());
}

/// A signing client of `client_id` with `key` as `keyVersion` `version`.
fn client_with(
    app: &TestApp,
    client_id: &str,
    key: &cashier_protocol::signing::PrivateKey,
    version: u32,
) -> Client {
    let mut cfg = ClientConfig::new(
        &app.base_url,
        client_id,
        &b64(&key.to_pkcs8_der()),
        &app.state.gateway_key.public.to_base64(),
    )
    .unwrap()
    .with_key_version(version);
    let c = app.clock.clone();
    cfg.time_source = Arc::new(move || cashier_gateway::clock::Clock::now(&c));
    Client::new(cfg).unwrap()
}

/// The `result` of a signed API call; the response's signature is verified.
async fn api_result(client: &Client, path: &str, body: &serde_json::Value) -> serde_json::Value {
    let raw = client
        .send_raw(path, body.to_string().as_bytes())
        .await
        .expect("a signed, verified response");
    let v: serde_json::Value = serde_json::from_str(&raw.body).unwrap();
    v["result"].clone()
}

async fn active_versions(app: &TestApp, client_id: &str) -> Vec<u32> {
    app.state
        .store
        .merchant_keys(&ClientId::from(client_id))
        .await
        .unwrap()
        .iter()
        .filter(|k| k.is_active())
        .map(|k| k.key_version)
        .collect()
}

#[tokio::test]
async fn retiring_a_key_on_the_developers_page_stops_it_verifying_requests() {
    let app = TestApp::spawn().await;
    let other = other_merchant(&app).await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    let v2_key = cashier_protocol::signing::PrivateKey::generate().unwrap();
    merchants::add_key(
        app.state.store.as_ref(),
        &ClientId::from(&app.client_id),
        2,
        &v2_key.public_key(),
        app.state.now_ts(),
    )
    .await
    .unwrap();
    let v1 = client_with(&app, &app.client_id, &app.merchant_key, 1);
    let v2 = client_with(&app, &app.client_id, &v2_key, 2);
    let inquiry = serde_json::json!({"paymentRequestId": "NO-SUCH-ORDER"});
    let path = cashier_client::INQUIRY_PAYMENT;
    for c in [&v1, &v2] {
        assert_eq!(
            api_result(c, path, &inquiry).await["resultCode"],
            "ORDER_NOT_EXIST"
        );
    }

    let mut b = Browser::logged_in(&app, "owner@lion.example").await;
    let p = b.get("/dashboard/developers").await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(p.body.matches("class=\"active-key\"").count(), 2);
    assert!(p.body.contains("aria-label=\"Retire keyVersion 1\""));
    assert!(
        p.body.contains("data-confirm=\"Retire keyVersion 1?"),
        "the page asks before retiring"
    );
    let csrf = input_value(&p.body, "csrf").unwrap();
    let retire = "/dashboard/developers/keys/retire";

    // Tampered forms naming another merchant's key are refused; nothing
    // changes — not theirs, and not ours of the same version either.
    for (url, client) in [
        (retire.to_string(), OTHER),
        (format!("{retire}?client={OTHER}"), OTHER),
        (format!("{retire}?client={OTHER}"), ""),
        (format!("{retire}?client={}", app.client_id), OTHER),
    ] {
        let r = b
            .post(
                &url,
                &[("csrf", &csrf), ("client_id", client), ("key_version", "1")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{url} {client}");
    }
    // Without the CSRF token: refused.
    let r = b
        .post(
            retire,
            &[("client_id", &app.client_id), ("key_version", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(active_versions(&app, OTHER).await, [1]);
    assert_eq!(active_versions(&app, &app.client_id).await, [1, 2]);

    // Retire keyVersion 1 of our own merchant.
    let r = b
        .post(
            &format!("{retire}?client={}", app.client_id),
            &[
                ("csrf", &csrf),
                ("client_id", &app.client_id),
                ("key_version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location.unwrap().contains("done=retired"));
    assert_eq!(active_versions(&app, &app.client_id).await, [2]);

    // A request signed with the retired version gets exactly what an
    // unknown version gets (signed, KEY_NOT_FOUND), and changes nothing.
    let retired = api_result(&v1, path, &inquiry).await;
    let v9 = client_with(&app, &app.client_id, &app.merchant_key, 9);
    let unknown = api_result(&v9, path, &inquiry).await;
    assert_eq!(retired["resultCode"], "KEY_NOT_FOUND");
    assert_eq!(retired["resultStatus"], unknown["resultStatus"]);
    assert_eq!(
        retired["resultMessage"].as_str().unwrap(),
        unknown["resultMessage"]
            .as_str()
            .unwrap()
            .replace("keyVersion 9", "keyVersion 1")
    );
    let create = app.session_request("RETIRED-KEY-1");
    let r = api_result(&v1, cashier_client::CREATE_PAYMENT_SESSION, &create).await;
    assert_eq!(r["resultCode"], "KEY_NOT_FOUND");
    assert!(app
        .state
        .store
        .payment_by_request_id(&ClientId::from(&app.client_id), &"RETIRED-KEY-1".into())
        .await
        .unwrap()
        .is_none());
    // The other version still works.
    let r = api_result(&v2, cashier_client::CREATE_PAYMENT_SESSION, &create).await;
    assert_eq!(r["resultStatus"], "S", "{r}");
    // So does the other merchant.
    assert_eq!(
        api_result(&other, path, &inquiry).await["resultCode"],
        "ORDER_NOT_EXIST"
    );

    // The page shows keyVersion 1 greyed with its retirement time, and a
    // Retire button only for the active key.
    let p = b.get("/dashboard/developers?done=retired").await;
    assert!(p.body.contains("Key retired"), "{}", p.body);
    let row = &p.body[p
        .body
        .find("<tr class=\"retired\">")
        .expect("a retired row")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.starts_with("<tr class=\"retired\"><td>1</td>"), "{row}");
    let when = app
        .state
        .now_ts()
        .to_datetime()
        .with_timezone(&antom_offset())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    assert!(row.contains(&format!("Retired {when}")), "{row}");
    assert!(!row.contains("<button"));
    assert_eq!(
        p.body
            .matches("<button type=\"submit\" class=\"danger\"")
            .count(),
        1
    );

    // The last active key cannot be retired: a clear message, nothing changed.
    let r = b
        .post(
            retire,
            &[
                ("csrf", &csrf),
                ("client_id", &app.client_id),
                ("key_version", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("only active key") && r.body.contains("lock the merchant out"),
        "{}",
        r.body
    );
    assert_eq!(active_versions(&app, &app.client_id).await, [2]);
    assert_eq!(
        api_result(&v2, path, &inquiry).await["resultCode"],
        "ORDER_NOT_EXIST"
    );
    // Retiring it again, or a version that does not exist: refused with a reason.
    for (version, says) in [("1", "already retired"), ("7", "has no keyVersion 7")] {
        let r = b
            .post(
                retire,
                &[
                    ("csrf", &csrf),
                    ("client_id", &app.client_id),
                    ("key_version", version),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains(says), "{}", r.body);
    }

    // An admin may retire any merchant's key, under the same rule.
    user(&app, "ops@cashier.example", None).await;
    let mut admin = Browser::logged_in(&app, "ops@cashier.example").await;
    let p = admin
        .get(&format!("/dashboard/developers?client={OTHER}"))
        .await;
    let admin_csrf = input_value(&p.body, "csrf").unwrap();
    let r = admin
        .post(
            &format!("{retire}?client={OTHER}"),
            &[
                ("csrf", &admin_csrf),
                ("client_id", OTHER),
                ("key_version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("only active key"));
    assert_eq!(active_versions(&app, OTHER).await, [1]);
}
