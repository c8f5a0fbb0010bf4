//! Every API through the typed requests and the wire-level methods, against
//! the real gateway.

use std::time::Duration;

use crate::common::{sgd, Gateway};
use cashier_client::cashier_protocol::wire::{
    CancelRequest, InquiryPaymentRequest, InquiryRefundRequest, RefundRequest, WireAmountIn,
};
use cashier_client::{
    Buyer, CancelPayment, CreatePaymentSession, Goods, InquiryPayment, InquiryRefund, Order,
    PaymentStatus, RefundPayment, RefundStatus, ResultCode, ResultStatus, RetryPolicy,
    TerminalType, TransactionType,
};

fn session(gw: &Gateway, request_id: &str, total: u64) -> CreatePaymentSession {
    let order = Order::new(
        format!("ORDER-{request_id}"),
        "Kopi and kaya toast",
        sgd(total),
    )
    .goods(Goods::new("KOPI", "Kopi", sgd(total / 2), 2))
    .buyer(Buyer::new("BUYER-1", "Tan Ah Kow").email("tan@example.com"));
    CreatePaymentSession::new(
        request_id,
        order,
        format!("https://shop.example.com/return?order={request_id}"),
    )
    .notify_url(gw.notify_url())
    .terminal_type(TerminalType::Web)
    .locale("en_US")
}

#[tokio::test]
async fn create_inquire_and_cancel_an_unpaid_payment() {
    let gw = Gateway::start().await;
    let client = gw.client();

    let created = client.send(&session(&gw, "PAY-1", 6000)).await.unwrap();
    assert!(
        created
            .normal_url
            .starts_with(&format!("{}/checkout/", gw.base_url)),
        "{}",
        created.normal_url
    );
    assert!(!created.payment_session_id.is_empty());
    let expiry = created.expiry_time.expect("expiry time");
    let in_an_hour = chrono::Utc::now() + chrono::Duration::minutes(61);
    assert!(expiry < in_an_hour && expiry > chrono::Utc::now());

    // Idempotent: the same request id and content gives the same session.
    let again = client.send(&session(&gw, "PAY-1", 6000)).await.unwrap();
    assert_eq!(again, created);

    let payment = client
        .send(&InquiryPayment::by_request_id("PAY-1"))
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Processing);
    assert!(!payment.status.is_final());
    assert_eq!(payment.payment_request_id, "PAY-1");
    assert_eq!(payment.amount, sgd(6000));
    assert_eq!(payment.result_code.as_deref(), Some("PAYMENT_IN_PROCESS"));
    assert!(payment.created_at.is_some());
    assert!(payment.paid_at.is_none());
    let by_id = client
        .send(&InquiryPayment::by_payment_id(&payment.payment_id))
        .await
        .unwrap();
    assert_eq!(by_id, payment);

    let cancelled = client
        .send(&CancelPayment::by_request_id("PAY-1"))
        .await
        .unwrap();
    assert_eq!(
        cancelled.payment_id.as_deref(),
        Some(payment.payment_id.as_str())
    );
    assert!(cancelled.cancel_time.is_some());
    let payment = client
        .send(&InquiryPayment::by_request_id("PAY-1"))
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Cancelled);
    assert!(payment.status.is_final());
    // Repeating a cancel answers S with the original time.
    let repeat = client
        .send(&CancelPayment::by_payment_id(&payment.payment_id))
        .await
        .unwrap();
    assert_eq!(repeat.cancel_time, cancelled.cancel_time);
}

#[tokio::test]
async fn pay_refund_and_inquire_refunds() {
    let gw = Gateway::start().await;
    let client = gw.client();
    client.send(&session(&gw, "PAY-2", 6000)).await.unwrap();
    gw.pay("PAY-2", "SUCCESS").await;

    let payment = client
        .send(&InquiryPayment::by_request_id("PAY-2"))
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Success);
    assert_eq!(payment.result_code.as_deref(), Some("SUCCESS"));
    assert!(payment.paid_at.is_some());
    assert_eq!(payment.payment_method_type.as_deref(), Some("CARD"));
    assert_eq!(payment.actual_amount, Some(sgd(6000)));
    assert!(payment
        .redirect_url
        .as_deref()
        .is_some_and(|u| u.starts_with("http")));
    // The simulation pays without a card number: no card details to show.
    assert_eq!(payment.card, None);

    let request = RefundPayment::new("REFUND-2A", &payment.payment_id, sgd(1000))
        .reason("size exchange")
        .reference_refund_id("RMA-7");
    let refund = client.send(&request).await.unwrap();
    assert_eq!(refund.refund_request_id, "REFUND-2A");
    assert_eq!(
        refund.payment_id.as_deref(),
        Some(payment.payment_id.as_str())
    );
    assert_eq!(refund.amount, sgd(1000));
    assert!(refund.refund_time.is_some());
    // Idempotent on refundRequestId: the same refund, not a second one.
    let replay = client.send(&request).await.unwrap();
    assert_eq!(replay.refund_id, refund.refund_id);

    let by_request = client
        .send(&InquiryRefund::by_request_id("REFUND-2A"))
        .await
        .unwrap();
    assert_eq!(by_request.status, RefundStatus::Success);
    assert_eq!(
        by_request.refund_id.as_deref(),
        Some(refund.refund_id.as_str())
    );
    assert_eq!(by_request.amount, Some(sgd(1000)));
    let by_id = client
        .send(&InquiryRefund::by_refund_id(&refund.refund_id))
        .await
        .unwrap();
    assert_eq!(by_id, by_request);

    let payment = client
        .send(&InquiryPayment::by_request_id("PAY-2"))
        .await
        .unwrap();
    let t = payment
        .transactions
        .iter()
        .find(|t| t.kind == TransactionType::Refund)
        .expect("refund transaction");
    assert_eq!(t.status, PaymentStatus::Success);
    assert_eq!(t.id.as_deref(), Some(refund.refund_id.as_str()));
    assert_eq!(t.request_id.as_deref(), Some("REFUND-2A"));
    assert_eq!(t.amount, Some(sgd(1000)));

    // Business refusals come back typed.
    let err = client
        .send(&RefundPayment::new(
            "REFUND-2A",
            &payment.payment_id,
            sgd(2000),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ResultCode::REPEAT_REQ_INCONSISTENT));
    let err = client
        .send(&RefundPayment::new(
            "REFUND-2B",
            &payment.payment_id,
            sgd(5001),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ResultCode::REFUND_AMOUNT_EXCEED));
    assert_eq!(err.result_status(), Some(ResultStatus::F));
    assert!(!err.is_retryable());
    let err = client
        .send(&InquiryRefund::by_request_id("REFUND-NOPE"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ResultCode::REFUND_NOT_EXIST));
}

#[tokio::test]
async fn the_wire_level_methods_still_work() {
    let gw = Gateway::start().await;
    let client = gw.client();
    let wire = session(&gw, "PAY-3", 3000).to_wire();
    let created = client.create_payment_session(&wire).await.unwrap();
    assert!(created.normal_url.is_some());
    gw.pay("PAY-3", "SUCCESS").await;
    let inquiry = client
        .inquiry_payment(&InquiryPaymentRequest {
            payment_request_id: Some("PAY-3".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(inquiry.payment_status.as_deref(), Some("SUCCESS"));
    let payment_id = inquiry.payment_id.unwrap();
    let refund = client
        .refund(&RefundRequest {
            refund_request_id: Some("REFUND-3".into()),
            payment_id: Some(payment_id.clone()),
            refund_amount: Some(WireAmountIn::new("SGD", "3000")),
            ..Default::default()
        })
        .await
        .unwrap();
    let refund_id = refund.refund_id.unwrap();
    let q = client
        .inquiry_refund(&InquiryRefundRequest {
            refund_id: Some(refund_id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(q.refund_status.as_deref(), Some("SUCCESS"));
    // Fully refunded: the card cancel window is open but a refund exists.
    let err = client
        .cancel(&CancelRequest {
            payment_id: Some(payment_id),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.result_status(), Some(ResultStatus::F), "{err}");
}

#[tokio::test]
async fn a_u_refund_is_retried_with_the_same_request_until_it_is_final() {
    let gw = Gateway::start_with(|c| c.sandbox_async_delay = Duration::from_secs(1)).await;
    let client = gw.client();
    client.send(&session(&gw, "PAY-4", 6000)).await.unwrap();
    gw.pay("PAY-4", "SUCCESS").await;
    let payment = client
        .send(&InquiryPayment::by_request_id("PAY-4"))
        .await
        .unwrap();
    let request = RefundPayment::new("REFUND-4", &payment.payment_id, sgd(2000))
        .reason("SANDBOX_ASYNC settle later");

    let first = client.send(&request).await.unwrap_err();
    assert_eq!(first.code(), Some(ResultCode::REFUND_IN_PROCESS));
    assert_eq!(first.result_status(), Some(ResultStatus::U));
    assert!(first.is_retryable());
    let q = client
        .send(&InquiryRefund::by_request_id("REFUND-4"))
        .await
        .unwrap();
    assert_eq!(q.status, RefundStatus::Processing);

    // The helper repeats the identical request while it is U; the sandbox
    // settles it after about a second, so a generous budget always gets S.
    let policy = RetryPolicy::default()
        .max_attempts(120)
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(500));
    let mut attempts = 0;
    let refund = policy
        .run(|n| {
            attempts = n;
            client.send(&request)
        })
        .await
        .unwrap();
    assert!(attempts >= 2, "the first retry cannot be final yet");
    assert_eq!(refund.refund_request_id, "REFUND-4");
    assert_eq!(refund.amount, sgd(2000));
    // And the convenience method gets the same final answer at once.
    let again = client
        .send_with_retry(&request, &RetryPolicy::default())
        .await
        .unwrap();
    assert_eq!(again.refund_id, refund.refund_id);
}

#[tokio::test]
async fn production_paths_work_too() {
    let gw = Gateway::start().await;
    let sandbox = gw.client();
    let production = gw.client_with(|c| c.with_sandbox_paths(false));
    assert_eq!(
        sandbox.path_for(cashier_client::INQUIRY_PAYMENT),
        "/ams/sandbox/api/v1/payments/inquiryPayment"
    );
    assert_eq!(
        production.path_for(cashier_client::INQUIRY_PAYMENT),
        "/ams/api/v1/payments/inquiryPayment"
    );
    production.send(&session(&gw, "PAY-5", 6000)).await.unwrap();
    let p = sandbox
        .send(&InquiryPayment::by_request_id("PAY-5"))
        .await
        .unwrap();
    assert_eq!(p.status, PaymentStatus::Processing);
}
