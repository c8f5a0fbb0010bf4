//! The domain's one time type. An instant is a [`Timestamp`]: epoch
//! milliseconds, UTC, a `BIGINT` column to sqlx and rusqlite alike and a
//! plain number in JSON. Spans of time are `chrono::Duration` (or a column's
//! `_ms` number where the database stores a duration), so adding two
//! instants, or handing a duration where an instant is due, does not
//! compile.

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

/// An instant, as milliseconds since 1970-01-01T00:00:00Z.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The instant `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    /// Milliseconds since the epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// The same instant as a chrono date-time (one beyond chrono's range
    /// reads as its earliest, as `cashier_protocol::time::from_millis`).
    pub fn to_datetime(self) -> DateTime<Utc> {
        cashier_protocol::time::from_millis(self.0)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Timestamp {
        Timestamp(t.timestamp_millis())
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(t: Timestamp) -> DateTime<Utc> {
        t.to_datetime()
    }
}

impl Add<Duration> for Timestamp {
    type Output = Timestamp;

    fn add(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_add(d.num_milliseconds()))
    }
}

impl AddAssign<Duration> for Timestamp {
    fn add_assign(&mut self, d: Duration) {
        *self = *self + d;
    }
}

impl Sub<Duration> for Timestamp {
    type Output = Timestamp;

    fn sub(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_sub(d.num_milliseconds()))
    }
}

impl SubAssign<Duration> for Timestamp {
    fn sub_assign(&mut self, d: Duration) {
        *self = *self - d;
    }
}

/// The span from `other` to `self`.
impl Sub<Timestamp> for Timestamp {
    type Output = Duration;

    fn sub(self, other: Timestamp) -> Duration {
        Duration::milliseconds(self.0.saturating_sub(other.0))
    }
}

/// RFC 3339, UTC, with milliseconds: `2023-11-14T22:13:20.000Z`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            &self
                .to_datetime()
                .to_rfc3339_opts(SecondsFormat::Millis, true),
        )
    }
}

impl ToSql for Timestamp {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl FromSql for Timestamp {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Timestamp> {
        i64::column_result(value).map(Timestamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp::from_millis(1_700_000_000_000);

    #[test]
    fn a_timestamp_is_its_millis_everywhere() {
        assert_eq!(T0.millis(), 1_700_000_000_000);
        assert_eq!(serde_json::to_string(&T0).unwrap(), "1700000000000");
        let back: Timestamp = serde_json::from_str("1700000000000").unwrap();
        assert_eq!(back, T0);
        let dt = T0.to_datetime();
        assert_eq!(dt.timestamp_millis(), 1_700_000_000_000);
        assert_eq!(Timestamp::from(dt), T0);
    }

    #[test]
    fn timestamps_round_trip_through_rusqlite() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        let back: Timestamp = db.query_row("SELECT ?1", [&T0], |r| r.get(0)).unwrap();
        assert_eq!(back, T0);
        let raw: i64 = db.query_row("SELECT ?1", [&T0], |r| r.get(0)).unwrap();
        assert_eq!(raw, 1_700_000_000_000);
        let none: Option<Timestamp> = db.query_row("SELECT NULL", [], |r| r.get(0)).unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn arithmetic_is_instants_and_durations() {
        let later = T0 + Duration::seconds(90);
        assert_eq!(later.millis(), 1_700_000_090_000);
        assert_eq!(later - T0, Duration::seconds(90));
        assert_eq!(T0 - later, Duration::seconds(-90));
        assert_eq!(later - Duration::seconds(90), T0);
        let mut t = T0;
        t += Duration::milliseconds(5);
        assert_eq!(t.millis(), 1_700_000_000_005);
        t -= Duration::milliseconds(5);
        assert_eq!(t, T0);
        assert!(T0 < later);
    }

    #[test]
    fn displays_as_rfc3339_utc_with_millis() {
        assert_eq!(T0.to_string(), "2023-11-14T22:13:20.000Z");
        assert_eq!(
            Timestamp::from_millis(1_735_689_605_123).to_string(),
            "2025-01-01T00:00:05.123Z"
        );
        assert_eq!(Timestamp::default().to_string(), "1970-01-01T00:00:00.000Z");
    }
}
