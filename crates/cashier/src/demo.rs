//! `cashier demo`: the gateway plus a one-product demo shop, with nothing to
//! configure. The shop is a real merchant: it creates sessions with the Rust
//! SDK (`cashier-client`), receives and verifies notifications, and shows
//! the order status from inquiryPayment.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine as _;
use cashier_client::{verify_notification, Client, ClientConfig};
use cashier_gateway::{merchants, Application, Config};
use cashier_protocol::signing::PublicKey;
use cashier_protocol::wire::{
    Buyer, CreatePaymentSessionRequest, Goods, InquiryPaymentRequest, Order, UserName, WireAmountIn,
};

#[derive(clap::Args, Clone)]
pub struct DemoArgs {
    /// Gateway address.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Demo shop address.
    #[arg(long, default_value = "127.0.0.1:8081")]
    shop_listen: SocketAddr,
    /// Keep data here instead of a fresh temporary directory.
    #[arg(long, env = "CASHIER_DATA_DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct DemoMerchant {
    client_id: String,
    private_key_pkcs8: String,
}

struct Shop {
    client: Client,
    gateway_key: PublicKey,
    shop_url: String,
    /// paymentRequestId → last notification result, as a merchant would record it.
    notified: Mutex<HashMap<String, String>>,
}

pub async fn run(args: DemoArgs) -> Result<()> {
    let (data_dir, _temp) = match args.data_dir {
        Some(d) => (d, None),
        None => {
            let t = tempfile_dir()?;
            (t.clone(), Some(t))
        }
    };
    let mut config = Config::new(&data_dir);
    config.listen = args.listen;
    config.allow_private_notify = true;
    config.sandbox_simulation = true;
    let app = Application::build(config).await?;
    let state = app.state();
    let gateway_url = state.public_url.clone();

    let merchant = ensure_merchant(&state, &data_dir).await?;
    let gateway_public = state.gateway_key.public.to_base64();
    let client = Client::new(ClientConfig::new(
        &gateway_url,
        &merchant.client_id,
        &merchant.private_key_pkcs8,
        &gateway_public,
    )?)?;
    let shop_listener = tokio::net::TcpListener::bind(args.shop_listen)
        .await
        .with_context(|| format!("binding the demo shop to {}", args.shop_listen))?;
    let shop_url = format!("http://{}", shop_listener.local_addr()?);
    let shop = Arc::new(Shop {
        client,
        gateway_key: PublicKey::from_text(&gateway_public)?,
        shop_url: shop_url.clone(),
        notified: Mutex::new(HashMap::new()),
    });
    let router = Router::new()
        .route("/", get(home))
        .route("/buy", post(buy))
        .route("/return", get(order_status))
        .route("/notify", post(notify))
        .with_state(shop);

    println!("Cashier demo");
    println!("  Demo shop:   {shop_url}/");
    println!(
        "  Gateway:     {gateway_url}  (client id {})",
        merchant.client_id
    );
    println!("  Data dir:    {}", data_dir.display());
    println!("Sandbox test cards (any future expiry, any 3-digit code, any name):");
    println!("  4242 4242 4242 4242   success");
    println!("  4000 0000 0000 0002   declined (try again)");
    println!("  4000 0000 0000 9995   insufficient funds (try again)");
    println!("  4000 0000 0000 3220   3-D Secure challenge");
    println!("  4000 0000 0000 0119   risk rejected (final)");
    println!("  4000 0000 0000 0077   succeeds asynchronously after 10 s");
    println!("Wallets: pick one, scan the QR code (or open the link) and approve, decline or leave pending.");
    let shop_server = axum::serve(shop_listener, router);
    tokio::select! {
        r = app.run_until_stopped() => r?,
        r = shop_server => r?,
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("cashier-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

async fn ensure_merchant(
    state: &cashier_gateway::state::AppState,
    data_dir: &std::path::Path,
) -> Result<DemoMerchant> {
    let file = data_dir.join("demo-merchant.json");
    if let Ok(text) = std::fs::read_to_string(&file) {
        let m: DemoMerchant = serde_json::from_str(&text)?;
        if state.store.merchant(&m.client_id).await?.is_some() {
            return Ok(m);
        }
    }
    let created = merchants::create(
        state.store.as_ref(),
        data_dir,
        merchants::NewMerchant {
            name: "Demo Shop",
            client_id: None,
            public_key: None,
            generate_key: true,
            notify_url: None,
            logo: None,
            fee_bps: 0,
            now_ms: chrono::Utc::now().timestamp_millis(),
        },
    )
    .await?;
    let key = created.private_key.expect("generated");
    let m = DemoMerchant {
        client_id: created.merchant.client_id,
        private_key_pkcs8: base64::engine::general_purpose::STANDARD.encode(key.to_pkcs8_der()),
    };
    std::fs::write(&file, serde_json::to_string(&m)?)?;
    Ok(m)
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"
    ))
}

async fn home() -> Html<String> {
    page(
        "Demo Shop",
        "<p>Cashier T-shirt — SGD 25.00</p><form method=\"post\" action=\"/buy\"><button type=\"submit\">Buy now</button></form>",
    )
}

async fn buy(State(shop): State<Arc<Shop>>) -> Response {
    let order_id = format!("ORDER-{}", chrono::Utc::now().timestamp_millis());
    let amount = || Some(WireAmountIn::new("SGD", "2500"));
    let request = CreatePaymentSessionRequest {
        product_code: Some("CASHIER_PAYMENT".into()),
        product_scene: Some("CHECKOUT_PAYMENT".into()),
        payment_request_id: Some(order_id.clone()),
        order: Some(Order {
            reference_order_id: Some(order_id.clone()),
            order_description: Some("Cashier T-shirt".into()),
            order_amount: amount(),
            goods: Some(vec![Goods {
                reference_goods_id: Some("TSHIRT".into()),
                goods_name: Some("Cashier T-shirt".into()),
                goods_unit_amount: amount(),
                goods_quantity: Some("1".into()),
                ..Default::default()
            }]),
            buyer: Some(Buyer {
                reference_buyer_id: Some("demo-buyer".into()),
                buyer_name: Some(UserName {
                    full_name: Some("Demo Buyer".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }),
        payment_amount: amount(),
        payment_redirect_url: Some(format!("{}/return?order={order_id}", shop.shop_url)),
        payment_notify_url: Some(format!("{}/notify", shop.shop_url)),
        ..Default::default()
    };
    match shop.client.create_payment_session(&request).await {
        Ok(r) => Redirect::to(r.normal_url.as_deref().unwrap_or("/")).into_response(),
        Err(e) => (
            StatusCode::BAD_GATEWAY,
            page(
                "Checkout failed",
                &format!("<p>{}</p>", escape(&e.to_string())),
            ),
        )
            .into_response(),
    }
}

async fn order_status(
    State(shop): State<Arc<Shop>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(order) = q.get("order") else {
        return (StatusCode::BAD_REQUEST, page("Unknown order", "")).into_response();
    };
    let notified = shop.notified.lock().expect("lock").get(order).cloned();
    let status = shop
        .client
        .inquiry_payment(&InquiryPaymentRequest {
            payment_request_id: Some(order.clone()),
            ..Default::default()
        })
        .await;
    let body = match status {
        Ok(r) => format!(
            "<p>Order <strong>{}</strong>: <strong>{}</strong></p><p>Notification received: {}</p><p><a href=\"/\">Back to the shop</a></p>",
            escape(order),
            escape(r.payment_status.as_deref().unwrap_or("UNKNOWN")),
            escape(notified.as_deref().unwrap_or("not yet"))
        ),
        Err(e) => format!("<p>{}</p>", escape(&e.to_string())),
    };
    page("Your order", &body).into_response()
}

async fn notify(State(shop): State<Arc<Shop>>, headers: HeaderMap, body: Bytes) -> Response {
    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    match verify_notification(
        &shop.gateway_key,
        "/notify",
        h("client-id"),
        h("request-time"),
        h("signature"),
        &body,
    ) {
        Ok(n) => {
            shop.notified
                .lock()
                .expect("lock")
                .insert(n.payment_request_id.clone(), n.result.result_code.clone());
            (
                [("content-type", "application/json")],
                cashier_protocol::wire::ack_body(),
            )
                .into_response()
        }
        Err(_) => (StatusCode::UNAUTHORIZED, "bad signature").into_response(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
