//! `cashier clock` and `cashier listen` (issue #16) beside a running
//! `cashier serve` on the same store, through the real binary: the clock
//! commands move the clock the API reports, and `listen --forward-to`
//! prints the merchant's requests and notification attempts and re-sends
//! each attempt's exact signed request to a local handler, which verifies
//! it. Each scenario runs on SQLite always and on PostgreSQL when
//! `CASHIER_TEST_POSTGRES_URL` is set; without it the `_on_postgres` tests
//! are reported as ignored, with the reason (see `build.rs`).

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{scratch_database, Running};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use cashier_client::{AdvanceClock, InquiryClock};
use chrono::Utc;
use serde_json::Value;

/// Lines a child prints, read on a thread.
struct Lines(mpsc::Receiver<String>, Vec<String>);

impl Lines {
    /// Waits (up to 20 s) for a line containing every one of `parts`.
    fn wait_for(&mut self, parts: &[&str]) -> String {
        let until = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(line) = self.1.iter().find(|l| parts.iter().all(|p| l.contains(p))) {
                return line.clone();
            }
            let left = until.saturating_duration_since(std::time::Instant::now());
            match self.0.recv_timeout(left) {
                Ok(line) => self.1.push(line),
                Err(_) => panic!(
                    "no line with {parts:?}; printed so far:\n{}",
                    self.1.join("\n")
                ),
            }
        }
    }
}

async fn clock_commands_move_the_clock_beside_a_running_server(db_url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let clock = |args: &[&str]| {
        let mut cmd = crate::common::cashier(db_url);
        cmd.arg("clock")
            .args(args)
            .arg("--data-dir")
            .arg(dir.path());
        cmd.output().unwrap()
    };
    let m = crate::common::merchant_create(
        crate::common::cashier(db_url),
        "Clock Shop",
        Some(dir.path()),
        &[],
    );
    let id = m["clientId"].as_str().unwrap();
    let (_server, base) = crate::common::serve(db_url, dir.path(), &["--sandbox-clocks"]).await;
    let client = crate::common::merchant_client(&base, &m);

    let out = clock(&["show", "--client-id", id, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["offsetSeconds"], 0);
    assert_eq!(shown["clientId"], id);

    let out = clock(&["advance", "--client-id", id, "25h", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let moved: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(moved["offsetSeconds"], 90_000);
    // The server's merchant cache lasts a second at most.
    let seen = crate::common::eventually(Duration::from_secs(5), || async {
        let t = client.send(&InquiryClock).await.unwrap().time;
        let ahead = t.with_timezone(&Utc) - Utc::now();
        (ahead.num_seconds() > 90_000 - 30).then_some(ahead)
    })
    .await;
    assert!(seen.is_some(), "the API reports the CLI's advance");
    // The API and the CLI add up.
    client.send(&AdvanceClock::by_seconds(3600)).await.unwrap();
    let out = clock(&["show", "--client-id", id]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(1d 2h ahead of real time)"), "{text}");

    for (by, why) in [
        ("0", "1 second to 400 days"),
        ("-1h", "1 second to 400 days"),
        ("soon", "1 second to 400 days"),
        ("401d", "1 second to 400 days"),
    ] {
        let out = clock(&["advance", "--client-id", id, by]);
        assert!(!out.status.success(), "{by} is refused");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{by}: {err}");
    }
    let out = clock(&["show", "--client-id", "SANDBOX_NOBODY"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no merchant"));
    let out = clock(&["show", "--client-id", id, "--json"]);
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        shown["offsetSeconds"], 93_600,
        "refused advances changed nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_commands_move_the_clock_beside_a_running_server_on_sqlite() {
    clock_commands_move_the_clock_beside_a_running_server(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
)]
async fn clock_commands_move_the_clock_beside_a_running_server_on_postgres() {
    let db = scratch_database().await;
    clock_commands_move_the_clock_beside_a_running_server(Some(&db.url)).await;
}

async fn listen_prints_activity_and_forwards_notifications(db_url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let m = crate::common::merchant_create(
        crate::common::cashier(db_url),
        "Listen Shop",
        Some(dir.path()),
        &[],
    );
    let id = m["clientId"].as_str().unwrap().to_string();
    let (_server, base) = crate::common::serve(
        db_url,
        dir.path(),
        &[
            "--allow-private-notify",
            "--sandbox-simulation",
            "--notify-retry-schedule",
            "1s",
        ],
    )
    .await;
    // The merchant's notify URL never acknowledges; the developer's
    // handler (same path, so the signature verifies) does.
    let unreachable = crate::common::spawn_endpoint(
        Router::new().route(
            crate::common::NOTIFY_PATH,
            post(|| async { (StatusCode::BAD_GATEWAY, "down") }),
        ),
        crate::common::NOTIFY_PATH,
    )
    .await;
    let (handler, handler_url) =
        crate::common::Endpoint::start(m["gatewayPublicKey"].as_str().unwrap()).await;

    let mut cmd = crate::common::cashier(db_url);
    cmd.args([
        "listen",
        "--client-id",
        &id,
        "--forward-to",
        &handler_url,
        "--interval",
        "50ms",
    ])
    .arg("--data-dir")
    .arg(dir.path())
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let _listen = Running::new(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Lines(rx, Vec::new());
    lines.wait_for(&["Listening to", &id, &handler_url]);

    let client = crate::common::merchant_client(&base, &m);
    client
        .send(&crate::common::session("LISTEN-1", &unreachable))
        .await
        .unwrap();
    let paid =
        crate::common::simulated(&reqwest::Client::new(), &base, &id, "LISTEN-1", "SUCCESS").await;
    assert_eq!(paid["paymentStatus"], "SUCCESS", "{paid}");

    lines.wait_for(&["API", "createPaymentSession", "S SUCCESS", "LISTEN-1"]);
    lines.wait_for(&[
        "NOTIFY",
        "PAYMENT_RESULT",
        "LISTEN-1",
        "SUCCESS",
        "attempt 1: HTTP 502, not acknowledged",
    ]);
    lines.wait_for(&["NOTIFY", "LISTEN-1", "attempt 2: HTTP 502"]);
    let forwarded = lines.wait_for(&["forward: HTTP 200"]);
    assert!(forwarded.contains("\"resultStatus\":\"S\""), "{forwarded}");
    {
        let ledger = handler.ledger.lock().unwrap();
        assert_eq!(ledger.bad_signatures, 0, "forwarded requests verify");
        let deliveries: Vec<&String> = ledger.deliveries.values().flatten().collect();
        assert!(
            !deliveries.is_empty() && deliveries.iter().all(|c| *c == "SUCCESS"),
            "{deliveries:?}"
        );
    }
    // The API log is flushed in batches: inquiryPayment shows up too.
    client
        .inquiry_payment(
            &cashier_client::cashier_protocol::wire::InquiryPaymentRequest {
                payment_request_id: Some("LISTEN-1".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    lines.wait_for(&["API", "inquiryPayment", "S SUCCESS", "LISTEN-1"]);
    let printed = lines.1.join("\n");
    assert_eq!(
        printed.matches("createPaymentSession").count(),
        1,
        "each request once:\n{printed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_prints_activity_and_forwards_notifications_on_sqlite() {
    listen_prints_activity_and_forwards_notifications(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
)]
async fn listen_prints_activity_and_forwards_notifications_on_postgres() {
    let db = scratch_database().await;
    listen_prints_activity_and_forwards_notifications(Some(&db.url)).await;
}
