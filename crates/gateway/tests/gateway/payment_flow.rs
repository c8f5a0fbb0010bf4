//! End to end over real HTTP: merchant (Rust SDK) → hosted page (buyer HTTP
//! client, no JavaScript) → sandbox processor → signed notification to a
//! real receiver → inquiryPayment.

use crate::common::{eventually, input_value, TestApp};
use cashier_test_support::gateway::body_text;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn checkout_path(created: &serde_json::Value) -> String {
    TestApp::page_path(created["normalUrl"].as_str().unwrap())
}

#[tokio::test]
async fn card_payment_succeeds_notifies_and_shows_in_inquiry() {
    let app = TestApp::spawn().await;
    let created = app.create_session("PR-CARD-1").await;
    assert_eq!(created["normalUrl"], created["url"]);
    assert!(created["paymentSessionId"].as_str().unwrap().len() <= 64);
    let path = checkout_path(&created);

    let (status, html) = app.get_page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Lion City Goods"), "brand on the page");
    assert!(html.contains("Pay SGD 60.00"), "pay button text");
    assert!(html.contains("Kaya toast"));
    assert!(html.contains("<legend>Payment method</legend>"));

    let (status, location) = app.pay_with_card(&path, "4242 4242 4242 4242").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, result) = app.get_page(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(result.contains("Payment successful"), "{result}");
    assert!(result.contains("Return to merchant"));
    assert!(result.contains("https://merchant.example.com/return?order=PR-CARD-1"));

    let got = app.wait_for_notifications(1).await;
    assert_eq!(got.len(), 1);
    let n = &got[0];
    let verified = cashier_client::verify_notification(
        &app.state.gateway_key.public,
        &app.client_id,
        &n.path,
        &n.client_id,
        &n.request_time,
        &n.signature,
        &n.body,
    )
    .expect("notification signature verifies");
    assert_eq!(verified.notify_type, "PAYMENT_RESULT");
    assert_eq!(verified.result.result_code, "SUCCESS");
    assert_eq!(verified.payment_request_id, "PR-CARD-1");
    assert_eq!(verified.payment_amount.value, "6000");
    assert_eq!(verified.payment_method_type.as_deref(), Some("CARD"));
    assert!(verified.payment_time.is_some());
    // A tampered body does not verify.
    let mut tampered = n.body.to_vec();
    tampered[10] ^= 1;
    assert!(cashier_client::verify_notification(
        &app.state.gateway_key.public,
        &app.client_id,
        &n.path,
        &n.client_id,
        &n.request_time,
        &n.signature,
        &tampered
    )
    .is_err());

    let inquiry = app.inquiry("PR-CARD-1").await;
    assert_eq!(inquiry.payment_status.as_deref(), Some("SUCCESS"));
    assert_eq!(inquiry.payment_result_code.as_deref(), Some("SUCCESS"));
    assert_eq!(
        inquiry.payment_id.as_deref(),
        Some(verified.payment_id.as_str())
    );
    assert!(inquiry.payment_time.is_some());

    // Reloading the page shows the final state and never offers payment again.
    let (_, again) = app.get_page(&path).await;
    assert!(again.contains("Payment successful"));
    assert!(!again.contains("Pay SGD 60.00"));
}

#[tokio::test]
async fn a_declined_card_can_be_retried_and_nothing_is_notified_until_final() {
    let app = TestApp::spawn().await;
    let path = checkout_path(&app.create_session("PR-DECLINE").await);
    let (_, location) = app.pay_with_card(&path, "4000 0000 0000 0002").await;
    let (_, page) = app.get_page(&location).await;
    assert!(page.contains("Payment failed"), "{page}");
    assert!(page.contains("Try again"));
    assert_eq!(
        app.inquiry("PR-DECLINE").await.payment_status.as_deref(),
        Some("PROCESSING")
    );

    let (_, location) = app.pay_with_card(&path, "4000 0000 0000 9995").await;
    let (_, page) = app.get_page(&location).await;
    assert!(page.contains("insufficient funds"), "{page}");

    let (_, location) = app.pay_with_card(&path, "4242424242424242").await;
    let (_, page) = app.get_page(&location).await;
    assert!(page.contains("Payment successful"));
    let got = app.wait_for_notifications(1).await;
    assert_eq!(got.len(), 1, "only the final outcome is notified");
    assert_eq!(
        app.inquiry("PR-DECLINE").await.payment_status.as_deref(),
        Some("SUCCESS")
    );
}

#[tokio::test]
async fn invalid_card_input_is_refused_on_the_page_and_charges_nothing() {
    let app = TestApp::spawn().await;
    let path = checkout_path(&app.create_session("PR-LUHN").await);
    let (status, page) = app.pay_with_card(&path, "4242 4242 4242 4241").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("role=\"alert\""));
    assert!(page.contains("card number is not valid"));
    let (status, page) = app
        .submit_checkout(
            &path,
            &[
                ("method", "CARD"),
                ("card_number", "4242424242424242"),
                ("card_expiry", "01/20"),
                ("card_cvc", "123"),
                ("card_name", "A"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("expired"));
    assert_eq!(app.state.store.counts().await.unwrap().attempts, 0);
    assert_eq!(
        app.inquiry("PR-LUHN").await.payment_status.as_deref(),
        Some("PROCESSING")
    );
}

#[tokio::test]
async fn three_d_secure_complete_and_fail() {
    let app = TestApp::spawn().await;
    let path = checkout_path(&app.create_session("PR-3DS").await);
    let (_, location) = app.pay_with_card(&path, "4000 0000 0000 3220").await;
    let (_, page) = app.get_page(&location).await;
    assert!(page.contains("Complete authentication"), "{page}");
    assert!(page.contains("Fail authentication"));
    let csrf = input_value(&page, "csrf_token").unwrap();

    let form = |outcome: &str| {
        vec![
            ("csrf_token".to_string(), csrf.clone()),
            ("outcome".to_string(), outcome.to_string()),
        ]
    };
    let (status, back) = app
        .post_form(&format!("{location}/challenge"), &form("fail"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app.get_page(&back).await;
    assert!(
        page.contains("Payment failed") && page.contains("Try again"),
        "{page}"
    );

    let (_, location) = app.pay_with_card(&path, "4000 0000 0000 3220").await;
    let (_, back) = app
        .post_form(&format!("{location}/challenge"), &form("complete"))
        .await;
    let (_, page) = app.get_page(&back).await;
    assert!(page.contains("Payment successful"), "{page}");
    app.wait_for_notifications(1).await;
    assert_eq!(
        app.inquiry("PR-3DS").await.payment_status.as_deref(),
        Some("SUCCESS")
    );
}

#[tokio::test]
async fn the_async_card_settles_after_the_configured_delay() {
    let app =
        TestApp::spawn_with(|c| c.sandbox_async_delay = std::time::Duration::from_secs(10)).await;
    let path = checkout_path(&app.create_session("PR-ASYNC").await);
    let (_, location) = app.pay_with_card(&path, "4000 0000 0000 0077").await;
    let (_, page) = app.get_page(&location).await;
    assert!(page.contains("Payment is processing"), "{page}");
    assert_eq!(app.sweep().await, 0, "not due yet");
    assert_eq!(
        app.inquiry("PR-ASYNC").await.payment_status.as_deref(),
        Some("PROCESSING")
    );

    app.clock.advance(Duration::seconds(11));
    // The background sweeper may get there first; either way it settles.
    app.sweep().await;
    let (_, page) = app.get_page(&location).await;
    assert!(page.contains("Payment successful"));
    app.wait_for_notifications(1).await;
    assert_eq!(
        app.inquiry("PR-ASYNC").await.payment_status.as_deref(),
        Some("SUCCESS")
    );
}

#[tokio::test]
async fn a_risk_rejection_is_final_and_notified() {
    let app = TestApp::spawn().await;
    let path = checkout_path(&app.create_session("PR-RISK").await);
    let (_, location) = app.pay_with_card(&path, "4000 0000 0000 0119").await;
    let (_, page) = app.get_page(&location).await;
    assert!(
        page.contains("Payment failed") && !page.contains("Try again"),
        "{page}"
    );
    let got = app.wait_for_notifications(1).await;
    let n = got[0].notification();
    assert_eq!(
        (n.result.result_code.as_str(), n.payment_time.is_none()),
        ("RISK_REJECT", true)
    );
    let inquiry = app.inquiry("PR-RISK").await;
    assert_eq!(inquiry.payment_status.as_deref(), Some("FAIL"));
    assert_eq!(inquiry.payment_result_code.as_deref(), Some("RISK_REJECT"));
    // No second chance on a failed payment.
    let (_, html) = app.get_page(&path).await;
    assert!(!html.contains("Pay SGD 60.00"));
}

async fn start_wallet(app: &TestApp, path: &str) -> (String, String) {
    let (status, location) = app.submit_checkout(path, &[("method", "ALIPAY_CN")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app.get_page(&location).await;
    assert!(page.contains("role=\"img\""), "{page}");
    assert!(page.contains("aria-label=\"QR code for Alipay\""), "{page}");
    assert!(page.contains("Open Alipay"));
    let start = page.find("/sandbox/wallet/").expect("wallet link");
    let end = start + page[start..].find('"').unwrap();
    (location, page[start..end].to_string())
}

/// `env.terminalType` `WAP`/`APP`: the wallet page links to the app instead
/// of drawing a QR code, the app (the sandbox wallet page) can send the buyer
/// back unpaid, and the page then offers a status check that stays put until
/// the wallet decides.
#[tokio::test]
async fn a_mobile_buyer_opens_the_wallet_app_and_checks_status_on_return() {
    let app = TestApp::spawn().await;
    for (terminal, id) in [("WAP", "PR-MOBILE-WAP"), ("APP", "PR-MOBILE-APP")] {
        let mut body = app.session_request(id);
        body["env"] = json!({"terminalType": terminal, "osType": "IOS"});
        let created = app
            .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
            .await;
        assert_eq!(created["result"]["resultStatus"], "S", "{created}");
        let path = checkout_path(&created);
        let (status, attempt) = app.submit_checkout(&path, &[("method", "ALIPAY_CN")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);

        let (_, page) = app.get_page(&attempt).await;
        assert!(
            !page.contains("<svg"),
            "{terminal}: no QR code on a phone\n{page}"
        );
        assert!(page.contains("You will confirm this payment in the Alipay app."));
        let returned = format!("{attempt}?returned=1");
        assert!(
            page.contains(&format!(r#"data-app-link="{returned}">Open Alipay</a>"#)),
            "{page}"
        );
        assert!(!page.contains("I have paid"));
        let start = page.find("/sandbox/wallet/").expect("app link");
        let wallet = page[start..start + page[start..].find('"').unwrap()].to_string();

        // The "app" lets the buyer go back without deciding.
        let (_, app_page) = app.get_page(&wallet).await;
        assert!(
            app_page.contains(&format!(
                r#"<a href="{returned}">Go back without paying</a>"#
            )),
            "{app_page}"
        );
        let (_, back) = app.get_page(&returned).await;
        assert!(back.contains("Back from Alipay?"), "{back}");
        let check = format!("{attempt}/status?html=1");
        assert!(back.contains(&format!(
            r#"<a class="btn" href="{check}">Check payment status</a>"#
        )));
        assert!(back.contains(&format!(r#"data-poll="{attempt}/status""#)));
        // Checking before the wallet decided keeps the buyer on the check.
        let (status, location) = app.get_redirect(&check).await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, returned.as_str())
        );
        assert_eq!(
            app.inquiry(id).await.payment_status.as_deref(),
            Some("PROCESSING")
        );

        // Approved in the app: the check leads to the outcome.
        let csrf = input_value(&app_page, "csrf_token").unwrap();
        let (_, done) = app
            .post_form(
                &wallet,
                &[
                    ("csrf_token".into(), csrf),
                    ("decision".into(), "approve".into()),
                ],
            )
            .await;
        assert!(done.contains("approved"), "{done}");
        assert!(!done.contains("Go back without paying"));
        let (status, location) = app.get_redirect(&check).await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, attempt.as_str())
        );
        let (_, result) = app.get_page(&location).await;
        assert!(result.contains("Payment successful"), "{result}");
        assert_eq!(
            app.inquiry(id).await.payment_status.as_deref(),
            Some("SUCCESS")
        );
    }
    let got = app.wait_for_notifications(2).await;
    assert!(got
        .iter()
        .all(|r| r.notification().payment_method_type.as_deref() == Some("ALIPAY_CN")));
}

#[tokio::test]
async fn wallet_approve_decline_and_pending() {
    let app = TestApp::spawn().await;
    let path = checkout_path(&app.create_session("PR-WALLET").await);

    // Decline first: the buyer may try again.
    let (attempt, wallet) = start_wallet(&app, &path).await;
    let (status, page) = app.get_page(&wallet).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Approve payment")
            && page.contains("Decline payment")
            && page.contains("Leave pending")
    );
    let csrf = input_value(&page, "csrf_token").unwrap();
    let decide = |d: &str| {
        vec![
            ("csrf_token".to_string(), csrf.clone()),
            ("decision".to_string(), d.to_string()),
        ]
    };
    let (_, after) = app.post_form(&wallet, &decide("decline")).await;
    assert!(after.contains("declined"), "{after}");
    let (_, page) = app.get_page(&attempt).await;
    assert!(page.contains("Try again"), "{page}");

    // Then approve a new attempt from another "device" (the page needs no cookie).
    let (_, wallet) = start_wallet(&app, &path).await;
    let phone = reqwest::Client::new();
    let page = body_text(phone.get(format!("{}{wallet}", app.base_url))).await;
    let csrf = input_value(&page, "csrf_token").unwrap();
    let r = phone
        .post(format!("{}{wallet}", app.base_url))
        .form(&[("csrf_token", csrf.as_str()), ("decision", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("approved"));
    let n = app.wait_for_notifications(1).await[0].notification();
    assert_eq!(n.payment_method_type.as_deref(), Some("ALIPAY_CN"));
    assert_eq!(
        app.inquiry("PR-WALLET")
            .await
            .payment_method_type
            .as_deref(),
        Some("ALIPAY_CN")
    );

    // Pending, then settled through the simulation endpoint.
    let path = checkout_path(&app.create_session("PR-PENDING").await);
    let (_, wallet) = start_wallet(&app, &path).await;
    let (_, page) = app.get_page(&wallet).await;
    let csrf = input_value(&page, "csrf_token").unwrap();
    app.post_form(
        &wallet,
        &[
            ("csrf_token".into(), csrf),
            ("decision".into(), "pending".into()),
        ],
    )
    .await;
    assert_eq!(
        app.inquiry("PR-PENDING").await.payment_status.as_deref(),
        Some("PENDING")
    );
    app.clock.advance(Duration::hours(2));
    assert_eq!(app.sweep().await, 0, "a pending payment does not expire");
    let sim = app.simulate_pay("PR-PENDING", "SUCCESS", None).await;
    assert_eq!(sim["paymentStatus"], "SUCCESS", "{sim}");
    assert_eq!(
        app.inquiry("PR-PENDING").await.payment_status.as_deref(),
        Some("SUCCESS")
    );
}

#[tokio::test]
async fn an_expired_session_closes_notifies_and_refuses_the_page() {
    let app = TestApp::spawn().await;
    let path = checkout_path(&app.create_session("PR-EXPIRE").await);
    let (_, html) = app.get_page(&path).await;
    app.clock.advance(Duration::minutes(59));
    assert_eq!(app.sweep().await, 0);
    app.clock.advance(Duration::minutes(2));
    let (status, page) = app.get_page(&path).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("This checkout has expired"), "{page}");
    // A stale page's Pay never leads to success.
    let (_, stale) = app
        .submit_checkout_with(
            &path,
            &html,
            &[
                ("method", "CARD"),
                ("card_number", "4242424242424242"),
                ("card_expiry", "12/39"),
                ("card_cvc", "123"),
                ("card_name", "A"),
            ],
        )
        .await;
    assert!(!stale.contains("Payment successful"));
    let n = app.wait_for_notifications(1).await[0].notification();
    assert_eq!(n.result.result_code, "ORDER_IS_CLOSED");
    assert_eq!(n.result.result_status, cashier_protocol::ResultStatus::F);
    let inquiry = app.inquiry("PR-EXPIRE").await;
    assert_eq!(inquiry.payment_status.as_deref(), Some("FAIL"));
    assert_eq!(
        inquiry.payment_result_code.as_deref(),
        Some("ORDER_IS_CLOSED")
    );
    // Re-creating the same request id after closure is refused.
    let again = app
        .call(
            cashier_client::CREATE_PAYMENT_SESSION,
            &app.session_request("PR-EXPIRE"),
        )
        .await;
    assert_eq!(again["result"]["resultCode"], "ORDER_IS_CLOSED");
}

#[tokio::test]
async fn the_sweeper_expires_sessions_nobody_looks_at() {
    let app = TestApp::spawn().await;
    app.create_session("PR-SWEEP").await;
    app.clock.advance(Duration::minutes(61));
    app.sweep().await;
    let n = app.wait_for_notifications(1).await[0].notification();
    assert_eq!(n.result.result_code, "ORDER_IS_CLOSED");
}

#[tokio::test]
async fn create_is_idempotent_per_payment_request_id() {
    let app = TestApp::spawn().await;
    let first = app.create_session("PR-IDEM").await;
    let second = app.create_session("PR-IDEM").await;
    assert_eq!(first["normalUrl"], second["normalUrl"]);
    assert_eq!(first["paymentSessionId"], second["paymentSessionId"]);
    assert_eq!(
        first["paymentSessionExpiryTime"],
        second["paymentSessionExpiryTime"]
    );

    let mut changed = app.session_request("PR-IDEM");
    for p in ["/paymentAmount/value", "/order/orderAmount/value"] {
        *changed.pointer_mut(p).unwrap() = "7000".into();
    }
    *changed
        .pointer_mut("/order/goods/1/goodsUnitAmount/value")
        .unwrap() = "4000".into();
    let r = app
        .call(cashier_client::CREATE_PAYMENT_SESSION, &changed)
        .await;
    assert_eq!(r["result"]["resultCode"], "REPEAT_REQ_INCONSISTENT", "{r}");
    assert_eq!(app.state.store.counts().await.unwrap().payments, 1);

    app.pay_with_card(
        &TestApp::page_path(first["normalUrl"].as_str().unwrap()),
        "4242424242424242",
    )
    .await;
    let r = app
        .call(
            cashier_client::CREATE_PAYMENT_SESSION,
            &app.session_request("PR-IDEM"),
        )
        .await;
    assert_eq!(r["result"]["resultCode"], "ORDER_STATUS_INVALID", "{r}");
}

#[tokio::test]
async fn a_double_submitted_form_pays_once() {
    let app = TestApp::spawn().await;
    let path = checkout_path(&app.create_session("PR-DOUBLE").await);
    let (_, html) = app.get_page(&path).await;
    let card = [
        ("method", "CARD"),
        ("card_number", "4242424242424242"),
        ("card_expiry", "12/39"),
        ("card_cvc", "123"),
        ("card_name", "A"),
    ];
    let (a, b) = tokio::join!(
        app.submit_checkout_with(&path, &html, &card),
        app.submit_checkout_with(&path, &html, &card)
    );
    assert_eq!(a.0, StatusCode::SEE_OTHER);
    assert_eq!(b.0, StatusCode::SEE_OTHER);
    assert_eq!(a.1, b.1, "both land on the same attempt");
    assert_eq!(app.state.store.counts().await.unwrap().attempts, 1);
    app.wait_for_notifications(1).await;
    // No second notification follows within a while.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(app.receiver.received().len(), 1);
}

#[tokio::test]
async fn notifications_are_retried_on_the_schedule_until_acknowledged() {
    let app = TestApp::spawn().await;
    app.receiver.fail_next(2);
    app.create_session("PR-RETRY").await;
    let path = checkout_path(&app.create_session("PR-RETRY").await);
    app.pay_with_card(&path, "4242424242424242").await;
    // Attempt 1 fails; retry #1 is due 0 s later (Antom's first interval) and fails too.
    eventually(std::time::Duration::from_secs(2), || async {
        app.receiver.received().len() >= 2
    })
    .await;
    // And no third attempt follows within a while.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        app.receiver.received().len(),
        2,
        "the next retry waits 2 minutes"
    );
    app.clock.advance(Duration::seconds(119));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.receiver.received().len(), 2);
    app.clock.advance(Duration::seconds(2));
    let got = app.wait_for_notifications(1).await;
    assert_eq!(got.len(), 3);
    let payment_id = got[0].notification().payment_id;
    // The receiver has answered; wait until the gateway has recorded it.
    let notes = eventually(std::time::Duration::from_secs(5), || async {
        let notes = app
            .state
            .store
            .notifications_for(&payment_id)
            .await
            .unwrap();
        // Ok ends the wait; Err is what was seen last.
        if notes.first().is_some_and(|n| n.status == "DELIVERED") {
            Ok(notes)
        } else {
            Err(notes)
        }
    })
    .await
    .unwrap_or_else(|last| last);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].status, "DELIVERED");
    let attempts = app
        .state
        .store
        .delivery_attempts(&notes[0].notification_id)
        .await
        .unwrap();
    assert_eq!(
        attempts.iter().map(|a| a.http_status).collect::<Vec<_>>(),
        vec![Some(500), Some(500), Some(200)]
    );
    assert_eq!(
        attempts.iter().map(|a| a.acknowledged).collect::<Vec<_>>(),
        vec![false, false, true]
    );
    // The same body was sent every time: merchants dedupe on it.
    assert!(got.windows(2).all(|w| w[0].body == w[1].body));
}

#[tokio::test]
async fn delivery_gives_up_after_the_last_retry() {
    let app = TestApp::spawn_with(|c| {
        c.notify_retry_schedule = vec![std::time::Duration::from_secs(1); 2]
    })
    .await;
    app.receiver.fail_next(100);
    let path = checkout_path(&app.create_session("PR-GIVEUP").await);
    app.pay_with_card(&path, "4242424242424242").await;
    let pid = app.inquiry("PR-GIVEUP").await.payment_id.unwrap();
    // Move time on until the dispatcher gives up (bounded, whatever the machine's speed).
    eventually(std::time::Duration::from_secs(10), || async {
        let failed = app.state.store.notifications_for(&pid).await.unwrap()[0].status == "FAILED";
        if !failed {
            app.clock.advance(Duration::seconds(1));
        }
        failed
    })
    .await;
    app.clock.advance(Duration::hours(1));
    // Nothing more is sent, even an hour later.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        app.receiver.received().len(),
        3,
        "one attempt plus two retries, then nothing"
    );
    let pid = app.inquiry("PR-GIVEUP").await.payment_id.unwrap();
    assert_eq!(
        app.state.store.notifications_for(&pid).await.unwrap()[0].status,
        "FAILED"
    );
}

/// Every card brand through the hosted page: its length and security-code
/// rules (a 3-digit code refused for American Express with its own
/// message), and its `paymentResultInfo` in the notification and inquiry.
#[tokio::test]
async fn each_card_brand_pays_with_its_own_rules_and_details() {
    let app = TestApp::spawn().await;
    let pay = |path: String, number: &'static str, cvc: &'static str| {
        let app = &app;
        async move {
            app.submit_checkout(
                &path,
                &[
                    ("method", "CARD"),
                    ("card_number", number),
                    ("card_expiry", "12/39"),
                    ("card_cvc", cvc),
                    ("card_name", "Tan Ah Kow"),
                ],
            )
            .await
        }
    };
    // American Express wants its 4-digit code; the page says so.
    let created = app.create_session("PR-AMEX").await;
    let path = TestApp::page_path(created["normalUrl"].as_str().unwrap());
    let (status, page) = pay(path.clone(), "3782 822463 10005", "123").await;
    assert_ne!(status, StatusCode::SEE_OTHER, "refused");
    assert!(
        page.contains("4-digit security code on the front"),
        "{page}"
    );
    // Without JavaScript, the refused page names the brand it saw (the
    // number itself is not re-filled).
    assert!(
        page.contains(r#"aria-live="polite">American Express</span>"#),
        "{page}"
    );
    assert!(!page.contains("822463"), "the number is not echoed");
    let (status, page) = pay(path.clone(), "4242 4242 4242 4242", "1234").await;
    assert_ne!(status, StatusCode::SEE_OTHER, "refused");
    assert!(page.contains("3-digit security code"), "{page}");
    assert!(page.contains(r#"aria-live="polite">Visa</span>"#), "{page}");
    assert_eq!(
        app.inquiry("PR-AMEX").await.payment_status.as_deref(),
        Some("PROCESSING"),
        "refused input changes nothing"
    );

    let brands = [
        (
            "PR-AMEX",
            "3782 822463 10005",
            "1234",
            "AMEX",
            "0005",
            "CREDIT",
            "US",
        ),
        (
            "PR-JCB",
            "3566 0020 2036 0505",
            "123",
            "JCB",
            "0505",
            "CREDIT",
            "JP",
        ),
        (
            "PR-UPI",
            "6200 0000 0000 0005",
            "123",
            "UNIONPAY",
            "0005",
            "DEBIT",
            "CN",
        ),
        (
            "PR-DINERS",
            "3622 720627 1667",
            "123",
            "DINERS",
            "1667",
            "CREDIT",
            "US",
        ),
        (
            "PR-DISC",
            "6011 1111 1111 1117",
            "123",
            "DISCOVER",
            "1117",
            "CREDIT",
            "US",
        ),
        (
            "PR-MC",
            "5555 5555 5555 4444",
            "123",
            "MASTERCARD",
            "4444",
            "CREDIT",
            "US",
        ),
    ];
    for (i, (rid, number, cvc, brand, last4, funding, country)) in brands.iter().enumerate() {
        let path = if *rid == "PR-AMEX" {
            path.clone()
        } else {
            let created = app.create_session(rid).await;
            TestApp::page_path(created["normalUrl"].as_str().unwrap())
        };
        let (status, _) = pay(path, number, cvc).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{rid}");
        // First six and last four digits, written independently of the gateway.
        let digits: String = number.chars().filter(|c| c.is_ascii_digit()).collect();
        assert!(digits.ends_with(last4));
        let expected = expected_card_info(&digits, brand, funding, country, "M");
        let notes = app.wait_for_notifications(i + 1).await;
        let note = notes
            .iter()
            .find(|n| n.notification().payment_request_id == *rid)
            .unwrap_or_else(|| panic!("{rid} is notified"));
        let raw: Value = serde_json::from_slice(&note.body).unwrap();
        assert_eq!(raw["paymentResultInfo"], expected, "{rid} notification");
        let inquiry = app
            .call(
                cashier_client::INQUIRY_PAYMENT,
                &json!({"paymentRequestId": rid}),
            )
            .await;
        assert_eq!(inquiry["paymentStatus"], "SUCCESS", "{rid}");
        assert_eq!(inquiry["paymentResultInfo"], expected, "{rid} inquiry");
    }
}

/// The `paymentResultInfo` a sandbox test card paid with `pay_card` should
/// produce, written independently of the gateway: first six and last four
/// digits, the brand code, the test issuer, the name and expiry typed.
fn expected_card_info(digits: &str, brand: &str, funding: &str, country: &str, cvv: &str) -> Value {
    let masked = format!(
        "{}{}{}",
        &digits[..6],
        "*".repeat(digits.len() - 10),
        &digits[digits.len() - 4..]
    );
    json!({"cardNo": masked, "cardBrand": brand, "lastFour": &digits[digits.len() - 4..],
           "funding": funding, "issuingCountry": country, "cardBin": &digits[..6],
           "paymentMethodRegion": country, "issuerName": "Cashier Sandbox Bank",
           "cardholderName": "Tan Ah Kow", "expiryMonth": "12", "expiryYear": "39",
           "cvvResultRaw": cvv})
}

/// Luhn check digit, written here rather than taken from the gateway.
fn luhn_complete(body: &str) -> String {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            // Counting from the right of the body, the check digit's
            // neighbour is doubled.
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

async fn pay_card_with(app: &TestApp, path: &str, number: &str, cvc: &str) -> (StatusCode, String) {
    app.submit_checkout(
        path,
        &[
            ("method", "CARD"),
            ("card_number", number),
            ("card_expiry", "12/39"),
            ("card_cvc", cvc),
            ("card_name", "Tan Ah Kow"),
        ],
    )
    .await
}

/// Passes or fails the 3-D Secure challenge an attempt is waiting on;
/// returns where the page sends the buyer.
async fn answer_challenge(app: &TestApp, location: &str, outcome: &str) -> String {
    let (_, page) = app.get_page(location).await;
    assert!(page.contains("Complete authentication"), "{page}");
    let form = vec![
        (
            "csrf_token".to_string(),
            input_value(&page, "csrf_token").unwrap(),
        ),
        ("outcome".to_string(), outcome.to_string()),
    ];
    let (status, back) = app.post_form(&format!("{location}/challenge"), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    back
}

/// The threeDSResult of a notification with its random directory-server id
/// checked and taken out.
fn three_ds_without_id(info: &mut Value) -> Value {
    let mut t = info
        .as_object_mut()
        .unwrap()
        .remove("threeDSResult")
        .expect("threeDSResult");
    let id = t
        .as_object_mut()
        .unwrap()
        .remove("dsTransactionId")
        .unwrap();
    assert_eq!(id.as_str().unwrap().len(), 36, "a UUID: {id}");
    t
}

#[tokio::test]
async fn every_card_brand_plays_every_test_scenario() {
    let app = TestApp::spawn().await;
    // brand code, test-range stem, security code, issuing country, the
    // ECI of an authenticated and of a failed 3-D Secure.
    let brands = [
        ("VISA", "400000000000", "123", "US", "05", "07"),
        ("MASTERCARD", "520000000000", "123", "US", "02", "00"),
        ("AMEX", "34000000000", "1234", "US", "05", "07"),
        ("JCB", "353000000000", "123", "JP", "05", "07"),
        ("UNIONPAY", "620500000000", "123", "CN", "05", "07"),
        ("DINERS", "3050000000", "123", "US", "05", "07"),
        ("DISCOVER", "601100000000", "123", "US", "05", "07"),
    ];
    // Declines: scenario, resultCode, issuer refusal, what the buyer reads.
    let declines = [
        (
            "000",
            "ISSUER_REJECTS_TRANSACTION",
            Some(("05", "Do not honor")),
            "Your card was declined",
        ),
        (
            "006",
            "ISSUER_REJECTS_TRANSACTION",
            Some(("54", "Expired card")),
            "This card has expired",
        ),
        (
            "012",
            "ISSUER_REJECTS_TRANSACTION",
            Some(("N7", "Decline for CVV2 failure")),
            "The security code is incorrect",
        ),
        (
            "999",
            "USER_BALANCE_NOT_ENOUGH",
            Some(("51", "Insufficient funds")),
            "insufficient funds",
        ),
        (
            "326",
            "ISSUER_REJECTS_TRANSACTION",
            None,
            "Authentication failed",
        ),
    ];
    let mut notified = 0;
    let mut pending = Vec::new();
    for (brand, stem, cvc, country, eci_ok, eci_failed) in brands {
        let number = |code: &str| luhn_complete(&format!("{stem}{code}"));
        let open = |code: &str| {
            let app = &app;
            let rid = format!("PR-{brand}-{code}");
            async move {
                let created = app.create_session(&rid).await;
                let payment_id = app.inquiry(&rid).await.payment_id.unwrap();
                (rid, payment_id, checkout_path(&created))
            }
        };
        let paid_info = |rid: String, notified: usize| {
            let app = &app;
            async move {
                let notes = app.wait_for_notifications(notified).await;
                let note = notes
                    .iter()
                    .find(|n| n.notification().payment_request_id == rid)
                    .unwrap_or_else(|| panic!("{rid} is notified"));
                let raw: Value = serde_json::from_slice(&note.body).unwrap();
                let inquiry = app
                    .call(
                        cashier_client::INQUIRY_PAYMENT,
                        &json!({"paymentRequestId": rid}),
                    )
                    .await;
                assert_eq!(
                    inquiry["paymentResultInfo"], raw["paymentResultInfo"],
                    "{rid}: inquiry and notification agree"
                );
                (
                    raw["result"]["resultCode"].clone(),
                    raw["paymentResultInfo"].clone(),
                )
            }
        };

        // Success with each funding.
        for (code, funding) in [("101", "DEBIT"), ("102", "PREPAID")] {
            let (rid, _, path) = open(code).await;
            let (status, _) = pay_card_with(&app, &path, &number(code), cvc).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{rid}");
            notified += 1;
            let (result, info) = paid_info(rid.clone(), notified).await;
            assert_eq!(result, "SUCCESS", "{rid}");
            let expected = expected_card_info(&number(code), brand, funding, country, "M");
            assert_eq!(info, expected, "{rid}");
        }

        // 3-D Secure frictionless: paid, authenticated, not challenged.
        let (rid, _, path) = open("305").await;
        pay_card_with(&app, &path, &number("305"), cvc).await;
        notified += 1;
        let (result, mut info) = paid_info(rid.clone(), notified).await;
        assert_eq!(result, "SUCCESS", "{rid}");
        assert_eq!(
            three_ds_without_id(&mut info),
            json!({"threeDSVersion": "2.2.0", "eci": eci_ok, "challenged": false,
                   "threeDSOffered": true}),
            "{rid}"
        );
        assert_eq!(
            info,
            expected_card_info(&number("305"), brand, "CREDIT", country, "M")
        );

        // 3-D Secure challenge: failed once (a declined attempt that keeps
        // its authentication), then completed.
        let (rid, payment_id, path) = open("322").await;
        let (_, location) = pay_card_with(&app, &path, &number("322"), cvc).await;
        let back = answer_challenge(&app, &location, "fail").await;
        let (_, page) = app.get_page(&back).await;
        assert!(page.contains("Authentication failed"), "{rid}: {page}");
        let attempts = app.stored_attempts(&payment_id).await;
        let failed: Value =
            serde_json::from_str(attempts[0].card_details.as_deref().unwrap()).unwrap();
        assert_eq!(failed["threeDSResult"]["challenged"], true, "{rid}");
        assert_eq!(failed["threeDSResult"]["eci"], eci_failed, "{rid}");
        assert_eq!(failed["funding"], "CREDIT", "{rid}: the first report stays");
        let (_, location) = pay_card_with(&app, &path, &number("322"), cvc).await;
        answer_challenge(&app, &location, "complete").await;
        notified += 1;
        let (result, mut info) = paid_info(rid.clone(), notified).await;
        assert_eq!(result, "SUCCESS", "{rid}");
        assert_eq!(
            three_ds_without_id(&mut info),
            json!({"threeDSVersion": "2.2.0", "eci": eci_ok, "challenged": true,
                   "threeDSOffered": true}),
            "{rid}"
        );
        // The same, typed, as the Rust SDK reads it.
        let typed = app.inquiry(&rid).await.payment_result_info.unwrap();
        let three_ds = typed.three_ds_result.unwrap();
        assert_eq!(
            (three_ds.challenged, three_ds.eci.as_deref()),
            (Some(true), Some(eci_ok))
        );
        assert_eq!(typed.card_brand.as_deref(), Some(brand));

        // Declines: the attempt fails with its own codes, the buyer may try
        // again, nothing is notified and the payment stays open.
        for (code, result_code, refusal, message) in declines {
            let (rid, payment_id, path) = open(code).await;
            let (status, back) = pay_card_with(&app, &path, &number(code), cvc).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{rid}");
            let (_, page) = app.get_page(&back).await;
            assert!(
                page.contains(message) && page.contains("Try again"),
                "{rid}: {page}"
            );
            let inquiry = app
                .call(
                    cashier_client::INQUIRY_PAYMENT,
                    &json!({"paymentRequestId": rid}),
                )
                .await;
            assert_eq!(inquiry["paymentStatus"], "PROCESSING", "{rid}");
            assert!(inquiry.get("paymentResultInfo").is_none(), "{inquiry}");
            let attempts = app.stored_attempts(&payment_id).await;
            assert_eq!(
                attempts[0].result_code.as_deref(),
                Some(result_code),
                "{rid}"
            );
            let details: Value =
                serde_json::from_str(attempts[0].card_details.as_deref().unwrap()).unwrap();
            assert_eq!(
                details["refusalCodeRaw"],
                json!(refusal.map(|r| r.0)),
                "{rid}"
            );
            assert_eq!(
                details["refusalReasonRaw"],
                json!(refusal.map(|r| r.1)),
                "{rid}"
            );
            let funding = if code == "999" { "DEBIT" } else { "CREDIT" };
            assert_eq!(details["funding"], funding, "{rid}");
            match code {
                "012" => assert_eq!(details["cvvResultRaw"], "N", "{rid}"),
                "326" => {
                    assert_eq!(details["threeDSResult"]["challenged"], false, "{rid}");
                    assert_eq!(details["threeDSResult"]["eci"], eci_failed, "{rid}");
                }
                _ => assert_eq!(details["cvvResultRaw"], "M", "{rid}"),
            }
        }

        // Risk rejection: final, notified with the card's details.
        let (rid, _, path) = open("011").await;
        pay_card_with(&app, &path, &number("011"), cvc).await;
        notified += 1;
        let (result, info) = paid_info(rid.clone(), notified).await;
        assert_eq!(result, "RISK_REJECT", "{rid}");
        assert_eq!(
            info,
            expected_card_info(&number("011"), brand, "CREDIT", country, "M")
        );
        assert_eq!(
            app.inquiry(&rid).await.payment_status.as_deref(),
            Some("FAIL")
        );

        // Asynchronous: processing now, settled after the sandbox delay.
        let (rid, _, path) = open("007").await;
        let (_, location) = pay_card_with(&app, &path, &number("007"), cvc).await;
        let (_, page) = app.get_page(&location).await;
        assert!(page.contains("Payment is processing"), "{rid}: {page}");
        pending.push((rid, number("007"), brand, country));
    }
    app.clock.advance(Duration::seconds(11));
    app.sweep().await;
    let notes = app.wait_for_notifications(notified + pending.len()).await;
    for (rid, number, brand, country) in pending {
        let note = notes
            .iter()
            .find(|n| n.notification().payment_request_id == rid)
            .unwrap_or_else(|| panic!("{rid} is notified"));
        let raw: Value = serde_json::from_slice(&note.body).unwrap();
        assert_eq!(raw["result"]["resultCode"], "SUCCESS", "{rid}");
        assert_eq!(
            raw["paymentResultInfo"],
            expected_card_info(&number, brand, "CREDIT", country, "M"),
            "{rid}"
        );
    }
}
