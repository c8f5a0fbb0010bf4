//! Cancel, refunds, inquiryRefund and notifyRefund over real HTTP.

use std::sync::Arc;

use crate::common::{eventually, TestApp};
use cashier_gateway::store::PaymentId;
use cashier_protocol::time::antom_offset;
use chrono::{Duration, TimeZone, Utc};
use serde_json::{json, Value};

const CANCEL: &str = cashier_client::CANCEL;
const REFUND: &str = cashier_client::REFUND;
const INQUIRY_REFUND: &str = cashier_client::INQUIRY_REFUND;

/// Creates a session and pays it through the simulation endpoint with `method`.
async fn paid(app: &TestApp, rid: &str, method: &str) -> String {
    app.create_session(rid).await;
    let sim = app.simulate_pay(rid, "SUCCESS", Some(method)).await;
    assert_eq!(sim["paymentStatus"], "SUCCESS", "{sim}");
    sim["paymentId"].as_str().unwrap().to_string()
}

fn refund_body(app: &TestApp, rrid: &str, payment_id: &str, value: &str) -> Value {
    json!({
        "refundRequestId": rrid,
        "paymentId": payment_id,
        "refundAmount": {"currency": "SGD", "value": value},
        "refundReason": "size exchange",
        "refundNotifyUrl": app.notify_url(),
    })
}

#[tokio::test]
async fn partial_and_multiple_refunds_up_to_the_paid_amount() {
    let app = TestApp::spawn().await;
    let pid = paid(&app, "PR-REF", "ALIPAY_CN").await;
    let r1 = app
        .call(REFUND, &refund_body(&app, "RF-1", &pid, "1000"))
        .await;
    assert_eq!(r1["result"]["resultCode"], "SUCCESS", "{r1}");
    assert_eq!(r1["refundAmount"]["value"], "1000");
    assert!(r1["refundTime"].is_string());
    // Same id, same body: the same refund, not a second one.
    let again = app
        .call(REFUND, &refund_body(&app, "RF-1", &pid, "1000"))
        .await;
    assert_eq!(again["refundId"], r1["refundId"]);
    assert_eq!(again["refundTime"], r1["refundTime"]);
    // Same id, another amount: inconsistent.
    let other = app
        .call(REFUND, &refund_body(&app, "RF-1", &pid, "999"))
        .await;
    assert_eq!(other["result"]["resultCode"], "REPEAT_REQ_INCONSISTENT");
    let r2 = app
        .call(REFUND, &refund_body(&app, "RF-2", &pid, "5000"))
        .await;
    assert_eq!(r2["result"]["resultCode"], "SUCCESS");
    let over = app
        .call(REFUND, &refund_body(&app, "RF-3", &pid, "1"))
        .await;
    assert_eq!(
        over["result"]["resultCode"], "REFUND_AMOUNT_EXCEED",
        "{over}"
    );
    assert_eq!(over["result"]["resultStatus"], "F");

    let inquiry = app.inquiry("PR-REF").await;
    assert_eq!(inquiry.payment_status.as_deref(), Some("SUCCESS"));
    let txns = inquiry.transactions.unwrap();
    assert_eq!(txns.len(), 2);
    assert!(txns
        .iter()
        .all(|t| t.transaction_type.as_deref() == Some("REFUND")
            && t.transaction_status.as_deref() == Some("SUCCESS")));
    let q = app
        .call(INQUIRY_REFUND, &json!({"refundRequestId": "RF-2"}))
        .await;
    assert_eq!(q["refundStatus"], "SUCCESS");
    assert_eq!(q["refundId"], r2["refundId"]);
    let q = app
        .call(INQUIRY_REFUND, &json!({"refundId": r1["refundId"]}))
        .await;
    assert_eq!(q["refundRequestId"], "RF-1");

    // One payment notification and two refund notifications, all verifiable.
    let got = app.wait_for_notifications(3).await;
    let refunds: Vec<_> = got
        .iter()
        .filter(|n| n.body.windows(13).any(|w| w == b"REFUND_RESULT"))
        .map(|n| {
            cashier_client::verify_refund_notification(
                &app.state.gateway_key.public,
                &app.client_id,
                &n.path,
                &n.client_id,
                &n.request_time,
                &n.signature,
                &n.body,
            )
            .expect("refund notification verifies")
        })
        .collect();
    assert_eq!(refunds.len(), 2);
    assert!(refunds
        .iter()
        .all(|r| r.refund_status == "SUCCESS" && r.payment_id.as_deref() == Some(pid.as_str())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_racing_refunds_of_ten_percent_never_exceed_the_payment() {
    let app = Arc::new(TestApp::spawn().await);
    let pid = paid(&app, "PR-RACE", "CARD").await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (app, pid) = (app.clone(), pid.clone());
        tasks.push(tokio::spawn(async move {
            let body = refund_body(&app, &format!("RF-RACE-{i}"), &pid, "600");
            app.call(REFUND, &body).await["result"]["resultCode"]
                .as_str()
                .unwrap()
                .to_string()
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    assert_eq!(
        codes.iter().filter(|c| *c == "SUCCESS").count(),
        10,
        "{codes:?}"
    );
    assert_eq!(
        codes
            .iter()
            .filter(|c| *c == "REFUND_AMOUNT_EXCEED")
            .count(),
        10,
        "{codes:?}"
    );
    let refunds = app.stored_refunds(&pid).await;
    assert_eq!(
        refunds.iter().map(|r| r.amount.minor() as i64).sum::<i64>(),
        6000
    );
    assert_eq!(
        app.state
            .store
            .payment(&PaymentId::from(&pid))
            .await
            .unwrap()
            .unwrap()
            .refunded_minor,
        6000
    );
}

#[tokio::test]
async fn refunds_refuse_what_cannot_be_refunded() {
    let app = TestApp::spawn().await;
    let pid = paid(&app, "PR-REFBAD", "ALIPAY_CN").await;
    app.create_session("PR-UNPAID").await;
    let unpaid = app.inquiry("PR-UNPAID").await.payment_id.unwrap();
    // Let the payment's notification be delivered and recorded so the
    // snapshot is stable.
    app.wait_for_notifications(1).await;
    eventually(std::time::Duration::from_secs(5), || async {
        app.state
            .store
            .counts()
            .await
            .unwrap()
            .pending_notifications
            == 0
    })
    .await;
    let before = app.state.store.counts().await.unwrap();
    assert_eq!(before.pending_notifications, 0);
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "unknown payment",
            refund_body(&app, "RF-X1", "20250101000000000000000000000000", "100"),
            "ORDER_NOT_EXIST",
        ),
        (
            "unpaid payment",
            refund_body(&app, "RF-X2", &unpaid, "100"),
            "ORDER_STATUS_INVALID",
        ),
        (
            "other currency",
            json!({"refundRequestId": "RF-X3", "paymentId": pid, "refundAmount": {"currency": "USD", "value": "100"}}),
            "CURRENCY_NOT_SUPPORT",
        ),
        (
            "unsupported currency",
            json!({"refundRequestId": "RF-X4", "paymentId": pid, "refundAmount": {"currency": "XYZ", "value": "100"}}),
            "CURRENCY_NOT_SUPPORT",
        ),
        (
            "zero",
            refund_body(&app, "RF-X5", &pid, "0"),
            "PARAM_ILLEGAL",
        ),
        (
            "negative",
            refund_body(&app, "RF-X6", &pid, "-5"),
            "PARAM_ILLEGAL",
        ),
        (
            "decimal",
            refund_body(&app, "RF-X7", &pid, "1.5"),
            "PARAM_ILLEGAL",
        ),
        (
            "more than paid",
            refund_body(&app, "RF-X8", &pid, "6001"),
            "REFUND_AMOUNT_EXCEED",
        ),
        (
            "missing refundRequestId",
            json!({"paymentId": pid, "refundAmount": {"currency": "SGD", "value": "1"}}),
            "PARAM_ILLEGAL",
        ),
        (
            "long refundRequestId",
            refund_body(&app, &"R".repeat(65), &pid, "1"),
            "PARAM_ILLEGAL",
        ),
        (
            "missing paymentId",
            json!({"refundRequestId": "RF-X9", "refundAmount": {"currency": "SGD", "value": "1"}}),
            "PARAM_ILLEGAL",
        ),
        (
            "missing amount",
            json!({"refundRequestId": "RF-X10", "paymentId": pid}),
            "PARAM_ILLEGAL",
        ),
        (
            "long reason",
            json!({"refundRequestId": "RF-X11", "paymentId": pid, "refundAmount": {"currency": "SGD", "value": "1"}, "refundReason": "r".repeat(257)}),
            "PARAM_ILLEGAL",
        ),
        (
            "bad notify url",
            json!({"refundRequestId": "RF-X12", "paymentId": pid, "refundAmount": {"currency": "SGD", "value": "1"}, "refundNotifyUrl": "notify"}),
            "PARAM_ILLEGAL",
        ),
        (
            "long notify url",
            json!({"refundRequestId": "RF-X13", "paymentId": pid, "refundAmount": {"currency": "SGD", "value": "1"}, "refundNotifyUrl": format!("https://m.example.com/{}", "n".repeat(1020))}),
            "PARAM_ILLEGAL",
        ),
    ];
    for (name, body, code) in cases {
        let r = app.call(REFUND, &body).await;
        assert_eq!(r["result"]["resultCode"], code, "{name}: {r}");
        assert_eq!(r["result"]["resultStatus"], "F", "{name}");
    }
    assert_eq!(
        app.state.store.counts().await.unwrap(),
        before,
        "nothing changed"
    );
    for (body, code) in [
        (json!({}), "PARAM_ILLEGAL"),
        (json!({"refundRequestId": "NOPE"}), "REFUND_NOT_EXIST"),
        (json!({"refundId": "x".repeat(65)}), "PARAM_ILLEGAL"),
    ] {
        let r = app.call(INQUIRY_REFUND, &body).await;
        assert_eq!(r["result"]["resultCode"], code, "{body}: {r}");
    }
    // A year and a day later the refund window is closed.
    app.clock.advance(Duration::days(366));
    let r = app
        .call(REFUND, &refund_body(&app, "RF-LATE", &pid, "1"))
        .await;
    assert_eq!(r["result"]["resultCode"], "REFUND_WINDOW_EXCEED");
}

#[tokio::test]
async fn asynchronous_and_failing_sandbox_refunds() {
    let app =
        TestApp::spawn_with(|c| c.sandbox_async_delay = std::time::Duration::from_secs(5)).await;
    let pid = paid(&app, "PR-ASYNCREF", "CARD").await;
    let mut body = refund_body(&app, "RF-ASYNC", &pid, "2000");
    body["refundReason"] = json!("SANDBOX_ASYNC please");
    let r = app.call(REFUND, &body).await;
    assert_eq!(r["result"]["resultCode"], "REFUND_IN_PROCESS", "{r}");
    assert_eq!(r["result"]["resultStatus"], "U");
    let q = app
        .call(INQUIRY_REFUND, &json!({"refundRequestId": "RF-ASYNC"}))
        .await;
    assert_eq!(q["refundStatus"], "PROCESSING");
    // The processing refund already counts against the payment.
    let over = app
        .call(REFUND, &refund_body(&app, "RF-OVER", &pid, "4001"))
        .await;
    assert_eq!(over["result"]["resultCode"], "REFUND_AMOUNT_EXCEED");
    app.clock.advance(Duration::seconds(6));
    // The background sweeper may get there first; either way it settles.
    app.sweep().await;
    let q = app
        .call(INQUIRY_REFUND, &json!({"refundRequestId": "RF-ASYNC"}))
        .await;
    assert_eq!(q["refundStatus"], "SUCCESS");
    let replay = app.call(REFUND, &body).await;
    assert_eq!(
        replay["result"]["resultCode"], "SUCCESS",
        "a retry now sees the final result"
    );

    let mut failing = refund_body(&app, "RF-FAIL", &pid, "1000");
    failing["refundReason"] = json!("SANDBOX_FAIL");
    let r = app.call(REFUND, &failing).await;
    assert_eq!(r["result"]["resultCode"], "PROCESS_FAIL");
    let replay = app.call(REFUND, &failing).await;
    assert_eq!(
        replay["result"]["resultCode"], "PROCESS_FAIL",
        "a stored F is replayed"
    );
    assert_eq!(replay["refundId"], r["refundId"]);
    let q = app
        .call(INQUIRY_REFUND, &json!({"refundRequestId": "RF-FAIL"}))
        .await;
    assert_eq!(q["refundStatus"], "FAIL");
    // The failed refund reserved nothing: the remaining 4000 can be refunded.
    let rest = app
        .call(REFUND, &refund_body(&app, "RF-REST", &pid, "4000"))
        .await;
    assert_eq!(rest["result"]["resultCode"], "SUCCESS", "{rest}");
    // More than is left is REFUND_AMOUNT_EXCEED before the processor is
    // asked, also for a refund the processor would fail (found while adding
    // failing refunds to the model test: it was a stored PROCESS_FAIL).
    let mut too_much = refund_body(&app, "RF-FAIL-OVER", &pid, "1");
    too_much["refundReason"] = json!("SANDBOX_FAIL");
    let r = app.call(REFUND, &too_much).await;
    assert_eq!(r["result"]["resultCode"], "REFUND_AMOUNT_EXCEED", "{r}");
    let q = app
        .call(INQUIRY_REFUND, &json!({"refundRequestId": "RF-FAIL-OVER"}))
        .await;
    assert_eq!(
        q["result"]["resultCode"], "REFUND_NOT_EXIST",
        "nothing stored"
    );
}

#[tokio::test]
async fn cancelling_an_unpaid_payment_closes_the_page() {
    let app = TestApp::spawn().await;
    let created = app.create_session("PR-CANCEL").await;
    let path = TestApp::page_path(created["normalUrl"].as_str().unwrap());
    let (_, html) = app.get_page(&path).await;
    let r = app
        .call(CANCEL, &json!({"paymentRequestId": "PR-CANCEL"}))
        .await;
    assert_eq!(r["result"]["resultCode"], "SUCCESS", "{r}");
    assert!(r["cancelTime"].is_string());
    app.clock.advance(Duration::minutes(5));
    let again = app
        .call(CANCEL, &json!({"paymentId": r["paymentId"]}))
        .await;
    assert_eq!(
        again["cancelTime"], r["cancelTime"],
        "a repeat keeps the original cancelTime"
    );
    let inquiry = app.inquiry("PR-CANCEL").await;
    assert_eq!(inquiry.payment_status.as_deref(), Some("CANCELLED"));
    assert_eq!(
        inquiry.payment_result_code.as_deref(),
        Some("ORDER_IS_CLOSED")
    );
    let (status, page) = app.get_page(&path).await;
    assert_eq!(status, 410);
    assert!(page.contains("This payment was cancelled"), "{page}");
    assert!(!page.contains("Pay SGD"));
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
    assert_eq!(
        app.inquiry("PR-CANCEL").await.payment_status.as_deref(),
        Some("CANCELLED")
    );
    // Merchant-initiated cancel of an unpaid payment is not notified (docs/protocol.md §6.1):
    // nothing arrives within a while (the dispatcher polls every 20 ms).
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    assert!(app.receiver.received().is_empty());
    let refund = app
        .call(
            REFUND,
            &refund_body(&app, "RF-C", r["paymentId"].as_str().unwrap(), "1"),
        )
        .await;
    assert_eq!(refund["result"]["resultCode"], "ORDER_STATUS_INVALID");
}

/// Sets the clock to a wall time in UTC+8.
fn set_utc8(app: &TestApp, y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) {
    app.clock.set(
        antom_offset()
            .with_ymd_and_hms(y, m, d, h, min, s)
            .unwrap()
            .with_timezone(&Utc),
    );
}

#[tokio::test]
async fn the_wallet_cancel_window_ends_at_0015_utc8_on_the_next_day() {
    for (second, expected) in [(59, "SUCCESS"), (60, "CANCEL_WINDOW_EXCEED")] {
        let app = TestApp::spawn().await;
        set_utc8(&app, 2026, 3, 10, 21, 30, 0);
        let pid = paid(&app, "PR-WINDOW", "ALIPAY_CN").await;
        // 00:14:59 or 00:15:00 on T+1.
        set_utc8(&app, 2026, 3, 11, 0, 14, 0);
        app.clock.advance(Duration::seconds(second));
        let r = app.call(CANCEL, &json!({"paymentId": pid})).await;
        assert_eq!(
            r["result"]["resultCode"], expected,
            "at 00:14:{second}: {r}"
        );
        if expected == "SUCCESS" {
            let inquiry = app.inquiry("PR-WINDOW").await;
            assert_eq!(inquiry.payment_status.as_deref(), Some("CANCELLED"));
            let txns = inquiry.transactions.unwrap();
            assert_eq!(txns[0].transaction_type.as_deref(), Some("CANCEL"));
            assert_eq!(txns[0].transaction_amount.as_ref().unwrap().value, "6000");
            let refund = app
                .call(REFUND, &refund_body(&app, "RF-AFTER-CANCEL", &pid, "1"))
                .await;
            assert_eq!(refund["result"]["resultCode"], "ORDER_STATUS_INVALID");
        }
    }
}

#[tokio::test]
async fn card_and_indonesian_wallet_cancel_rules() {
    let app = TestApp::spawn().await;
    let card = paid(&app, "PR-CARD-W", "CARD").await;
    app.clock.advance(Duration::days(6) + Duration::hours(23));
    let r = app.call(CANCEL, &json!({"paymentId": card})).await;
    assert_eq!(r["result"]["resultCode"], "SUCCESS", "cards: 7 days");
    let card2 = paid(&app, "PR-CARD-W2", "CARD").await;
    app.clock.advance(Duration::days(7));
    let r = app.call(CANCEL, &json!({"paymentId": card2})).await;
    assert_eq!(r["result"]["resultCode"], "CANCEL_WINDOW_EXCEED");
    let dana = paid(&app, "PR-DANA", "DANA").await;
    let r = app.call(CANCEL, &json!({"paymentId": dana})).await;
    assert_eq!(
        r["result"]["resultCode"], "CANCEL_WINDOW_EXCEED",
        "Indonesian wallets: never once paid"
    );
}

#[tokio::test]
async fn cancel_refuses_refunded_failed_and_unknown_payments() {
    let app = TestApp::spawn().await;
    let pid = paid(&app, "PR-CREF", "ALIPAY_CN").await;
    app.call(REFUND, &refund_body(&app, "RF-CREF", &pid, "100"))
        .await;
    let r = app.call(CANCEL, &json!({"paymentId": pid})).await;
    assert_eq!(r["result"]["resultCode"], "ORDER_STATUS_INVALID");
    app.create_session("PR-EXPIRED").await;
    app.clock.advance(Duration::hours(2));
    let r = app
        .call(CANCEL, &json!({"paymentRequestId": "PR-EXPIRED"}))
        .await;
    assert_eq!(r["result"]["resultCode"], "ORDER_IS_CLOSED");
    for (body, code) in [
        (json!({}), "PARAM_ILLEGAL"),
        (json!({"paymentRequestId": "NOPE"}), "ORDER_NOT_EXIST"),
        (json!({"paymentId": "p".repeat(65)}), "PARAM_ILLEGAL"),
    ] {
        let r = app.call(CANCEL, &body).await;
        assert_eq!(r["result"]["resultCode"], code, "{body}");
    }
}

#[tokio::test]
async fn a_refund_notify_url_on_a_private_network_is_refused_when_asked() {
    let app = TestApp::spawn_with(|c| c.allow_private_notify = false).await;
    let mut session = app.session_request("PR-RF-SSRF");
    session.as_object_mut().unwrap().remove("paymentNotifyUrl");
    let created = app
        .call(cashier_client::CREATE_PAYMENT_SESSION, &session)
        .await;
    assert_eq!(created["result"]["resultCode"], "SUCCESS", "{created}");
    let sim = app.simulate_pay("PR-RF-SSRF", "SUCCESS", None).await;
    let pid = sim["paymentId"].as_str().unwrap().to_string();
    let before = app.state.store.counts().await.unwrap();
    for (i, url) in [
        "http://10.0.0.1/refunds",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/refunds",
        "http://localhost/refunds",
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = refund_body(&app, &format!("RF-SSRF-{i}"), &pid, "100");
        body["refundNotifyUrl"] = json!(url);
        let r = app.call(REFUND, &body).await;
        assert_eq!(r["result"]["resultCode"], "PARAM_ILLEGAL", "{url}: {r}");
        assert!(
            r["result"]["resultMessage"]
                .as_str()
                .unwrap()
                .contains("private"),
            "{url}: {r}"
        );
    }
    assert_eq!(
        app.state.store.counts().await.unwrap(),
        before,
        "no refund was stored"
    );
}
