"""The merchant dashboard in real headless Chromium (issue #5).

A merchant user logs in, finds a payment by paymentRequestId, reads its timeline
and delivery attempts, refunds part of it, resends its notification (the merchant's
site receives a second, correctly signed delivery), and changes the brand name and
logo, which a new checkout page then shows. Every dashboard page and the hosted
checkout, result and wallet pages are checked with axe-core (no serious or critical
violations) and at 320 px width (no horizontal scrolling).

Runs its own gateway: changing the brand must not disturb test_browser.py's merchant.
"""

from __future__ import annotations

import struct
import urllib.parse
import zlib

import pytest

from cashier_helpers import (
    ApiClient,
    CashierServer,
    Page,
    axe_violations,
    create_dashboard_user,
    create_merchant,
    horizontal_overflow,
    rsa256_verify,
    session_body,
    sign_content,
    unique_id,
    wait_until,
)

EMAIL = "owner@kopi.example"
PASSWORD = "a long dashboard passphrase"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = CashierServer(tmp_path_factory.mktemp("dash-gateway") / "data",
                           extra_args=("--notify-retry-schedule", "1s,1s,1s"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def merchant(gateway):
    m = create_merchant(gateway.data_dir, "Kopi Corner")
    create_dashboard_user(gateway.data_dir, EMAIL, PASSWORD, client_id=m.client_id)
    return m


def png_1x1(rgb=(200, 30, 30)) -> bytes:
    """A real, decodable 1x1 PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"\x00" + bytes(rgb)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Audit:
    """axe-core and the 320 px check, collected over every page visited."""

    def __init__(self, driver):
        self.driver = driver
        self.problems: list[str] = []
        self.pages = 0

    def check(self, name: str):
        self.pages += 1
        for v in axe_violations(self.driver):
            self.problems.append(f"{name}: axe {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}")
        size = self.driver.get_window_size()
        self.driver.set_window_size(320, 800)
        try:
            over = wait_until(lambda: self.driver.execute_script("return window.innerWidth") <= 320 or 0,
                              timeout=10, what="a 320 px viewport")
            assert over
            extra = horizontal_overflow(self.driver)
            if extra:
                self.problems.append(f"{name}: {extra}px wider than a 320 px screen")
        finally:
            self.driver.set_window_size(size["width"], size["height"])

    def assert_clean(self):
        assert not self.problems, "\n".join(self.problems)


def accept_confirm(driver):
    """The dashboard's JS asks before refunds and cancels."""
    alert = wait_until(lambda: _alert(driver), timeout=10, what="the confirmation dialog")
    alert.accept()


def _alert(driver):
    from selenium.common.exceptions import NoAlertPresentException
    try:
        return driver.switch_to.alert
    except NoAlertPresentException:
        return None


def test_dashboard_journey_with_accessibility(browser, gateway, merchant, merchant_site, tmp_path):
    api = ApiClient(gateway.base_url, merchant)
    rid = unique_id("DASH")
    notify_url = merchant_site.notify_url(rid)
    rsp = api.call("createPaymentSession",
                   session_body(rid, redirect_url=merchant_site.return_url(rid), notify_url=notify_url))
    assert rsp.result["resultStatus"] == "S", rsp.text
    gateway.simulate_pay(merchant.client_id, rid, "SUCCESS")
    merchant_site.wait_for_notification(rid, timeout=20)

    page = Page(browser, timeout=20)
    audit = Audit(browser)
    base = gateway.base_url

    # Log in.
    browser.get(base + "/dashboard/login")
    page.heading("Log in")
    audit.check("login")
    page.fill("Email", EMAIL)
    page.fill("Password", PASSWORD)
    page.submit(page.button("Log in"))
    page.heading("Payments")
    audit.check("payments list")

    # Find the payment by paymentRequestId.
    page.fill("paymentRequestId or paymentId", rid)
    page.submit(page.button("Filter"))
    page.submit(page.link(rid))
    page.heading(f"Payment {rid}")
    text = browser.find_element("tag name", "main").text
    for expected in ("Created: SGD 60.00", "Paid: SUCCESS", "PAYMENT_RESULT"):
        assert expected in text, f"{expected!r} not on the detail page"
    rows = page.all("//tr[contains(@class, 'delivery')]")
    assert len(rows) == 1 and "200" in rows[0].text and "yes" in rows[0].text, [r.text for r in rows]
    audit.check("payment detail")

    # Refund part of it.
    page.fill("Amount (SGD, e.g. 1.00)", "12.50")
    page.fill("Reason (optional)", "one kopi was cold")
    page.button("Refund").click()
    accept_confirm(browser)
    page._one("//p[@role='status'][normalize-space(.)='Refund submitted.']", "the refund notice")
    text = browser.find_element("tag name", "main").text
    assert "Refund" in text and "SGD 12.50" in text, text
    inquiry = api.call("inquiryPayment", {"paymentRequestId": rid}).body
    assert inquiry["paymentStatus"] == "SUCCESS"

    # Resend its notification: a second delivery, correctly signed.
    def payment_results():
        return [n for n in merchant_site.received(rid) if n.json.get("notifyType") == "PAYMENT_RESULT"]
    before = len(payment_results())
    page.submit(page.button("Resend PAYMENT_RESULT"))
    page._one("//p[@role='status'][normalize-space(.)='Notification queued for delivery.']", "the resend notice")
    wait_until(lambda: len(payment_results()) > before, timeout=20, what="the resent notification")
    n = payment_results()[-1]
    path = urllib.parse.urlsplit(notify_url).path
    content = sign_content("POST", path, n.headers["client-id"], n.headers["request-time"], n.body_text)
    assert rsa256_verify(merchant.gateway_public_key, content, n.headers["signature"])
    assert n.json["paymentRequestId"] == rid and n.json["result"]["resultCode"] == "SUCCESS"
    browser.refresh()
    page.heading(f"Payment {rid}")
    wait_until(lambda: len(page.all("//tr[contains(@class, 'delivery')]")) >= 2 or browser.refresh(),
               timeout=20, what="the second delivery attempt on the page")

    # The other dashboard pages.
    page.submit(page.link("Overview"))
    page.heading("Overview")
    assert "SGD" in browser.find_element("tag name", "main").text
    audit.check("overview")
    page.submit(page.link("Reports"))
    page.heading("Reports " + merchant.client_id)
    audit.check("reports")
    page.submit(page.link("Developers"))
    page.heading("Developers " + merchant.client_id)
    assert merchant.gateway_public_key in browser.find_element("id", "gw-key").text
    audit.check("developers")

    # Brand name and logo.
    page.submit(page.link("Settings"))
    page.heading("Settings " + merchant.client_id)
    audit.check("settings")
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_1x1())
    page.fill("Brand name (shown on the checkout page)", "Kopi Corner Deluxe")
    page.field("Logo (PNG, JPEG or WebP, at most 512 KiB)").send_keys(str(logo))
    page.fill("Accent colour (#rrggbb; must contrast at least 3:1 with white)", "#0a5c36")
    page.submit(page.button("Save"))
    page._one("//p[@role='status'][normalize-space(.)='Settings saved.']", "the saved notice")

    # A new checkout page shows them (and passes axe, at 320 px).
    rid2 = unique_id("DASH")
    rsp = api.call("createPaymentSession",
                   session_body(rid2, redirect_url=merchant_site.return_url(rid2),
                                notify_url=merchant_site.notify_url(rid2)))
    browser.get(rsp.body["normalUrl"])
    page.heading("Kopi Corner Deluxe")
    img = page._one("//header//img", "the logo")
    assert "/logos/" in img.get_attribute("src")
    assert browser.execute_script("return arguments[0].naturalWidth", img) == 1, "the logo is served and decodes"
    accent = browser.execute_script(
        "return getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
    assert accent == "#0a5c36", accent
    audit.check("hosted checkout")

    # Result page (card) and wallet page, checked the same way.
    page.pay_card("4242424242424242")
    page.heading("Payment successful", timeout=20)
    audit.check("result page")
    rid3 = unique_id("DASH")
    rsp = api.call("createPaymentSession",
                   session_body(rid3, redirect_url=merchant_site.return_url(rid3),
                                notify_url=merchant_site.notify_url(rid3)))
    browser.get(rsp.body["normalUrl"])
    page.choose_method("Alipay")
    page.submit(page.button("Pay SGD 60.00"))
    page.link("Open Alipay")
    audit.check("wallet QR page")
    browser.get(page.link("Open Alipay").get_attribute("href"))
    page.button("Approve payment")
    audit.check("sandbox wallet page")

    # Log out.
    browser.get(base + "/dashboard/payments")
    page.submit(page.button("Log out"))
    page.heading("Log in")

    assert audit.pages == 11
    audit.assert_clean()
