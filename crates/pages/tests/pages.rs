//! Page-contract, escaping and CSP tests for every page in every locale.

use cashier_pages::*;

fn brand() -> Brand {
    Brand {
        name: "Acme Shop".into(),
        logo_url: Some("/logos/acme.png".into()),
        accent_color: Some("#0A7A3B".into()),
    }
}

fn checkout(locale: Locale) -> CheckoutView {
    CheckoutView {
        locale,
        brand: brand(),
        order_description: "Two mugs and a teapot".into(),
        goods: vec![
            GoodsLine {
                name: "Mug".into(),
                quantity: 2,
                unit_price: "SGD 20.00".into(),
                line_total: "SGD 40.00".into(),
            },
            GoodsLine {
                name: "Teapot".into(),
                quantity: 1,
                unit_price: "SGD 20.00".into(),
                line_total: "SGD 20.00".into(),
            },
        ],
        total: "SGD 60.00".into(),
        expires_at_iso: "2030-01-31T12:00:00+08:00".into(),
        expires_at_epoch_ms: 1_896_062_400_000,
        methods: vec![
            MethodOption {
                code: "CARD".into(),
                display_name: "Card".into(),
                is_card: true,
                selected: false,
            },
            MethodOption {
                code: "ALIPAY_CN".into(),
                display_name: "Alipay".into(),
                is_card: false,
                selected: false,
            },
        ],
        pay_action: "/checkout/tok123/pay".into(),
        status_url: "/checkout/tok123/status".into(),
        csrf_token: "csrf-abc".into(),
        attempt_nonce: "nonce-xyz".into(),
        error: None,
        card_name_value: String::new(),
        card_expiry_value: String::new(),
        card_brand: String::new(),
        express: Vec::new(),
    }
}

fn wallet(locale: Locale) -> WalletView {
    WalletView {
        locale,
        brand: brand(),
        method_display_name: "Alipay".into(),
        total: "SGD 60.00".into(),
        wallet_url: "http://127.0.0.1:8080/sandbox/wallet/wtok".into(),
        qr_svg: String::new(),
        status_url: "/checkout/tok123/status".into(),
        checkout_url: "/checkout/tok123".into(),
        expires_at_iso: "2030-01-31T12:00:00Z".into(),
        expires_at_epoch_ms: 1_896_091_200_000,
        mobile: false,
        returned: false,
        returned_url: String::new(),
        journey: Journey::Wallet,
    }
}

fn sandbox(locale: Locale) -> SandboxWalletView {
    SandboxWalletView {
        locale,
        merchant_name: "Acme Shop".into(),
        method_display_name: "Alipay".into(),
        total: "SGD 60.00".into(),
        order_description: "Two mugs and a teapot".into(),
        action: "/sandbox/wallet/wtok".into(),
        csrf_token: "csrf-w".into(),
        done: None,
        checkout_url: "/checkout/ctok".into(),
        return_url: String::new(),
        journey: SandboxJourney::Wallet,
    }
}

fn challenge(locale: Locale) -> ChallengeView {
    ChallengeView {
        locale,
        brand: brand(),
        total: "SGD 60.00".into(),
        card_label: "Visa •••• 3220".into(),
        action: "/checkout/tok123/challenge".into(),
        csrf_token: "csrf-c".into(),
    }
}

fn result(locale: Locale, kind: ResultKind) -> ResultView {
    ResultView {
        locale,
        brand: brand(),
        kind,
        detail: None,
        total: "SGD 60.00".into(),
        redirect_url: Some("https://shop.example/return?order=1&x=2".into()),
        redirect_after_secs: 5,
        try_again_url: None,
        status_url: None,
    }
}

/// The text of the first element opened by `open` (e.g. `<h1>`), up to its closing tag.
fn text_after<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("{open} missing in {html}"))
        + open.len();
    let end = html[start..].find(close).expect("closing tag") + start;
    &html[start..end]
}

/// `s` as askama's HTML escaping writes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// Checks shared by every page.
fn assert_common(html: &str, locale: Locale) {
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(html.contains(&format!(r#"<html lang="{}" dir="ltr">"#, locale.tag())));
    assert_eq!(count(html, "<main>"), 1);
    assert_eq!(count(html, "<h1"), 1, "exactly one h1: {html}");
    assert!(html.contains(&format!(
        r#"<link rel="stylesheet" href="{}">"#,
        assets::CSS_HREF
    )));
    assert!(html.contains(&format!(
        r#"<script src="{}" defer></script>"#,
        assets::JS_HREF
    )));
    assert_csp_clean(html);
}

/// Start tags of `html` with their quoted attribute values blanked out, lowercased
/// (so escaped text that merely *looks* like an attribute is not counted).
fn start_tags(html: &str) -> Vec<String> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            let mut tag = String::new();
            let mut quote = None;
            i += 1;
            while i < b.len() {
                let c = b[i];
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'>' => break,
                    None => tag.push(c.to_ascii_lowercase() as char),
                }
                i += 1;
            }
            tags.push(tag);
        }
        i += 1;
    }
    tags
}

/// No inline style, no inline script, no event handler attributes, no `javascript:`.
fn assert_csp_clean(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<style"), "style element");
    for tag in start_tags(html) {
        let attrs: Vec<&str> = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .filter(|a| !a.is_empty())
            .collect();
        assert!(
            !attrs.iter().any(|a| a.starts_with("style")),
            "inline style: <{tag}>"
        );
        assert!(
            !attrs[1..].iter().any(|a| a.starts_with("on")),
            "event handler: <{tag}>"
        );
        if attrs[0] == "script" {
            assert!(
                attrs.iter().any(|a| a.starts_with("src=")),
                "inline script: <{tag}>"
            );
        }
    }
    for (i, _) in lower.match_indices("<script") {
        let tag_end = lower[i..].find('>').unwrap() + i;
        assert!(
            lower[tag_end..].starts_with("></script>"),
            "script with body"
        );
    }
    assert!(!lower.contains("javascript:"));
}

#[test]
fn checkout_contract_en() {
    let html = render_checkout(&checkout(Locale::EnUs));
    assert_common(&html, Locale::EnUs);
    assert_eq!(text_after(&html, "<h1>", "</h1>"), "Acme Shop");
    assert!(html.contains(r#"<img src="/logos/acme.png" alt="Acme Shop logo""#));
    assert!(html.contains(r#"<link rel="stylesheet" href="/assets/accent/0a7a3b.css">"#));
    // Order: description, goods (name, quantity, unit price, line total), total.
    assert!(html.contains("Two mugs and a teapot"));
    for s in [
        "Mug",
        "Teapot",
        "2 × SGD 20.00",
        "1 × SGD 20.00",
        "SGD 40.00",
        "SGD 60.00",
    ] {
        assert!(html.contains(s), "{s}");
    }
    // Countdown.
    assert!(html.contains(
        "<time datetime=\"2030-01-31T12:00:00+08:00\" data-expires=\"1896062400000\">\
         Jan 31, 2030, 12:00\u{202f}PM GMT+8</time>"
    ));
    assert!(html.contains(r#"data-expired hidden>This checkout has expired</p>"#));
    // Method radios.
    let methods = text_after(&html, r#"<fieldset class="methods">"#, "</fieldset>");
    assert!(methods
        .trim_start()
        .starts_with("<legend>Payment method</legend>"));
    assert!(html.contains(
        r#"<label class="method" for="method-1"><input type="radio" id="method-1" name="method" value="CARD" checked data-card><span>Card</span></label>"#
    ));
    assert!(html.contains(
        r#"<label class="method" for="method-2"><input type="radio" id="method-2" name="method" value="ALIPAY_CN"><span>Alipay</span></label>"#
    ));
    assert_eq!(count(&html, r#"type="radio""#), 2);
    assert_eq!(count(&html, " checked"), 1);
    // Card inputs with exact labels, tied by id.
    for (label, name, extra) in [
        (
            "Card number",
            "card_number",
            r#"inputmode="numeric" autocomplete="cc-number""#,
        ),
        (
            "Expiry date",
            "card_expiry",
            r#"placeholder="MM/YY" autocomplete="cc-exp""#,
        ),
        (
            "Security code",
            "card_cvc",
            r#"inputmode="numeric" autocomplete="cc-csc""#,
        ),
        ("Name on card", "card_name", r#"autocomplete="cc-name""#),
    ] {
        assert!(
            html.contains(&format!(
                r#"<label for="{name}">{label}</label><input type="text" id="{name}" name="{name}""#
            )),
            "{label}"
        );
        let input = text_after(&html, &format!(r#"id="{name}""#), ">");
        assert!(input.contains(extra), "{name}: {input}");
        assert!(
            !input.contains("required"),
            "{name} must not be required without JS"
        );
    }
    // Hidden fields and the one submit button.
    assert!(html.contains(r#"<input type="hidden" name="csrf_token" value="csrf-abc">"#));
    assert!(html.contains(r#"<input type="hidden" name="attempt_nonce" value="nonce-xyz">"#));
    assert_eq!(count(&html, "<button"), 1);
    assert!(html.contains(r#"<button type="submit" class="btn" data-pay>Pay SGD 60.00</button>"#));
    assert!(html.contains(r#"<form class="panel" method="post" action="/checkout/tok123/pay""#));
    assert!(!html.contains("role=\"alert\">\n"));
    assert_eq!(
        count(&html, r#"role="alert""#),
        1,
        "only the hidden expiry alert"
    );
}

#[test]
fn checkout_error_and_refill() {
    let mut v = checkout(Locale::EnUs);
    v.error = Some("Your card was declined. Try another card or payment method.".into());
    v.card_name_value = "Ada Lovelace".into();
    v.card_expiry_value = "12/34".into();
    v.methods[1].selected = true;
    let html = render_checkout(&v);
    let form = &html[html.find("<form").unwrap()..];
    let alert = form
        .find(r#"<div class="alert" role="alert">Your card was declined."#)
        .unwrap();
    assert!(
        alert < form.find("<fieldset").unwrap(),
        "error near the top of the form"
    );
    assert!(html.contains(
        r#"name="card_name" autocomplete="cc-name" spellcheck="false" value="Ada Lovelace""#
    ));
    assert!(html.contains(r#"value="12/34""#));
    let number = text_after(&html, r#"id="card_number""#, ">");
    assert!(!number.contains("value="));
    let cvc = text_after(&html, r#"id="card_cvc""#, ">");
    assert!(!cvc.contains("value="));
    assert!(html.contains(r#"value="ALIPAY_CN" checked>"#));
    assert_eq!(count(&html, " checked"), 1);
}

#[test]
fn checkout_wallets_only_has_no_card_fields() {
    let mut v = checkout(Locale::EnUs);
    v.methods.remove(0);
    v.brand.logo_url = None;
    v.brand.accent_color = Some("not a colour".into());
    let html = render_checkout(&v);
    assert!(!html.contains("card_number"));
    assert!(!html.contains("Card number"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("/assets/accent/"));
    // The only method: no chooser, the method named and sent with the form.
    assert!(html.contains(r#"<input type="hidden" name="method" value="ALIPAY_CN">"#));
    assert!(html.contains(r#"<p class="method-only">Payment method: <strong>Alipay</strong></p>"#));
    assert!(!html.contains(r#"type="radio""#));
    assert!(html.contains(">Pay SGD 60.00</button>"));
}

#[test]
fn checkout_with_only_cards_goes_straight_to_the_card_form() {
    let mut v = checkout(Locale::EnUs);
    v.methods.truncate(1);
    let html = render_checkout(&v);
    assert!(html.contains(r#"<input type="hidden" name="method" value="CARD">"#));
    assert!(!html.contains(r#"type="radio""#));
    assert!(html.contains("data-card-fields"));
    assert!(html.contains(r#"id="card_number""#));
}

#[test]
fn checkout_zh() {
    let html = render_checkout(&checkout(Locale::ZhCn));
    assert_common(&html, Locale::ZhCn);
    assert_eq!(text_after(&html, "<h1>", "</h1>"), "Acme Shop");
    for s in [
        "<legend>支付方式</legend>",
        ">卡号</label>",
        ">有效期</label>",
        ">安全码</label>",
        ">持卡人姓名</label>",
        ">支付 SGD 60.00</button>",
        "alt=\"Acme Shop 标志\"",
    ] {
        assert!(html.contains(s), "{s}");
    }
    assert!(!html.contains("Payment method"));
}

#[test]
fn wallet_contract() {
    for locale in Locale::ALL {
        let html = render_wallet(&wallet(locale));
        assert_common(&html, locale);
        let t = strings(locale);
        let label = t.wallet_qr_label("Alipay");
        assert!(html.contains(&format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}""#
        )));
        let open = t.wallet_open("Alipay");
        assert!(html.contains(&format!(
            r#"<a class="btn" href="http://127.0.0.1:8080/sandbox/wallet/wtok">{open}</a>"#
        )));
        assert!(html.contains(&t.wallet_scan("Alipay")));
        assert!(html.contains(r#"data-poll="/checkout/tok123/status""#));
        assert!(html.contains(&format!(
            r#"<noscript><a href="/checkout/tok123/status?html=1">{}</a></noscript>"#,
            t.wallet_paid
        )));
        assert!(html.contains(&format!(
            r#"<a href="/checkout/tok123">{}</a>"#,
            t.wallet_other_method
        )));
        assert!(html.contains(r#"data-expires="1896091200000""#));
    }
    let html = render_wallet(&wallet(Locale::EnUs));
    assert!(html.contains(r#"aria-label="QR code for Alipay""#));
    assert!(html.contains(">Open Alipay</a>"));
    assert!(html.contains(">I have paid</a>"));
    assert_eq!(text_after(&html, "<h1>", "</h1>"), "Pay with Alipay");
}

#[test]
fn mobile_wallet_opens_the_app_and_checks_on_return() {
    for locale in Locale::ALL {
        let t = strings(locale);
        let mut v = wallet(locale);
        v.mobile = true;
        v.returned_url = "/checkout/tok123/attempts/a1?returned=1".into();
        let html = render_wallet(&v);
        assert_common(&html, locale);
        // A phone cannot scan its own screen: no QR code, an app link.
        assert!(!html.contains("<svg"), "{locale:?}");
        assert!(!html.contains(&t.wallet_scan("Alipay")));
        assert!(html.contains(&t.wallet_app_intro("Alipay")));
        let open = t.wallet_open("Alipay");
        assert!(html.contains(&format!(
            r#"<a class="btn" href="http://127.0.0.1:8080/sandbox/wallet/wtok" data-app-link="/checkout/tok123/attempts/a1?returned=1">{open}</a>"#
        )));
        assert!(!html.contains(t.wallet_paid), "no 'I have paid' on a phone");
        assert!(html.contains(r#"data-poll="/checkout/tok123/status""#));

        v.returned = true;
        let html = render_wallet(&v);
        assert!(!html.contains("<svg"));
        assert!(html.contains(&t.wallet_returned("Alipay")));
        assert!(html.contains(&format!(
            r#"<a class="btn" href="/checkout/tok123/status?html=1">{}</a>"#,
            t.check_payment_status
        )));
        assert!(html.contains(&format!(
            r#"<a class="btn secondary" href="http://127.0.0.1:8080/sandbox/wallet/wtok">{open}</a>"#
        )));
        assert!(!html.contains("data-app-link"));
        // Still polls: the result may arrive while the buyer looks.
        assert!(html.contains(r#"data-poll="/checkout/tok123/status""#));
    }
    let mut v = wallet(Locale::EnUs);
    v.mobile = true;
    v.returned = true;
    let html = render_wallet(&v);
    assert!(html.contains(">Check payment status</a>"));
}

#[test]
fn sandbox_wallet_offers_the_way_back_on_mobile() {
    for locale in Locale::ALL {
        let t = strings(locale);
        let mut v = sandbox(locale);
        assert!(!render_sandbox_wallet(&v).contains(t.wallet_back_unpaid));
        v.return_url = "/checkout/ctok/attempts/a1?returned=1".into();
        let html = render_sandbox_wallet(&v);
        assert!(html.contains(&format!(
            r#"<a href="/checkout/ctok/attempts/a1?returned=1">{}</a>"#,
            t.wallet_back_unpaid
        )));
    }
}

#[test]
fn every_family_has_its_own_page() {
    for locale in Locale::ALL {
        let t = strings(locale);
        let page = |journey: Journey, name: &str| {
            let mut v = wallet(locale);
            v.method_display_name = name.into();
            v.journey = journey;
            let html = render_wallet(&v);
            assert_common(&html, locale);
            assert!(
                !html.contains("<svg"),
                "{name}: only wallets draw a QR code"
            );
            assert!(!html.contains(t.wallet_paid), "{name}");
            assert!(html.contains(r#"data-poll="/checkout/tok123/status""#));
            assert!(html.contains(&format!(
                r#"<a href="/checkout/tok123/status?html=1">{}</a>"#,
                t.check_payment_status
            )));
            html
        };
        let html = page(
            Journey::Bank {
                banks: vec![
                    (
                        "Maybank2u".into(),
                        "http://127.0.0.1:8080/sandbox/wallet/wtok?bank=MBB0228".into(),
                    ),
                    ("Bad".into(), "javascript:alert(1)".into()),
                ],
            },
            "FPX",
        );
        assert!(html.contains(&format!("<h2>{}</h2>", t.bank_choose)));
        assert!(html.contains(
            r#"<a class="btn secondary" href="http://127.0.0.1:8080/sandbox/wallet/wtok?bank=MBB0228">Maybank2u</a>"#
        ));
        assert!(!html.contains("javascript:") && !html.contains(">Bad<"));

        let html = page(
            Journey::Transfer {
                bank: "BNI".into(),
                account: "8808 1234 5678 9012".into(),
            },
            "BNI Virtual Account",
        );
        assert!(html.contains(&esc(&t.transfer_intro("SGD 60.00"))));
        assert!(html.contains(&format!(
            r#"<dt>{}</dt><dd class="strong code" data-account>8808 1234 5678 9012</dd>"#,
            t.virtual_account
        )));
        assert!(html.contains(&format!(
            r#"<a href="http://127.0.0.1:8080/sandbox/wallet/wtok">{}</a>"#,
            t.open_sandbox_bank
        )));
        assert!(html.contains(&esc(t.transfer_waiting)) && html.contains(t.pay_before));

        let html = page(
            Journey::Store {
                code: "1234 5678 9012".into(),
            },
            "7-Eleven",
        );
        assert!(html.contains(&esc(&t.store_intro("7-Eleven"))));
        assert!(html.contains(r#"data-code>1234 5678 9012</dd>"#));
        assert!(html.contains(&format!(">{}</a>", t.open_sandbox_store)));
        assert!(html.contains(&esc(t.store_waiting)));

        let html = page(Journey::PayLater, "Kredivo");
        assert!(html.contains(&format!(
            r#"<a class="btn" href="http://127.0.0.1:8080/sandbox/wallet/wtok">{}</a>"#,
            t.continue_to("Kredivo")
        )));
    }
}

#[test]
fn every_family_has_its_sandbox() {
    let buttons = |html: &str| -> Vec<String> {
        html.match_indices(r#"name="decision" value=""#)
            .map(|(i, m)| {
                let rest = &html[i + m.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .collect()
    };
    for locale in Locale::ALL {
        let t = strings(locale);
        let page = |journey: SandboxJourney| {
            let mut v = sandbox(locale);
            v.journey = journey;
            let html = render_sandbox_wallet(&v);
            assert_common(&html, locale);
            html
        };
        let html = page(SandboxJourney::Wallet);
        assert_eq!(buttons(&html), ["approve", "decline", "pending"]);

        let html = page(SandboxJourney::Bank {
            bank: "Maybank2u".into(),
        });
        assert_eq!(text_after(&html, "<h1>", "</h1>"), t.sandbox_bank);
        assert!(html.contains(&t.sandbox_bank_intro("Maybank2u")));
        assert_eq!(buttons(&html), ["approve", "decline"]);

        let html = page(SandboxJourney::Transfer {
            account: "8808 1234".into(),
        });
        assert_eq!(text_after(&html, "<h1>", "</h1>"), t.sandbox_bank);
        assert!(html.contains(&format!(
            r#"value="approve">{}</button>"#,
            t.transfer_button("SGD 60.00")
        )));
        assert!(html.contains("8808 1234"));
        assert_eq!(buttons(&html), ["approve"]);

        let html = page(SandboxJourney::Store {
            code: "1234 5678".into(),
        });
        assert_eq!(text_after(&html, "<h1>", "</h1>"), t.sandbox_store);
        assert!(html.contains(&format!(
            r#"value="approve">{}</button>"#,
            t.cash_button("SGD 60.00")
        )));
        assert_eq!(buttons(&html), ["approve"]);

        let html = page(SandboxJourney::PayLater {
            plans: vec![3, 6, 12],
        });
        assert_eq!(text_after(&html, "<h1>", "</h1>"), t.sandbox_paylater);
        assert!(html.contains(&format!("<legend>{}</legend>", t.instalment_plan)));
        assert!(html.contains(&format!(
            r#"<input type="radio" name="plan" value="3" checked> <span>{}</span>"#,
            t.instalment_months(3)
        )));
        assert!(html.contains(r#"name="plan" value="12">"#));
        assert_eq!(buttons(&html), ["approve", "decline"]);
    }
    let mut v = sandbox(Locale::EnUs);
    v.journey = SandboxJourney::Store { code: "1".into() };
    assert!(render_sandbox_wallet(&v).contains(">Pay SGD 60.00 in cash</button>"));
}

#[test]
fn express_buttons_come_before_the_list_and_skip_its_checks() {
    let apple = MethodOption {
        code: "APPLEPAY".into(),
        display_name: "Apple Pay".into(),
        ..Default::default()
    };
    for locale in Locale::ALL {
        let t = strings(locale);
        let mut v = checkout(locale);
        v.express = vec![apple.clone()];
        let html = render_checkout(&v);
        assert_common(&html, locale);
        let button = r#"<button type="submit" class="btn express" name="express" value="APPLEPAY" formnovalidate>Apple Pay</button>"#;
        let at = html.find(button).expect("the express button");
        assert!(at < html.find(r#"name="method""#).unwrap(), "express first");
        assert!(html.contains(&format!(
            r#"<div class="express" role="group" aria-label="{}">"#,
            t.express_checkout
        )));
        assert!(html.contains(t.express_note) && html.contains(t.express_or));
        assert!(html.contains("data-pay>"));

        // Only express methods: no list, no Pay button, no divider.
        v.methods.clear();
        let html = render_checkout(&v);
        assert!(html.contains(button));
        assert!(!html.contains(r#"name="method""#) && !html.contains("data-pay"));
        assert!(!html.contains(t.express_or));
    }
}

#[test]
fn the_sheet_pays_or_cancels() {
    for locale in Locale::ALL {
        let t = strings(locale);
        let mut v = sandbox(locale);
        v.method_display_name = "Apple Pay".into();
        v.journey = SandboxJourney::Sheet;
        let html = render_sandbox_wallet(&v);
        assert_common(&html, locale);
        assert_eq!(text_after(&html, "<h1>", "</h1>"), t.sandbox_sheet);
        assert!(html.contains(&format!(
            r#"value="approve">{}</button>"#,
            t.sheet_pay("Apple Pay")
        )));
        assert!(html.contains(&format!(r#"value="decline">{}</button>"#, t.sheet_cancel)));
        assert!(!html.contains(r#"value="pending""#));
    }
}

#[test]
fn sandbox_wallet_contract() {
    for locale in Locale::ALL {
        let t = strings(locale);
        let html = render_sandbox_wallet(&sandbox(locale));
        assert_common(&html, locale);
        assert_eq!(text_after(&html, "<h1>", "</h1>"), t.sandbox_wallet);
        for s in ["Acme Shop", "SGD 60.00", "Two mugs and a teapot", "Alipay"] {
            assert!(html.contains(s), "{s}");
        }
        assert!(html.contains(r#"<form class="stack" method="post" action="/sandbox/wallet/wtok""#));
        assert!(html.contains(r#"<input type="hidden" name="csrf_token" value="csrf-w">"#));
        for (value, text) in [
            ("approve", t.approve_payment),
            ("decline", t.decline_payment),
            ("pending", t.leave_pending),
        ] {
            assert!(
                html.contains(&format!(
                    r#"name="decision" value="{value}">{text}</button>"#
                )),
                "{value}"
            );
        }
    }
    let html = render_sandbox_wallet(&sandbox(Locale::EnUs));
    assert_eq!(text_after(&html, "<h1>", "</h1>"), "Sandbox wallet");
    for b in [
        ">Approve payment</button>",
        ">Decline payment</button>",
        ">Leave pending</button>",
    ] {
        assert!(html.contains(b), "{b}");
    }
    let mut done = sandbox(Locale::EnUs);
    done.done = Some("You approved the payment. You can return to the merchant.".into());
    let html = render_sandbox_wallet(&done);
    assert!(html.contains(
        r#"role="status">You approved the payment. You can return to the merchant.</p>"#
    ));
    assert!(!html.contains("<button"));
    assert!(!html.contains("<form"));
    // One tab is enough: the page links back to the checkout.
    assert!(html.contains(r#"<a class="btn" href="/checkout/ctok">Back to the checkout</a>"#));
    let html = render_sandbox_wallet(&sandbox(Locale::EnUs));
    assert!(
        !html.contains("Back to the checkout"),
        "only once the buyer acted"
    );
}

#[test]
fn challenge_contract() {
    for locale in Locale::ALL {
        let t = strings(locale);
        let html = render_challenge(&challenge(locale));
        assert_common(&html, locale);
        assert!(html.contains("Visa •••• 3220"));
        assert!(html.contains(r#"<input type="hidden" name="csrf_token" value="csrf-c">"#));
        assert!(html.contains(r#"method="post" action="/checkout/tok123/challenge""#));
        assert!(html.contains(&format!(
            r#"name="outcome" value="complete">{}</button>"#,
            t.complete_authentication
        )));
        assert!(html.contains(&format!(
            r#"name="outcome" value="fail">{}</button>"#,
            t.fail_authentication
        )));
    }
    let html = render_challenge(&challenge(Locale::EnUs));
    assert!(html.contains(">Complete authentication</button>"));
    assert!(html.contains(">Fail authentication</button>"));
}

#[test]
fn result_headings_en() {
    for (kind, heading) in [
        (ResultKind::Success, "Payment successful"),
        (ResultKind::Failed, "Payment failed"),
        (ResultKind::Processing, "Payment is processing"),
        (ResultKind::Expired, "This checkout has expired"),
        (ResultKind::Cancelled, "This payment was cancelled"),
    ] {
        let html = render_result(&result(Locale::EnUs, kind));
        assert_common(&html, Locale::EnUs);
        assert_eq!(text_after(&html, "<h1>", "</h1>"), heading);
        assert!(html.contains(
            r#"href="https://shop.example/return?order=1&#38;x=2">Return to merchant</a>"#
        ));
    }
}

#[test]
fn result_auto_redirect_for_final_kinds() {
    for kind in [
        ResultKind::Success,
        ResultKind::Failed,
        ResultKind::Expired,
        ResultKind::Cancelled,
    ] {
        let html = render_result(&result(Locale::EnUs, kind));
        assert!(
            html.contains(r#"<meta http-equiv="refresh" content="5;url=https://shop.example/return?order=1&#38;x=2">"#),
            "{kind:?}"
        );
        assert!(html.contains(
            r#"data-redirect="https://shop.example/return?order=1&#38;x=2" data-redirect-after="5""#
        ));
        assert!(html
            .contains("You will be returned to the merchant in <span data-secs>5</span> seconds."));
    }
    // Never sooner than 3 s.
    let mut v = result(Locale::EnUs, ResultKind::Success);
    v.redirect_after_secs = 0;
    let html = render_result(&v);
    assert!(html.contains(r#"content="3;url=https://shop.example/"#));
    assert!(html.contains(r#"data-redirect-after="3""#));
    assert!(html.contains("in <span data-secs>3</span> seconds."));
}

#[test]
fn result_failed_with_try_again_does_not_redirect() {
    let mut v = result(Locale::EnUs, ResultKind::Failed);
    v.try_again_url = Some("/checkout/tok123".into());
    v.detail = Some("Your card was declined.".into());
    let html = render_result(&v);
    assert!(html.contains(r#"<a class="btn" href="/checkout/tok123">Try again</a>"#));
    assert!(html.contains(">Return to merchant</a>"));
    assert!(html.contains("<p>Your card was declined.</p>"));
    assert!(!html.contains("http-equiv=\"refresh\""));
    assert!(!html.contains("data-redirect"));
    assert!(!html.contains("You will be returned"));
}

#[test]
fn result_processing_polls() {
    let mut v = result(Locale::EnUs, ResultKind::Processing);
    v.status_url = Some("/checkout/tok123/status".into());
    let html = render_result(&v);
    assert!(html.contains(r#"data-poll="/checkout/tok123/status""#));
    assert!(html.contains(
        r#"<noscript><meta http-equiv="refresh" content="5;url=/checkout/tok123/status?html=1"></noscript>"#
    ));
    assert!(!html.contains("data-redirect"));
    assert!(!html.contains("You will be returned"));
    assert!(html.contains(">Return to merchant</a>"));
}

#[test]
fn result_without_or_with_bad_redirect_has_no_link() {
    for bad in [
        None,
        Some("javascript:alert(1)"),
        Some("JAVASCRIPT:alert(1)"),
        Some("data:text/html,hi"),
        Some("/relative"),
    ] {
        let mut v = result(Locale::EnUs, ResultKind::Success);
        v.redirect_url = bad.map(str::to_owned);
        let html = render_result(&v);
        assert!(!html.contains("Return to merchant"), "{bad:?}");
        assert!(!html.contains("http-equiv=\"refresh\""), "{bad:?}");
        assert!(!html.contains("data-redirect"), "{bad:?}");
        assert!(!html.to_ascii_lowercase().contains("javascript"), "{bad:?}");
        assert_eq!(text_after(&html, "<h1>", "</h1>"), "Payment successful");
    }
}

#[test]
fn result_zh() {
    for (kind, heading) in [
        (ResultKind::Success, "支付成功"),
        (ResultKind::Failed, "支付失败"),
        (ResultKind::Processing, "支付处理中"),
        (ResultKind::Expired, "此收银台已过期"),
        (ResultKind::Cancelled, "此笔支付已取消"),
    ] {
        let html = render_result(&result(Locale::ZhCn, kind));
        assert_common(&html, Locale::ZhCn);
        assert_eq!(text_after(&html, "<h1>", "</h1>"), heading);
        assert!(html.contains(">返回商户</a>"));
    }
    let html = render_result(&result(Locale::ZhCn, ResultKind::Success));
    assert!(html.contains("<span data-secs>5</span> 秒后将返回商户页面。"));
}

#[test]
fn error_pages() {
    for locale in Locale::ALL {
        for v in [
            ErrorView::not_found(locale),
            ErrorView::expired(locale),
            ErrorView::bad_request(locale, None),
            ErrorView::unavailable(locale),
            ErrorView::too_many_requests(locale),
        ] {
            let html = render_error(&v);
            assert_common(&html, locale);
            assert_eq!(text_after(&html, "<h1>", "</h1>"), v.title);
            assert!(html.contains(&v.message));
            assert!(html.contains(&v.status.to_string()));
        }
    }
    let html = render_error(&ErrorView::not_found(Locale::EnUs));
    assert!(html.contains("Error 404"));
    assert_eq!(ErrorView::expired(Locale::EnUs).status, 410);
    let unavailable = ErrorView::unavailable(Locale::ThTh);
    assert_eq!(unavailable.status, 503);
    assert_ne!(
        unavailable.title,
        ErrorView::unavailable(Locale::EnUs).title
    );
}

// ---------------------------------------------------------------------------------
// Escaping.

const PAYLOADS: [&str; 3] = [
    "<script>alert(1)</script>",
    r#""><img src=x onerror=alert(1)>"#,
    "'><svg onload=alert(1)>",
];

fn assert_no_payload(html: &str, what: &str) {
    for p in PAYLOADS {
        assert!(!html.contains(p), "{what}: raw payload {p} in output");
    }
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script>alert"), "{what}");
    assert!(!lower.contains("<img src=x"), "{what}");
    assert!(!lower.contains("<svg onload"), "{what}");
    assert_csp_clean(html);
}

#[test]
fn every_text_field_is_escaped() {
    for p in PAYLOADS {
        for locale in Locale::ALL {
            let s = p.to_string();
            let evil_brand = Brand {
                name: s.clone(),
                logo_url: Some(s.clone()),
                accent_color: Some(s.clone()),
            };
            let mut c = checkout(locale);
            c.brand = evil_brand.clone();
            c.order_description = s.clone();
            c.goods[0].name = s.clone();
            c.goods[0].unit_price = s.clone();
            c.goods[0].line_total = s.clone();
            c.total = s.clone();
            c.expires_at_iso = s.clone();
            c.methods[0].code = s.clone();
            c.methods[0].display_name = s.clone();
            c.methods[1].code = s.clone();
            c.methods[1].display_name = s.clone();
            c.pay_action = s.clone();
            c.status_url = s.clone();
            c.csrf_token = s.clone();
            c.attempt_nonce = s.clone();
            c.error = Some(s.clone());
            c.card_name_value = s.clone();
            c.card_expiry_value = s.clone();
            c.express = vec![MethodOption {
                code: s.clone(),
                display_name: s.clone(),
                ..Default::default()
            }];
            assert_no_payload(&render_checkout(&c), "checkout");

            let w = WalletView {
                locale,
                brand: evil_brand.clone(),
                method_display_name: s.clone(),
                total: s.clone(),
                wallet_url: s.clone(),
                qr_svg: s.clone(),
                status_url: s.clone(),
                checkout_url: s.clone(),
                expires_at_iso: s.clone(),
                expires_at_epoch_ms: 0,
                mobile: false,
                returned: false,
                returned_url: s.clone(),
                journey: Journey::Wallet,
            };
            assert_no_payload(&render_wallet(&w), "wallet");
            for returned in [false, true] {
                let mut m = w.clone();
                m.mobile = true;
                m.returned = returned;
                m.wallet_url = format!("https://x.example/w?q={s}");
                m.returned_url = format!("/r?q={s}");
                assert_no_payload(&render_wallet(&m), "mobile wallet");
            }
            for journey in [
                Journey::Bank {
                    banks: vec![(s.clone(), format!("https://x.example/b?q={s}"))],
                },
                Journey::Transfer {
                    bank: s.clone(),
                    account: s.clone(),
                },
                Journey::Store { code: s.clone() },
                Journey::PayLater,
            ] {
                let j = WalletView {
                    journey,
                    wallet_url: format!("https://x.example/w?q={s}"),
                    ..w.clone()
                };
                assert_no_payload(&render_wallet(&j), "journey");
            }
            // A usable wallet URL with the payload in its query is still escaped.
            let mut w2 = w.clone();
            w2.wallet_url = format!("https://x.example/w?q={s}");
            w2.status_url = format!("/s?q={s}");
            w2.checkout_url = format!("/c?q={s}");
            assert_no_payload(&render_wallet(&w2), "wallet urls");

            let sw = SandboxWalletView {
                locale,
                merchant_name: s.clone(),
                method_display_name: s.clone(),
                total: s.clone(),
                order_description: s.clone(),
                action: s.clone(),
                csrf_token: s.clone(),
                done: None,
                checkout_url: format!("/c?q={s}"),
                return_url: format!("/r?q={s}"),
                journey: SandboxJourney::Wallet,
            };
            assert_no_payload(&render_sandbox_wallet(&sw), "sandbox wallet");
            for journey in [
                SandboxJourney::Bank { bank: s.clone() },
                SandboxJourney::Transfer { account: s.clone() },
                SandboxJourney::Store { code: s.clone() },
                SandboxJourney::PayLater { plans: vec![3] },
            ] {
                let j = SandboxWalletView {
                    journey,
                    ..sw.clone()
                };
                assert_no_payload(&render_sandbox_wallet(&j), "sandbox journey");
            }
            let sw_done = SandboxWalletView {
                done: Some(s.clone()),
                ..sw
            };
            assert_no_payload(&render_sandbox_wallet(&sw_done), "sandbox wallet done");

            let ch = ChallengeView {
                locale,
                brand: evil_brand.clone(),
                total: s.clone(),
                card_label: s.clone(),
                action: s.clone(),
                csrf_token: s.clone(),
            };
            assert_no_payload(&render_challenge(&ch), "challenge");

            for kind in [
                ResultKind::Success,
                ResultKind::Failed,
                ResultKind::Processing,
                ResultKind::Expired,
                ResultKind::Cancelled,
            ] {
                let r = ResultView {
                    locale,
                    brand: evil_brand.clone(),
                    kind,
                    detail: Some(s.clone()),
                    total: s.clone(),
                    redirect_url: Some(s.clone()),
                    redirect_after_secs: 3,
                    try_again_url: Some(s.clone()),
                    status_url: Some(s.clone()),
                };
                assert_no_payload(&render_result(&r), "result");
                let r2 = ResultView {
                    redirect_url: Some(format!("https://shop.example/r?q={s}")),
                    try_again_url: Some(format!("/c?q={s}")),
                    status_url: Some(format!("/s?q={s}")),
                    ..r
                };
                assert_no_payload(&render_result(&r2), "result urls");
            }

            let e = ErrorView {
                locale,
                status: 404,
                title: s.clone(),
                message: s.clone(),
            };
            assert_no_payload(&render_error(&e), "error");
        }
    }
}

#[test]
fn javascript_urls_are_never_links() {
    let js = "javascript:alert(1)";
    let mut c = checkout(Locale::EnUs);
    c.pay_action = js.into();
    c.brand.logo_url = Some(js.into());
    let mut w = wallet(Locale::EnUs);
    w.wallet_url = js.into();
    w.status_url = js.into();
    w.checkout_url = js.into();
    let mut r = result(Locale::EnUs, ResultKind::Failed);
    r.redirect_url = Some(js.into());
    r.try_again_url = Some(js.into());
    let mut ch = challenge(Locale::EnUs);
    ch.action = js.into();
    let mut sw = sandbox(Locale::EnUs);
    sw.action = js.into();
    for html in [
        render_checkout(&c),
        render_wallet(&w),
        render_result(&r),
        render_challenge(&ch),
        render_sandbox_wallet(&sw),
    ] {
        assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
    }
}

// ---------------------------------------------------------------------------------
// Templates and assets.

#[test]
fn templates_have_no_inline_script_or_style() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let lower = text.to_ascii_lowercase();
        assert!(!lower.contains("style="), "{path:?}");
        assert!(!lower.contains("<style"), "{path:?}");
        // Unescaped output only for HTML we render ourselves: the QR code's SVG and
        // the language list (its own template, made once per locale).
        let unescaped = lower
            .replace("{{ head.languages|safe }}", "")
            .contains("|safe");
        assert!(!unescaped || path.ends_with("wallet.html"), "{path:?}");
        assert!(!has_event_handler(&lower), "{path:?}");
        for (i, _) in lower.match_indices("<script") {
            let tag = &lower[i..i + lower[i..].find('>').unwrap()];
            assert!(tag.contains(" src="), "{path:?}: {tag}");
        }
        n += 1;
    }
    assert!(n >= 7);
}

fn has_event_handler(lower: &str) -> bool {
    [
        "onclick", "onload", "onerror", "onsubmit", "onchange", "oninput",
    ]
    .iter()
    .any(|h| lower.contains(&format!(" {h}=")))
}

#[test]
fn only_qr_is_unescaped() {
    let wallet_tpl = include_str!("../templates/wallet.html");
    assert_eq!(wallet_tpl.matches("|safe").count(), 1);
    assert!(wallet_tpl.contains("{{ qr|safe }}"));
}

#[test]
fn assets_are_small_and_self_contained() {
    assert!(
        assets::CHECKOUT_CSS.len() < 8 * 1024,
        "css {} bytes",
        assets::CHECKOUT_CSS.len()
    );
    // Raw sizes; the whole page's budget is 25 KB compressed (cashier-bench).
    assert!(
        assets::CHECKOUT_JS.len() < 6 * 1024,
        "js {} bytes",
        assets::CHECKOUT_JS.len()
    );
    for a in [assets::CHECKOUT_CSS, assets::CHECKOUT_JS] {
        assert!(
            !a.contains("http://") && !a.contains("https://"),
            "external reference"
        );
        assert!(!a.contains("@import") && !a.contains("url("));
    }
    assert!(!assets::CHECKOUT_JS.contains("eval(") && !assets::CHECKOUT_JS.contains("innerHTML"));
}

#[test]
fn pages_are_small() {
    let html = render_checkout(&checkout(Locale::EnUs));
    assert!(html.len() < 6 * 1024, "checkout html {} bytes", html.len());
    let html = render_wallet(&wallet(Locale::EnUs));
    assert!(html.len() < 12 * 1024, "wallet html {} bytes", html.len());
}

#[test]
fn qr_svg_public() {
    let s = qr_svg("https://example.test/w/1", "QR code for GCash");
    assert!(s.starts_with("<svg "));
    assert!(s.contains(r#"role="img""#));
    assert!(s.contains(r#"aria-label="QR code for GCash""#));
}

#[test]
fn csp_checker_catches_violations() {
    for bad in [
        r#"<img src=x onerror=alert(1)>"#,
        r#"<p style="color:red">x</p>"#,
        "<script>alert(1)</script>",
        r#"<a href="javascript:alert(1)">x</a>"#,
    ] {
        assert!(
            std::panic::catch_unwind(|| assert_csp_clean(bad)).is_err(),
            "{bad}"
        );
    }
    assert_csp_clean(
        r#"<p title="x onerror=y">a onclick=b</p><script src="/a.js" defer></script>"#,
    );
}
