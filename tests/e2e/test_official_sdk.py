"""Official-SDK compatibility (ARCHITECTURE.md, "Tests outside the crates").

The unmodified `global-open-sdk-python` 1.7.1 from PyPI talks to Cashier exactly as
it would talk to Antom: HTTPS on port 443 with full certificate verification
(docs/protocol.md §2.6), ISO-8601 Request-Time, pretty-printed bodies, the sandbox path
family, lower-case signed response headers. Error outcomes must reach merchant code
as parsed results, never as SDK exceptions.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.parse

import pytest
import requests
from com.alipay.ams.api.default_alipay_client import DefaultAlipayClient
from com.alipay.ams.api.exception.exception import AlipayApiException
from com.alipay.ams.api.model.amount import Amount
from com.alipay.ams.api.model.buyer import Buyer
from com.alipay.ams.api.model.env import Env
from com.alipay.ams.api.model.goods import Goods
from com.alipay.ams.api.model.order import Order
from com.alipay.ams.api.model.product_code_type import ProductCodeType
from com.alipay.ams.api.model.result_status_type import ResultStatusType
from com.alipay.ams.api.model.settlement_strategy import SettlementStrategy
from com.alipay.ams.api.model.terminal_type import TerminalType
from com.alipay.ams.api.model.transaction_status_type import TransactionStatusType
from com.alipay.ams.api.model.user_name import UserName
from com.alipay.ams.api.request.notify.alipay_pay_result_notify import AlipayPayResultNotify
from com.alipay.ams.api.request.notify.alipay_refund_notify import AlipayRefundNotify
from com.alipay.ams.api.request.pay.alipay_create_session_request import AlipayCreateSessionRequest
from com.alipay.ams.api.request.pay.alipay_inquiry_refund_request import AlipayInquiryRefundRequest
from com.alipay.ams.api.request.pay.alipay_pay_cancel_request import AlipayPayCancelRequest
from com.alipay.ams.api.request.pay.alipay_pay_query_request import AlipayPayQueryRequest
from com.alipay.ams.api.request.pay.alipay_payment_session_request import AlipayPaymentSessionRequest
from com.alipay.ams.api.request.pay.alipay_refund_request import AlipayRefundRequest
from com.alipay.ams.api.response.pay.alipay_create_session_response import AlipayCreateSessionResponse
from com.alipay.ams.api.response.pay.alipay_pay_query_response import AlipayPayQueryResponse
from com.alipay.ams.api.tools import webhook_tool
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cashier_helpers import unique_id, wait_until

GATEWAY_URL = "https://localhost"  # the SDK always dials port 443


@pytest.fixture
def client(tls_gateway, sdk_merchant):
    return DefaultAlipayClient(GATEWAY_URL, sdk_merchant.client_id, sdk_merchant.private_key_pkcs1,
                               sdk_merchant.gateway_public_key)


def amount(currency: str, minor: int) -> Amount:
    return Amount(currency=currency, value=str(minor))


def session_request(request_id: str, site, *, request_class=AlipayCreateSessionRequest, unit_minor: int = 3000,
                    quantity: int = 2, order_minor: int | None = None, notify_key: str | None = None):
    """createPaymentSession built only from the SDK's own model classes (SGD 60.00 by default)."""
    order_minor = unit_minor * quantity if order_minor is None else order_minor
    goods = Goods()
    goods.reference_goods_id = "SKU-TEH-TARIK"
    goods.goods_name = "Teh tarik (large)"
    goods.goods_unit_amount = amount("SGD", unit_minor)
    goods.goods_quantity = str(quantity)
    name = UserName()
    name.first_name, name.last_name, name.full_name = "Grace", "Hopper", "Grace Hopper"
    buyer = Buyer()
    buyer.reference_buyer_id = "buyer-" + request_id[-8:]
    buyer.buyer_name = name
    buyer.buyer_email = "grace@example.com"
    order = Order()
    order.reference_order_id = "ORDER_" + request_id
    order.order_description = "Two teh tarik"
    order.order_amount = amount("SGD", order_minor)
    order.goods = [goods]
    order.buyer = buyer
    strategy = SettlementStrategy()
    strategy.settlement_currency = "SGD"
    env = Env()
    env.terminal_type = TerminalType.WEB

    req = request_class()
    req.product_code = ProductCodeType.CASHIER_PAYMENT
    req.product_scene = "CHECKOUT_PAYMENT"
    req.payment_request_id = request_id
    req.order = order
    req.payment_amount = amount("SGD", order_minor)
    req.settlement_strategy = strategy
    req.env = env
    req.payment_redirect_url = site.return_url(request_id)
    req.payment_notify_url = site.notify_url(notify_key or request_id)
    return req


def inquiry(client, request_id: str) -> AlipayPayQueryResponse:
    req = AlipayPayQueryRequest()
    req.payment_request_id = request_id
    return AlipayPayQueryResponse(client.execute(req))


def create(client, req) -> tuple[AlipayCreateSessionResponse, dict]:
    body = client.execute(req)
    return AlipayCreateSessionResponse(body), json.loads(body)


@pytest.mark.parametrize("request_class", [AlipayCreateSessionRequest, AlipayPaymentSessionRequest],
                         ids=["AlipayCreateSessionRequest", "AlipayPaymentSessionRequest"])
def test_create_session_returns_a_working_checkout_url(client, merchant_site, sdk_merchant, tls_gateway,
                                                       request_class):
    rid = unique_id("SDK_CREATE")
    rsp, raw = create(client, session_request(rid, merchant_site, request_class=request_class))

    assert rsp.result.result_status == ResultStatusType.S, raw
    assert rsp.result.result_code == "SUCCESS", raw
    assert rsp.payment_session_id, raw
    assert rsp.payment_session_data, raw
    assert rsp.payment_session_expiry_time, raw
    normal_url = raw["normalUrl"]
    assert normal_url.startswith("https://localhost/checkout/"), normal_url

    page = requests.get(normal_url, verify=str(tls_gateway.ca_bundle), timeout=10)
    assert page.status_code == 200, page.text[:500]
    assert "text/html" in page.headers.get("content-type", "")
    assert sdk_merchant.name in page.text, "the hosted page must show the merchant's brand name"
    assert "SGD 60.00" in page.text


def test_inquiry_before_the_buyer_pays_is_processing(client, merchant_site):
    rid = unique_id("SDK_INQ")
    rsp, raw = create(client, session_request(rid, merchant_site))
    assert rsp.result.result_status == ResultStatusType.S, raw

    q = inquiry(client, rid)
    assert q.result.result_status == ResultStatusType.S
    assert q.result.result_code == "SUCCESS"
    assert q.payment_status == TransactionStatusType.PROCESSING
    assert q.payment_result_code == "PAYMENT_IN_PROCESS"
    assert q.payment_request_id == rid
    assert q.payment_id
    assert q.payment_amount.currency == "SGD" and q.payment_amount.value == "6000"
    assert q.payment_create_time
    assert not q.payment_time


def test_inquiry_of_an_unknown_payment_is_order_not_exist(client):
    q = inquiry(client, unique_id("SDK_NOPE"))
    assert q.result.result_status == ResultStatusType.F
    assert q.result.result_code == "ORDER_NOT_EXIST"


def test_goods_sum_mismatch_comes_back_as_a_result_not_an_exception(client, merchant_site):
    rid = unique_id("SDK_BADSUM")
    # goods: 2 x 30.00 = 60.00, but orderAmount = paymentAmount = 50.00 (docs/protocol.md §5.5)
    rsp, raw = create(client, session_request(rid, merchant_site, order_minor=5000))
    assert rsp.result.result_status == ResultStatusType.F, raw
    assert rsp.result.result_code == "PARAM_ILLEGAL", raw
    assert rsp.result.result_message
    assert "normalUrl" not in raw

    # nothing was created
    assert inquiry(client, rid).result.result_code == "ORDER_NOT_EXIST"


def test_repeated_request_id_is_idempotent_and_rejects_a_changed_amount(client, merchant_site):
    rid = unique_id("SDK_IDEM")
    first, first_raw = create(client, session_request(rid, merchant_site))
    assert first.result.result_status == ResultStatusType.S, first_raw

    again, again_raw = create(client, session_request(rid, merchant_site))
    assert again.result.result_status == ResultStatusType.S, again_raw
    assert again_raw["normalUrl"] == first_raw["normalUrl"]
    assert again.payment_session_id == first.payment_session_id
    assert again.payment_session_expiry_time == first.payment_session_expiry_time

    # a consistent body (goods sum = order = payment) with a different amount
    changed, changed_raw = create(client, session_request(rid, merchant_site, unit_minor=3500))
    assert changed.result.result_status == ResultStatusType.F, changed_raw
    assert changed.result.result_code == "REPEAT_REQ_INCONSISTENT", changed_raw

    q = inquiry(client, rid)
    assert q.payment_amount.value == "6000", "a rejected repeat must change nothing"


def test_notification_verifies_with_the_sdk_webhook_tool(client, merchant_site, sdk_merchant, tls_gateway):
    rid = unique_id("SDK_NOTIFY")
    rsp, raw = create(client, session_request(rid, merchant_site))
    assert rsp.result.result_status == ResultStatusType.S, raw
    notify_url = merchant_site.notify_url(rid)

    sim = tls_gateway.simulate_pay(sdk_merchant.client_id, rid, "SUCCESS", paymentMethodType="ALIPAY_CN")
    assert sim["result"]["resultStatus"] == "S", sim

    n = merchant_site.wait_for_notification(rid, timeout=15)
    path_only = urllib.parse.urlsplit(notify_url).path
    assert n.url_path == path_only
    for name in ("client-id", "request-time", "signature"):
        assert name in n.headers, f"notification without {name} header: {n.headers}"
    assert n.headers["client-id"] == sdk_merchant.client_id
    assert n.headers.get("content-type", "").startswith("application/json")

    assert webhook_tool.check_signature("POST", path_only, n.headers["client-id"], n.headers["request-time"],
                                        n.body_text, n.headers["signature"], sdk_merchant.gateway_public_key) is True

    tampered = n.body_text.replace('"SUCCESS"', '"FAIL"', 1)
    assert tampered != n.body_text
    try:
        ok = webhook_tool.check_signature("POST", path_only, n.headers["client-id"], n.headers["request-time"],
                                          tampered, n.headers["signature"], sdk_merchant.gateway_public_key)
    except Exception:  # rsa.verify raises VerificationError: also a rejection
        ok = False
    assert ok is False, "a tampered notification body must not verify"

    notify = AlipayPayResultNotify(n.body_text)
    assert notify.notify_type == "PAYMENT_RESULT"
    assert notify.result.result_status == ResultStatusType.S
    assert notify.result.result_code == "SUCCESS"
    assert notify.payment_request_id == rid
    assert notify.payment_amount == {"currency": "SGD", "value": "6000"}
    assert notify.payment_create_time
    assert notify.payment_time

    q = inquiry(client, rid)
    assert q.result.result_status == ResultStatusType.S
    assert q.payment_status == TransactionStatusType.SUCCESS
    assert q.payment_result_code == "SUCCESS"
    assert q.payment_time
    assert q.payment_id == notify.payment_id


def test_unacknowledged_notification_is_retried_until_acknowledged(client, merchant_site, sdk_merchant,
                                                                   tls_gateway):
    rid = unique_id("SDK_RETRY")
    notify_url = merchant_site.notify_url(rid)
    merchant_site.fail_first(notify_url, 2)
    rsp, raw = create(client, session_request(rid, merchant_site))
    assert rsp.result.result_status == ResultStatusType.S, raw

    sim = tls_gateway.simulate_pay(sdk_merchant.client_id, rid, "FAIL", resultCode="USER_BALANCE_NOT_ENOUGH")
    assert sim["result"]["resultStatus"] == "S", sim

    acked = merchant_site.wait_for_notification(rid, timeout=20)  # schedule is 1s,1s,1s
    deliveries = merchant_site.received(rid)
    assert [d.acked for d in deliveries] == [False, False, True]
    for d in deliveries:
        assert webhook_tool.check_signature("POST", d.url_path, d.headers["client-id"], d.headers["request-time"],
                                            d.body_text, d.headers["signature"], sdk_merchant.gateway_public_key)
        assert d.json["paymentId"] == acked.json["paymentId"]
    body = acked.json
    assert body["notifyType"] == "PAYMENT_RESULT"
    assert body["result"]["resultStatus"] == "F"
    assert body["result"]["resultCode"] == "USER_BALANCE_NOT_ENOUGH"
    assert "paymentTime" not in body

    q = inquiry(client, rid)
    assert q.payment_status == TransactionStatusType.FAIL
    assert q.payment_result_code == "USER_BALANCE_NOT_ENOUGH"


def test_unregistered_key_version_is_key_not_found(client, merchant_site):
    req = AlipayPayQueryRequest()
    req.payment_request_id = unique_id("SDK_KV")
    req.key_version = "2"
    body = json.loads(client.execute(req))
    assert body["result"]["resultStatus"] == "F", body
    assert body["result"]["resultCode"] == "KEY_NOT_FOUND", body


def test_unknown_client_id_is_invalid_client(tls_gateway, sdk_merchant):
    stranger = DefaultAlipayClient(GATEWAY_URL, "SANDBOX_NOSUCHCLIENT0001", sdk_merchant.private_key_pkcs1,
                                   sdk_merchant.gateway_public_key)
    req = AlipayPayQueryRequest()
    req.payment_request_id = unique_id("SDK_WHO")
    body = json.loads(stranger.execute(req))
    assert body["result"]["resultStatus"] == "F", body
    assert body["result"]["resultCode"] in ("INVALID_CLIENT", "CLIENT_INVALID"), body


def test_wrong_private_key_is_invalid_signature(tls_gateway, sdk_merchant):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pkcs1 = base64.b64encode(other.private_bytes(serialization.Encoding.DER,
                                                 serialization.PrivateFormat.TraditionalOpenSSL,
                                                 serialization.NoEncryption())).decode()
    impostor = DefaultAlipayClient(GATEWAY_URL, sdk_merchant.client_id, pkcs1, sdk_merchant.gateway_public_key)
    req = AlipayPayQueryRequest()
    req.payment_request_id = unique_id("SDK_SIG")
    body = json.loads(impostor.execute(req))
    assert body["result"]["resultStatus"] == "F", body
    assert body["result"]["resultCode"] == "INVALID_SIGNATURE", body


def test_sdk_rejects_a_response_signed_with_another_key(tls_gateway, sdk_merchant):
    """The gateway really signs: verifying with a different 'Antom public key' must fail in the SDK."""
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    wrong_pub = base64.b64encode(other.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()
    suspicious = DefaultAlipayClient(GATEWAY_URL, sdk_merchant.client_id, sdk_merchant.private_key_pkcs1, wrong_pub)
    req = AlipayPayQueryRequest()
    req.payment_request_id = unique_id("SDK_VERIFY")
    with pytest.raises(AlipayApiException):
        suspicious.execute(req)


def cancel(client, request_id: str) -> dict:
    req = AlipayPayCancelRequest()
    req.payment_request_id = request_id
    return json.loads(client.execute(req))


def refund(client, payment_id: str, refund_request_id: str, minor: int, notify_url: str | None = None) -> dict:
    req = AlipayRefundRequest()
    req.refund_request_id = refund_request_id
    req.payment_id = payment_id
    req.refund_amount = amount("SGD", minor)
    req.refund_reason = "one teh tarik was cold"
    if notify_url:
        req.refund_notify_url = notify_url
    return json.loads(client.execute(req))


def test_cancel_an_unpaid_payment(client, merchant_site, sdk_merchant, tls_gateway):
    rid = unique_id("SDK_CANCEL")
    rsp, raw = create(client, session_request(rid, merchant_site))
    assert rsp.result.result_status == ResultStatusType.S, raw

    first = cancel(client, rid)
    assert first["result"]["resultStatus"] == "S", first
    assert first["result"]["resultCode"] == "SUCCESS", first
    assert first["paymentRequestId"] == rid
    assert first["paymentId"] and first["cancelTime"], first
    again = cancel(client, rid)
    assert again["result"]["resultStatus"] == "S", again
    assert again["cancelTime"] == first["cancelTime"], "a repeated cancel answers with the original cancelTime"

    q = inquiry(client, rid)
    assert q.payment_status == TransactionStatusType.CANCELLED
    assert q.payment_result_code == "ORDER_IS_CLOSED"

    page = requests.get(raw["normalUrl"], verify=str(tls_gateway.ca_bundle), timeout=10)
    assert "Pay SGD 60.00" not in page.text, "a cancelled checkout must offer no Pay button"
    tls_gateway.simulate_pay(sdk_merchant.client_id, rid, "SUCCESS")  # the buyer's wallet answers late
    assert inquiry(client, rid).payment_status == TransactionStatusType.CANCELLED, "CANCELLED never changes"
    time.sleep(1.5)
    assert merchant_site.received(rid) == [], "a merchant-initiated cancel is not notified (docs/protocol.md §6.1)"


def test_partial_and_multiple_refunds(client, merchant_site, sdk_merchant, tls_gateway):
    rid = unique_id("SDK_REFUND")
    rsp, raw = create(client, session_request(rid, merchant_site))
    assert rsp.result.result_status == ResultStatusType.S, raw
    tls_gateway.simulate_pay(sdk_merchant.client_id, rid, "SUCCESS")
    merchant_site.wait_for_notification(rid)
    payment_id = inquiry(client, rid).payment_id

    refund_notify = merchant_site.notify_url("refund-" + rid)
    r1_id = unique_id("RF1")
    r1 = refund(client, payment_id, r1_id, 2000, refund_notify)
    assert r1["result"]["resultStatus"] == "S", r1
    assert r1["refundRequestId"] == r1_id and r1["paymentId"] == payment_id
    assert r1["refundAmount"] == {"currency": "SGD", "value": "2000"}, r1
    assert r1["refundId"] and r1["refundTime"], r1

    replay = refund(client, payment_id, r1_id, 2000, refund_notify)
    assert replay["result"]["resultStatus"] == "S", replay
    assert replay["refundId"] == r1["refundId"], "the same refundRequestId must return the same refund"
    changed = refund(client, payment_id, r1_id, 2500, refund_notify)
    assert changed["result"]["resultStatus"] == "F", changed
    assert changed["result"]["resultCode"] == "REPEAT_REQ_INCONSISTENT", changed

    r2 = refund(client, payment_id, unique_id("RF2"), 4000)
    assert r2["result"]["resultStatus"] == "S", r2
    too_much = refund(client, payment_id, unique_id("RF3"), 1)
    assert too_much["result"]["resultStatus"] == "F", too_much
    assert too_much["result"]["resultCode"] == "REFUND_AMOUNT_EXCEED", too_much

    iq = AlipayInquiryRefundRequest()
    iq.refund_request_id = r1_id
    found = json.loads(client.execute(iq))
    assert found["result"]["resultStatus"] == "S", found
    assert found["refundStatus"] == "SUCCESS" and found["refundId"] == r1["refundId"], found
    assert found["refundAmount"] == {"currency": "SGD", "value": "2000"}, found

    q = json.loads(client.execute(_query(rid)))
    refunds = [t for t in q.get("transactions", []) if t["transactionType"] == "REFUND"]
    assert sorted(t["transactionId"] for t in refunds) == sorted([r1["refundId"], r2["refundId"]]), q
    assert all(t["transactionStatus"] == "SUCCESS" for t in refunds), q
    assert q["paymentStatus"] == "SUCCESS", q

    n = wait_until(lambda: next((d for d in merchant_site.received_on(refund_notify) if d.acked), None), 15,
                   what="the notifyRefund delivery")
    assert webhook_tool.check_signature("POST", n.url_path, n.headers["client-id"], n.headers["request-time"],
                                        n.body_text, n.headers["signature"], sdk_merchant.gateway_public_key)
    rn = AlipayRefundNotify(n.body_text)
    assert rn.notify_type == "REFUND_RESULT"
    assert rn.result.result_status == ResultStatusType.S
    assert rn.refund_status == "SUCCESS"
    assert rn.refund_id == r1["refundId"] and rn.refund_request_id == r1_id

    after_refund = cancel(client, rid)
    assert after_refund["result"]["resultStatus"] == "F", after_refund
    assert after_refund["result"]["resultCode"] == "ORDER_STATUS_INVALID", after_refund


def test_refund_of_an_unpaid_payment_is_refused(client, merchant_site):
    rid = unique_id("SDK_NOPAY")
    rsp, raw = create(client, session_request(rid, merchant_site))
    assert rsp.result.result_status == ResultStatusType.S, raw
    r = refund(client, inquiry(client, rid).payment_id, unique_id("RF"), 1000)
    assert r["result"]["resultStatus"] == "F", r
    assert r["result"]["resultCode"] == "ORDER_STATUS_INVALID", r


def _query(request_id: str) -> AlipayPayQueryRequest:
    req = AlipayPayQueryRequest()
    req.payment_request_id = request_id
    return req
