"""Interop of the Rust SDK (`cashier-client`) with the official Python SDK's signing,
and the README's Rust integration (crates/client/examples/shop.rs) against `cashier serve`.

A message signed by the Rust client verifies with the official SDK's verify
function (`webhook_tool.check_signature`, which is `signature_tool.verify`
behind the header parsing), and a message signed by the official SDK's
`signature_tool.sign` verifies with the Rust client. Both directions with the
docs/protocol.md Appendix A vector and with fresh keys in every format merchants
are handed. The Rust side runs as the `interop` example
(crates/client/examples/interop.rs): $CASHIER_INTEROP_BIN, default
target/debug/examples/interop, built here if missing.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from com.alipay.ams.api.exception.exception import AlipayApiException
from com.alipay.ams.api.tools import signature_tool
from com.alipay.ams.api.tools.webhook_tool import check_signature

from cashier_helpers import CashierServer, create_merchant, free_port, wait_until

REPO_ROOT = Path(__file__).resolve().parents[2]
TESTDATA = REPO_ROOT / "crates" / "protocol" / "testdata"

# docs/protocol.md Appendix A.
VECTOR_CLIENT_ID = "SANDBOX_5YEZ0000000000000"
VECTOR_PATH = "/ams/sandbox/api/v1/payments/inquiryPayment"
VECTOR_TIME = "1735689600000"
VECTOR_BODY = '{"paymentRequestId":"REQ_20250101_0001"}'
VECTOR_HEADER = (
    "algorithm=RSA256,keyVersion=1,signature=m7mZOkYuSijQ2HPuP8PpGKMOQve5zp%2Bxx8uuplXM%2F1aiqJiSDMfD6W"
    "vqqYCaC%2Bp2%2BHqDd9xqbpMNQ4YoGJ1h43Klv%2BeQGQbfOcjNWVql7Wjq2Hun6I%2FKRFaPMRebXiQ8xnQSEgciS9KDPTr6t"
    "CsC4i1qmQCGdr%2BfsRA%2F7x73mZfdazrnJziOgbIo6cKPl4Xfglhb8psT7nqKK%2BuOWVpXWm%2B3Hm3OQbRiAOYPcBPnEDhxA"
    "DUFQ6Jm2lRk82Z4XTBwSYZJw%2F7HpAFOYol7wtBZAsnQit%2BzQecDYbHtNODQZLSSyqjkBrHFaj85732IE7LXuW46IkdTKMZY%"
    "2FaCOxazebw%3D%3D"
)
VECTOR_RESPONSE_TIME = "2025-01-01T08:00:00+08:00"
VECTOR_RESPONSE_BODY = (
    '{"result":{"resultCode":"ORDER_NOT_EXIST","resultStatus":"F","resultMessage":"order does not exist."}}'
)


def example_bin(name: str, env_var: str, *features: str) -> Path:
    """An example of crates/client: $ENV_VAR, default target/debug/examples/NAME, built if missing."""
    path = Path(os.environ.get(env_var, REPO_ROOT / "target" / "debug" / "examples" / name))
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.exists():
        cmd = ["cargo", "build", "-q", "-p", "cashier-client", "--example", name]
        if features:
            cmd += ["--features", ",".join(features)]
        subprocess.run(cmd, cwd=REPO_ROOT, check=True, timeout=900)
    assert path.exists(), f"example {name} not found at {path}"
    return path


@pytest.fixture(scope="module")
def interop_bin() -> Path:
    return example_bin("interop", "CASHIER_INTEROP_BIN")


@pytest.fixture(scope="module")
def shop_bin() -> Path:
    return example_bin("shop", "CASHIER_SHOP_EXAMPLE_BIN", "axum")


def rust_sign(interop_bin: Path, key_file: Path, client_id: str, path: str, time_ms: str, body: bytes) -> dict:
    out = subprocess.run(
        [str(interop_bin), "sign", str(key_file), client_id, path, time_ms],
        input=body,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout)


def rust_verify(interop_bin: Path, key_file: Path, client_id: str, path: str, time: str, header: str, body: bytes) -> bool:
    out = subprocess.run(
        [str(interop_bin), "verify", str(key_file), client_id, path, time, header],
        input=body,
        capture_output=True,
        timeout=60,
    )
    assert out.returncode in (0, 1), out.stderr.decode()
    return out.returncode == 0


def python_verify(path: str, client_id: str, time: str, body: str, header: str, public_key_b64: str) -> bool:
    """The official SDK's webhook verification; any exception counts as "does not verify"."""
    try:
        return bool(check_signature("POST", path, client_id, time, body, header, public_key_b64))
    except (AlipayApiException, Exception):  # rsa.VerificationError, binascii.Error, ...
        return False


def python_sign_header(path: str, client_id: str, time: str, body: str, private_key_pkcs1_b64: str) -> str:
    value = signature_tool.sign("POST", path, client_id, time, body, private_key_pkcs1_b64)
    return f"algorithm=RSA256,keyVersion=1,signature={value}"


def read_compact(name: str) -> str:
    return "".join((TESTDATA / name).read_text().split())


# ---- Appendix A --------------------------------------------------------------------------------


def test_appendix_a_rust_signs_the_vector_and_the_official_sdk_verifies_it(interop_bin):
    # The client signs the production path; the SANDBOX_ client id switches it.
    signed = rust_sign(
        interop_bin,
        TESTDATA / "appendix_a_private_pkcs8.pem",
        VECTOR_CLIENT_ID,
        "/ams/api/v1/payments/inquiryPayment",
        VECTOR_TIME,
        VECTOR_BODY.encode(),
    )
    assert signed == {
        "path": VECTOR_PATH,
        "clientId": VECTOR_CLIENT_ID,
        "requestTime": VECTOR_TIME,
        "signature": VECTOR_HEADER,
    }
    public = read_compact("appendix_a_public_spki.b64")
    assert python_verify(VECTOR_PATH, VECTOR_CLIENT_ID, VECTOR_TIME, VECTOR_BODY, signed["signature"], public)
    assert not python_verify(VECTOR_PATH, VECTOR_CLIENT_ID, VECTOR_TIME, VECTOR_BODY + " ", signed["signature"], public)


def test_appendix_a_the_official_sdk_signs_the_vector_and_rust_verifies_it(interop_bin):
    pkcs1 = read_compact("appendix_a_private_pkcs1.b64")
    header = python_sign_header(VECTOR_PATH, VECTOR_CLIENT_ID, VECTOR_TIME, VECTOR_BODY, pkcs1)
    assert header == VECTOR_HEADER
    public_file = TESTDATA / "appendix_a_public_spki.b64"
    assert rust_verify(interop_bin, public_file, VECTOR_CLIENT_ID, VECTOR_PATH, VECTOR_TIME, header, VECTOR_BODY.encode())
    # The response half of the vector: signed over the Response-Time string.
    response_header = python_sign_header(
        VECTOR_PATH, VECTOR_CLIENT_ID, VECTOR_RESPONSE_TIME, VECTOR_RESPONSE_BODY, pkcs1
    )
    assert rust_verify(
        interop_bin,
        public_file,
        VECTOR_CLIENT_ID,
        VECTOR_PATH,
        VECTOR_RESPONSE_TIME,
        response_header,
        VECTOR_RESPONSE_BODY.encode(),
    )
    assert not rust_verify(
        interop_bin, public_file, VECTOR_CLIENT_ID, VECTOR_PATH, "1735689600001", header, VECTOR_BODY.encode()
    )


# ---- fresh keys --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_keys(tmp_path_factory):
    """A new RSA-2048 key pair, written in every format the SDKs use."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    d = tmp_path_factory.mktemp("interop-keys")
    pkcs1_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    pkcs8_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    spki_der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    files = {
        "pkcs8_pem": key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        "pkcs8_b64": base64.b64encode(pkcs8_der),
        "pkcs1_pem": key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        ),
        "pkcs1_b64": base64.b64encode(pkcs1_der),
        "spki_b64": base64.b64encode(spki_der),
        "spki_pem": key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        "rsa_public_pem": key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1),
    }
    paths = {}
    for name, data in files.items():
        p = d / name
        p.write_bytes(data)
        paths[name] = p
    return {
        "files": paths,
        "pkcs1_b64": base64.b64encode(pkcs1_der).decode(),
        "spki_b64": base64.b64encode(spki_der).decode(),
    }


# Python's SDK sends pretty-printed, ASCII-escaped JSON; others send compact UTF-8.
BODIES = [
    '{"paymentRequestId":"PAY-42","order":{"orderDescription":"Kopi \u0026 kaya toast"}}',
    json.dumps({"refundRequestId": "RF-1", "refundReason": "尺码不合适"}, indent=3),
    json.dumps({"refundRequestId": "RF-2", "refundReason": "taille échangée"}, ensure_ascii=False),
    "",
]


@pytest.mark.parametrize("private_format", ["pkcs8_pem", "pkcs8_b64", "pkcs1_pem", "pkcs1_b64"])
@pytest.mark.parametrize("body", BODIES, ids=["compact", "indent3-escaped", "utf8", "empty"])
def test_fresh_keys_rust_signs_and_the_official_sdk_verifies(interop_bin, fresh_keys, private_format, body):
    client_id = "SANDBOX_INTEROP_SHOP"
    signed = rust_sign(
        interop_bin,
        fresh_keys["files"][private_format],
        client_id,
        "/ams/api/v1/payments/refund",
        "1767225600123",
        body.encode(),
    )
    assert signed["path"] == "/ams/sandbox/api/v1/payments/refund"
    header = signed["signature"]
    assert header.startswith("algorithm=RSA256,keyVersion=1,signature=")
    assert not any(c in header.split("signature=")[1] for c in "+/="), "URL-encoded base64"
    args = (signed["path"], client_id, signed["requestTime"])
    assert python_verify(*args, body, header, fresh_keys["spki_b64"])
    assert not python_verify(*args, body + "x", header, fresh_keys["spki_b64"])
    assert not python_verify("/ams/api/v1/payments/refund", client_id, signed["requestTime"], body, header, fresh_keys["spki_b64"])


@pytest.mark.parametrize("public_format", ["spki_b64", "spki_pem", "rsa_public_pem"])
@pytest.mark.parametrize("body", BODIES, ids=["compact", "indent3-escaped", "utf8", "empty"])
def test_fresh_keys_the_official_sdk_signs_and_rust_verifies(interop_bin, fresh_keys, public_format, body):
    client_id = "SANDBOX_INTEROP_SHOP"
    path = "/antom/notify"
    time = "2026-01-01T08:00:00+08:00"
    header = python_sign_header(path, client_id, time, body, fresh_keys["pkcs1_b64"])
    key_file = fresh_keys["files"][public_format]
    assert rust_verify(interop_bin, key_file, client_id, path, time, header, body.encode())
    assert not rust_verify(interop_bin, key_file, client_id, path, time, header, (body + "x").encode())
    assert not rust_verify(interop_bin, key_file, client_id, "/antom/other", time, header, body.encode())
    assert not rust_verify(interop_bin, key_file, "SANDBOX_OTHER", path, time, header, body.encode())


# ---- the README integration against `cashier serve` ---------------------------------------------


def test_the_readme_integration_runs_against_cashier_serve(tmp_path, shop_bin):
    """examples/shop.rs: checkout → 303 to normalUrl → payment → verified notification, acknowledged."""
    data_dir = tmp_path / "gateway"
    data_dir.mkdir()
    merchant = create_merchant(data_dir, "Rust Example Shop")
    server = CashierServer(data_dir).start()
    shop_url = f"http://127.0.0.1:{free_port()}"
    log_path = tmp_path / "shop.log"
    env = dict(
        os.environ,
        CASHIER_URL=server.base_url,
        CLIENT_ID=merchant.client_id,
        MERCHANT_PRIVATE_KEY=merchant.private_key_pkcs1,  # the PKCS#1 form, as Python/PHP take it
        GATEWAY_PUBLIC_KEY=merchant.gateway_public_key,
        SHOP_URL=shop_url,
    )
    with open(log_path, "wb") as log:
        shop = subprocess.Popen([str(shop_bin)], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        def checkout():
            try:
                return requests.get(shop_url + "/checkout", allow_redirects=False, timeout=30)
            except requests.ConnectionError:
                assert shop.poll() is None, log_path.read_text()
                return None

        r = wait_until(checkout, timeout=60, what="the example shop answering")
        assert r.status_code == 303, r.text
        normal_url = r.headers["location"]
        assert normal_url.startswith(server.base_url + "/checkout/"), normal_url
        page = requests.get(normal_url, timeout=30)
        assert page.status_code == 200
        assert "Pay SGD 7.00" in page.text

        created = [ln for ln in log_path.read_text().splitlines() if ln.startswith("created ")]
        assert len(created) == 1, log_path.read_text()
        payment_request_id = created[0].split()[1].rstrip(":")
        assert created[0].endswith(normal_url)
        server.simulate_pay(merchant.client_id, payment_request_id, "SUCCESS")
        wait_until(
            lambda: f"{payment_request_id} paid: true" in log_path.read_text(),
            timeout=60,
            what="the shop receiving the verified notification",
        )
    finally:
        shop.terminate()
        shop.wait(timeout=10)
        server.stop()
