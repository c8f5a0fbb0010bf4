//! The hosted page's form posts (pay, 3-D Secure challenge, sandbox wallet),
//! decoded as axum's `Form` does and read by `checkout::form`, plus the
//! `Accept-Language` negotiation every page does. Properties: an accepted
//! card is 12–19 digits passing Luhn, not expired at `now`, with a month in
//! 1–12, a non-empty holder of at most 128 characters, and its last four
//! digits end the number; a nonce is 1–64 bytes.
#![no_main]

use std::collections::HashMap;

use cashier_gateway::checkout::form;
use cashier_gateway::processor::card::luhn_valid;
use cashier_pages::Locale;
use chrono::{Datelike, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Any text may arrive as an Accept-Language header or a ?locale= value.
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Locale::negotiate(Some(text), Some(text), Some(text));
        let _ = Locale::negotiate(None, None, Some(text));
    }
    let Ok(fields) = serde_urlencoded::from_bytes::<HashMap<String, String>>(data) else {
        return;
    };
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0).unwrap();
    if let Ok(card) = form::card(&fields, now) {
        let n = card.number();
        assert!((12..=19).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()));
        assert!(luhn_valid(n));
        assert!(n.ends_with(card.last4()) && card.last4().len() == 4);
        assert!((1..=12).contains(&card.exp_month));
        assert!((card.exp_year, card.exp_month) >= (now.year(), now.month()));
        assert!(!card.holder.trim().is_empty() && card.holder.chars().count() <= 128);
        let _ = card.brand();
    }
    if let Some(nonce) = form::attempt_nonce(&fields) {
        assert!((1..=64).contains(&nonce.len()));
    }
    let _ = form::challenge_passed(&fields);
    let _ = form::wallet_decision(&fields);
});
