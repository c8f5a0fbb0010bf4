//! The CSV layouts (docs/protocol.md §8.1-§8.4): column lists, one function per
//! file kind. UTF-8, `\n` line ends, a header line first, `<END>` last;
//! fields are quoted only when they need it (the `csv` crate's rules:
//! a comma, a quote or a line break), so ids and amounts are bare.

use std::borrow::Cow;

use crate::clock::format_timestamp;

use super::{amount_minor, row_money, settled, ACQUIRER, END_MARKER};
use crate::store::ReportTxn;

/// Transaction details: docs/protocol.md §8.2 rows 1-22, then `remark`. The card
/// columns of row 23 are left out (the card details a payment keeps — the
/// masked number and `paymentResultInfo` — are not needed to reconcile, and a
/// report file is the last place a card number should travel).
pub const TRANSACTION_COLUMNS: [&str; 23] = [
    "customerId",
    "acquirer",
    "acquirerReferenceNo",
    "referenceMerchantId",
    "transactionId",
    "originalTransactionId",
    "transactionRequestId",
    "referenceTransactionId",
    "paymentMethodType",
    "transactionType",
    "transactionStatus",
    "transactionTime",
    "transactionAmountValue",
    "transactionCurrency",
    "settlementAmountValue",
    "settlementCurrency",
    "quoteCurrencyPair",
    "quotePrice",
    "feeAmountValue",
    "feeCurrency",
    "taxFeeAmountValue",
    "taxFeeCurrency",
    "remark",
];

/// Settlement details: `settlementBatchId`, then the §8.3 list (the
/// transaction columns without `transactionStatus`: every row is a success).
pub const SETTLEMENT_COLUMNS: [&str; 23] = [
    "settlementBatchId",
    "customerId",
    "acquirer",
    "acquirerReferenceNo",
    "referenceMerchantId",
    "transactionId",
    "originalTransactionId",
    "transactionRequestId",
    "referenceTransactionId",
    "paymentMethodType",
    "transactionType",
    "transactionTime",
    "transactionAmountValue",
    "transactionCurrency",
    "settlementAmountValue",
    "settlementCurrency",
    "quoteCurrencyPair",
    "quotePrice",
    "feeAmountValue",
    "feeCurrency",
    "taxFeeAmountValue",
    "taxFeeCurrency",
    "remark",
];

/// Settlement summary (§8.4).
pub const SUMMARY_COLUMNS: [&str; 13] = [
    "settlementBatchId",
    "customerId",
    "acquirer",
    "summaryType",
    "settlementAmountValue",
    "settlementCurrency",
    "feeAmountValue",
    "feeCurrency",
    "taxFeeAmountValue",
    "taxFeeCurrency",
    "transactionCount",
    "settlementTime",
    "remark",
];

/// Summary rows, in file order.
pub const SUMMARY_TYPES: [&str; 5] = ["PAYMENT", "REFUND", "CANCEL", "FEE", "TOTAL"];

/// A cell a spreadsheet will not run (OWASP, CSV injection): text that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
/// `'`, which spreadsheets show as text. Only for text the merchant chose
/// (request ids, reference ids); amounts, which may be negative, and ids
/// Cashier made are written as they are.
pub fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().expect("writing to memory cannot fail");
    let mut s = String::from_utf8(bytes).expect("every field is a Rust string");
    s.push_str(END_MARKER);
    s.push('\n');
    s
}

fn record<const N: usize>(w: &mut csv::Writer<Vec<u8>>, fields: [&str; N]) {
    w.write_record(fields)
        .expect("writing to memory cannot fail");
}

/// The remark of a row, if any.
fn remark(row: &ReportTxn) -> &'static str {
    if row.transaction_status == "PROCESSING" {
        "not settled; listed again on the day it completes"
    } else {
        ""
    }
}

/// The `TRANSACTION_COLUMNS` values of one row; the settlement details use
/// the same values less `transactionStatus`.
fn transaction_fields(client_id: &str, fee_bps: u32, row: &ReportTxn) -> Vec<String> {
    let money = row_money(row, fee_bps);
    let cur = row.amount.currency().code();
    let (settle_cur, _, rate) = settled(row);
    let (pair, price) = match rate {
        Some(rate) => (format!("{cur}/{settle_cur}"), rate.to_string()),
        None => (String::new(), String::new()),
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        client_id.to_string(),
        ACQUIRER.to_string(),
        String::new(),
        String::new(),
        row.transaction_id.clone(),
        opt(&row.original_transaction_id),
        spreadsheet_safe(&row.transaction_request_id).into_owned(),
        spreadsheet_safe(&opt(&row.reference_transaction_id)).into_owned(),
        opt(&row.payment_method_type),
        row.transaction_type.clone(),
        row.transaction_status.clone(),
        format_timestamp(row.transaction_time),
        amount_minor(row).to_string(),
        cur.to_string(),
        money.settlement.to_string(),
        settle_cur.to_string(),
        pair,
        price,
        money.fee.to_string(),
        settle_cur.to_string(),
        "0".to_string(),
        settle_cur.to_string(),
        remark(row).to_string(),
    ]
}

/// Index of `transactionStatus` in [`transaction_fields`].
const STATUS_FIELD: usize = 10;

pub(super) fn transaction_details(client_id: &str, fee_bps: u32, rows: &[&ReportTxn]) -> String {
    let mut w = writer();
    record(&mut w, TRANSACTION_COLUMNS);
    for row in rows {
        w.write_record(transaction_fields(client_id, fee_bps, row))
            .expect("writing to memory cannot fail");
    }
    finish(w)
}

pub(super) fn settlement_details(
    client_id: &str,
    batch: &str,
    fee_bps: u32,
    rows: &[&ReportTxn],
) -> String {
    let mut w = writer();
    record(&mut w, SETTLEMENT_COLUMNS);
    for row in rows {
        let mut fields = transaction_fields(client_id, fee_bps, row);
        fields.remove(STATUS_FIELD);
        fields.insert(0, batch.to_string());
        w.write_record(fields)
            .expect("writing to memory cannot fail");
    }
    finish(w)
}

/// Totals of one type of row, as `i128`: a day of many large payments
/// sums past `i64` (923 of the largest 16-digit amount do), and a report
/// must show the exact total, never a wrapped one.
#[derive(Default, Clone, Copy)]
struct Totals {
    /// Signed gross amount (positive for payments, negative otherwise).
    gross: i128,
    fee: i128,
    count: u64,
}

/// The summary of one settlement currency. `settlementAmountValue` of the
/// PAYMENT, REFUND and CANCEL rows is gross (before fees; payments positive,
/// refunds and cancels negative) and `feeAmountValue` is the fee of those
/// rows; the fees count once towards the payout, in the FEE row, so that
/// `TOTAL.settlementAmountValue = PAYMENT + REFUND + CANCEL + FEE` (the
/// net payout, equal to the sum of the details file's settlementAmountValue)
/// and `TOTAL.feeAmountValue = FEE.feeAmountValue` (the net fee).
pub(super) fn settlement_summary(
    client_id: &str,
    batch: &str,
    currency: &str,
    settlement_time: &str,
    fee_bps: u32,
    rows: &[&ReportTxn],
) -> String {
    let mut by_type = [Totals::default(); 3];
    let mut fee_rows = 0u64;
    for row in rows {
        let money = row_money(row, fee_bps);
        let (slot, sign) = match row.transaction_type.as_str() {
            "PAYMENT" => (0, 1),
            "REFUND" => (1, -1),
            _ => (2, -1),
        };
        let t = &mut by_type[slot];
        t.gross += sign * i128::from(settled(row).1);
        t.fee += i128::from(money.fee);
        t.count += 1;
        if money.fee != 0 {
            fee_rows += 1;
        }
    }
    let fee_total: i128 = by_type.iter().map(|t| t.fee).sum();
    let gross_total: i128 = by_type.iter().map(|t| t.gross).sum();
    let lines = [
        (by_type[0].gross, by_type[0].fee, by_type[0].count),
        (by_type[1].gross, by_type[1].fee, by_type[1].count),
        (by_type[2].gross, by_type[2].fee, by_type[2].count),
        (fee_total, fee_total, fee_rows),
        (gross_total + fee_total, fee_total, rows.len() as u64),
    ];
    let mut w = writer();
    record(&mut w, SUMMARY_COLUMNS);
    for (kind, (settlement, fee, count)) in SUMMARY_TYPES.iter().zip(lines) {
        let (settlement, fee, count) = (settlement.to_string(), fee.to_string(), count.to_string());
        record(
            &mut w,
            [
                batch,
                client_id,
                ACQUIRER,
                kind,
                &settlement,
                currency,
                &fee,
                currency,
                "0",
                currency,
                &count,
                settlement_time,
                "",
            ],
        );
    }
    finish(w)
}
