//! Card input from the hosted page: parsed and checked before anything is
//! sent to a processor. Only the brand and the masked number (first six and
//! last four digits) ever leave this module; the full number is dropped
//! with the `CardInput`.

use chrono::{DateTime, Datelike, Utc};

/// A card as typed by the buyer, already validated.
#[derive(Clone, PartialEq, Eq)]
pub struct CardInput {
    digits: String,
    pub exp_month: u32,
    pub exp_year: i32,
    pub holder: String,
}

impl std::fmt::Debug for CardInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the card number.
        write!(f, "CardInput({} •••• {})", self.brand(), self.last4())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("Enter a card number.")]
    MissingNumber,
    #[error("The card number is not valid. Check it and try again.")]
    InvalidNumber,
    #[error("Enter the expiry date as MM/YY.")]
    InvalidExpiry,
    #[error("The card has expired.")]
    Expired,
    #[error("Enter the 3- or 4-digit security code.")]
    InvalidCvc,
    /// The security code has the wrong length for the card's brand
    /// (American Express: 4 digits on the front; the others: 3 on the back).
    #[error("Enter the {0}-digit security code of this card.")]
    CvcLength(u8),
    #[error("Enter the name on the card.")]
    MissingName,
}

/// Luhn (mod 10) check over ASCII digits.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

/// `body` (ASCII digits) followed by its Luhn check digit.
pub fn with_check_digit(body: &str) -> String {
    (0..=9u8)
        .map(|d| format!("{body}{d}"))
        .find(|n| luhn_valid(n))
        .expect("one of ten check digits satisfies Luhn")
}

/// A card number grouped as printed on the card: 4-6-5 for American
/// Express (15 digits), 4-6-4 for 14-digit Diners Club, else groups of four.
pub fn display_number(digits: &str) -> String {
    if matches!(digits.len(), 14 | 15) {
        return format!("{} {} {}", &digits[..4], &digits[4..10], &digits[10..]);
    }
    let groups: Vec<&str> = digits
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).expect("ASCII digits"))
        .collect();
    groups.join(" ")
}

impl CardInput {
    /// Validates the four card fields of the page. The number may contain
    /// spaces or dashes; expiry is `MM/YY` (also `MM/YYYY`, `MMYY`).
    pub fn parse(
        number: &str,
        expiry: &str,
        cvc: &str,
        holder: &str,
        now: DateTime<Utc>,
    ) -> Result<CardInput, CardError> {
        let digits: String = number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.is_empty() {
            return Err(CardError::MissingNumber);
        }
        if !(12..=19).contains(&digits.len())
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || !luhn_valid(&digits)
        {
            return Err(CardError::InvalidNumber);
        }
        let rules = BrandRules::of(brand_of(&digits));
        if !rules.lengths.contains(&digits.len()) {
            return Err(CardError::InvalidNumber);
        }
        let (exp_month, exp_year) = parse_expiry(expiry).ok_or(CardError::InvalidExpiry)?;
        if (exp_year, exp_month) < (now.year(), now.month()) {
            return Err(CardError::Expired);
        }
        let cvc = cvc.trim();
        if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(rules.cvc_error());
        }
        if !rules.cvc.contains(&cvc.len()) {
            return Err(rules.cvc_error());
        }
        let holder = holder.trim();
        if holder.is_empty() {
            return Err(CardError::MissingName);
        }
        Ok(CardInput {
            digits,
            exp_month,
            exp_year,
            holder: holder.chars().take(128).collect(),
        })
    }

    pub fn number(&self) -> &str {
        &self.digits
    }

    pub fn last4(&self) -> &str {
        &self.digits[self.digits.len() - 4..]
    }

    pub fn brand(&self) -> &'static str {
        brand_of(&self.digits)
    }

    /// The number as receipts show it: the first six digits (the BIN, which
    /// names the issuer) and the last four, the rest as `*`, e.g.
    /// `424242******4242`. All that is kept of a card besides its brand.
    pub fn masked(&self) -> String {
        let hidden = self.digits.len() - 10;
        format!(
            "{}{}{}",
            &self.digits[..6],
            "*".repeat(hidden),
            self.last4()
        )
    }
}

/// The brand of a card number (digits only, at least four), from its
/// issuer identification ranges; `Card` when no known brand matches (such a
/// card is still accepted, with the general length and code rules).
pub fn brand_of(d: &str) -> &'static str {
    let prefix = |n: usize| -> u32 { d.get(..n).and_then(|p| p.parse().ok()).unwrap_or(0) };
    let (p2, p3, p4) = (prefix(2), prefix(3), prefix(4));
    match () {
        _ if d.starts_with('4') => "Visa",
        _ if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) => "Mastercard",
        _ if p2 == 34 || p2 == 37 => "American Express",
        _ if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 => "Discover",
        _ if p2 == 62 => "UnionPay",
        _ if (3528..=3589).contains(&p4) => "JCB",
        _ if (300..=305).contains(&p3) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39 => {
            "Diners Club"
        }
        _ => "Card",
    }
}

/// What a brand's numbers and security codes look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandRules {
    /// Allowed numbers of digits.
    pub lengths: std::ops::RangeInclusive<usize>,
    /// Allowed security-code lengths.
    pub cvc: std::ops::RangeInclusive<usize>,
}

impl BrandRules {
    /// The rules of a brand as [`brand_of`] names it. Visa's 13- and
    /// 19-digit numbers and the 19-digit ranges of the others are accepted;
    /// a card of no known brand gets the general 12–19 digits and a 3- or
    /// 4-digit code.
    pub fn of(brand: &str) -> BrandRules {
        let (lengths, cvc) = match brand {
            "Visa" => (13..=19, 3..=3),
            "Mastercard" => (16..=16, 3..=3),
            "American Express" => (15..=15, 4..=4),
            "Discover" | "UnionPay" | "JCB" => (16..=19, 3..=3),
            "Diners Club" => (14..=19, 3..=3),
            _ => (12..=19, 3..=4),
        };
        BrandRules { lengths, cvc }
    }

    fn cvc_error(&self) -> CardError {
        if self.cvc.start() == self.cvc.end() {
            CardError::CvcLength(*self.cvc.start() as u8)
        } else {
            CardError::InvalidCvc
        }
    }
}

fn parse_expiry(s: &str) -> Option<(u32, i32)> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let (m, y) = match compact.split_once('/') {
        Some((m, y)) => (m.to_string(), y.to_string()),
        // Four *bytes* of ASCII: slicing at byte 2 of `€1` would panic.
        None if compact.len() == 4 && compact.is_ascii() => {
            (compact[..2].to_string(), compact[2..].to_string())
        }
        None => return None,
    };
    if m.is_empty()
        || m.len() > 2
        || !m.bytes().all(|b| b.is_ascii_digit())
        || !y.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let month: u32 = m.parse().ok()?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let year: i32 = match y.len() {
        2 => 2000 + y.parse::<i32>().ok()?,
        4 => y.parse().ok()?,
        _ => return None,
    };
    Some((month, year))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0).unwrap()
    }

    #[test]
    fn a_four_byte_expiry_that_is_not_ascii_is_refused_not_a_panic() {
        // Found by fuzz/fuzz_targets/checkout_form.rs: a form body with a stray
        // byte decodes to U+FFFD, and `\u{FFFD}{` is four bytes long.
        for expiry in ["\u{FFFD}{", "€1", "1€", "１２"] {
            assert_eq!(
                CardInput::parse("4242 4242 4242 4242", expiry, "123", "Jamie Tan", now()),
                Err(CardError::InvalidExpiry),
                "{expiry:?}"
            );
        }
    }

    #[test]
    fn accepts_test_cards_with_or_without_spaces() {
        let c =
            CardInput::parse("4242 4242 4242 4242", "12/30", "123", "Jamie Tan", now()).unwrap();
        assert_eq!(c.number(), "4242424242424242");
        assert_eq!((c.brand(), c.last4()), ("Visa", "4242"));
        assert_eq!(c.masked(), "424242******4242");
        let amex = CardInput::parse("3782 822463 10005", "12/30", "1234", "A", now()).unwrap();
        assert_eq!(amex.masked(), "378282*****0005");
        let m = CardInput::parse("5555555555554444", "11/26", "123", "A", now()).unwrap();
        assert_eq!(m.brand(), "Mastercard");
        assert_eq!(format!("{m:?}"), "CardInput(Mastercard •••• 4444)");
    }

    #[test]
    fn refuses_bad_input_with_a_reason() {
        let p = |n, e, c, h| CardInput::parse(n, e, c, h, now());
        assert_eq!(p("", "12/30", "123", "A"), Err(CardError::MissingNumber));
        assert_eq!(
            p("4242 4242 4242 4241", "12/30", "123", "A"),
            Err(CardError::InvalidNumber)
        );
        assert_eq!(
            p("4242abcd42424242", "12/30", "123", "A"),
            Err(CardError::InvalidNumber)
        );
        assert_eq!(
            p("4242", "12/30", "123", "A"),
            Err(CardError::InvalidNumber)
        );
        assert_eq!(
            p("4242424242424242", "13/30", "123", "A"),
            Err(CardError::InvalidExpiry)
        );
        assert_eq!(
            p("4242424242424242", "1230x", "123", "A"),
            Err(CardError::InvalidExpiry)
        );
        assert_eq!(
            p("4242424242424242", "10/26", "123", "A"),
            Err(CardError::Expired)
        );
        assert_eq!(
            p("4242424242424242", "12/30", "12", "A"),
            Err(CardError::CvcLength(3))
        );
        assert_eq!(
            p("4242424242424242", "12/30", "1234", "A"),
            Err(CardError::CvcLength(3)),
            "Visa codes have 3 digits"
        );
        assert_eq!(
            p("378282246310005", "12/30", "123", "A"),
            Err(CardError::CvcLength(4)),
            "American Express codes have 4"
        );
        assert_eq!(
            p("9490220011669217", "12/30", "12", "A"),
            Err(CardError::InvalidCvc),
            "a card of no known brand: 3 or 4"
        );
        assert_eq!(
            p("4242424242424242", "12/30", "123", "  "),
            Err(CardError::MissingName)
        );
        assert!(p("4242424242424242", "1130", "123", "A").is_ok());
        assert!(p("4242424242424242", "11/2026", "123", "A").is_ok());
    }

    #[test]
    fn each_brand_is_known_by_its_ranges_lengths_and_codes() {
        // (number, brand, a security code it accepts)
        for (number, brand, cvc) in [
            ("4242424242424242", "Visa", "123"),
            ("4222222222222", "Visa", "123"),
            ("5555555555554444", "Mastercard", "123"),
            ("2223003122003222", "Mastercard", "123"),
            ("378282246310005", "American Express", "1234"),
            ("371449635398431", "American Express", "1234"),
            ("3566002020360505", "JCB", "123"),
            ("6200000000000005", "UnionPay", "123"),
            ("36227206271667", "Diners Club", "123"),
            ("6011111111111117", "Discover", "123"),
            ("6445644564456445", "Discover", "123"),
            ("9490220011669217", "Card", "1234"),
        ] {
            let c = CardInput::parse(number, "12/30", cvc, "A", now())
                .unwrap_or_else(|e| panic!("{number}: {e}"));
            assert_eq!(c.brand(), brand, "{number}");
        }
        assert_eq!(
            CardInput::parse("4111111111119", "12/30", "123", "A", now()).map(|c| c.brand()),
            Ok("Visa"),
            "13-digit Visa"
        );
        // Luhn-valid numbers of the wrong length for their brand.
        assert!(luhn_valid("555500000000008") && luhn_valid("3782000000000008"));
        assert_eq!(
            CardInput::parse("555500000000008", "12/30", "123", "A", now()),
            Err(CardError::InvalidNumber),
            "a 15-digit Mastercard does not exist"
        );
        assert_eq!(
            CardInput::parse("3782000000000008", "12/30", "1234", "A", now()),
            Err(CardError::InvalidNumber),
            "American Express numbers have 15 digits"
        );
    }
}
