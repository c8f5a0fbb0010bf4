//! Several `cashier serve` nodes on one PostgreSQL (README
//! "Scaling out"). Three real processes start at once on a fresh database
//! (racing to migrate it) and share one gateway key, copied into each
//! node's data dir. A buyer loads a checkout page from one node and pays on
//! another; one paymentRequestId sent 20 times at once to the three nodes
//! makes one session. Then a merchant client spreads 60 payments over the
//! nodes — create on one, pay (`/sandbox/simulate/pay`) on the next, refund
//! on the third, with racing outcomes and racing refunds — and node 2 is
//! SIGKILLed midway. At the end:
//!
//! - every payment has exactly one final state and one payment notification;
//! - every notification was delivered and acknowledged (the receiver counts
//!   deliveries ≥ 1 and, deduplicating as a merchant does, processes each
//!   once; the store holds exactly one acknowledged attempt per row);
//! - no payment's refunds exceed it, and the reserved total matches them;
//! - nothing is lost: every accepted request is in the store.
//!
//! Time: a few seconds, unless the SIGKILL catches the node holding
//! notification leases (it often does: the node is busy); those rows wait
//! for the dispatcher's lease (5 s here, `--notify-lease`) to run out and are then delivered by
//! another node, so such a run takes about 65 s.
//!
//! Runs when `CASHIER_TEST_POSTGRES_URL` is set (CI sets it, e.g.
//! postgres://postgres@127.0.0.1:5432/test); without it the test is
//! reported as ignored, with the reason (see `build.rs`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{
    ack, dedupe_key, eventually, free_port, merchant_client, merchant_create, run_ok,
    scratch_database, simulate_pay, spawn_endpoint, wait_readyz, Running,
};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use cashier_client::Client;
use cashier_gateway::payments::state::PaymentStatus;
use cashier_gateway::store::{
    ClientId, OutboxStore, PaymentStore, PostgresStore, RefundStatus, RefundStore, StoreHealth,
};
use cashier_test_support::gateway::body_text;
use serde_json::{json, Value};
use tokio::task::JoinSet;

const NODES: usize = 3;
const PAYMENTS: usize = 60;
/// Payments started before the SIGKILL.
const KILL_AFTER: usize = 30;
const VICTIM: usize = 2;
const AMOUNT: i64 = 6000;
/// Everything after start-up must finish within this (the dispatcher's
/// notification lease of 5 s is the longest wait a crash can cause).
const DRAIN_DEADLINE: Duration = Duration::from_secs(45);
/// How long a call keeps failing over between the live nodes before the
/// test gives up.
const FAILOVER_WITHIN: Duration = Duration::from_secs(5);

// ------------------------------------------------------------ the receiver

#[derive(Default)]
struct Ledger {
    /// Dedupe key (notifyType + paymentId/refundId) → deliveries received.
    deliveries: HashMap<String, usize>,
    /// Keys processed once, as a deduplicating merchant would.
    processed: HashSet<String>,
    /// Keys whose first delivery was refused (to force retries).
    refused: HashSet<String>,
}

async fn receive(State(ledger): State<Arc<Mutex<Ledger>>>, body: Bytes) -> (StatusCode, String) {
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "bad JSON".into());
    };
    let key = dedupe_key(&v);
    let mut l = ledger.lock().unwrap();
    *l.deliveries.entry(key.clone()).or_default() += 1;
    // Every fifth payment's notifications are refused once: retries happen,
    // on whichever node claims them next.
    let last_digit = key.bytes().last().unwrap_or(b'1').wrapping_sub(b'0');
    if last_digit.is_multiple_of(5) && l.refused.insert(key.clone()) {
        return (StatusCode::SERVICE_UNAVAILABLE, "try again".into());
    }
    l.processed.insert(key);
    ack()
}

// ------------------------------------------------------------ the nodes

struct Node {
    base: String,
    child: Running,
    log: PathBuf,
}

fn cashier(db_url: &str) -> std::process::Command {
    crate::common::cashier(Some(db_url))
}

fn start_node(db_url: &str, data_dir: &Path, port: u16, public_url: &str, log: PathBuf) -> Node {
    let out = std::fs::File::create(&log).unwrap();
    let child = cashier(db_url)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--public-url", public_url])
        .args(["--allow-private-notify", "--sandbox-simulation"])
        .args([
            "--notify-retry-schedule",
            "200ms,200ms,200ms,200ms,200ms,1s,1s,1s,1s,1s",
        ])
        // A killed node's claimed notifications go to another node after 5 s.
        .args(["--notify-timeout", "2s", "--notify-lease", "5s"])
        .arg("--data-dir")
        .arg(data_dir)
        .env("RUST_LOG", "info,sqlx=warn")
        .stdout(std::process::Stdio::null())
        .stderr(out)
        .spawn()
        .expect("cashier serve starts");
    Node {
        base: format!("http://127.0.0.1:{port}"),
        child: Running::new(child),
        log,
    }
}

async fn wait_ready(node: &Node) {
    wait_readyz(&node.base, 200, Duration::from_secs(30), Some(&node.log)).await;
}

// ------------------------------------------------------------ the merchant

/// One SDK client per node (same merchant, same keys) and which are alive.
struct Fleet {
    clients: Vec<Client>,
    bases: Vec<String>,
    alive: Mutex<Vec<bool>>,
    http: reqwest::Client,
    client_id: String,
    notify_url: String,
}

impl Fleet {
    fn live_from(&self, start: usize) -> Vec<usize> {
        let alive = self.alive.lock().unwrap().clone();
        (0..NODES)
            .map(|k| (start + k) % NODES)
            .filter(|i| alive[*i])
            .collect()
    }

    /// Sends a signed API call to node `start`, failing over to the next
    /// node on a transport error (the request is idempotent, so a replay of
    /// one that did land is harmless). Returns (node, response body).
    async fn call(&self, start: usize, path: &str, body: &Value) -> (usize, Value) {
        let raw = body.to_string();
        eventually(FAILOVER_WITHIN, || async {
            for i in self.live_from(start) {
                match self.clients[i].send_raw(path, raw.as_bytes()).await {
                    Ok(r) => return Some((i, serde_json::from_str(&r.body).expect("JSON"))),
                    Err(cashier_client::Error::Http(_)) => continue,
                    Err(e) => panic!("{path} on node {i}: {e}"),
                }
            }
            None
        })
        .await
        .unwrap_or_else(|| panic!("{path}: no node answered"))
    }

    async fn simulate(&self, start: usize, request_id: &str, outcome: &str) -> Value {
        eventually(FAILOVER_WITHIN, || async {
            for i in self.live_from(start) {
                let sent = simulate_pay(
                    &self.http,
                    &self.bases[i],
                    &self.client_id,
                    request_id,
                    outcome,
                )
                .send()
                .await;
                match sent {
                    Ok(r) => return Some(r.json().await.expect("simulate JSON")),
                    Err(_) => continue,
                }
            }
            None
        })
        .await
        .expect("simulate/pay: no node answered")
    }

    fn session(&self, request_id: &str) -> Value {
        let amount = json!({"currency": "SGD", "value": AMOUNT.to_string()});
        json!({
            "productCode": "CASHIER_PAYMENT",
            "paymentRequestId": request_id,
            "order": {
                "referenceOrderId": format!("O-{request_id}"),
                "orderDescription": "Kaya toast set",
                "orderAmount": amount,
                "goods": [{"referenceGoodsId": "K", "goodsName": "Kaya toast set",
                           "goodsQuantity": 1, "goodsUnitAmount": amount}],
                "buyer": {"referenceBuyerId": "B-1", "buyerName": {"fullName": "Tan Ah Kow"}}
            },
            "paymentAmount": amount,
            "paymentRedirectUrl": "https://m.example.com/return",
            "paymentNotifyUrl": self.notify_url,
        })
    }
}

fn refund_body(payment_id: &str, request_id: &str, value: i64) -> Value {
    json!({
        "refundRequestId": request_id,
        "paymentId": payment_id,
        "refundAmount": {"currency": "SGD", "value": value.to_string()},
    })
}

fn status_of(r: &Value) -> &str {
    r["result"]["resultStatus"].as_str().unwrap_or("?")
}

/// One payment's life, spread over three nodes: create on `i`, pay on
/// `i+1` (for every tenth, SUCCESS and FAIL race on two nodes), then refund
/// on `i+2`: 1000, repeated on another node (same request id), then two
/// refunds of 3000 at once on two nodes (only one fits).
async fn flow(fleet: Arc<Fleet>, i: usize) {
    let rid = format!("PR-MN-{i:03}");
    let (_, created) = fleet
        .call(
            i,
            cashier_client::CREATE_PAYMENT_SESSION,
            &fleet.session(&rid),
        )
        .await;
    assert_eq!(status_of(&created), "S", "create {rid}: {created}");
    let fail = i % 6 == 5;
    let paid = if i % 10 == 3 {
        let (a, b) = tokio::join!(
            fleet.simulate(i + 1, &rid, "SUCCESS"),
            fleet.simulate(i + 2, &rid, "FAIL")
        );
        let wins = [&a, &b]
            .iter()
            .filter(|r| r["result"]["resultStatus"] == "S")
            .count();
        assert!(wins <= 1, "two outcomes applied to {rid}: {a} {b}");
        a["result"]["resultStatus"] == "S"
    } else {
        let r = fleet
            .simulate(i + 1, &rid, if fail { "FAIL" } else { "SUCCESS" })
            .await;
        if r["result"]["resultStatus"] != "S" {
            // A replay after a failover finds the payment already final.
            assert_eq!(r["result"]["resultCode"], "ORDER_STATUS_INVALID", "{r}");
        }
        !fail
    };
    let inquiry = json!({"paymentRequestId": rid});
    let (_, state) = fleet
        .call(i + 2, cashier_client::INQUIRY_PAYMENT, &inquiry)
        .await;
    let payment_id = state["paymentId"].as_str().expect("paymentId").to_string();
    let succeeded = state["paymentStatus"] == "SUCCESS";
    if i % 10 != 3 {
        assert_eq!(succeeded, paid, "{rid}: {state}");
    }
    if !succeeded {
        return;
    }
    let r1 = refund_body(&payment_id, &format!("RR-{i:03}-a"), 1000);
    let (a, b) = tokio::join!(
        fleet.call(i + 2, cashier_client::REFUND, &r1),
        fleet.call(i, cashier_client::REFUND, &r1)
    );
    assert_eq!(
        (status_of(&a.1), status_of(&b.1)),
        ("S", "S"),
        "{} {}",
        a.1,
        b.1
    );
    assert_eq!(
        a.1["refundId"], b.1["refundId"],
        "one refund per request id"
    );
    let rb = refund_body(&payment_id, &format!("RR-{i:03}-b"), 3000);
    let rc = refund_body(&payment_id, &format!("RR-{i:03}-c"), 3000);
    let (b1, b2) = tokio::join!(
        fleet.call(i + 1, cashier_client::REFUND, &rb),
        fleet.call(i + 2, cashier_client::REFUND, &rc)
    );
    let ok = [&b1.1, &b2.1]
        .iter()
        .filter(|r| status_of(r) == "S")
        .count();
    assert_eq!(
        ok, 1,
        "only one 3000 fits after 1000 of 6000: {} {}",
        b1.1, b2.1
    );
}

/// The `value` of `<input ... name="NAME" value="...">`.
fn input_value(html: &str, name: &str) -> String {
    crate::common::input_value(html, name).unwrap_or_else(|| panic!("no {name} in page"))
}

async fn pay_across_nodes(fleet: &Fleet, public_url: &str) {
    let (_, created) = fleet
        .call(
            0,
            cashier_client::CREATE_PAYMENT_SESSION,
            &fleet.session("PR-MN-PAGE"),
        )
        .await;
    let normal_url = created["normalUrl"].as_str().expect("normalUrl");
    let path = normal_url
        .strip_prefix(public_url)
        .expect("under the public URL");
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let html = body_text(browser.get(format!("{}{path}", fleet.bases[0]))).await;
    let form = [
        ("csrf_token", input_value(&html, "csrf_token")),
        ("attempt_nonce", input_value(&html, "attempt_nonce")),
        ("method", "CARD".into()),
        ("card_number", "4242424242424242".into()),
        ("card_expiry", "12/39".into()),
        ("card_cvc", "123".into()),
        ("card_name", "Tan Ah Kow".into()),
    ];
    let paid = browser
        .post(format!("{}{path}/pay", fleet.bases[1]))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        paid.status(),
        303,
        "the form posted to another node is accepted"
    );
    let location = paid.headers()["location"].to_str().unwrap().to_string();
    let location = location.strip_prefix(public_url).unwrap_or(&location);
    let result = body_text(browser.get(format!("{}{location}", fleet.bases[2]))).await;
    assert!(result.contains("Payment successful"), "{result}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
)]
async fn three_nodes_on_one_postgres_survive_a_sigkill() {
    let started = Instant::now();
    let db = scratch_database().await;
    let tmp = tempfile::tempdir().unwrap();

    // The receiver.
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let router = Router::new()
        .route("/notify", post(receive))
        .with_state(ledger.clone());
    let notify_url = spawn_endpoint(router, "/notify").await;

    // One gateway key, made in node 0's data dir and copied to the others.
    let dirs: Vec<PathBuf> = (0..NODES)
        .map(|i| tmp.path().join(format!("node{i}")))
        .collect();
    for d in &dirs {
        std::fs::create_dir_all(d).unwrap();
    }
    cashier_gateway::keys::GatewayKey::load_or_create(&dirs[0]).expect("gateway key");
    for d in &dirs[1..] {
        std::fs::copy(
            dirs[0].join(cashier_gateway::keys::GATEWAY_KEY_FILE),
            d.join(cashier_gateway::keys::GATEWAY_KEY_FILE),
        )
        .unwrap();
    }

    // Three nodes behind one public URL (the load balancer's), started at
    // once on the empty database: they race to migrate it.
    let public_url = "https://pay.multinode.example";
    let mut nodes: Vec<Node> = dirs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            start_node(
                &db.url,
                d,
                free_port(),
                public_url,
                tmp.path().join(format!("node{i}.log")),
            )
        })
        .collect();
    for n in &nodes {
        wait_ready(n).await;
    }
    // `cashier migrate` finds the schema up to date.
    run_ok(cashier(&db.url).args(["migrate"]));
    // Each migration was applied once, successfully (a second run of one
    // would have failed its node's start).
    {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        let (applied, ok): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE success) FROM _sqlx_migrations",
        )
        .fetch_one(&mut c)
        .await
        .unwrap();
        let files = std::fs::read_dir(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations/postgres"),
        )
        .unwrap()
        .count() as i64;
        assert_eq!((applied, ok), (files, files), "every migration once");
    }

    // The merchant, registered while the nodes run (on node 0's data dir,
    // whose key it prints).
    let m = merchant_create(
        cashier(&db.url),
        "Multi Node Mart",
        Some(&dirs[0]),
        &["--notify-url", &notify_url],
    );
    let bases: Vec<String> = nodes.iter().map(|n| n.base.clone()).collect();
    let clients = bases.iter().map(|b| merchant_client(b, &m)).collect();
    let fleet = Arc::new(Fleet {
        clients,
        bases,
        alive: Mutex::new(vec![true; NODES]),
        http: reqwest::Client::new(),
        client_id: m["clientId"].as_str().unwrap().to_string(),
        notify_url: notify_url.clone(),
    });
    let ready = started.elapsed();

    // The same paymentRequestId 20 times at once over the three nodes.
    let mut dup = JoinSet::new();
    for k in 0..20 {
        let fleet = fleet.clone();
        dup.spawn(async move {
            let (_, r) = fleet
                .call(
                    k,
                    cashier_client::CREATE_PAYMENT_SESSION,
                    &fleet.session("PR-MN-DUP"),
                )
                .await;
            assert_eq!(status_of(&r), "S", "{r}");
            (
                r["paymentSessionId"].as_str().unwrap().to_string(),
                r["normalUrl"].as_str().unwrap().to_string(),
            )
        });
    }
    let mut sessions = HashSet::new();
    while let Some(r) = dup.join_next().await {
        sessions.insert(r.unwrap());
    }
    assert_eq!(sessions.len(), 1, "one session: {sessions:?}");

    // No sticky sessions: a buyer loads the checkout page from one node,
    // pays on another, and sees the result on the third.
    pay_across_nodes(&fleet, public_url).await;

    // The payments, eight at a time; one node dies midway.
    let run_started = Instant::now();
    let mut flows = JoinSet::new();
    let mut next = 0;
    let mut done = 0;
    let mut killed_at = None;
    while done < PAYMENTS {
        while next < PAYMENTS && flows.len() < 8 {
            flows.spawn(flow(fleet.clone(), next));
            next += 1;
        }
        if let Some(r) = flows.join_next().await {
            if let Err(e) = r {
                panic!("flow failed: {e}");
            }
            done += 1;
        }
        if done == KILL_AFTER && killed_at.is_none() {
            // SIGKILL, with requests of other flows in flight to it.
            nodes[VICTIM].child.kill();
            fleet.alive.lock().unwrap()[VICTIM] = false;
            killed_at = Some(run_started.elapsed());
        }
    }
    let driven = run_started.elapsed();

    // Drain: every notification delivered.
    let store = PostgresStore::open(&db.url).await.expect("store");
    let drain = eventually(DRAIN_DEADLINE, || async {
        let c = store.counts().await.unwrap();
        if c.pending_notifications == 0 {
            Ok(())
        } else {
            Err(c)
        }
    })
    .await;
    if let Err(c) = drain {
        let logs: Vec<String> = nodes
            .iter()
            .map(|n| std::fs::read_to_string(&n.log).unwrap_or_default())
            .map(|l| l.lines().rev().take(20).collect::<Vec<_>>().join("\n"))
            .collect();
        panic!("{c:?} still pending after {DRAIN_DEADLINE:?}; node logs (reversed):\n{logs:#?}");
    }
    let drained = run_started.elapsed();

    // ---- invariants, from the store
    let client_id = fleet.client_id.as_str();
    let mut rows = 0;
    let mut expected_keys = HashSet::new();
    let page_paid = store
        .payment_by_request_id(&ClientId::from(client_id), &"PR-MN-PAGE".into())
        .await
        .unwrap()
        .expect("PR-MN-PAGE");
    assert_eq!(page_paid.status, PaymentStatus::Success);
    let page_notes = store
        .notifications_for(&page_paid.payment_id)
        .await
        .unwrap();
    assert_eq!(page_notes.len(), 1);
    assert_eq!(page_notes[0].status, "DELIVERED");
    expected_keys.insert(format!("PAYMENT_RESULT:{}", page_paid.payment_id));
    rows += 1;
    let mut refunds_total = 0;
    for i in 0..PAYMENTS {
        let rid = format!("PR-MN-{i:03}");
        let p = store
            .payment_by_request_id(&ClientId::from(client_id), &rid.as_str().into())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{rid} lost"));
        assert!(
            matches!(p.status, PaymentStatus::Success | PaymentStatus::Fail),
            "{rid}: {:?}",
            p.status
        );
        let refunds = store.refunds_for_payment(&p.payment_id).await.unwrap();
        let reserved: i64 = refunds
            .iter()
            .filter(|r| r.status != RefundStatus::Fail)
            .map(|r| r.amount.minor() as i64)
            .sum();
        assert!(
            reserved <= p.amount.minor() as i64,
            "{rid}: refunds {reserved} > {}",
            p.amount.minor() as i64
        );
        assert_eq!(
            reserved, p.refunded_minor,
            "{rid}: reservation matches refunds"
        );
        if p.status == PaymentStatus::Success {
            assert_eq!(
                refunds.len(),
                2,
                "{rid}: 1000 and one of the 3000s: {refunds:?}"
            );
            assert_eq!(reserved, 4000);
        } else {
            assert!(refunds.is_empty());
        }
        refunds_total += refunds.len();
        let mut subjects = vec![("PAYMENT_RESULT", p.payment_id.to_string())];
        subjects.extend(
            refunds
                .iter()
                .map(|r| ("REFUND_RESULT", r.refund_id.to_string())),
        );
        for (kind, subject) in subjects {
            let notes = store.notifications_for(&subject).await.unwrap();
            assert_eq!(
                notes.len(),
                1,
                "{rid}: one {kind} notification for {subject}"
            );
            let n = &notes[0];
            assert_eq!(n.kind, kind);
            assert_eq!(n.status, "DELIVERED", "{rid}: {n:?}");
            let attempts = store.delivery_attempts(&n.notification_id).await.unwrap();
            assert_eq!(
                attempts.iter().filter(|a| a.acknowledged).count(),
                1,
                "{rid}: {kind} acknowledged once: {attempts:?}"
            );
            expected_keys.insert(format!("{kind}:{subject}"));
            rows += 1;
        }
    }
    let counts = store.counts().await.unwrap();
    assert_eq!(
        counts.payments as usize,
        PAYMENTS + 2,
        "nothing lost, nothing extra"
    );
    assert_eq!(
        counts.notifications as usize, rows,
        "no unexpected notification"
    );

    // ---- invariants, from the receiver
    let l = ledger.lock().unwrap();
    let received: HashSet<_> = l.deliveries.keys().cloned().collect();
    assert_eq!(
        received, expected_keys,
        "every notification reached the merchant"
    );
    for key in &expected_keys {
        assert!(l.deliveries[key] >= 1);
        assert!(l.processed.contains(key), "{key} never acknowledged");
    }
    assert_eq!(l.processed.len(), rows, "each processed once after dedupe");
    let deliveries: usize = l.deliveries.values().sum();
    let duplicates = deliveries - rows - l.refused.len();

    eprintln!(
        "multi_node: {PAYMENTS} payments, {refunds_total} refunds, {rows} notifications \
         ({deliveries} deliveries: {} refused once on purpose, {duplicates} re-deliveries after the crash); \
         nodes ready in {ready:?}, node {VICTIM} SIGKILLed at {killed_at:?}, driven in {driven:?}, \
         outbox drained at {drained:?}, total {:?}",
        l.refused.len(),
        started.elapsed()
    );
    drop(l);
    drop(nodes);
    drop(store);
}
