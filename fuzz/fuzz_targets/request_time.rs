//! The `Request-Time` header (docs/protocol.md §2.6) in every SDK's shape, and
//! the freshness arithmetic the API does with it. Properties: an accepted
//! time survives the gateway's own formats — epoch milliseconds to the
//! millisecond, the ISO form to the second (for four-digit years) — and the
//! skew against any clock never overflows.
#![no_main]

use cashier_protocol::time::{format_datetime, parse_request_time};
use chrono::{DateTime, Datelike, SubsecRound, Timelike, Utc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(t) = parse_request_time(text) else {
        return;
    };
    // The window check in the API: |now - sent| in milliseconds.
    for now in [
        DateTime::<Utc>::MIN_UTC,
        Utc::now(),
        DateTime::<Utc>::MAX_UTC,
    ] {
        let _ = (now - t).num_milliseconds().unsigned_abs();
    }
    // chrono represents a leap second (`...:60`) as a second with more than
    // 10^9 ns; its millisecond and ISO forms name the next second. Harmless
    // for the freshness check (above), so the round trips skip it.
    if t.nanosecond() >= 1_000_000_000 {
        return;
    }
    let ms = t.timestamp_millis();
    if ms >= 0 {
        // Milliseconds keep the instant to the millisecond (.NET sends 7 digits).
        assert_eq!(
            parse_request_time(&ms.to_string()),
            Some(t.trunc_subsecs(3)),
            "{text:?}"
        );
    }
    if (0..=9999).contains(&t.year()) {
        let iso = format_datetime(t);
        assert_eq!(
            parse_request_time(&iso),
            Some(t.trunc_subsecs(0)),
            "{text:?} as {iso:?}"
        );
    }
});
