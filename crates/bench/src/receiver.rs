//! The built-in merchant notification receiver: verifies each
//! `notifyPayment` signature with the gateway key, acknowledges it, counts
//! unique and duplicate deliveries, and wakes whoever waits for a given
//! `paymentRequestId` (the full payment path measures until this moment).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Result;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use cashier_protocol::signing::{verify_message, PublicKey};
use tokio::sync::oneshot;

pub const NOTIFY_PATH: &str = "/notify";

#[derive(Default)]
pub struct Counters {
    pub received: AtomicU64,
    pub unique: AtomicU64,
    pub duplicates: AtomicU64,
    pub bad_signature: AtomicU64,
    pub bad_body: AtomicU64,
}

pub struct Inner {
    key: Mutex<Option<Arc<PublicKey>>>,
    seen: Mutex<HashSet<String>>,
    waiters: Mutex<HashMap<String, oneshot::Sender<Instant>>>,
    pub counters: Counters,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub inner: Arc<Inner>,
}

impl Receiver {
    pub async fn start() -> Result<Receiver> {
        let inner = Arc::new(Inner {
            key: Mutex::new(None),
            seen: Mutex::new(HashSet::new()),
            waiters: Mutex::new(HashMap::new()),
            counters: Counters::default(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = Router::new()
            .route(NOTIFY_PATH, post(receive))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Receiver {
            url: format!("http://{addr}{NOTIFY_PATH}"),
            inner,
        })
    }

    /// The gateway public key notifications must verify with.
    pub fn set_key(&self, key: PublicKey) {
        *self.inner.key.lock().unwrap() = Some(Arc::new(key));
    }

    /// Resolves when the notification for `payment_request_id` arrives.
    pub fn wait_for(&self, payment_request_id: &str) -> oneshot::Receiver<Instant> {
        let (tx, rx) = oneshot::channel();
        self.inner
            .waiters
            .lock()
            .unwrap()
            .insert(payment_request_id.to_string(), tx);
        rx
    }

    pub fn unique(&self) -> u64 {
        self.inner.counters.unique.load(Ordering::Relaxed)
    }

    pub fn snapshot(&self) -> serde_json::Value {
        let c = &self.inner.counters;
        serde_json::json!({
            "received": c.received.load(Ordering::Relaxed),
            "unique": c.unique.load(Ordering::Relaxed),
            "duplicates": c.duplicates.load(Ordering::Relaxed),
            "badSignature": c.bad_signature.load(Ordering::Relaxed),
            "badBody": c.bad_body.load(Ordering::Relaxed),
        })
    }
}

const ACK: &str =
    r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}"#;

async fn receive(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let at = Instant::now();
    let c = &inner.counters;
    c.received.fetch_add(1, Ordering::Relaxed);
    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    let key = inner.key.lock().unwrap().clone();
    if let Some(key) = key {
        if verify_message(
            &key,
            h("signature"),
            NOTIFY_PATH,
            h("client-id"),
            h("request-time"),
            &body,
        )
        .is_err()
        {
            c.bad_signature.fetch_add(1, Ordering::Relaxed);
            return (StatusCode::UNAUTHORIZED, "bad signature").into_response();
        }
    }
    let parsed: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => {
            c.bad_body.fetch_add(1, Ordering::Relaxed);
            return (StatusCode::BAD_REQUEST, "bad body").into_response();
        }
    };
    let Some(id) = parsed["paymentRequestId"].as_str() else {
        c.bad_body.fetch_add(1, Ordering::Relaxed);
        return (StatusCode::BAD_REQUEST, "no paymentRequestId").into_response();
    };
    let first = inner.seen.lock().unwrap().insert(id.to_string());
    if first {
        c.unique.fetch_add(1, Ordering::Relaxed);
    } else {
        c.duplicates.fetch_add(1, Ordering::Relaxed);
    }
    if let Some(tx) = inner.waiters.lock().unwrap().remove(id) {
        let _ = tx.send(at);
    }
    (
        StatusCode::OK,
        [("content-type", "application/json; charset=UTF-8")],
        ACK,
    )
        .into_response()
}
