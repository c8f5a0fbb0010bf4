//! The hosted page as a security-conscious buyer's browser sees it:
//! headers, escaping, CSRF, locales, unknown tokens, logos.

use crate::common::{input_value, TestApp};
use cashier_test_support::gateway::body_text;
use reqwest::StatusCode;
use serde_json::json;

use cashier_gateway::store::{ClientId, Timestamp};

#[tokio::test]
async fn pages_carry_strict_security_headers() {
    let app = TestApp::spawn().await;
    let created = app.create_session("PR-HDR").await;
    let url = created["normalUrl"].as_str().unwrap();
    let r = app.buyer.get(url).send().await.unwrap();
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'")
            && csp.contains("script-src 'self'")
            && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-store");
    assert!(
        h.get("strict-transport-security").is_none(),
        "no HSTS on a plain-HTTP public URL"
    );
    let html = r.text().await.unwrap();
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains("style=\""), "no inline style");
    assert!(
        !html.contains("http://") || !html.contains("src=\"http"),
        "no external resources"
    );
    for asset in ["/assets/checkout.css", "/assets/checkout.js"] {
        let r = app
            .buyer
            .get(format!("{}{asset}", app.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{asset}");
        let etag = r.headers()["etag"].clone();
        let again = app
            .buyer
            .get(format!("{}{asset}", app.base_url))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }
}

/// Pages, assets and the dashboard are gzipped for a client that accepts
/// it, and the same bytes otherwise; API answers never are.
#[tokio::test]
async fn pages_are_compressed_when_the_client_accepts_it_and_api_answers_never() {
    use std::io::Read as _;
    let app = TestApp::spawn().await;
    let created = app.create_session("PR-GZIP").await;
    let url = created["normalUrl"].as_str().unwrap().to_string();
    for url in [
        url,
        format!("{}/assets/checkout.css", app.base_url),
        format!("{}/dashboard/login", app.base_url),
    ] {
        let plain = app.buyer.get(&url).send().await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none(), "{url}");
        let plain = plain.bytes().await.unwrap();
        let r = app
            .buyer
            .get(&url)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-encoding"], "gzip", "{url}");
        assert!(r.headers()["vary"]
            .to_str()
            .unwrap()
            .contains("accept-encoding"));
        let gz = r.bytes().await.unwrap();
        assert!(
            gz.len() < plain.len() / 2,
            "{url}: {} of {}",
            gz.len(),
            plain.len()
        );
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut unzipped)
            .unwrap();
        // Pages carry a fresh nonce or CSRF token per render: the same
        // size there, the same bytes for assets.
        if url.contains("/assets/") {
            assert_eq!(unzipped, plain, "{url}");
        } else {
            assert_eq!(unzipped.len(), plain.len(), "{url}");
        }
    }
    let r = app
        .buyer
        .post(format!(
            "{}/ams/api/v1/payments/inquiryPayment",
            app.base_url
        ))
        .header("accept-encoding", "gzip")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn an_https_public_url_adds_hsts_to_pages_and_dashboard() {
    // TLS ends at a proxy in front of this node: the public URL is https, the
    // listener plain HTTP, so the test talks to the listener directly.
    let app = TestApp::spawn_with(|c| c.public_url = Some("https://pay.example.com".into())).await;
    let direct = format!("http://{}", app.addr);
    let page = app
        .buyer
        .get(format!("{direct}/checkout/unknown-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        page.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let dashboard = app
        .buyer
        .get(format!("{direct}/dashboard/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        dashboard.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}

#[tokio::test]
async fn merchant_supplied_text_is_escaped() {
    let app = TestApp::spawn().await;
    let evil = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>";
    let mut body = app.session_request("PR-XSS");
    body["order"]["orderDescription"] = json!(evil);
    body["order"]["goods"][0]["goodsName"] = json!(evil);
    body["paymentRedirectUrl"] =
        json!("https://merchant.example.com/r?a=\"><script>alert(2)</script>");
    let r = app
        .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
        .await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    let path = TestApp::page_path(r["normalUrl"].as_str().unwrap());
    let (_, html) = app.get_page(&path).await;
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("&#60;script"),
        "escaped text is shown"
    );
    let (_, location) = app.pay_with_card(&path, "4242424242424242").await;
    let (_, result) = app.get_page(&location).await;
    assert!(!result.contains("<script>alert(2)"), "{result}");
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused() {
    let app = TestApp::spawn().await;
    let path = TestApp::page_path(
        app.create_session("PR-CSRF").await["normalUrl"]
            .as_str()
            .unwrap(),
    );
    let form = |csrf: &str| {
        vec![
            ("csrf_token".to_string(), csrf.to_string()),
            ("attempt_nonce".to_string(), "n1".to_string()),
            ("method".to_string(), "CARD".to_string()),
            ("card_number".to_string(), "4242424242424242".to_string()),
            ("card_expiry".to_string(), "12/39".to_string()),
            ("card_cvc".to_string(), "123".to_string()),
            ("card_name".to_string(), "A".to_string()),
        ]
    };
    for bad in ["", "00000000000000000000000000000000"] {
        let (status, _) = app.post_form(&format!("{path}/pay"), &form(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    // A token for another session does not work either.
    let other = TestApp::page_path(
        app.create_session("PR-CSRF-2").await["normalUrl"]
            .as_str()
            .unwrap(),
    );
    let (_, other_html) = app.get_page(&other).await;
    let (status, _) = app
        .post_form(
            &format!("{path}/pay"),
            &form(&input_value(&other_html, "csrf_token").unwrap()),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(app.state.store.counts().await.unwrap().attempts, 0);
    assert_eq!(
        app.inquiry("PR-CSRF").await.payment_status.as_deref(),
        Some("PROCESSING")
    );
}

#[tokio::test]
async fn unknown_tokens_get_a_readable_404() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get_page("/checkout/not-a-real-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("<h1"));
    let (status, _) = app.get_page("/sandbox/wallet/not-a-real-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_page_speaks_the_buyers_language() {
    let app = TestApp::spawn().await;
    let url = app.create_session_in("PR-ZH", "zh_CN").await;
    let zh = body_text(app.buyer.get(&url)).await;
    assert!(zh.contains("lang=\"zh-CN\""), "session locale wins");
    let en = body_text(app.buyer.get(format!("{url}?locale=en_US"))).await;
    assert!(en.contains("lang=\"en-US\"") && en.contains("Payment method"));
    let plain = app
        .call(
            cashier_client::CREATE_PAYMENT_SESSION,
            &app.session_request("PR-AL"),
        )
        .await;
    let by_header = body_text(
        app.buyer
            .get(plain["normalUrl"].as_str().unwrap())
            .header("accept-language", "zh-CN,zh;q=0.9,en;q=0.8"),
    )
    .await;
    assert!(
        by_header.contains("lang=\"zh-CN\""),
        "Accept-Language is honoured"
    );
}

#[tokio::test]
async fn the_buyers_language_choice_is_kept_for_that_checkout_only() {
    let app = TestApp::spawn().await;
    let r = app.create_session("PR-LANG").await;
    let path = TestApp::page_path(r["normalUrl"].as_str().unwrap());
    // A link of the language list: the page in Thai, and a cookie for this checkout.
    let th = app
        .buyer
        .get(format!("{}{path}?locale=th_TH", app.base_url))
        .send()
        .await
        .unwrap();
    let cookie = th.headers()["set-cookie"].to_str().unwrap().to_string();
    assert_eq!(
        cookie,
        format!("cashier_locale=th_TH; Path={path}; HttpOnly; SameSite=Lax")
    );
    let html = th.text().await.unwrap();
    assert!(html.contains("<html lang=\"th-TH\" dir=\"ltr\">"), "{html}");
    assert!(html.contains("aria-current=\"true\">ไทย</a>"), "{html}");
    // The card form's answer (no ?locale= on its address) keeps Thai.
    let answer = pay_by_card_in_thai(&app, &path, &html, "4242424242424241")
        .await
        .text()
        .await
        .unwrap();
    let t = cashier_pages::strings(cashier_pages::Locale::ThTh);
    assert!(
        answer.contains("<html lang=\"th-TH\" dir=\"ltr\">"),
        "{answer}"
    );
    assert!(answer.contains(t.msg_card_number_invalid), "{answer}");
    // That page's language links (relative, `?locale=`) lead back to the checkout.
    let (status, to) = app.get_redirect(&format!("{path}/pay?locale=de_DE")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, format!("{path}?locale=de_DE"));
    // An unknown or foreign value sets nothing; another checkout keeps the session's
    // language (the cookie's path is this checkout's).
    let r = app
        .buyer
        .get(format!("{}{path}?locale=xx_XX", app.base_url))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("set-cookie").is_none());
    let other = app.create_session("PR-LANG-2").await;
    let other_path = TestApp::page_path(other["normalUrl"].as_str().unwrap());
    assert!(!other_path.starts_with(&format!("{path}/")) && other_path != path);
}

#[tokio::test]
async fn the_merchant_logo_is_served_and_shown() {
    let app = TestApp::spawn().await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-logo";
    let store = app.state.store.as_ref();
    let other = cashier_gateway::merchants::save_logo(
        store,
        &ClientId::from(&app.client_id),
        b"\x89PNG\r\n\x1a\nother",
        Timestamp::from_millis(0),
    )
    .await
    .unwrap();
    // Attach one to a merchant as `merchant create --logo` does.
    let created = cashier_gateway::merchants::create(
        app.state.store.as_ref(),
        cashier_gateway::merchants::NewMerchant {
            name: "Logo Shop",
            client_id: Some("SANDBOX_LOGO"),
            public_key: Some(app.merchant_key.public_key()),
            generate_key: false,
            notify_url: None,
            logo: Some(png),
            fee_bps: 0,
            now: Timestamp::from_millis(0),
        },
    )
    .await
    .unwrap();
    let logo = created.merchant.logo_file.unwrap();
    // Named by content: other bytes, another name; the name never changes meaning.
    let sha = hex::encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, png).as_ref());
    assert_eq!(logo, format!("{sha}.png"));
    assert_ne!(logo, other);
    let stored = store.logo(&logo).await.unwrap().expect("in the database");
    assert_eq!(
        (stored.client_id.as_str(), stored.content_type.as_str()),
        ("SANDBOX_LOGO", "image/png")
    );
    for _ in 0..2 {
        // The second answer comes from the node's cache: the same.
        let r = app
            .buyer
            .get(format!("{}/logos/{logo}", app.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let h = r.headers().clone();
        assert_eq!(h["content-type"], "image/png");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(h["etag"], format!("\"{sha}\"").as_str());
        assert_eq!(&r.bytes().await.unwrap()[..], &png[..]);
    }
    let r = app
        .buyer
        .get(format!("{}/logos/{logo}", app.base_url))
        .header("if-none-match", format!("\"{sha}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304, "revalidation by ETag");
    assert_eq!(app.web.checkout.logos.usage(), (1, png.len()));
    // A session of that merchant shows the logo next to its brand name.
    let pkcs8 = crate::common::b64(&app.merchant_key.to_pkcs8_der());
    let mut cfg = cashier_client::ClientConfig::new(
        &app.base_url,
        "SANDBOX_LOGO",
        &pkcs8,
        &app.state.gateway_key.public.to_base64(),
    )
    .unwrap();
    let clock = app.clock.clone();
    cfg.time_source = std::sync::Arc::new(move || cashier_gateway::clock::Clock::now(&clock));
    let logo_client = cashier_client::Client::new(cfg).unwrap();
    let raw = logo_client
        .send_raw(
            cashier_client::CREATE_PAYMENT_SESSION,
            app.session_request("PR-LOGO").to_string().as_bytes(),
        )
        .await
        .unwrap();
    let r: serde_json::Value = serde_json::from_str(&raw.body).unwrap();
    let (_, html) = app
        .get_page(&TestApp::page_path(r["normalUrl"].as_str().unwrap()))
        .await;
    assert!(html.contains(&format!("src=\"/logos/{logo}\"")), "{html}");
    assert!(html.contains("Logo Shop"));
    for bad in [
        "../gateway_key.pk8",
        "..%2Fgateway_key.pk8",
        "x.svg",
        ".hidden.png",
        "gateway_key.pk8",
        &format!("{}.png", "0".repeat(64)),
    ] {
        let r = app
            .buyer
            .get(format!("{}/logos/{bad}", app.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{bad}");
    }
}

#[tokio::test]
async fn buyer_messages_follow_the_page_language() {
    let app = TestApp::spawn().await;
    let path = TestApp::page_path(&app.create_session_in("PR-ZH-MSG", "zh_CN").await);
    let (status, page) = app.pay_with_card(&path, "4242 4242 4242 4241").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("卡号无效"), "{page}");
    let (_, location) = app.pay_with_card(&path, "4000 0000 0000 0002").await;
    let (_, page) = app.get_page(&location).await;
    assert!(page.contains("您的卡被拒绝"), "{page}");
    let (_, page) = app.get_page(&format!("{location}?locale=en_US")).await;
    assert!(page.contains("Your card was declined"), "{page}");
}

/// Issue #19, point 6: a buyer on a session the merchant closed is answered in
/// the language of the page they were on (here Thai, chosen from the language
/// list and kept by the cookie), never with the merchant-facing English of
/// the API ("order is closed…", "the payment is already…").
#[tokio::test]
async fn a_closed_session_answers_the_buyer_in_the_pages_language() {
    let app = TestApp::spawn().await;
    let r = app.create_session("PR-CLOSED-TH").await;
    let path = TestApp::page_path(r["normalUrl"].as_str().unwrap());
    let (_, html) = app.get_page(&format!("{path}?locale=th_TH")).await;
    // The merchant cancels while the buyer is on the page.
    let cancelled = app
        .call(
            cashier_client::CANCEL,
            &json!({"paymentRequestId": "PR-CLOSED-TH"}),
        )
        .await;
    assert_eq!(cancelled["result"]["resultStatus"], "S", "{cancelled}");
    let answer = pay_by_card_in_thai(&app, &path, &html, "4242424242424242").await;
    assert_eq!(answer.status(), StatusCode::GONE);
    let page = answer.text().await.unwrap();
    let t = cashier_pages::strings(cashier_pages::Locale::ThTh);
    assert!(page.contains("<html lang=\"th-TH\""), "{page}");
    assert!(page.contains(t.result_cancelled), "{page}");
    for merchant_text in [
        "order is closed",
        "the payment is already",
        "paymentRequestId",
    ] {
        assert!(!page.contains(merchant_text), "{merchant_text}: {page}");
    }
    // Nothing was charged, and the payment stays cancelled.
    assert_eq!(app.state.store.counts().await.unwrap().attempts, 0);
    assert_eq!(
        app.inquiry("PR-CLOSED-TH").await.payment_status.as_deref(),
        Some("CANCELLED")
    );
}

/// Issue #19, point 6: a payment that failed for good (here rejected by risk
/// control) is explained to the buyer in the page's language (here the
/// session's Japanese), on the attempt's page and on the checkout's alike,
/// never with the processor's English result message kept for the merchant.
#[tokio::test]
async fn a_failed_payment_is_explained_in_the_pages_language() {
    let app = TestApp::spawn().await;
    let path = TestApp::page_path(&app.create_session_in("PR-FAILED-JA", "ja_JP").await);
    let (status, location) = app.pay_with_card(&path, "4000 0000 0000 0119").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let inquiry = app.inquiry("PR-FAILED-JA").await;
    assert_eq!(inquiry.payment_status.as_deref(), Some("FAIL"));
    assert_eq!(inquiry.payment_result_code.as_deref(), Some("RISK_REJECT"));
    let stored = app
        .stored_payment(inquiry.payment_id.as_deref().unwrap())
        .await
        .expect("the failed payment is stored");
    let english = stored.result_message;
    assert!(!english.is_empty());
    let ja = cashier_pages::strings(cashier_pages::Locale::JaJp);
    for page in [&location, &path] {
        let (status, html) = app.get_page(page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(html.contains("<html lang=\"ja-JP\""), "{html}");
        assert!(html.contains(ja.result_failed), "{html}");
        assert!(html.contains(ja.msg_risk_rejected), "{html}");
        assert!(!html.contains(&english), "{english}: {html}");
    }
    // The same page in English says it in the page's English, not the
    // processor's.
    let (_, html) = app.get_page(&format!("{path}?locale=en_US")).await;
    let en = cashier_pages::strings(cashier_pages::Locale::EnUs);
    assert!(html.contains(en.msg_risk_rejected), "{html}");
    assert!(!html.contains(&english), "{english}: {html}");
}

/// Posts the card form of the checkout page `html` (at `path`) with `number`,
/// as a buyer whose language cookie says Thai.
async fn pay_by_card_in_thai(
    app: &TestApp,
    path: &str,
    html: &str,
    number: &str,
) -> reqwest::Response {
    let form: Vec<(String, String)> = [
        ("csrf_token", input_value(html, "csrf_token").unwrap()),
        ("attempt_nonce", input_value(html, "attempt_nonce").unwrap()),
        ("method", "CARD".into()),
        ("card_number", number.into()),
        ("card_expiry", "12/39".into()),
        ("card_cvc", "123".into()),
        ("card_name", "Somchai".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    app.buyer
        .post(format!("{}{path}/pay", app.base_url))
        .header("cookie", "cashier_locale=th_TH")
        .form(&form)
        .send()
        .await
        .unwrap()
}
