//! Model-based test (proptest) of the payment state machine, docs/protocol.md
//! §5.6 with the cancel window (§5.3), refund accounting (§5.10) and
//! idempotency (§5.1).
//!
//! Each case is a random sequence of operations on three payments — create,
//! pay through `/sandbox/simulate/pay`, pay or decline on the hosted page
//! with sandbox cards, cancel, refund (partial, multiple, too much, repeated
//! `refundRequestId`; settled at once, asynchronously by the sweeper, or
//! refused by the processor), inquiryPayment, inquiryRefund, moving the manual clock
//! (expiry, the cancel window) and restarting the gateway on the same data
//! dir or database — run against the real HTTP server through the
//! `cashier-client` SDK (which verifies every response signature) and, step
//! by step, against a small reference model. After every step:
//!
//! - every response is signed and its result matches the model;
//! - every created payment's inquiry matches the model (status and result
//!   code), so no final outcome ever changes except SUCCESS → CANCELLED;
//! - Σ successful refunds ≤ paid, equal to the model's sum.
//!
//! At the end of the case every open payment is expired, the dispatcher
//! delivers to a real receiver, and every final state (and every refund)
//! has exactly one notification, acknowledged, whose body is the final
//! state: the store holds one notification row per subject with exactly
//! one acknowledged delivery attempt; the receiver got only notifications
//! the model expects, every one correctly signed.
//!
//! A second test pins down a case the clock moves provoke: a delivery
//! whose lease ran out while the merchant's answer was late is made again,
//! and the late answer is not recorded over the newer claim's.
//!
//! Cost: 32 cases of ≤ 15 steps by default (`PROPTEST_CASES=N` for more;
//! `MODEL_MAX_STEPS=N` for longer sequences). With `CASHIER_TEST_STORE=postgres`
//! each case runs on a fresh PostgreSQL database (scripts/test re-runs the
//! gateway suites that way).
//!
//! A "node" is the gateway on a tokio runtime of its own: restarting drops
//! the runtime (every task, connection and in-flight delivery dies, as in a
//! process exit) and builds a new `Application` on the same store.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use cashier_client::{Client, ClientConfig};
use cashier_gateway::clock::{Clock, ManualClock};
use cashier_gateway::merchants::{self, NewMerchant};
use cashier_gateway::state::AppState;
use cashier_gateway::store::postgres::admin::ScratchDatabase;
use cashier_gateway::store::PaymentId;
use cashier_gateway::{Application, Config};
use cashier_protocol::signing::PublicKey;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use serde_json::{json, Value};

use crate::common::{b64, eventually, input_value};

const PAYMENTS: usize = 3;
const AMOUNT: i64 = 6000;
const REFUND_AMOUNTS: [i64; 5] = [1000, 2000, 3000, 6000, 7000];
const REFUND_IDS: u8 = 4;
const NOTIFY_PATH: &str = "/antom/notify";
const CLIENT_ID: &str = "SANDBOX_MODEL_MERCHANT";

// ------------------------------------------------------------------ operations

#[derive(Debug, Clone, Copy)]
enum Card {
    /// 4242…: approved.
    Approve,
    /// 4000 0000 0000 0002: declined, the buyer may try again.
    Decline,
    /// 4000 0000 0000 0119: rejected by risk control, the payment fails.
    Reject,
}

/// What the sandbox processor does with a refund (by `refundReason`).
#[derive(Debug, Clone, Copy)]
enum RefundKind {
    /// Succeeds at once.
    Settles,
    /// `SANDBOX_ASYNC`: REFUND_IN_PROCESS, settled by the sweeper 10 s later.
    Async,
    /// `SANDBOX_FAIL`: the processor refuses (PROCESS_FAIL), nothing reserved.
    Failing,
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Create(usize),
    /// `/sandbox/simulate/pay`: SUCCESS, or FAIL with USER_BALANCE_NOT_ENOUGH.
    Simulate(usize, bool),
    /// The hosted page's card form.
    PayCard(usize, Card),
    Cancel(usize),
    /// refundRequestId `R{1}` for amount `REFUND_AMOUNTS[{2}]`.
    Refund(usize, u8, usize, RefundKind),
    Inquiry(usize),
    InquiryRefund(u8),
    /// Move the clock by this many minutes, then sweep once.
    Advance(i64),
    Restart,
}

fn op() -> impl Strategy<Value = Op> {
    let p = 0..PAYMENTS;
    prop_oneof![
        4 => p.clone().prop_map(Op::Create),
        3 => (p.clone(), prop::bool::weighted(0.75)).prop_map(|(i, ok)| Op::Simulate(i, ok)),
        2 => (p.clone(), prop_oneof![Just(Card::Approve), Just(Card::Decline), Just(Card::Reject)])
            .prop_map(|(i, c)| Op::PayCard(i, c)),
        2 => p.clone().prop_map(Op::Cancel),
        4 => (
            p.clone(),
            0..REFUND_IDS,
            0..REFUND_AMOUNTS.len(),
            prop_oneof![
                6 => Just(RefundKind::Settles),
                1 => Just(RefundKind::Async),
                1 => Just(RefundKind::Failing)
            ]
        )
            .prop_map(|(i, r, a, k)| Op::Refund(i, r, a, k)),
        1 => p.clone().prop_map(Op::Inquiry),
        1 => (0..REFUND_IDS).prop_map(Op::InquiryRefund),
        2 => prop_oneof![Just(1i64), Just(30), Just(61), Just(6 * 60), Just(25 * 60), Just(8 * 24 * 60)]
            .prop_map(Op::Advance),
        1 => Just(Op::Restart),
    ]
}

// ------------------------------------------------------------------ the model

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Absent,
    Processing,
    Success,
    Fail(&'static str),
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Method {
    Wallet,
    Card,
}

#[derive(Debug, Clone)]
struct MPayment {
    status: Status,
    expires_at: i64,
    paid_at: i64,
    method: Method,
    refunded: i64,
    /// The first final outcome (S or F): what the one notification says.
    notified: Option<&'static str>,
    payment_id: Option<String>,
    session_id: Option<String>,
    normal_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum RStatus {
    Success,
    /// Settles once the clock reaches this.
    Processing(i64),
    Fail,
}

#[derive(Debug, Clone)]
struct MRefund {
    payment: usize,
    amount: i64,
    refund_id: String,
    status: RStatus,
}

struct Model {
    payments: Vec<MPayment>,
    refunds: BTreeMap<u8, MRefund>,
}

impl Model {
    fn new() -> Model {
        Model {
            payments: vec![
                MPayment {
                    status: Status::Absent,
                    expires_at: 0,
                    paid_at: 0,
                    method: Method::Wallet,
                    refunded: 0,
                    notified: None,
                    payment_id: None,
                    session_id: None,
                    normal_url: None,
                };
                PAYMENTS
            ],
            refunds: BTreeMap::new(),
        }
    }

    /// Lazy expiry (§5.2): an unpaid payment past its session expiry is
    /// closed, whether the sweeper or the next request gets there first.
    fn expire(&mut self, now: i64) {
        for p in &mut self.payments {
            if p.status == Status::Processing && now >= p.expires_at {
                p.status = Status::Fail("ORDER_IS_CLOSED");
                p.notified = Some("ORDER_IS_CLOSED");
            }
        }
    }

    /// Asynchronous refunds due by `now` are settled (by the sweep that
    /// follows every move of the clock).
    fn settle(&mut self, now: i64) {
        for r in self.refunds.values_mut() {
            if matches!(r.status, RStatus::Processing(at) if now >= at) {
                r.status = RStatus::Success;
            }
        }
    }

    fn finish(&mut self, i: usize, status: Status, now: i64, method: Method) {
        let p = &mut self.payments[i];
        p.notified = Some(match &status {
            Status::Success => "SUCCESS",
            Status::Fail(code) => code,
            _ => unreachable!(),
        });
        if status == Status::Success {
            p.paid_at = now;
            p.method = method;
        }
        p.status = status;
    }

    /// §5.3: wallets until 00:15 UTC+8 the day after payment; cards 7 days.
    fn cancel_deadline(p: &MPayment) -> i64 {
        match p.method {
            Method::Card => p.paid_at + 7 * 24 * 3_600_000,
            Method::Wallet => {
                let utc8 = FixedOffset::east_opt(8 * 3600).unwrap();
                let paid = DateTime::<Utc>::from_timestamp_millis(p.paid_at)
                    .unwrap()
                    .with_timezone(&utc8);
                let next = paid.date_naive().succ_opt().unwrap();
                utc8.from_local_datetime(&next.and_hms_opt(0, 15, 0).unwrap())
                    .unwrap()
                    .timestamp_millis()
            }
        }
    }
}

// ------------------------------------------------------------------ the receiver

#[derive(Debug, Clone)]
struct Delivery {
    result_code: String,
    body: Value,
}

#[derive(Default)]
struct Ledger {
    /// notifyType:paymentId|refundId → every delivery, in order.
    by_key: HashMap<String, Vec<Delivery>>,
    bad_signatures: usize,
    /// How the next correctly signed deliveries are answered, in order:
    /// acknowledged or not (HTTP 500), once the gate (if any) gives a
    /// permit. Once it is empty every delivery is acknowledged at once. The
    /// delivery is in `by_key` before that: the merchant has processed it,
    /// its answer is late.
    replies: std::collections::VecDeque<(bool, Option<Arc<tokio::sync::Semaphore>>)>,
    /// Deliveries answered so far.
    answered: usize,
}

#[derive(Clone)]
struct Receiver {
    url: String,
    ledger: Arc<Mutex<Ledger>>,
}

async fn receive(
    State((ledger, key)): State<(Arc<Mutex<Ledger>>, Arc<PublicKey>)>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let h = |n: &str| cashier_test_support::header_text(&headers, n);
    let verified = cashier_client::verify_webhook::<Value>(
        &key,
        CLIENT_ID,
        NOTIFY_PATH,
        &h("client-id"),
        &h("request-time"),
        &h("signature"),
        &body,
    );
    let (ack, gate) = {
        let mut l = ledger.lock().unwrap();
        let Ok(v) = verified else {
            l.bad_signatures += 1;
            return (StatusCode::BAD_REQUEST, "bad signature");
        };
        let kind = v["notifyType"].as_str().unwrap_or("?").to_string();
        let id = v["refundId"]
            .as_str()
            .or_else(|| v["paymentId"].as_str())
            .unwrap_or("?")
            .to_string();
        l.by_key
            .entry(format!("{kind}:{id}"))
            .or_default()
            .push(Delivery {
                result_code: v["result"]["resultCode"].as_str().unwrap_or("?").into(),
                body: v,
            });
        l.replies.pop_front().unwrap_or((true, None))
    };
    if let Some(gate) = gate {
        gate.acquire().await.expect("gate open").forget();
    }
    ledger.lock().unwrap().answered += 1;
    if ack {
        (StatusCode::OK, cashier_protocol::wire::ACK_BODY)
    } else {
        (StatusCode::INTERNAL_SERVER_ERROR, "try again later")
    }
}

// ------------------------------------------------------------------ the gateway node

/// The gateway on its own runtime, so a restart kills everything it runs.
struct Node {
    rt: Option<tokio::runtime::Runtime>,
    state: AppState,
    base_url: String,
}

impl Node {
    async fn start(config: Config, clock: ManualClock) -> Node {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        // Building the app is not a `Send` future: block on it in a
        // blocking thread, then serve on the node's runtime.
        let (rt, state) = tokio::task::spawn_blocking(move || {
            let app = rt
                .block_on(Application::build_with_clock(config, Arc::new(clock)))
                .expect("gateway starts");
            let state = app.state();
            rt.spawn(async move { app.run_until_stopped().await.expect("server runs") });
            (rt, state)
        })
        .await
        .unwrap();
        Node {
            rt: Some(rt),
            base_url: state.public_url.clone(),
            state,
        }
    }

    /// Runs a future on the node's runtime (where its pool lives).
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(AppState) -> futures_like::BoxFut<T>,
    ) -> T {
        let fut = f(self.state.clone());
        self.rt
            .as_ref()
            .unwrap()
            .spawn(fut)
            .await
            .expect("node task")
    }

    fn stop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.stop();
    }
}

mod futures_like {
    pub type BoxFut<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;
}

struct World {
    node: Node,
    clock: ManualClock,
    client: Client,
    buyer: reqwest::Client,
    receiver: Receiver,
    config: Config,
    merchant_key: String,
    gateway_key: String,
    model: Model,
    _dir: tempfile::TempDir,
    _db: Option<ScratchDatabase>,
}

fn client_for(base: &str, merchant_key: &str, gateway_key: &str, clock: &ManualClock) -> Client {
    let mut cfg = ClientConfig::new(base, CLIENT_ID, merchant_key, gateway_key).unwrap();
    let c = clock.clone();
    cfg.time_source = Arc::new(move || c.now());
    Client::new(cfg).unwrap()
}

impl World {
    async fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::common::test_database().await;
        let mut config = Config::new(dir.path());
        config.listen = "127.0.0.1:0".parse().unwrap();
        config.allow_private_notify = true;
        config.sandbox_simulation = true;
        config.worker_interval = Duration::from_millis(20);
        config.notify_timeout = Duration::from_secs(5);
        if let Some(db) = &db {
            let sep = if db.url.contains('?') { '&' } else { '?' };
            config.database_url = Some(format!("{}{sep}max_connections=4", db.url));
        }
        let clock = ManualClock::starting_now();
        let node = Node::start(config.clone(), clock.clone()).await;
        let now = clock.now_ts();
        let created = node
            .run(move |s| {
                Box::pin(async move {
                    merchants::create(
                        s.store.as_ref(),
                        NewMerchant {
                            name: "Model Shop",
                            client_id: Some(CLIENT_ID),
                            public_key: None,
                            generate_key: true,
                            notify_url: None,
                            logo: None,
                            fee_bps: 0,
                            now,
                        },
                    )
                    .await
                    .expect("merchant created")
                })
            })
            .await;
        let merchant_key = b64(&created.private_key.unwrap().to_pkcs8_der());
        let gateway_key = node.state.gateway_key.public.to_base64();

        let ledger = Arc::new(Mutex::new(Ledger::default()));
        let key = Arc::new(PublicKey::from_text(&gateway_key).unwrap());
        let router = Router::new()
            .route(NOTIFY_PATH, post(receive))
            .with_state((ledger.clone(), key));
        let url = format!(
            "{}{NOTIFY_PATH}",
            cashier_test_support::serve_router(router).await
        );

        World {
            client: client_for(&node.base_url, &merchant_key, &gateway_key, &clock),
            buyer: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            node,
            clock,
            receiver: Receiver { url, ledger },
            config,
            merchant_key,
            gateway_key,
            model: Model::new(),
            _dir: dir,
            _db: db,
        }
    }

    async fn restart(&mut self) {
        self.node.stop();
        self.node = Node::start(self.config.clone(), self.clock.clone()).await;
        // New connections: the old ones died with the node.
        self.client = client_for(
            &self.node.base_url,
            &self.merchant_key,
            &self.gateway_key,
            &self.clock,
        );
        self.buyer = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
    }

    /// Moves the manual clock two minutes on when `last` (the previous
    /// nudge) is over two seconds ago, so that leases of deliveries a
    /// restart killed run out.
    fn nudge_every_2s(&self, last: &Cell<Instant>) {
        if last.get().elapsed() > Duration::from_secs(2) {
            self.clock.advance(chrono::Duration::minutes(2));
            last.set(Instant::now());
        }
    }

    fn now(&self) -> i64 {
        self.clock.now_ts().millis()
    }

    /// A signed API call; the SDK verifies the response signature.
    async fn call(&self, path: &str, body: Value) -> Value {
        let raw = self
            .client
            .send_raw(path, body.to_string().as_bytes())
            .await
            .unwrap_or_else(|e| panic!("{path}: no signed, verified response: {e}"));
        assert_eq!(raw.http_status, 200);
        serde_json::from_str(&raw.body).expect("JSON body")
    }

    fn request_id(i: usize) -> String {
        format!("PR-{i}")
    }

    async fn sweep(&self) {
        self.node
            .run(|s| {
                Box::pin(async move {
                    cashier_gateway::workers::sweep_once(&s.workers)
                        .await
                        .expect("sweep");
                })
            })
            .await;
    }

    async fn step(&mut self, op: Op) {
        let now = self.now();
        self.model.expire(now);
        match op {
            Op::Create(i) => self.create(i).await,
            Op::Simulate(i, ok) => self.simulate(i, ok).await,
            Op::PayCard(i, card) => self.pay_card(i, card).await,
            Op::Cancel(i) => self.cancel(i).await,
            Op::Refund(i, r, a, kind) => self.refund(i, r, REFUND_AMOUNTS[a], kind).await,
            Op::Inquiry(i) => self.check_payment(i).await,
            Op::InquiryRefund(r) => self.inquiry_refund(r).await,
            Op::Advance(minutes) => {
                self.clock.advance(chrono::Duration::minutes(minutes));
                self.sweep().await;
                let now = self.now();
                self.model.expire(now);
                self.model.settle(now);
            }
            Op::Restart => self.restart().await,
        }
        for i in 0..PAYMENTS {
            self.check_payment(i).await;
        }
    }

    async fn create(&mut self, i: usize) {
        let rid = World::request_id(i);
        let body = json!({
            "productCode": "CASHIER_PAYMENT",
            "paymentRequestId": rid,
            "order": {
                "referenceOrderId": format!("ORDER-{rid}"),
                "orderDescription": "Kopi",
                "orderAmount": {"currency": "SGD", "value": AMOUNT.to_string()},
                "goods": [{"referenceGoodsId": "KOPI", "goodsName": "Kopi", "goodsQuantity": "1",
                           "goodsUnitAmount": {"currency": "SGD", "value": AMOUNT.to_string()}}],
                "buyer": {"referenceBuyerId": "BUYER-1", "buyerName": {"fullName": "Tan Ah Kow"}}
            },
            "paymentAmount": {"currency": "SGD", "value": AMOUNT.to_string()},
            "settlementStrategy": {"settlementCurrency": "SGD"},
            "paymentRedirectUrl": "https://merchant.example.com/return",
            "paymentNotifyUrl": self.receiver.url,
            "env": {"terminalType": "WEB"}
        });
        let r = self
            .call(cashier_client::CREATE_PAYMENT_SESSION, body)
            .await;
        let now = self.now();
        let p = &mut self.model.payments[i];
        let expect = match p.status {
            Status::Absent => {
                p.status = Status::Processing;
                p.expires_at = now + 3_600_000;
                p.session_id = r["paymentSessionId"].as_str().map(String::from);
                p.normal_url = r["normalUrl"].as_str().map(String::from);
                "SUCCESS"
            }
            Status::Processing => {
                assert_eq!(
                    r["paymentSessionId"].as_str(),
                    p.session_id.as_deref(),
                    "a repeated create answers with the same session"
                );
                "SUCCESS"
            }
            Status::Success => "ORDER_STATUS_INVALID",
            Status::Fail(_) | Status::Cancelled => "ORDER_IS_CLOSED",
        };
        assert_result(&r, expect);
        if self.model.payments[i].payment_id.is_none() {
            let q = self
                .call(
                    cashier_client::INQUIRY_PAYMENT,
                    json!({"paymentRequestId": World::request_id(i)}),
                )
                .await;
            self.model.payments[i].payment_id = q["paymentId"].as_str().map(String::from);
            assert!(self.model.payments[i].payment_id.is_some(), "{q}");
        }
    }

    async fn simulate(&mut self, i: usize, ok: bool) {
        let r = cashier_test_support::gateway::simulated_body(
            &self.buyer,
            &self.node.base_url,
            &json!({
                "clientId": CLIENT_ID,
                "paymentRequestId": World::request_id(i),
                "outcome": if ok { "SUCCESS" } else { "FAIL" },
                "resultCode": if ok { Value::Null } else { json!("USER_BALANCE_NOT_ENOUGH") },
            }),
        )
        .await;
        let now = self.now();
        let expect = match self.model.payments[i].status {
            Status::Absent => "ORDER_NOT_EXIST",
            Status::Processing => {
                let to = if ok {
                    Status::Success
                } else {
                    Status::Fail("USER_BALANCE_NOT_ENOUGH")
                };
                self.model.finish(i, to, now, Method::Wallet);
                "SUCCESS"
            }
            _ => "ORDER_STATUS_INVALID",
        };
        assert_result(&r, expect);
    }

    async fn pay_card(&mut self, i: usize, card: Card) {
        let Some(url) = self.model.payments[i].normal_url.clone() else {
            return; // no page to open
        };
        let path = url::Url::parse(&url).unwrap().path().to_string();
        let page = self
            .buyer
            .get(format!("{}{path}", self.node.base_url))
            .send()
            .await
            .unwrap();
        let status = page.status();
        let html = page.text().await.unwrap();
        assert!(status.as_u16() < 500, "checkout page: {status}");
        let open = self.model.payments[i].status == Status::Processing;
        let nonce = input_value(&html, "attempt_nonce");
        assert_eq!(
            nonce.is_some(),
            open,
            "the card form is offered exactly while the payment is open ({status})"
        );
        if !open {
            return;
        }
        let number = match card {
            Card::Approve => "4242424242424242",
            Card::Decline => "4000000000000002",
            Card::Reject => "4000000000000119",
        };
        let form = [
            ("csrf_token", input_value(&html, "csrf_token").unwrap()),
            ("attempt_nonce", nonce.unwrap()),
            ("method", "CARD".into()),
            ("card_number", number.into()),
            ("card_expiry", "12/39".into()),
            ("card_cvc", "123".into()),
            ("card_name", "Tan Ah Kow".into()),
        ];
        let r = self
            .buyer
            .post(format!("{}{path}/pay", self.node.base_url))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(
            r.status() == StatusCode::SEE_OTHER || r.status() == StatusCode::OK,
            "card form answered {}",
            r.status()
        );
        let now = self.now();
        match card {
            Card::Approve => self.model.finish(i, Status::Success, now, Method::Card),
            Card::Decline => {}
            Card::Reject => self
                .model
                .finish(i, Status::Fail("RISK_REJECT"), now, Method::Card),
        }
    }

    async fn cancel(&mut self, i: usize) {
        let r = self
            .call(
                cashier_client::CANCEL,
                json!({"paymentRequestId": World::request_id(i)}),
            )
            .await;
        let now = self.now();
        let p = &mut self.model.payments[i];
        let expect = match p.status {
            Status::Absent => "ORDER_NOT_EXIST",
            Status::Processing => {
                p.status = Status::Cancelled;
                "SUCCESS"
            }
            Status::Cancelled => "SUCCESS",
            Status::Fail(_) => "ORDER_IS_CLOSED",
            Status::Success if p.refunded > 0 => "ORDER_STATUS_INVALID",
            Status::Success if now >= Model::cancel_deadline(p) => "CANCEL_WINDOW_EXCEED",
            Status::Success => {
                p.status = Status::Cancelled;
                "SUCCESS"
            }
        };
        assert_result(&r, expect);
    }

    async fn refund(&mut self, i: usize, rid: u8, amount: i64, kind: RefundKind) {
        let payment_id = self.model.payments[i]
            .payment_id
            .clone()
            .unwrap_or_else(|| "NO-SUCH-PAYMENT".into());
        let r = self
            .call(
                cashier_client::REFUND,
                json!({
                    "refundRequestId": format!("R{rid}"),
                    "paymentId": payment_id,
                    "refundAmount": {"currency": "SGD", "value": amount.to_string()},
                    "refundNotifyUrl": self.receiver.url,
                    "refundReason": match kind {
                        RefundKind::Settles => "Customer returned the goods",
                        RefundKind::Async => "SANDBOX_ASYNC model",
                        RefundKind::Failing => "SANDBOX_FAIL model",
                    },
                }),
            )
            .await;
        let expect = if let Some(previous) = self.model.refunds.get(&rid) {
            if previous.payment == i && previous.amount == amount {
                assert_eq!(
                    r["refundId"].as_str(),
                    Some(previous.refund_id.as_str()),
                    "a repeated refundRequestId answers with the same refund"
                );
                match previous.status {
                    RStatus::Success => "SUCCESS",
                    RStatus::Processing(_) => "REFUND_IN_PROCESS",
                    RStatus::Fail => "PROCESS_FAIL",
                }
            } else {
                "REPEAT_REQ_INCONSISTENT"
            }
        } else {
            let p = &mut self.model.payments[i];
            match p.status {
                Status::Absent => "ORDER_NOT_EXIST",
                Status::Success if p.refunded + amount > AMOUNT => "REFUND_AMOUNT_EXCEED",
                Status::Success => {
                    let (status, code) = match kind {
                        RefundKind::Settles => (RStatus::Success, "SUCCESS"),
                        RefundKind::Async => (
                            RStatus::Processing(self.clock.now_ts().millis() + 10_000),
                            "REFUND_IN_PROCESS",
                        ),
                        RefundKind::Failing => (RStatus::Fail, "PROCESS_FAIL"),
                    };
                    if status != RStatus::Fail {
                        p.refunded += amount;
                    }
                    let refund_id = r["refundId"]
                        .as_str()
                        .unwrap_or_else(|| panic!("refund without refundId: {r}"))
                        .to_string();
                    self.model.refunds.insert(
                        rid,
                        MRefund {
                            payment: i,
                            amount,
                            refund_id,
                            status,
                        },
                    );
                    code
                }
                _ => "ORDER_STATUS_INVALID",
            }
        };
        assert_result(&r, expect);
    }

    async fn inquiry_refund(&mut self, rid: u8) {
        let r = self
            .call(
                cashier_client::INQUIRY_REFUND,
                json!({"refundRequestId": format!("R{rid}")}),
            )
            .await;
        match self.model.refunds.get(&rid) {
            Some(m) => {
                assert_result(&r, "SUCCESS");
                let status = match m.status {
                    RStatus::Success => "SUCCESS",
                    RStatus::Processing(_) => "PROCESSING",
                    RStatus::Fail => "FAIL",
                };
                assert_eq!(r["refundStatus"], status, "{r}");
                assert_eq!(r["refundId"].as_str(), Some(m.refund_id.as_str()), "{r}");
                assert_eq!(r["refundAmount"]["value"], m.amount.to_string(), "{r}");
            }
            None => assert_result(&r, "REFUND_NOT_EXIST"),
        }
    }

    /// inquiryPayment agrees with the model; the store's refund total too.
    async fn check_payment(&mut self, i: usize) {
        let r = self
            .call(
                cashier_client::INQUIRY_PAYMENT,
                json!({"paymentRequestId": World::request_id(i)}),
            )
            .await;
        let p = self.model.payments[i].clone();
        let (status, code) = match &p.status {
            Status::Absent => {
                assert_result(&r, "ORDER_NOT_EXIST");
                return;
            }
            Status::Processing => ("PROCESSING", "PAYMENT_IN_PROCESS"),
            Status::Success => ("SUCCESS", "SUCCESS"),
            Status::Fail(code) => ("FAIL", *code),
            Status::Cancelled => ("CANCELLED", "ORDER_IS_CLOSED"),
        };
        assert_result(&r, "SUCCESS");
        assert_eq!(r["paymentStatus"], status, "payment {i}: {r}");
        assert_eq!(r["paymentResultCode"], code, "payment {i}: {r}");
        let id = p.payment_id.clone().unwrap();
        let (refunded, refunds) = self
            .node
            .run(move |s| {
                Box::pin(async move {
                    let pay = s
                        .store
                        .payment(&PaymentId::from(&id))
                        .await
                        .unwrap()
                        .unwrap();
                    let refunds = s
                        .store
                        .refunds_for_payment(&PaymentId::from(&id))
                        .await
                        .unwrap();
                    (pay.refunded_minor, refunds)
                })
            })
            .await;
        let sum: i64 = refunds
            .iter()
            .filter(|r| r.status != cashier_gateway::store::RefundStatus::Fail)
            .map(|r| r.amount.minor() as i64)
            .sum();
        assert_eq!(refunded, p.refunded, "payment {i}: refunded or in process");
        assert_eq!(sum, p.refunded, "payment {i}: Σ refund rows not failed");
        assert!(
            refunded <= AMOUNT,
            "payment {i}: refunds exceed the payment"
        );
    }

    /// Every open payment expires; then every final state and refund is
    /// notified exactly once, acknowledged, and says the final state.
    async fn drain_and_check_notifications(&mut self) {
        self.clock.advance(chrono::Duration::hours(2));
        self.sweep().await;
        let now = self.now();
        self.model.expire(now);
        self.model.settle(now);
        for i in 0..PAYMENTS {
            self.check_payment(i).await;
        }
        let mut expected: BTreeMap<String, (String, &'static str)> = BTreeMap::new();
        for p in &self.model.payments {
            if let (Some(id), Some(code)) = (&p.payment_id, p.notified) {
                expected.insert(format!("PAYMENT_RESULT:{id}"), (id.clone(), code));
            }
        }
        for r in self.model.refunds.values() {
            let code = match r.status {
                RStatus::Success => "SUCCESS",
                RStatus::Fail => "PROCESS_FAIL",
                RStatus::Processing(_) => {
                    panic!("refund {} still in process after the drain", r.refund_id)
                }
            };
            expected.insert(
                format!("REFUND_RESULT:{}", r.refund_id),
                (r.refund_id.clone(), code),
            );
        }
        let last_nudge = Cell::new(Instant::now());
        let arrived = eventually(Duration::from_secs(60), || async {
            let have: Vec<String> = self
                .receiver
                .ledger
                .lock()
                .unwrap()
                .by_key
                .keys()
                .cloned()
                .collect();
            if expected.keys().all(|k| have.contains(k)) {
                return Ok(());
            }
            // A restart may have killed a claimed delivery: its lease runs
            // on the manual clock, so move time past it. (A delivery still in
            // flight is then claimed and made again; only one outcome is
            // recorded: see `a_delivery_that_outlives_its_lease_…` below.)
            self.nudge_every_2s(&last_nudge);
            Err(have)
        })
        .await;
        if let Err(have) = arrived {
            panic!(
                "notifications missing: expected {:?}, received {have:?}",
                expected.keys().collect::<Vec<_>>()
            );
        }
        // The store: one notification per subject, acknowledged once.
        let subjects: Vec<(String, String)> = expected
            .iter()
            .map(|(k, (id, _))| (k.clone(), id.clone()))
            .collect();
        let rows = self
            .node
            .run(move |s| {
                Box::pin(async move {
                    let mut out = Vec::new();
                    for (key, id) in subjects {
                        let kind = key.split(':').next().unwrap().to_string();
                        let ns: Vec<_> = s
                            .store
                            .notifications_for(&id)
                            .await
                            .unwrap()
                            .into_iter()
                            .filter(|n| n.kind == kind)
                            .collect();
                        let mut acks = Vec::new();
                        for n in &ns {
                            let attempts =
                                s.store.delivery_attempts(&n.notification_id).await.unwrap();
                            acks.push(attempts.iter().filter(|a| a.acknowledged).count());
                        }
                        out.push((key, ns.len(), acks));
                    }
                    out
                })
            })
            .await;
        // Give the gateway a moment to record the acknowledgement it got.
        for (key, count, _) in &rows {
            assert_eq!(*count, 1, "{key}: one notification row per final state");
        }
        let recorded = eventually(Duration::from_secs(30), || async {
            let subjects: Vec<String> = expected.values().map(|(id, _)| id.clone()).collect();
            let unacked = self
                .node
                .run(move |s| {
                    Box::pin(async move {
                        let mut unacked = Vec::new();
                        for id in subjects {
                            for n in s.store.notifications_for(&id).await.unwrap() {
                                let a =
                                    s.store.delivery_attempts(&n.notification_id).await.unwrap();
                                let acks = a.iter().filter(|a| a.acknowledged).count();
                                if acks != 1 || n.status != "DELIVERED" {
                                    unacked.push((n.notification_id, n.status, acks));
                                }
                            }
                        }
                        unacked
                    })
                })
                .await;
            if unacked.is_empty() {
                return Ok(());
            }
            assert!(
                unacked.iter().all(|(_, _, acks)| *acks <= 1),
                "acknowledged more than once: {unacked:?}"
            );
            self.nudge_every_2s(&last_nudge);
            Err(unacked)
        })
        .await;
        if let Err(unacked) = recorded {
            panic!("notifications not recorded as acknowledged once: {unacked:?}");
        }
        let ledger = self.receiver.ledger.lock().unwrap();
        assert_eq!(ledger.bad_signatures, 0, "every notification is signed");
        for (key, deliveries) in &ledger.by_key {
            let (_, code) = expected
                .get(key)
                .unwrap_or_else(|| panic!("unexpected notification {key}: {deliveries:?}"));
            for d in deliveries {
                assert_eq!(
                    d.result_code, *code,
                    "{key}: every delivery carries the one final outcome: {}",
                    d.body
                );
            }
        }
    }
}

fn assert_result(r: &Value, code: &str) {
    assert_eq!(r["result"]["resultCode"], code, "{r}");
    let status = match code {
        "SUCCESS" => "S",
        "PAYMENT_IN_PROCESS" | "REFUND_IN_PROCESS" | "UNKNOWN_EXCEPTION" => "U",
        _ => "F",
    };
    assert_eq!(r["result"]["resultStatus"], status, "{r}");
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn random_operation_sequences_agree_with_the_reference_model() {
    let mut config = ProptestConfig {
        failure_persistence: None,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    };
    if std::env::var("PROPTEST_CASES").is_err() {
        config.cases = 32;
    }
    let max_steps = env_usize("MODEL_MAX_STEPS").unwrap_or(15);
    let cases = Arc::new(AtomicUsize::new(0));
    let steps = Arc::new(AtomicUsize::new(0));
    let (c, s) = (cases.clone(), steps.clone());
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&prop::collection::vec(op(), 1..=max_steps), move |ops| {
        c.fetch_add(1, Ordering::Relaxed);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let s = s.clone();
        let context = Arc::new(Mutex::new(String::new()));
        let ctx = context.clone();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            rt.block_on(async {
                let mut world = World::new().await;
                for (n, op) in ops.iter().enumerate() {
                    s.fetch_add(1, Ordering::Relaxed);
                    *ctx.lock().unwrap() = format!(
                        "step {n} {op:?}; model before it: {:?}; refunds {:?}",
                        world.model.payments, world.model.refunds
                    );
                    world.step(*op).await;
                }
                *ctx.lock().unwrap() = "final drain and notification check".into();
                world.drain_and_check_notifications().await;
            })
        }));
        rt.shutdown_background();
        result.map_err(|e| {
            let at = context.lock().map(|c| c.clone()).unwrap_or_default();
            TestCaseError::fail(format!("{}\n  at {at}", panic_message(&e)))
        })
    });
    eprintln!(
        "model test: {} cases, {} steps in {:.1}s",
        cases.load(Ordering::Relaxed),
        steps.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

/// Waits (up to 30 s) until the receiver's ledger satisfies `done`.
async fn wait_for(receiver: &Receiver, what: &str, done: impl Fn(&Ledger) -> bool) {
    let satisfied = eventually(Duration::from_secs(30), || {
        std::future::ready(done(&receiver.ledger.lock().unwrap()))
    })
    .await;
    assert!(satisfied, "timed out waiting for {what}");
}

/// The notification of `payment_id` and its recorded attempts.
async fn stored_notification(
    world: &World,
    payment_id: &str,
) -> (
    cashier_gateway::store::Notification,
    Vec<cashier_gateway::store::DeliveryAttempt>,
) {
    let id = payment_id.to_string();
    world
        .node
        .run(move |s| {
            Box::pin(async move {
                let mut ns = s.store.notifications_for(&id).await.unwrap();
                assert_eq!(ns.len(), 1, "{ns:?}");
                let n = ns.pop().unwrap();
                let a = s.store.delivery_attempts(&n.notification_id).await.unwrap();
                (n, a)
            })
        })
        .await
}

/// A delivery that outlives its claim's lease — a stalled node, a slow
/// commit, a clock step; here the manual clock moves past the lease while
/// the merchant's answer is late, as the model test's drain, its nudges
/// and `Advance` do — is claimed and made again (at least once). The
/// outcome that comes back on the claim that ran out is not recorded over
/// the newer claim's: a late acknowledgement is not a second acknowledged
/// attempt, and a late failure does not set the acknowledged notification
/// back to pending (to be delivered yet again) — one acknowledged attempt,
/// DELIVERED, and no delivery after it.
#[test]
fn a_delivery_that_outlives_its_lease_does_not_record_over_the_newer_claim() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut world = World::new().await;
        // Payment 0: the late answer acknowledges; payment 1: it fails.
        for (i, late_ack) in [(0, true), (1, false)] {
            let answered = world.receiver.ledger.lock().unwrap().answered;
            let gate = Arc::new(tokio::sync::Semaphore::new(0));
            world
                .receiver
                .ledger
                .lock()
                .unwrap()
                .replies
                .push_back((late_ack, Some(gate.clone())));
            world.create(i).await;
            world.simulate(i, true).await;
            let id = world.model.payments[i].payment_id.clone().unwrap();
            let key = format!("PAYMENT_RESULT:{id}");
            let received = |n: usize| {
                let key = key.clone();
                move |l: &Ledger| l.by_key.get(&key).map_or(0, Vec::len) == n
            };
            wait_for(&world.receiver, "the first delivery", received(1)).await;
            // The claim's lease (60 s) runs out while the answer is late:
            // the notification is claimed again, delivered and acknowledged.
            world.clock.advance(chrono::Duration::minutes(2));
            wait_for(&world.receiver, "the delivery made again", received(2)).await;
            let recorded = eventually(Duration::from_secs(30), || async {
                stored_notification(&world, &id).await.0.status == "DELIVERED"
            })
            .await;
            assert!(recorded, "second delivery not recorded");
            // Now the first answer comes back.
            gate.add_permits(1);
            wait_for(&world.receiver, "the late answer", |l| {
                l.answered >= answered + 2
            })
            .await;
            // Time to record it, and for a notification set back to pending
            // to be delivered again (the check is that neither happens).
            tokio::time::sleep(Duration::from_millis(500)).await;
            world.clock.advance(chrono::Duration::minutes(30));
            tokio::time::sleep(Duration::from_millis(500)).await;
            let (n, attempts) = stored_notification(&world, &id).await;
            let acks = attempts.iter().filter(|a| a.acknowledged).count();
            assert_eq!(
                (n.status.as_str(), n.attempts, acks),
                ("DELIVERED", 1, 1),
                "late {}: {n:?} {attempts:?}",
                if late_ack {
                    "acknowledgement"
                } else {
                    "failure"
                }
            );
            assert_eq!(
                world.receiver.ledger.lock().unwrap().by_key[&key].len(),
                2,
                "no delivery after the acknowledgement was recorded"
            );
        }
    });
    rt.shutdown_background();
}

fn panic_message(e: &Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic".into())
}
