"""The payment-method families in headless Chromium through the real binary (issue #18, point 4).

One journey per family — online banking, bank transfer to a virtual account, cash at a store, pay
later — through the hosted page and the family's sandbox page, driven only by visible names. Every
outcome is checked on the buyer's page, in the notification (its signature checked by the official
Python SDK's webhook tool and its body parsed by the SDK's notification class) and through
inquiryPayment.
"""

from __future__ import annotations

import urllib.parse

from com.alipay.ams.api.model.result_status_type import ResultStatusType
from com.alipay.ams.api.request.notify.alipay_pay_result_notify import AlipayPayResultNotify
from com.alipay.ams.api.tools import webhook_tool

from cashier_helpers import ApiClient, Page, iso_in, session_body, unique_id

import pytest


@pytest.fixture
def api(http_gateway, shop):
    return ApiClient(http_gateway.base_url, shop)


class Session:
    """One createPaymentSession in a family's currency."""

    def __init__(self, api: ApiClient, site, currency: str, minor: int, extra: dict | None = None, **kwargs):
        self.api, self.site, self.currency, self.minor = api, site, currency, minor
        self.rid = unique_id("FAM")
        self.notify_url = site.notify_url(self.rid)
        body = session_body(self.rid, redirect_url=site.return_url(self.rid), notify_url=self.notify_url,
                            currency=currency, unit_minor=minor, quantity=1, **kwargs)
        body.update(extra or {})
        rsp = api.call("createPaymentSession", body)
        assert rsp.result.get("resultStatus") == "S", rsp.text
        self.normal_url = rsp.body["normalUrl"]

    def inquiry(self) -> dict:
        rsp = self.api.call("inquiryPayment", {"paymentRequestId": self.rid})
        assert rsp.result.get("resultStatus") == "S", rsp.text
        return rsp.body

    def notified(self, status: str, code: str, method: str) -> dict:
        """The notification, as the merchant's SDK sees it."""
        n = self.site.wait_for_notification(self.rid, timeout=20)
        path = urllib.parse.urlsplit(self.notify_url).path
        assert webhook_tool.check_signature("POST", path, n.headers["client-id"], n.headers["request-time"],
                                            n.body_text, n.headers["signature"],
                                            self.api.merchant.gateway_public_key) is True
        notify = AlipayPayResultNotify(n.body_text)
        assert notify.notify_type == "PAYMENT_RESULT"
        assert notify.result.result_status == ResultStatusType[status], n.body_text
        assert notify.result.result_code == code, n.body_text
        assert notify.payment_request_id == self.rid
        body = n.json
        assert body["paymentMethodType"] == method, body
        assert body["paymentAmount"] == {"currency": self.currency, "value": str(self.minor)}, body
        return body


def pay_label(amount: str) -> str:
    """The Pay button for an amount as en_US writes it (CLDR: "MYR 50.00", "¥1,000")."""
    return f"Pay {amount}"


def open_and_choose(browser, s: Session, method: str, label: str) -> Page:
    page = Page(browser)
    browser.get(s.normal_url)
    page.choose_method(method)
    page.submit(page.button(label))
    page.heading(f"Pay with {method}")
    assert not page.all("//*[local-name()='svg']"), "only wallets show a QR code"
    return page


def test_online_banking_picks_a_bank_that_approves(browser, api, merchant_site):
    s = Session(api, merchant_site, "MYR", 5000)
    page = open_and_choose(browser, s, "FPX online banking", pay_label("MYR 50.00"))
    page.heading("Choose your bank")
    page.submit(page.link("Maybank2u"))
    page.heading("Sandbox bank")
    assert "Maybank2u" in browser.page_source
    assert not page.all("//button[normalize-space(.)='Leave pending']")
    page.submit(page.button("Approve payment"))
    page.submit(page.link("Back to the checkout"))
    page.heading("Payment successful", timeout=15)
    s.notified("S", "SUCCESS", "ONLINEBANKING_FPX")
    body = s.inquiry()
    assert (body["paymentStatus"], body["paymentMethodType"]) == ("SUCCESS", "ONLINEBANKING_FPX"), body


def test_a_virtual_account_is_paid_from_the_bank_while_the_page_waits(browsers, api, merchant_site):
    buyer = browsers()
    s = Session(api, merchant_site, "IDR", 15000000)
    page = open_and_choose(buyer, s, "BNI Virtual Account", pay_label("IDR 150,000"))
    account = page._one("//dd[@data-account]", "the virtual account number").text
    assert account.startswith("8808 ") and len(account.replace(" ", "")) == 16, account
    page.link("Check payment status")
    assert s.inquiry()["paymentStatus"] == "PROCESSING"

    # The buyer pays from the bank (another device); the checkout, still open, notices.
    bank_url = page.link("Open the sandbox bank").get_attribute("href")
    bank = browsers()
    bank.get(bank_url)
    bank_page = Page(bank)
    bank_page.heading("Sandbox bank")
    assert account in bank.page_source
    assert not bank_page.all("//button[normalize-space(.)='Decline payment']"), "a transfer is made or not"
    bank_page.submit(bank_page.button("Transfer IDR 150,000"))
    page.heading("Payment successful", timeout=15)
    s.notified("S", "SUCCESS", "BANKTRANSFER_BNI")
    assert s.inquiry()["paymentStatus"] == "SUCCESS"


def test_an_unpaid_store_code_closes_when_the_session_expires(browser, api, merchant_site):
    s = Session(api, merchant_site, "JPY", 1000, expiry=iso_in(8))
    page = open_and_choose(browser, s, "Konbini", pay_label("¥1,000"))
    code = page._one("//dd[@data-code]", "the payment code").text
    assert len(code.replace(" ", "")) == 12, code
    page.link("Open the sandbox store")
    # Nobody pays: the page follows the session's close.
    page.heading("This checkout has expired", timeout=25)
    s.notified("F", "ORDER_IS_CLOSED", "KONBINI")
    body = s.inquiry()
    assert (body["paymentStatus"], body["paymentResultCode"]) == ("FAIL", "ORDER_IS_CLOSED"), body


def test_pay_later_approves_an_instalment_plan(browser, api, merchant_site):
    s = Session(api, merchant_site, "PHP", 500000)
    page = open_and_choose(browser, s, "Akulaku PayLater", pay_label("₱5,000.00"))
    page.submit(page.link("Continue to Akulaku PayLater"))
    page.heading("Sandbox pay later")
    page._one("//fieldset[legend[normalize-space(.)='Instalment plan']]"
              "//label[normalize-space(.)='6 monthly instalments']", "the 6-month plan").click()
    page.submit(page.button("Approve payment"))
    assert "6 monthly instalments" in browser.page_source
    page.submit(page.link("Back to the checkout"))
    page.heading("Payment successful", timeout=15)
    s.notified("S", "SUCCESS", "AKULAKU_PAYLATER_PH")
    assert s.inquiry()["paymentMethodType"] == "AKULAKU_PAYLATER_PH"


def test_apple_pay_is_an_express_button_that_pays_on_a_sandbox_sheet(browser, api, merchant_site):
    s = Session(api, merchant_site, "SGD", 6000, extra={"availablePaymentMethod": {"paymentMethodTypeList": [
        {"paymentMethodType": "APPLEPAY", "paymentMethodOrder": 1},
        {"paymentMethodType": "CARD", "paymentMethodOrder": 2},
    ]}})
    page = Page(browser)
    browser.get(s.normal_url)
    group = page._one("//*[@role='group'][@aria-label='Express checkout']", "the express checkout group")
    assert "no wallet is loaded" in group.text, "the page says the sheet is a sandbox"
    assert "Apple Pay" not in page.method_names(), "an express method is not also in the list"
    # The card fields are empty and required: the express button skips their checks.
    page.submit(page.button("Apple Pay"))
    page.heading("Sandbox payment sheet")
    page.button("Cancel")
    page.submit(page.button("Pay with Apple Pay"))
    page.heading("Payment successful", timeout=15)
    s.notified("S", "SUCCESS", "APPLEPAY")
    assert s.inquiry()["paymentMethodType"] == "APPLEPAY"
