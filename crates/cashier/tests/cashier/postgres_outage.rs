//! PostgreSQL stopped and started again under load (issue #8).
//!
//! The test starts a PostgreSQL server of its own (initdb into a temporary
//! directory, `pg_ctl` on a random port; as the `postgres` OS user when run
//! as root, since initdb refuses root), a real `cashier serve` on it, and a
//! merchant that keeps creating, inquiring and paying. Then the database is
//! stopped with `pg_ctl stop -m immediate` (a crash) and started again,
//! without touching the gateway. It asserts:
//!
//! - every answer is signed (the SDK verifies) with HTTP 200: never a 5xx,
//!   never unsigned; while the database is down every answer is `U`
//!   (retry), never `S` or `F`;
//! - `/readyz` says 503 while the database is down and 200 once it is back;
//! - the gateway recovers by itself: requests succeed again;
//! - nothing is half-written or lost: every `S` the merchant saw is in the
//!   database, every payment has one state and at most one succeeded
//!   attempt, and every final state has exactly one notification, delivered
//!   and acknowledged once (receiver dedupe), including those whose delivery
//!   was cut short by the outage.
//!
//! Runs when `CASHIER_TEST_POSTGRES_URL` is set (CI sets it), as the other
//! PostgreSQL tests, and without it is reported as ignored, with the reason
//! (see `build.rs`); the URL itself is not used: the server here is private,
//! because stopping the shared one would break every other test. If the
//! private server cannot be started the test fails and says why.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{
    acknowledged_attempts, check_deliveries, eventually, free_port, merchant_client,
    merchant_create, simulate_pay, simulated, wait_readyz, Endpoint, Running,
};
use axum::http::StatusCode;
use cashier_client::Client;
use cashier_gateway::payments::state::{AttemptState, PaymentStatus};
use cashier_gateway::store::ClientId;
use serde_json::{json, Value};

// ------------------------------------------------------------ a private PostgreSQL

struct PrivatePostgres {
    _root: tempfile::TempDir,
    data: PathBuf,
    log: PathBuf,
    socket_dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres_user: bool,
}

fn postgres_bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .filter(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "cannot start a private PostgreSQL for this test: no /usr/lib/postgresql/*/bin/initdb \
             (install the postgresql package)"
        )
    })
}

impl PrivatePostgres {
    fn command(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = self
            .command(tool)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {tool} for the private PostgreSQL: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed for the private PostgreSQL:\n{}\n{}\nserver log:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(&self.log).unwrap_or_default()
        );
    }

    fn init() -> PrivatePostgres {
        let bin = postgres_bin_dir();
        let root = tempfile::Builder::new()
            .prefix("cashier-pg-")
            .tempdir()
            .unwrap();
        // initdb refuses to run as root: run the server as `postgres`, in
        // a directory it owns.
        let as_postgres_user = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        if as_postgres_user {
            let st = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(root.path())
                .status()
                .expect("chown");
            assert!(
                st.success(),
                "cannot start a private PostgreSQL: chown to the postgres user failed"
            );
        }
        let pg = PrivatePostgres {
            data: root.path().join("data"),
            log: root.path().join("server.log"),
            socket_dir: root.path().to_path_buf(),
            _root: root,
            bin,
            port: free_port(),
            as_postgres_user,
        };
        let data = pg.data.to_str().unwrap().to_string();
        pg.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        pg
    }

    fn start(&self) {
        let opts = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c max_connections=50",
            self.port,
            self.socket_dir.display()
        );
        let (data, log) = (
            self.data.to_str().unwrap().to_string(),
            self.log.to_str().unwrap().to_string(),
        );
        self.run(
            "pg_ctl",
            &[
                "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &opts, "start",
            ],
        );
    }

    /// `pg_ctl stop -m immediate`: every backend dies at once, no
    /// checkpoint; recovery replays the WAL on the next start.
    fn crash(&self) {
        let data = self.data.to_str().unwrap().to_string();
        self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args(["-D", self.data.to_str().unwrap(), "-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

// ------------------------------------------------------------ the load

/// Where the database was when a request started and when it ended.
const UP: u8 = 0;
const DOWN: u8 = 1;
const RESTARTING: u8 = 2;
const RECOVERED: u8 = 3;

#[derive(Debug, Clone)]
enum Answer {
    /// A signed answer: resultCode, resultStatus (and the body).
    Signed(#[allow(dead_code)] String, String, Value),
    /// The connection failed (no answer at all).
    Transport(String),
}

#[derive(Debug, Clone)]
struct Record {
    api: &'static str,
    rid: String,
    started: u8,
    ended: u8,
    answer: Answer,
}

struct Load {
    client: Client,
    http: reqwest::Client,
    base: String,
    client_id: String,
    notify_url: String,
    phase: AtomicU8,
    stop: AtomicBool,
    next: AtomicUsize,
    records: Mutex<Vec<Record>>,
    violations: Mutex<Vec<String>>,
}

impl Load {
    fn session_body(&self, rid: &str) -> Value {
        let amount = json!({"currency": "USD", "value": "2500"});
        json!({
            "productCode": "CASHIER_PAYMENT", "paymentRequestId": rid,
            "order": {"referenceOrderId": format!("O-{rid}"), "orderDescription": "Tea", "orderAmount": amount,
                      "goods": [{"referenceGoodsId": "T", "goodsName": "Tea", "goodsQuantity": 1, "goodsUnitAmount": amount}],
                      "buyer": {"referenceBuyerId": "B", "buyerName": {"fullName": "Jamie"}}},
            "paymentAmount": amount, "paymentRedirectUrl": "https://m.example.com/r",
            "paymentNotifyUrl": self.notify_url
        })
    }

    fn record(&self, api: &'static str, rid: &str, started: u8, answer: Answer) -> Answer {
        let ended = self.phase.load(Ordering::SeqCst);
        self.records.lock().unwrap().push(Record {
            api,
            rid: rid.to_string(),
            started,
            ended,
            answer: answer.clone(),
        });
        answer
    }

    async fn api(&self, api: &'static str, path: &str, rid: &str, body: Value) -> Answer {
        let started = self.phase.load(Ordering::SeqCst);
        let answer = match self
            .client
            .send_raw(path, body.to_string().as_bytes())
            .await
        {
            Ok(r) => {
                let v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
                Answer::Signed(
                    v["result"]["resultCode"].as_str().unwrap_or("?").into(),
                    v["result"]["resultStatus"].as_str().unwrap_or("?").into(),
                    v,
                )
            }
            Err(cashier_client::Error::Http(e)) => Answer::Transport(e.to_string()),
            // 5xx, a missing or bad signature, an undecodable body.
            Err(e) => {
                self.violations
                    .lock()
                    .unwrap()
                    .push(format!("{api} {rid}: {e}"));
                Answer::Transport(e.to_string())
            }
        };
        self.record(api, rid, started, answer)
    }

    /// The sandbox endpoint is unsigned; it must still answer 200 + a result.
    async fn simulate(&self, rid: &str) -> Answer {
        let started = self.phase.load(Ordering::SeqCst);
        let r = simulate_pay(&self.http, &self.base, &self.client_id, rid, "SUCCESS")
            .send()
            .await;
        let answer = match r {
            Err(e) => Answer::Transport(e.to_string()),
            Ok(r) => {
                let status = r.status();
                let v: Value = r.json().await.unwrap_or(Value::Null);
                if status != StatusCode::OK || v["result"]["resultStatus"].is_null() {
                    self.violations
                        .lock()
                        .unwrap()
                        .push(format!("simulate {rid}: HTTP {status} {v}"));
                }
                Answer::Signed(
                    v["result"]["resultCode"].as_str().unwrap_or("?").into(),
                    v["result"]["resultStatus"].as_str().unwrap_or("?").into(),
                    v,
                )
            }
        };
        self.record("simulate", rid, started, answer)
    }

    async fn worker(self: Arc<Self>) {
        while !self.stop.load(Ordering::SeqCst) {
            let rid = format!("PR-{}", self.next.fetch_add(1, Ordering::SeqCst));
            let created = self
                .api(
                    "create",
                    cashier_client::CREATE_PAYMENT_SESSION,
                    &rid,
                    self.session_body(&rid),
                )
                .await;
            if matches!(&created, Answer::Signed(_, s, _) if s == "S") {
                self.api(
                    "inquiry",
                    cashier_client::INQUIRY_PAYMENT,
                    &rid,
                    json!({"paymentRequestId": rid}),
                )
                .await;
                self.simulate(&rid).await;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
)]
async fn postgres_stopped_and_started_under_load() {
    let pg = PrivatePostgres::init();
    pg.start();
    let work = tempfile::tempdir().unwrap();
    let data_dir = work.path().join("data");
    let log = work.path().join("serve.log");
    let cashier = || {
        let mut c = crate::common::cashier(Some(&pg.url()));
        c.env("CASHIER_DATA_DIR", &data_dir);
        c
    };
    let m = merchant_create(cashier(), "Outage Shop", None, &[]);
    let client_id = m["clientId"].as_str().unwrap().to_string();
    let gateway_key = m["gatewayPublicKey"].as_str().unwrap().to_string();

    let (endpoint, notify_url) = Endpoint::start(&gateway_key).await;
    let ledger = endpoint.ledger.clone();

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _serve = Running::new(
        cashier()
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--allow-private-notify", "--sandbox-simulation"])
            .args([
                "--notify-retry-schedule",
                "200ms,500ms,1s,1s,1s,2s,2s,2s,2s,2s,2s,2s",
            ])
            .args(["--notify-timeout", "1s", "--notify-lease", "3s"])
            .env("RUST_LOG", "info,sqlx=warn")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    wait_readyz(&base, 200, Duration::from_secs(30), Some(&log)).await;

    let load = Arc::new(Load {
        client: merchant_client(&base, &m),
        http: reqwest::Client::new(),
        base: base.clone(),
        client_id: client_id.clone(),
        notify_url,
        phase: AtomicU8::new(UP),
        stop: AtomicBool::new(false),
        next: AtomicUsize::new(0),
        records: Mutex::default(),
        violations: Mutex::default(),
    });
    let workers: Vec<_> = (0..4)
        .map(|_| tokio::spawn(load.clone().worker()))
        .collect();

    // Healthy load, then the database crashes.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = load.records.lock().unwrap().len();
    assert!(before > 0, "no load before the outage");
    tokio::task::block_in_place(|| pg.crash());
    load.phase.store(DOWN, Ordering::SeqCst);
    let t_down = wait_readyz(&base, 503, Duration::from_secs(40), Some(&log)).await;
    // Keep the load on the dead database for a while (longer than the
    // pool's acquire timeout, so requests are answered while it is down).
    tokio::time::sleep(Duration::from_secs(8)).await;
    let during = load.records.lock().unwrap().len() - before;

    load.phase.store(RESTARTING, Ordering::SeqCst);
    tokio::task::block_in_place(|| pg.start());
    let t_up = wait_readyz(&base, 200, Duration::from_secs(60), Some(&log)).await;
    load.phase.store(RECOVERED, Ordering::SeqCst);
    let recovered_from = load.records.lock().unwrap().len();
    tokio::time::sleep(Duration::from_secs(3)).await;
    load.stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.await.unwrap();
    }

    // ---------------------------------------------------------------- answers
    let records = load.records.lock().unwrap().clone();
    let violations = load.violations.lock().unwrap().clone();
    assert!(
        violations.is_empty(),
        "5xx or unsigned answers: {violations:?}"
    );
    let mut by_class: BTreeMap<String, usize> = BTreeMap::new();
    for r in &records {
        let class = match &r.answer {
            Answer::Signed(_, s, _) => s.clone(),
            Answer::Transport(_) => "transport".into(),
        };
        *by_class
            .entry(format!("{}@{}-{}", class, r.started, r.ended))
            .or_default() += 1;
        // Nothing this load sends can fail for good: a transient failure is
        // never an F.
        if let Answer::Signed(c, s, v) = &r.answer {
            assert!(s == "S" || s == "U", "{} {}: {c} ({s}): {v}", r.api, r.rid);
        }
        // Entirely inside the outage: U only.
        if r.started == DOWN && r.ended == DOWN {
            match &r.answer {
                Answer::Signed(_, s, v) => {
                    assert_eq!(s, "U", "{} {} while down: {v}", r.api, r.rid)
                }
                Answer::Transport(e) => panic!("{} {} while down: no answer: {e}", r.api, r.rid),
            }
        }
    }
    let down_u = records
        .iter()
        .filter(|r| r.started == DOWN && matches!(&r.answer, Answer::Signed(_, s, _) if s == "U"))
        .count();
    assert!(
        down_u > 0,
        "no request was answered U during the outage: {by_class:?}"
    );
    // After /readyz said 200 again, without restarting cashier: requests succeed.
    let after: Vec<&Record> = records[recovered_from..]
        .iter()
        .filter(|r| r.started == RECOVERED)
        .collect();
    let ok_after = after
        .iter()
        .filter(|r| matches!(&r.answer, Answer::Signed(_, s, _) if s == "S"))
        .count();
    assert!(
        ok_after > 0,
        "nothing succeeded after recovery: {by_class:?}"
    );
    for r in &after {
        match &r.answer {
            Answer::Signed(_, s, v) => {
                assert_eq!(s, "S", "{} {} after recovery: {v}", r.api, r.rid)
            }
            Answer::Transport(e) => panic!("{} {} after recovery: {e}", r.api, r.rid),
        }
    }

    // ---------------------------------------------------------------- the data
    let store = crate::common::open_store(&data_dir, Some(pg.url())).await;
    let client = &load.client;
    let mut told: BTreeMap<String, (bool, Option<String>)> = BTreeMap::new();
    for r in &records {
        let e = told.entry(r.rid.clone()).or_default();
        if let Answer::Signed(_, s, v) = &r.answer {
            if s == "S" && r.api == "create" {
                e.0 = true;
            }
            if s == "S" && r.api == "simulate" {
                e.1 = v["paymentStatus"].as_str().map(String::from);
            }
        }
    }
    // Finish every payment that exists, then every one must be notified.
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    let mut payments = 0;
    for (rid, (created, paid)) in &told {
        let p = store
            .payment_by_request_id(&ClientId::from(&client_id), &rid.into())
            .await
            .unwrap();
        if *created {
            assert!(p.is_some(), "{rid}: S create not in the database");
        }
        let Some(p) = p else { continue };
        payments += 1;
        if let Some(status) = paid {
            assert_eq!(p.status.as_str(), status, "{rid}: told {status}");
        }
        if p.status == PaymentStatus::Processing {
            let v = simulated(&load.http, &base, &client_id, rid, "SUCCESS").await;
            assert_eq!(v["result"]["resultStatus"], "S", "{v}");
        }
        let p = store.payment(&p.payment_id).await.unwrap().unwrap();
        let attempts = store.attempts(&p.payment_id).await.unwrap();
        let succeeded = attempts
            .iter()
            .filter(|a| a.state == AttemptState::Succeeded)
            .count();
        assert_eq!(
            succeeded,
            usize::from(p.status == PaymentStatus::Success),
            "{rid}: {} with {succeeded} succeeded attempts",
            p.status
        );
        let q = client
            .inquiry_payment(&cashier_protocol::wire::InquiryPaymentRequest {
                payment_request_id: Some(rid.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        expected.insert(
            format!("PAYMENT_RESULT:{}", p.payment_id),
            q.payment_result_code.unwrap(),
        );
    }
    let delivered = eventually(Duration::from_secs(60), || async {
        let mut missing = Vec::new();
        for key in expected.keys() {
            let id = key.split_once(':').unwrap().1;
            let rows = store.notifications_for(id).await.unwrap();
            assert_eq!(rows.len(), 1, "{key}: one notification per final state");
            // Not `acknowledgements` (at most one): a delivery whose recording waits out the
            // outage (pool wait 5 s) can outlive its 3 s lease, so the row is claimed and
            // delivered again and both acknowledged attempts are recorded, truthfully. The
            // at-least-once contract is checked on the receiver: processed once (dedupe).
            let acks = acknowledged_attempts(store.as_ref(), &rows[0].notification_id).await;
            if acks == 0 || !ledger.lock().unwrap().deliveries.contains_key(key) {
                missing.push(key.clone());
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(missing)
        }
    })
    .await;
    if let Err(missing) = delivered {
        panic!(
            "not delivered and acknowledged: {missing:?}\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }
    let redelivered = check_deliveries(&ledger.lock().unwrap(), &expected);
    eprintln!(
        "postgres outage: {} requests ({before} before, {during} while down, {} after recovery); \
         readyz 503 after {t_down:?}, 200 again {t_up:?} after the restart; {payments} payments, \
         {} notifications acknowledged once ({redelivered} re-deliveries); answers by \
         class@phase(start-end, 0 up 1 down 2 restarting 3 recovered): {by_class:?}",
        records.len(),
        after.len(),
        expected.len()
    );
}
