//! The suites' harness: the real server on a random loopback port with a fresh
//! store (a SQLite file; or, with `CASHIER_TEST_STORE=postgres` and
//! `CASHIER_TEST_POSTGRES_URL`, a fresh PostgreSQL database), a manual clock, a registered merchant driven through the
//! `cashier-client` SDK, a real notification receiver, and a buyer HTTP
//! client that uses the hosted page like a browser without JavaScript.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use cashier_client::Client;
use cashier_gateway::clock::ManualClock;
use cashier_gateway::state::AppState;
use cashier_gateway::store::{Attempt, Payment, PaymentId, Refund};
use cashier_gateway::{Application, Config};
use cashier_protocol::signing::PrivateKey;
use cashier_protocol::wire::{InquiryPaymentRequest, InquiryPaymentResponse};
use cashier_test_support::gateway::{
    client_config, create_merchant, sandbox_config, simulated_body, Served,
};
use cashier_test_support::ScratchDatabase;
pub use cashier_test_support::{
    b64, eventually, input_value, test_database, Received, Receiver, NOTIFY_PATH,
};
use serde_json::{json, Value};

pub mod browser;

pub struct TestApp {
    pub base_url: String,
    pub addr: SocketAddr,
    pub clock: ManualClock,
    pub state: AppState,
    /// The web layers' states (the checkout's logo cache, …).
    pub web: cashier_gateway::app::WebState,
    pub client_id: String,
    pub merchant_key: Arc<PrivateKey>,
    pub client: Client,
    pub receiver: Receiver,
    pub buyer: reqwest::Client,
    pub dir: tempfile::TempDir,
    server: Served,
    /// Dropped last: the scratch PostgreSQL database, if any.
    _database: Option<ScratchDatabase>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    /// The stored payment `payment_id`, if any.
    pub async fn stored_payment(&self, payment_id: &str) -> Option<Payment> {
        self.state
            .store
            .payment(&PaymentId::from(payment_id))
            .await
            .unwrap()
    }

    /// The stored attempts of payment `payment_id`, oldest first.
    pub async fn stored_attempts(&self, payment_id: &str) -> Vec<Attempt> {
        self.state
            .store
            .attempts(&PaymentId::from(payment_id))
            .await
            .unwrap()
    }

    /// The stored refunds of payment `payment_id`.
    pub async fn stored_refunds(&self, payment_id: &str) -> Vec<Refund> {
        self.state
            .store
            .refunds_for_payment(&PaymentId::from(payment_id))
            .await
            .unwrap()
    }

    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = sandbox_config(dir.path());
        // The suites send bursts of requests that fail authentication on
        // purpose and check each answer's signature: the per-address limit
        // on those is tested through the real binary (crates/cashier/tests/cashier/security.rs).
        config.auth_failure_limit = 0;
        config.worker_interval = Duration::from_millis(20);
        config.notify_timeout = Duration::from_secs(2);
        let database = test_database().await;
        if let Some(db) = &database {
            // Small pools: many apps run at once against one server.
            let sep = if db.url.contains('?') { '&' } else { '?' };
            config.database_url = Some(format!("{}{sep}max_connections=6", db.url));
        }
        tweak(&mut config);
        let clock = ManualClock::starting_now();
        let server = Served::spawn(
            Application::build_with_clock(config, Arc::new(clock.clone()))
                .await
                .expect("gateway starts"),
        );
        let (addr, state, web) = (server.addr, server.state.clone(), server.web.clone());
        let base_url = server.base_url.clone();
        let receiver = Receiver::start().await;
        let (client_id, key) = create_merchant(
            &state,
            "Lion City Goods",
            Some("SANDBOX_TEST_MERCHANT"),
            0,
            cashier_gateway::clock::Clock::now_ts(&clock),
        )
        .await;
        let client = merchant_client(&state, &clock, &client_id, &key);
        let buyer = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            base_url,
            addr,
            clock,
            state,
            web,
            client_id,
            merchant_key: Arc::new(key),
            client,
            receiver,
            buyer,
            dir,
            server,
            _database: database,
        }
    }

    /// Registers another merchant with a generated key and returns a client
    /// for it (same clock and gateway as the suite's own merchant).
    pub async fn add_merchant(&self, client_id: &str, fee_bps: u32) -> Client {
        self.add_named_merchant(client_id, "Second Shop", fee_bps)
            .await
    }

    /// [`TestApp::add_merchant`] with the merchant's name.
    pub async fn add_named_merchant(&self, client_id: &str, name: &str, fee_bps: u32) -> Client {
        let now = cashier_gateway::clock::Clock::now_ts(&self.clock);
        let (client_id, key) =
            create_merchant(&self.state, name, Some(client_id), fee_bps, now).await;
        merchant_client(&self.state, &self.clock, &client_id, &key)
    }

    pub fn notify_url(&self) -> String {
        self.receiver.notify_url()
    }

    /// A complete createPaymentSession body for SGD 60.00 (two goods): valid
    /// and without integration warnings.
    pub fn session_request(&self, request_id: &str) -> Value {
        json!({
            "productCode": "CASHIER_PAYMENT",
            "productScene": "CHECKOUT_PAYMENT",
            "paymentRequestId": request_id,
            "order": {
                "referenceOrderId": format!("ORDER-{request_id}"),
                "orderDescription": "Kopi and kaya toast",
                "orderAmount": {"currency": "SGD", "value": "6000"},
                "goods": [
                    {"referenceGoodsId": "KOPI", "goodsName": "Kopi", "goodsQuantity": "2",
                     "goodsUnitAmount": {"currency": "SGD", "value": "1500"}},
                    {"referenceGoodsId": "TOAST", "goodsName": "Kaya toast", "goodsQuantity": "1",
                     "goodsUnitAmount": {"currency": "SGD", "value": "3000"}}
                ],
                "buyer": {"referenceBuyerId": "BUYER-1", "buyerName": {"fullName": "Tan Ah Kow"},
                          "buyerEmail": "ahkow@example.com", "buyerPhoneNo": "+6581234567"}
            },
            "paymentAmount": {"currency": "SGD", "value": "6000"},
            "settlementStrategy": {"settlementCurrency": "SGD"},
            "paymentRedirectUrl": format!("https://merchant.example.com/return?order={request_id}"),
            "paymentNotifyUrl": self.notify_url(),
            "env": {"terminalType": "WEB", "clientIp": "203.0.113.7"}
        })
    }

    /// Sends raw bytes to an API path with a valid signature.
    pub async fn call(&self, path: &str, body: &Value) -> Value {
        let raw = self
            .client
            .send_raw(path, body.to_string().as_bytes())
            .await
            .expect("signed, verified response");
        serde_json::from_str(&raw.body).expect("JSON body")
    }

    pub async fn create_session(&self, request_id: &str) -> Value {
        let body = self.session_request(request_id);
        let r = self
            .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
            .await;
        assert_eq!(r["result"]["resultStatus"], "S", "{r}");
        r
    }

    /// Creates a session whose page speaks `locale` (as the API spells it,
    /// `zh_CN`); its normalUrl.
    pub async fn create_session_in(&self, request_id: &str, locale: &str) -> String {
        let mut body = self.session_request(request_id);
        body["locale"] = json!(locale);
        let r = self
            .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
            .await;
        assert_eq!(r["result"]["resultStatus"], "S", "{r}");
        r["normalUrl"].as_str().unwrap().to_string()
    }

    pub async fn inquiry(&self, request_id: &str) -> InquiryPaymentResponse {
        self.client
            .inquiry_payment(&InquiryPaymentRequest {
                payment_request_id: Some(request_id.into()),
                ..Default::default()
            })
            .await
            .expect("inquiry succeeds")
    }

    /// Path part of a normalUrl.
    pub fn page_path(normal_url: &str) -> String {
        let u = url::Url::parse(normal_url).unwrap();
        u.path().to_string()
    }

    pub async fn get_page(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .buyer
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.text().await.unwrap())
    }

    /// GETs a page that may redirect: the status and the Location (for a
    /// redirect) or the body.
    pub async fn get_redirect(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .buyer
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .unwrap();
        let status = r.status();
        match r.headers().get("location") {
            Some(loc) => (status, loc.to_str().unwrap().to_string()),
            None => (status, r.text().await.unwrap()),
        }
    }

    /// Submits the checkout form as a browser would, returning the status
    /// and the Location (for 303) or the body.
    pub async fn submit_checkout(
        &self,
        checkout_path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let (_, html) = self.get_page(checkout_path).await;
        self.submit_checkout_with(checkout_path, &html, fields)
            .await
    }

    pub async fn submit_checkout_with(
        &self,
        checkout_path: &str,
        html: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let mut form: Vec<(String, String)> = vec![
            (
                "csrf_token".into(),
                input_value(html, "csrf_token").expect("csrf field"),
            ),
            (
                "attempt_nonce".into(),
                input_value(html, "attempt_nonce").expect("nonce field"),
            ),
        ];
        form.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.post_form(&format!("{checkout_path}/pay"), &form).await
    }

    pub async fn post_form(&self, path: &str, form: &[(String, String)]) -> (StatusCode, String) {
        let r = self
            .buyer
            .post(format!("{}{path}", self.base_url))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status();
        if status == StatusCode::SEE_OTHER {
            let loc = r.headers()["location"].to_str().unwrap().to_string();
            return (status, loc);
        }
        (status, r.text().await.unwrap())
    }

    pub async fn pay_with_card(&self, checkout_path: &str, number: &str) -> (StatusCode, String) {
        self.submit_checkout(
            checkout_path,
            &[
                ("method", "CARD"),
                ("card_number", number),
                ("card_expiry", "12/39"),
                ("card_cvc", "123"),
                ("card_name", "Tan Ah Kow"),
            ],
        )
        .await
    }

    /// `POST /sandbox/simulate/pay` for this merchant's `paymentRequestId`
    /// with `outcome` (and `paymentMethodType` when given): the answer.
    pub async fn simulate_pay(&self, rid: &str, outcome: &str, method: Option<&str>) -> Value {
        let mut body = json!({"clientId": self.client_id,
            "paymentRequestId": rid, "outcome": outcome});
        if let Some(m) = method {
            body["paymentMethodType"] = m.into();
        }
        simulated_body(&self.buyer, &self.base_url, &body).await
    }

    /// Runs the background sweep once (expiry, async settlement).
    pub async fn sweep(&self) -> usize {
        cashier_gateway::workers::sweep_once(&self.state.workers)
            .await
            .unwrap()
    }

    /// Waits until the receiver holds `n` acknowledged notifications.
    pub async fn wait_for_notifications(&self, n: usize) -> Vec<Received> {
        self.receiver
            .wait_for_acknowledged(n, Duration::from_secs(5))
            .await
    }
}

/// The SDK client of a merchant of the gateway of `state`, on the suite's
/// manual `clock` (its `request-time` headers follow the clock).
fn merchant_client(
    state: &AppState,
    clock: &ManualClock,
    client_id: &str,
    key: &PrivateKey,
) -> Client {
    let mut cfg = client_config(state, client_id, key);
    let c = clock.clone();
    cfg.time_source = Arc::new(move || cashier_gateway::clock::Clock::now(&c));
    Client::new(cfg).expect("client")
}
