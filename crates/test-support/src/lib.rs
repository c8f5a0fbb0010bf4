//! What the integration tests of the gateway, client, demo shop and binary
//! crates share (issue #19): [`eventually`] instead of hand-written polling
//! loops, a merchant's notification endpoint ([`Receiver`]), scratch
//! PostgreSQL databases, free loopback ports, HTML form scraping and key text;
//! [`modules`], the import graph that the gateway's and the store's
//! dependency checks read; and, with the feature `gateway`, `gateway`: the
//! gateway served in the test's process with merchants and their SDK
//! clients, and the sandbox's simulated payments.
//!
//! Each crate's tests keep what only they use (the gateway's `TestApp`, the
//! binary's process harness) in their own `common` module.

mod eventually;
#[cfg(feature = "gateway")]
pub mod gateway;
pub mod modules;
mod notify;
mod postgres;

pub use eventually::{eventually, Settled};
pub use notify::{Received, Receiver, NOTIFY_PATH};
pub use postgres::{scratch_database, test_database, ScratchDatabase};

/// A loopback port that was free a moment ago (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Serves `router` on a random loopback port for the rest of the test: its
/// base URL (`http://127.0.0.1:PORT`).
pub async fn serve_router(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base_url
}

/// The text of the request header `name` ("" when absent or not text): how
/// the tests' notification endpoints read `client-id`, `request-time` and
/// `signature`.
pub fn header_text(headers: &axum::http::HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// The `value` of `<input ... name="NAME" value="...">`.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// Standard base64 with padding (how keys are given to the SDKs).
pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// PEM armour around DER, 64-character lines.
pub fn pem(label: &str, der: &[u8]) -> String {
    let body = b64(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}
