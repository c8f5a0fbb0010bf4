"""Sandbox clocks (issue #16) through the real binary and the official Python SDK.

Every merchant has a clock of its own: real time plus an offset kept in the database, moved forward
only by the signed `advanceClock` API (or `cashier clock advance`) and only on a gateway started with
`--sandbox-clocks`. Before `advanceClock` answers, everything due on the new clock is decided: session
expiry, the notification retry schedule (replayed at its due times), the cancel window of wallet
payments and the daily reports. Each test makes its own merchant, so the clocks are independent.

The SDK dials port 443, where the session's `tls_gateway` runs with the browser suites' fast retry
schedule: this module restarts it with `--sandbox-clocks` and Antom's default schedule
(0s,2m,10m,10m,1h,2h,6h,15h) and gives it back with its original arguments afterwards.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from com.alipay.ams.api.default_alipay_client import DefaultAlipayClient
from com.alipay.ams.api.model.result_status_type import ResultStatusType
from com.alipay.ams.api.model.transaction_status_type import TransactionStatusType
from com.alipay.ams.api.request.alipay_request import AlipayRequest
from com.alipay.ams.api.request.notify.alipay_pay_result_notify import AlipayPayResultNotify
from com.alipay.ams.api.tools import webhook_tool

from cashier_helpers import (ApiClient, CashierServer, cashier_bin, create_merchant, e2e_store, store_args,
                             unique_id, wait_until)
from test_official_sdk import cancel, create, inquiry, session_request

GATEWAY_URL = "https://localhost"  # the SDK always dials port 443
UTC8 = timezone(timedelta(hours=8))  # Antom's day: reports, the cancel window
CLOCK_ARGS = ("--sandbox-clocks",)  # and no --notify-retry-schedule: Antom's default one
REAL_TIME_SLACK = 5  # seconds a clock that was never moved may differ from this process's clock


# ---- Cashier's own APIs as custom requests of the official SDK ------------------------------
#
# Any official SDK can call an API it does not know: subclass its request type with the path and
# the JSON body. DefaultAlipayClient signs the request, sends it to /ams/sandbox/api/... for a
# SANDBOX_ client id, verifies the response signature and returns the body text.


class AdvanceClockRequest(AlipayRequest):
    """Moves this merchant's sandbox clock forward by 1 second to 400 days (34560000 seconds).

    Usage::

        client = DefaultAlipayClient("https://localhost", client_id, private_key, gateway_public_key)
        body = json.loads(client.execute(AdvanceClockRequest(25 * 3600)))
        body["result"]["resultCode"]  # "SUCCESS"; "ACCESS_DENIED" without --sandbox-clocks
        body["clockTime"]             # the merchant's new time, e.g. "2026-12-06T16:42:37+08:00"
    """

    def __init__(self, advance_seconds: int):
        super().__init__("/ams/api/v1/testing/advanceClock")
        self.advance_seconds = advance_seconds

    def to_ams_json(self) -> str:
        return json.dumps({"advanceSeconds": self.advance_seconds})


class InquiryClockRequest(AlipayRequest):
    """Reads this merchant's sandbox clock: `{"result": ..., "clockTime": "..."}`."""

    def __init__(self):
        super().__init__("/ams/api/v1/testing/inquiryClock")

    def to_ams_json(self) -> str:
        return "{}"


class FetchReportRequest(AlipayRequest):
    """Downloads one of the merchant's daily reconciliation reports (a UTC+8 day).

    report_type: "TRANSACTION", "SETTLEMENT" or "SUMMARY". The answer carries the CSV files:
    `{"result": ..., "reportDate": ..., "reportType": ..., "files": [{"fileName", "content"}]}`,
    or resultCode REPORT_NOT_READY until the day's reports are made (after 00:30 UTC+8 next day).
    """

    def __init__(self, report_date: str, report_type: str):
        super().__init__("/ams/api/v1/reports/fetch")
        self.report_date = report_date
        self.report_type = report_type

    def to_ams_json(self) -> str:
        return json.dumps({"reportDate": self.report_date, "reportType": self.report_type})


# ---- helpers --------------------------------------------------------------------------------


def sdk_client(merchant) -> DefaultAlipayClient:
    return DefaultAlipayClient(GATEWAY_URL, merchant.client_id, merchant.private_key_pkcs1,
                               merchant.gateway_public_key)


def execute(client, req) -> dict:
    return json.loads(client.execute(req))


def clock_time(body: dict) -> datetime:
    assert body["result"]["resultStatus"] == "S", body
    assert body["result"]["resultCode"] == "SUCCESS", body
    return datetime.fromisoformat(body["clockTime"])


def clock_of(client) -> datetime:
    """The merchant's clock, read with inquiryClock."""
    return clock_time(execute(client, InquiryClockRequest()))


def advance(client, seconds: int) -> datetime:
    """advanceClock by `seconds`; the merchant's new time."""
    return clock_time(execute(client, AdvanceClockRequest(seconds)))


def now() -> datetime:
    return datetime.now(timezone.utc)


def ahead_of_real_time(clock: datetime) -> float:
    """How many seconds `clock` is ahead of this process's real time."""
    return (clock - now()).total_seconds()


def assert_real_time(clock: datetime, what: str):
    assert abs(ahead_of_real_time(clock)) <= REAL_TIME_SLACK, f"{what}: {clock.isoformat()} is not real time"


def seconds_until_next(clock: datetime, hour: int, minute: int) -> int:
    """Whole seconds from `clock` to the next hour:minute (UTC+8) strictly after it."""
    local = clock.astimezone(UTC8)
    target = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    return int((target - local).total_seconds())


def verify_notification(n, merchant) -> bool:
    return webhook_tool.check_signature("POST", n.url_path, n.headers["client-id"], n.headers["request-time"],
                                        n.body_text, n.headers["signature"], merchant.gateway_public_key) is True


def new_session(client, site, *, notify_key: str | None = None, expiry: datetime | None = None) -> str:
    """createPaymentSession (SGD 60.00) built from the SDK's model classes; its paymentRequestId."""
    rid = unique_id("SDK_CLOCK")
    req = session_request(rid, site, notify_key=notify_key)
    if expiry is not None:
        req.payment_session_expiry_time = expiry.astimezone(UTC8).replace(microsecond=0).isoformat()
    rsp, raw = create(client, req)
    assert rsp.result.result_status == ResultStatusType.S, raw
    return rid


def pay(gateway, merchant, rid: str):
    sim = gateway.simulate_pay(merchant.client_id, rid, "SUCCESS", paymentMethodType="ALIPAY_CN")
    assert sim["paymentStatus"] == "SUCCESS", sim


def dispatcher_barrier(client, site, merchant, advance_seconds: int = 86_400):
    """Advances the clock by a day with a fresh open session (default expiry: 1 hour on the merchant's
    clock) and waits until that session's expiry notification is delivered.

    Afterwards the dispatcher has run over everything due on the merchant's new clock, so a count of
    deliveries taken then is final: a bounded, condition-based wait instead of a sleep.
    """
    sentinel = new_session(client, site)
    advance(client, advance_seconds)
    n = site.wait_for_notification(sentinel, timeout=15)
    assert n.json["result"]["resultCode"] == "ORDER_IS_CLOSED", n.body_text


def csv_rows(content: str) -> list[dict]:
    """A report file's rows by column name: header first, `<END>` last (docs/protocol.md §8.1)."""
    lines = content.split("\n")
    assert lines[-2:] == ["<END>", ""], f"a report ends with the <END> line: {content[-80:]!r}"
    return list(csv.DictReader(io.StringIO("\n".join(lines[:-2]) + "\n")))


# ---- the gateway on 443, restarted with sandbox clocks for this module ----------------------


# What the gateway answered with clocks off (filled by clocks_gateway before it restarts the gateway).
BEFORE_CLOCKS: dict = {}


@pytest.fixture(scope="module")
def clocks_gateway(tls_gateway):
    """`tls_gateway` restarted with `--sandbox-clocks` and the default retry schedule.

    Before the restart, a merchant asks the gateway as the session started it (clocks off) to move
    and to read its clock; the answers are kept in BEFORE_CLOCKS for
    test_clock_apis_are_refused_without_sandbox_clocks. At the end of the module the gateway is
    started again with its original arguments, so later modules see it as before.
    """
    original = tls_gateway.extra_args
    assert "--sandbox-clocks" not in original, "tls_gateway must start without sandbox clocks"
    merchant = create_merchant(tls_gateway.data_dir, "Clockless Kopitiam")
    client = sdk_client(merchant)
    BEFORE_CLOCKS.update(merchant=merchant, advanceClock=execute(client, AdvanceClockRequest(86_400)),
                         inquiryClock=execute(client, InquiryClockRequest()))
    try:
        tls_gateway.restart(extra_args=CLOCK_ARGS)
        yield tls_gateway
    finally:
        BEFORE_CLOCKS.clear()
        tls_gateway.restart(extra_args=original)


@pytest.fixture
def clock_shop(clocks_gateway, request):
    """A fresh merchant (so a fresh clock) and its SDK client."""
    merchant = create_merchant(clocks_gateway.data_dir, f"Clock shop {request.node.name[:40]}")
    return merchant, sdk_client(merchant)


# ---- the tests ------------------------------------------------------------------------------


def test_clock_apis_are_refused_without_sandbox_clocks(clocks_gateway):
    """Without --sandbox-clocks, advanceClock and inquiryClock answer F ACCESS_DENIED (signed, HTTP 200:
    the SDK parses them) and the clock stays real time: after the restart with clocks on, that
    merchant's clock was never moved."""
    before = BEFORE_CLOCKS
    for api in ("advanceClock", "inquiryClock"):
        body = before[api]
        assert body["result"]["resultStatus"] == "F", (api, body)
        assert body["result"]["resultCode"] == "ACCESS_DENIED", (api, body)
        assert body["result"]["resultMessage"], (api, body)
        assert "clockTime" not in body, (api, body)

    assert_real_time(clock_of(sdk_client(before["merchant"])), "the refused advance must change nothing")


def test_bad_advances_are_param_illegal_and_change_nothing(clock_shop):
    """advanceSeconds must be a whole number of seconds from 1 to 34560000 (400 days), as a JSON number
    or a numeric string; anything else is PARAM_ILLEGAL and leaves the clock alone."""
    _, client = clock_shop
    for bad in (0, -60, 34_560_001, "soon", 1.5, None):
        body = execute(client, AdvanceClockRequest(bad))
        assert body["result"]["resultStatus"] == "F", (bad, body)
        assert body["result"]["resultCode"] == "PARAM_ILLEGAL", (bad, body)
    assert_real_time(clock_of(client), "a refused advance must change nothing")

    moved = advance(client, "600")
    assert 600 - REAL_TIME_SLACK <= ahead_of_real_time(moved) <= 600 + REAL_TIME_SLACK, moved
    assert abs((clock_of(client) - moved).total_seconds()) <= REAL_TIME_SLACK


def test_advancing_past_the_expiry_closes_the_session_and_notifies_once(clock_shop, clocks_gateway, merchant_site):
    """A session expiring in 30 minutes, clock moved 31: the inquiry right after advanceClock answers
    FAIL / ORDER_IS_CLOSED (decided before the answer), and one signed ORDER_IS_CLOSED notification
    arrives, with a request-time header in real time."""
    merchant, client = clock_shop
    start = clock_of(client)
    assert_real_time(start, "a new merchant's clock")
    rid = new_session(client, merchant_site, expiry=start + timedelta(minutes=30))
    assert inquiry(client, rid).payment_status == TransactionStatusType.PROCESSING

    moved = advance(client, 31 * 60)
    assert 31 * 60 <= (moved - start).total_seconds() <= 31 * 60 + REAL_TIME_SLACK, (start, moved)
    q = inquiry(client, rid)
    assert q.payment_status == TransactionStatusType.FAIL
    assert q.payment_result_code == "ORDER_IS_CLOSED"

    n = merchant_site.wait_for_notification(rid, timeout=10)
    assert verify_notification(n, merchant), "the expiry notification must verify with the gateway key"
    notify = AlipayPayResultNotify(n.body_text)
    assert notify.notify_type == "PAYMENT_RESULT"
    assert notify.payment_request_id == rid
    assert notify.result.result_status == ResultStatusType.F
    assert notify.result.result_code == "ORDER_IS_CLOSED"
    sent = datetime.fromisoformat(n.headers["request-time"])
    assert abs(sent.timestamp() - n.received_at) <= REAL_TIME_SLACK, (
        f"request-time {n.headers['request-time']} must be real time, not the merchant's clock")

    dispatcher_barrier(client, merchant_site, merchant)
    assert len(merchant_site.received(rid)) == 1, "an acknowledged notification is delivered once"


def test_wallet_payment_cannot_be_cancelled_after_00_15_next_day(clock_shop, clocks_gateway, merchant_site):
    """Paid with ALIPAY_CN at 23:50 (UTC+8) on the merchant's clock; at 00:16 the next day the cancel
    window is closed: cancel answers CANCEL_WINDOW_EXCEED and the payment stays SUCCESS."""
    merchant, client = clock_shop
    at_2350 = advance(client, seconds_until_next(clock_of(client), 23, 50)).astimezone(UTC8)
    assert (at_2350.hour, at_2350.minute) == (23, 50), at_2350
    rid = new_session(client, merchant_site)
    pay(clocks_gateway, merchant, rid)
    assert inquiry(client, rid).payment_status == TransactionStatusType.SUCCESS

    at_0016 = advance(client, 26 * 60).astimezone(UTC8)
    assert (at_0016.date() - at_2350.date(), at_0016.hour, at_0016.minute) == (timedelta(days=1), 0, 16), at_0016
    r = cancel(client, rid)
    assert r["result"]["resultStatus"] == "F", r
    assert r["result"]["resultCode"] == "CANCEL_WINDOW_EXCEED", r
    q = inquiry(client, rid)
    assert q.payment_status == TransactionStatusType.SUCCESS
    assert q.payment_result_code == "SUCCESS"


def test_a_day_replays_the_whole_retry_schedule(clock_shop, clocks_gateway, merchant_site):
    """Against an endpoint that never acknowledges, 25 hours on the clock replay the default schedule
    (0s,2m,10m,10m,1h,2h,6h,15h): one attempt and 8 retries, all with the same signed body, within
    seconds of real time. The notification is then given up: another day adds no attempt."""
    merchant, client = clock_shop
    key = unique_id("never-acks")
    notify_url = merchant_site.notify_url(key)
    merchant_site.fail_first(notify_url, 1000)
    rid = new_session(client, merchant_site, notify_key=key)
    pay(clocks_gateway, merchant, rid)
    wait_until(lambda: merchant_site.received_on(notify_url), 10, what="the first delivery attempt")

    advance(client, 25 * 3600)

    def nine_attempts():
        attempts = merchant_site.received_on(notify_url)
        return attempts if len(attempts) >= 9 else None
    attempts = wait_until(nine_attempts, 10, what="9 delivery attempts within seconds of real time")
    assert len(attempts) == 9, f"1 attempt + 8 retries, got {len(attempts)}"
    assert len({a.body_text for a in attempts}) == 1, "every retry carries the same body"
    for a in attempts:
        assert not a.acked
        assert verify_notification(a, merchant), "every attempt must carry a valid signature"
    assert AlipayPayResultNotify(attempts[0].body_text).payment_request_id == rid

    dispatcher_barrier(client, merchant_site, merchant)
    assert len(merchant_site.received_on(notify_url)) == 9, "after the last retry the notification is FAILED"


def test_closed_days_reports_are_fetchable_and_reconcile(clocks_gateway, merchant_site):
    """A payment at noon (UTC+8) on the merchant's clock; its day's reports are REPORT_NOT_READY until
    the clock passes 00:30 the next day, then TRANSACTION, SETTLEMENT and SUMMARY come back through the
    SDK and reconcile: the payment's row with its amount, TOTAL = the payment less the 1.5 % fee."""
    fee_bps, paid = 150, 6000
    merchant = create_merchant(clocks_gateway.data_dir, "Clock shop with fees", fee_bps=fee_bps)
    client = sdk_client(merchant)
    noon = advance(client, seconds_until_next(clock_of(client), 12, 0)).astimezone(UTC8)
    day = noon.date().isoformat()
    rid = new_session(client, merchant_site)
    pay(clocks_gateway, merchant, rid)

    def fetch(kind: str) -> dict:
        return execute(client, FetchReportRequest(day, kind))
    for kind in ("TRANSACTION", "SETTLEMENT", "SUMMARY"):
        early = fetch(kind)
        assert early["result"]["resultStatus"] == "F", (kind, early)
        assert early["result"]["resultCode"] == "REPORT_NOT_READY", (kind, early)
        assert "files" not in early, (kind, early)

    moved = advance(client, seconds_until_next(noon, 0, 31)).astimezone(UTC8)
    assert moved.date().isoformat() > day and (moved.hour, moved.minute) == (0, 31), moved
    reports = {}
    for kind in ("TRANSACTION", "SETTLEMENT", "SUMMARY"):
        body = fetch(kind)
        assert body["result"]["resultCode"] == "SUCCESS", (kind, body)
        assert body["reportDate"] == day and body["reportType"] == kind, body
        assert len(body["files"]) == 1, (kind, body["files"])
        assert body["files"][0]["fileName"], body
        reports[kind] = csv_rows(body["files"][0]["content"])

    fee = paid * fee_bps // 10_000
    mine = [r for r in reports["TRANSACTION"] if r["transactionRequestId"] == rid]
    assert len(mine) == 1, reports["TRANSACTION"]
    assert mine[0]["transactionType"] == "PAYMENT" and mine[0]["transactionStatus"] == "SUCCESS", mine
    assert (mine[0]["transactionAmountValue"], mine[0]["transactionCurrency"]) == (str(paid), "SGD"), mine
    assert mine[0]["paymentMethodType"] == "ALIPAY_CN", mine

    settled = [r for r in reports["SETTLEMENT"] if r["transactionRequestId"] == rid]
    assert len(settled) == 1, reports["SETTLEMENT"]
    assert (settled[0]["settlementAmountValue"], settled[0]["feeAmountValue"]) == (str(paid - fee), str(-fee)), (
        f"the payment settles less its fee, the fee negative (it reduces the payout, docs/protocol.md §8): {settled}")
    total = [r for r in reports["SUMMARY"] if r["summaryType"] == "TOTAL"]
    assert len(total) == 1, reports["SUMMARY"]
    assert (total[0]["settlementAmountValue"], total[0]["settlementCurrency"]) == (str(paid - fee), "SGD"), total
    assert total[0]["feeAmountValue"] == str(-fee), total
    assert total[0]["transactionCount"] == "1", total
    assert sum(int(r["settlementAmountValue"]) for r in reports["SETTLEMENT"]) == paid - fee, (
        "the summary's TOTAL is the sum of the settlement details")


def test_one_merchants_advance_leaves_the_others_clock_alone(clocks_gateway, merchant_site):
    """Two merchants: a day on one clock; the other's clock is still real time and its session, due
    to expire in 30 minutes of real time, is still PROCESSING."""
    hurried = create_merchant(clocks_gateway.data_dir, "Clock shop in a hurry")
    patient = create_merchant(clocks_gateway.data_dir, "Clock shop in no hurry")
    hurried_client, patient_client = sdk_client(hurried), sdk_client(patient)
    start = clock_of(patient_client)
    rid = new_session(patient_client, merchant_site, expiry=start + timedelta(minutes=30))
    theirs = new_session(hurried_client, merchant_site, expiry=start + timedelta(minutes=30))

    advance(hurried_client, 86_400)
    assert inquiry(hurried_client, theirs).payment_status == TransactionStatusType.FAIL
    assert_real_time(clock_of(patient_client), "the other merchant's clock")
    q = inquiry(patient_client, rid)
    assert q.payment_status == TransactionStatusType.PROCESSING
    assert q.payment_result_code == "PAYMENT_IN_PROCESS"


def clock_cli(gateway, *args: str) -> dict:
    """`cashier clock ... --json` on the gateway's data dir and database."""
    out = subprocess.run([str(cashier_bin()), "clock", *args, "--data-dir", str(gateway.data_dir),
                          *store_args(gateway.data_dir), "--json"],
                         check=True, capture_output=True, text=True, timeout=60)
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1, f"`cashier clock {args[0]} --json` must print one JSON line, got: {out.stdout!r}"
    return json.loads(lines[0])


def test_the_offset_survives_a_restart_and_the_cli_moves_it(clock_shop, clocks_gateway):
    """The offset lives in the database: after a restart the clock is still 3 hours ahead;
    `cashier clock show` agrees with inquiryClock, and `cashier clock advance 2h` beside the running
    gateway moves the clock the API reads (its merchant cache lasts at most a second)."""
    merchant, client = clock_shop
    advance(client, 3 * 3600)
    clocks_gateway.restart()
    after = clock_of(client)
    assert abs(ahead_of_real_time(after) - 3 * 3600) <= REAL_TIME_SLACK, after

    shown = clock_cli(clocks_gateway, "show", "--client-id", merchant.client_id)
    assert shown["clientId"] == merchant.client_id, shown
    assert shown["offsetSeconds"] == 3 * 3600, shown
    assert abs((datetime.fromisoformat(shown["clockTime"]) - clock_of(client)).total_seconds()) <= REAL_TIME_SLACK

    moved = clock_cli(clocks_gateway, "advance", "--client-id", merchant.client_id, "2h")
    assert moved["clientId"] == merchant.client_id, moved
    assert moved["offsetSeconds"] == 5 * 3600, moved
    wait_until(lambda: abs(ahead_of_real_time(clock_of(client)) - 5 * 3600) <= REAL_TIME_SLACK, 3,
               what="the API to read the clock the CLI moved")


@pytest.fixture
def second_node(clocks_gateway):
    """Another `cashier serve` on the same PostgreSQL database and data dir (so the same gateway key),
    on a port of its own, plain HTTP."""
    if e2e_store() != "postgres":
        pytest.skip("two gateways share a clock only on PostgreSQL (CASHIER_E2E_STORE=postgres); "
                    "one SQLite file belongs to one gateway")
    node = CashierServer(clocks_gateway.data_dir, public_url=clocks_gateway.public_url, extra_args=CLOCK_ARGS)
    node.start()
    yield node
    node.stop()


def test_nodes_on_one_database_share_the_clock(clock_shop, clocks_gateway, second_node):
    """An advance on the 443 node is read by a second node on the same database within a second or two
    (each node caches a merchant for at most a second)."""
    merchant, client = clock_shop
    node_b = ApiClient(second_node.base_url, merchant)

    def clock_on_b() -> datetime:
        r = node_b.call_path("/ams/api/v1/testing/inquiryClock", {})
        return clock_time(r.body)
    assert_real_time(clock_on_b(), "node B's clock before the advance")

    moved = advance(client, 86_400)
    wait_until(lambda: abs((clock_on_b() - clock_of(client)).total_seconds()) <= 2, 3,
               what="node B to read the clock moved on node A")
    assert abs(ahead_of_real_time(clock_on_b()) - 86_400) <= REAL_TIME_SLACK, moved
