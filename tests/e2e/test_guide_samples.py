"""Issue #15: code pasted from Antom's hosted-checkout guide works as it is.

The guide's samples are sent twice each — through the unmodified official Python
SDK (its own model classes, nothing set that the sample does not set) and as raw
Java-style wire requests (compact JSON, millisecond Request-Time) — against the
real `cashier serve` over HTTPS. They create sessions that can be paid; the gaps
they leave are shown to the merchant in the dashboard as integration warnings;
after `cashier merchant update --strict` the same requests are refused with
PARAM_ILLEGAL naming the rule. Paid payments carry actualPaymentAmount,
paymentRedirectUrl and paymentResultInfo, parsed by the SDK's response classes.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import urllib.parse

import pytest
import requests
from com.alipay.ams.api.default_alipay_client import DefaultAlipayClient
from com.alipay.ams.api.model.address import Address
from com.alipay.ams.api.model.amount import Amount
from com.alipay.ams.api.model.buyer import Buyer
from com.alipay.ams.api.model.env import Env
from com.alipay.ams.api.model.goods import Goods
from com.alipay.ams.api.model.leg import Leg
from com.alipay.ams.api.model.order import Order
from com.alipay.ams.api.model.payment_method import PaymentMethod
from com.alipay.ams.api.model.product_code_type import ProductCodeType
from com.alipay.ams.api.model.result_status_type import ResultStatusType
from com.alipay.ams.api.model.settlement_strategy import SettlementStrategy
from com.alipay.ams.api.model.transit import Transit
from com.alipay.ams.api.model.transaction_status_type import TransactionStatusType
from com.alipay.ams.api.model.user_name import UserName
from com.alipay.ams.api.request.notify.alipay_pay_result_notify import AlipayPayResultNotify
from com.alipay.ams.api.request.pay.alipay_pay_query_request import AlipayPayQueryRequest
from com.alipay.ams.api.request.pay.alipay_payment_session_request import AlipayPaymentSessionRequest
from com.alipay.ams.api.response.pay.alipay_pay_query_response import AlipayPayQueryResponse
from com.alipay.ams.api.response.pay.alipay_payment_session_response import AlipayPaymentSessionResponse

from cashier_helpers import (
    ApiClient,
    cashier_bin,
    create_dashboard_user,
    create_merchant,
    store_args,
    unique_id,
    wait_until,
)

GATEWAY_URL = "https://localhost"  # the SDK always dials port 443
EMAIL = "dev@guide-samples.example"
PASSWORD = "a long dashboard passphrase"


@pytest.fixture(scope="module")
def merchant(tls_gateway):
    """A merchant of its own: the strict-mode test must not change the shared one's behaviour."""
    m = create_merchant(tls_gateway.data_dir, "Guide Sample Store")
    create_dashboard_user(tls_gateway.data_dir, EMAIL, PASSWORD, client_id=m.client_id)
    return m


@pytest.fixture(scope="module")
def client(merchant):
    return DefaultAlipayClient(GATEWAY_URL, merchant.client_id, merchant.private_key_pkcs1,
                               merchant.gateway_public_key)


def amount(minor: int) -> Amount:
    return Amount(currency="SGD", value=str(minor))


def java_sample(request_id: str, site) -> AlipayPaymentSessionRequest:
    """The guide's Java sample, set field by field as it does: a buyer with only a
    referenceBuyerId, no productScene, no env, an item with brand, category, SKU,
    image and URL."""
    goods = Goods()
    goods.reference_goods_id = "goods01"
    goods.goods_name = "Cotton T-shirt"
    goods.goods_category = "Apparel/Tops"
    goods.goods_brand = "Example Brand"
    goods.goods_sku_name = "White / M"
    goods.goods_unit_amount = amount(4200)
    goods.goods_quantity = "1"
    goods.goods_url = "https://www.example.com/products/tshirt"
    goods.goods_image_url = "https://www.example.com/images/tshirt.png"
    buyer = Buyer()
    buyer.reference_buyer_id = "yourBuyerId"
    order = Order()
    order.reference_order_id = "order-" + request_id
    order.order_description = "antom sdk test order"
    order.order_amount = amount(4200)
    order.goods = [goods]
    order.buyer = buyer
    strategy = SettlementStrategy()
    strategy.settlement_currency = "SGD"
    req = AlipayPaymentSessionRequest()
    req.product_code = ProductCodeType.CASHIER_PAYMENT
    req.payment_request_id = request_id
    req.order = order
    req.payment_amount = amount(4200)
    req.settlement_strategy = strategy
    req.payment_redirect_url = site.return_url(request_id)
    req.payment_notify_url = site.notify_url(request_id)
    return req


def flight_sample(request_id: str, site) -> AlipayPaymentSessionRequest:
    """The guide's JSON request sample: a flight with its transit, paid from an Antom
    business account, with a settlement strategy — and the goodsName still the
    guide's placeholder text."""
    req = java_sample(request_id, site)
    req.product_scene = "CHECKOUT_PAYMENT"
    goods = req.order.goods[0]
    goods.goods_name = "ticket-date-flight number-departure-arrival"
    for attr in ("goods_category", "goods_brand", "goods_sku_name", "goods_url", "goods_image_url"):
        setattr(goods, attr, None)
    departure, arrival = Address(), Address()
    departure.city, departure.region = "Singapore", "SG"
    arrival.city, arrival.region = "Hong Kong", "HK"
    leg = Leg()
    leg.departure_time = "2025-01-01T08:00:00+08:00"
    leg.arrival_time = "2025-01-01T12:00:00+08:00"
    leg.departure_address = departure
    leg.arrival_address = arrival
    leg.carrier_name = "Cathay Pacific"
    leg.carrier_no = "CX711"
    leg.class_type = "SECONDLEVEL"
    leg.departure_airport_code = "SIN"
    leg.arrival_airport_code = "HKG"
    transit = Transit()
    transit.transit_type = "FLIGHT"
    transit.legs = [leg]
    req.order.transit = transit
    name = UserName()
    name.full_name = "Tan Ah Kow"
    req.order.buyer.buyer_name = name
    req.order.buyer.buyer_email = "buyer@example.com"
    req.order.buyer.buyer_phone_no = "+6581234567"
    env = Env()
    env.terminal_type = "WEB"
    env.client_ip = "203.0.113.10"
    req.env = env
    method = PaymentMethod()
    method.payment_method_type = "ANTOM_BIZ_ACCOUNT"
    req.payment_method = method
    return req


def java_wire_body(request_id: str, site) -> dict:
    """The Java sample as the Java SDK puts it on the wire (fastjson: keys sorted, compact)."""
    return {
        "order": {
            "buyer": {"referenceBuyerId": "yourBuyerId"},
            "goods": [{
                "goodsBrand": "Example Brand", "goodsCategory": "Apparel/Tops",
                "goodsImageUrl": "https://www.example.com/images/tshirt.png", "goodsName": "Cotton T-shirt",
                "goodsQuantity": "1", "goodsSkuName": "White / M",
                "goodsUnitAmount": {"currency": "SGD", "value": "4200"},
                "goodsUrl": "https://www.example.com/products/tshirt", "referenceGoodsId": "goods01",
            }],
            "orderAmount": {"currency": "SGD", "value": "4200"},
            "orderDescription": "antom sdk test order",
            "referenceOrderId": "order-" + request_id,
        },
        "paymentAmount": {"currency": "SGD", "value": "4200"},
        "paymentNotifyUrl": site.notify_url(request_id),
        "paymentRedirectUrl": site.return_url(request_id),
        "paymentRequestId": request_id,
        "productCode": "CASHIER_PAYMENT",
        "settlementStrategy": {"settlementCurrency": "SGD"},
    }


JAVA_WARNINGS = ["BUYER_NAME_MISSING", "PRODUCT_SCENE_MISSING", "CARD_RISK_FIELDS_MISSING"]


def create(client, req) -> dict:
    body = json.loads(client.execute(req))
    AlipayPaymentSessionResponse(json.dumps(body))  # the SDK's own class parses it
    return body


def pay_by_card(normal_url: str, ca_bundle: str, number: str = "4242424242424242") -> None:
    """Pays on the hosted page as a browser without JavaScript does."""
    s = requests.Session()
    page = s.get(normal_url, timeout=10, verify=ca_bundle)
    assert page.status_code == 200, page.text[:300]
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page.text))
    form = {k: html.unescape(v) for k, v in fields.items() if k in ("csrf_token", "attempt_nonce")}
    assert set(form) == {"csrf_token", "attempt_nonce"}, fields
    form.update({"method": "CARD", "card_number": number, "card_expiry": "12/39", "card_cvc": "123",
                 "card_name": "Tan Ah Kow"})
    action = html.unescape(re.search(r'<form class="panel" method="post" action="([^"]+)"', page.text).group(1))
    r = s.post(urllib.parse.urljoin(normal_url, action), data=form, allow_redirects=False, timeout=10,
               verify=ca_bundle)
    assert r.status_code == 303, r.text[:300]


class Dashboard:
    """A logged-in dashboard session over HTTPS (every call names the test CA: an
    environment CA bundle would override a session-wide `verify`)."""

    def __init__(self, tls_gateway):
        self.base = tls_gateway.base_url
        self.verify = str(tls_gateway.ca_bundle)
        self.http = requests.Session()
        page = self.get("/dashboard/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        r = self.http.post(self.base + "/dashboard/login", timeout=30, allow_redirects=False, verify=self.verify,
                           data={"csrf": csrf, "email": EMAIL, "password": PASSWORD})
        assert r.status_code == 303, r.text[:300]

    def get(self, path: str, **params) -> requests.Response:
        r = self.http.get(self.base + path, params=params, timeout=10, verify=self.verify)
        assert r.status_code == 200, f"{path}: {r.status_code}"
        return r




def payment_warnings(dash: Dashboard, request_id: str) -> list[str]:
    """The rules in the payment's "Integration warnings" table on the dashboard."""
    listing = dash.get("/dashboard/payments", q=request_id)
    payment_id = re.search(r'href="/dashboard/payments/([0-9A-Za-z]+)"', listing.text).group(1)
    detail = dash.get(f"/dashboard/payments/{payment_id}")
    return re.findall(r'<tr class="integration-warning"><td><code>([A-Z_]+)</code>', detail.text)


def set_strict(tls_gateway, merchant, on: bool) -> None:
    subprocess.run([str(cashier_bin()), "merchant", "update", "--data-dir", str(tls_gateway.data_dir),
                    *store_args(tls_gateway.data_dir), merchant.client_id, "--strict" if on else "--no-strict"],
                   check=True, capture_output=True, text=True, timeout=60)


def test_the_java_sample_through_the_sdk_is_paid_and_every_sample_field_comes_back(
        client, merchant, merchant_site, tls_gateway):
    rid = unique_id("GUIDE_JAVA")
    body = create(client, java_sample(rid, merchant_site))
    assert body["result"]["resultStatus"] == "S", body

    pay_by_card(body["normalUrl"], str(tls_gateway.ca_bundle))
    n = merchant_site.wait_for_notification(rid, timeout=15)
    notify = AlipayPayResultNotify(n.body_text)
    assert notify.result.result_code == "SUCCESS"
    raw = json.loads(n.body_text)
    assert raw["actualPaymentAmount"] == {"currency": "SGD", "value": "4200"}
    assert notify.payment_result_info == {"cardNo": "424242******4242", "cardBrand": "VISA", "lastFour": "4242",
                                          "funding": "CREDIT", "issuingCountry": "US", "cardBin": "424242",
                                          "paymentMethodRegion": "US", "issuerName": "Cashier Sandbox Bank",
                                          "cardholderName": "Tan Ah Kow", "expiryMonth": "12",
                                          "expiryYear": "39", "cvvResultRaw": "M"}

    query = AlipayPayQueryRequest()
    query.payment_request_id = rid
    text = client.execute(query)
    q = AlipayPayQueryResponse(text)
    assert q.result.result_status == ResultStatusType.S
    assert q.payment_status == TransactionStatusType.SUCCESS
    assert (q.actual_payment_amount.currency, q.actual_payment_amount.value) == ("SGD", "4200")
    info = q.payment_result_info
    assert (info.card_brand, info.card_no, info.last_four, info.funding, info.issuing_country) == (
        "VISA", "424242******4242", "4242", "CREDIT", "US")
    # The official SDK's model reads the BIN, region, holder and expiry as well.
    assert (info.card_bin, info.payment_method_region) == ("424242", "US")
    assert (info.cardholder_name, info.expiry_month, info.expiry_year) == ("Tan Ah Kow", "12", "39")
    assert json.loads(text)["paymentRedirectUrl"] == merchant_site.return_url(rid)


def test_card_results_reach_the_sdk_with_3ds_and_refusals(client, merchant, merchant_site, tls_gateway):
    """Issue #18: a frictionless 3-D Secure Mastercard and a risk-rejected Visa, read through the
    official SDK's notification and inquiry classes (threeDSResult is its own model class)."""
    paid, rejected = unique_id("CARD_3DS"), unique_id("CARD_RISK")
    for rid, number in ((paid, "5200000000003050"), (rejected, "4000000000000119")):
        body = create(client, java_sample(rid, merchant_site))
        assert body["result"]["resultStatus"] == "S", body
        pay_by_card(body["normalUrl"], str(tls_gateway.ca_bundle), number)

    n = merchant_site.wait_for_notification(paid, timeout=15)
    notify = AlipayPayResultNotify(n.body_text)
    assert notify.result.result_code == "SUCCESS"
    three_ds = notify.payment_result_info["threeDSResult"]
    assert {k: three_ds[k] for k in ("threeDSVersion", "eci", "challenged", "threeDSOffered")} == {
        "threeDSVersion": "2.2.0", "eci": "02", "challenged": False, "threeDSOffered": True}
    query = AlipayPayQueryRequest()
    query.payment_request_id = paid
    q = AlipayPayQueryResponse(client.execute(query))
    info = q.payment_result_info
    assert (info.card_brand, info.card_no, info.funding) == ("MASTERCARD", "520000******3050", "CREDIT")
    assert (info.three_ds_result.eci, info.three_ds_result.challenged) == ("02", False)
    assert info.three_ds_result.ds_transaction_id == three_ds["dsTransactionId"]

    n = merchant_site.wait_for_notification(rejected, timeout=15)
    notify = AlipayPayResultNotify(n.body_text)
    assert notify.result.result_code == "RISK_REJECT"
    assert notify.payment_result_info["cardNo"] == "400000******0119"
    query = AlipayPayQueryRequest()
    query.payment_request_id = rejected
    q = AlipayPayQueryResponse(client.execute(query))
    assert q.payment_status == TransactionStatusType.FAIL
    assert (q.payment_result_info.card_no, q.payment_result_info.issuer_name) == (
        "400000******0119", "Cashier Sandbox Bank")


def test_the_guides_samples_warn_in_the_dashboard_and_strict_mode_refuses_them(
        client, merchant, merchant_site, tls_gateway):
    java_rid, wire_rid, flight_rid = (unique_id(p) for p in ("GUIDE_SDK", "GUIDE_WIRE", "GUIDE_FLIGHT"))
    assert create(client, java_sample(java_rid, merchant_site))["result"]["resultStatus"] == "S"
    api = ApiClient(tls_gateway.base_url, merchant, verify=str(tls_gateway.ca_bundle))
    wire = api.call("createPaymentSession", java_wire_body(wire_rid, merchant_site))
    assert wire.result["resultStatus"] == "S", wire.text
    flight = create(client, flight_sample(flight_rid, merchant_site))
    assert flight["result"]["resultStatus"] == "S", flight
    # The same JSON sample as raw wire bytes (the SDK's own serialisation, re-sent compact).
    flight_wire_rid = unique_id("GUIDE_FLIGHT_WIRE")
    flight_wire_body = json.loads(flight_sample(flight_wire_rid, merchant_site).to_ams_json())
    flight_wire = api.call("createPaymentSession", flight_wire_body)
    assert flight_wire.result["resultStatus"] == "S", flight_wire.text
    # Both pay: the business account was pre-selected on the page.
    page = requests.get(flight["normalUrl"], timeout=10, verify=str(tls_gateway.ca_bundle)).text
    assert 'value="ANTOM_BIZ_ACCOUNT" checked>' in page
    for rid in (flight_rid, flight_wire_rid):
        sim = tls_gateway.simulate_pay(merchant.client_id, rid, "SUCCESS", paymentMethodType="ANTOM_BIZ_ACCOUNT")
        assert sim["result"]["resultStatus"] == "S", sim
        query = AlipayPayQueryRequest()
        query.payment_request_id = rid
        q = AlipayPayQueryResponse(client.execute(query))
        assert q.payment_status == TransactionStatusType.SUCCESS
        assert q.payment_method_type == "ANTOM_BIZ_ACCOUNT"

    dash = Dashboard(tls_gateway)
    assert payment_warnings(dash, java_rid) == JAVA_WARNINGS
    assert payment_warnings(dash, wire_rid) == JAVA_WARNINGS
    assert payment_warnings(dash, flight_rid) == ["FLIGHT_GOODS_NAME_FORMAT"]
    assert payment_warnings(dash, flight_wire_rid) == ["FLIGHT_GOODS_NAME_FORMAT"]
    developers = dash.get("/dashboard/developers").text
    counted = re.search(r'<code>BUYER_NAME_MISSING</code></td><td class="num">(\d+)</td>', developers)
    assert counted and int(counted.group(1)) >= 2, "the Developers page counts both Java-sample payments"

    set_strict(tls_gateway, merchant, True)
    try:
        def refused_now():
            body = create(client, java_sample(unique_id("GUIDE_STRICT"), merchant_site))
            return body if body["result"]["resultStatus"] == "F" else None

        # A running node reads merchant settings at most a second old.
        refused = wait_until(refused_now, timeout=10, interval=0.2, what="strict mode to reach the gateway")
        assert refused["result"]["resultCode"] == "PARAM_ILLEGAL", refused
        assert refused["result"]["resultMessage"].startswith(
            "strict mode: BUYER_NAME_MISSING: order.buyer.buyerName.fullName is missing"), refused
        wire = api.call("createPaymentSession", java_wire_body(unique_id("GUIDE_STRICT_WIRE"), merchant_site))
        assert wire.result["resultCode"] == "PARAM_ILLEGAL", wire.text
        flight = create(client, flight_sample(unique_id("GUIDE_STRICT_FLIGHT"), merchant_site))
        assert flight["result"]["resultMessage"].startswith("strict mode: FLIGHT_GOODS_NAME_FORMAT"), flight
    finally:
        set_strict(tls_gateway, merchant, False)
