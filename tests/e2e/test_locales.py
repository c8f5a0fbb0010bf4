"""The hosted page in every locale (issue #17), in headless Chromium through the real binary.

For each of the 14 locales a checkout is opened with the session's `locale`, at 1280 px and
at 320 px: `<html lang>`, the page title and the Pay button are that locale's (read from its
Fluent catalogue, crates/pages/locales/<code>.ftl), the amount is written the CLDR way for
SGD, JPY, IDR, THB, KRW and EUR (the strings below), nothing is wider than the viewport or
clips its text, and axe-core reports no serious or critical issue. Then the language list:
the buyer switches language on the page, and the choice stays for the rest of that checkout.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cashier_helpers import (
    ApiClient,
    Page,
    axe_violations,
    horizontal_overflow,
    session_body,
    unique_id,
    wait_until,
)

LOCALES_DIR = Path(__file__).resolve().parents[2] / "crates" / "pages" / "locales"

# (currency, unit minor units, quantity): SGD 60.00, JPY 1000, IDR 150000.00, THB 100.00,
# KRW 15000, EUR 1234.56.
AMOUNTS = [("SGD", 3000, 2), ("JPY", 500, 2), ("IDR", 7_500_000, 2), ("THB", 5000, 2),
           ("KRW", 7500, 2), ("EUR", 123456, 1)]

NNBSP = "\u202f"  # French groups thousands with a narrow no-break space (CLDR)

# The amounts above as CLDR writes them in each locale (ICU4X), in AMOUNTS order.
EXPECTED = {
    "en_US": ["SGD 60.00", "¥1,000", "IDR 150,000", "THB 100.00", "₩15,000", "€1,234.56"],
    "zh_CN": ["SGD 60.00", "JP¥1,000", "IDR 150,000", "THB 100.00", "₩15,000", "€1,234.56"],
    "zh_HK": ["SGD 60.00", "¥1,000", "IDR 150,000", "THB 100.00", "₩15,000", "€1,234.56"],
    "zh_TW": ["SGD 60.00", "¥1,000", "IDR 150,000", "THB 100.00", "￦15,000", "€1,234.56"],
    "ja_JP": ["SGD 60.00", "￥1,000", "IDR 150,000", "THB 100.00", "₩15,000", "€1,234.56"],
    "ko_KR": ["SGD 60.00", "JP¥1,000", "IDR 150,000", "THB 100.00", "₩15,000", "€1,234.56"],
    "th_TH": ["SGD 60.00", "¥1,000", "IDR 150,000", "฿100.00", "₩15,000", "€1,234.56"],
    "id_ID": ["SGD 60,00", "JP¥1.000", "Rp 150.000", "฿100,00", "₩15.000", "€1.234,56"],
    "ms_MY": ["SGD 60.00", "JP¥1,000", "IDR 150,000", "THB 100.00", "₩15,000", "€1,234.56"],
    "vi_VN": ["60,00 SGD", "1.000 ¥", "150.000 IDR", "100,00 ฿", "15.000 ₩", "1.234,56 €"],
    "es_ES": ["60,00 SGD", "1000 JP¥", "150.000 IDR", "100,00 ฿", "15.000 ₩", "1234,56 €"],
    "pt_BR": ["SGD 60,00", "JP¥ 1.000", "IDR 150.000", "฿ 100,00", "₩ 15.000", "€ 1.234,56"],
    "fr_FR": ["60,00 $SG", f"1{NNBSP}000 JP¥", f"150{NNBSP}000 IDR", "100,00 THB", f"15{NNBSP}000 ₩",
              f"1{NNBSP}234,56 €"],
    "de_DE": ["60,00 SGD", "1.000 ¥", "150.000 IDR", "100,00 ฿", "15.000 ₩", "1.234,56 €"],
}

BRAND = "Kaya & Toast Co."


def catalogue(code: str) -> dict[str, str]:
    """The single-line messages of a Fluent catalogue (`key = value`)."""
    out = {}
    for line in (LOCALES_DIR / f"{code}.ftl").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([a-z_0-9]+) = (.+)$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def tag(code: str) -> str:
    return code.replace("_", "-")


@pytest.fixture
def api(http_gateway, shop):
    return ApiClient(http_gateway.base_url, shop)


def create(api: ApiClient, site, currency: str, unit: int, qty: int, locale: str | None) -> str:
    rid = unique_id("LOC")
    body = session_body(rid, redirect_url=site.return_url(rid), notify_url=None,
                        currency=currency, unit_minor=unit, quantity=qty)
    if locale:
        body["locale"] = locale
    rsp = api.call("createPaymentSession", body)
    assert rsp.result.get("resultStatus") == "S", rsp.text
    return rsp.body["normalUrl"]


def text_of(el) -> str:
    """The element's text as the page has it (Selenium's `.text` folds some spaces)."""
    return " ".join(el.get_attribute("textContent").split(" ")).strip()


# Elements whose box passes the viewport's right edge, and buttons or links that clip text.
OVERFLOW_JS = """
const w = document.documentElement.clientWidth, out = [];
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) continue;
  if (r.right > w + 1 || r.left < -1) out.push(e.tagName + ' ' + (e.className || '') + ' right=' + r.right);
  if ((e.tagName === 'BUTTON' || e.classList.contains('btn')) && e.scrollWidth > e.clientWidth + 1)
    out.push('clipped ' + e.tagName + ': ' + e.textContent.trim());
}
return out;
"""


def check_layout(driver, what: str) -> list[str]:
    problems = []
    extra = horizontal_overflow(driver)
    if extra:
        problems.append(f"{what}: {extra}px wider than the viewport")
    problems += [f"{what}: {p}" for p in driver.execute_script(OVERFLOW_JS)]
    for v in axe_violations(driver):
        problems.append(f"{what}: axe {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}")
    return problems


def set_width(driver, width: int):
    driver.set_window_size(width, 900)
    wait_until(lambda: driver.execute_script("return window.innerWidth") <= width or None,
               timeout=10, what=f"a {width} px viewport")


@pytest.mark.parametrize("code", list(EXPECTED))
def test_every_locale_writes_its_page_and_amounts(code, api, merchant_site, browser):
    t = catalogue(code)
    problems = []
    for (currency, unit, qty), amount in zip(AMOUNTS, EXPECTED[code]):
        browser.get(create(api, merchant_site, currency, unit, qty, code))
        page = Page(browser)
        pay = t["pay"].replace("{ $amount }", amount)
        button = page._one("//button[@data-pay]", "the Pay button")
        assert text_of(button) == pay, (currency, text_of(button), pay)
        if currency != "SGD":
            continue
        assert browser.find_element("xpath", "/html").get_attribute("lang") == tag(code)
        assert browser.find_element("xpath", "/html").get_attribute("dir") == "ltr"
        assert browser.title == f"{t['checkout_title']} – {BRAND}", browser.title
        card = browser.find_element("xpath", "//label[input[@value='CARD']]")
        assert text_of(card) == t["method_card"], text_of(card)
        # The language list names every language in itself and marks this one.
        current = browser.find_element("css selector", "footer.langs a[aria-current]")
        assert current.get_attribute("lang") == tag(code)
        assert len(browser.find_elements("css selector", "footer.langs a")) == len(EXPECTED)
        for width in (1280, 320):
            set_width(browser, width)
            problems += check_layout(browser, f"{code} at {width}px")
    assert not problems, "\n".join(problems)


def test_the_language_list_switches_and_keeps_the_choice_for_the_checkout(api, merchant_site, browser):
    set_width(browser, 1280)
    url = create(api, merchant_site, "SGD", 3000, 2, None)
    browser.get(url)
    page = Page(browser)
    assert browser.find_element("xpath", "/html").get_attribute("lang") == "en-US"
    # Without JavaScript needed: a plain link.
    page._one("//footer//a[@lang='ja-JP']", "the 日本語 link").click()
    wait_until(lambda: browser.find_element("xpath", "/html").get_attribute("lang") == "ja-JP" or None,
               timeout=10, what="the page in Japanese")
    ja = catalogue("ja_JP")
    button = page._one(f"//button[normalize-space(.)='{ja['pay'].replace('{ $amount }', 'SGD 60.00')}']",
                       "the Japanese Pay button")
    # A refused card form answers in Japanese too, without ?locale= on its address.
    page._one("//input[@value='CARD']", "the card method").click()
    for name, value in (("card_number", "4242 4242 4242 4241"), ("card_expiry", "12/34"),
                        ("card_cvc", "123"), ("card_name", "Ada Lovelace")):
        field = browser.find_element("name", name)
        field.clear()
        field.send_keys(value)
    browser.execute_script("arguments[0].form.noValidate = true; arguments[0].form.submit();", button)
    wait_until(lambda: ja["msg_card_number_invalid"] in browser.page_source or None,
               timeout=10, what="the card error in Japanese")
    assert browser.find_element("xpath", "/html").get_attribute("lang") == "ja-JP"
    assert "locale=" not in browser.current_url
    # Another checkout in the same browser is not affected.
    browser.get(create(api, merchant_site, "SGD", 3000, 2, None))
    wait_until(lambda: browser.find_element("xpath", "/html").get_attribute("lang") == "en-US" or None,
               timeout=10, what="a new checkout in English")
