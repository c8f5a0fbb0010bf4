//! An injectable clock. Everything that depends on time (session expiry,
//! request freshness, the notification retry schedule, asynchronous sandbox
//! settlement) asks a [`Clock`], so tests move time instead of sleeping.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::store::Timestamp;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// [`Clock::now`] as the domain's time type.
    fn now_ts(&self) -> Timestamp {
        self.now().into()
    }
}

/// An instant as the wire writes it (`cashier_protocol::time::format_datetime`):
/// second precision, `+08:00`.
pub fn format_timestamp(t: Timestamp) -> String {
    cashier_protocol::time::format_datetime(t.to_datetime())
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to; shared by clones.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// Starts at the current wall-clock time.
    pub fn starting_now() -> ManualClock {
        ManualClock::new(Utc::now())
    }

    pub fn advance(&self, by: Duration) {
        *self.now.lock().expect("clock lock") += by;
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self.now.lock().expect("clock lock") = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().expect("clock lock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = ManualClock::starting_now();
        let t0 = c.now();
        let other = c.clone();
        other.advance(Duration::minutes(90));
        assert_eq!(c.now() - t0, Duration::minutes(90));
    }
}

/// How far to move a sandbox clock, as an operator writes it: a number of
/// seconds (`90000`) or a number with `s`, `m`, `h` or `d` (`25h`), from 1
/// second to [`cashier_protocol::validate::MAX_ADVANCE_SECONDS`]. The
/// error is a sentence for the operator.
pub fn parse_advance(by: &str) -> Result<i64, String> {
    let by = by.trim();
    let max = cashier_protocol::validate::MAX_ADVANCE_SECONDS;
    let explain = |detail: String| {
        format!(
            "move the clock forward by 1 second to 400 days ({max} s) at a time, e.g. 25h, 31m, 2d or 90000; {detail}"
        )
    };
    let seconds = if !by.is_empty() && by.bytes().all(|b| b.is_ascii_digit()) {
        by.parse::<i64>().ok()
    } else {
        let d = crate::config::parse_duration(by).map_err(explain)?;
        i64::try_from(d.as_secs()).ok()
    };
    match seconds {
        Some(s) if (1..=max).contains(&s) => Ok(s),
        _ => Err(explain(format!("got {by:?}"))),
    }
}

/// `90061` → `1d 1h 1m 1s`; `0` → `0s`.
pub fn describe_seconds(total: i64) -> String {
    let parts = [
        (total / 86_400, "d"),
        (total / 3600 % 24, "h"),
        (total / 60 % 60, "m"),
        (total % 60, "s"),
    ];
    let text: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, u)| format!("{n}{u}"))
        .collect();
    if text.is_empty() {
        "0s".into()
    } else {
        text.join(" ")
    }
}

#[cfg(test)]
mod advance_tests {
    use super::*;

    #[test]
    fn advances_are_forward_and_bounded() {
        assert_eq!(parse_advance("25h"), Ok(90_000));
        assert_eq!(parse_advance(" 90000 "), Ok(90_000));
        assert_eq!(parse_advance("2d"), Ok(172_800));
        assert_eq!(parse_advance("400d"), Ok(34_560_000));
        for bad in [
            "",
            "0",
            "0s",
            "-1h",
            "soon",
            "401d",
            "1.5h",
            "99999999999999999999",
        ] {
            let e = parse_advance(bad).unwrap_err();
            assert!(e.contains("1 second to 400 days"), "{bad}: {e}");
        }
    }

    #[test]
    fn offsets_read_as_days_hours_minutes() {
        assert_eq!(describe_seconds(0), "0s");
        assert_eq!(describe_seconds(90_061), "1d 1h 1m 1s");
        assert_eq!(describe_seconds(93_600), "1d 2h");
    }
}
