//! The gateway in the test's own process (feature `gateway`): what the
//! gateway's `TestApp`, the client's `Gateway` and the demo shop's `World`
//! each set up the same way — a sandbox [`Config`] on a random loopback port,
//! the [`Application`] served in a task ([`Served`]), merchants registered
//! with generated keys ([`create_merchant`]) and their SDK clients
//! ([`client_config`]) — plus the sandbox simulation endpoint that also
//! the real binary's tests pay through ([`simulate_pay`]), and pages as text
//! ([`body_text`]).
//!
//! Each harness keeps what only it needs (its clock, timings, store backend,
//! browsers) and tweaks the [`Config`] before building the application.

use std::net::SocketAddr;
use std::path::Path;

use cashier_client::ClientConfig;
use cashier_gateway::app::WebState;
use cashier_gateway::merchants::{self, NewMerchant};
use cashier_gateway::state::AppState;
use cashier_gateway::store::Timestamp;
use cashier_gateway::{Application, Config};
use cashier_protocol::signing::PrivateKey;
use serde_json::{json, Value};

/// The configuration of a sandbox gateway on a random loopback port with its
/// data (a SQLite file, unless `database_url` is set) in `dir`: private
/// notification URLs allowed (the tests' receivers are on loopback) and the
/// sandbox simulation endpoint on.
pub fn sandbox_config(dir: &Path) -> Config {
    let mut config = Config::new(dir);
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.allow_private_notify = true;
    config.sandbox_simulation = true;
    config
}

/// A built [`Application`] served in a Tokio task, aborted when this is
/// dropped (or on [`Served::abort`]).
pub struct Served {
    /// The application's state (its store, keys, workers).
    pub state: AppState,
    /// The web layers' states (the checkout's logo cache, …).
    pub web: WebState,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its public URL (`http://127.0.0.1:PORT`).
    pub base_url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Served {
    /// Serves `app` until dropped.
    pub fn spawn(app: Application) -> Served {
        let state = app.state();
        let web = app.web();
        let addr = app.addr();
        let base_url = state.public_url.clone();
        let task = tokio::spawn(async move {
            app.run_until_stopped().await.expect("server runs");
        });
        Served {
            state,
            web,
            addr,
            base_url,
            task,
        }
    }

    /// Stops serving.
    pub fn abort(&self) {
        self.task.abort();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Registers a merchant named `name` with a generated key in the store of
/// `state`, as `cashier merchant create --generate-key` does (`client_id`
/// `None`: a generated one; `now`: its creation time on the harness's
/// clock): its client id and private key.
pub async fn create_merchant(
    state: &AppState,
    name: &str,
    client_id: Option<&str>,
    fee_bps: u32,
    now: Timestamp,
) -> (String, PrivateKey) {
    let created = merchants::create(
        state.store.as_ref(),
        NewMerchant {
            name,
            client_id,
            public_key: None,
            generate_key: true,
            notify_url: None,
            logo: None,
            fee_bps,
            now,
        },
    )
    .await
    .expect("merchant created");
    let key = created.private_key.expect("generated key");
    (created.merchant.client_id.to_string(), key)
}

/// The SDK configuration of the merchant `client_id` with `key` for the
/// gateway of `state`, from the key texts as a merchant configures it
/// (base64 PKCS#8 and the gateway's public key).
pub fn client_config(state: &AppState, client_id: &str, key: &PrivateKey) -> ClientConfig {
    ClientConfig::new(
        &state.public_url,
        client_id,
        &crate::b64(&key.to_pkcs8_der()),
        &state.gateway_key.public.to_base64(),
    )
    .expect("client config")
}

/// `POST {base}/sandbox/simulate/pay` for the merchant's payment `rid`
/// (the sandbox chooses the method).
pub fn simulate_pay(
    http: &reqwest::Client,
    base: &str,
    client_id: &str,
    rid: &str,
    outcome: &str,
) -> reqwest::RequestBuilder {
    simulate_pay_body(
        http,
        base,
        &json!({"clientId": client_id, "paymentRequestId": rid, "outcome": outcome}),
    )
}

/// `POST {base}/sandbox/simulate/pay` with the JSON `body`.
pub fn simulate_pay_body(
    http: &reqwest::Client,
    base: &str,
    body: &Value,
) -> reqwest::RequestBuilder {
    http.post(format!("{base}/sandbox/simulate/pay")).json(body)
}

/// [`simulate_pay`], which must answer: its JSON body.
pub async fn simulated(
    http: &reqwest::Client,
    base: &str,
    client_id: &str,
    rid: &str,
    outcome: &str,
) -> Value {
    answer(simulate_pay(http, base, client_id, rid, outcome)).await
}

/// [`simulate_pay_body`], which must answer: its JSON body.
pub async fn simulated_body(http: &reqwest::Client, base: &str, body: &Value) -> Value {
    answer(simulate_pay_body(http, base, body)).await
}

/// Sends `request`, which must be answered: the body as text (a page, as a
/// browser would get it).
pub async fn body_text(request: reqwest::RequestBuilder) -> String {
    request.send().await.unwrap().text().await.unwrap()
}

async fn answer(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}
