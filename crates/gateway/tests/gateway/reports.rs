//! Reconciliation reports (docs/protocol.md §8): the numbers reconcile with the
//! store, the layout is pinned by golden files, days are generated once
//! they close, and merchants fetch their own reports over the signed API.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::TestApp;
use cashier_client::Client;
use cashier_gateway::merchants;
use cashier_gateway::reports::{
    self, fee_minor, row_money, Mode, ReportFile, ReportKind, SETTLEMENT_COLUMNS, SUMMARY_COLUMNS,
    TRANSACTION_COLUMNS,
};
use cashier_gateway::store::{ClientId, ReportTxn, Timestamp};
use cashier_protocol::time::{antom_day, antom_offset};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};

const FETCH: &str = "/ams/api/v1/reports/fetch";
const FETCH_SANDBOX: &str = "/ams/sandbox/api/v1/reports/fetch";
const CANCEL: &str = cashier_client::CANCEL;
const REFUND: &str = cashier_client::REFUND;

// ---------------------------------------------------------------- helpers

/// Sets the clock to a wall time in UTC+8 on `day` (+ `plus` days).
fn set(app: &TestApp, day: NaiveDate, plus: i64, h: u32, m: u32, s: u32) {
    let d = day + Duration::days(plus);
    let local = d.and_hms_opt(h, m, s).unwrap();
    app.clock.set(
        antom_offset()
            .from_local_datetime(&local)
            .unwrap()
            .with_timezone(&Utc),
    );
}

/// A day a few days after the test starts, so that it ends after the
/// merchants were created (the automatic job skips earlier days).
fn future_day(app: &TestApp, days: i64) -> NaiveDate {
    antom_day(cashier_gateway::clock::Clock::now(&app.clock)) + Duration::days(days)
}

/// A second merchant with a fee rate, and an SDK client for it.
struct Shop {
    client_id: String,
    client: Client,
}

async fn shop(app: &TestApp, client_id: &str, fee_bps: u32) -> Shop {
    Shop {
        client_id: client_id.to_string(),
        client: app.add_merchant(client_id, fee_bps).await,
    }
}

impl Shop {
    async fn call(&self, path: &str, body: &Value) -> Value {
        let raw = self
            .client
            .send_raw(path, body.to_string().as_bytes())
            .await
            .expect("signed, verified response");
        serde_json::from_str(&raw.body).unwrap()
    }

    /// Creates a session for `value` minor units of `currency`.
    async fn session(&self, rid: &str, currency: &str, value: &str) -> Value {
        let r = self
            .call(
                cashier_client::CREATE_PAYMENT_SESSION,
                &Self::session_body(rid, currency, value, currency),
            )
            .await;
        assert_eq!(r["result"]["resultStatus"], "S", "{rid}: {r}");
        r
    }

    /// A createPaymentSession body asking to settle in `settle`.
    fn session_body(rid: &str, currency: &str, value: &str, settle: &str) -> Value {
        json!({
            "productCode": "CASHIER_PAYMENT",
            "productScene": "CHECKOUT_PAYMENT",
            "paymentRequestId": rid,
            "order": {
                "referenceOrderId": format!("ORDER-{rid}"),
                "orderDescription": "Reconciliation test order",
                "orderAmount": {"currency": currency, "value": value},
                "goods": [{"referenceGoodsId": "G-1", "goodsName": "Goods", "goodsQuantity": "1",
                           "goodsUnitAmount": {"currency": currency, "value": value}}],
                "buyer": {"referenceBuyerId": "BUYER-1", "buyerName": {"fullName": "Tan Ah Kow"}}
            },
            "paymentAmount": {"currency": currency, "value": value},
            "settlementStrategy": {"settlementCurrency": settle},
            "paymentRedirectUrl": "https://merchant.example.com/return",
            "env": {"terminalType": "WEB"}
        })
    }

    /// Completes a session through the simulation endpoint; returns the paymentId.
    async fn simulate(&self, app: &TestApp, rid: &str, outcome: &str, method: &str) -> String {
        let sim = cashier_test_support::gateway::simulated_body(
            &app.buyer,
            &app.base_url,
            &json!({"clientId": self.client_id, "paymentRequestId": rid,
                    "outcome": outcome, "paymentMethodType": method}),
        )
        .await;
        let expected = if outcome == "SUCCESS" {
            "SUCCESS"
        } else {
            "FAIL"
        };
        assert_eq!(sim["paymentStatus"], expected, "{sim}");
        sim["paymentId"].as_str().unwrap().to_string()
    }

    async fn pay(&self, app: &TestApp, rid: &str, cur: &str, value: &str, method: &str) -> String {
        self.session(rid, cur, value).await;
        self.simulate(app, rid, "SUCCESS", method).await
    }

    async fn refund(&self, rrid: &str, pid: &str, cur: &str, value: &str, reason: &str) -> Value {
        self.call(
            REFUND,
            &json!({"refundRequestId": rrid, "paymentId": pid,
                    "refundAmount": {"currency": cur, "value": value}, "refundReason": reason}),
        )
        .await
    }

    async fn fetch(&self, date: NaiveDate, kind: &str) -> Value {
        self.call(
            FETCH,
            &json!({"reportDate": date.to_string(), "reportType": kind}),
        )
        .await
    }
}

/// The records of a report file, as (column → value) maps, after checking
/// the framing: header first, `<END>` last, `\n` line ends.
fn records(content: &str, columns: &[&str]) -> Vec<BTreeMap<String, String>> {
    assert!(content.ends_with("\n<END>\n"), "ends with <END>: {content}");
    assert!(!content.contains('\r'), "\\n line ends only");
    let body = content.strip_suffix("<END>\n").unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, columns, "header line");
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn int(row: &BTreeMap<String, String>, col: &str) -> i64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} is an integer: {row:?}"))
}

/// Fetches one kind and returns (file name → content).
async fn fetched(shop: &Shop, date: NaiveDate, kind: &str) -> BTreeMap<String, String> {
    let r = shop.fetch(date, kind).await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    assert_eq!(r["reportDate"], date.to_string());
    r["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["fileName"].as_str().unwrap().to_string(),
                f["content"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Half-to-even fee, written independently of the gateway's.
fn expected_fee(amount: i64, bps: i64) -> i64 {
    let n = amount * bps;
    let (q, r) = (n / 10_000, n % 10_000);
    q + i64::from(r > 5_000 || (r == 5_000 && q % 2 == 1))
}

/// What the store says one day settles, per currency: (payments, refunds,
/// cancels, net fee, money-moving row count), all from the payment and
/// refund rows themselves rather than from the report query.
async fn store_sums(
    app: &TestApp,
    payment_ids: &[&str],
    date: NaiveDate,
    bps: i64,
) -> BTreeMap<String, (i64, i64, i64, i64, u64)> {
    let (from, to) = reports::day_window(date);
    let within = |t: Option<Timestamp>| t.is_some_and(|t| t >= from && t < to);
    let mut out: BTreeMap<String, (i64, i64, i64, i64, u64)> = BTreeMap::new();
    for pid in payment_ids {
        let p = app.stored_payment(pid).await.unwrap();
        let e = out
            .entry(p.amount.currency().code().to_string())
            .or_default();
        if within(p.paid_at) {
            e.0 += p.amount.minor() as i64;
            e.3 -= expected_fee(p.amount.minor() as i64, bps);
            e.4 += 1;
        }
        if p.paid_at.is_some() && within(p.cancel_time) {
            e.2 += p.amount.minor() as i64;
            e.3 += expected_fee(p.amount.minor() as i64, bps);
            e.4 += 1;
        }
        for r in app.stored_refunds(pid).await {
            if r.status.as_str() == "SUCCESS" && within(r.refund_time) {
                e.1 += r.amount.minor() as i64;
                e.3 += expected_fee(r.amount.minor() as i64, bps);
                e.4 += 1;
            }
        }
    }
    out.retain(|_, v| v.4 > 0);
    out
}

/// Checks every settlement file of a day against the store's sums.
fn assert_reconciles(
    files: &BTreeMap<String, String>,
    summaries: &BTreeMap<String, String>,
    sums: &BTreeMap<String, (i64, i64, i64, i64, u64)>,
) {
    assert_eq!(files.len(), sums.len(), "one settlement file per currency");
    assert_eq!(summaries.len(), sums.len(), "one summary per currency");
    for (cur, &(paid, refunded, cancelled, fee, count)) in sums {
        let net = paid - refunded - cancelled + fee;
        let (_, details) = files
            .iter()
            .find(|(n, _)| n.starts_with(&format!("settlementItems_{cur}_")))
            .unwrap_or_else(|| panic!("settlement file for {cur}"));
        let rows = records(details, &SETTLEMENT_COLUMNS);
        assert_eq!(rows.len() as u64, count, "{cur} rows");
        assert!(rows.iter().all(|r| r["transactionCurrency"] == *cur
            && r["settlementCurrency"] == *cur
            && r["feeCurrency"] == *cur));
        assert_eq!(
            rows.iter()
                .map(|r| int(r, "settlementAmountValue"))
                .sum::<i64>(),
            net,
            "{cur}: the details add up to the payout"
        );
        assert_eq!(
            rows.iter().map(|r| int(r, "feeAmountValue")).sum::<i64>(),
            fee,
            "{cur}: fees"
        );
        let batch = &rows[0]["settlementBatchId"];
        assert!(rows.iter().all(|r| &r["settlementBatchId"] == batch));
        let summary_name = format!("settlementSummary_{cur}_{batch}_000.csv");
        let summary = records(&summaries[&summary_name], &SUMMARY_COLUMNS);
        let line: BTreeMap<&str, &BTreeMap<String, String>> = summary
            .iter()
            .map(|r| (r["summaryType"].as_str(), r))
            .collect();
        assert_eq!(
            summary
                .iter()
                .map(|r| r["summaryType"].as_str())
                .collect::<Vec<_>>(),
            ["PAYMENT", "REFUND", "CANCEL", "FEE", "TOTAL"]
        );
        assert_eq!(int(line["PAYMENT"], "settlementAmountValue"), paid);
        assert_eq!(int(line["REFUND"], "settlementAmountValue"), -refunded);
        assert_eq!(int(line["CANCEL"], "settlementAmountValue"), -cancelled);
        assert_eq!(int(line["FEE"], "settlementAmountValue"), fee);
        assert_eq!(int(line["FEE"], "feeAmountValue"), fee);
        assert_eq!(
            int(line["TOTAL"], "settlementAmountValue"),
            net,
            "{cur} net"
        );
        assert_eq!(int(line["TOTAL"], "feeAmountValue"), fee);
        assert_eq!(int(line["TOTAL"], "transactionCount") as u64, count);
        assert_eq!(
            ["PAYMENT", "REFUND", "CANCEL"]
                .iter()
                .map(|t| int(line[t], "transactionCount"))
                .sum::<i64>() as u64,
            count
        );
        assert_eq!(
            ["PAYMENT", "REFUND", "CANCEL"]
                .iter()
                .map(|t| int(line[t], "feeAmountValue"))
                .sum::<i64>(),
            fee
        );
        assert!(summary.iter().all(|r| &r["settlementBatchId"] == batch
            && r["settlementCurrency"] == *cur
            && r["acquirer"] == "Cashier"));
    }
}

fn find<'a>(
    rows: &'a [BTreeMap<String, String>],
    id: &str,
    kind: &str,
) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| {
            (r["transactionId"] == id || r["transactionRequestId"] == id)
                && r["transactionType"] == kind
        })
        .unwrap_or_else(|| panic!("{kind} row for {id} in {rows:#?}"))
}

// ------------------------------------------------------------------ tests

#[tokio::test]
async fn reports_reconcile_with_the_store_across_currencies_and_midnight() {
    let app =
        TestApp::spawn_with(|c| c.sandbox_async_delay = std::time::Duration::from_secs(5)).await;
    let bps = 250;
    let m = shop(&app, "SANDBOX_FEE_SHOP", bps as u32).await;
    let t = future_day(&app, 3);

    // Day T: successes in three exponents, a failure, an unpaid cancel, a
    // paid cancel, partial refunds, a failed refund, and a refund that is
    // still processing at midnight.
    set(&app, t, 0, 10, 0, 0);
    let p_sgd = m.pay(&app, "R-SGD-1", "SGD", "6000", "ALIPAY_CN").await;
    set(&app, t, 0, 10, 5, 0);
    let p_jpy = m.pay(&app, "R-JPY-1", "JPY", "1500", "CARD").await;
    set(&app, t, 0, 10, 10, 0);
    let p_kwd = m.pay(&app, "R-KWD-1", "KWD", "12345", "CARD").await;
    set(&app, t, 0, 10, 15, 0);
    m.session("R-SGD-FAIL", "SGD", "2500").await;
    let p_fail = m.simulate(&app, "R-SGD-FAIL", "FAIL", "ALIPAY_CN").await;
    set(&app, t, 0, 10, 20, 0);
    m.session("R-SGD-UNPAID", "SGD", "1000").await;
    let r = m
        .call(CANCEL, &json!({"paymentRequestId": "R-SGD-UNPAID"}))
        .await;
    assert_eq!(r["result"]["resultCode"], "SUCCESS", "{r}");
    let p_unpaid = r["paymentId"].as_str().unwrap().to_string();
    set(&app, t, 0, 10, 25, 0);
    let p_cxl = m.pay(&app, "R-SGD-CXL", "SGD", "3000", "ALIPAY_CN").await;
    set(&app, t, 0, 10, 40, 0);
    let r = m.call(CANCEL, &json!({"paymentId": p_cxl})).await;
    assert_eq!(r["result"]["resultCode"], "SUCCESS", "{r}");
    set(&app, t, 0, 11, 0, 0);
    let r = m.refund("RF-1", &p_sgd, "SGD", "1000", "partial").await;
    assert_eq!(r["result"]["resultCode"], "SUCCESS", "{r}");
    set(&app, t, 0, 12, 0, 0);
    let r = m.refund("RF-2", &p_sgd, "SGD", "500", "partial").await;
    assert_eq!(r["result"]["resultCode"], "SUCCESS", "{r}");
    set(&app, t, 0, 13, 0, 0);
    let p_jpy2 = m.pay(&app, "R-JPY-2", "JPY", "800", "CARD").await;
    set(&app, t, 0, 14, 0, 0);
    let r = m
        .refund("RF-FAIL", &p_kwd, "KWD", "100", "SANDBOX_FAIL")
        .await;
    assert_eq!(r["result"]["resultCode"], "PROCESS_FAIL", "{r}");
    set(&app, t, 0, 23, 59, 59);
    let r = m
        .refund("RF-MID", &p_jpy2, "JPY", "300", "SANDBOX_ASYNC late")
        .await;
    assert_eq!(r["result"]["resultCode"], "REFUND_IN_PROCESS", "{r}");

    // Day T+1: the refund settles after midnight, a payment of day T is
    // cancelled within its window, and a new payment.
    set(&app, t, 1, 0, 0, 10);
    app.sweep().await;
    let mid = app
        .state
        .store
        .refund_by_request_id(&ClientId::from(&m.client_id), &"RF-MID".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mid.status.as_str(), "SUCCESS");
    set(&app, t, 1, 0, 10, 0);
    let r = m.call(CANCEL, &json!({"paymentId": p_jpy})).await;
    assert_eq!(r["result"]["resultCode"], "SUCCESS", "{r}");
    set(&app, t, 1, 0, 31, 0);
    app.sweep().await;
    set(&app, t, 1, 9, 0, 0);
    let p_kwd2 = m.pay(&app, "R-KWD-2", "KWD", "500", "CARD").await;
    set(&app, t, 2, 0, 31, 0);
    app.sweep().await;

    let all = [
        p_sgd.as_str(),
        &p_jpy,
        &p_kwd,
        &p_fail,
        &p_unpaid,
        &p_cxl,
        &p_jpy2,
        &p_kwd2,
    ];

    // ---- Day T
    let txn = fetched(&m, t, "TRANSACTION").await;
    assert_eq!(
        txn.keys().collect::<Vec<_>>(),
        [&format!(
            "transactionItems_{}_000.csv",
            reports::compact_date(t)
        )]
    );
    let rows = records(txn.values().next().unwrap(), &TRANSACTION_COLUMNS);
    assert_eq!(rows.len(), 12, "{rows:#?}");
    assert!(rows
        .iter()
        .all(|r| r["customerId"] == m.client_id && r["acquirer"] == "Cashier"));
    // Minor units as integers, whatever the exponent: JPY 0, SGD 2, KWD 3.
    let jpy = find(&rows, &p_jpy, "PAYMENT");
    assert_eq!(
        (
            jpy["transactionAmountValue"].as_str(),
            jpy["transactionCurrency"].as_str(),
            jpy["settlementAmountValue"].as_str(),
            jpy["feeAmountValue"].as_str()
        ),
        ("1500", "JPY", "1462", "-38"),
        "JPY 1500 at 2.5%: fee 37.5 rounds to even 38"
    );
    let kwd = find(&rows, &p_kwd, "PAYMENT");
    assert_eq!(
        (
            kwd["transactionAmountValue"].as_str(),
            kwd["settlementAmountValue"].as_str(),
            kwd["feeAmountValue"].as_str()
        ),
        ("12345", "12036", "-309")
    );
    let sgd = find(&rows, &p_sgd, "PAYMENT");
    assert_eq!(sgd["transactionAmountValue"], "6000");
    assert_eq!(sgd["transactionStatus"], "SUCCESS");
    assert_eq!(sgd["referenceTransactionId"], "ORDER-R-SGD-1");
    assert_eq!(sgd["paymentMethodType"], "ALIPAY_CN");
    assert_eq!(sgd["originalTransactionId"], "");
    let fail = find(&rows, &p_fail, "PAYMENT");
    assert_eq!(fail["transactionStatus"], "FAIL");
    assert_eq!(
        (
            fail["settlementAmountValue"].as_str(),
            fail["feeAmountValue"].as_str()
        ),
        ("0", "0")
    );
    assert_eq!(
        find(&rows, &p_unpaid, "PAYMENT")["transactionStatus"],
        "CANCELLED"
    );
    assert_eq!(
        find(&rows, &p_cxl, "PAYMENT")["transactionStatus"],
        "SUCCESS"
    );
    let cxl = find(&rows, &p_cxl, "CANCEL");
    assert_eq!(cxl["originalTransactionId"], p_cxl);
    assert_eq!(
        (
            cxl["settlementAmountValue"].as_str(),
            cxl["feeAmountValue"].as_str()
        ),
        ("-2925", "75"),
        "a cancel returns the whole fee"
    );
    let rf2 = find(&rows, "RF-2", "REFUND");
    assert_eq!(rf2["originalTransactionId"], p_sgd);
    assert_eq!(
        (
            rf2["settlementAmountValue"].as_str(),
            rf2["feeAmountValue"].as_str()
        ),
        ("-488", "12"),
        "SGD 5.00 refund returns 12.5 → 12 of the fee"
    );
    assert_eq!(
        find(&rows, "RF-FAIL", "REFUND")["transactionStatus"],
        "FAIL"
    );
    let late = find(&rows, "RF-MID", "REFUND");
    assert_eq!(late["transactionStatus"], "PROCESSING");
    assert_eq!(late["transactionTime"], format!("{t}T23:59:59+08:00"));
    assert_eq!(late["settlementAmountValue"], "0");
    // Times are UTC+8 and the rows are in time order.
    assert!(rows
        .iter()
        .all(|r| r["transactionTime"].ends_with("+08:00")));
    let times: Vec<&String> = rows.iter().map(|r| &r["transactionTime"]).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    let sums = store_sums(&app, &all, t, bps).await;
    assert_eq!(
        sums.keys().collect::<Vec<_>>(),
        ["JPY", "KWD", "SGD"],
        "settlement currencies of T"
    );
    assert_eq!(sums["SGD"], (9000, 1500, 3000, -150 - 75 + 75 + 25 + 12, 5));
    let settlement = fetched(&m, t, "SETTLEMENT").await;
    let summary = fetched(&m, t, "SUMMARY").await;
    assert_reconciles(&settlement, &summary, &sums);

    // ---- Day T+1: the midnight refund is final there, with the cancel of a
    // payment of day T.
    let rows1 = records(
        fetched(&m, t + Duration::days(1), "TRANSACTION")
            .await
            .values()
            .next()
            .unwrap(),
        &TRANSACTION_COLUMNS,
    );
    assert_eq!(rows1.len(), 3, "{rows1:#?}");
    let settled = find(&rows1, "RF-MID", "REFUND");
    assert_eq!(settled["transactionStatus"], "SUCCESS");
    assert_eq!(
        (
            settled["transactionAmountValue"].as_str(),
            settled["settlementAmountValue"].as_str(),
            settled["feeAmountValue"].as_str()
        ),
        ("300", "-292", "8")
    );
    let jpy_cancel = find(&rows1, &p_jpy, "CANCEL");
    assert_eq!(jpy_cancel["feeAmountValue"], "38");
    let sums1 = store_sums(&app, &all, t + Duration::days(1), bps).await;
    assert_eq!(sums1.keys().collect::<Vec<_>>(), ["JPY", "KWD"]);
    assert_reconciles(
        &fetched(&m, t + Duration::days(1), "SETTLEMENT").await,
        &fetched(&m, t + Duration::days(1), "SUMMARY").await,
        &sums1,
    );

    // The files on disk are the files served, and regenerating day T now
    // (everything has settled since) gives the same bytes.
    let dir = reports::report_dir(app.dir.path(), &m.client_id, t);
    for (name, content) in txn.iter().chain(&settlement).chain(&summary) {
        assert_eq!(&std::fs::read_to_string(dir.join(name)).unwrap(), content);
    }
    let again = reports::generate(app.state.store.as_ref(), &ClientId::from(&m.client_id), t)
        .await
        .unwrap();
    assert_eq!(again.len(), 1 + 2 * 3);
    for f in again {
        assert_eq!(
            std::fs::read_to_string(dir.join(&f.file_name)).unwrap(),
            f.content,
            "{}",
            f.file_name
        );
    }
}

#[rustfmt::skip]
fn golden_rows() -> Vec<ReportTxn> {
    let at = |h, m, s| {
        antom_offset()
            .with_ymd_and_hms(2025, 1, 2, h, m, s)
            .unwrap()
            .timestamp_millis()
    };
    let pid = |n: u32| format!("2025010210000000000000000000{n:04}");
    let row = |id: String,
               orig: Option<String>,
               req: &str,
               reference: Option<&str>,
               method: Option<&str>,
               kind: &str,
               status: &str,
               time: i64,
               cur: &str,
               amount: i64| ReportTxn {
        transaction_id: id,
        original_transaction_id: orig,
        transaction_request_id: req.into(),
        reference_transaction_id: reference.map(Into::into),
        payment_method_type: method.map(Into::into),
        transaction_type: kind.into(),
        transaction_status: status.into(),
        transaction_time: Timestamp::from_millis(time),
        amount: cashier_protocol::Amount::new(
            cashier_protocol::Currency::from_code(cur).unwrap(),
            amount.unsigned_abs(),
        ),
        settlement_currency: None,
        settlement_rate: None,
    };
    // Deliberately not in time order: the builder sorts.
    vec![
        row(pid(9001), Some(pid(1)), "RF-2", None, Some("ALIPAY_CN"), "REFUND", "SUCCESS", at(12, 0, 0), "SGD", 500),
        row(pid(1), None, "PR-1", Some("ORDER-1"), Some("ALIPAY_CN"), "PAYMENT", "SUCCESS", at(10, 0, 0), "SGD", 6000),
        row(pid(2), None, "PR-2", Some("ORDER \"2\", Tokyo"), Some("CARD"), "PAYMENT", "SUCCESS", at(10, 5, 0), "JPY", 1500),
        row(pid(3), None, "PR-3", None, Some("CARD"), "PAYMENT", "SUCCESS", at(10, 10, 0), "KWD", 12345),
        row(pid(4), None, "PR-4", Some("ORDER-4"), None, "PAYMENT", "FAIL", at(10, 15, 0), "SGD", 2500),
        row(pid(5), None, "PR-5", Some("ORDER-5"), None, "PAYMENT", "CANCELLED", at(10, 20, 0), "SGD", 1000),
        row(pid(6), None, "PR-6", Some("ORDER-6"), Some("GCASH"), "PAYMENT", "SUCCESS", at(10, 25, 0), "SGD", 3000),
        row(pid(6), Some(pid(6)), "PR-6", Some("ORDER-6"), Some("GCASH"), "CANCEL", "SUCCESS", at(10, 40, 0), "SGD", 3000),
        row(pid(9000), Some(pid(1)), "RF-1", Some("REF-1"), Some("ALIPAY_CN"), "REFUND", "SUCCESS", at(11, 0, 0), "SGD", 1000),
        row(pid(9002), Some(pid(3)), "RF-3", None, Some("CARD"), "REFUND", "FAIL", at(14, 0, 0), "KWD", 100),
        row(pid(9003), Some(pid(2)), "RF-4", None, Some("CARD"), "REFUND", "PROCESSING", at(23, 59, 59), "JPY", 300),
    ]
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Pins the exact bytes of every file of a day. Regenerate the golden files
/// after an intended layout change with `UPDATE_GOLDEN=1`.
#[test]
fn golden_files_pin_the_csv_layout() {
    let date = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
    let files: Vec<ReportFile> =
        reports::build(&"SANDBOX_GOLDEN".into(), date, 250, &golden_rows());
    let dir = golden_dir();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for f in &files {
            std::fs::write(dir.join(&f.file_name), &f.content).unwrap();
        }
    }
    let mut expected: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    expected.sort();
    let mut names: Vec<String> = files.iter().map(|f| f.file_name.clone()).collect();
    names.sort();
    assert_eq!(names, expected, "file names");
    let batch = reports::batch_id("SANDBOX_GOLDEN", "SGD", date);
    assert!(names.contains(&format!("settlementItems_SGD_{batch}_000.csv")));
    for f in &files {
        let golden = std::fs::read_to_string(dir.join(&f.file_name)).unwrap();
        assert_eq!(
            f.content, golden,
            "{} differs from its golden file",
            f.file_name
        );
    }
    // The kinds, in file order: details, then per currency settlement + summary.
    let kinds: Vec<ReportKind> = files.iter().map(|f| f.kind).collect();
    assert_eq!(kinds[0], ReportKind::Transaction);
    assert_eq!(kinds.len(), 7);
    // Same rows in another order: same bytes.
    let mut reversed = golden_rows();
    reversed.reverse();
    assert_eq!(
        reports::build(&"SANDBOX_GOLDEN".into(), date, 250, &reversed),
        files
    );
}

#[test]
fn fee_rounding_is_half_to_even_in_minor_units() {
    // JPY (exponent 0): 1500 × 2.5% = 37.5 → 38; 1300 × 2.5% = 32.5 → 32.
    assert_eq!(fee_minor(1500, 250), 38);
    assert_eq!(fee_minor(1300, 250), 32);
    assert_eq!(fee_minor(1, 10_000), 1);
    assert_eq!(fee_minor(1, 5_000), 0, "0.5 → 0");
    assert_eq!(fee_minor(3, 5_000), 2, "1.5 → 2");
    // KWD (exponent 3): 12.345 KWD × 2.5% = 0.308625 → 0.309; 1.005 × 1% → 0.010.
    assert_eq!(fee_minor(12_345, 250), 309);
    assert_eq!(fee_minor(1_005, 100), 10);
    assert_eq!(fee_minor(500, 250), 12, "12.5 → 12");
    assert_eq!(fee_minor(700, 250), 18, "17.5 → 18");
    assert_eq!(fee_minor(6_001, 250), 150, "150.025 → 150");
    assert_eq!(fee_minor(6_020, 250), 150, "150.5 → 150");
    assert_eq!(fee_minor(6_060, 250), 152, "151.5 → 152");
    assert_eq!(fee_minor(0, 250), 0);
    assert_eq!(fee_minor(12_345, 0), 0);
    assert_eq!(fee_minor(-5, 250), 0);
    // No overflow: the product is taken in u128.
    assert_eq!(fee_minor(i64::MAX, 10_000), i64::MAX);
    assert_eq!(
        fee_minor(9_999_999_999_999_999, 9_999),
        9_998_999_999_999_999
    );
    for a in 0..20_000 {
        assert_eq!(fee_minor(a, 250), expected_fee(a, 250), "{a}");
        assert_eq!(fee_minor(a, 33), expected_fee(a, 33), "{a}");
    }
}

#[test]
fn settlement_signs_follow_the_merchants_payout() {
    let mut r = golden_rows().remove(1); // PAYMENT SUCCESS SGD 6000
    let m = row_money(&r, 250);
    assert_eq!((m.settlement, m.fee, m.settles), (5850, -150, true));
    r.transaction_type = "REFUND".into();
    let m = row_money(&r, 250);
    assert_eq!((m.settlement, m.fee), (-5850, 150));
    r.transaction_type = "CANCEL".into();
    assert_eq!(row_money(&r, 250).settlement, -5850);
    for status in ["FAIL", "PROCESSING", "CANCELLED"] {
        r.transaction_status = status.into();
        let m = row_money(&r, 250);
        assert_eq!((m.settlement, m.fee, m.settles), (0, 0, false), "{status}");
    }
}

#[tokio::test]
async fn reports_are_generated_once_after_0030_on_the_next_day() {
    let app = TestApp::spawn().await;
    let m = shop(&app, "SANDBOX_AUTO_SHOP", 100).await;
    let t = future_day(&app, 2);
    set(&app, t, 0, 15, 0, 0);
    m.pay(&app, "R-AUTO", "SGD", "6000", "ALIPAY_CN").await;
    let dir = reports::report_dir(app.dir.path(), &m.client_id, t);

    set(&app, t, 1, 0, 29, 59);
    app.sweep().await;
    let r = m.fetch(t, "TRANSACTION").await;
    assert_eq!(r["result"]["resultCode"], "REPORT_NOT_READY", "{r}");
    assert_eq!(r["result"]["resultStatus"], "F");
    assert!(!dir.exists());

    set(&app, t, 1, 0, 30, 0);
    app.sweep().await;
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let batch = reports::batch_id(&m.client_id, "SGD", t);
    let day = reports::compact_date(t);
    assert_eq!(
        on_disk,
        [
            format!("settlementItems_SGD_{batch}_000.csv"),
            format!("settlementSummary_SGD_{batch}_000.csv"),
            format!("transactionItems_{day}_000.csv"),
        ],
        "no temporary files are left behind"
    );
    for kind in ["TRANSACTION", "SETTLEMENT", "SUMMARY"] {
        let files = fetched(&m, t, kind).await;
        assert_eq!(files.len(), 1, "{kind}");
        for (name, content) in files {
            assert_eq!(std::fs::read_to_string(dir.join(&name)).unwrap(), content);
        }
    }
    let summary = fetched(&m, t, "SUMMARY").await;
    let total = records(summary.values().next().unwrap(), &SUMMARY_COLUMNS);
    assert_eq!(total[4]["summaryType"], "TOTAL");
    assert_eq!(
        total[4]["settlementAmountValue"], "5940",
        "6000 less a 1% fee"
    );
    assert_eq!(
        total[4]["settlementTime"],
        format!("{}T00:00:00+08:00", t + Duration::days(1))
    );
    // The sandbox path serves the same, and the response is signed (send_raw verifies).
    let r = m
        .call(
            FETCH_SANDBOX,
            &json!({"reportDate": t.to_string(), "reportType": "SUMMARY"}),
        )
        .await;
    assert_eq!(r["files"][0]["content"], *summary.values().next().unwrap());

    // Generated once: a later sweep does not make the day again.
    let txn_path = dir.join(format!("transactionItems_{day}_000.csv"));
    std::fs::remove_file(&txn_path).unwrap();
    app.sweep().await;
    assert!(
        !txn_path.exists(),
        "the automatic job does not regenerate a day"
    );
    // A writer SIGKILLed between writing its temporary file and renaming it
    // leaves it behind (found by crates/cashier/tests/cashier/crash.rs): the next
    // run removes it.
    let leftover = dir.join(format!(
        ".transactionItems_{day}_000.csv.0123456789abcdef.tmp"
    ));
    std::fs::write(&leftover, "half a rep").unwrap();
    // On demand regenerates and overwrites.
    let paths = reports::generate_and_store(
        app.state.store.as_ref(),
        app.dir.path(),
        &ClientId::from(&m.client_id),
        t,
        &[ReportKind::Transaction],
        Mode::Regenerate,
        cashier_gateway::clock::Clock::now_ts(&app.clock),
    )
    .await
    .unwrap();
    assert_eq!(paths, std::slice::from_ref(&txn_path));
    assert!(txn_path.exists());
    assert!(
        !leftover.exists(),
        "a crashed writer's temporary file is removed"
    );

    // A gateway that was down catches up on the last seven closed days only.
    set(&app, t, 12, 1, 0, 0);
    app.sweep().await;
    for k in 1..12 {
        let d = t + Duration::days(k);
        let exists = reports::report_dir(app.dir.path(), &m.client_id, d).exists();
        assert_eq!(exists, k >= 5, "day T+{k}");
        let r = m.fetch(d, "SETTLEMENT").await;
        if k >= 5 {
            assert_eq!(r["result"]["resultStatus"], "S", "{r}");
            assert_eq!(r["files"], json!([]), "no money moved on T+{k}");
        } else {
            assert_eq!(r["result"]["resultCode"], "REPORT_NOT_READY");
        }
    }
}

/// Every method family reaches the transaction details as its own
/// `paymentMethodType` (issue #18).
#[tokio::test]
async fn every_method_family_is_reported_by_its_type() {
    let app = TestApp::spawn().await;
    let m = shop(&app, "SANDBOX_FAMILY_SHOP", 0).await;
    let t = future_day(&app, 2);
    set(&app, t, 0, 15, 0, 0);
    let paid = [
        ("R-CARD", "SGD", "6000", "CARD"),
        ("R-WALLET", "SGD", "6000", "ALIPAY_CN"),
        ("R-FPX", "MYR", "5000", "ONLINEBANKING_FPX"),
        ("R-VA", "IDR", "15000000", "BANKTRANSFER_BNI"),
        ("R-OTC", "JPY", "1000", "KONBINI"),
        ("R-PAYLATER", "PHP", "500000", "AKULAKU_PAYLATER_PH"),
        ("R-SHEET", "SGD", "6000", "GOOGLEPAY"),
    ];
    for (rid, cur, value, method) in paid {
        m.pay(&app, rid, cur, value, method).await;
    }
    set(&app, t, 1, 0, 30, 0);
    app.sweep().await;
    let txn = fetched(&m, t, "TRANSACTION").await;
    let rows = records(txn.values().next().unwrap(), &TRANSACTION_COLUMNS);
    for (rid, cur, value, method) in paid {
        let row = rows
            .iter()
            .find(|r| r["transactionRequestId"] == rid)
            .unwrap_or_else(|| panic!("{rid} is reported: {rows:?}"));
        assert_eq!(
            (
                row["paymentMethodType"].as_str(),
                row["transactionCurrency"].as_str(),
                row["transactionAmountValue"].as_str()
            ),
            (method, cur, value),
            "{rid}"
        );
    }
}

#[tokio::test]
async fn fetch_report_rejects_bad_input_and_other_merchants_days() {
    let app = TestApp::spawn().await;
    let date = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
    #[rustfmt::skip]
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("empty", json!({}), "PARAM_ILLEGAL", "reportDate is required"),
        ("null date", json!({"reportDate": null, "reportType": "TRANSACTION"}), "PARAM_ILLEGAL", "reportDate is required"),
        ("slashes", json!({"reportDate": "2025/01/02", "reportType": "TRANSACTION"}), "PARAM_ILLEGAL", "YYYY-MM-DD"),
        ("compact", json!({"reportDate": "20250102", "reportType": "TRANSACTION"}), "PARAM_ILLEGAL", "YYYY-MM-DD"),
        ("no padding", json!({"reportDate": "2025-1-2", "reportType": "TRANSACTION"}), "PARAM_ILLEGAL", "YYYY-MM-DD"),
        ("30 February", json!({"reportDate": "2025-02-30", "reportType": "TRANSACTION"}), "PARAM_ILLEGAL", "not a calendar date"),
        ("number", json!({"reportDate": 20250102, "reportType": "TRANSACTION"}), "PARAM_ILLEGAL", "must be a string"),
        ("no type", json!({"reportDate": "2025-01-02"}), "PARAM_ILLEGAL", "reportType is required"),
        ("unknown type", json!({"reportDate": "2025-01-02", "reportType": "DAILY"}), "PARAM_ILLEGAL", "TRANSACTION, SETTLEMENT or SUMMARY"),
        ("lower case", json!({"reportDate": "2025-01-02", "reportType": "transaction"}), "PARAM_ILLEGAL", "not \"transaction\""),
        ("type not a string", json!({"reportDate": "2025-01-02", "reportType": ["SUMMARY"]}), "PARAM_ILLEGAL", "must be a string"),
        ("not generated", json!({"reportDate": "2025-01-02", "reportType": "TRANSACTION"}), "REPORT_NOT_READY", "2025-01-02"),
    ];
    for (name, body, code, message) in cases {
        let r = app.call(FETCH, &body).await;
        assert_eq!(r["result"]["resultCode"], code, "{name}: {r}");
        assert_eq!(r["result"]["resultStatus"], "F", "{name}");
        let text = r["result"]["resultMessage"].as_str().unwrap();
        assert!(text.contains(message), "{name}: {text}");
        assert!(r.get("files").is_none(), "{name}");
    }
    for raw in [&b"not json"[..], b"[]", b""] {
        let r = app.client.send_raw(FETCH, raw).await.unwrap();
        assert_eq!(r.result.unwrap().result_code, "PARAM_ILLEGAL");
    }

    // Another merchant's day is not visible; the caller's own is.
    let other = shop(&app, "SANDBOX_OTHER_SHOP", 0).await;
    reports::generate_and_store(
        app.state.store.as_ref(),
        app.dir.path(),
        &ClientId::from(&other.client_id),
        date,
        &ReportKind::ALL,
        Mode::Regenerate,
        Timestamp::from_millis(0),
    )
    .await
    .unwrap();
    let body = json!({"reportDate": "2025-01-02", "reportType": "TRANSACTION"});
    let r = app.call(FETCH, &body).await;
    assert_eq!(r["result"]["resultCode"], "REPORT_NOT_READY", "{r}");
    let r = other.call(FETCH, &body).await;
    assert_eq!(r["result"]["resultCode"], "SUCCESS", "{r}");
    let content = r["files"][0]["content"].as_str().unwrap();
    assert!(records(content, &TRANSACTION_COLUMNS).is_empty());
    assert_eq!(
        content,
        format!("{}\n<END>\n", TRANSACTION_COLUMNS.join(","))
    );

    // The store API refuses an unknown merchant, and a client id that is not a path segment.
    for id in ["SANDBOX_NOBODY", "../etc", ""] {
        let e = reports::generate_and_store(
            app.state.store.as_ref(),
            app.dir.path(),
            &ClientId::from(id),
            date,
            &ReportKind::ALL,
            Mode::Regenerate,
            Timestamp::from_millis(0),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(e, reports::ReportError::UnknownMerchant(_)),
            "{id}: {e}"
        );
    }
}

#[tokio::test]
async fn only_the_node_holding_the_report_lease_generates() {
    let app = TestApp::spawn().await;
    let m = shop(&app, "SANDBOX_LEASE_SHOP", 0).await;
    let t = future_day(&app, 2);
    set(&app, t, 0, 10, 0, 0);
    m.pay(&app, "R-LEASE", "SGD", "6000", "ALIPAY_CN").await;
    let dir = reports::report_dir(app.dir.path(), &m.client_id, t);
    // Another node holds the job for the next five minutes.
    set(&app, t, 1, 0, 30, 0);
    let now = cashier_gateway::clock::Clock::now_ts(&app.clock);
    assert!(app
        .state
        .store
        .try_lock_job(
            cashier_gateway::workers::REPORT_JOB,
            "other-node",
            now + Duration::milliseconds(300_000),
            now
        )
        .await
        .unwrap());
    app.sweep().await;
    assert!(!dir.exists(), "this node does not hold the lease");
    // The other node died: its lease runs out and this node takes over.
    app.clock.advance(chrono::Duration::minutes(6));
    app.sweep().await;
    assert!(dir.exists(), "generated once the lease expired");
}

/// `minor` of a currency with exponent `from_exp`, at a rate given as an
/// integer with eight decimals, into minor units of a currency with
/// exponent `to_exp`, half to even — written apart from the gateway's.
fn expected_convert(minor: i64, rate_e8: i64, from_exp: u32, to_exp: u32) -> i64 {
    let n = i128::from(minor) * i128::from(rate_e8) * 10i128.pow(to_exp);
    let d = 100_000_000i128 * 10i128.pow(from_exp);
    let (q, r) = (n / d, n % d);
    let q = if 2 * r > d || (2 * r == d && q % 2 == 1) {
        q + 1
    } else {
        q
    };
    i64::try_from(q).unwrap()
}

#[tokio::test]
async fn converted_payments_settle_in_the_contracted_currency_and_reconcile() {
    let app = TestApp::spawn().await;
    let bps = 250;
    let m = shop(&app, "SANDBOX_FX_SHOP", bps as u32).await;
    merchants::update(
        app.state.store.as_ref(),
        &ClientId::from(&m.client_id),
        &merchants::MerchantUpdate {
            settlement_currencies: Some("USD,SGD".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app.state
        .merchant_cache
        .forget(&ClientId::from(&m.client_id));

    // Outside the contract: refused, nothing stored.
    let before = app.state.store.counts().await.unwrap();
    let r = m
        .call(
            cashier_client::CREATE_PAYMENT_SESSION,
            &Shop::session_body("PR-EUR", "SGD", "4200", "EUR"),
        )
        .await;
    assert_eq!(
        r["result"]["resultCode"], "SETTLE_CONTRACT_NOT_MATCH",
        "{r}"
    );
    assert_eq!(
        r["result"]["resultMessage"],
        "settlementStrategy.settlementCurrency EUR is not contracted; contracted: USD, SGD."
    );
    assert_eq!(app.state.store.counts().await.unwrap(), before);
    // Absent with two contracted: accepted in the payment's own currency,
    // with the integration warning Antom's requirement calls for.
    let mut body = Shop::session_body("PR-NO-STRATEGY", "SGD", "4200", "SGD");
    body.as_object_mut().unwrap().remove("settlementStrategy");
    let r = m.call(cashier_client::CREATE_PAYMENT_SESSION, &body).await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    let p = app
        .state
        .store
        .payment_by_request_id(&ClientId::from(&m.client_id), &"PR-NO-STRATEGY".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.settlement_currency.map(|c| c.code()), Some("SGD"));
    let rules: Vec<String> = app
        .state
        .store
        .payment_warnings(&p.payment_id)
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.rule)
        .collect();
    assert!(
        rules.contains(&"SETTLEMENT_CURRENCY_MISSING".to_string()),
        "{rules:?}"
    );

    // SGD 42.00 settled in USD, SGD 10.00 of it refunded; SGD 20.00 settled in SGD.
    let r = m
        .call(
            cashier_client::CREATE_PAYMENT_SESSION,
            &Shop::session_body("PR-FX", "SGD", "4200", "USD"),
        )
        .await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    let fx = m.simulate(&app, "PR-FX", "SUCCESS", "CARD").await;
    let stored = app.stored_payment(&fx).await.unwrap();
    assert_eq!(stored.settlement_currency.map(|c| c.code()), Some("USD"));
    assert_eq!(stored.settlement_rate.as_deref(), Some("0.74074074"));
    assert_eq!(stored.settlement_rate_at, Some(stored.created_at));
    let r = m.refund("RF-FX", &fx, "SGD", "1000", "").await;
    assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    let own = m.pay(&app, "PR-OWN", "SGD", "2000", "CARD").await;

    let date = antom_day(cashier_gateway::clock::Clock::now(&app.clock));
    let files = reports::generate(
        app.state.store.as_ref(),
        &ClientId::from(&m.client_id),
        date,
    )
    .await
    .unwrap();
    let details = &files
        .iter()
        .find(|f| f.kind == ReportKind::Transaction)
        .unwrap()
        .content;
    let rows = records(details, &TRANSACTION_COLUMNS);
    let rate_e8 = 74_074_074;
    let paid_usd = expected_convert(4200, rate_e8, 2, 2);
    let refunded_usd = expected_convert(1000, rate_e8, 2, 2);
    assert_eq!((paid_usd, refunded_usd), (3111, 741));
    let pay = find(&rows, &fx, "PAYMENT");
    assert_eq!(
        (
            pay["transactionAmountValue"].as_str(),
            pay["transactionCurrency"].as_str(),
            pay["settlementCurrency"].as_str(),
            pay["quoteCurrencyPair"].as_str(),
            pay["quotePrice"].as_str(),
            pay["feeCurrency"].as_str(),
        ),
        ("4200", "SGD", "USD", "SGD/USD", "0.74074074", "USD")
    );
    let pay_fee = expected_fee(paid_usd, bps);
    assert_eq!(int(pay, "feeAmountValue"), -pay_fee);
    assert_eq!(int(pay, "settlementAmountValue"), paid_usd - pay_fee);
    let refund = find(&rows, "RF-FX", "REFUND");
    let refund_fee = expected_fee(refunded_usd, bps);
    assert_eq!(refund["quotePrice"], "0.74074074", "the payment's rate");
    assert_eq!(
        int(refund, "settlementAmountValue"),
        refund_fee - refunded_usd
    );
    assert_eq!(int(refund, "feeAmountValue"), refund_fee);
    let plain = find(&rows, &own, "PAYMENT");
    assert_eq!(
        (
            plain["settlementCurrency"].as_str(),
            plain["quotePrice"].as_str()
        ),
        ("SGD", "")
    );

    // One settlement file and summary per settlement currency, adding up.
    let by_kind = |kind| -> BTreeMap<String, String> {
        files
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| (f.file_name.clone(), f.content.clone()))
            .collect()
    };
    let settlement = by_kind(ReportKind::Settlement);
    let summaries = by_kind(ReportKind::Summary);
    assert_eq!(settlement.len(), 2);
    let usd = settlement
        .iter()
        .find(|(n, _)| n.starts_with("settlementItems_USD_"))
        .expect("a USD settlement file")
        .1;
    let usd_rows = records(usd, &SETTLEMENT_COLUMNS);
    let net = (paid_usd - pay_fee) + (refund_fee - refunded_usd);
    assert_eq!(
        usd_rows
            .iter()
            .map(|r| int(r, "settlementAmountValue"))
            .sum::<i64>(),
        net
    );
    let (_, usd_summary) = summaries
        .iter()
        .find(|(n, _)| n.starts_with("settlementSummary_USD_"))
        .unwrap();
    let summary = records(usd_summary, &SUMMARY_COLUMNS);
    let line = |t: &str| summary.iter().find(|r| r["summaryType"] == t).unwrap();
    assert_eq!(int(line("PAYMENT"), "settlementAmountValue"), paid_usd);
    assert_eq!(int(line("REFUND"), "settlementAmountValue"), -refunded_usd);
    assert_eq!(
        int(line("FEE"), "settlementAmountValue"),
        refund_fee - pay_fee
    );
    assert_eq!(int(line("TOTAL"), "settlementAmountValue"), net);
    let sgd = settlement
        .iter()
        .find(|(n, _)| n.starts_with("settlementItems_SGD_"))
        .expect("an SGD settlement file")
        .1;
    let sgd_rows = records(sgd, &SETTLEMENT_COLUMNS);
    assert_eq!(sgd_rows.len(), 1);
    assert_eq!(
        int(&sgd_rows[0], "settlementAmountValue"),
        2000 - expected_fee(2000, bps)
    );
}
