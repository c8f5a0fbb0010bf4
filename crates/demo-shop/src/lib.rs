//! # cashier-demo-shop
//!
//! A small web shop that takes payments through an Antom-compatible hosted
//! checkout (Cashier, or Antom itself), built only on the
//! [`cashier_client`] SDK. It is what `cashier demo` runs, and it is meant to
//! be read and copied: every step a real merchant integration needs is here,
//! in one place each.
//!
//! | step | where |
//! |---|---|
//! | catalogue with images, cart kept server-side per browser | [`catalogue`], [`state`], `web` |
//! | checkout: createPaymentSession (goods × quantity × unit price = order amount = payment amount, in minor units), retried on `U` with the same `paymentRequestId`, then 303 to `normalUrl` | `web::checkout` |
//! | return page: the status from the verified notification, else from inquiryPayment | `web::order_page` |
//! | notifyPayment / notifyRefund: verified and parsed by the client's axum extractor, outcome stored, acknowledged | `notify` |
//! | orders page with full and partial refunds (idempotent `refundRequestId`) | `web::orders`, `web::refund` |
//!
//! Pages are server-rendered with askama (every value HTML-escaped), use one
//! small stylesheet and no JavaScript, make no external requests (strict
//! Content-Security-Policy), and every form carries a CSRF token tied to the
//! browser's session (an HttpOnly, SameSite=Lax cookie).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use cashier_client::{Client, ClientConfig};
//! use cashier_demo_shop::{serve, Shop, ShopConfig};
//!
//! let client = Client::new(ClientConfig::new(
//!     "http://127.0.0.1:8080",          // the gateway
//!     "SANDBOX_DEMO",                   // your client id
//!     "MIIEvAIBADANBgkqhkiG9w0BAQEFAASC...", // your private key
//!     "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A...", // the gateway public key
//! )?)?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8081").await?;
//! let public_url = format!("http://{}", listener.local_addr()?);
//! let shop = Shop::new(ShopConfig { client, public_url });
//! serve(listener, shop).await?;
//! # Ok(()) }
//! ```

pub mod catalogue;
mod notify;
mod pages;
mod session;
pub mod state;
mod web;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::FromRef;
use axum::http::{header, HeaderName, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use cashier_client::{Client, NotificationVerifier};
use tower_http::set_header::SetResponseHeaderLayer;

pub use notify::NOTIFY_PATH;

/// What the shop needs to run.
pub struct ShopConfig {
    /// The merchant's SDK client, configured for the gateway.
    pub client: Client,
    /// The shop's own base URL as the buyer's browser and the gateway reach
    /// it (e.g. `http://127.0.0.1:8081`): the base of `paymentRedirectUrl`
    /// and of the notify URLs.
    pub public_url: String,
}

/// A running shop's shared state; cheap to clone.
#[derive(Clone)]
pub struct Shop {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    /// What the notification extractor verifies with: the client's gateway
    /// key and client id.
    verifier: NotificationVerifier,
    public_url: String,
    data: Mutex<state::ShopData>,
}

impl Shop {
    pub fn new(config: ShopConfig) -> Shop {
        let verifier = config.client.notification_verifier();
        Shop {
            inner: Arc::new(Inner {
                client: config.client,
                verifier,
                public_url: config.public_url.trim_end_matches('/').to_string(),
                data: Mutex::new(state::ShopData::default()),
            }),
        }
    }

    /// The shop's base URL (no trailing slash).
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// The URL notifications are sent to.
    pub fn notify_url(&self) -> String {
        format!("{}{NOTIFY_PATH}", self.inner.public_url)
    }

    pub(crate) fn client(&self) -> &Client {
        &self.inner.client
    }

    pub(crate) fn data(&self) -> MutexGuard<'_, state::ShopData> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.inner
            .data
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Lets `VerifiedNotification` find the gateway key and client id in the
/// shop state.
impl FromRef<Shop> for NotificationVerifier {
    fn from_ref(shop: &Shop) -> NotificationVerifier {
        shop.inner.verifier.clone()
    }
}

/// The shop's routes, with security headers on every response.
pub fn router(shop: Shop) -> Router {
    // Forms post to the shop itself; the checkout form's 303 goes on to the
    // gateway, which `form-action` must allow too.
    let gateway_origin = origin(&shop.client().config().base_url);
    let csp = format!(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' {gateway_origin}; frame-ancestors 'none'; base-uri 'none'"
    );
    let csp = HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static(
        "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    ));
    let set =
        |name: HeaderName, value: HeaderValue| SetResponseHeaderLayer::if_not_present(name, value);
    Router::new()
        .route("/", get(web::catalogue))
        .route("/static/shop.css", get(web::stylesheet))
        .route("/img/{file}", get(web::image))
        .route("/cart", get(web::cart))
        .route("/cart/add", post(web::cart_add))
        .route("/cart/update", post(web::cart_update))
        .route("/checkout", post(web::checkout))
        .route("/orders", get(web::orders))
        .route("/orders/{id}", get(web::order_page))
        .route("/orders/{id}/refund", post(web::refund))
        .route(NOTIFY_PATH, post(notify::receive))
        .fallback(web::not_found)
        .layer(set(header::CONTENT_SECURITY_POLICY, csp))
        .layer(set(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(set(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(set(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .with_state(shop)
}

/// Serves the shop on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, shop: Shop) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(shop).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}

/// `scheme://host[:port]` of a URL (the whole string if it has no path).
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn origin_drops_the_path() {
        assert_eq!(
            super::origin("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            super::origin("https://pay.example.com/base/"),
            "https://pay.example.com"
        );
    }
}
