//! The axum extractor (feature `axum`) in a merchant app: fed by the real
//! gateway, and by hand-made requests that must be refused.

use std::sync::{Arc, Mutex};

use crate::common::{sgd, Gateway};
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use cashier_client::axum::{Acknowledge, NotificationRejection, VerifiedNotification};
use cashier_client::cashier_protocol::signing::sign_message;
use cashier_client::{
    Buyer, CreatePaymentSession, Error, Goods, Notification, NotificationVerifier, Order,
    PrivateKey, ACK_BODY,
};
use cashier_test_support::eventually;

#[derive(Clone)]
struct ShopState {
    verifier: NotificationVerifier,
    seen: Arc<Mutex<Vec<Notification>>>,
}

impl FromRef<ShopState> for NotificationVerifier {
    fn from_ref(s: &ShopState) -> NotificationVerifier {
        s.verifier.clone()
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
async fn start_shop(verifier: NotificationVerifier) -> Shop {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = ShopState {
        verifier,
        seen: seen.clone(),
    };
    let antom = Router::new().route("/notify", post(notify));
    let app = Router::new().nest("/antom", antom).with_state(state);
    let base_url = cashier_test_support::serve_router(app).await;
    Shop { base_url, seen }
}

#[tokio::test]
async fn the_gateway_s_notifications_are_extracted_and_acknowledged() {
    let gw = Gateway::start().await;
    let shop = start_shop(gw.client().notification_verifier()).await;
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
    let n = eventually(std::time::Duration::from_secs(30), || async {
        shop.seen.lock().unwrap().first().cloned()
    })
    .await
    .expect("no notification in 30 s");
    assert!(matches!(&n, Notification::Payment(p) if p.payment_request_id == "PAY-AX"));
    assert!(n.is_success());
}

const BODY: &str = r#"{"notifyType":"REFUND_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"refundStatus":"SUCCESS","refundRequestId":"R-1","refundId":"RF1","paymentId":"P1","refundAmount":{"currency":"SGD","value":"500"}}"#;
const TIME: &str = "2025-01-01T12:00:00+08:00";

async fn send(
    shop: &Shop,
    path: &str,
    signature: Option<String>,
    body: &str,
) -> (StatusCode, String) {
    send_as(shop, "SANDBOX_SHOP", path, signature, body).await
}

async fn send_as(
    shop: &Shop,
    client_id: &str,
    path: &str,
    signature: Option<String>,
    body: &str,
) -> (StatusCode, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{}{path}", shop.base_url))
        .header("content-type", "application/json; charset=UTF-8")
        .header("client-id", client_id)
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
    let shop = start_shop(NotificationVerifier::new(
        gateway.public_key(),
        "SANDBOX_SHOP",
    ))
    .await;
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

    // Validly signed by the gateway, but for another merchant: 401.
    let theirs = sign_message(
        &gateway,
        1,
        "/antom/notify",
        "SANDBOX_OTHER",
        TIME,
        BODY.as_bytes(),
    )
    .unwrap();
    let (status, text) = send_as(&shop, "SANDBOX_OTHER", "/antom/notify", Some(theirs), BODY).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(text.contains("SANDBOX_OTHER"), "{text}");

    // Signed but not a notification: 400.
    for body in [
        r#"{"notifyType":"PAYMENT_RESULT"}"#,
        r#"{"a":1}"#,
        "not json",
    ] {
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

    // Signed, yours, of a type the SDK does not know: handed to the handler
    // as `Other`, which acknowledges it (no retries for a day).
    let unknown = r#"{"notifyType":"SOMETHING_NEW","x":1}"#;
    let (status, body) = send(
        &shop,
        "/antom/notify",
        Some(sign("/antom/notify", unknown)),
        unknown,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, ACK_BODY);
    let seen = shop.seen.lock().unwrap().clone();
    assert!(
        matches!(&seen[..], [_, Notification::Other { notify_type, raw }] if notify_type == "SOMETHING_NEW" && raw["x"] == 1),
        "{seen:?}"
    );
}

/// A real notification the gateway signed for another merchant on the same
/// gateway is refused with 401 (and never reaches the handler).
#[tokio::test]
async fn another_merchant_s_real_notification_is_refused() {
    let gw = Gateway::start().await;
    let shop = start_shop(gw.client().notification_verifier()).await;
    let other = gw.other_merchant("SANDBOX_OTHER_SHOP").await;
    let order = Order::with_goods(
        "ORDER-O",
        "Kopi",
        [Goods::new("KOPI", "Kopi", sgd(1500), 1)],
    )
    .unwrap()
    .buyer(Buyer::new("BUYER-9", "Lim Mei Ling"));
    other
        .send(
            &CreatePaymentSession::new("PAY-O", order, "https://other.example.com/return")
                .notify_url(gw.notify_url()),
        )
        .await
        .unwrap();
    gw.pay_for("SANDBOX_OTHER_SHOP", "PAY-O", "SUCCESS").await;
    // Captured at the gateway's own delivery, then replayed to our shop.
    let got = gw.receiver.wait_for("PAY-O").await;
    let mut replay = reqwest::Client::new()
        .post(format!("{}/antom/notify", shop.base_url))
        .body(got.body.to_vec());
    for name in ["content-type", "client-id", "request-time", "signature"] {
        replay = replay.header(name, got.header(name));
    }
    let r = replay.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("SANDBOX_OTHER_SHOP"), "{text}");
    assert!(shop.seen.lock().unwrap().is_empty());
    // The rejection is a proper error with a message.
    let rejection = NotificationRejection::Unauthorized(Error::ClientIdMismatch {
        expected: gw.client_id.clone(),
        got: "SANDBOX_OTHER_SHOP".into(),
    });
    assert_eq!(rejection.status(), StatusCode::UNAUTHORIZED);
    let as_error: &dyn std::error::Error = &rejection;
    assert!(as_error.to_string().contains("SANDBOX_OTHER_SHOP"));
    assert!(as_error.source().is_some());
}
