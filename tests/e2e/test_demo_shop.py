"""`cashier demo` end to end in headless Chromium (issue #6): the real binary starts the
gateway and the demo shop; a buyer adds products, checks out, pays on the hosted page
(card, wallet, declined card and retry) and comes back to a page that says the order is
paid; the shop owner refunds from the orders page.

The shop's pages are driven by their visible names; the hosted page by its contract
(docs/protocol.md §9.4). The machine is loaded, so every wait is generous.
"""

from __future__ import annotations

import urllib.parse

import pytest
import requests

from cashier_helpers import (DemoProcess, Page, heading_xpath, horizontal_overflow, link_xpath, wait_until,
                             xpath_literal)

WAIT = 30  # seconds, for anything that crosses processes


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = DemoProcess(tmp_path_factory.mktemp("demo") / "data").start()
    yield d
    d.stop()


def test_demo_prints_the_shop_and_the_sandbox_credentials(demo):
    out = demo.output
    for card in ("4242 4242 4242 4242", "4000 0000 0000 0002", "4000 0000 0000 3220"):
        assert card in out, out
    r = requests.get(demo.shop_url + "/", timeout=10)
    assert r.status_code == 200
    assert "<h1>Demo Shop</h1>" in r.text
    assert "HttpOnly" in r.headers["set-cookie"]
    assert "default-src 'none'" in r.headers["content-security-policy"]
    img = requests.get(demo.shop_url + "/img/mug.svg", timeout=10)
    assert img.status_code == 200 and img.headers["content-type"] == "image/svg+xml"


# ---- helpers ------------------------------------------------------------------------------


def submit(page: Page, element, timeout: float = WAIT):
    """Clicks something that navigates and waits until the old page is gone.

    Like `Page.submit`, but Chromium's "node ... does not belong to the document", which
    it may answer while the old document is being replaced, also counts as gone.
    """
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    element.click()

    def gone(_):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            return "does not belong to the document" in str(e)
    page.wait(timeout).until(gone)


def pay_card(page: Page, number: str, pay_label: str):
    page.choose_method("Card")
    page.fill("Card number", number)
    page.fill("Expiry date", "12/34")
    page.fill("Security code", "123")
    page.fill("Name on card", "Ada Lovelace")
    submit(page, page.button(pay_label))


def shop_page(browser, demo) -> Page:
    page = Page(browser, timeout=WAIT)
    browser.get(demo.shop_url + "/")
    page.heading("Demo Shop")
    return page


def add_to_cart(page: Page, product: str):
    submit(page, page.button(f"Add {product} to cart"))
    page._one(f"//*[@role='status'][contains(normalize-space(.), {xpath_literal(f'Added {product}')})]",
              f"confirmation that {product} was added")


def check_out(page: Page, demo, products: list[str], count: int) -> None:
    """Adds the products, opens the cart, checks out: ends on the hosted checkout page."""
    for p in products:
        add_to_cart(page, p)
    submit(page, page.link(f"Cart ({count})"))
    page.heading("Your cart")
    submit(page, page.button("Check out"), timeout=WAIT)
    assert page.driver.current_url.startswith(demo.gateway_url + "/checkout/"), page.driver.current_url
    page._one("//h1[contains(normalize-space(.), 'Demo Shop')]", "the hosted page with the shop's brand")


def back_at_the_shop(page: Page, demo) -> str:
    """Follows "Return to merchant" from the result page; returns the order id."""
    submit(page, page.link("Return to merchant"), timeout=WAIT)
    url = page.driver.current_url
    assert url.startswith(demo.shop_url + "/orders/"), url
    return urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1]


def wait_for_notified_paid(page: Page, order: str, demo):
    """The return page says paid; reloaded, it says so from the signed notification."""
    page.heading("Order paid", timeout=WAIT)
    assert "Paid" in page.driver.find_element("css selector", ".status").text

    def confirmed():
        page.driver.get(f"{demo.shop_url}/orders/{order}")
        return "signed payment notification" in page.driver.page_source
    wait_until(confirmed, WAIT, interval=0.5, what="the shop to record the verified notification")
    page.heading("Order paid")


# ---- flows --------------------------------------------------------------------------------


def test_two_products_paid_by_card(browser, demo):
    page = shop_page(browser, demo)
    check_out(page, demo, ["Cashier T-shirt", "Kopi mug"], 2)
    assert "Cashier T-shirt" in browser.page_source and "Kopi mug" in browser.page_source
    pay_card(page, "4242 4242 4242 4242", pay_label="Pay SGD 37.50")
    page.heading("Payment successful", timeout=WAIT)
    order = back_at_the_shop(page, demo)
    wait_for_notified_paid(page, order, demo)
    assert "SGD 37.50" in browser.page_source
    assert page.all(link_xpath("Cart (0)")), "checkout empties the cart"


def test_wallet_payment_approved_on_the_sandbox_wallet(browsers, demo):
    desktop = browsers()
    page = shop_page(desktop, demo)
    check_out(page, demo, ["Canvas tote bag"], 1)
    page.choose_method("Alipay")
    submit(page, page.button("Pay SGD 18.00"))
    wallet_url = page.link("Open Alipay").get_attribute("href")

    phone = Page(browsers(), timeout=WAIT)  # the buyer's phone: another browser, no cookies
    phone.driver.get(wallet_url)
    submit(phone, phone.button("Approve payment"))

    page.heading("Payment successful", timeout=WAIT)
    order = back_at_the_shop(page, demo)
    wait_for_notified_paid(page, order, demo)
    assert "Paid with Alipay." in desktop.page_source, "the method's name, not its code"
    desktop.get(demo.shop_url + "/orders")
    row = f"//tr[@data-order={xpath_literal(order)}]"
    assert page._one(f"{row}//td[@class='method']", "the order's payment method").text == "Alipay"


def test_the_printed_dashboard_login_shows_the_demo_payments(browser, demo):
    """`cashier demo` prints the dashboard's address, e-mail and password (issue #21); a
    newcomer who pays in the shop logs in with them and finds the payment."""
    import re

    page = shop_page(browser, demo)
    check_out(page, demo, ["Sticker pack"], 1)
    pay_card(page, "4242 4242 4242 4242", pay_label="Pay SGD 4.90")
    page.heading("Payment successful", timeout=WAIT)
    printed = re.search(r"Dashboard:\s+(http://\S+)\s+\(email (\S+), password (\S+)\)", demo.output)
    assert printed, demo.output
    url, email, password = printed.groups()
    browser.get(url)
    page.heading("Log in", timeout=WAIT)
    page.fill("Email", email)
    page.fill("Password", password)
    submit(page, page.button("Log in"))
    page.heading("Payments", timeout=WAIT)
    assert "SGD 4.90" in browser.page_source


def test_every_shop_and_checkout_page_fits_a_320px_screen(browser, demo):
    """At 320 CSS pixels no page of the shop or of the hosted checkout scrolls sideways (issue
    #21): catalogue, cart with several lines, checkout, 3-D Secure challenge, result, processing,
    the order, the orders list, and both not-found pages (the hosted 410 and 429 pages share the
    404's template). The dashboard's pages, and the wallet and sandbox wallet pages, get the same
    check in test_dashboard.py."""
    browser.set_window_size(320, 800)
    wait_until(lambda: browser.execute_script("return window.innerWidth") <= 320,
               timeout=10, what="a 320 px viewport")
    wide: list[str] = []

    def fits(name: str):
        extra = horizontal_overflow(browser)
        if extra:
            wide.append(f"{name}: {extra}px wider than the screen")

    page = shop_page(browser, demo)
    fits("catalogue")
    for product in ["Cashier T-shirt", "Canvas tote bag", "Kopi mug"]:
        add_to_cart(page, product)
    submit(page, page.link("Cart (3)"))
    page.heading("Your cart")
    fits("cart")
    submit(page, page.button("Check out"), timeout=WAIT)
    page._one("//h1[contains(normalize-space(.), 'Demo Shop')]", "the hosted page")
    fits("hosted checkout")
    pay_card(page, "4000 0000 0000 3220", pay_label="Pay SGD 55.50")
    page.button("Complete authentication")
    fits("3-D Secure challenge")
    submit(page, page.button("Complete authentication"))
    page.heading("Payment successful", timeout=WAIT)
    fits("result page")
    order = back_at_the_shop(page, demo)
    wait_for_notified_paid(page, order, demo)
    fits("order page")
    browser.get(demo.shop_url + "/orders")
    page._one(f"//tr[@data-order={xpath_literal(order)}]", "the order in the list")
    fits("orders")
    # A card that settles later: the processing page.
    browser.get(demo.shop_url + "/")
    check_out(page, demo, ["Sticker pack"], 1)
    pay_card(page, "4000 0000 0000 0077", pay_label="Pay SGD 4.90")
    page.heading("Payment is processing", timeout=WAIT)
    fits("processing page")
    browser.get(demo.shop_url + "/orders/NO-SUCH-ORDER")
    fits("shop not found page")
    browser.get(demo.gateway_url + "/checkout/no-such-token")
    fits("checkout not found page")
    assert not wide, "\n".join(wide)


def test_declined_card_shows_the_failure_and_can_be_retried(browser, demo):
    page = shop_page(browser, demo)
    check_out(page, demo, ["Sticker pack"], 1)
    pay_card(page, "4000 0000 0000 0002", pay_label="Pay SGD 4.90")
    page.heading("Payment failed", timeout=WAIT)
    page.link("Try again")

    # Back at the shop, the order is not paid and offers to continue paying.
    order = back_at_the_shop(page, demo)
    page.heading("Awaiting payment", timeout=WAIT)
    assert not page.all(heading_xpath("Order paid"))
    submit(page, page.link("Complete payment"), timeout=WAIT)
    page._one("//h1[contains(normalize-space(.), 'Demo Shop')]", "the hosted page again")
    pay_card(page, "4242 4242 4242 4242", pay_label="Pay SGD 4.90")
    page.heading("Payment successful", timeout=WAIT)
    assert back_at_the_shop(page, demo) == order
    wait_for_notified_paid(page, order, demo)


def test_refund_from_the_orders_page(browser, demo):
    page = shop_page(browser, demo)
    check_out(page, demo, ["Kopi mug", "Sticker pack"], 2)
    pay_card(page, "5555 5555 5555 4444", pay_label="Pay SGD 17.40")
    page.heading("Payment successful", timeout=WAIT)
    order = back_at_the_shop(page, demo)
    wait_for_notified_paid(page, order, demo)

    row = f"//tr[@data-order={xpath_literal(order)}]"
    browser.get(demo.shop_url + "/orders")
    page.heading("Orders")
    assert page._one(f"{row}//td[@class='method']", "the order's payment method").text == "Card"
    amount = page._one(f"{row}//input[@name='amount']", "the refund amount field of the order")
    amount.send_keys("5.00")
    submit(page, page._one(f"{row}//button[normalize-space(.)={xpath_literal(f'Refund part {order}')}]",
                          "the partial refund button"))
    page._one(f"//*[@role='status'][contains(., {xpath_literal(f'Refund of SGD 5.00 for {order} succeeded.')})]",
              "the refund result")
    assert page._one(f"{row}//td[@class='status']", "the order status").text == "Partially refunded"

    submit(page, page._one(f"{row}//button[normalize-space(.)={xpath_literal(f'Refund in full {order}')}]",
                          "the full refund button"))
    page._one(f"//*[@role='status'][contains(., {xpath_literal(f'Refund of SGD 12.40 for {order} succeeded.')})]",
              "the second refund result")
    assert page._one(f"{row}//td[@class='status']", "the order status").text == "Refunded"
    assert not page.all(f"{row}//button"), "nothing left to refund"

    def both_notified():
        browser.get(demo.shop_url + "/orders")
        return browser.page_source.count("refunded (notification received)") >= 2 and order in browser.page_source
    wait_until(both_notified, WAIT, interval=0.5, what="both notifyRefund notifications")
    browser.get(f"{demo.shop_url}/orders/{order}")
    page.heading("Order refunded")
