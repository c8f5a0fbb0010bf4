//! Micro-benchmarks of hosted-page rendering (issue #7): the checkout page
//! and the result page, as the gateway renders them per GET.
//! `cargo bench -p cashier-pages`.

use cashier_pages::*;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn checkout_view() -> CheckoutView {
    CheckoutView {
        locale: Locale::EnUs,
        brand: Brand {
            name: "Acme Shop".into(),
            logo_url: Some("/logos/acme.png".into()),
            accent_color: Some("#0a7a3b".into()),
        },
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
                selected: true,
            },
            MethodOption {
                code: "ALIPAY_CN".into(),
                display_name: "Alipay".into(),
                is_card: false,
                selected: false,
            },
            MethodOption {
                code: "GRABPAY_SG".into(),
                display_name: "GrabPay".into(),
                is_card: false,
                selected: false,
            },
        ],
        pay_action: "/checkout/0123456789abcdef0123456789abcdef/pay".into(),
        status_url: "/checkout/0123456789abcdef0123456789abcdef/status".into(),
        csrf_token: "c5rf".into(),
        attempt_nonce: "n0nce".into(),
        ..Default::default()
    }
}

fn render(c: &mut Criterion) {
    let view = checkout_view();
    let html = render_checkout(&view);
    let mut g = c.benchmark_group("pages");
    g.throughput(Throughput::Bytes(html.len() as u64));
    g.bench_function("render_checkout_en", |b| {
        b.iter(|| render_checkout(black_box(&view)))
    });
    let zh = CheckoutView {
        locale: Locale::ZhCn,
        ..checkout_view()
    };
    g.bench_function("render_checkout_zh", |b| {
        b.iter(|| render_checkout(black_box(&zh)))
    });
    let th = CheckoutView {
        locale: Locale::ThTh,
        ..checkout_view()
    };
    g.bench_function("render_checkout_th", |b| {
        b.iter(|| render_checkout(black_box(&th)))
    });
    g.finish();
    // Parts of a render: the expiry written the locale's way, a message with a value.
    c.bench_function("format_expiry_en", |b| {
        b.iter(|| dates::format(Locale::EnUs, black_box("2030-01-31T12:00:00+08:00")))
    });
    c.bench_function("message_with_value_en", |b| {
        let t = strings(Locale::EnUs);
        b.iter(|| t.pay(black_box("SGD 60.00")))
    });
    // What the gateway does per checkout GET besides rendering: the total and the
    // goods lines' amounts written the locale's way (CLDR, cached formatters).
    c.bench_function("format_checkout_amounts_de", |b| {
        b.iter(|| {
            [6000, 2000, 4000, 2000, 2000]
                .map(|minor| money::format(black_box(Locale::DeDe), "SGD", 2, minor))
        })
    });
    let result = ResultView {
        locale: Locale::EnUs,
        kind: ResultKind::Success,
        total: "SGD 60.00".into(),
        redirect_url: Some("https://shop.example/done".into()),
        redirect_after_secs: 5,
        ..Default::default()
    };
    c.bench_function("render_result_success", |b| {
        b.iter(|| render_result(black_box(&result)))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
