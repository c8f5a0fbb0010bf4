//! `/metrics` and the rate limits: real requests against the real server,
//! then the Prometheus text scraped and parsed.

use std::time::Duration;

use crate::common::{eventually, TestApp};
use cashier_client::{CREATE_PAYMENT_SESSION, INQUIRY_PAYMENT};
use serde_json::json;

/// The value of the sample `name{labels…}` whose labels include every pair
/// given; `None` if there is no such sample.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (series, value) = l.rsplit_once(' ')?;
            let (n, rest) = match series.split_once('{') {
                Some((n, rest)) => (n, rest.trim_end_matches('}')),
                None => (series, ""),
            };
            (n == name).then_some((rest, value))
        })
        .find(|(rest, _)| {
            labels
                .iter()
                .all(|(k, v)| rest.split(',').any(|pair| pair == format!("{k}=\"{v}\"")))
        })
        .map(|(_, v)| v.parse().expect("numeric sample"))
}

async fn scrape(app: &TestApp) -> String {
    let r = app
        .buyer
        .get(format!("{}/metrics", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.contains("openmetrics-text"), "{ct}");
    r.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_api_calls_pages_payments_and_notifications() {
    let app = TestApp::spawn().await;
    let created = app.create_session("OBS-1").await;
    let unknown = app
        .call(INQUIRY_PAYMENT, &json!({"paymentRequestId": "NO-SUCH"}))
        .await;
    assert_eq!(unknown["result"]["resultCode"], "ORDER_NOT_EXIST");
    // Unsigned: answered (signed) with PARAM_ILLEGAL, counted under its API.
    let raw = app
        .buyer
        .post(format!(
            "{}/ams/api/v1/payments/createPaymentSession",
            app.base_url
        ))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);

    let path = TestApp::page_path(created["normalUrl"].as_str().unwrap());
    let (status, _) = app.get_page(&path).await;
    assert_eq!(status, 200);
    let (status, _) = app.pay_with_card(&path, "4242 4242 4242 4242").await;
    assert_eq!(status, 303);

    // The acknowledgement is recorded just after the receiver answers: wait
    // for the scrape to show it.
    let text = eventually(Duration::from_secs(30), || async {
        let text = scrape(&app).await;
        let acked = sample(
            &text,
            "cashier_notification_deliveries_total",
            &[("outcome", "acknowledged")],
        );
        let pending = sample(&text, "cashier_notifications_pending", &[]);
        if acked == Some(1.0) && pending == Some(0.0) {
            Ok(text)
        } else {
            Err(text)
        }
    })
    .await
    .unwrap_or_else(|text| panic!("delivery never counted:\n{text}"));

    let api = |api: &str, code: &str, status: &str| {
        sample(
            &text,
            "cashier_api_requests_total",
            &[
                ("api", api),
                ("result_code", code),
                ("result_status", status),
            ],
        )
    };
    assert_eq!(api("createPaymentSession", "SUCCESS", "S"), Some(1.0));
    assert_eq!(api("inquiryPayment", "ORDER_NOT_EXIST", "F"), Some(1.0));
    assert_eq!(api("createPaymentSession", "PARAM_ILLEGAL", "F"), Some(1.0));
    assert_eq!(
        sample(
            &text,
            "cashier_api_request_duration_seconds_count",
            &[("api", "createPaymentSession"), ("result_code", "SUCCESS")],
        ),
        Some(1.0)
    );
    let le_inf = sample(
        &text,
        "cashier_api_request_duration_seconds_bucket",
        &[
            ("api", "createPaymentSession"),
            ("result_code", "SUCCESS"),
            ("le", "+Inf"),
        ],
    );
    assert_eq!(le_inf, Some(1.0));

    // The checkout page: GET twice (once by pay_with_card), POST once.
    assert_eq!(
        sample(
            &text,
            "cashier_page_requests_total",
            &[("route", "/checkout/{token}"), ("status", "200")],
        ),
        Some(2.0)
    );
    assert_eq!(
        sample(
            &text,
            "cashier_page_requests_total",
            &[("route", "/checkout/{token}/pay"), ("status", "303")],
        ),
        Some(1.0)
    );
    assert!(
        !text.contains(path.trim_start_matches("/checkout/")),
        "token leaked into labels"
    );

    assert_eq!(
        sample(
            &text,
            "cashier_payments_final_total",
            &[("status", "SUCCESS")]
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &text,
            "cashier_notification_delivery_duration_seconds_count",
            &[("outcome", "acknowledged")],
        ),
        Some(1.0)
    );
    assert_eq!(sample(&text, "cashier_notifications_due", &[]), Some(0.0));

    let backend = if std::env::var("CASHIER_TEST_STORE").as_deref() == Ok("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let max = sample(
        &text,
        "cashier_db_pool_connections",
        &[("backend", backend), ("state", "max")],
    )
    .expect("pool max");
    let size = sample(
        &text,
        "cashier_db_pool_connections",
        &[("backend", backend), ("state", "size")],
    )
    .expect("pool size");
    let idle = sample(
        &text,
        "cashier_db_pool_connections",
        &[("backend", backend), ("state", "idle")],
    )
    .expect("pool idle");
    assert!(
        max >= 1.0 && size >= 1.0 && size <= max && idle <= size,
        "{max} {size} {idle}"
    );

    // SQLite's group-commit writer committed this test's payments, attempts
    // and notification updates, in at least one batch each time it ran.
    let batches = sample(&text, "cashier_db_writer_batches_total", &[]).expect("batches");
    let writes = sample(&text, "cashier_db_writer_writes_total", &[]).expect("writes");
    let busy = sample(&text, "cashier_db_writer_busy_seconds_total", &[]).expect("busy");
    let slowest =
        sample(&text, "cashier_db_writer_slowest_batch_seconds", &[]).expect("slowest batch");
    if backend == "sqlite" {
        assert!(batches >= 1.0 && writes >= batches, "{batches} {writes}");
        assert!(
            busy > 0.0 && slowest > 0.0 && slowest <= busy,
            "{busy} {slowest}"
        );
    } else {
        assert_eq!((batches, writes, busy), (0.0, 0.0, 0.0));
    }
}

#[tokio::test]
async fn the_queue_gauges_show_undelivered_notifications() {
    // The merchant's endpoint refuses everything and the retry is an hour
    // away: after the first attempt the notification is pending, not due.
    let app =
        TestApp::spawn_with(|c| c.notify_retry_schedule = vec![Duration::from_secs(3600)]).await;
    app.receiver.fail_next(usize::MAX);
    let created = app.create_session("OBS-Q").await;
    let path = TestApp::page_path(created["normalUrl"].as_str().unwrap());
    app.pay_with_card(&path, "4242 4242 4242 4242").await;
    eventually(Duration::from_secs(30), || async {
        let text = scrape(&app).await;
        let rejected = sample(
            &text,
            "cashier_notification_deliveries_total",
            &[("outcome", "rejected")],
        );
        let pending = sample(&text, "cashier_notifications_pending", &[]);
        let due = sample(&text, "cashier_notifications_due", &[]);
        // The attempt is counted just before it is recorded in the store.
        if rejected == Some(1.0) && pending == Some(1.0) && due == Some(0.0) {
            Ok(())
        } else {
            Err(text)
        }
    })
    .await
    .unwrap_or_else(|text| panic!("attempt never counted:\n{text}"));
}

#[tokio::test]
async fn a_client_over_its_rate_gets_a_signed_traffic_limit_answer_and_nothing_changes() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit = 1;
        c.rate_limit_burst = 2;
    })
    .await;
    let before = app.state.store.counts().await.unwrap();
    // Eight requests in a row: only a machine taking over six seconds for
    // them would stay under one per second after the burst of two.
    // `call` verifies every response's signature.
    let mut answers = Vec::new();
    for i in 0..8 {
        let body = app.session_request(&format!("RL-{i}"));
        answers.push(app.call(CREATE_PAYMENT_SESSION, &body).await);
    }
    let limited: Vec<_> = answers
        .iter()
        .filter(|a| a["result"]["resultCode"] == "REQUEST_TRAFFIC_EXCEED_LIMIT")
        .collect();
    let ok = answers
        .iter()
        .filter(|a| a["result"]["resultStatus"] == "S")
        .count();
    assert!(!limited.is_empty(), "{answers:?}");
    assert_eq!(ok + limited.len(), answers.len(), "{answers:?}");
    for a in &limited {
        assert_eq!(a["result"]["resultStatus"], "U");
        assert!(a.get("normalUrl").is_none());
    }
    let after = app.state.store.counts().await.unwrap();
    assert_eq!(after.payments - before.payments, ok as u64);
    let text = scrape(&app).await;
    assert_eq!(
        sample(&text, "cashier_rate_limited_total", &[("scope", "client")]),
        Some(limited.len() as f64)
    );
    assert_eq!(
        sample(
            &text,
            "cashier_api_requests_total",
            &[
                ("api", "createPaymentSession"),
                ("result_code", "REQUEST_TRAFFIC_EXCEED_LIMIT"),
                ("result_status", "U")
            ],
        ),
        Some(limited.len() as f64)
    );
}

#[tokio::test]
async fn guessing_checkout_tokens_is_throttled_per_address() {
    let app = TestApp::spawn_with(|c| c.token_guess_limit = 3).await;
    let created = app.create_session("GUESS-1").await;
    let real = TestApp::page_path(created["normalUrl"].as_str().unwrap());
    // Before any guessing the real link works.
    assert_eq!(app.get_page(&real).await.0, 200);
    for i in 0..3 {
        let (status, _) = app.get_page(&format!("/checkout/guess{i}")).await;
        assert_eq!(status, 404);
    }
    let (status, page) = app.get_page("/checkout/guess-over").await;
    assert_eq!(status, 429);
    assert!(page.contains("Too many requests"), "{page}");
    // In the buyer's language (there is no session: Accept-Language decides).
    let ja = app
        .buyer
        .get(format!("{}/checkout/guess-ja", app.base_url))
        .header("accept-language", "ja-JP,ja;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(ja.status(), 429);
    let ja = ja.text().await.unwrap();
    assert!(
        ja.contains("<html lang=\"ja-JP\" dir=\"ltr\">") && ja.contains("リクエストが多すぎます"),
        "{ja}"
    );
    // Throttled addresses learn nothing: even a real token is refused now.
    let r = app
        .buyer
        .get(format!("{}{real}", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    // Assets are not token lookups and stay available.
    let css = app
        .buyer
        .get(format!("{}/assets/checkout.css", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    let text = scrape(&app).await;
    assert!(
        sample(
            &text,
            "cashier_rate_limited_total",
            &[("scope", "checkout_token")]
        ) >= Some(2.0)
    );
}

#[tokio::test]
async fn requests_without_the_merchants_key_do_not_spend_its_budget() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit = 1;
        c.rate_limit_burst = 1;
    })
    .await;
    // Forged requests in the merchant's name: refused before the limiter.
    for _ in 0..5 {
        let r = app
            .buyer
            .post(format!("{}{INQUIRY_PAYMENT}", app.base_url))
            .header("content-type", "application/json; charset=UTF-8")
            .header("client-id", &app.client_id)
            .header("request-time", app.state.now_ts().millis().to_string())
            .header("signature", "algorithm=RSA256,keyVersion=1,signature=AAAA")
            .body(r#"{"paymentRequestId":"X"}"#)
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["result"]["resultCode"], "INVALID_SIGNATURE", "{body}");
    }
    // The merchant's own request still finds its whole burst.
    let r = app
        .call(INQUIRY_PAYMENT, &json!({"paymentRequestId": "X"}))
        .await;
    assert_eq!(r["result"]["resultCode"], "ORDER_NOT_EXIST", "{r}");
}

#[tokio::test]
async fn a_rate_limit_of_zero_turns_the_limit_off() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit = 0;
        c.token_guess_limit = 0;
    })
    .await;
    for _ in 0..30 {
        let r = app
            .call(INQUIRY_PAYMENT, &json!({"paymentRequestId": "X"}))
            .await;
        assert_eq!(r["result"]["resultCode"], "ORDER_NOT_EXIST", "{r}");
    }
    for i in 0..40 {
        let (status, _) = app.get_page(&format!("/checkout/nothing{i}")).await;
        assert_eq!(status, 404);
    }
}
