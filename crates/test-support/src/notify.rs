//! A merchant's notification endpoint that records what the gateway posts.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use cashier_protocol::wire::PaymentNotification;

use crate::{eventually, header_text, serve_router};

/// The path the [`Receiver`] listens on.
pub const NOTIFY_PATH: &str = "/antom/notify";

/// One request the [`Receiver`] got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    /// The `client-id`, `request-time` and `signature` headers ("" when absent).
    pub client_id: String,
    pub request_time: String,
    pub signature: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Whether it was answered with the acknowledgement (not a 500).
    pub acknowledged: bool,
}

impl Received {
    /// A header that must be there.
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).unwrap().to_str().unwrap()
    }

    /// The body as a payment notification.
    pub fn notification(&self) -> PaymentNotification {
        serde_json::from_slice(&self.body).expect("notification JSON")
    }
}

#[derive(Default)]
struct ReceiverState {
    received: Vec<Received>,
    /// Answer this many requests with HTTP 500 before acknowledging.
    fail_next: usize,
}

/// A merchant's notification endpoint on a random loopback port: records
/// every request and acknowledges it (unless told to fail the next ones).
#[derive(Clone)]
pub struct Receiver {
    pub base_url: String,
    state: Arc<Mutex<ReceiverState>>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let state = Arc::new(Mutex::new(ReceiverState::default()));
        let router = Router::new()
            .route(NOTIFY_PATH, post(receive))
            .with_state(state.clone());
        let base_url = serve_router(router).await;
        Receiver { base_url, state }
    }

    /// The URL to give as `paymentNotifyUrl`.
    pub fn notify_url(&self) -> String {
        format!("{}{NOTIFY_PATH}", self.base_url)
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// Answers the next `n` requests with HTTP 500.
    pub fn fail_next(&self, n: usize) {
        self.state.lock().unwrap().fail_next = n;
    }

    /// Waits (up to 30 s) until a notification whose body contains `needle`
    /// has arrived.
    pub async fn wait_for(&self, needle: &str) -> Received {
        eventually(Duration::from_secs(30), || async {
            self.received()
                .into_iter()
                .find(|r| String::from_utf8_lossy(&r.body).contains(needle))
        })
        .await
        .unwrap_or_else(|| panic!("no notification containing {needle:?} within 30 s"))
    }

    /// Waits (up to `within`) until `n` notifications were acknowledged:
    /// everything received by then.
    pub async fn wait_for_acknowledged(&self, n: usize, within: Duration) -> Vec<Received> {
        eventually(within, || async {
            let got = self.received();
            (got.iter().filter(|r| r.acknowledged).count() >= n).then_some(got)
        })
        .await
        .unwrap_or_else(|| {
            panic!(
                "expected {n} acknowledged notifications, got {:?}",
                self.received()
            )
        })
    }
}

async fn receive(
    State(state): State<Arc<Mutex<ReceiverState>>>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let h = |n: &str| header_text(&headers, n);
    let mut s = state.lock().unwrap();
    let acknowledged = if s.fail_next > 0 {
        s.fail_next -= 1;
        false
    } else {
        true
    };
    s.received.push(Received {
        path: NOTIFY_PATH.into(),
        client_id: h("client-id"),
        request_time: h("request-time"),
        signature: h("signature"),
        headers: headers.clone(),
        body,
        acknowledged,
    });
    if acknowledged {
        (StatusCode::OK, cashier_protocol::wire::ack_body()).into_response()
    } else {
        (StatusCode::INTERNAL_SERVER_ERROR, "try later").into_response()
    }
}
