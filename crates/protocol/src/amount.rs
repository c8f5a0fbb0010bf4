//! Money: currencies, their ISO 4217 exponents and amounts in minor units.
//!
//! This module is the only place in Cashier that knows how many decimals a
//! currency has. Amounts are integers in the currency's smallest unit (USD 1.00
//! is `100`, JPY 1 is `1`); floats never appear. On the wire `value` is a string
//! of at most 16 digits (docs/protocol.md §3.1, §5.4).

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Largest number of digits `Amount.value` may have on the wire.
pub const MAX_VALUE_DIGITS: usize = 16;

/// A supported ISO 4217 currency with its exponent and Antom's special rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    exponent: u8,
    /// The minor-unit value must be a multiple of this (IDR: 100, docs/protocol.md §5.4).
    minor_multiple: u64,
}

/// Antom's currency table (docs/protocol.md §5.4) plus the ISO 4217 three-decimal
/// currencies, so that the exponent logic is exercised for 0, 2 and 3.
const CURRENCIES: &[Currency] = &[
    c("AUD", 2),
    c("BDT", 2),
    c("BHD", 3),
    c("BRL", 2),
    c("CAD", 2),
    c("CLP", 0),
    c("CNY", 2),
    c("EUR", 2),
    c("GBP", 2),
    c("HKD", 2),
    Currency {
        code: "IDR",
        exponent: 2,
        minor_multiple: 100,
    },
    c("JOD", 3),
    c("JPY", 0),
    c("KRW", 0),
    c("KWD", 3),
    c("MXN", 2),
    c("MYR", 2),
    c("NZD", 2),
    c("OMR", 3),
    c("PEN", 2),
    c("PHP", 2),
    c("PKR", 2),
    c("PLN", 2),
    c("SGD", 2),
    c("THB", 2),
    c("TND", 3),
    c("TWD", 2),
    c("USD", 2),
    c("VND", 0),
];

const fn c(code: &'static str, exponent: u8) -> Currency {
    Currency {
        code,
        exponent,
        minor_multiple: 1,
    }
}

impl Currency {
    /// Looks up a currency by its upper-case alphabetic code.
    pub fn from_code(code: &str) -> Option<Currency> {
        CURRENCIES.iter().copied().find(|c| c.code == code)
    }

    /// Every currency Cashier accepts, in alphabetical order.
    pub fn all() -> &'static [Currency] {
        CURRENCIES
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Number of decimals of the major unit (JPY 0, USD 2, KWD 3).
    pub fn exponent(&self) -> u8 {
        self.exponent
    }

    pub fn minor_multiple(&self) -> u64 {
        self.minor_multiple
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// Why an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("currency must be three upper-case letters")]
    MalformedCurrency,
    #[error("currency {0} is not supported")]
    UnsupportedCurrency(String),
    #[error("value must be 1 to 16 ASCII digits in minor units, without sign or decimal point")]
    MalformedValue,
    #[error("value must be greater than zero")]
    NotPositive,
    #[error("value for {currency} must be a multiple of {multiple}")]
    NotMultiple {
        currency: &'static str,
        multiple: u64,
    },
}

/// A validated amount: a supported currency and a non-negative integer number
/// of minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Amount {
    currency: Currency,
    minor: u64,
}

impl Amount {
    pub fn new(currency: Currency, minor: u64) -> Amount {
        Amount { currency, minor }
    }

    /// Parses the wire form (`currency`, `value` strings). Zero is allowed here;
    /// callers that need a positive amount use [`Amount::parse_positive`].
    pub fn parse(currency: &str, value: &str) -> Result<Amount, AmountError> {
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(AmountError::MalformedCurrency);
        }
        let currency = Currency::from_code(currency)
            .ok_or_else(|| AmountError::UnsupportedCurrency(currency.to_string()))?;
        if value.is_empty()
            || value.len() > MAX_VALUE_DIGITS
            || !value.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(AmountError::MalformedValue);
        }
        // 16 digits always fit in a u64 (max 9_999_999_999_999_999 < 2^64).
        let minor: u64 = value.parse().map_err(|_| AmountError::MalformedValue)?;
        if !minor.is_multiple_of(currency.minor_multiple) {
            return Err(AmountError::NotMultiple {
                currency: currency.code,
                multiple: currency.minor_multiple,
            });
        }
        Ok(Amount { currency, minor })
    }

    /// Like [`Amount::parse`] but refuses zero.
    pub fn parse_positive(currency: &str, value: &str) -> Result<Amount, AmountError> {
        let amount = Amount::parse(currency, value)?;
        if amount.minor == 0 {
            return Err(AmountError::NotPositive);
        }
        Ok(amount)
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The wire `value` string: the minor units in decimal, no leading zeros.
    pub fn value_string(&self) -> String {
        self.minor.to_string()
    }

    /// The amount in major units with the currency's decimals, e.g. `60.00`,
    /// `1,000` is not produced: no grouping, so it is locale neutral.
    pub fn major_string(&self) -> String {
        major_units(self.currency, i128::from(self.minor))
    }

    /// Human display used on the hosted page and in reports: `SGD 60.00`.
    pub fn display(&self) -> String {
        format!("{} {}", self.currency.code, self.major_string())
    }

    pub fn to_wire(&self) -> WireAmount {
        WireAmount {
            currency: self.currency.code.to_string(),
            value: self.value_string(),
        }
    }
}

/// `minor` units of `currency` in major units with its decimals (`60.00`,
/// `-0.05`, `1000` for JPY), no grouping. Takes any `i128`: totals of many
/// amounts are summed as `i128` and print exactly (a wrapped or saturated
/// total is never shown).
pub fn major_units(currency: Currency, minor: i128) -> String {
    let exp = u32::from(currency.exponent);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if exp == 0 {
        return format!("{sign}{abs}");
    }
    let div = 10u128.pow(exp);
    format!(
        "{sign}{}.{:0width$}",
        abs / div,
        abs % div,
        width = exp as usize
    )
}

/// `SGD 60.00` for a total of any size ([`major_units`]).
pub fn display_total(currency: Currency, minor: i128) -> String {
    format!("{} {}", currency.code, major_units(currency, minor))
}

/// The wire shape of an amount in responses and notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WireAmount {
    pub currency: String,
    pub value: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(Currency::from_code("JPY").unwrap().exponent(), 0);
        assert_eq!(Currency::from_code("USD").unwrap().exponent(), 2);
        assert_eq!(Currency::from_code("KWD").unwrap().exponent(), 3);
        assert!(Currency::from_code("XXX").is_none());
        assert!(Currency::from_code("usd").is_none());
    }

    #[test]
    fn formats_major_units_with_the_currency_exponent() {
        assert_eq!(Amount::parse("SGD", "6000").unwrap().display(), "SGD 60.00");
        assert_eq!(Amount::parse("USD", "5").unwrap().major_string(), "0.05");
        assert_eq!(Amount::parse("JPY", "1500").unwrap().display(), "JPY 1500");
        assert_eq!(
            Amount::parse("KWD", "1005").unwrap().major_string(),
            "1.005"
        );
        assert_eq!(Amount::parse("USD", "0").unwrap().major_string(), "0.00");
    }

    #[test]
    fn totals_of_any_size_and_sign_print_exactly() {
        let usd = Currency::from_code("USD").unwrap();
        let jpy = Currency::from_code("JPY").unwrap();
        // 1,000 of the largest amount: past i64::MAX.
        let big = 1_000 * 9_999_999_999_999_999i128;
        assert_eq!(display_total(usd, big), "USD 99999999999999990.00");
        assert_eq!(major_units(usd, -big - 5), "-99999999999999990.05");
        assert_eq!(major_units(usd, -5), "-0.05");
        assert_eq!(major_units(jpy, -1500), "-1500");
        assert_eq!(
            major_units(usd, i128::MIN),
            "-1701411834604692317316873037158841057.28"
        );
    }

    #[test]
    fn parses_only_plain_digit_strings() {
        for bad in [
            "",
            "-1",
            "+1",
            "1.00",
            "1e3",
            " 1",
            "1 ",
            "１２",
            "12345678901234567",
        ] {
            assert_eq!(
                Amount::parse("USD", bad),
                Err(AmountError::MalformedValue),
                "{bad:?}"
            );
        }
        assert_eq!(
            Amount::parse("USD", "9999999999999999").unwrap().minor(),
            9_999_999_999_999_999
        );
        assert_eq!(Amount::parse("USD", "007").unwrap().value_string(), "7");
    }

    #[test]
    fn refuses_bad_currencies() {
        assert_eq!(
            Amount::parse("usd", "1"),
            Err(AmountError::MalformedCurrency)
        );
        assert_eq!(
            Amount::parse("US", "1"),
            Err(AmountError::MalformedCurrency)
        );
        assert_eq!(
            Amount::parse("XYZ", "1"),
            Err(AmountError::UnsupportedCurrency("XYZ".into()))
        );
    }

    #[test]
    fn zero_is_refused_where_positive_is_required() {
        assert_eq!(
            Amount::parse_positive("USD", "0"),
            Err(AmountError::NotPositive)
        );
        assert!(Amount::parse_positive("USD", "1").is_ok());
    }

    #[test]
    fn idr_must_be_a_multiple_of_100() {
        assert!(Amount::parse("IDR", "30000").is_ok());
        assert!(matches!(
            Amount::parse("IDR", "30050"),
            Err(AmountError::NotMultiple { multiple: 100, .. })
        ));
    }
}
