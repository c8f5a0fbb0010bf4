//! Crash tests of the real binary (issue #8): `cashier serve` is SIGKILLed
//! at random moments of five kinds of work, restarted on the same data dir
//! (or PostgreSQL database), and the merchant re-drives what it had not
//! seen finish, as docs/protocol.md tells it to (same request ids):
//!
//! 1. during createPaymentSession (a burst of concurrent creates);
//! 2. during payment (a burst of payments, half through
//!    `/sandbox/simulate/pay`, half with cards on the hosted page; approvals
//!    and declines);
//! 3. between a state change and its notification: the merchant's endpoint
//!    holds its response, and the kill lands while a delivery is in flight
//!    (the merchant has processed it, the gateway never heard the answer);
//! 4. during refund (bursts of partial refunds that together ask for more
//!    than was paid, some sharing a refundRequestId);
//! 5. during report generation (`cashier report`, killed and re-run).
//!
//! A second test kills `cashier serve --sandbox-clocks` during bursts of
//! `advanceClock` calls (issue #16): the offset is always a whole number of
//! advances, and what the moved clock made due is decided after restart.
//!
//! The kill moment is random (seeded; `CRASH_SEED` reproduces a run,
//! `CRASH_ITERATIONS` sets how many kills, default 15). After every restart
//! and at the end:
//!
//! - nothing is lost: every `S` the merchant received is still true;
//! - no double outcome: a payment is final once, with one notification
//!   whose every delivery carries the same result;
//! - Σ successful refunds ≤ paid, equal to the payment's refunded total;
//! - every final state and every refund is eventually notified and
//!   acknowledged once (receiver dedupe: deliveries ≥ 1, processed = 1;
//!   store: one row, one acknowledged attempt), every delivery signed;
//! - report files on disk are whole and equal to the stored copies.
//!
//! With `CASHIER_TEST_STORE=postgres` (and `CASHIER_TEST_POSTGRES_URL`) it
//! runs on a fresh PostgreSQL database.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{
    acknowledgements, check_deliveries, eventually, free_port, input_value, merchant_client,
    merchant_create, run_ok, simulate_pay, test_database, wait_readyz, Endpoint, Running,
};
use cashier_client::{AdvanceClock, Client, InquiryClock};
use cashier_gateway::store::{ClientId, PaymentId, RefundStatus, Store};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use tokio::task::JoinSet;

const AMOUNT: i64 = 6000;

// ------------------------------------------------------------ the gateway process

struct Gateway {
    dir: PathBuf,
    db_url: Option<String>,
    port: u16,
    child: Running,
    log: PathBuf,
    restarts: usize,
    /// Flags beyond the ones every run uses.
    extra: Vec<&'static str>,
}

impl Gateway {
    /// A gateway (not started) with its data dir and log under `dir`, on
    /// PostgreSQL at `db_url` when given.
    fn new(dir: &Path, db_url: Option<String>, extra: Vec<&'static str>) -> Gateway {
        Gateway {
            dir: dir.join("data"),
            db_url,
            port: free_port(),
            child: Running::default(),
            log: dir.join("serve.log"),
            restarts: 0,
            extra,
        }
    }

    fn command(&self) -> Command {
        crate::common::cashier(self.db_url.as_deref())
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn start(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let child = self
            .command()
            .args(["serve", "--listen", &format!("127.0.0.1:{}", self.port)])
            .args(["--allow-private-notify", "--sandbox-simulation"])
            .args(&self.extra)
            .args([
                "--notify-retry-schedule",
                "200ms,200ms,200ms,500ms,500ms,1s,1s,1s,1s,1s,1s,1s",
            ])
            // A delivery cut short by a kill is retried 3 s later.
            .args(["--notify-timeout", "1500ms", "--notify-lease", "3s"])
            .arg("--data-dir")
            .arg(&self.dir)
            .env("RUST_LOG", "info,sqlx=warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("cashier serve starts");
        self.child = Running::new(child);
        wait_readyz(&self.base(), 200, Duration::from_secs(30), Some(&self.log)).await;
    }

    /// SIGKILL (std's `Child::kill` on Unix).
    fn kill(&mut self) {
        self.child.kill();
    }

    async fn crash_and_restart(&mut self) {
        self.kill();
        self.restarts += 1;
        self.start().await;
    }

    async fn open_store(&self) -> Arc<dyn Store> {
        crate::common::open_store(&self.dir, self.db_url.clone()).await
    }
}

/// The kill moments' generator: seeded from `CRASH_SEED` (to reproduce a
/// run) or at random, the seed printed either way.
fn seeded_rng(test: &str) -> rand::rngs::StdRng {
    let seed: u64 = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen());
    eprintln!("{test}: CRASH_SEED={seed}");
    rand::rngs::StdRng::seed_from_u64(seed)
}

// ------------------------------------------------------------ what the merchant saw

#[derive(Debug, Default, Clone)]
struct Seen {
    /// paymentRequestId → paymentSessionId from an `S` create.
    sessions: BTreeMap<String, String>,
    /// paymentRequestId → final status the merchant was told.
    finals: BTreeMap<String, String>,
    /// refundRequestId → (paymentRequestId, amount, refundId) of an `S` refund.
    refunds: BTreeMap<String, (String, i64, String)>,
}

fn session_body(rid: &str, notify_url: &str) -> Value {
    let amount = json!({"currency": "USD", "value": AMOUNT.to_string()});
    json!({
        "productCode": "CASHIER_PAYMENT", "paymentRequestId": rid,
        "order": {"referenceOrderId": format!("O-{rid}"), "orderDescription": "Mouse", "orderAmount": amount,
                  "goods": [{"referenceGoodsId": "M", "goodsName": "Mouse", "goodsQuantity": 1, "goodsUnitAmount": amount}],
                  "buyer": {"referenceBuyerId": "B", "buyerName": {"fullName": "Jamie"}}},
        "paymentAmount": amount, "paymentRedirectUrl": "https://m.example.com/r",
        "paymentNotifyUrl": notify_url
    })
}

/// A signed call; `None` when the connection died (the kill), otherwise
/// the verified response body. An unsigned or badly signed answer fails.
async fn call(client: &Client, path: &str, body: &Value) -> Option<Value> {
    match client.send_raw(path, body.to_string().as_bytes()).await {
        Ok(r) => Some(serde_json::from_str(&r.body).unwrap()),
        Err(cashier_client::Error::Http(_)) => None,
        Err(e) => panic!("{path}: {e}"),
    }
}

fn code(v: &Value) -> &str {
    v["result"]["resultCode"].as_str().unwrap_or("?")
}

struct Merchant {
    client: Client,
    http: reqwest::Client,
    client_id: String,
    notify_url: String,
}

impl Merchant {
    async fn create(&self, rid: &str) -> Option<Value> {
        call(
            &self.client,
            cashier_client::CREATE_PAYMENT_SESSION,
            &session_body(rid, &self.notify_url),
        )
        .await
    }

    async fn simulate(&self, base: &str, rid: &str, ok: bool) -> Option<Value> {
        let outcome = if ok { "SUCCESS" } else { "FAIL" };
        let r = simulate_pay(&self.http, base, &self.client_id, rid, outcome)
            .send()
            .await
            .ok()?;
        r.json().await.ok()
    }

    /// Pays as a buyer on the hosted page (approved or risk-rejected card).
    /// The merchant learns nothing from it: `None`.
    async fn pay_card(&self, base: &str, rid: &str, ok: bool) -> Option<Value> {
        // The merchant re-sends its create to get the page (idempotent).
        let created = self.create(rid).await?;
        let url = created["normalUrl"].as_str()?;
        let path = reqwest::Url::parse(url).ok()?.path().to_string();
        let html = self
            .http
            .get(format!("{base}{path}"))
            .send()
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        let form = [
            ("csrf_token", input_value(&html, "csrf_token")?),
            ("attempt_nonce", input_value(&html, "attempt_nonce")?),
            ("method", "CARD".into()),
            (
                "card_number",
                if ok {
                    "4242424242424242"
                } else {
                    "4000000000000119"
                }
                .into(),
            ),
            ("card_expiry", "12/39".into()),
            ("card_cvc", "123".into()),
            ("card_name", "Jamie".into()),
        ];
        let r = self
            .http
            .post(format!("{base}{path}/pay"))
            .form(&form)
            .send()
            .await
            .ok()?;
        assert!(r.status().as_u16() < 500, "card form: {}", r.status());
        None
    }

    async fn inquiry(&self, rid: &str) -> Value {
        eventually(Duration::from_secs(5), || async {
            call(
                &self.client,
                cashier_client::INQUIRY_PAYMENT,
                &json!({"paymentRequestId": rid}),
            )
            .await
        })
        .await
        .unwrap_or_else(|| panic!("inquiry {rid}: no answer"))
    }

    async fn refund(&self, rrid: &str, payment_id: &str, amount: i64) -> Option<Value> {
        call(
            &self.client,
            cashier_client::REFUND,
            &json!({"refundRequestId": rrid, "paymentId": payment_id,
                    "refundAmount": {"currency": "USD", "value": amount.to_string()},
                    "refundNotifyUrl": self.notify_url}),
        )
        .await
    }
}

/// Every `S` the merchant saw is still true after a restart.
async fn check_nothing_lost(m: &Merchant, seen: &Seen) {
    for (rid, session) in &seen.sessions {
        let q = m.inquiry(rid).await;
        assert_eq!(code(&q), "SUCCESS", "payment {rid} lost: {q}");
        // Re-sending the create: the same session while open.
        if q["paymentStatus"] == "PROCESSING" {
            let again = m.create(rid).await.expect("gateway up");
            assert_eq!(
                again["paymentSessionId"].as_str(),
                Some(session.as_str()),
                "{again}"
            );
        }
        if let Some(status) = seen.finals.get(rid) {
            assert_eq!(
                q["paymentStatus"].as_str(),
                Some(status.as_str()),
                "{rid}: {q}"
            );
        }
    }
    for (rrid, (rid, amount, refund_id)) in &seen.refunds {
        let r = call(
            &m.client,
            cashier_client::INQUIRY_REFUND,
            &json!({"refundRequestId": rrid}),
        )
        .await
        .expect("gateway up");
        assert_eq!(
            r["refundStatus"], "SUCCESS",
            "refund {rrid} of {rid} lost: {r}"
        );
        assert_eq!(r["refundId"].as_str(), Some(refund_id.as_str()));
        assert_eq!(r["refundAmount"]["value"], amount.to_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_moments_loses_nothing_and_notifies_once() {
    let iterations: usize = std::env::var("CRASH_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    eprintln!("crash test: CRASH_ITERATIONS={iterations}");
    let mut rng = seeded_rng("crash test");

    let dir = tempfile::tempdir().unwrap();
    let db = test_database().await;
    let mut gw = Gateway::new(dir.path(), db.as_ref().map(|d| d.url.clone()), Vec::new());
    let created = merchant_create(gw.command(), "Crash Shop", Some(&gw.dir), &[]);
    let client_id = created["clientId"].as_str().unwrap().to_string();
    let gateway_key = created["gatewayPublicKey"].as_str().unwrap().to_string();

    let (endpoint, notify_url) = Endpoint::start(&gateway_key).await;

    gw.start().await;
    let m = Arc::new(Merchant {
        client: merchant_client(&gw.base(), &created),
        http: reqwest::Client::new(),
        client_id: client_id.clone(),
        notify_url,
    });

    let mut seen = Seen::default();
    let mut next_id = 0usize;
    let mut crash_points: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut report_files_checked = 0;

    for it in 0..iterations {
        let phase = it % 5;
        let delay = Duration::from_millis(rng.gen_range(0..60));
        match phase {
            // 1. during create
            0 => {
                let rids: Vec<String> = (0..12)
                    .map(|_| {
                        next_id += 1;
                        format!("PR-{next_id}")
                    })
                    .collect();
                let mut tasks = JoinSet::new();
                for rid in rids.clone() {
                    let m = m.clone();
                    tasks.spawn(async move { (rid.clone(), m.create(&rid).await) });
                }
                tokio::time::sleep(delay).await;
                gw.crash_and_restart().await;
                *crash_points.entry("create").or_default() += 1;
                while let Some(r) = tasks.join_next().await {
                    let (rid, r) = r.unwrap();
                    if let Some(v) = r {
                        assert_eq!(code(&v), "SUCCESS", "{v}");
                        seen.sessions
                            .insert(rid, v["paymentSessionId"].as_str().unwrap().into());
                    }
                }
                check_nothing_lost(&m, &seen).await;
                // The merchant retries what it never heard back about.
                for rid in rids {
                    if let std::collections::btree_map::Entry::Vacant(e) = seen.sessions.entry(rid)
                    {
                        let v = m.create(e.key()).await.expect("gateway up");
                        assert_eq!(code(&v), "SUCCESS", "{v}");
                        e.insert(v["paymentSessionId"].as_str().unwrap().into());
                    }
                }
            }
            // 2. during payment; 3. while a notification is in flight
            1 | 2 => {
                let open: Vec<String> = seen
                    .sessions
                    .keys()
                    .filter(|rid| !seen.finals.contains_key(*rid))
                    .cloned()
                    .collect();
                let base = gw.base();
                let mut tasks = JoinSet::new();
                let in_flight = phase == 2;
                if in_flight {
                    endpoint
                        .hold_ms
                        .store(rng.gen_range(300..1000), Ordering::SeqCst);
                }
                // Half through the simulation endpoint, half as a buyer
                // with a card on the hosted page.
                let batch: Vec<String> = open.iter().take(8).cloned().collect();
                for (k, rid) in open.into_iter().take(8).enumerate() {
                    let ok = rng.gen_bool(0.8);
                    let (m, base) = (m.clone(), base.clone());
                    tasks.spawn(async move {
                        let told = if k % 2 == 0 {
                            m.simulate(&base, &rid, ok).await
                        } else {
                            m.pay_card(&base, &rid, ok).await
                        };
                        (rid, told)
                    });
                }
                if in_flight {
                    let deadline = Instant::now() + Duration::from_secs(20);
                    while endpoint.in_flight.load(Ordering::SeqCst) == 0 {
                        assert!(Instant::now() < deadline, "no delivery started");
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                    tokio::time::sleep(delay).await;
                    assert!(endpoint.in_flight.load(Ordering::SeqCst) > 0);
                    *crash_points.entry("notification in flight").or_default() += 1;
                } else {
                    tokio::time::sleep(delay).await;
                    *crash_points.entry("payment").or_default() += 1;
                }
                gw.crash_and_restart().await;
                endpoint.hold_ms.store(0, Ordering::SeqCst);
                while let Some(r) = tasks.join_next().await {
                    let (rid, r) = r.unwrap();
                    if let Some(v) = r {
                        if code(&v) == "SUCCESS" {
                            seen.finals
                                .insert(rid, v["paymentStatus"].as_str().unwrap().into());
                        }
                    }
                }
                check_nothing_lost(&m, &seen).await;
                // What the merchant was not told (card payments, answers
                // lost in the kill) it learns by inquiry: from now on it holds.
                for rid in batch {
                    if let std::collections::btree_map::Entry::Vacant(e) = seen.finals.entry(rid) {
                        let q = m.inquiry(e.key()).await;
                        let status = q["paymentStatus"].as_str().unwrap_or("?");
                        if status == "SUCCESS" || status == "FAIL" {
                            e.insert(status.into());
                        }
                    }
                }
            }
            // 4. during refund
            3 => {
                // Paid payments not refunded yet.
                let refunded: std::collections::BTreeSet<&String> =
                    seen.refunds.values().map(|(rid, _, _)| rid).collect();
                let paid: Vec<String> = seen
                    .finals
                    .iter()
                    .filter(|(rid, s)| *s == "SUCCESS" && !refunded.contains(rid))
                    .map(|(rid, _)| rid.clone())
                    .collect();
                let mut tasks = JoinSet::new();
                let mut asked = std::collections::BTreeSet::new();
                for rid in paid.iter().take(4) {
                    let q = m.inquiry(rid).await;
                    let pid = q["paymentId"].as_str().unwrap().to_string();
                    // 4 × 2000 asked of 6000; R-…-a is sent twice at once.
                    for rrid in ["a", "a", "b", "c", "d"] {
                        let rrid = format!("R-{rid}-{it}-{rrid}");
                        asked.insert((rrid.clone(), rid.clone(), pid.clone()));
                        let (m, pid, rid) = (m.clone(), pid.clone(), rid.clone());
                        tasks.spawn(async move {
                            (rrid.clone(), rid, m.refund(&rrid, &pid, 2000).await)
                        });
                    }
                }
                tokio::time::sleep(delay).await;
                gw.crash_and_restart().await;
                *crash_points.entry("refund").or_default() += 1;
                while let Some(r) = tasks.join_next().await {
                    let (rrid, rid, r) = r.unwrap();
                    if let Some(v) = r {
                        if code(&v) == "SUCCESS" {
                            let id = v["refundId"].as_str().unwrap().to_string();
                            if let Some(prev) = seen.refunds.get(&rrid) {
                                assert_eq!(prev.2, id, "one refund per refundRequestId");
                            }
                            seen.refunds.insert(rrid, (rid, 2000, id));
                        } else {
                            assert_eq!(code(&v), "REFUND_AMOUNT_EXCEED", "{v}");
                        }
                    }
                }
                check_nothing_lost(&m, &seen).await;
                // Re-drive every refund with its id: the answers stand.
                for (rrid, rid, pid) in asked {
                    let v = m.refund(&rrid, &pid, 2000).await.expect("gateway up");
                    match code(&v) {
                        "SUCCESS" => {
                            let id = v["refundId"].as_str().unwrap().to_string();
                            if let Some(prev) = seen.refunds.get(&rrid) {
                                assert_eq!(prev.2, id, "one refund per refundRequestId");
                            }
                            seen.refunds.insert(rrid, (rid, 2000, id));
                        }
                        "REFUND_AMOUNT_EXCEED" => {
                            assert!(!seen.refunds.contains_key(&rrid), "{rrid} was S, now {v}")
                        }
                        other => panic!("refund {rrid}: {other}: {v}"),
                    }
                }
            }
            // 5. during report generation
            _ => {
                let date = chrono::Utc::now()
                    .with_timezone(&cashier_protocol::time::antom_offset())
                    .date_naive()
                    .to_string();
                let mut report = gw
                    .command()
                    .args(["report", "--client-id", &client_id, "--date", &date])
                    .arg("--data-dir")
                    .arg(&gw.dir)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                tokio::time::sleep(Duration::from_millis(rng.gen_range(0..400))).await;
                report.kill().unwrap();
                report.wait().unwrap();
                *crash_points.entry("report generation").or_default() += 1;
                run_ok(
                    gw.command()
                        .args(["report", "--client-id", &client_id, "--date", &date])
                        .arg("--data-dir")
                        .arg(&gw.dir),
                );
                report_files_checked += check_reports(&gw, &client_id, &date, &seen).await;
            }
        }
    }

    // ---------------------------------------------------------------- the end state
    // Every open payment is paid; then everything is notified.
    let base = gw.base();
    for rid in seen.sessions.keys() {
        if !seen.finals.contains_key(rid) {
            let q = m.inquiry(rid).await;
            if q["paymentStatus"] == "PROCESSING" {
                let v = m.simulate(&base, rid, true).await.expect("gateway up");
                assert_eq!(code(&v), "SUCCESS", "{v}");
            }
        }
    }
    let store = gw.open_store().await;
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    let mut payments = Vec::new();
    for rid in seen.sessions.keys() {
        let q = m.inquiry(rid).await;
        let status = q["paymentStatus"].as_str().unwrap().to_string();
        assert!(status == "SUCCESS" || status == "FAIL", "{rid}: {q}");
        if let Some(told) = seen.finals.get(rid) {
            assert_eq!(&status, told, "{rid}: the merchant was told {told}");
        }
        let pid = q["paymentId"].as_str().unwrap().to_string();
        expected.insert(
            format!("PAYMENT_RESULT:{pid}"),
            q["paymentResultCode"].as_str().unwrap().to_string(),
        );
        payments.push(pid);
    }
    let mut refunds_checked = 0;
    for pid in &payments {
        let p = store.payment(&PaymentId::from(pid)).await.unwrap().unwrap();
        let refunds = store
            .refunds_for_payment(&PaymentId::from(pid))
            .await
            .unwrap();
        let ok: i64 = refunds
            .iter()
            .filter(|r| r.status == RefundStatus::Success)
            .map(|r| r.amount.minor() as i64)
            .sum();
        assert!(
            ok <= p.amount.minor() as i64,
            "{pid}: refunds {ok} exceed {}",
            p.amount.minor() as i64
        );
        assert_eq!(p.refunded_minor, ok, "{pid}: refunded total");
        for r in refunds {
            expected.insert(format!("REFUND_RESULT:{}", r.refund_id), r.result_code);
            refunds_checked += 1;
        }
    }
    for (rrid, (_, _, refund_id)) in &seen.refunds {
        assert!(
            expected.contains_key(&format!("REFUND_RESULT:{refund_id}")),
            "refund {rrid} is not in the store"
        );
    }
    wait_until_acknowledged_once(&endpoint, store.as_ref(), &expected, &gw.log).await;
    let redelivered = check_deliveries(&endpoint.ledger.lock().unwrap(), &expected);
    let points: usize = crash_points.values().sum();
    eprintln!(
        "crash test: {points} crash points {crash_points:?}, {} gateway restarts; {} payments, \
         {refunds_checked} refunds, {} notifications each acknowledged once ({redelivered} \
         re-deliveries deduplicated by the merchant), {report_files_checked} report files checked",
        gw.restarts,
        payments.len(),
        expected.len()
    );
    assert!(gw.restarts >= iterations * 4 / 5);
    // Each kill during a held delivery left one acknowledged-but-unrecorded
    // delivery behind, which the restarted gateway sent again.
    assert!(
        redelivered
            >= crash_points
                .get("notification in flight")
                .copied()
                .unwrap_or(0),
        "a delivery cut short by a kill is sent again"
    );
}

/// Issue #16: an advance is one statement, so a kill at any moment of a
/// burst of `advanceClock` calls leaves the merchant's offset at a whole
/// number of advances — at least the ones the merchant heard succeed, at
/// most all it sent — never part of one. What the moved clock made due
/// (sessions past their expiry) is decided after the restart: each session
/// closes with `ORDER_IS_CLOSED` and is notified and acknowledged once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_clock_advances_leaves_the_old_or_the_new_time() {
    const STEP_S: u64 = 300;
    const STEP_MS: i64 = STEP_S as i64 * 1000;
    const BURST: i64 = 4;
    let mut rng = seeded_rng("clock crash test");

    let dir = tempfile::tempdir().unwrap();
    let db = test_database().await;
    let mut gw = Gateway::new(
        dir.path(),
        db.as_ref().map(|d| d.url.clone()),
        vec!["--sandbox-clocks"],
    );
    let created = merchant_create(gw.command(), "Clock Shop", Some(&gw.dir), &[]);
    let client_id = created["clientId"].as_str().unwrap().to_string();
    let gateway_key = created["gatewayPublicKey"].as_str().unwrap().to_string();
    let (endpoint, notify_url) = Endpoint::start(&gateway_key).await;
    gw.start().await;
    let m = Arc::new(Merchant {
        client: merchant_client(&gw.base(), &created),
        http: reqwest::Client::new(),
        client_id: client_id.clone(),
        notify_url,
    });
    // Open sessions that the advances below carry past their expiry.
    let rids: Vec<String> = (1..=4).map(|i| format!("CLK-{i}")).collect();
    for rid in &rids {
        let v = m.create(rid).await.expect("gateway up");
        assert_eq!(code(&v), "SUCCESS", "{v}");
    }
    let store = gw.open_store().await;
    let offset = |store: Arc<dyn Store>| {
        let client_id = client_id.clone();
        async move {
            store
                .merchant(&ClientId::from(&client_id))
                .await
                .unwrap()
                .unwrap()
                .clock_offset_ms
        }
    };

    let mut kills = 0;
    let mut cut_short = 0;
    for _ in 0..6 {
        let before = offset(store.clone()).await;
        let mut tasks = JoinSet::new();
        for _ in 0..BURST {
            let m = m.clone();
            tasks.spawn(async move { m.client.send(&AdvanceClock::by_seconds(STEP_S)).await });
        }
        tokio::time::sleep(Duration::from_millis(rng.gen_range(0..40))).await;
        gw.crash_and_restart().await;
        kills += 1;
        let mut heard = 0;
        while let Some(r) = tasks.join_next().await {
            match r.unwrap() {
                Ok(_) => heard += 1,
                // The kill cut the call short: the merchant does not know.
                Err(cashier_client::Error::Http(_)) => cut_short += 1,
                Err(e) => panic!("advanceClock: {e}"),
            }
        }
        let after = offset(store.clone()).await;
        let moved = after - before;
        assert_eq!(
            moved % STEP_MS,
            0,
            "the offset moved by {moved} ms: part of an advance was applied"
        );
        let applied = moved / STEP_MS;
        assert!(
            (heard..=BURST).contains(&applied),
            "{applied} advances applied; the merchant heard {heard} succeed of {BURST} sent"
        );
        // The restarted gateway tells the stored time.
        let told = m.client.send(&InquiryClock).await.expect("inquiryClock");
        let expected = chrono::Utc::now() + chrono::Duration::milliseconds(after);
        let drift = (told.time.with_timezone(&chrono::Utc) - expected).num_seconds();
        assert!(
            drift.abs() <= 5,
            "inquiryClock is {drift} s off the stored offset"
        );
    }
    // However many landed, one more hour puts every session past its expiry.
    m.client
        .send(&AdvanceClock::by_seconds(3600))
        .await
        .expect("advanceClock");

    let mut expected = BTreeMap::new();
    for rid in &rids {
        let q = m.inquiry(rid).await;
        assert_eq!(q["paymentStatus"], "FAIL", "{rid}: {q}");
        assert_eq!(q["paymentResultCode"], "ORDER_IS_CLOSED", "{rid}: {q}");
        expected.insert(
            format!("PAYMENT_RESULT:{}", q["paymentId"].as_str().unwrap()),
            "ORDER_IS_CLOSED".to_string(),
        );
    }
    wait_until_acknowledged_once(&endpoint, store.as_ref(), &expected, &gw.log).await;
    check_deliveries(&endpoint.ledger.lock().unwrap(), &expected);
    eprintln!(
        "clock crash test: {kills} kills during bursts of {BURST} advances, \
         {cut_short} calls cut short, offset {} ms",
        offset(store.clone()).await
    );
}

/// Waits (up to 60 s) until the merchant has processed every `expected`
/// notification and the store holds each as one row with one acknowledged
/// delivery; fails with what is missing and the gateway's log.
async fn wait_until_acknowledged_once(
    endpoint: &Endpoint,
    store: &dyn Store,
    expected: &BTreeMap<String, String>,
    log: &Path,
) {
    let waited = eventually(Duration::from_secs(60), || async {
        let pending: Vec<String> = {
            let l = endpoint.ledger.lock().unwrap();
            expected
                .keys()
                .filter(|k| !l.processed.contains_key(*k))
                .cloned()
                .collect()
        };
        let unacked = unacknowledged(store, expected).await;
        if pending.is_empty() && unacked.is_empty() {
            Ok(())
        } else {
            Err((pending, unacked))
        }
    })
    .await;
    if let Err((pending, unacked)) = waited {
        panic!(
            "not delivered: {pending:?}; not recorded as acknowledged once: {unacked:?}\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }
}

/// Notifications (by `expected` key) that are not exactly one row with
/// exactly one acknowledged delivery attempt.
async fn unacknowledged(store: &dyn Store, expected: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for key in expected.keys() {
        let (kind, id) = key.split_once(':').unwrap();
        let rows: Vec<_> = store
            .notifications_for(id)
            .await
            .unwrap()
            .into_iter()
            .filter(|n| n.kind == kind)
            .collect();
        if rows.len() != 1 {
            out.push(format!("{key}: {} rows", rows.len()));
            continue;
        }
        let acks = acknowledgements(store, &rows[0].notification_id, key).await;
        if acks != 1 {
            out.push(format!(
                "{key}: {acks} acknowledgements, {}",
                rows[0].status
            ));
        }
    }
    out
}

/// The report files on disk are whole and the same as the stored copies,
/// and the transaction details list every payment the merchant saw paid.
async fn check_reports(gw: &Gateway, client_id: &str, date: &str, seen: &Seen) -> usize {
    let store = gw.open_store().await;
    let stored = store
        .reports(&ClientId::from(client_id), date)
        .await
        .unwrap();
    assert!(!stored.is_empty(), "no reports stored for {date}");
    let dir: &Path = &gw
        .dir
        .join("reports")
        .join(client_id)
        .join(date.replace('-', ""));
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut names: Vec<String> = stored.iter().map(|(_, n, _)| n.clone()).collect();
    names.sort();
    assert_eq!(
        on_disk, names,
        "files on disk are the stored reports, no leftovers"
    );
    for (_, name, content) in &stored {
        let disk = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(&disk, content, "{name} is whole");
    }
    let txn = stored
        .iter()
        .find(|(_, n, _)| n.starts_with("transactionItems_"))
        .expect("transaction details");
    // Every payment the merchant saw paid on this UTC+8 day is listed.
    let offset = cashier_protocol::time::antom_offset();
    for (rid, status) in &seen.finals {
        if status != "SUCCESS" {
            continue;
        }
        let p = store
            .payment_by_request_id(&ClientId::from(client_id), &rid.into())
            .await
            .unwrap()
            .unwrap();
        let paid = p
            .paid_at
            .unwrap()
            .to_datetime()
            .with_timezone(&offset)
            .date_naive()
            .to_string();
        if paid == date {
            assert!(
                txn.2.contains(p.payment_id.as_str()),
                "{rid} ({}) missing from {}:\n{}",
                p.payment_id,
                txn.1,
                txn.2
            );
        }
    }
    stored.len()
}
