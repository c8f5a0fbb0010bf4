//! The axum extractor (feature `axum`) in a merchant app: fed by the real
//! gateway, and by hand-made requests that must be refused.

mod common;

use std::sync::{Arc, Mutex};

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use cashier_client::axum::{Acknowledge, GatewayKey, VerifiedNotification};
use cashier_client::cashier_protocol::signing::sign_message;
use cashier_client::{
    Buyer, CreatePaymentSession, Goods, Notification, Order, PrivateKey, PublicKey, ACK_BODY,
};
use common::{sgd, Gateway};

#[derive(Clone)]
struct ShopState {
    gateway_key: GatewayKey,
    seen: Arc<Mutex<Vec<Notification>>>,
}

impl FromRef<ShopState> for GatewayKey {
    fn from_ref(s: &ShopState) -> GatewayKey {
        s.gateway_key.clone()
    }
}

async fn notify(
    State(state): State<ShopState>,
    VerifiedNotification(n): VerifiedNotification,
) -> Acknowledge {
    state.seen.lock().unwrap().push(n);
    Acknowledge
}

struct Shop {
    base_url: String,
    seen: Arc<Mutex<Vec<Notification>>>,
}

/// The notify handler, mounted at `/antom/notify` through `Router::nest`.
async fn start_shop(gateway_key: PublicKey) -> Shop {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = ShopState {
        gateway_key: GatewayKey::new(gateway_key),
        seen: seen.clone(),
    };
    let antom = Router::new().route("/notify", post(notify));
    let app = Router::new().nest("/antom", antom).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Shop { base_url, seen }
}

#[tokio::test]
async fn the_gateway_s_notifications_are_extracted_and_acknowledged() {
    let gw = Gateway::start().await;
    let shop = start_shop(PublicKey::from_der(&gw.gateway_public_key.to_spki_der()).unwrap()).await;
    let order = Order::with_goods(
        "ORDER-AX",
        "Kopi",
        [Goods::new("KOPI", "Kopi", sgd(1500), 1)],
    )
    .unwrap()
    .buyer(Buyer::new("BUYER-1", "Tan Ah Kow"));
    gw.client()
        .send(
            &CreatePaymentSession::new("PAY-AX", order, "https://shop.example.com/return")
                .notify_url(format!("{}/antom/notify", shop.base_url)),
        )
        .await
        .unwrap();
    gw.pay("PAY-AX", "SUCCESS").await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let seen = shop.seen.lock().unwrap().clone();
        if let Some(n) = seen.first() {
            assert!(matches!(n, Notification::Payment(p) if p.payment_request_id == "PAY-AX"));
            assert!(n.is_success());
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no notification in 30 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

const BODY: &str = r#"{"notifyType":"REFUND_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"refundStatus":"SUCCESS","refundRequestId":"R-1","refundId":"RF1","paymentId":"P1","refundAmount":{"currency":"SGD","value":"500"}}"#;
const TIME: &str = "2025-01-01T12:00:00+08:00";

async fn send(
    shop: &Shop,
    path: &str,
    signature: Option<String>,
    body: &str,
) -> (StatusCode, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{}{path}", shop.base_url))
        .header("content-type", "application/json; charset=UTF-8")
        .header("client-id", "SANDBOX_SHOP")
        .header("request-time", TIME)
        .body(body.to_string());
    if let Some(s) = signature {
        req = req.header("signature", s);
    }
    let r = req.send().await.unwrap();
    let status = StatusCode::from_u16(r.status().as_u16()).unwrap();
    (status, r.text().await.unwrap())
}

#[tokio::test]
async fn valid_requests_pass_and_everything_else_is_refused() {
    let gateway = PrivateKey::generate().unwrap();
    let shop = start_shop(gateway.public_key()).await;
    let sign = |path: &str, body: &str| {
        sign_message(&gateway, 1, path, "SANDBOX_SHOP", TIME, body.as_bytes()).unwrap()
    };

    // Signed for the full path it arrives at (the router is nested).
    let (status, body) = send(
        &shop,
        "/antom/notify",
        Some(sign("/antom/notify", BODY)),
        BODY,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, ACK_BODY);
    let seen = shop.seen.lock().unwrap().clone();
    assert!(matches!(&seen[..], [Notification::Refund(r)] if r.refund_request_id == "R-1"));

    // Tampered body, wrong path, someone else's key, no signature: 401.
    let tampered = BODY.replace("\"500\"", "\"50000\"");
    let other = PrivateKey::generate().unwrap();
    let foreign = sign_message(
        &other,
        1,
        "/antom/notify",
        "SANDBOX_SHOP",
        TIME,
        BODY.as_bytes(),
    )
    .unwrap();
    for (signature, body) in [
        (Some(sign("/antom/notify", BODY)), tampered.as_str()),
        (Some(sign("/notify", BODY)), BODY),
        (Some(foreign), BODY),
        (None, BODY),
        (
            Some("algorithm=RSA256,keyVersion=1,signature=garbage".into()),
            BODY,
        ),
    ] {
        let (status, _) = send(&shop, "/antom/notify", signature, body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    // Signed but not a notification: 400.
    for body in [r#"{"notifyType":"SOMETHING_NEW"}"#, "not json"] {
        let (status, _) = send(
            &shop,
            "/antom/notify",
            Some(sign("/antom/notify", body)),
            body,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    }
    assert_eq!(
        shop.seen.lock().unwrap().len(),
        1,
        "only the valid one got through"
    );
}
