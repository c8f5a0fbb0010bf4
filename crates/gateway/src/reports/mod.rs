//! Daily reconciliation reports (docs/protocol.md §8).
//!
//! A merchant reconciles by comparing what it believes happened with what
//! the gateway says happened and what it will be paid. For every UTC+8
//! calendar day T (Antom's day, the same one the cancel window uses) Cashier
//! writes three kinds of CSV file:
//!
//! - transaction details, `transactionItems_<YYYYMMDD>_000.csv` (§8.2): every
//!   PAYMENT, CANCEL and REFUND event of day T, whatever its outcome;
//! - settlement details, `settlementItems_<CUR>_<batchId>_000.csv` (§8.3): only
//!   the rows that move money, one file per settlement currency;
//! - settlement summary, `settlementSummary_<CUR>_<batchId>_000.csv` (§8.4):
//!   the totals of the details file, by type.
//!
//! Why it is built this way:
//!
//! - **A report is a pure function of the store rows.** [`build`] takes the
//!   rows of [`ReportStore::report_transactions`](crate::store::ReportStore::report_transactions) and the merchant's fee rate and
//!   returns the files; no clock, no I/O. The layout is pinned by golden files
//!   and a day regenerated later produces the same bytes (the store lists each
//!   event at the time it happened: a refund still processing at midnight is
//!   `PROCESSING` on its creation day however late the report is made).
//! - **Money is integers.** Amounts are minor units (`i64`), the currency's
//!   exponent is implicit, as on the wire (§5.4). The fee is
//!   `round_half_even(amount × fee_bps / 10000)` computed in `u128`
//!   ([`fee_minor`]); there are no floats in this module.
//! - **One sign convention** (§8.3 \[DESIGN\]): transaction amounts are always
//!   positive; settlement and fee values are signed from the merchant's point
//!   of view — what reduces the payout is negative. `settlementAmountValue` is
//!   net of the row's fee, as in Antom's worked example (KRW 18000 settled as
//!   USD 14.50 with a USD 0.50 fee), so the sum of that one column over a
//!   settlement details file is the payout of the batch.
//! - **Settlement currency.** A row settles in its payment's settlement
//!   currency (`crate::settlement`): the transaction currency unless the
//!   merchant contracted another, in which case the amount is converted at
//!   the rate recorded with the payment (`quoteCurrencyPair` `SGD/USD`,
//!   `quotePrice`), rounded half to even ([`cashier_protocol::fx`]), and the
//!   fee is taken from the converted amount. Settlement files are per
//!   settlement currency.
//! - **Generated once, automatically** ([`generate_due`], called from the
//!   worker sweep) after 00:30 UTC+8 on T+1, for every merchant, looking back
//!   at most [`LOOKBACK_DAYS`] days so that a gateway that was down catches up.
//!   A day counts as generated when its transaction details file is stored;
//!   that file is stored last, so a crash half-way leaves the day to be
//!   generated again. `cashier report` regenerates on demand and overwrites.
//! - **Files live in the store and on disk.** The store copy is what the
//!   signed `reports/fetch` API serves (any node can answer); the copy under
//!   `<data_dir>/reports/<clientId>/<YYYYMMDD>/` is for operators and SFTP-like
//!   pickup, written atomically (temporary file, fsync, rename).

mod csv_out;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::clock::format_timestamp;
use cashier_protocol::fx::Rate;
use cashier_protocol::time::{antom_day, antom_offset};
use cashier_protocol::Currency;
use chrono::{Duration, NaiveDate, TimeZone, Utc};

use crate::merchant_cache::MerchantClocks;
use crate::store::{ClientId, Merchant, ReportTxn, Store, StoreError, Timestamp};

pub use csv_out::{
    spreadsheet_safe, SETTLEMENT_COLUMNS, SUMMARY_COLUMNS, SUMMARY_TYPES, TRANSACTION_COLUMNS,
};

/// The `acquirer` column: the gateway itself settles.
pub const ACQUIRER: &str = "Cashier";

/// How many closed days the automatic job looks back.
pub const LOOKBACK_DAYS: i64 = 7;

/// Minutes after midnight UTC+8 on T+1 before day T is generated: late
/// writes of day T (a request that started at 23:59:59) have landed by then.
pub const GENERATE_AFTER_MINUTES: i64 = 30;

/// The last line of every report file (§8.1).
pub const END_MARKER: &str = "<END>";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportKind {
    /// Transaction details (§8.2).
    Transaction,
    /// Settlement details (§8.3).
    Settlement,
    /// Settlement summary (§8.4).
    Summary,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [
        ReportKind::Transaction,
        ReportKind::Settlement,
        ReportKind::Summary,
    ];

    /// The name used in the store and in the fetch API's `reportType`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Transaction => "TRANSACTION",
            ReportKind::Settlement => "SETTLEMENT",
            ReportKind::Summary => "SUMMARY",
        }
    }

    pub fn parse(s: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// File name prefix, to find a kind's files in a day directory.
    pub fn file_prefix(self) -> &'static str {
        match self {
            ReportKind::Transaction => "transactionItems_",
            ReportKind::Settlement => "settlementItems_",
            ReportKind::Summary => "settlementSummary_",
        }
    }
}

/// One generated CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    pub kind: ReportKind,
    pub file_name: String,
    pub content: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no merchant with client id {0:?}")]
    UnknownMerchant(String),
    #[error("writing {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Parses a report date, strictly `YYYY-MM-DD` (a calendar day in UTC+8).
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!("{s:?} is not a date in the form YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s:?} is not a calendar date"))
}

/// `YYYYMMDD`, as in file names and batch ids.
pub fn compact_date(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// Day T's window: `[T 00:00+08:00, T+1 00:00+08:00)`.
pub fn day_window(date: NaiveDate) -> (Timestamp, Timestamp) {
    let start = |d: NaiveDate| {
        antom_offset()
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists"))
            .single()
            .expect("a fixed offset has no gaps")
            .with_timezone(&Utc)
            .into()
    };
    let next = date.succ_opt().expect("dates far from the end of time");
    (start(date), start(next))
}

/// Settlement fee of `amount_minor` at `fee_bps` basis points, in minor
/// units of the same currency: `amount × fee_bps / 10000` rounded half to
/// even (banker's rounding, as the SDKs round IDR). Integer arithmetic
/// only; negative inputs are treated as zero.
pub fn fee_minor(amount_minor: i64, fee_bps: u32) -> i64 {
    let n = u128::try_from(amount_minor).unwrap_or(0) * u128::from(fee_bps);
    let (q, r) = (n / 10_000, n % 10_000);
    let up = r > 5_000 || (r == 5_000 && q % 2 == 1);
    let fee = q + u128::from(up);
    i64::try_from(fee).unwrap_or(i64::MAX)
}

/// The settlement batch of a merchant, currency and day: `YYYYMMDD` followed
/// by 12 decimal digits taken from SHA-256 of `clientId|CUR|YYYYMMDD`.
/// Numeric like Antom's batch ids, stable across regenerations and nodes,
/// and distinct per merchant and currency.
pub fn batch_id(client_id: &str, currency: &str, date: NaiveDate) -> String {
    let day = compact_date(date);
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("{client_id}|{currency}|{day}").as_bytes(),
    );
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest.as_ref()[..8]);
    let n = u64::from_be_bytes(first) % 1_000_000_000_000;
    format!("{day}{n:012}")
}

/// A row's settlement currency and its amount in it (minor units), with
/// the rate used (`None` when none was needed).
pub fn settled(row: &ReportTxn) -> (Currency, i64, Option<Rate>) {
    let from = row.amount.currency();
    let minor = amount_minor(row);
    let to = row.settlement_currency.unwrap_or(from);
    let converted = (to != from)
        .then(|| {
            let rate: Rate = row.settlement_rate.as_deref()?.parse().ok()?;
            Some((rate.convert(minor, from, to), rate))
        })
        .flatten();
    match converted {
        Some((amount, rate)) => (to, amount, Some(rate)),
        // No usable rate recorded: the row settles as it was paid.
        None => (from, minor, None),
    }
}

/// A row's amount in minor units of its own currency (at most 16 digits,
/// as the store decodes it, so it fits).
pub fn amount_minor(row: &ReportTxn) -> i64 {
    i64::try_from(row.amount.minor()).unwrap_or(i64::MAX)
}

/// What a row does to the merchant's money, in minor units of its
/// settlement currency ([`settled`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowMoney {
    /// Net effect on the payout: the signed amount plus the signed fee.
    pub settlement: i64,
    /// Fee charged (negative) or returned (positive).
    pub fee: i64,
    /// False for rows that move no money (failures, processing refunds,
    /// unpaid cancels): their settlement and fee are 0.
    pub settles: bool,
}

/// The settlement rule (§8.5), one row at a time:
///
/// | row | settlementAmountValue | feeAmountValue |
/// |---|---|---|
/// | PAYMENT SUCCESS | `amount − fee` | `−fee` |
/// | CANCEL SUCCESS (of a paid payment) | `−(amount − fee)` | `+fee` (the whole fee returned) |
/// | REFUND SUCCESS | `−(refund − fee(refund))` | `+fee(refund)` (proportional) |
/// | anything else | `0` | `0` |
///
/// with `fee(x) = fee_minor(x, fee_bps)`.
pub fn row_money(row: &ReportTxn, fee_bps: u32) -> RowMoney {
    if row.transaction_status != "SUCCESS" {
        return RowMoney::default();
    }
    let (_, amount, _) = settled(row);
    let fee = fee_minor(amount, fee_bps);
    match row.transaction_type.as_str() {
        "PAYMENT" => RowMoney {
            settlement: amount - fee,
            fee: -fee,
            settles: true,
        },
        "CANCEL" | "REFUND" => RowMoney {
            settlement: fee - amount,
            fee,
            settles: true,
        },
        _ => RowMoney::default(),
    }
}

/// Order of rows in every file: by time, then PAYMENT before CANCEL before
/// REFUND (a payment and its cancel share an id), then by id.
fn sorted(rows: &[ReportTxn]) -> Vec<&ReportTxn> {
    let rank = |t: &str| match t {
        "PAYMENT" => 0,
        "CANCEL" => 1,
        "REFUND" => 2,
        _ => 3,
    };
    let mut out: Vec<&ReportTxn> = rows.iter().collect();
    out.sort_by(|a, b| {
        (
            a.transaction_time,
            rank(&a.transaction_type),
            &a.transaction_id,
        )
            .cmp(&(
                b.transaction_time,
                rank(&b.transaction_type),
                &b.transaction_id,
            ))
    });
    out
}

/// Builds every report file of a merchant's day from its store rows: the
/// transaction details, then for each settlement currency (alphabetical)
/// its settlement details and summary. Pure: same rows, same bytes.
pub fn build(
    client_id: &ClientId,
    date: NaiveDate,
    fee_bps: u32,
    rows: &[ReportTxn],
) -> Vec<ReportFile> {
    let rows = sorted(rows);
    let mut files = vec![ReportFile {
        kind: ReportKind::Transaction,
        file_name: format!("transactionItems_{}_000.csv", compact_date(date)),
        content: csv_out::transaction_details(client_id, fee_bps, &rows),
    }];
    let mut by_currency: BTreeMap<&str, Vec<&ReportTxn>> = BTreeMap::new();
    for row in rows.iter().filter(|r| row_money(r, fee_bps).settles) {
        by_currency
            .entry(settled(row).0.code())
            .or_default()
            .push(row);
    }
    let (_, batch_end) = day_window(date);
    for (currency, items) in by_currency {
        let batch = batch_id(client_id, currency, date);
        files.push(ReportFile {
            kind: ReportKind::Settlement,
            file_name: format!("settlementItems_{currency}_{batch}_000.csv"),
            content: csv_out::settlement_details(client_id, &batch, fee_bps, &items),
        });
        files.push(ReportFile {
            kind: ReportKind::Summary,
            file_name: format!("settlementSummary_{currency}_{batch}_000.csv"),
            content: csv_out::settlement_summary(
                client_id,
                &batch,
                currency,
                &format_timestamp(batch_end),
                fee_bps,
                &items,
            ),
        });
    }
    files
}

/// Reads a merchant's day from the store and builds its files.
pub async fn generate(
    store: &dyn Store,
    client_id: &ClientId,
    date: NaiveDate,
) -> Result<Vec<ReportFile>, ReportError> {
    let merchant = store
        .merchant(client_id)
        .await?
        .ok_or_else(|| ReportError::UnknownMerchant(client_id.to_string()))?;
    let (from, to) = day_window(date);
    let rows = store.report_transactions(client_id, from, to).await?;
    Ok(build(client_id, date, merchant.fee_bps, &rows))
}

/// Whether [`generate_and_store`] leaves an existing day alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The automatic job: a day already generated is not generated again.
    IfMissing,
    /// On demand (`cashier report`): regenerate and overwrite the requested
    /// kinds. A day never generated before is generated whole, whatever
    /// kinds were asked for, so that no day is ever half-made.
    Regenerate,
}

/// `<data_dir>/reports/<clientId>/<YYYYMMDD>`.
pub fn report_dir(data_dir: &Path, client_id: &str, date: NaiveDate) -> PathBuf {
    data_dir
        .join("reports")
        .join(client_id)
        .join(compact_date(date))
}

/// Generates a merchant's day, writes the files under [`report_dir`] and
/// records them in the store. Returns the paths written (none when `mode`
/// is [`Mode::IfMissing`] and the day exists).
pub async fn generate_and_store(
    store: &dyn Store,
    data_dir: &Path,
    client_id: &ClientId,
    date: NaiveDate,
    kinds: &[ReportKind],
    mode: Mode,
    now: Timestamp,
) -> Result<Vec<PathBuf>, ReportError> {
    // Client ids are restricted to [A-Za-z0-9_-] at onboarding; refuse
    // anything else rather than build a path from it.
    if client_id.is_empty()
        || !client_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(ReportError::UnknownMerchant(client_id.to_string()));
    }
    let day = date.to_string();
    let exists = store
        .report_dates(client_id, ReportKind::Transaction.as_str(), &day)
        .await?
        .contains(&day);
    if exists && mode == Mode::IfMissing {
        return Ok(Vec::new());
    }
    let kinds: Vec<ReportKind> = if exists {
        kinds.to_vec()
    } else {
        ReportKind::ALL.to_vec()
    };
    let files = generate(store, client_id, date).await?;
    let dir = report_dir(data_dir, client_id, date);
    crate::files::create_private_dir_all(&dir).map_err(|source| ReportError::Io {
        path: dir.clone(),
        source,
    })?;
    remove_leftover_temps(&dir)?;
    // Settlement and summary first, the transaction details (the marker that
    // the day is done) last.
    let mut order = kinds.clone();
    order.sort_by_key(|k| *k == ReportKind::Transaction);
    order.dedup();
    let mut paths = Vec::new();
    for kind in order {
        let of_kind: Vec<&ReportFile> = files.iter().filter(|f| f.kind == kind).collect();
        for f in &of_kind {
            let path = dir.join(&f.file_name);
            write_atomic(&path, f.content.as_bytes())?;
            paths.push(path);
        }
        if mode == Mode::Regenerate {
            remove_stale(&dir, kind, &of_kind)?;
            let pairs: Vec<(String, String)> = of_kind
                .iter()
                .map(|f| (f.file_name.clone(), f.content.clone()))
                .collect();
            store
                .replace_reports(client_id, &day, kind.as_str(), &pairs, now)
                .await?;
        } else {
            for f in &of_kind {
                store
                    .insert_report(
                        client_id,
                        &day,
                        kind.as_str(),
                        &f.file_name,
                        &f.content,
                        now,
                    )
                    .await?;
            }
        }
    }
    Ok(paths)
}

/// Removes files of `kind` left in `dir` by an earlier generation that the
/// new one no longer produces (a currency that no longer settles that day).
fn remove_stale(dir: &Path, kind: ReportKind, keep: &[&ReportFile]) -> Result<(), ReportError> {
    let io = |source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(kind.file_prefix())
            && name.ends_with(".csv")
            && !keep.iter().any(|f| f.file_name == name)
        {
            std::fs::remove_file(entry.path()).map_err(io)?;
        }
    }
    Ok(())
}

/// Removes the temporary files of [`write_atomic`] that a writer killed
/// before its rename left behind; nothing else would ever delete them.
/// (A concurrent writer of the same day losing its temporary file fails
/// and is retried; one node at a time makes reports.)
fn remove_leftover_temps(dir: &Path) -> Result<(), ReportError> {
    let io = |source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(".tmp") {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => {
                    tracing::info!(file = %name, "removed a report file left half-written by a crash")
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e)),
            }
        }
    }
    Ok(())
}

/// Writes a file so that readers see the old content or the new, never a
/// part: a uniquely named temporary file in the same directory, fsync,
/// rename, fsync of the directory.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    use std::io::Write as _;
    let err = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{:016x}.tmp", rand::random::<u64>()));
    let result = (|| {
        let mut f = crate::files::private_file_options()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            // Persists the rename; not supported everywhere, so best effort.
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// The days the automatic job should have generated by `now`: closed days
/// (at least [`GENERATE_AFTER_MINUTES`] past their end), newest first, at
/// most [`LOOKBACK_DAYS`] of them.
pub fn due_days(now: Timestamp) -> Vec<NaiveDate> {
    let today = antom_day(now.to_datetime());
    (1..=LOOKBACK_DAYS)
        .filter_map(|k| today.checked_sub_signed(Duration::days(k)))
        .filter(|d| {
            let (_, end) = day_window(*d);
            now >= end + Duration::minutes(GENERATE_AFTER_MINUTES)
        })
        .collect()
}

/// The automatic job: for every merchant, generates each due day that has
/// no report yet and that ended after the merchant was created. Returns how
/// many days were generated. One failing merchant does not stop the others.
pub async fn generate_due(
    store: &dyn Store,
    clocks: &MerchantClocks,
    data_dir: &Path,
) -> Result<usize, ReportError> {
    let mut generated = 0;
    for merchant in store.merchants().await? {
        generated += generate_due_for(store, clocks, data_dir, &merchant).await?;
    }
    Ok(generated)
}

/// [`generate_due`] for one merchant, on its clock (a sandbox clock moved
/// past a day's report time has that day's reports generated).
/// Reports are written under `data_dir`.
pub async fn generate_due_for(
    store: &dyn Store,
    clocks: &MerchantClocks,
    data_dir: &Path,
    merchant: &Merchant,
) -> Result<usize, ReportError> {
    let now = clocks.merchant_now(merchant);
    let days = due_days(now);
    let Some(oldest) = days.last() else {
        return Ok(0);
    };
    let since = oldest.to_string();
    let mut generated = 0;
    let done = store
        .report_dates(
            &merchant.client_id,
            ReportKind::Transaction.as_str(),
            &since,
        )
        .await?;
    for day in &days {
        let (_, end) = day_window(*day);
        if end <= merchant.created_at || done.contains(&day.to_string()) {
            continue;
        }
        match generate_and_store(
            store,
            data_dir,
            &merchant.client_id,
            *day,
            &ReportKind::ALL,
            Mode::IfMissing,
            now,
        )
        .await
        {
            Ok(paths) => {
                generated += 1;
                tracing::info!(client_id = %merchant.client_id, date = %day, files = paths.len(), "reconciliation reports generated");
            }
            Err(e) => {
                tracing::warn!(client_id = %merchant.client_id, date = %day, error = %e, "report generation failed; will retry");
            }
        }
    }
    Ok(generated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date("2025-01-02").unwrap(),
            NaiveDate::from_ymd_opt(2025, 1, 2).unwrap()
        );
        for bad in [
            "2025-1-02",
            "2025/01/02",
            "20250102",
            "2025-02-30",
            "",
            "2025-01-02T00:00:00",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_day_is_utc_plus_8() {
        let (from, to) = day_window(NaiveDate::from_ymd_opt(2025, 1, 2).unwrap());
        assert_eq!(format_timestamp(from), "2025-01-02T00:00:00+08:00");
        assert_eq!(to - from, Duration::days(1));
        // 2025-01-01T16:00:00Z is midnight in UTC+8.
        assert_eq!(from, Timestamp::from_millis(1_735_747_200_000));
    }

    #[test]
    fn batch_ids_are_stable_numeric_and_distinct() {
        let d = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        let a = batch_id("M1", "SGD", d);
        assert_eq!(a.len(), 20);
        assert!(a.starts_with("20250102"));
        assert!(a.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(a, batch_id("M1", "SGD", d));
        assert_ne!(a, batch_id("M1", "JPY", d));
        assert_ne!(a, batch_id("M2", "SGD", d));
    }

    #[test]
    fn merchant_text_is_made_spreadsheet_safe_and_nothing_else() {
        for (text, safe) in [
            ("=1+1", "'=1+1"),
            ("+SUM(A1)", "'+SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("ORDER-1", "ORDER-1"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(spreadsheet_safe(text), safe, "{text:?}");
        }
    }

    #[test]
    fn summary_totals_past_i64_are_exact_never_wrapped() {
        // 1,000 payments of the largest amount: 10^19 - 1,000 minor units,
        // past i64::MAX (about 9.2 × 10^18). Fees at 250 bps.
        const LARGEST: i64 = 9_999_999_999_999_999;
        let rows: Vec<ReportTxn> = (0..1_000)
            .map(|i| ReportTxn {
                transaction_id: format!("P{i:04}"),
                original_transaction_id: None,
                transaction_request_id: format!("R{i:04}"),
                reference_transaction_id: None,
                payment_method_type: Some("CARD".into()),
                transaction_type: "PAYMENT".into(),
                transaction_status: "SUCCESS".into(),
                transaction_time: Timestamp::from_millis(1_735_747_200_000 + i),
                amount: cashier_protocol::Amount::new(
                    Currency::from_code("USD").unwrap(),
                    LARGEST as u64,
                ),
                settlement_currency: None,
                settlement_rate: None,
            })
            .collect();
        let date = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        let files = build(&"M1".into(), date, 250, &rows);
        let summary = &files
            .iter()
            .find(|f| f.kind == ReportKind::Summary)
            .unwrap()
            .content;
        let gross = 1_000 * i128::from(LARGEST);
        let fee = 1_000 * i128::from(fee_minor(LARGEST, 250));
        let line = |kind: &str| {
            summary
                .lines()
                .find(|l| l.split(',').nth(3) == Some(kind))
                .unwrap()
                .split(',')
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(line("PAYMENT")[4], gross.to_string());
        assert_eq!(line("FEE")[4], (-fee).to_string());
        assert_eq!(line("TOTAL")[4], (gross - fee).to_string());
        assert_eq!(line("TOTAL")[10], "1000");
        assert!(!line("TOTAL")[4].starts_with('-'));
    }

    #[test]
    fn due_days_start_after_0030_on_the_next_day() {
        let at = |h, m| -> Timestamp {
            antom_offset()
                .with_ymd_and_hms(2025, 1, 3, h, m, 0)
                .unwrap()
                .with_timezone(&Utc)
                .into()
        };
        let d = |day| NaiveDate::from_ymd_opt(2025, 1, day).unwrap();
        assert_eq!(due_days(at(0, 29))[0], d(1));
        assert_eq!(due_days(at(0, 30))[0], d(2));
        assert_eq!(due_days(at(0, 30)).len(), LOOKBACK_DAYS as usize);
        assert_eq!(due_days(at(0, 29)).len(), LOOKBACK_DAYS as usize - 1);
    }
}
