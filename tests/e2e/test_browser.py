"""Browser end-to-end (ARCHITECTURE.md, "Tests outside the crates"): headless Chromium pays through the hosted page.

The page is driven only through the page contract of docs/protocol.md §9.4 (exact headings,
button and link names, field labels), with the sandbox test credentials listed there.
Every final outcome is checked from three sides: what the buyer sees (result heading,
"Return to merchant", the automatic redirect), what the merchant is told (a signed
notification) and what the merchant can ask (inquiryPayment).
"""

from __future__ import annotations

import time
import urllib.parse
from datetime import datetime

import pytest
import requests

from cashier_helpers import (
    ApiClient,
    Page,
    button_xpath,
    heading_xpath,
    iso_in,
    rsa256_verify,
    session_body,
    sign_content,
    unique_id,
    wait_until,
)

AMOUNT_LABEL = "Pay SGD 60.00"


@pytest.fixture
def api(http_gateway, shop):
    return ApiClient(http_gateway.base_url, shop)


class Checkout:
    """One createPaymentSession and the URLs around it."""

    def __init__(self, api: ApiClient, site, **kwargs):
        self.api = api
        self.site = site
        self.rid = unique_id("WEB")
        self.redirect_url = site.return_url(self.rid)
        self.notify_url = site.notify_url(self.rid)
        rsp = api.call("createPaymentSession",
                       session_body(self.rid, redirect_url=self.redirect_url, notify_url=self.notify_url, **kwargs))
        assert rsp.result.get("resultStatus") == "S", rsp.text
        self.normal_url = rsp.body["normalUrl"]

    def inquiry(self) -> dict:
        rsp = self.api.call("inquiryPayment", {"paymentRequestId": self.rid})
        assert rsp.result.get("resultStatus") == "S", rsp.text
        return rsp.body

    def assert_status(self, status: str, code: str | None = None) -> dict:
        body = self.inquiry()
        assert body["paymentStatus"] == status, body
        if code:
            assert body["paymentResultCode"] == code, body
        return body

    def assert_notified(self, status: str, code: str) -> dict:
        """The (first acknowledged) notification: signed by the gateway, path-only content."""
        n = self.site.wait_for_notification(self.rid, timeout=15)
        path = urllib.parse.urlsplit(self.notify_url).path
        content = sign_content("POST", path, n.headers["client-id"], n.headers["request-time"], n.body_text)
        assert n.headers["client-id"] == self.api.merchant.client_id
        assert rsa256_verify(self.api.merchant.gateway_public_key, content, n.headers["signature"]), \
            "notification signature must verify with the gateway public key over the notify URL's path"
        body = n.json
        assert body["notifyType"] == "PAYMENT_RESULT", body
        assert body["result"]["resultStatus"] == status, body
        assert body["result"]["resultCode"] == code, body
        assert body["paymentRequestId"] == self.rid
        assert body["paymentAmount"] == {"currency": "SGD", "value": "6000"}, body
        if status == "S":
            assert body.get("paymentTime"), body
        return body

    def assert_not_notified(self, settle: float = 1.5):
        time.sleep(settle)
        assert self.site.received(self.rid) == [], "only final outcomes are notified"


def open_checkout(browser, checkout: Checkout, brand: str) -> Page:
    page = Page(browser)
    browser.get(checkout.normal_url)
    page._one(f"//h1[contains(normalize-space(.), {_lit(brand)})]", f"h1 with the brand {brand!r}")
    return page


def _lit(s: str) -> str:
    from cashier_helpers import xpath_literal
    return xpath_literal(s)


def assert_final_page_and_redirect(page: Page, checkout: Checkout, heading: str):
    """Result heading, "Return to merchant" → paymentRedirectUrl, and the automatic redirect ≥3 s later."""
    page.heading(heading, timeout=15)
    seen = time.monotonic()
    # how long the document has been on screen when we first saw the heading
    shown_for = page.driver.execute_script(
        "var n = performance.getEntriesByType('navigation')[0];"
        "return (performance.now() - (n ? n.responseEnd : 0)) / 1000;") or 0.0
    back = page.link("Return to merchant")
    assert back.get_attribute("href") == checkout.redirect_url
    page.wait_for_url(checkout.redirect_url, timeout=10)
    visible = time.monotonic() - seen + shown_for
    assert visible >= 3.0, f"the result must stay visible at least 3 s before the redirect (was {visible:.2f} s)"
    target = urllib.parse.urlsplit(checkout.redirect_url)
    expected = f"{target.path}?{target.query}"
    wait_until(lambda: expected in checkout.site.visits, 5, what=f"a visit to the merchant's {expected}")


def assert_no_pay_button(page: Page):
    pays = page.all("//button[starts-with(normalize-space(.), 'Pay ')] | //input[@type='submit'][starts-with(@value, 'Pay ')]")
    assert not [b for b in pays if b.is_enabled()], "a final or expired checkout must offer no working Pay button"


# ---------------------------------------------------------------------------------------------


def test_checkout_page_follows_the_contract(browser, api, merchant_site, shop, http_gateway):
    c = Checkout(api, merchant_site)
    page = open_checkout(browser, c, shop.name)
    assert sorted(page.method_names()) == ["Alipay", "Card", "GrabPay"]
    for label in ("Card number", "Expiry date", "Security code", "Name on card"):
        page.field(label)
    page.button(AMOUNT_LABEL)
    assert "Kopi set" in browser.page_source
    c.assert_status("PROCESSING", "PAYMENT_IN_PROCESS")

    usd = Checkout(api, merchant_site, currency="USD")
    page = open_checkout(browser, usd, shop.name)
    assert sorted(page.method_names()) == ["Alipay", "Card"]
    page.button("Pay $60.00")  # en_US writes USD with its symbol (CLDR)

    token = urllib.parse.urlsplit(c.normal_url).path.rsplit("/", 1)[-1]
    unknown = requests.get(f"{http_gateway.base_url}/checkout/{token[:-4]}zzzz", timeout=10)
    assert unknown.status_code == 404
    assert "<h1" in unknown.text


def test_card_success(browser, api, merchant_site, shop):
    c = Checkout(api, merchant_site)
    page = open_checkout(browser, c, shop.name)
    page.pay_card("4242 4242 4242 4242")
    assert_final_page_and_redirect(page, c, "Payment successful")
    c.assert_notified("S", "SUCCESS")
    body = c.assert_status("SUCCESS", "SUCCESS")
    assert body.get("paymentTime")
    assert body.get("paymentMethodType") == "CARD"

    # reopening the paid checkout shows the result and never a second Pay
    browser.get(c.normal_url)
    page.heading("Payment successful")
    assert_no_pay_button(page)


def test_the_card_brand_shows_as_the_buyer_types(browser, api, merchant_site, shop):
    """The page names the brand from the first digits (the gateway's issuer ranges), live."""
    c = Checkout(api, merchant_site)
    page = open_checkout(browser, c, shop.name)
    page.choose_method("Card")
    number = page.field("Card number")
    brand = browser.find_element("id", "card_brand")
    for digits, name in (("4242", "Visa"), ("5555", "Mastercard"), ("3782", "American Express"),
                         ("6011", "Discover"), ("6250", "UnionPay"), ("3530", "JCB"),
                         ("3056", "Diners Club"), ("12", "")):
        number.clear()
        number.send_keys(digits + " 0000")
        wait_until(lambda: brand.text == name or None, timeout=5,
                   what=f"the brand {name!r} for {digits}")
    # The live region announces it to screen readers.
    assert brand.get_attribute("aria-live") == "polite"


def test_declined_card_can_be_retried(browser, api, merchant_site, shop):
    c = Checkout(api, merchant_site)
    page = open_checkout(browser, c, shop.name)
    page.pay_card("4000 0000 0000 0002")
    page.heading("Payment failed")
    assert page.link("Return to merchant").get_attribute("href") == c.redirect_url
    try_again = page.link("Try again")
    c.assert_status("PROCESSING")
    c.assert_not_notified()

    page.submit(try_again)
    page._one(f"//h1[contains(normalize-space(.), {_lit(shop.name)})]", "the checkout again")
    page.pay_card("4242424242424242")
    assert_final_page_and_redirect(page, c, "Payment successful")
    c.assert_notified("S", "SUCCESS")
    c.assert_status("SUCCESS", "SUCCESS")
    assert all(n.json["result"]["resultStatus"] == "S" for n in merchant_site.received(c.rid)), \
        "the declined attempt must not be notified"


def test_3ds_challenge_completed(browser, api, merchant_site, shop):
    c = Checkout(api, merchant_site)
    page = open_checkout(browser, c, shop.name)
    page.pay_card("4000 0000 0000 3220")
    page.button("Fail authentication")
    page.submit(page.button("Complete authentication"))
    assert_final_page_and_redirect(page, c, "Payment successful")
    c.assert_notified("S", "SUCCESS")
    c.assert_status("SUCCESS", "SUCCESS")


def test_3ds_challenge_failed_can_be_retried(browser, api, merchant_site, shop):
    c = Checkout(api, merchant_site)
    page = open_checkout(browser, c, shop.name)
    page.pay_card("4000 0000 0000 3220")
    page.submit(page.button("Fail authentication"))
    page.heading("Payment failed")
    assert page.link("Return to merchant").get_attribute("href") == c.redirect_url
    page.link("Try again")
    c.assert_status("PROCESSING")
    c.assert_not_notified()


def test_async_card_settles_while_the_page_waits(browser, api, merchant_site, shop):
    c = Checkout(api, merchant_site)
    page = open_checkout(browser, c, shop.name)
    page.pay_card("4000 0000 0000 0077")
    page.heading("Payment is processing")
    assert c.inquiry()["paymentStatus"] in ("PROCESSING", "PENDING")
    # the sandbox settles it after 2 s (--sandbox-async-delay); the page polls and shows the result
    assert_final_page_and_redirect(page, c, "Payment successful")
    c.assert_notified("S", "SUCCESS")
    c.assert_status("SUCCESS", "SUCCESS")


def test_wallet_paid_from_a_second_device(browsers, api, merchant_site, shop):
    desktop = browsers()
    c = Checkout(api, merchant_site)
    page = open_checkout(desktop, c, shop.name)
    page.choose_method("Alipay")
    page.submit(page.button(AMOUNT_LABEL))
    qr = page._one("//*[local-name()='svg'][@role='img'][contains(@aria-label, 'QR')]", "the QR code image")
    assert "Alipay" in qr.get_attribute("aria-label")
    wallet_url = page.link("Open Alipay").get_attribute("href")
    assert wallet_url.startswith("http")

    phone = browsers()  # another browser, fresh profile, no cookies
    phone_page = Page(phone)
    phone.get(wallet_url)
    phone_page.button("Decline payment")
    phone_page.button("Leave pending")
    phone_page.submit(phone_page.button("Approve payment"))

    assert_final_page_and_redirect(page, c, "Payment successful")
    body = c.assert_notified("S", "SUCCESS")
    assert body.get("paymentMethodType") == "ALIPAY_CN", body
    status = c.assert_status("SUCCESS", "SUCCESS")
    assert status.get("paymentMethodType") == "ALIPAY_CN", status


def test_wallet_paid_in_one_tab_leads_back_to_the_checkout(browser, api, merchant_site, shop):
    """A buyer on one device opens the wallet in the same tab, approves, and gets back to the
    checkout (and from there to the merchant) through the wallet page's link (issue #21)."""
    c = Checkout(api, merchant_site)
    page = open_checkout(browser, c, shop.name)
    page.choose_method("Alipay")
    page.submit(page.button(AMOUNT_LABEL))
    page.submit(page.link("Open Alipay"))
    page.submit(page.button("Approve payment"))
    page.submit(page.link("Back to the checkout"))
    assert_final_page_and_redirect(page, c, "Payment successful")
    c.assert_notified("S", "SUCCESS")


def test_mobile_wallet_opens_the_app_and_checks_status_on_return(browsers, api, merchant_site, shop):
    """env.terminalType WAP (issue #18, point 3): no QR code on a phone; "Open Alipay" goes to the
    app (the sandbox wallet page), coming back unpaid (browser back, or the app's own way back)
    shows "Check payment status", and the page, still polling, follows the wallet's approval."""
    phone = browsers()
    phone.set_window_size(390, 844)
    c = Checkout(api, merchant_site, terminal_type="WAP")
    page = open_checkout(phone, c, shop.name)
    page.choose_method("Alipay")
    page.submit(page.button(AMOUNT_LABEL))
    page.heading("Pay with Alipay")
    assert not page.all("//*[local-name()='svg']"), "a phone cannot scan its own screen"
    page.submit(page.link("Open Alipay"))
    page.button("Approve payment")

    # Back without deciding: the checkout remembers the buyer left for the app.
    phone.back()
    page.link("Check payment status", timeout=15)
    assert "returned=1" in phone.current_url
    page.submit(page.link("Check payment status"))
    page.link("Check payment status")  # still waiting: the same check, not "Open" again
    c.assert_status("PROCESSING")

    # The app's own way back, then the approval (from the app, in another tab of the phone).
    page.submit(page.link("Open Alipay"))
    wallet_url = phone.current_url
    page.submit(page.link("Go back without paying"))
    page.link("Check payment status")
    app_tab = browsers()
    app_tab.get(wallet_url)
    Page(app_tab).submit(Page(app_tab).button("Approve payment"))
    assert_final_page_and_redirect(page, c, "Payment successful")
    c.assert_notified("S", "SUCCESS")
    c.assert_status("SUCCESS", "SUCCESS")


def test_expired_checkout(browser, api, merchant_site, shop, http_gateway):
    expiry = iso_in(4)
    c = Checkout(api, merchant_site, expiry=expiry)
    # a buyer opened the page in time and filled in the card, then went for coffee
    page = open_checkout(browser, c, shop.name)
    page.choose_method("Card")
    page.fill("Card number", "4242 4242 4242 4242")
    page.fill("Expiry date", "12/34")
    page.fill("Security code", "123")
    page.fill("Name on card", "Ada Lovelace")
    time.sleep(max(0.0, datetime.fromisoformat(expiry).timestamp() - time.time()) + 1.5)

    assert_no_pay_button(page)
    stale_pay = page.all(button_xpath(AMOUNT_LABEL))
    assert stale_pay, "the stale page still shows its (disabled) Pay button"
    browser.execute_script("arguments[0].form.submit();", stale_pay[0])  # force the stale form through
    page.wait_gone(stale_pay[0])
    page.heading("This checkout has expired")
    assert not page.all(heading_xpath("Payment successful"))

    browser.get(c.normal_url)
    page.heading("This checkout has expired")
    assert_no_pay_button(page)
    r = requests.get(c.normal_url, timeout=10)
    assert r.status_code == 410
    assert "This checkout has expired" in r.text
    c.assert_notified("F", "ORDER_IS_CLOSED")
    c.assert_status("FAIL", "ORDER_IS_CLOSED")


def test_second_buyer_cannot_pay_a_paid_checkout(browsers, api, merchant_site, shop):
    c = Checkout(api, merchant_site)
    first, second = browsers(), browsers()
    page1 = open_checkout(first, c, shop.name)
    page2 = open_checkout(second, c, shop.name)  # same normalUrl, another device

    page1.pay_card("4242 4242 4242 4242")
    page1.heading("Payment successful")
    page2.pay_card("5555 5555 5555 4444")
    outcome = page2.wait(15).until(
        lambda d: page2.all(heading_xpath("Payment successful")) or "already paid" in d.page_source)
    assert outcome

    c.assert_notified("S", "SUCCESS")
    c.assert_status("SUCCESS", "SUCCESS")
    time.sleep(1.5)
    assert len({n.json["paymentId"] for n in merchant_site.received(c.rid)}) == 1
    assert all(n.json["result"]["resultStatus"] == "S" for n in merchant_site.received(c.rid))


@pytest.mark.parametrize("number,expiry", [("4242 4242 4242 4241", "12/34"), ("4242 4242 4242 4242", "01/20")],
                         ids=["luhn-failure", "past-expiry"])
def test_invalid_card_is_rejected_on_the_page(browser, api, merchant_site, shop, number, expiry):
    c = Checkout(api, merchant_site)
    page = open_checkout(browser, c, shop.name)
    page.pay_card(number, expiry=expiry)
    alert = page._one("//*[@role='alert']", "an error with role=alert")
    assert alert.text.strip(), "the error must say what is wrong"
    page.button(AMOUNT_LABEL)  # still on the checkout, free to correct and pay
    assert not page.all(heading_xpath("Payment successful"))
    c.assert_status("PROCESSING", "PAYMENT_IN_PROCESS")
    c.assert_not_notified()
