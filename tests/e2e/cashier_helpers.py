"""Helpers for Cashier's out-of-process end-to-end tests.

The tests treat Cashier as a black box: they start the real `cashier` binary
(path from `CASHIER_BIN`), create merchants with `cashier merchant create`,
call the API with requests signed exactly as docs/protocol.md §2.2-2.3 describes,
receive notifications on a real HTTP server, and drive the hosted page in a
real browser through the accessible names of the page contract (docs/protocol.md §9.4).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional

import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

REPO_ROOT = Path(__file__).resolve().parents[2]
ACK_BODY = b'{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}'


def cashier_bin() -> Path:
    """The binary under test: $CASHIER_BIN, default target/debug/cashier."""
    path = Path(os.environ.get("CASHIER_BIN", REPO_ROOT / "target" / "debug" / "cashier"))
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.is_file():
        raise RuntimeError(
            f"cashier binary not found at {path}; run `cargo build -p cashier` or set CASHIER_BIN"
        )
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unique_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


def wait_until(predicate: Callable[[], object], timeout: float, interval: float = 0.1, what: str = "condition"):
    """Polls `predicate` until it returns something truthy; returns that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {what}")
        time.sleep(interval)


def iso_in(seconds: float, tz_hours: int = 8) -> str:
    """ISO-8601 with an explicit offset (the protocol's Datetime), `seconds` from now."""
    tz = timezone(timedelta(hours=tz_hours))
    return (datetime.now(tz) + timedelta(seconds=seconds)).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------
# The store behind each server: SQLite (default) or PostgreSQL
# --------------------------------------------------------------------------

# CASHIER_E2E_STORE=postgres runs every gateway these tests start on its own fresh PostgreSQL
# database (on the server of CASHIER_TEST_POSTGRES_URL), so the same suites cover both backends
# (issue #4). A database belongs to one data dir: its gateway-key fingerprint is recorded on first
# start, and a second data dir with another key is refused by design.
_DATABASES: dict[Path, str] = {}


def e2e_store() -> str:
    store = os.environ.get("CASHIER_E2E_STORE", "sqlite")
    if store not in ("sqlite", "postgres"):
        raise RuntimeError(f"CASHIER_E2E_STORE must be sqlite or postgres, not {store!r}")
    return store


def database_url_for(data_dir: Path) -> Optional[str]:
    """The PostgreSQL URL of the gateway using `data_dir`, creating its database on first use."""
    if e2e_store() != "postgres":
        return None
    data_dir = Path(data_dir).resolve()
    if data_dir not in _DATABASES:
        admin = os.environ.get("CASHIER_TEST_POSTGRES_URL")
        if not admin:
            raise RuntimeError("CASHIER_E2E_STORE=postgres needs CASHIER_TEST_POSTGRES_URL "
                               "(e.g. postgres://postgres@127.0.0.1:5432/test)")
        name = f"cashier_e2e_{uuid.uuid4().hex[:16]}"
        subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-q", "-c", f"CREATE DATABASE {name}"],
                       check=True, capture_output=True, text=True, timeout=60)
        parts = urllib.parse.urlsplit(admin)
        _DATABASES[data_dir] = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    return _DATABASES[data_dir]


def store_args(data_dir: Path) -> list[str]:
    """The `--database-url` arguments for a command on `data_dir` (none for SQLite)."""
    url = database_url_for(data_dir)
    return ["--database-url", url] if url else []


def drop_databases():
    """Drops the databases made for this test run (call after every server stopped)."""
    admin = os.environ.get("CASHIER_TEST_POSTGRES_URL")
    for url in list(_DATABASES.values()):
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        if admin:
            subprocess.run(["psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                           capture_output=True, text=True, timeout=60)
    _DATABASES.clear()


# --------------------------------------------------------------------------
# The cashier binary
# --------------------------------------------------------------------------


@dataclass
class Merchant:
    client_id: str
    name: str
    gateway_public_key: str  # base64 SPKI DER
    private_key_pkcs8: str  # base64 PKCS#8 DER (Java, Go, .NET)
    private_key_pkcs1: str  # base64 PKCS#1 DER (Python, PHP)
    key_version: int


def create_merchant(data_dir: Path, name: str, notify_url: Optional[str] = None,
                    fee_bps: Optional[int] = None) -> Merchant:
    """`cashier merchant create --generate-key --json` (README.md, "Running the gateway"); `fee_bps` sets `--fee-bps`."""
    cmd = [str(cashier_bin()), "merchant", "create", "--data-dir", str(data_dir), *store_args(data_dir),
           "--name", name, "--generate-key", "--json"]
    if notify_url:
        cmd += ["--notify-url", notify_url]
    if fee_bps is not None:
        cmd += ["--fee-bps", str(fee_bps)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60)
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1, f"`merchant create --json` must print one JSON line, got: {out.stdout!r}"
    data = json.loads(lines[0])
    return Merchant(
        client_id=data["clientId"],
        name=name,
        gateway_public_key=data["gatewayPublicKey"],
        private_key_pkcs8=data["merchantPrivateKey"],
        private_key_pkcs1=data["merchantPrivateKeyPkcs1"],
        key_version=int(data["keyVersion"]),
    )


class CashierServer:
    """One `cashier serve` process on loopback, with its own data dir and log file."""

    running: list["CashierServer"] = []  # for attaching logs to failed test reports

    def __init__(self, data_dir: Path, port: Optional[int] = None, *, tls: Optional[tuple[Path, Path]] = None,
                 public_url: Optional[str] = None, extra_args: tuple[str, ...] = (),
                 ca_bundle: Optional[Path] = None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.tls = tls
        scheme = "https" if tls else "http"
        self.base_url = f"{scheme}://127.0.0.1:{self.port}"
        self.public_url = public_url or self.base_url
        self.extra_args = tuple(extra_args)
        self.ca_bundle = ca_bundle
        self.log_path = self.data_dir.parent / f"cashier-{self.port}.log"
        self.proc: Optional[subprocess.Popen] = None

    @property
    def verify(self):
        return str(self.ca_bundle) if self.ca_bundle else True

    def start(self, ready_timeout: float = 30.0) -> "CashierServer":
        cmd = [str(cashier_bin()), "serve", "--data-dir", str(self.data_dir), *store_args(self.data_dir),
               "--listen", f"127.0.0.1:{self.port}", "--public-url", self.public_url,
               "--allow-private-notify", "--sandbox-simulation", *self.extra_args]
        if self.tls:
            cmd += ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])]
        self._log = open(self.log_path, "ab")  # a restart keeps the earlier runs' lines
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "info")
        env.setdefault("NO_COLOR", "1")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=env)
        CashierServer.running.append(self)
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"cashier serve exited with {self.proc.returncode}: {' '.join(cmd)}\n{self.log_tail()}")
            try:
                r = requests.get(self.base_url + "/readyz", timeout=2, verify=self.verify)
                if r.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"cashier serve not ready after {ready_timeout}s\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        """The server log for a failure message: a panic with its message, else the last lines."""
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        for i, line in enumerate(text):
            if "panicked at" in line:
                return "\n".join(text[max(0, i - 3):i + 8])
        return "\n".join(text[-lines:])

    def stop(self):
        if self in CashierServer.running:
            CashierServer.running.remove(self)
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()

    def restart(self, extra_args: Optional[tuple[str, ...]] = None) -> "CashierServer":
        """Stops the process and starts it again on the same data dir, database, port and TLS files;
        with `extra_args` in place of the current ones when given."""
        self.stop()
        if extra_args is not None:
            self.extra_args = tuple(extra_args)
        return self.start()

    def simulate_pay(self, client_id: str, payment_request_id: str, outcome: str = "SUCCESS", **extra) -> dict:
        """`POST /sandbox/simulate/pay` (docs/protocol.md §9.3)."""
        body = {"clientId": client_id, "paymentRequestId": payment_request_id, "outcome": outcome, **extra}
        r = requests.post(self.base_url + "/sandbox/simulate/pay", json=body, timeout=10, verify=self.verify)
        assert r.status_code == 200, f"simulate/pay answered {r.status_code}: {r.text}"
        return r.json()


# --------------------------------------------------------------------------
# Signing (docs/protocol.md §2.2, §2.3, §2.5, §2.7)
# --------------------------------------------------------------------------


def sign_content(method: str, path: str, client_id: str, time_str: str, body: str) -> str:
    return f"{method} {path}\n{client_id}.{time_str}.{body}"


def _private_key(pkcs8_b64: str):
    return serialization.load_der_private_key(base64.b64decode(pkcs8_b64), password=None)


def _public_key(spki_b64: str):
    return serialization.load_der_public_key(base64.b64decode(spki_b64))


def rsa256_sign(pkcs8_b64: str, content: str) -> str:
    """RSASSA-PKCS1-v1_5 / SHA-256, Base64, then URL-encoded (no raw `+`, `/`, `=`)."""
    raw = _private_key(pkcs8_b64).sign(content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return urllib.parse.quote_plus(base64.b64encode(raw).decode("ascii"))


def rsa256_verify(spki_b64: str, content: str, signature_header: str) -> bool:
    """Verifies a full `algorithm=RSA256,keyVersion=N,signature=...` header value."""
    parts = {}
    for item in signature_header.split(","):
        k, _, v = item.strip().partition("=")
        parts[k.strip().lower()] = v
    if parts.get("algorithm") != "RSA256" or "signature" not in parts:
        return False
    raw = base64.b64decode(urllib.parse.unquote(parts["signature"]))
    try:
        _public_key(spki_b64).verify(raw, content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        return True
    except InvalidSignature:
        return False


@dataclass
class ApiResponse:
    status: int
    headers: dict  # lower-case names
    raw_headers: list  # (name as sent, value)
    text: str
    body: dict

    @property
    def result(self) -> dict:
        return self.body.get("result") or {}


class ApiClient:
    """A merchant calling the Antom API with self-signed requests (Java-style ms Request-Time).

    Every response is checked against the protocol's transport rules: HTTP 200,
    a `result` object, lower-case signed headers, a valid gateway signature.
    """

    def __init__(self, base_url: str, merchant: Merchant, verify=True):
        self.base_url = base_url.rstrip("/")
        self.merchant = merchant
        self.verify = verify

    def path(self, api: str) -> str:
        env = "/ams/sandbox/api" if self.merchant.client_id.startswith("SANDBOX_") else "/ams/api"
        return f"{env}/v1/payments/{api}"

    def call(self, api: str, body: dict, *, key_version: Optional[str] = None) -> ApiResponse:
        """A payments API by name (`inquiryPayment`, ...)."""
        return self.call_path(self.path(api), body, key_version=key_version, api=api)

    def call_path(self, path: str, body: dict, *, key_version: Optional[str] = None,
                  api: Optional[str] = None) -> ApiResponse:
        """Any signed API by its path under /ams/api, e.g. `/ams/api/v1/testing/inquiryClock`
        (moved to /ams/sandbox/api for SANDBOX_ client ids, as the official SDKs do)."""
        if self.merchant.client_id.startswith("SANDBOX_") and path.startswith("/ams/api/"):
            path = "/ams/sandbox/api/" + path[len("/ams/api/"):]
        api = api or path
        text = json.dumps(body, separators=(",", ":"))
        req_time = str(int(time.time() * 1000))
        cid = self.merchant.client_id
        sig = rsa256_sign(self.merchant.private_key_pkcs8, sign_content("POST", path, cid, req_time, text))
        kv = key_version or str(self.merchant.key_version)
        headers = {
            "Content-Type": "application/json; charset=UTF-8",
            "client-id": cid,
            "Request-Time": req_time,
            "Signature": f"algorithm=RSA256,keyVersion={kv},signature={sig}",
        }
        r = requests.post(self.base_url + path, data=text.encode("utf-8"), headers=headers, timeout=15,
                          verify=self.verify)
        raw_headers = list(r.raw.headers.items())
        lower = {k.lower(): v for k, v in raw_headers}
        assert r.status_code == 200, f"{api}: every API outcome must be HTTP 200, got {r.status_code}: {r.text}"
        for name in ("client-id", "response-time", "signature"):
            assert any(k == name for k, _ in raw_headers), (
                f"{api}: response header {name!r} must be sent in lower case; got {[k for k, _ in raw_headers]}")
        content = sign_content("POST", path, lower["client-id"], lower["response-time"], r.text)
        assert rsa256_verify(self.merchant.gateway_public_key, content, lower["signature"]), (
            f"{api}: response signature does not verify with the gateway public key")
        body = json.loads(r.text)
        assert isinstance(body.get("result"), dict), f"{api}: response without result: {r.text}"
        return ApiResponse(r.status_code, lower, raw_headers, r.text, body)


def session_body(request_id: str, *, redirect_url: str, notify_url: Optional[str], currency: str = "SGD",
                 unit_minor: int = 3000, quantity: int = 2, expiry: Optional[str] = None,
                 order_minor: Optional[int] = None, payment_minor: Optional[int] = None,
                 description: str = "Two kopi and a kaya toast set", terminal_type: str = "WEB") -> dict:
    """A valid createPaymentSession body (docs/protocol.md §3.2, §5.5, §5.7); SGD 60.00 by default."""
    goods_total = unit_minor * quantity
    order_minor = goods_total if order_minor is None else order_minor
    payment_minor = order_minor if payment_minor is None else payment_minor
    body = {
        "productCode": "CASHIER_PAYMENT",
        "productScene": "CHECKOUT_PAYMENT",
        "paymentRequestId": request_id,
        "order": {
            "referenceOrderId": "ORDER_" + request_id,
            "orderDescription": description,
            "orderAmount": {"currency": currency, "value": str(order_minor)},
            "goods": [{
                "referenceGoodsId": "SKU-KOPI-1",
                "goodsName": "Kopi set",
                "goodsUnitAmount": {"currency": currency, "value": str(unit_minor)},
                "goodsQuantity": str(quantity),
            }],
            "buyer": {
                "referenceBuyerId": "buyer-" + request_id[-8:],
                "buyerName": {"firstName": "Ada", "lastName": "Lovelace", "fullName": "Ada Lovelace"},
                "buyerEmail": "ada@example.com",
            },
        },
        "paymentAmount": {"currency": currency, "value": str(payment_minor)},
        "settlementStrategy": {"settlementCurrency": currency},
        "paymentRedirectUrl": redirect_url,
        "env": {"terminalType": terminal_type},
    }
    if notify_url:
        body["paymentNotifyUrl"] = notify_url
    if expiry:
        body["paymentSessionExpiryTime"] = expiry
    return body


# --------------------------------------------------------------------------
# The merchant's web server: notification receiver + return page
# --------------------------------------------------------------------------


@dataclass
class Notification:
    path: str  # full request target (path + query)
    headers: dict  # lower-case names
    raw_headers: list
    body_bytes: bytes
    received_at: float
    acked: bool

    @property
    def body_text(self) -> str:
        return self.body_bytes.decode("utf-8")

    @property
    def json(self) -> dict:
        return json.loads(self.body_bytes)

    @property
    def url_path(self) -> str:
        return urllib.parse.urlsplit(self.path).path


class MerchantSite:
    """A loopback HTTP server standing in for the merchant.

    - `POST /notify/...` records the notification and acknowledges it with the
      protocol's body (docs/protocol.md §3.12), except for paths registered with
      `fail_first(path, n)`, which get HTTP 500 for their first n deliveries.
    - `GET` anything answers a small "back at the merchant" HTML page, so it
      can serve as `paymentRedirectUrl`; the visits are recorded.
    """

    def __init__(self):
        self.notifications: list[Notification] = []
        self.visits: list[str] = []
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path_only = urllib.parse.urlsplit(self.path).path
                with site._lock:
                    left = site._failures.get(path_only, 0)
                    ack = left <= 0
                    if not ack:
                        site._failures[path_only] = left - 1
                    site.notifications.append(Notification(
                        path=self.path,
                        headers={k.lower(): v for k, v in self.headers.items()},
                        raw_headers=list(self.headers.items()),
                        body_bytes=body,
                        received_at=time.time(),
                        acked=ack,
                    ))
                if ack:
                    payload, status = ACK_BODY, 200
                else:
                    payload, status = b'{"error":"try again later"}', 500
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                with site._lock:
                    site.visits.append(self.path)
                page = (b"<!doctype html><html><head><title>Merchant</title></head>"
                        b"<body><h1>Back at the merchant</h1></body></html>")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="merchant-site", daemon=True)

    def start(self) -> "MerchantSite":
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def notify_url(self, key: str) -> str:
        return f"{self.base_url}/notify/{key}"

    def return_url(self, key: str) -> str:
        # A query string on purpose: the redirect must use the URL exactly as supplied.
        return f"{self.base_url}/return/{key}?order={key}&from=cashier"

    def fail_first(self, notify_url: str, n: int):
        with self._lock:
            self._failures[urllib.parse.urlsplit(notify_url).path] = n

    def received(self, payment_request_id: str) -> list[Notification]:
        with self._lock:
            items = list(self.notifications)
        out = []
        for n in items:
            try:
                if n.json.get("paymentRequestId") == payment_request_id:
                    out.append(n)
            except ValueError:
                continue
        return out

    def received_on(self, notify_url: str) -> list[Notification]:
        """Every delivery to one notify URL (by path), oldest first."""
        path = urllib.parse.urlsplit(notify_url).path
        with self._lock:
            return [n for n in self.notifications if n.url_path == path]

    def wait_for_notification(self, payment_request_id: str, timeout: float = 15.0,
                              acked: bool = True) -> Notification:
        def found():
            for n in self.received(payment_request_id):
                if n.acked or not acked:
                    return n
            return None
        return wait_until(found, timeout, what=f"a notification for {payment_request_id}")


# --------------------------------------------------------------------------
# Browser helpers (page contract, docs/protocol.md §9.4): exact accessible names via XPath
# --------------------------------------------------------------------------


def xpath_literal(s: str) -> str:
    if "'" not in s:
        return f"'{s}'"
    if '"' not in s:
        return f'"{s}"'
    return "concat(" + ", \"'\", ".join(f"'{p}'" for p in s.split("'")) + ")"


def heading_xpath(text: str) -> str:
    return f"//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][normalize-space(.)={xpath_literal(text)}]"


def button_xpath(text: str) -> str:
    lit = xpath_literal(text)
    return f"//button[normalize-space(.)={lit}] | //input[(@type='submit' or @type='button') and @value={lit}]"


def link_xpath(text: str) -> str:
    return f"//a[normalize-space(.)={xpath_literal(text)}]"


def label_xpath(text: str) -> str:
    return f"//label[normalize-space(.)={xpath_literal(text)}]"


def control_for_label_xpath(text: str) -> str:
    """The form control a <label> with exactly `text` names (by `for`, or nested)."""
    lab = label_xpath(text)
    return f"//*[@id=({lab}/@for)] | {lab}//input | {lab}//select | {lab}//textarea"


def method_label_xpath(text: str) -> str:
    return (f"//fieldset[legend[normalize-space(.)='Payment method']]"
            f"//label[normalize-space(.)={xpath_literal(text)}]")


class Page:
    """Thin Selenium wrapper that finds elements only by the contract's accessible names."""

    def __init__(self, driver, timeout: float = 10.0):
        from selenium.webdriver.support.ui import WebDriverWait  # imported lazily: SDK tests need no selenium
        self.driver = driver
        self.timeout = timeout
        self._wait_cls = WebDriverWait

    def wait(self, timeout: Optional[float] = None):
        return self._wait_cls(self.driver, timeout or self.timeout, poll_frequency=0.1)

    def _one(self, xpath: str, what: str, timeout: Optional[float] = None):
        from selenium.common.exceptions import TimeoutException, WebDriverException
        from selenium.webdriver.common.by import By

        def find(d):
            try:
                els = [e for e in d.find_elements(By.XPATH, xpath) if e.is_displayed()]
            except WebDriverException:
                # The page navigated under us (a stale element, or Chromium's
                # "node does not belong to the document"): look again.
                return False
            return els[0] if els else False
        try:
            return self.wait(timeout).until(find)
        except TimeoutException:
            raise AssertionError(
                f"{what} not found on {self.driver.current_url} (title {self.driver.title!r}); "
                f"visible headings: {self.headings()}") from None

    def all(self, xpath: str):
        import time

        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.by import By
        for _ in range(20):
            try:
                return [e for e in self.driver.find_elements(By.XPATH, xpath) if e.is_displayed()]
            except WebDriverException:  # the document changed while reading it: read it again
                time.sleep(0.1)
        return [e for e in self.driver.find_elements(By.XPATH, xpath) if e.is_displayed()]

    def submit(self, element, timeout: float = 15.0):
        """Clicks a button or link that navigates, and waits until the old page is gone."""
        element.click()
        self.wait_gone(element, timeout)

    def wait_gone(self, element, timeout: float = 15.0):
        """Waits until `element` no longer belongs to the page in the browser.

        It is gone once asking about it fails. Chromedriver usually says so with
        StaleElementReferenceException, but when the question races the navigation it can answer
        with a generic error ("Node with given id does not belong to the document"); both mean
        the same thing here, so both count as gone.
        """
        from selenium.common.exceptions import WebDriverException

        def gone(_driver):
            try:
                element.is_enabled()
            except WebDriverException:
                return True
            return False
        self.wait(timeout).until(gone)

    def headings(self) -> list[str]:
        from selenium.webdriver.common.by import By
        try:
            return [e.text for e in self.driver.find_elements(By.XPATH, "//h1|//h2|//h3|//h4|//h5|//h6")]
        except Exception:
            return []

    def heading(self, text: str, timeout: Optional[float] = None):
        return self._one(heading_xpath(text), f"heading {text!r}", timeout)

    def button(self, text: str, timeout: Optional[float] = None):
        return self._one(button_xpath(text), f"button {text!r}", timeout)

    def link(self, text: str, timeout: Optional[float] = None):
        return self._one(link_xpath(text), f"link {text!r}", timeout)

    def field(self, label: str):
        return self._one(control_for_label_xpath(label), f"field labelled {label!r}")

    def fill(self, label: str, value: str):
        el = self.field(label)
        el.clear()
        el.send_keys(value)

    def choose_method(self, name: str):
        from selenium.webdriver.common.by import By
        label = self._one(method_label_xpath(name), f"payment method {name!r} in the 'Payment method' fieldset")
        label.click()
        radio = self.driver.find_element(By.XPATH, control_for_label_xpath(name))
        assert radio.get_attribute("type") == "radio", f"{name!r} must label a radio button"
        assert radio.is_selected(), f"clicking {name!r} must select its radio"

    def method_names(self) -> list[str]:
        return [e.text.strip() for e in
                self.all("//fieldset[legend[normalize-space(.)='Payment method']]//label")]

    def pay_card(self, number: str, expiry: str = "12/34", cvc: str = "123", name: str = "Ada Lovelace",
                 pay_label: str = "Pay SGD 60.00"):
        self.choose_method("Card")
        self.fill("Card number", number)
        self.fill("Expiry date", expiry)
        self.fill("Security code", cvc)
        self.fill("Name on card", name)
        self.submit(self.button(pay_label))

    def wait_for_url(self, url: str, timeout: float = 10.0):
        try:
            self.wait(timeout).until(lambda d: d.current_url == url)
        except Exception:
            raise AssertionError(
                f"browser did not reach {url} within {timeout}s; it is at {self.driver.current_url}") from None


def make_chrome(profile_dir: Path):
    """Headless Debian chromium through /usr/bin/chromedriver with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1280,1000", f"--user-data-dir={profile_dir}"):
        opts.add_argument(flag)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(30)
    return driver


# --------------------------------------------------------------------------
# `cashier demo`: the gateway and the demo shop in one process
# --------------------------------------------------------------------------


class DemoProcess:
    """`cashier demo` on random loopback ports, with the URLs it prints.

    Both ports are chosen by the OS (`127.0.0.1:0`); the shop URL, gateway URL and
    demo client id are read from what the command prints, as a user would.
    """

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir.parent / "cashier-demo.log"
        self.stdout_lines: list[str] = []
        self.proc: Optional[subprocess.Popen] = None
        self.shop_url = self.gateway_url = self.client_id = ""

    def start(self, ready_timeout: float = 60.0) -> "DemoProcess":
        import re

        cmd = [str(cashier_bin()), "demo", "--listen", "127.0.0.1:0", "--shop-listen", "127.0.0.1:0",
               "--data-dir", str(self.data_dir)]
        self._log = open(self.log_path, "wb")
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "info")
        env.setdefault("NO_COLOR", "1")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._log, env=env, text=True)

        def pump():
            for line in self.proc.stdout:
                self.stdout_lines.append(line.rstrip("\n"))
        threading.Thread(target=pump, name="cashier-demo-stdout", daemon=True).start()

        def printed():
            text = "\n".join(self.stdout_lines)
            shop = re.search(r"Demo shop:\s+(http://\S+?)/?$", text, re.M)
            gateway = re.search(r"Gateway:\s+(http://\S+)\s+\(client id (\S+)\)", text)
            if self.proc.poll() is not None:
                raise RuntimeError(f"cashier demo exited with {self.proc.returncode}:\n{text}\n{self.log_tail()}")
            return (shop, gateway) if shop and gateway and "4242 4242 4242 4242" in text else None
        shop, gateway = wait_until(printed, ready_timeout, what="`cashier demo` to print its URLs")
        self.shop_url = shop.group(1).rstrip("/")
        self.gateway_url, self.client_id = gateway.group(1), gateway.group(2)
        wait_until(lambda: requests.get(self.gateway_url + "/readyz", timeout=2).status_code == 200,
                   ready_timeout, what="the demo gateway's /readyz")
        return self

    @property
    def output(self) -> str:
        return "\n".join(self.stdout_lines)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def simulate_pay(self, payment_request_id: str, outcome: str = "SUCCESS") -> dict:
        body = {"clientId": self.client_id, "paymentRequestId": payment_request_id, "outcome": outcome}
        r = requests.post(self.gateway_url + "/sandbox/simulate/pay", json=body, timeout=10)
        assert r.status_code == 200, f"simulate/pay answered {r.status_code}: {r.text}"
        return r.json()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()
# Dashboard (issue #5): users, axe-core, narrow screens
# --------------------------------------------------------------------------

AXE_JS = REPO_ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def create_dashboard_user(data_dir: Path, email: str, password: str, *, client_id: Optional[str] = None,
                          admin: bool = False) -> None:
    """`cashier user create ... --password-stdin`."""
    cmd = [str(cashier_bin()), "user", "create", "--data-dir", str(data_dir), "--email", email,
           "--password-stdin"]
    cmd += ["--admin"] if admin else ["--client-id", client_id]
    subprocess.run(cmd, check=True, input=password + "\n", capture_output=True, text=True, timeout=60)


def axe_violations(driver, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Runs axe-core (npm, tests/e2e/axe) in the current page; the violations of the given impacts."""
    if not AXE_JS.is_file():
        raise RuntimeError(f"{AXE_JS} missing: run `npm ci` in tests/e2e/axe")
    driver.set_script_timeout(60)
    driver.execute_script(AXE_JS.read_text())
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({"
        "  id: v.id, impact: v.impact, help: v.help,"
        "  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))),"
        "  e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
    return [v for v in found if v.get("impact") in impacts]


def horizontal_overflow(driver) -> int:
    """How many CSS pixels the page is wider than the viewport (0 = fits)."""
    return driver.execute_script(
        "return Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth);")
