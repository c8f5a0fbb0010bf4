//! Currency conversion for settlement (docs/protocol.md §8.3 `quotePrice`), in
//! integers only.
//!
//! A [`Rate`] is a decimal with [`Rate::SCALE_DIGITS`] fractional digits,
//! held as an integer: `0.74074074` is `74_074_074`. It says how many major
//! units of the target currency one major unit of the source buys. A
//! converted amount is `minor × rate`, shifted by the two currencies'
//! exponents and rounded half to even to the target currency's smallest
//! step (a whole rupiah for IDR). The rate recorded with a payment converts
//! the payment and every refund of it, so a settlement report can be
//! recomputed row by row from its `transactionAmountValue` and `quotePrice`.

use std::fmt;
use std::str::FromStr;

use crate::amount::Currency;

/// An exchange rate with eight decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rate(u64);

/// Why a rate string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a positive rate with at most 8 decimals")]
pub struct RateError(pub String);

const SCALE: u128 = 100_000_000;

impl Rate {
    /// Fractional digits of every rate.
    pub const SCALE_DIGITS: u32 = 8;
    /// One to one.
    pub const ONE: Rate = Rate(SCALE as u64);

    /// The rate from `from` to `to`, given how many major units of each one
    /// US dollar buys: `per_usd(to) / per_usd(from)`, rounded half to even
    /// to eight decimals. `None` when a side is zero or the rate rounds to
    /// zero.
    pub fn cross(per_usd_from: Rate, per_usd_to: Rate) -> Option<Rate> {
        if per_usd_from.0 == 0 {
            return None;
        }
        let n = u128::from(per_usd_to.0) * SCALE;
        let scaled = div_half_even(n, u128::from(per_usd_from.0));
        u64::try_from(scaled).ok().filter(|r| *r > 0).map(Rate)
    }

    /// The scaled integer (`rate × 10^8`).
    pub fn scaled(self) -> u64 {
        self.0
    }

    /// Converts `minor` units of `from` into minor units of `to` at this
    /// rate, rounded half to even to `to`'s smallest step. Negative amounts
    /// (refunds from the merchant's side) convert symmetrically.
    pub fn convert(self, minor: i64, from: Currency, to: Currency) -> i64 {
        let negative = minor < 0;
        let abs = u128::from(minor.unsigned_abs());
        let up = u32::from(to.exponent());
        let down = u32::from(from.exponent());
        // minor_to = minor_from × rate × 10^exp_to / 10^exp_from
        let numerator = abs * u128::from(self.0) * 10u128.pow(up);
        let denominator = SCALE * 10u128.pow(down) * u128::from(to.minor_multiple());
        let steps = div_half_even(numerator, denominator);
        let value = steps * u128::from(to.minor_multiple());
        let value = i64::try_from(value).unwrap_or(i64::MAX);
        if negative {
            -value
        } else {
            value
        }
    }
}

/// `n / d` rounded half to even.
fn div_half_even(n: u128, d: u128) -> u128 {
    let (q, r) = (n / d, n % d);
    let twice = r * 2;
    if twice > d || (twice == d && q % 2 == 1) {
        q + 1
    } else {
        q
    }
}

impl fmt::Display for Rate {
    /// Eight decimals, trailing zeros kept: `1.35000000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = SCALE as u64;
        write!(f, "{}.{:08}", self.0 / scale, self.0 % scale)
    }
}

impl FromStr for Rate {
    type Err = RateError;

    /// `1`, `1.35`, `0.74074074`: digits, at most one point, at most eight
    /// decimals, greater than zero.
    fn from_str(s: &str) -> Result<Rate, RateError> {
        let bad = || RateError(s.to_string());
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || int.len() > 10 || !digits(int) || !digits(frac) || frac.len() > 8 {
            return Err(bad());
        }
        let int: u64 = int.parse().map_err(|_| bad())?;
        let frac: u64 = format!("{frac:0<8}").parse().map_err(|_| bad())?;
        let scaled = int
            .checked_mul(SCALE as u64)
            .and_then(|v| v.checked_add(frac))
            .filter(|v| *v > 0)
            .ok_or_else(bad)?;
        Ok(Rate(scaled))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(code: &str) -> Currency {
        Currency::from_code(code).unwrap()
    }

    fn rate(s: &str) -> Rate {
        s.parse().unwrap()
    }

    #[test]
    fn rates_parse_and_print_with_eight_decimals() {
        assert_eq!(rate("1").to_string(), "1.00000000");
        assert_eq!(rate("1.35").to_string(), "1.35000000");
        assert_eq!(rate("0.74074074").scaled(), 74_074_074);
        for bad in [
            "",
            "0",
            "0.0",
            "-1",
            "1.123456789",
            "1,5",
            ".5",
            "1e3",
            "1.2.3",
            "99999999999",
        ] {
            assert!(bad.parse::<Rate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn cross_rates_round_half_even_at_eight_decimals() {
        // 1 SGD = 1/1.35 USD.
        assert_eq!(
            Rate::cross(rate("1.35"), rate("1")),
            Some(rate("0.74074074"))
        );
        assert_eq!(Rate::cross(rate("1"), rate("1.35")), Some(rate("1.35")));
        // 1 JPY in KRW: 1350 / 150 = 9.
        assert_eq!(Rate::cross(rate("150"), rate("1350")), Some(rate("9")));
        // A rate that rounds to nothing is no rate.
        assert_eq!(Rate::cross(rate("9999999999"), rate("0.00000001")), None);
    }

    #[test]
    fn conversion_shifts_exponents_and_rounds_half_even() {
        let sgd_usd = rate("0.74074074");
        // SGD 42.00 → USD 31.11 (31.1111...).
        assert_eq!(sgd_usd.convert(4200, cur("SGD"), cur("USD")), 3111);
        // To a zero-exponent currency: USD 10.00 at 150 → JPY 1500.
        assert_eq!(rate("150").convert(1000, cur("USD"), cur("JPY")), 1500);
        // From one: JPY 1000 at 0.00666667 → USD 6.67.
        assert_eq!(
            rate("0.00666667").convert(1000, cur("JPY"), cur("USD")),
            667
        );
        // To three decimals: USD 1.00 at 0.307 → KWD 0.307.
        assert_eq!(rate("0.307").convert(100, cur("USD"), cur("KWD")), 307);
        // Ties go to even: USD 0.01 at 0.5 → 0.005 → 0.00; at 1.5 → 0.015 → 0.02.
        assert_eq!(rate("0.5").convert(1, cur("USD"), cur("EUR")), 0);
        assert_eq!(rate("1.5").convert(1, cur("USD"), cur("EUR")), 2);
        // IDR settles in whole rupiah (multiples of 100 minor units).
        assert_eq!(rate("16000").convert(1, cur("USD"), cur("IDR")), 16_000);
        assert_eq!(rate("16000.5").convert(1, cur("USD"), cur("IDR")), 16_000);
        assert_eq!(rate("16001.5").convert(1, cur("USD"), cur("IDR")), 16_000);
        // Refunds convert symmetrically.
        assert_eq!(sgd_usd.convert(-4200, cur("SGD"), cur("USD")), -3111);
        // The largest amount does not overflow.
        let max = 9_999_999_999_999_999;
        assert_eq!(Rate::ONE.convert(max, cur("USD"), cur("EUR")), max);
    }
}
