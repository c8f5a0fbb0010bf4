//! Verifying the notifications the real gateway delivers.

use crate::common::{sgd, Gateway, NOTIFY_PATH};
use cashier_client::cashier_protocol::signing::sign_message;
use cashier_client::{
    verify_notification, verify_notification_request, verify_refund_notification, verify_webhook,
    Buyer, CreatePaymentSession, Error, Goods, HeaderMap, InquiryPayment, Notification,
    NotificationVerifier, Order, PaymentStatus, PrivateKey, RefundPayment, RefundStatus,
};

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
    let n = verify_notification_request(key, &gw.client_id, NOTIFY_PATH, &got.headers, &got.body)
        .unwrap();
    let Notification::Payment(p) = &n else {
        panic!("expected notifyPayment, got {n:?}")
    };
    assert_eq!(p.payment_request_id, "PAY-N1");
    assert_eq!(p.notify_type, "PAYMENT_RESULT");
    assert_eq!(p.payment_amount.value, "3000");
    assert!(n.is_success());
    assert!(!n.is_pending() && !n.is_failure());
    assert_eq!(n.payment_status(), Some(PaymentStatus::Success));
    assert_eq!(n.amount(), Some(sgd(3000)));
    assert_eq!(n.notify_type(), "PAYMENT_RESULT");
    // The verifier built from the client's own configuration agrees.
    let verifier = gw.client().notification_verifier();
    assert_eq!(verifier.client_id(), gw.client_id);
    assert_eq!(
        verifier
            .verify_request(NOTIFY_PATH, &got.headers, &got.body)
            .unwrap(),
        n
    );
    // The same through the per-header function.
    let p2 = verify_notification(
        key,
        &gw.client_id,
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
    let err = verify_notification_request(
        key,
        &gw.client_id,
        NOTIFY_PATH,
        &got.headers,
        tampered.as_bytes(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::BadSignature), "{err:?}");

    // Wrong key: a gateway we do not trust.
    let stranger = PrivateKey::generate().unwrap().public_key();
    let err = verify_notification_request(
        &stranger,
        &gw.client_id,
        NOTIFY_PATH,
        &got.headers,
        &got.body,
    )
    .unwrap_err();
    assert!(matches!(err, Error::BadSignature), "{err:?}");

    // Wrong path: the signature covers the notify URL's path.
    let err =
        verify_notification_request(key, &gw.client_id, "/antom/other", &got.headers, &got.body)
            .unwrap_err();
    assert!(matches!(err, Error::BadSignature), "{err:?}");

    // A changed request-time or client-id breaks it too.
    let mut headers = got.headers.clone();
    headers.insert("request-time", "2020-01-01T00:00:00+08:00".parse().unwrap());
    assert!(matches!(
        verify_notification_request(key, &gw.client_id, NOTIFY_PATH, &headers, &got.body),
        Err(Error::BadSignature)
    ));
    let mut headers = got.headers.clone();
    headers.insert("client-id", "SANDBOX_SOMEONE_ELSE".parse().unwrap());
    assert!(matches!(
        verify_notification_request(key, &gw.client_id, NOTIFY_PATH, &headers, &got.body),
        Err(Error::BadSignature)
    ));

    // Missing headers.
    for name in ["signature", "request-time", "client-id"] {
        let mut headers: HeaderMap = got.headers.clone();
        headers.remove(name);
        let err = verify_notification_request(key, &gw.client_id, NOTIFY_PATH, &headers, &got.body)
            .unwrap_err();
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
    let n = verify_notification_request(
        &gw.gateway_public_key,
        &gw.client_id,
        NOTIFY_PATH,
        &got.headers,
        &got.body,
    )
    .unwrap();
    assert!(matches!(&n, Notification::Payment(p) if p.result.result_code != "SUCCESS"));
    assert!(!n.is_success());
    assert!(n.is_failure());
    assert_eq!(n.payment_status(), Some(PaymentStatus::Fail));

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
    let n = verify_notification_request(
        &gw.gateway_public_key,
        &gw.client_id,
        NOTIFY_PATH,
        &got.headers,
        &got.body,
    )
    .unwrap();
    let Notification::Refund(r) = &n else {
        panic!("expected notifyRefund, got {n:?}")
    };
    assert_eq!(r.refund_request_id, "REFUND-N3");
    assert_eq!(r.refund_status, "SUCCESS");
    assert_eq!(r.payment_id.as_deref(), Some(payment.payment_id.as_str()));
    assert!(n.is_success());
    assert_eq!(n.refund_status(), Some(RefundStatus::Success));
    assert_eq!(n.amount(), Some(sgd(500)));
    assert_eq!(n.payment_status(), None);
    let r2 = verify_refund_notification(
        &gw.gateway_public_key,
        &gw.client_id,
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
            &gw.client_id,
            NOTIFY_PATH,
            got.header("client-id"),
            got.header("request-time"),
            got.header("signature"),
            &got.body,
        ),
        Err(Error::Decode(_))
    ));
}

/// The gateway signs every merchant's notifications with one key: a genuine
/// notification for another merchant verifies cryptographically, so only the
/// client-id check stops it. Every verifying function refuses it.
#[tokio::test]
async fn a_genuine_notification_for_another_merchant_is_refused() {
    let gw = Gateway::start().await;
    let other = gw.other_merchant("SANDBOX_OTHER_SHOP").await;
    let order = Order::with_goods(
        "ORDER-THEIRS",
        "Kopi",
        [Goods::new("KOPI", "Kopi", sgd(1500), 1)],
    )
    .unwrap()
    .buyer(Buyer::new("BUYER-9", "Lim Mei Ling"));
    other
        .send(
            &CreatePaymentSession::new("PAY-THEIRS", order, "https://other.example.com/return")
                .notify_url(gw.notify_url()),
        )
        .await
        .unwrap();
    gw.pay_for("SANDBOX_OTHER_SHOP", "PAY-THEIRS", "SUCCESS")
        .await;
    let got = gw.receiver.wait_for("PAY-THEIRS").await;
    assert_eq!(got.header("client-id"), "SANDBOX_OTHER_SHOP");
    let key = &gw.gateway_public_key;
    let mine = gw.client_id.as_str();
    let is_mismatch = |e: &Error| {
        matches!(e, Error::ClientIdMismatch { expected, got }
            if expected == mine && got == "SANDBOX_OTHER_SHOP")
    };

    let err =
        verify_notification_request(key, mine, NOTIFY_PATH, &got.headers, &got.body).unwrap_err();
    assert!(is_mismatch(&err), "{err:?}");
    let err = gw
        .client()
        .notification_verifier()
        .verify_request(NOTIFY_PATH, &got.headers, &got.body)
        .unwrap_err();
    assert!(is_mismatch(&err), "{err:?}");
    let parts = (
        got.header("client-id"),
        got.header("request-time"),
        got.header("signature"),
    );
    let err = verify_notification(key, mine, NOTIFY_PATH, parts.0, parts.1, parts.2, &got.body)
        .unwrap_err();
    assert!(is_mismatch(&err), "{err:?}");
    let err = verify_webhook::<serde_json::Value>(
        key,
        mine,
        NOTIFY_PATH,
        parts.0,
        parts.1,
        parts.2,
        &got.body,
    )
    .unwrap_err();
    assert!(is_mismatch(&err), "{err:?}");
    let err = gw
        .client()
        .notification_verifier()
        .verify(NOTIFY_PATH, parts.0, parts.1, parts.2, &got.body)
        .unwrap_err();
    assert!(is_mismatch(&err), "{err:?}");

    // The merchant it is for accepts it.
    let n = other
        .notification_verifier()
        .verify_request(NOTIFY_PATH, &got.headers, &got.body)
        .unwrap();
    assert!(matches!(&n, Notification::Payment(p) if p.payment_request_id == "PAY-THEIRS"));
    assert!(n.is_success());
}

/// Unknown notification types are parsed (not refused) so they can be
/// acknowledged; broken known types are still errors.
#[test]
fn unknown_types_are_other_and_statuses_are_typed() {
    let gateway = PrivateKey::generate().unwrap();
    let verifier = NotificationVerifier::new(gateway.public_key(), "SANDBOX_SHOP");
    let time = "2025-01-01T12:00:00+08:00";
    let verify = |body: &str| {
        let signature = sign_message(
            &gateway,
            1,
            NOTIFY_PATH,
            "SANDBOX_SHOP",
            time,
            body.as_bytes(),
        )
        .unwrap();
        verifier.verify(
            NOTIFY_PATH,
            "SANDBOX_SHOP",
            time,
            &signature,
            body.as_bytes(),
        )
    };

    let n = verify(r#"{"notifyType":"DISPUTE_RESULT","disputeId":"D1"}"#).unwrap();
    let Notification::Other { notify_type, raw } = &n else {
        panic!("expected Other, got {n:?}")
    };
    assert_eq!(notify_type, "DISPUTE_RESULT");
    assert_eq!(raw["disputeId"], "D1");
    assert_eq!(n.notify_type(), "DISPUTE_RESULT");
    assert!(!n.is_success() && !n.is_pending() && !n.is_failure());
    assert_eq!(n.amount(), None);

    let n = verify(r#"{"notifyType":"PAYMENT_PENDING","result":{"resultCode":"PAYMENT_IN_PROCESS","resultStatus":"U"},"paymentRequestId":"PAY-1","paymentId":"P1","paymentAmount":{"currency":"JPY","value":"500"},"paymentCreateTime":"2025-01-01T12:00:00+08:00"}"#).unwrap();
    assert!(n.is_pending() && !n.is_success() && !n.is_failure());
    assert_eq!(n.payment_status(), Some(PaymentStatus::Pending));
    assert_eq!(
        n.amount().map(|a| (a.currency().code(), a.minor())),
        Some(("JPY", 500))
    );

    let n = verify(r#"{"notifyType":"REFUND_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S"},"refundStatus":"PROCESSING","refundRequestId":"R-1","refundId":"RF1","refundAmount":{"currency":"SGD","value":"500"}}"#).unwrap();
    assert!(n.is_pending());
    assert_eq!(n.refund_status(), Some(RefundStatus::Processing));

    for bad in [
        r#"{"notifyType":"PAYMENT_RESULT"}"#,
        r#"{"no":"type"}"#,
        "not json",
    ] {
        assert!(matches!(verify(bad), Err(Error::Decode(_))), "{bad}");
    }
}
