//! Identifiers. `paymentId`s look like Antom's: a UTC+8 timestamp prefix so
//! they sort by creation time, then random digits so they cannot be guessed
//! or collide. Checkout and wallet tokens are 192 random bits, URL-safe.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::rngs::OsRng;
use rand::RngCore;

use cashier_protocol::time::antom_offset;

/// A 32-digit id: `YYYYMMDDhhmmss` in UTC+8 followed by 18 random digits.
pub fn numeric_id(now: DateTime<Utc>) -> String {
    let mut id = now
        .with_timezone(&antom_offset())
        .format("%Y%m%d%H%M%S")
        .to_string();
    // One read of the OS generator for all 18 digits (one `gen_range` per
    // digit was 18 getrandom calls). `% 10` leans slightly towards 0–5,
    // which does not matter for a unique id that is not a secret.
    let mut digits = [0u8; 18];
    OsRng.fill_bytes(&mut digits);
    id.extend(digits.iter().map(|b| char::from(b'0' + b % 10)));
    id
}

/// An unguessable URL-safe token of `bytes` random bytes.
pub fn token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Checkout tokens, wallet tokens, session ids: 192 bits.
pub fn secret_token() -> String {
    token(24)
}

/// A random (version 4) UUID in its usual hyphenated form, as 3-D Secure
/// directory servers name their transactions.
pub fn uuid_v4() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// A [`secret_token`] led by the creation time (milliseconds, 12 hex
/// digits), for secrets stored in a unique index: new ones land next to
/// each other in the index instead of on a random page, which cost every
/// createPaymentSession a whole page write per such index at each commit.
/// The 192 random bits are untouched; the prefix only tells when the token
/// was made, which its payment shows anyway.
pub fn ordered_secret_token(now: DateTime<Utc>) -> String {
    let ms = now.timestamp_millis().clamp(0, 0xffff_ffff_ffff);
    format!("{ms:012x}{}", secret_token())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn uuids_have_the_version_4_layout() {
        let u = uuid_v4();
        let parts: Vec<_> = u.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{u}");
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        assert_ne!(u, uuid_v4());
    }

    #[test]
    fn ordered_tokens_sort_by_time_and_keep_192_random_bits() {
        let t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let a = ordered_secret_token(t);
        let b = ordered_secret_token(t + chrono::Duration::milliseconds(1));
        let c = ordered_secret_token(t + chrono::Duration::days(400));
        assert!(a < b && b < c, "{a} {b} {c}");
        assert_eq!(a.len(), 12 + 32);
        assert_eq!(&a[..12], "01941f297c00");
        assert_ne!(&a[12..], &ordered_secret_token(t)[12..]);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }

    #[test]
    fn numeric_ids_sort_by_time_and_are_unique() {
        let t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let a = numeric_id(t);
        assert_eq!(a.len(), 32);
        assert!(a.starts_with("20250101080000"));
        assert!(a.bytes().all(|b| b.is_ascii_digit()));
        let later = numeric_id(t + chrono::Duration::seconds(1));
        assert!(later > a);
        let many: std::collections::HashSet<_> = (0..1000).map(|_| numeric_id(t)).collect();
        assert_eq!(many.len(), 1000);
    }

    #[test]
    fn tokens_carry_192_bits() {
        let t = secret_token();
        assert_eq!(t.len(), 32);
        assert_ne!(t, secret_token());
    }
}
