//! Sandbox clocks (issue #16): a merchant's clock moved with the signed
//! `advanceClock` API decides expiry, the notification retry schedule, the
//! cancel window and the daily reports on that merchant's time, and only
//! for that merchant. The suite's own clock (real time) stays still, so
//! every time asserted here is exact.

use std::time::Duration as StdDuration;

use crate::common::{eventually, TestApp};
use cashier_client::{AdvanceClock, Client, InquiryClock};
use cashier_gateway::clock::format_timestamp;
use cashier_gateway::clock::Clock;
use cashier_gateway::store::{ClientId, Timestamp};
use cashier_protocol::time::{antom_day, antom_offset, format_datetime};
use chrono::{DateTime, Duration, SubsecRound, TimeZone, Utc};
use serde_json::{json, Value};

const ADVANCE: &str = "/ams/sandbox/api/v1/testing/advanceClock";
const INQUIRY: &str = "/ams/sandbox/api/v1/testing/inquiryClock";
const FETCH: &str = "/ams/api/v1/reports/fetch";

/// A gateway with sandbox clocks, its real clock on a whole second (the
/// API's times have second precision).
async fn clocks_app() -> TestApp {
    let app = TestApp::spawn_with(|c| c.sandbox_clocks = true).await;
    app.clock.set(real_now(&app).trunc_subsecs(0));
    app
}

fn real_now(app: &TestApp) -> DateTime<Utc> {
    Clock::now(&app.clock)
}

async fn advance(client: &Client, by: Duration) -> DateTime<Utc> {
    let seconds = u64::try_from(by.num_seconds()).unwrap();
    client
        .send(&AdvanceClock::by_seconds(seconds))
        .await
        .expect("advanceClock succeeds")
        .time
        .with_timezone(&Utc)
}

async fn clock_of(client: &Client) -> DateTime<Utc> {
    client
        .send(&InquiryClock)
        .await
        .expect("inquiryClock succeeds")
        .time
        .with_timezone(&Utc)
}

async fn simulate_paid(app: &TestApp, rid: &str, method: &str) -> Value {
    let sim = app.simulate_pay(rid, "SUCCESS", Some(method)).await;
    assert_eq!(sim["paymentStatus"], "SUCCESS", "{sim}");
    sim
}

#[tokio::test]
async fn advancing_past_the_expiry_closes_the_session_before_the_answer() {
    let app = clocks_app().await;
    let other = app.add_merchant("SANDBOX_OTHER_SHOP", 0).await;
    let now = real_now(&app);
    let mut body = app.session_request("PR-EXPIRE");
    body["paymentSessionExpiryTime"] = json!(format_datetime(now + Duration::minutes(30)));
    let created = app
        .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
        .await;
    assert_eq!(created["result"]["resultStatus"], "S", "{created}");
    // The other merchant's session with the same expiry.
    let mut theirs = body.clone();
    theirs["paymentRequestId"] = json!("PR-THEIRS");
    let raw = other
        .send_raw(
            cashier_client::CREATE_PAYMENT_SESSION,
            theirs.to_string().as_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(raw.result.unwrap().result_code, "SUCCESS");

    assert_eq!(clock_of(&app.client).await, now);
    let moved = advance(&app.client, Duration::minutes(31)).await;
    assert_eq!(moved, now + Duration::minutes(31));
    assert_eq!(clock_of(&app.client).await, moved);

    // Decided before advanceClock answered: no sweep or wait in between.
    let inquiry = app.inquiry("PR-EXPIRE").await;
    assert_eq!(inquiry.payment_status.as_deref(), Some("FAIL"));
    assert_eq!(
        inquiry.payment_result_code.as_deref(),
        Some("ORDER_IS_CLOSED")
    );
    let received = app.wait_for_notifications(1).await;
    assert_eq!(received.len(), 1);
    let n = received[0].notification();
    assert_eq!(n.payment_request_id, "PR-EXPIRE");
    assert_eq!(n.result.result_code, "ORDER_IS_CLOSED");
    // The request-time header is real time, not the merchant's.
    assert_eq!(received[0].request_time, format_datetime(now));

    // The other merchant's clock and session did not move.
    assert_eq!(clock_of(&other).await, now);
    let raw = other
        .send_raw(
            cashier_client::INQUIRY_PAYMENT,
            json!({"paymentRequestId": "PR-THEIRS"})
                .to_string()
                .as_bytes(),
        )
        .await
        .unwrap();
    let theirs: Value = serde_json::from_str(&raw.body).unwrap();
    assert_eq!(theirs["paymentStatus"], "PROCESSING", "{theirs}");

    // What is created now carries the merchant's time.
    let later = app.create_session("PR-LATER").await;
    let inquiry = app.inquiry("PR-LATER").await;
    assert_eq!(
        inquiry.payment_create_time.as_deref(),
        Some(format_datetime(moved).as_str())
    );
    assert!(later["paymentSessionExpiryTime"].is_string());
}

#[tokio::test]
async fn a_day_of_retries_is_replayed_with_the_times_it_would_have_had() {
    let app = clocks_app().await;
    app.receiver.fail_next(usize::MAX);
    app.create_session("PR-RETRY").await;
    let sim = simulate_paid(&app, "PR-RETRY", "ALIPAY_CN").await;
    let payment_id = sim["paymentId"].as_str().unwrap().to_string();
    let store = app.state.store.clone();
    let attempts = |store: std::sync::Arc<dyn cashier_gateway::store::Store>, id: String| async move {
        let ns = store.notifications_for(&id).await.unwrap();
        assert_eq!(ns.len(), 1, "one notification");
        let n = ns.into_iter().next().unwrap();
        let a = store.delivery_attempts(&n.notification_id).await.unwrap();
        (n, a)
    };
    // The first attempt goes out at once, on real time.
    eventually(StdDuration::from_secs(5), || async {
        !app.receiver.received().is_empty()
    })
    .await;
    let start = Timestamp::from(real_now(&app));
    advance(&app.client, Duration::hours(25)).await;

    let schedule = &app.state.config.notify_retry_schedule;
    let (n, a) = eventually(StdDuration::from_secs(10), || async {
        let (n, a) = attempts(store.clone(), payment_id.clone()).await;
        (n.status == "FAILED").then_some((n, a))
    })
    .await
    .expect("the schedule runs out");
    // The first attempt, then one retry per delay of the schedule.
    let expected = schedule.len() + 1;
    assert_eq!(a.len(), expected, "exactly the schedule's attempts");
    assert_eq!(app.receiver.received().len(), expected);
    let mut due = start;
    for (i, attempt) in a.iter().enumerate() {
        if i > 0 {
            due += Duration::from_std(schedule[i - 1]).unwrap();
        }
        assert_eq!(attempt.attempt_no as usize, i + 1);
        assert_eq!(
            attempt.attempted_at,
            due,
            "attempt {} recorded at its due time {}",
            i + 1,
            format_timestamp(due)
        );
        assert_eq!(attempt.http_status, Some(500));
        assert!(!attempt.acknowledged);
        assert_eq!(
            attempt.request_time.as_deref(),
            Some(format_datetime(real_now(&app)).as_str()),
            "the header is real time"
        );
        assert!(attempt
            .signature
            .as_deref()
            .unwrap()
            .starts_with("algorithm=RSA256"));
    }
    assert_eq!(n.attempts as usize, expected);
    assert!(
        due - start < Duration::hours(25),
        "the last retry falls inside the advance"
    );
    // Another day changes nothing: the schedule is over.
    advance(&app.client, Duration::hours(24)).await;
    let (n, a) = attempts(store.clone(), payment_id.clone()).await;
    assert_eq!((n.status.as_str(), a.len()), ("FAILED", expected));
}

#[tokio::test]
async fn the_cancel_window_closes_at_0015_on_the_merchants_clock() {
    let app = clocks_app().await;
    // Real time 20:00 UTC+8; the merchant's clock is moved to 23:50.
    let evening = antom_offset()
        .with_ymd_and_hms(2026, 3, 10, 20, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    app.clock.set(evening);
    let at = advance(&app.client, Duration::minutes(230)).await;
    assert_eq!(
        format_datetime(at),
        "2026-03-10T23:50:00+08:00",
        "the clock answers in UTC+8"
    );
    app.create_session("PR-WINDOW").await;
    let sim = simulate_paid(&app, "PR-WINDOW", "ALIPAY_CN").await;
    let pid = sim["paymentId"].as_str().unwrap().to_string();
    let paid = app.inquiry("PR-WINDOW").await;
    assert_eq!(
        paid.payment_time.as_deref(),
        Some("2026-03-10T23:50:00+08:00")
    );

    app.create_session("PR-WINDOW-OK").await;
    let ok = simulate_paid(&app, "PR-WINDOW-OK", "ALIPAY_CN").await;
    // 00:14 on T+1: still inside the window.
    advance(&app.client, Duration::minutes(24)).await;
    let r = app
        .call(
            cashier_client::CANCEL,
            &json!({"paymentId": ok["paymentId"]}),
        )
        .await;
    assert_eq!(r["result"]["resultCode"], "SUCCESS", "{r}");
    assert_eq!(r["cancelTime"], "2026-03-11T00:14:00+08:00");

    // 00:16: outside.
    advance(&app.client, Duration::minutes(2)).await;
    let r = app
        .call(cashier_client::CANCEL, &json!({"paymentId": pid}))
        .await;
    assert_eq!(r["result"]["resultCode"], "CANCEL_WINDOW_EXCEED", "{r}");
    assert_eq!(
        app.inquiry("PR-WINDOW").await.payment_status.as_deref(),
        Some("SUCCESS")
    );
}

#[tokio::test]
async fn a_closed_day_on_the_merchants_clock_has_its_reports() {
    let app = clocks_app().await;
    // Noon (UTC+8) two days from now: after the merchant was created.
    let day = antom_day(real_now(&app)) + Duration::days(2);
    let noon = antom_offset()
        .from_local_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    app.clock.set(noon);
    app.create_session("PR-REPORT").await;
    simulate_paid(&app, "PR-REPORT", "ALIPAY_CN").await;
    let fetch = |kind: &'static str| {
        let app = &app;
        async move {
            app.call(
                FETCH,
                &json!({"reportDate": day.to_string(), "reportType": kind}),
            )
            .await
        }
    };
    let r = fetch("SUMMARY").await;
    assert_eq!(r["result"]["resultCode"], "REPORT_NOT_READY", "{r}");

    // 00:31 on the merchant's next day: past the report time of `day`.
    advance(&app.client, Duration::hours(12) + Duration::minutes(31)).await;
    let summary = fetch("SUMMARY").await;
    assert_eq!(summary["result"]["resultCode"], "SUCCESS", "{summary}");
    let content = summary["files"][0]["content"].as_str().unwrap();
    let total = content
        .lines()
        .find(|l| l.contains("TOTAL"))
        .expect("a TOTAL line");
    assert!(total.contains(",6000,"), "the paid 60.00 settles: {total}");
    let items = fetch("TRANSACTION").await;
    let content = items["files"][0]["content"].as_str().unwrap();
    assert_eq!(
        content.matches(",PR-REPORT,").count(),
        1,
        "the payment is reported once: {content}"
    );
    // Real time has not moved, so no other merchant's day closed.
    assert_eq!(real_now(&app), noon);
}

#[tokio::test]
async fn bad_advances_are_param_illegal_and_change_nothing() {
    let app = clocks_app().await;
    let now = real_now(&app);
    for body in [
        json!({}),
        json!({"advanceSeconds": 0}),
        json!({"advanceSeconds": -5}),
        json!({"advanceSeconds": "-5"}),
        json!({"advanceSeconds": 1.5}),
        json!({"advanceSeconds": "abc"}),
        json!({"advanceSeconds": 34_560_001}),
        json!({"advanceSeconds": null}),
        json!({"advanceSeconds": true}),
    ] {
        let r = app.call(ADVANCE, &body).await;
        assert_eq!(r["result"]["resultCode"], "PARAM_ILLEGAL", "{body}: {r}");
        assert_eq!(r["result"]["resultStatus"], "F");
        assert!(r.get("clockTime").is_none(), "{r}");
    }
    assert_eq!(clock_of(&app.client).await, now);
    // Both encodings of a number are accepted, up to the maximum.
    let r = app.call(ADVANCE, &json!({"advanceSeconds": "60"})).await;
    assert_eq!(r["clockTime"], format_datetime(now + Duration::seconds(60)));
    let r = app
        .call(ADVANCE, &json!({"advanceSeconds": 34_560_000}))
        .await;
    assert_eq!(r["result"]["resultCode"], "SUCCESS", "{r}");
    // A clock stays within ten years of real time.
    let mut last = r;
    for _ in 0..20 {
        last = app
            .call(ADVANCE, &json!({"advanceSeconds": 34_560_000}))
            .await;
        if last["result"]["resultCode"] != "SUCCESS" {
            break;
        }
    }
    assert_eq!(last["result"]["resultCode"], "PARAM_ILLEGAL", "{last}");
    let offset = app
        .state
        .store
        .merchant(&ClientId::from(&app.client_id))
        .await
        .unwrap()
        .unwrap()
        .clock_offset_ms;
    assert!(offset <= cashier_gateway::store::MAX_CLOCK_OFFSET_MS);
    assert_eq!(
        clock_of(&app.client).await,
        now + Duration::milliseconds(offset)
    );
}

#[tokio::test]
async fn without_sandbox_clocks_the_api_is_access_denied() {
    let app = TestApp::spawn().await;
    for (path, body) in [
        (ADVANCE, json!({"advanceSeconds": 3600})),
        (INQUIRY, json!({})),
    ] {
        let r = app.call(path, &body).await;
        assert_eq!(r["result"]["resultCode"], "ACCESS_DENIED", "{path}: {r}");
        assert_eq!(r["result"]["resultStatus"], "F");
        assert!(
            r["result"]["resultMessage"]
                .as_str()
                .unwrap()
                .contains("--sandbox-clocks"),
            "{r}"
        );
    }
    let m = app
        .state
        .store
        .merchant(&ClientId::from(&app.client_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.clock_offset_ms, 0);
}

#[tokio::test]
async fn the_developers_page_shows_and_moves_the_clock() {
    use crate::common::browser::{user, Browser};
    use crate::common::input_value;
    use reqwest::StatusCode;

    let app = clocks_app().await;
    let now = real_now(&app);
    app.create_session("PR-DASH-CLOCK").await;
    user(&app, "dev@shop.example", Some(&app.client_id)).await;
    let mut b = Browser::logged_in(&app, "dev@shop.example").await;
    let p = b.get("/dashboard/developers").await;
    assert!(p.body.contains("Sandbox clock"), "{}", p.body);
    assert!(p.body.contains("<span id=\"clock-ahead\">0s</span>"));
    let csrf = input_value(&p.body, "csrf").unwrap();

    let r = b
        .post(
            "/dashboard/developers/clock",
            &[("csrf", &csrf), ("advance", "25h")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(clock_of(&app.client).await, now + Duration::hours(25));
    // Decided before the page answered, as with the API.
    let inquiry = app.inquiry("PR-DASH-CLOCK").await;
    assert_eq!(inquiry.payment_status.as_deref(), Some("FAIL"));
    let p = b.get(r.location.as_deref().unwrap()).await;
    assert!(p.body.contains("Clock moved"), "{}", p.body);
    assert!(p.body.contains("<span id=\"clock-ahead\">1d 1h</span>"));
    let shown =
        cashier_protocol::time::format_millis((now + Duration::hours(25)).timestamp_millis());
    let shown = shown[..19].replace('T', " ");
    assert!(p.body.contains(&shown), "the page shows {shown}");

    for bad in ["soon", "0", "-1h", "401d"] {
        let r = b
            .post(
                "/dashboard/developers/clock",
                &[("csrf", &csrf), ("advance", bad)],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.body.contains("1 second to 400 days"), "{bad}: {}", r.body);
    }
    let r = b
        .post(
            "/dashboard/developers/clock",
            &[("csrf", "forged"), ("advance", "1h")],
        )
        .await;
    assert_ne!(
        r.status,
        StatusCode::SEE_OTHER,
        "a forged form changes nothing"
    );
    assert_eq!(clock_of(&app.client).await, now + Duration::hours(25));
}

#[tokio::test]
async fn without_sandbox_clocks_the_page_has_no_clock() {
    use crate::common::browser::{user, Browser};
    use crate::common::input_value;
    use reqwest::StatusCode;

    let app = TestApp::spawn().await;
    user(&app, "dev@shop.example", Some(&app.client_id)).await;
    let mut b = Browser::logged_in(&app, "dev@shop.example").await;
    let p = b.get("/dashboard/developers").await;
    assert!(!p.body.contains("Sandbox clock"));
    let csrf = input_value(&p.body, "csrf").unwrap();
    let r = b
        .post(
            "/dashboard/developers/clock",
            &[("csrf", &csrf), ("advance", "1h")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("--sandbox-clocks"), "{}", r.body);
    let m = app
        .state
        .store
        .merchant(&ClientId::from(&app.client_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.clock_offset_ms, 0);
}

/// The async test card and an async refund settle when the merchant's clock
/// passes their delay, the payment and refund times are the merchant's, and
/// the refund window (365 days) closes on that clock.
#[tokio::test]
async fn async_settlement_and_the_refund_window_follow_the_merchants_clock() {
    let app = clocks_app().await;
    let path = TestApp::page_path(
        app.create_session("PR-ASYNC-CLOCK").await["normalUrl"]
            .as_str()
            .unwrap(),
    );
    let (_, location) = app.pay_with_card(&path, "4000 0000 0000 0077").await;
    let (_, page) = app.get_page(&location).await;
    assert!(page.contains("Payment is processing"), "{page}");
    assert_eq!(
        app.inquiry("PR-ASYNC-CLOCK")
            .await
            .payment_status
            .as_deref(),
        Some("PROCESSING")
    );
    // The sandbox delay (10 s) passes on the merchant's clock only.
    let moved = advance(&app.client, Duration::seconds(11)).await;
    let paid = app.inquiry("PR-ASYNC-CLOCK").await;
    assert_eq!(paid.payment_status.as_deref(), Some("SUCCESS"));
    let paid_at = DateTime::parse_from_rfc3339(&paid.payment_time.expect("paymentTime"))
        .unwrap()
        .with_timezone(&Utc);
    assert!(
        (paid_at - moved).num_seconds().abs() <= 1,
        "paid at {paid_at} on the merchant's clock ({moved})"
    );
    let payment_id = paid.payment_id.clone().unwrap();

    // An async refund settles after the same delay on the merchant's clock.
    let refund = app
        .call(
            cashier_client::REFUND,
            &json!({"refundRequestId": "RF-ASYNC-CLOCK", "paymentId": payment_id,
                    "refundAmount": {"currency": "SGD", "value": "500"},
                    "refundReason": "SANDBOX_ASYNC"}),
        )
        .await;
    assert_eq!(
        refund["result"]["resultCode"], "REFUND_IN_PROCESS",
        "{refund}"
    );
    let inquire = |rid: &'static str| {
        let app = &app;
        async move {
            app.call(
                cashier_client::INQUIRY_REFUND,
                &json!({"refundRequestId": rid}),
            )
            .await
        }
    };
    assert_eq!(
        inquire("RF-ASYNC-CLOCK").await["refundStatus"],
        "PROCESSING"
    );
    let moved = advance(&app.client, Duration::seconds(11)).await;
    let settled = inquire("RF-ASYNC-CLOCK").await;
    assert_eq!(settled["refundStatus"], "SUCCESS", "{settled}");
    let refund_time = DateTime::parse_from_rfc3339(settled["refundTime"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    assert!(
        (refund_time - moved).num_seconds().abs() <= 1,
        "refunded at {refund_time} on the merchant's clock ({moved})"
    );

    // 366 days later on the merchant's clock: past the refund window.
    advance(&app.client, Duration::days(366)).await;
    let late = app
        .call(
            cashier_client::REFUND,
            &json!({"refundRequestId": "RF-LATE", "paymentId": payment_id,
                    "refundAmount": {"currency": "SGD", "value": "500"}}),
        )
        .await;
    assert_eq!(
        late["result"]["resultCode"], "REFUND_WINDOW_EXCEED",
        "{late}"
    );
    // The suite's real clock never moved.
    assert!(real_now(&app) < moved);
}
