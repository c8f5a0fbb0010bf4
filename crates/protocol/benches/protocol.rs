//! Micro-benchmarks of the per-request protocol work (issue #7): RSA-2048
//! signing and verification (aws-lc-rs), signature-header parsing, and
//! request JSON → validated domain request. `cargo bench -p cashier-protocol`.

use cashier_protocol::signing::{sign_message, verify_message, PrivateKey, SignatureHeader};
use cashier_protocol::validate::{parse_json, validate_create_session, validate_inquiry};
use cashier_protocol::wire::{CreatePaymentSessionRequest, InquiryPaymentRequest};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const PATH: &str = "/ams/api/v1/payments/createPaymentSession";
const CLIENT: &str = "SANDBOX_BENCH";
const TIME: &str = "2026-01-01T00:00:00+08:00";

fn session_body() -> String {
    serde_json::json!({
        "productCode": "CASHIER_PAYMENT",
        "productScene": "CHECKOUT_PAYMENT",
        "paymentRequestId": "bench-0001",
        "order": {
            "referenceOrderId": "ORDER-bench-0001",
            "orderDescription": "Kopi and kaya toast",
            "orderAmount": {"currency": "SGD", "value": "6000"},
            "goods": [
                {"referenceGoodsId": "KOPI", "goodsName": "Kopi", "goodsQuantity": "2",
                 "goodsUnitAmount": {"currency": "SGD", "value": "1500"}},
                {"referenceGoodsId": "TOAST", "goodsName": "Kaya toast", "goodsQuantity": "1",
                 "goodsUnitAmount": {"currency": "SGD", "value": "3000"}}
            ],
            "buyer": {"referenceBuyerId": "BUYER-1", "buyerName": {"fullName": "Tan Ah Kow"}}
        },
        "paymentAmount": {"currency": "SGD", "value": "6000"},
        "settlementStrategy": {"settlementCurrency": "SGD"},
        "paymentRedirectUrl": "https://merchant.example.com/return?order=bench-0001",
        "paymentNotifyUrl": "https://merchant.example.com/notify",
        "env": {"terminalType": "WEB"}
    })
    .to_string()
}

fn signing(c: &mut Criterion) {
    let key = PrivateKey::generate().unwrap();
    let public = key.public_key();
    let body = session_body();
    let header = sign_message(&key, 1, PATH, CLIENT, TIME, body.as_bytes()).unwrap();

    let mut g = c.benchmark_group("rsa2048");
    g.throughput(Throughput::Elements(1));
    g.bench_function("sign_message", |b| {
        b.iter(|| sign_message(&key, 1, PATH, CLIENT, TIME, black_box(body.as_bytes())).unwrap())
    });
    g.bench_function("verify_message", |b| {
        b.iter(|| {
            verify_message(
                &public,
                black_box(&header),
                PATH,
                CLIENT,
                TIME,
                body.as_bytes(),
            )
            .unwrap()
        })
    });
    g.finish();
    c.bench_function("signature_header_parse", |b| {
        b.iter(|| SignatureHeader::parse(black_box(&header)).unwrap())
    });
}

fn validation(c: &mut Criterion) {
    let body = session_body();
    let now = chrono::Utc::now();
    let mut g = c.benchmark_group("request");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("create_session_parse_validate", |b| {
        b.iter(|| {
            let req: CreatePaymentSessionRequest = parse_json(black_box(body.as_bytes())).unwrap();
            validate_create_session(&req, now).unwrap()
        })
    });
    g.finish();
    let inquiry = br#"{"paymentRequestId":"bench-0001"}"#;
    c.bench_function("inquiry_parse_validate", |b| {
        b.iter(|| {
            let req: InquiryPaymentRequest = parse_json(black_box(inquiry)).unwrap();
            validate_inquiry(&req).unwrap()
        })
    });
}

criterion_group!(benches, signing, validation);
criterion_main!(benches);
