//! The real gateway (`cashier_gateway::Application`, exactly what
//! `cashier serve` runs) on a random loopback port with a fresh SQLite data
//! dir and the system clock, one registered merchant, and a notify receiver
//! that records what the gateway posts.

use std::time::Duration;

use cashier_client::{Amount, Client, ClientConfig, Currency, PrivateKey, PublicKey};
use cashier_gateway::state::AppState;
use cashier_gateway::{Application, Config};
use cashier_test_support::gateway::{
    client_config, create_merchant, sandbox_config, simulated_body, Served,
};

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
    /// Dropped (aborted) before the data dir goes.
    _server: Served,
    _dir: tempfile::TempDir,
}

impl Gateway {
    pub async fn start() -> Gateway {
        Gateway::start_with(|_| {}).await
    }

    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Gateway {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = sandbox_config(dir.path());
        config.worker_interval = Duration::from_millis(50);
        config.notify_timeout = Duration::from_secs(5);
        config.notify_retry_schedule = vec![Duration::ZERO, Duration::from_secs(1)];
        tweak(&mut config);
        let server = Served::spawn(Application::build(config).await.expect("gateway starts"));
        let state = server.state.clone();
        let base_url = server.base_url.clone();
        let receiver = Receiver::start().await;
        let (client_id, merchant_key) = create_merchant(
            &state,
            "SDK Test Shop",
            Some(CLIENT_ID),
            0,
            chrono::Utc::now().into(),
        )
        .await;
        let gateway_public_key =
            PublicKey::from_der(&state.gateway_key.public.to_spki_der()).unwrap();
        Gateway {
            base_url,
            state,
            client_id,
            merchant_key,
            gateway_public_key,
            receiver,
            _server: server,
            _dir: dir,
        }
    }

    /// A client configured the way a merchant would: from the key texts.
    pub fn client(&self) -> Client {
        self.client_with(|c| c)
    }

    pub fn client_with(&self, tweak: impl FnOnce(ClientConfig) -> ClientConfig) -> Client {
        let config = client_config(&self.state, &self.client_id, &self.merchant_key);
        Client::new(tweak(config)).expect("client")
    }

    pub fn notify_url(&self) -> String {
        self.receiver.notify_url()
    }

    /// A second merchant on the same gateway — its notifications are signed
    /// with the same gateway key — as that merchant's client.
    pub async fn other_merchant(&self, client_id: &str) -> Client {
        let (client_id, key) = create_merchant(
            &self.state,
            "Another Shop",
            Some(client_id),
            0,
            chrono::Utc::now().into(),
        )
        .await;
        Client::new(client_config(&self.state, &client_id, &key)).expect("client")
    }

    /// Completes a payment through the sandbox simulation endpoint, as a
    /// buyer paying on the hosted page would.
    pub async fn pay(&self, payment_request_id: &str, outcome: &str) {
        self.pay_for(&self.client_id, payment_request_id, outcome)
            .await
    }

    /// [`Gateway::pay`] for a payment of the merchant `client_id`.
    pub async fn pay_for(&self, client_id: &str, payment_request_id: &str, outcome: &str) {
        let r = simulated_body(
            &reqwest::Client::new(),
            &self.base_url,
            &serde_json::json!({
                "clientId": client_id,
                "paymentRequestId": payment_request_id,
                "outcome": outcome,
                "paymentMethodType": "CARD",
            }),
        )
        .await;
        assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    }
}
