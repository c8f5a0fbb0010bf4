//! The sandbox's stand-ins for the methods paid away from the page: the
//! banks an online-banking buyer picks from, the virtual account a transfer
//! goes to, the code paid at a store's counter, the instalment plans a
//! lender offers (README.md, "Payment methods and their journeys").
//!
//! Account numbers and payment codes are derived from the attempt's secret
//! wallet token, so the page, the sandbox page and a reload all show the same
//! number without storing it, and two attempts never share one.

use aws_lc_rs::digest;

/// FPX's participating banks offered by the sandbox: `(code, name)`.
pub const FPX_BANKS: &[(&str, &str)] = &[
    ("MBB0228", "Maybank2u"),
    ("BCBB0235", "CIMB Clicks"),
    ("PBB0233", "Public Bank"),
    ("RHB0218", "RHB Now"),
    ("HLB0224", "Hong Leong Connect"),
];

/// The bank the buyer chose by its FPX code; `None` for an unknown code.
pub fn fpx_bank(code: &str) -> Option<&'static str> {
    FPX_BANKS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

/// Instalment plans (months) a pay-later lender offers in the sandbox.
pub const INSTALMENT_PLANS: &[u32] = &[3, 6, 12];

/// The bank behind a virtual-account method and its account prefix.
fn transfer_bank(method: &str) -> (&'static str, &'static str) {
    match method {
        "BANKTRANSFER_PERMATA" => ("Permata", "8625"),
        _ => ("BNI", "8808"),
    }
}

/// `n` decimal digits drawn from the token's SHA-256.
fn digits(token: &str, n: usize) -> String {
    let hash = digest::digest(&digest::SHA256, token.as_bytes());
    hash.as_ref()
        .iter()
        .take(n)
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

/// Groups of four for reading aloud at an ATM or a counter.
fn grouped(s: &str) -> String {
    s.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The bank's name and the 16-digit virtual account number (grouped) of a
/// bank-transfer attempt.
pub fn virtual_account(method: &str, token: &str) -> (&'static str, String) {
    let (bank, prefix) = transfer_bank(method);
    (bank, grouped(&format!("{prefix}{}", digits(token, 12))))
}

/// The 12-digit payment code (grouped) of a convenience-store attempt.
pub fn payment_code(token: &str) -> String {
    grouped(&digits(&format!("store:{token}"), 12))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stable_per_token_and_differ_between_tokens() {
        let (bank, a) = virtual_account("BANKTRANSFER_BNI", "tok-1");
        assert_eq!(bank, "BNI");
        assert_eq!(a, virtual_account("BANKTRANSFER_BNI", "tok-1").1);
        assert_ne!(a, virtual_account("BANKTRANSFER_BNI", "tok-2").1);
        assert!(a.starts_with("8808 "), "{a}");
        assert_eq!(a.replace(' ', "").len(), 16);
        assert!(virtual_account("BANKTRANSFER_PERMATA", "tok-1")
            .1
            .starts_with("8625 "));
        let code = payment_code("tok-1");
        assert_eq!(code.len(), 14, "{code}");
        assert!(code.replace(' ', "").bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(code, payment_code("tok-2"));
    }

    #[test]
    fn fpx_banks_are_found_by_code() {
        assert_eq!(fpx_bank("MBB0228"), Some("Maybank2u"));
        assert_eq!(fpx_bank("nope"), None);
    }
}
