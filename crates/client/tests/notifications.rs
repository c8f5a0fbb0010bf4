//! Verifying the notifications the real gateway delivers.

mod common;

use cashier_client::{
    verify_notification, verify_notification_request, verify_refund_notification, Buyer,
    CreatePaymentSession, Error, Goods, HeaderMap, InquiryPayment, Notification, Order, PrivateKey,
    RefundPayment,
};
use common::{sgd, Gateway, NOTIFY_PATH};

async fn paid_session(gw: &Gateway, request_id: &str, outcome: &str) {
    let order = Order::with_goods(
        format!("ORDER-{request_id}"),
        "Kopi",
        [Goods::new("KOPI", "Kopi", sgd(1500), 2)],
    )
    .unwrap()
    .buyer(Buyer::new("BUYER-1", "Tan Ah Kow"));
    gw.client()
        .send(
            &CreatePaymentSession::new(request_id, order, "https://shop.example.com/return")
                .notify_url(gw.notify_url()),
        )
        .await
        .unwrap();
    gw.pay(request_id, outcome).await;
}

#[tokio::test]
async fn a_delivered_payment_notification_verifies_and_tampering_does_not() {
    let gw = Gateway::start().await;
    paid_session(&gw, "PAY-N1", "SUCCESS").await;
    let got = gw.receiver.wait_for("PAY-N1").await;
    let key = &gw.gateway_public_key;

    // Valid: from headers + raw body.
    let n = verify_notification_request(key, NOTIFY_PATH, &got.headers, &got.body).unwrap();
    let Notification::Payment(p) = &n else {
        panic!("expected notifyPayment, got {n:?}")
    };
    assert_eq!(p.payment_request_id, "PAY-N1");
    assert_eq!(p.notify_type, "PAYMENT_RESULT");
    assert_eq!(p.payment_amount.value, "3000");
    assert!(n.is_success());
    assert_eq!(n.notify_type(), "PAYMENT_RESULT");
    // The same through the per-header function.
    let p2 = verify_notification(
        key,
        NOTIFY_PATH,
        got.header("client-id"),
        got.header("request-time"),
        got.header("signature"),
        &got.body,
    )
    .unwrap();
    assert_eq!(&p2, p);
    // And it matches what inquiryPayment says.
    let payment = gw
        .client()
        .send(&InquiryPayment::by_request_id("PAY-N1"))
        .await
        .unwrap();
    assert_eq!(p.payment_id, payment.payment_id);

    // Tampered body: one byte of the amount changed.
    let tampered = String::from_utf8(got.body.to_vec())
        .unwrap()
        .replace("\"3000\"", "\"3001\"");
    assert_ne!(tampered.as_bytes(), &got.body[..]);
    let err = verify_notification_request(key, NOTIFY_PATH, &got.headers, tampered.as_bytes())
        .unwrap_err();
    assert!(matches!(err, Error::BadSignature), "{err:?}");

    // Wrong key: a gateway we do not trust.
    let stranger = PrivateKey::generate().unwrap().public_key();
    let err =
        verify_notification_request(&stranger, NOTIFY_PATH, &got.headers, &got.body).unwrap_err();
    assert!(matches!(err, Error::BadSignature), "{err:?}");

    // Wrong path: the signature covers the notify URL's path.
    let err =
        verify_notification_request(key, "/antom/other", &got.headers, &got.body).unwrap_err();
    assert!(matches!(err, Error::BadSignature), "{err:?}");

    // A changed request-time or client-id breaks it too.
    let mut headers = got.headers.clone();
    headers.insert("request-time", "2020-01-01T00:00:00+08:00".parse().unwrap());
    assert!(matches!(
        verify_notification_request(key, NOTIFY_PATH, &headers, &got.body),
        Err(Error::BadSignature)
    ));
    let mut headers = got.headers.clone();
    headers.insert("client-id", "SANDBOX_SOMEONE_ELSE".parse().unwrap());
    assert!(matches!(
        verify_notification_request(key, NOTIFY_PATH, &headers, &got.body),
        Err(Error::BadSignature)
    ));

    // Missing headers.
    for name in ["signature", "request-time", "client-id"] {
        let mut headers: HeaderMap = got.headers.clone();
        headers.remove(name);
        let err = verify_notification_request(key, NOTIFY_PATH, &headers, &got.body).unwrap_err();
        assert!(
            matches!(err, Error::MissingHeader(n) if n == name),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn failed_payments_and_refunds_are_notified_and_verify() {
    let gw = Gateway::start().await;
    paid_session(&gw, "PAY-N2", "FAIL").await;
    let got = gw.receiver.wait_for("PAY-N2").await;
    let n =
        verify_notification_request(&gw.gateway_public_key, NOTIFY_PATH, &got.headers, &got.body)
            .unwrap();
    assert!(matches!(&n, Notification::Payment(p) if p.result.result_code != "SUCCESS"));
    assert!(!n.is_success());

    paid_session(&gw, "PAY-N3", "SUCCESS").await;
    let client = gw.client();
    let payment = client
        .send(&InquiryPayment::by_request_id("PAY-N3"))
        .await
        .unwrap();
    client
        .send(
            &RefundPayment::new("REFUND-N3", &payment.payment_id, sgd(500))
                .notify_url(gw.notify_url()),
        )
        .await
        .unwrap();
    let got = gw.receiver.wait_for("REFUND-N3").await;
    let n =
        verify_notification_request(&gw.gateway_public_key, NOTIFY_PATH, &got.headers, &got.body)
            .unwrap();
    let Notification::Refund(r) = &n else {
        panic!("expected notifyRefund, got {n:?}")
    };
    assert_eq!(r.refund_request_id, "REFUND-N3");
    assert_eq!(r.refund_status, "SUCCESS");
    assert_eq!(r.payment_id.as_deref(), Some(payment.payment_id.as_str()));
    assert!(n.is_success());
    let r2 = verify_refund_notification(
        &gw.gateway_public_key,
        NOTIFY_PATH,
        got.header("client-id"),
        got.header("request-time"),
        got.header("signature"),
        &got.body,
    )
    .unwrap();
    assert_eq!(&r2, r);
    // A refund notification is not a payment notification.
    assert!(matches!(
        verify_notification(
            &gw.gateway_public_key,
            NOTIFY_PATH,
            got.header("client-id"),
            got.header("request-time"),
            got.header("signature"),
            &got.body,
        ),
        Err(Error::Decode(_))
    ));
}
