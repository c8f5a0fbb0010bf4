//! Writes sample pages to a directory for manual inspection: `cargo run -p cashier-pages --example dump -- /tmp/pages`.
use cashier_pages::*;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/pages".into());
    std::fs::create_dir_all(&dir).unwrap();
    let brand = Brand {
        name: "Acme Shop".into(),
        logo_url: None,
        accent_color: Some("#0a7a3b".into()),
    };
    for locale in Locale::ALL {
        let c = CheckoutView {
            locale,
            brand: brand.clone(),
            order_description: "Two mugs and a teapot".into(),
            goods: vec![GoodsLine {
                name: "Mug".into(),
                quantity: 2,
                unit_price: "SGD 20.00".into(),
                line_total: "SGD 40.00".into(),
            }],
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
            pay_action: "/pay".into(),
            status_url: "/status".into(),
            csrf_token: "c".into(),
            attempt_nonce: "n".into(),
            error: Some("Your card was declined.".into()),
            ..Default::default()
        };
        let code = locale.code();
        std::fs::write(format!("{dir}/checkout-{code}.html"), render_checkout(&c)).unwrap();
        let w = WalletView {
            locale,
            brand: brand.clone(),
            method_display_name: "Alipay".into(),
            total: "SGD 60.00".into(),
            wallet_url: "http://127.0.0.1:8080/sandbox/wallet/x".into(),
            status_url: "/status".into(),
            checkout_url: "/checkout".into(),
            expires_at_iso: "2030-01-31T12:00:00Z".into(),
            expires_at_epoch_ms: 1_896_091_200_000,
            ..Default::default()
        };
        std::fs::write(format!("{dir}/wallet-{code}.html"), render_wallet(&w)).unwrap();
        let r = ResultView {
            locale,
            brand: brand.clone(),
            kind: ResultKind::Success,
            total: "SGD 60.00".into(),
            redirect_url: Some("https://shop.example/done".into()),
            redirect_after_secs: 5,
            ..Default::default()
        };
        std::fs::write(format!("{dir}/result-{code}.html"), render_result(&r)).unwrap();
    }
    let en = Locale::EnUs;
    let sw = SandboxWalletView {
        locale: en,
        merchant_name: "Acme Shop".into(),
        method_display_name: "Alipay".into(),
        total: "SGD 60.00".into(),
        order_description: "Two mugs and a teapot".into(),
        action: "/pay".into(),
        csrf_token: "c".into(),
        done: None,
        checkout_url: "/checkout/ctok".into(),
        return_url: String::new(),
        ..Default::default()
    };
    std::fs::write(format!("{dir}/sandbox.html"), render_sandbox_wallet(&sw)).unwrap();
    let ch = ChallengeView {
        locale: en,
        brand: brand.clone(),
        total: "SGD 60.00".into(),
        card_label: "Visa •••• 3220".into(),
        action: "/pay".into(),
        csrf_token: "c".into(),
    };
    std::fs::write(format!("{dir}/challenge.html"), render_challenge(&ch)).unwrap();
    let p = ResultView {
        locale: en,
        brand: brand.clone(),
        kind: ResultKind::Processing,
        total: "SGD 60.00".into(),
        redirect_url: Some("https://shop.example/done".into()),
        status_url: Some("/status".into()),
        ..Default::default()
    };
    std::fs::write(format!("{dir}/processing.html"), render_result(&p)).unwrap();
    let f = ResultView {
        locale: en,
        brand: brand.clone(),
        kind: ResultKind::Failed,
        detail: Some("Your card was declined. Try another card or payment method.".into()),
        total: "SGD 60.00".into(),
        redirect_url: Some("https://shop.example/done".into()),
        try_again_url: Some("/checkout".into()),
        ..Default::default()
    };
    std::fs::write(format!("{dir}/failed.html"), render_result(&f)).unwrap();
    std::fs::write(
        format!("{dir}/error.html"),
        render_error(&ErrorView::not_found(en)),
    )
    .unwrap();
    std::fs::write(
        format!("{dir}/accent.css"),
        assets::accent_css("#0a7a3b").unwrap(),
    )
    .unwrap();
    std::fs::write(format!("{dir}/checkout.css"), assets::CHECKOUT_CSS).unwrap();
    std::fs::write(format!("{dir}/checkout.js"), assets::CHECKOUT_JS).unwrap();
}
