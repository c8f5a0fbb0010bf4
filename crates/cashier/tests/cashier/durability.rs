//! Crash safety of the real binary: SIGKILL `cashier serve` while a
//! notification is still undelivered, start it again on the same data dir,
//! and the notification is delivered; the payment state survives.
//!
//! With `CASHIER_TEST_STORE=postgres` (and `CASHIER_TEST_POSTGRES_URL`) the
//! same run uses a fresh PostgreSQL database instead of the SQLite file.

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::{
    cashier, eventually, free_port, merchant_client, merchant_create, simulated, spawn_endpoint,
    test_database, wait_readyz, Running,
};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use cashier_gateway::store::postgres::admin::ScratchDatabase;
use cashier_protocol::wire::InquiryPaymentRequest;
use serde_json::json;

fn serve(data_dir: &std::path::Path, db: Option<&ScratchDatabase>, port: u16) -> Running {
    Running::new(
        cashier(db.map(|d| d.url.as_str()))
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--allow-private-notify",
                "--sandbox-simulation",
            ])
            // A kill can land while an attempt is claimed but not yet recorded; the restarted
            // node retries it once the claim's lease runs out, so keep the lease short.
            .args(["--notify-timeout", "1s", "--notify-lease", "2s"])
            .args([
                "--notify-retry-schedule",
                "300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms",
            ])
            .arg("--data-dir")
            .arg(data_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cashier starts"),
    )
}

async fn wait_ready(port: u16) {
    wait_readyz(
        &format!("http://127.0.0.1:{port}"),
        200,
        Duration::from_secs(20),
        None,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_gateway_delivers_its_pending_notification_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = test_database().await;
    let m = merchant_create(
        cashier(db.as_ref().map(|d| d.url.as_str())),
        "Crash Test Shop",
        Some(dir.path()),
        &[],
    );
    let client_id = m["clientId"].as_str().unwrap().to_string();

    // A merchant endpoint that refuses until told otherwise.
    let accept = Arc::new(AtomicBool::new(false));
    let hits = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(AtomicUsize::new(0));
    let (a, h, k) = (accept.clone(), hits.clone(), acked.clone());
    let router = Router::new().route(
        "/notify",
        post(move || {
            let (a, h, k) = (a.clone(), h.clone(), k.clone());
            async move {
                h.fetch_add(1, Ordering::SeqCst);
                if a.load(Ordering::SeqCst) {
                    k.fetch_add(1, Ordering::SeqCst);
                    (StatusCode::OK, cashier_protocol::wire::ack_body())
                } else {
                    (StatusCode::SERVICE_UNAVAILABLE, "down")
                }
            }
        }),
    );
    let notify_url = spawn_endpoint(router, "/notify").await;

    let port = free_port();
    let mut child = serve(dir.path(), db.as_ref(), port);
    wait_ready(port).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = merchant_client(&base, &m);
    let amount = json!({"currency": "USD", "value": "1999"});
    let body = json!({
        "productCode": "CASHIER_PAYMENT", "paymentRequestId": "PR-CRASH",
        "order": {"referenceOrderId": "O-CRASH", "orderDescription": "Mouse", "orderAmount": amount,
                  "goods": [{"referenceGoodsId": "M", "goodsName": "Mouse", "goodsQuantity": 1, "goodsUnitAmount": amount}],
                  "buyer": {"referenceBuyerId": "B", "buyerName": {"fullName": "Jamie"}}},
        "paymentAmount": amount, "paymentRedirectUrl": "https://m.example.com/r", "paymentNotifyUrl": notify_url
    });
    let created = client
        .send_raw(
            cashier_client::CREATE_PAYMENT_SESSION,
            body.to_string().as_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(created.result.unwrap().result_code, "SUCCESS");
    let sim = simulated(
        &reqwest::Client::new(),
        &base,
        &client_id,
        "PR-CRASH",
        "SUCCESS",
    )
    .await;
    assert_eq!(sim["paymentStatus"], "SUCCESS", "{sim}");

    // At least one delivery failed; now the gateway dies mid-schedule.
    eventually(Duration::from_secs(10), || async {
        hits.load(Ordering::SeqCst) > 0
    })
    .await;
    assert!(hits.load(Ordering::SeqCst) >= 1);
    child.kill();
    assert_eq!(acked.load(Ordering::SeqCst), 0);

    accept.store(true, Ordering::SeqCst);
    let _child = serve(dir.path(), db.as_ref(), port);
    wait_ready(port).await;
    eventually(Duration::from_secs(15), || async {
        acked.load(Ordering::SeqCst) > 0
    })
    .await;
    assert_eq!(
        acked.load(Ordering::SeqCst),
        1,
        "delivered after the restart"
    );
    let inquiry = client
        .inquiry_payment(&InquiryPaymentRequest {
            payment_request_id: Some("PR-CRASH".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(inquiry.payment_status.as_deref(), Some("SUCCESS"));
    // No second delivery follows within a while.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        acked.load(Ordering::SeqCst),
        1,
        "no re-delivery after the acknowledgement"
    );
}
