//! Issue #15: requests written from Antom's hosted-checkout guide are
//! accepted as they are, their gaps are recorded as integration warnings
//! (payment detail, Developers page, payments CSV, `/metrics`), and a
//! merchant in strict mode has the same requests refused naming the rule.
//! The real server on a loopback port, driven over HTTP.

use crate::common::browser::{multipart, user, Browser};
use crate::common::{input_value, TestApp};
use cashier_gateway::merchants::{self, MerchantUpdate};
use cashier_gateway::store::ClientId;
use reqwest::StatusCode;
use serde_json::{json, Value};

const CREATE: &str = cashier_client::CREATE_PAYMENT_SESSION;

/// The guide's Java sample, as it goes on the wire: a buyer with only
/// `referenceBuyerId`, no `productScene`, one item with brand, category,
/// SKU, image and URL. (Values are ours; the shape is the sample's.)
fn java_sample(app: &TestApp, request_id: &str) -> Value {
    json!({
        "order": {
            "buyer": {"referenceBuyerId": "yourBuyerId"},
            "goods": [{
                "goodsBrand": "Example Brand",
                "goodsCategory": "Apparel/Tops",
                "goodsImageUrl": "https://www.example.com/images/tshirt.png",
                "goodsName": "Cotton T-shirt",
                "goodsQuantity": "1",
                "goodsSkuName": "White / M",
                "goodsUnitAmount": {"currency": "SGD", "value": "4200"},
                "goodsUrl": "https://www.example.com/products/tshirt",
                "referenceGoodsId": "goods01"
            }],
            "orderAmount": {"currency": "SGD", "value": "4200"},
            "orderDescription": "antom sdk test order",
            "referenceOrderId": format!("order-{request_id}")
        },
        "paymentAmount": {"currency": "SGD", "value": "4200"},
        "paymentNotifyUrl": app.notify_url(),
        "paymentRedirectUrl": "https://www.example.com/orders/result",
        "paymentRequestId": request_id,
        "productCode": "CASHIER_PAYMENT",
        "settlementStrategy": {"settlementCurrency": "SGD"}
    })
}

/// The guide's JSON sample for a travel merchant: a flight with its
/// transit, the goodsName still the placeholder of the guide's text.
fn flight_sample(app: &TestApp, request_id: &str) -> Value {
    json!({
        "productCode": "CASHIER_PAYMENT",
        "productScene": "CHECKOUT_PAYMENT",
        "paymentRequestId": request_id,
        "paymentAmount": {"currency": "SGD", "value": "35000"},
        "order": {
            "referenceOrderId": format!("order-{request_id}"),
            "orderDescription": "Flight SIN-HKG",
            "orderAmount": {"currency": "SGD", "value": "35000"},
            "goods": [{
                "referenceGoodsId": "ticket01",
                "goodsName": "ticket-date-flight number-departure-arrival",
                "goodsUnitAmount": {"currency": "SGD", "value": "35000"},
                "goodsQuantity": "1"
            }],
            "buyer": {
                "referenceBuyerId": "buyer01",
                "buyerName": {"firstName": "Ah Kow", "lastName": "Tan", "fullName": "Tan Ah Kow"},
                "buyerEmail": "buyer@example.com",
                "buyerPhoneNo": "+6581234567"
            },
            "transit": {
                "transitType": "FLIGHT",
                "legs": [{
                    "departureTime": "2025-01-01T08:00:00+08:00",
                    "arrivalTime": "2025-01-01T12:00:00+08:00",
                    "departureAddress": {"city": "Singapore", "region": "SG"},
                    "arrivalAddress": {"city": "Hong Kong", "region": "HK"},
                    "carrierName": "Cathay Pacific",
                    "carrierNo": "CX711",
                    "classType": "SECONDLEVEL",
                    "departureAirportCode": "SIN",
                    "arrivalAirportCode": "HKG"
                }],
                "passengers": [{"passengerName": {"fullName": "Tan Ah Kow"}}]
            },
            "env": {"clientIp": "203.0.113.10"}
        },
        "settlementStrategy": {"settlementCurrency": "SGD"},
        "paymentRedirectUrl": "https://www.example.com/orders/result",
        "paymentNotifyUrl": app.notify_url(),
        "env": {"terminalType": "WEB"}
    })
}

async fn warnings_of(app: &TestApp, request_id: &str) -> Vec<(String, String)> {
    let p = app
        .state
        .store
        .payment_by_request_id(&ClientId::from(&app.client_id), &request_id.into())
        .await
        .unwrap()
        .expect("payment stored");
    app.state
        .store
        .payment_warnings(&p.payment_id)
        .await
        .unwrap()
        .into_iter()
        .map(|w| (w.rule, w.field))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

async fn metrics(app: &TestApp) -> String {
    app.buyer
        .get(format!("{}/metrics", app.base_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_guides_samples_are_accepted_paid_and_their_gaps_shown_to_the_merchant() {
    let app = TestApp::spawn().await;

    // The Java sample: accepted, warned, and payable by card.
    let r = app.call(CREATE, &java_sample(&app, "PR-JAVA")).await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    assert_eq!(
        warnings_of(&app, "PR-JAVA").await,
        pairs(&[
            ("BUYER_NAME_MISSING", "order.buyer.buyerName.fullName"),
            ("PRODUCT_SCENE_MISSING", "productScene"),
            (
                "CARD_RISK_FIELDS_MISSING",
                "order.buyer.buyerEmail, order.buyer.buyerPhoneNo, env.clientIp"
            ),
        ])
    );
    let path = TestApp::page_path(r["normalUrl"].as_str().unwrap());
    let (status, page) = app.get_page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Cotton T-shirt"), "the item is on the page");
    let (status, _) = app.pay_with_card(&path, "4242424242424242").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let notes = app.wait_for_notifications(1).await;
    let note = notes[0].notification();
    assert_eq!(note.payment_request_id, "PR-JAVA");
    assert_eq!(note.result.result_code, "SUCCESS");
    // Every field the guide's samples show is on the wire.
    let raw: Value = serde_json::from_slice(&notes[0].body).unwrap();
    assert_eq!(
        raw["actualPaymentAmount"],
        json!({"currency": "SGD", "value": "4200"})
    );
    assert_eq!(
        raw["paymentResultInfo"],
        json!({"cardNo": "424242******4242", "cardBrand": "VISA", "lastFour": "4242",
               "funding": "CREDIT", "issuingCountry": "US", "cardBin": "424242",
               "paymentMethodRegion": "US", "issuerName": "Cashier Sandbox Bank",
               "cardholderName": "Tan Ah Kow", "expiryMonth": "12", "expiryYear": "39",
               "cvvResultRaw": "M"})
    );
    let inquiry = app
        .call(
            cashier_client::INQUIRY_PAYMENT,
            &json!({"paymentRequestId": "PR-JAVA"}),
        )
        .await;
    assert_eq!(inquiry["paymentStatus"], "SUCCESS", "{inquiry}");
    assert_eq!(inquiry["actualPaymentAmount"], raw["actualPaymentAmount"]);
    assert_eq!(inquiry["paymentResultInfo"], raw["paymentResultInfo"]);
    assert_eq!(
        inquiry["paymentRedirectUrl"],
        "https://www.example.com/orders/result"
    );

    // The flight sample: accepted with the one gap it has.
    let r = app.call(CREATE, &flight_sample(&app, "PR-FLIGHT")).await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    // Unpaid: the redirect URL, no actual amount, no card.
    let inquiry = app
        .call(
            cashier_client::INQUIRY_PAYMENT,
            &json!({"paymentRequestId": "PR-FLIGHT"}),
        )
        .await;
    assert_eq!(inquiry["paymentStatus"], "PROCESSING");
    assert_eq!(
        inquiry["paymentRedirectUrl"],
        "https://www.example.com/orders/result"
    );
    assert!(inquiry.get("actualPaymentAmount").is_none(), "{inquiry}");
    assert!(inquiry.get("paymentResultInfo").is_none(), "{inquiry}");
    assert_eq!(
        warnings_of(&app, "PR-FLIGHT").await,
        pairs(&[("FLIGHT_GOODS_NAME_FORMAT", "order.goods[0].goodsName")])
    );
    // With the goodsName in the guide's format it has none.
    let mut fixed = flight_sample(&app, "PR-FLIGHT-OK");
    fixed["order"]["goods"][0]["goodsName"] = json!("ticket-20250101-CX711-SIN-HKG");
    let r = app.call(CREATE, &fixed).await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    assert_eq!(warnings_of(&app, "PR-FLIGHT-OK").await, vec![]);

    // A repeat of an accepted request records nothing twice.
    let again = app.call(CREATE, &flight_sample(&app, "PR-FLIGHT")).await;
    assert_eq!(again["result"]["resultStatus"], "S");
    assert_eq!(warnings_of(&app, "PR-FLIGHT").await.len(), 1);

    let text = metrics(&app).await;
    for line in [
        r#"cashier_integration_warnings_total{rule="BUYER_NAME_MISSING",outcome="recorded"} 1"#,
        r#"cashier_integration_warnings_total{rule="FLIGHT_GOODS_NAME_FORMAT",outcome="recorded"} 1"#,
    ] {
        assert!(text.contains(line), "{line} in /metrics");
    }

    // The merchant sees them: payment detail, Developers page, CSV.
    user(&app, "dev@lion.example", Some(&app.client_id)).await;
    let mut b = Browser::logged_in(&app, "dev@lion.example").await;
    let java = app
        .state
        .store
        .payment_by_request_id(&ClientId::from(&app.client_id), &"PR-JAVA".into())
        .await
        .unwrap()
        .unwrap();
    let detail = b
        .get(&format!("/dashboard/payments/{}", java.payment_id))
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert_eq!(
        detail
            .body
            .matches(r#"<tr class="integration-warning">"#)
            .count(),
        3
    );
    assert!(detail
        .body
        .contains("<code>order.buyer.buyerName.fullName</code>"));
    let dev = b.get("/dashboard/developers").await;
    assert_eq!(dev.status, StatusCode::OK);
    assert_eq!(
        dev.body.matches(r#"<tr class="warning-count">"#).count(),
        4,
        "four rules were broken"
    );
    assert!(dev
        .body
        .contains("<code>FLIGHT_GOODS_NAME_FORMAT</code></td><td class=\"num\">1</td>"));
    assert!(dev
        .body
        .contains(r#"<strong id="strict-mode">off</strong>"#));
    assert!(dev
        .body
        .contains(&format!("/dashboard/payments/{}", java.payment_id)));
    let csv = b.get("/dashboard/payments.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut rows = csv::Reader::from_reader(csv.body.as_bytes());
    let headers = rows.headers().unwrap().clone();
    let col = headers
        .iter()
        .position(|h| h == "integrationWarnings")
        .expect("CSV has an integrationWarnings column");
    let by_request: std::collections::HashMap<String, String> = rows
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[1].to_string(), r[col].to_string())
        })
        .collect();
    assert_eq!(
        by_request["PR-JAVA"],
        "BUYER_NAME_MISSING order.buyer.buyerName.fullName; PRODUCT_SCENE_MISSING productScene; \
         CARD_RISK_FIELDS_MISSING order.buyer.buyerEmail, order.buyer.buyerPhoneNo, env.clientIp"
    );
    assert_eq!(by_request["PR-FLIGHT-OK"], "");
}

#[tokio::test]
async fn strict_mode_refuses_the_same_requests_naming_the_rule_and_changes_nothing() {
    let app = TestApp::spawn().await;
    merchants::update(
        app.state.store.as_ref(),
        &ClientId::from(&app.client_id),
        &MerchantUpdate {
            strict: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app.state
        .merchant_cache
        .forget(&ClientId::from(&app.client_id));

    let before = app.state.store.counts().await.unwrap();
    let r = app.call(CREATE, &java_sample(&app, "PR-STRICT")).await;
    assert_eq!(r["result"]["resultStatus"], "F", "{r}");
    assert_eq!(r["result"]["resultCode"], "PARAM_ILLEGAL");
    assert_eq!(
        r["result"]["resultMessage"],
        "strict mode: BUYER_NAME_MISSING: order.buyer.buyerName.fullName is missing and 2 more integration warnings"
    );
    let r = app.call(CREATE, &flight_sample(&app, "PR-STRICT-2")).await;
    assert_eq!(r["result"]["resultCode"], "PARAM_ILLEGAL");
    assert!(r["result"]["resultMessage"]
        .as_str()
        .unwrap()
        .starts_with("strict mode: FLIGHT_GOODS_NAME_FORMAT: order.goods[0].goodsName is not ticket-date-flight number-departure-arrival"));
    assert_eq!(
        app.state.store.counts().await.unwrap(),
        before,
        "nothing stored"
    );
    assert!(metrics(&app).await.contains(
        r#"cashier_integration_warnings_total{rule="PRODUCT_SCENE_MISSING",outcome="refused"} 1"#
    ));

    // A complete request still passes in strict mode.
    let r = app.create_session("PR-STRICT-CLEAN").await;
    assert_eq!(r["result"]["resultStatus"], "S");
    assert_eq!(warnings_of(&app, "PR-STRICT-CLEAN").await, vec![]);
}

#[tokio::test]
async fn strict_mode_is_switched_in_the_dashboard_settings() {
    let app = TestApp::spawn().await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    let mut b = Browser::logged_in(&app, "owner@lion.example").await;
    let page = b.get("/dashboard/settings").await;
    assert!(page
        .body
        .contains(r#"name="strict" type="checkbox" aria-describedby"#));
    let csrf = input_value(&page.body, "csrf").unwrap();
    let save = |strict: bool| {
        let mut fields = vec![("csrf", csrf.as_str()), ("brand_name", "Lion City Goods")];
        if strict {
            fields.push(("strict", "on"));
        }
        multipart(&fields, None)
    };
    for strict in [true, false] {
        let (ct, body) = save(strict);
        let r = b.post_multipart("/dashboard/settings", ct, body).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let m = app
            .state
            .store
            .merchant(&ClientId::from(&app.client_id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.strict, strict);
        let page = b.get("/dashboard/settings").await;
        assert_eq!(page.body.contains(" checked aria-describedby"), strict);
        // The API follows at once (the saving node forgets its cache).
        let r = app
            .call(CREATE, &java_sample(&app, &format!("PR-SET-{strict}")))
            .await;
        let expected = if strict { "F" } else { "S" };
        assert_eq!(r["result"]["resultStatus"], expected, "{r}");
    }
}

/// The guide's JSON request sample: a flight with its transit, paid from an
/// Antom business account, with a settlement strategy.
fn business_account_sample(app: &TestApp, request_id: &str) -> Value {
    let mut body = flight_sample(app, request_id);
    body["order"]["goods"][0]["goodsName"] = json!("ticket-20250101-CX711-SIN-HKG");
    body["paymentMethod"] = json!({"paymentMethodType": "ANTOM_BIZ_ACCOUNT"});
    body
}

#[tokio::test]
async fn the_business_account_sample_preselects_its_method_and_is_approved_like_a_wallet() {
    let app = TestApp::spawn().await;
    let r = app
        .call(CREATE, &business_account_sample(&app, "PR-ABA"))
        .await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    let path = TestApp::page_path(r["normalUrl"].as_str().unwrap());
    let (_, page) = app.get_page(&path).await;
    assert!(
        page.contains(r#"value="ANTOM_BIZ_ACCOUNT" checked>"#),
        "pre-selected: {page}"
    );
    assert!(page.contains("Antom Business Account"));

    // Not offered to sessions that do not ask for it.
    let r = app.create_session("PR-NO-ABA").await;
    let (_, page) = app
        .get_page(&TestApp::page_path(r["normalUrl"].as_str().unwrap()))
        .await;
    assert!(!page.contains("ANTOM_BIZ_ACCOUNT"));

    // The buyer approves on the sandbox's approval page.
    let (status, attempt) = app
        .submit_checkout(&path, &[("method", "ANTOM_BIZ_ACCOUNT")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, qr) = app.get_page(&attempt).await;
    let start = qr.find("/sandbox/wallet/").expect("approval link");
    let approval = &qr[start..start + qr[start..].find('"').unwrap()];
    let (_, page) = app.get_page(approval).await;
    assert!(page.contains("Approve payment"), "{page}");
    let csrf = input_value(&page, "csrf_token").unwrap();
    let (_, done) = app
        .post_form(
            approval,
            &[
                ("csrf_token".to_string(), csrf),
                ("decision".to_string(), "approve".to_string()),
            ],
        )
        .await;
    assert!(done.contains("approved"), "{done}");
    let n = app.wait_for_notifications(1).await[0].notification();
    assert_eq!(n.result.result_code, "SUCCESS");
    assert_eq!(n.payment_method_type.as_deref(), Some("ANTOM_BIZ_ACCOUNT"));
    let inquiry = app.inquiry("PR-ABA").await;
    assert_eq!(
        inquiry.payment_method_type.as_deref(),
        Some("ANTOM_BIZ_ACCOUNT")
    );
}

#[tokio::test]
async fn a_preselected_method_is_honoured_or_refused_never_dropped() {
    let app = TestApp::spawn().await;
    let before = app.state.store.counts().await.unwrap();
    let with_method = |id: &str, method: &str| {
        let mut body = app.session_request(id);
        body["paymentMethod"] = json!({"paymentMethodType": method});
        body
    };

    let r = app.call(CREATE, &with_method("PR-PAYPAL", "PAYPAL")).await;
    assert_eq!(r["result"]["resultCode"], "PARAM_ILLEGAL", "{r}");
    assert_eq!(
        r["result"]["resultMessage"],
        "paymentMethod.paymentMethodType PAYPAL is not a payment method Cashier offers (see the README's sandbox methods)"
    );
    let r = app.call(CREATE, &with_method("PR-GCASH", "GCASH")).await;
    assert_eq!(r["result"]["resultCode"], "NO_PAY_OPTIONS", "{r}");
    assert_eq!(
        r["result"]["resultMessage"],
        "paymentMethod.paymentMethodType GCASH cannot pay SGD 60.00: it pays in PHP only, not SGD."
    );
    let mut no_buyer_id = with_method("PR-CARD-NO-ID", "CARD");
    no_buyer_id["order"]["buyer"]
        .as_object_mut()
        .unwrap()
        .remove("referenceBuyerId");
    let r = app.call(CREATE, &no_buyer_id).await;
    assert_eq!(r["result"]["resultCode"], "NO_PAY_OPTIONS", "{r}");
    assert!(r["result"]["resultMessage"]
        .as_str()
        .unwrap()
        .ends_with("cards need order.buyer.referenceBuyerId."));
    assert_eq!(app.state.store.counts().await.unwrap(), before);

    // Pre-selected among several: checked. The only one: no chooser.
    let r = app
        .call(CREATE, &with_method("PR-GRAB", "GRABPAY_SG"))
        .await;
    let (_, page) = app
        .get_page(&TestApp::page_path(r["normalUrl"].as_str().unwrap()))
        .await;
    assert!(page.contains(r#"value="GRABPAY_SG" checked>"#), "{page}");
    assert!(page.contains(r#"type="radio""#));
    let mut only_card = with_method("PR-ONLY-CARD", "CARD");
    only_card["availablePaymentMethod"] =
        json!({"paymentMethodTypeList": [{"paymentMethodType": "CARD"}]});
    let r = app.call(CREATE, &only_card).await;
    let path = TestApp::page_path(r["normalUrl"].as_str().unwrap());
    let (_, page) = app.get_page(&path).await;
    assert!(!page.contains(r#"type="radio""#), "{page}");
    assert!(page.contains(r#"<input type="hidden" name="method" value="CARD">"#));
    assert!(page.contains(r#"id="card_number""#));
    let (status, _) = app.pay_with_card(&path, "4242424242424242").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.inquiry("PR-ONLY-CARD").await.payment_status.as_deref(),
        Some("SUCCESS")
    );
}

#[tokio::test]
async fn settlement_currencies_are_set_in_the_dashboard_settings() {
    let app = TestApp::spawn().await;
    user(&app, "owner@lion.example", Some(&app.client_id)).await;
    let mut b = Browser::logged_in(&app, "owner@lion.example").await;
    let page = b.get("/dashboard/settings").await;
    let csrf = input_value(&page.body, "csrf").unwrap();
    let save = |contract: &str| {
        multipart(
            &[
                ("csrf", csrf.as_str()),
                ("brand_name", "Lion City Goods"),
                ("settlement_currencies", contract),
            ],
            None,
        )
    };
    let (ct, body) = save("usd sgd");
    let r = b.post_multipart("/dashboard/settings", ct, body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let contract = || async {
        app.state
            .store
            .merchant(&ClientId::from(&app.client_id))
            .await
            .unwrap()
            .unwrap()
            .settlement_currencies
    };
    assert_eq!(contract().await.as_deref(), Some("USD,SGD"));
    let page = b.get("/dashboard/settings").await;
    assert!(page
        .body
        .contains(r#"name="settlement_currencies" value="USD, SGD""#));
    // USD is now contracted: a payment may settle in it, converted.
    let mut body = app.session_request("PR-SETTLE-USD");
    body["settlementStrategy"] = json!({"settlementCurrency": "USD"});
    let r = app.call(CREATE, &body).await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    let p = app
        .state
        .store
        .payment_by_request_id(&ClientId::from(&app.client_id), &"PR-SETTLE-USD".into())
        .await
        .unwrap()
        .unwrap();
    let detail = b
        .get(&format!("/dashboard/payments/{}", p.payment_id))
        .await;
    assert!(
        detail
            .body
            .contains(r#"<dd class="settlement">USD 44.44 at 0.74074074 SGD/USD (rate of "#),
        "{}",
        detail.body
    );

    let (ct, body) = save("USD, EURO");
    let r = b.post_multipart("/dashboard/settings", ct, body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("&#34;EURO&#34; is not a supported currency code"),
        "{}",
        r.body
    );
    assert_eq!(contract().await.as_deref(), Some("USD,SGD"), "unchanged");
    let (ct, body) = save("");
    let r = b.post_multipart("/dashboard/settings", ct, body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(contract().await, None);
}

#[tokio::test]
async fn merchant_text_in_csv_exports_cannot_start_a_formula() {
    let app = TestApp::spawn().await;
    let mut body = app.session_request("=HYPERLINK(\"http://x\")");
    body["order"]["referenceOrderId"] = json!("@SUM(A1)");
    let r = app.call(CREATE, &body).await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    let mut control = app.session_request("PR\u{1b}[2J");
    control["order"]["referenceOrderId"] = json!("ORDER-1");
    let r = app.call(CREATE, &control).await;
    assert_eq!(r["result"]["resultCode"], "PARAM_ILLEGAL", "{r}");

    user(&app, "ops@lion.example", Some(&app.client_id)).await;
    let mut b = Browser::logged_in(&app, "ops@lion.example").await;
    let csv = b.get("/dashboard/payments.csv").await;
    let mut rows = csv::Reader::from_reader(csv.body.as_bytes());
    let headers = rows.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[col("paymentRequestId")], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&row[col("referenceOrderId")], "'@SUM(A1)");
}
