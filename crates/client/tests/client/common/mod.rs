//! The real gateway (`cashier_gateway::Application`, exactly what
//! `cashier serve` runs) on a random loopback port with a fresh SQLite data
//! dir and the system clock, one registered merchant, and a notify receiver
//! that records what the gateway posts.

use std::time::Duration;

use cashier_client::{Amount, Client, ClientConfig, Currency, PrivateKey, PublicKey};
use cashier_gateway::merchants::{self, NewMerchant};
use cashier_gateway::state::AppState;
use cashier_gateway::{Application, Config};

pub use cashier_test_support::{b64, pem, Receiver, NOTIFY_PATH};

pub const CLIENT_ID: &str = "SANDBOX_CLIENT_SDK_TEST";

pub fn sgd(minor: u64) -> Amount {
    Amount::new(Currency::from_code("SGD").unwrap(), minor)
}

pub struct Gateway {
    pub base_url: String,
    pub state: AppState,
    pub client_id: String,
    pub merchant_key: PrivateKey,
    pub gateway_public_key: PublicKey,
    pub receiver: Receiver,
    _dir: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Gateway {
    pub async fn start() -> Gateway {
        Gateway::start_with(|_| {}).await
    }

    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Gateway {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::new(dir.path());
        config.listen = "127.0.0.1:0".parse().unwrap();
        config.allow_private_notify = true;
        config.sandbox_simulation = true;
        config.worker_interval = Duration::from_millis(50);
        config.notify_timeout = Duration::from_secs(5);
        config.notify_retry_schedule = vec![Duration::ZERO, Duration::from_secs(1)];
        tweak(&mut config);
        let app = Application::build(config).await.expect("gateway starts");
        let state = app.state();
        let base_url = state.public_url.clone();
        let server = tokio::spawn(async move {
            app.run_until_stopped().await.expect("server runs");
        });
        let receiver = Receiver::start().await;
        let created = merchants::create(
            state.store.as_ref(),
            NewMerchant {
                name: "SDK Test Shop",
                client_id: Some(CLIENT_ID),
                public_key: None,
                generate_key: true,
                notify_url: None,
                logo: None,
                fee_bps: 0,
                now_ms: chrono::Utc::now().timestamp_millis(),
            },
        )
        .await
        .expect("merchant created");
        let merchant_key = created.private_key.expect("generated key");
        let gateway_public_key =
            PublicKey::from_der(&state.gateway_key.public.to_spki_der()).unwrap();
        Gateway {
            base_url,
            state,
            client_id: created.merchant.client_id.to_string(),
            merchant_key,
            gateway_public_key,
            receiver,
            _dir: dir,
            server,
        }
    }

    /// The merchant's private key as base64 PKCS#8 (what Java/Go/.NET take).
    pub fn merchant_key_pkcs8(&self) -> String {
        b64(&self.merchant_key.to_pkcs8_der())
    }

    pub fn gateway_key_b64(&self) -> String {
        self.gateway_public_key.to_base64()
    }

    /// A client configured the way a merchant would: from the key texts.
    pub fn client(&self) -> Client {
        self.client_with(|c| c)
    }

    pub fn client_with(&self, tweak: impl FnOnce(ClientConfig) -> ClientConfig) -> Client {
        let config = ClientConfig::new(
            &self.base_url,
            &self.client_id,
            &self.merchant_key_pkcs8(),
            &self.gateway_key_b64(),
        )
        .expect("client config");
        Client::new(tweak(config)).expect("client")
    }

    pub fn notify_url(&self) -> String {
        self.receiver.notify_url()
    }

    /// A second merchant on the same gateway — its notifications are signed
    /// with the same gateway key — as that merchant's client.
    pub async fn other_merchant(&self, client_id: &str) -> Client {
        let created = merchants::create(
            self.state.store.as_ref(),
            NewMerchant {
                name: "Another Shop",
                client_id: Some(client_id),
                public_key: None,
                generate_key: true,
                notify_url: None,
                logo: None,
                fee_bps: 0,
                now_ms: chrono::Utc::now().timestamp_millis(),
            },
        )
        .await
        .expect("merchant created");
        let key = created.private_key.expect("generated key");
        let config = ClientConfig::new(
            &self.base_url,
            client_id,
            &b64(&key.to_pkcs8_der()),
            &self.gateway_key_b64(),
        )
        .expect("client config");
        Client::new(config).expect("client")
    }

    /// Completes a payment through the sandbox simulation endpoint, as a
    /// buyer paying on the hosted page would.
    pub async fn pay(&self, payment_request_id: &str, outcome: &str) {
        self.pay_for(&self.client_id, payment_request_id, outcome)
            .await
    }

    /// [`Gateway::pay`] for a payment of the merchant `client_id`.
    pub async fn pay_for(&self, client_id: &str, payment_request_id: &str, outcome: &str) {
        let r: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/sandbox/simulate/pay", self.base_url))
            .json(&serde_json::json!({
                "clientId": client_id,
                "paymentRequestId": payment_request_id,
                "outcome": outcome,
                "paymentMethodType": "CARD",
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    }
}
