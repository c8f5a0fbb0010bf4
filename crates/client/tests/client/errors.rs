//! Every error the client types, provoked for real.

use std::time::Duration;

use crate::common::{sgd, Gateway, CLIENT_ID};
use cashier_client::{
    CancelPayment, Client, ClientConfig, CreatePaymentSession, Error, Goods, InquiryPayment, Order,
    PrivateKey, ResultCode, ResultStatus,
};

fn thing(order_id: &str, price: u64) -> Order {
    Order::with_goods(
        order_id,
        "Thing",
        [Goods::new("THING", "Thing", sgd(price), 1)],
    )
    .unwrap()
    .buyer(cashier_client::Buyer::new("BUYER-1", "Tan Ah Kow"))
}

#[tokio::test]
async fn protocol_rejections_carry_code_status_and_message() {
    let gw = Gateway::start().await;
    let client = gw.client();

    // PARAM_ILLEGAL: the redirect URL is not an absolute http(s) URL.
    let bad = CreatePaymentSession::new("PAY-E1", thing("ORDER-E1", 100), "not a url");
    let err = client.send(&bad).await.unwrap_err();
    assert_eq!(err.code(), Some(ResultCode::PARAM_ILLEGAL), "{err}");
    assert_eq!(err.result_code(), Some("PARAM_ILLEGAL"));
    assert_eq!(err.result_status(), Some(ResultStatus::F));
    assert!(!err.result_message().unwrap().is_empty());
    assert!(!err.is_retryable());
    assert!(matches!(err, Error::Api { .. }));

    // REPEAT_REQ_INCONSISTENT: the same paymentRequestId with another amount.
    let ok = CreatePaymentSession::new(
        "PAY-E2",
        thing("ORDER-E2", 100),
        "https://shop.example.com/return",
    );
    client.send(&ok).await.unwrap();
    let changed = CreatePaymentSession::new(
        "PAY-E2",
        thing("ORDER-E2", 200),
        "https://shop.example.com/return",
    );
    let err = client.send(&changed).await.unwrap_err();
    assert_eq!(err.code(), Some(ResultCode::REPEAT_REQ_INCONSISTENT));

    // ORDER_NOT_EXIST on inquiry and cancel.
    let err = client
        .send(&InquiryPayment::by_request_id("PAY-NOBODY"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ResultCode::ORDER_NOT_EXIST));
    let err = client
        .send(&CancelPayment::by_payment_id("NO-SUCH-PAYMENT"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ResultCode::ORDER_NOT_EXIST));
}

#[tokio::test]
async fn authentication_failures_are_typed() {
    let gw = Gateway::start().await;
    let inquiry = InquiryPayment::by_request_id("PAY-X");

    // INVALID_CLIENT: nobody registered this client id.
    let stranger = gw.client_with(|c| ClientConfig {
        client_id: "SANDBOX_NOBODY".into(),
        ..c
    });
    let err = stranger.send(&inquiry).await.unwrap_err();
    assert_eq!(err.code(), Some(ResultCode::INVALID_CLIENT), "{err}");

    // INVALID_SIGNATURE: the right client id, someone else's private key.
    let impostor = gw.client_with(|c| ClientConfig {
        private_key: PrivateKey::generate().unwrap(),
        ..c
    });
    let err = impostor.send(&inquiry).await.unwrap_err();
    assert_eq!(err.code(), Some(ResultCode::INVALID_SIGNATURE), "{err}");

    // KEY_NOT_FOUND: a key version that was never registered.
    let rotated = gw.client_with(|c| c.with_key_version(2));
    let err = rotated.send(&inquiry).await.unwrap_err();
    assert_eq!(err.code(), Some(ResultCode::KEY_NOT_FOUND), "{err}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_response_signed_by_another_gateway_is_refused() {
    let gw = Gateway::start().await;
    let wrong_gateway_key = PrivateKey::generate().unwrap().public_key();
    let client = gw.client_with(|c| ClientConfig {
        gateway_public_key: std::sync::Arc::new(wrong_gateway_key),
        ..c
    });
    // The gateway accepts and answers the request, but the answer cannot be
    // trusted: neither a success nor a failure is reported as one.
    let err = client
        .send(&InquiryPayment::by_request_id("PAY-X"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadSignature), "{err:?}");
    assert_eq!(err.code(), None);
    assert!(!err.is_retryable());
    let created = client
        .send(&CreatePaymentSession::new(
            "PAY-SIG",
            thing("ORDER-SIG", 100),
            "https://shop.example.com/return",
        ))
        .await;
    assert!(matches!(created, Err(Error::BadSignature)));
}

/// A server that accepts connections and never answers.
async fn black_hole() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (url, task)
}

fn client_for(base_url: &str, timeout: Duration) -> Client {
    Client::new(
        ClientConfig::from_keys(
            base_url,
            CLIENT_ID,
            PrivateKey::generate().unwrap(),
            PrivateKey::generate().unwrap().public_key(),
        )
        .with_timeout(timeout),
    )
    .unwrap()
}

#[tokio::test]
async fn transport_failures_are_retryable() {
    // Timeout: nothing answers within the configured time.
    let (url, task) = black_hole().await;
    let client = client_for(&url, Duration::from_millis(300));
    let err = client
        .send(&InquiryPayment::by_request_id("PAY-T"))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert!(matches!(err, Error::Http(_)));
    task.abort();

    // Connection refused: bind a port, then free it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = client_for(&url, Duration::from_secs(5))
        .send(&InquiryPayment::by_request_id("PAY-T"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http(_)), "{err:?}");
    assert!(!err.is_timeout());
    assert!(err.is_retryable());

    // A base URL that is not a URL is a mistake, not a transient failure.
    let err = client_for("not a url", Duration::from_secs(5))
        .send(&InquiryPayment::by_request_id("PAY-T"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http(_)), "{err:?}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn proxies_and_unsigned_answers_are_errors() {
    use axum::http::StatusCode;
    use axum::routing::post;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = axum::Router::new()
        .route(
            "/ams/sandbox/api/v1/payments/inquiryPayment",
            post(|| async { (StatusCode::SERVICE_UNAVAILABLE, "upstream down") }),
        )
        .route(
            "/ams/sandbox/api/v1/payments/cancel",
            post(|| async {
                r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}"#
            }),
        )
        .route(
            "/ams/sandbox/api/v1/payments/inquiryRefund",
            post(|| async { (StatusCode::NOT_FOUND, "no") }),
        );
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = client_for(&url, Duration::from_secs(10));

    let err = client
        .send(&InquiryPayment::by_request_id("P"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Status(503)), "{err:?}");
    assert!(err.is_retryable());

    let err = client
        .send(&cashier_client::InquiryRefund::by_request_id("R"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Status(404)), "{err:?}");
    assert!(!err.is_retryable());

    // A 200 "SUCCESS" without the gateway's signature is not a success.
    let err = client
        .send(&CancelPayment::by_request_id("P"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::MissingHeader(_)), "{err:?}");
    server.abort();
}

#[tokio::test]
async fn the_retry_helper_gives_up_after_its_attempts() {
    let (url, task) = black_hole().await;
    let client = client_for(&url, Duration::from_millis(100));
    let policy = cashier_client::RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10));
    let request = InquiryPayment::by_request_id("PAY-T");
    let mut attempts = 0;
    let err = policy
        .run(|n| {
            attempts = n;
            client.send(&request)
        })
        .await
        .unwrap_err();
    assert_eq!(attempts, 3);
    assert!(err.is_timeout());

    // An F result is never retried.
    let gw = Gateway::start().await;
    let client = gw.client();
    let request = InquiryPayment::by_request_id("PAY-NOBODY");
    let mut attempts = 0;
    let err = policy
        .run(|n| {
            attempts = n;
            client.send(&request)
        })
        .await
        .unwrap_err();
    assert_eq!(attempts, 1);
    assert_eq!(err.code(), Some(ResultCode::ORDER_NOT_EXIST));
    task.abort();
}

#[test]
fn orders_built_from_goods_cannot_disagree_with_them() {
    let usd = cashier_client::Currency::from_code("USD").unwrap();
    let mixed = Order::with_goods(
        "O",
        "Mixed",
        [
            Goods::new("A", "A", sgd(100), 1),
            Goods::new("B", "B", cashier_client::Amount::new(usd, 100), 1),
        ],
    );
    assert!(matches!(mixed, Err(Error::InvalidRequest(_))));
    assert!(matches!(
        Order::with_goods("O", "Empty", []),
        Err(Error::InvalidRequest(_))
    ));
    let huge = Order::with_goods("O", "Huge", [Goods::new("A", "A", sgd(u64::MAX / 2), 3)]);
    assert!(matches!(huge, Err(Error::InvalidRequest(_))));
    let ok = Order::with_goods(
        "O",
        "Two",
        [
            Goods::new("A", "A", sgd(150), 2),
            Goods::new("B", "B", sgd(5), 1),
        ],
    )
    .unwrap();
    assert_eq!(ok.amount(), sgd(305));
}
