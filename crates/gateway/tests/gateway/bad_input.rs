//! Malformed and hostile API requests: each gets HTTP 200, a signed body
//! with the specific protocol result (docs/protocol.md §4), and changes nothing.

use crate::common::TestApp;
use cashier_protocol::signing::{content_to_sign, sign_message, PrivateKey, SignatureHeader};
use chrono::Duration;
use serde_json::{json, Value};

const CREATE: &str = "/ams/api/v1/payments/createPaymentSession";
const INQUIRY: &str = "/ams/api/v1/payments/inquiryPayment";

struct Req {
    method: reqwest::Method,
    path: String,
    body: Vec<u8>,
    client_id: Option<String>,
    request_time: Option<String>,
    signature: Option<String>,
    content_type: String,
    /// Sent after the others (a second copy of a header, say).
    extra: Vec<(&'static str, String)>,
}

impl Req {
    /// A correctly signed POST of `body` to `path` as the test merchant.
    fn signed(app: &TestApp, path: &str, body: Vec<u8>) -> Req {
        let time = app_time(app, Duration::zero());
        let signature =
            sign_message(&app.merchant_key, 1, path, &app.client_id, &time, &body).unwrap();
        Req {
            method: reqwest::Method::POST,
            path: path.into(),
            body,
            client_id: Some(app.client_id.clone()),
            request_time: Some(time),
            signature: Some(signature),
            content_type: "application/json; charset=UTF-8".into(),
            extra: Vec::new(),
        }
    }

    fn json(app: &TestApp, path: &str, v: &Value) -> Req {
        Req::signed(app, path, v.to_string().into_bytes())
    }

    /// Re-signs after changing time, path or body.
    fn resign(mut self, app: &TestApp, key: &PrivateKey, version: u32) -> Req {
        self.signature = Some(
            sign_message(
                key,
                version,
                &self.path,
                self.client_id.as_deref().unwrap_or(""),
                self.request_time.as_deref().unwrap_or(""),
                &self.body,
            )
            .unwrap(),
        );
        let _ = app;
        self
    }
}

fn app_time(app: &TestApp, offset: Duration) -> String {
    (cashier_gateway::clock::Clock::now(&app.clock) + offset)
        .timestamp_millis()
        .to_string()
}

/// Sends, checks the envelope (HTTP 200, lower-case signed headers) and
/// returns the `result`.
async fn send(app: &TestApp, req: Req) -> Value {
    let mut r = app
        .buyer
        .request(req.method.clone(), format!("{}{}", app.base_url, req.path))
        .body(req.body.clone());
    r = r.header("content-type", req.content_type.clone());
    if let Some(v) = &req.client_id {
        r = r.header("client-id", v);
    }
    if let Some(v) = &req.request_time {
        r = r.header("request-time", v);
    }
    if let Some(v) = &req.signature {
        r = r.header("signature", v);
    }
    for (name, value) in &req.extra {
        r = r.header(*name, value);
    }
    let resp = r.send().await.unwrap();
    assert_eq!(resp.status(), 200, "every protocol outcome is HTTP 200");
    let h = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let response_time = h["response-time"].to_str().unwrap();
    let client_id = h["client-id"].to_str().unwrap();
    assert_eq!(
        client_id,
        req.client_id.as_deref().unwrap_or(""),
        "client-id is echoed"
    );
    let sig = SignatureHeader::parse(h["signature"].to_str().unwrap()).unwrap();
    let content = content_to_sign("POST", &req.path, client_id, response_time, text.as_bytes());
    app.state
        .gateway_key
        .public
        .verify(&content, &sig.signature)
        .expect("every response is signed");
    let body: Value = serde_json::from_str(&text).unwrap();
    body["result"].clone()
}

async fn expect(app: &TestApp, name: &str, req: Req, code: &str, fragment: &str) {
    let before = app.state.store.counts().await.unwrap();
    let result = send(app, req).await;
    assert_eq!(result["resultCode"], code, "{name}: {result}");
    assert_eq!(
        result["resultStatus"],
        if code == "UNKNOWN_EXCEPTION" {
            "U"
        } else {
            "F"
        },
        "{name}"
    );
    let message = result["resultMessage"].as_str().unwrap_or("");
    assert!(
        message.to_lowercase().contains(&fragment.to_lowercase()),
        "{name}: message {message:?} should mention {fragment:?}"
    );
    assert!(message.len() <= 256);
    assert_eq!(
        app.state.store.counts().await.unwrap(),
        before,
        "{name}: nothing changes"
    );
}

fn with(base: &Value, pointer: &str, value: Value) -> Value {
    let mut v = base.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = if parent.is_empty() {
        &mut v
    } else {
        v.pointer_mut(parent).unwrap_or_else(|| panic!("{parent}"))
    };
    match target {
        Value::Object(map) => {
            if value.is_null() {
                map.remove(key);
            } else {
                map.insert(key.to_string(), value);
            }
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        _ => panic!("{pointer}"),
    }
    v
}

#[tokio::test]
async fn envelope_errors_are_specific_signed_and_harmless() {
    let app = TestApp::spawn().await;
    let body = app.session_request("PR-BAD");
    let good = || Req::json(&app, CREATE, &body);
    let other_key = PrivateKey::generate().unwrap();

    let mut r = good();
    r.path = "/ams/api/v1/payments/doesNotExist".into();
    expect(&app, "unknown API", r, "NO_INTERFACE_DEF", "no api").await;
    let mut r = good();
    r.method = reqwest::Method::PUT;
    expect(&app, "PUT", r, "METHOD_NOT_SUPPORTED", "POST").await;
    let mut r = good();
    r.content_type = "multipart/form-data; boundary=x".into();
    expect(&app, "multipart", r, "MEDIA_TYPE_NOT_ACCEPTABLE", "JSON").await;
    let mut r = good();
    r.client_id = None;
    expect(&app, "no client-id", r, "PARAM_ILLEGAL", "client-id").await;
    let mut r = good();
    r.request_time = None;
    expect(&app, "no request-time", r, "PARAM_ILLEGAL", "request-time").await;
    let mut r = good();
    r.signature = None;
    expect(&app, "no signature", r, "PARAM_ILLEGAL", "signature").await;
    // A second copy of a header, even an identical one: a proxy reading the
    // other copy would see another request than Cashier.
    for name in ["client-id", "request-time", "signature"] {
        let mut r = good();
        let copy = match name {
            "client-id" => r.client_id.clone(),
            "request-time" => r.request_time.clone(),
            _ => r.signature.clone(),
        };
        r.extra.push((name, copy.unwrap()));
        expect(
            &app,
            &format!("two {name} headers"),
            r,
            "PARAM_ILLEGAL",
            &format!("header {name} is sent more than once"),
        )
        .await;
    }
    let mut r = good();
    let sig = r.signature.clone().unwrap();
    r.signature = Some(sig.replacen("keyVersion=1", "keyVersion=1,keyVersion=2", 1));
    expect(
        &app,
        "keyVersion twice",
        r,
        "INVALID_SIGNATURE",
        "the keyVersion part appears more than once",
    )
    .await;
    let mut r = good();
    r.client_id = Some("SANDBOX_NOBODY".into());
    expect(
        &app,
        "unknown client",
        r,
        "INVALID_CLIENT",
        "not registered",
    )
    .await;
    let r = good().resign(&app, &app.merchant_key, 2);
    expect(
        &app,
        "unregistered keyVersion",
        r,
        "KEY_NOT_FOUND",
        "keyVersion 2",
    )
    .await;
    let r = good().resign(&app, &other_key, 1);
    expect(
        &app,
        "signed by another key",
        r,
        "INVALID_SIGNATURE",
        "does not verify",
    )
    .await;
    let mut r = good();
    r.body = with(&body, "/paymentAmount/value", json!("1"))
        .to_string()
        .into_bytes();
    expect(
        &app,
        "body changed after signing",
        r,
        "INVALID_SIGNATURE",
        "does not verify",
    )
    .await;
    let mut r = good();
    r.path = "/ams/sandbox/api/v1/payments/createPaymentSession".into();
    expect(
        &app,
        "signed for another path",
        r,
        "INVALID_SIGNATURE",
        "does not verify",
    )
    .await;
    let mut r = good();
    r.signature = Some("algorithm=RSA256,keyVersion=1,signature=%%%".into());
    expect(
        &app,
        "garbage signature",
        r,
        "INVALID_SIGNATURE",
        "malformed",
    )
    .await;
    let mut r = good();
    r.signature = Some(r.signature.unwrap().replace("RSA256", "ECC224"));
    expect(&app, "other algorithm", r, "INVALID_SIGNATURE", "ECC224").await;
    let mut r = good();
    r.request_time = Some(app_time(&app, Duration::minutes(-11)));
    let r = r.resign(&app, &app.merchant_key, 1);
    expect(
        &app,
        "stale request-time",
        r,
        "PARAM_ILLEGAL",
        "request-time",
    )
    .await;
    let mut r = good();
    r.request_time = Some(app_time(&app, Duration::minutes(11)));
    let r = r.resign(&app, &app.merchant_key, 1);
    expect(
        &app,
        "future request-time",
        r,
        "PARAM_ILLEGAL",
        "request-time",
    )
    .await;
    let mut r = good();
    r.request_time = Some("yesterday".into());
    let r = r.resign(&app, &app.merchant_key, 1);
    expect(
        &app,
        "unparseable request-time",
        r,
        "PARAM_ILLEGAL",
        "request-time",
    )
    .await;
    let big = vec![b' '; 300 * 1024];
    expect(
        &app,
        "oversized body",
        Req::signed(&app, CREATE, big),
        "PARAM_ILLEGAL",
        "exceeds",
    )
    .await;
}

#[tokio::test]
async fn create_payment_session_rejects_bad_bodies() {
    let app = TestApp::spawn().await;
    let base = app.session_request("PR-BAD");
    let long = |n: usize| json!("x".repeat(n));
    let in_past = cashier_protocol::time::format_datetime(
        cashier_gateway::clock::Clock::now(&app.clock) - Duration::minutes(1),
    );
    let too_late = cashier_protocol::time::format_datetime(
        cashier_gateway::clock::Clock::now(&app.clock) + Duration::minutes(61),
    );
    let many_goods: Vec<Value> = (0..101)
        .map(|i| json!({"referenceGoodsId": format!("G{i}"), "goodsName": "g", "goodsQuantity": "1", "goodsUnitAmount": {"currency": "SGD", "value": "1"}}))
        .collect();
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "missing productCode",
            with(&base, "/productCode", Value::Null),
            "PARAM_ILLEGAL",
            "productCode",
        ),
        (
            "agreement payment",
            with(&base, "/productCode", json!("AGREEMENT_PAYMENT")),
            "INVALID_CONTRACT",
            "productCode",
        ),
        (
            "missing paymentRequestId",
            with(&base, "/paymentRequestId", Value::Null),
            "PARAM_ILLEGAL",
            "paymentRequestId",
        ),
        (
            "long paymentRequestId",
            with(&base, "/paymentRequestId", long(65)),
            "PARAM_ILLEGAL",
            "paymentRequestId",
        ),
        (
            "order is a string",
            with(&base, "/order", json!("order")),
            "PARAM_ILLEGAL",
            "order",
        ),
        (
            "missing order",
            with(&base, "/order", Value::Null),
            "PARAM_ILLEGAL",
            "order",
        ),
        (
            "long referenceOrderId",
            with(&base, "/order/referenceOrderId", long(65)),
            "PARAM_ILLEGAL",
            "referenceOrderId",
        ),
        (
            "long orderDescription",
            with(&base, "/order/orderDescription", long(257)),
            "PARAM_ILLEGAL",
            "orderDescription",
        ),
        (
            "negative amount",
            with(&base, "/paymentAmount/value", json!("-6000")),
            "PARAM_ILLEGAL",
            "paymentAmount",
        ),
        (
            "zero amount",
            with(
                &with(&base, "/paymentAmount/value", json!("0")),
                "/order/orderAmount/value",
                json!("0"),
            ),
            "PARAM_ILLEGAL",
            "Amount",
        ),
        (
            "decimal amount",
            with(&base, "/paymentAmount/value", json!("60.00")),
            "PARAM_ILLEGAL",
            "paymentAmount",
        ),
        (
            "float amount",
            with(&base, "/paymentAmount/value", json!(60.5)),
            "PARAM_ILLEGAL",
            "paymentAmount",
        ),
        (
            "overflowing amount",
            with(&base, "/paymentAmount/value", json!("99999999999999999")),
            "PARAM_ILLEGAL",
            "paymentAmount",
        ),
        (
            "unsupported currency",
            with(&base, "/paymentAmount/currency", json!("XYZ")),
            "CURRENCY_NOT_SUPPORT",
            "XYZ",
        ),
        (
            "malformed currency",
            with(&base, "/paymentAmount/currency", json!("sgd")),
            "PARAM_ILLEGAL",
            "currency",
        ),
        (
            "goods sum mismatch",
            with(&base, "/order/goods/0/goodsQuantity", json!("3")),
            "PARAM_ILLEGAL",
            "goods",
        ),
        (
            "payment ≠ order amount",
            with(&base, "/paymentAmount/value", json!("5000")),
            "PARAM_ILLEGAL",
            "paymentAmount",
        ),
        (
            "currency mismatch",
            with(&base, "/order/orderAmount/currency", json!("USD")),
            "PARAM_ILLEGAL",
            "currency",
        ),
        (
            "zero quantity",
            with(&base, "/order/goods/0/goodsQuantity", json!("0")),
            "PARAM_ILLEGAL",
            "goodsQuantity",
        ),
        (
            "quantity not an integer",
            with(&base, "/order/goods/0/goodsQuantity", json!("1.5")),
            "PARAM_ILLEGAL",
            "goodsQuantity",
        ),
        (
            "goods without a unit amount",
            with(&base, "/order/goods/0/goodsUnitAmount", Value::Null),
            "PARAM_ILLEGAL",
            "goodsUnitAmount",
        ),
        (
            "over-long buyer email",
            with(&base, "/order/buyer/buyerEmail", long(65)),
            "PARAM_ILLEGAL",
            "buyerEmail",
        ),
        (
            "unknown transit type",
            with(&base, "/order/transit", json!({"transitType": "ROCKET"})),
            "PARAM_ILLEGAL",
            "transitType",
        ),
        (
            "unreadable departure time",
            with(
                &base,
                "/order/transit",
                json!({"transitType": "FLIGHT", "legs": [{"departureTime": "tomorrow"}]}),
            ),
            "PARAM_ILLEGAL",
            "departureTime",
        ),
        (
            "lodging with a night count that is not a number",
            with(&base, "/order/lodging", json!({"numberOfNights": "two"})),
            "PARAM_ILLEGAL",
            "numberOfNights",
        ),
        (
            "101 goods",
            with(&base, "/order/goods", json!(many_goods)),
            "PARAM_ILLEGAL",
            "goods",
        ),
        (
            "javascript redirect",
            with(&base, "/paymentRedirectUrl", json!("javascript:alert(1)")),
            "PARAM_ILLEGAL",
            "paymentRedirectUrl",
        ),
        (
            "relative redirect",
            with(&base, "/paymentRedirectUrl", json!("/return")),
            "PARAM_ILLEGAL",
            "paymentRedirectUrl",
        ),
        (
            "missing redirect",
            with(&base, "/paymentRedirectUrl", Value::Null),
            "PARAM_ILLEGAL",
            "paymentRedirectUrl",
        ),
        (
            "long redirect",
            with(
                &base,
                "/paymentRedirectUrl",
                json!(format!("https://m.example.com/{}", "a".repeat(2048))),
            ),
            "PARAM_ILLEGAL",
            "paymentRedirectUrl",
        ),
        (
            "ftp notify url",
            with(&base, "/paymentNotifyUrl", json!("ftp://m.example.com/n")),
            "PARAM_ILLEGAL",
            "paymentNotifyUrl",
        ),
        (
            "url with spaces",
            with(
                &base,
                "/paymentNotifyUrl",
                json!("https://m.example.com/a b"),
            ),
            "PARAM_ILLEGAL",
            "paymentNotifyUrl",
        ),
        (
            "expiry in the past",
            with(&base, "/paymentSessionExpiryTime", json!(in_past)),
            "PARAM_ILLEGAL",
            "paymentSessionExpiryTime",
        ),
        (
            "expiry beyond 1 h",
            with(&base, "/paymentSessionExpiryTime", json!(too_late)),
            "PARAM_ILLEGAL",
            "paymentSessionExpiryTime",
        ),
        (
            "unparseable expiry",
            with(&base, "/paymentSessionExpiryTime", json!("tomorrow")),
            "PARAM_ILLEGAL",
            "paymentSessionExpiryTime",
        ),
        (
            "bogus productScene",
            with(&base, "/productScene", json!("IN_STORE")),
            "PARAM_ILLEGAL",
            "productScene",
        ),
        (
            "three-letter userRegion",
            with(&base, "/userRegion", json!("SGP")),
            "PARAM_ILLEGAL",
            "userRegion",
        ),
        (
            "long locale",
            with(&base, "/locale", json!("en_US_POSIX")),
            "PARAM_ILLEGAL",
            "locale",
        ),
        (
            "bad terminalType",
            with(&base, "/env/terminalType", json!("TV")),
            "PARAM_ILLEGAL",
            "terminalType",
        ),
        (
            "transit with 11 legs",
            with(
                &base,
                "/order/transit",
                json!({"transitType": "FLIGHT", "legs": vec![json!({}); 11]}),
            ),
            "PARAM_ILLEGAL",
            "legs",
        ),
        (
            "no method left",
            with(
                &base,
                "/availablePaymentMethod",
                json!({"paymentMethodTypeList": [{"paymentMethodType": "GCASH"}]}),
            ),
            "NO_PAY_OPTIONS",
            "no payment method",
        ),
        (
            "IDR not a multiple of 100",
            json!({
            "productCode": "CASHIER_PAYMENT", "paymentRequestId": "PR-IDR",
            "order": {"referenceOrderId": "O", "orderDescription": "d", "orderAmount": {"currency": "IDR", "value": "30050"},
                      "goods": [{"referenceGoodsId": "G", "goodsName": "g", "goodsQuantity": "1", "goodsUnitAmount": {"currency": "IDR", "value": "30050"}}],
                      "buyer": {"referenceBuyerId": "B", "buyerName": {"fullName": "F"}}},
            "paymentAmount": {"currency": "IDR", "value": "30050"},
            "paymentRedirectUrl": "https://m.example.com/r"}),
            "PARAM_ILLEGAL",
            "100",
        ),
    ];
    assert!(cases.len() >= 40, "at least 40 distinct bodies");
    for (name, body, code, fragment) in cases {
        expect(&app, name, Req::json(&app, CREATE, &body), code, fragment).await;
    }
    for (name, raw) in [
        ("malformed JSON", &b"{\"productCode\": "[..]),
        ("empty body", &b""[..]),
        ("array body", &b"[1,2]"[..]),
        ("not UTF-8", &b"\xff\xfe{}"[..]),
    ] {
        expect(
            &app,
            name,
            Req::signed(&app, CREATE, raw.to_vec()),
            "PARAM_ILLEGAL",
            "",
        )
        .await;
    }
}

#[tokio::test]
async fn inquiry_rejects_bad_references() {
    let app = TestApp::spawn().await;
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("no ids", json!({}), "PARAM_ILLEGAL", "paymentRequestId"),
        (
            "empty ids",
            json!({"paymentRequestId": "", "paymentId": null}),
            "PARAM_ILLEGAL",
            "paymentRequestId",
        ),
        (
            "long id",
            json!({"paymentRequestId": "x".repeat(65)}),
            "PARAM_ILLEGAL",
            "paymentRequestId",
        ),
        (
            "unknown request id",
            json!({"paymentRequestId": "NOPE"}),
            "ORDER_NOT_EXIST",
            "does not exist",
        ),
        (
            "unknown payment id",
            json!({"paymentId": "20250101000000000000000000000000"}),
            "ORDER_NOT_EXIST",
            "does not exist",
        ),
    ];
    for (name, body, code, fragment) in cases {
        expect(&app, name, Req::json(&app, INQUIRY, &body), code, fragment).await;
    }
}

#[tokio::test]
async fn notification_targets_on_private_networks_are_refused_unless_allowed() {
    let app = TestApp::spawn_with(|c| c.allow_private_notify = false).await;
    for url in [
        "http://127.0.0.1:9/n",
        "http://10.0.0.1/n",
        "http://[::1]/n",
        "http://localhost/n",
        "http://169.254.169.254/latest",
    ] {
        let body = with(
            &app.session_request("PR-SSRF"),
            "/paymentNotifyUrl",
            json!(url),
        );
        expect(
            &app,
            url,
            Req::json(&app, CREATE, &body),
            "PARAM_ILLEGAL",
            "private",
        )
        .await;
    }
}

#[tokio::test]
async fn a_merchant_cannot_see_another_merchants_payment() {
    let app = TestApp::spawn().await;
    let created = app.create_session("PR-MINE").await;
    let _ = created;
    let payment_id = app.inquiry("PR-MINE").await.payment_id.unwrap();
    // A second merchant with its own key.
    let other = cashier_gateway::merchants::create(
        app.state.store.as_ref(),
        cashier_gateway::merchants::NewMerchant {
            name: "Other",
            client_id: Some("SANDBOX_OTHER"),
            public_key: None,
            generate_key: true,
            notify_url: None,
            logo: None,
            fee_bps: 0,
            now: cashier_gateway::store::Timestamp::from_millis(0),
        },
    )
    .await
    .unwrap();
    let key = other.private_key.unwrap();
    for body in [
        json!({"paymentId": payment_id}),
        json!({"paymentRequestId": "PR-MINE"}),
    ] {
        let mut r = Req::json(&app, INQUIRY, &body);
        r.client_id = Some("SANDBOX_OTHER".into());
        let r = r.resign(&app, &key, 1);
        expect(
            &app,
            "other merchant",
            r,
            "ORDER_NOT_EXIST",
            "does not exist",
        )
        .await;
    }
}
