"""Fixtures shared by the end-to-end tests: gateways, merchants, the merchant's site, browsers."""

from __future__ import annotations

import errno
import os
import socket
import tempfile

import pytest

from cashier_helpers import CashierServer, MerchantSite, create_merchant, drop_databases, e2e_store, make_chrome


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report carries the end of every running gateway's log."""
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and call.when in ("call", "setup"):
        for server in CashierServer.running:
            rep.sections.append((f"cashier log ({server.base_url}, {server.log_path})", server.log_tail(30)))

def pytest_report_header(config):
    return f"cashier store: {e2e_store()} (CASHIER_E2E_STORE)"


def pytest_sessionfinish(session, exitstatus):
    """Every server is stopped by its fixture before this; drop the PostgreSQL databases made."""
    for server in list(CashierServer.running):
        server.stop()
    drop_databases()


# Browser-flow settings (the brief of the e2e suite): async card settles after 2 s,
# notifications retried every second.
BROWSER_SERVE_ARGS = ("--sandbox-async-delay", "2s", "--notify-retry-schedule", "1s,1s,1s")


@pytest.fixture(scope="session")
def merchant_site():
    site = MerchantSite().start()
    yield site
    site.stop()


# ---- HTTPS gateway on port 443 for the official Python SDK -------------------------------


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """A throw-away CA and a certificate for `localhost` and 127.0.0.1."""
    import trustme

    d = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    ca_path, cert_path, key_path = d / "ca.pem", d / "server-chain.pem", d / "server-key.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    cert.private_key_pem.write_to_path(str(key_path))
    with open(cert_path, "wb") as f:
        for blob in cert.cert_chain_pems:
            f.write(blob.bytes())
    return ca_path, cert_path, key_path


def _require_port_443_free():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 443))
    except OSError as e:
        reason = "is already in use" if e.errno == errno.EADDRINUSE else f"cannot be bound ({e})"
        pytest.fail(
            f"127.0.0.1:443 {reason}. The official Python SDK hard-codes port 443 (docs/protocol.md §2.6), "
            "so the SDK compatibility tests need that port: stop whatever listens there and run as root.",
            pytrace=False)
    finally:
        s.close()


@pytest.fixture(scope="session")
def tls_gateway(tmp_path_factory, tls_files):
    """`cashier serve` with native TLS on 127.0.0.1:443, public URL https://localhost.

    SSL_CERT_FILE points the process's default SSL context (the one the SDK creates with
    ssl.create_default_context()) at the test CA.
    """
    _require_port_443_free()
    ca_path, cert_path, key_path = tls_files
    old = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = str(ca_path)
    server = CashierServer(tmp_path_factory.mktemp("tls-gateway") / "data", port=443,
                           tls=(cert_path, key_path), public_url="https://localhost",
                           extra_args=BROWSER_SERVE_ARGS, ca_bundle=ca_path)
    server.start()
    yield server
    server.stop()
    if old is None:
        os.environ.pop("SSL_CERT_FILE", None)
    else:
        os.environ["SSL_CERT_FILE"] = old


@pytest.fixture(scope="session")
def sdk_merchant(tls_gateway):
    return create_merchant(tls_gateway.data_dir, "Merlion Tea House")


# ---- plain-HTTP gateway for the browser flows --------------------------------------------


@pytest.fixture(scope="session")
def http_gateway(tmp_path_factory):
    server = CashierServer(tmp_path_factory.mktemp("http-gateway") / "data", extra_args=BROWSER_SERVE_ARGS)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def shop(http_gateway):
    """The merchant for the browser flows; the ampersand checks the page escapes the brand."""
    return create_merchant(http_gateway.data_dir, "Kaya & Toast Co.")


@pytest.fixture
def browsers():
    """Factory for headless Chromium sessions, each with its own fresh profile; all quit afterwards."""
    made = []

    def new_browser():
        profile = tempfile.mkdtemp(prefix="cashier-e2e-chrome-")
        driver = make_chrome(profile)
        made.append((driver, profile))
        return driver

    yield new_browser
    import shutil
    for driver, profile in made:
        try:
            driver.quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(browsers):
    return browsers()
