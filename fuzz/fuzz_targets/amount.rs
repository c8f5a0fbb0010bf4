//! Amounts (`currency`, `value` in minor units; docs/protocol.md §1.4). Input:
//! `CURRENCY:VALUE`. Properties: an accepted amount round-trips through its
//! wire form, its value has no leading zeros, respects the currency's minor
//! multiple, and its major-unit display denotes the same number.
#![no_main]

use cashier_protocol::{Amount, AmountError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (currency, value) = text.split_once(':').unwrap_or(("USD", text));
    let parsed = Amount::parse(currency, value);
    let positive = Amount::parse_positive(currency, value);
    match (&parsed, &positive) {
        (Ok(a), Ok(p)) => assert!(a == p && a.minor() > 0),
        (Ok(a), Err(AmountError::NotPositive)) => assert_eq!(a.minor(), 0),
        (Err(e), Err(f)) => assert_eq!(e, f),
        other => panic!("parse and parse_positive disagree on {text:?}: {other:?}"),
    }
    let Ok(a) = parsed else { return };
    let wire = a.to_wire();
    assert_eq!(wire.currency, currency);
    assert_eq!(
        Amount::parse(&wire.currency, &wire.value),
        Ok(a),
        "{text:?}"
    );
    let trimmed = value.trim_start_matches('0');
    assert_eq!(wire.value, if trimmed.is_empty() { "0" } else { trimmed });
    assert_eq!(a.minor() % a.currency().minor_multiple(), 0);
    let major: u64 = a
        .major_string()
        .replace('.', "")
        .parse()
        .expect("major string is digits");
    assert_eq!(
        major,
        a.minor(),
        "{text:?} displayed as {}",
        a.major_string()
    );
});
