//! Time on the wire.
//!
//! Antom datetimes are ISO-8601 with an offset (`2019-11-27T12:01:01+08:00`).
//! Cashier emits them in UTC+8, Antom's own zone, so that "the day" of
//! reconciliation and of the cancel window is the same everywhere. The
//! `Request-Time` header comes in four shapes depending on the SDK
//! (docs/protocol.md §2.6); all are parsed to an instant for the freshness check,
//! while the signature always uses the raw string.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Timelike, Utc};

/// Antom's zone: UTC+8.
pub fn antom_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// Formats an instant as Antom does: second precision, `+08:00`.
pub fn format_datetime(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&antom_offset());
    if !(0..=9999).contains(&local.year()) {
        // chrono's `%Y` signs years outside 0000–9999; no real payment has one.
        return local.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    }
    // Written out rather than through `format`, which parses its format string
    // on every call; every API answer formats one or more of these.
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// Formats epoch milliseconds as an Antom datetime.
pub fn format_millis(ms: i64) -> String {
    format_datetime(from_millis(ms))
}

pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Parses a request datetime field such as `paymentSessionExpiryTime`.
/// Accepts RFC 3339 (with `Z` or `±hh:mm`) and the `±hhmm` form PHP emits.
pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Parses every `Request-Time` shape the official SDKs send: epoch
/// milliseconds (Java, Go), `2025-01-01T00:00:00+00:00` (Python),
/// `2025-01-01T00:00:00+0000` (PHP), `2025-01-01T00:00:00.1234567Z` (.NET).
pub fn parse_request_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let ms: i64 = s.parse().ok()?;
        return Utc.timestamp_millis_opt(ms).single();
    }
    parse_datetime(s)
}

/// The UTC+8 calendar day an instant falls on.
pub fn antom_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&antom_offset()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_datetime_matches_chronos_format_at_any_instant() {
        let reference = |t: DateTime<Utc>| {
            t.with_timezone(&antom_offset())
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        };
        let mut ms: i64 = -62_167_219_200_000 - 86_400_000; // a day before 0000-01-01T00:00Z
        while ms < 253_402_300_800_000 + 86_400_000 {
            let t = from_millis(ms);
            assert_eq!(format_datetime(t), reference(t), "at {ms} ms");
            ms += 7_777_777_777; // ~90 days and some hours, minutes, seconds and millis
        }
        let t = Utc.with_ymd_and_hms(2019, 11, 27, 4, 1, 1).unwrap();
        assert_eq!(format_datetime(t), "2019-11-27T12:01:01+08:00");
        assert_eq!(format_millis(0), "1970-01-01T08:00:00+08:00");
        assert_eq!(
            format_datetime(DateTime::<Utc>::MIN_UTC),
            reference(DateTime::<Utc>::MIN_UTC)
        );
    }

    #[test]
    fn parses_every_sdk_request_time_shape() {
        let expect = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(parse_request_time("1735689600000"), Some(expect));
        assert_eq!(
            parse_request_time("2025-01-01T00:00:00+00:00"),
            Some(expect)
        );
        assert_eq!(parse_request_time("2025-01-01T00:00:00+0000"), Some(expect));
        assert_eq!(
            parse_request_time("2025-01-01T08:00:00+08:00"),
            Some(expect)
        );
        assert_eq!(
            parse_request_time("2025-01-01T00:00:00.1234567Z"),
            Some(expect + chrono::Duration::nanoseconds(123_456_700))
        );
        for bad in [
            "",
            "yesterday",
            "2025-01-01",
            "12:00",
            "-5",
            "1735689600000x",
        ] {
            assert_eq!(parse_request_time(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn formats_in_utc_plus_8() {
        let t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 5).unwrap();
        assert_eq!(format_datetime(t), "2025-01-01T08:00:05+08:00");
        assert_eq!(format_millis(1735689605000), "2025-01-01T08:00:05+08:00");
        assert_eq!(parse_datetime("2025-01-01T08:00:05+08:00"), Some(t));
    }

    #[test]
    fn the_antom_day_changes_at_midnight_utc_plus_8() {
        let before = Utc.with_ymd_and_hms(2025, 1, 1, 15, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2025, 1, 1, 16, 0, 0).unwrap();
        assert_eq!(antom_day(before).to_string(), "2025-01-01");
        assert_eq!(antom_day(after).to_string(), "2025-01-02");
    }
}
