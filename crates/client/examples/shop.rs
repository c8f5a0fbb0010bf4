//! The shortest working integration (README "Rust"): a checkout route that
//! creates a payment session and redirects the buyer to the hosted page, and
//! a notify route that verifies, parses and acknowledges notifications.
//!
//! ```sh
//! CASHIER_URL=http://127.0.0.1:8080 CLIENT_ID=SANDBOX_... MERCHANT_PRIVATE_KEY=MIIE... \
//! GATEWAY_PUBLIC_KEY=MIIB... SHOP_URL=http://127.0.0.1:3000 \
//!   cargo run -p cashier-client --features axum --example shop
//! ```
//! Then open `$SHOP_URL/checkout`. (The gateway must be allowed to post to a
//! loopback notify URL: `cashier serve --allow-private-notify`.)

use std::sync::Arc;

use axum::extract::{FromRef, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use cashier_client::axum::{Acknowledge, VerifiedNotification};
use cashier_client::{
    Amount, Buyer, Client, ClientConfig, CreatePaymentSession, Currency, Goods, Notification,
    NotificationVerifier, Order,
};

#[derive(Clone)]
struct Shop {
    client: Arc<Client>,
    url: String,
}

/// The extractor verifies with the client's gateway key and client id.
impl FromRef<Shop> for NotificationVerifier {
    fn from_ref(shop: &Shop) -> NotificationVerifier {
        shop.client.notification_verifier()
    }
}

/// 1. Create a session for the order and send the buyer to the hosted page.
async fn checkout(State(shop): State<Shop>) -> Result<Redirect, String> {
    let sgd = Currency::from_code("SGD").expect("SGD is supported");
    let order_id = format!("ORDER-{}", chrono::Utc::now().timestamp_millis());
    let order = Order::with_goods(
        &order_id,
        "Kopi",
        [Goods::new("KOPI", "Kopi", Amount::new(sgd, 350), 2)], // SGD 3.50 × 2
    )
    .map_err(|e| e.to_string())?
    .buyer(Buyer::new("BUYER-7", "Tan Ah Kow"));
    let payment_request_id = format!("PAY-{order_id}");
    let request = CreatePaymentSession::new(
        &payment_request_id,
        order,
        format!("{}/orders/{order_id}", shop.url),
    )
    .notify_url(format!("{}/antom/notify", shop.url));
    let session = shop
        .client
        .send(&request)
        .await
        .map_err(|e| e.to_string())?;
    println!("created {payment_request_id}: {}", session.normal_url);
    Ok(Redirect::to(&session.normal_url))
}

/// 2. Verified — signature, and addressed to our client id — (else 401) and
///    parsed (else 400) before this runs.
async fn notify(VerifiedNotification(n): VerifiedNotification) -> Acknowledge {
    if let Notification::Payment(p) = &n {
        // Mark the order, once per paymentId, after checking the amount is the order's.
        println!(
            "{} paid: {} ({:?})",
            p.payment_request_id,
            n.is_success(),
            n.amount()
        );
    }
    // Refunds and unknown types: acknowledged too, or they are sent again.
    Acknowledge // HTTP 200 + the SUCCESS body
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let config = ClientConfig::new(
        &env("CASHIER_URL")?,
        &env("CLIENT_ID")?,
        &env("MERCHANT_PRIVATE_KEY")?,
        &env("GATEWAY_PUBLIC_KEY")?,
    )?;
    let shop = Shop {
        client: Arc::new(Client::new(config)?),
        url: env("SHOP_URL")?,
    };
    let app = Router::new()
        .route("/checkout", get(checkout))
        .route("/antom/notify", post(notify))
        .with_state(shop.clone());
    let addr = shop.url.trim_start_matches("http://");
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
