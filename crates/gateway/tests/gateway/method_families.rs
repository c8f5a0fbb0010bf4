//! The payment-method families beyond cards and wallets, over real HTTP:
//! online banking (FPX), bank transfer to a virtual account, cash at a
//! convenience store and pay later — each offered only in its currency and
//! amount range, each with its own sandbox journey, each reaching the
//! merchant as its own `paymentMethodType` in notifyPayment and
//! inquiryPayment.

use crate::common::browser::{user, Browser};
use crate::common::{input_value, TestApp};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

use cashier_gateway::store::ClientId;

/// A createPaymentSession body for `value` minor units of `currency`.
fn session_in(app: &TestApp, id: &str, currency: &str, value: &str) -> Value {
    let mut body = app.session_request(id);
    body["order"]["orderAmount"] = json!({"currency": currency, "value": value});
    body["order"]["goods"] = json!([{"referenceGoodsId": "ONE", "goodsName": "One thing",
        "goodsQuantity": "1", "goodsUnitAmount": {"currency": currency, "value": value}}]);
    body["paymentAmount"] = json!({"currency": currency, "value": value});
    body["settlementStrategy"] = json!({"settlementCurrency": currency});
    body
}

/// Creates the session and answers its checkout path.
async fn checkout_in(app: &TestApp, id: &str, currency: &str, value: &str) -> String {
    let created = app
        .call(
            cashier_client::CREATE_PAYMENT_SESSION,
            &session_in(app, id, currency, value),
        )
        .await;
    assert_eq!(created["result"]["resultStatus"], "S", "{created}");
    TestApp::page_path(created["normalUrl"].as_str().unwrap())
}

/// The page's method radios, by `value`.
fn offered(html: &str) -> Vec<String> {
    html.match_indices(r#"name="method" value=""#)
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// The link into the sandbox that `text` labels (the last one before it).
fn sandbox_link(page: &str, text: &str) -> String {
    let at = page.find(text).expect("the link's text");
    let start = page[..at]
        .rfind("/sandbox/wallet/")
        .unwrap_or_else(|| panic!("no sandbox link before {text:?}: {page}"));
    let end = start + page[start..].find('"').unwrap();
    page[start..end].replace("&amp;", "&")
}

/// Posts a decision (and fields) on a sandbox page.
async fn decide(app: &TestApp, sandbox: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let (status, page) = app.get_page(sandbox).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let mut form = vec![(
        "csrf_token".to_string(),
        input_value(&page, "csrf_token").unwrap(),
    )];
    form.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    app.post_form(sandbox, &form).await
}

async fn start(app: &TestApp, path: &str, method: &str) -> (String, String) {
    let (status, attempt) = app.submit_checkout(path, &[("method", method)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{attempt}");
    let (_, page) = app.get_page(&attempt).await;
    assert!(!page.contains("<svg"), "{method}: no QR code\n{page}");
    (attempt, page)
}

#[tokio::test]
async fn families_are_offered_only_in_their_currency_and_amount_range() {
    let app = TestApp::spawn().await;
    let cases = [
        ("MYR", "5000", "ONLINEBANKING_FPX", true),
        ("MYR", "50", "ONLINEBANKING_FPX", false), // below RM 1
        ("MYR", "3000001", "ONLINEBANKING_FPX", false), // above RM 30,000
        ("IDR", "15000000", "BANKTRANSFER_BNI", true),
        ("IDR", "15000000", "BANKTRANSFER_PERMATA", true),
        ("IDR", "15000000", "KREDIVO_ID", true),
        ("IDR", "500000", "BANKTRANSFER_BNI", false), // below IDR 10,000
        ("JPY", "1000", "KONBINI", true),
        ("JPY", "1000", "SEVENELEVEN", true),
        ("JPY", "200", "KONBINI", false),
        ("JPY", "300001", "SEVENELEVEN", false),
        ("PHP", "500000", "AKULAKU_PAYLATER_PH", true),
        ("SGD", "6000", "ONLINEBANKING_FPX", false),
    ];
    for (i, (currency, value, method, shown)) in cases.into_iter().enumerate() {
        let path = checkout_in(&app, &format!("PR-OFFER-{i}"), currency, value).await;
        let (_, html) = app.get_page(&path).await;
        assert_eq!(
            offered(&html).iter().any(|m| m == method),
            shown,
            "{method} for {currency} {value}: {:?}",
            offered(&html)
        );
    }
    // Named alone outside its range, the request says why.
    let mut body = session_in(&app, "PR-OFFER-MAX", "JPY", "300001");
    body["paymentMethod"] = json!({"paymentMethodType": "KONBINI"});
    let r = app
        .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
        .await;
    assert_eq!(r["result"]["resultCode"], "NO_PAY_OPTIONS", "{r}");
    assert!(
        r["result"]["resultMessage"]
            .as_str()
            .unwrap()
            .contains("its maximum is"),
        "{r}"
    );
}

#[tokio::test]
async fn online_banking_picks_a_bank_that_approves_or_declines() {
    let app = TestApp::spawn().await;
    let path = checkout_in(&app, "PR-FPX", "MYR", "5000").await;
    let (attempt, page) = start(&app, &path, "ONLINEBANKING_FPX").await;
    assert!(page.contains("Choose your bank"), "{page}");
    for bank in [
        "Maybank2u",
        "CIMB Clicks",
        "Public Bank",
        "RHB Now",
        "Hong Leong Connect",
    ] {
        assert!(page.contains(&format!(">{bank}</a>")), "{bank}");
    }
    let bank = sandbox_link(&page, "Maybank2u");
    assert!(bank.ends_with("?bank=MBB0228"), "{bank}");
    let (_, sandbox) = app.get_page(&bank).await;
    assert!(sandbox.contains("<h1>Sandbox bank</h1>"), "{sandbox}");
    assert!(
        sandbox.contains("This page simulates Maybank2u."),
        "{sandbox}"
    );
    assert!(!sandbox.contains("Leave pending"));

    // Declined by the bank: the buyer may try again.
    let (status, after) = decide(&app, &bank, &[("decision", "decline")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(after.contains("declined"), "{after}");
    let (_, page) = app.get_page(&attempt).await;
    assert!(page.contains("Try again"), "{page}");
    let timeline = app.inquiry("PR-FPX").await;
    assert_eq!(timeline.payment_status.as_deref(), Some("PROCESSING"));

    // Another bank approves.
    let (_, page) = start(&app, &path, "ONLINEBANKING_FPX").await;
    let bank = sandbox_link(&page, "Public Bank");
    // "Leave pending" is not something a bank page does.
    let (status, refused) = decide(&app, &bank, &[("decision", "pending")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Said from the page's catalogue, not as a developer's diagnostic.
    assert!(
        refused.contains("We could not process your request.") && !refused.contains("Unknown"),
        "{refused}"
    );
    let (_, after) = decide(&app, &bank, &[("decision", "approve")]).await;
    assert!(after.contains("approved"), "{after}");
    let n = app.wait_for_notifications(1).await[0].notification();
    assert_eq!(n.result.result_code, "SUCCESS");
    assert_eq!(n.payment_method_type.as_deref(), Some("ONLINEBANKING_FPX"));
    let inquiry = app.inquiry("PR-FPX").await;
    assert_eq!(
        (
            inquiry.payment_status.as_deref(),
            inquiry.payment_method_type.as_deref()
        ),
        (Some("SUCCESS"), Some("ONLINEBANKING_FPX"))
    );
}

#[tokio::test]
async fn a_virtual_account_stays_processing_until_the_transfer_arrives() {
    let app = TestApp::spawn().await;
    let path = checkout_in(&app, "PR-VA", "IDR", "15000000").await;
    let (attempt, page) = start(&app, &path, "BANKTRANSFER_BNI").await;
    assert!(page.contains("Virtual account number"), "{page}");
    let start_at = page.find("data-account>").expect("the account") + "data-account>".len();
    let account = &page[start_at..start_at + page[start_at..].find('<').unwrap()];
    assert!(
        account.starts_with("8808 ") && account.len() == 19,
        "{account}"
    );
    // en_US writes IDR with CLDR's digits: whole rupiah, grouped.
    assert!(page.contains("IDR 150,000"), "{page}");
    // The same account on reload: the buyer may have written it down.
    let (_, again) = app.get_page(&attempt).await;
    assert!(again.contains(account));
    assert_eq!(
        app.inquiry("PR-VA").await.payment_status.as_deref(),
        Some("PROCESSING")
    );
    let bank = sandbox_link(&page, "Open the sandbox bank");
    let (_, sandbox) = app.get_page(&bank).await;
    assert!(sandbox.contains(account), "{sandbox}");
    // A transfer cannot be declined or left pending: it is made or not.
    for d in ["decline", "pending"] {
        let (status, _) = decide(&app, &bank, &[("decision", d)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{d}");
    }
    app.clock.advance(Duration::minutes(30));
    let (_, after) = decide(&app, &bank, &[("decision", "approve")]).await;
    assert!(after.contains("approved"), "{after}");
    let n = app.wait_for_notifications(1).await[0].notification();
    assert_eq!(n.payment_method_type.as_deref(), Some("BANKTRANSFER_BNI"));
    let inquiry = app.inquiry("PR-VA").await;
    assert_eq!(inquiry.payment_status.as_deref(), Some("SUCCESS"));
    let (_, result) = app.get_page(&attempt).await;
    assert!(result.contains("Payment successful"), "{result}");

    // Support sees the family and the account the buyer was given.
    let id = app
        .state
        .store
        .payment_by_request_id(&ClientId::from(&app.client_id), &"PR-VA".into())
        .await
        .unwrap()
        .unwrap()
        .payment_id;
    user(&app, "owner@va.example", Some(&app.client_id)).await;
    let mut b = Browser::logged_in(&app, "owner@va.example").await;
    let detail = b.get(&format!("/dashboard/payments/{id}")).await;
    for text in [
        "<dd>BANKTRANSFER_BNI (BANK_TRANSFER)</dd>".to_string(),
        format!("Attempt with BANKTRANSFER_BNI (BANK_TRANSFER, BNI virtual account {account})"),
    ] {
        assert!(detail.body.contains(&text), "detail lacks {text:?}");
    }
}

#[tokio::test]
async fn an_unpaid_virtual_account_closes_at_the_session_expiry() {
    let app = TestApp::spawn().await;
    let path = checkout_in(&app, "PR-VA-LATE", "IDR", "15000000").await;
    let (_, page) = start(&app, &path, "BANKTRANSFER_PERMATA").await;
    let bank = sandbox_link(&page, "Open the sandbox bank");
    let (_, sandbox) = app.get_page(&bank).await;
    assert!(sandbox.contains("8625 "), "Permata's prefix: {sandbox}");
    app.clock.advance(Duration::minutes(61));
    app.sweep().await;
    let inquiry = app.inquiry("PR-VA-LATE").await;
    assert_eq!(
        (
            inquiry.payment_status.as_deref(),
            inquiry.payment_result_code.as_deref()
        ),
        (Some("FAIL"), Some("ORDER_IS_CLOSED"))
    );
    assert_eq!(
        inquiry.payment_method_type.as_deref(),
        Some("BANKTRANSFER_PERMATA"),
        "the close names the method the buyer did not pay with"
    );
    let n = app.wait_for_notifications(1).await[0].notification();
    assert_eq!(n.result.result_code, "ORDER_IS_CLOSED");
    assert_eq!(
        n.payment_method_type.as_deref(),
        Some("BANKTRANSFER_PERMATA")
    );
    // The money arriving after the close charges nothing.
    let csrf = input_value(&sandbox, "csrf_token").unwrap();
    let (_, after) = app
        .post_form(
            &bank,
            &[
                ("csrf_token".into(), csrf),
                ("decision".into(), "approve".into()),
            ],
        )
        .await;
    assert!(!after.contains("You approved"), "{after}");
    assert_eq!(
        app.inquiry("PR-VA-LATE").await.payment_status.as_deref(),
        Some("FAIL")
    );
}

#[tokio::test]
async fn a_store_code_is_paid_later_at_the_counter_or_by_simulation() {
    let app = TestApp::spawn().await;
    let path = checkout_in(&app, "PR-KONBINI", "JPY", "1000").await;
    let (_, page) = start(&app, &path, "KONBINI").await;
    assert!(page.contains("Payment code"), "{page}");
    assert!(page.contains("Open the sandbox store"));
    let store = sandbox_link(&page, "Open the sandbox store");
    let (_, counter) = app.get_page(&store).await;
    assert!(counter.contains("<h1>Sandbox store</h1>"), "{counter}");
    assert!(
        counter.contains(">Pay ¥1,000 in cash</button>"),
        "{counter}"
    );
    let (_, after) = decide(&app, &store, &[("decision", "approve")]).await;
    assert!(after.contains("approved"), "{after}");
    let n = app.wait_for_notifications(1).await[0].notification();
    assert_eq!(n.payment_method_type.as_deref(), Some("KONBINI"));

    // The merchant's CI pays a code without a browser: the simulation
    // settles the waiting attempt.
    let path = checkout_in(&app, "PR-711", "JPY", "1000").await;
    let (attempt, _) = start(&app, &path, "SEVENELEVEN").await;
    let sim = app.simulate_pay("PR-711", "SUCCESS", None).await;
    assert_eq!(sim["paymentStatus"], "SUCCESS", "{sim}");
    let inquiry = app.inquiry("PR-711").await;
    assert_eq!(inquiry.payment_method_type.as_deref(), Some("SEVENELEVEN"));
    let (_, result) = app.get_page(&attempt).await;
    assert!(result.contains("Payment successful"), "{result}");
}

#[tokio::test]
async fn pay_later_approves_an_instalment_plan_or_declines() {
    let app = TestApp::spawn().await;
    let path = checkout_in(&app, "PR-KREDIVO", "IDR", "15000000").await;
    let (attempt, page) = start(&app, &path, "KREDIVO_ID").await;
    assert!(page.contains(">Continue to Kredivo</a>"), "{page}");
    let lender = sandbox_link(&page, "Continue to");
    let (_, sandbox) = app.get_page(&lender).await;
    assert!(
        sandbox.contains("<legend>Instalment plan</legend>"),
        "{sandbox}"
    );
    for months in [3, 6, 12] {
        assert!(sandbox.contains(&format!(r#"name="plan" value="{months}""#)));
    }
    let (status, _) = decide(&app, &lender, &[("decision", "approve"), ("plan", "5")]).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a plan the lender does not offer"
    );
    let (_, after) = decide(&app, &lender, &[("decision", "decline"), ("plan", "3")]).await;
    assert!(after.contains("declined"), "{after}");
    let (_, page) = app.get_page(&attempt).await;
    assert!(page.contains("Try again"), "{page}");

    let (_, page) = start(&app, &path, "KREDIVO_ID").await;
    let lender = sandbox_link(&page, "Continue to");
    let (_, after) = decide(&app, &lender, &[("decision", "approve"), ("plan", "6")]).await;
    assert!(after.contains("in 6 monthly instalments"), "{after}");
    let n = app.wait_for_notifications(1).await[0].notification();
    assert_eq!(n.payment_method_type.as_deref(), Some("KREDIVO_ID"));
    assert_eq!(
        app.inquiry("PR-KREDIVO").await.payment_status.as_deref(),
        Some("SUCCESS")
    );
}

/// The express buttons on a page, by `value`.
fn express_buttons(html: &str) -> Vec<String> {
    html.match_indices(r#"name="express" value=""#)
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn express_wallets_are_buttons_that_complete_on_a_sandbox_sheet() {
    let app = TestApp::spawn().await;
    // Not asked for: no Apple Pay or Google Pay anywhere.
    let created = app.create_session("PR-NO-EXPRESS").await;
    let (_, html) = app
        .get_page(&TestApp::page_path(created["normalUrl"].as_str().unwrap()))
        .await;
    assert!(express_buttons(&html).is_empty() && !html.contains("Apple Pay"));

    let mut body = app.session_request("PR-EXPRESS");
    body["availablePaymentMethod"] = json!({"paymentMethodTypeList": [
        {"paymentMethodType": "APPLEPAY", "paymentMethodOrder": 1},
        {"paymentMethodType": "GOOGLEPAY", "paymentMethodOrder": 2},
        {"paymentMethodType": "ALIPAY_CN", "paymentMethodOrder": 3, "expressCheckout": true},
        {"paymentMethodType": "CARD", "paymentMethodOrder": 4, "expressCheckout": "true"},
    ]});
    let created = app
        .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
        .await;
    assert_eq!(created["result"]["resultStatus"], "S", "{created}");
    let path = TestApp::page_path(created["normalUrl"].as_str().unwrap());
    let (_, html) = app.get_page(&path).await;
    assert_eq!(
        express_buttons(&html),
        ["APPLEPAY", "GOOGLEPAY", "ALIPAY_CN"],
        "{html}"
    );
    assert!(html.contains(r#"role="group" aria-label="Express checkout""#));
    assert!(html.contains(">Apple Pay</button>") && html.contains("formnovalidate"));
    assert!(
        html.contains("no wallet is loaded"),
        "the page says it is a sandbox"
    );
    // A card is never a button: its form is the form.
    assert_eq!(offered(&html), ["CARD"]);
    assert!(html.contains("Pay SGD 60.00"));

    // Apple Pay's sheet, cancelled: back to the page, nothing charged.
    let (status, attempt) = app
        .submit_checkout(&path, &[("express", "APPLEPAY"), ("method", "CARD")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, sheet) = app.get_redirect(&attempt).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the attempt is its sheet");
    assert!(sheet.starts_with("/sandbox/wallet/"), "{sheet}");
    let (_, page) = app.get_page(&sheet).await;
    assert!(page.contains("<h1>Sandbox payment sheet</h1>"), "{page}");
    assert!(page.contains(">Pay with Apple Pay</button>") && page.contains(">Cancel</button>"));
    let (status, back) = decide(&app, &sheet, &[("decision", "decline")]).await;
    assert_eq!(
        (status, back.as_str()),
        (StatusCode::SEE_OTHER, path.as_str())
    );
    assert_eq!(
        app.inquiry("PR-EXPRESS").await.payment_status.as_deref(),
        Some("PROCESSING")
    );

    // Google Pay's sheet, paid: on to the outcome.
    let (_, attempt) = app
        .submit_checkout(&path, &[("express", "GOOGLEPAY"), ("method", "CARD")])
        .await;
    let (_, sheet) = app.get_redirect(&attempt).await;
    let (status, to) = decide(&app, &sheet, &[("decision", "approve")]).await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, attempt.as_str())
    );
    let (_, result) = app.get_page(&attempt).await;
    assert!(result.contains("Payment successful"), "{result}");
    let n = app.wait_for_notifications(1).await[0].notification();
    assert_eq!(n.payment_method_type.as_deref(), Some("GOOGLEPAY"));
    assert_eq!(
        app.inquiry("PR-EXPRESS")
            .await
            .payment_method_type
            .as_deref(),
        Some("GOOGLEPAY")
    );
}

#[tokio::test]
async fn an_express_flag_that_is_not_a_boolean_is_refused() {
    let app = TestApp::spawn().await;
    let mut body = app.session_request("PR-EXPRESS-BAD");
    body["availablePaymentMethod"] = json!({"paymentMethodTypeList": [
        {"paymentMethodType": "APPLEPAY", "expressCheckout": "yes"},
    ]});
    let r = app
        .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
        .await;
    assert_eq!(r["result"]["resultCode"], "PARAM_ILLEGAL", "{r}");
    assert_eq!(
        r["result"]["resultMessage"],
        "availablePaymentMethod.paymentMethodTypeList[0].expressCheckout must be true or false"
    );
}

/// Support reads each family's method and category on the dashboard, for a
/// payment made through that family's own journey start (the attempt the
/// buyer began) and settled by the simulation.
#[tokio::test]
async fn the_dashboard_names_every_family_with_its_category() {
    let app = TestApp::spawn().await;
    user(&app, "owner@families.example", Some(&app.client_id)).await;
    let mut b = Browser::logged_in(&app, "owner@families.example").await;
    let families = [
        ("PR-F-CARD", "SGD", "6000", "CARD", "CARD"),
        ("PR-F-WALLET", "SGD", "6000", "GRABPAY_SG", "ALIPAY_PLUS"),
        ("PR-F-APPLEPAY", "SGD", "6000", "APPLEPAY", "WALLET"),
        (
            "PR-F-FPX",
            "MYR",
            "5000",
            "ONLINEBANKING_FPX",
            "ONLINE_BANKING",
        ),
        (
            "PR-F-VA",
            "IDR",
            "15000000",
            "BANKTRANSFER_BNI",
            "BANK_TRANSFER",
        ),
        ("PR-F-OTC", "JPY", "1000", "KONBINI", "OTC"),
        ("PR-F-LATER", "IDR", "15000000", "KREDIVO_ID", "ALIPAY_PLUS"),
    ];
    for (rid, currency, value, method, category) in families {
        checkout_in(&app, rid, currency, value).await;
        let sim = app.simulate_pay(rid, "SUCCESS", Some(method)).await;
        assert_eq!(sim["paymentStatus"], "SUCCESS", "{rid}: {sim}");
        let id = app
            .state
            .store
            .payment_by_request_id(&ClientId::from(&app.client_id), &rid.into())
            .await
            .unwrap()
            .unwrap()
            .payment_id;
        let detail = b.get(&format!("/dashboard/payments/{id}")).await;
        let shown = format!("<dd>{method} ({category})</dd>");
        assert!(
            detail.body.contains(&shown),
            "{rid}: detail lacks {shown:?}"
        );
        let list = b.get("/dashboard/payments").await;
        assert!(list.body.contains(method), "{rid}: the list lacks {method}");
    }
}
